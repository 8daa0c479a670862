// The user's annotations of one document version, kept in step with the server and the user's other
// devices. Every change goes to an outbox in localStorage first and is sent from there, so a change
// made while the Wi-Fi is down survives a reload and is sent when the connection returns. Ids are
// UUIDs made here and PUT is idempotent on the server: a resend never doubles anything; the newer
// `updated_at` wins per annotation.
const csrf = () => document.querySelector("meta[name=csrf-token]")?.content || "";

export class Store {
  constructor({ documentId, version, userId, onChange, onStatus }) {
    Object.assign(this, { documentId, version, userId, onChange, onStatus });
    this.items = new Map();
    this.key = `meetings.reader.outbox.${userId}.${documentId}`;
    this.outbox = JSON.parse(localStorage.getItem(this.key) || "{}");
    this.flushing = false;
    this.offline = false;
    window.addEventListener("online", () => this.flush());
    // A dropped connection shows no event on every platform: retry while anything waits.
    setInterval(() => { if (Object.keys(this.outbox).length) this.flush(); }, 3000);
  }

  url(id = "") {
    return `/api/v1/documents/${this.documentId}/annotations${id ? "/" + id : ""}`;
  }

  async load() {
    const response = await fetch(`${this.url()}?version=${this.version}`, { headers: { Accept: "application/json" } });
    const body = await response.json();
    this.items = new Map(body.annotations.map((a) => [a.id, a]));
    for (const [id, entry] of Object.entries(this.outbox)) {  // what this device has not sent yet wins
      if (entry.op === "put") this.items.set(id, entry.body); else this.items.delete(id);
    }
    this.onChange();
    this.flush();
  }

  forPage(page) { return [...this.items.values()].filter((a) => a.page === page); }
  get(id) { return this.items.get(id); }
  mine(a) { return a && a.author_id === this.userId; }

  save(annotation) {
    const body = { ...annotation, version: this.version, updated_at: new Date().toISOString(),
      author_id: this.userId, author: annotation.author || "" };
    this.items.set(body.id, body);
    this._queue(body.id, { op: "put", body });
    return body;
  }

  remove(id) {
    this.items.delete(id);
    this._queue(id, { op: "delete", updated_at: new Date().toISOString() });
  }

  _queue(id, entry) {
    entry.seq = (this.outbox[id]?.seq || 0) + 1;
    this.outbox[id] = entry;
    this._persist();
    this.onChange();
    this.flush();
  }

  _persist() {
    localStorage.setItem(this.key, JSON.stringify(this.outbox));
    window.__readerPending = Object.keys(this.outbox).length;
    this._status();
  }

  _status() {
    const pending = Object.keys(this.outbox).length;
    this.onStatus(this.offline ? "offline" : pending ? "pending" : "saved");
  }

  async flush() {
    if (this.flushing) return;
    this.flushing = true;
    try {
      for (const [id, entry] of Object.entries(this.outbox)) {
        let response;
        try {
          response = entry.op === "put"
            ? await fetch(this.url(id), { method: "PUT", body: JSON.stringify(entry.body),
              headers: { "Content-Type": "application/json", "X-CSRFToken": csrf() } })
            : await fetch(`${this.url(id)}?updated_at=${encodeURIComponent(entry.updated_at)}`,
              { method: "DELETE", headers: { "X-CSRFToken": csrf() } });
        } catch {
          this.offline = true;  // no network: keep everything, try again later
          break;
        }
        this.offline = false;
        if (response.status >= 500) break;
        if (this.outbox[id]?.seq === entry.seq) delete this.outbox[id];
        if (response.ok && entry.op === "put") {
          const stored = await response.json();
          if (!this.outbox[id]) {
            if (stored.deleted) this.items.delete(id); else this.items.set(id, stored);
          }
        } else if (!response.ok && response.status !== 404) {
          console.warn("annotation refused", id, response.status);  // 422/403: the server's copy stands
        }
      }
    } finally {
      this.flushing = false;
      this._persist();
      this.onChange();
    }
  }

  // A change from another device (or a shared annotation of someone else), over the socket.
  applyRemote(name, data) {
    if (data.document_id !== this.documentId || this.outbox[data.id || data.annotation?.id]) return;
    if (name === "annotation.deleted") {
      this.items.delete(data.id);
    } else {
      const incoming = data.annotation, local = this.items.get(incoming.id);
      if (incoming.version !== this.version || (local && Date.parse(local.updated_at) > Date.parse(incoming.updated_at))) return;
      this.items.set(incoming.id, incoming);
    }
    this.onChange();
  }
}
