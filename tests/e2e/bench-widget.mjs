// Widget figures in a real Chromium with its fake camera (docs/benchmarks.md):
//
//   1. first-load transfer: the files the page needs before it can scan
//      (html, js, wasm, css, the decoder worker) as the server stores them
//      precompressed (gzip -9 for the 250 KB budget, and brotli), and what
//      Chromium actually transfers on a first visit;
//   2. time from the first camera frame holding the card to the verdict on
//      screen, over RUNS runs (a 1280x720 fake camera playing a card with the
//      demo's valid.png at 7 degrees);
//   3. main thread during a 10-second scan of a 1280x720 card without a code
//      (the decoder never succeeds, so it works the whole time): long tasks
//      (over 50 ms) seen by a PerformanceObserver, and decode attempts per
//      second as the widget paces them;
//   4. the decoder worker's own rate on 1280x720 frames, fed back to back;
//   5. per engine (Chromium, WebKitGTK, Firefox ESR over WebDriver, in one
//      run): navigation to a usable scan button (the page's
//      `yanzheng:interactive` mark) and to loaded lists (`yanzheng:trust-ready`),
//      on a first visit (a fresh profile) and a repeat visit (the service
//      worker's copy), and tap to verdict with a card camera
//      (captureStream), over LOAD_RUNS fresh profiles each.
//
//   6. a mobile profile in Chromium (issue 17): no throttling (the same-run
//      reference), CPU 4x with 150 ms latency and 1.6 Mbit/s, and CPU 6x with
//      400 ms and 400 kbit/s (DevTools Emulation.setCPUThrottlingRate and
//      Network.emulateNetworkConditions): a first visit to the usable scan
//      button and to loaded lists, tap to verdict on that first visit (the
//      decoder's download included) and on a repeat visit (service worker),
//      over MOBILE_RUNS fresh profiles; what the first visit transferred; and
//      long tasks at 4x CPU while the camera scans a card without a code.
//
//   YANZHENG_BIN=target/debug/yanzheng node tests/e2e/bench-widget.mjs [--runs N] [--load-runs N] [--mobile-runs N]
//   (BENCH_ENGINES=chromium,firefox narrows part 5; --engines-only runs only part 5,
//   --mobile-only only part 6)
//
// `cargo xtask bench-widget` builds everything first and runs this.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, makeCardVideo, startServer } from './support.mjs';
import { ENGINES, fakeCamera, openSession } from './webdriver.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '../..');
const www = process.env.YANZHENG_WWW ?? join(repo, 'www');
const bin = resolve(process.env.YANZHENG_BIN ?? '');
const chromiumPath = process.env.CHROMIUM ?? '/usr/bin/chromium';
const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 20;
const loadRunsArg = process.argv.indexOf('--load-runs');
const LOAD_RUNS = loadRunsArg > 0 ? Number(process.argv[loadRunsArg + 1]) : 5;
const ENGINES_ONLY = process.argv.includes('--engines-only');
const MOBILE_ONLY = process.argv.includes('--mobile-only');
const mobileRunsArg = process.argv.indexOf('--mobile-runs');
const MOBILE_RUNS = mobileRunsArg > 0 ? Number(process.argv[mobileRunsArg + 1]) : 20;
/** The conditions of issue 17: bytes per second, ms of latency, CPU slowdown. */
const MOBILE = [
  { name: 'no throttling', cpu: 1, net: null },
  { name: 'CPU 4x, 150 ms, 1.6 Mbit/s', cpu: 4, net: { latency: 150, downloadThroughput: 200_000, uploadThroughput: 93_750 } },
  { name: 'CPU 6x, 400 ms, 400 kbit/s', cpu: 6, net: { latency: 400, downloadThroughput: 50_000, uploadThroughput: 50_000 } },
];
const BENCH_ENGINES = (process.env.BENCH_ENGINES ?? 'chromium,webkit,firefox').split(',').filter(Boolean);
const SCAN_SECONDS = 10;
const BUDGET = 250 * 1024;
const PHONE = { width: 390, height: 844 };

const stat = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const at = (q) => s[Math.min(s.length - 1, Math.floor(q * s.length))];
  return { n: s.length, min: s[0], median: at(0.5), p90: at(0.9), max: s[s.length - 1] };
};
const ms = (x) => `${x.toFixed(0)} ms`;

function transferSizes() {
  // The page needs these before it can show anything or verify a pasted
  // code; the decoder's two files come after that (at idle, or at the first scan).
  const page = ['index.html', 'main.js', 'style.css', 'manifest.webmanifest',
    'pkg/yanzheng_widget.js', 'pkg/yanzheng_widget_bg.wasm'];
  const decoder = ['decoder-worker.js', 'pkg/yanzheng_decoder.js', 'pkg/yanzheng_decoder_bg.wasm'];
  const size = (p) => { try { return statSync(join(www, p)).size; } catch { return NaN; } };
  const sum = { raw: 0, gz: 0, br: 0 };
  const line = (label, r, g, b) => console.log(`  ${label.padEnd(30)} ${String(r).padStart(9)} B ${String(g).padStart(9)} B gzip ${String(b).padStart(9)} B br`);
  console.log('widget files as the server stores them (raw, .gz = gzip -9, .br = brotli 11):');
  for (const [group, files] of [['first load (page ready)', page], ['first scan adds (decoder)', decoder]]) {
    for (const f of files) {
      const [r, g, b] = [size(f), size(`${f}.gz`), size(`${f}.br`)];
      sum.raw += r; sum.gz += g; sum.br += b;
      line(f, r, g, b);
    }
    line(`= ${group}`, sum.raw, sum.gz, sum.br);
    if (files === page) {
      const verdict = sum.gz <= BUDGET ? 'within' : 'OVER';
      console.log(`  first load: ${(sum.gz / 1024).toFixed(1)} KiB gzip, ${verdict} the ${BUDGET / 1024} KiB budget`);
    }
  }
  console.log(`  everything, decoder included: ${(sum.gz / 1024).toFixed(1)} KiB gzip, ${(sum.br / 1024).toFixed(1)} KiB brotli`);
}

/** What Chromium actually transfers on a first visit, until the camera scans (its decoder worker loaded). */
async function measuredTransfer(url, y4m) {
  const browser = await cameraBrowser(y4m);
  try {
    const context = await browser.newContext({ viewport: PHONE, locale: 'zh-CN' });
    const seen = [];
    context.on('response', (r) => seen.push(r));
    const page = await context.newPage();
    page.on('response', (r) => { if (!seen.includes(r)) seen.push(r); });
    await page.goto(url);
    await page.waitForSelector('[data-trust="ready"]', { timeout: 30_000 });
    await page.waitForTimeout(1_000);
    const beforeScan = seen.length;
    await page.click('[data-action="scan"]');
    await page.waitForSelector('[data-camera="on"]', { timeout: 15_000 });
    await page.waitForTimeout(3_000);
    const rows = [];
    for (const [i, r] of seen.entries()) {
      const sizes = await r.request().sizes().catch(() => null);
      if (!sizes) continue;
      const byWorker = Boolean(r.request().serviceWorker?.());
      rows.push({
        path: new URL(r.url()).pathname,
        status: r.status(),
        encoding: r.headers()['content-encoding'] ?? '-',
        body: Math.max(0, sizes.responseBodySize),
        when: byWorker ? 'sw' : (i < beforeScan ? 'page' : 'scan'),
      });
    }
    const sum = (when) => rows.filter((r) => r.when === when).reduce((a, r) => a + r.body, 0);
    console.log('first visit in Chromium, measured (bodies as transferred; page = the page loading,');
    console.log('sw = the service worker saving the shell for offline use, scan = after the scan button):');
    for (const row of rows) {
      console.log(`  ${row.when.padEnd(4)} ${row.path.padEnd(34)} ${String(row.status).padStart(3)} ${row.encoding.padEnd(5)} ${String(row.body).padStart(9)} B`);
    }
    console.log(`  page: ${(sum('page') / 1024).toFixed(1)} KiB; service worker: ${(sum('sw') / 1024).toFixed(1)} KiB; `
      + `after the scan button: ${(sum('scan') / 1024).toFixed(1)} KiB; total ${((sum('page') + sum('sw') + sum('scan')) / 1024).toFixed(1)} KiB`);
    await context.close();
  } finally {
    await browser.close();
  }
}

/** Records, in page time, when the video starts playing and when a verdict is on screen. */
function instrument() {
  window.__bench = { playing: null, verdict: null, posts: 0, answers: 0, longTasks: [] };
  document.addEventListener('playing', () => {
    if (window.__bench.playing === null) window.__bench.playing = performance.now();
  }, true);
  new MutationObserver(() => {
    if (window.__bench.verdict === null && document.querySelector('.result[data-verdict]')) {
      window.__bench.verdict = performance.now();
    }
  }).observe(document, { subtree: true, childList: true, attributes: true });
  const Real = window.Worker;
  window.Worker = class extends Real {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', () => { window.__bench.answers += 1; });
    }
    postMessage(...args) {
      window.__bench.posts += 1;
      return super.postMessage(...args);
    }
  };
}

async function cameraBrowser(y4m) {
  return chromium.launch({
    executablePath: chromiumPath,
    args: [...CHROMIUM_ARGS, '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream',
      `--use-file-for-fake-video-capture=${y4m}`],
  });
}

async function openPage(browser, url) {
  const context = await browser.newContext({ viewport: PHONE, deviceScaleFactor: 2, locale: 'zh-CN' });
  await context.addInitScript(instrument);
  const page = await context.newPage();
  await page.goto(url);
  await page.waitForSelector('[data-trust="ready"]', { timeout: 30_000 });
  return { page, close: () => context.close() };
}

async function timeToVerdict(url, y4m) {
  const browser = await cameraBrowser(y4m);
  const times = [];
  try {
    for (let i = 0; i < RUNS; i++) {
      const { page, close } = await openPage(browser, url);
      try {
        await page.click('[data-action="scan"]');
        const result = await page.waitForSelector('.result[data-verdict]', { timeout: 30_000 });
        const verdict = await result.getAttribute('data-verdict');
        if (verdict !== 'valid') throw new Error(`run ${i}: verdict ${verdict}`);
        const b = await page.evaluate(() => window.__bench);
        times.push(b.verdict - b.playing);
      } finally {
        await close();
      }
    }
  } finally {
    await browser.close();
  }
  const s = stat(times);
  console.log(`time from the first frame with the card to the verdict on screen (${s.n} runs, 1280x720):`);
  console.log(`  median ${ms(s.median)}, p90 ${ms(s.p90)}, min ${ms(s.min)}, max ${ms(s.max)} (target: median under 300 ms)`);
}

async function scanWithoutCode(url, y4m) {
  const browser = await cameraBrowser(y4m);
  try {
    const { page, close } = await openPage(browser, url);
    try {
      await page.evaluate(() => {
        new PerformanceObserver((list) => {
          for (const e of list.getEntries()) window.__bench.longTasks.push(Math.round(e.duration));
        }).observe({ type: 'longtask' });
      });
      await page.click('[data-action="scan"]');
      await page.waitForSelector('[data-camera="on"]', { timeout: 15_000 });
      const start = await page.evaluate(() => ({ t: performance.now(), posts: window.__bench.posts, answers: window.__bench.answers, long: window.__bench.longTasks.length }));
      await page.waitForTimeout(SCAN_SECONDS * 1000);
      const end = await page.evaluate(() => ({ t: performance.now(), posts: window.__bench.posts, answers: window.__bench.answers, long: window.__bench.longTasks.slice() }));
      if (await page.$('[data-verdict]')) throw new Error('a verdict from a card without a code');
      const seconds = (end.t - start.t) / 1000;
      const long = end.long.slice(start.long);
      const size = await page.evaluate(() => {
        const v = document.querySelector('.viewfinder video');
        return `${v.videoWidth}x${v.videoHeight}`;
      });
      console.log(`main thread during a ${seconds.toFixed(1)} s scan of a ${size} card without a code:`);
      console.log(`  long tasks over 50 ms: ${long.length}${long.length ? ` (${long.join(', ')} ms)` : ''} (target: 0)`);
      console.log(`  decode attempts: ${end.answers - start.answers} answered = ${((end.answers - start.answers) / seconds).toFixed(1)} per second (paced by the widget: one frame in flight, at most one per 100 ms)`);
      // The decoder worker's own rate: the same frames, back to back.
      const rate = await page.evaluate(async (seconds) => {
        const v = document.querySelector('.viewfinder video');
        const canvas = document.createElement('canvas');
        canvas.width = v.videoWidth;
        canvas.height = v.videoHeight;
        const ctx = canvas.getContext('2d', { willReadFrequently: true });
        ctx.drawImage(v, 0, 0);
        const frame = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
        const worker = new Worker('./decoder-worker.js', { type: 'module' });
        const one = (id) => new Promise((res) => {
          worker.onmessage = ({ data }) => res(data);
          const copy = frame.slice().buffer;
          worker.postMessage({ id, width: canvas.width, height: canvas.height, data: copy }, [copy]);
        });
        await one(0); // loads the wasm
        const times = [];
        const until = performance.now() + seconds * 1000;
        let id = 1;
        while (performance.now() < until) {
          const t0 = performance.now();
          const answer = await one(id++);
          if (answer.crashed) throw new Error(answer.crashed);
          times.push(performance.now() - t0);
        }
        worker.terminate();
        times.sort((a, b) => a - b);
        return { n: times.length, median: times[Math.floor(times.length / 2)], total: times.reduce((a, b) => a + b, 0) };
      }, 5);
      console.log(`  decoder worker fed back to back: ${rate.n} frames in ${(rate.total / 1000).toFixed(1)} s = ${(rate.n * 1000 / rate.total).toFixed(1)} per second, median ${rate.median.toFixed(1)} ms per frame (round trip, frame copy included)`);
    } finally {
      await close();
    }
  } finally {
    await browser.close();
  }
}

/** Waits for the page's user-timing mark `name`: its time since navigation. */
async function markTime(s, name, timeout = 60_000) {
  const end = Date.now() + timeout;
  for (;;) {
    const t = await s.exec((n) => {
      const e = performance.getEntriesByName(n)[0];
      return e ? e.startTime : null;
    }, name).catch(() => null);
    if (t !== null) return t;
    if (Date.now() > end) throw new Error(`${s.label}: no ${name} mark within ${timeout} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Navigation to the page's marks: { interactive, ready } in ms. */
async function visit(s, url) {
  await s.goto('about:blank');
  await s.goto(url);
  return { interactive: await markTime(s, 'yanzheng:interactive'), ready: await markTime(s, 'yanzheng:trust-ready') };
}

/** The scan button tapped (in the page) to the verdict on screen, with `card` in front of the camera. */
async function tapToVerdict(s, card) {
  await fakeCamera(s, card);
  return s.execAsync(() => new Promise((resolve, reject) => {
    const t0 = performance.now();
    const seen = () => document.querySelector('.result[data-verdict]');
    const obs = new MutationObserver(() => {
      const r = seen();
      if (!r) return;
      obs.disconnect();
      const verdict = r.getAttribute('data-verdict');
      if (verdict === 'valid') resolve(performance.now() - t0); else reject(new Error(`verdict ${verdict}`));
    });
    obs.observe(document, { subtree: true, childList: true, attributes: true });
    document.querySelector('[data-action="scan"]').click();
    setTimeout(() => reject(new Error('no verdict in 30 s')), 30_000);
  }));
}

/** Part 5: the load table, every engine in one run. */
async function engineLoadTable(url, card) {
  const rows = [];
  for (const engine of BENCH_ENGINES) {
    const runs = { start: [], firstInteractive: [], firstReady: [], repeatInteractive: [], repeatReady: [], verdict: [] };
    let version = '';
    for (let i = 0; i < LOAD_RUNS; i++) {
      const s = await openSession(engine);
      try {
        version = s.version;
        runs.start.push(s.startMs);
        const first = await visit(s, url);
        await s.execAsync(() => navigator.serviceWorker.ready.then(() => true));
        // The worker takes over the open page (clients.claim); a new visit is served by it.
        const repeat = await visit(s, url);
        const verdict = await tapToVerdict(s, card);
        runs.firstInteractive.push(first.interactive);
        runs.firstReady.push(first.ready);
        runs.repeatInteractive.push(repeat.interactive);
        runs.repeatReady.push(repeat.ready);
        runs.verdict.push(verdict);
      } finally {
        await s.close();
      }
    }
    rows.push({ engine, version, runs });
  }
  const med = (xs) => stat(xs).median;
  console.log(`load per engine (median of ${LOAD_RUNS} fresh profiles each; ms since navigation started; phone-sized window;`);
  console.log('browser start = the driver starting the browser on a fresh profile, before any navigation):');
  console.log(`  ${'engine'.padEnd(26)} ${'browser start'.padStart(14)} ${'first: scan button'.padStart(18)} ${'first: lists ready'.padStart(18)} ${'repeat: button'.padStart(15)} ${'repeat: ready'.padStart(14)} ${'tap to verdict'.padStart(15)}`);
  for (const { engine, version, runs } of rows) {
    const name = `${ENGINES[engine].label} (${version.replace(/^\S+\s*/, '')})`;
    console.log(`  ${name.padEnd(26)} ${ms(med(runs.start)).padStart(14)} ${ms(med(runs.firstInteractive)).padStart(18)} ${ms(med(runs.firstReady)).padStart(18)} ${ms(med(runs.repeatInteractive)).padStart(15)} ${ms(med(runs.repeatReady)).padStart(14)} ${ms(med(runs.verdict)).padStart(15)}`);
  }
  for (const { engine, runs } of rows) {
    console.log(`  ${ENGINES[engine].label} runs: first button ${runs.firstInteractive.map((x) => x.toFixed(0)).join(', ')}; tap to verdict ${runs.verdict.map((x) => x.toFixed(0)).join(', ')}`);
  }
}

/** A page in a fresh context with `cond`'s CPU and network throttling. */
async function throttledPage(browser, cond) {
  const context = await browser.newContext({ viewport: PHONE, deviceScaleFactor: 2, locale: 'zh-CN', isMobile: true, hasTouch: true });
  await context.addInitScript(instrument);
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: cond.cpu });
  await cdp.send('Network.enable');
  if (cond.net) await cdp.send('Network.emulateNetworkConditions', { offline: false, ...cond.net });
  const bytes = { total: 0 };
  cdp.on('Network.loadingFinished', (e) => { bytes.total += e.encodedDataLength; });
  return { context, page, bytes };
}

/** The page's user-timing mark `name` (ms since navigation), waiting for it. */
async function pageMark(page, name) {
  await page.waitForFunction((n) => performance.getEntriesByName(n).length > 0, name, { timeout: 120_000 });
  return page.evaluate((n) => performance.getEntriesByName(n)[0].startTime, name);
}

/** Tap on scan (in the page) to the verdict on screen, in page time. */
async function tapTime(page) {
  await page.evaluate(() => {
    window.__bench.verdict = null;
    window.__bench.tap = performance.now();
    document.querySelector('[data-action="scan"]').click();
  });
  await page.waitForSelector('.result[data-verdict="valid"]', { timeout: 120_000 });
  return page.evaluate(() => window.__bench.verdict - window.__bench.tap);
}

/** Part 6: the mobile profile. */
async function mobileProfile(url, card, blank) {
  const rows = [];
  const browser = await cameraBrowser(card);
  try {
    for (const cond of MOBILE) {
      const r = { cond, firstButton: [], firstReady: [], firstTap: [], repeatButton: [], repeatTap: [], transfer: [] };
      for (let i = 0; i < MOBILE_RUNS; i++) {
        const { context, page, bytes } = await throttledPage(browser, cond);
        try {
          await page.goto(url);
          r.firstButton.push(await pageMark(page, 'yanzheng:interactive'));
          r.firstReady.push(await pageMark(page, 'yanzheng:trust-ready'));
          r.firstTap.push(await tapTime(page));
          // Everything the first visit brought, the service worker's copy included.
          await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
          await page.waitForTimeout(cond.net ? 3_000 : 500);
          r.transfer.push(bytes.total);
          await page.reload();
          r.repeatButton.push(await pageMark(page, 'yanzheng:interactive'));
          await pageMark(page, 'yanzheng:trust-ready');
          r.repeatTap.push(await tapTime(page));
        } finally {
          await context.close();
        }
      }
      rows.push(r);
    }
  } finally {
    await browser.close();
  }
  const med = (xs) => stat(xs).median;
  const span = (xs) => { const x = stat(xs); return `${ms(x.median)} (${x.min.toFixed(0)}-${x.max.toFixed(0)})`; };
  console.log(`mobile profile in Chromium (${MOBILE_RUNS} fresh profiles per condition; median (min-max); first visit = empty cache):`);
  console.log(`  ${'condition'.padEnd(28)} ${'first: scan button'.padStart(22)} ${'first: lists ready'.padStart(20)} ${'first: tap to verdict'.padStart(22)} ${'repeat: scan button'.padStart(22)} ${'repeat: tap to verdict'.padStart(22)} ${'first visit transfer'.padStart(21)}`);
  for (const r of rows) {
    console.log(`  ${r.cond.name.padEnd(28)} ${span(r.firstButton).padStart(22)} ${ms(med(r.firstReady)).padStart(20)} ${span(r.firstTap).padStart(22)} ${span(r.repeatButton).padStart(22)} ${span(r.repeatTap).padStart(22)} ${`${(med(r.transfer) / 1024).toFixed(1)} KiB`.padStart(21)}`);
  }
  // Long tasks at 4x CPU while the camera scans a card without a code.
  const scanBrowser = await cameraBrowser(blank);
  try {
    const { context, page } = await throttledPage(scanBrowser, MOBILE[1]);
    try {
      await page.goto(url);
      await pageMark(page, 'yanzheng:trust-ready');
      await page.evaluate(() => {
        new PerformanceObserver((list) => {
          for (const e of list.getEntries()) window.__bench.longTasks.push(Math.round(e.duration));
        }).observe({ type: 'longtask' });
      });
      await page.click('[data-action="scan"]');
      await page.waitForSelector('[data-camera="on"]', { timeout: 60_000 });
      const before = await page.evaluate(() => window.__bench.longTasks.length);
      await page.waitForTimeout(SCAN_SECONDS * 1000);
      const long = (await page.evaluate(() => window.__bench.longTasks.slice())).slice(before);
      console.log(`  long tasks over 50 ms at 4x CPU during a ${SCAN_SECONDS} s scan without a code: ${long.length}${long.length ? ` (${long.join(', ')} ms)` : ''} (target: 0)`);
    } finally {
      await context.close();
    }
  } finally {
    await scanBrowser.close();
  }
}

async function main() {
  if (!bin) throw new Error('set YANZHENG_BIN to the yanzheng CLI');
  const work = mkdtempSync(join(tmpdir(), 'yanzheng-bench-widget-'));
  let server;
  try {
    const demo = join(work, 'demo');
    execFileSync(bin, ['demo', '--out', demo], { stdio: ['ignore', 'ignore', 'inherit'] });
    server = await startServer(bin, demo, www);
    const size = { width: 1280, height: 720 };
    const withCard = makeCardVideo(work, 'card-valid-720p', join(demo, 'valid.png'), size);
    const blank = makeCardVideo(work, 'card-blank-720p', null, size);
    console.log(`bench-widget: Chromium ${chromium.name()} at ${chromiumPath}, ${new Date().toISOString()}`);
    if (!ENGINES_ONLY && !MOBILE_ONLY) {
      transferSizes();
      await measuredTransfer(server.url, blank);
      await timeToVerdict(server.url, withCard);
      await scanWithoutCode(server.url, blank);
    }
    if (!MOBILE_ONLY) {
      const card = `data:image/png;base64,${readFileSync(join(work, 'card-valid-720p.png')).toString('base64')}`;
      await engineLoadTable(server.url, card);
    }
    if (!ENGINES_ONLY) await mobileProfile(server.url, withCard, blank);
  } finally {
    await server?.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(`bench-widget: ${e.stack ?? e}`);
  process.exit(1);
});
