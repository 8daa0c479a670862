// Attendance in the live room: who is connected and checked in, the count, my own check-in, and the
// secretaries' buttons to check anyone in (present only on their console: live/access.py).
import { button, el } from "./dom.js";

export function drawAttendance(root, state, { desk, T, userId, checkIn }) {
  const $ = (selector) => root.querySelector(selector);
  const checkOf = (uid) => state.live.check_ins[String(uid)] ?? { status: "not_yet" };
  const live = state.live;
  $("[data-attendance]").replaceChildren(...state.participants.map((p) => {
    const li = el("li");
    li.dataset.userId = p.user_id;
    const dot = el("span", null, "live-dot");
    dot.classList.toggle("is-on", live.connected.includes(p.user_id));
    dot.title = T.connected;
    const check = checkOf(p.user_id);
    li.append(dot, el("span", p.name));
    if (p.delegate_for) li.append(el("small", T.in_place_of.replace("{name}", p.delegate_for_name), "badge badge-delegate"));
    li.append(el("small", T[check.status] + (check.reason ? ` (${check.reason})` : ""), "muted"));
    li.lastChild.setAttribute("data-check-in", check.status);
    // Until the day's check-in, what they answered beforehand tells the secretary whom to expect.
    if (check.status === "not_yet" && (p.rsvp === "declined" || p.rsvp === "delegated")) {
      const told = p.rsvp === "delegated" && p.delegate_name ? `${T.rsvp_delegated}: ${p.delegate_name}`
        : T.rsvp_declined + (p.rsvp_reason ? ` (${p.rsvp_reason})` : "");
      li.append(el("small", told, "muted"));
      li.lastChild.setAttribute("data-rsvp", p.rsvp);
    }
    if (desk.can_check_in_anyone) {
      ["in_person", "online", "absent"].forEach((status) => li.append(button(T[status], () => checkIn(p.user_id, status,
        p.rsvp_reason), { "data-check": status })));
    }
    return li;
  }));
  const present = state.participants.filter((p) => ["in_person", "online"].includes(checkOf(p.user_id).status));
  root.querySelectorAll("[data-attendance-summary]").forEach((node) => {
    node.textContent = T.attendance_count.replace("{present}", present.length).replace("{total}", state.participants.length);
  });
  const mine = $("[data-my-check-in]");
  if (mine) {
    const check = checkOf(userId);
    mine.textContent = check.status === "not_yet" ? T.not_checked_in
      : `${T.you_are} ${T[check.status]}` + (check.reason ? ` (${check.reason})` : "");
    mine.dataset.checkIn = check.status;
    root.querySelectorAll("[data-my-check]").forEach((b) => {
      b.classList.toggle("button-primary", b.dataset.myCheck === check.status);
      b.setAttribute("aria-pressed", String(b.dataset.myCheck === check.status));
    });
  }
}
