// The follow-up page's answer count follows new answers live (pushed to the secretaries' own rooms).
import { liveSocket } from "../live.js";

const line = document.querySelector("[data-consultation]");
if (line) {
  const id = Number(line.dataset.consultation);
  liveSocket().on("consultation_answers", (state) => {
    if (state.consultation_id !== id) return;
    line.querySelector("[data-answered-count]").textContent = String(state.answered);
    line.querySelector("[data-asked-count]").textContent = String(state.asked);
  });
}
