"""Run a task over index ranges in forked worker processes.

The parent prepares everything (parsed files, planned routes, the Jinja
environment) and forks; workers inherit it all as it is in memory, so nothing
large is pickled on the way in. Only each chunk's small result comes back.
On systems without ``fork``, or for small amounts of work, the task runs in
this process, with the same results: every chunk is independent.
"""

from __future__ import annotations

import contextlib
import gc
import os
import signal
from collections.abc import Callable, Iterator
from typing import TypeVar

T = TypeVar("T")
MIN_PER_WORKER = 50  # below this, forking costs more than it saves

_TASK: Callable[[int, int], object] | None = None


def die_with_parent() -> None:
    """Workers end when the build that forked them is killed (Linux)."""
    import ctypes

    try:  # the C library as the process has it loaded (``find_library`` runs ``ldconfig``: 2 ms a worker)
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    if os.getppid() == 1:  # the parent is already gone
        os._exit(1)


def can_fork() -> bool:
    """A process may be forked now: there is ``fork``, and no other thread runs (a child forked while one
    holds a lock inherits the lock held: ``ssg serve`` builds in a thread of its own)."""
    import threading

    return hasattr(os, "fork") and threading.active_count() == 1


def _run_chunk(start: int, stop: int):
    assert _TASK is not None
    return _TASK(start, stop)


@contextlib.contextmanager
def fewer_collections():
    """A build makes millions of small objects (documents, views, Markdown
    tokens) that live until it ends or die by reference counting; the cyclic
    collector, walking them again and again, took a quarter of a cached
    build's time. It runs far less often while the build lasts, and what was
    frozen during the build is handed back to it at the end."""
    before = gc.get_threshold()
    gc.set_threshold(100_000, 50, 100)
    try:
        yield
    finally:
        gc.set_threshold(*before)
        gc.unfreeze()


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def run_chunks(task: Callable[[int, int], T], count: int, jobs: int, per_worker: int = MIN_PER_WORKER) -> list[T]:
    """``task(start, stop)`` over ``range(count)`` in chunks; results in order.
    ``per_worker``: the fewest items worth a worker of their own (one, for
    items that take a tenth of a second each, as a photo does)."""
    return list(iter_chunks(task, count, jobs, per_worker))


def iter_chunks(task: Callable[[int, int], T], count: int, jobs: int,
                per_worker: int = MIN_PER_WORKER) -> Iterator[T]:  # fmt: skip
    """:func:`run_chunks`, handing over each chunk's result as soon as it and
    those before it are done, so that the caller works on it (stores it) while
    the workers go on with later chunks."""
    global _TASK
    workers = min(jobs, count // per_worker)
    if workers > 1:  # imported only when used: a small build starts 15 ms sooner
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor
    if workers <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        if count:
            yield task(0, count)
        return
    chunk = max(1, -(-count // (workers * 16)))
    ranges = [(start, min(count, start + chunk)) for start in range(0, count, chunk)]
    _TASK = task
    # Objects made so far are shared with the workers; keep the collector away
    # from them, so that no worker copies (or walks) the parent's whole heap.
    gc.freeze()
    try:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(workers, mp_context=context, initializer=die_with_parent) as pool:
            futures = [pool.submit(_run_chunk, start, stop) for start, stop in ranges]
            try:
                for future in futures:
                    yield future.result()
            except BaseException:  # the caller stopped early (an error): no more work
                for future in futures:
                    future.cancel()
                raise
    finally:
        _TASK = None
        gc.unfreeze()
