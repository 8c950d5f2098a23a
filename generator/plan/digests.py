"""What each story shows, as two digests: the keys of the pages that show it
are made of them, so that a page is made again exactly when something it
shows changed (``routes.py``, ``feeds.py``, ``dates.py``)."""

from __future__ import annotations

from typing import NamedTuple

from generator.content.archive import Story
from generator.util.digest import digest


class Digest(NamedTuple):
    """What a story shows, in two digests (see :func:`story_digest`)."""

    whole: str
    card: str


def story_digest(story: Story, tag_names: dict[str, str], source_names: dict[str, str], url_of,
                 images: tuple[str, ...] = ()) -> Digest:  # fmt: skip
    """``whole`` stands for everything the story's own page and feed entries
    show: its content, the archive-wide names it uses and the URLs of the
    stories it links to, and the keys of its images (``images``: their
    variants, ``Media.keys_of``). ``card`` stands for its view alone (the
    front matter and summary, ``content/shape.py``, and the names), which is all
    that lists, neighbours and related stories show of it."""
    names = (source_names[story.article.source.slug], tuple(tag_names[slug] for slug in story.tags))
    targets = tuple(url_of[link.target] for link in story.rendered.links)
    whole = digest(repr((story.rendered.key, story.url, names, targets, images)).encode())
    return Digest(whole, digest(repr((story.rendered.card, story.url, names, images[:1])).encode()))
