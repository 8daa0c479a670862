// Meeting pages: multi-file upload (drop or choose) with a progress bar, agenda reorder by drag with
// mouse, pen or finger (pointer events), and print for downloadable documents. Every form also works
// without this file; the move up/down buttons are the keyboard's way to reorder.

import "./dossiers-people.js";
import "./dossiers-state.js";

const csrf = () => document.querySelector("meta[name=csrf-token]")?.content || "";

// --- Upload: each file goes to the JSON API on its own XMLHttpRequest, for its upload progress. ---
function uploadOne(url, file, fields, onProgress) {
  return new Promise((resolve) => {
    const body = new FormData();
    body.append("file", file);
    Object.entries(fields).forEach(([key, value]) => { if (value) body.append(key, value); });
    const request = new XMLHttpRequest();
    request.open("POST", url);
    request.setRequestHeader("X-CSRFToken", csrf());
    request.setRequestHeader("Accept", "application/json");
    request.upload.addEventListener("progress", (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    });
    request.addEventListener("load", () => {
      let data = {};
      try { data = JSON.parse(request.responseText); } catch { /* an HTML error page */ }
      // 202: received; the worker checks it (a refusal found at once by it comes back as state "refused").
      const refused = data.state === "refused" ? data.refusal?.message : null;
      resolve({ ok: request.status === 202 && !refused, message: refused || data.error?.message || request.statusText });
    });
    request.addEventListener("error", () => resolve({ ok: false, message: "network error" }));
    request.send(body);
  });
}

// By the name only, to choose the words: the server recognises the file by its content.
function converting(form, name) {
  const ext = name.includes(".") ? name.split(".").pop().toLowerCase() : "";
  return (form.dataset.converted || "").split(" ").includes(ext);
}

function setUpUpload(form) {
  const input = form.querySelector("[data-upload-input]");
  const bar = form.querySelector("[data-upload-progress]");
  const list = form.querySelector("[data-upload-status]");
  const send = async (files) => {
    if (!files.length) return;
    const fields = { agenda_item_id: form.elements.agenda_item_id?.value, access: form.elements.access?.value };
    const total = files.reduce((sum, f) => sum + f.size, 0) || 1;
    let done = 0;
    let failed = 0;
    bar.hidden = false;
    form.setAttribute("aria-busy", "true");
    for (const file of files) {
      const row = document.createElement("li");
      row.textContent = file.name;
      list.append(row);
      // Once the bytes are sent the server is still at work: an office file is being converted by
      // LibreOffice (seconds), a PDF checked. Say which, so a long wait does not look like a hang.
      const converted = converting(form, file.name);
      const result = await uploadOne(form.dataset.api, file, fields, (share) => {
        bar.value = Math.round(((done + share * file.size) / total) * 100);
        if (share >= 1) {
          row.textContent = `${file.name}: ${converted ? form.dataset.converting : form.dataset.checking}`;
          row.dataset.state = converted ? "converting" : "checking";
        }
      });
      delete row.dataset.state;
      done += file.size;
      bar.value = Math.round((done / total) * 100);
      row.textContent = `${file.name}: ${result.ok ? "✓" : result.message}`;
      row.className = result.ok ? "upload-ok" : "upload-failed";
      if (!result.ok) failed += 1;
    }
    form.removeAttribute("aria-busy");
    document.body.dataset.uploadsDone = String(files.length - failed);
    if (!failed) window.location.reload(); // refused files stay listed with their reason
  };
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    send([...input.files]);
  });
  form.addEventListener("dragover", (event) => { event.preventDefault(); form.classList.add("dragging"); });
  form.addEventListener("dragleave", () => form.classList.remove("dragging"));
  form.addEventListener("drop", (event) => {
    event.preventDefault();
    form.classList.remove("dragging");
    send([...event.dataTransfer.files]);
  });
}

// --- Agenda reorder: drag a top-level item by its handle; the new order goes out with the version. ---
function setUpAgenda(list) {
  let dragged = null;
  const topItems = () => [...list.querySelectorAll(":scope > li:not(.agenda-sub)")];
  const save = async () => {
    const response = await fetch(`/api/v1/meetings/${list.dataset.meetingId}/agenda/order`, {
      method: "PUT",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf() },
      body: JSON.stringify({ item_ids: topItems().map((li) => Number(li.dataset.itemId)),
                             version: Number(list.dataset.version) }),
    });
    // Reload either way: on success to renumber, on 409 "stale" to show what someone else changed.
    if (response.ok || response.status === 409) window.location.reload();
  };
  list.addEventListener("pointerdown", (event) => {
    const handle = event.target.closest("[data-drag-handle]");
    const item = handle?.closest("li");
    if (!item || item.classList.contains("agenda-sub")) return;
    event.preventDefault();
    dragged = item;
    dragged.classList.add("dragging");
    handle.setPointerCapture(event.pointerId);
  });
  list.addEventListener("pointermove", (event) => {
    if (!dragged) return;
    const over = topItems().find((li) => {
      const box = li.getBoundingClientRect();
      return li !== dragged && event.clientY > box.top && event.clientY < box.bottom;
    });
    if (!over) return;
    const below = event.clientY > over.getBoundingClientRect().top + over.offsetHeight / 2;
    const anchor = below ? lastOfGroup(over).nextSibling : over;
    const group = groupOf(dragged);
    group.forEach((li) => list.insertBefore(li, anchor));
  });
  const drop = () => {
    if (!dragged) return;
    dragged.classList.remove("dragging");
    dragged = null;
    save();
  };
  list.addEventListener("pointerup", drop);
  list.addEventListener("pointercancel", drop);
}

// A top-level item moves together with its sub-items.
function groupOf(item) {
  const group = [item];
  let next = item.nextElementSibling;
  while (next?.classList.contains("agenda-sub")) { group.push(next); next = next.nextElementSibling; }
  return group;
}

function lastOfGroup(item) {
  const group = groupOf(item);
  return group[group.length - 1];
}

const upload = document.querySelector("[data-upload]");
if (upload) setUpUpload(upload);
const agendaList = document.querySelector("[data-agenda][data-sortable]");
if (agendaList) setUpAgenda(agendaList);
document.querySelector("[data-print]")?.addEventListener("click", () => window.print());
// Module scripts run after the page is shown: tests (and impatient fingers) can tell when drag works.
document.body.dataset.dossiersReady = "true";
