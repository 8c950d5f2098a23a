"""The search stage: the story pages of a written output tree in, its
``/pagefind/`` bundle out, indexed a slice at a time.

The story pages are cut into slices in the order of their output paths
(``cut``), where the pages themselves say: a story added or deleted changes
its own slice (now and then the next one or two), and a day's new story,
whose path begins with the newest date, comes into the last slice. Pagefind
indexes each slice apart, two at a time with a thread each, from a folder
of links to its pages kept between builds (``farm.py``, which numbers them
the same on every machine), so that its memory is bounded by a slice, not
by the archive. A slice is kept in the build
cache (``.ssg-cache/search/<key>/``: its bundle, taken apart by
``split.py``) under a key made of the digests of what Pagefind reads of its
pages (``searchable.py``), Pagefind's version, the language and the cache's
layout, so a build indexes only the slices whose searchable text changed.
The slices are then merged into one bundle (``merge.py``): readers search
one index, ranked as one Pagefind run would rank it.
"""

from __future__ import annotations

import gc
import hashlib
import json
import marshal
import os
import shutil
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from generator.diagnostics import Diagnostic
from generator.search.bundle import ENTRY, known_format
from generator.search.farm import lay_out, page_rel, readdress, relink
from generator.search.merge import merge, prune
from generator.search.pagefind import FOLDER, index, version
from generator.search.patch import patch_slice
from generator.search.remerge import last_keys
from generator.search.searchable import read_page
from generator.search.split import FILE, LAYOUT, UnknownLayout, load, split
from generator.util.replacing import replace_with

CHUNKS = "chunks-libdeflate"  # the cache's folder of the merged bundle's word index chunks, as libdeflate
# gzips them (a chunk kept is used by its name alone: "chunks", where zlib's were, goes in _prune)
FARMS = "farms"  # the cache's folder of each slice's pages, linked (``<number>/``: farm.py)

SLICE_PAGES = 250  # at most as many pages a slice: an edit's cost (Pagefind takes about 2 ms a page; docs/search.md)
STORE = "search"  # the cache's folder of slice bundles
PAGES = "pages.bin"  # each story page's output key and the digest of what Pagefind reads of it


@dataclass
class Indexed:
    diagnostics: list[Diagnostic] = field(default_factory=list)
    slices: int = 0
    indexed: int = 0  # slices Pagefind indexed in this build (the others were in the cache)
    patched: int = 0  # of those, slices made from the last build's by their changed pages alone (patch.py)
    pages: int = 0
    placed: int = 0  # files of the bundle placed anew in the tree (the others were there: place.py)


def cut(rels) -> list[list[str]]:
    """The story pages ``rels``, in the order of their output paths, cut into slices where the pages
    themselves say: after a page whose path's hash is a multiple of ``SLICE_PAGES * 3 // 8``, once the
    slice holds a quarter of ``SLICE_PAGES``, and after its ``SLICE_PAGES``-th page in any case. Where a
    cut falls depends on the pages around it alone, so a page added or taken away moves the pages of
    its own slice (and now and then of the next): the others stay as they were. Output paths begin with
    the date (``/2024/05/story/``), so a day's new stories come at the end, into the last slice."""
    least, every = max(1, SLICE_PAGES // 4), max(1, SLICE_PAGES * 3 // 8)
    slices: list[list[str]] = []
    current: list[str] = []
    for rel in sorted(rels):
        current.append(rel)
        if len(current) >= SLICE_PAGES or (len(current) >= least and _mark(rel) % every == 0):
            slices.append(current)
            current = []
    return slices + [current] if current else slices


def _mark(rel: str) -> int:
    return int.from_bytes(hashlib.blake2b(rel.encode(), digest_size=8).digest(), "big")


@dataclass
class ReadAhead:
    """What a build's search stage reads and works out of the last build's before it knows the pages:
    each page's digest (``PAGES``), the records of the last merge's slices by key, and the slices of
    the last build's pages with their keys (``worker.py`` does it while the build plans and renders)."""

    known: dict  # (empty: every page is read again)
    records: dict[str, dict | None] = field(default_factory=dict)
    language: str = ""
    common: str = ""  # what every slice's key is made of besides its pages (``_common``)
    slices: list[list[str]] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)

    @classmethod
    def of(cls, store: Path, language: str) -> ReadAhead:
        records = {}
        for key in last_keys(store / CHUNKS):
            try:
                records[key] = load(store / key)
            except (OSError, ValueError, EOFError, TypeError):
                pass
        known, common = _known(store), _common(language)
        slices = cut(known)
        digests = {rel: entry[1] for rel, entry in known.items()}
        return cls(known, records, language, common, slices, [_key(common, members, digests) for members in slices])

    def record(self, folder: Path) -> dict | None:
        """A slice's record (``split.load``), read ahead or now. A slice's folder is made once, named
        by its pages, so a record read ahead under its name is the one the folder holds."""
        if folder.name in self.records:
            return self.records.pop(folder.name)
        return load(folder)

    def sliced(self, digests: dict[str, tuple[str, dict]], language: str) -> tuple[list[list[str]], list[str]]:
        """The slices of the pages of ``digests`` (``_digests``) and their keys: where the pages are the
        last build's, its slices (``cut`` depends on the pages alone), each with its key when its
        pages' digests are as they were."""
        if not self.slices or language != self.language or digests.keys() != self.known.keys():
            slices, common = cut(digests), _common(language)
            return slices, [_key(common, members, {rel: d for rel, (d, _) in digests.items()}) for members in slices]
        known, common = self.known, self.common
        changed = {rel for rel, (digest, _) in digests.items() if digest != known[rel][1]}
        plain = {rel: d for rel, (d, _) in digests.items()} if changed else {}
        return self.slices, [key if changed.isdisjoint(members) else _key(common, members, plain)
                             for members, key in zip(self.slices, self.keys, strict=True)]  # fmt: skip


def _common(language: str) -> str:
    return f"{version()}|{language}|{LAYOUT}"


def _key(common: str, members: list[str], digests: dict[str, str]) -> str:
    """A slice's key: its pages and what Pagefind reads of each, Pagefind's version, the language and
    the cache's layout."""
    return hashlib.blake2b(repr((common, [(rel, digests[rel]) for rel in members])).encode(),
                           digest_size=12).hexdigest()  # fmt: skip


def index_slices(tree: Path, pages: dict[str, str], language: str, store: Path,
                 previous: Path | None = None, ahead: ReadAhead | None = None) -> Indexed:
    """Index the story pages ``pages`` (output path -> its output key) of
    ``tree`` into ``tree/pagefind``, each slice from the cache when its key is there. ``previous``: the live
    output (what the last build wrote), whose pages a slice made by its changed pages reads as they were."""
    collecting = gc.isenabled()
    gc.disable()  # millions of small objects and no cycle: the collector would walk the whole build's heap often
    try:
        return _index_slices(tree, pages, language, store, previous, ahead or ReadAhead(_known(store)))
    finally:
        if collecting:
            gc.enable()


def _index_slices(tree: Path, pages: dict[str, str], language: str, store: Path, previous: Path | None,
                  ahead: ReadAhead) -> Indexed:  # fmt: skip
    done = Indexed()
    store.mkdir(parents=True, exist_ok=True)
    digests = _digests(tree, pages, store, ahead.known)
    slices, keys = ahead.sliced(digests, language)
    last = last_keys(store / CHUNKS)  # the slices of the last merge, in the same order when as many
    wanted = [(members, store / key, store / FARMS / str(number),
               store / last[number] if len(last) == len(keys) else None)
              for number, (members, key) in enumerate(zip(slices, keys, strict=True))
              if not (store / key / FILE).is_file()]  # fmt: skip
    done.indexed = len(wanted)
    threads = min(2, os.cpu_count() or 1, len(wanted) or 1)
    with ThreadPoolExecutor(threads) as pool:  # two Pagefinds of one thread each do more than one of two
        for problems, patched in pool.map(lambda job: _index_slice(tree, *job, digests, language, threads, previous),
                                          wanted):  # fmt: skip
            done.diagnostics += problems
            done.patched += patched
    if done.diagnostics:
        return done
    folders = [store / key for key in keys]
    records = [ahead.record(folder) for folder in folders]
    done.slices = len(records)
    if any(record is None for record in records):  # a Pagefind whose files ssg cannot merge: one run over all
        done.diagnostics += _index_whole(tree, sorted(pages), language)
    elif records:
        done.pages, done.placed = merge(records, folders, tree / FOLDER, store / CHUNKS)
        prune(store / CHUNKS, tree / FOLDER)
    _prune(store, set(keys), len(keys))
    return done


def _known(store: Path) -> dict:
    """What ``_digests`` found in the build before."""
    try:
        known = marshal.loads((store / PAGES).read_bytes())
    except (OSError, ValueError, EOFError, TypeError):
        return {}
    return known if isinstance(known, dict) else {}


def _digests(tree: Path, pages: dict[str, str], store: Path, known: dict) -> dict[str, tuple[str, dict[str, str]]]:
    """Each story page's digest of what Pagefind reads of it, and its sort values
    (``data-pagefind-sort="name:value"``: the merge needs them, Pagefind's files do not keep them).
    A page whose output key is as in the build before (``known``) keeps what it had (its file is not read)."""
    found = {}
    for rel, key in pages.items():
        before = known.get(rel)
        if before is None or before[0] != key:
            before = (key, *read_page((tree / rel).read_bytes()))
        found[rel] = before
    replace_with(store / PAGES, marshal.dumps(found))  # (the search process may be killed while it writes)
    return {rel: (digest, values) for rel, (_, digest, values) in found.items()}


def _index_slice(tree: Path, rels: list[str], folder: Path, farm: Path, old: Path | None,
                 found: dict[str, tuple[str, dict[str, str]]], language: str, threads: int,
                 previous: Path | None = None) -> tuple[list, bool]:
    """Index one slice into ``folder``: from ``old`` (the slice at its place in the last merge) and
    Pagefind over its changed pages alone when ``patch.py`` can, else Pagefind over the slice's pages
    (linked into a folder of their own, ``farm``, numbered in the order of ``rels``), its bundle taken
    apart for the merge (``slice.bin``).
    Returns the problems, and whether the slice was patched."""
    if old is not None and old != folder and patch_slice(tree, old, rels, found, folder, language, previous):
        return [], True
    work = folder.with_name(f".{folder.name}.{os.getpid()}")
    shutil.rmtree(work, ignore_errors=True)
    try:
        urls = lay_out(tree, rels, farm)
        problems = index(farm, language, output=work / "bundle", threads=1 if threads > 1 else None)
        if problems:
            return problems, False
        version_of = json.loads((work / "bundle" / ENTRY).read_text()).get("version", "")
        try:
            if not known_format(version_of):
                raise UnknownLayout(version_of)
            order = [page_rel(url) for url in readdress(work / "bundle", urls)]
            none = ("", {})
            split(work / "bundle", [found.get(rel, none)[1] for rel in order], work,
                  {"rels": order, "digests": [found.get(rel, none)[0] for rel in order]})
        except ValueError:  # UnknownLayout, or a file that does not decode: Pagefind alone, below
            (work / FILE).write_bytes(marshal.dumps(None))
        shutil.rmtree(folder, ignore_errors=True)
        os.rename(work, folder)
        return [], False
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _index_whole(tree: Path, rels: list[str], language: str) -> list[Diagnostic]:
    work = tree.with_name(f".{tree.name}.search-{os.getpid()}")
    shutil.rmtree(tree / FOLDER, ignore_errors=True)  # (a spare tree's bundle of two builds ago)
    try:
        _farm(tree, rels, work)
        return index(work, language, output=tree / FOLDER)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _farm(tree: Path, rels: list[str], farm: Path) -> None:
    """A new folder of the pages ``rels`` linked at their output paths (Pagefind over all of them)."""
    for rel in rels:
        (farm / rel).parent.mkdir(parents=True, exist_ok=True)
        relink(tree / rel, farm / rel)


def _prune(store: Path, keep: set[str], count: int) -> None:
    """Remove the slice bundles no slice of this build has."""
    for entry in os.scandir(store):
        if entry.is_dir() and entry.name not in keep | {CHUNKS, FARMS} and not entry.name.startswith("."):
            shutil.rmtree(entry.path, ignore_errors=True)
    for entry in os.scandir(store / FARMS) if (store / FARMS).is_dir() else ():
        if not (entry.name.isdigit() and int(entry.name) < count):  # (a farm of zlib's days: "<slices>-<n>")
            shutil.rmtree(entry.path, ignore_errors=True)
