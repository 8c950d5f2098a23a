"""The speller finds what comparing with every known name finds, without comparing with every one."""

import random
import string

from generator.util.spelling import Speller, allowed_edits, distance


def brute_force(slug: str, known: list[str]) -> str | None:
    if slug in known:
        return None
    same = [name for name in sorted(known) if name.replace("-", "") == slug.replace("-", "")]
    if same:
        return same[0]
    best, best_distance = None, 3
    for name in sorted(known):  # every name, where the speller looks only at its index's candidates
        limit = allowed_edits(slug, name)
        found = distance(slug, name, limit)
        if found <= limit and found < best_distance:
            best, best_distance = name, found
    return best


def test_the_index_misses_no_name_one_or_two_letters_apart():
    rng = random.Random(7)
    letters = "aeiorstn-"
    words = ("".join(rng.choice(letters) for _ in range(rng.randint(2, 9))).strip("-") for _ in range(300))
    known = sorted({word or "a" for word in words})
    speller = Speller(known)
    queries = [name[:i] + rng.choice(string.ascii_lowercase) + name[i + rng.randint(0, 2):]
               for name in known for i in (rng.randint(0, len(name)),)] + known  # fmt: skip
    for query in queries:
        assert speller.closest(query) == brute_force(query, known), query
    assert Speller(["strikes", "strike"]).closest("strke") == "strike"
    assert Speller(["labour-law"]).closest("labourlaw") == "labour-law"
