"""The search stage of a build that edits an indexed archive, in a process
forked as the build begins: while this one loads, plans and renders, it reads
what the stage needs of the last build's index (``stage.ReadAhead``: each
page's digest, every slice's record, the last build's slices and their
keys), and once the pages are written it
indexes and merges them while this one gets the build's cache ready to save.
A build of one edit at 10,000 stories spends about a third of its time in
the search stage, with the other core idle.

The pages go to the process through a pipe (``marshal``: output paths and
keys), and what it indexed comes back through another (``pickle``:
:class:`stage.Indexed`, with Pagefind's problems). When the process cannot
be forked (no ``fork``; other threads running, as in ``ssg serve``, where a
forked child could inherit a lock some thread holds), or it fails or dies,
:meth:`SearchWorker.result` is None and the build indexes in its own process:
every file the stage writes is put in place whole, so the stage starts over
from whatever the process left. It leaves the parent by ``os._exit`` and
never touches the build cache's database.
"""

from __future__ import annotations

import contextlib
import gc
import marshal
import os
import pickle
import signal
import threading
from pathlib import Path

from generator.search.remerge import STATE
from generator.search.stage import CHUNKS, Indexed, ReadAhead, index_slices
from generator.util.parallel import can_fork, die_with_parent

SWITCH = "SSG_SEARCH_PROCESS"  # "0": the search stage in the build's own process (to profile it, say)


class SearchWorker:
    """The search stage's process (:meth:`fork`)."""

    def __init__(self, pid: int, request: int, reply: int):
        self.pid: int | None = pid
        self._request, self._reply = request, reply  # the pipes' ends in the build (-1: closed)

    @classmethod
    def fork(cls, store: Path, language: str) -> SearchWorker | None:
        """The process, reading ahead from ``store`` (the build cache's search slices: ``stage.STORE``);
        None when there is no last merge to read (a first build indexes every slice, with both cores)
        or it cannot be forked."""
        if not _can_fork() or not (store / CHUNKS / STATE).is_file():
            return None
        request_in, request_out = os.pipe()
        reply_in, reply_out = os.pipe()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child leaves by os._exit, so coverage never sees it
            code = 1
            try:
                _own_group(0)
                os.close(request_out)
                os.close(reply_in)
                die_with_parent()
                signal.signal(signal.SIGINT, signal.SIG_IGN)  # (Ctrl-C: the build ends it)
                _serve(store, language, request_in, reply_out)
                code = 0
            finally:
                os._exit(code)
        _own_group(pid)  # (both sides: whichever runs first)
        os.close(request_in)
        os.close(reply_out)
        return cls(pid, request_out, reply_in)

    def index(self, tree: Path, pages: dict[str, str], language: str, previous: Path | None) -> bool:
        """Hand the written pages over (as ``stage.index_slices`` takes them); False when it cannot."""
        if self.pid is None:
            return False
        try:
            data = marshal.dumps((str(tree), pages, language, None if previous is None else str(previous)))
            with open(self._request, "wb", closefd=False) as pipe:
                pipe.write(len(data).to_bytes(8, "big") + data)
        except OSError:
            self.close()
            return False
        finally:
            self._close(self._request)
            self._request = -1
        return True

    def result(self) -> Indexed | None:
        """What the process indexed (waits for it); None when it failed, died or was never handed pages."""
        if self.pid is None or self._request != -1:
            self.close()
            return None
        try:
            with open(self._reply, "rb", closefd=False) as pipe:
                reply = pipe.read()
            done = pickle.loads(reply) if reply else None
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError):
            done = None
        self.close()
        return done if isinstance(done, Indexed) else None

    def close(self) -> None:
        """Ends the process, if it is still running, and waits for it."""
        self._close(self._request)
        self._close(self._reply)
        self._request = self._reply = -1
        if self.pid is not None:
            try:  # with the Pagefind it may be running (one that has exited is killed harmlessly)
                os.killpg(self.pid, signal.SIGKILL)
            except OSError:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(self.pid, signal.SIGKILL)
            with contextlib.suppress(ChildProcessError):
                os.waitpid(self.pid, 0)
            self.pid = None

    @staticmethod
    def _close(fd: int) -> None:
        if fd != -1:
            with contextlib.suppress(OSError):
                os.close(fd)


def _own_group(pid: int) -> None:
    """The process leads a process group of its own, which the Pagefind it runs joins: ``close`` ends
    them together. (Ctrl-C at a terminal then reaches the build alone, which ends them.)"""
    with contextlib.suppress(OSError):  # (the child has exited, or has made its group already)
        os.setpgid(pid, pid)


def _can_fork() -> bool:
    """Not without ``fork``, nor with other threads running, nor with ``SSG_SEARCH_PROCESS=0``."""
    return can_fork() and os.environ.get(SWITCH) != "0"


def _serve(store: Path, language: str, request: int, reply: int) -> None:  # pragma: no cover - runs in the forked child
    gc.disable()  # a short life, and the stage makes no cycles
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(_read_request(request)))
    reader.start()  # the build may hand the pages over before the reading ahead is done
    ahead = ReadAhead.of(store, language)
    reader.join()
    if not received or not received[0]:
        return  # the build needed no index after all
    tree, pages, language, previous = marshal.loads(received[0])
    done = index_slices(Path(tree), pages, language, store, None if previous is None else Path(previous), ahead)
    with open(reply, "wb", closefd=False) as pipe:
        pipe.write(pickle.dumps(done, protocol=pickle.HIGHEST_PROTOCOL))


def _read_request(fd: int) -> bytes:
    """The request, by its length: the pipe's end in the build may be open in processes forked from it
    since (the render workers), so its end of file may come late."""
    with open(fd, "rb", closefd=False) as pipe:
        size = pipe.read(8)
        return pipe.read(int.from_bytes(size, "big")) if len(size) == 8 else b""
