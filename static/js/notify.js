// The bell: its unread count follows new notifications live, and a short toast shows each one.
import { liveSocket } from "./live.js";

const bell = document.querySelector("[data-bell-count]");

function showCount(unread) {
  if (!bell) return;
  bell.textContent = String(unread);
  bell.hidden = unread === 0;
}

function toast(item) {
  const box = document.createElement("div");
  box.className = "toast";
  box.setAttribute("role", "status");
  const link = document.createElement("a");
  link.href = `/notifications/${item.id}`;
  link.textContent = item.title;
  box.append(link);
  document.body.append(box);
  setTimeout(() => box.remove(), 8000);
}

const socket = liveSocket();
socket.on("notification", (item) => {
  showCount(item.unread);
  toast(item);
});
socket.on("notifications_read", (state) => showCount(state.unread));
