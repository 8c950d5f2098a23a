"""Related stories: those sharing the most tags, nearest in time first.

For each tag of a story only the ``WINDOW`` stories nearest to it in that
tag's (date-sorted) list are considered, so the cost stays linear in the
archive's size even when one tag holds thousands of stories. The order is
fully deterministic: shared tags, then distance in time, then URL.

The result depends only on each story's URL, date and tags, in the archive's
order (the tags' member lists follow from them), so :func:`related_key`
digests exactly that: the build keeps the last result under that key, and an
edit that changes no tag or date (a body, a title, a credit) does not compute
it again. An edit that does is ranked again only where it reaches
(:func:`updated_related`).
"""

from __future__ import annotations

import heapq
from bisect import bisect_left

from generator.content.archive import Archive
from generator.util.digest import digest
from generator.util.parallel import run_chunks

WINDOW = 12
LIMIT = 5
MAX_CHANGED = 200  # more changed stories than this: every story is ranked again
IN_WORKERS = 2000  # stories to rank: fewer are ranked at once (45 us each) rather than in workers (40 ms to start)


def related_inputs(archive: Archive) -> tuple[tuple[str, tuple[str, ...], float], ...]:
    """What related stories are made of: each story's URL, tags and time, in the archive's order."""
    return tuple((s.url, s.tags, s.article.date.at.timestamp()) for s in archive.stories)


def related_key(inputs, limit: int = LIMIT) -> str:
    """A digest of what the result is made of (``inputs``: the archive's :func:`related_inputs`)."""
    return digest(repr((WINDOW, limit, inputs)).encode())


def related_urls(inputs, limit: int = LIMIT, jobs: int = 1, only: set[str] | None = None) -> dict[str, tuple[str, ...]]:
    """Each story's URL -> the URLs of its related stories, best first, from
    the archive's :func:`related_inputs` (its tags' member lists are the
    stories of each tag in the archive's order); with ``jobs`` > 1, stories
    are ranked in worker processes (0.45 s at 10,000 stories, while the other
    core had nothing to do). ``only``: rank just these stories; then only the
    lists of their tags are made, and the tag bits of the stories in their
    windows (a retag at 10,000 stories: :func:`updated_related` 20 ms
    against 26 ms)."""
    urls = [url for url, _, _ in inputs]
    when = [t for _, _, t in inputs]
    wanted = range(len(inputs)) if only is None else [i for i, url in enumerate(urls) if url in only]
    needed = None if only is None else {slug for i in wanted for slug in inputs[i][1]}
    lists: dict[str, list[int]] = {}  # each tag's members: story numbers, by date
    for i, (_, slugs, _) in enumerate(inputs):
        for slug in slugs:
            if needed is None or slug in needed:
                lists.setdefault(slug, []).append(i)
    bits: dict[str, int] = {}  # a tag's bit: the stories' tags as bits, shared ones counted in C

    def mask(i: int) -> int:
        return sum(bits.get(slug) or bits.setdefault(slug, 1 << len(bits)) for slug in set(inputs[i][1]))

    masks: list[int] | dict[int, int]
    if only is None:
        masks = list(map(mask, range(len(inputs))))
    else:
        masks = {i: mask(i) for i in wanted}
        for i in wanted:
            for slug in inputs[i][1]:
                members = lists[slug]
                place = bisect_left(members, i)
                for j in members[max(0, place - WINDOW) : place + WINDOW + 1]:
                    if j not in masks:
                        masks[j] = mask(j)

    def rank(start: int, stop: int) -> list[tuple[str, ...]]:
        ranked = []
        for i in wanted[start:stop]:
            near: set[int] = set()
            for slug in inputs[i][1]:
                members = lists[slug]
                place = bisect_left(members, i)
                near.update(members[max(0, place - WINDOW) : place + WINDOW + 1])
            near.discard(i)
            t, others = when[i], list(near)
            shared = list(map(int.bit_count, map(masks[i].__and__, map(masks.__getitem__, others))))  # (no frame each)
            # only a story sharing as many tags as the one in place ``limit`` can be among the best
            least = min(heapq.nlargest(limit, shared), default=0)
            pool = [(-count, abs(when[j] - t), urls[j], j)
                    for j, count in zip(others, shared, strict=True) if count >= least]  # fmt: skip
            best = heapq.nsmallest(limit, pool)
            ranked.append(tuple(urls[j] for *_, j in best))
        return ranked

    workers = jobs if len(wanted) >= IN_WORKERS else 1
    ranked = [best for chunk in run_chunks(rank, len(wanted), workers) for best in chunk]
    return dict(zip((urls[i] for i in wanted), ranked, strict=True))


def updated_related(now, last_inputs, last: dict[str, tuple[str, ...]], jobs: int = 1) -> dict[str, tuple[str, ...]]:
    """:func:`related_urls` of an archive whose :func:`related_inputs` are
    ``now``, given the result ``last`` for an earlier archive and that
    archive's inputs ``last_inputs``: only stories that may rank differently
    are ranked again.

    A story's result depends on its own tags and time and on the stories in
    its windows (the ``WINDOW`` nearest in each of its tags' lists). Stories
    whose URL, tags or time changed (or that came or went) move in, out or
    within those lists; the stories of other windows keep their order among
    themselves, so a window changes only if a changed story is in it, before
    or after the edit: the stories within ``WINDOW`` places of a changed one,
    in each list it was or is in. Those, and the changed ones, are ranked
    again (``tests/incremental/test_incremental.py`` compares with ranking everything)."""
    if tuple(now) == tuple(last_inputs):  # an edit that changed no tag or time (a corrected original)
        return dict(last)
    moved = set(now).symmetric_difference(last_inputs)  # (URLs are unique: the stories changed, come or gone)
    changed = {url for url, _, _ in moved}
    if len(changed) > MAX_CHANGED:
        return related_urls(now, jobs=jobs)
    touched = {slug for _, tags, _ in moved for slug in tags}
    affected = set(changed)
    for inputs in (last_inputs, now):
        lists: dict[str, list[str]] = {slug: [] for slug in touched}
        for url, tags, _ in inputs:
            for slug in tags:
                if slug in lists:
                    lists[slug].append(url)
        for members in lists.values():
            for place, url in enumerate(members):
                if url in changed:
                    affected.update(members[max(0, place - WINDOW) : place + WINDOW + 1])
    fresh = related_urls(now, jobs=jobs, only=affected)
    return {url: fresh[url] if url in fresh else last[url] for url, _, _ in now}
