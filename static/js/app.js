// Behaviour shared by every page: confirmations, busy buttons, copy buttons, the menu on small screens.

// Destructive actions ask first: <form data-confirm="...">, or the one button of a form that does it
// (<button data-confirm="...">, e.g. Remove beside Save).
document.addEventListener("submit", (event) => {
  const form = event.target;
  const question = event.submitter?.dataset.confirm || form.dataset.confirm;
  if (question && !window.confirm(question)) {
    event.preventDefault();
    return;
  }
  // Show that the request is under way (poor Wi-Fi makes a silent button look broken).
  const button = form.querySelector("button[type=submit][data-busy]");
  if (button) {
    button.setAttribute("aria-busy", "true");
    button.textContent = button.dataset.busy;
  }
});

document.addEventListener("click", async (event) => {
  const copy = event.target.closest("[data-copy]");
  if (copy) {
    const field = document.querySelector(copy.dataset.copy);
    field.select();
    try {
      await navigator.clipboard.writeText(field.value);
    } catch {
      document.execCommand("copy"); // plain http on an intranet has no Clipboard API
    }
    copy.textContent = copy.dataset.copied;
  }
  const toggle = event.target.closest("[data-nav-toggle]");
  if (toggle) {
    const nav = document.getElementById(toggle.getAttribute("aria-controls"));
    const open = nav.classList.toggle("open");
    toggle.setAttribute("aria-expanded", String(open));
  }
});

// pdf.js prefetched when idle (base.html) is in this browser's cache once both its modules have loaded:
// a cookie says so to the reader's page, which then shows no page-1 image while pdf.js starts
// (meetings/reader/routes.py PDFJS_COOKIE; the reader sets it too, static/js/reader/pdfpages.js).
const pdfjs = [...document.querySelectorAll("link[rel=prefetch][href*='/vendor/pdfjs/']")];
if (pdfjs.length) {
  Promise.all(pdfjs.map((link) => new Promise((resolve, reject) => {
    link.addEventListener("load", resolve, { once: true });
    link.addEventListener("error", reject, { once: true });
  }))).then(() => {
    const build = /\/static\/b\/([0-9a-f]+)\//.exec(pdfjs[0].href)?.[1];
    if (build) document.cookie = `meetings_pdfjs=${build}; path=/; max-age=31536000; samesite=lax`;
  }, () => {});
}
