"""One build of a site at a time: an exclusive lock on ``.ssg-cache/build.lock``.

A second ``ssg build`` (or ``ssg serve``) of the same site waits for the first
to finish, saying so once, and gives up with a clear error after
``WAIT_SECONDS``. The lock is an ``flock``: the system releases it when the
process ends, even when it is killed, so a crashed build never leaves a stale
lock behind.

A build that leaves no spare output tree hands its lock to the process that
makes one after it returns (``generator/incremental/spare.py``): the lock file then names
that process, and a build that finds it holding the lock stops it at once
instead of waiting (the spare is an aid; without it, the build makes its own
tree).
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import time
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover - not a POSIX system
    fcntl = None

WAIT_SECONDS = 600.0
LOCK_FILE = "build.lock"  # in .ssg-cache


class LockTimeout(Exception):
    """Another build held the lock for too long."""


SPARE_ROLE = "spare"  # the lock file's second word while a spare tree's maker holds the lock


class BuildLock:
    """The held lock: ``fd`` is its open file."""

    def __init__(self, fd: int):
        self.fd = fd
        self.handed = False

    def hand_over(self, pid: int) -> None:
        """Process ``pid``, a spare tree's maker that inherited ``fd``, holds
        the lock from now on: it ends when that process ends, not with this
        context. The lock file names it, so that a build can stop it."""
        os.ftruncate(self.fd, 0)
        os.pwrite(self.fd, f"{pid} {SPARE_ROLE}\n".encode(), 0)
        self.handed = True


@contextlib.contextmanager
def build_lock(folder: Path, wait: float = WAIT_SECONDS, stream=None):
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / LOCK_FILE
    fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o644)
    _HELD.add(fd)
    lock = BuildLock(fd)
    try:
        if fcntl is not None:
            _acquire(fd, path, wait, stream if stream is not None else sys.stderr)
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        yield lock
    finally:
        _HELD.discard(fd)
        if fcntl is not None and not lock.handed:  # (unlocking would release the maker's lock too: it is one lock)
            fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


_HELD: set[int] = set()


def _close_in_child() -> None:
    """A forked worker must not keep the lock alive if its parent is killed."""
    for fd in list(_HELD):
        try:
            os.close(fd)
        except OSError:
            pass
    _HELD.clear()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_close_in_child)


def _acquire(fd: int, path: Path, wait: float, stream) -> None:
    deadline = time.monotonic() + wait
    told = False
    stopped: set[int] = set()
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            holder = _read(path)
            pid, _, role = holder.partition(" ")
            if role == SPARE_ROLE and pid.isdigit() and int(pid) not in stopped:
                stopped.add(int(pid))
                with contextlib.suppress(OSError):  # gone already
                    os.kill(int(pid), signal.SIGTERM)
            elif not told and role != SPARE_ROLE:
                print(f"ssg: another build of this site is running (pid {holder or '?'}); waiting for it to finish",
                      file=stream, flush=True)  # fmt: skip
                told = True
            if time.monotonic() > deadline:
                raise LockTimeout(f"gave up after {wait:.0f} s waiting for another build of this site") from None
            time.sleep(0.02 if stopped else 0.1)


def held(folder: Path) -> bool:
    """Whether a process holds the build lock in ``folder`` (a build, or a spare tree's maker)."""
    if fcntl is None:  # pragma: no cover - not a POSIX system
        return False
    try:
        fd = os.open(folder / LOCK_FILE, os.O_RDWR | getattr(os, "O_CLOEXEC", 0))
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return False
    except BlockingIOError:
        return True
    finally:
        os.close(fd)  # (releases the probe's lock, if it took it)


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace").strip()
    except OSError:
        return ""
