// A small W3C WebDriver client and the three engines the cross-engine suite
// drives through it: Chromium (chromedriver), WebKitGTK (WebKitWebDriver
// with MiniBrowser, under Xvfb) and Firefox ESR (geckodriver). Each engine's
// driver is started here on a free port and stopped with its session.
// Only the commands the tests use are here; see docs/toolchain notes in
// README "Browsers" for the capabilities.
import { spawn, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir } from 'node:os';
import { join } from 'node:path';

const ELEMENT = 'element-6066-11e4-a52e-4f735466cecf';

/** What each engine needs: its driver, how to start it, its capabilities. */
export const ENGINES = {
  chromium: {
    label: 'Chromium',
    driver: () => process.env.CHROMEDRIVER ?? '/usr/bin/chromedriver',
    args: (port) => [`--port=${port}`],
    capabilities: () => ({
      browserName: 'chrome',
      'goog:chromeOptions': {
        binary: process.env.CHROMIUM ?? '/usr/bin/chromium',
        args: [
          '--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-quic',
          '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync',
          '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', '--window-size=390,844',
        ],
      },
    }),
  },
  webkit: {
    label: 'WebKitGTK',
    driver: () => process.env.WEBKITWEBDRIVER ?? '/usr/bin/WebKitWebDriver',
    // MiniBrowser has no headless mode: the driver runs under Xvfb.
    wrap: 'xvfb-run',
    args: (port) => [`--port=${port}`],
    capabilities: () => ({
      // No browserName: WebKitWebDriver refuses "MiniBrowser".
      'webkitgtk:browserOptions': {
        binary: process.env.MINIBROWSER ?? '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser',
        // Giving args replaces the defaults, so --automation is ours to pass.
        args: ['--automation', '--enable-mock-capture-devices=true'],
      },
    }),
  },
  firefox: {
    label: 'Firefox ESR',
    driver: () => process.env.GECKODRIVER ?? geckodriverPath(),
    args: (port) => ['--port', String(port)],
    capabilities: () => ({
      browserName: 'firefox',
      'moz:firefoxOptions': {
        binary: process.env.FIREFOX ?? '/usr/lib/firefox-esr/firefox-esr',
        args: ['-headless', '-width', '390', '-height', '844'],
        prefs: {
          'media.navigator.streams.fake': true,
          'media.navigator.permission.disabled': true,
          // Nothing that phones home during a test.
          'app.update.enabled': false,
          'browser.shell.checkDefaultBrowser': false,
          'datareporting.policy.dataSubmissionEnabled': false,
          'toolkit.telemetry.enabled': false,
        },
      },
    }),
  },
};

function geckodriverPath() {
  const cargoBin = join(process.env.CARGO_HOME ?? join(homedir(), '.cargo'), 'bin', 'geckodriver');
  return existsSync(cargoBin) ? cargoBin : 'geckodriver';
}

/** Why `engine` cannot run here, or null if its driver and browser exist. */
export function missing(engine) {
  const e = ENGINES[engine];
  const driver = e.driver();
  if (driver.includes('/') && !existsSync(driver)) return `${driver} not found`;
  if (!driver.includes('/')) {
    try { execFileSync('which', [driver], { stdio: 'ignore' }); } catch { return `${driver} not on PATH`; }
  }
  if (e.wrap) {
    try { execFileSync('which', [e.wrap], { stdio: 'ignore' }); } catch { return `${e.wrap} not on PATH`; }
  }
  return null;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Starts `engine`'s driver and opens a session: resolves to a Session. */
export async function openSession(engine) {
  const e = ENGINES[engine];
  const port = await freePort();
  const cmd = e.wrap ? e.wrap : e.driver();
  const args = e.wrap ? ['-a', e.driver(), ...e.args(port)] : e.args(port);
  const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'], detached: true });
  let log = '';
  child.stderr.on('data', (d) => { log = (log + d).slice(-4000); });
  const base = `http://127.0.0.1:${port}`;
  const kill = () => { try { process.kill(-child.pid, 'SIGTERM'); } catch { /* gone */ } };
  for (let i = 0; ; i++) {
    try {
      const r = await fetch(`${base}/status`);
      if (r.ok) break;
    } catch { /* not listening yet */ }
    if (i > 150 || child.exitCode !== null) {
      kill();
      throw new Error(`${e.label}: driver did not start: ${log.trim()}`);
    }
    await sleep(100);
  }
  const started = Date.now();
  let created;
  try {
    created = await command(base, 'POST', '/session', { capabilities: { alwaysMatch: e.capabilities() } }, 90_000);
  } catch (err) {
    kill();
    throw new Error(`${e.label}: no session: ${err.message} ${log.trim()}`);
  }
  return new Session(engine, base, created.sessionId, created.capabilities ?? {}, kill, Date.now() - started);
}

async function command(base, method, path, body, timeout = 60_000) {
  const r = await fetch(base + path, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(timeout),
  });
  const json = await r.json().catch(() => ({}));
  if (!r.ok) {
    const v = json.value ?? {};
    throw new Error(`${method} ${path}: ${v.error ?? r.status}: ${(v.message ?? '').split('\n')[0]}`);
  }
  return json.value;
}

/** One browser session. */
export class Session {
  constructor(engine, base, id, capabilities, kill, startMs) {
    this.engine = engine;
    this.label = ENGINES[engine].label;
    this.base = base;
    this.id = id;
    this.capabilities = capabilities;
    this.kill = kill;
    this.startMs = startMs;
  }

  /** The browser's name and version, as the driver reports them. */
  get version() {
    return `${this.capabilities.browserName ?? this.label} ${this.capabilities.browserVersion ?? ''}`.trim();
  }

  cmd(method, path, body, timeout) {
    return command(this.base, method, `/session/${this.id}${path}`, body, timeout);
  }

  goto(url) { return this.cmd('POST', '/url', { url }); }

  refresh() { return this.cmd('POST', '/refresh', {}); }

  /** Runs `fn` (a function, its source sent) in the page with `args`. */
  exec(fn, ...args) {
    return this.cmd('POST', '/execute/sync', { script: `return (${fn}).apply(null, arguments);`, args });
  }

  /** As exec, for a function returning a promise. */
  execAsync(fn, ...args) {
    return this.cmd('POST', '/execute/async', {
      script: `const done = arguments[arguments.length - 1];
        Promise.resolve((${fn}).apply(null, Array.from(arguments).slice(0, -1)))
          .then((v) => done({ ok: v }), (e) => done({ err: String(e && e.message || e) }));`,
      args,
    }).then((r) => {
      if (r && 'err' in r) throw new Error(r.err);
      return r ? r.ok : undefined;
    });
  }

  async find(css) {
    const el = await this.cmd('POST', '/element', { using: 'css selector', value: css });
    return el[ELEMENT];
  }

  /** Waits until `css` matches; returns the element's attributes asked for. */
  async waitFor(css, { timeout = 30_000, attrs = [] } = {}) {
    const until = Date.now() + timeout;
    for (;;) {
      const got = await this.exec((sel, names) => {
        const el = document.querySelector(sel);
        if (!el) return null;
        return { text: el.textContent.trim(), attrs: Object.fromEntries(names.map((n) => [n, el.getAttribute(n)])) };
      }, css, attrs).catch(() => null);
      if (got) return got;
      if (Date.now() > until) {
        const state = await this.exec(() => document.body ? document.body.innerText.slice(0, 300) : '').catch((e) => e.message);
        throw new Error(`${this.label}: ${css} did not appear in ${timeout} ms; page: ${state}`);
      }
      await sleep(100);
    }
  }

  /** Picks `path` in the file input `css` (the driver reads the local file). */
  async pickFile(css, path) {
    const el = await this.find(css);
    await this.cmd('POST', `/element/${el}/value`, { text: path });
  }

  async click(css) {
    const el = await this.find(css);
    await this.cmd('POST', `/element/${el}/click`, {});
  }

  /** Switches into the iframe matched by `css` (or back to the top with null). */
  async frame(css) {
    if (css === null) return this.cmd('POST', '/frame', { id: null });
    const el = await this.find(css);
    return this.cmd('POST', '/frame', { id: { [ELEMENT]: el } });
  }

  async close() {
    try { await this.cmd('DELETE', '', undefined, 20_000); } catch { /* the driver goes anyway */ }
    this.kill();
  }
}

/**
 * Puts a camera that films the picture `dataUrl` (a card) in place of
 * getUserMedia, in every engine: a canvas drawing it, as a
 * `captureStream()`. The page's own camera code runs unchanged on it;
 * `window.__camera.opened` counts the streams handed out.
 */
export function fakeCamera(s, dataUrl) {
  return s.execAsync(async (src) => {
    const img = new Image();
    img.src = src;
    await img.decode();
    window.__camera = { opened: 0 };
    navigator.mediaDevices.getUserMedia = async () => {
      // A fresh canvas and stream each time: the page stops the tracks it is done with.
      const c = document.createElement('canvas');
      c.width = img.naturalWidth;
      c.height = img.naturalHeight;
      const g = c.getContext('2d');
      const draw = () => g.drawImage(img, 0, 0);
      draw();
      const timer = setInterval(draw, 100);
      const stream = c.captureStream(15);
      stream.getVideoTracks()[0].addEventListener('ended', () => clearInterval(timer));
      window.__camera.opened += 1;
      return stream;
    };
    return true;
  }, dataUrl);
}
