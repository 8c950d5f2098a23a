"""Run Pagefind (the ``pagefind[bin]`` package on PyPI, a Rust binary): it
reads finished HTML pages and writes a search bundle. Its problems become
diagnostics at ``site.yml`` (the ``search`` setting)."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

from generator.diagnostics import Diagnostic, error
from generator.search.place import PARTS, Placing

FOLDER = "pagefind"


def find_pagefind() -> list[str] | None:
    """The command that runs Pagefind, or None when it is not installed."""
    try:
        import pagefind_bin
    except ImportError:
        on_path = shutil.which("pagefind")
        return [on_path] if on_path else None
    try:  # the binary itself: through ``python -m pagefind_bin`` each run starts an interpreter first (60 ms)
        return [str(pagefind_bin.get_executable().absolute())]
    except (AttributeError, OSError):
        return [sys.executable, "-m", "pagefind_bin"]


def reuse_index(previous: Path, staging: Path) -> bool:
    """Hard-link the previous build's index into the new tree (what the tree has of it already is
    kept), if it has one in a bundle's layout."""
    old = previous / FOLDER
    if not (old / "pagefind.js").is_file():
        return False
    files = [os.path.relpath(os.path.join(dirpath, name), old) for dirpath, _, names in os.walk(old) for name in names]
    if any(rel.count(os.sep) > 1 or (os.sep in rel and rel.split(os.sep)[0] not in PARTS) for rel in files):
        return False
    place = Placing(staging / FOLDER)
    for rel in files:
        place.link(os.path.join(old, rel), rel.replace(os.sep, "/"))
    place.finish()
    return True


def index(site: Path, language: str, output: Path | None = None, threads: int | None = None) -> list[Diagnostic]:
    """Index the story pages of ``site`` into ``output`` (``site/pagefind``
    by default), with ``threads`` threads (Pagefind's choice by default); problems become diagnostics."""
    command = find_pagefind()
    if command is None:
        return [error("site.yml", 1, 1, "search",
                      "Pagefind is not installed: pip install 'pagefind[bin]', or set 'search: false'")]  # fmt: skip
    args = command + ["--site", str(site), "--silent"]
    args += ["--output-path", str(output)] if output is not None else ["--output-subdir", FOLDER]
    if language:
        args += ["--force-language", language.split("-")[0].lower()]
    try:
        env = None if threads is None else {**os.environ, "RAYON_NUM_THREADS": str(threads)}
        proc = subprocess.run(args, capture_output=True, text=True, timeout=1800, env=env)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return [error("site.yml", 1, 1, "search", f"Pagefind could not run: {exc}")]
    if proc.returncode < 0:  # killed: on a large archive, most often by the kernel for want of memory
        try:
            name = signal.Signals(-proc.returncode).name
        except ValueError:
            name = f"signal {-proc.returncode}"
        hint = " (out of memory?)" if name == "SIGKILL" else ""
        return [error("site.yml", 1, 1, "search", f"Pagefind was stopped by {name}{hint}; "
                                                  "set 'search: false' to build without search")]  # fmt: skip
    if proc.returncode != 0 or not ((output or site / FOLDER) / "pagefind.js").is_file():
        detail = (proc.stderr or proc.stdout).strip().splitlines()[-1:] or ["no output"]
        return [error("site.yml", 1, 1, "search", f"Pagefind failed (exit {proc.returncode}): {detail[0]}")]
    return []


def version() -> str:
    """The installed Pagefind's version ("" when not known): from the name of ``pagefind_bin``'s
    metadata folder beside it (``importlib.metadata`` looks through every installed package: 25 ms)."""
    try:
        import pagefind_bin

        found = list(Path(pagefind_bin.__file__).parent.parent.glob("pagefind_bin-*.dist-info"))
        if len(found) == 1:
            return found[0].name[len("pagefind_bin-") : -len(".dist-info")]
    except (ImportError, TypeError, OSError):
        pass
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as installed

    try:
        return installed("pagefind-bin")
    except PackageNotFoundError:
        return ""
