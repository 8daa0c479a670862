// One page at a time, drawn from the server's page images, with our SVG overlay on top.
//
// Why page images and not pdf.js: (1) a "read in the app only" document must not reach the tablet
// as a file, and pdf.js needs the whole PDF in the browser; (2) the first page is one cached JPEG
// (~150 KB, ETag, immutable), visible before pdf.js would have loaded its worker; (3) annotations,
// the text layer (words from PyMuPDF) and the export all share PyMuPDF's coordinates, so nothing
// converts between pdf.js viewports and bottom-left PDF space; (4) no worker, no CSP change, no
// PDF scripting or XFA surface in the browser at all. Zooming asks for a wider image (up to 2048 px).
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
const ZOOMS = [1, 1.5, 2, 3, 4];

export class Viewer {
  constructor(root, { documentId, layout, onPage, stamped = false, fit = "page" }) {
    Object.assign(this, { root, documentId, layout, onPage, stamped, fit });
    this.view = root.querySelector("[data-view]");
    this.holder = root.querySelector("[data-page-holder]");
    this.image = root.querySelector("[data-page-image]");
    this.svg = root.querySelector("[data-overlay]");
    this.layer = root.querySelector("[data-layer]");
    this.page = 1;
    this.zoom = 1;
    this.cache = new Map();
    // The view changes size with the window, a turned tablet, the tools tray and the side panel.
    let size = "";
    new ResizeObserver(() => {
      const now = `${this.view.clientWidth}x${this.view.clientHeight}`;
      if (now !== size && this.image.src) this.render();
      size = now;
    }).observe(this.view);
  }

  get count() { return this.layout.pages.length; }
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
    if (target === this.page && this.image.src) return false;
    this.page = target;
    this.view.scrollTop = 0;
    this.render();
    return true;
  }

  setZoom(zoom, focus) {
    const before = this.zoom;
    this.zoom = Math.min(Math.max(zoom, ZOOMS[0]), ZOOMS[ZOOMS.length - 1]);
    const ratio = this.zoom / before;
    this.render();
    if (focus) {  // keep the spot under the fingers where it was
      this.view.scrollLeft = (this.view.scrollLeft + focus.x) * ratio - focus.x;
      this.view.scrollTop = (this.view.scrollTop + focus.y) * ratio - focus.y;
    }
  }

  step(direction) {
    const next = direction > 0 ? ZOOMS.find((z) => z > this.zoom + 0.01) : [...ZOOMS].reverse().find((z) => z < this.zoom - 0.01);
    this.setZoom(next || this.zoom);
  }

  render() {
    const shown = this.shown(), scale = this.scale();
    const cssWidth = Math.round(shown.width * scale);
    this.holder.style.width = `${cssWidth}px`;
    this.holder.style.height = `${Math.round(shown.height * scale)}px`;
    this.holder.style.transform = "";
    this.view.classList.toggle("zoomed", this.zoom > 1);
    this.image.src = this.src(this.page, cssWidth);
    this.svg.setAttribute("viewBox", `0 0 ${shown.width} ${shown.height}`);
    this.layer.setAttribute("transform", `matrix(${this.box().matrix.join(" ")})`);
    this.holder.dataset.page = String(this.page);
    this.onPage(this.page);
    this.prefetch(cssWidth);
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
