"""Plan every page of the site: URL, templates to try, and the view it gets.

Planning happens before anything is rendered, so a story whose URL would
overwrite a generated page (``slug: tags`` as a standalone page) is reported
with its file and line before any work is wasted.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from generator.config import SiteConfig
from generator.content.archive import Archive, Term
from generator.content.model import Where
from generator.diagnostics import Diagnostic, error
from generator.pagination import paginate
from generator.urls import Links
from generator.views import MonthView, ViewBuilder, YearView, month_name


@dataclass(frozen=True)
class Meta:
    """What every template gets as ``meta``: the page's own identity."""

    kind: str  # home, article, page, tag, source, tags, sources, year, month, 404
    title: str
    description: str
    url: str
    abs_url: str


@dataclass(frozen=True)
class Route:
    url: str  # site-internal path, e.g. "/tags/ai/page/2/"
    templates: tuple[str, ...]  # the first that the theme has is used
    context: dict[str, Any]
    origin: tuple[str, Where] | None = None  # the content file behind it


@dataclass(frozen=True)
class ListView:
    kind: str  # home, tag or source
    title: str
    description: str
    url: str
    count: int


def plan(archive: Archive, config: SiteConfig, links: Links) -> tuple[list[Route], list[Diagnostic]]:
    views = ViewBuilder(archive, config, links)
    routes: list[Route] = []

    def add(url, templates, kind, title, description="", origin=None, **context):
        meta = Meta(kind, title, description or config.description, links.href(url), links.absolute(url))
        routes.append(Route(url, templates, {"site": views.site, "meta": meta, **context}, origin))

    def add_list(kind, list_url, title, description, stories, templates, term=None):
        story_views = [views.story(s) for s in stories]
        listing = ListView(kind, title, description, links.href(list_url), len(stories))
        for part in paginate(story_views, config.per_page, list_url, links.href):
            shown = title if part.pagination.number == 1 else f"{title} (page {part.pagination.number})"
            add(part.url, templates, kind, shown, description, list=listing, term=term,
                stories=part.items, pagination=part.pagination)  # fmt: skip

    add_list("home", "/", config.title, config.description, archive.stories, ("home.html", "list.html"))

    for index, story in enumerate(archive.stories):
        view = views.story(story)
        newer = views.story(archive.stories[index - 1]) if index > 0 else None
        older = views.story(archive.stories[index + 1]) if index + 1 < len(archive.stories) else None
        add(story.url, ("article.html",), "article", view.title, view.summary,
            origin=(story.article.file.rel, story.article.slug_at),
            story=view, body=views.body(story.rendered.html), newer=newer, older=older)  # fmt: skip

    for item in archive.pages:
        view = views.page(item)
        add(item.url, ("page.html",), "page", view.title, view.summary,
            origin=(item.page.file.rel, item.page.slug_at), doc=view, body=views.body(item.rendered.html))  # fmt: skip

    def by_name(term: Term):
        return (term.name.casefold(), term.slug)

    tag_views = [views.tag(term) for term in sorted(archive.tags, key=by_name)]
    add("/tags/", ("tags.html",), "tags", "Tags", tags=tuple(tag_views))
    for term in archive.tags:
        description = term.description or f"Stories tagged {term.name}"
        add_list("tag", f"/tags/{term.slug}/", term.name, description, term.stories,
                 ("tag.html", "list.html"), views.tag(term))  # fmt: skip

    source_views = [views.outlet(term) for term in sorted(archive.sources, key=by_name)]
    add("/sources/", ("sources.html",), "sources", "Sources", sources=tuple(source_views))
    for term in archive.sources:
        add_list("source", f"/sources/{term.slug}/", term.name, f"Stories originally reported by {term.name}",
                 term.stories, ("source.html", "list.html"), views.outlet(term))  # fmt: skip

    year_views = []
    for year in archive.years:
        months = tuple(
            MonthView(
                m.year,
                m.month,
                month_name(m.year, m.month),
                links.href(f"/{m.year:04d}/{m.month:02d}/"),
                len(m.stories),
                tuple(views.story(s) for s in m.stories),
            )  # fmt: skip
            for m in year.months
        )
        year_views.append(YearView(year.year, links.href(f"/{year.year:04d}/"), year.count, months))
    for index, year in enumerate(year_views):
        newer = year_views[index - 1] if index > 0 else None
        older = year_views[index + 1] if index + 1 < len(year_views) else None
        add(f"/{year.year:04d}/", ("year.html",), "year", str(year.year), f"Stories archived from {year.year}",
            year=year, newer=newer, older=older)  # fmt: skip
        for month in year.months:
            add(f"/{month.year:04d}/{month.month:02d}/", ("month.html",), "month", month.name,
                f"Stories archived from {month.name}", month=month, year=year)  # fmt: skip

    add("/404.html", ("404.html",), "404", "Page not found")
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
