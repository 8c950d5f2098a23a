"""The word index merged again after an edit, from the last merge's chunks.

When the slices are the same in number and size as at the last merge
(an edit, not a story added or taken away), every word's entry is what it was
unless the word is in a slice that was indexed again and its pages there
changed: those words are found by comparing the slice's words before and
after. A chunk that holds none of them is the same file as before and is
linked from the store; from the first chunk that holds one, the words are
joined, encoded and cut again until a cut falls where the last merge cut
(everything after is as it was). The chunks are those of a whole merge,
byte for byte, for a fraction of its work: an edit touches a third of the
chunks, and the joining and encoding of the others is skipped.
"""

from __future__ import annotations

import marshal
import os
from bisect import bisect_left
from dataclasses import dataclass
from pathlib import Path

from generator.search.split import CHANGED, WORDS, blocks, renumbered
from generator.util.replacing import replace_with

STATE = "merged.bin"  # in the chunk store: the last merge's slices and chunks
MOST_CHANGED = 4  # slices indexed again, beyond which a whole merge costs no more
# The chunks to make again are read back from the last merge's (splice.py) when they are 16 or fewer, or
# their files at most an eighth of the index's bytes; beyond, a whole merge (copying the slices' bytes, in
# two processes) costs less. At 100,000 stories an edit that moved every word of a story made 660 of 3,257
# chunks again, 72 of 175 MB: read back in 26 s, against 13.1-13.7 s for a whole merge.
SPLICED_SHARE = 8


def remember(store: Path, code: str, keys: list[str], offsets: list[int], chunks: list[list],
             fields: list[str]) -> None:  # fmt: skip
    replace_with(store / STATE, marshal.dumps({"code": code, "keys": keys, "offsets": offsets, "fields": fields,
                                               "chunks": [tuple(chunk) for chunk in chunks]}))  # fmt: skip


def last_keys(store: Path) -> list[str]:
    """The keys of the last merge's slices, in order ([] when not known)."""
    try:
        keys = marshal.loads((store / STATE).read_bytes()).get("keys")
    except (OSError, ValueError, EOFError, TypeError, AttributeError):
        return []
    return list(keys) if isinstance(keys, list | tuple) else []


@dataclass
class Again:
    chunks: list[tuple[str, str, str]]  # the last merge's chunks: first word, last word, file
    affected: set[int]  # those that hold a changed word
    offsets: list[int]  # each slice's first page number
    pieces: dict[int, dict[str, tuple | None]]  # each re-indexed slice's changed words: new WORD tuple, or None

    @classmethod
    def of(cls, store: Path, code: str, keys: list[str], offsets: list[int], folders: list[Path],
           fields: list[str], numbers: list) -> Again | None:  # fmt: skip
        """What can be kept of the last merge, or None when the whole merge must be done. ``fields``: the
        merged bundle's meta fields, and ``numbers`` each slice's (``split.field_numbers``)."""
        try:
            state = marshal.loads((store / STATE).read_bytes())
        except (OSError, ValueError, EOFError, TypeError):
            return None
        if not isinstance(state, dict) or (state.get("code"), state.get("offsets"), state.get("fields")) \
                != (code, offsets, fields) \
                or len(state.get("keys", ())) != len(keys) or not state.get("chunks"):  # fmt: skip
            return None
        changed = [number for number, (old, new) in enumerate(zip(state["keys"], keys, strict=True)) if old != new]
        olds = [folders[number].with_name(state["keys"][number]) for number in changed]
        if len(changed) > MOST_CHANGED or not all((old / WORDS).is_file() for old in olds):
            return None
        chunks = [tuple(chunk) for chunk in state["chunks"]]
        try:
            sizes = [os.path.getsize(store / "index" / f"{file}.pf_index") for _, _, file in chunks]
        except OSError:
            return None
        pieces = {number: _changed(old, folders[number], numbers[number])
                  for number, old in zip(changed, olds, strict=True)}  # fmt: skip
        words = {word for found in pieces.values() for word in found}
        lasts = [last for _, last, _ in chunks]
        affected: set[int] = set()
        for word in words:
            number = bisect_left(lasts, word)  # the chunk it is in, or would come into
            affected.add(number)
            if number and (number == len(chunks) or word <= chunks[number][0]):
                affected.add(number - 1)  # where the chunk before ends depends on the word after it
        if len(affected) > 16 and sum(sizes[n] for n in affected if n < len(sizes)) * SPLICED_SHARE > sum(sizes):
            return None
        return cls(chunks, affected, offsets, pieces)

    def run(self, joined, make_chunker, emit, out: list, reuse, encode) -> None:
        """The chunks into ``out``: kept ones ``reuse(file)``d, the others emitted anew."""
        count = len(self.chunks)
        ends = {last: number for number, (_, last, _) in enumerate(self.chunks)}
        number = 0
        while number < count:
            if number not in self.affected:
                first, last, file = self.chunks[number]
                reuse(file)
                out.append([first, last, file])
                number += 1
                continue
            joined.skip_to(self.chunks[number][0] if number else "")  # (a new first word comes before)
            aligned: list[int] = []

            def watch(entries, first, last, start=number, aligned=aligned):
                emit(entries, first, last)
                at = ends.get(last)
                aligned[:] = [at + 1] if at is not None and at >= start and at + 1 not in self.affected else []

            chunker = make_chunker(watch)
            while True:
                item = joined.next()
                if item is None:
                    chunker.finish()
                    number = count
                    break
                aligned.clear()
                chunker.add(item[0], *encode(*item))
                if aligned and not chunker.entries:  # cut where the last merge cut: the rest is as it was
                    number = aligned[0]
                    break


def _changed(old: Path, new: Path, numbers: tuple[int, ...] | None) -> dict[str, tuple | None]:
    """The words of a slice that changed: as ``patch.py`` found them when it made ``new`` from ``old``,
    else by comparing the two, their meta fields renumbered as the merged bundle numbers them
    (``numbers``, see ``split.field_numbers``)."""
    found = None
    try:
        made = marshal.loads((new / CHANGED).read_bytes())
        if made["from"] == old.name:
            found = made["words"]
    except (OSError, ValueError, EOFError, TypeError, KeyError):
        pass
    if found is None:
        found = changed_pieces(old, new)
    if numbers is None:
        return found
    return {word: piece if piece is None else renumbered(piece, numbers) for word, piece in found.items()}


def changed_pieces(old: Path, new: Path) -> dict[str, tuple | None]:
    """The words whose entry in a slice differs between two versions of it (or that only one has),
    each with its new ``WORD`` tuple (None: the new version does not have it)."""
    found: dict[str, tuple | None] = {}
    before, after = _pieces(old), _pieces(new)
    a, b = next(before, None), next(after, None)
    while a is not None or b is not None:
        if b is None or (a is not None and a[0] < b[0]):
            found[a[0]] = None
            a = next(before, None)
        elif a is None or b[0] < a[0]:
            found[b[0]] = b
            b = next(after, None)
        else:
            if a != b:
                found[a[0]] = b
            a, b = next(before, None), next(after, None)
    return found


def _pieces(folder: Path):
    reader = blocks(folder)
    try:
        for block in reader:
            yield from block
    finally:
        reader.close()
