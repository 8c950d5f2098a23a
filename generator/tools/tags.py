"""`ssg tags`: the archive's tags with counts, spellings and aliases, and
suggestions for tags that are probably the same (to merge with an alias)."""

from __future__ import annotations

from collections import Counter, defaultdict
from itertools import combinations

from generator.config.site import SiteConfig
from generator.content.model import Article
from generator.util.spelling import distance, resolve_merges


def _singular(slug: str) -> str:
    for plural, single in (("ies", "y"), ("ses", "s"), ("es", "e"), ("s", "")):
        if slug.endswith(plural) and len(slug) > len(plural) + 2:
            return slug[: -len(plural)] + single
    return slug


def suggestions(slugs: list[str]) -> list[tuple[str, str, str]]:
    """(slug, slug, why) for pairs that look like one tag written two ways."""
    found = []
    for a, b in combinations(sorted(slugs), 2):
        if _singular(a) == _singular(b) or _singular(a) == b or _singular(b) == a:
            found.append((a, b, "singular and plural"))
        elif a.replace("-", "") == b.replace("-", ""):
            found.append((a, b, "the same without hyphens"))
        elif min(len(a), len(b)) >= 5 and distance(a, b) <= 1:
            found.append((a, b, "one letter apart"))
    return found


def report(config: SiteConfig, articles: list[Article]) -> str:
    aliases = {alias: decl.slug for decl in config.tags for alias in (decl.slug, *decl.aliases)}
    declared = {decl.slug: decl for decl in config.tags}
    counts: Counter = Counter()
    spellings: dict[str, Counter] = defaultdict(Counter)
    for article in articles:
        for slug in dict.fromkeys(aliases.get(ref.slug, ref.slug) for ref in article.tags):
            counts[slug] += 1
        for ref in article.tags:
            spellings[aliases.get(ref.slug, ref.slug)][ref.name] += 1
    lines = [f"{len(counts)} tags on {len(articles)} stories", ""]
    width = max((len(slug) for slug in counts), default=4)
    for slug, count in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        written = ", ".join(f"{name} ({n})" for name, n in sorted(spellings[slug].items(), key=lambda i: (-i[1], i[0])))
        decl = declared.get(slug)
        extra = f"  aliases: {', '.join(decl.aliases)}" if decl and decl.aliases else ""
        mark = "" if decl or not config.tags_strict else "  NOT DECLARED"
        lines.append(f"{slug:<{width}}  {count:>5}  {written}{extra}{mark}")
    unused = sorted(set(declared) - set(counts))
    if unused:
        lines += ["", "declared but unused: " + ", ".join(unused)]
    # keep the declared tag, else the one with more stories, else the alphabetically first; no chains
    merges = resolve_merges(suggestions(list(counts)), lambda s: (s in declared, counts[s], [-ord(c) for c in s]))
    if merges:
        lines += ["", "probably the same tag (merge with an alias in site.yml):"]
        for drop, keep, why in merges:
            lines.append(f"  {drop} -> {keep}  ({why}; {counts[drop]} and {counts[keep]} stories)")
    return "\n".join(lines) + "\n"
