"""Write the site into a staging folder, then swap it in atomically.

Rules that keep an editor's files safe:

* the output folder may not be, or contain, the site folder, ``content/`` or
  ``themes/``, nor lie inside ``content/`` or ``themes/``;
* an existing, non-empty output folder must carry ssg's marker file, or it is
  refused and nothing in it is touched;
* the new site is written into ``.<name>.ssg-tmp-<pid>-<random>`` beside the
  output folder (same file system) and exchanged with the old one in a single
  ``renameat2(RENAME_EXCHANGE)`` where the kernel has it; a build that fails
  removes its staging folder and leaves the old output byte-identical;
* the output before last is kept as a *spare* (``.ssg-cache/spare``, when
  that is on the output's file system): the next build renames it to its
  staging folder and brings it up to date (unchanged files stay, changed ones
  are replaced, every other file is removed), so a one-story
  edit touches a few dozen files instead of linking a whole new tree. A file
  in a tree is never written in place: it is unlinked and made anew, because
  the two trees share unchanged files as hard links.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import secrets
import shutil
import signal
from pathlib import Path

from generator.output.files import clear, discard, is_real_folder, remove_emptied, write_new
from generator.store.cache import CACHE_DIR, BuildCache
from generator.util.parallel import die_with_parent

MARKER = ".ssg-output"
MARKER_TEXT = b"This folder is written by ssg build. Its content is replaced on every build.\n"
_TMP_INFIX = ".ssg-tmp-"
SPARE = "spare"  # the output before last, in .ssg-cache/ (see the module note)
MADE = f"{SPARE}-new-"  # the copy being made: .ssg-cache/spare-new-<pid>


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
    """A folder beside the output, new or the spare tree; ``commit`` swaps it in."""

    def __init__(self, out: Path, spare: Path | None = None):
        """``spare``: an earlier output tree of ours to start from (the caller
        knows what is in it); None, or a spare that cannot be moved, gives an
        empty folder."""
        self.out = out.resolve()
        self.out.parent.mkdir(parents=True, exist_ok=True)
        _remove_stale(self.out)
        name = f".{self.out.name}{_TMP_INFIX}{os.getpid()}-{secrets.token_hex(4)}"
        self.path = self.out.parent / name
        self.reused = False
        if spare is not None:
            try:
                os.rename(spare, self.path)
                self.reused = True
            except OSError:
                pass
        if not self.reused:
            self.path.mkdir()
        self.holds: dict[str, tuple[str, int, int]] = {}  # a reused tree: its files as its manifest recorded them
        self.listed: dict | None = None  # a reused tree: the size and mtime of each file in it, when listed
        self.folders: set[str] = set()  # folders known to exist in it (full paths: made ahead)
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

    def write(self, rel: str, data: bytes) -> os.stat_result:
        """Write one file (see :func:`write_new`); returns its stat."""
        target = self._target(rel)
        if self.reused:
            clear(target)
        return write_new(str(target), data)

    def keep(self, rel: str) -> None:
        """A file of the spare tree that is already what this build would write."""
        if rel in self.written:
            raise OutputError(f"two outputs want the same file {rel!r}")
        self.written.add(rel)

    def files(self, listed: dict | None = None) -> list[str]:
        """Every file (or link, or other non-folder) in the staging tree, as
        output paths: a reused spare is walked, not trusted to hold only what
        its manifest says (a file put into the output by hand must not come
        back from the spare). ``listed``: the spare's :class:`Listing`, taken
        just before it became the staging tree."""
        if listed is not None:
            return list(listed)
        found: list[str] = []

        def walk(folder: str, prefix: str) -> None:
            with os.scandir(folder) as entries:
                for entry in entries:
                    if entry.is_dir(follow_symlinks=False):
                        walk(entry.path, f"{prefix}{entry.name}/")
                    else:
                        found.append(prefix + entry.name)

        walk(str(self.path), "")
        return found

    def remove(self, rels) -> None:
        """Files of the spare tree that this build does not make, and the
        folders they leave empty."""
        parents: set[str] = set()
        for rel in rels:
            path = self.path.joinpath(*safe_parts(rel))
            clear(path)
            parents.add(str(path.parent))
        remove_emptied(str(self.path), parents)

    def commit(self, spare: Path | None = None, background: bool = False) -> bool:
        """Swap the new site in. The previous one becomes the spare tree at
        ``spare`` (which must not exist), or is deleted (in a detached process
        when ``background``, so a large tree costs the build nothing).
        True when a spare was kept."""
        marker = self.path / MARKER
        clear(marker)
        marker.write_bytes(MARKER_TEXT)
        if not self.out.exists():
            os.rename(self.path, self.out)
            return False
        if _exchange(self.path, self.out):
            old = self.path  # now holds the previous build
        else:
            old = self.out.parent / f".{self.out.name}{_TMP_INFIX}{os.getpid()}-old-{secrets.token_hex(4)}"
            os.rename(self.out, old)
            os.rename(self.path, self.out)
        if spare is not None:
            try:
                os.rename(old, spare)
                return True
            except OSError:
                pass
        discard(old, background)
        return False

    def give_back(self, spare: Path) -> bool:
        """A reused spare, not swapped in, becomes the spare again. Files may
        have been removed or replaced in it: the next build checks each one
        against the spare's manifest (key, size, mtime) and walks the tree."""
        try:
            os.rename(self.path, spare)
            return True
        except OSError:
            return False

    def abort(self) -> None:
        """A reused spare may be large: it is deleted in the background."""
        discard(self.path, self.reused)


class FoldersAhead:
    """Folders of a new staging tree made by a forked process while this one
    goes on collecting and planning: at 10,000 stories the story folders cost about a second
    of kernel time (ext4 allocates an inode and a block for each), which the
    render workers would otherwise spend while the other core waits.
    ``folders`` are output paths, each after its parent. :meth:`result` is the
    set of folders made (their full paths), empty if the process failed or
    could not start: the writers then make them themselves."""

    def __init__(self, root: Path, folders: list[str]):
        self.folders = folders
        self.paths = [os.path.join(root, *safe_parts(rel)) for rel in folders]
        self._pid: int | None = None
        if not self.paths or not hasattr(os, "fork"):
            return
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child leaves by os._exit, so coverage never sees it
            code = 1
            try:
                die_with_parent()
                for path in self.paths:
                    with contextlib.suppress(FileExistsError):  # a writer that did not wait made it first
                        os.mkdir(path)
                code = 0
            finally:
                os._exit(code)
        self._pid = pid

    def result(self) -> set[str]:
        """Waits for the process."""
        if self._pid is None:
            return set()
        _, status = os.waitpid(self._pid, 0)
        self._pid = None
        return set(self.paths) if os.waitstatus_to_exitcode(status) == 0 else set()

    def stop(self) -> None:
        """The build ends before it needs the folders: stop making them."""
        if self._pid is not None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self._pid, signal.SIGKILL)
            os.waitpid(self._pid, 0)
            self._pid = None


def safe_parts(rel: str) -> list[str]:
    """The parts of an output path, refusing anything that could leave the
    folder: an empty part (a leading, trailing or double slash, or no path at
    all), a ``.`` or ``..`` part, or a backslash."""
    check_rel(rel)
    return rel.split("/")


def check_rel(rel: str) -> None:
    """:func:`safe_parts`' check alone. Run for every output of every build, so
    by string tests rather than a regular expression: 0.3 against 1.7 us a
    path, 20 ms of a build of 16,000 files."""
    if ("\\" in rel or "//" in rel or "/./" in rel or "/../" in rel or rel.startswith(("/", "./", "../"))
            or rel.endswith(("/", "/.", "/..")) or rel in ("", ".", "..")):  # fmt: skip
        raise OutputError(f"refusing to write {rel!r} outside the output folder")


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
        libc = ctypes.CDLL(None, use_errno=True)  # (loaded already: no ``find_library``, which runs ``ldconfig``)
        renameat2 = libc.renameat2
        renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
        result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
        return result == 0
    return False


def has_spare(root: Path, cache: BuildCache, out: Path) -> bool:
    """The cache recorded a spare tree for ``out``, and it is a real folder."""
    return is_real_folder(root / CACHE_DIR / SPARE) and cache.state("spare") == str(out)


def leftovers(root: Path) -> list[Path]:
    """Copies left half-made by a maker that was stopped (or killed). Only the
    holder of the build lock may delete them: then no maker is at work."""
    return sorted((root / CACHE_DIR).glob(f"{MADE}*"))
