"""The snapshot every build that writes leaves for the next: the archive's
:class:`Structure` (the stories in order with their URLs, tags and times; the
members of every tag, outlet, year and month by number, and each tag's and
outlet's spellings; the assets to copy; the sitemap's pages with their last
change; the stories' originals, for the duplicate check; the files that some
file links to), and the :class:`Known` documents (each content file's cache
key, shape and URL, and each story's digest), which is what an edit changes.
A quick build saves only the second, and one that changes the structure both.

Both are records of named fields, stored as the cache's ``plan`` and
``plan-docs`` manifests; a manifest of another shape (an older ssg) reads as
none, and the build takes the full way.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import NamedTuple

from generator.content.archive import Archive, Term
from generator.plan.digests import Digest
from generator.store.cache import BuildCache

STRUCTURE, DOCUMENTS = "plan", "plan-docs"  # the snapshot's two manifests


class StoryRow(NamedTuple):
    """A story in the archive's order (newest first): its number is its place."""

    file: str  # the content file, relative to the site's root
    url: str
    tags: tuple[str, ...]  # slugs, after aliases, in the editor's order
    when: float  # its date's timestamp (the archive's order)


class PageRow(NamedTuple):
    file: str
    url: str


class TermRow(NamedTuple):
    """A tag or an outlet, as :class:`generator.content.archive.Term` with its stories by number."""

    slug: str
    name: str
    description: str
    members: tuple[int, ...]  # the numbers of its stories, in the archive's order
    spelled: tuple[tuple[str, int], ...]  # each spelling of its name and how many stories write it


class MonthRow(NamedTuple):
    month: int
    members: tuple[int, ...]


class YearRow(NamedTuple):
    year: int
    months: tuple[MonthRow, ...]  # newest first


class DocEntry(NamedTuple):
    """A content file as the last build knew it."""

    key: str  # its document's cache key
    shape: str  # its place in the archive (generator/content/shape.py)
    url: str | None  # its page's URL; None when it is not on the site (a draft, embargoed)


@dataclass(frozen=True)
class Structure:
    id: str  # the fingerprint of the build that made this structure
    frame: str  # every input but the content files (ssg's version, options, site.yml, theme)
    stories: tuple[StoryRow, ...]
    pages: tuple[PageRow, ...]  # by URL
    tags: tuple[TermRow, ...]  # by slug
    sources: tuple[TermRow, ...]  # by slug
    years: tuple[YearRow, ...]  # newest first
    assets: dict[str, str]  # the stories' and pages' files to copy: output path -> source path
    related: str  # the key of the related stories (the ``related`` manifest holds them)
    sitemap: dict[str, datetime | None]  # the sitemap's pages -> their last change
    originals: dict[str, str]  # same_original() of each story's source URL -> its file
    linked: frozenset[str]  # the files that some file links to
    images: frozenset[str] = frozenset()  # the originals of the images the pages show (generator/media/)
    rooted: frozenset[str] = frozenset()  # the output files that root-relative links lead to

    def terms(self, kind: str) -> tuple[TermRow, ...]:
        """``kind``: "tags" or "sources"."""
        return self.tags if kind == "tags" else self.sources

    def replace(self, **changes) -> Structure:
        return dataclasses.replace(self, **changes)


@dataclass(frozen=True)
class Known:
    fingerprint: str  # of the last build, quick or not
    structure: str  # the id of the structure it goes with
    docs: dict[str, DocEntry]  # every content file, published or not
    digests: dict[str, Digest]  # every story's (generator/plan/routes.py)

    def replace(self, **changes) -> Known:
        return dataclasses.replace(self, **changes)


def term_row(term: Term, number: dict[str, int]) -> TermRow:
    return TermRow(term.slug, term.name, term.description, tuple(number[s.url] for s in term.stories), term.spelled)


def snapshot(print_: str, frame: str, documents, archive: Archive, digests: dict[str, Digest],
             assets: dict[str, str], related: str, sitemap: dict,
             images: frozenset[str] = frozenset(),
             rooted: frozenset[str] = frozenset()) -> tuple[Structure, Known]:  # fmt: skip
    """What the next build needs to take the quick way: see the module's doc.
    ``documents`` are every loaded document, published or not; ``assets`` the
    stories' and pages' files to copy (output path -> source path); ``related``
    the key of the related stories (the ``related`` manifest must still hold it);
    ``sitemap`` the sitemap's entries (URL -> last modified)."""
    urls = {s.article.file.rel: s.url for s in archive.stories} | {p.page.file.rel: p.url for p in archive.pages}
    number = {s.url: i for i, s in enumerate(archive.stories)}
    structure = Structure(
        id=print_,
        frame=frame,
        stories=tuple(StoryRow(s.article.file.rel, s.url, s.tags, s.article.date.at.timestamp())
                      for s in archive.stories),  # fmt: skip
        pages=tuple(PageRow(p.page.file.rel, p.url) for p in archive.pages),
        tags=tuple(term_row(t, number) for t in archive.tags),
        sources=tuple(term_row(t, number) for t in archive.sources),
        years=tuple(YearRow(y.year, tuple(MonthRow(m.month, tuple(number[s.url] for s in m.stories))
                                          for m in y.months))
                    for y in archive.years),  # fmt: skip
        assets=assets,
        related=related,
        sitemap=sitemap,
        originals=archive.originals,
        linked=frozenset(link.target for r in documents for link in r.links),
        images=images,
        rooted=rooted,
    )
    docs = {r.doc.file.rel: DocEntry(r.key, r.shape, urls.get(r.doc.file.rel)) for r in documents}
    return structure, Known(print_, print_, docs, digests)


# Stored as plain tuples: a quick build at 10,000 stories reads and writes
# 30,000 rows (stories, documents, digests), which pickle several times faster
# as plain tuples than as named ones (about 25 ms against 65 ms); they are
# made records again by maps that run in C.


def _plain(rows) -> tuple:
    return tuple(map(tuple, rows))


def _plain_values(rows: dict) -> dict:
    return dict(zip(rows, map(tuple, rows.values()), strict=True))


def _records(kind, rows) -> tuple:
    return tuple(map(partial(tuple.__new__, kind), rows))


def _record_values(kind, rows: dict) -> dict:
    return dict(zip(rows, map(partial(tuple.__new__, kind), rows.values()), strict=True))


def read(cache: BuildCache) -> tuple[Structure | None, Known | None]:
    """The last snapshot, or None for a part that was never saved or has another shape."""
    stored, documents = cache.manifest(STRUCTURE), cache.manifest(DOCUMENTS)
    if not stored or not documents:
        return None, None
    try:
        structure = Structure(**stored | {"stories": _records(StoryRow, stored["stories"])})
        known = Known(**documents | {"docs": _record_values(DocEntry, documents["docs"]),
                                     "digests": _record_values(Digest, documents["digests"])})  # fmt: skip
    except (TypeError, KeyError, AttributeError):  # saved by an ssg whose records had other fields
        return None, None
    return structure, known


def stored(structure: Structure | None, known: Known) -> dict:
    """The snapshot's manifests (``structure`` None: it is as it was, and is not saved again)."""
    found = {}
    if structure is not None:
        found[STRUCTURE] = vars(structure) | {"stories": _plain(structure.stories)}
    found[DOCUMENTS] = vars(known) | {"docs": _plain_values(known.docs), "digests": _plain_values(known.digests)}
    return found


def save(cache: BuildCache, structure: Structure | None, known: Known) -> None:
    """Save the snapshot (``structure`` None: it is as it was)."""
    for name, value in stored(structure, known).items():
        cache.save_manifest(name, value)
