// The reader's personal copy, in byte ranges, for pdf.js: the first request leaves with the page,
// beside pdf.js's worker starting (not after it, as when pdf.js asks for the file itself), and the
// end of the file, where pdf.js reads the cross-reference first, is asked for as soon as the length
// is known. Later ranges are asked by pdf.js through the PDFDataRangeTransport made here. A copy
// that fits in the first request (most documents of a few dozen pages) is handed over whole.
//
// The server answers ranges with 206, a strong ETag and If-Range (dossiers/responses.py); offline,
// the service worker cuts the same ranges from the kept copy (offline/sw.js).
export const CHUNK = 65536;  // pdf.js's rangeChunkSize: its requests start on these boundaries
const FIRST = 2 * CHUNK;
const HEADER = "X-Meetings-Reader";  // an `app` copy is handed out only to the reader's pdf.js

async function ranged(url, begin, end, etag) {
  const headers = { [HEADER]: "pdfjs", Range: `bytes=${begin}-${end - 1}` };
  if (etag) headers["If-Range"] = etag;
  const response = await fetch(url, { headers, credentials: "same-origin", priority: "high" });
  if (!response.ok) {
    const body = await response.json().catch(() => null);
    throw new Error(body?.error?.message || `HTTP ${response.status}`);
  }
  const bytes = new Uint8Array(await response.arrayBuffer());
  const range = /bytes (\d+)-\d+\/(\d+)/.exec(response.headers.get("Content-Range") || "");
  // A 200 is the whole file (a server without ranges, or a copy changed since the first request).
  return { bytes, start: range ? Number(range[1]) : 0, length: range ? Number(range[2]) : bytes.byteLength,
    etag: response.headers.get("ETag") };
}

export const copyUrl = (documentId) => `/api/v1/documents/${documentId}/file`;

// The first bytes of the copy, asked for at once: {bytes, length, etag, whole}.
export async function firstBytes(url) {
  const first = await ranged(url, 0, FIRST);
  return { ...first, whole: first.start === 0 && first.bytes.byteLength >= first.length };
}

// pdf.js's source for a copy larger than the first request: pdf.js asks for ranges, answered from
// what is already coming (the end of the file) or fetched now.
export function rangeSource(lib, url, first) {
  const pieces = [];  // {begin, end, bytes: a promise of exactly those bytes}
  const fetchPiece = (begin, end) => {
    const bytes = ranged(url, begin, end, first.etag).then((got) =>
      got.bytes.subarray(begin - got.start, end - got.start));
    pieces.push({ begin, end, bytes });
    return bytes;
  };
  const transport = new lib.PDFDataRangeTransport(first.length, first.bytes);
  transport.requestDataRange = (begin, end) => {
    const piece = pieces.find((p) => p.begin <= begin && end <= p.end);
    const bytes = piece ? piece.bytes.then((b) => b.subarray(begin - piece.begin, end - piece.begin))
      : fetchPiece(begin, end);
    bytes.then((b) => transport.onDataRange(begin, b), (error) => {
      document.querySelector("[data-reader-app]")?.setAttribute("data-pdf-error", String(error?.message || error));
    });
  };
  const tail = Math.floor((first.length - 1) / CHUNK) * CHUNK;
  if (tail >= first.bytes.byteLength) fetchPiece(tail, first.length);
  return transport;
}
