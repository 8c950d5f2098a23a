"""A retag, another outlet, a re-date within the month, and a story added,
deleted or moved to another URL, the quick way: the snapshot's order, tag and
outlet lists and date archives brought up to date.

A story whose tags changed, or its source (the outlet's name, the URL of the
original), or its date within its month or its update, and nothing else of
its shape, keeps its URL and its month. What such an edit moves is the
member lists of tags and outlets (one may come or go), their counts, the
weights the tag index shows (which depend on the largest tag), a tag's or
outlet's name when its most frequent spelling changes, and for a re-date the
story's place in the archive's order (its neighbours, its place in every list
it is in) and the last change that its lists and the sitemap show; a new
original's URL must be one no other story cites. :func:`regroup` makes the
new structure from the last build's snapshot (``generator/incremental/quick.py``)
and says which tags' and outlets' pages and feeds must be planned again;
everything else is planned as for an edit that keeps the structure, and an
output whose key did not change is still kept as it is.

A story added or taken away (deleted, unpublished, or moved to another URL:
taken away from the old and added at the new) changes besides: the order
and every list it is in, the counts of its year (which every page of that
year and the neighbouring years' pages show) and of its month, a month or
year that appears or vanishes, the pages of the home list, and the sitemap.
"""

from __future__ import annotations

from bisect import insort
from collections import Counter
from dataclasses import dataclass, field
from typing import NamedTuple

from generator.config.site import SiteConfig
from generator.content.archive import (
    calendar,
    month_of,
    nearby,
    newest_first,
    same_original,
    spellings,
    story_tags,
    tag_aliases,
    term_rows,
)
from generator.content.model import Article
from generator.incremental.snapshot import MonthRow, StoryRow, Structure, TermRow, YearRow
from generator.plan.feeds import article_modified
from generator.plan.pagination import page_urls
from generator.plan.related import updated_related
from generator.plan.scope import Moved
from generator.plan.sitemaps import is_sitemap, sitemaps
from generator.plan.views import weight
from generator.util.urls import output_file, period_url

KINDS = ("tags", "sources")  # the snapshot's term rows, and the folder of their pages


@dataclass(frozen=True)
class Grouping:
    """What an edit changes of one kind of term (tags or outlets)."""

    terms: frozenset[str]  # whose list pages and feed are planned again: members, name or weight changed
    renamed: frozenset[str]  # whose name changed: every story in them shows the new name
    counts: dict[str, int]  # for each of ``terms``, how many stories it had (0: it is new)


@dataclass(frozen=True)
class Regrouped:
    structure: Structure  # the snapshot's structure with the new order and tag and outlet lists
    groupings: dict[str, Grouping]  # by kind: "tags", "sources"
    dated: bool = False  # a story's date or update changed, or one came or went: the home list, site feeds
    neighbours: frozenset[str] = frozenset()  # stories that were next to a re-dated or removed one: planned
    modified: dict = field(default_factory=dict)  # the re-dated and added stories' last change (URL -> datetime)
    periods: frozenset = frozenset()  # date archive pages to plan: (year, None) for a year's, (year, month)
    gone: frozenset[str] = frozenset()  # pages no more: stories taken away, the home list's last, months, years
    appeared: frozenset[str] = frozenset()  # pages new: stories added, the home list's, months, years
    pages: int = 0  # how many pages more the site has (less, when negative), tag and outlet pages apart


class _Move(NamedTuple):
    """A story's membership of one kind of term before and after an edit."""

    story: int  # its number in the snapshot (a new story's: after the last)
    before: tuple[str, ...]  # the slugs it was in
    after: tuple[str, ...]
    old_names: tuple[tuple[str, str], ...]  # (slug, spelling) as it wrote them
    new_names: tuple[tuple[str, str], ...]


def _moves(i: int, old: Article | None, new: Article | None, before: tuple[str, ...], aliases) -> dict[str, _Move]:
    """A story's moves, by kind, from ``old`` to ``new`` (None: it is not on the site)."""
    tags = _Move(i, before, story_tags(new, aliases) if new is not None else (),
                 tuple(spellings(old, aliases)) if old else (), tuple(spellings(new, aliases)) if new else ())
    outlet = _Move(i, (old.source.slug,) if old else (), (new.source.slug,) if new else (),
                   ((old.source.slug, old.source.name),) if old else (),
                   ((new.source.slug, new.source.name),) if new else ())  # fmt: skip
    return {"tags": tags, "sources": outlet}


def regroup(snap: Structure, retags: list[tuple[int, Article, Article]], config: SiteConfig,
            removed: list[tuple[int, Article]] = (), added: list[tuple[str, str, Article]] = ()) -> Regrouped | None:
    """The structure after ``retags`` (number of the story in the snapshot,
    its document before and after), ``removed`` (number, document) and
    ``added`` (file, URL, document), made by the archive's own rules
    (``generator/content/archive.py``: order, months, terms); None when the
    full build must take it: to report a problem (a tag outside the
    vocabulary with ``tags_strict``, an original that another story cites
    too), or a re-dated story that leaves its month, or with a news sitemap
    any re-date, addition or removal (its window is the full build's), or no
    story left."""
    aliases = tag_aliases(config)
    news = [new for _, _, new in retags] + [new for _, _, new in added]
    if config.tags_strict and any(ref.slug not in aliases for new in news for ref in new.tags):
        return None
    originals = _originals(snap, retags, removed, added)
    if originals is None:
        return None
    dated = [(i, old, new) for i, old, new in retags if (old.date, old.updated) != (new.date, new.updated)]
    moving = bool(removed or added)
    if (dated or moving) and config.news_sitemap:
        return None
    if any(month_of(old, config) != month_of(new, config) for _, old, new in dated):
        return None
    if len(snap.stories) - len(removed) + len(added) == 0:
        return None
    stories = list(snap.stories)
    alive = [True] * len(stories)
    moves: dict[str, list[_Move]] = {kind: [] for kind in KINDS}

    def move(i: int, old: Article | None, new: Article | None, before: tuple[str, ...]) -> None:
        for kind, one in _moves(i, old, new, before, aliases).items():
            moves[kind].append(one)

    for i, old, new in retags:
        row = stories[i]
        stories[i] = row._replace(tags=story_tags(new, aliases), when=new.date.at.timestamp())
        move(i, old, new, row.tags)
    by_month = {(year.year, month.month): list(month.members) for year in snap.years for month in year.months}
    for i, old in removed:
        alive[i] = False
        move(i, old, None, stories[i].tags)
        by_month[month_of(old, config)].remove(i)
    for rel, url, new in added:
        stories.append(StoryRow(rel, url, story_tags(new, aliases), new.date.at.timestamp()))
        alive.append(True)
        move(len(stories) - 1, None, new, ())
        by_month.setdefault(month_of(new, config), []).append(len(stories) - 1)
    declared = {"tags": {decl.slug: decl for decl in config.tags}, "sources": config.outlets.by_slug()}
    rows = {kind: _rows(snap.terms(kind), moves[kind], declared[kind]) for kind in KINDS}
    if dated or moving:  # a story may move in the archive's order: number anew
        order = sorted((i for i in range(len(stories)) if alive[i]),
                       key=lambda i: newest_first(stories[i].when, stories[i].url))  # fmt: skip
        number = [0] * len(stories)
        for place, i in enumerate(order):
            number[i] = place
        rows = {kind: tuple(row._replace(members=tuple(sorted(number[i] for i in row.members))) for row in rows[kind])
                for kind in KINDS}  # fmt: skip
        by_month = {key: [number[i] for i in members] for key, members in by_month.items()}
        stories = [stories[i] for i in order]
    years = tuple(YearRow(year, tuple(MonthRow(month, tuple(sorted(members))) for month, members in months))
                  for year, months in calendar(by_month))  # fmt: skip
    new_stories = tuple(stories)
    # After a re-date, every list the story is in shows it elsewhere, or another last change: planned whole.
    groupings = {kind: _grouping(snap.terms(kind), rows[kind], snap.stories, new_stories, kind == "tags",
                                 _terms_of(kind, dated, aliases), renumbered=bool(dated or moving))
                 for kind in KINDS}  # fmt: skip
    old_stories = snap.stories
    neighbours = frozenset(old_stories[j].url for i, *_ in [*dated, *removed] for j in (i - 1, i + 1)
                           if 0 <= j < len(old_stories))  # fmt: skip
    neighbours |= _more_from_moved(snap.sources, old_stories, rows["sources"], new_stories)
    modified = {old_stories[i].url: article_modified(new) for i, _, new in dated}
    modified |= {url: article_modified(new) for _, url, new in added}
    structure = snap.replace(stories=new_stories, years=years, originals=originals, **rows)
    before, after = _pages(old_stories, snap.years, config), _pages(new_stories, years, config)
    return Regrouped(structure, groupings, bool(dated) or moving, neighbours, modified,
                     _periods(snap.years, years), frozenset(before - after), frozenset(after - before),
                     len(after) - len(before))  # fmt: skip


def _more_from_moved(before: tuple[TermRow, ...], old_stories, after: tuple[TermRow, ...], new_stories) -> set[str]:
    """The stories whose "more from this outlet" changed: those near a story
    that came to, left or moved in its outlet's list (``archive.nearby``)."""
    old = {row.slug: [old_stories[i].url for i in sorted(row.members)] for row in before}
    moved: set[str] = set()
    for row in after:
        urls = [new_stories[i].url for i in sorted(row.members)]
        was = old.get(row.slug, [])
        if urls == was:
            continue
        shown = {url: nearby(was, i) for i, url in enumerate(was)}
        moved.update(url for i, url in enumerate(urls) if shown.get(url) != nearby(urls, i))
    return moved


def _pages(stories: tuple[StoryRow, ...], years: tuple[YearRow, ...], config: SiteConfig) -> set[str]:
    """The URLs of the story pages, the home list's pages and the date archives' pages."""
    periods = {period_url(year.year, month.month) for year in years for month in year.months}
    periods |= {period_url(year.year) for year in years}
    return {story.url for story in stories} | set(page_urls("/", len(stories), config.per_page)) | periods


def _periods(before: tuple[YearRow, ...], after: tuple[YearRow, ...]) -> frozenset:
    """The date archive pages whose key changes when stories come or go: a
    month's page shows its stories and its year's count, a year's page its
    stories and the neighbouring years' counts. ``before``/``after``: the
    snapshot's years (members by number: compared by count, as a re-date
    within a month keeps every member list's length and each page is planned
    for the stories that changed anyway)."""

    def counts(years) -> dict:
        return {(year, month): len(members) for year, months in years for month, members in months}

    def years_shown(years) -> dict[int, tuple]:
        totals = [(year, sum(len(m) for _, m in months)) for year, months in years]
        return {year: (count, totals[i - 1] if i else None, totals[i + 1] if i + 1 < len(totals) else None)
                for i, (year, count) in enumerate(totals)}  # fmt: skip

    old, new = counts(before), counts(after)
    old_years, new_years = years_shown(before), years_shown(after)
    periods = {(year, None) for year in new_years if old_years.get(year) != new_years[year]}
    periods |= {key for key in new if (key[0], None) in periods or old.get(key) != new[key]}
    return frozenset(periods)


def _terms_of(kind: str, dated, aliases) -> set[str]:
    """The tags or the outlets of re-dated stories, before and after the edit."""
    if kind == "sources":
        return {doc.source.slug for _, old, new in dated for doc in (old, new)}
    return {slug for _, old, new in dated for doc in (old, new) for slug in story_tags(doc, aliases)}


def _rows(rows: tuple[TermRow, ...], moves: list[_Move], declared: dict) -> tuple[TermRow, ...]:
    """The snapshot's rows of one kind after ``moves``, by the archive's rule for terms."""
    members = {row.slug: list(row.members) for row in rows}
    spelled = {row.slug: Counter(dict(row.spelled)) for row in rows}
    for one in moves:
        for slug in set(one.before) - set(one.after):
            members[slug].remove(one.story)
        for slug in set(one.after) - set(one.before):
            insort(members.setdefault(slug, []), one.story)
        for sign, names in ((-1, one.old_names), (1, one.new_names)):
            for slug, name in names:
                spelled.setdefault(slug, Counter())[name] += sign
    return tuple(TermRow(*row) for row in term_rows(members, spelled, declared))


def _grouping(before_rows: tuple[TermRow, ...], after_rows: tuple[TermRow, ...], before_stories, after_stories,
              weighed: bool, also: set[str], renumbered: bool = True) -> Grouping:  # fmt: skip
    """``also``: terms planned again whatever they show (those of a re-dated story). ``renumbered``:
    the stories were numbered anew (else each number is the same story's before and after)."""
    if renumbered or (weighed and _largest(before_rows) != _largest(after_rows)):
        before, after = _shown(before_rows, before_stories, weighed), _shown(after_rows, after_stories, weighed)
    else:  # a term whose row is as it was shows what it showed (at 10,000 stories: 0.2 against 5 ms a kind)
        before, after = _as_shown(before_rows), _as_shown(after_rows)
    changed = {slug for slug in before.keys() | after.keys() if before.get(slug) != after.get(slug)}
    terms = frozenset(changed | also)
    renamed = frozenset(slug for slug in before.keys() & after.keys() if before[slug][0] != after[slug][0])
    counts = {row.slug: len(row.members) for row in before_rows}
    return Grouping(terms, renamed, {slug: counts.get(slug, 0) for slug in terms})


def _originals(snap: Structure, retags, removed=(), added=()) -> dict[str, str] | None:
    """The snapshot's originals (``same_original()`` of each story's source
    URL -> its file) after the edits; None when two stories would cite the same."""
    originals = dict(snap.originals)
    gone = [old for _, old, new in retags if old.source.url != new.source.url] + [old for _, old in removed]
    for old in gone:
        originals.pop(same_original(old.source.url), None)
    come = [(snap.stories[i].file, new) for i, old, new in retags if old.source.url != new.source.url]
    for rel, new in come + [(rel, new) for rel, _, new in added]:
        if originals.setdefault(same_original(new.source.url), rel) != rel:
            return None
    return originals


def moved_by(regrouped: Regrouped, last_inputs, last: dict[str, tuple[str, ...]], jobs: int):
    """What a partial plan of the edit needs (:class:`generator.plan.scope.Moved`),
    and the related stories after it: ``(moved, urls, inputs)``, given
    those of the last build and their inputs (``generator/plan/related.py``)."""
    snap = regrouped.structure
    inputs = tuple((row.url, row.tags, row.when) for row in snap.stories)  # as related_inputs() gives them
    urls = updated_related(inputs, last_inputs, last, jobs)
    again = frozenset(url for url, best in urls.items() if last.get(url) != best) | regrouped.neighbours
    terms = {kind: grouping.terms for kind, grouping in regrouped.groupings.items()}
    moved = Moved(terms, again, snap.sitemap | regrouped.modified, regrouped.dated, regrouped.periods)
    return moved, urls, inputs


@dataclass(frozen=True)
class Replaced:
    """What a regrouping edit changes in the output besides the pages it plans."""

    gone: set[str]  # output files to drop: pages and feeds gone (tags and outlets too), the old sitemaps
    machine: list[tuple[str, bytes]]  # the new sitemap files
    sitemap: dict  # the sitemap's pages (URL -> last modified), for the next snapshot
    pages: int  # how many pages the site has now


def replaced(regrouped: Regrouped, routes, made: set[str], previous: dict, pages: int, config: SiteConfig,
             links) -> Replaced | None:  # fmt: skip
    """Given the routes planned for the edit (``made``: their output files and
    the feeds') and the last build's outputs and page count; None when a new
    page would overwrite another file (the full build reports it)."""
    if any(output_file(url) in previous for url in regrouped.appeared):
        return None
    gone: set[str] = set(regrouped.gone)  # the URLs of pages that are no more
    pages += regrouped.pages
    files: set[str] = set()
    for kind, grouping in regrouped.groupings.items():
        after = {row.slug: len(row.members) for row in regrouped.structure.terms(kind)}
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
    last = regrouped.structure.sitemap
    sitemap = {url: lastmod for url, lastmod in last.items() if url not in gone}
    sitemap |= {r.url: r.lastmod for r in routes if r.in_sitemap}
    if sitemap == last:  # the same pages, each as recent as it was: the sitemap is kept as it is
        return Replaced(files, [], last, pages)
    machine = [(f.path.lstrip("/"), f.data) for f in sitemaps(sitemap, config, links)]
    return Replaced(files | {rel for rel in previous if is_sitemap(rel)}, machine, sitemap, pages)


def _term_pages(kind: str, slug: str, count: int, per_page: int) -> list[str]:
    """The URLs of the list pages of a tag or outlet of ``count`` stories,
    first page first (none: no such tag)."""
    return page_urls(f"/{kind}/{slug}/", count, per_page) if count else []


class _Shown(NamedTuple):
    name: str
    description: str
    stories: tuple[str, ...]  # by URL: a re-date numbers them anew
    weight: int | None  # a tag's (it depends on the largest tag)


def _shown(rows: tuple[TermRow, ...], stories: tuple[StoryRow, ...], weighed: bool) -> dict[str, _Shown]:
    """What a tag's or outlet's pages show of it: name, description, stories
    (by URL: a re-date numbers them anew) and a tag's weight (which depends on
    the largest tag)."""
    largest = _largest(rows)
    return {row.slug: _Shown(row.name, row.description, tuple(stories[i].url for i in row.members),
                             weight(len(row.members), largest) if weighed else None)
            for row in rows}  # fmt: skip


def _as_shown(rows: tuple[TermRow, ...]) -> dict[str, tuple]:
    """Each term's name, description and stories by number: equal for two rows that show the same, as
    long as the stories keep their numbers and the largest tag its size (a tag's weight is of its size)."""
    return {row.slug: (row.name, row.description, row.members) for row in rows}


def _largest(rows: tuple[TermRow, ...]) -> int:
    return max((len(row.members) for row in rows), default=1)
