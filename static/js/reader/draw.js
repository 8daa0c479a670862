// Draws annotations into the overlay layer, in PDF points (the layer's matrix handles rotation).
import { bounds, smoothPath } from "./geometry.js";

export function drawAnnotations(viewer, annotations, { selectedId, hits = [], preview = null, byLabel }) {
  const layer = viewer.layer;
  layer.replaceChildren();
  for (const rect of hits) {
    layer.append(viewer.element("rect", { class: "hit", x: rect[0], y: rect[1], width: rect[2] - rect[0],
      height: rect[3] - rect[1] }));
  }
  for (const a of [...annotations, ...(preview ? [preview] : [])]) {
    const group = viewer.element("g", { "data-id": a.id, "data-kind": a.kind, "data-shared": String(!!a.shared) });
    if (a.author && byLabel) group.append(title(viewer, byLabel.replace("{name}", a.author)));
    if (a.kind === "highlight") {
      for (const r of a.rects) {
        group.append(viewer.element("rect", { class: "hl", x: r[0], y: r[1], width: r[2] - r[0], height: r[3] - r[1],
          fill: a.color, "fill-opacity": "0.4" }));
      }
    } else if (a.kind === "ink") {
      for (const path of a.paths) {
        const d = smoothPath(path);
        // A wide invisible stroke under the visible one: a finger can pick or erase a thin line.
        group.append(viewer.element("path", { d, fill: "none", stroke: "transparent", "stroke-width": Math.max(14, a.width || 2),
          "stroke-linecap": "round", "pointer-events": "stroke" }));
        group.append(viewer.element("path", { d, fill: "none", stroke: a.color, "stroke-width": a.width || 2,
          "stroke-linecap": "round", "stroke-linejoin": "round" }));
      }
    } else if (a.kind === "note") {
      const [x, y] = a.rect;
      group.append(viewer.element("rect", { x, y, width: 20, height: 20, rx: 3, fill: a.color, stroke: "#333" }));
      // Three lines of "writing", drawn: a glyph (✎) would be an empty box where the font lacks it.
      group.append(viewer.element("path", { d: `M${x + 5} ${y + 7}h10M${x + 5} ${y + 11}h10M${x + 5} ${y + 15}h6`,
        stroke: "#222", "stroke-width": 1.4, "stroke-linecap": "round", fill: "none" }));
    } else if (a.kind === "freetext") {
      const [x0, y0, x1, y1] = a.rect;
      group.append(viewer.element("rect", { x: x0, y: y0, width: x1 - x0, height: y1 - y0, fill: "#ffffff",
        "fill-opacity": "0.85", stroke: a.color, "stroke-width": 0.75 }));
      const text = viewer.element("text", { x: x0 + 3, y: y0 + 13, "font-size": 12, fill: a.color });
      (a.text || "").split("\n").forEach((line, i) => {
        const span = viewer.element("tspan", { x: x0 + 3, dy: i ? 14 : 0 });
        span.textContent = line;
        text.append(span);
      });
      group.append(text);
    }
    if (a.id === selectedId) {
      const b = bounds(a);
      group.append(viewer.element("rect", { class: "selected", x: b[0] - 3, y: b[1] - 3, width: b[2] - b[0] + 6,
        height: b[3] - b[1] + 6 }));
    }
    layer.append(group);
  }
}

function title(viewer, text) {
  const node = viewer.element("title");
  node.textContent = text;
  return node;
}
