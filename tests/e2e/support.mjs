// Shared helpers of the end-to-end tests.
import { spawn } from 'node:child_process';

/**
 * Starts `BIN serve --demo DEMO --www WWW --addr 127.0.0.1:0` and resolves once
 * it prints its URL, with `{ url, stop }`.
 */
export function startServer(bin, demo, www) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(bin, ['serve', '--demo', demo, '--www', www, '--addr', '127.0.0.1:0'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    const timer = setTimeout(() => { child.kill(); reject(new Error('no URL printed within 30 s')); }, 30_000);
    child.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/http:\/\/127\.0\.0\.1:\d+\//);
      if (m) {
        clearTimeout(timer);
        resolvePromise({
          url: m[0],
          stop: () => new Promise((r) => {
            if (child.exitCode !== null || child.signalCode !== null) { r(); return; }
            child.once('exit', r);
            child.kill();
          }),
        });
      }
    });
    child.stderr.on('data', (d) => { err += d; });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`yanzheng serve exited with ${code}: ${err.trim()}`));
    });
    child.on('error', (e) => { clearTimeout(timer); reject(e); });
  });
}
