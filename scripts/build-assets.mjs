// Copies the front-end libraries we use from node_modules into static/vendor/ (served by Flask).
// Only what the pages load is copied; static/vendor/ is rebuilt from scratch each time.
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
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
// Socket.IO client: the browser end of live updates (ES module build, no bundler needed).
const sio = join(vendor, "socket.io");
mkdirSync(sio, { recursive: true });
for (const file of ["socket.io.esm.min.js", "socket.io.esm.min.js.map"]) {
  cpSync(join(modules, "socket.io-client", "dist", file), join(sio, file));
}

// pdf.js (pdfjs-dist, Mozilla, Apache-2.0): the reader draws `download` and `app` documents from the
// reader's stamped copy. The library and its worker are ES modules; each gets a gzip twin that the
// app serves to browsers that accept it (they are 1.8 MB as they are, 0.5 MB gzipped: the
// difference is most of what a tablet fetches to read ten pages). Standard fonts (for PDFs that do
// not embed the 14 base fonts) and CMaps (CJK) are fetched by pdf.js only when a PDF needs them.
// Not copied: the scripting sandbox (quickjs; scripting is off) and the viewer app.
const pdfjs = join(modules, "pdfjs-dist");
const pdfjsOut = join(vendor, "pdfjs");
mkdirSync(pdfjsOut, { recursive: true });
for (const file of ["pdf.min.mjs", "pdf.worker.min.mjs"]) {
  const body = readFileSync(join(pdfjs, "build", file));
  writeFileSync(join(pdfjsOut, file), body);
  writeFileSync(join(pdfjsOut, `${file}.gz`), gzipSync(body, { level: 9 }));
}
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
