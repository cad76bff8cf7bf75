// The widget embedded on an employer's portal, across origins: the registry
// serves the widget on 127.0.0.1:P1 and the demo portal (www/portal/) on
// 127.0.0.1:P2, which `serve --demo-portal` allows to embed the widget and to
// call the API. The portal page loads embed.js from the widget's origin and
// gets each result as a `verdict` event. Run through run.mjs.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, startServer } from './support.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const www = join(resolve(here, '../..'), 'www');
const bin = resolve(process.env.YANZHENG_BIN ?? '');
const chromiumPath = process.env.CHROMIUM ?? '/usr/bin/chromium';

let work;
let demo;
let server;
let browser;

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'yanzheng-embed-'));
  demo = join(work, 'demo');
  execFileSync(bin, ['demo', '--out', demo], { stdio: ['ignore', 'ignore', 'inherit'] });
  server = await startServer(bin, demo, www, ['--demo-portal', '127.0.0.1:0']);
  browser = await chromium.launch({ executablePath: chromiumPath, args: CHROMIUM_ARGS });
});

after(async () => {
  await browser?.close();
  await server?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

const BASE45 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:';

/** The bytes of Base45 text (RFC 9285), as any host could decode a payload. */
function base45Decode(text) {
  const out = [];
  for (let i = 0; i < text.length; i += 3) {
    const c = [...text.slice(i, i + 3)].map((ch) => BASE45.indexOf(ch));
    const n = c[0] + c[1] * 45 + (c.length === 3 ? c[2] * 2025 : 0);
    if (c.length === 3) out.push(n >> 8, n & 0xff); else out.push(n);
  }
  return Buffer.from(out);
}

/** The 18-character ID numbers readable in a message's payload, if it has one. */
function numbersInPayload(detail) {
  if (typeof detail.payload !== 'string') return [];
  const bytes = base45Decode(detail.payload.replace(/^YZ1:/, ''));
  return bytes.toString('latin1').match(/\d{17}[\dX]/g) ?? [];
}

/** The portal page (at `url`) with its widget frame loaded, or null if the frame was refused. */
async function openPortal(url = server.portalUrl, { timeout = 30_000 } = {}) {
  const context = await browser.newContext({ viewport: { width: 1100, height: 900 }, locale: 'zh-CN' });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(url);
  const widgetOrigin = new URL(server.url).origin;
  let frame = null;
  for (let i = 0; i < 100 && !frame; i++) {
    frame = page.frames().find((f) => f.url().startsWith(widgetOrigin)) ?? null;
    if (!frame) await page.waitForTimeout(100);
  }
  if (frame) await frame.waitForSelector('[data-trust="ready"]', { timeout }).catch(() => { frame = null; });
  return { page, frame, errors, close: () => context.close() };
}

describe('embedding on an employer portal (another origin)', () => {
  test('the portal gets the verdict event, fills its form, and its server check agrees', async (t) => {
    assert.notEqual(new URL(server.portalUrl).origin, new URL(server.url).origin);
    const { page, frame, errors, close } = await openPortal();
    try {
      assert.ok(frame, 'the widget frame loaded inside the portal');
      // The frame asks for the camera through the delegation embed.js set.
      assert.equal(await page.getAttribute('yanzheng-verifier iframe', 'allow'), 'camera');
      const event = page.evaluate(() => new Promise((res) => {
        document.getElementById('verifier').addEventListener('verdict', (e) => res(e.detail), { once: true });
      }));
      await frame.setInputFiles('#photo', join(demo, 'valid.png'));
      const detail = await event;
      t.diagnostic(`event: ${detail.verdict}, ${detail.fields?.name}, ${detail.fields?.number_masked}, trust list v${detail.trust_list_version}`);
      assert.equal(detail.verdict, 'valid');
      assert.equal(detail.acceptable, true);
      assert.equal(detail.signature_verified, true);
      assert.match(detail.fields.number_masked, /^\*{14}[\dX]{4}$/);
      assert.equal(detail.trust_list_version, 1);
      assert.match(detail.payload, /^YZ1:/);
      assert.equal(await page.inputValue('#f-verdict'), 'valid');
      assert.equal(await page.inputValue('#f-number'), detail.fields.number_masked);
      // The portal asked for the payload (include-payload): decoded, it holds
      // the full number, as docs/embedding.md says; nothing else does.
      const { payload, ...rest } = detail;
      assert.equal(numbersInPayload(detail).length, 1, 'the opted-in payload holds the number');
      assert.doesNotMatch(JSON.stringify(rest), /\d{17}[\dX]/);
      assert.ok(payload.length > 0);

      // The portal's own check of the signed payload, across origins (CORS).
      await page.click('#server-check');
      await page.waitForSelector('#server-result:not([data-server-verdict=""])', { timeout: 15_000 });
      assert.equal(await page.getAttribute('#server-result', 'data-server-verdict'), 'valid');

      // The frame sized itself to the widget.
      const height = await page.$eval('yanzheng-verifier iframe', (f) => f.getBoundingClientRect().height);
      t.diagnostic(`frame height ${height}px`);
      assert.ok(height >= 320, `frame height ${height}`);
      // A link opens the widget as a page of its own, at its own address.
      const href = await frame.getAttribute('[data-action="open-full-page"]', 'href');
      assert.equal(href, server.url);
      assert.deepEqual(errors, []);
    } finally {
      await close();
    }
  });

  test('a host that did not ask gets no payload; a portal fills its form only from a verified, acceptable result', async (t) => {
    const { page, frame, errors, close } = await openPortal();
    try {
      assert.ok(frame);
      // The portal's own element (include-payload): an expired card is not
      // used for the form.
      const first = page.evaluate(() => new Promise((res) => {
        document.getElementById('verifier').addEventListener('verdict', (e) => res(e.detail), { once: true });
      }));
      await frame.setInputFiles('#photo', join(demo, 'expired.png'));
      const expired = await first;
      assert.equal(expired.verdict, 'expired');
      assert.equal(expired.acceptable, false);
      assert.equal(await page.inputValue('#f-verdict'), 'expired');
      assert.equal(await page.inputValue('#f-name'), '');
      assert.equal(await page.inputValue('#f-payload'), '');
      assert.equal(await page.isDisabled('#server-check'), true);
      assert.match(await page.textContent('#not-filled'), /expired/);

      // A second element without include-payload: no payload at all.
      await page.evaluate(() => {
        const el = document.createElement('yanzheng-verifier');
        el.id = 'plain';
        document.querySelector('main section').append(el);
      });
      const widgetOrigin = new URL(server.url).origin;
      let plain = null;
      for (let i = 0; i < 100 && !plain; i++) {
        plain = page.frames().find((f) => f !== frame && f.url().startsWith(widgetOrigin)) ?? null;
        if (!plain) await page.waitForTimeout(100);
      }
      assert.ok(plain, 'the second frame loaded');
      assert.doesNotMatch(plain.url(), /payload=/);
      await plain.waitForSelector('[data-trust="ready"]', { timeout: 30_000 });
      const second = page.evaluate(() => new Promise((res) => {
        document.getElementById('plain').addEventListener('verdict', (e) => res(e.detail), { once: true });
      }));
      await plain.setInputFiles('#photo', join(demo, 'valid.png'));
      const detail = await second;
      t.diagnostic(`without include-payload: ${Object.keys(detail).join(', ')}`);
      assert.equal(detail.verdict, 'valid');
      assert.equal('payload' in detail, false);
      assert.deepEqual(numbersInPayload(detail), []);
      assert.doesNotMatch(JSON.stringify(detail), /\d{17}[\dX]/);
      assert.doesNotMatch(JSON.stringify(detail), /YZ1:/);
      assert.deepEqual(errors, []);
    } finally {
      await close();
    }
  });

  test('messages from anyone but the widget frame are ignored, both ways', async (t) => {
    const { page, frame, errors, close } = await openPortal();
    try {
      assert.ok(frame);
      let events = 0;
      await page.exposeFunction('countVerdict', () => { events += 1; });
      await page.evaluate(() => {
        document.getElementById('verifier').addEventListener('verdict', () => window.countVerdict());
      });
      // The host page (or a script on it) forging a widget message.
      await page.evaluate(() => window.postMessage({ type: 'yanzheng:verdict', verdict: 'valid', payload: 'x' }, '*'));
      // The host trying to hand the widget a verdict or a trust root.
      await page.evaluate(() => {
        const w = document.querySelector('yanzheng-verifier iframe').contentWindow;
        w.postMessage({ type: 'yanzheng:verdict', verdict: 'valid' }, '*');
        w.postMessage({ root_public_key: '00'.repeat(32), trust_list_url: 'https://evil.example/tl' }, '*');
      });
      await page.waitForTimeout(1_000);
      assert.equal(events, 0, 'no verdict event from a forged message');
      assert.equal(await frame.$('[data-verdict]'), null, 'the widget shows nothing it did not check');
      assert.equal(await frame.getAttribute('[data-trust]', 'data-trust'), 'ready');
      // A real scan afterwards is unaffected: revoked stays revoked.
      await frame.setInputFiles('#photo', join(demo, 'revoked.png'));
      await frame.waitForSelector('.result[data-verdict]', { timeout: 30_000 });
      await page.waitForFunction(() => document.getElementById('f-verdict').value !== '', null, { timeout: 10_000 });
      assert.equal(await page.inputValue('#f-verdict'), 'revoked');
      assert.equal(events, 1);
      assert.deepEqual(errors, []);
    } finally {
      await close();
    }
  });

  test('a page on an origin the deployment does not list cannot frame the widget', async (t) => {
    // localhost is another origin than 127.0.0.1: same portal page, not allowed.
    const other = server.portalUrl.replace('127.0.0.1', 'localhost');
    const { page, frame, close } = await openPortal(other, { timeout: 5_000 });
    try {
      let events = 0;
      await page.exposeFunction('countVerdict', () => { events += 1; });
      await page.evaluate(() => {
        document.getElementById('verifier').addEventListener('verdict', () => window.countVerdict());
      });
      t.diagnostic(`frame from ${other}: ${frame ? 'loaded' : 'refused (frame-ancestors)'}`);
      assert.equal(frame, null, 'the browser refused to show the widget in a frame');
      assert.equal(events, 0);
    } finally {
      await close();
    }
  });
});
