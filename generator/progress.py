"""A one-line progress display for long builds on a terminal; silent elsewhere."""

from __future__ import annotations

import sys
import time

from generator.util.background import in_ci


class Progress:
    """Shows ``stage: done/total`` on stderr, at most ten times a second, and
    only when stderr is a terminal outside CI (``util.background.in_ci``) and the build has run for a while."""

    DELAY = 1.0

    def __init__(self, stream=None, enabled: bool | None = None):
        self.stream = stream if stream is not None else sys.stderr
        if enabled is None:
            enabled = bool(getattr(self.stream, "isatty", lambda: False)()) and not in_ci()
        self.enabled = enabled
        self.started = time.monotonic()
        self._last = 0.0
        self._shown = False

    def update(self, stage: str, done: int | None = None, total: int | None = None) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self.started < self.DELAY or now - self._last < 0.1:
            return
        self._last = now
        if total:
            width = 24
            filled = int(width * (done or 0) / total)
            text = f"{stage:<10} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}"
        else:
            text = stage
        self.stream.write("\r\x1b[2K" + text)
        self.stream.flush()
        self._shown = True

    def done(self) -> None:
        if self._shown:
            self.stream.write("\r\x1b[2K")
            self.stream.flush()
            self._shown = False
