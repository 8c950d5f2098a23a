"""A retag, another outlet or a re-date within the month the quick way: the
snapshot's order and tag and outlet lists brought up to date.

A story whose tags changed, or its source (the outlet's name, the URL of the
original), or its date within its month or its update, and nothing else of
its shape, keeps its URL and its month. What such an edit moves is the
member lists of tags and outlets (one may come or go), their counts, the
weights the tag index shows (which depend on the largest tag), a tag's or
outlet's name when its most frequent spelling changes, and for a re-date the
story's place in the archive's order (its neighbours, its place in every list
it is in) and the last change that its lists and the sitemap show; a new
original's URL must be one no other story cites. :func:`regroup` makes the
new structure from the last build's snapshot (``generator/incremental.py``)
and says which tags' and outlets' pages and feeds must be planned again;
everything else is planned as for an edit that keeps the structure, and an
output whose key did not change is still kept as it is.
"""

from __future__ import annotations

from bisect import insort
from collections import Counter
from dataclasses import dataclass, field

from generator.config import SiteConfig
from generator.content.archive import same_original, spellings, story_tags, tag_aliases, term_text
from generator.content.model import Article
from generator.feeds import article_modified
from generator.pagination import page_url
from generator.related import updated_related
from generator.routes import Moved
from generator.sitemaps import is_sitemap, sitemaps
from generator.urls import output_file
from generator.views import weight

KINDS = ("tags", "sources")  # the snapshot's rows, and the folder of their pages


@dataclass(frozen=True)
class Grouping:
    """What an edit changes of one kind of term (tags or outlets)."""

    terms: frozenset[str]  # whose list pages and feed are planned again: members, name or weight changed
    renamed: frozenset[str]  # whose name changed: every story in them shows the new name
    counts: dict[str, int]  # for each of ``terms``, how many stories it had (0: it is new)


@dataclass(frozen=True)
class Regrouped:
    structure: dict  # the snapshot's structure with the new order and tag and outlet lists
    groupings: dict[str, Grouping]  # by kind: "tags", "sources"
    dated: bool = False  # a story's date or update changed: the home list, site feeds and overview are planned
    neighbours: frozenset[str] = frozenset()  # stories that were next to a re-dated one: their pages are planned
    modified: dict = field(default_factory=dict)  # the re-dated stories' new last change (URL -> datetime)


def regroup(snap: dict, retags: list[tuple[int, Article, Article]], config: SiteConfig) -> Regrouped | None:
    """The structure after ``retags`` (number of the story in the snapshot,
    its document before and after); None when the full build must take it:
    to report a problem (a tag outside the vocabulary with ``tags_strict``, an
    original that another story cites too), or a re-dated story that leaves
    its month, or any re-date with a news sitemap (its window is the full
    build's)."""
    aliases = tag_aliases(config)
    if config.tags_strict and any(ref.slug not in aliases for _, _, new in retags for ref in new.tags):
        return None
    originals = _originals(snap, retags)
    if originals is None:
        return None
    dated = [(i, old, new) for i, old, new in retags if (old.date, old.updated) != (new.date, new.updated)]
    if dated and (config.news_sitemap or any(_month(old, config) != _month(new, config) for _, old, new in dated)):
        return None
    stories = list(snap["stories"])
    moves: dict[str, list] = {kind: [] for kind in KINDS}
    for i, old, new in retags:
        rel, url, before, _ = stories[i]
        after = story_tags(new, aliases)
        stories[i] = (rel, url, after, new.date.at.timestamp())
        moves["tags"].append((i, before, after, spellings(old, aliases), spellings(new, aliases)))
        moves["sources"].append((i, (old.source.slug,), (new.source.slug,), ((old.source.slug, old.source.name),),
                                 ((new.source.slug, new.source.name),)))  # fmt: skip
    declared = {"tags": {decl.slug: decl for decl in config.tags}, "sources": {}}
    rows = {kind: _rows(snap[kind], moves[kind], declared[kind]) for kind in KINDS}
    years = snap["years"]
    if dated:  # a re-dated story may move in the archive's order (newest first, then by URL): number anew
        order = sorted(range(len(stories)), key=lambda i: (-stories[i][3], stories[i][1]))
        number = [0] * len(order)
        for place, i in enumerate(order):
            number[i] = place
        rows = {kind: tuple((*row[:3], tuple(sorted(number[i] for i in row[3])), row[4]) for row in rows[kind])
                for kind in KINDS}  # fmt: skip
        years = tuple((year, tuple((month, tuple(sorted(number[i] for i in members))) for month, members in months))
                      for year, months in years)  # fmt: skip
        stories = [stories[i] for i in order]
    new_stories = tuple(stories)
    # After a re-date, every list the story is in shows it elsewhere, or another last change: planned whole.
    groupings = {kind: _grouping(snap[kind], rows[kind], snap["stories"], new_stories, kind == "tags",
                                 _terms_of(kind, dated, aliases))
                 for kind in KINDS}  # fmt: skip
    old_stories = snap["stories"]
    neighbours = frozenset(old_stories[j][1] for i, _, _ in dated for j in (i - 1, i + 1) if 0 <= j < len(old_stories))
    modified = {old_stories[i][1]: article_modified(new) for i, _, new in dated}
    structure = snap | rows | {"stories": new_stories, "years": years, "originals": originals}
    return Regrouped(structure, groupings, bool(dated), neighbours, modified)


def _month(article: Article, config: SiteConfig) -> tuple[int, int]:
    local = article.date.at.astimezone(config.tzinfo)
    return local.year, local.month


def _terms_of(kind: str, dated, aliases) -> set[str]:
    """The tags or the outlets of re-dated stories, before and after the edit."""
    if kind == "sources":
        return {doc.source.slug for _, old, new in dated for doc in (old, new)}
    return {slug for _, old, new in dated for doc in (old, new) for slug in story_tags(doc, aliases)}


def _rows(rows, moves, declared: dict) -> tuple:
    """The snapshot's rows of one kind (slug, name, description, members,
    spellings) after ``moves``: (story number, slugs before and after,
    (slug, name) spellings before and after)."""
    members = {slug: list(numbers) for slug, _, _, numbers, _ in rows}
    spelled = {slug: Counter(dict(written)) for slug, *_, written in rows}
    for i, before, after, old_names, new_names in moves:
        for slug in set(before) - set(after):
            members[slug].remove(i)
        for slug in set(after) - set(before):
            insort(members.setdefault(slug, []), i)
        for sign, names in ((-1, old_names), (1, new_names)):
            for slug, name in names:
                spelled.setdefault(slug, Counter())[name] += sign
    out = []
    for slug in sorted(slug for slug, numbers in members.items() if numbers):
        written = +spelled[slug]  # (without the spellings no story writes any more)
        out.append((slug, *term_text(slug, written, declared), tuple(members[slug]), tuple(sorted(written.items()))))
    return tuple(out)


def _grouping(before_rows, after_rows, before_stories, after_stories, weighed: bool, also: set[str]) -> Grouping:
    """``also``: terms planned again whatever they show (those of a re-dated story)."""
    before, after = _shown(before_rows, before_stories, weighed), _shown(after_rows, after_stories, weighed)
    changed = {slug for slug in before.keys() | after.keys() if before.get(slug) != after.get(slug)}
    terms = frozenset(changed | also)
    renamed = frozenset(slug for slug in before.keys() & after.keys() if before[slug][0] != after[slug][0])
    counts = {slug: len(numbers) for slug, _, _, numbers, _ in before_rows}
    return Grouping(terms, renamed, {slug: counts.get(slug, 0) for slug in terms})


def _originals(snap: dict, retags) -> dict[str, str] | None:
    """The snapshot's originals (``same_original()`` of each story's source
    URL -> its file) after the edits; None when two stories would cite the same."""
    originals = dict(snap["originals"])
    for _, old, new in retags:
        if old.source.url != new.source.url:
            originals.pop(same_original(old.source.url), None)
    for i, old, new in retags:
        if old.source.url != new.source.url:
            rel = snap["stories"][i][0]
            if originals.setdefault(same_original(new.source.url), rel) != rel:
                return None
    return originals


def moved_by(regrouped: Regrouped, last_inputs, last: dict[str, tuple[str, ...]], jobs: int):
    """What a partial plan of the edit needs (:class:`generator.routes.Moved`),
    and the related stories after it: ``(moved, urls, inputs)``, given
    those of the last build and their inputs (``generator/related.py``)."""
    snap = regrouped.structure
    inputs = tuple((url, tags, when) for _, url, tags, when in snap["stories"])  # as related_inputs() gives them
    urls = updated_related(inputs, last_inputs, last, jobs)
    again = frozenset(url for url, best in urls.items() if last[url] != best) | regrouped.neighbours
    terms = {kind: grouping.terms for kind, grouping in regrouped.groupings.items()}
    return Moved(terms, again, snap["sitemap"] | regrouped.modified, regrouped.dated), urls, inputs


@dataclass(frozen=True)
class Replaced:
    """What a regrouping edit changes in the output besides the pages it plans."""

    gone: set[str]  # output files to drop: pages and feeds of tags and outlets gone or shorter, the old sitemaps
    machine: list[tuple[str, bytes]]  # the new sitemap files
    sitemap: dict  # the sitemap's pages (URL -> last modified), for the next snapshot
    pages: int  # how many pages the site has now


def replaced(regrouped: Regrouped, routes, made: set[str], previous: dict, pages: int, config: SiteConfig,
             links) -> Replaced | None:  # fmt: skip
    """Given the routes planned for the edit (``made``: their output files and
    the feeds') and the last build's outputs and page count; None when a new
    tag's or outlet's page would overwrite another file (the full build reports it)."""
    gone: set[str] = set()  # the URLs of list pages that are no more
    files: set[str] = set()
    for kind, grouping in regrouped.groupings.items():
        after = {slug: len(numbers) for slug, _, _, numbers, _ in regrouped.structure[kind]}
        for slug, count in grouping.counts.items():
            if not count and any(rel in previous for rel in made if rel.startswith(f"{kind}/{slug}/")):
                return None
            old = _term_pages(kind, slug, count, config.per_page)
            new = _term_pages(kind, slug, after.get(slug, 0), config.per_page)
            gone.update(old[len(new) :])
            pages += len(new) - len(old)
            if not after.get(slug):
                files.add(f"{kind}/{slug}/feed.xml")
    files.update(output_file(url) for url in gone)
    last = regrouped.structure["sitemap"]
    sitemap = {url: lastmod for url, lastmod in last.items() if url not in gone}
    sitemap |= {r.url: r.lastmod for r in routes if r.in_sitemap}
    if sitemap == last:  # the same pages, each as recent as it was: the sitemap is kept as it is
        return Replaced(files, [], last, pages)
    machine = [(f.path.lstrip("/"), f.data) for f in sitemaps(sitemap, config, links)]
    return Replaced(files | {rel for rel in previous if is_sitemap(rel)}, machine, sitemap, pages)


def _term_pages(kind: str, slug: str, count: int, per_page: int) -> list[str]:
    """The URLs of the list pages of a tag or outlet of ``count`` stories,
    first page first (none: no such tag)."""
    url = f"/{kind}/{slug}/"
    return [page_url(url, n) for n in range(1, -(-count // per_page) + 1)]


def _shown(rows, stories, weighed: bool) -> dict[str, tuple]:
    """What a tag's or outlet's pages show of it: name, description, stories
    (by URL: a re-date numbers them anew) and a tag's weight (which depends on
    the largest tag)."""
    largest = max((len(numbers) for _, _, _, numbers, _ in rows), default=1)
    return {slug: (name, text, tuple(stories[i][1] for i in numbers),
                   weight(len(numbers), largest) if weighed else None)
            for slug, name, text, numbers, _ in rows}  # fmt: skip
