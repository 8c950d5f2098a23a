"""Live reload over Server-Sent Events on the site's own port.

Every served HTML page carries a small script (``/__ssg__/reload.js``, a
file: the pages' Content-Security-Policy runs no inline script) that knows
the build generation it was served from. It listens on ``/__ssg__/events``; the server
sends the current state when a page connects and whenever a build finishes: a
newer generation reloads the page; errors show an overlay listing each
``path:line:col`` problem, which the next good build takes away.
"""

from __future__ import annotations

import json
import threading

EVENTS_PATH = "/__ssg__/events"
SCRIPT_PATH = "/__ssg__/reload.js"
KEEPALIVE = 15.0

_SCRIPT = """(() => {
  const loaded = Number(document.currentScript.dataset.generation);
  const events = new EventSource(%(path)s);
  let box = null;
  function show(errors) {
    if (!box) {
      box = document.createElement("div");
      box.id = "ssg-error-overlay";
      box.setAttribute("role", "alert");
      box.style.cssText = "position:fixed;inset:1rem;z-index:2147483647;overflow:auto;background:#fff;" +
        "color:#111;border:4px solid #b3261e;padding:1rem 1.5rem;font:14px/1.5 ui-monospace,monospace;" +
        "box-shadow:0 0 0 100vmax rgba(0,0,0,.45)";
      document.body.appendChild(box);
    }
    box.replaceChildren();
    const title = document.createElement("h2");
    title.textContent = "ssg: the site does not build";
    title.style.cssText = "font:bold 18px system-ui,sans-serif;margin:0 0 .5rem";
    const list = document.createElement("ul");
    for (const line of errors) {
      const item = document.createElement("li");
      item.textContent = line;
      list.appendChild(item);
    }
    const note = document.createElement("p");
    note.textContent = "Fix the file and save: this page reloads by itself.";
    box.append(title, list, note);
  }
  events.addEventListener("state", (event) => {
    const state = JSON.parse(event.data);
    if (state.errors.length) { show(state.errors); return; }
    if (state.generation !== loaded) { events.close(); location.reload(); return; }
    if (box) { box.remove(); box = null; }
  });
})();
"""
CLIENT_JS = (_SCRIPT % {"path": json.dumps(EVENTS_PATH)}).encode("utf-8")


def client_script(generation: int) -> str:
    """The element each served page gets: the script, and the generation it was served from."""
    return f'<script src="{SCRIPT_PATH}" data-ssg-livereload data-generation="{generation:d}"></script>'



class Reloader:
    """The state that open pages follow: the build generation and its errors."""

    def __init__(self):
        self.generation = 0
        self.errors: list[str] = []
        self._changed = threading.Condition()
        self._closed = False

    def publish(self, generation: int | None, errors: list[str]) -> None:
        with self._changed:
            if generation is not None:
                self.generation = generation
            self.errors = list(errors)
            self._changed.notify_all()

    def close(self) -> None:
        with self._changed:
            self._closed = True
            self._changed.notify_all()

    def _message(self) -> bytes:
        data = json.dumps({"generation": self.generation, "errors": self.errors})
        return f"event: state\ndata: {data}\n\n".encode()

    def stream(self, handler) -> None:
        """Hold one browser's event stream open until it goes away."""
        handler.send_response(200)
        handler.send_header("Content-Type", "text/event-stream")
        handler.send_header("Cache-Control", "no-cache")
        handler.send_header("Connection", "close")
        handler.end_headers()
        handler.close_connection = True
        try:
            with self._changed:
                message = self._message()
            handler.wfile.write(message)
            handler.wfile.flush()
            while True:
                with self._changed:
                    before = (self.generation, tuple(self.errors))
                    self._changed.wait(KEEPALIVE)
                    if self._closed:
                        return
                    changed = (self.generation, tuple(self.errors)) != before
                    message = self._message() if changed else b": keep-alive\n\n"
                handler.wfile.write(message)
                handler.wfile.flush()
        except (BrokenPipeError, ConnectionResetError, OSError):
            return
