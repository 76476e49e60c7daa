// The public apps' service worker: it keeps the empty pages, styles, script and pictures so the apps open
// without a connection. It never keeps anything a person sent or received: only GET requests for the
// shell are cached, and every POST (a request, a receipt, a conversation) goes straight to the network.
"use strict";
var CACHE = "aman-portal-v1";
var SHELL = [
  "/help", "/help?lang=ar", "/help?lang=en", "/help/follow-up?lang=ar", "/help/follow-up?lang=en",
  "/consult", "/consult?lang=ar", "/consult?lang=en", "/consult/follow-up?lang=ar", "/consult/follow-up?lang=en",
  "/report", "/report?lang=ar", "/report?lang=en", "/report/follow-up?lang=ar", "/report/follow-up?lang=en",
  "/portal/static/portal.css", "/portal/static/portal.js",
  "/portal/static/icons/help.svg", "/portal/static/icons/consult.svg", "/portal/static/icons/report.svg", "/portal/static/icons/neutral.svg",
  "/portal/static/pictures/verbal.svg", "/portal/static/pictures/physical.svg", "/portal/static/pictures/sexual.svg",
  "/portal/static/pictures/confinement.svg", "/portal/static/pictures/neglect.svg"
];

self.addEventListener("install", function (ev) {
  ev.waitUntil(caches.open(CACHE).then(function (c) { return c.addAll(SHELL); }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (ev) {
  ev.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (k) { return k !== CACHE; }).map(function (k) { return caches.delete(k); }));
  }).then(function () { return self.clients.claim(); }));
});

function isShell(url) {
  return url.origin === self.location.origin && SHELL.indexOf(url.pathname + url.search) >= 0;
}

self.addEventListener("fetch", function (ev) {
  var req = ev.request;
  if (req.method !== "GET") { return; }
  var url = new URL(req.url);
  if (url.origin !== self.location.origin) { return; }
  if (req.mode === "navigate") {
    // Network first, so a page is never stale when online; the kept copy when offline.
    ev.respondWith(fetch(req).catch(function () {
      return caches.match(isShell(url) ? req : url.pathname.split("/").slice(0, 2).join("/"));
    }));
    return;
  }
  if (url.pathname.indexOf("/portal/static/") === 0) {
    ev.respondWith(caches.match(req).then(function (hit) { return hit || fetch(req); }));
  }
});
