// The app shell, offline and one version at a time.
//
// pkg/build.js (written by `cargo xtask build-widget`) names the build: a
// hash of the shell files. Any new deployment changes it, which changes this
// worker (browsers compare imported scripts too; the page registers with
// updateViaCache: 'none'), so the browser installs the new worker in the
// background. The new worker fetches the whole new shell into a cache of its
// own and then waits: the page keeps running on the old worker, which
// answers only from the old cache, so the JS and the wasm of one build are
// never mixed. The page announces the update; it takes effect the next time
// the checker is opened (or at once, if the person asks). Trust data is not
// cached here: the page keeps the newest valid signed lists itself and
// refuses older ones.
importScripts('./pkg/build.js');

const BUILD = self.YANZHENG_BUILD || 'unbuilt';
const CACHE = `yanzheng-shell-${BUILD}`;
const SHELL = [
  './',
  './main.js',
  './style.css',
  './decoder-worker.js',
  './manifest.webmanifest',
  './pkg/build.js',
  './pkg/yanzheng_widget.js',
  './pkg/yanzheng_widget_bg.wasm',
  './pkg/yanzheng_decoder.js',
  './pkg/yanzheng_decoder_bg.wasm',
  './icons/icon-192.png',
  './icons/icon-512.png',
  './icons/maskable-512.png',
  './icons/apple-touch-icon.png',
];
const shellUrls = new Set(SHELL.map((p) => new URL(p, self.location).href));
const page = new URL('./', self.location).href;
const indexHtml = new URL('./index.html', self.location).href;

self.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    // Revalidated with the server (a file the page just loaded comes back as
    // a bodiless 304), never taken unchecked from the HTTP cache: one build,
    // whole.
    await cache.addAll(SHELL.map((p) => new Request(p, { cache: 'no-cache' })));
    // The first install has no page running an older build: take over now.
    if (!self.registration.active) await self.skipWaiting();
  })());
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    const keys = await caches.keys();
    await Promise.all(keys.filter((k) => k.startsWith('yanzheng-shell-') && k !== CACHE).map((k) => caches.delete(k)));
    await self.clients.claim();
  })());
});

self.addEventListener('message', (event) => {
  // "Use the new version now": the page reloads once this worker is in charge.
  if (event.data === 'yanzheng:activate-update') self.skipWaiting();
});

self.addEventListener('fetch', (event) => {
  if (event.request.method !== 'GET') return;
  const url = new URL(event.request.url);
  url.search = '';
  url.hash = '';
  // The page itself, with or without a query (?embed=1...), is the shell's page.
  const key = url.href === indexHtml ? page : url.href;
  if (!shellUrls.has(key)) return;
  event.respondWith((async () => {
    const cache = await caches.open(CACHE);
    const saved = await cache.match(key);
    if (saved) return saved;
    // Not cached (the install is still running): the network, as without us.
    return fetch(event.request);
  })());
});
