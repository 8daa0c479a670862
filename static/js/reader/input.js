// Pointer input on the page: reading gestures (swipe, tap zones, pinch, double tap) and the tools.
//
// A stroke follows ONE pointer (its id and type) from down to up; other pointers meanwhile are a
// palm or a second finger and are ignored. "Pen only" draws with pointerType "pen" only (Safari on
// iPad reports the Apple Pencil as "pen": its touchType "stylus"); fingers then pan and pinch.
// A stroke ended by pointercancel (the system took the gesture) is dropped, not saved half-made.
// touch-action is "none" while a tool is active, which applies to the pen too, so the browser never
// scrolls under the pen; our code pans for the fingers instead.
import { clampPoint, highlightRects, markerRect, thin } from "./geometry.js";

const SWIPE = 60, TAP = 10, DOUBLE_TAP_MS = 300;

export class PageInput {
  constructor(viewer, handlers) {
    this.viewer = viewer;
    this.h = handlers;  // tool(), penOnly(), stroke callbacks
    this.pointers = new Map();
    this.stroke = null;
    this.pinch = null;
    this.lastTap = null;
    const svg = viewer.svg;
    svg.addEventListener("pointerdown", (e) => this.down(e));
    svg.addEventListener("pointermove", (e) => this.move(e));
    svg.addEventListener("pointerup", (e) => this.up(e, false));
    svg.addEventListener("pointercancel", (e) => this.up(e, true));
    svg.addEventListener("contextmenu", (e) => e.preventDefault());  // a long press is not a right-click
  }

  draws(e) {
    const tool = this.h.tool();
    if (tool === "read") return false;
    return !this.h.penOnly() || e.pointerType === "pen";
  }

  down(e) {
    this.pointers.set(e.pointerId, { x: e.clientX, y: e.clientY, x0: e.clientX, y0: e.clientY, type: e.pointerType,
      t: e.timeStamp });
    if (this.stroke) return;  // a palm or second finger while the pen draws
    if (this.pointers.size === 2 && [...this.pointers.values()].every((p) => p.type === "touch")) {
      const [a, b] = [...this.pointers.values()];
      this.pinch = { distance: Math.hypot(a.x - b.x, a.y - b.y), zoom: this.viewer.zoom };
      return;
    }
    if (!this.draws(e)) return;
    e.preventDefault();
    this.viewer.svg.setPointerCapture?.(e.pointerId);
    const point = this.point(e);
    this.stroke = { id: e.pointerId, type: e.pointerType, points: [point], start: point };
    this.h.begin(this.stroke, e);
  }

  move(e) {
    const p = this.pointers.get(e.pointerId);
    if (!p) return;
    const dx = e.clientX - p.x, dy = e.clientY - p.y;
    p.x = e.clientX;
    p.y = e.clientY;
    if (this.pinch && this.pointers.size === 2) {
      const [a, b] = [...this.pointers.values()];
      const ratio = Math.hypot(a.x - b.x, a.y - b.y) / this.pinch.distance;
      this.pinch.ratio = ratio;
      this.viewer.holder.style.transform = `scale(${ratio})`;  // cheap while the fingers move
      return;
    }
    if (this.stroke && this.stroke.id === e.pointerId) {
      const events = e.getCoalescedEvents ? e.getCoalescedEvents() : [e];
      for (const c of events.length ? events : [e]) this.stroke.points.push(this.point(c));
      this.h.extend(this.stroke, e);
    } else if (this.h.tool() !== "read" && !this.stroke && e.pointerType !== "pen") {
      // Pen-only mode (touch-action none): the finger pans by hand.
      this.viewer.view.scrollBy(-dx, -dy);
    }
  }

  up(e, cancelled) {
    const p = this.pointers.get(e.pointerId);
    this.pointers.delete(e.pointerId);
    if (this.pinch) {
      if (this.pointers.size < 2) {
        const ratio = this.pinch.ratio || 1;
        this.viewer.setZoom(this.pinch.zoom * ratio);
        this.pinch = null;
      }
      return;
    }
    if (this.stroke && this.stroke.id === e.pointerId) {
      const stroke = this.stroke;
      this.stroke = null;
      if (cancelled) this.h.cancel(stroke); else this.h.end(stroke, e);
      return;
    }
    if (!p || cancelled || this.h.tool() !== "read") return;
    this.gesture(p, e);
  }

  // Reading: a horizontal swipe or a tap at the left or right edge turns the page; a double tap zooms.
  gesture(p, e) {
    const dx = e.clientX - p.x0, dy = e.clientY - p.y0;
    const rect = this.viewer.view.getBoundingClientRect();
    if (this.viewer.zoom === 1 && Math.abs(dx) > SWIPE && Math.abs(dy) < Math.abs(dx)) {
      this.viewer.go(this.viewer.page + (dx < 0 ? 1 : -1));
      return;
    }
    if (Math.hypot(dx, dy) > TAP) return;
    if (this.lastTap && e.timeStamp - this.lastTap.t < DOUBLE_TAP_MS) {
      this.lastTap = null;
      this.viewer.setZoom(this.viewer.zoom > 1 ? 1 : 2, { x: e.clientX - rect.left, y: e.clientY - rect.top });
      return;
    }
    this.lastTap = { t: e.timeStamp };
    const x = (e.clientX - rect.left) / rect.width;
    if (x < 0.2) this.viewer.go(this.viewer.page - 1);
    else if (x > 0.8) this.viewer.go(this.viewer.page + 1);
  }

  point(e) {
    return clampPoint(this.viewer.toPdf(e.clientX, e.clientY), this.viewer.box());
  }
}

// The finished shape of a drawing tool's stroke, or null when there is nothing to keep.
export function shapeFor(tool, stroke, { words, box, color, width }) {
  if (tool === "ink") {
    const points = thin(stroke.points);
    return points.length ? { kind: "ink", paths: [points], color, width } : null;
  }
  if (tool === "highlight") {
    const end = stroke.points[stroke.points.length - 1];
    const rects = (words && words.length && highlightRects(words, stroke.start, end)) || markerRect(stroke.points, box);
    return rects ? { kind: "highlight", rects, color } : null;
  }
  return null;
}
