"""Pagefind's files, read and written: a bundle is a folder with
``pagefind-entry.json`` (the version and, per language, the name of its
metadata file), ``pagefind.<hash>.pf_meta`` (the pages, the word index's
chunks, the filters, the sorts), ``index/*.pf_index`` (words, each with the
pages it is on), ``filter/*.pf_filter``, ``fragment/*.pf_fragment`` (one per
page: its URL, text and metadata) and the scripts that search them in the
browser. The binary files are gzipped CBOR after a 12-byte signature.

Only the format of the Pagefind versions in ``FORMATS`` is known here (1.5
stores each word's pages as differences from the page before); any other
version is indexed in one run, as Pagefind alone would (``stage.py``).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

from generator.util.replacing import replace_with

SIGNATURE = b"pagefind_dcd"
FORMATS = ("1.5.",)  # the versions whose files this module reads and writes
ENTRY = "pagefind-entry.json"
META_LEVEL = 12  # libdeflate's level for the metadata and filters (written once a build)
CHUNK_LEVEL = 6  # and for the word index's chunks (tens of MB at 10,000 stories: speed counts)
FRAGMENT_LEVEL = 9  # and for the pages' fragments (its last level before the slow ones)


def load(path: Path):
    """A binary file's content (CBOR decoded)."""
    import cbor2

    data = gzip.decompress(path.read_bytes())
    if not data.startswith(SIGNATURE):
        raise ValueError(f"{path.name} is not a Pagefind file")
    return cbor2.loads(data[len(SIGNATURE) :])


def compress(data: bytes, level: int) -> bytes:
    """``data`` gzipped by libdeflate (the ``deflate`` package, which bundles
    it): at level 6 five times as fast as zlib's level 6 and a little smaller,
    at 12 a tenth smaller than zlib's best. The header has no timestamp, and
    the bytes depend on the package's version alone, not on the system's zlib."""
    import deflate

    return deflate.gzip_compress(data, level)


def dump(value) -> tuple[bytes, bytes]:
    """``value`` as a file's bytes (gzipped at libdeflate's highest level: the
    metadata, which every reader loads before a first query, and the filters)
    and as the CBOR its name is made from."""
    import cbor2

    raw = cbor2.dumps(value)
    return compress(SIGNATURE + raw, META_LEVEL), raw


def name(language: str, raw: bytes, length: int = 10) -> str:
    """A file's name from its content, as Pagefind names its own (``en_<hash>``)."""
    return f"{language}_{hashlib.sha256(raw).hexdigest()[:length]}"


def keep_file(store: Path, rel: str, make) -> None:
    """A file named by its content at ``rel`` in ``store``, its bytes made (``make()``) only when
    ``store`` does not have it yet."""
    kept = store / rel
    if not kept.is_file():
        replace_with(kept, make())


def link_kept(store: Path, rel: str, place) -> None:
    """``store``'s file at ``rel`` in the bundle at the same place (``place``: a ``place.Placing``)."""
    place.link(os.path.join(store, rel), rel)


@dataclass(frozen=True)
class Language:
    """One language's part of a bundle (ssg forces one language per site)."""

    folder: Path
    code: str  # "en"
    wasm: str
    meta: list  # [version, pages, chunks, filters, sorts, meta fields]

    @property
    def pages(self) -> list:
        return self.meta[1]  # [fragment name, word count] per page, by page number

    @property
    def chunks(self) -> list:
        return self.meta[2]  # [first word, last word, file name], in word order

    @property
    def filters(self) -> list:
        return self.meta[3]  # [filter name, file name]

    @property
    def sorts(self) -> list:
        return self.meta[4]  # [sort name, page numbers in ascending order of the value]

    @property
    def fields(self) -> list:
        return self.meta[5] if len(self.meta) > 5 else []

    def filter_values(self) -> dict[str, list]:
        """Filter name -> [[value, page numbers]]."""
        found = {}
        for filter_name, file in self.filters:
            found[filter_name] = load(self.folder / "filter" / f"{file}.pf_filter")[1]
        return found


def fragment(folder: Path, name: str) -> dict:
    """A page's fragment in the bundle ``folder``: its URL, text and metadata."""
    data = gzip.decompress((folder / "fragment" / f"{name}.pf_fragment").read_bytes())
    return json.loads(data[len(SIGNATURE) :])


def read_bundle(folder: Path) -> tuple[dict, list[Language]]:
    """A bundle's entry (version, languages) and each language's metadata."""
    entry = json.loads((folder / ENTRY).read_text())
    languages = []
    for code, about in sorted(entry["languages"].items()):
        meta = load(folder / f"pagefind.{about['hash']}.pf_meta")
        languages.append(Language(folder, code, about["wasm"], meta))
    return entry, languages


def known_format(version: str) -> bool:
    return version.startswith(FORMATS)
