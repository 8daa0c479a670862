// Copies the front-end libraries we use from node_modules into static/vendor/ (served by Flask).
// Only what the pages load is copied; static/vendor/ is rebuilt from scratch each time.
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
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

console.log("static/vendor built");
