// The home page ("Hôm nay") follows the day live: a change to the schedule, a notification (a task,
// a document, a meeting started), or a change in one of the meetings it shows redraws its sections
// from the server; so does the next start or end of an entry, so "đang diễn ra" moves on time.
import { liveSocket } from "./live.js";

const home = document.querySelector("[data-home]");
const holder = home?.querySelector("[data-home-sections]");
const problem = home?.querySelector("[data-home-error]");
let timer = null;
let watched = "";

function sections() {
  return holder.querySelector(".home-sections");
}

function watch(socket) {
  const ids = sections()?.dataset.meetingIds || "";
  if (!socket.connected || ids === watched) return;
  watched = ids;
  const list = ids ? ids.split(",").map(Number) : [];
  if (list.length) socket.emit("watch_meetings", { meeting_ids: list });
}

function planNext(socket) {
  window.clearTimeout(timer);
  const seconds = Number(sections()?.dataset.refreshIn || 0);
  // A day at most: setTimeout cannot hold longer, and the page redraws on the next push anyway.
  if (seconds > 0 && seconds < 86400) timer = window.setTimeout(() => redraw(socket), seconds * 1000);
}

let running = null;
let again = false;

// One redraw at a time: a burst of pushes (a vote's ballots) costs one more fetch, not one each.
function redraw(socket) {
  if (running) {
    again = true;
    return running;
  }
  running = fetchSections(socket).finally(() => {
    running = null;
    if (again) {
      again = false;
      redraw(socket);
    }
  });
  return running;
}

async function fetchSections(socket) {
  let response;
  try {
    response = await fetch(home.dataset.sectionsUrl, { credentials: "same-origin", headers: { Accept: "text/html" } });
  } catch {
    return; // offline: the reconnect redraws
  }
  if (!response.ok) {
    problem.textContent = home.dataset.error;
    problem.hidden = false;
    return;
  }
  problem.hidden = true;
  const open = [...holder.querySelectorAll("details[open]")].map((d) => d.closest("[aria-labelledby]")?.id);
  holder.innerHTML = await response.text();
  open.forEach((id) => { if (id) holder.querySelector(`#${id} details`)?.setAttribute("open", ""); });
  window.__homeRedraws = (window.__homeRedraws || 0) + 1;
  watch(socket);
  planNext(socket);
}

if (holder) {
  const socket = liveSocket();
  const shown = () => new Set((sections()?.dataset.meetingIds || "").split(",").filter(Boolean).map(Number));
  socket.on("schedule_changed", () => redraw(socket));
  socket.on("notification", () => redraw(socket));
  socket.on("meeting_update", (message) => { if (shown().has(message.meeting_id)) redraw(socket); });
  socket.on("meeting_status", (message) => { if (shown().has(message.meeting_id)) redraw(socket); });
  // Whatever happened while there was no connection was pushed to nobody here: redraw on each (re)connect.
  socket.on("connect", async () => {
    watched = "";
    await redraw(socket);
    window.__homeLive = true; // tests wait on this, never on a clock
  });
  socket.on("disconnect", () => { window.__homeLive = false; });
  if (socket.connected) redraw(socket).then(() => { window.__homeLive = true; });
  planNext(socket);
}
