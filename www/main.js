// Loads the app; everything it shows and decides is in the wasm. A file of
// its own (not inline) so the Content-Security-Policy needs no
// 'unsafe-inline'.
import init, { start } from './pkg/yanzheng_widget.js';

const root = document.getElementById('app');
// Offline after the first visit: the service worker keeps the app shell.
if ('serviceWorker' in navigator) {
  navigator.serviceWorker.register('./sw.js').catch((e) => console.warn('no offline shell:', e));
}
init().then(() => {
  root.replaceChildren();
  start(root);
}).catch((e) => {
  console.error(e);
  root.querySelector('.boot').textContent =
    '无法在此浏览器中启动核验程序，请更新浏览器后重试。 The checker could not start in this browser; update it and try again.';
});
