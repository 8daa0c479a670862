// One page at a time, with our SVG overlay on top, drawn one of two ways:
// - `download` and `app` documents: pdf.js draws the reader's stamped copy on a canvas at the exact
//   scale x devicePixelRatio, sharp after every zoom (pdfpages.js);
// - `screen` documents (they never leave the server as a file), and devices without module workers:
//   the server's page images (~150 KB, ETag), up to 2048 px wide.
// - while pdf.js starts on a tablet that does not have it yet, page 1 as the server's 1024 px image
//   (the reader's own stamped one for `app`), replaced by pdf.js's canvas in one frame once drawn.
// Either way the page sits in the same holder, displayed as rotated, so annotations, the text layer
// (words from PyMuPDF) and the export share PyMuPDF's coordinates and nothing else changes.
const SVG = "http://www.w3.org/2000/svg";

// A restricted document's images carry the reader's stamp and are revalidated on every use; the extra
// parameter keeps them apart from any unstamped image a browser may have cached under the plain address.
export function pageUrl(documentId, page, { width, stamped = false, thumbnail = false }) {
  const base = `/api/v1/documents/${documentId}/${thumbnail ? "thumbnails" : "pages"}/${page}`;
  const query = new URLSearchParams();
  if (width) query.set("width", String(width));
  if (stamped) query.set("stamped", "1");
  const text = query.toString();
  return text ? `${base}?${text}` : base;
}
const STEPS = [768, 1024, 1536, 2048];
const IMAGE_ZOOMS = [1, 1.5, 2, 3, 4];  // past 4x a 2048 px image is only blur
const PDF_ZOOMS = [1, 1.5, 2, 3, 4, 6];  // meetings/live/services.py MAX_ZOOM follows the last

export class Viewer {
  // pdf: PdfPages, or null for the server's images; pending: a promise of one of those, while pdf.js is
  // still starting (boot.js), with `preview` (page 1's image, stamped for the reader where images are)
  // shown meanwhile on page 1, until pdf.js's canvas replaces it in the same frame.
  constructor(root, { documentId, layout, onPage, stamped = false, fit = "page", pdf = null, pending = null,
    preview = null }) {
    Object.assign(this, { root, documentId, layout, onPage, stamped, fit, pdf, preview });
    this.waiting = Boolean(pending);
    this.zooms = pdf || pending ? PDF_ZOOMS : IMAGE_ZOOMS;
    this.view = root.querySelector("[data-view]");
    this.holder = root.querySelector("[data-page-holder]");
    this.image = root.querySelector("[data-page-image]");
    this.svg = root.querySelector("[data-overlay]");
    this.layer = root.querySelector("[data-layer]");
    this.page = 1;
    this.zoom = 1;
    this.cache = new Map();
    // The view changes size with the window, a turned tablet, the tools tray and the side panel. Only a
    // size other than the one the page was last laid out for redraws: the observer's first call (the
    // size the first page was just drawn at) would cancel that drawing and start it again.
    new ResizeObserver(() => {
      if (this.shownOnce && this.viewSize() !== this.laidOut) this.render();
    }).observe(this.view);
    // The first page on screen, for bench/reader_pdfjs.py: "reader:first-page" when it is first visible
    // at all, "reader:first-page-image" when as an image (the server's page, or the preview while pdf.js
    // starts), "reader:first-page-pdf" when pdf.js's canvas is drawn and shown.
    const mark = (name) => { if (!performance.getEntriesByName(name).length) performance.mark(name); };
    this.shownBy = (how) => { mark(`reader:first-page-${how}`); mark("reader:first-page"); };
    this.image.addEventListener("load", () => { if (!this.image.hidden) this.shownBy("image"); });
    this.image.addEventListener("error", () => {  // no preview (offline, say): pdf.js's page will come
      if (this.holder.dataset.previewing !== undefined) { this.preview = null; this.showPreview(false); }
    });
    if (pdf || pending) {
      this.image.hidden = true;
      // Zoomed past what one canvas holds, the sharp part follows the scrolling.
      let timer = null;
      this.view.addEventListener("scroll", () => {
        clearTimeout(timer);
        timer = setTimeout(() => {
          this.pdf?.refresh(this.holder, this.view, this.page, parseFloat(this.holder.style.width)).catch(() => {});
        }, 120);
      }, { passive: true });
    }
    pending?.then((pages) => this.attach(pages));
  }

  // pdf.js is up (or could not start: null, the server's images then, at their zoom steps).
  attach(pdf) {
    this.waiting = false;
    this.pdf = pdf;
    if (!pdf) {
      this.zooms = IMAGE_ZOOMS;
      this.zoom = Math.min(this.zoom, IMAGE_ZOOMS[IMAGE_ZOOMS.length - 1]);
      this.showPreview(false);
      this.image.hidden = false;
    }
    if (this.shownOnce) this.render();
  }

  // Page 1's image while pdf.js starts: under nothing (pdf.js's canvas, hidden while it is drawn, is
  // shown and the image hidden in one go when the page is drawn: the same box, so nothing moves).
  showPreview(on) {
    if (on) {
      if (this.image.getAttribute("src") !== this.preview) this.image.src = this.preview;
      this.holder.dataset.previewing = "";
      this.image.hidden = false;
      if (this.image.complete && this.image.naturalWidth) this.shownBy("image");
    } else if (this.holder.dataset.previewing !== undefined) {
      delete this.holder.dataset.previewing;
      this.image.hidden = true;
    }
  }

  get count() { return this.layout.pages.length; }
  viewSize() { return `${this.view.clientWidth}x${this.view.clientHeight}`; }
  box(page = this.page) { return this.layout.pages[page - 1]; }

  // The page as displayed: a quarter turn swaps width and height.
  shown(page = this.page) {
    const b = this.box(page);
    return b.rotation % 180 ? { width: b.height, height: b.width } : { width: b.width, height: b.height };
  }

  // Zoom 1 is the fit: the page's width to the view's ("width"), or the whole page in view ("page",
  // what a landscape tablet needs). Zooming multiplies that.
  scale() {
    const shown = this.shown();
    const width = (this.view.clientWidth - 16) / shown.width;
    const fit = this.fit === "page" ? Math.min(width, (this.view.clientHeight - 16) / shown.height) : width;
    return Math.max(fit, 0.05) * this.zoom;
  }

  setFit(fit) {
    this.fit = fit;
    this.zoom = 1;
    this.render();
  }

  src(page, cssWidth) {
    const want = cssWidth * (window.devicePixelRatio || 1);
    const width = STEPS.find((s) => s >= want) || STEPS[STEPS.length - 1];
    return pageUrl(this.documentId, page, { width, stamped: this.stamped });
  }

  go(page) {
    const target = Math.min(Math.max(1, page), this.count);
    if (target === this.page && this.shownOnce) return false;
    this.page = target;
    this.view.scrollTop = 0;
    this.render();
    return true;
  }

  setZoom(zoom, focus) {
    const before = this.zoom;
    this.zoom = Math.min(Math.max(zoom, this.zooms[0]), this.zooms[this.zooms.length - 1]);
    const ratio = this.zoom / before;
    this.render();
    if (focus) {  // keep the spot under the fingers where it was
      this.view.scrollLeft = (this.view.scrollLeft + focus.x) * ratio - focus.x;
      this.view.scrollTop = (this.view.scrollTop + focus.y) * ratio - focus.y;
    }
  }

  step(direction) {
    const next = direction > 0 ? this.zooms.find((z) => z > this.zoom + 0.01)
      : [...this.zooms].reverse().find((z) => z < this.zoom - 0.01);
    this.setZoom(next || this.zoom);
  }

  render() {
    this.laidOut = this.viewSize();  // the size this layout is for
    const shown = this.shown(), scale = this.scale();
    const cssWidth = Math.round(shown.width * scale);
    this.holder.style.width = `${cssWidth}px`;
    this.holder.style.height = `${Math.round(shown.height * scale)}px`;
    this.holder.style.transform = "";
    this.view.classList.toggle("zoomed", this.zoom > 1);
    this.shownOnce = true;
    if (this.pdf || this.waiting) {
      this.showPreview(Boolean(this.preview) && !this.pdfShown && this.page === 1);
      if (this.pdf) this.drawPdf();
    } else {
      this.image.src = this.src(this.page, cssWidth);
    }
    this.svg.setAttribute("viewBox", `0 0 ${shown.width} ${shown.height}`);
    this.layer.setAttribute("transform", `matrix(${this.box().matrix.join(" ")})`);
    this.holder.dataset.page = String(this.page);
    this.onPage(this.page);
    if (!this.pdf && !this.waiting) this.prefetch(cssWidth);
  }

  // pdf.js draws at the holder's size; a newer call cancels an older one (pdfpages.js).
  drawPdf() {
    const page = this.page, width = parseFloat(this.holder.style.width);
    this.holder.dataset.drawing = "1";
    this.pdf.draw(this.holder, this.view, page, width).then((done) => {
      if (done && page === this.page) {
        // The canvas in place of the preview, in this one task: the next frame shows the drawn page.
        this.pdfShown = true;
        this.showPreview(false);
        delete this.holder.dataset.drawing;
        this.shownBy("pdf");
      }
    }).catch((error) => { this.holder.dataset.pdfError = String(error?.message || error); });
  }

  // The next pages (and the previous one) are fetched now, so a page turn shows them at once.
  prefetch(cssWidth) {
    for (const page of [this.page + 1, this.page + 2, this.page - 1]) {
      if (page < 1 || page > this.count) continue;
      const url = this.src(page, cssWidth);
      if (!this.cache.has(url)) {
        const img = new Image();
        img.src = url;
        this.cache.set(url, img);
      }
    }
  }

  // Screen point -> PDF points of the unrotated page (the overlay layer carries the page's matrix).
  toPdf(clientX, clientY) {
    const point = this.svg.createSVGPoint();
    point.x = clientX;
    point.y = clientY;
    const p = point.matrixTransform(this.layer.getScreenCTM().inverse());
    return [p.x, p.y];
  }

  element(name, attributes = {}) {
    const node = document.createElementNS(SVG, name);
    for (const [k, v] of Object.entries(attributes)) node.setAttribute(k, v);
    return node;
  }
}
