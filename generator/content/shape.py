"""A document's shape: what it contributes to the archive's structure, apart
from what its own view shows.

Two versions of a story with the same shape sit in the same place of the same
archive: the same URL, date, tags and outlet, the same links to other files,
the same publication status. Every page that shows the story depends on its
content through the story's digest (see ``routes.story_digest``); everything
else a build computes from the whole archive (collections, pagination, related
stories, URL and duplicate checks, sitemaps, copies of assets, the site's
navigation) depends only on shapes. An edit that keeps every shape can
therefore be built by re-rendering the pages whose key holds the story's
digest (``generator/incremental/quick.py``).

Positions (line and column) are left out: they only place error messages,
and an edit that moves a paragraph should not count as a change of place.

A document's card is what its view shows apart from the archive-wide names
(``routes.story_digest``): the front matter and the summary, not the body.
Lists, neighbours and related stories show only the view, so an edit of the
body past its first paragraph re-renders the story's own page and feeds alone.
"""

from __future__ import annotations

from dataclasses import fields

from generator.config.site import SiteConfig
from generator.content.model import Article
from generator.util.digest import digest


def shape(rendered, config: SiteConfig) -> str:
    return digest(repr(_shape(rendered, config, whole=True)).encode())


def placed(rendered, config: SiteConfig) -> str:
    """The shape but for the tags, the source (outlet and original's URL) and
    the date and update: two versions of a story with the same URL and place
    differ at most in those (``generator/incremental/regroup.py``, which takes a re-date
    within the story's month)."""
    return digest(repr(_shape(rendered, config, whole=False)).encode())


def _shape(rendered, config: SiteConfig, whole: bool) -> tuple:
    """``whole``: with the tags, the source, the date and the update."""
    doc = rendered.doc
    common = (
        type(doc).__name__,
        doc.slug,
        doc.draft,
        getattr(doc, "waiting", False),
        repr(doc.date) if whole or not isinstance(doc, Article) else None,
        repr(doc.updated) if whole or not isinstance(doc, Article) else None,
        tuple((link.target, link.anchor) for link in rendered.links),
        tuple(target for target, _, _ in rendered.rooted),
        rendered.ids,
        tuple((str(asset.source), asset.target) for asset in rendered.assets),
        doc.image.focus if getattr(doc, "image", None) is not None else None,  # (its share card is cut around it)
        tuple(alias.path for alias in doc.aliases),  # (each a page of its own)
    )
    if isinstance(doc, Article):
        source = doc.source
        # The title is in the news sitemap; a page's title is in every page's navigation.
        title = doc.title if config.news_sitemap else None
        written = tuple((ref.name, ref.slug) for ref in doc.tags) if whole else None
        own = (written, (source.name, source.url, source.slug) if whole else None, title)
    else:
        own = (doc.title,)
    return common, own


# the source and where fields were written
_NOT_SHOWN = {"file", "body", "body_line", "slug_at", "source_url_at", "source_name_at"}


def card(rendered) -> str:
    doc = rendered.doc
    shown = tuple((f.name, getattr(doc, f.name)) for f in fields(doc) if f.name not in _NOT_SHOWN)
    return digest(repr((type(doc).__name__, shown, rendered.summary)).encode())
