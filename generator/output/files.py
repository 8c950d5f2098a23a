"""File operations on output trees: a tree's files are often hard links
shared with the live output, so a file is never written in place (it is
unlinked and made anew); trees are linked, listed (by GNU find, in the
background) and deleted (in a detached process for a person at a terminal,
at once otherwise: ``util/background.py``).
"""

from __future__ import annotations

import os
import secrets
import shutil
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

from generator.util.background import interactive

FIND = "find"


def found_as(size: int, mtime_ns: int) -> tuple[str, str]:
    """A file's size and mtime as :class:`Listing` has them from GNU find
    (``%s`` and ``%T@``: seconds, a point, the nanoseconds and a zero); a time
    before 1970, which find writes otherwise, never matches."""
    seconds, nanoseconds = divmod(mtime_ns, 10**9)
    return str(size), f"{seconds}.{nanoseconds:09d}0" if mtime_ns >= 0 else ""


class Listing:
    """Every file (or link, or other non-folder) below ``root``, as relative
    paths with their size and mtime (of the file itself, not of what a link
    points to), listed by GNU find in the background while the build goes on
    (the spare tree of 10,000 stories: 0.13 s walked in Python, on the other
    core instead; and the 16,000 ``stat`` calls that checked each file against
    the spare's manifest, 0.05 s, too). :meth:`result` is None when find is
    missing or is not GNU find; the caller then walks the tree itself."""

    def __init__(self, root: Path):
        # Into a file, not a pipe: find would stop at every full pipe buffer until this process reads.
        self._out = tempfile.TemporaryFile()
        try:
            self._proc: subprocess.Popen | None = subprocess.Popen(
                [FIND, str(root), "-mindepth", "1", "!", "-type", "d", "-printf", "%P\\0%s\\0%T@\\0"],
                stdin=subprocess.DEVNULL, stdout=self._out, stderr=subprocess.DEVNULL,
            )  # fmt: skip
        except OSError:
            self._proc = None

    def result(self) -> dict[str, tuple[str, str]] | None:
        """Output path -> (size, mtime) as find gives them (see :func:`found_as`),
        once find is done (waits for it)."""
        if self._proc is None:
            return None
        ok = self._proc.wait() == 0
        self._proc = None
        self._out.seek(0)
        fields = os.fsdecode(self._out.read()).split("\0")
        self.close()
        if not ok or len(fields) % 3 != 1:
            return None
        return dict(zip(fields[0:-1:3], zip(fields[1::3], fields[2::3], strict=True), strict=True))

    def close(self) -> None:
        """Stop find if the build ends before it needs the listing."""
        if self._proc is not None:
            self._proc.kill()
            self._proc.wait()
            self._proc = None
        self._out.close()


def clear(path: Path | str) -> None:
    """Make room for a new file at ``path`` in a staging tree: its old file may
    be a hard link shared with the live output, so it is never written into."""
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass
    except IsADirectoryError:
        shutil.rmtree(path)
    except PermissionError:  # macOS reports a folder this way
        if not os.path.isdir(path):
            raise
        shutil.rmtree(path)


def write_new(path: str, data: bytes) -> os.stat_result:
    """Write a file that must not exist yet (``O_EXCL``: never into a file that
    may be a hard link shared with the live output); returns its stat."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        return os.fstat(fd)
    finally:
        os.close(fd)


def is_real_folder(path: Path) -> bool:
    """A folder, not a link to one (nor anything else)."""
    try:
        return stat.S_ISDIR(os.lstat(path).st_mode)
    except OSError:
        return False


def same_device(a: Path, b: Path) -> bool:
    try:
        return os.stat(a).st_dev == os.stat(b).st_dev
    except OSError:
        return False


def discard_spare(spare: Path) -> None:
    """A spare tree that cannot be trusted: moved aside at once (the name is
    free for the next one) and deleted in the background."""
    try:
        st = os.lstat(spare)
    except OSError:
        return
    if not stat.S_ISDIR(st.st_mode):
        os.unlink(spare)
        return
    aside = spare.parent / f"{spare.name}-old-{os.getpid()}-{secrets.token_hex(4)}"
    os.rename(spare, aside)
    delete_detached(aside)


def link_tree(source: Path, target: Path) -> None:
    """A copy of the tree ``source`` at ``target`` (which must not exist):
    its folders made anew, its files hard-linked. Anything else (a link, a
    device) is left out: whoever uses the copy checks every file it keeps."""
    target.mkdir()
    with os.scandir(source) as entries:
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                link_tree(Path(entry.path), target / entry.name)
            elif entry.is_file(follow_symlinks=False):
                os.link(entry.path, target / entry.name, follow_symlinks=False)


def mirror(source: Path, target: Path, want: dict, have: dict) -> int:
    """Make the tree ``target`` hold, by hard links, what the tree ``source``
    holds; ``want`` and ``have`` are their :class:`Listing` results. A file of
    ``target`` that ``source`` does not have is removed, with the folders that
    leaves empty; one whose size or mtime is not its counterpart's is replaced
    by a link to that (a file is never written into: the trees share files).
    Returns the number of files removed or linked."""
    changed, parents = 0, set()
    for rel in have.keys() - want.keys():
        path = os.path.join(target, rel)
        os.unlink(path)
        parents.add(os.path.dirname(path))
        changed += 1
    remove_emptied(str(target), parents)
    made: set[str] = set()
    for rel, found in want.items():
        if have.get(rel) == found:
            continue
        path = os.path.join(target, rel)
        if rel in have:
            os.unlink(path)
        elif (folder := os.path.dirname(path)) not in made:
            os.makedirs(folder, exist_ok=True)
            made.add(folder)
        os.link(os.path.join(source, rel), path, follow_symlinks=False)
        changed += 1
    return changed


def remove_emptied(root: str, folders) -> None:
    """Each of ``folders`` (below ``root``) that is empty, and then each of its
    parents that this leaves empty, up to ``root`` (kept): the deepest first."""
    for folder in sorted(folders, key=len, reverse=True):  # (a folder's path is longer than its parent's)
        while folder != root:
            try:
                os.rmdir(folder)
            except OSError:  # not empty (or already gone with a deeper one's parents)
                break
            folder = os.path.dirname(folder)


def discard(path: Path, background: bool) -> None:
    """Delete a tree of ours, now or in a detached process."""
    if background:
        delete_detached(path)
    else:
        shutil.rmtree(path, ignore_errors=True)


def delete_detached(path: Path) -> None:
    """Delete a tree of ours in a detached process, for a person at a terminal;
    now, for a script or CI (``util/background.py``)."""
    if not interactive():
        shutil.rmtree(path, ignore_errors=True)
        return
    script = "import shutil, sys; shutil.rmtree(sys.argv[1], ignore_errors=True)"
    try:
        subprocess.Popen([sys.executable, "-c", script, str(path)], start_new_session=True,
                         stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    except OSError:
        shutil.rmtree(path, ignore_errors=True)
