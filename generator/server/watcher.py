"""Watch the site's sources and tell the rebuild loop when something changed."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

QUIET = 0.15  # seconds without events before a burst counts as over
LONGEST = 1.0  # a steady stream of events still rebuilds this often


def _ignored(path: str) -> bool:
    name = Path(path).name
    return name.startswith((".", "#")) or name.endswith(("~", ".swp", ".swx", ".tmp", ".part"))


class Changes(FileSystemEventHandler):
    """Collects changed paths; :meth:`wait` returns a debounced burst of them."""

    def __init__(self, config_path: Path):
        self.config_path = config_path.resolve()
        self._paths: set[str] = set()
        self._first = 0.0
        self._last = 0.0
        self._event = threading.Condition()

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed_no_write"):
            return
        paths = [event.src_path] + ([event.dest_path] if getattr(event, "dest_path", "") else [])
        paths = [str(p) for p in paths if not _ignored(str(p))]
        if event.is_directory and event.event_type == "modified":
            return
        if not paths:
            return
        with self._event:
            now = time.monotonic()
            if not self._paths:
                self._first = now
            self._paths.update(paths)
            self._last = now
            self._event.notify_all()

    def wait(self, stop: threading.Event, idle: float | None = None) -> set[str]:
        """Block until a burst of changes is over (or ``stop`` is set, or ``idle``
        seconds have passed without a change: then nothing changed)."""
        waited = time.monotonic()
        with self._event:
            while not self._paths and not stop.is_set():
                if idle is not None and time.monotonic() - waited >= idle:
                    return set()
                self._event.wait(0.2)
            while not stop.is_set():
                now = time.monotonic()
                if now - self._last >= QUIET or now - self._first >= LONGEST:
                    break
                self._event.wait(QUIET / 3)
            paths, self._paths = self._paths, set()
            return paths


def watch(root: Path, folders: list[Path], config_path: Path) -> tuple[Observer, Changes]:
    changes = Changes(config_path)
    observer = Observer()
    for folder in folders:
        if folder.is_dir():
            observer.schedule(changes, str(folder), recursive=True)
    observer.schedule(_ConfigOnly(changes, config_path.resolve()), str(config_path.resolve().parent), recursive=False)
    observer.daemon = True
    observer.start()
    return observer, changes


class _ConfigOnly(FileSystemEventHandler):
    """The site folder itself is watched only for site.yml."""

    def __init__(self, changes: Changes, config: Path):
        self.changes = changes
        self.config = config

    def on_any_event(self, event: FileSystemEvent) -> None:
        for path in (event.src_path, getattr(event, "dest_path", "")):
            if path and Path(str(path)).resolve() == self.config:
                self.changes.on_any_event(event)
                return
