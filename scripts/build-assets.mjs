// Copies the front-end libraries we use from node_modules into static/vendor/ (served by Flask).
// Only what the pages load is copied; static/vendor/ is rebuilt from scratch each time.
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const vendor = join(root, "static", "vendor");
const modules = join(root, "node_modules");

rmSync(vendor, { recursive: true, force: true });
mkdirSync(vendor, { recursive: true });

// Noto Sans: a UI font that renders every Vietnamese diacritic the same on every tablet.
// Only the Vietnamese and Latin subsets at the weights the CSS uses.
const font = join(modules, "@fontsource", "noto-sans");
const fontOut = join(vendor, "noto-sans");
mkdirSync(join(fontOut, "files"), { recursive: true });
const subsets = ["vietnamese", "latin", "latin-ext"];
const blocks = [];
for (const weight of [400, 600, 700]) {
  for (const subset of subsets) {
    const file = `noto-sans-${subset}-${weight}-normal.woff2`;
    cpSync(join(font, "files", file), join(fontOut, "files", file));
  }
  const css = readFileSync(join(font, `${weight}.css`), "utf8");
  for (const block of css.split("/* ").slice(1)) {
    if (subsets.some((subset) => block.startsWith(`noto-sans-${subset}-${weight}-normal */`))) {
      // woff2 is enough for every browser we support; drop the .woff fallback we did not copy.
      blocks.push("/* " + block.replace(/, url\([^)]*\.woff\) format\('woff'\)/, "").trim());
    }
  }
}
writeFileSync(join(fontOut, "noto-sans.css"), blocks.join("\n\n") + "\n");
// A script as it is, with a brotli and a gzip twin beside it: the app sends the best one the browser
// accepts (meetings/assets.py). Made here once, not per request. Brotli at its best level is about a
// fifth smaller than gzip on pdf.js's worker; browsers offer it over HTTPS, gzip is for the others.
function withTwins(source, target) {
  const body = readFileSync(source);
  writeFileSync(target, body);
  writeFileSync(`${target}.gz`, gzipSync(body, { level: 9 }));
  writeFileSync(`${target}.br`, brotliCompressSync(body, { params: {
    [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY, [constants.BROTLI_PARAM_SIZE_HINT]: body.length } }));
}

// Socket.IO client: the browser end of live updates (ES module build, no bundler needed).
const sio = join(vendor, "socket.io");
mkdirSync(sio, { recursive: true });
withTwins(join(modules, "socket.io-client", "dist", "socket.io.esm.min.js"), join(sio, "socket.io.esm.min.js"));
cpSync(join(modules, "socket.io-client", "dist", "socket.io.esm.min.js.map"), join(sio, "socket.io.esm.min.js.map"));

// pdf.js (pdfjs-dist, Mozilla, Apache-2.0): the reader draws `download` and `app` documents from the
// reader's stamped copy. The library and its worker are ES modules; each gets its twins (1.8 MB as
// they are, 0.5 MB gzipped, 0.4 MB in brotli: most of what a tablet fetches to read ten pages). Standard fonts (for PDFs that do
// not embed the 14 base fonts) and CMaps (CJK) are fetched by pdf.js only when a PDF needs them.
// Not copied: the scripting sandbox (quickjs; scripting is off) and the viewer app.
const pdfjs = join(modules, "pdfjs-dist");
const pdfjsOut = join(vendor, "pdfjs");
mkdirSync(pdfjsOut, { recursive: true });
for (const file of ["pdf.min.mjs", "pdf.worker.min.mjs"]) withTwins(join(pdfjs, "build", file), join(pdfjsOut, file));
cpSync(join(pdfjs, "LICENSE"), join(pdfjsOut, "LICENSE"));
cpSync(join(pdfjs, "standard_fonts"), join(pdfjsOut, "standard_fonts"), { recursive: true });
cpSync(join(pdfjs, "cmaps"), join(pdfjsOut, "cmaps"), { recursive: true });
// Image decoders for JPEG 2000 and JBIG2 scans, as plain JS: WebAssembly would need the CSP's
// 'wasm-unsafe-eval', which we do not grant (the reader sets useWasm: false).
mkdirSync(join(pdfjsOut, "wasm"), { recursive: true });
for (const file of ["openjpeg_nowasm_fallback.js", "jbig2_nowasm_fallback.js"]) {
  cpSync(join(pdfjs, "wasm", file), join(pdfjsOut, "wasm", file));
}
writeFileSync(join(pdfjsOut, "VERSION"), JSON.parse(readFileSync(join(pdfjs, "package.json"), "utf8")).version + "\n");

console.log("static/vendor built");
