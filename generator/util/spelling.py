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


class Speller:
    """The known names a slug is most probably a misspelling of: one or two letters apart (one for slugs
    of three or four letters), or the same without hyphens. Known names are indexed by every form with up
    to two letters deleted, so that a look-up compares a slug with the few names that share one, not with
    every name (thousands of outlets and tags: 16 s compared one by one, a fraction of a second here)."""

    def __init__(self, known):
        self.known = set(known)
        self.index: dict[str, list[str]] = {}
        self.bare: dict[str, list[str]] = {}  # the names without their hyphens
        for name in sorted(self.known):
            self.bare.setdefault(name.replace("-", ""), []).append(name)
            for form in _deletions(name, 2):
                self.index.setdefault(form, []).append(name)

    def closest(self, slug: str) -> str | None:
        """None for a known slug, else :meth:`nearest`."""
        return None if slug in self.known else self.nearest(slug)

    def nearest(self, slug: str) -> str | None:
        """The known name closest to ``slug``, other than ``slug`` itself, if one is close enough."""
        if same := [name for name in self.bare.get(slug.replace("-", ""), ()) if name != slug]:
            return same[0]
        best, best_distance = None, 3
        candidates = {name for form in _deletions(slug, 2) for name in self.index.get(form, ())} - {slug}
        for name in sorted(candidates):
            limit = allowed_edits(slug, name)
            found = distance(slug, name, limit)
            if found <= limit and found < best_distance:
                best, best_distance = name, found
        return best


def allowed_edits(a: str, b: str) -> int:
    """How many letters two names may differ by and still be taken for one
    misspelt: two from five letters, one from three, none below."""
    shortest = min(len(a), len(b))
    return 2 if shortest >= 5 else 1 if shortest >= 3 else 0


def _deletions(word: str, times: int) -> set[str]:
    forms, edge = {word}, {word}
    for _ in range(times):
        edge = {form[:i] + form[i + 1 :] for form in edge for i in range(len(form))}
        forms |= edge
    return forms


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
