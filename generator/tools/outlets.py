"""`ssg outlets`: the archive's outlets with counts, spellings and hosts, and
suggestions for outlets that are probably one (to merge in the ``outlets:``
registry of site.yml): outlets whose stories are on the same host, and names
one or two letters apart."""

from __future__ import annotations

from collections import Counter, defaultdict

from generator.config.site import SiteConfig
from generator.content.archive import display_name
from generator.content.model import Article
from generator.intake.fetch import host_of
from generator.util.spelling import Speller, resolve_merges


def report(config: SiteConfig, articles: list[Article]) -> str:
    declared = config.outlets.by_slug()
    counts: Counter = Counter()
    spellings: dict[str, Counter] = defaultdict(Counter)
    hosts: dict[str, Counter] = defaultdict(Counter)
    for article in articles:
        source = article.source
        counts[source.slug] += 1
        spellings[source.slug][source.name] += 1
        hosts[source.slug][host_of(source.url)] += 1
    lines = [f"{len(counts)} outlets on {len(articles)} stories", ""]
    width = max((len(slug) for slug in counts), default=6)
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    for slug, count in ordered:
        written = ", ".join(f"{name} ({n})" for name, n in sorted(spellings[slug].items(), key=lambda i: (-i[1], i[0])))
        at = ", ".join(host for host, _ in sorted(hosts[slug].items(), key=lambda i: (-i[1], i[0])))
        mark = "  (registry)" if slug in declared else ""
        lines.append(f"{slug:<{width}}  {count:>5}  {written}  hosts: {at}{mark}")
    unused = sorted(set(declared) - set(counts))
    if unused:
        lines += ["", "in the registry but on no story: " + ", ".join(unused)]
    merges = suggestions(counts, hosts, declared)
    if merges:
        lines += ["", "probably the same outlet (list the spelling under its outlet's aliases in site.yml):"]
        for drop, keep, why in merges:
            name = declared[keep].name if keep in declared else display_name(spellings[keep])
            lines.append(f"  {drop} -> {keep} ({name})  ({why}; {counts[drop]} and {counts[keep]} stories)")
    return "\n".join(lines) + "\n"


def suggestions(counts: Counter, hosts: dict[str, Counter], declared: dict) -> list[tuple[str, str, str]]:
    """(outlet to merge away, outlet to keep, why): outlets whose stories are mostly on one host, and names
    one or two letters apart. The outlet kept is the registry's, else the one with more stories."""
    at_host: dict[str, list[str]] = defaultdict(list)
    for slug, found in sorted(hosts.items()):
        at_host[found.most_common(1)[0][0]].append(slug)
    pairs = [(slugs[0], other, f"their stories are on {host}") for host, slugs in sorted(at_host.items())
             for other in slugs[1:]]  # fmt: skip
    speller = Speller(counts)
    for slug in sorted(counts):
        if (close := speller.nearest(slug)) is not None:
            pairs.append((slug, close, "one or two letters apart"))
    return resolve_merges(pairs, lambda slug: (slug in declared, counts[slug], slug))
