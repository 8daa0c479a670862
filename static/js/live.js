// The one Socket.IO connection of a page, to the /live namespace (session cookie authenticates it).
// Reconnects on its own with backoff and jitter after Wi-Fi drops or a server restart.
import { io } from "../vendor/socket.io/socket.io.esm.min.js";  // relative: keeps the build's address

let socket = null;

export function liveSocket() {
  if (!socket) {
    socket = io("/live", {
      transports: ["websocket", "polling"],
      reconnectionDelay: 500,
      reconnectionDelayMax: 10000,
      randomizationFactor: 0.5,
    });
    // Tests (and the connection indicator) can tell when the live channel is up.
    socket.on("connect", () => { window.__liveConnected = true; });
    socket.on("disconnect", () => { window.__liveConnected = false; });
  }
  return socket;
}
