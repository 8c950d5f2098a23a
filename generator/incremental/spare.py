"""The spare output tree made ahead: a linked copy of the live output, which
the next build brings up to date instead of making a whole new tree (at
10,000 stories, 13,800 folders and 15,900 links: about half a second of kernel
time, which would otherwise fall on the editor's next build).

A build leaves a spare behind when it replaced an output (the tree it
replaced is the spare); the first build into an output has none. Then:

- ``ssg serve`` makes one itself after its first build (:func:`prepare_spare`);
- ``ssg build``, for a large output, hands its build lock to a detached
  process that makes one after the command returns (:func:`start_maker`, run
  as ``python -m generator.incremental.spare``), as ``git`` runs its upkeep after a
  command. The maker holds the lock until it is done (about a second at
  10,000 stories), and any build that starts meanwhile stops it at once
  (``generator/store/lock.py``) and goes on as it would have without a spare; the
  half-made copy is deleted by the next build or maker. Only for a person at
  a terminal: not in CI, nor from a script (see :func:`wanted`).

The spare a build leaves is the output it replaced: behind the new output by
what that build changed. After a one-story edit that is a few files, which
the next build links again at little cost; after a story added, deleted or
re-dated (every list page it is on moves by one story, and every chunk of
the search index changes), or a template edited, it is hundreds or
thousands of files, and the next edit would pay for them (0.15 s at 10,000
stories). So the same maker, started by ``ssg build`` for the same people,
also brings a spare that far behind up to date (:func:`catch_up`), and is
stopped the same way.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from generator.output.files import Listing, discard, discard_spare, is_real_folder, link_tree, mirror, same_device
from generator.output.staging import MADE, MARKER, SPARE, has_spare, leftovers
from generator.store.cache import CACHE_DIR, BuildCache, CacheCorrupt
from generator.store.lock import LOCK_FILE
from generator.util.background import interactive

MIN_FILES = 2000  # outputs of fewer files get no maker: their next build makes its tree in well under 0.1 s
CATCH_UP_FILES = 200  # a spare behind by fewer files is left to the next build (about 10 ms of links)


def prepare_spare(root: Path, out: Path, before_commit=None) -> bool:
    """When the last build into ``out`` left no spare tree (it was the first,
    or the live output was new), link a copy of the live output into the
    spare folder. The caller holds the build lock. True when a spare was made.
    ``before_commit`` is called once the copy is made, before it is recorded
    (the maker stops there if it was asked to).

    The copy stands for what the last build wrote (the ``outputs`` manifest
    becomes the spare's); like any spare, the build that reuses it checks
    every file it keeps against that manifest and walks the tree."""
    folder = root / CACHE_DIR
    if not (folder / "cache.sqlite").is_file():
        return False
    spare_dir = folder / SPARE
    for left in leftovers(root):
        discard(left, background=False)
    made = folder / f"{MADE}{os.getpid()}"
    try:
        cache = BuildCache(root)
    except CacheCorrupt:  # the next build says so, and rebuilds it
        return False
    try:
        if cache.state("output") != str(out) or not cache.state("fingerprint"):
            return False  # the last build wrote elsewhere, or did not finish
        if has_spare(root, cache, out):
            return False
        if not is_real_folder(out) or not cache.manifest("outputs") or not same_device(folder, out.parent):
            return False
        discard_spare(spare_dir)  # another output's, or one that cannot be trusted
        link_tree(out, made)
        if before_commit is not None:
            before_commit()
        os.rename(made, spare_dir)
        cache.copy_manifest("outputs", "spare")
        cache.set_state({"spare": str(out)})
        return True
    except (OSError, CacheCorrupt):  # a copy is an aid: without it, the next build makes its tree itself
        discard(made, background=False)
        return False
    finally:
        cache.close()


def catch_up(root: Path, out: Path, before_commit=None) -> bool:
    """Make the spare tree of ``out`` what the live output is, by hard
    links: a file the live output has otherwise is linked anew, one it does
    not have is removed, with the folders it leaves empty; then the spare's
    manifest is the live output's. The caller holds the build lock. True when
    the spare was brought up to date. Stopped halfway, the spare keeps its
    manifest: the build that reuses it checks every file against it (a file
    linked anew has another size or mtime, and is linked or made again)."""
    folder = root / CACHE_DIR
    try:
        cache = BuildCache(root)
    except CacheCorrupt:
        return False
    try:
        if cache.state("output") != str(out) or not cache.state("fingerprint") or not has_spare(root, cache, out):
            return False
        if not is_real_folder(out) or not same_device(folder, out):
            return False
        listings = Listing(out), Listing(folder / SPARE)
        live, kept = (listing.result() for listing in listings)
        if live is None or kept is None:  # (no GNU find: the next build brings the spare up to date)
            return False
        for files in (live, kept):
            files.pop(MARKER, None)  # (each tree has its own, written at its swap)
        mirror(out, folder / SPARE, live, kept)
        if before_commit is not None:
            before_commit()
        cache.copy_manifest("outputs", "spare")
        return True
    except (OSError, CacheCorrupt):  # an aid: the next build brings the spare up to date itself
        return False
    finally:
        cache.close()


def catch_up_wanted(files: int, behind: Callable[[], int]) -> bool:
    """Whether ``ssg build``, having written ``files`` files and left a spare
    tree ``behind()`` files behind, should start a maker to bring it up to date."""
    return files >= MIN_FILES and hasattr(os, "fork") and interactive() and behind() >= CATCH_UP_FILES


def wanted(root: Path, out: Path | None, files: int, cache: BuildCache) -> bool:
    """Whether ``ssg build`` should start a maker after writing ``files`` files
    into ``out``. Only for a person at a terminal (``util/background.py``):
    in CI the job's next step may archive ``.ssg-cache`` while the maker
    writes into it (and the next job restores the output and a spare the
    build before kept), and a script expects nothing of the build left running."""
    return (out is not None and files >= MIN_FILES and hasattr(os, "fork") and interactive()
            and not has_spare(root, cache, out) and same_device(root / CACHE_DIR, out.parent))  # fmt: skip


def start_maker(root: Path, out: Path, lock) -> bool:
    """Start the maker, detached, and hand it ``lock`` (the build lock this
    process holds: the maker inherits its open file). False when it could not start."""
    try:
        command = [sys.executable, "-m", "generator.incremental.spare", str(root), str(out), str(lock.fd)]
        proc = subprocess.Popen(command, pass_fds=(lock.fd,), start_new_session=True, stdin=subprocess.DEVNULL,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    except OSError:
        return False
    lock.hand_over(proc.pid)
    return True


class _Stopped(Exception):
    """A build asked the maker to stop."""


def main(argv: list[str]) -> int:
    """The maker: ``ROOT OUT FD``, FD being the build lock's open file, inherited."""
    root, out, fd = Path(argv[0]), Path(argv[1]), int(argv[2])
    asked = []

    def stop(signum, frame):
        asked.append(signum)
        if len(asked) == 1:
            raise _Stopped

    def before_commit():
        signal.signal(signal.SIGTERM, signal.SIG_IGN)  # recorded whole or not at all
        try:
            same_lock = os.path.samestat(os.fstat(fd), os.stat(root / CACHE_DIR / LOCK_FILE))
        except OSError:
            same_lock = False
        if asked or not same_lock:  # stopped, or the cache folder was moved or replaced meanwhile
            raise _Stopped

    signal.signal(signal.SIGTERM, stop)
    try:
        os.nice(10)  # the editor's next command comes first
        prepare_spare(root, out, before_commit) or catch_up(root, out, before_commit)
    except _Stopped:  # the half-made copy stays, for the lock's next holder to delete
        pass
    finally:
        os.close(fd)  # the lock ends here
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
