"""One build of a site at a time: an exclusive lock on ``.ssg-cache/build.lock``.

A second ``ssg build`` (or ``ssg serve``) of the same site waits for the first
to finish, saying so once, and gives up with a clear error after
``WAIT_SECONDS``. The lock is an ``flock``: the system releases it when the
process ends, even when it is killed, so a crashed build never leaves a stale
lock behind.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover - not a POSIX system
    fcntl = None

WAIT_SECONDS = 600.0


class LockTimeout(Exception):
    """Another build held the lock for too long."""


@contextlib.contextmanager
def build_lock(folder: Path, wait: float = WAIT_SECONDS, stream=None):
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "build.lock"
    fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o644)
    _HELD.add(fd)
    try:
        if fcntl is not None:
            _acquire(fd, path, wait, stream if stream is not None else sys.stderr)
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        yield
    finally:
        _HELD.discard(fd)
        if fcntl is not None:
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
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if not told:
                holder = path.read_text().strip() or "?"
                print(f"ssg: another build of this site is running (pid {holder}); waiting for it to finish",
                      file=stream, flush=True)  # fmt: skip
                told = True
            if time.monotonic() > deadline:
                raise LockTimeout(f"gave up after {wait:.0f} s waiting for another build of this site") from None
            time.sleep(0.1)
