// The live meeting room. The server is the truth: the screen holds the state from join_meeting and
// applies each meeting_update exactly once, in version order. A gap (a version skipped) or a
// reconnection asks for what was missed with since_version; the reply is the missing changes or,
// when they left the bounded log, the full state. Everything shown is rebuilt from that state.
import { apiCaller } from "./live/api.js";
import { drawAttendance } from "./live/attendance.js";
import { button, el } from "./live/dom.js";
import { liveSocket } from "./live.js";

const root = document.querySelector("[data-live-room]");
const meetingId = Number(root.dataset.meetingId);
const userId = Number(root.dataset.userId);
const T = JSON.parse(root.dataset.strings);
const desk = JSON.parse(root.dataset.desk); // what the server rendered controls for
const $ = (selector) => root.querySelector(selector);
const on = (selector, type, handler) => $(selector)?.addEventListener(type, handler);

let state = null;
let version = 0;
let joining = false;
let waiting = []; // pushes that arrived while a join was on its way, or ahead of a gap
const badges = {};

const socket = liveSocket();

function join(since) {
  joining = true;
  socket.emit("join_meeting", { meeting_id: meetingId, since_version: since }, (ack) => {
    joining = false;
    if (ack.error) {
      $("[data-connection]").textContent = T.no_access;
      showError(ack.error.message || T.no_access);
      return;
    }
    if (ack.state) {
      // A role changed under this screen (made chair, or no longer secretary): its controls are
      // decided by the server, so the page is drawn again rather than patched.
      const presents = ack.state.live.can_run || ack.state.agenda.some((i) => i.presenter_id === userId);
      if (ack.state.live.can_run !== desk.can_run || Boolean(ack.state.can_manage) !== desk.can_check_in_anyone
          || presents !== desk.may_present) {
        window.location.reload();
        return;
      }
      state = ack.state;
      version = ack.version;
    } else {
      ack.changes.forEach(apply);
    }
    const pending = waiting.sort((a, b) => a.version - b.version);
    waiting = [];
    pending.forEach(receive);
    render();
  });
}

function receive(update) {
  if (joining) { waiting.push(update); return; }
  if (update.version <= version) return; // already applied (from an acknowledgement or twice)
  if (update.version > version + 1) { // a gap: keep this one and ask for what lies between
    waiting.push(update);
    join(version);
    return;
  }
  apply(update);
}

// Types whose data is only an id: the full state is asked for again (rare, between items).
const REFETCH = /^(agenda_|document_|participant)/;

function apply(change) {
  if (change.version !== version + 1) return;
  version = change.version;
  state.version = version;
  const live = state.live;
  const data = change.data;
  if (change.type === "current_item") {
    state.agenda.forEach((item) => {
      if (item.id === data.previous_item_id) item.status = "done";
      if (item.id === data.item_id) item.status = "current";
    });
    state.current_item_id = data.item_id;
    live.current = data.item_id ? data : null;
  } else if (change.type === "check_in") {
    live.check_ins[String(data.user_id)] = { status: data.status, reason: data.reason };
  } else if (change.type === "presence") {
    live.connected = live.connected.filter((id) => id !== data.user_id);
    if (data.connected) live.connected.push(data.user_id);
  } else if (change.type === "speaking") {
    live.speaking = data.queue;
  } else if (change.type === "vote_opened") {
    live.votes.push({ ...data.vote, my_choice: null, counts: live.can_run ? zeroCounts(data.vote) : undefined });
  } else if (change.type === "ballot") {
    const vote = live.votes.find((v) => v.id === data.vote_id);
    if (vote) vote.voters = data.voters;
  } else if (change.type === "vote_closed") {
    const index = live.votes.findIndex((v) => v.id === data.vote.id);
    if (index >= 0) live.votes[index] = data.vote;
  } else if (change.type === "notice") {
    live.notices.push(data);
  } else if (change.type === "presenter_page") {
    live.presenter = data;
  } else if (REFETCH.test(change.type)) {
    if (change.type === "document_added") badges[data.document_id] = T.new;
    if (change.type === "document_updated") badges[data.document_id] = T.updated;
    join(null);
  }
}

function zeroCounts(vote) {
  return Object.fromEntries(vote.options.map((option) => [option, 0]));
}

function connected() {
  $("[data-connection]").textContent = T.live;
  join(state ? version : null);
}
socket.on("connect", connected);
// The page's one socket may be up before this module runs (the bell's module opened it, and a cached
// module tree arrives late): its "connect" has then passed, and the room would never be joined.
if (socket.connected) connected();
socket.on("disconnect", () => { $("[data-connection]").textContent = T.reconnecting; });
socket.on("meeting_update", (update) => {
  if (update.meeting_id !== meetingId) return;
  receive(update);
  if (!joining) render();
});
socket.on("vote_tally", (tally) => {
  const vote = state?.live.votes.find((v) => v.id === tally.vote_id);
  if (vote && vote.status === "open") { vote.counts = tally.counts; render(); }
});
// Only the meeting's secretaries hear these (the server sends them to their own screens).
socket.on("document_state", (message) => {
  if (message.meeting_id !== meetingId || !state) return;
  let doc = state.documents.find((d) => d.id === message.document_id);
  if (!doc) {
    // Ready: its document_added change brings it (with its "new" badge). Still being checked: a row
    // from the message itself, as asking for the whole state here could swallow that change.
    if (message.state === "ready") return;
    doc = { id: message.document_id, title: message.title, version: message.version, agenda_item_id: null };
    state.documents.push(doc);
  }
  Object.assign(doc, { state: message.state, progress: message.progress, refusal: message.refusal || null });
  render();
});
socket.on("document_revoked", (message) => {
  if (message.meeting_id !== meetingId || !state) return;
  state.documents = state.documents.filter((d) => d.id !== message.document_id);
  render();
});

// --- talking to the API ---
const call = apiCaller({ alert: $("[data-live-error]"), text: $("[data-live-error-text]"), refused: T.refused,
  offline: T.reconnecting, onStale: () => join(null) });
function showError(message) {
  $("[data-live-error-text]").textContent = message;
  $("[data-live-error]").hidden = false;
}

// --- drawing ---
function name(uid) {
  return state.participants.find((p) => p.user_id === uid)?.name ?? String(uid);
}

function minutesSince(iso) {
  return Math.max(0, (Date.now() - Date.parse(iso)) / 60000);
}

function clock(minutes) {
  const seconds = Math.floor(minutes * 60);
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`;
}

function renderTimer() {
  const current = state?.live.current;
  const timer = $("[data-current-timer]");
  if (!current) { timer.textContent = ""; return; }
  const elapsed = minutesSince(current.started_at);
  const planned = current.duration_minutes;
  timer.textContent = `${clock(elapsed)} ${T.elapsed}` + (planned ? ` / ${planned} ${T.minutes} ${T.planned}` : "");
  timer.classList.toggle("is-over", Boolean(planned) && elapsed > planned);
  const speaker = $("[data-speaking-timer]");
  const now = state.live.speaking.find((r) => r.status === "speaking");
  if (speaker && now?.started_at) speaker.textContent = clock(minutesSince(now.started_at));
}

function renderAgenda() {
  const current = state.agenda.find((i) => i.id === state.current_item_id);
  $("[data-current-title]").textContent = current ? current.title : T.no_current;
  const list = $("[data-agenda]");
  list.replaceChildren(...state.agenda.map((item) => {
    const li = el("li", null, `is-${item.status}`);
    li.dataset.itemId = item.id;
    li.append(el("span", item.title));
    if (item.duration_minutes) li.append(el("small", `${item.duration_minutes} ${T.minutes}`, "muted"));
    if (state.live.can_run && item.id !== state.current_item_id) {
      li.append(button(T.make_current, () => call("POST", `/meetings/${meetingId}/current`, { item_id: item.id }),
        { "data-make-current": item.id }));
    }
    return li;
  }));
}

function renderDocuments() {
  $("[data-documents]").replaceChildren(...state.documents.map((doc) => {
    const li = el("li");
    li.dataset.documentId = doc.id;
    if (doc.version > 0) { // a first upload still being checked has nothing to read yet
      const open = el("a", doc.title, "live-document-link");
      open.href = `/reader/documents/${doc.id}`;
      li.append(open);
    } else {
      li.append(el("span", doc.title));
    }
    if (badges[doc.id]) li.append(el("span", badges[doc.id], "badge-new"));
    if (doc.state === "processing") {
      const status = el("span", `${T.being_checked} ${doc.progress}%`, "upload-state");
      status.setAttribute("role", "status");
      status.dataset.uploadState = "processing";
      li.append(status);
    } else if (doc.state === "refused") {
      const status = el("span", T.refused_upload.replace("{reason}", doc.refusal?.message || ""), "upload-state upload-refused");
      status.dataset.uploadState = "refused";
      li.append(status);
    }
    return li;
  }));
}

// The presenter's page is read in the full reader, which follows it (static/js/reader/follow.js).
function canPresent() {
  const current = state.agenda.find((i) => i.id === state.current_item_id);
  return state.live.can_run || current?.presenter_id === userId;
}

function renderPresenter() {
  const presenter = state.live.presenter;
  const doc = presenter?.document_id ? state.documents.find((d) => d.id === presenter.document_id) : null;
  const stateText = $("[data-presenter-state]");
  const follow = $("[data-follow]");
  if (!presenter) stateText.textContent = T.nobody_presents;
  else if (!doc) stateText.textContent = T.not_yours; // the presenter shows what this reader may not read
  else {
    const who = T.presents.replace("{name}", name(presenter.presenter_id));
    stateText.textContent = `${who}: ${doc.title} · ${T.page} ${presenter.page}`;
  }
  stateText.dataset.page = doc ? `${doc.id}:${presenter.page}` : "";
  follow.hidden = !doc || presenter.presenter_id === userId; // the presenter presents rather than follows
  if (doc) follow.href = `/reader/documents/${doc.id}?follow=${meetingId}#page=${presenter.page}`;
  const controls = $("[data-present-controls]");
  if (!controls) return;
  const readable = state.documents.filter((d) => d.version > 0); // not one still being checked
  controls.hidden = !canPresent() || !readable.length;
  const select = $("[data-present-document]");
  const shown = doc?.id ?? Number(select.value || readable[0]?.id);
  select.replaceChildren(...readable.map((d) => {
    const option = el("option", d.title);
    option.value = d.id;
    option.selected = d.id === shown;
    return option;
  }));
  const page = doc?.id === shown ? presenter.page : 1;
  $("[data-present-reader]").href = `/reader/documents/${shown}?present=${meetingId}#page=${page}`;
}

function renderSpeaking() {
  const live = state.live;
  const mine = live.speaking.find((r) => r.user_id === userId);
  $("[data-speaking]").replaceChildren(...live.speaking.map((r, index) => {
    const li = el("li", null, `is-${r.status}`);
    li.dataset.requestId = r.id;
    li.append(el("span", r.name));
    if (r.status === "speaking") {
      li.append(el("strong", T.speaking), el("span", "", "live-timer"));
      li.lastChild.setAttribute("data-speaking-timer", "");
    }
    if (live.can_run && r.status === "waiting") {
      li.append(button(T.grant, () => call("POST", `/meetings/${meetingId}/speaking/${r.id}/grant`), { "data-grant": r.id }));
      if (index > 0 && live.speaking[index - 1].status === "waiting") {
        li.append(button(T.up, () => {
          const ids = live.speaking.filter((x) => x.status === "waiting").map((x) => x.id);
          const at = ids.indexOf(r.id);
          [ids[at - 1], ids[at]] = [ids[at], ids[at - 1]];
          call("PUT", `/meetings/${meetingId}/speaking/order`, { request_ids: ids, version });
        }));
      }
    }
    if (r.status === "speaking" && (live.can_run || r.user_id === userId)) {
      li.append(button(T.finish, () => call("POST", `/meetings/${meetingId}/speaking/${r.id}/finish`)));
    }
    return li;
  }));
  $("[data-speaking-empty]").hidden = live.speaking.length > 0;
  const ask = $("[data-ask]");
  if (!ask) return;
  ask.textContent = mine?.status === "waiting" ? T.withdraw : T.ask;
  ask.disabled = mine?.status === "speaking";
}

function renderVotes() {
  const live = state.live;
  $("[data-votes]").replaceChildren(...live.votes.map((vote) => {
    const box = el("div", null, "live-vote");
    box.dataset.voteId = vote.id;
    box.dataset.status = vote.status;
    box.append(el("strong", vote.question), el("span", ` (${vote.secret ? T.secret : T.open_ballot}) · ${vote.voters} ${T.voters}`));
    const label = (option) => T[option] ?? option;
    if (vote.status === "open") {
      if (live.can_vote) {
        const row = el("div", null, "actions-row");
        vote.options.forEach((option) => {
          const choose = button(label(option), async () => {
            const response = await call("POST", `/votes/${vote.id}/ballot`, { choice: option });
            if (response.ok) { vote.my_choice = option; render(); }
          }, { "data-choice": option });
          if (vote.my_choice === option) choose.classList.add("button-primary");
          row.append(choose);
        });
        box.append(row);
      }
      if (live.can_run) {
        if (vote.counts) {
          box.append(el("p", `${T.live_count}: ` + vote.options.map((o) => `${label(o)} ${vote.counts[o] ?? 0}`).join(" · "), "muted"));
          box.lastChild.setAttribute("data-live-count", "");
        }
        box.append(button(T.close_vote, () => call("POST", `/votes/${vote.id}/close`), { "data-close-vote": vote.id }));
      }
    } else if (vote.result) {
      const result = el("p", `${T.result}: ` + vote.options.map((o) => `${label(o)} ${vote.result.counts[o]}`).join(" · "));
      result.setAttribute("data-vote-result", "");
      box.append(result);
    }
    return box;
  }));
  $("[data-votes-empty]").hidden = live.votes.length > 0;
}

function renderAttendance() {
  drawAttendance(root, state, { desk, T, userId, checkIn });
}

function checkIn(uid, status, answered = "") {
  const reason = status === "absent" ? window.prompt(T.reason, answered || "") : null;
  if (status === "absent" && !reason) return;
  call("POST", `/meetings/${meetingId}/check-ins/${uid}`, { status, reason });
}

function renderNotices() {
  const notices = state.live.notices;
  const box = $("[data-notices]");
  box.replaceChildren(...notices.slice(-3).map((n) => el("p", n.text, "notice")));
}

function render() {
  if (!state) return;
  renderAgenda();
  renderDocuments();
  renderPresenter();
  renderSpeaking();
  renderVotes();
  renderAttendance();
  renderNotices();
  renderTimer();
  window.__liveVersion = version; // tests wait on this, never on a clock
  root.dataset.version = String(version);
}

// --- controls (each exists only on the screens of the role that may use it) ---
on("[data-live-error-close]", "click", () => { $("[data-live-error]").hidden = true; });
on("[data-next-item]", "click", () => {
  const items = state.agenda;
  const at = items.findIndex((i) => i.id === state.current_item_id);
  const next = items.slice(at + 1).find((i) => i.status === "pending") ?? items[at + 1];
  if (next) call("POST", `/meetings/${meetingId}/current`, { item_id: next.id });
});
on("[data-ask]", "click", () => {
  const mine = state.live.speaking.find((r) => r.user_id === userId);
  if (mine) call("DELETE", `/meetings/${meetingId}/speaking/${mine.id}`);
  else call("POST", `/meetings/${meetingId}/speaking`);
});
root.querySelectorAll("[data-my-check]").forEach((b) => b.addEventListener("click", () => checkIn(userId, b.dataset.myCheck)));
on("[data-vote-form]", "submit", async (event) => {
  event.preventDefault();
  const form = event.target;
  const options = form.options.value.split("\n").map((o) => o.trim()).filter(Boolean);
  const response = await call("POST", `/meetings/${meetingId}/votes`, {
    question: form.question.value, options: options.length ? options : null, secret: form.secret.checked,
  });
  if (response.ok) form.reset(); // a refused vote keeps what was typed
});
on("[data-notice-form]", "submit", async (event) => {
  event.preventDefault();
  const response = await call("POST", `/meetings/${meetingId}/notices`, { text: event.target.text.value });
  if (response.ok) event.target.reset();
});
function presenterTurn(step) {
  const doc = state.documents.find((d) => d.id === Number($("[data-present-document]").value));
  if (!doc) return;
  const at = state.live.presenter?.document_id === doc.id ? state.live.presenter.page : 0;
  const page = Math.min(Math.max(1, at + step), Math.max(1, doc.pages));
  call("POST", `/meetings/${meetingId}/presenter`, { document_id: doc.id, page });
}
on("[data-page-prev]", "click", () => presenterTurn(-1));
on("[data-page-next]", "click", () => presenterTurn(1));
on("[data-present-document]", "change", () => presenterTurn(1)); // another document opens at its first page

setInterval(renderTimer, 1000); // the clock on screen only; state never depends on it
