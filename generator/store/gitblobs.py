"""What git knows of a site's files: each tracked file's blob ID while its
working copy is the one git's index holds.

A fresh checkout in CI gives every file a new mtime, so the file records
(``files.py``) would have every content file read again to learn that it
holds what it held. Git's index already says what each file holds: a record
keeps, beside its digest, the git blob ID of the same bytes (the SHA-1 of
``blob <size>\\0`` and the bytes, made as the file is read), and a file
whose mtime changed but which git reports clean, under the blob ID and at
the size recorded, holds those bytes: it is not read. ``git`` is asked
only when many files changed their mtime at once (``GIT_FROM``): where the
index is (``rev-parse``), what it holds (``ls-files``) and which files
differ from it (``diff-files``, which compares each file's ``stat`` with
the index, and its bytes where the ``stat`` cannot tell: a file changed in
the second the index was written, "racily clean"). Git reads such a file
slower than ssg does (12,000 content files, every one racy: 0.3 s against
0.13 s), so when more than a file in five (``RACY_SHARE``) of those with a
new mtime have one of that second or later (a checkout that took about a
second or less) git is not asked further. A file read for the first time
in a site inside a git work tree (a first build: CI's first) gets its own
blob ID recorded at once (``Blobs.tracked``), so the first checkout after
it reads no file either. Git missing, a
folder outside a work tree, a repository git refuses (another owner's), a
git that does not answer in time (``TIMEOUT``: it is stopped) or any
failure: nothing is known, and the files are read as before. An entry
git is told not to check (``assume-unchanged``, ``skip-worktree``) is not
taken, nor a link or a submodule. Git runs with no file-system monitor (a
command the repository's configuration may name); its filters (Git LFS's,
say) apply to the files it reads, as for ``git status``: a file stored
through one has a blob ID other than its bytes', and is read by ssg.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

from generator.util.digest import blob_id

GIT_FROM = 100  # files with a new size or mtime, at least, before git is asked (12,000 files: 25-120 ms)
RACY_SHARE = 5  # more than a file in 5 of them "racily clean" (git would read them): git is not asked
TIMEOUT = 10  # seconds a git run may take (100,000 files: 0.14 s for all three)
# An entry of ``ls-files --stage -v -z``: "H" (git checks the file: not "h", assume-unchanged, nor "S",
# skip-worktree), a regular file's mode (not a link's or a submodule's), the blob ID, stage 0 (no conflict).
_ENTRY = re.compile("(?:^|\0)H 100(?:644|755) ([0-9a-f]{40}) 0\t([^\0]+)")


class Blobs:
    """The clean tracked files under ``root`` by their path from it, asked of git once, when first wanted."""

    def __init__(self, root: Path | None):
        self.root = root
        self.prefix = f"{root}/"
        self.known: dict[str, str] | None = None
        self._tracked: bool | None = None

    @property
    def tracked(self) -> bool:
        """Whether the site is in a git work tree (a ``.git`` in its folder or one above): then a file
        read for the first time keeps its own blob ID (``kept_blob``), for the next checkout."""
        if self._tracked is None:
            self._tracked = self.root is not None and any(
                os.path.lexists(folder / ".git") for folder in (self.root, *self.root.parents))
        return self._tracked

    def want(self, mtimes: list[float]) -> None:
        """Ask git (once) when ``GIT_FROM`` files or more have a new mtime (``mtimes``: theirs, for
        ``clean_blobs``); fewer are read for less than git's runs cost."""
        if self.known is None and len(mtimes) >= GIT_FROM:
            self.known = clean_blobs(self.root, mtimes) if self.root is not None else {}

    def relative(self, path: str) -> str | None:
        """``path`` (absolute) from ``root``; None when it is not below it (or there is no ``root``)."""
        return path[len(self.prefix) :] if self.root is not None and path.startswith(self.prefix) else None

    def of(self, path: str) -> str | None:
        """The blob ID git's index holds for ``path`` (absolute) while its working copy is clean; None
        when not known (git not asked, not tracked, changed since it was added)."""
        rel = self.relative(path)
        return None if self.known is None or rel is None else self.known.get(rel)


def clean_blobs(root: Path, mtimes: list[float]) -> dict[str, str]:
    """Each regular file under ``root`` that git tracks and reports clean: its path from ``root`` -> its
    blob ID. Empty when git cannot tell, or when more than a file in ``RACY_SHARE`` of ``mtimes`` are of
    the second git's index was written or later (git would read those files)."""
    env = dict(os.environ, GIT_OPTIONAL_LOCKS="0", LC_ALL="C")  # (a reader: git takes no lock on the index)
    try:
        index = _git(["rev-parse", "--git-path", "index"], root, env).rstrip(b"\n")
        written = int(os.stat(os.path.join(os.fsencode(root), index)).st_mtime)
        if RACY_SHARE * sum(1 for mtime in mtimes if int(mtime) >= written) > len(mtimes):
            return {}
        listed = os.fsdecode(_git(["ls-files", "--stage", "-v", "-z"], root, env))
        dirty = os.fsdecode(_git(["diff-files", "--name-only", "--relative", "-z"], root, env)).split("\0")
    except (OSError, subprocess.SubprocessError):
        return {}
    found = _ENTRY.findall(listed)
    clean = dict(zip((path for _, path in found), (blob for blob, _ in found), strict=True))
    for path in dirty:
        clean.pop(path, None)
    return clean


def own_blob(data: bytes, blob: str) -> str:
    """What a record keeps of ``data``, a file git knows clean by ``blob``: that blob ID when it is the
    bytes' own, else "" (git keeps the file through a filter: Git LFS's pointer)."""
    return blob if blob_id(data) == blob else ""


def kept_blob(data: bytes | None, found: str, old_digest: str | None, old_blob: str | None,
              blob: str | None, tracked: bool = False) -> str | None:  # fmt: skip
    """The blob ID a record keeps of a file just read (its digest ``found``; ``data``, its bytes, needed
    when git knows it clean by ``blob``, or when ``tracked``): while the bytes are as recorded
    (``old_digest``), the recorded one when git was not asked (a checkout git was not asked about costs
    the next one nothing) or when it was "" (no blob ID is made again for a filter's file); else
    ``own_blob`` when git was asked; when it was not, the bytes' own blob ID if the site is in a git
    work tree (``tracked``: ``Blobs.tracked``; a first build records them for the next checkout), else
    None."""
    if found == old_digest and old_blob is not None and (blob is None or old_blob == ""):
        return old_blob
    if blob is not None:
        return own_blob(data, blob)
    return blob_id(data) if tracked and data is not None else None


def _git(args: list[str], root: Path, env: dict) -> bytes:
    """``git args`` in ``root``, with no file-system monitor (a command the repository's own configuration
    may name, and a daemon it may start: a build runs neither). A git that takes longer than ``TIMEOUT`` is
    stopped (reading the files costs less): the build goes on without its answer."""
    return subprocess.run(["git", "-c", "core.fsmonitor=false", *args], cwd=root, env=env, stdin=subprocess.DEVNULL,
                          capture_output=True, timeout=TIMEOUT, check=True).stdout  # fmt: skip
