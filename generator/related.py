"""Related stories: those sharing the most tags, nearest in time first.

For each tag of a story only the ``WINDOW`` stories nearest to it in that
tag's (date-sorted) list are considered, so the cost stays linear in the
archive's size even when one tag holds thousands of stories. The order is
fully deterministic: shared tags, then distance in time, then URL.
"""

from __future__ import annotations

from generator.content.archive import Archive, Story

WINDOW = 25
LIMIT = 5


def related_stories(archive: Archive, limit: int = LIMIT) -> dict[str, tuple[Story, ...]]:
    position = {term.slug: {s.url: i for i, s in enumerate(term.stories)} for term in archive.tags}
    terms = {term.slug: term for term in archive.tags}
    result: dict[str, tuple[Story, ...]] = {}
    for story in archive.stories:
        mine = set(story.tags)
        candidates: dict[str, Story] = {}
        for slug in story.tags:
            members = terms[slug].stories
            index = position[slug][story.url]
            for other in members[max(0, index - WINDOW) : index + WINDOW + 1]:
                if other.url != story.url:
                    candidates[other.url] = other
        when = story.article.date.at.timestamp()

        def rank(other: Story, mine=mine, when=when):
            shared = len(mine.intersection(other.tags))
            return (-shared, abs(other.article.date.at.timestamp() - when), other.url)

        result[story.url] = tuple(sorted(candidates.values(), key=rank)[:limit])
    return result
