"""Plan every page of the site: URL, templates to try, and the view it gets.

Planning happens before anything is rendered, so a story whose URL would
overwrite a generated page (``slug: tags`` as a standalone page) is reported
with its file and line before any work is wasted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from markupsafe import Markup

from generator.config import SiteConfig
from generator.content.archive import Archive, Term
from generator.content.model import Where
from generator.diagnostics import Diagnostic, error
from generator.feeds import ATOM_TYPE, FeedLink, modified
from generator.pagination import paginate
from generator.structured import breadcrumb_list, collection_page, news_article, script_json
from generator.urls import Links
from generator.views import Link, MonthView, StoryView, ViewBuilder, YearView, month_name


@dataclass(frozen=True)
class Meta:
    """What every template gets as ``meta``: the page's identity and head tags."""

    kind: str  # home, article, page, tag, source, tags, sources, year, month, 404
    title: str
    description: str
    url: str
    abs_url: str
    canonical: str  # abs_url, or the original's URL for a syndicated copy
    og_type: str  # "article" or "website"
    image: str | None  # absolute URL
    image_alt: str
    published: str | None  # ISO 8601, articles only
    modified: str | None
    tags: tuple[str, ...]
    feeds: tuple[FeedLink, ...]  # for <link rel="alternate">: the page's own feed first, then the site's
    breadcrumbs: tuple[Link, ...]  # Home first, this page last
    jsonld: Markup  # JSON for <script type="application/ld+json">, safe to embed


@dataclass(frozen=True)
class Route:
    url: str  # site-internal path, e.g. "/tags/ai/page/2/"
    templates: tuple[str, ...]  # the first that the theme has is used
    context: dict[str, Any]
    origin: tuple[str, Where] | None = None  # the content file behind it
    lastmod: datetime | None = None  # for the sitemap
    in_sitemap: bool = True


@dataclass(frozen=True)
class ListView:
    kind: str  # home, tag or source
    title: str
    description: str
    url: str
    count: int
    feed_url: str | None = None  # this list's Atom feed


@dataclass
class _Head:
    """Optional head details for one page."""

    trail: tuple[tuple[str, str], ...] = ()  # (name, site-internal URL) after Home
    story: StoryView | None = None
    canonical: str | None = None
    feed: FeedLink | None = None
    collection: bool = False


def _lastmod(stories) -> datetime | None:
    return max((modified(s) for s in stories), default=None)


class _Planner:
    def __init__(self, archive: Archive, config: SiteConfig, links: Links):
        self.archive = archive
        self.config = config
        self.links = links
        self.views = ViewBuilder(archive, config, links)
        self.routes: list[Route] = []

    def add(self, url, templates, kind, title, description="", head: _Head | None = None, origin=None,
            lastmod=None, in_sitemap=True, **context):  # fmt: skip
        head = head or _Head()
        links, site = self.links, self.views.site
        abs_url = links.absolute(url)
        description = description or self.config.description
        trail = (("Home", "/"), *head.trail) if kind != "home" else (("Home", "/"),)
        crumbs = tuple(Link(name, links.href(path)) for name, path in trail)
        jsonld: list[dict] = []
        story = head.story
        if story is not None:
            jsonld.append(news_article(story, site, site.abs_url))
        elif head.collection:
            jsonld.append(collection_page(title, abs_url, description, site, site.abs_url))
        if len(trail) > 1:
            jsonld.append(breadcrumb_list(tuple(Link(n, p) for n, p in trail), links.absolute))
        meta = Meta(
            kind=kind,
            title=title,
            description=description,
            url=links.href(url),
            abs_url=abs_url,
            canonical=head.canonical or abs_url,
            og_type="article" if story else "website",
            image=story.image.abs_src if story and story.image else None,
            image_alt=story.image.alt if story and story.image else "",
            published=story.date.full if story else None,
            modified=story.modified.full if story else None,
            tags=tuple(tag.name for tag in story.tags) if story else (),
            feeds=((head.feed,) if head.feed else ()) + site.feeds,
            breadcrumbs=crumbs,
            jsonld=script_json(jsonld[0] if len(jsonld) == 1 else jsonld) if jsonld else Markup(""),
        )
        context = {"site": site, "meta": meta, **context}
        self.routes.append(Route(url, templates, context, origin, lastmod, in_sitemap))

    def add_list(self, kind, list_url, title, description, stories, templates, term=None, trail=(), feed=True):
        views, links = self.views, self.links
        story_views = [views.story(s) for s in stories]
        feed_link = None
        if feed:
            feed_link = FeedLink(f"{self.config.title}: {title} (Atom)", links.href(list_url + "feed.xml"), ATOM_TYPE)
        listing = ListView(kind, title, description, links.href(list_url), len(stories),
                           feed_link.url if feed_link else None)  # fmt: skip
        lastmod = _lastmod(stories)
        for part in paginate(story_views, self.config.per_page, list_url, links.href):
            number = part.pagination.number
            shown = title if number == 1 else f"{title} (page {number})"
            page_trail = trail if number == 1 else (*trail, (f"Page {number}", part.url))
            head = _Head(trail=page_trail, feed=feed_link, collection=True)
            self.add(part.url, templates, kind, shown, description, head, lastmod=lastmod, list=listing,
                     term=term, stories=part.items, pagination=part.pagination)  # fmt: skip

    def plan(self) -> list[Route]:
        archive, config, views = self.archive, self.config, self.views
        self.add_list("home", "/", config.title, config.description, archive.stories, ("home.html", "list.html"),
                      feed=False)  # fmt: skip
        self.plan_stories()
        for item in archive.pages:
            view = views.page(item)
            page = item.page
            stamp = page.updated or page.date
            self.add(item.url, ("page.html",), "page", view.title, view.summary, _Head(trail=((view.title, item.url),)),
                     origin=(page.file.rel, page.slug_at), lastmod=stamp.at if stamp else None,
                     doc=view, body=views.body(item.rendered.html))  # fmt: skip
        self.plan_terms("tag", "/tags/", "Tags", archive.tags, views.tag)
        self.plan_terms("source", "/sources/", "Sources", archive.sources, views.outlet)
        self.plan_dates()
        self.add("/404.html", ("404.html",), "404", "Page not found", in_sitemap=False)
        return self.routes

    def plan_stories(self):
        stories, views = self.archive.stories, self.views
        for index, story in enumerate(stories):
            view = views.story(story)
            newer = views.story(stories[index - 1]) if index > 0 else None
            older = views.story(stories[index + 1]) if index + 1 < len(stories) else None
            article = story.article
            canonical = article.source.url if article.syndicated else None
            year, month = view.date.year, view.date.month
            trail = ((str(year), f"/{year:04d}/"), (month_name(year, month), f"/{year:04d}/{month:02d}/"),
                     (view.title, story.url))  # fmt: skip
            head = _Head(trail=trail, story=view, canonical=canonical)
            self.add(story.url, ("article.html",), "article", view.title, view.summary, head,
                     origin=(article.file.rel, article.slug_at), lastmod=modified(story),
                     story=view, body=views.body(story.rendered.html), newer=newer, older=older)  # fmt: skip

    def plan_terms(self, kind: str, index_url: str, index_title: str, terms: tuple[Term, ...], make_view):
        ordered = [make_view(term) for term in sorted(terms, key=lambda t: (t.name.casefold(), t.slug))]
        all_stories = [s for term in terms for s in term.stories]
        head = _Head(trail=((index_title, index_url),), collection=True)
        self.add(index_url, (f"{kind}s.html",), f"{kind}s", index_title, head=head, lastmod=_lastmod(all_stories),
                 **{f"{kind}s": tuple(ordered)})  # fmt: skip
        for term in terms:
            if kind == "tag":
                description = term.description or f"Stories tagged {term.name}"
            else:
                description = f"Stories originally reported by {term.name}"
            url = f"{index_url}{term.slug}/"
            self.add_list(kind, url, term.name, description, term.stories, (f"{kind}.html", "list.html"),
                          make_view(term), trail=((index_title, index_url), (term.name, url)))  # fmt: skip

    def plan_dates(self):
        links, views = self.links, self.views
        year_views = []
        for year in self.archive.years:
            months = tuple(
                MonthView(m.year, m.month, month_name(m.year, m.month), links.href(f"/{m.year:04d}/{m.month:02d}/"),
                          len(m.stories), tuple(views.story(s) for s in m.stories))  # fmt: skip
                for m in year.months
            )
            year_views.append(YearView(year.year, links.href(f"/{year.year:04d}/"), year.count, months))
        by_year = {year.year: year for year in self.archive.years}
        for index, year in enumerate(year_views):
            newer = year_views[index - 1] if index > 0 else None
            older = year_views[index + 1] if index + 1 < len(year_views) else None
            year_url = f"/{year.year:04d}/"
            year_stories = [s for m in by_year[year.year].months for s in m.stories]
            head = _Head(trail=((str(year.year), year_url),), collection=True)
            self.add(year_url, ("year.html",), "year", str(year.year), f"Stories archived from {year.year}", head,
                     lastmod=_lastmod(year_stories), year=year, newer=newer, older=older)  # fmt: skip
            for month, source in zip(year.months, by_year[year.year].months, strict=True):
                month_url = f"/{month.year:04d}/{month.month:02d}/"
                head = _Head(trail=((str(year.year), year_url), (month.name, month_url)), collection=True)
                self.add(month_url, ("month.html",), "month", month.name, f"Stories archived from {month.name}",
                         head, lastmod=_lastmod(source.stories), month=month, year=year)  # fmt: skip


def plan(archive: Archive, config: SiteConfig, links: Links) -> tuple[list[Route], list[Diagnostic]]:
    routes = _Planner(archive, config, links).plan()
    return routes, _collisions(routes)


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
            what = other.origin[0] if other.origin else f"the {other.context['meta'].kind} page"
            diagnostics.append(error(rel, at.line, at.col, at.field, f"URL {route.url} is also used by {what}"))
    return diagnostics
