// The side panel: thumbnails, outline, search with hits, my notes, and the carry-over offer.
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

export async function fillNotes(list, meetingId, documentId, labels, open) {
  const response = await fetch(`/api/v1/meetings/${meetingId}/my-notes`);
  if (!response.ok) return;
  const { notes } = await response.json();
  list.replaceChildren();
  if (!notes.length) list.append(item(document.createTextNode(labels.noNotes)));
  for (const note of notes) {
    const where = `${note.title} · ${labels.page.replace("{n}", note.page)}${note.current ? "" : ` · v${note.version}`}`;
    const b = button(`${where}${note.text ? " — " + note.text : ""}`, () => open(note), { "data-note": note.id });
    if (!note.current) b.disabled = true;  // it stayed on an older version
    list.append(item(b));
  }
}
