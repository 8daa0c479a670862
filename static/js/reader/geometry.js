// Pure helpers for the reader: text folding (the browser's twin of meetings/text.py), smooth ink
// curves, and turning words under a drag into highlight rectangles. Coordinates are PDF points,
// origin top-left of the unrotated page, exactly as the server stores and exports them.

export function fold(text) {
  return text.normalize("NFD").replace(/\p{M}/gu, "").replace(/đ/g, "d").replace(/Đ/g, "D")
    .toLowerCase().replace(/\s+/g, " ").trim();
}

const round = (v) => Math.round(v * 100) / 100;

// A smooth curve through the samples: quadratic Béziers between midpoints (no overshoot, cheap to draw).
export function smoothPath(points) {
  if (!points.length) return "";
  if (points.length < 3) return "M" + points.map((p) => `${p[0]} ${p[1]}`).join(" L");
  let d = `M${points[0][0]} ${points[0][1]}`;
  for (let i = 1; i < points.length - 1; i++) {
    const mid = [(points[i][0] + points[i + 1][0]) / 2, (points[i][1] + points[i + 1][1]) / 2];
    d += ` Q${points[i][0]} ${points[i][1]} ${round(mid[0])} ${round(mid[1])}`;
  }
  const last = points[points.length - 1];
  return d + ` L${last[0]} ${last[1]}`;
}

// Drop samples closer than `min` points to the previous kept one: a pen gives hundreds a second.
export function thin(points, min = 0.75) {
  const out = [];
  for (const p of points) {
    const q = out[out.length - 1];
    if (!q || Math.hypot(p[0] - q[0], p[1] - q[1]) >= min) out.push(p);
  }
  return out;
}

export function clampPoint([x, y], box) {
  return [round(Math.min(Math.max(x, 0), box.width)), round(Math.min(Math.max(y, 0), box.height))];
}

// The word a point of the drag means. A point level with a line means that line: a finger run past
// the end of a short line means its last word, not the first word of the longer line below, which
// may be nearer as the crow flies. Between lines, the nearest word within `reach` points.
function nearestWord(words, [x, y], reach) {
  let best = -1, bestDistance = Infinity;
  words.forEach((w, i) => {
    if (y < w[1] || y > w[3]) return;
    const d = Math.max(w[0] - x, 0, x - w[2]);
    if (d < bestDistance) { best = i; bestDistance = d; }
  });
  if (best >= 0) return best;
  words.forEach((w, i) => {
    const d = Math.hypot(Math.max(w[0] - x, 0, x - w[2]), Math.max(w[1] - y, 0, y - w[3]));
    if (d < bestDistance) { best = i; bestDistance = d; }
  });
  return bestDistance <= reach ? best : -1;
}

// Words from the one nearest the start of the drag to the one nearest its end, in reading order,
// merged into one rectangle per line: what "select text, then highlight" gives on paper.
export function highlightRects(words, start, end, reach = 18) {
  const a = nearestWord(words, start, reach), b = nearestWord(words, end, reach);
  if (a < 0 || b < 0) return null;
  const [from, to] = a <= b ? [a, b] : [b, a];
  const lines = [];
  for (const w of words.slice(from, to + 1)) {
    const line = lines[lines.length - 1];
    const mid = (w[1] + w[3]) / 2;
    if (line && mid > line[1] && mid < line[3] && w[0] >= line[0] - 2) {
      line[0] = Math.min(line[0], w[0]); line[1] = Math.min(line[1], w[1]);
      line[2] = Math.max(line[2], w[2]); line[3] = Math.max(line[3], w[3]);
    } else {
      lines.push([w[0], w[1], w[2], w[3]]);
    }
  }
  return lines.map((r) => r.map(round));
}

// Without text under it (a scan), a highlight is a marker stroke: the band the finger covered.
export function markerRect(points, box, half = 7) {
  const xs = points.map((p) => p[0]), ys = points.map((p) => p[1]);
  const r = [Math.min(...xs), Math.min(...ys) - half, Math.max(...xs), Math.max(...ys) + half];
  const [x0, y0] = clampPoint([r[0], r[1]], box), [x1, y1] = clampPoint([r[2], r[3]], box);
  return x1 > x0 && y1 > y0 ? [[x0, y0, x1, y1]] : null;
}

// Where the words of a page match a query (diacritics ignored): one rectangle per matched word.
export function matchRects(words, query) {
  const needle = fold(query);
  if (!needle) return [];
  let text = "";
  const owner = [];
  words.forEach((w, i) => {
    const f = fold(w[4]);
    if (text) { text += " "; owner.push(-1); }
    text += f;
    for (let k = 0; k < f.length; k++) owner.push(i);
  });
  const rects = [];
  for (let at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) {
    const hit = new Set(owner.slice(at, at + needle.length).filter((i) => i >= 0));
    for (const i of hit) rects.push(words[i].slice(0, 4));
  }
  return rects;
}

// Move an annotation's geometry by (dx, dy), kept inside the page.
export function moved(annotation, dx, dy, box) {
  const inside = (x0, y0, x1, y1) => {
    const sx = Math.min(Math.max(dx, -x0), box.width - x1), sy = Math.min(Math.max(dy, -y0), box.height - y1);
    return [sx, sy];
  };
  const b = bounds(annotation);
  const [sx, sy] = inside(...b);
  const shift = (r) => [round(r[0] + sx), round(r[1] + sy), round(r[2] + sx), round(r[3] + sy)];
  const copy = { ...annotation };
  if (copy.rects) copy.rects = copy.rects.map(shift);
  if (copy.rect) copy.rect = shift(copy.rect);
  if (copy.paths) copy.paths = copy.paths.map((path) => path.map((p) => [round(p[0] + sx), round(p[1] + sy)]));
  return copy;
}

export function bounds(a) {
  const rects = a.rects || (a.rect ? [a.rect] : a.paths.map((path) => [
    Math.min(...path.map((p) => p[0])), Math.min(...path.map((p) => p[1])),
    Math.max(...path.map((p) => p[0])), Math.max(...path.map((p) => p[1]))]));
  return [Math.min(...rects.map((r) => r[0])), Math.min(...rects.map((r) => r[1])),
    Math.max(...rects.map((r) => r[2])), Math.max(...rects.map((r) => r[3]))];
}

// pdf.js's PDF user space -> ours. pdf.js gives points with y up, from the origin the file chose
// (`view` is the page's CropBox within its MediaBox: [x0, y0, x1, y1], x0/y0 often not 0); we keep
// points from the top-left of that box, y down, unrotated (PyMuPDF's page space, what the server
// stores and exports). The page's /Rotate is not applied here: the overlay's matrix does that.
export function fromPdfSpace(view, [x, y]) {
  return [x - view[0], view[3] - y];
}
