// The live meeting room. The server is the truth: the screen holds the state from join_meeting and
// applies each meeting_update exactly once, in version order. A gap (a version skipped) or a
// reconnection asks for what was missed with since_version; the reply is the missing changes or,
// when they left the bounded log, the full state. Everything shown is rebuilt from that state.
import { liveSocket } from "./live.js";

const root = document.querySelector("[data-live-room]");
const meetingId = Number(root.dataset.meetingId);
const userId = Number(root.dataset.userId);
const T = JSON.parse(root.dataset.strings);
const $ = (selector) => root.querySelector(selector);
const csrf = document.querySelector("meta[name=csrf-token]")?.content;

let state = null;
let version = 0;
let joining = false;
let waiting = []; // pushes that arrived while a join was on its way, or ahead of a gap
let following = true; // follow the presenter until the reader scrolls or turns a page
let ownPage = null;
const badges = {};

const socket = liveSocket();

function join(since) {
  joining = true;
  socket.emit("join_meeting", { meeting_id: meetingId, since_version: since }, (ack) => {
    joining = false;
    if (ack.error) {
      $("[data-connection]").textContent = T.no_access;
      return;
    }
    if (ack.state) {
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

socket.on("connect", () => {
  $("[data-connection]").textContent = T.live;
  join(state ? version : null);
});
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
socket.on("document_revoked", (message) => {
  if (message.meeting_id !== meetingId || !state) return;
  state.documents = state.documents.filter((d) => d.id !== message.document_id);
  if (shownDocument()?.id === message.document_id || ownPage?.document_id === message.document_id) {
    ownPage = null;
    $("[data-reader-caption]").textContent = T.revoked;
  }
  render();
});

// --- talking to the API (the same one other clients use) ---
async function call(method, path, body) {
  const response = await fetch(`/api/v1${path}`, {
    method, credentials: "same-origin",
    headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (response.status === 409) join(null); // stale: take the fresh state
  return response;
}

// --- drawing ---
function el(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = text;
  if (className) node.className = className;
  return node;
}

function button(text, onClick, attrs = {}) {
  const node = el("button", text, "button");
  node.type = "button";
  Object.entries(attrs).forEach(([k, v]) => node.setAttribute(k, v));
  node.addEventListener("click", onClick);
  return node;
}

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
  $("[data-run-only]").hidden = !state.live.can_run;
}

function renderDocuments() {
  $("[data-documents]").replaceChildren(...state.documents.map((doc) => {
    const li = el("li");
    li.dataset.documentId = doc.id;
    const open = button(doc.title, () => { following = false; ownPage = { document_id: doc.id, page: 1 }; renderReader(); });
    li.append(open);
    if (badges[doc.id]) li.append(el("span", badges[doc.id], "badge-new"));
    return li;
  }));
}

function shownDocument() {
  const target = following ? state.live.presenter : ownPage;
  return target ? state.documents.find((d) => d.id === target.document_id) : null;
}

function renderReader() {
  const target = following ? state.live.presenter : ownPage;
  const doc = shownDocument();
  $("[data-follow-state]").textContent = following ? T.following : "";
  $("[data-rejoin]").hidden = following || !state.live.presenter;
  $("[data-present-controls]").hidden = !state.live.can_present;
  const image = $("[data-page-image]");
  if (!doc || !target) {
    image.removeAttribute("src");
    image.hidden = true;
    // The presenter shows a document this reader may not read (the server lists only readable
    // ones, and sends no document in the state): say so rather than follow or show a blank.
    $("[data-reader-caption]").textContent = following && state.live.presenter ? T.not_yours : "";
    return;
  }
  $("[data-reader-caption]").textContent = `${doc.title} · ${T.page} ${target.page}`;
  root.querySelector("[data-reader]").dataset.page = `${doc.id}:${target.page}`;
  // A document the reader may not keep comes stamped for them: a separate address from the shared image.
  const src = `/api/v1/documents/${doc.id}/pages/${target.page}?width=1024${doc.can_download === false ? "&stamped=1" : ""}`;
  if (image.getAttribute("src") !== src) image.src = src;
  image.hidden = false;
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
  const ask = $("[data-ask]");
  ask.hidden = !state.participants.some((p) => p.user_id === userId);
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
  $("[data-vote-form]").hidden = !live.can_run;
}

function renderAttendance() {
  const live = state.live;
  $("[data-attendance]").replaceChildren(...state.participants.map((p) => {
    const li = el("li");
    li.dataset.userId = p.user_id;
    const dot = el("span", null, "live-dot");
    dot.classList.toggle("is-on", live.connected.includes(p.user_id));
    dot.title = T.connected;
    const check = live.check_ins[String(p.user_id)] ?? { status: "not_yet" };
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
    if (p.user_id === userId || state.can_manage) {
      ["in_person", "online", "absent"].forEach((status) => li.append(button(T[status], () => {
        const reason = status === "absent" ? window.prompt(T.reason, p.rsvp_reason || "") : null;
        if (status === "absent" && !reason) return;
        call("POST", `/meetings/${meetingId}/check-ins/${p.user_id}`, { status, reason });
      }, { "data-check": status })));
    }
    return li;
  }));
}

function renderNotices() {
  const notices = state.live.notices;
  const box = $("[data-notices]");
  box.replaceChildren(...notices.slice(-3).map((n) => el("p", n.text, "notice")));
  $("[data-notice-form]").hidden = !state.live.can_post_notice;
}

function render() {
  if (!state) return;
  $("[data-version]").textContent = String(version);
  renderAgenda();
  renderDocuments();
  renderReader();
  renderSpeaking();
  renderVotes();
  renderAttendance();
  renderNotices();
  renderTimer();
  window.__liveVersion = version; // tests wait on this, never on a clock
  root.dataset.version = String(version);
}

// --- controls ---
$("[data-next-item]").addEventListener("click", () => {
  const items = state.agenda;
  const at = items.findIndex((i) => i.id === state.current_item_id);
  const next = items.slice(at + 1).find((i) => i.status === "pending") ?? items[at + 1];
  if (next) call("POST", `/meetings/${meetingId}/current`, { item_id: next.id });
});
$("[data-ask]").addEventListener("click", () => {
  const mine = state.live.speaking.find((r) => r.user_id === userId);
  if (mine) call("DELETE", `/meetings/${meetingId}/speaking/${mine.id}`);
  else call("POST", `/meetings/${meetingId}/speaking`);
});
$("[data-vote-form]").addEventListener("submit", (event) => {
  event.preventDefault();
  const form = event.target;
  const options = form.options.value.split("\n").map((o) => o.trim()).filter(Boolean);
  call("POST", `/meetings/${meetingId}/votes`, {
    question: form.question.value, options: options.length ? options : null, secret: form.secret.checked,
  });
  form.reset();
});
$("[data-notice-form]").addEventListener("submit", (event) => {
  event.preventDefault();
  call("POST", `/meetings/${meetingId}/notices`, { text: event.target.text.value });
  event.target.reset();
});
function presenterTurn(step) {
  const at = state.live.presenter ?? (state.documents[0] && { document_id: state.documents[0].id, page: 0 });
  const doc = at && state.documents.find((d) => d.id === at.document_id);
  if (!doc) return;
  const page = Math.min(Math.max(1, at.page + step), Math.max(1, doc.pages));
  following = true;
  call("POST", `/meetings/${meetingId}/presenter`, { document_id: doc.id, page });
}
$("[data-page-prev]").addEventListener("click", () => presenterTurn(-1));
$("[data-page-next]").addEventListener("click", () => presenterTurn(1));
$("[data-rejoin]").addEventListener("click", () => { following = true; ownPage = null; renderReader(); });
// A follower who scrolls or draws on the page takes over their own reading; the presenter does not.
const reader = $("[data-reader]");
function leaveFollow() {
  if (!following || state?.live.can_present || !state?.live.presenter) return;
  following = false;
  ownPage = { ...state.live.presenter };
  renderReader();
}
reader.addEventListener("wheel", leaveFollow, { passive: true });
reader.addEventListener("touchmove", leaveFollow, { passive: true });
reader.addEventListener("pointerdown", (event) => { if (event.pointerType === "pen") leaveFollow(); });

setInterval(renderTimer, 1000); // the clock on screen only; state never depends on it
