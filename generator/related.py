"""Related stories: those sharing the most tags, nearest in time first.

For each tag of a story only the ``WINDOW`` stories nearest to it in that
tag's (date-sorted) list are considered, so the cost stays linear in the
archive's size even when one tag holds thousands of stories. The order is
fully deterministic: shared tags, then distance in time, then URL.

The result depends only on each story's URL, date and tags (and on the tags'
member lists they make), so :func:`related_key` digests exactly that: the
build keeps the last result under that key, and an edit that changes no tag
or date (a body, a title, a credit) does not compute it again.
"""

from __future__ import annotations

import heapq

from generator.cache import digest
from generator.content.archive import Archive
from generator.parallel import run_chunks

WINDOW = 12
LIMIT = 5


def related_key(archive: Archive, limit: int = LIMIT) -> str:
    stories = tuple((s.url, s.tags, s.article.date.at.timestamp()) for s in archive.stories)
    members = tuple((t.slug, tuple(s.url for s in t.stories)) for t in archive.tags)
    return digest(repr((WINDOW, limit, stories, members)).encode())


def related_urls(archive: Archive, limit: int = LIMIT, jobs: int = 1) -> dict[str, tuple[str, ...]]:
    """Each story's URL -> the URLs of its related stories, best first; with
    ``jobs`` > 1, stories are ranked in worker processes (0.45 s at 10,000
    stories, while the other core had nothing to do)."""
    stories = archive.stories
    number = {s.url: i for i, s in enumerate(stories)}
    urls = [s.url for s in stories]
    when = [s.article.date.at.timestamp() for s in stories]
    tags = [frozenset(s.tags) for s in stories]
    # For each story, each of its tags' member lists (story numbers, by date) and its place there.
    places: list[list[tuple[list[int], int]]] = [[] for _ in stories]
    for term in archive.tags:
        members = [number[s.url] for s in term.stories]
        for place, i in enumerate(members):
            places[i].append((members, place))

    def rank(start: int, stop: int) -> list[tuple[str, ...]]:
        ranked = []
        for i in range(start, stop):
            near: set[int] = set()
            for members, place in places[i]:
                near.update(members[max(0, place - WINDOW) : place + WINDOW + 1])
            near.discard(i)
            mine, t = tags[i], when[i]
            best = heapq.nsmallest(limit, [(-len(mine & tags[j]), abs(when[j] - t), urls[j], j) for j in near])
            ranked.append(tuple(urls[j] for *_, j in best))
        return ranked

    ranked = [best for chunk in run_chunks(rank, len(stories), jobs) for best in chunk]
    return dict(zip(urls, ranked, strict=True))
