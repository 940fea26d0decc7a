/* The member card's service worker, served as /liff/sw.js (scope /liff/). The build (liff-app/vite.config.ts)
 * puts the list of the hashed app shell files and a version in place of the two markers below.
 *
 * What it keeps: the app shell only (index.html, the hashed JS/CSS, the demo logo). Never an API answer: /api/ is
 * outside the scope, so a member's data never reaches CacheStorage; the last member code view lives in the page's
 * own storage, which the page clears on 刪除我的資料, logout and a change of LINE user.
 */
const VERSION = '__HUIGO_SW_VERSION__';
const SHELL = JSON.parse('__HUIGO_SW_PRECACHE__');
const CACHE = `huigo-liff-shell-${VERSION}`;
const INDEX = '/liff/';
/** Below this a slow network answer loses to the cached shell (a basement store: the code must show at once). */
const NAVIGATION_TIMEOUT_MS = 2500;

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll([INDEX, ...SHELL]))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) =>
        Promise.all(keys.filter((k) => k.startsWith('huigo-liff-') && k !== CACHE).map((k) => caches.delete(k))),
      )
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const req = event.request;
  if (req.method !== 'GET') return;
  const url = new URL(req.url);
  if (url.origin !== self.location.origin || !url.pathname.startsWith('/liff/') || url.pathname === '/liff/sw.js')
    return;
  if (req.mode === 'navigate') event.respondWith(navigation(req));
  else event.respondWith(shellFile(req));
});

/** Every card page is the same index.html (the app routes itself): fresh from the network, else the cached one. */
async function navigation(req) {
  const network = fetch(req).then((res) => {
    if (res.ok) void put(INDEX, res.clone());
    return res;
  });
  const timeout = new Promise((resolve) => setTimeout(resolve, NAVIGATION_TIMEOUT_MS, null));
  try {
    const res = await Promise.race([network, timeout]);
    if (res) return res;
  } catch {
    // offline: the cached shell below
  }
  const cached = await caches.match(INDEX, { cacheName: CACHE });
  return cached ?? network;
}

/** Hashed files never change under their name: the cache first; a file missed at install is kept once fetched. */
async function shellFile(req) {
  const cached = await caches.match(req, { ignoreSearch: true });
  if (cached) return cached;
  const res = await fetch(req);
  if (res.ok && new URL(req.url).pathname.startsWith('/liff/assets/')) void put(req, res.clone());
  return res;
}

async function put(key, res) {
  try {
    await (await caches.open(CACHE)).put(key, res);
  } catch {
    // storage full or the cache deleted meanwhile (刪除我的資料): the network still answers next time
  }
}
