// Loads the app; everything it shows and decides is in the wasm. A file of
// its own (not inline) so the Content-Security-Policy needs no
// 'unsafe-inline'. Also: the service worker (offline after one visit) and
// the notice of a new version (www/sw.js explains the update rules).
import init, { start } from './pkg/yanzheng_widget.js';

const root = document.getElementById('app');

// The official channels stay open when this page cannot run: the same
// address and number as core's OFFICIAL_SITE and HOTLINE (a Rust test keeps
// them equal).
const OFFICIAL_SITE = 'cx.mem.gov.cn';
const HOTLINE = '12350';

/** A `tag` element saying `zh`, then `en` in a span marked as English. */
function bilingual(tag, zh, en) {
  const el = document.createElement(tag);
  el.textContent = zh;
  const e = document.createElement('span');
  e.lang = 'en';
  e.textContent = ` ${en}`;
  el.append(e);
  return el;
}

/** What the app cannot start without, missing from this browser. */
function missingFeatures() {
  const missing = [];
  if (typeof WebAssembly !== 'object' || typeof WebAssembly.instantiate !== 'function') missing.push('WebAssembly');
  if (typeof Worker !== 'function') missing.push('Web Worker');
  if (!(window.crypto && typeof window.crypto.getRandomValues === 'function')) missing.push('crypto.getRandomValues');
  return missing;
}

/**
 * Instead of a blank page: this browser cannot run the checker, what it
 * lacks, and what still works (the official query platform, the hotline, a
 * newer or the system browser; in WeChat, "open in browser").
 */
function showUnsupported(missing) {
  const wechat = /MicroMessenger/i.test(navigator.userAgent);
  const main = document.createElement('main');
  main.className = 'page';
  const box = document.createElement('section');
  box.className = 'notice tone-unknown';
  box.dataset.state = 'unsupported';
  if (wechat) box.dataset.wechat = 'true';
  const line = (tag, zh, en) => box.appendChild(bilingual(tag, zh, en));
  line('h2', '此浏览器无法运行核验程序。', 'This browser cannot run the checker.');
  if (missing.length) line('p', `缺少：${missing.join('、')}。`, `Missing: ${missing.join(', ')}.`).className = 'detail';
  if (wechat) {
    line('p', '在微信中：点右上角“…”，选择“在浏览器打开”。',
      'In WeChat: tap "…" at the top right and choose "Open in browser".');
  } else {
    line('p', '请更新浏览器，或改用手机自带的浏览器（Safari、Chrome 等）打开本页。',
      'Update the browser, or open this page in the phone\'s own browser (Safari, Chrome).');
  }
  const channels = document.createElement('ul');
  channels.className = 'channels';
  channels.dataset.channels = 'official';
  const site = document.createElement('li');
  site.textContent = '仍可在官方查询平台核验 · Check on the official query platform: ';
  const a = document.createElement('a');
  a.href = `https://${OFFICIAL_SITE}/`;
  a.target = '_blank';
  a.rel = 'noopener noreferrer';
  a.textContent = OFFICIAL_SITE;
  site.append(a);
  const tel = document.createElement('li');
  tel.textContent = '安全生产举报热线 · Work-safety reporting hotline: ';
  const t = document.createElement('a');
  t.href = `tel:${HOTLINE}`;
  t.textContent = HOTLINE;
  tel.append(t);
  channels.append(site, tel);
  box.append(channels);
  main.append(box);
  root.replaceChildren(main);
}

/** Whether `new Worker(url, {type: 'module'})` is understood: a browser
 * that knows module workers reads `type`; the URL is invalid on purpose, so
 * nothing is fetched or started. */
function moduleWorkers() {
  let read = false;
  try {
    // eslint-disable-next-line no-new
    new Worker('http://[', { get type() { read = true; return 'module'; } });
  } catch { /* the URL, as intended */ }
  return read;
}

/** What the app can run without, missing here: [key, zh, en] for each. */
function limitations() {
  const limits = [];
  if (!(navigator.mediaDevices && typeof navigator.mediaDevices.getUserMedia === 'function')) {
    limits.push(['camera', '此浏览器在本页不能打开摄像头：请用拍照核验、粘贴二维码内容或按证号查询。',
      'This browser cannot open the camera on this page: take a photo, paste the code\'s text or look up by number.']);
  }
  if (!moduleWorkers()) {
    limits.push(['decoder', '此浏览器不能识别二维码图像：请粘贴二维码内容或按证号查询，或更新浏览器。',
      'This browser cannot read QR images: paste the code\'s text or look up by number, or update the browser.']);
  }
  if (typeof indexedDB === 'undefined' || indexedDB === null) {
    limits.push(['record', '此浏览器不能保存检查记录（可能是隐私模式）；核验不受影响。',
      'This browser cannot keep the inspection record (private mode?); checking works as usual.']);
  }
  return limits;
}

/** A calm note above the app of what does not work here, and what does. */
function showLimits(limits) {
  const box = document.createElement('section');
  box.className = 'notice tone-unknown limits';
  box.dataset.limits = limits.map(([key]) => key).join(' ');
  for (const [, zh, en] of limits) box.append(bilingual('p', zh, en));
  root.before(box);
}

const missing = missingFeatures();
if (missing.length) {
  showUnsupported(missing);
} else {
  const limits = limitations();
  init().then(() => {
    root.replaceChildren();
    if (limits.length) showLimits(limits);
    start(root);
  }).catch((e) => {
    console.error(e);
    showUnsupported([]);
  });
}

// The build this page runs (from the same cache as the rest of it).
fetch('./pkg/build.js').then((r) => r.text()).then((text) => {
  const m = text.match(/YANZHENG_BUILD = '([0-9a-f]+)'/);
  if (m) document.documentElement.dataset.build = m[1];
}).catch(() => {});

function announceUpdate(registration) {
  if (document.querySelector('.update-notice')) return;
  const box = document.createElement('div');
  box.className = 'update-notice';
  box.dataset.update = 'ready';
  box.setAttribute('role', 'status');
  const text = document.createElement('p');
  text.textContent = '新版本已下载，下次打开时使用。 A new version is ready: it is used the next time you open the checker.';
  const now = document.createElement('button');
  now.type = 'button';
  now.dataset.action = 'update-now';
  now.textContent = '立即使用 · Use it now';
  now.addEventListener('click', () => {
    registration.waiting?.postMessage('yanzheng:activate-update');
  });
  box.append(text, now);
  document.body.append(box);
}

if ('serviceWorker' in navigator) {
  const hadController = Boolean(navigator.serviceWorker.controller);
  navigator.serviceWorker.register('./sw.js', { updateViaCache: 'none' }).then((registration) => {
    const watch = (worker) => {
      if (!worker) return;
      const check = () => {
        // Installed while an older build runs this page: announce, do not swap.
        if (worker.state === 'installed' && navigator.serviceWorker.controller) announceUpdate(registration);
      };
      worker.addEventListener('statechange', check);
      check();
    };
    watch(registration.waiting);
    registration.addEventListener('updatefound', () => watch(registration.installing));
    // Pages left open for days still learn of new versions.
    setInterval(() => registration.update().catch(() => {}), 60 * 60 * 1000);
  }).catch((e) => console.warn('no offline shell:', e));
  // After "use it now" the new worker takes over: reload into the new build.
  navigator.serviceWorker.addEventListener('controllerchange', () => {
    if (hadController) window.location.reload();
  });
}
