// The widget in a real browser: the CLI's demo world is served next to www/,
// and each demo QR image, uploaded through the page's file input, must end
// in the verdict it is named after. Run through run.mjs.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { startDemo } from './support.mjs';

const artifacts = process.env.E2E_ARTIFACTS ?? join(tmpdir(), 'yanzheng-e2e');
const PHONE = { width: 390, height: 844 };


let work;      // temp dir: demo world, extra images
let demo;      // the demo world
let cases;     // cases.json: [{file, payload, expect}]
let server;    // { url, stop }
let browser;

let world;     // startDemo(): all of the above, and stop()

before(async () => {
  world = await startDemo('e2e');
  ({ work, demo, cases, server, browser } = world);
});

after(async () => {
  await world?.stop();
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

/** Which comes first on the page: the photo section or the live camera. */
function photoCameraOrder(page) {
  return page.evaluate(() => {
    const photo = document.querySelector('section.scan');
    const camera = document.querySelector('[data-camera]');
    return photo.compareDocumentPosition(camera) & Node.DOCUMENT_POSITION_FOLLOWING ? 'photo first' : 'camera first';
  });
}

/** The holders the demo registry holds: certificates.csv as {name, number, item}. */
function registryHolders() {
  const [head, ...rows] = readFileSync(join(demo, 'certificates.csv'), 'utf8').trim().split('\n');
  const cols = head.split(',');
  return rows.map((row) => Object.fromEntries(row.split(',').map((v, i) => [cols[i], v])));
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
        // valid.png → valid; unknown_key-altered.png → unknown_key.
        const expected = c.file.replace(/(-[a-z]+)?\.png$/, '');
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

  test('a pasted image (a screenshot of an e-certificate) is scanned like a photo', async (t) => {
    const { page, errors, close } = await openPage();
    try {
      const png = readFileSync(join(demo, 'revoked.png')).toString('base64');
      // What the browser does on Ctrl+V / long-press "paste" with an image on
      // the clipboard: a paste event whose clipboardData holds the file.
      await page.evaluate(async (b64) => {
        const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
        const data = new DataTransfer();
        data.items.add(new File([bytes], 'screenshot.png', { type: 'image/png' }));
        document.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
      }, png);
      const got = await outcome(page);
      t.diagnostic(`pasted revoked.png: ${got.verdict} | ${got.headline}`);
      assert.equal(got.verdict, 'revoked');
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

  test('a HEIC photo this browser cannot read says how to get one it can', async (t) => {
    const { page, errors, close } = await openPage();
    try {
      // The start of a HEIC file (an ISO-BMFF "ftyp heic" box): Chromium
      // on Linux has no HEIC decoder, as many browsers have none.
      const heic = Buffer.concat([Buffer.from([0, 0, 0, 24]), Buffer.from('ftypheic\0\0\0\0mif1heic', 'latin1'), Buffer.alloc(64)]);
      await page.setInputFiles('#photo', { name: 'IMG_0001.HEIC', mimeType: 'image/heic', buffer: heic });
      const got = await outcome(page);
      t.diagnostic(`IMG_0001.HEIC: ${got.state} | ${got.text.slice(0, 200)}`);
      assert.equal(got.state, 'image_unreadable');
      assert.match(got.text, /HEIC/);
      assert.match(got.text, /JPEG/);
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
      assert.doesNotMatch(got.text, /伪造/);
      // The page asks the registry by itself; the record, not the signature,
      // decides the headline, and the result says the signature went unchecked.
      const result = await page.waitForSelector('.result:has(.registry[data-lookup="found"])', { timeout: 20_000 });
      assert.equal(await result.getAttribute('data-outcome'), 'valid');
      assert.equal(await result.getAttribute('data-basis'), 'registry');
      const text = await result.innerText();
      t.diagnostic(`then: ${text.slice(0, 80)}`);
      assert.match(text, /签名未能在本机核验/);
      assert.doesNotMatch(text, /伪造/);
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
      assert.match(text, /离线：使用 \d\d-\d\d 的名单核验/);
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

  test('manual entry asks the real registry, in a POST body, and explains every answer', async (t) => {
    const { page, context, errors, close } = await openPage();
    const sent = [];
    page.on('request', (r) => {
      if (r.url().includes('/v1/lookup')) sent.push({ method: r.method(), url: r.url(), body: JSON.parse(r.postData() ?? '{}') });
    });
    // The registry (serve --demo) holds certificates.csv.
    const [holder] = registryHolders();
    try {
      // A mistyped number is caught before anything is sent: the shape...
      await page.fill('#lookup-number', '1101011990');
      await page.fill('#lookup-name', holder.name);
      await page.click('[data-action="lookup"]');
      await page.waitForSelector('[data-lookup="invalid"]');
      // ...and the check digit.
      const wrongDigit = holder.number.slice(0, 17) + (holder.number[17] === '1' ? '2' : '1');
      await page.fill('#lookup-number', wrongDigit);
      await page.click('[data-action="lookup"]');
      const digit = await page.waitForSelector('[data-lookup="invalid"]');
      assert.match((await digit.textContent()).trim(), /校验码/);
      assert.equal(sent.length, 0);

      await page.fill('#lookup-number', holder.number.toLowerCase());
      await page.click('[data-action="lookup"]');
      const found = await page.waitForSelector('[data-lookup="found"][data-source="online"]', { timeout: 15_000 });
      const text = (await found.textContent()).trim();
      t.diagnostic(`found: ${text.slice(0, 120)}`);
      assert.match(text, new RegExp(holder.item));
      assert.match(text, new RegExp(holder.number.slice(-4)));
      assert.doesNotMatch(text, new RegExp(holder.number));
      assert.equal(sent.length, 1);
      assert.equal(sent[0].method, 'POST');
      assert.deepEqual(sent[0].body, { number: holder.number, name: holder.name });
      assert.doesNotMatch(sent[0].url, new RegExp(`${holder.number.slice(0, 6)}|%E5`));

      // Another name under the same number: not found, never "fake".
      await page.fill('#lookup-name', '李四');
      await page.click('[data-action="lookup"]');
      const none = await page.waitForSelector('[data-lookup="not_found"]', { timeout: 15_000 });
      const noneText = (await none.textContent()).trim();
      t.diagnostic(`not found: ${noneText.slice(0, 80)}`);
      assert.match(noneText, /3 ?天/);
      assert.doesNotMatch(noneText, /伪造/);

      // A name with an invisible character (as pasted from a web page): the
      // registry's own rules (core's) refuse it before anything is sent, and
      // the field is marked.
      await page.fill('#lookup-name', '张\u200b三');
      await page.click('[data-action="lookup"]');
      const refused = await page.waitForSelector('[data-lookup="invalid"]', { timeout: 15_000 });
      const refusedText = (await refused.textContent()).trim();
      t.diagnostic(`refused: ${refusedText.slice(0, 80)}`);
      assert.match(refusedText, /姓名/);
      assert.equal(await page.getAttribute('#lookup-name', 'aria-invalid'), 'true');
      assert.equal(sent.length, 2, 'a refused name is not sent');

      await page.fill('#lookup-name', holder.name);
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

  test('an unknown key refreshes the trust list once, then asks the registry on its own', async (t) => {
    const { page, errors, close } = await openPage();
    const sent = [];
    let trustFetches = 0;
    page.on('request', (r) => {
      if (r.url().includes('/v1/lookup')) sent.push(JSON.parse(r.postData() ?? '{}'));
      if (r.url().endsWith('/trust-list')) trustFetches += 1;
    });
    try {
      const before = trustFetches;
      const got = await scanFile(page, join(demo, 'unknown_key.png'));
      assert.equal(got.verdict, 'unknown_key');
      // Neither the newest trust list nor the registry knows this issuer:
      // "not found" is explained (new certificates take days), never "fake".
      await page.waitForSelector('.result [data-lookup="not_found"][data-source="online"]', { timeout: 20_000 });
      // One headline: not in the registry (a caution), never "fake".
      const result = await page.$('.result[data-outcome="not_in_registry"]');
      assert.ok(result, 'the headline is not_in_registry');
      const text = (await result.innerText()).trim();
      t.diagnostic(`unknown_key → online: ${text.slice(0, 80)}`);
      assert.match(text, /3 天/);
      assert.doesNotMatch(text, /伪造|假证/);
      assert.equal(trustFetches - before, 1, 'one trust-list refresh before going online');
      assert.equal(sent.length, 1);
      assert.match(sent[0].number, /^\d{17}[\dX]$/);
      assert.ok(sent[0].name.length > 0);
      assert.ok(!registryHolders().some((h) => h.number === sent[0].number));
      // The offline verdict stays on screen beside the online answer.
      assert.ok(await page.$('.result[data-verdict="unknown_key"][data-source="offline"]'));
      assert.deepEqual(errors, []);
    } finally {
      await close();
    }
  });

  test('"check live status" on a genuine card: the registry agrees with the QR code', async (t) => {
    const { page, errors, close } = await openPage();
    const sent = [];
    page.on('request', (r) => { if (r.url().includes('/v1/lookup')) sent.push(JSON.parse(r.postData() ?? '{}')); });
    try {
      const got = await scanFile(page, join(demo, 'valid.png'));
      assert.equal(got.verdict, 'valid');
      assert.equal(sent.length, 0, 'a verified card is not looked up unless asked');
      await page.click('.result [data-action="check-online"]');
      const answer = await page.waitForSelector('.result [data-lookup="found"][data-source="online"]', { timeout: 20_000 });
      t.diagnostic(`valid → online: ${(await answer.textContent()).trim().slice(0, 60)}`);
      assert.equal(await answer.getAttribute('data-match'), 'same');
      assert.deepEqual(sent.map((b) => b.number), [registryHolders()[0].number]);
      assert.deepEqual(errors, []);
    } finally {
      await close();
    }
  });

  test('a copied card with altered facts is flagged against the registry', async (t) => {
    const { page, errors, close } = await openPage();
    try {
      const got = await scanFile(page, join(demo, 'unknown_key-altered.png'));
      assert.equal(got.verdict, 'unknown_key');
      const answer = await page.waitForSelector('.result [data-lookup="found"]', { timeout: 20_000 });
      assert.equal(await answer.getAttribute('data-match'), 'differs');
      const fields = await answer.$$eval('tr[data-field]', (rows) => rows.map((r) => r.getAttribute('data-field')));
      t.diagnostic(`differs on: ${fields.join(', ')}`);
      assert.deepEqual(fields, ['item', 'valid_until']);
      const text = (await (await page.$('.result')).innerText()).trim();
      assert.match(text, /不一致/);
      assert.match(text, /12350/);
      // The "check live status" button asks again, on demand.
      await page.click('.result [data-action="check-online"]');
      await page.waitForSelector('.result [data-lookup="found"][data-match="differs"]', { timeout: 20_000 });
      assert.deepEqual(errors, []);
    } finally {
      await close();
    }
  });

  test('a trust list that is garbage or never arrives: the page says so and keeps working', async (t) => {
    // First visit with a garbage list: no trust data, never "forged".
    const context = await browser.newContext({ viewport: PHONE, locale: 'zh-CN' });
    try {
      const page = await context.newPage();
      const errors = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.route('**/trust-list', (route) => route.fulfill({
        status: 200, contentType: 'application/octet-stream', body: Buffer.from('\u00d9\u00f7 not a list at all'.repeat(50)),
      }));
      await page.goto(server.url);
      await page.waitForSelector('[data-trust="failed"]', { timeout: 30_000 });
      const banner = (await page.textContent('[data-trust]')).trim();
      t.diagnostic(`garbage list: ${banner.slice(0, 100)}`);
      const got = await scanFile(page, join(demo, 'valid.png'));
      assert.equal(got.verdict, 'unknown_key');
      assert.doesNotMatch(got.text, /伪造/);
      assert.deepEqual(errors, []);
      await page.unroute('**/trust-list');

      // A good visit saves the lists; then the list hangs: after the timeout
      // the saved copy answers and scanning works.
      await page.reload();
      await page.waitForSelector('[data-trust="ready"]', { timeout: 30_000 });
      await page.route('**/trust-list', () => { /* never answered */ });
      const started = Date.now();
      await page.reload();
      await page.waitForSelector('[data-trust="ready"][data-saved-copy="true"]', { timeout: 30_000 });
      t.diagnostic(`hanging list: saved copy in use after ${Date.now() - started} ms`);
      assert.match((await page.textContent('[data-trust]')).trim(), /10 s/);
      const again = await scanFile(page, join(demo, 'valid.png'));
      assert.equal(again.verdict, 'valid');
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  test('a huge file is refused with a reason, and the page goes on', async (t) => {
    const { page, errors, close } = await openPage();
    try {
      await page.setInputFiles('#photo', { name: 'huge.png', mimeType: 'image/png', buffer: Buffer.alloc(45_000_000, 0x89) });
      const got = await outcome(page);
      t.diagnostic(`45 MB file: ${got.state} | ${got.text.slice(0, 80)}`);
      assert.equal(got.state, 'image_unreadable');
      assert.match(got.text, /45 MB/);
      const after = await scanFile(page, join(demo, 'expired.png'));
      assert.equal(after.verdict, 'expired');
      assert.deepEqual(errors, []);
    } finally {
      await close();
    }
  });

  test('the inspection record keeps a check for 90 days, then deletes it', async (t) => {
    const { page, context, errors, close } = await openPage();
    try {
      assert.equal(await page.$eval('[data-setting="record-days"]', (s) => s.value), '90');
      assert.match(await page.textContent('.record'), /保留 90 天/);
      const got = await scanFile(page, join(demo, 'valid.png'));
      assert.equal(got.verdict, 'valid');
      await page.waitForSelector('.record[data-record-count="1"]', { timeout: 10_000 });
      // 89 days later the check is still there...
      const later = async (days) => {
        await context.addInitScript((offset) => {
          const realNow = Date.now.bind(Date);
          Date.now = () => realNow() + offset;
        }, days * 86_400_000);
        await page.reload();
        await page.waitForSelector('[data-trust]', { timeout: 30_000 });
        await page.waitForSelector('.record[data-record-count]', { timeout: 10_000 });
        await page.waitForTimeout(500);
        return page.getAttribute('.record', 'data-record-count');
      };
      assert.equal(await later(89), '1');
      // ...and two days after that (91 days) it is gone.
      assert.equal(await later(2), '0');
      // A shorter period is remembered.
      await page.selectOption('[data-setting="record-days"]', '30');
      await page.reload();
      await page.waitForSelector('[data-trust]', { timeout: 30_000 });
      assert.equal(await page.$eval('[data-setting="record-days"]', (s) => s.value), '30');
      t.diagnostic('record: kept at 89 days, deleted at 91, the 30-day choice remembered');
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

describe('browsers that cannot run the checker', () => {
  const WECHAT_UA = 'Mozilla/5.0 (Linux; Android 13; V2148A Build/TP1A.220624.014; wv) AppleWebKit/537.36 '
    + '(KHTML, like Gecko) Version/4.0 Chrome/116.0.0.0 Mobile Safari/537.36 XWEB/1160065 MMWEBSDK/20231202 '
    + 'MMWEBID/2247 MicroMessenger/8.0.47.2560(0x28002F30) WeChat/arm64 Weixin NetType/4G Language/zh_CN ABI/arm64';

  /** A phone page whose browser has no WebAssembly (an old WebView, say). */
  async function withoutWasm(userAgent) {
    const context = await browser.newContext({ viewport: PHONE, locale: 'zh-CN', ...(userAgent ? { userAgent } : {}) });
    await context.addInitScript(() => { delete globalThis.WebAssembly; });
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(server.url);
    const notice = await page.waitForSelector('[data-state="unsupported"]', { timeout: 30_000 });
    return { page, context, errors, notice };
  }

  test('no WebAssembly: what is missing and the official channels, not a blank page', async (t) => {
    const { context, errors, notice } = await withoutWasm();
    try {
      const text = await notice.textContent();
      t.diagnostic(`notice: ${text}`);
      assert.match(text, /此浏览器无法运行核验程序/);
      assert.match(text, /This browser cannot run the checker/);
      assert.match(text, /WebAssembly/);
      assert.match(text, /更新浏览器/);
      assert.equal(await notice.$eval('a[href^="https://"]', (a) => a.getAttribute('href')), 'https://cx.mem.gov.cn/');
      assert.equal(await notice.$eval('a[href^="tel:"]', (a) => a.getAttribute('href')), 'tel:12350');
      assert.equal(await notice.getAttribute('data-wechat'), null);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  test('no camera and no IndexedDB here: a calm note of what still works, and the checker works', async (t) => {
    const context = await browser.newContext({ viewport: PHONE, locale: 'zh-CN' });
    // An http page on a LAN address has no navigator.mediaDevices; private
    // modes of some browsers have no IndexedDB.
    await context.addInitScript(() => {
      Object.defineProperty(Navigator.prototype, 'mediaDevices', { get: () => undefined, configurable: true });
      Object.defineProperty(window, 'indexedDB', { get: () => undefined, configurable: true });
    });
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    try {
      await page.goto(server.url);
      await page.waitForSelector('[data-trust="ready"]', { timeout: 30_000 });
      const note = await page.waitForSelector('[data-limits]', { timeout: 10_000 });
      const text = await note.textContent();
      t.diagnostic(`limits: ${await note.getAttribute('data-limits')} | ${text}`);
      assert.equal(await note.getAttribute('data-limits'), 'camera record');
      assert.match(text, /不能打开摄像头/);
      assert.match(text, /不能保存检查记录/);
      assert.doesNotMatch(text, /不能识别二维码图像/, 'this Chromium has module workers');
      // What still works: a photo and a pasted code.
      const got = await scanFile(page, join(demo, 'valid.png'));
      assert.equal(got.verdict, 'valid');
      const c = cases.find((x) => x.expect === 'revoked');
      await page.fill('#payload', c.payload);
      await page.click('button.check');
      await page.waitForSelector('.result[data-verdict="revoked"]', { timeout: 10_000 });
      // The camera button, tapped anyway, explains itself.
      await page.click('[data-action="scan"]');
      await page.waitForSelector('[data-camera="failed"]', { timeout: 10_000 });
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  test('inside WeChat the notice says how to open the page in the browser', async (t) => {
    const { context, errors, notice } = await withoutWasm(WECHAT_UA);
    try {
      const text = await notice.textContent();
      t.diagnostic(`WeChat notice: ${text}`);
      assert.equal(await notice.getAttribute('data-wechat'), 'true');
      assert.match(text, /在浏览器打开/);
      assert.match(text, /Open in browser/);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  test('a WeChat browser that can run the checker leads with the photo, and takes the text WeChat\'s scanner showed', async (t) => {
    const context = await browser.newContext({ viewport: PHONE, locale: 'zh-CN', userAgent: WECHAT_UA });
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    try {
      await page.goto(server.url);
      await page.waitForSelector('[data-trust="ready"]', { timeout: 30_000 });
      // The photo button comes before the live camera, with the way out of WeChat.
      const order = await photoCameraOrder(page);
      assert.equal(order, 'photo first');
      assert.equal(await page.getAttribute('section.scan', 'data-wechat'), 'true');
      assert.match(await page.textContent('[data-note="wechat"]'), /在浏览器打开/);
      assert.equal(await page.getAttribute('#photo', 'accept'), 'image/*');
      assert.equal(await page.getAttribute('#photo', 'capture'), 'environment');
      const got = await scanFile(page, join(demo, 'valid.png'));
      t.diagnostic(`WeChat user agent, valid.png: ${got.verdict}`);
      assert.equal(got.verdict, 'valid');
      // WeChat's own scanner shows the code's text, wrapped; copied from
      // there it keeps its line breaks. The paste field says what it is.
      assert.match(await page.textContent('#paste-hint'), /扫一扫/);
      for (const expect of ['valid', 'revoked']) {
        const c = cases.find((x) => x.expect === expect);
        const wrapped = `${c.payload.match(/.{1,28}/g).join('\n')}\n`;
        await page.fill('#payload', wrapped);
        await page.click('button.check');
        await page.waitForSelector(`.result[data-verdict="${expect}"]`, { timeout: 10_000 });
        t.diagnostic(`pasted with line breaks: ${expect}`);
      }
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  test('outside WeChat the live camera comes first and no WeChat note shows', async () => {
    const { page, errors, close } = await openPage();
    try {
      assert.equal(await page.$('[data-note="wechat"]'), null);
      const order = await photoCameraOrder(page);
      assert.equal(order, 'camera first');
      assert.deepEqual(errors, []);
    } finally {
      await close();
    }
  });
});
