"""schema.org JSON-LD: NewsArticle for stories, CollectionPage and breadcrumbs for lists.

The JSON is made safe for a ``<script>`` element: ``<``, ``>`` and ``&`` are
written as ``\\u003c``-style escapes, so no value can close the element.
"""

from __future__ import annotations

import json
from typing import Any

from markupsafe import Markup

from generator.plan.views import Link, SiteView, StoryView

CONTEXT = "https://schema.org"


def script_json(data: Any) -> Markup:
    # Compact separators keep the C encoder (``indent`` would fall back to pure Python).
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text)


def _org(name: str, url: str | None = None) -> dict:
    org = {"@type": "Organization", "name": name}
    if url:
        org["url"] = url
    return org


def news_article(story: StoryView, site: SiteView, site_abs: str) -> dict:
    source = story.source
    if source.authors:
        authors = [{"@type": "Person", "name": name} for name in source.authors]
    else:
        authors = [_org(source.name)]
    data: dict = {
        "@context": CONTEXT,
        "@type": "NewsArticle",
        "headline": story.title,
        "url": story.abs_url,
        "mainEntityOfPage": story.abs_url,
        "datePublished": story.date.full,
        "dateModified": story.modified.full,
        "author": authors,
        "publisher": _org(site.title, site_abs),
        "inLanguage": site.language,
        "isBasedOn": source.url,
    }
    if story.summary:
        data["description"] = story.summary
    if story.image:
        data["image"] = [_image_object(story.image, variant) for variant in _sized(story.image)]
    if story.tags:
        data["keywords"] = [tag.name for tag in story.tags]
    citation: dict = {"@type": "CreativeWork", "url": source.url, "publisher": _org(source.name)}
    if source.authors:
        citation["author"] = authors
    if source.published:
        citation["datePublished"] = source.published.iso
    data["citation"] = citation
    return data


def _sized(image) -> list:
    """The lead image's files for search engines: the fallback, and the 1.91:1 card (a remote image: itself)."""
    return [None] if image.remote else [None, *([image.card] if image.card else [])]


def _image_object(image, variant) -> dict:
    """An ``ImageObject`` with its size, caption and credit (``variant`` None: the image's fallback)."""
    url, width, height = (image.abs_src, image.width, image.height) if variant is None else (
        variant.abs_url, variant.width, variant.height)  # fmt: skip
    data: dict = {"@type": "ImageObject", "url": url, "contentUrl": url}
    if width:
        data |= {"width": width, "height": height}
    if image.caption:
        data["caption"] = image.caption
    if image.credit:
        data["creditText"] = image.credit
    return data


def collection_page(name: str, abs_url: str, description: str, site: SiteView, site_abs: str) -> dict:
    data = {"@context": CONTEXT, "@type": "CollectionPage", "name": name, "url": abs_url}
    if description:
        data["description"] = description
    data["isPartOf"] = {"@type": "WebSite", "name": site.title, "url": site_abs}
    return data


def breadcrumb_list(trail: tuple[Link, ...], absolute) -> dict:
    """``trail`` holds links with site-internal URLs; ``absolute`` makes them absolute."""
    return {
        "@context": CONTEXT,
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": index, "name": link.name, "item": absolute(link.url)}
            for index, link in enumerate(trail, start=1)
        ],
    }
