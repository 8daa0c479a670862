// The secretary's view of uploads being checked by the worker: each row's progress follows the
// `document_state` events pushed to this user's screens; when a document is ready or refused the
// page is drawn again by the server (links, pages, the reason). On every (re)connection the state is
// asked once from the API, so an event missed while offline is not waited for forever.
import { liveSocket } from "./live.js";

const rows = () => [...document.querySelectorAll('[data-upload-state="processing"]')];

function show(message) {
  const row = document.querySelector(`[data-upload-state="processing"][data-document-id="${message.document_id}"]`);
  if (!row) return;
  if (message.state !== "processing") {
    window.location.reload();
    return;
  }
  const bar = row.querySelector("[data-state-progress]");
  bar.value = message.progress;
  bar.textContent = `${message.progress}%`;
}

async function catchUp() {
  for (const row of rows()) {
    const response = await fetch(`/api/v1/documents/${row.dataset.documentId}`, { headers: { Accept: "application/json" } });
    if (response.ok) show({ ...(await response.json()), document_id: Number(row.dataset.documentId) });
  }
}

if (rows().length) {
  const socket = liveSocket();
  socket.on("document_state", show);
  socket.on("connect", catchUp);
}
