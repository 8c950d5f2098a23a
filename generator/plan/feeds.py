"""Atom 1.0 and JSON Feed 1.1, written by code rather than templates.

Feeds are a machine contract, so they are not left to themes: escaping,
absolute URLs, stable ids and honest dates are guaranteed here.

* entry link = the archive's page; the original is ``link rel="related"``
  (Atom) and ``external_url`` (JSON Feed);
* ids are ``urn:uuid:`` values derived from the original's URL, which is
  unique in the archive and survives a change of slug, permalink or domain;
* ``updated`` is the later of ``date`` and ``updated``;
* relative links in bodies are made absolute against the page's URL.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from urllib.parse import urljoin

from markupsafe import escape as html_escape

from generator import __version__
from generator.config.site import SiteConfig
from generator.content.archive import Archive, Story
from generator.content.markdown.convert import finished_body
from generator.media.process import default_image
from generator.plan.digests import Digest
from generator.plan.pictures import Pictures
from generator.plan.scope import EVERYTHING, Scope
from generator.util.digest import digest
from generator.util.urls import Links
from generator.util.xmltext import attr as _attr
from generator.util.xmltext import text as _text

ATOM_TYPE = "application/atom+xml"
JSON_TYPE = "application/feed+json"
_RELATIVE_VALUE = re.compile(r'="(?![a-zA-Z][a-zA-Z0-9+.-]*:)([^"]*)"')  # an attribute's value without a scheme
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class FeedLink:
    """An alternate link for ``<head>``: one feed of the site."""

    title: str
    url: str
    type: str


@dataclass(frozen=True)
class FeedFile:
    path: str  # site-internal, e.g. "/tags/ai/feed.xml"
    data: bytes


@dataclass(frozen=True)
class FeedSpec:
    """A feed to write: ``make()`` gives its bytes; ``key`` is a digest of its inputs."""

    path: str
    key: str
    make: Callable[[], bytes]


def entry_id(story: Story) -> str:
    return "urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, story.article.source.url))


def modified(story: Story) -> datetime:
    return article_modified(story.article)


def article_modified(article) -> datetime:
    """A story's last change: its update when later than its date, else its date."""
    if article.updated and article.updated.at > article.date.at:
        return article.updated.at
    return article.date.at


def absolute_html(html: str, page_url: str) -> str:
    """Make every relative ``src``/``href`` in rendered HTML absolute.

    The pattern starts with the literal ``="`` and rejects values with a scheme
    itself, so the regular-expression engine skips ahead between attributes and
    only relative values (few in a story) reach Python; the attribute's name is
    checked there."""

    def fix(match: re.Match) -> str:
        start = match.start()
        if not (_after_name(html, start, "href") or _after_name(html, start, "src")):
            return match.group(0)
        return '="' + urljoin(page_url, match.group(1).replace("&amp;", "&")).replace("&", "&amp;") + '"'

    return _RELATIVE_VALUE.sub(fix, html)


def _after_name(html: str, end: int, name: str) -> bool:
    """Whether ``html`` has whitespace and then ``name`` just before ``end``."""
    begin = end - len(name)
    return begin > 0 and html.startswith(name, begin) and html[begin - 1].isspace()


def _stamp(moment: datetime) -> str:
    return moment.isoformat()


def attribution_html(story: Story) -> str:
    source = story.article.source
    by = f" by {html_escape(', '.join(source.authors))}" if source.authors else ""
    return (
        f'<p>Originally reported{by} for <a href="{html_escape(source.url)}">{html_escape(source.name)}</a>.</p>'
    )


class FeedWriter:
    """Plans every feed; bodies are read from the body store only for feeds that are written."""

    def __init__(self, archive: Archive, config: SiteConfig, links: Links, bodies, media,
                 digests: dict[str, Digest]):  # fmt: skip
        self.archive = archive
        self.pictures = Pictures(media, links, config.images.sizes, default_image(config))
        self.config = config
        self.links = links
        self.bodies = bodies
        self.digests = digests
        self._entries: dict[str, str] = {}  # story URL -> its Atom entry
        self._tag_names = {term.slug: term.name for term in archive.tags}
        self._settings = repr((config.title, config.description, config.language, config.base_url, __version__))

    def content(self, story: Story) -> str:
        html = finished_body(self.bodies, story.rendered, lambda rel: self.links.href(self.archive.url_of[rel]),
                             self.pictures.in_body(story.url, feed=True))  # fmt: skip
        return absolute_html(html, self.links.absolute(story.url)) + attribution_html(story)

    def _spec(self, path: str, stories, make) -> FeedSpec:
        key = digest(repr((path, self._settings, [self.digests[s.url].whole for s in stories])).encode())
        return FeedSpec(path, key, make)

    def all(self, scope: Scope = EVERYTHING) -> list[FeedSpec]:
        """The feeds ``scope`` asks for (``scope.py``): every feed, or those that
        hold a changed story, those of the tags and outlets whose stories moved,
        and the site's when a story's date changed (it may leave them)."""
        specs = []
        entries = self.config.feed_entries
        site = self.config.title

        def skip(stories) -> bool:
            return scope.skip_stories(stories)

        newest = self.archive.stories[:entries]
        if scope.dated() or not skip(newest):
            make = partial(self.atom, "/feed.xml", "/", site, self.config.description, newest)
            specs.append(self._spec("/feed.xml", newest, make))
            specs.append(self._spec("/feed.json", newest, lambda: self.json_feed("/feed.json", "/", newest)))
        for kind, terms in (("tags", self.archive.tags), ("sources", self.archive.sources)):
            for term in terms:
                if term.slug not in scope.terms(kind[:-1]) and skip(term.stories[:entries]):
                    continue
                if kind == "tags":
                    title, subtitle = f"{site}: stories tagged {term.name}", term.description
                else:
                    title, subtitle = f"{site}: stories from {term.name}", ""
                url = f"/{kind}/{term.slug}/"
                stories = term.stories[:entries]
                make = partial(self.atom, url + "feed.xml", url, title, subtitle, stories)
                specs.append(self._spec(url + "feed.xml", stories, make))
        return specs

    def atom(self, path: str, page: str, title: str, subtitle: str, stories) -> bytes:
        links, config = self.links, self.config
        updated = max((modified(s) for s in stories), default=EPOCH)
        lines = [
            '<?xml version="1.0" encoding="utf-8"?>',
            f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang={_attr(config.language)}>',
            f"  <title>{_text(title)}</title>",
        ]
        if subtitle:
            lines.append(f"  <subtitle>{_text(subtitle)}</subtitle>")
        lines += [
            f'  <link rel="self" type="{ATOM_TYPE}" href={_attr(links.absolute(path))}/>',
            f'  <link rel="alternate" type="text/html" href={_attr(links.absolute(page))}/>',
            f"  <id>{_text(links.absolute(path))}</id>",
            f"  <updated>{_stamp(updated)}</updated>",
            f"  <author><name>{_text(config.title)}</name></author>",
            f'  <generator version="{__version__}">ssg</generator>',
        ]
        lines += [self._atom_entry(story) for story in stories]
        lines.append("</feed>")
        return ("\n".join(lines) + "\n").encode("utf-8")

    def _atom_entry(self, story: Story) -> str:
        """A story's ``<entry>``: the same in every feed it is in, so made once."""
        entry = self._entries.get(story.url)
        if entry is not None:
            return entry
        links, article = self.links, story.article
        source = article.source
        scheme = links.absolute("/tags/")
        lines = [
            "  <entry>",
            f"    <title>{_text(article.title)}</title>",
            f'    <link rel="alternate" type="text/html" href={_attr(links.absolute(story.url))}/>',
            f'    <link rel="related" type="text/html" href={_attr(source.url)} title={_attr(source.name)}/>',
            f"    <id>{entry_id(story)}</id>",
            f"    <published>{_stamp(article.date.at)}</published>",
            f"    <updated>{_stamp(modified(story))}</updated>",
        ]
        lines += [f"    <author><name>{_text(name)}</name></author>" for name in source.authors]
        for slug in story.tags:
            term = self.tag_name(slug)
            lines.append(f"    <category term={_attr(slug)} label={_attr(term)} scheme={_attr(scheme)}/>")
        if article.image is not None:
            image = self.pictures.lead(article.image, story.url)
            kind = f" type={_attr(image.type)}" if image.type else ""
            lines.append(f'    <link rel="enclosure"{kind} href={_attr(image.abs_src)} title={_attr(image.alt)}/>')
        if story.rendered.summary:
            lines.append(f"    <summary>{_text(story.rendered.summary)}</summary>")
        lines.append(f'    <content type="html">{_text(self.content(story))}</content>')
        lines.append("  </entry>")
        entry = self._entries[story.url] = "\n".join(lines)
        return entry

    def tag_name(self, slug: str) -> str:
        return self._tag_names[slug]

    def json_feed(self, path: str, page: str, stories) -> bytes:
        links, config = self.links, self.config
        feed: dict = {
            "version": "https://jsonfeed.org/version/1.1",
            "title": config.title,
            "home_page_url": links.absolute(page),
            "feed_url": links.absolute(path),
        }
        if config.description:
            feed["description"] = config.description
        feed["language"] = config.language
        feed["authors"] = [{"name": config.title}]
        items = []
        for story in stories:
            article = story.article
            item: dict = {
                "id": entry_id(story),
                "url": links.absolute(story.url),
                "external_url": article.source.url,
                "title": article.title,
                "content_html": self.content(story),
            }
            if story.rendered.summary:
                item["summary"] = story.rendered.summary
            if article.image is not None:
                item["image"] = self.pictures.lead(article.image, story.url).abs_src
            item["date_published"] = _stamp(article.date.at)
            item["date_modified"] = _stamp(modified(story))
            if article.source.authors:
                item["authors"] = [{"name": name} for name in article.source.authors]
            if story.tags:
                item["tags"] = [self.tag_name(slug) for slug in story.tags]
            items.append(item)
        feed["items"] = items
        text = json.dumps(feed, ensure_ascii=False, indent=2)
        return (text + "\n").encode("utf-8")


def site_feed_links(links: Links, title: str) -> tuple[FeedLink, ...]:
    return (
        FeedLink(f"{title} (Atom)", links.href("/feed.xml"), ATOM_TYPE),
        FeedLink(f"{title} (JSON Feed)", links.href("/feed.json"), JSON_TYPE),
    )
