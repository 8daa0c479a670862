// The reader's first moment: this small module runs as soon as it arrives (async, first in the page's
// head), before the rest of the reader has loaded, and starts at once, side by side, what
// the first page waits for: pdf.js's worker (its largest file, and time to compile), the personal
// copy's first bytes, and the library (pdfpages.js opens the document once they are in). Left to
// itself, pdf.js would start its worker only after the library had loaded, and ask for the file only
// after the worker had started: three waits one after another. It imports only copy.js, so that it
// does not wait for the rest of the reader's modules.
// main.js imports `opening` from here (one module, one start) once its own imports are in.
import { copyUrl, firstBytes } from "./copy.js";

// Module workers: the getter runs only where the browser understands `type`; the address is invalid,
// so no worker is started and nothing is fetched. Without them the reader shows the server's images.
export function canDrawPdf() {
  let supported = false;
  try {
    new Worker("http://[", { get type() { supported = true; return "module"; } }).terminate();
  } catch { /* the invalid address, as intended */ }
  return supported;
}

function start(documentId) {
  performance.mark("reader:boot");
  // Relative to this module, so the build's version in its address carries over (meetings/assets.py).
  const worker = new Worker(new URL("../../vendor/pdfjs/pdf.worker.min.mjs", import.meta.url), { type: "module" });
  const url = copyUrl(documentId);
  const first = firstBytes(url);
  first.catch(() => {});  // said by the opening below
  return import("./pdfpages.js").then(({ openPdf }) => openPdf({ worker, url, first }));
}

// In the page's head (the body may not be parsed yet), only where pdf.js draws the document.
const pdfDocument = document.querySelector("meta[name=reader-pdf-document]")?.content;
export const opening = pdfDocument && canDrawPdf() ? start(Number(pdfDocument)) : null;
opening?.catch(() => {});  // main.js shows the images instead, and says why in data-pdf-error
