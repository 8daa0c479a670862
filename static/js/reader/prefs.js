// What the reader remembers on this device: the page each user left each document at, how pages fit,
// and whether the tools tray was open. localStorage only; a #page=N in the address still wins.
const get = (key) => { try { return localStorage.getItem(key); } catch { return null; } };
const set = (key, value) => { try { localStorage.setItem(key, value); } catch { /* private mode, full */ } };

export class Prefs {
  constructor(userId, documentId) {
    this.pageKey = `meetings.reader.page.${userId}.${documentId}`;
    this.fitKey = `meetings.reader.fit.${userId}`;
    this.trayKey = `meetings.reader.tray.${userId}`;
  }

  startPage(hash, count) {
    const wanted = Number((hash.match(/page=(\d+)/) || [])[1]) || Number(get(this.pageKey)) || 1;
    return Math.min(Math.max(1, wanted), count);
  }

  rememberPage(page) { set(this.pageKey, String(page)); }

  get fit() { return get(this.fitKey) === "width" ? "width" : "page"; }
  set fit(value) { set(this.fitKey, value); }

  get tray() { return get(this.trayKey) === "open"; }
  set tray(open) { set(this.trayKey, open ? "open" : "closed"); }
}
