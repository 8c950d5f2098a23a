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

from generator.charts import Bar, Chart
from generator.config import SiteConfig
from generator.content.archive import Archive, Term, Year
from generator.content.model import Where
from generator.diagnostics import Diagnostic, error
from generator.feeds import ATOM_TYPE, FeedLink, modified
from generator.pagination import paginate
from generator.related import related_stories
from generator.strings import Strings
from generator.structured import breadcrumb_list, collection_page, news_article, script_json
from generator.urls import Links
from generator.views import DateView, Link, MonthView, StoryView, ViewBuilder, YearView


@dataclass(frozen=True)
class Meta:
    """What every template gets as ``meta``: the page's identity and head tags."""

    kind: str  # home, article, page, tag, source, tags, sources, archive, year, month, 404
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
    first: DateView | None = None  # the oldest story's date
    last: DateView | None = None  # the newest story's date


@dataclass(frozen=True)
class MonthGroup:
    """Stories of one list page that fall in the same month."""

    name: str
    url: str
    stories: tuple[StoryView, ...]


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


def month_groups(stories: tuple[StoryView, ...], views: ViewBuilder, links: Links) -> tuple[MonthGroup, ...]:
    groups: list[MonthGroup] = []
    for view in stories:
        year, month = view.date.year, view.date.month
        name = views.month_name(year, month)
        if groups and groups[-1].name == name:
            groups[-1] = MonthGroup(name, groups[-1].url, groups[-1].stories + (view,))
        else:
            groups.append(MonthGroup(name, links.href(f"/{year:04d}/{month:02d}/"), (view,)))
    return tuple(groups)


class _Planner:
    def __init__(self, archive: Archive, config: SiteConfig, links: Links, strings: Strings):
        self.archive = archive
        self.config = config
        self.links = links
        self.strings = strings
        self.views = ViewBuilder(archive, config, links, strings)
        self.routes: list[Route] = []

    def s(self, key: str, **values) -> str:
        return self.strings.plain(key, **values)

    def add(self, url, templates, kind, title, description="", head: _Head | None = None, origin=None,
            lastmod=None, in_sitemap=True, **context):  # fmt: skip
        head = head or _Head()
        links, site = self.links, self.views.site
        abs_url = links.absolute(url)
        description = description or self.config.description
        home = (self.s("home"), "/")
        trail = (home, *head.trail) if kind != "home" else (home,)
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
            feed_title = self.s("feed_title", site=self.config.title, name=title)
            feed_link = FeedLink(feed_title, links.href(list_url + "feed.xml"), ATOM_TYPE)
        listing = ListView(kind, title, description, links.href(list_url), len(stories),
                           feed_link.url if feed_link else None,
                           story_views[-1].date if story_views else None,
                           story_views[0].date if story_views else None)  # fmt: skip
        lastmod = _lastmod(stories)
        for part in paginate(story_views, self.config.per_page, list_url, links.href):
            number = part.pagination.number
            shown = title if number == 1 else self.s("title_page", title=title, number=number)
            page_trail = trail if number == 1 else (*trail, (self.s("page_n", number=number), part.url))
            head = _Head(trail=page_trail, feed=feed_link, collection=True)
            self.add(part.url, templates, kind, shown, description, head, lastmod=lastmod, list=listing,
                     term=term, stories=part.items, groups=month_groups(part.items, views, links),
                     pagination=part.pagination)  # fmt: skip

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
        self.plan_terms("tag", "/tags/", self.s("tags"), archive.tags, views.tag)
        self.plan_terms("source", "/sources/", self.s("sources"), archive.sources, views.outlet)
        self.plan_dates()
        self.add("/404.html", ("404.html",), "404", self.s("not_found"), in_sitemap=False)
        return self.routes

    def plan_stories(self):
        stories, views = self.archive.stories, self.views
        related = related_stories(self.archive)
        for index, story in enumerate(stories):
            view = views.story(story)
            newer = views.story(stories[index - 1]) if index > 0 else None
            older = views.story(stories[index + 1]) if index + 1 < len(stories) else None
            article = story.article
            canonical = article.source.url if article.syndicated else None
            year, month = view.date.year, view.date.month
            trail = ((str(year), f"/{year:04d}/"), (views.month_name(year, month), f"/{year:04d}/{month:02d}/"),
                     (view.title, story.url))  # fmt: skip
            head = _Head(trail=trail, story=view, canonical=canonical)
            self.add(story.url, ("article.html",), "article", view.title, view.summary, head,
                     origin=(article.file.rel, article.slug_at), lastmod=modified(story),
                     story=view, body=views.body(story.rendered.html), newer=newer, older=older,
                     related=tuple(views.story(s) for s in related[story.url]))  # fmt: skip

    def plan_terms(self, kind: str, index_url: str, index_title: str, terms: tuple[Term, ...], make_view):
        ordered = [make_view(term) for term in sorted(terms, key=lambda t: (t.name.casefold(), t.slug))]
        all_stories = [s for term in terms for s in term.stories]
        head = _Head(trail=((index_title, index_url),), collection=True)
        self.add(index_url, (f"{kind}s.html",), f"{kind}s", index_title, head=head, lastmod=_lastmod(all_stories),
                 **{f"{kind}s": tuple(ordered)}, letters=_by_letter(ordered))  # fmt: skip
        for term in terms:
            if kind == "tag":
                description = term.description or self.s("tag_description", name=term.name)
            else:
                description = self.s("source_description", name=term.name)
            url = f"{index_url}{term.slug}/"
            self.add_list(kind, url, term.name, description, term.stories, (f"{kind}.html", "list.html"),
                          make_view(term), trail=((index_title, index_url), (term.name, url)))  # fmt: skip

    def month_view(self, month) -> MonthView:
        views, links = self.views, self.links
        return MonthView(month.year, month.month, views.month_name(month.year, month.month),
                         links.href(f"/{month.year:04d}/{month.month:02d}/"), len(month.stories),
                         tuple(views.story(s) for s in month.stories))  # fmt: skip

    def chart(self, chart_id: str, title: str, years: tuple[Year, ...], every_month_label: bool) -> Chart:
        """Bars for every month from the oldest to the newest of ``years``, oldest first."""
        counts = {(m.year, m.month): len(m.stories) for y in years for m in y.months}
        bars = []
        if counts:
            (y0, m0), (y1, m1) = min(counts), max(counts)
            if every_month_label:
                m0, m1 = 1, 12
            for index in range(y0 * 12 + m0 - 1, y1 * 12 + m1):
                year, month = divmod(index, 12)
                month += 1
                name = self.views.month_name(year, month)
                count = counts.get((year, month), 0)
                url = self.links.href(f"/{year:04d}/{month:02d}/") if count else None
                if every_month_label:
                    short = self.strings.months()[month - 1][:3]
                else:
                    short = str(year) if month == 1 or not bars else ""
                stories = self.strings.count("stories", count)
                bars.append(Bar(name, short, count, url, self.s("chart_bar", month=name, stories=stories)))
        stories = self.strings.count("stories", sum(counts.values()))
        description = self.s("chart_description", stories=stories, months=len(bars))
        return Chart(chart_id, title, description, tuple(bars))

    def plan_dates(self):
        links, archive = self.links, self.archive
        year_views = [
            YearView(y.year, links.href(f"/{y.year:04d}/"), y.count, tuple(self.month_view(m) for m in y.months))
            for y in archive.years
        ]
        title = self.s("archive")
        head = _Head(trail=((title, "/archive/"),), collection=True)
        chart = self.chart("chart-all", self.s("chart_title_all"), archive.years, every_month_label=False)
        self.add("/archive/", ("archive.html",), "archive", title, self.s("archive_description"), head,
                 lastmod=_lastmod(archive.stories), years=tuple(year_views), chart=chart)  # fmt: skip
        for index, (year, source) in enumerate(zip(year_views, archive.years, strict=True)):
            newer = year_views[index - 1] if index > 0 else None
            older = year_views[index + 1] if index + 1 < len(year_views) else None
            year_url = f"/{year.year:04d}/"
            year_stories = [s for m in source.months for s in m.stories]
            head = _Head(trail=((str(year.year), year_url),), collection=True)
            chart = self.chart(f"chart-{year.year}", self.s("chart_title_year", year=year.year), (source,), True)
            self.add(year_url, ("year.html",), "year", str(year.year), self.s("period_description", period=year.year),
                     head, lastmod=_lastmod(year_stories), year=year, newer=newer, older=older,
                     chart=chart)  # fmt: skip
            for month, month_source in zip(year.months, source.months, strict=True):
                month_url = f"/{month.year:04d}/{month.month:02d}/"
                head = _Head(trail=((str(year.year), year_url), (month.name, month_url)), collection=True)
                self.add(month_url, ("month.html",), "month", month.name,
                         self.s("period_description", period=month.name), head,
                         lastmod=_lastmod(month_source.stories), month=month, year=year,
                         groups=month_groups(month.stories, self.views, links))  # fmt: skip


def _by_letter(terms) -> tuple[tuple[str, tuple], ...]:
    """Terms grouped under their first letter A–Z ('#' for anything else)."""
    groups: dict[str, list] = {}
    for term in terms:
        first = term.slug[:1].upper()
        groups.setdefault(first if "A" <= first <= "Z" else "#", []).append(term)
    return tuple((letter, tuple(groups[letter])) for letter in sorted(groups, key=lambda k: (k == "#", k)))


def plan(archive: Archive, config: SiteConfig, links: Links, strings: Strings) -> tuple[list[Route], list[Diagnostic]]:
    routes = _Planner(archive, config, links, strings).plan()
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
