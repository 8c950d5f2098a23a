"""What a build is asked (its options), what it answers (its result), and
its stages, each timed and each one's diagnostics collected."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from generator.diagnostics import Diagnostic, DiagnosticError, Severity
from generator.progress import Progress


class UsageError(Exception):
    """A problem with how ssg was called (exit code 2)."""


@dataclass(frozen=True)
class BuildOptions:
    config_path: Path
    drafts: bool = False
    future: bool = False
    output: Path | None = None  # overrides output_dir of site.yml
    base_url: str | None = None
    write: bool = True  # False for `ssg check`
    jobs: int = 0  # 0: one per CPU
    use_cache: bool = True  # False: ignore the cache and build it anew
    stale_search: bool = False  # keep the previous search index even if stories changed (ssg serve, big sites)
    make_spare: bool = False  # ssg build: a large output left without a spare tree gets one after
    # Documents kept in memory from one build to the next of a long-running process (ssg serve):
    # a rebuild takes them from here instead of unpickling every story again. Filled by the build.
    resident: dict | None = field(default=None, compare=False, repr=False)


@dataclass
class BuildResult:
    stories: int = 0
    pages: int = 0
    files: int = 0
    rendered: int = 0  # files rendered or copied in this build (the rest were linked)
    parsed: int = 0  # content files parsed in this build (the rest came from the cache)
    encoded: int = 0  # images encoded in this build (the rest were in the cache's store)
    search: tuple[int, int, int] = (0, 0, 0)  # search slices indexed in this build, of how many, patched (search/)
    unchanged: bool = False  # nothing changed: the previous output stands
    quick: bool = False  # only the edit's pages were planned (generator/incremental/)
    waiting: int = 0  # stories held back: still the text ssg new / ssg import wrote (generator/content/review.py)
    seconds: float = 0.0
    output: Path | None = None
    spare_wanted: bool = False  # the output is large and has no spare tree: ssg build starts a maker
    behind: Callable[[], int] = lambda: 0  # files the spare tree this build left lacks or has otherwise: spare.catch_up
    timings: dict[str, float] = field(default_factory=dict)
    warnings: list[Diagnostic] = field(default_factory=list)
    documents: list = field(default_factory=list)  # `ssg check`: every valid story and page (for --links)


def now_from_env() -> datetime:
    """"Now" for the embargo rule: ``SOURCE_DATE_EPOCH`` when set."""
    raw = os.environ.get("SOURCE_DATE_EPOCH")
    if raw is None or raw == "":
        return datetime.now(UTC)
    try:
        return datetime.fromtimestamp(int(raw), UTC)
    except (ValueError, OverflowError, OSError) as exc:
        raise UsageError(f"SOURCE_DATE_EPOCH must be a whole number of seconds, not {raw!r}") from exc


class Stages:
    def __init__(self, progress: Progress):
        self.timings: dict[str, float] = {}
        self.warnings: list[Diagnostic] = []
        self.errors: list[Diagnostic] = []
        self.progress = progress
        self._later: list[tuple[str, Callable[[], list[Diagnostic]]]] = []

    def run(self, name: str, func, *args, defer: bool = False, **kwargs):
        """Run one stage; its errors stop the build now, or with ``defer``
        at the next :meth:`stop_on_errors`, so that stages working on the
        valid files can still report their own problems in the same run."""
        self.progress.update(name)
        start = time.perf_counter()
        value, diagnostics = func(*args, **kwargs)
        self.timings[name] = self.timings.get(name, 0.0) + time.perf_counter() - start
        self.absorb(diagnostics, defer=defer)
        return value

    def timed(self, name: str, start: float) -> None:
        self.timings[name] = self.timings.get(name, 0.0) + time.perf_counter() - start

    def absorb(self, diagnostics: list[Diagnostic], defer: bool = False) -> None:
        for diagnostic in diagnostics:
            (self.errors if diagnostic.severity is Severity.ERROR else self.warnings).append(diagnostic)
        if not defer:
            self.stop_on_errors()

    def later(self, name: str, finish: Callable[[], list[Diagnostic]]) -> None:
        """A stage whose work goes on in the background: ``finish()`` waits for it and gives its
        problems, at :meth:`settle` or when the build stops on errors before (one run reports all)."""
        self._later.append((name, finish))

    def settle(self) -> None:
        """Wait for the stages working in the background; stop on errors."""
        self._finish_later()
        self.stop_on_errors()

    def stop_on_errors(self) -> None:
        if self.errors:
            self._finish_later()
            raise DiagnosticError(self.errors + self.warnings)

    def _finish_later(self) -> None:
        """The problems of the stages working in the background (each waiting timed as part of its stage)."""
        while self._later:
            name, finish = self._later.pop(0)
            start = time.perf_counter()
            self.absorb(finish(), defer=True)
            self.timed(name, start)
