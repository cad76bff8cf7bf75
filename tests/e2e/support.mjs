// Shared helpers of the end-to-end tests.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** Chromium flags (docs/toolchain): no sandbox (containers), no GPU, nothing
 * that phones home during a test. */
export const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

/**
 * Writes DIR/NAME.y4m (4:2:0, even size) for Chromium's fake camera: a card
 * (a header band, a photo box, text bars) on a `width`x`height` background
 * and, if `qrPng` is given, that QR code on white, turned by `angle` degrees.
 */
export function makeCardVideo(dir, name, qrPng, { angle = 7, width = 960, height = 600 } = {}) {
  const png = join(dir, `${name}.png`);
  const y4m = join(dir, `${name}.y4m`);
  const card = 'drawbox=x=0:y=0:w=960:h=90:color=0x0b3a75:t=fill,'
    + 'drawbox=x=40:y=140:w=160:h=200:color=0xb0b8c4:t=fill,'
    + 'drawbox=x=230:y=150:w=200:h=18:color=0x556070:t=fill,'
    + 'drawbox=x=230:y=200:w=160:h=18:color=0x556070:t=fill';
  const rad = `${angle}*PI/180`;
  const args = ['-loglevel', 'error', '-y', '-f', 'lavfi', '-i', `color=c=0xdfe8f2:s=${width}x${height}`];
  if (qrPng) {
    args.push('-i', qrPng, '-filter_complex',
      `[1]format=rgba,scale=380:380,pad=420:420:20:20:white,rotate=${rad}:c=none:ow=rotw(${rad}):oh=roth(${rad})[q];`
      + `[0]${card}[bg];[bg][q]overlay=480:110`);
  } else {
    args.push('-vf', card);
  }
  args.push('-frames:v', '1', png);
  execFileSync('ffmpeg', args);
  execFileSync('ffmpeg', ['-loglevel', 'error', '-y', '-i', png, '-frames:v', '1',
    '-pix_fmt', 'yuv420p', '-f', 'yuv4mpegpipe', y4m]);
  return y4m;
}

/**
 * Starts `BIN serve --demo DEMO --www WWW --addr 127.0.0.1:0 [EXTRA...]` and
 * resolves once it prints its URL (and, with `--demo-portal`, the portal's),
 * with `{ url, portalUrl, stop }`.
 */
export function startServer(bin, demo, www, extra = []) {
  const wantPortal = extra.includes('--demo-portal');
  return new Promise((resolvePromise, reject) => {
    const child = spawn(bin, ['serve', '--demo', demo, '--www', www, '--addr', '127.0.0.1:0', ...extra], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    let done = false;
    const timer = setTimeout(() => { child.kill(); reject(new Error('no URL printed within 30 s')); }, 30_000);
    child.stdout.on('data', (d) => {
      out += d;
      const url = out.match(/serving (http:\/\/127\.0\.0\.1:\d+\/)/);
      const portal = out.match(/employer portal demo at (http:\/\/[^\s]+\/)/);
      if (done || !url || (wantPortal && !portal)) return;
      done = true;
      clearTimeout(timer);
      resolvePromise({
        url: url[1],
        portalUrl: portal ? portal[1] : null,
        stop: () => new Promise((r) => {
          if (child.exitCode !== null || child.signalCode !== null) { r(); return; }
          child.once('exit', r);
          child.kill();
        }),
      });
    });
    child.stderr.on('data', (d) => { err += d; });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`yanzheng serve exited with ${code}: ${err.trim()}`));
    });
    child.on('error', (e) => { clearTimeout(timer); reject(e); });
  });
}

/**
 * A demo world (`yanzheng demo`, dated today) in a fresh folder named after
 * `prefix`, served with www/ by `yanzheng serve --demo`, and Chromium:
 * resolves to `{ work, demo, cases, server, browser, stop }`.
 */
export async function startDemo(prefix) {
  const bin = resolve(process.env.YANZHENG_BIN ?? '');
  const work = mkdtempSync(join(tmpdir(), `yanzheng-${prefix}-`));
  const demo = join(work, 'demo');
  execFileSync(bin, ['demo', '--out', demo], { stdio: ['ignore', 'ignore', 'inherit'] });
  const cases = JSON.parse(readFileSync(join(demo, 'cases.json'), 'utf8'));
  const server = await startServer(bin, demo, join(repo, 'www'));
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: CHROMIUM_ARGS,
  });
  const stop = async () => {
    await browser.close();
    await server.stop();
    rmSync(work, { recursive: true, force: true });
  };
  return { work, demo, cases, server, browser, stop };
}
