// Revocation end to end: a card revoked through the CLI reaches a phone that
// is online as a signed delta (not the full list again), and a phone that is
// offline with revocation data past its maximum age never says "valid".
// Its own demo world and server: it revokes a demo card. Run through run.mjs.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, startServer } from './support.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const www = join(resolve(here, '../..'), 'www');
const bin = resolve(process.env.YANZHENG_BIN ?? '');
const chromiumPath = process.env.CHROMIUM ?? '/usr/bin/chromium';
const PHONE = { width: 390, height: 844 };
const DAY_MS = 86_400_000;

let work;
let demo;
let server;
let browser;

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'yanzheng-e2e-rev-'));
  demo = join(work, 'demo');
  execFileSync(bin, ['demo', '--out', demo], { stdio: ['ignore', 'ignore', 'inherit'] });
  server = await startServer(bin, demo, www, ['--reload-every', '0.2']);
  browser = await chromium.launch({ executablePath: chromiumPath, args: CHROMIUM_ARGS });
});

after(async () => {
  await browser?.close();
  await server?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

const FINISHED = '.result-area:is([data-state="result"], [data-state="no_code"], [data-state="image_unreadable"])';

async function scanFile(page, path) {
  await page.setInputFiles('#photo', path);
  const area = await page.waitForSelector(FINISHED, { timeout: 30_000 });
  const result = await area.$('.result');
  return {
    verdict: result ? await result.getAttribute('data-verdict') : null,
    text: (await area.textContent()).trim(),
  };
}

/** A phone: a fresh browser context, recording the page's requests. */
async function phone() {
  const context = await browser.newContext({ viewport: PHONE, locale: 'zh-CN' });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const requests = [];
  page.on('request', (r) => {
    const u = new URL(r.url());
    requests.push(u.pathname + u.search);
  });
  return { context, page, errors, requests };
}

async function open(page) {
  await page.goto(server.url);
  await page.waitForSelector('[data-trust="ready"]', { timeout: 30_000 });
}

/** The cert_id of a demo image's card, as the CLI reads it. */
function certIdOf(image) {
  const out = execFileSync(bin, ['verify', '--trust-list', join(demo, 'trust-list'),
    '--revocations', join(demo, 'revocations'), '--image', join(demo, image), '--json']);
  return JSON.parse(out.toString()).fields.cert_id;
}

describe('revocation', () => {
  test('a revoked card reaches an online phone as a delta; a stale offline phone never says valid', async (t) => {
    // A phone that has used the checker once: it holds revocation list v1.
    const a = await phone();
    await open(a.page);
    await a.page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
    assert.equal((await scanFile(a.page, join(demo, 'valid.png'))).verdict, 'valid');

    // The issuer revokes valid.png's card through the CLI: the registry's
    // database, the list (version 2) and the delta 1 -> 2.
    const certId = certIdOf('valid.png');
    writeFileSync(join(work, 'revoke.txt'), `${certId}\n`);
    const out = execFileSync(bin, ['import', '--revocations', join(work, 'revoke.txt'),
      '--key', join(demo, 'issuer-shanghai.pub'), '--db', join(demo, 'registry.db'),
      '--root', join(demo, 'root.key'), '--data', demo]).toString();
    t.diagnostic(out.trim());
    assert.match(out, /revocation list version 2/);
    let deltas;
    for (let i = 0; i < 100; i++) {
      deltas = await fetch(`${server.url}revocations/deltas?since=1`);
      if (deltas.ok && (await deltas.clone().arrayBuffer()).byteLength > 1) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(deltas.status, 200, 'the registry serves the delta');
    const fullSize = (await (await fetch(`${server.url}revocations`)).arrayBuffer()).byteLength;
    const deltaSize = (await deltas.arrayBuffer()).byteLength;
    t.diagnostic(`full list ${fullSize} bytes, delta answer ${deltaSize} bytes`);

    // Online, the phone takes the delta (and not the full list) and says revoked.
    a.requests.length = 0;
    await a.page.reload();
    await a.page.waitForSelector('[data-trust="ready"]', { timeout: 30_000 });
    const banner = (await a.page.textContent('[data-trust]')).trim();
    t.diagnostic(`banner after the update: ${banner}`);
    assert.match(banner, /撤销名单第 2 版/);
    assert.ok(a.requests.includes('/revocations/deltas?since=1'), a.requests.join(' '));
    assert.ok(!a.requests.includes('/revocations'), `the full list was fetched again: ${a.requests.join(' ')}`);
    const revoked = await scanFile(a.page, join(demo, 'valid.png'));
    t.diagnostic(`valid.png after revocation: ${revoked.verdict}`);
    assert.equal(revoked.verdict, 'revoked');
    assert.deepEqual(a.errors, []);
    await a.context.close();

    // A phone that loaded the lists, then went eight days without a signal:
    // its revocation data (7 days' maximum age) is stale.
    // First visit today (online)...
    const today = await phone();
    await open(today.page);
    await today.page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
    const state = await today.context.storageState();
    await today.context.close();
    // ...then the same device eight days later, offline.
    const later = await browser.newContext({ viewport: PHONE, locale: 'zh-CN', storageState: state });
    await later.addInitScript((offset) => {
      const realNow = Date.now.bind(Date);
      Date.now = () => realNow() + offset;
    }, 8 * DAY_MS);
    const page = await later.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(server.url);
    await page.waitForSelector('[data-trust="ready"]', { timeout: 30_000 });
    await later.setOffline(true);
    // review_due_soon.png's card is genuine and in date: stale data makes it
    // "revocation status unknown", never valid.
    const stale = await scanFile(page, join(demo, 'review_due_soon.png'));
    t.diagnostic(`review_due_soon.png, offline, 8 days on: ${stale.verdict} | ${stale.text.slice(0, 120)}`);
    assert.equal(stale.verdict, 'revocation_unknown');
    assert.match(stale.text, /撤销状态未知/);
    assert.match(stale.text, /\d+ 天前/);
    // The revoked card stays revoked on the stale list.
    assert.equal((await scanFile(page, join(demo, 'valid.png'))).verdict, 'revoked');
    assert.deepEqual(errors, []);
    await later.close();
  });
});
