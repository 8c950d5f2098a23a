"""Full-text search: index the built pages with Pagefind.

Pagefind (the ``pagefind[bin]`` package on PyPI, a Rust binary) reads the
finished HTML and writes a chunked index to ``/pagefind/``: a query downloads
only the fragments it needs. Only story pages are indexed: the default theme
marks the article with ``data-pagefind-body`` and its tags, outlet and year
as filters, and the date as a sort. The index is written into the staging
folder before the swap, so it is always the index of the pages beside it.

Pagefind has no incremental mode: when no story page changed, the previous
build's index is reused as it is; otherwise the whole site is indexed again
(0.07 s for the sample archive; see docs/performance.md for 10,000 stories).
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path

from generator.diagnostics import Diagnostic, error

FOLDER = "pagefind"


def find_pagefind() -> list[str] | None:
    """The command that runs Pagefind, or None when it is not installed."""
    try:
        import pagefind_bin  # noqa: F401 - only to know it is there
    except ImportError:
        on_path = shutil.which("pagefind")
        return [on_path] if on_path else None
    return [sys.executable, "-m", "pagefind_bin"]


def reuse_index(previous: Path, staging: Path) -> bool:
    """Hard-link the previous build's index into the new tree, if it has one."""
    old = previous / FOLDER
    if not (old / "pagefind.js").is_file():
        return False
    for dirpath, _, filenames in os.walk(old):
        target_dir = staging / Path(dirpath).relative_to(previous)
        target_dir.mkdir(parents=True, exist_ok=True)
        for name in filenames:
            try:
                os.link(Path(dirpath) / name, target_dir / name)
            except OSError:
                shutil.copyfile(Path(dirpath) / name, target_dir / name)
    return True


def story_glob(permalink: str) -> str:
    """A glob that matches the story pages of a permalink pattern, so that
    Pagefind does not read every list page only to skip it:
    ``/{year}/{month}/{slug}/`` → ``*/*/*/index.html``."""
    parts = [p for p in permalink.strip("/").split("/") if p]
    return "/".join(re.sub(r"\{[^}]*\}", "*", p) for p in parts) + "/index.html"


def index(site: Path, language: str, permalink: str = "") -> list[Diagnostic]:
    """Index ``site`` into ``site/pagefind``; problems become diagnostics."""
    command = find_pagefind()
    if command is None:
        return [error("site.yml", 1, 1, "search",
                      "Pagefind is not installed: pip install 'pagefind[bin]', or set 'search: false'")]  # fmt: skip
    args = command + ["--site", str(site), "--output-subdir", FOLDER, "--silent"]
    if permalink:
        args += ["--glob", story_glob(permalink)]
    if language:
        args += ["--force-language", language.split("-")[0].lower()]
    try:
        proc = subprocess.run(args, capture_output=True, text=True, timeout=1800)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return [error("site.yml", 1, 1, "search", f"Pagefind could not run: {exc}")]
    if proc.returncode < 0:  # killed: on a large archive, most often by the kernel for want of memory
        try:
            name = signal.Signals(-proc.returncode).name
        except ValueError:
            name = f"signal {-proc.returncode}"
        hint = " (out of memory? Pagefind holds the whole index: about 0.35 MB a story)" if name == "SIGKILL" else ""
        return [error("site.yml", 1, 1, "search", f"Pagefind was stopped by {name}{hint}; "
                                                  "set 'search: false' to build without search")]  # fmt: skip
    if proc.returncode != 0 or not (site / FOLDER / "pagefind.js").is_file():
        detail = (proc.stderr or proc.stdout).strip().splitlines()[-1:] or ["no output"]
        return [error("site.yml", 1, 1, "search", f"Pagefind failed (exit {proc.returncode}): {detail[0]}")]
    return []
