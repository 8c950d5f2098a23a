"""Merge the slices Pagefind indexed one at a time (``split.py`` records)
into one bundle, as if Pagefind had indexed every page in one run.

A query's ranking depends on statistics of the whole index (how many pages
there are, how many have the word, their average length), so slices merged
in the browser (Pagefind's ``mergeIndex``) rank otherwise than one index,
and sort each slice's results apart. Here the slices' pages are numbered one
after the other, each word's pages are joined across slices (only the first
page of each slice gets a new number; the rest are the bytes Pagefind
wrote), filters are joined by value, sorts are merged by their values (``facets.py``), and
the word index is cut into chunks of about Pagefind's size. The reader's
browser gets one index: the same results, scores and transfer as one
Pagefind run would give.

Chunks are cut where the words say (a word whose checksum ends in three
zero bits, once a chunk is big enough), not at a running total, so that an
edit changes the chunks that hold its words and no others; a chunk's file
is kept in ``store`` under its name (a hash of its content) and only a new
one is compressed.
"""

from __future__ import annotations

import json
import os
import zlib
from bisect import bisect_left, bisect_right
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from itertools import accumulate
from operator import itemgetter
from pathlib import Path

import cbor2

from generator.search import halves
from generator.search.bundle import CHUNK_LEVEL, ENTRY, SIGNATURE, compress, dump, keep_file, link_kept, name
from generator.search.facets import facets
from generator.search.place import Placing
from generator.search.remerge import Again, remember
from generator.search.splice import Spliced, Unreadable, encode
from generator.search.split import ARRAY, blocks, field_numbers, head

SMALLEST, LARGEST = 12_000, 40_000  # a chunk's size in locations (and pages): Pagefind's is about 20,000
WORD, TEXT = 0, 3  # CBOR's major types (and ARRAY, split's)
CHUNK_FILE = "index/{}.pf_index"  # a chunk's file in the bundle and in ``store``, by its name
STORED = ("index", "filter")  # the bundle's folders whose files ``store`` keeps by name (chunks, filters)


def merge(slices: list[dict], folders: list[Path], out: Path, store: Path, whole: bool = False) -> tuple[int, int]:
    """Write the bundle of every slice's pages into ``out``; returns the number of pages and of files placed.
    ``folders`` hold each slice's words (``words.bin``) and own bundle (``bundle/``: its
    fragments and Pagefind's scripts). ``whole``: every word joined again (not from the last merge)."""
    place = Placing(out)
    for part in STORED:
        (store / part).mkdir(parents=True, exist_ok=True)
    code = slices[0]["code"]
    offsets = list(accumulate((len(s["pages"]) for s in slices), initial=0))
    pages = _fragments(slices, folders, place)
    keys = [folder.name for folder in folders]
    fields, numbers = field_numbers(slices)
    again = None if whole else Again.of(store, code, keys, offsets, folders, fields, numbers)
    try:
        chunks = _words(folders, offsets, code, place, store, again, numbers)
    except Unreadable:  # a kept chunk that does not read back: every word joined again, the bundle placed anew
        return merge(slices, folders, out, store, whole=True)
    remember(store, code, keys, offsets, chunks, fields)
    chunks = _bounds([list(chunk) for chunk in chunks])
    filters, sorts = facets(slices, folders, offsets, code, place, store)
    meta_bytes, raw = dump([slices[0]["meta_version"], pages, chunks, filters, sorts, fields])
    meta_name = name(code, raw)
    place.write(f"pagefind.{meta_name}.pf_meta", meta_bytes)
    _link_scripts(folders[0] / "bundle", place)
    entry = {"version": slices[0]["version"],
             "languages": {code: {"hash": meta_name, "wasm": slices[0]["wasm"], "page_count": offsets[-1]}}}
    place.write(ENTRY, json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode())
    place.finish()
    return offsets[-1], place.placed


def _fragments(slices: list[dict], folders: list[Path], place: Placing) -> list:
    """Every page's fragment linked into the bundle; a name two different fragments share is made longer."""
    pages, seen = [], {}
    for record, folder in zip(slices, folders, strict=True):
        fragments = os.path.join(folder, "bundle", "fragment")  # (strings: 10,000 paths a build)
        placed = []
        for fragment, count in record["pages"]:
            final = fragment
            if fragment in seen and seen[fragment] != fragments:
                data = Path(fragments, f"{fragment}.pf_fragment").read_bytes()
                if Path(seen[fragment], f"{fragment}.pf_fragment").read_bytes() != data:
                    final = name(fragment, data, 8)
            if final not in seen:
                seen[final] = fragments
                placed.append((f"{fragment}.pf_fragment", f"fragment/{final}.pf_fragment"))
            pages.append([final, count])
        place.link_all(fragments, placed)
    return pages


def _words(folders: list[Path], offsets: list[int], code: str, place: Placing, store: Path, again=None, numbers=None):
    """The word index of every slice, cut into chunks; returns the chunks' [first word, last word, file]
    with their whole words (``_bounds`` cuts them). The slices' words are read a block at a time and
    merged in word order. ``again`` (``remerge.Again``): the last build's chunks, of which those that
    hold no changed word are kept as they were, without joining or encoding their words; the others'
    words are read back from them with the changed words made anew (``splice.py``) when they can be."""
    chunks: list[list] = []
    pending: deque = deque()  # chunks being compressed: a few at a time, so that memory holds a few
    later = halves.start(folders, offsets, code, store, numbers) if again is None else None  # (forked first)
    with ThreadPoolExecutor(2) as pool:  # libdeflate lets go of the interpreter's lock: both cores compress

        def emit(entries: list[bytes], first: str, last: str) -> None:
            raw = chunk_raw(entries)
            file = name(code, raw)
            chunks.append([first, last, file])
            pending.append(pool.submit(_keep_chunk, raw, file, store, place))
            while len(pending) > 4:
                pending.popleft().result()

        kept = os.path.join(store, "index")
        spliced = None if again is None else Spliced.of(Path(kept), again.chunks, again.offsets, again.pieces)
        joined = spliced if spliced is not None else Joined(folders, offsets, numbers)
        try:
            if again is None:
                _join_whole(joined, Chunker(emit), later, chunks, lambda file: _link_chunk(store, file, place))
            else:

                again.run(joined, Chunker, emit, chunks, lambda file: _link_chunk(store, file, place),
                          _word if spliced is None else encode)  # fmt: skip
        finally:
            joined.close()
            if later is not None:
                later.close()
        for job in pending:
            job.result()
    return chunks


def _join_whole(joined, chunker: Chunker, later: halves.LaterHalf | None, chunks: list, link_chunk) -> None:
    """Every word joined, encoded and cut into chunks; from ``later.word`` on, by ``later``'s process
    when that word filled a chunk alone (its chunks are then linked here), else here too."""
    while (item := joined.next()) is not None:
        if later is not None and item[0] >= later.word:
            theirs = later.chunks()
            later = None
            if theirs is not None:
                chunker.finish()
                for chunk in theirs:
                    chunks.append(chunk)
                    link_chunk(chunk[2])
                return
        chunker.add(item[0], *_word(*item))
    chunker.finish()


class Chunker:
    """Words in, chunks out (``emit(entries, first, last)``), cut where the words say."""

    def __init__(self, emit):
        self.emit, self.entries, self.size, self.first = emit, [], 0, ""

    def add(self, word: str, encoded: bytes, word_size: int) -> None:
        if word_size >= SMALLEST and self.entries:  # a common word has a chunk of its own: a rare word beside
            self.emit(self.entries, self.first, self.last)  # it would cost a reader the common word's pages
            self.entries, self.size = [], 0
        if not self.entries:
            self.first = word
        self.entries.append(encoded)
        self.size += word_size
        self.last = word
        if self.size >= SMALLEST and (word_size >= SMALLEST or self.size >= LARGEST
                                      or zlib.crc32(word.encode()) & 7 == 0):  # fmt: skip
            self.emit(self.entries, self.first, word)
            self.entries, self.size = [], 0

    def finish(self) -> None:
        if self.entries:
            self.emit(self.entries, self.first, self.last)
            self.entries, self.size = [], 0


class Joined:
    """Each word with its pieces ``(offset, WORD tuple)`` from every slice that has it, in word order,
    with one block of each slice's words in memory: a round takes every word up to the smallest last
    word of the blocks at hand (no later block of any slice holds one), and at least one block is done.
    ``skip_to(word)``: the words before ``word`` are passed over without being joined."""

    def __init__(self, folders: list[Path], offsets: list[int], numbers: list | None = None):
        self.readers = list(map(blocks, folders, numbers or [None] * len(folders)))
        self.at_hand = [next(reader, None) for reader in self.readers]
        self.cursors = [0] * len(self.readers)
        self.offsets = offsets
        self.pending: deque = deque()
        self.lowest = ""

    def skip_to(self, word: str) -> None:
        while self.pending and self.pending[0][0] < word:
            self.pending.popleft()
        self.lowest = word
        for number, block in enumerate(self.at_hand):
            if block is not None and block[-1][0] < word:  # none of its words is wanted: nor of those up to word's
                self.readers[number].skip_to(word)
                self.at_hand[number], self.cursors[number] = next(self.readers[number], None), 0

    def close(self) -> None:
        for reader in self.readers:
            reader.close()

    def next(self):
        while not self.pending:
            if not self._round():
                return None
        return self.pending.popleft()

    def _round(self) -> bool:
        at_hand, cursors = self.at_hand, self.cursors
        live = [number for number, block in enumerate(at_hand) if block is not None]
        if not live:
            return False
        bound = min(at_hand[number][-1][0] for number in live)
        table: dict[str, list] = {}
        for number in live:
            block, start = at_hand[number], cursors[number]
            if self.lowest:
                start = bisect_left(block, self.lowest, start, key=itemgetter(0))
            end = bisect_right(block, bound, start, key=itemgetter(0))
            offset = self.offsets[number]
            for piece in block[start:end]:
                found = table.get(piece[0])
                if found is None:
                    table[piece[0]] = [(offset, piece)]
                else:
                    found.append((offset, piece))
            if end == len(block):
                at_hand[number], cursors[number] = next(self.readers[number], None), 0
            else:
                cursors[number] = end
        self.pending.extend((word, table[word]) for word in sorted(table))
        return True


def _word(word: str, pieces: list) -> tuple[bytes, int]:
    """One word's entry over every slice that has it, and its size."""
    text = word.encode()
    parts = [b"\x83", head(TEXT, len(text)), text, head(ARRAY, sum(p[1][3] for p in pieces))]
    before = 0
    size = 0
    variants = None
    for offset, piece in pieces:
        _, first, last, count, piece_size, first_rest, tail, forms = piece
        if count:
            parts += (b"\x83", head(WORD, offset + first - before), first_rest, tail)
            before = offset + last
        size += piece_size
        if forms:
            variants = variants or {}
            for form, form_pages in forms:
                variants.setdefault(form, []).extend([page[0] + offset, *page[1:]] for page in form_pages)
    parts.append(cbor2.dumps([[form, _relative(found)] for form, found in variants.items()]) if variants else b"\x80")
    return b"".join(parts), size


def _relative(pages: list) -> list:
    before, found = 0, []
    for page in pages:
        found.append([page[0] - before, *page[1:]])
        before = page[0]
    return found


def chunk_raw(entries: list[bytes]) -> bytes:
    """A chunk's CBOR (its name is made from it), of its words' encoded entries."""
    return b"\x81" + head(ARRAY, len(entries)) + b"".join(entries)


def store_chunk(raw: bytes, file: str, store: Path) -> None:
    """A chunk's file in ``store``, compressed only when ``store`` does not have it yet."""
    keep_file(store, CHUNK_FILE.format(file), lambda: compress(SIGNATURE + raw, CHUNK_LEVEL))


def _link_chunk(store: Path, file: str, place: Placing) -> None:
    link_kept(store, CHUNK_FILE.format(file), place)


def _keep_chunk(raw: bytes, file: str, store: Path, place: Placing) -> None:
    """A chunk's file in the bundle (``store_chunk``, then linked)."""
    store_chunk(raw, file, store)
    _link_chunk(store, file, place)


def prune(store: Path, out: Path) -> None:
    """Drop the kept chunks and filters this build's bundle does not use."""
    for part in STORED:
        used = {entry.name for entry in os.scandir(out / part)}
        for entry in os.scandir(store / part):
            if entry.name not in used:
                os.unlink(entry.path)


def _bounds(chunks: list) -> list:
    """Each chunk's bounds, by which the reader's Pagefind finds a word's chunk: the first whose
    ``from <= word <= to``. ``from`` is the chunk's first word cut to the shortest prefix that tells it
    from the chunk before's last (as Pagefind cuts it); ``to`` is the shortest string from the chunk's
    last word up to the next chunk's ``from`` (so a query that begins the next chunk's first word still
    finds that chunk, with the words it begins). Pagefind cuts ``to`` as it cuts ``from``, below the chunk's
    longer words: of words drawn three from each chunk of a 100,000-story index, a third then matched no
    chunk, and Pagefind loaded every chunk whose bounds begin as the word does (1.5 MB against 27 KB)."""
    for before, after in zip(chunks, chunks[1:], strict=False):
        last, first = before[1], after[0]
        common = 0
        while common < min(len(last), len(first)) and last[common] == first[common]:
            common += 1
        before[1] = _above(last, first[: common + 1])
        after[0] = first[: common + 1]
    return chunks


def _above(low: str, high: str) -> str:
    """The shortest string from ``low`` up to, not including, ``high`` (``low < high``)."""
    for length in range(1, len(low)):
        code = ord(low[length - 1]) + 1
        code = 0xE000 if 0xD800 <= code < 0xE000 else code  # (no surrogate: bounds are written as UTF-8)
        if code <= 0x10FFFF and (bound := low[: length - 1] + chr(code)) < high:
            return bound
    return low


def _link_scripts(source: Path, place: Placing) -> None:
    """Pagefind's scripts and WebAssembly (the same in every slice)."""
    for path in sorted(source.iterdir()):
        if path.is_file() and path.name != ENTRY and not path.name.endswith(".pf_meta"):
            place.link(str(path), path.name)
