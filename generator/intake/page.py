"""What a news page says about itself, read from its HTML (never run):
JSON-LD (``NewsArticle`` and its kin), Open Graph and ``article:*`` meta,
Dublin Core, ``<meta name=...>``, ``<link rel=canonical>`` and ``<title>``.

When they disagree, the first that has a field wins, in this order:
JSON-LD, Open Graph, Dublin Core and plain meta, the ``<title>``. JSON-LD
is typed (an author is a Person with a name where ``article:author`` is
often a profile URL; a date is ISO 8601) and it is what news publishers
keep right for search engines' news listings; Open Graph is written for
share cards, and its title often carries the outlet's name or a teaser.
The canonical URL is the exception: ``<link rel=canonical>`` first, then
``og:url``, JSON-LD's ``url``, and last the URL the page was fetched from.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urljoin

from generator.config.validate import check_url
from generator.intake.text import fragment

ARTICLE_TYPES = {"Article", "NewsArticle", "ReportageNewsArticle", "AnalysisNewsArticle", "OpinionNewsArticle",
                 "BackgroundNewsArticle", "ReviewNewsArticle", "LiveBlogPosting", "BlogPosting", "Report",
                 "ScholarlyArticle", "SatiricalArticle", "TechArticle"}  # fmt: skip
_SPACE = re.compile(r"\s+")


@dataclass
class PageMeta:
    title: str = ""
    outlet: str = ""
    authors: list[str] = field(default_factory=list)
    published: str = ""  # ISO 8601: a date, or a date and time
    canonical: str = ""
    description: str = ""
    found_in: dict[str, str] = field(default_factory=dict)  # field -> "JSON-LD", "Open Graph", ...


def read_page(html: bytes, url: str, charset: str | None = None) -> PageMeta:
    """The metadata of the page fetched from ``url``."""
    import lxml.html

    parser = lxml.html.HTMLParser(encoding=charset, remove_comments=True, no_network=True)
    try:
        root = lxml.html.document_fromstring(html, parser=parser)
    except (ValueError, LookupError, lxml.etree.ParserError):
        try:
            root = lxml.html.document_fromstring(html, parser=lxml.html.HTMLParser(no_network=True))
        except (ValueError, lxml.etree.ParserError):
            return PageMeta(canonical=url, found_in={"canonical": "the fetched URL"})
    meta: dict[str, list[str]] = {}
    for element in root.iter("meta"):
        key = (element.get("property") or element.get("name") or element.get("itemprop") or "").strip().lower()
        content = element.get("content")
        if key and content and content.strip():
            meta.setdefault(key, []).append(plain(content))
    linked = {}
    for element in root.iter("link"):
        rels = (element.get("rel") or "").lower().split()
        if "canonical" in rels and element.get("href"):
            linked.setdefault("canonical", element.get("href").strip())
    ld = _json_ld(root)
    title_element = root.find(".//title")
    page_title = plain(title_element.text_content()) if title_element is not None else ""

    found = PageMeta()
    candidates = {
        "title": [("JSON-LD", _text(ld.get("headline") or ld.get("name"))), ("Open Graph", _first(meta, "og:title")),
                  ("Dublin Core", _first(meta, "dc.title", "dcterms.title")),
                  ("meta", _first(meta, "twitter:title", "title")), ("<title>", page_title)],
        "outlet": [("JSON-LD", _name(ld.get("publisher"))), ("Open Graph", _first(meta, "og:site_name")),
                   ("Dublin Core", _first(meta, "dc.publisher", "dcterms.publisher")),
                   ("meta", _first(meta, "application-name"))],
        "published": [("JSON-LD", _date(_text(ld.get("datePublished") or ld.get("dateCreated")))),
                      ("Open Graph", _date(_first(meta, "article:published_time", "og:published_time"))),
                      ("Dublin Core", _date(_first(meta, "dc.date", "dcterms.date", "dc.date.issued",
                                                   "dcterms.created", "dcterms.issued"))),
                      ("meta", _date(_first(meta, "date", "pubdate", "publish-date", "parsely-pub-date",
                                            "sailthru.date", "datepublished")))],
        "description": [("JSON-LD", _text(ld.get("description"))),
                        ("Open Graph", _first(meta, "og:description")),
                        ("Dublin Core", _first(meta, "dc.description", "dcterms.description")),
                        ("meta", _first(meta, "description", "twitter:description"))],
    }  # fmt: skip
    for name, options in candidates.items():
        for where, value in options:
            if value:
                setattr(found, name, value)
                found.found_in[name] = where
                break
    for where, authors in (("JSON-LD", _names(ld.get("author") or ld.get("creator"))),
                           ("Open Graph", [a for a in meta.get("article:author", []) if not _is_url(a)]),
                           ("Dublin Core", meta.get("dc.creator", []) + meta.get("dcterms.creator", [])),
                           ("meta", meta.get("author", []) + meta.get("parsely-author", [])
                                    + meta.get("sailthru.author", []))):  # fmt: skip
        if authors:
            found.authors, found.found_in["authors"] = list(dict.fromkeys(authors)), where
            break
    found.title = _without_outlet(found.title, found.outlet)
    for where, value in (("<link rel=canonical>", linked.get("canonical")), ("Open Graph", _first(meta, "og:url")),
                         ("JSON-LD", _text(ld.get("url")) or _id(ld.get("mainEntityOfPage")))):  # fmt: skip
        if value and not check_url(absolute := urljoin(url, value)):
            found.canonical, found.found_in["canonical"] = absolute, where
            break
    else:
        found.canonical, found.found_in["canonical"] = url, "the fetched URL"
    return found


def plain(text: str) -> str:
    """Text with its runs of blank space made one space (and any markup in it dropped)."""
    if "<" in text and ">" in text and (root := fragment(text)) is not None:
        text = root.text_content()
    return _SPACE.sub(" ", text).strip()


def _json_ld(root) -> dict:
    """The page's first JSON-LD object of an article type (in a list or an ``@graph`` too)."""
    for script in root.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json" or not script.text:
            continue
        try:
            data = json.loads(script.text, strict=False)
        except ValueError:
            continue
        todo = [data]
        while todo:
            item = todo.pop(0)
            if isinstance(item, list):
                todo.extend(item)
            elif isinstance(item, dict):
                kinds = item.get("@type")
                kinds = set(kinds) if isinstance(kinds, list) else {kinds}
                if kinds & ARTICLE_TYPES:
                    return item
                todo.extend(v for k, v in item.items() if k == "@graph")
    return {}


def _first(meta: dict[str, list[str]], *keys: str) -> str:
    for key in keys:
        if meta.get(key):
            return meta[key][0]
    return ""


def _text(value) -> str:
    if isinstance(value, list):
        value = value[0] if value else ""
    return plain(value) if isinstance(value, str) else ""


def _name(value) -> str:
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        return _text(value.get("name"))
    return _text(value)


def _names(value) -> list[str]:
    items = value if isinstance(value, list) else [value]
    return [name for item in items if (name := _name(item)) and not _is_url(name)]


def _id(value) -> str:
    if isinstance(value, dict):
        return _text(value.get("@id") or value.get("url"))
    return _text(value)


def _is_url(text: str) -> bool:
    return text.startswith(("http://", "https://", "//"))


def _date(text: str) -> str:
    """An ISO 8601 date or date-time as ``source.published`` takes it, or "" when it is not one."""
    text = text.strip()
    if not text:
        return ""
    try:
        if len(text) == 10:
            return datetime.strptime(text, "%Y-%m-%d").date().isoformat()
        return datetime.fromisoformat(text.replace(" ", "T", 1)).isoformat()
    except ValueError:
        return ""


def _without_outlet(title: str, outlet: str) -> str:
    """``"Title | The Outlet"`` -> ``"Title"`` (titles of ``<title>`` and Open Graph often say the outlet)."""
    if outlet:
        for separator in (" | ", " - ", " – ", " — ", " :: "):
            head, found, tail = title.rpartition(separator)
            if found and head and tail.strip().lower() == outlet.lower():
                return head.strip()
    return title
