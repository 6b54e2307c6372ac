// Service worker of the filing page, bundled with Workbox by esbuild (`npm run build:sw`, run by
// `make assets`) and served by signalements.hors_ligne.views.service_worker, which puts the list of
// files to precache and the page's addresses in front of this bundle as self.__SIGNALER_HORS_LIGNE.
// It keeps the page usable without network; the reports themselves wait in the page's IndexedDB
// (static/js/signaler-hors-ligne.js), never here, so that the agent sees them and their errors.
import { cleanupOutdatedCaches, precacheAndRoute } from "workbox-precaching";
import { registerRoute } from "workbox-routing";
import { NetworkFirst, StaleWhileRevalidate } from "workbox-strategies";
import { ExpirationPlugin } from "workbox-expiration";
import { warmStrategyCache } from "workbox-recipes";

const config = self.__SIGNALER_HORS_LIGNE;
// Said by a cached answer to the page, which then says the list may be out of date.
const FROM_CACHE_HEADER = "X-Signaler-Cache";

precacheAndRoute(config.precache);
cleanupOutdatedCaches();

// The page carries the session's account and its CSRF token: always the network's when there is one,
// the last one seen otherwise. Fetched at install too, so the first offline visit finds it.
// Django answers « Vary: Cookie, Accept-Language »: one copy of one page, whatever the headers.
const pageStrategy = new NetworkFirst({
  cacheName: "signaler-page", networkTimeoutSeconds: 6, matchOptions: { ignoreVary: true },
});
registerRoute(
  ({ request, url }) => request.mode === "navigate" && url.pathname === config.page,
  pageStrategy
);
warmStrategyCache({ urls: [config.page], strategy: pageStrategy });

// The categories at a point depend on the point and on who asks: offline, the last answer the agent
// got is the best guess there is (the server checks again when the report is sent).
const markedAsCached = {
  cacheKeyWillBeUsed: async () => config.categories,
  cachedResponseWillBeUsed: async ({ cachedResponse }) => {
    if (!cachedResponse) { return cachedResponse; }
    const headers = new Headers(cachedResponse.headers);
    headers.set(FROM_CACHE_HEADER, "1");
    const body = await cachedResponse.blob();
    return new Response(body, { status: cachedResponse.status, statusText: cachedResponse.statusText, headers });
  },
};
registerRoute(
  ({ url, request }) => request.method === "GET" && url.pathname === config.categories,
  new NetworkFirst({
    cacheName: "signaler-categories", networkTimeoutSeconds: 6, matchOptions: { ignoreVary: true },
    plugins: [markedAsCached],
  })
);

// The map's own background (communes, arrondissements): drawn from the last copy, refreshed behind.
registerRoute(
  ({ url, request }) =>
    request.method === "GET" && url.origin === self.location.origin &&
    config.backgrounds.some((prefix) => url.pathname.startsWith(prefix)),
  new StaleWhileRevalidate({
    cacheName: "signaler-fonds",
    plugins: [new ExpirationPlugin({ maxEntries: 20, maxAgeSeconds: 30 * 24 * 3600 })],
  })
);

// Other static files the page may load (another part's script added later): kept once seen, refreshed
// behind (their names are not hashed in development and tests).
registerRoute(
  ({ url, request }) =>
    request.method === "GET" && url.origin === self.location.origin && url.pathname.startsWith(config.static),
  new StaleWhileRevalidate({
    cacheName: "signaler-statiques",
    plugins: [new ExpirationPlugin({ maxEntries: 60, maxAgeSeconds: 30 * 24 * 3600 })],
  })
);

// A new version takes over at once: the page it serves is the same page, and nothing is pending here.
self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));
