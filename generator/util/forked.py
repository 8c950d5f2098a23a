"""Work done in forked processes while this one goes on with other work.

:class:`Forked` forks its processes at once and returns; each takes the
next item as soon as it is free (a counter they share), so that a slow item
does not hold the others back. :meth:`Forked.results` waits for them.

Unlike :func:`generator.util.parallel.run_chunks`, nothing here starts a
thread: the build forks other processes meanwhile (the render workers, the
folders made ahead), and a process forked while a thread holds a lock would
inherit the lock held. A process that dies (a decoder that crashes on a
hostile file) names the item it was on (``crashed``); the items it did not
report are done again here. Without ``fork``, with other threads running
(``ssg serve``) or with one job, the items are done here and now.
"""

from __future__ import annotations

import contextlib
import gc
import os
import pickle
import signal
import tempfile
from collections.abc import Callable
from typing import IO, Generic, TypeVar

from generator.util.parallel import can_fork, die_with_parent

T = TypeVar("T")


class Forked(Generic[T]):
    """``work(i)`` for each ``i`` below ``count`` (it must not raise: its
    result says what went wrong), in up to ``jobs`` processes."""

    def __init__(self, work: Callable[[int], T], count: int, jobs: int, crashed: Callable[[int, int], T]):
        self.work, self.count, self.crashed = work, count, crashed
        self._done: dict[int, T] | None = None
        self._children: list[tuple[int, int, IO[bytes]]] = []  # pid, slot, the file its results go to
        if count and jobs > 1 and can_fork():
            self._fork(min(jobs, count))
        else:
            self._done = {i: work(i) for i in range(count)}

    def _fork(self, processes: int) -> None:
        import multiprocessing

        context = multiprocessing.get_context("fork")
        self._next = context.Value("q", 0)  # the next item to take (a semaphore guards it; no thread)
        self._current = context.RawArray("q", [-1] * processes)  # the item each process is on
        for slot in range(processes):
            file = tempfile.TemporaryFile()
            pid = os.fork()
            if pid == 0:  # pragma: no cover - the child leaves by os._exit, so coverage never sees it
                code = 1
                try:
                    gc.disable()  # (the collector would touch every object shared with the build)
                    die_with_parent()
                    signal.signal(signal.SIGINT, signal.SIG_IGN)  # (Ctrl-C: the build ends it)
                    pickle.dump(self._serve(slot), file, pickle.HIGHEST_PROTOCOL)
                    file.flush()
                    code = 0
                finally:
                    os._exit(code)
            self._children.append((pid, slot, file))

    def _serve(self, slot: int) -> dict[int, T]:  # pragma: no cover - runs in the forked child
        done: dict[int, T] = {}
        while True:
            with self._next.get_lock():
                i = self._next.value
                self._next.value = i + 1
            if i >= self.count:
                return done
            self._current[slot] = i
            done[i] = self.work(i)
            self._current[slot] = -1

    @property
    def ready(self) -> bool:
        """The results are here (the items were done in this process)."""
        return self._done is not None

    def results(self) -> dict[int, T]:
        """Every item's result (waits for the processes)."""
        if self._done is None:
            done: dict[int, T] = {}
            for pid, slot, file in self._children:
                _, status = os.waitpid(pid, 0)
                with file:
                    if os.waitstatus_to_exitcode(status) == 0:
                        file.seek(0)
                        done.update(pickle.load(file))
                    elif (i := self._current[slot]) >= 0:  # it died on this item
                        done[i] = self.crashed(i, os.waitstatus_to_exitcode(status))
            self._children = []
            self._done = {i: done[i] if i in done else self.work(i) for i in range(self.count)}
        return self._done

    def stop(self) -> None:
        """The build ends before it needs the results: end the processes (waits for them)."""
        for pid, _, file in self._children:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, 0)
            file.close()
        self._children = []
