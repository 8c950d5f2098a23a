"""Related stories: those sharing the most tags, nearest in time first.

For each tag of a story only the ``WINDOW`` stories nearest to it in that
tag's (date-sorted) list are considered, so the cost stays linear in the
archive's size even when one tag holds thousands of stories. The order is
fully deterministic: shared tags, then distance in time, then URL.
"""

from __future__ import annotations

import heapq

from generator.content.archive import Archive, Story

WINDOW = 12
LIMIT = 5


def related_stories(archive: Archive, limit: int = LIMIT) -> dict[str, tuple[Story, ...]]:
    members = {term.slug: term.stories for term in archive.tags}
    position = {slug: {s.url: i for i, s in enumerate(stories)} for slug, stories in members.items()}
    when = {s.url: s.article.date.at.timestamp() for s in archive.stories}
    result: dict[str, tuple[Story, ...]] = {}
    for story in archive.stories:
        shared: dict[str, int] = {}
        by_url: dict[str, Story] = {}
        for slug in story.tags:
            tagged = members[slug]
            index = position[slug][story.url]
            for other in tagged[max(0, index - WINDOW) : index + WINDOW + 1]:
                by_url[other.url] = other
        by_url.pop(story.url, None)
        mine = set(story.tags)
        for url, other in by_url.items():
            shared[url] = len(mine.intersection(other.tags))
        t = when[story.url]
        best = heapq.nsmallest(limit, by_url, key=lambda url: (-shared[url], abs(when[url] - t), url))
        result[story.url] = tuple(by_url[url] for url in best)
    return result
