"""Related stories (generator/plan/related.py): the stories sharing the most tags, nearest in time, then by
URL, among the ``WINDOW`` nearest in each of the story's tags, ranked as the plain rule says."""

import random
from bisect import bisect_left

import pytest

from generator.plan.related import LIMIT, WINDOW, related_urls


def _by_the_rule(inputs):
    """Every candidate of every story scored with the whole key: the rule written as plainly as it reads."""
    lists = {}
    for number, (_, tags, _) in enumerate(inputs):
        for tag in tags:
            lists.setdefault(tag, []).append(number)
    found = {}
    for number, (url, tags, when) in enumerate(inputs):
        near = set()
        for tag in tags:
            place = bisect_left(lists[tag], number)
            near.update(lists[tag][max(0, place - WINDOW) : place + WINDOW + 1])
        near.discard(number)
        keys = sorted((-len(set(tags) & set(inputs[other][1])), abs(inputs[other][2] - when), inputs[other][0])
                      for other in near)  # fmt: skip
        found[url] = tuple(key[2] for key in keys[:LIMIT])
    return found


@pytest.mark.parametrize("fewest, most, vocabulary", [(10, 16, 120), (2, 5, 60), (0, 3, 8), (1, 1, 3)])
def test_related_stories_are_the_ones_the_rule_names(fewest, most, vocabulary):
    """Archives with many tags a story (only a few candidates can share the most), few, none, and one
    tag out of three (every candidate ties on shared tags); dates repeat, so ties on time are broken by URL."""
    rng = random.Random(f"{fewest}-{most}-{vocabulary}")
    names = [f"tag{number}" for number in range(vocabulary)]
    weights = [1 / (rank + 1) for rank in range(vocabulary)]  # a few tags on most stories, as in an archive
    stories = []
    for number in range(600):
        tags = tuple(sorted(set(rng.choices(names, weights, k=rng.randint(fewest, most)))))
        stories.append((f"/story/{rng.random():.6f}-{number}/", tags, float(rng.randint(0, 150) * 86400)))
    stories.sort(key=lambda story: story[2])
    inputs = tuple(stories)
    assert related_urls(inputs) == _by_the_rule(inputs)
    some = {url for url, _, _ in inputs[::5]}
    assert related_urls(inputs, only=some) == {url: urls for url, urls in _by_the_rule(inputs).items() if url in some}
