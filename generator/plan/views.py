"""What templates see: small, documented records, never the domain objects.

Every ``url`` here is a finished link (base path included), every text a
plain string that the template autoescapes; only ``body`` is ``Markup``
(it was rendered by our own Markdown stage, raw HTML off unless allowed).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from urllib.parse import quote

from markupsafe import Markup, escape

from generator import __version__
from generator.config.site import SiteConfig
from generator.content.archive import Archive, Standalone, Story, Term
from generator.content.markdown.convert import finished_body
from generator.content.model import Stamp
from generator.media.process import default_image
from generator.plan.feeds import site_feed_links
from generator.plan.pictures import ImageView, Pictures
from generator.plan.policy import REFERRER, content_policy
from generator.theme.strings import Strings
from generator.util.urls import Links


@dataclass(frozen=True)
class DateView:
    iso: str  # ISO 8601 as precise as written (a day, or a date-time), for <time datetime>
    full: str  # ISO 8601 date-time with offset (a day means its midnight), for metadata
    text: str  # "26 July 2023" or "26 July 2023, 09:30"
    year: int
    month: int
    day: int


@dataclass(frozen=True)
class Link:
    name: str
    url: str


@dataclass(frozen=True)
class TagView:
    name: str
    slug: str
    url: str
    count: int = 0
    description: str = ""
    weight: int = 1  # 1 to 5, by how many stories the term has (log scale), for a weighted index


@dataclass(frozen=True)
class SourceView:
    name: str  # the outlet
    url: str  # the original story
    outlet_url: str  # this archive's page of the outlet
    authors: tuple[str, ...]
    published: DateView | None
    archived: str | None


@dataclass(frozen=True)
class StoryView:
    title: str
    url: str
    abs_url: str
    date: DateView
    updated: DateView | None
    modified: DateView  # the later of date and updated
    summary: str  # plain text: the front matter's summary, else the body's first paragraph
    dek: str  # the front matter's summary only ("" when none), to show above the body
    source: SourceView
    tags: tuple[TagView, ...]
    credits: tuple[str, ...]
    image: ImageView | None
    extra: dict


@dataclass(frozen=True)
class ShareView:
    """Plain share addresses of a story: no script from another host."""

    email: Markup  # a mailto: link with the title and the story's address
    networks: tuple[Link, ...]  # (name, share address), in the order shown


# Networks with a share address that takes the story's address and title.
NETWORKS = (
    ("Bluesky", "https://bsky.app/intent/compose?text={title}%20{url}"),
    ("LinkedIn", "https://www.linkedin.com/sharing/share-offsite/?url={url}"),
    ("Facebook", "https://www.facebook.com/sharer/sharer.php?u={url}"),
    ("X", "https://x.com/intent/post?url={url}&text={title}"),
    ("Reddit", "https://www.reddit.com/submit?url={url}&title={title}"),
    ("WhatsApp", "https://wa.me/?text={title}%20{url}"),
)


def share_view(story: StoryView) -> ShareView:
    url, title = quote(story.abs_url, safe="/"), quote(story.title, safe="/")
    return ShareView(
        email=Markup(escape(f"mailto:?subject={title}&body={url}")),
        networks=tuple(Link(name, Markup(escape(form.format(url=url, title=title)))) for name, form in NETWORKS),
    )


@dataclass(frozen=True)
class PageView:
    title: str
    url: str
    abs_url: str
    summary: str
    date: DateView | None
    updated: DateView | None
    extra: dict


@dataclass(frozen=True)
class Pagination:
    number: int
    total: int
    first_url: str
    prev_url: str | None
    next_url: str | None
    urls: tuple[str, ...]  # every page of the list, in order
    window: tuple[tuple[int, str] | None, ...]  # pages to link: first, last, two either side; None marks a gap
    last_url: str


@dataclass(frozen=True)
class SiteView:
    title: str
    description: str
    language: str
    base_url: str
    url: str  # the home page
    tags_url: str
    sources_url: str
    archive_url: str
    search_url: str | None  # None when search is off
    pages: tuple[Link, ...]  # standalone pages, for navigation
    feeds: tuple  # FeedLink of the site's Atom and JSON feeds
    abs_url: str  # the home page, absolute
    generator: str
    csp: str  # the Content-Security-Policy of every page (generator/plan/policy.py)
    csp_search: str  # the search page's: with Pagefind's WebAssembly
    referrer: str  # the referrer policy


@dataclass(frozen=True)
class MonthView:
    year: int
    month: int
    name: str  # "July 2023"
    url: str
    count: int
    stories: tuple[StoryView, ...]


@dataclass(frozen=True)
class YearRef:
    """A year as a link: for navigation between years."""

    year: int
    url: str
    count: int


@dataclass(frozen=True)
class YearView:
    year: int
    url: str
    count: int
    months: tuple[MonthView, ...]


class _DateTexts:
    """Date views, with the text of a day and of a time of day each made once
    (stories share them: the benchmark's 10,000 stories have 7,271 days and
    1,438 times of day). Each render worker builds the views of nearly every
    story, so a view's cost counts twice on two cores."""

    def __init__(self, config: SiteConfig, strings: Strings):
        self.tz, self.strings = config.tzinfo, strings
        self._days: dict[tuple[int, int, int], str] = {}
        self._times: dict[tuple[int, int], str] = {}

    def view(self, stamp: Stamp) -> DateView:
        local = stamp.at.astimezone(self.tz) if stamp.has_time else stamp.at
        full = local.isoformat()
        year, month, day = local.year, local.month, local.day
        text = self._days.get((year, month, day))
        if text is None:
            text = self._days[year, month, day] = self.strings.format_date(day, month, year)
        if not stamp.has_time:
            return DateView(full[:10], full, text, year, month, day)
        time = self._times.get((local.hour, local.minute))
        if time is None:
            time = self._times[local.hour, local.minute] = self.strings.format_time(local.hour, local.minute)
        return DateView(full, full, self.strings.join_date_time(text, time), year, month, day)


def weight(count: int, largest: int) -> int:
    """1 to 5 on a log scale, so a tag index can show the big tags larger."""
    if largest <= 1:
        return 1
    return 1 + round(4 * math.log(count) / math.log(largest))


class ViewBuilder:
    """Builds each view once; list pages share the story views."""

    def __init__(self, archive: Archive, config: SiteConfig, links: Links, strings: Strings, bodies, media):
        self.bodies = bodies  # BodyReader: key -> HTML
        self.pictures = Pictures(media, links, config.images.sizes, default_image(config))  # media: media.process.Media
        self.url_of = archive.url_of
        self.config = config
        self.links = links
        self.strings = strings
        self.largest = max((len(t.stories) for t in archive.tags), default=1)
        self.tag_terms = {term.slug: term for term in archive.tags}
        self.source_terms = {term.slug: term for term in archive.sources}
        self._stories: dict[str, StoryView] = {}
        self._months: dict[tuple[int, int], str] = {}
        self._tag_links: dict[str, TagView] = {}
        self._dates = _DateTexts(config, strings)
        self.site = SiteView(
            title=config.title,
            description=config.description,
            language=config.language,
            base_url=config.base_url,
            url=links.href("/"),
            tags_url=links.href("/tags/"),
            sources_url=links.href("/sources/"),
            archive_url=links.href("/archive/"),
            search_url=links.href("/search/") if config.search else None,
            pages=tuple(Link(p.page.title, links.href(p.url)) for p in archive.pages),
            feeds=site_feed_links(links, config.title),
            abs_url=links.absolute("/"),
            generator=f"ssg {__version__}",
            csp=Markup(content_policy(config)),  # (made of constants: no quote needs escaping)
            csp_search=Markup(content_policy(config, search_page=True)),
            referrer=REFERRER,
        )

    def date(self, stamp: Stamp) -> DateView:
        return self._dates.view(stamp)

    def month_name(self, year: int, month: int) -> str:
        """"July 2023" in the site's language; asked for each story on each list page."""
        name = self._months.get((year, month))
        if name is None:
            name = self._months[year, month] = self.strings.month_name(month, year)
        return name

    def tag(self, term: Term) -> TagView:
        url = self.links.href(f"/tags/{term.slug}/")
        count = len(term.stories)
        return TagView(term.name, term.slug, url, count, term.description, weight(count, self.largest))

    def tag_link(self, term: Term) -> TagView:
        """A story's tag: name, slug and url only (counts would tie every story to every other);
        one view a tag, shared by its stories."""
        view = self._tag_links.get(term.slug)
        if view is None:
            view = self._tag_links[term.slug] = TagView(term.name, term.slug, self.links.href(f"/tags/{term.slug}/"))
        return view

    def outlet(self, term: Term) -> TagView:
        url = self.links.href(f"/sources/{term.slug}/")
        return TagView(term.name, term.slug, url, len(term.stories), term.description)

    def story(self, story: Story) -> StoryView:
        cached = self._stories.get(story.url)
        if cached is not None:
            return cached
        article = story.article
        source = article.source
        image = self.pictures.lead(article.image, story.url) if article.image is not None else None
        date = self.date(article.date)
        updated = self.date(article.updated) if article.updated else None
        view = StoryView(
            title=article.title,
            url=self.links.href(story.url),
            abs_url=self.links.absolute(story.url),
            date=date,
            updated=updated,
            modified=updated if updated and article.updated.at > article.date.at else date,
            summary=story.rendered.summary,
            dek=(article.summary or "").strip(),
            source=SourceView(
                name=self.source_terms[source.slug].name if source.slug in self.source_terms else source.name,
                url=source.url,
                outlet_url=self.links.href(f"/sources/{source.slug}/"),
                authors=source.authors,
                published=self.date(source.published) if source.published else None,
                archived=source.archived,
            ),
            tags=tuple(self.tag_link(self.tag_terms[slug]) for slug in story.tags),
            credits=article.credits,
            image=image,
            extra=dict(article.extra),
        )
        self._stories[story.url] = view
        return view

    def page(self, item: Standalone) -> PageView:
        page = item.page
        return PageView(
            title=page.title,
            url=self.links.href(item.url),
            abs_url=self.links.absolute(item.url),
            summary=item.rendered.summary,
            date=self.date(page.date) if page.date else None,
            updated=self.date(page.updated) if page.updated else None,
            extra=dict(page.extra),
        )

    def body_of(self, rendered) -> Markup:
        """The rendered body of a story or page, read from the body store,
        with links to other stories by file path pointing at their pages."""
        return Markup(self.body_html(rendered))

    def body_html(self, rendered) -> str:
        url = self.url_of[rendered.doc.file.rel]
        return finished_body(self.bodies, rendered, lambda rel: self.links.href(self.url_of[rel]),
                             self.pictures.in_body(url))  # fmt: skip
