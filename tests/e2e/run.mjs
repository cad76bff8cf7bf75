// Runs the browser end-to-end tests (*.test.mjs; engines.test.mjs on
// Chromium, WebKitGTK and Firefox ESR) with node's test runner
// and the TAP reporter, so the output ends in `# pass N` / `# fail N`.
// Exits non-zero if anything failed.
//
//   YANZHENG_BIN=target/debug/yanzheng node tests/e2e/run.mjs
//
// Needs: www/pkg built (cargo xtask build-widget), `npm ci` here, and
// /usr/bin/chromium (override with CHROMIUM), and for engines.test.mjs the
// drivers webdriver.mjs names (E2E_ENGINES narrows it). Screenshots go to
// E2E_ARTIFACTS (default: $TMPDIR/yanzheng-e2e).
import { run } from 'node:test';
import { tap } from 'node:test/reporters';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '../..');

const problems = [];
if (!process.env.YANZHENG_BIN) problems.push('set YANZHENG_BIN to the yanzheng CLI binary');
else if (!existsSync(process.env.YANZHENG_BIN)) problems.push(`YANZHENG_BIN not found: ${process.env.YANZHENG_BIN}`);
if (!existsSync(join(repo, 'www/pkg/yanzheng_widget.js'))) problems.push('www/pkg is missing: run cargo xtask build-widget');
if (!existsSync(join(here, 'node_modules/playwright-core'))) problems.push('playwright-core is missing: run npm ci in tests/e2e');
if (problems.length) {
  for (const p of problems) console.error(`e2e: ${p}`);
  process.exit(2);
}

let failed = false;
const stream = run({
  files: [join(here, 'widget.test.mjs'), join(here, 'camera.test.mjs'), join(here, 'embed.test.mjs'), join(here, 'pwa.test.mjs'), join(here, 'revocation.test.mjs'), join(here, 'verdicts.test.mjs'), join(here, 'engines.test.mjs')],
  concurrency: 1,
  timeout: 10 * 60_000,
});
stream.on('test:fail', () => { failed = true; });
stream.compose(tap).pipe(process.stdout);
stream.on('end', () => { process.exitCode = failed ? 1 : 0; });
