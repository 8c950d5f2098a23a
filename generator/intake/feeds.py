"""A feed's entries, whatever its format: RSS 0.9x, 1.0 and 2.0 and Atom
(read by feedparser), and JSON Feed 1.0 and 1.1 (read here: feedparser
does not). Nothing of an entry is trusted: its HTML becomes plain Markdown
text later (``text.py``) and its link is checked like any source URL."""

from __future__ import annotations

import calendar
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urljoin

from generator.intake.page import plain


class FeedError(Exception):
    """Not a feed; the message says why."""


@dataclass
class Entry:
    title: str
    link: str  # absolute, as the feed gives it (not checked yet)
    published: datetime | None = None  # aware
    authors: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    description: str = ""  # HTML or text, untrusted


@dataclass
class Feed:
    title: str
    entries: list[Entry]


def read_feed(data: bytes, url: str) -> Feed:
    head = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith((b"{", b"[")):
        return _json_feed(data, url)
    import feedparser

    # Relative links resolve against xml:base and a fetched feed's URL here; in a feed file's entries,
    # against the entry's own link later (``text.markdown_text``).
    headers = {"content-type": "application/xml"}
    if url.startswith(("http://", "https://")):
        headers["content-location"] = url
    parsed = feedparser.parse(data, response_headers=headers, sanitize_html=True, resolve_relative_uris=True)
    if not parsed.entries and (parsed.get("bozo") or not parsed.feed):
        why = parsed.get("bozo_exception")
        raise FeedError(f"not a feed (RSS, Atom or JSON Feed){f': {why}' if why else ''}")
    entries = []
    for item in parsed.entries:
        link = item.get("link") or next((lk.get("href") for lk in item.get("links", []) if lk.get("href")), "")
        if not link and str(item.get("id", "")).startswith(("http://", "https://")):
            link = item["id"]  # RSS guid isPermaLink, Atom id as a URL
        when = item.get("published_parsed") or item.get("updated_parsed")
        authors = [plain(a["name"]) for a in item.get("authors", []) if a.get("name")]
        if not authors and item.get("author"):
            authors = [plain(item["author"])]
        tags = [plain(t.get("label") or t.get("term") or "") for t in item.get("tags", [])]
        description = item.get("summary") or ""
        entries.append(Entry(
            title=plain(item.get("title", "")),
            link=urljoin(headers.get("content-location", ""), link.strip()) if link else "",
            published=datetime.fromtimestamp(calendar.timegm(when), UTC) if when else None,
            authors=[a for a in authors if a],
            tags=[t for t in tags if t],
            description=description,
        ))  # fmt: skip
    return Feed(plain(parsed.feed.get("title", "")), entries)


def _json_feed(data: bytes, url: str) -> Feed:
    try:
        top = json.loads(data)
    except ValueError as exc:
        raise FeedError(f"not a feed: JSON that does not parse ({exc})") from None
    if not isinstance(top, dict) or "jsonfeed.org/version/" not in str(top.get("version", "")):
        raise FeedError("not a feed: JSON without a JSON Feed version (https://jsonfeed.org/version/1.1)")
    entries = []
    for item in top.get("items") or []:
        if not isinstance(item, dict):
            continue
        link = _string(item.get("url")) or _string(item.get("external_url"))
        authors = item.get("authors") or ([item["author"]] if isinstance(item.get("author"), dict) else [])
        entries.append(Entry(
            title=plain(_string(item.get("title"))),
            link=urljoin(url, link.strip()) if link else "",
            published=_date(_string(item.get("date_published")) or _string(item.get("date_modified"))),
            authors=[plain(_string(a.get("name"))) for a in authors if isinstance(a, dict) and _string(a.get("name"))],
            tags=[plain(t) for t in item.get("tags") or [] if isinstance(t, str) and t.strip()],
            description=_string(item.get("summary")) or _string(item.get("content_html"))
                        or _string(item.get("content_text")).replace("<", "&lt;"),
        ))  # fmt: skip
    return Feed(plain(_string(top.get("title"))), entries)


def _string(value) -> str:
    return value if isinstance(value, str) else ""


def _date(text: str) -> datetime | None:
    try:
        when = datetime.fromisoformat(text.strip())
    except ValueError:
        return None
    return when if when.tzinfo else when.replace(tzinfo=UTC)
