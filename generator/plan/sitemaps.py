"""sitemap.xml (split into an index past a limit), robots.txt, Google News sitemap."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from generator.config.site import SiteConfig
from generator.content.archive import Story
from generator.plan.feeds import FeedFile
from generator.util.urls import Links
from generator.util.xmltext import text as _text

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"
NEWS_PER_FILE = 1000
NEWS_WINDOW = timedelta(days=2)


def _urlset(entries: list[tuple[str, datetime | None]], links: Links) -> bytes:
    """``entries``: (site-internal URL, last change), in order. The addresses
    are escaped for XML one by one only when the whole list needs it
    (percent-encoded addresses seldom do), and each last change is made text
    once (a list page has its newest story's): a retag at 10,000 stories
    writes the sitemap's 13,400 entries anew, 37 ms with a record, an escape
    and a date's text each, 29 ms now."""
    locs = [links.absolute(url) for url, _ in entries]
    if _text(joined := "\n".join(locs)) != joined:
        locs = list(map(_text, locs))
    stamps: dict[int, str] = {}  # id of a datetime -> its text (``entries`` holds each one while this runs)
    lines = ['<?xml version="1.0" encoding="utf-8"?>', f'<urlset xmlns="{SITEMAP_NS}">']
    for loc, (_, lastmod) in zip(locs, entries, strict=True):
        if lastmod is None:
            lines.append(f"  <url><loc>{loc}</loc></url>")
            continue
        stamp = stamps.get(id(lastmod))
        if stamp is None:
            stamp = stamps[id(lastmod)] = lastmod.isoformat()
        lines.append(f"  <url><loc>{loc}</loc><lastmod>{stamp}</lastmod></url>")
    lines.append("</urlset>")
    return ("\n".join(lines) + "\n").encode("utf-8")


def _index(parts: list[tuple[str, datetime | None]], links: Links) -> bytes:
    lines = ['<?xml version="1.0" encoding="utf-8"?>', f'<sitemapindex xmlns="{SITEMAP_NS}">']
    for path, lastmod in parts:
        stamp = f"<lastmod>{lastmod.isoformat()}</lastmod>" if lastmod else ""
        lines.append(f"  <sitemap><loc>{_text(links.absolute(path))}</loc>{stamp}</sitemap>")
    lines.append("</sitemapindex>")
    return ("\n".join(lines) + "\n").encode("utf-8")


def sitemaps(pages: dict[str, datetime | None], config: SiteConfig, links: Links) -> list[FeedFile]:
    """One ``/sitemap.xml``, or past the limit an index of ``/sitemap-N.xml``;
    ``pages``: each page's URL (site-internal) -> when it last changed. The
    pages are listed by URL, so that a sitemap can be brought up to date
    from the last one's pages (``generator/incremental/regroup.py``)."""
    entries = sorted(pages.items())
    limit = config.sitemap_limit
    if len(entries) <= limit:
        return [FeedFile("/sitemap.xml", _urlset(entries, links))]
    files, parts = [], []
    for number, start in enumerate(range(0, len(entries), limit), start=1):
        chunk = entries[start : start + limit]
        path = f"/sitemap-{number}.xml"
        files.append(FeedFile(path, _urlset(chunk, links)))
        parts.append((path, max((lastmod for _, lastmod in chunk if lastmod), default=None)))
    files.append(FeedFile("/sitemap.xml", _index(parts, links)))
    return files


def is_sitemap(rel: str) -> bool:
    """An output file that :func:`sitemaps` makes."""
    return _SITEMAP.fullmatch(rel) is not None


_SITEMAP = re.compile(r"sitemap(-[0-9]+)?\.xml")


def news_sitemaps(stories: tuple[Story, ...], config: SiteConfig, links: Links, now: datetime) -> list[FeedFile]:
    """Stories published in the two days before "now", 1,000 to a file."""
    recent = [s for s in stories if now - NEWS_WINDOW <= s.article.date.at <= now]
    files = []
    chunks = [recent[i : i + NEWS_PER_FILE] for i in range(0, len(recent), NEWS_PER_FILE)] or [[]]
    for number, chunk in enumerate(chunks, start=1):
        lines = ['<?xml version="1.0" encoding="utf-8"?>', f'<urlset xmlns="{SITEMAP_NS}" xmlns:news="{NEWS_NS}">']
        for story in chunk:
            lines += [
                f"  <url><loc>{_text(links.absolute(story.url))}</loc>",
                "    <news:news>",
                f"      <news:publication><news:name>{_text(config.title)}</news:name>"
                f"<news:language>{_text(config.language)}</news:language></news:publication>",
                f"      <news:publication_date>{story.article.date.at.isoformat()}</news:publication_date>",
                f"      <news:title>{_text(story.article.title)}</news:title>",
                "    </news:news>",
                "  </url>",
            ]
        lines.append("</urlset>")
        path = "/sitemap-news.xml" if number == 1 else f"/sitemap-news-{number}.xml"
        files.append(FeedFile(path, ("\n".join(lines) + "\n").encode("utf-8")))
    return files


def robots(sitemap_files: list[FeedFile], links: Links) -> FeedFile:
    named = [f for f in sitemap_files if f.path == "/sitemap.xml" or f.path.startswith("/sitemap-news")]
    lines = ["User-agent: *", "Allow: /", ""] + [f"Sitemap: {links.absolute(f.path)}" for f in named]
    return FeedFile("/robots.txt", ("\n".join(lines) + "\n").encode("utf-8"))

