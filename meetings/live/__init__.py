"""Live updates over Socket.IO (namespace /live): authenticated connections and per-user rooms."""
