"""A page's head: what every template gets as ``meta`` (title, description,
canonical URL, Open Graph and feed links, breadcrumbs, JSON-LD)."""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from generator.plan.feeds import FeedLink
from generator.plan.pictures import ImageView
from generator.plan.structured import breadcrumb_list, collection_page, news_article, script_json
from generator.plan.views import Link, StoryView


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
    image: str | None  # absolute URL of the share image: the lead photo's card, else the site's default
    image_alt: str
    image_width: int | None  # None when not known (a remote image)
    image_height: int | None
    image_type: str  # its MIME type ("" when not known)
    published: str | None  # ISO 8601, articles only
    modified: str | None
    tags: tuple[str, ...]
    feeds: tuple[FeedLink, ...]  # for <link rel="alternate">: the page's own feed first, then the site's
    breadcrumbs: tuple[Link, ...]  # Home first, this page last
    jsonld: Markup  # JSON for <script type="application/ld+json">, safe to embed


@dataclass(frozen=True)
class Head:
    """What a page's head needs besides its title and description."""

    trail: tuple[tuple[str, str], ...] = ()  # (name, site-internal URL) after Home
    story: StoryView | None = None
    canonical: str | None = None
    feed: FeedLink | None = None
    collection: bool = False


def page_meta(planner, url: str, kind: str, title: str, description: str, head: Head) -> Meta:
    """``meta`` for a page of ``planner`` (its links, site view, config and strings)."""
    links, site = planner.links, planner.views.site
    abs_url = links.absolute(url)
    description = description or planner.config.description
    home = (planner.s("home"), "/")
    trail = (home, *head.trail) if kind != "home" else (home,)
    jsonld: list[dict] = []
    story = head.story
    if story is not None:
        jsonld.append(news_article(story, site, site.abs_url))
    elif head.collection:
        jsonld.append(collection_page(title, abs_url, description, site, site.abs_url))
    if len(trail) > 1:
        jsonld.append(breadcrumb_list(tuple(Link(n, p) for n, p in trail), links.absolute))
    return Meta(
        kind=kind,
        title=title,
        description=description,
        url=links.href(url),
        abs_url=abs_url,
        canonical=head.canonical or abs_url,
        og_type="article" if story else "website",
        **_share_image(story.image if story else None, planner.views.pictures.default()),
        published=story.date.full if story else None,
        modified=story.modified.full if story else None,
        tags=tuple(tag.name for tag in story.tags) if story else (),
        feeds=((head.feed,) if head.feed else ()) + site.feeds,
        breadcrumbs=tuple(Link(name, links.href(path)) for name, path in trail),
        jsonld=script_json(jsonld[0] if len(jsonld) == 1 else jsonld) if jsonld else Markup(""),
    )


def _share_image(image: ImageView | None, default: ImageView | None) -> dict:
    """``og:image`` and its size: the lead image's 1.91:1 card; a remote lead
    image as it is; else (no lead image, or one too small or an SVG, which
    the social networks do not show) the site's default image's card."""
    if image is not None and image.remote:
        return {"image": image.abs_src, "image_alt": image.alt, "image_width": None, "image_height": None,
                "image_type": ""}  # fmt: skip
    for candidate in (image, default):
        if candidate is not None and candidate.card is not None:
            card = candidate.card
            return {"image": card.abs_url, "image_alt": candidate.alt, "image_width": card.width,
                    "image_height": card.height, "image_type": card.type}  # fmt: skip
    return {"image": None, "image_alt": "", "image_width": None, "image_height": None, "image_type": ""}
