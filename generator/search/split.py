"""A slice's bundle taken apart once, when Pagefind has made it, into what
the merge needs, and kept in the build cache beside it (``slice.bin``).

Merging slices renumbers their pages; Pagefind stores each word's pages as
differences from the page before, so of a word's pages in a slice only the
first needs a new number: everything after it is kept as the bytes Pagefind
wrote (``tail``). A word of a slice is the tuple ``WORD``; the merge joins
the tuples of every slice, byte strings mostly, without decoding a single
location again, reading each slice's words a block at a time
(``words.bin``), so that its memory is not the whole archive's.
"""

from __future__ import annotations

import gzip
import io
import marshal
from bisect import bisect_left
from itertools import accumulate
from operator import itemgetter
from pathlib import Path

from generator.search.bundle import SIGNATURE, read_bundle

FILE = "slice.bin"
WORDS = "words.bin"
BOUNDS = "bounds.bin"  # each block of words.bin: its last word and where it starts
CHANGED = "changed.bin"  # of a slice made from another (patch.py): that one's key and the words that changed
LAYOUT = 6  # of the two files and of the fragments (6: libdeflate gzips them): part of a slice's key, so that
# a cache of another layout is made anew
# (word, first page, last page, pages, size in locations, first page's CBOR after its number, the others' CBOR,
#  variants [[form, [[page, *rest]]]] with page numbers made absolute)
WORD = ("word", "first", "last", "count", "size", "head", "tail", "variants")
ARRAY = 4  # CBOR's major type of arrays


class UnknownLayout(ValueError):
    """A bundle whose files are not as this module expects (another Pagefind version)."""


def split(bundle: Path, values: list[dict[str, str]], folder: Path, pages: dict | None = None) -> None:
    """Write a slice's bundle into ``folder`` as ``slice.bin``, a record of builtins (for
    ``marshal``: its pages, filters, sorts and the sort values of each page, and ``pages``: each page's
    output path and digest, by number, for ``patch.py``), and ``words.bin``,
    its words, one block of ``WORD`` tuples for each of Pagefind's chunks, in word order."""
    entry, languages = read_bundle(bundle)
    if len(languages) != 1:
        raise UnknownLayout(f"{len(languages)} languages in one slice")
    language = languages[0]
    meta = language.meta
    write_words(folder, chunk_words(language))
    record = {
        "version": entry.get("version", ""),
        "code": language.code,
        "wasm": language.wasm,
        "meta_version": meta[0],
        "pages": [list(page) for page in language.pages],
        "fields": list(language.fields),
        "filters": {name: [[value, list(pages)] for value, pages in found]
                    for name, found in language.filter_values().items()},  # fmt: skip
        "sorts": {name: list(pages) for name, pages in language.sorts},
        "values": values,
        **(pages or {}),
    }
    (folder / FILE).write_bytes(marshal.dumps(record))


def load(folder: Path) -> dict | None:
    """A slice's record (None: its Pagefind's files were not known to ``split``)."""
    return marshal.loads((folder / FILE).read_bytes())


def write_words(folder: Path, blocks) -> None:
    """``words.bin``, the blocks of ``WORD`` tuples in word order, and ``bounds.bin``, each block's
    last word and where it starts."""
    bounds = []
    with open(folder / WORDS, "wb") as out:
        for words in blocks:
            if words:
                bounds.append((words[-1][0], out.tell()))
            block = marshal.dumps(words)
            out.write(len(block).to_bytes(4, "big") + block)
    (folder / BOUNDS).write_bytes(marshal.dumps(bounds))


class Blocks:
    """A slice's ``WORD`` tuples, in word order, a block (a list) at a time; ``skip_to(word)`` passes over
    the blocks that end before ``word`` without reading them (a merge after an edit reads only the blocks
    of the chunks it makes again)."""

    def __init__(self, folder: Path):
        self.stream = open(folder / WORDS, "rb")  # each block: its length (4 bytes), then its marshal bytes
        try:
            self.bounds = marshal.loads((folder / BOUNDS).read_bytes())
        except (OSError, ValueError, EOFError, TypeError):
            self.bounds = None  # (a slice taken apart before the bounds were kept: it is read through)

    def __iter__(self):
        return self

    def __next__(self) -> list[tuple]:
        while size := self.stream.read(4):
            block = marshal.loads(self.stream.read(int.from_bytes(size, "big")))
            if block:
                return block
        self.close()
        raise StopIteration

    def skip_to(self, word: str) -> None:
        """The next block read is the first that ends at ``word`` or after it (without bounds, the next one)."""
        if self.bounds is not None and not self.stream.closed:
            at = bisect_left(self.bounds, word, key=itemgetter(0))
            if at < len(self.bounds) and self.bounds[at][1] > self.stream.tell():
                self.stream.seek(self.bounds[at][1])

    def close(self) -> None:
        self.stream.close()


def blocks(folder: Path, numbers: tuple[int, ...] | None = None) -> Blocks | Renumbered:
    """A slice's words, a block at a time; with ``numbers``, their meta fields renumbered (``renumbered``)."""
    return Blocks(folder) if numbers is None else Renumbered(Blocks(folder), numbers)


def field_numbers(slices: list[dict]) -> tuple[list[str], list[tuple[int, ...] | None]]:
    """The merged bundle's meta fields (every slice's), and for each slice the number there of each of
    its own fields, or None when the slice has them all. Pagefind numbers a page's meta fields by their
    place among the fields of its run: a slice none of whose pages has an image numbers its title
    otherwise than the others, and a title's words would be ranked as another field's."""
    fields = sorted({field for record in slices for field in record["fields"]})
    return fields, [None if record["fields"] == fields else tuple(map(fields.index, record["fields"]))
                    for record in slices]  # fmt: skip


class Renumbered:
    """A slice's ``Blocks`` with each word's meta field numbers those of the merged bundle."""

    def __init__(self, reader: Blocks, numbers: tuple[int, ...]):
        self.reader, self.numbers = reader, numbers

    def __iter__(self):
        return self

    def __next__(self) -> list[tuple]:
        return [renumbered(piece, self.numbers) for piece in next(self.reader)]

    def skip_to(self, word: str) -> None:
        self.reader.skip_to(word)

    def close(self) -> None:
        self.reader.close()


def renumbered(piece: tuple, numbers: tuple[int, ...]) -> tuple:
    """A ``WORD`` tuple with its pages' meta field numbers (each page's meta locations give a field's
    locations after -(its number + 1)) made those of the merged bundle: the slice's field n is its
    ``numbers[n]``. Its pages' numbers and locations are as they were."""
    import cbor2

    word, first, last, count, size, first_rest, tail, variants = piece
    if count:
        (locations, fields), others = _decoded(piece)
        first_rest = cbor2.dumps([locations, _fields(fields, numbers)])[1:]
        tail = b"".join(cbor2.dumps(_page(page, numbers)) for page in others)
    if variants:
        variants = [[form, [_page(page, numbers) for page in pages]] for form, pages in variants]
    return word, first, last, count, size, first_rest, tail, variants


def _page(page: list, numbers: tuple[int, ...]) -> list:
    """A page's entry (its number, locations and meta locations) with its meta fields renumbered."""
    return [*page[:2], _fields(page[2], numbers)] if len(page) > 2 else page


def _fields(locations: list[int], numbers: tuple[int, ...]) -> list[int]:
    return [-numbers[-at - 1] - 1 if at < 0 else at for at in locations]


def chunk_words(language):
    """Each word index chunk of a bundle's language (``bundle.Language``), in word order, as ``WORD`` tuples."""
    for chunk in language.chunks:
        data = gzip.decompress((language.folder / "index" / f"{chunk[2]}.pf_index").read_bytes())
        yield words_of(data[len(SIGNATURE) :])


def chunk_reader(raw: bytes):
    """A word index chunk's (``[[word, pages, variants], ...]`` in CBOR, after the signature) number of
    words, and the ``decode`` and ``tell`` that read them one by one from the first."""
    import cbor2

    if raw[:1] != b"\x81":
        raise UnknownLayout("a word index chunk is not a list of one list")
    count, start = header(raw, 1, ARRAY)
    stream = io.BytesIO(raw)
    stream.seek(start)
    return count, cbor2.CBORDecoder(stream).decode, stream.tell


def words_of(raw: bytes) -> list[tuple]:
    """A chunk's words (``[[word, pages, variants], ...]`` in CBOR) as ``WORD`` tuples."""
    import cbor2

    count, decode, tell = chunk_reader(raw)
    found = []
    dumps = cbor2.dumps
    numbers, locations = itemgetter(0), itemgetter(1)
    for _ in range(count):
        begin = tell()
        word, pages, variants = decode()
        end = tell()
        if raw[begin] != 0x83 or (pages and len(pages[0]) != 3):
            raise UnknownLayout(f"word {word!r} is not [word, pages, variants]")
        at = _after(raw, begin + 1, 3) + len(word.encode())  # after the word
        at = _after(raw, at, ARRAY)  # after the head of the pages' list
        tail_end = end - (len(dumps(variants)) if variants else 1)  # (an empty list is one byte)
        if pages:
            first_end = tail_end if len(pages) == 1 else at + len(dumps(pages[0]))
            head_start = _after(raw, at + 1, 0)  # after the first page's number
            number, first_rest, tail = pages[0][0], raw[head_start:first_end], raw[first_end:tail_end]
        else:  # only its variants are on pages ("abc" when the pages say "ábc")
            number, first_rest, tail = 0, b"", b""
        size = sum(map(len, map(locations, pages))) + len(pages)  # (map: no Python frame a page)
        absolute = None  # (most words have no variant: None costs no list)
        for form, form_pages in variants:
            absolute = absolute or []
            absolute.append([form, _absolute(form_pages)])
            size += sum(map(len, map(locations, form_pages))) + len(form_pages)
        found.append((word, number, sum(map(numbers, pages)), len(pages), size, first_rest, tail, absolute))
    return found


def entries_of(piece: tuple) -> tuple[list[int], list[list]]:
    """A ``WORD`` tuple's pages (absolute numbers) and the rest of each page's entry (its CBOR decoded)."""
    first, count = piece[1], piece[3]
    if not count:
        return [], []
    rest, others = _decoded(piece)
    return list(accumulate(map(itemgetter(0), others), initial=first)), [rest, *(entry[1:] for entry in others)]


def _decoded(piece: tuple) -> tuple[list, list[list]]:
    """A ``WORD`` tuple (of a word on a page at least): its first page's entry after the page's number,
    and each other page's entry (the difference from the page before, and the rest), CBOR decoded."""
    import cbor2

    _, _, _, count, _, first_rest, tail, _ = piece
    return cbor2.loads(b"\x82" + first_rest), (cbor2.loads(b"\x9f" + tail + b"\xff") if count > 1 else [])


def _absolute(pages: list) -> list:
    number, found = 0, []
    for page in pages:
        number += page[0]
        found.append([number, *page[1:]])
    return found


def header(raw: bytes, at: int, major: int) -> tuple[int, int]:
    """The number a CBOR item's head at ``at`` holds (of major type ``major``), and where its content starts."""
    byte = raw[at]
    if byte >> 5 != major:
        raise UnknownLayout(f"CBOR item of type {byte >> 5} where {major} was expected")
    info = byte & 0x1F
    if info < 24:
        return info, at + 1
    width = _WIDTHS[info]
    if width == 255:
        raise UnknownLayout("CBOR item of indefinite length")
    return int.from_bytes(raw[at + 1 : at + 1 + width], "big"), at + 1 + width


_WIDTH_OF = {24: 1, 25: 2, 26: 4, 27: 8}  # a head's additional information -> the bytes of its number after it
_WIDTHS = bytes(0 if info < 24 else _WIDTH_OF.get(info, 255) for info in range(32))  # (255: none CBOR knows)


def _after(raw: bytes, at: int, major: int) -> int:
    """Where the content of the CBOR item whose head is at ``at`` (of major type ``major``) starts."""
    byte = raw[at]
    width = _WIDTHS[byte & 0x1F]
    if byte >> 5 != major or width == 255:
        header(raw, at, major)  # (raises, saying why)
    return at + 1 + width


_HEADS: dict[int, dict[int, bytes]] = {}  # major type -> the heads made so far (a merge writes a million)


def head(major: int, number: int) -> bytes:
    """A CBOR item's head: its major type and number, in the fewest bytes (as Pagefind writes them).
    Each is made once, when first asked for: a merge after an edit asks for a few thousand, and a table of
    every head up to 65,535 made beforehand cost it 0.17 s."""
    table = _HEADS.get(major)
    if table is None:
        table = _HEADS[major] = {}
    found = table.get(number)
    if found is None:
        found = _head(major, number)
        if number < 65536:
            table[number] = found
    return found


def _head(major: int, number: int) -> bytes:
    if number < 24:
        return bytes((major << 5 | number,))
    for info, width in _WIDTH_OF.items():
        if number < 1 << (8 * width):
            return bytes((major << 5 | info,)) + number.to_bytes(width, "big")
    raise ValueError(number)
