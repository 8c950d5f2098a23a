"""A slice indexed again by its changed pages alone.

An edit changes what Pagefind reads of one page or a few; the slice's other
pages are as they were. Pagefind's output is made page by page (a word's
entry on a page, a page's fragment, its filter values and sort values depend
on that page alone), and a page's number in a slice is its place in the
order of the slice's output paths (``farm.py``), which an edit does not
change. So Pagefind is
run over the changed pages only, and the slice is made from the one before:
the changed pages' entries taken out of its words, their new ones put in at
the same page numbers, and their fragments, filter values and sort values
replaced. The result is what Pagefind over the whole slice would give
(``tests/search/test_slices.py`` compares the bundles byte for byte).

Two things of a run are not the page's own: a page's meta fields are
numbered by their place among the fields of the whole run, so the run over
the changed pages gets a page that has every field of the slice (and must
end with the slice's fields); and the changed pages are read as the live
output still has them too (when what Pagefind reads of them is what the
slice indexed), so that only the words whose entries on them changed are
made again, and their old entries are checked against the slice's: a
difference (something else of the run that is not the page's own) makes
the slice be indexed whole. Without the live output's copy the slice is
indexed whole.

Whatever this cannot make exactly so falls back on Pagefind over the whole
slice (``None``/``False``): more than ``MOST_CHANGED`` pages changed, a page
added or taken away, a word with variants (accented forms) on a changed page,
a fragment name that two pages share or that Pagefind made longer, meta fields
or sort values that differ from before, the changed pages' old copies missing.
"""

from __future__ import annotations

import html
import marshal
import os
import shutil
from operator import itemgetter
from pathlib import Path

import cbor2

from generator.search.bundle import ENTRY, fragment, read_bundle
from generator.search.farm import page_rel, readdress
from generator.search.pagefind import index
from generator.search.searchable import read_page
from generator.search.split import ARRAY, CHANGED, FILE, WORDS, blocks, chunk_words, entries_of, head, write_words
from generator.util.links import link

BEFORE = "~before"  # the folder of Pagefind's run that holds the changed pages as they were
FIELDS = "~fields"  # the folder of its page with the slice's meta fields
MOST_CHANGED = 8  # changed pages in a slice beyond which Pagefind indexes it whole
BLOCK = 1500  # words a block of the slice's words.bin (about a Pagefind chunk's)


def patch_slice(tree: Path, old: Path, members: list[str], found: dict[str, tuple[str, dict]], folder: Path,
                language: str, previous: Path | None = None) -> bool:
    """Make ``folder`` (a slice of the pages ``members``) from ``old`` (the same pages' slice in an earlier
    build) and Pagefind over the pages whose digest in ``found`` changed; False when it cannot. Where
    ``previous`` (the live output) still has those pages as ``old`` indexed them, Pagefind reads them too,
    so that only the words whose entries on them changed are made again."""
    try:
        record = marshal.loads((old / FILE).read_bytes())
    except (OSError, ValueError, EOFError, TypeError):
        return False
    if not isinstance(record, dict) or sorted(record.get("rels") or ()) != members or not (old / WORDS).is_file():
        return False
    changed = [n for n, rel in enumerate(record["rels"]) if found[rel][0] != record["digests"][n]]
    if not changed or len(changed) > MOST_CHANGED:
        return False
    work = folder.with_name(f".{folder.name}.{os.getpid()}.patch")
    shutil.rmtree(work, ignore_errors=True)
    try:
        for number in changed:
            rel = record["rels"][number]
            (work / "farm" / rel).parent.mkdir(parents=True, exist_ok=True)
            link(tree / rel, work / "farm" / rel)
        if previous is None or not _previous(previous, record, changed, work / "farm" / BEFORE):
            return False
        (work / "farm" / FIELDS).mkdir()
        (work / "farm" / FIELDS / "index.html").write_text(_fields_page(record["fields"]))
        if index(work / "farm", language, output=work / "mini", threads=1):
            return False  # (Pagefind over the whole slice says what is wrong)
        urls = readdress(work / "mini")  # (its fragments written as those of a run over the whole slice)
        if not _patch(record, old, work, changed, found, urls):
            return False
        shutil.rmtree(work / "farm")
        shutil.rmtree(work / "mini")
        shutil.rmtree(folder, ignore_errors=True)
        os.rename(work, folder)
        return True
    except (OSError, ValueError, KeyError, EOFError, cbor2.CBORDecodeError):
        return False
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _previous(previous: Path, record: dict, changed: list[int], farm: Path) -> bool:
    """Link the changed pages as the live output has them into ``farm``, if each is what the slice indexed."""
    for number in changed:
        rel = record["rels"][number]
        try:
            if read_page((previous / rel).read_bytes())[0] != record["digests"][number]:
                raise FileNotFoundError(rel)
            (farm / rel).parent.mkdir(parents=True, exist_ok=True)
            link(previous / rel, farm / rel)
        except OSError:
            shutil.rmtree(farm, ignore_errors=True)
            return False
    return True


def _fields_page(fields: list[str]) -> str:
    """A page with every meta field of the slice: Pagefind numbers a page's meta fields by their place among
    all the fields of its run, so its run over the changed pages must have the slice's."""
    metas = "".join(f'<p data-pagefind-meta="{html.escape(field)}">x</p>' for field in fields)
    return f"<!DOCTYPE html><html><head><title>x</title></head><body><main data-pagefind-body>{metas}</main></body>" \
        "</html>"  # fmt: skip


def _patch(record: dict, old: Path, work: Path, changed: list[int], found: dict, urls: list[str]) -> bool:
    """The slice from ``old`` and Pagefind's run over the changed pages (``work/mini``, whose pages have
    the addresses ``urls``, by number)."""
    entry, languages = read_bundle(work / "mini")
    if len(languages) != 1 or entry.get("version") != record["version"] or languages[0].code != record["code"] \
            or list(languages[0].fields) != list(record["fields"]):  # fmt: skip
        return False
    mini = languages[0]
    numbers = {rel: number for number, rel in enumerate(record["rels"])}
    at, before = [], []  # each page of Pagefind's run: its number in the slice, as it is now / as it was
    fields = None
    for number, url in enumerate(urls):
        rel = page_rel(url)
        was = rel.startswith(f"{BEFORE}/")
        fields = number if rel == f"{FIELDS}/index.html" else fields
        at.append(None if was else numbers.get(rel))
        before.append(numbers.get(rel[len(BEFORE) + 1 :]) if was else None)
    if sorted(n for n in at if n is not None) != changed or sorted(n for n in before if n is not None) != changed \
            or len(at) != 2 * len(changed) + 1 or fields is None or (at[fields], before[fields]) != (None, None):
        return False  # (each changed page as it is and as it was, and the page of fields)  # fmt: skip
    pages = [list(page) for page in record["pages"]]
    if not _fragments(record["code"], pages, mini, at, old, work):
        return False
    values = list(record["values"])
    for number in changed:
        values[number] = found[record["rels"][number]][1]
    sorts = _sorts(record["sorts"], {name: [at[p] for p in ps if at[p] is not None] for name, ps in mini.sorts},
                   values, set(changed))  # fmt: skip
    made: dict[str, tuple | None] = {}
    words = _words(old, list(chunk_words(mini)), at, before, set(changed), made)
    if sorts is None or words is None:
        return False
    write_words(work, (words[start : start + BLOCK] for start in range(0, len(words), BLOCK)))
    record = {**record, "pages": pages, "values": values, "sorts": sorts,
              "filters": _filters(record["filters"], mini.filter_values(), at, set(changed)),
              "digests": [found[rel][0] for rel in record["rels"]]}  # fmt: skip
    (work / FILE).write_bytes(marshal.dumps(record))
    (work / CHANGED).write_bytes(marshal.dumps({"from": old.name, "words": made}))
    return True


def _fragments(code: str, pages: list, mini, at: list[int], old: Path, work: Path) -> bool:
    """The changed pages' fragments put in ``pages`` and the slice's bundle (``work/bundle``): the others'
    and Pagefind's scripts linked from the slice before. False where Pagefind over the whole slice could
    name them otherwise (a name two pages share, or one made longer to tell two apart) or where a changed
    page's meta fields are not the ones it had (the slice's fields would change)."""
    short = len(code) + 8  # "en_" and seven digits
    fresh = [name for (name, _), number in zip(mini.pages, at, strict=True) if number is not None]
    kept = {name for number, (name, _) in enumerate(pages) if number not in at}
    if any(len(name) != short for name in fresh + [name for name, _ in pages]) \
            or len(set(fresh)) != len(fresh) or kept & set(fresh):  # fmt: skip
        return False
    before, bundle = old / "bundle", work / "bundle"
    for (name, count), number in zip(mini.pages, at, strict=True):
        if number is None:  # (a page as it was)
            continue
        if _fields(mini.folder, name) != _fields(before, pages[number][0]):
            return False
        pages[number] = [name, count]
    (bundle / "fragment").mkdir(parents=True)
    for item in os.scandir(before):
        if item.is_file() and item.name != ENTRY and not item.name.endswith(".pf_meta"):
            link(Path(item.path), bundle / item.name)
    for number, (name, _) in enumerate(pages):
        source = (mini.folder if number in at else before) / "fragment" / f"{name}.pf_fragment"
        if not (bundle / "fragment" / f"{name}.pf_fragment").exists():
            link(source, bundle / "fragment" / f"{name}.pf_fragment")
    return True


def _fields(bundle: Path, name: str) -> list[str]:
    return sorted(fragment(bundle, name).get("meta", {}))


def _filters(filters: dict, fresh: dict, at: list[int], changed: set[int]) -> dict:
    joined: dict[str, dict[str, list[int]]] = {}
    for name, values in filters.items():
        for value, pages in values:
            joined.setdefault(name, {}).setdefault(value, []).extend(p for p in pages if p not in changed)
    for name, values in fresh.items():
        for value, pages in values:
            joined.setdefault(name, {}).setdefault(value, []).extend(at[p] for p in pages if at[p] is not None)
    found = {name: [[value, sorted(pages)] for value, pages in sorted(values.items()) if pages]
             for name, values in sorted(joined.items())}  # fmt: skip
    return {name: values for name, values in found.items() if values}


def _sorts(sorts: dict, fresh: dict, values: list[dict], changed: set[int]) -> dict | None:
    """Each sort's pages (the merge orders them by their values); None when a page's value is not known."""
    joined: dict[str, list[int]] = {}
    for name, pages in sorts.items():
        joined.setdefault(name, []).extend(p for p in pages if p not in changed)
    for name, pages in fresh.items():
        joined.setdefault(name, []).extend(pages)
    if any(name not in values[p] for name, pages in joined.items() for p in pages):
        return None
    return {name: sorted(pages) for name, pages in sorted(joined.items()) if pages}


def _words(old: Path, fresh: list[list[tuple]], at: list, before: list, changed: set[int],
           made: dict[str, tuple | None]) -> list[tuple] | None:
    """The slice's words with the changed pages' entries replaced: the others kept as they were (bytes).
    Pagefind read each changed page as it is (``at``: its number in the slice) and as the live output has
    it (``before``), so only the words whose entries on them changed are decoded and made again, and their
    entries as they were are checked against the slice's. ``made`` gets those words with their new tuple
    (None: gone), for the merge."""
    now: dict[str, dict[int, list]] = {}
    was: dict[str, dict[int, list]] = {}
    for chunk in fresh:
        for piece in chunk:
            if piece[7]:  # variants: (not made again here)
                return None
            for page, rest in zip(*entries_of(piece), strict=True):
                if at[page] is not None:
                    now.setdefault(piece[0], {})[at[page]] = rest
                elif before[page] is not None:  # (not the page of fields)
                    was.setdefault(piece[0], {})[before[page]] = rest
    changing = {word for word in now.keys() | was.keys() if now.get(word) != was.get(word)}
    found = []
    reader = blocks(old)
    try:
        for block in reader:
            for piece in block:
                word = piece[0]
                if word not in changing:
                    found.append(piece)
                    continue
                changing.discard(word)
                pages, rests = entries_of(piece)
                if {p: r for p, r in zip(pages, rests, strict=True) if p in changed} != was.get(word, {}) \
                        or (piece[7] and any(p[0] in changed for _, form in piece[7] for p in form)):  # fmt: skip
                    return None  # (the slice is not what Pagefind made of the pages as they were)
                kept = [(p, r) for p, r in zip(pages, rests, strict=True) if p not in changed]
                kept = sorted(kept + list(now.get(word, {}).items()), key=itemgetter(0))
                anew = made[word] = _piece(word, [p for p, _ in kept], [r for _, r in kept], piece[7]) \
                    if kept or piece[7] else None  # fmt: skip
                if anew is not None:
                    found.append(anew)
    finally:
        reader.close()
    for word in changing:  # (new to the slice)
        if was.get(word):
            return None
        kept = sorted(now[word].items())
        found.append(made.setdefault(word, _piece(word, [p for p, _ in kept], [r for _, r in kept], None)))
    found.sort(key=itemgetter(0))
    return found


def _piece(word: str, pages: list[int], rests: list[list], variants) -> tuple:
    """A ``WORD`` tuple, its entries encoded as Pagefind encodes them (one ``dumps`` a word: an array's
    items are encoded one after the other, after the array's head)."""
    size = sum(len(rest[0]) + 1 for rest in rests) + sum(len(p[1]) + 1 for _, form in variants or () for p in form)
    if not pages:
        return (word, 0, 0, 0, size, b"", b"", variants)
    others = [[page - before, *rest] for before, page, rest in zip(pages, pages[1:], rests[1:], strict=False)]
    tail = cbor2.dumps(others)[len(head(ARRAY, len(others))) :] if others else b""
    first_rest = cbor2.dumps(rests[0])[len(head(ARRAY, len(rests[0]))) :]
    return (word, pages[0], pages[-1], len(pages), size, first_rest, tail, variants)
