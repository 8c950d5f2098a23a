"""Which pages a plan makes: every page (a full build), or only those an
edit reaches (a quick build, ``generator/incremental/``). The planner asks
its scope before it plans a page; a full build's scope says yes to all.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from operator import attrgetter

_URL = attrgetter("url")


@dataclass(frozen=True)
class Moved:
    """What a retag, a change of outlet, a re-date or a story added or taken
    away changes in a partial plan besides the stories whose digest changed
    (``generator/incremental/regroup.py``)."""

    terms: dict[str, frozenset[str]]  # "tags"/"sources" -> those whose every page is planned (and their index)
    stories: frozenset[str]  # stories whose page is planned: their related stories or neighbours changed
    modified: dict[str, datetime | None]  # the sitemap's pages (a story's among them) -> their last change
    dated: bool = False  # a story's date or update changed, or one came or went: the home list and overview too
    periods: frozenset = frozenset()  # date archive pages planned: (year, None) for a year's, (year, month)


class Scope:
    """Every page (``changed`` None), or, given ``changed`` (URLs of stories
    and pages whose content changed) and what ``moved``, only the pages whose
    key holds one of them or that ``moved`` names."""

    def __init__(self, changed: set[str] | None = None, moved: Moved | None = None):
        self.changed, self.moved = changed, moved

    @property
    def full(self) -> bool:
        return self.changed is None

    def skip(self, urls) -> bool:
        """In a partial plan: no URL whose digest a page's key holds has changed."""
        return self.changed is not None and self.changed.isdisjoint(urls)

    def skip_stories(self, stories) -> bool:
        """:meth:`skip` for the URLs of ``stories`` (taken in C: an edit at 10,000 stories asks of 50,000)."""
        return self.changed is not None and self.changed.isdisjoint(map(_URL, stories))

    def dated(self) -> bool:
        """In a partial plan: a story's date or update changed (its order, or
        the last change that lists and their sitemap entries show)."""
        return self.moved is not None and self.moved.dated

    def period(self, year: int, month: int | None = None) -> bool:
        """In a partial plan: a date archive page whose counts changed (a story came or went)."""
        return self.moved is not None and (year, month) in self.moved.periods

    def terms(self, kind: str) -> frozenset[str]:
        """In a partial plan for a retag, a change of outlet or a re-date: the tags
        (``kind`` "tag") or outlets ("source") whose pages are all planned."""
        return self.moved.terms[f"{kind}s"] if self.moved is not None else frozenset()

    def story(self, url: str, shown) -> bool:
        """Whether a story's page is planned: its own, a neighbour's or a
        related story's digest changed (``shown``: their URLs), or ``moved`` names it."""
        if self.changed is None or (self.moved is not None and url in self.moved.stories):
            return True
        return not self.skip(shown)


EVERYTHING = Scope()
