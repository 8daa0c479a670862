// The offline briefcase's service worker, served at /sw.js (meetings/offline/routes.py fills in the
// settings below: the build's version, the shell's files, the offline page). Plain JS, no Workbox:
// the whole policy is four strategies and one sync, and every line of it is ours to read.
//
// What it keeps, each in its own cache (the names are made here and nowhere else):
// - the app shell, per version: installed whole before the new version takes over, the old one
//   deleted on activation, so a page never mixes old and new files;
// - "pages": home and my schedule, the last weeks I loaded;
// - one cache per kept meeting: its page, its documents' reader pages, layouts, annotations, words,
//   page images and personal copies, as /api/v1/me/briefcase lists them, plus a meta entry.
// Online, pages and data come from the network (and refresh what is kept); offline, from the cache.
const SETTINGS = self.__BRIEFCASE__;
const PREFIX = "meetings-";
const SHELL = `${PREFIX}shell-${SETTINGS.version}`;
const PAGES = `${PREFIX}pages`;
const STATE = `${PREFIX}state`;
const MEETING_PREFIX = `${PREFIX}meeting-`;
const meetingCache = (id) => `${MEETING_PREFIX}${id}`;
const META = "/__briefcase__/meta";
const STATE_KEY = "/__briefcase__/state";
const KEPT_PAGES = 8;  // home plus the last weeks of my schedule
const SYNC_EVERY_MS = 60_000;  // a page load asks for a sync; more often than this only when forced
const PARALLEL = 4;

self.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(SHELL);
    await cache.addAll([...SETTINGS.shell, SETTINGS.offline]);
    await self.skipWaiting();
  })());
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith(`${PREFIX}shell-`) && name !== SHELL) await caches.delete(name);
    }
    await self.clients.claim();  // the pages reload on controllerchange (briefcase.js)
  })());
});

// Fetching -----------------------------------------------------------------------------------------
const KEPT_PAGE = /^\/(|schedule\/mine(\/week\/[^/]+)?)$/;
const KEPT_DATA = /^\/api\/v1\/documents\/\d+\/(layout|annotations|file|pages\/\d+(\/words)?|thumbnails\/\d+)$/;
const PAGE_IMAGE = /^\/api\/v1\/documents\/\d+\/(pages|thumbnails)\/\d+$/;
// Fetched again on each sync (and refreshed when the page asks online); the rest once per version.
const VOLATILE = /^\/(meetings|reader)\/|\/(layout|annotations)$/;

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.startsWith("/static/")) {
    event.respondWith(fromShell(request));
  } else if (request.mode === "navigate") {
    event.respondWith(page(request, url));
  } else if (KEPT_DATA.test(url.pathname)) {
    event.respondWith(data(request, url));
  }
});

// The shell first; what it lacks (pdf.js's character maps, say) is kept once it has been used.
// Offline, a page kept before an update names its files under the older build's address
// (/static/b/<build>/..., meetings/assets.py): today's file of the same name is better than none.
const OTHER_BUILD = /^\/static\/b\/[0-9a-f]+\//;
async function fromShell(request) {
  const cache = await caches.open(SHELL);
  const found = await cache.match(request, { ignoreVary: true });
  if (found) return found;
  try {
    const response = await fetch(request);
    if (response.status === 200 && !request.headers.has("Range")) cache.put(request, response.clone()).catch(() => {});
    return response;
  } catch (error) {
    const url = new URL(request.url);
    if (!OTHER_BUILD.test(url.pathname)) throw error;
    url.pathname = url.pathname.replace(OTHER_BUILD, `/static/b/${SETTINGS.version}/`);
    const current = await cache.match(url.href, { ignoreVary: true });
    if (current) return current;
    throw error;
  }
}

async function page(request, url) {
  try {
    const response = await fetch(request);
    if (response.ok && response.type === "basic") {
      if (KEPT_PAGE.test(url.pathname)) await keepPage(request, response.clone());
      await refresh(request, response.clone());
    }
    return response;
  } catch (error) {
    return (await kept(request)) || (await caches.open(SHELL).then((c) => c.match(SETTINGS.offline)))
      || Response.error();
  }
}

async function data(request, url) {
  try {
    const response = await fetch(request);
    // Layout and annotations change without a new version; the rest is refreshed by the sync, per
    // version (never here: pdf.js drops the personal copy's first answer after its headers).
    if (response.status === 200 && VOLATILE.test(url.pathname)) refresh(request, response.clone()).catch(() => {});
    return response;
  } catch (error) {
    let found = await kept(request);
    // A page image at another width than the one kept: the kept one is better than none.
    if (!found && PAGE_IMAGE.test(url.pathname)) found = await kept(request, { ignoreSearch: true });
    if (!found) return offlineAnswer();
    const range = request.headers.get("Range");
    return range ? partial(found, range) : found;
  }
}

function offlineAnswer() {
  return new Response(JSON.stringify({ error: { code: "offline", message: "offline" } }),
    { status: 503, headers: { "Content-Type": "application/json" } });
}

// pdf.js asks for byte ranges of the personal copy; the cache holds the whole file.
async function partial(response, range) {
  const match = /^bytes=(\d*)-(\d*)$/.exec(range.trim());
  const body = await response.blob();
  if (!match) return response;
  const size = body.size;
  let start = match[1] === "" ? size - Number(match[2]) : Number(match[1]);
  let end = match[1] === "" || match[2] === "" ? size - 1 : Math.min(Number(match[2]), size - 1);
  start = Math.max(0, start);
  if (start > end) return new Response(null, { status: 416, headers: { "Content-Range": `bytes */${size}` } });
  const headers = new Headers(response.headers);
  headers.set("Content-Range", `bytes ${start}-${end}/${size}`);
  headers.set("Content-Length", String(end - start + 1));
  return new Response(body.slice(start, end + 1), { status: 206, headers });
}

async function meetingCaches() {
  return (await caches.keys()).filter((name) => name.startsWith(MEETING_PREFIX));
}

async function kept(request, options = {}) {
  for (const name of [...await meetingCaches(), PAGES]) {
    const found = await (await caches.open(name)).match(request, { ignoreVary: true, ...options });
    if (found) return found;
  }
  return null;
}

// A fresh answer for something a kept meeting holds replaces the kept copy.
async function refresh(request, response) {
  for (const name of await meetingCaches()) {
    const cache = await caches.open(name);
    if (await cache.match(request, { ignoreVary: true })) await cache.put(request, response.clone());
  }
}

async function keepPage(request, response) {
  const cache = await caches.open(PAGES);
  await cache.put(request, response);
  const keys = await cache.keys();  // oldest first: drop beyond the last few
  for (const old of keys.slice(0, Math.max(0, keys.length - KEPT_PAGES))) await cache.delete(old);
}

// The briefcase -------------------------------------------------------------------------------------
async function readJson(cacheName, key, fallback) {
  const found = await (await caches.open(cacheName)).match(key);
  return found ? found.json() : fallback;
}

async function writeJson(cacheName, key, value) {
  await (await caches.open(cacheName)).put(key, new Response(JSON.stringify(value),
    { headers: { "Content-Type": "application/json" } }));
}

const readState = () => readJson(STATE, STATE_KEY, { dismissed: [] });
const writeState = (state) => writeJson(STATE, STATE_KEY, state);

async function heldIds() {
  return (await meetingCaches()).map((name) => Number(name.slice(MEETING_PREFIX.length)));
}

let running = null, lastSync = 0, filling = new Set();

function sync(options = {}) {
  if (running) return running.then(() => (options.force || options.open ? sync(options) : null));
  if (!options.force && !options.open && Date.now() - lastSync < SYNC_EVERY_MS) return report();
  running = doSync(options).finally(() => { running = null; lastSync = Date.now(); });
  return running;
}

async function doSync({ open } = {}) {
  await expire();
  const state = await readState();
  const held = await heldIds();
  const asked = [...new Set([...held, ...(open && !state.dismissed.includes(open) ? [open] : [])])];
  let response;
  try {
    response = await fetch(`/api/v1/me/briefcase?held=${asked.join(",")}`,
      { headers: { Accept: "application/json" }, cache: "no-store" });
  } catch (error) {
    return report();  // offline: keep everything until we can ask
  }
  if (response.status === 401) {  // signed out (maybe everywhere, from another device): nothing stays
    for (const name of await meetingCaches()) await caches.delete(name);
    await caches.delete(PAGES);
    return report();
  }
  if (!response.ok) return report();
  const body = await response.json();
  const listed = new Map(body.meetings.filter((m) => !state.dismissed.includes(m.id)).map((m) => [m.id, m]));
  for (const id of held) {
    if (!listed.has(id)) await caches.delete(meetingCache(id));  // access removed, or its time is up
  }
  await report();
  for (const meeting of listed.values()) await fill(meeting);
  return report();
}

// Kept files go N days after their meeting ended, even on a device that never comes back online.
async function expire() {
  for (const name of await meetingCaches()) {
    const meta = await readJson(name, META, null);
    if (meta && Date.parse(meta.remove_after) <= Date.now()) await caches.delete(name);
  }
}


async function fill(meeting) {
  const name = meetingCache(meeting.id);
  const cache = await caches.open(name);
  const before = await readJson(name, META, { sizes: {}, versions: {} });
  const meta = { id: meeting.id, title: meeting.title, ends_at: meeting.ends_at, remove_after: meeting.remove_after,
    documents: meeting.documents.map((d) => ({ id: d.id, access: d.access })),
    online_only: meeting.online_only.map((d) => d.id), sizes: {}, versions: {}, complete: false };
  const wanted = [...meeting.urls];
  const stale = new Set();
  for (const doc of meeting.documents) {
    meta.versions[doc.id] = doc.version;
    for (const url of doc.urls) {
      wanted.push(url);
      if (before.versions[doc.id] !== doc.version) stale.add(url);
    }
  }
  const present = new Set((await cache.keys()).map((r) => new URL(r.url).pathname + new URL(r.url).search));
  for (const key of present) {
    if (key !== META && !wanted.includes(key)) await cache.delete(key);
  }
  filling.add(meeting.id);
  await writeJson(name, META, { ...meta, sizes: before.sizes });
  await report();
  let failed = 0;
  const queue = wanted.filter((url) => {
    const path = new URL(url, self.location.origin).pathname;
    if (present.has(url) && !stale.has(url) && !VOLATILE.test(path) && before.sizes[url] !== undefined) {
      meta.sizes[url] = before.sizes[url];
      return false;
    }
    return true;
  });
  const worker = async () => {
    for (let url = queue.shift(); url !== undefined; url = queue.shift()) {
      try {
        const headers = { [SETTINGS.prefetchHeader]: "1" };
        // The personal copy is handed out to be drawn by the reader's pdf.js (an `app` document too).
        if (url.endsWith("/file")) headers[SETTINGS.readerHeader] = "pdfjs";
        const response = await fetch(url, { headers, cache: "no-store" });
        if (!response.ok || response.redirected) { failed += 1; continue; }
        meta.sizes[url] = (await response.clone().blob()).size;
        await cache.put(url, response);
      } catch (error) {
        failed += 1;
      }
    }
  };
  await Promise.all(Array.from({ length: PARALLEL }, worker));
  if (!(await caches.has(name))) { filling.delete(meeting.id); return; }  // removed while filling
  meta.complete = failed === 0;
  await writeJson(name, META, meta);
  filling.delete(meeting.id);
}

// What the pages show: each kept meeting, complete or not, and its size on the device.
async function status() {
  const meetings = {};
  for (const name of await meetingCaches()) {
    const meta = await readJson(name, META, null);
    if (!meta) continue;
    const bytes = Object.values(meta.sizes || {}).reduce((a, b) => a + b, 0);
    meetings[meta.id] = { complete: !!meta.complete && !filling.has(meta.id), filling: filling.has(meta.id), bytes,
      documents: meta.documents, online_only: meta.online_only };
  }
  return { type: "briefcase", version: SETTINGS.version, meetings, dismissed: (await readState()).dismissed };
}

async function report() {
  const message = await status();
  for (const client of await self.clients.matchAll({ includeUncontrolled: true })) client.postMessage(message);
  return message;
}

self.addEventListener("message", (event) => {
  const message = event.data || {};
  const work = {
    sync: () => sync({ open: message.open ? Number(message.open) : undefined, force: !!message.force }),
    status: () => report(),
    remove: async () => {  // "Xóa khỏi thiết bị này": gone, and not fetched again until asked
      const state = await readState();
      state.dismissed = [...new Set([...state.dismissed, Number(message.meeting)])];
      await writeState(state);
      await caches.delete(meetingCache(Number(message.meeting)));
      return report();
    },
    keep: async () => {
      const state = await readState();
      state.dismissed = state.dismissed.filter((id) => id !== Number(message.meeting));
      await writeState(state);
      return sync({ open: Number(message.meeting), force: true });
    },
    wipe: async () => {
      for (const name of await caches.keys()) await caches.delete(name);
      event.source?.postMessage({ type: "wiped" });
    },
  }[message.type];
  if (work) event.waitUntil(work());
});
