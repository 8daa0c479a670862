// Follow the presenter (theo người trình bày): with ?follow=MEETING_ID the reader joins the meeting's
// live room and turns to the presenter's page; another document opens in its place. Turning a page
// oneself leaves follow mode; one tap on the bar rejoins.
import { liveSocket } from "../live.js";

export function followPresenter(viewer, { meetingId, documentId, bar }) {
  const labels = bar.dataset;
  const text = bar.querySelector("[data-follow-text]");
  const toggle = bar.querySelector("[data-follow-toggle]");
  let following = true;
  let presenter = null;
  let readable = new Set(); // the documents this reader may open, from the meeting's state
  let driving = false; // a page turn made by following, not by the reader's own hand

  function show() {
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
    viewer.go(presenter.page);
    driving = false;
    window.__followedPage = presenter.page;
  }

  const socket = liveSocket();
  const join = () => socket.emit("join_meeting", { meeting_id: meetingId, since_version: null }, (ack) => {
    if (ack.error || !ack.state) { text.textContent = ack.error?.message ?? labels.labelNotYours; return; }
    readable = new Set(ack.state.documents.map((d) => d.id));
    presenter = ack.state.live.presenter;
    turn();
  });
  socket.on("connect", join);
  if (socket.connected) join();
  socket.on("meeting_update", (update) => {
    if (update.meeting_id !== meetingId) return;
    if (update.type === "presenter_page") { presenter = update.data; turn(); }
    else if (/^document_/.test(update.type)) join(); // the list of readable documents changed
  });
  toggle.addEventListener("click", () => { following = !following; turn(); });

  return {
    // Called for every page shown: one the reader turned to by hand ends following.
    shown(page) {
      if (driving || !following || !presenter || presenter.document_id !== documentId) return;
      if (page !== presenter.page) { following = false; show(); }
    },
  };
}
