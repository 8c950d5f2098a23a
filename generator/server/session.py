"""`ssg serve`: build, serve, watch, rebuild, reload the browser.

The site is built into ``.ssg-cache/serve/`` (never into ``public/``) with
``base_url`` set to the server's own address, so every link works locally.
Rebuilds use the build cache, so a story edit re-renders only what shows it.
A failed rebuild keeps the last good site; open pages show the errors.
"""

from __future__ import annotations

import errno
import sys
import threading
import time
import webbrowser
from dataclasses import replace
from pathlib import Path

from generator.build import BuildOptions, build
from generator.config.site import load_config
from generator.diagnostics import DiagnosticError, Severity, report
from generator.incremental.spare import prepare_spare
from generator.output.staging import OutputError
from generator.server.http import SiteServer
from generator.server.livereload import Reloader
from generator.server.watcher import watch
from generator.store.cache import CACHE_DIR
from generator.store.lock import LockTimeout, build_lock
from generator.util.urls import Links

ALL_INTERFACES = ("0.0.0.0", "::", "")
STALE_SEARCH_ABOVE = 2000
REFRESH_AFTER = 2.0  # seconds without an edit before a kept search index is brought up to date


class ServeError(Exception):
    """Cannot serve (port in use, bad address); the message says why."""


def serve_output(root: Path) -> Path:
    return root / CACHE_DIR / "serve" / "public"


def base_path(options: BuildOptions) -> str:
    """The path of the site's base URL (``--base-url``, else site.yml's), so
    that a site published under ``https://example.org/news/`` is previewed
    under ``/news/`` too; "/" when site.yml does not load (the build says why)."""
    base_url = options.base_url
    if base_url is None:
        config, _ = load_config(options.config_path)
        base_url = config.base_url if config is not None else "/"
    return Links(base_url).prefix + "/"


class Session:
    """One `ssg serve`: the server, the watcher and the rebuild loop."""

    def __init__(self, options: BuildOptions, host: str, port: int, out=sys.stdout, err=sys.stderr):
        self.out, self.err = out, err
        root = options.config_path.resolve().parent
        self.root = root
        self.output = serve_output(root)
        self.reloader = Reloader()
        try:
            self.server = SiteServer(host, port, self.output, self.reloader, prefix=base_path(options))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise ServeError(
                    f"port {port} on {host} is in use; choose another with --port (0 picks a free one)"
                ) from None
            raise ServeError(f"cannot listen on {host}:{port}: {exc.strerror}") from exc
        self.options = replace(options, output=self.output, base_url=self.server.url, write=True, resident={})
        self.generation = 0
        self.stop = threading.Event()
        self.build_count = 0
        self._building = threading.Lock()  # one build at a time
        self.ready = threading.Event()  # serving and watching
        self.spare_ready = threading.Event()  # the first build's output has its spare copy (or needs none)
        self._spare: threading.Thread | None = None
        self.search_behind = False  # edits since the search index was last brought up to date

    @property
    def url(self) -> str:
        return self.server.url

    def rebuild(self) -> bool:
        with self._building:
            return self._rebuild()

    def _rebuild(self) -> bool:
        start = time.perf_counter()
        try:
            result = build(self.options)
            if result.stories > STALE_SEARCH_ABOVE and not self.options.stale_search:
                # Re-indexing a slice and merging take seconds on big archives: the page
                # reloads at once, and the index follows when the editor pauses (refresh_search).
                self.options = replace(self.options, stale_search=True)
                print(f"ssg: note: {result.stories} stories: the search index is brought up to date "
                      f"{REFRESH_AFTER:.0f} s after the last edit", file=self.err, flush=True)  # fmt: skip
            elif self.options.stale_search and not result.unchanged:
                self.search_behind = True
        except DiagnosticError as exc:
            errors = sorted({d.format() for d in exc.diagnostics if d.severity is Severity.ERROR})
            report(exc.diagnostics, self.err)
            print(f"ssg: {len(errors)} error(s); still serving the last good build", file=self.err, flush=True)
            self.reloader.publish(None, errors)
            return False
        except OutputError as exc:
            self.reloader.publish(None, [str(exc)])
            print(f"ssg: error: {exc}", file=self.err, flush=True)
            return False
        self.build_count += 1
        report(result.warnings, self.err)
        if not result.unchanged or self.generation == 0:
            self.generation += 1
        self.reloader.publish(self.generation, [])
        what = "no change" if result.unchanged else f"rendered {result.rendered} files"
        print(f"Rebuilt in {time.perf_counter() - start:.2f} s ({what})", file=self.out, flush=True)
        return True

    def refresh_search(self) -> None:
        """Bring the search index up to date with the edits made since it was
        made (only their slices are indexed again). The pages are as they were,
        so open pages are not reloaded."""
        self.search_behind = False
        start = time.perf_counter()
        try:
            with self._building:
                result = build(replace(self.options, stale_search=False))
        except (DiagnosticError, OutputError):  # the next edit's build reports it
            return
        indexed, slices, _ = result.search
        print(f"Search index brought up to date in {time.perf_counter() - start:.2f} s "
              f"(indexed {indexed} of {slices} slices)", file=self.out, flush=True)  # fmt: skip

    def prepare_spare(self) -> None:
        """After the first build, while the editor reads: the copy of the
        output that the first edit's build would otherwise make itself (see
        ``spare.prepare_spare``); an edit made meanwhile waits for it."""
        try:
            with self._building, build_lock(self.root / CACHE_DIR, stream=self.err):
                if not self.stop.is_set():
                    prepare_spare(self.root, self.output)
        except (LockTimeout, OSError):  # another build held the site too long: the first edit makes its tree
            pass
        finally:
            self.spare_ready.set()

    def run(self, open_browser: bool = False) -> None:
        if self.rebuild():
            self._spare = threading.Thread(target=self.prepare_spare, name="ssg-spare", daemon=True)
            self._spare.start()
        else:
            self.spare_ready.set()
        self.server.start()
        self._serving = True
        print(f"Serving {self.root.name} at {self.url} (Ctrl-C to stop)", file=self.out, flush=True)
        if self.server.server_address[0] in ALL_INTERFACES:
            print("ssg: warning: listening on all interfaces; anyone on your network can see the site",
                  file=self.err, flush=True)  # fmt: skip
        if open_browser:
            webbrowser.open(self.url)
        config = self.options.config_path
        folders = [self.root / "content", self.root / "themes"]
        observer, changes = watch(self.root, folders, config)
        self.ready.set()
        try:
            while not self.stop.is_set():
                paths = changes.wait(self.stop, REFRESH_AFTER if self.search_behind else None)
                if paths and not self.stop.is_set():
                    self.rebuild()
                elif self.search_behind and not self.stop.is_set():
                    self.refresh_search()
        finally:
            observer.stop()
            self.close()

    def close(self) -> None:
        self.stop.set()
        if self._spare is not None:
            self._spare.join()
        self.reloader.close()
        if getattr(self, "_serving", False):
            self.server.shutdown()
            self._serving = False
        self.server.server_close()
