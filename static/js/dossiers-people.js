// The meeting page's people controls: the participant picker (search by name, unit or title, ignoring
// diacritics; tick several by touch) and the attendance answer form (a reason for declining, a colleague
// for a delegate, each shown when it applies). Without this file both forms still work in full.

// The same folding as meetings/text.py: "Đỗ Văn Khải" and "do van khai" match.
export function fold(text) {
  return (text || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d").replace(/Đ/g, "D")
    .toLowerCase().replace(/\s+/g, " ").trim();
}

function setUpPicker(picker) {
  const search = picker.querySelector("[data-picker-search]");
  const list = picker.querySelector("[data-picker-list]");
  if (!search || !list) return;
  const rows = [...list.querySelectorAll("li")].map((li) => ({ li, text: fold(li.dataset.search) }));
  const empty = picker.querySelector("[data-picker-empty]");
  const chosen = picker.querySelector("[data-picker-chosen]");
  const filter = () => {
    const words = fold(search.value).split(" ").filter(Boolean);
    let shown = 0;
    rows.forEach(({ li, text }) => {
      // A ticked person stays in view: a new search never hides what is about to be added.
      const match = li.querySelector("input").checked || words.every((w) => text.includes(w));
      li.hidden = !match;
      if (match) shown += 1;
    });
    empty.hidden = shown > 0;
  };
  const count = () => {
    const n = list.querySelectorAll("input:checked").length;
    chosen.textContent = n ? chosen.dataset.template.replace("{n}", String(n)) : "";
  };
  search.addEventListener("input", filter);
  // Enter in the search box must not submit the form half-chosen.
  search.addEventListener("keydown", (event) => { if (event.key === "Enter") event.preventDefault(); });
  list.addEventListener("change", count);
}

function setUpAnswer(form) {
  const reason = form.querySelector("[data-rsvp-reason]");
  const delegate = form.querySelector("[data-rsvp-delegate]");
  const show = () => {
    const choice = form.querySelector("input[name=response]:checked")?.value;
    reason.hidden = choice !== "declined";
    reason.querySelector("textarea").required = choice === "declined";
    if (delegate) {
      delegate.hidden = choice !== "delegated";
      const select = delegate.querySelector("select");
      if (select) select.required = choice === "delegated";
    }
  };
  form.addEventListener("change", show);
  show();
}

document.querySelectorAll("[data-person-picker]").forEach(setUpPicker);
document.querySelectorAll("[data-rsvp-form]").forEach(setUpAnswer);
