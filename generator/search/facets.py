"""The merged bundle's filters (tag, outlet, year) and sorts (date), joined
from every slice's (``merge.py``).

Each filter's values and each sort's order are made from every page of the
archive, but an edit leaves most of them as they were: a text edit all of
them, a retag every filter but the tags, a story re-dated within its month
every filter (only the date sort is made again). Each filter and each sort
is kept in ``facets.kept`` beside the chunks under a digest of what every
slice gives it and the slices' sizes (each slice's part of it is kept in the
slice's folder, ``facets.keys``), and a filter's file is linked as it is,
without being joined again (at 10,000 stories a text edit: 2 against
17-22 ms; tested against a merge that joins them, after a text edit, a
retag, another outlet and a re-date).
"""

from __future__ import annotations

import hashlib
import marshal
from pathlib import Path

import cbor2

from generator.search.bundle import META_LEVEL, SIGNATURE, compress, keep_file, link_kept, name
from generator.search.place import Placing
from generator.util.replacing import replace_with

KEPT = "facets.kept"  # in the merge's store: each filter's file and each sort's order, and what it was made of
DIGESTS = "facets.keys"  # in a slice's folder: what it gives each of them (``_slice_digests``)


def facets(slices: list[dict], folders: list[Path], offsets: list[int], code: str, place: Placing,
           store: Path) -> tuple[list, list]:  # fmt: skip
    """The metadata's filters (``[name, file]``, each file linked into the bundle) and sorts
    (``[name, pages in ascending order]``); ``folders``: the slices' own (``stage.py``)."""
    own = [_slice_digests(record, folder) for record, folder in zip(slices, folders, strict=True)]
    kept = _kept(store)
    now: dict[str, dict] = {"filters": {}, "sorts": {}}
    filters = []
    for filter_name in sorted({n for record in slices for n in record["filters"]}):
        made_of = _made_of(code, offsets, own, "filter", filter_name)
        was_of, file = kept["filters"].get(filter_name, (None, None))
        if made_of is None or was_of != made_of or not (store / _filter_file(file)).is_file():
            file = _filter(slices, offsets, code, store, filter_name)
        link_kept(store, _filter_file(file), place)
        filters.append([filter_name, file])
        now["filters"][filter_name] = (made_of, file)
    sorts = []
    for key in sorted({sort for record in slices for sort in record["sorts"]}):
        made_of = _made_of(code, offsets, own, "sort", key)
        was_of, order = kept["sorts"].get(key, (None, None))
        if made_of is None or was_of != made_of:
            order = _sort(slices, offsets, key)
        sorts.append([key, order])
        now["sorts"][key] = (made_of, order)
    if now != kept:
        replace_with(store / KEPT, marshal.dumps(now))
    return filters, sorts


def _kept(store: Path) -> dict:
    try:
        kept = marshal.loads((store / KEPT).read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        kept = None
    ok = isinstance(kept, dict) and all(isinstance(kept.get(part), dict) for part in ("filters", "sorts"))
    return kept if ok else {"filters": {}, "sorts": {}}


def _made_of(code: str, offsets: list[int], own: list[dict], kind: str, facet: str) -> str | None:
    """A digest of what every slice gives one filter or sort, with the slices' sizes (None: not known)."""
    parts = [digests.get(f"{kind}:{facet}", "") for digests in own]
    if None in parts:
        return None
    return hashlib.blake2b(repr((code, offsets, kind, facet, parts)).encode(), digest_size=16).hexdigest()


def _slice_digests(record: dict, folder: Path) -> dict[str, str | None]:
    """A digest of what a slice gives each filter (``filter:<name>``) and sort (``sort:<name>``), in an
    order that does not change them (a slice made from its changed pages, ``patch.py``, lists its
    filters' values, and its pages of one date, in another order than Pagefind's run over the whole
    slice); kept in the slice's folder, which is made once (its name is a digest of its pages). A sort's
    is None when one of its pages has no value for it: the merge then keeps each slice's order
    (``_sort``), which the digest does not hold."""
    kept = folder / DIGESTS
    try:
        found = marshal.loads(kept.read_bytes())
        if isinstance(found, dict):
            return found
    except (OSError, EOFError, ValueError, TypeError):
        pass
    values = record["values"]
    found = {}
    for filter_name, values_ in record["filters"].items():
        canonical = sorted((value, sorted(pages)) for value, pages in values_)
        found[f"filter:{filter_name}"] = _digest(canonical)
    for key, pages in record["sorts"].items():
        valued = [(page, values[page].get(key) if page < len(values) else None) for page in sorted(pages)]
        found[f"sort:{key}"] = None if any(value is None for _, value in valued) else _digest(valued)
    replace_with(kept, marshal.dumps(found))
    return found


def _digest(value) -> str:
    return hashlib.blake2b(marshal.dumps(value, 2), digest_size=16).hexdigest()


def _filter_file(file: str) -> str:
    return f"filter/{file}.pf_filter"


def _filter(slices: list[dict], offsets: list[int], code: str, store: Path, filter_name: str) -> str:
    """One filter's values across slices, in a file named by its content; a file ``store`` has from a
    merge before is kept as it is rather than compressed again at the metadata's level."""
    joined: dict[str, list[int]] = {}
    for record, offset in zip(slices, offsets, strict=False):
        for value, pages in record["filters"].get(filter_name, ()):
            joined.setdefault(value, []).extend(map(offset.__add__, pages))  # (in C: 52,000 pages at 10,000)
    raw = cbor2.dumps([filter_name, [[value, sorted(pages)] for value, pages in sorted(joined.items())]])
    file = name(code, raw)
    keep_file(store, _filter_file(file), lambda: compress(SIGNATURE + raw, META_LEVEL))
    return file


def _sort(slices: list[dict], offsets: list[int], key: str) -> list[int]:
    """One sort's pages in ascending order of their values, across slices (as Pagefind orders them:
    as numbers when every value is one, else as text). When a slice's pages' values are not known,
    its pages follow the slices before in the slice's own order."""
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
    return [page for _, page in valued]


def _number(value: str) -> float | None:
    try:
        return float(value)
    except ValueError:
        return None
