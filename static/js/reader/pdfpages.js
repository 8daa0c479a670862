// Drawing `download` and `app` documents in the browser with pdf.js, from the reader's own stamped copy.
//
// pdf.js is pdfjs-dist 6.5.438 from npm (Mozilla, Apache-2.0), copied into static/vendor/pdfjs by
// scripts/build-assets.mjs; no CDN. Hardened, because a dossier's PDF comes from outside the office:
// - isEvalSupported: false: fonts are interpreted, never compiled with new Function (no 'unsafe-eval'
//   in the CSP, which would refuse it anyway);
// - enableScripting: false and no sandbox: the PDF's JavaScript never runs (quickjs is not even copied);
// - enableXfa: false: XFA forms are not turned into HTML in our page;
// - useWasm: false: JPEG 2000 and JBIG2 are decoded by pdf.js's plain-JS decoders, so the CSP needs no
//   'wasm-unsafe-eval'; the worker is a module from our origin (worker-src 'self').
// - Links and annotations of the PDF are not drawn as HTML: we render the canvas only (annotationMode
//   ENABLE draws their appearance into the pixels; nothing is clickable).
//
// `screen` documents never come here: they stay server page images (view.js). Devices without module
// workers also fall back to those images (boot.js, canDrawPdf).
//
// Coordinates: pdf.js works in PDF user space (y up, origin where the file puts it, often not the
// corner: a CropBox or MediaBox can start anywhere); the overlay, the tools and the server store points
// from the top-left of the page's unrotated box, y down (PyMuPDF's page space). geometry.fromPdfSpace
// is the one conversion, used for pdf.js's text; the canvas is drawn rotated as the page is displayed,
// exactly where the server's image would be, so the overlay's matrix does not change.
import { CHUNK, rangeSource } from "./copy.js";
import { fromPdfSpace } from "./geometry.js";

// Relative to this module, so the build's version in its address carries over (meetings/assets.py).
const VENDOR = new URL("../../vendor/pdfjs/", import.meta.url).href;
// A page larger than this many device pixels is drawn capped, with a sharp canvas over the part in
// view: iPadOS Safari refuses canvases over 16.7 million pixels (and all browsers slow down long before).
const MAX_PIXELS = 16_777_216 / 2;

// This browser now has this build's pdf.js (its library and worker ran): a cookie tells the reader's
// page, which then names no page-1 image to show while pdf.js starts (meetings/reader/routes.py,
// PDFJS_COOKIE). Only a hint: wrong (a cache emptied since), the reader just waits for pdf.js.
export function rememberPdfjs(address) {
  const build = /\/static\/b\/([0-9a-f]+)\//.exec(address)?.[1];
  if (build) document.cookie = `meetings_pdfjs=${build}; path=/; max-age=31536000; samesite=lax`;
}

// boot.js started the worker and the copy's first bytes as the page arrived: the worker is handed to
// pdf.js as its port, and a copy that came whole in the first request is handed over as data.
// Resolves to {lib, doc}; rejects if the worker, the library or the copy fails.
export function openPdf({ worker, url, first }) {
  const failed = new Promise((_, reject) => worker.addEventListener("error", () => {
    reject(new Error("pdf.js's worker did not start"));
  }));
  const opened = Promise.all([import(`${VENDOR}pdf.min.mjs`), first]).then(([lib, head]) => {
    lib.GlobalWorkerOptions.workerPort = worker;
    const source = head.whole ? { data: head.bytes } : { range: rangeSource(lib, url, head) };
    const task = lib.getDocument({
      ...source,
      // Byte ranges, page 1's first: no fetching of what no page needs yet. A follower takes the rest
      // once page 1 is up (PdfPages.warm), so the presenter's turns cost nothing.
      disableStream: true, disableAutoFetch: true, rangeChunkSize: CHUNK,
      isEvalSupported: false, enableScripting: false, enableXfa: false, useWasm: false,
      standardFontDataUrl: `${VENDOR}standard_fonts/`, cMapUrl: `${VENDOR}cmaps/`, cMapPacked: true,
      wasmUrl: `${VENDOR}wasm/`, verbosity: 0,
    });
    return task.promise.then((doc) => {
      performance.mark("reader:pdf-opened");  // where the first page's time goes (bench/reader_pdfjs.py)
      rememberPdfjs(VENDOR);
      return { lib, doc };
    });
  });
  return Promise.race([opened, failed]);
}

export class PdfPages {
  static async open(opening, { whole = false } = {}) {
    const { lib, doc } = await opening;
    return new PdfPages(lib, doc, whole);
  }

  constructor(lib, doc, whole) {
    Object.assign(this, { lib, doc, whole });
    this.pages = new Map();
    this.drawing = null;
    this.generation = 0;
    this.warmed = new Set();
  }

  page(number) {
    if (!this.pages.has(number)) this.pages.set(number, this.doc.getPage(number));
    return this.pages.get(number);
  }

  // Draw `number` into the holder: one canvas for the whole page at scale x devicePixelRatio, capped to
  // MAX_PIXELS; past the cap, a second canvas at full sharpness over the part of the page in view.
  async draw(holder, view, number, cssWidth) {
    const generation = ++this.generation;
    this.drawing?.cancel();
    const page = await this.page(number);
    if (!performance.getEntriesByName("reader:page-loaded").length) performance.mark("reader:page-loaded");
    if (generation !== this.generation) return false;
    const dpr = window.devicePixelRatio || 1;
    const unscaled = page.getViewport({ scale: 1 });
    const scale = cssWidth / unscaled.width;
    const full = scale * dpr;
    const capped = Math.min(full, Math.sqrt(MAX_PIXELS / (unscaled.width * unscaled.height)));
    const base = this.canvas(holder, "base");
    const viewport = page.getViewport({ scale: capped });
    const task = await this.render(page, base, viewport, null);
    if (!task || generation !== this.generation) return false;
    holder.dataset.drawn = `${number}:${Math.round(viewport.width)}`;
    holder.dataset.pixelsPerPoint = String(Math.round(capped * 1000) / 1000);
    const detail = holder.querySelector("canvas[data-pdf-canvas=detail]");
    if (detail) detail.hidden = true;  // another page or zoom: its sharp part is stale
    if (capped + 1e-6 < full) await this.drawDetail(holder, view, page, full, dpr);
    this.warm(number);
    return true;
  }

  // After a scroll: only the sharp part in view is drawn again, and only when the page is capped.
  async refresh(holder, view, number, cssWidth) {
    const detail = holder.querySelector("canvas[data-pdf-canvas=detail]");
    if (!detail || detail.hidden) return false;
    const generation = ++this.generation;
    this.drawing?.cancel();
    const page = await this.page(number);
    if (generation !== this.generation) return false;
    const dpr = window.devicePixelRatio || 1;
    await this.drawDetail(holder, view, page, (cssWidth / page.getViewport({ scale: 1 }).width) * dpr, dpr);
    return generation === this.generation;
  }

  // The visible part (and a margin) at the exact scale: crisp at any zoom without a giant canvas.
  async drawDetail(holder, view, page, full, dpr) {
    const detail = this.canvas(holder, "detail");
    const h = holder.getBoundingClientRect(), v = view.getBoundingClientRect();
    const left = Math.max(0, v.left - h.left - 64), top = Math.max(0, v.top - h.top - 64);
    const width = Math.min(h.width - left, v.width + 128), height = Math.min(h.height - top, v.height + 128);
    if (width <= 0 || height <= 0) return;
    const viewport = page.getViewport({ scale: full });
    const done = await this.render(page, detail, viewport, [1, 0, 0, 1, -left * dpr, -top * dpr],
      [width * dpr, height * dpr]);
    if (!done) return;
    // Moved only with its new pixels, so the old part never shows in the new place.
    Object.assign(detail.style, { left: `${left}px`, top: `${top}px`, width: `${width}px`, height: `${height}px` });
    detail.hidden = false;
  }

  canvas(holder, role) {
    let canvas = holder.querySelector(`canvas[data-pdf-canvas=${role}]`);
    if (!canvas) {
      canvas = document.createElement("canvas");
      canvas.dataset.pdfCanvas = role;
      canvas.className = `reader-canvas reader-canvas-${role}`;
      canvas.setAttribute("aria-hidden", "true");
      // Under the overlay and the image, the sharp part over the whole page (later in the DOM paints on top).
      const base = holder.querySelector("canvas[data-pdf-canvas=base]");
      if (base) base.after(canvas); else holder.prepend(canvas);
    }
    return canvas;
  }

  // One render at a time: a newer page or zoom cancels the one in progress.
  async render(page, canvas, viewport, transform, size) {
    const [width, height] = size || [viewport.width, viewport.height];
    // The first drawing goes straight into the empty canvas (nothing to hide a half page over, and a
    // page's worth of pixels less to copy before the first page is up); later ones via a scratch canvas.
    const scratch = canvas.dataset.painted ? document.createElement("canvas") : canvas;
    scratch.width = Math.ceil(width);
    scratch.height = Math.ceil(height);
    const task = page.render({ canvas: scratch, canvasContext: scratch.getContext("2d"), viewport, transform,
      annotationMode: this.lib.AnnotationMode.ENABLE });
    this.drawing = task;
    try {
      await task.promise;
    } catch (error) {
      if (error?.name === "RenderingCancelledException") return null;
      throw error;
    }
    canvas.dataset.painted = "1";
    if (scratch === canvas) return task;
    // Swapped in whole, so a page never shows half drawn over the previous one.
    canvas.width = scratch.width;
    canvas.height = scratch.height;
    canvas.getContext("2d").drawImage(scratch, 0, 0);
    return task;
  }

  // After the page in view: its neighbours' bytes and fonts, so a turn draws at once; a follower
  // takes the whole file (page 1 is already up), to follow the presenter anywhere with no request.
  warm(number) {
    if (this.whole && !this.warmed.has("all")) {
      this.warmed.add("all");
      this.doc.getData().then(() => { window.__pdfWhole = true; });
    }
    for (const n of [number + 1, number - 1, number + 2]) {
      if (n < 1 || n > this.doc.numPages || this.warmed.has(n)) continue;
      this.warmed.add(n);
      this.page(n).then((p) => p.getOperatorList()).catch(() => this.warmed.delete(n));
    }
  }

  // pdf.js's runs of text on a page in our space: [x0, top, x1, baseline, text], one per text item.
  // pdf.js gives no box per glyph, so the highlight tool snaps to the server's words (PyMuPDF's exact
  // glyph boxes, GET .../words); these runs are how the browser test proves both sit in one space,
  // rotated pages and boxes that do not start at 0 included.
  async runs(number) {
    const page = await this.page(number);
    const content = await page.getTextContent();
    return content.items.filter((item) => item.str && item.str.trim()).map((item) => {
      const [a, b, , , e, f] = item.transform;
      const [x0, baseline] = fromPdfSpace(page.view, [e, f]);
      return [x0, baseline - Math.hypot(a, b), x0 + item.width, baseline, item.str.trim()];
    });
  }
}
