"""Collect rendered stories into the archive: by URL, tag, source and date.

Every collection is sorted deterministically: stories newest first with the
URL as tie-break; tags and sources by slug. Two stories that would share a
URL, or that cite the same original URL, are errors naming both files.
"""

from __future__ import annotations

import difflib
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TypeVar
from urllib.parse import parse_qsl, urlencode, urlsplit

from generator.config.site import SiteConfig
from generator.content.markdown.convert import InternalLink, Rendered
from generator.content.model import Article, Page, Where
from generator.diagnostics import Diagnostic, error, warning
from generator.util.spelling import Speller

M = TypeVar("M")  # the members of a tag, outlet or month: stories, or their numbers in the archive's order


@dataclass(frozen=True)
class Story:
    """A rendered article with its place in the site."""

    rendered: Rendered
    url: str  # site-internal path, e.g. "/2023/07/slug/"
    tags: tuple[str, ...]  # tag slugs, after aliases, in the editor's order
    article: Article = field(init=False, repr=False, compare=False)  # rendered.doc, read 100,000 times a build

    def __post_init__(self):
        object.__setattr__(self, "article", self.rendered.doc)


@dataclass(frozen=True)
class Standalone:
    rendered: Rendered
    url: str

    @property
    def page(self) -> Page:
        return self.rendered.doc  # type: ignore[return-value]


@dataclass(frozen=True)
class Term:
    """A tag or a source outlet and its stories, newest first."""

    slug: str
    name: str
    description: str
    stories: tuple[Story, ...]
    spelled: tuple[tuple[str, int], ...] = ()  # its spellings (tag or outlet name) and how many times each is written


@dataclass(frozen=True)
class Month:
    year: int
    month: int
    stories: tuple[Story, ...]


@dataclass(frozen=True)
class Year:
    year: int
    months: tuple[Month, ...]  # newest first

    @property
    def count(self) -> int:
        return sum(len(month.stories) for month in self.months)


@dataclass(frozen=True)
class Archive:
    stories: tuple[Story, ...]  # newest first
    pages: tuple[Standalone, ...]  # by URL
    tags: tuple[Term, ...]  # by slug
    sources: tuple[Term, ...]  # by slug
    years: tuple[Year, ...]  # newest first
    url_of: dict[str, str] = field(default_factory=dict)  # content file -> its page's URL, for internal links
    originals: dict[str, str] = field(default_factory=dict)  # same_original() of a story's source URL -> its file


def article_url(article: Article, config: SiteConfig) -> str:
    local = article.date.at.astimezone(config.tzinfo)  # the day is the site's, as for its month (month_of)
    return permalink(config, local, article.slug)


def permalink(config: SiteConfig, local, slug: str) -> str:
    """The URL of a story of ``slug`` on the day of ``local`` (a date or date-time, in the site's zone)."""
    return config.article_permalink.format(
        year=f"{local.year:04d}", month=f"{local.month:02d}", day=f"{local.day:02d}", slug=slug
    )


def page_url(page: Page, config: SiteConfig) -> str:
    return config.page_permalink.format(slug=page.slug)


SAME_BUT = " (its URL differs only in http/https, www., a trailing slash or tracking parameters)"
TRACKING = re.compile(r"^(utm_.*|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid|igshid|_ga|ref_src|ocid|cmpid)$", re.I)


_PLAIN_URL = re.compile(r"https?://(?:www\.)?([a-z0-9.-]+)(/[^?#\s]*)?(?:#.*)?", re.I | re.S)


def same_original(url: str) -> str:
    """A key that is equal for URLs of the same story: scheme, ``www.``, a
    trailing slash, the fragment and tracking parameters do not count."""
    plain = _PLAIN_URL.fullmatch(url)
    if plain:  # no port, user, query or odd characters: the common case, without urlsplit (0.1 s a build)
        return f"{plain[1].lower()}{(plain[2] or '').rstrip('/') or '/'}?"
    return parsed_original(url)


def parsed_original(url: str) -> str:
    """:func:`same_original` for any URL, by ``urlsplit``."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower().removeprefix("www.")
    port = f":{parts.port}" if parts.port and parts.port not in (80, 443) else ""
    path = parts.path.rstrip("/") or "/"
    return f"{host}{port}{path}?{urlencode(sorted(untracked(parts.query)))}"


def untracked(query: str) -> list[tuple[str, str]]:
    """A URL's query parameters without the tracking ones (``utm_*``, ``fbclid``...), in their order."""
    return [(k, v) for k, v in parse_qsl(query, keep_blank_values=True) if not TRACKING.match(k)]


def _check_links(links: list[tuple[str, Sequence[InternalLink]]], ids: dict[str, set[str]],
                 url_of: dict[str, str], failed: frozenset[str]) -> list[Diagnostic]:  # fmt: skip
    """Every link to another story by its file (``links``: each file's) must
    reach a published story or page, and its #anchor one of that page's
    headings. A link to a file with problems of its own (``failed``) is not
    reported: those problems are, and the link may be right."""
    found = []
    for rel, written in links:
        for link in written:
            where = (rel, link.line, link.col, "body")
            if link.target in failed:
                continue
            if link.target not in url_of:
                hint = _did_you_mean_file(link.target, url_of)
                found.append(error(*where, f"link to {link.written!r}: no published story or page {link.target}{hint}"))
            elif link.anchor and link.anchor not in ids[link.target]:
                hint = _did_you_mean(link.anchor, ids[link.target])
                found.append(error(*where, f"link to {link.written!r}: {link.target} has no heading "
                                           f"with the id {link.anchor!r}{hint}"))  # fmt: skip
    return found


def _did_you_mean(wrong: str, known) -> str:
    close = difflib.get_close_matches(wrong, sorted(known), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _did_you_mean_file(target: str, files) -> str:
    """The file ``target`` was most probably meant to be: the closest file name, in its folder if one is there."""
    folder = target.rpartition("/")[0]
    by_name: dict[str, list[str]] = defaultdict(list)
    for rel in files:
        by_name[rel.rpartition("/")[2]].append(rel)
    close = difflib.get_close_matches(target.rpartition("/")[2], sorted(by_name), n=1, cutoff=0.8)
    if not close:
        return ""
    found = sorted(by_name[close[0]], key=lambda rel: (rel.rpartition("/")[0] != folder, rel))[0]
    return f" (did you mean {found!r}?)"


def _unknown_tags(stories: list[Story], vocabulary: dict[str, str]) -> list[Diagnostic]:
    """With ``tags_strict``, a tag that is neither declared nor an alias is an error."""
    found = []
    for story in stories:
        for ref in story.article.tags:
            if ref.slug not in vocabulary:
                close = difflib.get_close_matches(ref.slug, sorted(vocabulary), n=1)
                hint = f" (did you mean {close[0]!r}?)" if close else ""
                message = f"tag {ref.name!r} is not in the vocabulary of site.yml (tags_strict){hint}"
                found.append(_at(story.article.file.rel, ref.at, message))
    return found


def _at(rel: str, where: Where, message: str) -> Diagnostic:
    return error(rel, where.line, where.col, where.field, message)


# -- The archive's rules: the full build (collect) and an edit's regrouping
# (generator/incremental/regroup.py) both follow them through these functions.


def newest_first(when: float, url: str) -> tuple[float, str]:
    """The archive's order, as a sort key: newest first (``when``: the date's
    timestamp), the URL breaking ties."""
    return (-when, url)


MORE_FROM = 4  # the stories of its outlet a story's page may show ("More from this outlet")


def nearby(members: Sequence[M], index: int, count: int = MORE_FROM) -> list[M]:
    """The ``count`` members nearest to ``members[index]`` in their list (an
    outlet's stories, newest first), the newer first on a tie, in the list's
    order: what a story's page shows as more from its outlet."""
    near = sorted((i for i in range(max(0, index - count), min(len(members), index + count + 1)) if i != index),
                  key=lambda i: (abs(i - index), i))[:count]  # fmt: skip
    return [members[i] for i in sorted(near)]


def month_of(article: Article, config: SiteConfig) -> tuple[int, int]:
    """The year and month a story is archived under: its date in the site's time zone."""
    local = article.date.at.astimezone(config.tzinfo)
    return local.year, local.month


def calendar(by_month: dict[tuple[int, int], Sequence[M]]) -> list[tuple[int, list[tuple[int, Sequence[M]]]]]:
    """The date archives: each year newest first with its months newest first,
    given each month's members (``(year, month) -> members``; a month without
    members has no page)."""
    kept = sorted((key for key, members in by_month.items() if members), reverse=True)
    years: list[tuple[int, list[tuple[int, Sequence[M]]]]] = []
    for year, month in kept:
        if not years or years[-1][0] != year:
            years.append((year, []))
        years[-1][1].append((month, by_month[(year, month)]))
    return years


def term_rows(members: dict[str, Sequence[M]], spelled: dict[str, Counter], declared: dict):
    """The tags or outlets, by slug, as ``(slug, name, description, members,
    spellings)``, given each one's members and how often each spelling of its
    name is written (a tag or outlet without members is none; a spelling
    written no more is dropped); ``declared``: the tags of ``site.yml``."""
    for slug in sorted(slug for slug, found in members.items() if found):
        written = +spelled[slug]
        yield (slug, *term_text(slug, written, declared), tuple(members[slug]), tuple(sorted(written.items())))


def display_name(spellings: Counter) -> str:
    """The most frequent spelling; ties go to the alphabetically first (a tag's, an outlet's name)."""
    return min(spellings.items(), key=lambda item: (-item[1], item[0]))[0]


def tag_aliases(config: SiteConfig) -> dict[str, str]:
    """Every declared tag's slug and aliases -> its slug."""
    return {alias: decl.slug for decl in config.tags for alias in (decl.slug, *decl.aliases)}


def story_tags(article: Article, aliases: dict[str, str]) -> tuple[str, ...]:
    """A story's tag slugs, after aliases, in the editor's order. Interned: a
    slug is one object however many stories have it, so the cache's pickles
    of the archive (``generator/incremental/quick.py``, related stories) write it once."""
    return tuple(dict.fromkeys(sys.intern(aliases.get(tag.slug, tag.slug)) for tag in article.tags))


def spellings(article: Article, aliases: dict[str, str]):
    """``(slug, name)`` for each tag as the story writes it: a tag's name is its most frequent spelling."""
    return ((aliases.get(ref.slug, ref.slug), ref.name) for ref in article.tags)


def term_text(slug: str, spelled: Counter, declared: dict) -> tuple[str, str]:
    """A tag's or outlet's name and description: declared in ``site.yml``
    (``tags:`` or ``outlets:``), else its most frequent spelling and none."""
    decl = declared.get(slug)
    return (decl.name, decl.description) if decl else (display_name(spelled), "")


def collect(rendered: list[Rendered], config: SiteConfig, unchecked: Sequence = (),
            failed: frozenset[str] = frozenset()) -> tuple[Archive | None, list[Diagnostic]]:  # fmt: skip
    """``unchecked``: the links of the files whose body did not render,
    (file, links); ``failed``: the files with errors of their own."""
    diagnostics: list[Diagnostic] = []
    aliases = tag_aliases(config)
    declared = {decl.slug: decl for decl in config.tags}

    stories: list[Story] = []
    pages: list[Standalone] = []
    for item in rendered:
        if isinstance(item.doc, Article):
            stories.append(Story(rendered=item, url=article_url(item.doc, config), tags=story_tags(item.doc, aliases)))
        else:
            pages.append(Standalone(rendered=item, url=page_url(item.doc, config)))

    if config.tags_strict:
        diagnostics += _unknown_tags(stories, aliases)
    owners: dict[str, tuple[str, Where]] = {}
    documents = [(s.url, s.article) for s in stories] + [(p.url, p.page) for p in pages]
    for url, doc in documents:
        if url in owners:
            other, other_at = owners[url]
            diagnostics.append(_at(doc.file.rel, doc.slug_at, f"URL {url} is also used by {other}"))
            diagnostics.append(_at(other, other_at, f"URL {url} is also used by {doc.file.rel}"))
        else:
            owners[url] = (doc.file.rel, doc.slug_at)
    cited: dict[str, Story] = {}
    for story in stories:
        article = story.article
        first = cited.setdefault(same_original(article.source.url), story)
        if first is not story:
            other = first.article
            how = "" if other.source.url == article.source.url else SAME_BUT
            message = f"the same original{how} is already archived by "
            diagnostics.append(_at(article.file.rel, article.source_url_at, message + other.file.rel))
            message = f"the same original{how} is also archived by "
            diagnostics.append(_at(other.file.rel, other.source_url_at, message + article.file.rel))
    url_of = {s.article.file.rel: s.url for s in stories} | {p.page.file.rel: p.url for p in pages}
    shown = [s.rendered for s in stories] + [p.rendered for p in pages]
    ids = {r.doc.file.rel: set(r.ids) for r in shown}
    diagnostics += _check_links([(r.doc.file.rel, r.links) for r in shown] + list(unchecked), ids, url_of, failed)
    if diagnostics:
        return None, diagnostics

    stories.sort(key=lambda s: newest_first(s.article.date.at.timestamp(), s.url))
    pages.sort(key=lambda p: p.url)

    tag_stories: dict[str, list[Story]] = defaultdict(list)
    tag_spellings: dict[str, Counter] = defaultdict(Counter)
    source_stories: dict[str, list[Story]] = defaultdict(list)
    source_spellings: dict[str, Counter] = defaultdict(Counter)
    by_month: dict[tuple[int, int], list[Story]] = defaultdict(list)
    for story in stories:
        article = story.article
        for slug, name in spellings(article, aliases):
            tag_spellings[slug][name] += 1
        for slug in story.tags:
            tag_stories[slug].append(story)
        source_stories[article.source.slug].append(story)
        source_spellings[article.source.slug][article.source.name] += 1
        by_month[month_of(article, config)].append(story)

    tags = [Term(*row) for row in term_rows(tag_stories, tag_spellings, declared)]
    sources = [Term(*row) for row in term_rows(source_stories, source_spellings, config.outlets.by_slug())]
    years = [Year(year, tuple(Month(year, month, tuple(members)) for month, members in months))
             for year, months in calendar(by_month)]  # fmt: skip
    originals = {key: story.article.file.rel for key, story in cited.items()}
    archive = Archive(tuple(stories), tuple(pages), tuple(tags), tuple(sources), tuple(years), url_of, originals)
    outlets = config.outlets.by_slug()
    warnings = _typos(source_stories, source_spellings, {slug: slug for slug in outlets}, outlets,
                      lambda article, _: (article.source_name_at, "outlet", article.source.name))
    if not config.tags_strict:  # (there, a tag outside the vocabulary is an error with its "did you mean")
        warnings += _typos(tag_stories, tag_spellings, aliases, declared, lambda article, slug: next(
            (ref.at, "tag", ref.name) for ref in article.tags if aliases.get(ref.slug, ref.slug) == slug))
    return archive, warnings


def _typos(members: dict[str, list[Story]], spelled: dict[str, Counter], aliases: dict[str, str], declared: dict,
           place) -> list[Diagnostic]:  # fmt: skip
    """A warning for each tag or outlet on one story only whose slug is one or two letters from an
    established one's (declared in site.yml, an alias, or on at least two stories), with that one's name.
    ``place(article, slug)`` is where the story writes it: ``(Where, "tag" or "outlet", as written)``."""
    known = sorted(set(aliases) | {slug for slug, found in members.items() if len(found) >= 2})
    speller, found = Speller(known), []
    for slug, stories in sorted(members.items()):
        if len(stories) != 1 or slug in aliases or (close := speller.closest(slug)) is None:
            continue
        target = aliases.get(close, close)
        name = declared[target].name if target in declared else display_name(spelled[target])
        article = stories[0].article
        at, kind, written = place(article, slug)
        message = f"{kind} {written!r} is on no other story; did you mean {name!r}?"
        found.append(warning(article.file.rel, at.line, at.col, at.field, message))
    return found
