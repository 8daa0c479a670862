// The reader in a meeting's live room. ?follow=MEETING_ID: follow the presenter (theo người trình bày),
// turning to the presenter's page at the presenter's zoom; another document opens in its place;
// turning a page or zooming by hand leaves follow mode, and one tap on the bar rejoins.
// ?present=MEETING_ID: this reader is the presenter's, and its page and zoom are what others follow.
import { liveSocket } from "../live.js";

const csrf = () => document.querySelector("meta[name=csrf-token]")?.content;

export function followPresenter(viewer, { meetingId, documentId, bar }) {
  const labels = bar.dataset;
  const presenting = bar.dataset.mode === "present";
  const text = bar.querySelector("[data-follow-text]");
  const toggle = bar.querySelector("[data-follow-toggle]");
  let following = !presenting;
  let presenter = null;
  let readable = new Set(); // the documents this reader may open, from the meeting's state
  let driving = false; // a page turn made by following, not by the reader's own hand
  let joined = false;

  function show() {
    if (presenting) return;
    const elsewhere = following && presenter?.document_id && !readable.has(presenter.document_id);
    bar.dataset.state = following ? "on" : "off";
    text.textContent = elsewhere ? labels.labelNotYours : following ? labels.labelFollowing : labels.labelLeft;
    toggle.textContent = following ? labels.labelLeave : labels.labelRejoin;
  }

  function turn() {
    show();
    window.__presenterPage = presenter?.page; // tests wait on these, never on a clock
    if (!following || !presenter?.document_id || !readable.has(presenter.document_id)) return;
    if (presenter.document_id !== documentId) {
      window.location.href = `/reader/documents/${presenter.document_id}?follow=${meetingId}#page=${presenter.page}`;
      return;
    }
    driving = true;
    if (Math.abs(viewer.zoom - (presenter.zoom || 1)) > 0.01) viewer.setZoom(presenter.zoom || 1);
    viewer.go(presenter.page);
    driving = false;
    window.__followedPage = presenter.page;
  }

  // The presenter's reader tells the room each page and zoom it shows; a refusal is said on the bar.
  let sent = null;
  async function present(page) {
    const key = `${page}:${viewer.zoom}`;
    if (key === sent) return;
    sent = key;
    const response = await fetch(`/api/v1/meetings/${meetingId}/presenter`, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf() },
      body: JSON.stringify({ document_id: documentId, page, zoom: viewer.zoom }),
    }).catch(() => null);
    if (!response?.ok) {
      sent = null;
      const body = await response?.json().catch(() => null);
      text.textContent = body?.error?.message ?? labels.labelRefused;
    } else {
      text.textContent = labels.labelPresenting;
      window.__presentedPage = page;
    }
  }

  const socket = liveSocket();
  const join = () => socket.emit("join_meeting", { meeting_id: meetingId, since_version: null }, (ack) => {
    if (ack.error || !ack.state) { text.textContent = ack.error?.message ?? labels.labelNotYours; return; }
    readable = new Set(ack.state.documents.map((d) => d.id));
    presenter = ack.state.live.presenter;
    joined = true;
    if (presenting) present(viewer.page); else turn();
  });
  socket.on("connect", join);
  if (socket.connected) join();
  socket.on("meeting_update", (update) => {
    if (update.meeting_id !== meetingId) return;
    if (update.type === "presenter_page") { presenter = update.data; if (!presenting) turn(); }
    else if (/^document_/.test(update.type)) join(); // the list of readable documents changed
  });
  toggle?.addEventListener("click", () => { following = !following; turn(); });

  return {
    // Called for every page shown (and every zoom): by hand, it ends following; when presenting, it is sent.
    shown(page) {
      if (presenting) { if (joined) present(page); return; }
      if (driving || !following || !presenter || presenter.document_id !== documentId) return;
      if (page !== presenter.page || Math.abs(viewer.zoom - (presenter.zoom || 1)) > 0.01) { following = false; show(); }
    },
  };
}
