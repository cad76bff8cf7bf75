// Keeps the app shell (page, styles, script, wasm, decoder worker) so the
// checker opens with no network after the first visit. Network first, so a
// new deployment is picked up at once; the saved shell answers only when the
// network cannot. Trust data is not cached here: the page keeps the newest
// valid signed lists itself and refuses older ones. Bump VERSION when the
// list of shell files changes.
const VERSION = 'yanzheng-shell-v2';
const SHELL = [
  './',
  './index.html',
  './main.js',
  './style.css',
  './decoder-worker.js',
  './pkg/yanzheng_widget.js',
  './pkg/yanzheng_widget_bg.wasm',
];
const shellUrls = new Set(SHELL.map((p) => new URL(p, self.location).href));

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(VERSION).then((c) => c.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(caches.keys().then((keys) =>
    Promise.all(keys.filter((k) => k.startsWith('yanzheng-shell-') && k !== VERSION).map((k) => caches.delete(k)))));
});

self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  url.search = '';
  if (event.request.method !== 'GET' || !shellUrls.has(url.href)) return;
  event.respondWith((async () => {
    const cache = await caches.open(VERSION);
    try {
      const response = await fetch(event.request);
      if (response.ok) await cache.put(url.href, response.clone());
      return response;
    } catch (e) {
      const saved = await cache.match(url.href);
      if (saved) return saved;
      throw e;
    }
  })());
});
