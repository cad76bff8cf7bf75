// The widget on every engine a phone uses: Chromium, WebKit (WebKitGTK's
// MiniBrowser; every iOS browser is WebKit) and Gecko (Firefox ESR), each
// driven over W3C WebDriver (webdriver.mjs). The same cases run on each:
// every demo verdict from a photo, a camera scan of a card for a valid and a
// forged card, the inspection record across a reload, the embed on a second
// origin, and an offline reload after one visit. The engines' own mock
// cameras show test patterns, so the camera is a `canvas.captureStream()` of
// a card picture put in place of getUserMedia (the page's own camera code
// runs unchanged on that stream). An engine that cannot start fails its
// cases with the reason; nothing is skipped. E2E_ENGINES=chromium,firefox
// narrows the run. Run through run.mjs.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeCardVideo, startServer } from './support.mjs';
import { ENGINES, fakeCamera, missing, openSession } from './webdriver.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const www = join(resolve(here, '../..'), 'www');
const bin = resolve(process.env.YANZHENG_BIN ?? '');
const engines = (process.env.E2E_ENGINES ?? 'chromium,webkit,firefox').split(',').map((e) => e.trim()).filter(Boolean);

let work;
let demo;
let cases;
let server;
const cards = {};
/** engine → case → { ok, ms, note } for the report at the end. */
const report = {};

before(async () => {
  for (const e of engines) assert.ok(ENGINES[e], `unknown engine ${e} in E2E_ENGINES`);
  work = mkdtempSync(join(tmpdir(), 'yanzheng-engines-'));
  demo = join(work, 'demo');
  execFileSync(bin, ['demo', '--out', demo], { stdio: ['ignore', 'ignore', 'inherit'] });
  cases = JSON.parse(readFileSync(join(demo, 'cases.json'), 'utf8'));
  server = await startServer(bin, demo, www, ['--demo-portal', '127.0.0.1:0']);
  for (const name of ['valid', 'signature_invalid']) {
    makeCardVideo(work, `card-${name}`, join(demo, `${name}.png`));
    cards[name] = `data:image/png;base64,${readFileSync(join(work, `card-${name}.png`)).toString('base64')}`;
  }
});

after(async () => {
  const names = [...new Set(Object.values(report).flatMap((r) => Object.keys(r)))];
  if (names.length) {
    const lines = ['cross-engine report (ms per case; FAIL marks a failure):'];
    lines.push(`${'case'.padEnd(44)}${engines.map((e) => ENGINES[e].label.padStart(14)).join('')}`);
    for (const n of names) {
      lines.push(`${n.padEnd(44)}${engines.map((e) => {
        const r = report[e]?.[n];
        return (r ? (r.ok ? `${r.ms}` : 'FAIL') : '-').padStart(14);
      }).join('')}`);
    }
    console.error(lines.join('\n'));
  }
  await server?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

const FINISHED = '.result-area:is([data-state="result"], [data-state="no_code"], [data-state="image_unreadable"])';

/** The page, loaded and with its trust list ready. */
async function open(s, url = server.url) {
  await s.goto(url);
  await s.waitFor('[data-trust="ready"]', { timeout: 45_000 });
}

/** The outcome shown after a scan: `{ state, verdict, source, headline }`. */
async function outcome(s) {
  await s.waitFor(FINISHED, { timeout: 30_000 });
  return s.exec((sel) => {
    const area = document.querySelector(sel);
    const r = area.querySelector('.result');
    const h = area.querySelector('h2');
    return {
      state: area.getAttribute('data-state'),
      verdict: r ? r.getAttribute('data-verdict') : null,
      source: r ? r.getAttribute('data-source') : null,
      headline: h ? h.textContent.trim() : '',
    };
  }, FINISHED);
}

/** Polls `fn(args)` in the page until it returns something truthy. */
async function until(s, what, fn, args = [], timeout = 30_000) {
  const end = Date.now() + timeout;
  for (;;) {
    const v = await s.exec(fn, ...args).catch(() => null);
    if (v) return v;
    if (Date.now() > end) throw new Error(`${s.label}: ${what} did not happen within ${timeout} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

for (const engine of engines) {
  const label = ENGINES[engine].label;
  describe(`${label} (${engine})`, () => {
    let s = null;
    let why = null;
    report[engine] = {};

    before(async () => {
      why = missing(engine);
      if (why) return;
      try {
        s = await openSession(engine);
      } catch (e) {
        why = e.message;
      }
    });

    after(async () => { await s?.close(); });

    /** A case on this engine: fails with the reason if the engine could not start. */
    const check = (name, body) => test(`${label}: ${name}`, async (t) => {
      const started = Date.now();
      report[engine][name] = { ok: false, ms: 0 };
      assert.ok(s, `${label} could not run: ${why}`);
      await body(t);
      report[engine][name] = { ok: true, ms: Date.now() - started };
    });

    check('session', async (t) => {
      t.diagnostic(`${s.version}: session in ${s.startMs} ms`);
      const ua = await s.exec(() => navigator.userAgent);
      t.diagnostic(ua);
    });

    check('every demo verdict from a photo', async (t) => {
      assert.ok(cases.length >= 10, `only ${cases.length} cases`);
      // This engine has all the page needs (camera API, module workers,
      // IndexedDB): no note of limits.
      await open(s);
      assert.equal(await s.exec(() => document.querySelector('[data-limits]')?.dataset.limits ?? null), null);
      for (const c of cases) {
        await open(s);
        await s.pickFile('#photo', join(demo, c.file));
        const got = await outcome(s);
        t.diagnostic(`${c.file}: ${got.verdict ?? got.state} | ${got.headline}`);
        assert.equal(got.verdict, c.expect, `${label} ${c.file}: ${got.headline}`);
        assert.equal(got.source, 'offline');
      }
    });

    for (const name of ['valid', 'signature_invalid']) {
      check(`camera: a ${name} card`, async (t) => {
        await open(s);
        await fakeCamera(s, cards[name]);
        const tapped = Date.now();
        await s.click('[data-action="scan"]');
        const got = await outcome(s);
        t.diagnostic(`camera ${name}: ${got.verdict} after ${Date.now() - tapped} ms | ${got.headline}`);
        assert.equal(got.verdict, name);
        assert.ok(await s.exec(() => window.__camera.opened) >= 1, 'the verdict came from the fake camera');
        // After a result the camera is released.
        await s.waitFor('[data-camera="off"]', { timeout: 10_000 });
      });
    }

    check('the inspection record keeps a check across a reload', async (t) => {
      await open(s);
      const count = () => until(s, 'the record count', () => document.querySelector('.record')?.getAttribute('data-record-count'));
      const before = Number(await count());
      await s.pickFile('#photo', join(demo, 'expired.png'));
      assert.equal((await outcome(s)).verdict, 'expired');
      await s.waitFor(`.record[data-record-count="${before + 1}"]`, { timeout: 10_000 });
      await open(s);
      await s.waitFor(`.record[data-record-count="${before + 1}"]`, { timeout: 10_000 });
      t.diagnostic(`record: ${before} → ${before + 1}, kept after a reload`);
    });

    check('embedded on a portal of another origin', async (t) => {
      assert.notEqual(new URL(server.portalUrl).origin, new URL(server.url).origin);
      await s.goto(server.portalUrl);
      await s.waitFor('yanzheng-verifier iframe', { timeout: 30_000 });
      await s.frame('yanzheng-verifier iframe');
      try {
        await s.waitFor('[data-trust="ready"]', { timeout: 45_000 });
        await s.pickFile('#photo', join(demo, 'valid.png'));
        assert.equal((await outcome(s)).verdict, 'valid');
      } finally {
        await s.frame(null);
      }
      const form = await until(s, 'the portal form filled from the verdict event', () => {
        const v = document.getElementById('f-verdict').value;
        return v ? { verdict: v, number: document.getElementById('f-number').value } : null;
      });
      t.diagnostic(`portal form: ${form.verdict}, ${form.number}`);
      assert.equal(form.verdict, 'valid');
      assert.match(form.number, /^\*{14}[\dX]{4}$/);
    });

    check('offline after one visit (the server gone)', async (t) => {
      // A server of its own, stopped halfway.
      const own = await startServer(bin, demo, www);
      try {
        await open(s, own.url);
        await s.execAsync(() => navigator.serviceWorker.ready.then(() => true));
        await open(s, own.url);
        await until(s, 'the service worker controls the page', () => !!navigator.serviceWorker.controller);
        await own.stop();
        // Opening the checker again, as a person does (WebDriver's refresh
        // in Firefox skips the service worker, as a forced reload does).
        await s.goto('about:blank');
        await s.goto(own.url);
        const banner = await s.waitFor('[data-trust="ready"][data-saved-copy]', { timeout: 45_000 });
        t.diagnostic(`offline banner: ${banner.text}`);
        await s.pickFile('#photo', join(demo, 'valid.png'));
        const got = await outcome(s);
        t.diagnostic(`valid.png offline: ${got.verdict} | ${got.headline}`);
        assert.equal(got.verdict, 'valid');
      } finally {
        await own.stop();
      }
    });
  });
}
