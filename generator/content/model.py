"""Immutable records of the content model: what a story or page file says, once read and checked."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class SourceFile:
    """A discovered file: ``rel`` is relative to the site root, POSIX style."""

    kind: str  # "article" or "page"
    rel: str
    location: str  # its absolute path; ``path`` is made only for the files a build reads (10,000 Paths: 30 ms)

    @cached_property
    def path(self) -> Path:
        return Path(self.location)


@dataclass(frozen=True)
class Stamp:
    """A point in time as the editor wrote it: a day, or a day and a time."""

    at: datetime  # always timezone-aware
    has_time: bool


@dataclass(frozen=True)
class Where:
    """Where a value was written: its field name, line and column."""

    field: str
    line: int = 1
    col: int = 1


@dataclass(frozen=True)
class Asset:
    """A local file an article refers to, copied beside its page."""

    source: Path  # absolute path of the file in content/
    target: str  # path relative to the page's folder, POSIX style


@dataclass(frozen=True)
class Source:
    name: str
    url: str
    slug: str
    authors: tuple[str, ...] = ()
    published: Stamp | None = None
    archived: str | None = None


@dataclass(frozen=True)
class Image:
    src: str  # as written: a relative path or an absolute URL
    alt: str
    credit: str = ""
    caption: str = ""
    asset: Asset | None = None
    focus: tuple[float, float] = (0.5, 0.5)  # the point a share card's crop keeps (x, y from 0 to 1)
    at: Where = field(default=Where("image.src"))  # where ``src`` is written


@dataclass(frozen=True)
class BodyImage:
    """An image file beside the story that the body shows (``![alt](photo.jpg)``)
    or links to: rendered as ``src="ssg-image:N"`` (or ``href``) and made a
    responsive picture (a link to the largest variant) when the page is written."""

    asset: Asset
    line: int
    col: int
    link: bool = False  # ``[see the photo](photo.jpg)``


@dataclass(frozen=True)
class TagRef:
    name: str  # as the editor spelled it
    slug: str
    at: Where = field(default=Where("tags"))


@dataclass(frozen=True)
class Alias:
    """An old address of a story or page (``aliases:``), redirected to it: a site path
    ending in ``/`` or ``.html``, below the site's base URL."""

    path: str
    at: Where = field(default=Where("aliases"))


@dataclass(frozen=True)
class Article:
    file: SourceFile
    title: str
    slug: str
    date: Stamp
    source: Source
    updated: Stamp | None = None
    credits: tuple[str, ...] = ()
    image: Image | None = None
    tags: tuple[TagRef, ...] = ()
    summary: str | None = None
    draft: bool = False
    syndicated: bool = False  # a full copy of the original: canonical points there
    extra: tuple[tuple[str, Any], ...] = ()
    body: str = ""
    body_line: int = 1
    # Where the fields that make the URL were written, for collision errors.
    slug_at: Where = field(default=Where("slug"))  # the slug, or the title it was made from
    source_url_at: Where = field(default=Where("source.url"))
    source_name_at: Where = field(default=Where("source.name"))
    waiting: bool = False  # its text is still what ssg new / ssg import wrote (generator/content/review.py)
    aliases: tuple[Alias, ...] = ()


@dataclass(frozen=True)
class Page:
    file: SourceFile
    title: str
    slug: str
    summary: str | None = None
    draft: bool = False
    date: Stamp | None = None
    updated: Stamp | None = None
    extra: tuple[tuple[str, Any], ...] = ()
    body: str = ""
    body_line: int = 1
    slug_at: Where = field(default=Where("slug"))
    aliases: tuple[Alias, ...] = ()


def is_published(doc: Article | Page, drafts: bool, future: bool, now: datetime) -> bool:
    """Whether a document is on the site: not a draft nor waiting for review (unless ``drafts``), and
    a story not dated after ``now`` (unless ``future``: an embargo)."""
    if (doc.draft or getattr(doc, "waiting", False)) and not drafts:
        return False
    return not (isinstance(doc, Article) and doc.date.at > now and not future)
