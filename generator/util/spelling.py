"""Names that are probably one name written two ways (tags, outlets)."""

from __future__ import annotations


def distance(a: str, b: str, limit: int = 2) -> int:
    """Levenshtein distance, giving up (returning limit + 1) past ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]


def misspelling(slug: str, known: list[str]) -> str | None:
    """The known slug ``slug`` is most probably a misspelling of (one or two letters apart, or the same
    without hyphens), if any; short slugs (under five letters) only when one letter apart."""
    best, best_distance = None, 3
    for other in known:
        if other == slug:
            return None
        if other.replace("-", "") == slug.replace("-", ""):
            return other
        limit = 2 if min(len(slug), len(other)) >= 5 else 1 if min(len(slug), len(other)) >= 3 else 0
        found = distance(slug, other, limit)
        if found <= limit and found < best_distance:
            best, best_distance = other, found
    return best
