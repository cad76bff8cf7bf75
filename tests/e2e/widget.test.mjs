// The widget in a real browser: the CLI's demo world is served next to www/,
// and each demo QR image, uploaded through the page's file input, must end
// in the verdict it is named after. Run through run.mjs.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { startServer } from './support.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '../..');
const www = join(repo, 'www');
const bin = resolve(process.env.YANZHENG_BIN ?? '');
const chromiumPath = process.env.CHROMIUM ?? '/usr/bin/chromium';
const artifacts = process.env.E2E_ARTIFACTS ?? join(tmpdir(), 'yanzheng-e2e');
const PHONE = { width: 390, height: 844 };

// Flags from docs/toolchain: no sandbox (containers), no GPU, nothing that
// phones home during a test.
const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

let work;      // temp dir: demo world, extra images
let demo;      // the demo world
let cases;     // cases.json: [{file, payload, expect}]
let server;    // { url, stop }
let browser;

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'yanzheng-e2e-'));
  demo = join(work, 'demo');
  execFileSync(bin, ['demo', '--out', demo], { stdio: ['ignore', 'ignore', 'inherit'] });
  cases = JSON.parse(readFileSync(join(demo, 'cases.json'), 'utf8'));
  server = await startServer(bin, demo, www);
  browser = await chromium.launch({ executablePath: chromiumPath, args: CHROMIUM_ARGS });
});

after(async () => {
  await browser?.close();
  await server?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});


/** A page on a phone-sized viewport whose uncaught errors fail the test. */
async function openPage({ failTrustList = false } = {}) {
  const context = await browser.newContext({ viewport: PHONE, deviceScaleFactor: 2, locale: 'zh-CN' });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  if (failTrustList) await page.route('**/trust-list', (route) => route.fulfill({ status: 404, body: 'not found' }));
  await page.goto(server.url);
  await page.waitForSelector(failTrustList ? '[data-trust="failed"]' : '[data-trust="ready"]', { timeout: 30_000 });
  return {
    page,
    context,
    errors,
    close: () => context.close(),
  };
}

const FINISHED = '.result-area:is([data-state="result"], [data-state="no_code"], [data-state="image_unreadable"])';

/** Uploads a file through the page's file input and waits for the outcome. */
async function scanFile(page, path) {
  await page.setInputFiles('#photo', path);
  return outcome(page);
}

async function outcome(page) {
  const area = await page.waitForSelector(FINISHED, { timeout: 30_000 });
  const result = await area.$('.result');
  return {
    state: await area.getAttribute('data-state'),
    verdict: result ? await result.getAttribute('data-verdict') : null,
    source: result ? await result.getAttribute('data-source') : null,
    headline: (await (await area.$('h2'))?.textContent())?.trim() ?? '',
    text: (await area.textContent()).trim(),
  };
}

/** A PNG with a gradient and no QR code (written here: no image tools needed). */
function gradientPng(path, width = 640, height = 480) {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf) => {
    let c = 0xffffffff;
    for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type, data) => {
    const len = Buffer.alloc(4); len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const sum = Buffer.alloc(4); sum.writeUInt32BE(crc(body));
    return Buffer.concat([len, body, sum]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0); ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; ihdr[9] = 2; // 8-bit RGB
  const rows = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    const o = y * (width * 3 + 1);
    for (let x = 0; x < width; x++) {
      rows[o + 1 + x * 3] = (x * 255) / width;
      rows[o + 2 + x * 3] = (y * 255) / height;
      rows[o + 3 + x * 3] = 160;
    }
  }
  writeFileSync(path, Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr), chunk('IDAT', deflateSync(rows)), chunk('IEND', Buffer.alloc(0)),
  ]));
}

describe('demo images', () => {
  test('the demo has an image for every verdict it promises', () => {
    assert.ok(cases.length >= 10, `only ${cases.length} cases`);
    console.error(`server: yanzheng serve at ${server.url}`);
  });

  // One test per image; the list comes from cases.json at run time, so the
  // images are enumerated inside a single test with a subtest each.
  test('each image gets the verdict it is named after', async (t) => {
    for (const c of cases) {
      await t.test(c.file, async (st) => {
        const expected = c.file.replace(/\.png$/, '');
        const { page, errors, close } = await openPage();
        try {
          const got = await scanFile(page, join(demo, c.file));
          st.diagnostic(`${c.file}: ${got.verdict ?? got.state} | ${got.headline}`);
          assert.equal(got.verdict, expected, `${c.file}: ${got.text}`);
          assert.equal(got.verdict, c.expect);
          assert.equal(got.source, 'offline');
          if (expected === 'valid') {
            mkdirSync(artifacts, { recursive: true });
            const shot = join(artifacts, 'valid-390x844.png');
            await page.screenshot({ path: shot });
            st.diagnostic(`screenshot: ${shot}`);
          }
          assert.deepEqual(errors, []);
        } finally {
          await close();
        }
      });
    }
  });
});

describe('other inputs', () => {
  test('pasted payload text is verified like a scan', async (t) => {
    const { page, errors, close } = await openPage();
    try {
      for (const expect of ['valid', 'revoked', 'signature_invalid']) {
        const c = cases.find((x) => x.expect === expect);
        assert.ok(c, `no ${expect} case in cases.json`);
        await page.fill('#payload', c.payload);
        await page.click('button.check');
        await page.waitForSelector(`.result[data-verdict="${expect}"]`, { timeout: 10_000 });
        const got = await outcome(page);
        t.diagnostic(`pasted ${expect}: ${got.verdict} | ${got.headline}`);
        assert.equal(got.verdict, expect);
      }
      assert.deepEqual(errors, []);
    } finally {
      await close();
    }
  });

  test('an image without a QR code says so, with no verdict', async (t) => {
    const png = join(work, 'no-code.png');
    gradientPng(png);
    const { page, errors, close } = await openPage();
    try {
      const got = await scanFile(page, png);
      t.diagnostic(`no-code.png: ${got.state} | ${got.headline}`);
      assert.equal(got.state, 'no_code');
      assert.equal(got.verdict, null);
      assert.equal(await page.$('[data-verdict]'), null);
      assert.match(got.headline, /未找到二维码/);
      assert.deepEqual(errors, []);
    } finally {
      await close();
    }
  });

  test('a file that is not an image says it could not be read', async (t) => {
    const bogus = join(work, 'not-an-image.png');
    writeFileSync(bogus, 'this is not a picture');
    const { page, errors, close } = await openPage();
    try {
      const got = await scanFile(page, bogus);
      t.diagnostic(`not-an-image.png: ${got.state} | ${got.headline}`);
      assert.equal(got.state, 'image_unreadable');
      assert.equal(got.verdict, null);
      assert.match(got.headline, /无法读取/);
      assert.deepEqual(errors, []);
    } finally {
      await close();
    }
  });

  test('without a trust list a genuine card is "no trust data", never "forged"', async (t) => {
    const { page, errors, close } = await openPage({ failTrustList: true });
    try {
      const banner = (await page.textContent('[data-trust]')).trim();
      t.diagnostic(`banner: ${banner}`);
      assert.match(banner, /HTTP 404/);
      assert.match(banner, /不代表证件是假的/);
      const got = await scanFile(page, join(demo, 'valid.png'));
      t.diagnostic(`valid.png without trust list: ${got.verdict} | ${got.headline}`);
      assert.equal(got.verdict, 'unknown_key');
      assert.notEqual(got.verdict, 'signature_invalid');
      assert.match(got.text, /本机尚无信任数据/);
      assert.match(got.text, /不代表证件是假的/);
      assert.doesNotMatch(got.text, /伪造/);
      assert.deepEqual(errors, []);
    } finally {
      await close();
    }
  });

  test('after the first visit the checker works offline, with the saved trust lists', async (t) => {
    const { page, context, errors, close } = await openPage();
    try {
      // The first visit installs the service worker; a page loaded after
      // that is controlled by it.
      await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
      await page.reload();
      await page.waitForSelector('[data-trust="ready"]', { timeout: 30_000 });
      const online = (await page.textContent('[data-trust]')).trim();
      await context.setOffline(true);
      await page.reload();
      const banner = await page.waitForSelector('[data-trust="ready"][data-saved-copy]', { timeout: 30_000 });
      const text = (await banner.textContent()).trim();
      t.diagnostic(`online banner: ${online}`);
      t.diagnostic(`offline banner: ${text}`);
      assert.match(text, /第 \d+ 版/);
      assert.match(text, /本机保存的副本/);
      const got = await scanFile(page, join(demo, 'valid.png'));
      t.diagnostic(`valid.png offline: ${got.verdict} | ${got.headline}`);
      assert.equal(got.verdict, 'valid');
      assert.equal(got.source, 'offline');
      // Every result names the trust list's version and age.
      assert.match(got.text, /信任名单第 \d+ 版，.*签发（.*）/);
      assert.deepEqual(errors, []);
    } finally {
      await close();
    }
  });

  test('manual entry looks the number and name up online, in a POST body', async (t) => {
    const { page, context, errors, close } = await openPage();
    const sent = [];
    // A fixture for the registry's POST /v1/lookup (its API: {number, name}
    // → found | not_found).
    await page.route('**/v1/lookup', async (route) => {
      const req = route.request();
      const body = JSON.parse(req.postData() ?? '{}');
      sent.push({ method: req.method(), url: req.url(), body });
      if (body.number === '11010119900307001X' && body.name === '张三') {
        await route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify({
          status: 'found',
          certificates: [{
            type: 'special_operations',
            title: { zh: '特种作业操作证', en: 'Special operations certificate' },
            cert_id: 7, name_masked: '张*', number_masked: '**************001X',
            category: { code: 1, zh: '电工作业', en: 'Electrical work' },
            item: { code: 2, zh: '低压电工作业', en: 'Low-voltage electrical work' },
            first_issued: '2020-03-01', valid_from: '2020-03-01', valid_until: '2026-03-01',
            review_due: '2023-03-01', issuer: '江苏省应急管理厅', region: 320000,
            revoked: false, updated_at: '2025-01-01T00:00:00Z',
          }],
        }) });
      } else {
        await route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify({
          status: 'not_found',
          message: { zh: '未查到与该证号和姓名相符的证书。新发的证书一般约需3天才能查到。查不到不等于证书是假的。', en: 'Not found.' },
        }) });
      }
    });
    try {
      // A mistyped number is caught before anything is sent.
      await page.fill('#lookup-number', '1101011990');
      await page.fill('#lookup-name', '张三');
      await page.click('[data-action="lookup"]');
      await page.waitForSelector('[data-lookup="invalid"]');
      assert.equal(sent.length, 0);

      await page.fill('#lookup-number', '11010119900307001x');
      await page.click('[data-action="lookup"]');
      const found = await page.waitForSelector('[data-lookup="found"][data-source="online"]', { timeout: 15_000 });
      const text = (await found.textContent()).trim();
      t.diagnostic(`found: ${text.slice(0, 120)}`);
      assert.match(text, /低压电工作业/);
      assert.match(text, /001X/);
      assert.doesNotMatch(text, /11010119900307001X/);
      assert.equal(sent.length, 1);
      assert.equal(sent[0].method, 'POST');
      assert.deepEqual(sent[0].body, { number: '11010119900307001X', name: '张三' });
      assert.doesNotMatch(sent[0].url, /1101|%E5%BC%A0/);

      await page.fill('#lookup-name', '李四');
      await page.click('[data-action="lookup"]');
      const none = await page.waitForSelector('[data-lookup="not_found"]', { timeout: 15_000 });
      const noneText = (await none.textContent()).trim();
      t.diagnostic(`not found: ${noneText.slice(0, 80)}`);
      assert.match(noneText, /3天/);
      assert.doesNotMatch(noneText, /伪造/);

      await context.setOffline(true);
      await page.click('[data-action="lookup"]');
      const offline = await page.waitForSelector('[data-lookup="offline"]', { timeout: 15_000 });
      assert.match((await offline.textContent()).trim(), /没有网络/);
      assert.equal(sent.length, 2, 'nothing is sent while offline');
      assert.deepEqual(errors, []);
    } finally {
      await close();
    }
  });

  test('an unknown key goes to the online lookup with the QR\'s number and name', async (t) => {
    const { page, errors, close } = await openPage();
    const sent = [];
    await page.route('**/v1/lookup', async (route) => {
      sent.push({ method: route.request().method(), body: JSON.parse(route.request().postData() ?? '{}') });
      await route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify({
        status: 'not_found',
        message: { zh: '未查到。新发的证书一般约需3天才能查到。', en: 'Not found.' },
      }) });
    });
    try {
      const got = await scanFile(page, join(demo, 'unknown_key.png'));
      assert.equal(got.verdict, 'unknown_key');
      await page.click('.result [data-action="check-online"]');
      const answer = await page.waitForSelector('[data-lookup="not_found"][data-source="online"]', { timeout: 15_000 });
      t.diagnostic(`unknown_key → online: ${(await answer.textContent()).trim().slice(0, 60)}`);
      assert.equal(sent.length, 1);
      assert.equal(sent[0].method, 'POST');
      assert.match(sent[0].body.number, /^\d{17}[\dX]$/);
      assert.ok(sent[0].body.name.length > 0);
      // The offline verdict stays on screen beside the online answer.
      assert.ok(await page.$('.result[data-verdict="unknown_key"][data-source="offline"]'));
      assert.deepEqual(errors, []);
    } finally {
      await close();
    }
  });

  test('the language switch shows English and is remembered', async (t) => {
    const { page, errors, close } = await openPage();
    try {
      assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN');
      await page.click('button.lang');
      await page.waitForSelector('html[lang="en"]');
      await page.reload();
      await page.waitForSelector('[data-trust="ready"]');
      assert.equal(await page.getAttribute('html', 'lang'), 'en');
      const got = await scanFile(page, join(demo, 'expired.png'));
      t.diagnostic(`expired.png in English: ${got.verdict} | ${got.headline}`);
      assert.equal(got.verdict, 'expired');
      assert.equal(got.headline, 'Certificate expired');
      assert.deepEqual(errors, []);
    } finally {
      await close();
    }
  });
});
