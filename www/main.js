// Loads the app; everything it shows and decides is in the wasm. A file of
// its own (not inline) so the Content-Security-Policy needs no
// 'unsafe-inline'. Also: the service worker (offline after one visit) and
// the notice of a new version (www/sw.js explains the update rules).
import init, { start } from './pkg/yanzheng_widget.js';

const root = document.getElementById('app');

init().then(() => {
  root.replaceChildren();
  start(root);
}).catch((e) => {
  console.error(e);
  root.querySelector('.boot').textContent =
    '无法在此浏览器中启动核验程序，请更新浏览器后重试。 The checker could not start in this browser; update it and try again.';
});

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
