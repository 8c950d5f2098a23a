"""Plan every page of the site: URL, templates, a key of its inputs, and its view.

Planning happens before anything is rendered, so a story whose URL would
overwrite a generated page (``slug: tags`` as a standalone page) is reported
with its file and line before any work is wasted.

A route's view is built only when the page is rendered (``Route.context()``);
what planning computes for every page is its **key**: a digest of everything
the page shows (the stories on it, their neighbours, counts, names). A page
whose key and templates are the same as in the previous build is not rendered
again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from itertools import chain
from operator import attrgetter
from typing import Any

from generator.config.site import SiteConfig
from generator.content.archive import MORE_FROM, Archive, Story, Term, nearby
from generator.content.model import Page, Where
from generator.diagnostics import Diagnostic, error
from generator.plan.dates import DatesPlan, month_groups
from generator.plan.digests import Digest, story_digest
from generator.plan.feeds import ATOM_TYPE, FeedLink, modified
from generator.plan.head import Head, page_meta
from generator.plan.pagination import paginate
from generator.plan.scope import EVERYTHING, Scope
from generator.plan.views import DateView, ViewBuilder, share_view
from generator.theme.strings import Strings
from generator.util.digest import digest
from generator.util.urls import Links, period_url

_URL = attrgetter("url")


@dataclass(frozen=True)
class Route:
    url: str  # site-internal path, e.g. "/tags/ai/page/2/"
    templates: tuple[str, ...]  # the first that the theme has is used
    kind: str
    key: str  # digest of the page's inputs (templates apart)
    make: Callable[[], dict[str, Any]]  # builds the template context
    origin: tuple[str, Where] | None = None  # the content file behind it
    lastmod: datetime | None = None  # for the sitemap
    in_sitemap: bool = True
    shows: tuple[Story, ...] = ()  # the stories whose views the page shows (to read them ahead)

    def context(self) -> dict[str, Any]:
        return self.make()


@dataclass(frozen=True)
class AliasTarget:
    """What an alias page (``alias.html``) redirects to."""

    title: str
    url: str  # root-relative, for the refresh and the link
    abs_url: str  # for the canonical link


@dataclass(frozen=True)
class ListView:
    kind: str  # home, tag or source
    title: str
    description: str
    url: str
    count: int
    feed_url: str | None = None  # this list's Atom feed
    first: DateView | None = None  # the oldest story's date
    last: DateView | None = None  # the newest story's date


class _Planner(DatesPlan):
    """Plans the pages its ``scope`` asks for (``scope.py``): every page, or
    those an edit reaches, given the digests of the last build brought up to
    date, without reading any other story."""

    def __init__(self, archive: Archive, config: SiteConfig, links: Links, strings: Strings, bodies, media,
                 related: dict[str, tuple[str, ...]], digests: dict[str, Digest] | None = None,
                 scope: Scope = EVERYTHING):  # fmt: skip
        self.archive = archive
        self.media = media  # generator.media.process.Media: the pictures of the archive's images
        self.related = related
        self.config = config
        self.links = links
        self.strings = strings
        self.scope = scope
        self.views = ViewBuilder(archive, config, links, strings, bodies, media)
        self.routes: list[Route] = []
        self.problems: list[Diagnostic] = []  # found while planning (an alias that is its page's own address)
        if digests is None:
            tag_names = {t.slug: t.name for t in archive.tags}
            source_names = {t.slug: t.name for t in archive.sources}
            digests = {s.url: story_digest(s, tag_names, source_names, archive.url_of, media.keys_of(s.rendered))
                       for s in archive.stories}  # fmt: skip
        self.digests = digests
        # The sitemap's last change of each story: a partial plan knows it only when stories moved.
        self.modified = {s.url: modified(s) for s in archive.stories} if scope.full else None
        if scope.moved is not None:
            self.modified = scope.moved.modified

    def lastmod(self, stories) -> datetime | None:
        """The newest date or update among ``stories``, for the sitemap."""
        return self._newest(map(_URL, stories))

    def _newest(self, urls) -> datetime | None:
        when = self.modified
        if when is None:
            return None
        return max(map(when.__getitem__, urls), default=None)

    def s(self, key: str, **values) -> str:
        return self.strings.plain(key, **values)

    def add(self, url, templates, kind, key_parts, make, origin=None, lastmod=None, in_sitemap=True, shows=()):
        """``make()`` returns ``(title, description, head, context)`` for the page; ``shows`` the stories it shows."""
        key = digest(repr((kind, key_parts)).encode())

        def context() -> dict[str, Any]:
            title, description, head, values = make()
            return {"site": self.views.site, "meta": page_meta(self, url, kind, title, description, head), **values}

        self.routes.append(Route(url, templates, kind, key, context, origin, lastmod, in_sitemap, shows))

    def add_list(self, kind, list_url, title, description, stories, templates, term=None, trail=(), feed=True):
        whole = (term.slug in self.scope.terms(kind)) if term is not None else kind == "home" and self.scope.dated()
        if not whole and self.scope.skip_stories(stories):
            return
        views, links, per_page = self.views, self.links, self.config.per_page
        feed_link = None
        if feed:
            feed_title = self.s("feed_title", site=self.config.title, name=title)
            feed_link = FeedLink(feed_title, links.href(list_url + "feed.xml"), ATOM_TYPE)
        term_key = (term.name, term.count, term.weight, term.description) if term else None
        lastmod = self.lastmod(stories)
        pages = paginate(stories, per_page, list_url, links.href)
        span = None  # the dates of the oldest and newest story, which every page shows
        for part in pages:
            number = part.pagination.number
            if not whole and self.scope.skip_stories(part.items):  # (an edit the quick way keeps every date)
                continue
            if span is None:
                span = tuple(repr(s.article.date) for s in (stories[-1], stories[0])) if stories else ()

            def make(part=part, number=number):
                story_views = tuple(views.story(s) for s in part.items)
                listing = ListView(kind, title, description, links.href(list_url), len(stories),
                                   feed_link.url if feed_link else None,
                                   views.story(stories[-1]).date if stories else None,
                                   views.story(stories[0]).date if stories else None)  # fmt: skip
                shown = title if number == 1 else self.s("title_page", title=title, number=number)
                page_trail = trail if number == 1 else (*trail, (self.s("page_n", number=number), part.url))
                head = Head(trail=page_trail, feed=feed_link, collection=True)
                context = {"list": listing, "term": term, "stories": story_views, "pagination": part.pagination,
                           "groups": month_groups(story_views, views, links)}  # fmt: skip
                return shown, description, head, context

            key = (title, description, len(stories), span, term_key, number, len(pages),
                   tuple(self.digests[s.url].card for s in part.items))  # fmt: skip
            ends = (stories[-1], stories[0]) if stories else ()
            self.add(part.url, templates, kind, key, make, lastmod=lastmod, shows=(*part.items, *ends))

    def plan(self) -> list[Route]:
        archive, config = self.archive, self.config
        self.add_list("home", "/", config.title, config.description, archive.stories, ("home.html", "list.html"),
                      feed=False)  # fmt: skip
        self.plan_stories()
        for item in archive.pages:
            if self.scope.skip((item.url,)):
                continue
            stamp = item.page.updated or item.page.date

            def make(item=item):
                view = self.views.page(item)
                head = Head(trail=((view.title, item.url),))
                return view.title, view.summary, head, {"doc": view, "body": self.views.body_of(item.rendered)}

            targets = tuple(self.archive.url_of[link.target] for link in item.rendered.links)
            key = (item.rendered.key, item.url, targets, self.media.keys_of(item.rendered))
            self.add(item.url, ("page.html",), "page", key, make,
                     origin=(item.page.file.rel, item.page.slug_at), lastmod=stamp.at if stamp else None)  # fmt: skip
        self.plan_terms("tag", "/tags/", self.s("tags"), archive.tags, self.views.tag)
        self.plan_terms("source", "/sources/", self.s("sources"), archive.sources, self.views.outlet)
        self.plan_dates()
        self.plan_aliases()
        full = self.scope.full  # the pages below show no story's digest
        if full:
            self.add("/404.html", ("404.html",), "404", (), lambda: (self.s("not_found"), "", Head(), {}),
                     in_sitemap=False)  # fmt: skip
        # it shows the tags, outlets and years and their counts
        if config.search and (full or self.scope.terms("tag") or self.scope.terms("source") or self.scope.dated()):
            head = Head(trail=((self.s("search"), "/search/"),))
            tags = tuple(sorted((self.views.tag(t) for t in archive.tags), key=lambda v: (v.name.casefold(), v.slug)))
            outlets = tuple(sorted((self.views.outlet(t) for t in archive.sources),
                                   key=lambda v: (v.name.casefold(), v.slug)))  # fmt: skip
            years = tuple((year.year, year.count) for year in archive.years)
            context = {"bundle": self.links.href("/pagefind/pagefind.js"), "tags": tags, "outlets": outlets,
                       "years": years}  # fmt: skip
            key = (tuple((t.name, t.count) for t in tags), tuple((o.name, o.count) for o in outlets), years)
            self.add("/search/", ("search.html",), "search", key,
                     lambda: (self.s("search"), "", head, context), in_sitemap=False)  # fmt: skip
        return self.routes

    def plan_stories(self):
        stories, views, digests = self.archive.stories, self.views, self.digests
        by_url = {s.url: s for s in stories}
        in_outlet = {s.url: (term.stories, i) for term in self.archive.sources for i, s in enumerate(term.stories)}
        near = self._near_changed(in_outlet)
        for index, story in enumerate(stories):
            newer = stories[index - 1] if index > 0 else None
            older = stories[index + 1] if index + 1 < len(stories) else None
            related_urls = self.related[story.url]
            shown = (story.url, *(s.url for s in (newer, older) if s), *related_urls)
            if near is not None and story.url not in near and not self.scope.story(story.url, shown):
                continue  # (no story it would show from its outlet changed: they need not be found)
            more = tuple(s for s in nearby(*in_outlet[story.url]) if s.url not in related_urls)
            if not self.scope.story(story.url, (*shown, *(s.url for s in more))):
                continue
            related = tuple(by_url[u] for u in related_urls)

            def make(story=story, newer=newer, older=older, related=related, more=more):
                view = views.story(story)
                canonical = story.article.source.url if story.article.syndicated else None
                year, month = view.date.year, view.date.month
                trail = ((str(year), period_url(year)), (views.month_name(year, month), period_url(year, month)),
                         (view.title, story.url))  # fmt: skip
                head = Head(trail=trail, story=view, canonical=canonical)
                context = {"story": view, "body": views.body_of(story.rendered),
                           "newer": views.story(newer) if newer else None,
                           "older": views.story(older) if older else None,
                           "related": tuple(views.story(s) for s in related),
                           "more_from": tuple(views.story(s) for s in more), "share": share_view(view),
                           "reading_minutes": reading_minutes(story.rendered.words)}  # fmt: skip
                return view.title, view.summary, head, context

            key = (digests[story.url].whole, digests[newer.url].card if newer else None,
                   digests[older.url].card if older else None, tuple(digests[s.url].card for s in related),
                   tuple(digests[s.url].card for s in more))  # fmt: skip
            self.add(story.url, ("article.html",), "article", key, make,
                     origin=(story.article.file.rel, story.article.slug_at), lastmod=modified(story),
                     shows=(story, *(s for s in (newer, older) if s), *related, *more))  # fmt: skip

    def plan_aliases(self):
        """A redirect page at each old address (``aliases:``) of a story or page: a refresh to
        its address and a canonical link, left out of the sitemap."""
        changed = self.scope.changed  # (in a partial plan, the other documents are not read)
        documents = chain(((s.url, s.article) for s in self.archive.stories if changed is None or s.url in changed),
                          ((p.url, p.page) for p in self.archive.pages if changed is None or p.url in changed))
        for url, doc in documents:
            if not doc.aliases:
                continue
            target = AliasTarget(doc.title, self.links.href(url), self.links.absolute(url))
            head = Head(canonical=target.abs_url)
            kind = "page" if isinstance(doc, Page) else "story"
            for alias in doc.aliases:
                if alias.path == url:
                    self.problems.append(error(doc.file.rel, alias.at.line, alias.at.col, "aliases",
                                               f"{alias.path!r} is the address of this {kind} itself"))
                    continue
                self.add(alias.path, ("alias.html",), "alias", (url, doc.title),
                         lambda target=target, head=head: (target.title, "", head, {"target": target}),
                         origin=(doc.file.rel, alias.at), in_sitemap=False)  # fmt: skip

    def _near_changed(self, in_outlet: dict) -> set[str] | None:
        """In a partial plan, the stories that may show a changed story as
        more from their outlet (``archive.nearby``: those near it in the
        outlet's list); None in a full plan, where every story is planned."""
        if self.scope.full:
            return None
        near = set()
        for url in self.scope.changed & in_outlet.keys():
            members, i = in_outlet[url]
            near.update(s.url for s in members[max(0, i - MORE_FROM) : i + MORE_FROM + 1])
        return near

    def plan_terms(self, kind: str, index_url: str, index_title: str, terms: tuple[Term, ...], make_view):
        views = [make_view(term) for term in terms]
        ordered = tuple(sorted(views, key=lambda v: (v.name.casefold(), v.slug)))
        head = Head(trail=((index_title, index_url),), collection=True)
        context = {f"{kind}s": ordered, "letters": _by_letter(ordered)}
        key = tuple((v.slug, v.name, v.count, v.weight, v.description) for v in ordered)
        if self.scope.full or self.scope.terms(kind):  # counts and names, no story's digest
            # Each story once, in the order of their first place (40,216 places at 10,000 stories: 24 -> 6 ms)
            urls = dict.fromkeys(map(_URL, chain.from_iterable(term.stories for term in terms)))
            self.add(index_url, (f"{kind}s.html",), f"{kind}s", key, lambda: (index_title, "", head, context),
                     lastmod=self._newest(urls))
        for term, view in zip(terms, views, strict=True):
            description = term.description or self.s(f"{kind}_description", name=term.name)
            url = f"{index_url}{term.slug}/"
            self.add_list(kind, url, term.name, description, term.stories, (f"{kind}.html", "list.html"),
                          view, trail=((index_title, index_url), (term.name, url)))  # fmt: skip

WORDS_A_MINUTE = 230  # an adult's silent reading of news prose, a common rule of thumb


def reading_minutes(words: int) -> int:
    """Minutes to read a story of ``words`` words, at least one."""
    return max(1, round(words / WORDS_A_MINUTE))


def _by_letter(terms) -> tuple[tuple[str, tuple], ...]:
    """Terms grouped under their first letter A–Z ('#' for anything else)."""
    groups: dict[str, list] = {}
    for term in terms:
        first = term.slug[:1].upper()
        groups.setdefault(first if "A" <= first <= "Z" else "#", []).append(term)
    return tuple((letter, tuple(groups[letter])) for letter in sorted(groups, key=lambda k: (k == "#", k)))


def plan(archive: Archive, config: SiteConfig, links: Links, strings: Strings, bodies, media,
         related: dict[str, tuple[str, ...]]):  # fmt: skip
    """Every route, the problems found (URL collisions), and each story's
    digest. ``related`` is :func:`generator.plan.related.related_urls` of the archive."""
    planner = _Planner(archive, config, links, strings, bodies, media, related)
    routes = planner.plan()
    return routes, planner.problems + _collisions(routes), planner.digests


def plan_changed(archive: Archive, config: SiteConfig, links: Links, strings: Strings, bodies, media,
                 related: dict[str, tuple[str, ...]], digests: dict[str, Digest],
                 scope: Scope) -> list[Route]:  # fmt: skip
    """The routes ``scope`` asks for (see ``scope.py``): ``digests`` are the
    last build's, with the changed stories' new digests."""
    return _Planner(archive, config, links, strings, bodies, media, related, digests, scope).plan()


def _collisions(routes: list[Route]) -> list[Diagnostic]:
    """A content page whose URL a generated page (or another file) also has."""
    diagnostics = []
    owners: dict[str, Route] = {}
    for route in routes:
        first = owners.setdefault(route.url, route)
        if first is route:
            continue
        for mine, other in ((route, first), (first, route)):
            if mine.origin is None:
                continue
            rel, at = mine.origin
            what = other.origin[0] if other.origin else f"the {other.kind} page"
            diagnostics.append(error(rel, at.line, at.col, at.field, f"URL {route.url} is also used by {what}"))
    return diagnostics
