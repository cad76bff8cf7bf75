// Verdict screens as an inspector meets them (issue 14), in zh-CN and
// English: one headline per result, decided by core from the scan and the
// registry's answer; focus and scroll follow a new result; offline is calm;
// official channels where they help; the masked number is never read as
// asterisks; axe-core finds nothing on any verdict screen. Run through run.mjs.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startDemo } from './support.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const AXE_SOURCE = readFileSync(join(here, 'node_modules/axe-core/axe.min.js'), 'utf8');
const PHONE = { width: 390, height: 844 };
const LANGS = ['zh', 'en'];

let world; // startDemo(): demo folder, cases, server, browser
let demo;
let cases;
let server;
let browser;

before(async () => {
  world = await startDemo('verdicts');
  ({ demo, cases, server, browser } = world);
});

after(async () => {
  await world?.stop();
});

/** The demo registry's holders (certificates.csv), by the verdict their card gets. */
function holder(expect) {
  const [head, ...rows] = readFileSync(join(demo, 'certificates.csv'), 'utf8').trim().split('\n');
  const cols = head.split(',');
  const all = rows.map((row) => Object.fromEntries(row.split(',').map((v, i) => [cols[i], v])));
  const byName = { expired: '刘海燕', review_overdue: '王志强', valid: '张建国' };
  const h = all.find((x) => x.name === byName[expect]);
  assert.ok(h, `no ${expect} holder in certificates.csv`);
  return h;
}

/** A phone-sized page in `lang` whose uncaught errors fail the test. */
async function openPage(lang) {
  const context = await browser.newContext({ viewport: PHONE, deviceScaleFactor: 2, locale: 'zh-CN' });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(server.url);
  await page.waitForSelector('[data-trust="ready"]', { timeout: 30_000 });
  if (lang === 'en') {
    await page.click('button.lang');
    await page.waitForFunction(() => document.documentElement.lang === 'en');
  }
  return { page, context, errors, close: () => context.close() };
}

/** axe-core on the page (WCAG 2.x A/AA and best practice): the violations. */
async function axe(page) {
  // Evaluated through the debugging protocol: the page's CSP (rightly)
  // refuses injected script tags.
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.evaluate(AXE_SOURCE);
  return page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  });
}

async function scan(page, file) {
  await page.setInputFiles('#photo', join(demo, file));
  return page.waitForSelector('.result-area[data-state="result"] .result', { timeout: 30_000 });
}

/** The result's headline, outcome code and tone class. */
async function headline(result) {
  return {
    outcome: await result.getAttribute('data-outcome'),
    tone: (await result.getAttribute('class')).split(' ').find((c) => c.startsWith('tone-')),
    words: (await (await result.$('h2')).textContent()).trim(),
    text: (await result.innerText()).trim(),
  };
}

async function lookUp(page, h, name = h.name) {
  await page.fill('#lookup-number', h.number);
  await page.fill('#lookup-name', name);
  await page.click('[data-action="lookup"]');
  return page.waitForSelector('.lookup-answer .result', { timeout: 15_000 });
}

const WORDS = {
  expired: { zh: '证书已过期', en: 'Certificate expired' },
  review_overdue: { zh: '逾期未复审', en: 'Review overdue' },
  registry_contradicts: { zh: '信息被篡改或冒用', en: "Altered, or someone else's certificate" },
  not_in_registry: { zh: '登记库中未查到', en: 'Not found in the registry' },
};

for (const lang of LANGS) {
  describe(`verdict screens (${lang})`, () => {
    test('manual lookup of an expired or review-overdue holder shows that verdict, in red', async (t) => {
      const { page, errors, close } = await openPage(lang);
      try {
        for (const expect of ['expired', 'review_overdue']) {
          const result = await lookUp(page, holder(expect));
          await page.waitForSelector(`.lookup-answer .result[data-outcome="${expect}"]`, { timeout: 15_000 });
          const got = await headline(await page.$('.lookup-answer .result'));
          t.diagnostic(`${expect}: ${got.tone} | ${got.words}`);
          assert.equal(got.outcome, expect);
          assert.equal(got.tone, 'tone-bad');
          assert.equal(got.words, WORDS[expect][lang]);
          assert.equal(await page.$$eval('.lookup-answer .tone-good', (n) => n.length), 0);
          assert.doesNotMatch(await result.innerText(), /✓/);
          // The result takes focus, and the update time is Beijing time.
          assert.equal(await page.evaluate(() => document.activeElement?.closest('.lookup-answer .result') !== null), true);
          assert.match(got.text, lang === 'zh' ? /\d{4}-\d\d-\d\d \d\d:\d\d（北京时间）/ : /\d{4}-\d\d-\d\d \d\d:\d\d Beijing time/);
          assert.doesNotMatch(got.text, /\d\dT\d\d:\d\d:\d\dZ/);
          assert.deepEqual(await axe(page), [], `axe on ${expect} lookup`);
        }
        assert.deepEqual(errors, []);
      } finally {
        await close();
      }
    });

    test('a registry check after an expired scan adds no green tick', async (t) => {
      const { page, errors, close } = await openPage(lang);
      try {
        await scan(page, 'expired.png');
        await page.click('.result [data-action="check-online"]');
        const part = await page.waitForSelector('.result .registry[data-lookup="found"]', { timeout: 20_000 });
        assert.equal(await part.getAttribute('data-match'), 'same');
        const got = await headline(await page.$('.result'));
        t.diagnostic(`expired + registry: ${got.outcome} ${got.tone} | ${got.words}`);
        assert.equal(got.outcome, 'expired');
        assert.equal(got.tone, 'tone-bad');
        assert.equal(await page.$$eval('.result .tone-good, .result.tone-good', (n) => n.length), 0);
        assert.doesNotMatch(got.text, /✓/);
        assert.deepEqual(await axe(page), []);
        assert.deepEqual(errors, []);
      } finally {
        await close();
      }
    });

    test("the altered code's headline is the red contradiction", async (t) => {
      const { page, errors, close } = await openPage(lang);
      try {
        await scan(page, 'unknown_key-altered.png');
        // The key is unknown: the page refreshes the trust list, then asks
        // the registry by itself; the answer decides the headline.
        const result = await page.waitForSelector('.result[data-outcome="registry_contradicts"]', { timeout: 30_000 });
        const got = await headline(result);
        t.diagnostic(`altered: ${got.tone} | ${got.words}`);
        assert.equal(got.tone, 'tone-bad');
        assert.equal(got.words, WORDS.registry_contradicts[lang]);
        const fields = await result.$$eval('.mismatch tr[data-field]', (rows) => rows.map((r) => r.getAttribute('data-field')));
        assert.deepEqual(fields, ['item', 'valid_until']);
        // No second verdict card nested inside, and no stale advice.
        assert.equal(await result.$$eval('.result, .notice', (n) => n.length), 0);
        assert.equal(await result.$$eval('h2', (n) => n.length), 1);
        assert.ok(await result.$('a[href="tel:12350"]'));
        // Announced once, in words: the live region holds the headline, no asterisks.
        const live = await page.$eval('[role="status"][aria-live]', (n) => n.textContent);
        assert.ok(live.includes(WORDS.registry_contradicts[lang]), live);
        assert.doesNotMatch(live, /\*{3}/);
        assert.deepEqual(await axe(page), []);
        assert.deepEqual(errors, []);
      } finally {
        await close();
      }
    });

    test('after scrolling down and scanning again, the new headline is in view and focused', async (t) => {
      const { page, errors, close } = await openPage(lang);
      try {
        await scan(page, 'valid.png');
        await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
        await page.setInputFiles('#photo', join(demo, 'expired.png'));
        await page.waitForSelector('.result[data-verdict="expired"]', { timeout: 30_000 });
        await page.waitForFunction(() => document.activeElement?.matches('.result h2'), null, { timeout: 5_000 });
        const box = await page.evaluate(() => {
          const r = document.activeElement.getBoundingClientRect();
          return { top: r.top, bottom: r.bottom, height: window.innerHeight, text: document.activeElement.textContent };
        });
        t.diagnostic(`focused: ${box.text} at ${Math.round(box.top)}..${Math.round(box.bottom)} of ${box.height}`);
        assert.equal(box.text.trim(), WORDS.expired[lang]);
        assert.ok(box.top >= 0 && box.bottom <= box.height, `headline outside the viewport: ${JSON.stringify(box)}`);
        assert.deepEqual(errors, []);
      } finally {
        await close();
      }
    });

    test('offline is a calm line with the lists\' date, and no raw error', async (t) => {
      const { page, context, errors, close } = await openPage(lang);
      try {
        await context.setOffline(true);
        // An unknown key makes the page refresh the lists, then try the
        // registry: both fail for want of a network.
        await scan(page, 'unknown_key.png');
        const banner = await page.waitForSelector('[data-trust][data-offline="true"]', { timeout: 30_000 });
        const line = (await banner.innerText()).trim();
        t.diagnostic(`banner: ${line}`);
        assert.match(line, lang === 'zh' ? /^离线：使用 \d\d-\d\d 的名单核验（信任名单 .+，撤销名单 .+）/ : /^Offline: checking with the lists of \d\d-\d\d \(trust list .+, revocation list .+\)/);
        const lookup = await page.waitForSelector('.result [data-lookup="offline"]', { timeout: 30_000 });
        assert.match(await lookup.innerText(), lang === 'zh' ? /没有网络连接/ : /no connection/);
        const shown = await page.innerText('main');
        assert.doesNotMatch(shown, /TypeError|Failed to fetch|network error|核验服务暂时无法使用/);
        // The raw error is there for whoever opens the details.
        await banner.$eval('details.tech summary', (s) => s.click());
        assert.match(await banner.innerText(), /network error/);
        assert.deepEqual(await axe(page), []);
        assert.deepEqual(errors, []);
      } finally {
        await close();
      }
    });

    test('forgery and not-found results offer the official site and a tel: link to 12350', async (t) => {
      const { page, errors, close } = await openPage(lang);
      try {
        const forged = await scan(page, 'signature_invalid.png');
        assert.equal(await forged.getAttribute('data-outcome'), 'signature_invalid');
        for (const where of ['.result-area', '.lookup-answer']) {
          if (where === '.lookup-answer') {
            const none = await lookUp(page, holder('valid'), '李四');
            assert.equal(await none.getAttribute('data-outcome'), 'not_in_registry');
            assert.equal((await (await none.$('h2')).textContent()).trim(), WORDS.not_in_registry[lang]);
          }
          const site = await page.$(`${where} .result a[href="https://cx.mem.gov.cn/"]`);
          const tel = await page.$(`${where} .result a[href="tel:12350"]`);
          assert.ok(site, `${where}: no link to the official site`);
          assert.ok(tel, `${where}: no tel:12350 link`);
          const box = await tel.boundingBox();
          assert.ok(box.height >= 44, `tel link is ${box.height}px high`);
        }
        t.diagnostic('official site and tel:12350 on the forgery and the not-found result');
        assert.deepEqual(await axe(page), []);
        assert.deepEqual(errors, []);
      } finally {
        await close();
      }
    });

    test('the masked number is read as its last four digits, never as asterisks', async (t) => {
      const { page, errors, close } = await openPage(lang);
      try {
        await scan(page, 'valid.png');
        const snapshot = await page.locator('.result .number').ariaSnapshot();
        t.diagnostic(snapshot.replace(/\n/g, ' | '));
        assert.doesNotMatch(snapshot, /\*/);
        assert.match(snapshot, lang === 'zh' ? /证号末四位 \d \d \d [\dX]/ : /ID number ending \d \d \d [\dX]/);
        const reveal = await page.$('.result [data-action="reveal-number"]');
        assert.ok((await reveal.boundingBox()).height >= 44, 'reveal button under 44 px');
        assert.deepEqual(errors, []);
      } finally {
        await close();
      }
    });

    test('axe-core finds no violation on any verdict screen', async (t) => {
      const { page, errors, close } = await openPage(lang);
      try {
        for (const c of cases) {
          await scan(page, c.file);
          await page.waitForSelector(`.result[data-verdict="${c.expect}"]`, { timeout: 30_000 });
          // Wait out any automatic refresh and lookup (an unknown key).
          await page.waitForFunction(() => !document.querySelector('.progress'), null, { timeout: 30_000 });
          const violations = await axe(page);
          t.diagnostic(`${c.file}: ${violations.length} violations`);
          assert.deepEqual(violations, [], c.file);
        }
        assert.deepEqual(errors, []);
      } finally {
        await close();
      }
    });
  });
}
