// Pointer input on the page: reading gestures (swipe, tap zones, pinch, double tap) and the tools.
//
// A stroke follows ONE pointer (its id and type) from down to up; other pointers meanwhile are a
// palm or a second finger and are ignored. "Pen only" draws with pointerType "pen" only (Safari on
// iPad reports the Apple Pencil as "pen": its touchType "stylus"); fingers then pan and pinch.
// A stroke ended by pointercancel (the system took the gesture) is dropped, not saved half-made.
//
// Who gets a touch is decided by touch-action (reader.css): not zoomed, the browser may only scroll
// up and down, so a sideways swipe reaches us and turns the page; zoomed, the browser pans (and
// cancels our pointer: no page turn); with a tool, "none", so the browser never scrolls under the
// pen and our code pans for the fingers instead. Reading gestures work on the whole view, margins
// included; a stroke starts on the page only. Every pointer we follow is captured, so its "up" comes
// back to us wherever it ends and no finger is left behind to make the next touch look like a pinch.
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
    const view = viewer.view;
    view.addEventListener("pointerdown", (e) => this.down(e));
    view.addEventListener("pointermove", (e) => this.move(e));
    view.addEventListener("pointerup", (e) => this.up(e, false));
    view.addEventListener("pointercancel", (e) => this.up(e, true));
    view.addEventListener("lostpointercapture", (e) => this.lost(e));
    view.addEventListener("contextmenu", (e) => e.preventDefault());  // a long press is not a right-click
    // A touch we act on must not also become the browser's scroll: even where touch-action lets
    // nothing move, Chromium turns a quick stroke into a fling, and the next tap anywhere (the next
    // tool, the zoom button) only stops that fling and is lost. Consuming the moves prevents it.
    view.addEventListener("touchmove", (e) => { if (e.cancelable && this.claims()) e.preventDefault(); },
      { passive: false });
  }

  // Is the finger on the view ours: a stroke, a pinch, any tool, or a sideways swipe on a page that fits?
  claims() {
    if (this.stroke || this.pinch || this.h.tool() !== "read") return true;
    if (this.viewer.zoom > 1 || this.pointers.size !== 1) return false;
    const [p] = this.pointers.values();
    return Math.abs(p.x - p.x0) > Math.abs(p.y - p.y0);
  }

  draws(e) {
    const tool = this.h.tool();
    if (tool === "read") return false;
    return !this.h.penOnly() || e.pointerType === "pen";
  }

  down(e) {
    if (e.pointerType === "mouse" && e.button !== 0) return;
    this.pointers.set(e.pointerId, { x: e.clientX, y: e.clientY, x0: e.clientX, y0: e.clientY, type: e.pointerType,
      t: e.timeStamp });
    try { this.viewer.view.setPointerCapture(e.pointerId); } catch { /* already gone */ }
    if (this.stroke) return;  // a palm or second finger while the pen draws
    if (this.pointers.size === 2 && [...this.pointers.values()].every((p) => p.type === "touch")) {
      const [a, b] = [...this.pointers.values()];
      this.pinch = { distance: Math.hypot(a.x - b.x, a.y - b.y), zoom: this.viewer.zoom };
      return;
    }
    if (!this.draws(e) || !e.target.closest?.("[data-overlay]")) return;
    e.preventDefault();
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

  // The capture ended without an up we saw (the element went away, the system took the pointer).
  lost(e) {
    if (this.pointers.has(e.pointerId)) this.up(e, true);
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
