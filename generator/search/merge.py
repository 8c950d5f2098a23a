"""Merge the slices Pagefind indexed one at a time (``split.py`` records)
into one bundle, as if Pagefind had indexed every page in one run.

A query's ranking depends on statistics of the whole index (how many pages
there are, how many have the word, their average length), so slices merged
in the browser (Pagefind's ``mergeIndex``) rank otherwise than one index,
and sort each slice's results apart. Here the slices' pages are numbered one
after the other, each word's pages are joined across slices (only the first
page of each slice gets a new number; the rest are the bytes Pagefind
wrote), filters are joined by value, sorts are merged by their values, and
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

import gzip
import json
import os
import shutil
import zlib
from concurrent.futures import ThreadPoolExecutor
from itertools import accumulate
from pathlib import Path

import cbor2

from generator.search.bundle import ENTRY, SIGNATURE, dump, name
from generator.search.split import head

SMALLEST, LARGEST = 12_000, 40_000  # a chunk's size in locations (and pages): Pagefind's is about 20,000
WORD, ARRAY, TEXT = 0, 4, 3  # CBOR's major types


def merge(slices: list[dict], folders: list[Path], out: Path, store: Path) -> int:
    """Write the bundle of every slice's pages into ``out``; returns the number of pages.
    ``folders`` hold each slice's own bundle (its fragments and Pagefind's scripts)."""
    for sub in ("index", "filter", "fragment"):
        (out / sub).mkdir(parents=True, exist_ok=True)
    (store / "index").mkdir(parents=True, exist_ok=True)
    code = slices[0]["code"]
    offsets = list(accumulate((len(s["pages"]) for s in slices), initial=0))
    pages = _fragments(slices, folders, out)
    chunks = _words(slices, offsets, code, out, store)
    filters = _filters(slices, offsets, code, out)
    sorts = _sorts(slices, offsets)
    fields = sorted({f for s in slices for f in s["fields"]})
    meta_bytes, raw = dump([slices[0]["meta_version"], pages, chunks, filters, sorts, fields])
    meta_name = name(code, raw)
    (out / f"pagefind.{meta_name}.pf_meta").write_bytes(meta_bytes)
    _link_scripts(folders[0], out)
    entry = {"version": slices[0]["version"],
             "languages": {code: {"hash": meta_name, "wasm": slices[0]["wasm"], "page_count": offsets[-1]}}}
    (out / ENTRY).write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")))
    return offsets[-1]


def _fragments(slices: list[dict], folders: list[Path], out: Path) -> list:
    """Every page's fragment linked into ``out``; a name two different fragments share is made longer."""
    pages, seen = [], {}
    for record, folder in zip(slices, folders, strict=True):
        for fragment, words in record["pages"]:
            source = folder / "fragment" / f"{fragment}.pf_fragment"
            final = fragment
            if fragment in seen and seen[fragment] != source:
                if seen[fragment].read_bytes() != source.read_bytes():
                    final = name(fragment, source.read_bytes(), 8)
            if final not in seen:
                seen[final] = source
                _link(source, out / "fragment" / f"{final}.pf_fragment")
            pages.append([final, words])
    return pages


def _words(slices: list[dict], offsets: list[int], code: str, out: Path, store: Path) -> list:
    """The word index of every slice, cut into chunks; returns the chunks' [first word, last word, file]."""
    table: dict[str, list] = {}
    for offset, record in zip(offsets, slices, strict=False):
        for word in record["words"]:
            found = table.get(word[0])
            if found is None:
                table[word[0]] = [(offset, word)]
            else:
                found.append((offset, word))
    groups = []  # (the words' entries, the first word, the last word)
    words, size, first = [], 0, ""
    for word in sorted(table):
        encoded, word_size = _word(word, table[word])
        if not words:
            first = word
        words.append(encoded)
        size += word_size
        if size >= LARGEST or (size >= SMALLEST and zlib.crc32(word.encode()) & 7 == 0):
            groups.append((words, first, word))
            words, size = [], 0
    if words:
        groups.append((words, first, word))
    raws = [b"\x81" + head(ARRAY, len(entries)) + b"".join(entries) for entries, _, _ in groups]
    names = [name(code, raw) for raw in raws]
    with ThreadPoolExecutor(2) as pool:  # zlib lets go of the interpreter's lock: both cores compress
        list(pool.map(_keep_chunk, raws, names, [store] * len(raws), [out] * len(raws)))
    return _prefixes([[first, last, file] for (_, first, last), file in zip(groups, names, strict=True)])


def _word(word: str, pieces: list) -> tuple[bytes, int]:
    """One word's entry over every slice that has it, and its size."""
    text = word.encode()
    parts = [b"\x83", head(TEXT, len(text)), text, head(ARRAY, sum(p[1][3] for p in pieces))]
    before = 0
    size = 0
    variants = None
    for offset, piece in pieces:
        _, first, last, _, piece_size, first_rest, tail, forms = piece
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


def _keep_chunk(raw: bytes, file: str, store: Path, out: Path) -> None:
    """A chunk's file in ``out``, compressed only when ``store`` does not have it yet."""
    kept = store / "index" / f"{file}.pf_index"
    if not kept.is_file():
        work = kept.with_name(f".{file}.{os.getpid()}")
        work.write_bytes(gzip.compress(SIGNATURE + raw, compresslevel=6, mtime=0))
        os.replace(work, kept)
    _link(kept, out / "index" / f"{file}.pf_index")


def prune(store: Path, out: Path) -> None:
    """Drop the kept chunks this build's bundle does not use."""
    used = {entry.name for entry in os.scandir(out / "index")}
    for entry in os.scandir(store / "index"):
        if entry.name not in used:
            os.unlink(entry.path)


def _prefixes(chunks: list) -> list:
    """Each chunk's bounds cut to the shortest prefixes that still tell it from its neighbours (as Pagefind does)."""
    for before, after in zip(chunks, chunks[1:], strict=False):
        last, first = before[1], after[0]
        common = 0
        while common < min(len(last), len(first)) and last[common] == first[common]:
            common += 1
        before[1], after[0] = last[: common + 1], first[: common + 1]
    return chunks


def _filters(slices: list[dict], offsets: list[int], code: str, out: Path) -> list:
    joined: dict[str, dict[str, list[int]]] = {}
    for record, offset in zip(slices, offsets, strict=False):
        for filter_name, values in record["filters"].items():
            into = joined.setdefault(filter_name, {})
            for value, pages in values:
                into.setdefault(value, []).extend(page + offset for page in pages)
    found = []
    for filter_name in sorted(joined):
        values = [[value, sorted(pages)] for value, pages in sorted(joined[filter_name].items())]
        data, raw = dump([filter_name, values])
        file = name(code, raw)
        (out / "filter" / f"{file}.pf_filter").write_bytes(data)
        found.append([filter_name, file])
    return found


def _sorts(slices: list[dict], offsets: list[int]) -> list:
    """Each sort's pages in ascending order of their values, across slices (as Pagefind orders them:
    as numbers when every value is one, else as text). When a slice's pages' values are not known,
    its pages follow the slices before in the slice's own order."""
    keys = sorted({sort for s in slices for sort in s["sorts"]})
    found = []
    for key in keys:
        valued, known = [], True
        for record, offset in zip(slices, offsets, strict=False):
            values = record["values"]
            for page in record["sorts"].get(key, []):
                value = values[page].get(key) if page < len(values) else None
                known = known and value is not None
                valued.append((value, page + offset))
        if known and valued:
            numeric = all(_number(v) is not None for v, _ in valued)
            valued.sort(key=lambda item: (_number(item[0]) if numeric else item[0], item[1]))
        found.append([key, [page for _, page in valued]])
    return found


def _number(value: str) -> float | None:
    try:
        return float(value)
    except ValueError:
        return None


def _link_scripts(source: Path, out: Path) -> None:
    """Pagefind's scripts and WebAssembly (the same in every slice)."""
    for path in sorted(source.iterdir()):
        if path.is_file() and path.name != ENTRY and not path.name.endswith(".pf_meta"):
            _link(path, out / path.name)


def _link(source: Path, target: Path) -> None:
    try:
        os.link(source, target)
    except FileExistsError:
        pass
    except OSError:
        shutil.copyfile(source, target)
