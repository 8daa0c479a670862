// Wiping the app from this device at sign-out, before the form is sent: every cache, every IndexedDB
// database, localStorage and sessionStorage of this origin, and the service worker. (No Clear-Site-Data
// on the sign-out's answer: meetings/offline/headers.py says why.)
const OUTBOX = "meetings.reader.outbox.";  // static/js/reader/store.js

export function unsentChanges() {
  let count = 0;
  for (let i = 0; i < localStorage.length; i += 1) {
    const key = localStorage.key(i);
    if (key.startsWith(OUTBOX)) count += Object.keys(JSON.parse(localStorage.getItem(key) || "{}")).length;
  }
  return count;
}

export async function wipeDevice() {
  const steps = [];
  if (window.caches) steps.push(caches.keys().then((names) => Promise.all(names.map((n) => caches.delete(n)))));
  if (window.indexedDB?.databases) {
    steps.push(indexedDB.databases().then((dbs) => Promise.all(dbs.map((db) => new Promise((resolve) => {
      const request = indexedDB.deleteDatabase(db.name);
      request.onsuccess = request.onerror = request.onblocked = resolve;
    })))));
  }
  if (navigator.serviceWorker) {
    steps.push(navigator.serviceWorker.getRegistrations().then((all) => Promise.all(all.map((r) => r.unregister()))));
  }
  await Promise.allSettled(steps);
  localStorage.clear();
  sessionStorage.clear();
}
