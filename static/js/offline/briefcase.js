// The page's side of the offline briefcase (the service worker is sw.js, served at /sw.js): registers
// the worker, asks it to sync on every page and on every reconnect (the meeting on screen is kept too),
// shows a meeting's state ("Sẵn sàng đọc ngoại tuyến", its size, "Xóa khỏi thiết bị này"), marks what
// needs the network while offline, and wipes the device before signing out.
import { wipeDevice, unsentChanges } from "./wipe.js";

const worker = "serviceWorker" in navigator ? navigator.serviceWorker : null;
const section = document.querySelector("[data-briefcase]");
const shownMeeting = Number(section?.dataset.meetingId || document.querySelector("[data-reader-app]")?.dataset.meetingId)
  || undefined;

async function tell(message) {
  const registration = await worker.ready;
  registration.active?.postMessage(message);
}

function showConnection() {
  document.documentElement.classList.toggle("is-offline", !navigator.onLine);
  document.querySelectorAll("[data-online-only]").forEach((node) => { node.hidden = navigator.onLine; });
}

function size(bytes) {
  const format = (n, unit) => `${new Intl.NumberFormat(document.documentElement.lang || "vi",
    { maximumFractionDigits: 1 }).format(n)} ${unit}`;
  return bytes >= 1024 * 1024 ? format(bytes / 1024 / 1024, "MB") : format(Math.max(1, Math.round(bytes / 1024)), "KB");
}

function showMeeting(state) {
  if (!section) return;
  const id = Number(section.dataset.meetingId), kept = state.meetings[id], labels = section.dataset;
  const text = section.querySelector("[data-briefcase-status]");
  const remove = section.querySelector("[data-briefcase-remove]"), keep = section.querySelector("[data-briefcase-keep]");
  let status;
  if (kept?.complete) status = "ready";
  else if (kept?.filling) status = "filling";
  else if (kept) status = "partial";
  else status = "none";
  text.textContent = {
    ready: labels.labelReady.replace("{size}", size(kept?.bytes || 0)),
    filling: labels.labelFilling, partial: labels.labelPartial, none: labels.labelNone,
  }[status];
  section.dataset.state = status;
  remove.hidden = !kept;
  keep.hidden = !!kept || !navigator.onLine;
  section.hidden = false;
}

if (worker) {
  const hadController = !!worker.controller;
  // A new version took over (its whole shell already cached): reload once, so this page runs the new
  // files together instead of a mix of old and new modules.
  worker.addEventListener("controllerchange", () => { if (hadController) window.location.reload(); });
  worker.addEventListener("message", (event) => {
    if (event.data?.type !== "briefcase") return;
    window.__briefcase = event.data;  // the tests read it
    showMeeting(event.data);
  });
  worker.register("/sw.js", { scope: "/", updateViaCache: "none" }).then(() => {
    tell({ type: "sync", open: shownMeeting });
  }).catch((error) => console.warn("offline briefcase unavailable", error));
  // Back online: the worker learns what may stay (access removed -> files deleted) and refreshes.
  window.addEventListener("online", () => tell({ type: "sync", force: true }));
  section?.querySelector("[data-briefcase-remove]").addEventListener("click", () => {
    if (window.confirm(section.dataset.confirmRemove)) tell({ type: "remove", meeting: section.dataset.meetingId });
  });
  section?.querySelector("[data-briefcase-keep]").addEventListener("click", () => {
    tell({ type: "keep", meeting: section.dataset.meetingId });
  });
}

window.addEventListener("online", showConnection);
window.addEventListener("offline", showConnection);
showConnection();

// Signing out leaves nothing of the app on this device. Changes not yet sent would be lost with it:
// say so first.
document.addEventListener("submit", async (event) => {
  const form = event.target;
  if (!form.matches("[data-sign-out]") || event.defaultPrevented || form.dataset.wiped) return;
  event.preventDefault();
  const unsent = unsentChanges();
  if (unsent && !window.confirm(form.dataset.unsent.replace("{n}", unsent))) return;
  await wipeDevice();
  form.dataset.wiped = "1";
  form.submit();
});
