// The installable app and its updates, in Chromium: a manifest with icons,
// and a service worker that fetches a new deployment in the background,
// announces it, keeps the running page on one build (never the new JS with
// the old wasm), and switches on the next start or when asked. The server
// serves a copy of www/ that the test "deploys" new builds into. Run through
// run.mjs.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { appendFileSync, cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, startServer } from './support.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const bin = resolve(process.env.YANZHENG_BIN ?? '');
const chromiumPath = process.env.CHROMIUM ?? '/usr/bin/chromium';

let work;
let www;
let server;
let browser;

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'yanzheng-pwa-'));
  const demo = join(work, 'demo');
  execFileSync(bin, ['demo', '--out', demo], { stdio: ['ignore', 'ignore', 'inherit'] });
  www = join(work, 'www');
  cpSync(join(resolve(here, '../..'), 'www'), www, { recursive: true });
  server = await startServer(bin, demo, www);
  browser = await chromium.launch({ executablePath: chromiumPath, args: CHROMIUM_ARGS });
});

after(async () => {
  await browser?.close();
  await server?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

/** A new deployment: another build id, and a changed widget script. */
function deploy(id) {
  writeFileSync(join(www, 'pkg/build.js'), `self.YANZHENG_BUILD = '${id}';\n`);
  appendFileSync(join(www, 'pkg/yanzheng_widget.js'), `\n// deployed build ${id}\n`);
  // The precompressed copies are of the old files: a deployment replaces them.
  for (const f of ['pkg/build.js', 'pkg/yanzheng_widget.js']) {
    for (const ext of ['.gz', '.br']) rmSync(join(www, f + ext), { force: true });
  }
}

/** A page controlled by the service worker, with its running build id. */
async function openControlled(context) {
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(server.url);
  await page.waitForSelector('[data-trust="ready"]', { timeout: 30_000 });
  await page.waitForFunction(() => Boolean(navigator.serviceWorker.controller), null, { timeout: 30_000 });
  await page.waitForFunction(() => Boolean(document.documentElement.dataset.build), null, { timeout: 10_000 });
  return { page, errors };
}

const build = (page) => page.evaluate(() => document.documentElement.dataset.build);
const scriptHas = (page, marker) => page.evaluate(async (m) => (await (await fetch('./pkg/yanzheng_widget.js')).text()).includes(m), marker);

describe('installable app and updates', () => {
  test('a manifest with icons makes it installable', async (t) => {
    const context = await browser.newContext();
    try {
      const { page } = await openControlled(context);
      const href = await page.getAttribute('link[rel="manifest"]', 'href');
      const manifest = await page.evaluate(async (h) => (await fetch(h)).json(), href);
      t.diagnostic(`manifest: ${manifest.name}, ${manifest.display}, ${manifest.icons.length} icons`);
      assert.equal(manifest.display, 'standalone');
      assert.equal(manifest.start_url, './');
      assert.ok(manifest.icons.some((i) => i.sizes === '192x192'));
      assert.ok(manifest.icons.some((i) => i.sizes === '512x512' && i.purpose === 'maskable'));
      for (const icon of manifest.icons) {
        const { status, type, bytes } = await page.evaluate(async (src) => {
          const r = await fetch(src);
          return { status: r.status, type: r.headers.get('content-type'), bytes: (await r.arrayBuffer()).byteLength };
        }, icon.src);
        assert.equal(status, 200, icon.src);
        assert.match(type, /image\/png/, icon.src);
        assert.ok(bytes > 100, icon.src);
      }
    } finally {
      await context.close();
    }
  });

  test('a new deployment is fetched in the background, announced, and used on the next start', async (t) => {
    const context = await browser.newContext();
    try {
      const { page, errors } = await openControlled(context);
      const first = await build(page);
      deploy('b0000000000000b1');
      // The browser checks for a new worker on navigation.
      await page.reload();
      await page.waitForSelector('[data-update="ready"]', { timeout: 30_000 });
      await page.waitForSelector('[data-trust="ready"]', { timeout: 30_000 });
      // Still the old build, whole: the new script is not served to it.
      assert.equal(await build(page), first);
      assert.equal(await scriptHas(page, 'deployed build b0000000000000b1'), false);
      // A verdict still works on the old build while the new one waits.
      await page.fill('#payload', 'https://fake.example/q?id=1');
      await page.click('form.paste button[type="submit"]');
      await page.waitForSelector('.result[data-verdict="not_a_certificate"]', { timeout: 10_000 });
      assert.deepEqual(errors, []);
      await page.close();

      // Next start: the waiting worker takes over, with the whole new build.
      let next;
      let id;
      for (let i = 0; i < 20; i++) {
        next = await openControlled(context);
        id = await build(next.page);
        if (id === 'b0000000000000b1') break;
        await next.page.close();
        await new Promise((r) => setTimeout(r, 500));
      }
      t.diagnostic(`build ${first} → ${id}`);
      assert.equal(id, 'b0000000000000b1');
      assert.equal(await scriptHas(next.page, 'deployed build b0000000000000b1'), true);
      assert.equal(await next.page.$('[data-update="ready"]'), null);
    } finally {
      await context.close();
    }
  });

  test('"use it now" switches to the new build at once', async (t) => {
    const context = await browser.newContext();
    try {
      const { page } = await openControlled(context);
      const before = await build(page);
      deploy('c0000000000000c1');
      await page.reload();
      await page.waitForSelector('[data-update="ready"]', { timeout: 30_000 });
      await Promise.all([
        page.waitForEvent('load', { timeout: 30_000 }),
        page.click('[data-action="update-now"]'),
      ]);
      await page.waitForFunction(() => document.documentElement.dataset.build === 'c0000000000000c1', null, { timeout: 30_000 });
      t.diagnostic(`build ${before} → c0000000000000c1 on request`);
      assert.equal(await scriptHas(page, 'deployed build c0000000000000c1'), true);
    } finally {
      await context.close();
    }
  });
});
