"""Write the site into a staging folder, then swap it in atomically.

Rules that keep an editor's files safe:

* the output folder may not be, or contain, the site folder, ``content/`` or
  ``themes/``, nor lie inside ``content/`` or ``themes/``;
* an existing, non-empty output folder must carry ssg's marker file, or it is
  refused and nothing in it is touched;
* the new site is written into ``.<name>.ssg-tmp-<pid>-<random>`` beside the
  output folder (same file system) and exchanged with the old one in a single
  ``renameat2(RENAME_EXCHANGE)`` where the kernel has it; a build that fails
  removes its staging folder and leaves the old output byte-identical.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import os
import secrets
import shutil
import subprocess
import sys
from pathlib import Path

MARKER = ".ssg-output"
MARKER_TEXT = b"This folder is written by ssg build. Its content is replaced on every build.\n"
_TMP_INFIX = ".ssg-tmp-"


class OutputError(Exception):
    """The output folder cannot be used; the message says why."""


def check_output(out: Path, root: Path, protected: list[Path]) -> None:
    out = out.resolve()
    root = root.resolve()
    for path, what in [(root, "the site folder")] + [(p.resolve(), f"{p.name}/") for p in protected]:
        if out == path or path.is_relative_to(out):
            raise OutputError(f"output folder {out} is or contains {what}; choose another, like 'public'")
        if path != root and out.is_relative_to(path):
            raise OutputError(f"output folder {out} is inside {what}; choose another, like 'public'")
    if out.exists():
        if not out.is_dir():
            raise OutputError(f"output folder {out} exists and is not a folder")
        if not (out / MARKER).is_file() and any(out.iterdir()):
            raise OutputError(
                f"output folder {out} is not empty and was not made by ssg (no {MARKER} file); "
                "nothing was deleted. Empty it or choose another folder"
            )


class Staging:
    """A fresh folder beside the output; ``commit`` swaps it in."""

    def __init__(self, out: Path):
        self.out = out.resolve()
        self.out.parent.mkdir(parents=True, exist_ok=True)
        _remove_stale(self.out)
        name = f".{self.out.name}{_TMP_INFIX}{os.getpid()}-{secrets.token_hex(4)}"
        self.path = self.out.parent / name
        self.path.mkdir()
        self.written: set[str] = set()
        self._dirs: set[Path] = {self.path}

    def _target(self, rel: str) -> Path:
        # The staging folder is new and holds only what we wrote, so no part
        # of ``rel`` can be a link that leads elsewhere.
        target = self.path.joinpath(*safe_parts(rel))
        if rel in self.written:
            raise OutputError(f"two outputs want the same file {rel!r}")
        self.written.add(rel)
        parent = target.parent
        if parent not in self._dirs:
            parent.mkdir(parents=True, exist_ok=True)
            self._dirs.add(parent)
        return target

    def write(self, rel: str, data: bytes) -> None:
        self._target(rel).write_bytes(data)

    def link(self, rel: str, source: Path) -> None:
        """The previous build's file, unchanged: a hard link costs no copy."""
        target = self._target(rel)
        try:
            os.link(source, target)
        except OSError:  # a file system without hard links
            shutil.copyfile(source, target)

    def commit(self, background: bool = False) -> None:
        """Swap the new site in; the previous one is deleted (in a detached
        process when ``background``, so a large tree costs the build nothing)."""
        (self.path / MARKER).write_bytes(MARKER_TEXT)
        if not self.out.exists():
            os.rename(self.path, self.out)
            return
        if _exchange(self.path, self.out):
            old = self.path  # now holds the previous build
        else:
            old = self.out.parent / f".{self.out.name}{_TMP_INFIX}{os.getpid()}-old-{secrets.token_hex(4)}"
            os.rename(self.out, old)
            os.rename(self.path, self.out)
        if background:
            _delete_detached(old)
        else:
            shutil.rmtree(old)

    def abort(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)


def safe_parts(rel: str) -> list[str]:
    """The parts of an output path, refusing anything that could leave the folder."""
    parts = rel.split("/")
    if not rel or rel.startswith("/") or "\\" in rel or any(p in ("", ".", "..") for p in parts):
        raise OutputError(f"refusing to write {rel!r} outside the output folder")
    return parts


def _delete_detached(path: Path) -> None:
    script = "import shutil, sys; shutil.rmtree(sys.argv[1], ignore_errors=True)"
    try:
        subprocess.Popen([sys.executable, "-c", script, str(path)], start_new_session=True,
                         stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    except OSError:
        shutil.rmtree(path, ignore_errors=True)


def _remove_stale(out: Path) -> None:
    """Staging folders left by a build that was killed (its process is gone)."""
    prefix = f".{out.name}{_TMP_INFIX}"
    for entry in out.parent.glob(prefix + "*"):
        pid_text = entry.name[len(prefix) :].split("-", 1)[0]
        if not pid_text.isdigit() or _alive(int(pid_text)):
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True  # another build in this process (ssg serve) owns it
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths (Linux ``renameat2``); False if unsupported."""
    with contextlib.suppress(Exception):
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        renameat2 = libc.renameat2
        renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
        result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
        return result == 0
    return False
