// The camera path in a real browser: Chromium's fake camera plays a y4m made
// from a card image (the demo QR printed at an angle on a card-like
// background), the page's scan button starts the camera, and the first code
// the decoder worker finds must end in the verdict it is named after. The
// fake-camera file is a launch flag, so each case launches its own browser.
// A control video with no code must end in no verdict, a refused camera
// must explain itself and offer the other ways in, and so must a camera
// that stops mid-scan. Run through run.mjs.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, makeCardVideo, startServer } from './support.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '../..');
const www = join(repo, 'www');
const bin = resolve(process.env.YANZHENG_BIN ?? '');
const chromiumPath = process.env.CHROMIUM ?? '/usr/bin/chromium';
const PHONE = { width: 390, height: 844 };

let work;
let demo;
let server;

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'yanzheng-camera-'));
  demo = join(work, 'demo');
  execFileSync(bin, ['demo', '--out', demo], { stdio: ['ignore', 'ignore', 'inherit'] });
  server = await startServer(bin, demo, www);
});

after(async () => {
  await server?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});


/** A card video in the test's folder (see support.mjs). */
const cardVideo = (name, qrPng, angle = 7) => makeCardVideo(work, name, qrPng, { angle });

/** A browser whose fake camera plays `y4m` (or refuses the camera when `deny`). */
async function openCameraPage(y4m, { deny = false } = {}) {
  const args = [...CHROMIUM_ARGS, '--use-fake-device-for-media-stream'];
  if (!deny) args.push('--use-fake-ui-for-media-stream');
  if (y4m) args.push(`--use-file-for-fake-video-capture=${y4m}`);
  const browser = await chromium.launch({ executablePath: chromiumPath, args });
  const context = await browser.newContext({ viewport: PHONE, deviceScaleFactor: 2, locale: 'zh-CN' });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(server.url);
  await page.waitForSelector('[data-trust="ready"]', { timeout: 30_000 });
  return { page, errors, close: () => browser.close() };
}

/** The photo way in still works: valid.png picked as a photo reads `valid`. */
async function photoGetsItsVerdict(page) {
  await page.setInputFiles('#photo', join(demo, 'valid.png'));
  const result = await page.waitForSelector('.result[data-verdict]', { timeout: 30_000 });
  assert.equal(await result.getAttribute('data-verdict'), 'valid');
}

/** Live video tracks the page still holds (0 once the camera is released). */
function liveTracks(page) {
  return page.evaluate(() => {
    const v = document.querySelector('.viewfinder video');
    const s = v && v.srcObject;
    return s ? s.getTracks().filter((t) => t.readyState === 'live').length : 0;
  });
}

describe('camera scanning with a fake camera', () => {
  for (const name of ['valid', 'expired', 'review_overdue', 'signature_invalid', 'not_a_certificate']) {
    test(`${name}: the card in front of the camera gets its verdict`, async (t) => {
      const cases = JSON.parse(readFileSync(join(demo, 'cases.json'), 'utf8'));
      assert.ok(cases.some((c) => c.file === `${name}.png`), `no ${name}.png in the demo`);
      const y4m = cardVideo(`card-${name}`, join(demo, `${name}.png`));
      const { page, errors, close } = await openCameraPage(y4m);
      try {
        await page.click('[data-action="scan"]');
        const started = Date.now();
        const result = await page.waitForSelector('.result[data-verdict]', { timeout: 20_000 });
        const verdict = await result.getAttribute('data-verdict');
        const headline = (await result.$eval('h2', (h) => h.textContent)).trim();
        t.diagnostic(`${name}: ${verdict} after ${Date.now() - started} ms | ${headline}`);
        assert.equal(verdict, name);
        assert.equal(await result.getAttribute('data-source'), 'offline');
        // Decoding ran in the decoder worker, not on the page's thread.
        assert.ok(page.workers().some((w) => w.url().endsWith('/decoder-worker.js')), 'no decoder worker');
        // After a result the camera is released.
        await page.waitForSelector('[data-camera="off"]', { timeout: 5_000 });
        assert.equal(await liveTracks(page), 0);
        assert.deepEqual(errors, []);
      } finally {
        await close();
      }
    });
  }

  test('unknown_key: the card goes online on its own after one trust-list refresh', async (t) => {
    const y4m = cardVideo('card-unknown', join(demo, 'unknown_key.png'));
    const { page, errors, close } = await openCameraPage(y4m);
    try {
      const lookups = [];
      page.on('request', (r) => { if (r.url().includes('/v1/lookup')) lookups.push(r.method()); });
      await page.click('[data-action="scan"]');
      const result = await page.waitForSelector('.result[data-verdict]', { timeout: 20_000 });
      assert.equal(await result.getAttribute('data-verdict'), 'unknown_key');
      const online = await page.waitForSelector('.result [data-lookup][data-source="online"]', { timeout: 20_000 });
      const answer = await online.getAttribute('data-lookup');
      t.diagnostic(`unknown_key → online: ${answer} | ${(await online.textContent()).trim().slice(0, 60)}`);
      // The demo registry does not hold the unlisted issuer's certificate.
      assert.equal(answer, 'not_found');
      assert.deepEqual(lookups, ['POST']);
      assert.deepEqual(errors, []);
    } finally {
      await close();
    }
  });

  test('crew mode: one round across camera runs flags a card whose code was already seen; the record exports as CSV', async (t) => {
    const profile = mkdtempSync(join(work, 'profile-'));
    // Each run is a new browser on the same profile (the round and the
    // record are kept on the device), its fake camera showing one card.
    const run = async (name, expectEntries) => {
      const y4m = cardVideo(`crew-${name}`, join(demo, `${name}.png`));
      const context = await chromium.launchPersistentContext(profile, {
        executablePath: chromiumPath,
        args: [...CHROMIUM_ARGS, '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream',
          `--use-file-for-fake-video-capture=${y4m}`],
        viewport: PHONE,
        locale: 'zh-CN',
        acceptDownloads: true,
      });
      const page = context.pages()[0] ?? await context.newPage();
      const errors = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(server.url);
      await page.waitForSelector('[data-trust="ready"]', { timeout: 30_000 });
      await page.click('[data-action="crew"]');
      assert.equal(await page.getAttribute('[data-action="crew"]', 'aria-pressed'), 'true');
      await page.click('[data-action="scan"]');
      await page.waitForSelector(`.crew-round[data-entries="${expectEntries}"]`, { timeout: 20_000 });
      // The card stays in front of the camera: it is not counted again,
      // and the camera stays on for the next worker.
      await page.waitForTimeout(1_500);
      assert.equal(await page.getAttribute('.crew-round', 'data-entries'), String(expectEntries));
      assert.equal(await page.getAttribute('[data-camera]', 'data-camera'), 'on');
      assert.deepEqual(errors, []);
      return { context, page };
    };
    let last;
    for (const [name, n] of [['valid', 1], ['review_due_soon', 2], ['valid', 3]]) {
      if (last) await last.context.close();
      last = await run(name, n);
    }
    const { context, page } = last;
    try {
      const flagged = await page.$$eval('.crew-entry[data-flag]', (els) => els.map((e) => [e.getAttribute('data-flag'), e.textContent]));
      t.diagnostic(`round: 3 entries, flagged: ${JSON.stringify(flagged)}`);
      assert.equal(await page.getAttribute('.crew-round', 'data-flagged'), '1');
      assert.equal(flagged.length, 1);
      assert.equal(flagged[0][0], 'repeat');
      assert.match(flagged[0][1], /第 1 条/);

      // The inspection record: every check, exported without full ID numbers.
      assert.equal(await page.getAttribute('.record', 'data-record-count'), '3');
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.click('[data-action="export-record"]'),
      ]);
      const csv = readFileSync(await download.path(), 'utf8');
      const rows = csv.trim().split('\r\n');
      t.diagnostic(`${download.suggestedFilename()}: ${rows.length - 1} rows; ${rows[1]}`);
      assert.match(rows[0], /time_china,verdict,type,category,item,number_masked,trust_list_version,payload_sha256/);
      assert.equal(rows.length, 4);
      assert.deepEqual(rows.slice(1).map((r) => r.split(',')[1]), ['valid', 'review_due_soon', 'valid']);
      for (const r of rows.slice(1)) assert.match(r, /,\*{14}[\dX]{4},1,[0-9a-f]{32}$/);
      // No field is a full ID number (the payload hash is hex: a run of
      // digits inside it is not a number).
      for (const field of csv.split(/[,\r\n]/)) {
        assert.doesNotMatch(field, /^\d{17}[\dX]$/, 'no full ID number in the export');
      }
      assert.doesNotMatch(csv, /(^|[^0-9a-f])\d{17}[\dX]([^0-9a-f]|$)/m, 'no full ID number in the export');
      // Clearing asks first, then empties the record.
      page.once('dialog', (d) => d.accept());
      await page.click('[data-action="clear-record"]');
      await page.waitForSelector('.record[data-record-count="0"]');
      // Ending the round (camera stopped first: the card is still in view,
      // and would open the next round) empties the list.
      await page.click('[data-action="stop"]');
      await page.click('[data-action="end-round"]');
      assert.equal(await page.$('.crew-round'), null);
    } finally {
      await context.close();
    }
  });

  test('a decoder crash restarts the worker and scanning goes on', async (t) => {
    const y4m = cardVideo('card-crash', join(demo, 'valid.png'));
    const args = [...CHROMIUM_ARGS, '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream',
      `--use-file-for-fake-video-capture=${y4m}`];
    const browser = await chromium.launch({ executablePath: chromiumPath, args });
    try {
      const context = await browser.newContext({ viewport: PHONE, locale: 'zh-CN' });
      // The first decoder worker dies on its first frame, as a wasm panic
      // kills it (the worker's instance aborts and it reports an error);
      // later workers are left alone.
      await context.addInitScript(() => {
        const Real = window.Worker;
        window.__workersStarted = 0;
        window.Worker = class extends Real {
          constructor(...args) {
            super(...args);
            window.__workersStarted += 1;
            if (window.__workersStarted === 1) {
              this.postMessage = () => {
                this.terminate();
                setTimeout(() => this.dispatchEvent(new ErrorEvent('error', { message: 'RuntimeError: unreachable (test)' })), 0);
              };
            }
          }
        };
      });
      const page = await context.newPage();
      const warnings = [];
      page.on('console', (m) => { warnings.push(`${m.type()}: ${m.text()}`); });
      await page.goto(server.url);
      await page.waitForSelector('[data-trust="ready"]', { timeout: 30_000 });
      await page.click('[data-action="scan"]');
      const result = await page.waitForSelector('.result[data-verdict]', { timeout: 20_000 });
      assert.equal(await result.getAttribute('data-verdict'), 'valid');
      const started = await page.evaluate(() => window.__workersStarted);
      t.diagnostic(`workers started: ${started}; ${warnings.find((w) => w.includes('decoder restarted')) ?? ''}`);
      assert.ok(started >= 2, 'the worker was started again');
      assert.ok(warnings.some((w) => w.includes('decoder restarted')), warnings.join(' / '));
    } finally {
      await browser.close();
    }
  });

  test('control: a card with no QR code gives no verdict', async (t) => {
    const y4m = cardVideo('card-blank', null);
    const { page, errors, close } = await openCameraPage(y4m);
    try {
      await page.click('[data-action="scan"]');
      await page.waitForSelector('[data-camera="on"]', { timeout: 15_000 });
      // Frames are decoded while we wait; none may produce a verdict.
      await page.waitForTimeout(4_000);
      assert.equal(await page.$('[data-verdict]'), null);
      assert.equal(await page.getAttribute('[data-camera]', 'data-camera'), 'on');
      assert.equal(await liveTracks(page), 1);
      t.diagnostic('no verdict after 4 s of frames, camera still on');
      // Hidden page (another app, locked screen): the camera is released,
      // and taken back when the page is shown again.
      const setHidden = (hidden) => page.evaluate((h) => {
        Object.defineProperty(document, 'hidden', { value: h, configurable: true });
        Object.defineProperty(document, 'visibilityState', { value: h ? 'hidden' : 'visible', configurable: true });
        document.dispatchEvent(new Event('visibilitychange'));
      }, hidden);
      await setHidden(true);
      await page.waitForSelector('[data-camera="paused"]', { timeout: 5_000 });
      assert.equal(await liveTracks(page), 0);
      await setHidden(false);
      await page.waitForSelector('[data-camera="on"]', { timeout: 15_000 });
      assert.equal(await liveTracks(page), 1);
      t.diagnostic('hidden: camera released; visible again: camera back on');
      // Stopping releases the camera.
      await page.click('[data-action="stop"]');
      await page.waitForSelector('[data-camera="off"]');
      assert.equal(await liveTracks(page), 0);
      assert.deepEqual(errors, []);
    } finally {
      await close();
    }
  });

  test('a camera that stops mid-scan says so, keeps what was typed, and opens again', async (t) => {
    const y4m = cardVideo('card-blank-ended', null);
    const { page, errors, close } = await openCameraPage(y4m);
    try {
      // Something typed before the camera goes away must survive it.
      await page.fill('#lookup-name', '张三');
      await page.click('[data-action="scan"]');
      await page.waitForSelector('[data-camera="on"]', { timeout: 15_000 });
      await page.waitForTimeout(1_000);
      // The camera goes away as an unplugged or reclaimed one does: its
      // track ends (stopped from outside the widget, no event sent).
      await page.evaluate(() => {
        const v = document.querySelector('.viewfinder video');
        v.srcObject.getVideoTracks()[0].stop();
      });
      const area = await page.waitForSelector('[data-camera-error="ended"]', { timeout: 5_000 });
      const text = (await area.textContent()).trim();
      t.diagnostic(`ended: ${text}`);
      assert.match(text, /摄像头在扫描中停止了/);
      assert.match(text, /照片/);
      assert.equal(await page.getAttribute('[data-camera]', 'data-camera'), 'failed');
      assert.equal(await liveTracks(page), 0);
      assert.equal(await page.$('[data-verdict]'), null);
      assert.equal(await page.inputValue('#lookup-name'), '张三');
      // Scanning again opens the camera again.
      await page.click('[data-action="scan"]');
      await page.waitForSelector('[data-camera="on"]', { timeout: 15_000 });
      assert.equal(await liveTracks(page), 1);
      t.diagnostic('reopened after the track ended');
      // And a photo still gets its verdict.
      await photoGetsItsVerdict(page);
      assert.deepEqual(errors, []);
    } finally {
      await close();
    }
  });

  test('a refused camera explains itself and offers the photo and paste', async (t) => {
    const { page, errors, close } = await openCameraPage(null, { deny: true });
    try {
      await page.click('[data-action="scan"]');
      const area = await page.waitForSelector('[data-camera-error]', { timeout: 15_000 });
      const code = await area.getAttribute('data-camera-error');
      const text = (await area.textContent()).trim();
      t.diagnostic(`denied: ${code} | ${text}`);
      assert.equal(code, 'denied');
      assert.match(text, /未获准使用摄像头/);
      assert.match(text, /照片/);
      assert.ok(await page.$('#photo'), 'the photo input is still there');
      assert.ok(await page.$('#payload'), 'the paste field is still there');
      assert.equal(await page.$('[data-verdict]'), null);
      // The photo way in still works.
      await photoGetsItsVerdict(page);
      assert.deepEqual(errors, []);
    } finally {
      await close();
    }
  });
});
