// The work calendar's behaviour: swipe between days on a tablet, quick navigation, and a
// secretary's entry form that fills defaults and saves from the keyboard. Everything works
// without this file too; it only makes it faster.

// Pickers that act as soon as they change (there is still a button for keyboards and no-JS).
document.addEventListener("change", (event) => {
  const target = event.target;
  if (target.matches("[data-autosubmit]") || target.closest("[data-date-pick]")) {
    target.form.requestSubmit();
  }
  if (target.matches("[data-leader-pick]")) {
    window.location.href = target.dataset.url.replace("/leader/0/", `/leader/${target.value}/`);
  }
});

// One leader's week: each day is a panel in a horizontally scrolling strip with scroll snapping,
// so a finger swipe moves one day; the tabs and arrow keys do the same without touch.
function setUpDays(strip) {
  const panels = [...strip.querySelectorAll("[data-day-panel]")];
  const tabs = [...document.querySelectorAll("[data-day-tab]")];
  const show = (index, smooth = true) => {
    const panel = panels[Math.max(0, Math.min(index, panels.length - 1))];
    strip.scrollTo({ left: panel.offsetLeft - strip.offsetLeft, behavior: smooth ? "smooth" : "instant" });
  };
  const current = () => Math.round(strip.scrollLeft / Math.max(1, strip.clientWidth));
  const mark = () => tabs.forEach((tab, i) => tab.setAttribute("aria-selected", String(i === current())));
  tabs.forEach((tab, i) => tab.addEventListener("click", (event) => {
    event.preventDefault(); // an anchor jump would also scroll the page vertically
    show(i);
  }));
  strip.addEventListener("scroll", () => window.requestAnimationFrame(mark), { passive: true });
  document.addEventListener("keydown", (event) => {
    if (event.target.closest("input, select, textarea")) return;
    if (event.key === "ArrowRight") show(current() + 1);
    if (event.key === "ArrowLeft") show(current() - 1);
  });
  const today = panels.findIndex((panel) => panel.hasAttribute("data-today"));
  show(today >= 0 ? today : 0, false);
  mark();
}

// The entry form: a room brings its online link, the chair brings the preparing unit, and
// Ctrl+Enter saves (Ctrl+Shift+Enter saves and opens the next blank entry).
function setUpEntryForm(form) {
  const room = form.querySelector("[data-room-select]");
  const online = form.querySelector("[name=online_url]");
  const unit = form.querySelector("[name=preparing_unit]");
  room?.addEventListener("change", () => {
    const option = room.selectedOptions[0];
    if (option?.dataset.onlineUrl && !online.value) online.value = option.dataset.onlineUrl;
  });
  form.addEventListener("change", (event) => {
    const box = event.target;
    if (box.name === "leader_ids" && box.checked && box.dataset.unit && !unit.value) unit.value = box.dataset.unit;
  });
  form.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      form.requestSubmit(form.querySelector(event.shiftKey ? "[data-save-new]" : "[data-save]"));
    }
  });
}

// The repeat controls: only the parts of the chosen frequency show; a weekly series that repeats on
// its start's weekday alone follows the start when the date changes.
const DAY_CODES = ["SU", "MO", "TU", "WE", "TH", "FR", "SA"]; // Date.getDay() order
function setUpRepeat(box, form) {
  const freq = box.querySelector("[data-repeat-freq]");
  const dateInput = form.querySelector("[name=date]");
  const show = () => {
    box.querySelectorAll("[data-repeat-only]").forEach((el) => { el.hidden = !freq.value; });
    box.querySelectorAll("[data-repeat-for]").forEach((el) => { el.hidden = el.dataset.repeatFor !== freq.value; });
    box.querySelector("[data-interval-unit]").textContent = freq.selectedOptions[0]?.dataset.unit || "";
  };
  const weekdayOf = (value) => (value ? DAY_CODES[new Date(`${value}T12:00:00`).getDay()] : null);
  let shownDay = weekdayOf(dateInput?.value);
  dateInput?.addEventListener("change", () => {
    const ticked = [...box.querySelectorAll("[name=repeat_days]:checked")];
    const day = weekdayOf(dateInput.value);
    if (day && ticked.length <= 1 && (!ticked.length || ticked[0].value === shownDay)) {
      box.querySelectorAll("[name=repeat_days]").forEach((input) => { input.checked = input.value === day; });
    }
    shownDay = day;
  });
  freq.addEventListener("change", () => {
    const ticked = box.querySelectorAll("[name=repeat_days]:checked").length;
    if (freq.value === "weekly" && !ticked && shownDay) {
      box.querySelector(`[name=repeat_days][value=${shownDay}]`).checked = true;
    }
    show();
  });
  show();
}

const repeatBox = document.querySelector("[data-repeat]");
if (repeatBox) setUpRepeat(repeatBox, repeatBox.closest("form"));
const strip = document.querySelector("[data-day-swipe]");
if (strip) setUpDays(strip);
const entryForm = document.querySelector("[data-entry-form]");
if (entryForm) setUpEntryForm(entryForm);

// Week and leader pages follow the schedule live: when an entry of the week on screen changes,
// the page reloads (these pages hold no forms being typed into, so nothing is lost). The reload says
// refresh=live so it does not count as the reader looking (what changed stays marked), and the
// address loses the flag again, so the reader's own reload does count.
const shownWeek = document.querySelector("[data-week]")?.dataset.week;
const address = new URL(window.location.href);
if (address.searchParams.get("refresh") === "live") {
  address.searchParams.delete("refresh");
  window.history.replaceState(null, "", address);
}
if (shownWeek) {
  const drawn = document.querySelector("[data-week]").dataset;
  const reload = () => {
    const target = new URL(window.location.href);
    target.searchParams.set("refresh", "live");
    window.location.replace(target);
  };
  // A change made while the page had no connection (before its first one, or during a Wi-Fi drop or a
  // server restart) was pushed to nobody here: each time the connection opens, the page compares the
  // schedule's stamp with the one it was drawn at.
  const catchUp = async () => {
    const response = await fetch(drawn.stampUrl, { credentials: "same-origin" });
    if (response.ok && (await response.json()).stamp !== drawn.stamp) reload();
    else window.__scheduleLive = true; // tests wait on this, never on a clock
  };
  import("./live.js").then(({ liveSocket }) => {
    const socket = liveSocket();
    socket.on("schedule_changed", (change) => {
      if (change.weeks.includes(shownWeek)) reload();
    });
    socket.on("connect", catchUp);
    if (socket.connected) catchUp();
  });
}
