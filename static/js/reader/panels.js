// The side panel: thumbnails, outline, search with hits, my notes, and the carry-over offer.
import { icon } from "../lib/icons.js";
import { pageUrl } from "./view.js";

export function button(label, onTap, extra = {}) {
  const node = document.createElement("button");
  node.type = "button";
  node.className = "rbtn";
  node.textContent = label;
  Object.entries(extra).forEach(([k, v]) => node.setAttribute(k, v));
  node.addEventListener("click", onTap);
  return node;
}

function item(child) {
  const li = document.createElement("li");
  li.append(child);
  return li;
}

export function fillThumbnails(list, documentId, count, go, stamped = false) {
  for (let page = 1; page <= count; page++) {
    const img = document.createElement("img");
    img.loading = "lazy";
    img.alt = String(page);
    img.src = pageUrl(documentId, page, { thumbnail: true, stamped });
    const b = button("", () => go(page), { "data-thumb": page });
    b.append(img);
    list.append(item(b));
  }
}

export function markThumbnail(list, page) {
  list.querySelectorAll("[data-thumb]").forEach((b) => {
    if (Number(b.dataset.thumb) === page) b.setAttribute("aria-current", "page"); else b.removeAttribute("aria-current");
  });
}

export function fillOutline(list, outline, go) {
  for (const entry of outline) {
    const b = button(`${"  ".repeat(entry.level - 1)}${entry.title} · ${entry.page}`, () => go(entry.page));
    list.append(item(b));
  }
}

// The server finds the pages (its index folds Vietnamese like the rest of the app); the page's
// words then place the hits.
export async function search(meetingId, documentId, q) {
  const response = await fetch(`/api/v1/meetings/${meetingId}/search?q=${encodeURIComponent(q)}`);
  if (!response.ok) return [];
  const body = await response.json();
  return body.hits.filter((h) => h.document_id === documentId);
}

export function fillHits(list, hits, labels, go) {
  list.replaceChildren();
  if (!hits.length) {
    list.append(item(document.createTextNode(labels.noHits)));
    return;
  }
  for (const hit of hits) {
    const b = button("", () => go(hit.page), { "data-hit-page": hit.page });
    const strong = document.createElement("strong");
    strong.textContent = labels.page.replace("{n}", hit.page) + " ";
    const snippet = document.createElement("span");
    snippet.innerHTML = hit.snippet;  // the server escaped the text and added only <mark>
    b.append(strong, snippet);
    list.append(item(b));
  }
}

// "My notes": grouped by document; each card says what kind it is, shows the words highlighted or
// written, and jumps there on a tap (another document of the meeting opens at that page).
export async function fillNotes(list, meetingId, labels, open) {
  let notes;
  try {
    const response = await fetch(`/api/v1/meetings/${meetingId}/my-notes`);
    const body = await response.json().catch(() => ({}));
    if (!response.ok) throw new Error(body.error?.message || labels.refused);
    notes = body.notes;
  } catch (error) {
    const message = document.createElement("p");
    message.className = "error";
    message.setAttribute("role", "alert");
    message.textContent = error instanceof TypeError ? labels.refused : error.message;
    list.replaceChildren(item(message));
    return;
  }
  list.replaceChildren();
  if (!notes.length) list.append(item(document.createTextNode(labels.noNotes)));
  let title = null;
  for (const note of notes) {
    if (note.title !== title) {
      title = note.title;
      const heading = document.createElement("h3");
      heading.className = "notes-doc";
      heading.textContent = title;
      list.append(item(heading));
    }
    list.append(item(noteCard(note, labels, open)));
  }
}

function noteCard(note, labels, open) {
  const b = button("", () => open(note), { "data-note": note.id, "data-note-kind": note.kind });
  const head = document.createElement("span");
  head.className = "note-head";
  const swatch = document.createElement("span");
  swatch.className = "note-swatch";
  swatch.style.background = note.color;
  const kind = document.createElement("span");
  kind.className = "note-kind";
  kind.textContent = labels.kinds[note.kind] || note.kind;
  const where = document.createElement("span");
  where.textContent = labels.page.replace("{n}", note.page);
  head.append(icon(note.kind, 18), swatch, kind, where);
  b.append(head);
  const lines = [];
  if (note.quote) lines.push([`“${note.quote}”`, "quote"]);
  if (note.text) lines.push([note.text, ""]);
  if (!lines.length && note.kind === "ink") lines.push([labels.ink, "muted"]);
  for (const [text, extra] of lines) {
    const span = document.createElement("span");
    span.className = `note-text ${extra}`.trim();
    span.textContent = text;
    b.append(span);
  }
  if (!note.current) {  // it stayed on an older version: nothing to jump to in the pages shown
    b.disabled = true;
    const older = document.createElement("span");
    older.className = "note-text muted";
    older.textContent = labels.older.replace("{n}", note.version);
    b.append(older);
  }
  return b;
}
