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


def resolve_merges(pairs: list[tuple[str, str, str]], rank) -> list[tuple[str, str, str]]:
    """``(a, b, why)`` pairs of names that are probably one, as ``(name to merge away, name to keep, why)``:
    each group of joined names goes to its best by ``rank`` (the highest), so no name is both merged
    away and kept, and no chain (``a -> b``, ``b -> c``) is suggested."""
    parent: dict[str, str] = {}

    def root(name: str) -> str:
        while parent.setdefault(name, name) != name:
            name = parent[name]
        return name

    why: dict[str, str] = {}  # a name's first reason, with the name it was joined to
    direct: dict[frozenset, str] = {}  # the reason two names were joined for
    for a, b, reason in pairs:
        why.setdefault(a, f"{reason} from {b}")
        why.setdefault(b, f"{reason} from {a}")
        direct.setdefault(frozenset((a, b)), reason)
        a, b = root(a), root(b)
        if a != b:
            keep, drop = (a, b) if rank(a) > rank(b) else (b, a)
            parent[drop] = keep
    found = []
    for name in sorted(parent):
        if (keep := root(name)) != name:
            found.append((name, keep, direct.get(frozenset((name, keep)), why[name])))
    return found
