"""The merged word index after an edit, read back from the last merge's chunks.

After an edit the merge makes again only the chunks that hold a changed word
(``remerge.py``). Joining those chunks' words from every slice again reads,
for each of them, a block of words from each of the 64 slices of a
10,000-story archive: most of an edit's merge. Here the words come instead
from the last merge's own chunk files: each chunk is decoded (CBOR), a
changed word's entry is made anew from the old one (its pages in the edited
slices taken out) and the edited slices' new entries (put in at their page
numbers), and every other word is as it was. The words then go through the
same cutting as before (``remerge.Again.run``), so the chunks are those of a
whole merge, byte for byte.

A changed word with variants (accented forms, whose order in an entry
depends on the slices' order of first use) is not made here: the merge joins
the slices' words instead (``Spliced.of`` returns None when a re-indexed
slice has them), or every word again (``Unreadable``, when the last merge's
entry has them: found as its chunk is read, one chunk in memory at a time).
"""

from __future__ import annotations

import gzip
from bisect import bisect_left
from itertools import accumulate
from operator import itemgetter
from pathlib import Path

import cbor2

from generator.search.bundle import SIGNATURE
from generator.search.split import UnknownLayout, chunk_reader, entries_of


class Unreadable(Exception):
    """A kept chunk file that does not read back, or a changed word that had variants (the merge joins
    every word again)."""


class Spliced:
    """The merged index's words in word order (``next()``: ``(word, [word, pages, variants])``), from the
    last merge's chunk files with the changed words made anew; ``skip_to(word)`` as ``merge.Joined``'s."""

    def __init__(self, folder: Path, chunks: list[tuple[str, str, str]], edited: list[tuple[int, int, dict]]):
        self.folder = folder  # the kept chunk files (``<file>.pf_index``)
        self.chunks = chunks
        self.lasts = [last for _, last, _ in chunks]
        self.edited = edited  # (first page, page after the last, the slice's changed words -> WORD tuple or None)
        self.words = sorted({word for _, _, changed in edited for word in changed})
        self.decoded: dict[int, list] = {}
        self.chunk, self.at, self.next_word = 0, 0, 0

    @classmethod
    def of(cls, folder: Path, chunks, offsets: list[int], changed: dict[int, dict]) -> Spliced | None:
        """The words with ``changed`` (slice number -> its changed words -> new WORD tuple, None when
        gone) made anew, or None when a changed word has variants in a re-indexed slice. (One that had
        variants in the last merge is found as its chunk is read: ``Unreadable``, and the merge is
        whole. Reading every chunk of a changed word here, to find them first, held them all in memory
        at once: 4.7 GB for a story's 300-odd words at 100,000 stories.)"""
        edited = [(offsets[s], offsets[s + 1], words) for s, words in sorted(changed.items())]
        spliced = cls(folder, list(chunks), edited)
        for word in spliced.words:
            if any(words.get(word) is not None and words[word][7] for _, _, words in edited):
                return None
        return spliced

    def _decoded(self, number: int) -> list[tuple[str, list, bytes]]:
        """A chunk's words: each word, its entry (CBOR decoded) and the entry's bytes."""
        found = self.decoded.get(number)
        if found is None:
            try:
                found = self.decoded[number] = _entries(self.folder / f"{self.chunks[number][2]}.pf_index")
            except (OSError, ValueError, EOFError, TypeError, IndexError) as exc:
                raise Unreadable(str(exc)) from exc
        return found

    def skip_to(self, word: str) -> None:
        self.chunk, self.at = bisect_left(self.lasts, word), 0
        for number in [number for number in self.decoded if number != self.chunk]:
            del self.decoded[number]  # (a chunk left before its end: one in memory at a time)
        if self.chunk < len(self.chunks):
            self.at = bisect_left(self._decoded(self.chunk), word, key=itemgetter(0))
        self.next_word = bisect_left(self.words, word)

    def close(self) -> None:
        self.decoded.clear()

    def next(self) -> tuple[str, tuple[list, bytes | None]] | None:
        """The next word, its entry and the entry's bytes (None: to be encoded)."""
        while True:
            old = self._peek()
            changed = self.words[self.next_word] if self.next_word < len(self.words) else None
            if changed is not None and (old is None or changed <= old[0]):
                self.next_word += 1
                if old is not None and old[0] == changed:
                    self.at += 1
                entry = self._anew(changed, old[1] if old is not None and old[0] == changed else None)
                if entry is not None:
                    return changed, (entry, None)
                continue
            if old is None:
                return None
            self.at += 1
            return old[0], old[1:]

    def _peek(self) -> tuple[str, list, bytes] | None:
        while self.chunk < len(self.chunks):
            entries = self._decoded(self.chunk)
            if self.at < len(entries):
                return entries[self.at]
            self.decoded.pop(self.chunk, None)
            self.chunk, self.at = self.chunk + 1, 0
        return None

    def _anew(self, word: str, old: list | None) -> list | None:
        """The word's entry: its pages in the edited slices (where it changed) replaced by the new ones.
        The old pages around them are kept as they were (lists sliced, not walked: a common word has a
        page in every story), but for the first after each replaced run, whose difference changes."""
        if old is not None and old[2]:
            raise Unreadable(f"{word!r} has variants")  # (their order is the slices' order of first use)
        pages = old[1] if old is not None else []
        numbers = list(accumulate(map(itemgetter(0), pages)))
        out: list[list] = []
        before = at = 0  # the last page number written; the next old page to keep
        for first, end, words in self.edited:
            if word not in words:
                continue
            start = bisect_left(numbers, first, at)
            if start > at:
                out.append([numbers[at] - before, *pages[at][1:]])
                out += pages[at + 1 : start]
                before = numbers[start - 1]
            piece = words[word]
            if piece is not None:
                for number, rest in zip(*entries_of(piece), strict=True):
                    out.append([first + number - before, *rest])
                    before = first + number
            at = bisect_left(numbers, end, start)
        if at < len(pages):
            out.append([numbers[at] - before, *pages[at][1:]])
            out += pages[at + 1 :]
        return [word, out, []] if out else None


def _entries(path: Path) -> list[tuple[str, list, bytes]]:
    raw = gzip.decompress(path.read_bytes())
    if not raw.startswith(SIGNATURE):
        raise UnknownLayout(f"{path.name} is not a Pagefind file")
    raw = raw[len(SIGNATURE) :]
    count, decode, tell = chunk_reader(raw)
    found = []
    for _ in range(count):
        begin = tell()
        entry = decode()
        found.append((entry[0], entry, raw[begin : tell()]))
    return found


def encode(word: str, item: tuple[list, bytes | None]) -> tuple[bytes, int]:
    """A word's entry as the merge writes it (its bytes as they were, when it did not change), and its
    size (as ``merge._word`` counts it)."""
    entry, raw = item
    pages = entry[1]
    size = sum(map(len, map(_SECOND, pages))) + len(pages)  # (map: no Python frame a page)
    size += sum(len(page[1]) + 1 for _, pages in entry[2] for page in pages)
    return raw if raw is not None else cbor2.dumps(entry), size


_SECOND = itemgetter(1)
