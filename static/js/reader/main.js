// The tablet reader: wires the page view, pointer input, the annotation store, the live socket
// and the side panel together. See view.js for how pages are drawn (pdf.js or server images).
import { setIcon } from "../lib/icons.js";
import { liveSocket } from "../live.js";
import { drawAnnotations } from "./draw.js";
import { bounds, clampPoint, matchRects, moved } from "./geometry.js";
import { History } from "./history.js";
import { PageInput, shapeFor } from "./input.js";
import { followPresenter } from "./follow.js";
import { fillHits, fillNotes, fillOutline, fillThumbnails, markThumbnail, search } from "./panels.js";
import { opening } from "./boot.js";
import { PdfPages } from "./pdfpages.js";
import { Prefs } from "./prefs.js";
import { Store } from "./store.js";
import { Viewer } from "./view.js";

const root = document.querySelector("[data-reader-app]");
const $ = (selector) => root.querySelector(selector);
const data = root.dataset;
const documentId = Number(data.documentId), meetingId = Number(data.meetingId), userId = Number(data.userId);
const labels = { page: data.labelPage, noHits: data.labelNoHits, noNotes: data.labelNoNotes,
  kinds: JSON.parse(data.labelKinds), older: data.labelOlder, ink: data.labelInk, refused: data.labelRefused };
const prefs = new Prefs(userId, documentId);
const state = { tool: "read", color: "#ffd400", width: 2, penOnly: false, selected: null, hits: {}, preview: null,
  words: {}, drag: null, query: "" };

const uuid = () => (crypto.randomUUID ? crypto.randomUUID()
  : "10000000-1000-4000-8000-100000000000".replace(/[018]/g, (c) =>
    (c ^ (crypto.getRandomValues(new Uint8Array(1))[0] & (15 >> (c / 4)))).toString(16)));

async function words(page) {
  if (!state.words[page]) {
    const response = await fetch(`/api/v1/documents/${documentId}/pages/${page}/words`);
    state.words[page] = response.ok ? (await response.json()).words : [];
  }
  return state.words[page];
}

// The layout first; pdf.js (started by boot.js as the page arrived) comes when it comes: meanwhile page 1
// is shown as the server's image where the page names one (data-preview: a tablet whose browser may not
// have pdf.js yet, meetings/reader/routes.py), and the tools work on it as on pdf.js's canvas. If pdf.js
// cannot start here (an old browser, a refusal), the reader shows the server's page images, as for a
// `screen` document, and says why in data-pdf-error.
const following = Boolean(root.querySelector("[data-follow-bar][data-mode=follow]"));
const pending = opening ? PdfPages.open(opening, { whole: following }).catch((error) => {
  root.dataset.pdfError = String(error?.message || error);
  return null;
}) : null;
const layout = await fetch(`/api/v1/documents/${documentId}/layout`).then((r) => r.json());
const stamped = data.stampedImages === "1";
const viewer = new Viewer(root, { documentId, layout, onPage, stamped, fit: prefs.fit, pending,
  preview: pending ? data.preview || null : null });
if (pending) pending.then((pdf) => { root.dataset.drawnBy = pdf ? "pdfjs" : "images"; });
else root.dataset.drawnBy = "images";
const store = new Store({ documentId, version: layout.version, userId, onChange: redraw, onStatus: showStatus });
const history = new History(store);
const followBar = $("[data-follow-bar]");
const follower = followBar ? followPresenter(viewer, { meetingId, documentId, bar: followBar }) : null;

function redraw() {
  drawAnnotations(viewer, store.forPage(viewer.page), { selectedId: state.selected, hits: state.hits[viewer.page] || [],
    preview: state.preview, byLabel: data.labelBy });
  showSelection();
}

function showStatus(status) {
  const node = $("[data-sync-status]");
  node.querySelector("[data-sync-text]").textContent =
    { offline: data.labelOffline, pending: data.labelPending, saved: data.labelSaved }[status];
  setIcon(node.querySelector("svg"), status);
  node.classList.toggle("offline", status === "offline");
  node.dataset.state = status;
}

function onPage(page) {
  follower?.shown(page);
  $("[data-page-input]").value = page;
  if (window.__readerReady) prefs.rememberPage(page);  // not the page shown while starting up
  markThumbnail($("[data-thumbs]"), page);
  state.selected = null;
  if (state.query && !state.hits[page]) {
    words(page).then((w) => { state.hits[page] = matchRects(w, state.query); redraw(); });
  }
  if (state.tool === "highlight") words(page);
  redraw();
}

// Tools ------------------------------------------------------------------------------------------
function change(before, after) {
  history.record(before, after);
  if (after) store.save(after); else store.remove(before.id);
}

function hitId(e) {
  const node = document.elementFromPoint(e.clientX, e.clientY)?.closest("[data-id]");
  return node ? node.dataset.id : null;
}

function editText(initial) {
  const dialog = $("[data-text-dialog]"), input = $("[data-text-input]");
  input.value = initial || "";
  dialog.showModal();
  input.focus();
  return new Promise((resolve) => {
    dialog.addEventListener("close", () => resolve(dialog.returnValue === "save" ? input.value : null), { once: true });
  });
}

async function place(kind, point) {
  const text = await editText("");
  if (text === null) return;
  const box = viewer.box();
  const lines = Math.max(1, text.split("\n").length);
  const [x0, y0] = point;
  const size = kind === "note" ? [20, 20] : [Math.min(220, box.width), 16 * lines + 6];
  const [x1, y1] = clampPoint([x0 + size[0], y0 + size[1]], box);
  const [sx, sy] = [Math.max(0, x1 - size[0]), Math.max(0, y1 - size[1])];
  change(null, { id: uuid(), page: viewer.page, kind, rect: [sx, sy, x1, y1], color: state.color, text, shared: false });
}

new PageInput(viewer, {
  tool: () => state.tool,
  penOnly: () => state.penOnly,
  begin(stroke, e) {
    if (state.tool === "select") {
      const id = hitId(e);
      const annotation = id && store.get(id);
      state.selected = id;
      state.drag = annotation && store.mine(annotation) ? { origin: stroke.start, annotation } : null;
      redraw();
    } else if (state.tool === "eraser") {
      erase(e);
    } else if (state.tool === "highlight") {
      words(viewer.page);
    }
  },
  extend(stroke, e) {
    if (state.tool === "eraser") return erase(e);
    if (state.tool === "select" && state.drag) {
      const last = stroke.points[stroke.points.length - 1];
      state.preview = { ...moved(state.drag.annotation, last[0] - state.drag.origin[0], last[1] - state.drag.origin[1],
        viewer.box()), id: "preview" };
    } else if (state.tool === "ink" || state.tool === "highlight") {
      state.preview = shapeFor(state.tool, stroke, { words: state.words[viewer.page], box: viewer.box(),
        color: state.color, width: state.width });
      if (state.preview) state.preview.id = "preview";
    }
    redraw();
  },
  cancel() { state.preview = null; state.drag = null; redraw(); },
  end(stroke) {
    const preview = state.preview;
    state.preview = null;
    if (state.tool === "select") {
      if (state.drag && preview) change(state.drag.annotation, { ...preview, id: state.drag.annotation.id });
      state.drag = null;
    } else if (state.tool === "note" || state.tool === "freetext") {
      place(state.tool, stroke.start);
    } else if (state.tool === "ink" || state.tool === "highlight") {
      const shape = shapeFor(state.tool, stroke, { words: state.words[viewer.page], box: viewer.box(),
        color: state.color, width: state.width });
      if (shape) change(null, { ...shape, id: uuid(), page: viewer.page, text: "", shared: false });
    }
    redraw();
  },
});

function erase(e) {
  const id = hitId(e);
  const annotation = id && store.get(id);
  if (annotation && store.mine(annotation)) change(annotation, null);
}

// The bar that appears for a selected annotation: mine can be edited; someone's shared one only shows its author.
function showSelection() {
  const bar = $("[data-selection]");
  const annotation = state.selected && store.get(state.selected);
  bar.hidden = !annotation;
  if (!annotation) return;
  const mine = store.mine(annotation);
  $("[data-selection-author]").textContent = mine ? "" : data.labelBy.replace("{name}", annotation.author);
  bar.querySelectorAll("button, input").forEach((control) => { control.disabled = !mine; });
  $("[data-share]").checked = !!annotation.shared;
}

function updateSelected(changes) {
  const annotation = state.selected && store.get(state.selected);
  if (annotation && store.mine(annotation)) change(annotation, { ...annotation, ...changes });
}

// Toolbar ----------------------------------------------------------------------------------------
function setTool(tool) {
  state.tool = tool;
  state.selected = null;
  root.querySelectorAll("[data-tool]").forEach((b) => b.setAttribute("aria-pressed", String(b.dataset.tool === tool)));
  setIcon($("[data-tray-button] svg"), tool);  // the folded tray still shows which tool is in hand
  viewer.view.classList.toggle("drawing", tool !== "read");
  if (tool === "highlight") words(viewer.page);
  redraw();
}

root.addEventListener("click", async (e) => {
  const tool = e.target.closest("[data-tool]");
  if (tool) return setTool(tool.dataset.tool);
  const swatch = e.target.closest("[data-color]");
  if (swatch) {
    state.color = swatch.dataset.color;
    root.querySelectorAll("[data-color]").forEach((b) => b.setAttribute("aria-pressed", String(b === swatch)));
    return updateSelected({ color: state.color });
  }
  const action = e.target.closest("[data-action]")?.dataset.action;
  const actions = {
    prev: () => viewer.go(viewer.page - 1), next: () => viewer.go(viewer.page + 1),
    "zoom-in": () => viewer.step(1), "zoom-out": () => viewer.step(-1),
    fit: () => { prefs.fit = viewer.fit === "page" ? "width" : "page"; viewer.setFit(prefs.fit); showFit(); },
    tray: () => showTray($("[data-tray]").hidden),
    undo: () => history.undo(), redo: () => history.redo(),
    "pen-only": () => {
      state.penOnly = !state.penOnly;
      $("[data-action=pen-only]").setAttribute("aria-pressed", String(state.penOnly));
    },
    panel: () => {
      const panel = $("[data-panel]");
      panel.hidden = !panel.hidden;
      $("[data-action=panel]").setAttribute("aria-expanded", String(!panel.hidden));
      viewer.render();
    },
    delete: () => {
      const annotation = store.get(state.selected);
      if (annotation && store.mine(annotation)) change(annotation, null);
      state.selected = null;
    },
    "edit-text": async () => {
      const annotation = store.get(state.selected);
      const text = annotation && await editText(annotation.text);
      if (text !== null && text !== undefined) updateSelected({ text });
    },
    carry: carryOver, "carry-later": () => { $("[data-carry]").hidden = true; },
  };
  if (actions[action]) actions[action]();
});

// The fit button offers the other fit: the whole page when pages fit the width, and back.
function showFit() {
  const button = $("[data-fit-button]"), next = viewer.fit === "page" ? "width" : "page";
  const label = next === "page" ? button.dataset.labelPage : button.dataset.labelWidth;
  button.setAttribute("aria-label", label);
  button.title = label;
  setIcon(button.querySelector("svg"), `fit-${next}`);
}

function showTray(open) {
  $("[data-tray]").hidden = !open;
  $("[data-tray-button]").setAttribute("aria-expanded", String(open));
  prefs.tray = open;
}

$("[data-share]").addEventListener("change", (e) => updateSelected({ shared: e.target.checked }));
$("[data-width]").addEventListener("change", (e) => { state.width = Number(e.target.value); });
const jump = () => { if (!viewer.go(Number($("[data-page-input]").value))) onPage(viewer.page); };
$("[data-jump]").addEventListener("submit", (e) => { e.preventDefault(); jump(); });
$("[data-page-input]").addEventListener("change", jump);
document.addEventListener("keydown", (e) => {
  if (e.target.closest("input, textarea, select")) return;
  if (e.key === "ArrowRight" || e.key === "PageDown") viewer.go(viewer.page + 1);
  if (e.key === "ArrowLeft" || e.key === "PageUp") viewer.go(viewer.page - 1);
  if ((e.ctrlKey || e.metaKey) && e.key === "z") (e.shiftKey ? history.redo() : history.undo());
});

// Panel ------------------------------------------------------------------------------------------
root.querySelectorAll("[data-tab]").forEach((tab) => tab.addEventListener("click", () => {
  root.querySelectorAll("[data-tab]").forEach((t) => t.setAttribute("aria-selected", String(t === tab)));
  root.querySelectorAll("[data-pane]").forEach((pane) => { pane.hidden = pane.dataset.pane !== tab.dataset.tab; });
  if (tab.dataset.tab === "notes") refreshNotes();
}));
fillThumbnails($("[data-thumbs]"), documentId, viewer.count, (page) => viewer.go(page), stamped);
fillOutline($("[data-outline]"), layout.outline, (page) => viewer.go(page));
$("[data-search]").addEventListener("submit", async (e) => {
  e.preventDefault();
  state.query = $("[data-search-input]").value.trim();
  state.hits = {};
  const hits = state.query ? await search(meetingId, documentId, state.query) : [];
  fillHits($("[data-hits]"), hits, labels, (page) => viewer.go(page));
  if (hits.length) viewer.go(hits[0].page);
  onPage(viewer.page);
});

function refreshNotes() {
  fillNotes($("[data-notes]"), meetingId, labels, (note) => {
    if (note.document_id !== documentId) {
      window.location.href = `/reader/documents/${note.document_id}#page=${note.page}`;
      return;
    }
    viewer.go(note.page);
    state.selected = note.id;
    redraw();
  });
}

// Carry-over offer when a new version arrived -------------------------------------------------------
async function offerCarryOver() {
  const response = await fetch(`/api/v1/documents/${documentId}/carry-over`);
  if (!response.ok) return;
  const offer = await response.json();
  if (!offer.movable) return;
  $("[data-carry-text]").textContent = data.labelCarry.replace("{n}", offer.movable)
    + (offer.staying ? " " + data.labelStaying.replace("{n}", offer.staying) : "");
  $("[data-carry]").hidden = false;
}

async function carryOver() {
  const csrf = document.querySelector("meta[name=csrf-token]").content;
  await fetch(`/api/v1/documents/${documentId}/carry-over`, { method: "POST", headers: { "X-CSRFToken": csrf } });
  $("[data-carry]").hidden = true;
  await store.load();
}

// Live: my other devices, and shared annotations of the others, within a second ----------------------
const socket = liveSocket();
socket.on("annotation.saved", (payload) => store.applyRemote("annotation.saved", payload));
socket.on("annotation.deleted", (payload) => store.applyRemote("annotation.deleted", payload));
socket.on("connect", () => store.flush());

showFit();
showTray(prefs.tray);
window.addEventListener("hashchange", () => viewer.go(prefs.startPage(location.hash, viewer.count)));
viewer.go(prefs.startPage(location.hash, viewer.count));
await store.load();
offerCarryOver();
await pending;  // ready: drawn by what will draw it from now on
window.__readerReady = true;

// For modules that steer this reader (following a presenter, say): import { viewer } from "./main.js"
// gets this page's one viewer once it is ready; a change of #page=N in the address turns the page too.
export { viewer, setTool };
