"""A whole merge's words joined by two processes, one half each.

After a story is added, moved or deleted, every later page's number moves
and the merge joins, encodes and cuts every word again (``merge.py``),
2–2.5 s at 10,000 stories, on one core. The words are
cut into chunks one after another, but a word that fills a chunk alone
(``merge.SMALLEST`` locations or more) starts a chunk whatever came before
it. So the words from such a word on are joined by a forked process while
this one joins those before it, and the chunks are those of one pass. The
word is one that had a chunk of its own at the last merge, the one nearest
the middle of its chunks; whether it still fills a chunk alone is known only
once it is joined: when it does not (a story deleted took it under), the
other process's work is dropped and this one goes on past the word, as one
pass does.
"""

from __future__ import annotations

import marshal
import multiprocessing
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from generator.search.remerge import STATE

FEWEST_CHUNKS = 200  # below, one process: the merge takes less than starting another


def split_word(store: Path) -> str | None:
    """The word to split at: of the last merge's words that had a chunk of their own (but the last
    chunk's), the one nearest the middle of its chunks; None when there is none, or few chunks."""
    try:
        chunks = marshal.loads((store / STATE).read_bytes())["chunks"]
    except (OSError, ValueError, EOFError, TypeError, KeyError):
        return None
    if not isinstance(chunks, list | tuple) or len(chunks) < FEWEST_CHUNKS:
        return None
    alone = [number for number, chunk in enumerate(chunks[:-1]) if chunk[0] == chunk[1]]
    if not alone:
        return None
    middle = len(chunks) // 2
    return chunks[min(alone, key=lambda number: (abs(number - middle), number))][0]


class LaterHalf:
    """The words from ``word`` on, joined, encoded, cut and stored in the chunk store by a forked
    process; ``chunks()`` waits for them ([first word, last word, file] each, as ``merge._words``
    makes them), or None when the word did not fill a chunk alone or the process failed."""

    def __init__(self, folders: list[Path], offsets: list[int], code: str, store: Path, word: str, numbers=None):
        self.word = word
        self._pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork"))
        self._future: Future | None = self._pool.submit(_join_from, folders, offsets, code, store, word, numbers)
        self._pool.shutdown(wait=False)  # its process ends once the words are done

    def chunks(self) -> list[list] | None:
        future, self._future = self._future, None
        if future is None:
            return None
        try:
            return future.result()
        except (OSError, BrokenProcessPool):
            return None

    def close(self) -> None:
        """Wait for the process (a merge that did not need its work leaves nothing running)."""
        self.chunks()
        self._pool.shutdown(wait=True)


def start(folders: list[Path], offsets: list[int], code: str, store: Path, numbers=None) -> LaterHalf | None:
    """``numbers``: each slice's meta field numbers in the merged bundle (``split.field_numbers``)."""
    word = split_word(store)
    if word is None or "fork" not in multiprocessing.get_all_start_methods():
        return None
    return LaterHalf(folders, offsets, code, store, word, numbers)


def _join_from(folders: list[Path], offsets: list[int], code: str, store: Path, word: str,
               numbers=None) -> list[list] | None:  # fmt: skip
    """In the forked process: the chunks of the words from ``word`` on, their files in ``store``."""
    from generator.search.bundle import name
    from generator.search.merge import SMALLEST, Chunker, Joined, _word, chunk_raw, store_chunk
    from generator.util.parallel import die_with_parent

    die_with_parent()
    chunks: list[list] = []

    def emit(entries: list[bytes], first: str, last: str) -> None:
        raw = chunk_raw(entries)
        file = name(code, raw)
        store_chunk(raw, file, store)
        chunks.append([first, last, file])

    joined = Joined(folders, offsets, numbers)
    try:
        joined.skip_to(word)
        item = joined.next()
        if item is None or item[0] != word:
            return None
        encoded, size = _word(*item)
        if size < SMALLEST:
            return None
        chunker = Chunker(emit)
        chunker.add(word, encoded, size)
        while (item := joined.next()) is not None:
            chunker.add(item[0], *_word(*item))
        chunker.finish()
    finally:
        joined.close()
    return chunks
