"""What the archive already has, as intake needs it: every story's original
(drafts and stories waiting for review too, so that nothing is made twice),
the outlets its stories name, by host, and its tags' spellings."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

from generator.config.site import SiteConfig
from generator.content.archive import article_url, display_name, same_original, tag_aliases, untracked
from generator.content.model import Article
from generator.diagnostics import Diagnostic
from generator.intake.fetch import host_of
from generator.util.slugs import slugify


@dataclass
class Known:
    config: SiteConfig
    originals: dict[str, str] = field(default_factory=dict)  # same_original(url) -> the story's file
    outlets_at: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))  # host -> names
    tags: dict[str, str] = field(default_factory=dict)  # a tag's or alias's slug -> the name to write
    made: set[Path] = field(default_factory=set)  # the story files this run makes (or would make: --dry-run)
    addresses: set[str] = field(default_factory=set)  # the stories' URLs (site paths)

    def archived(self, *urls: str) -> str | None:
        """The story file that archives one of ``urls`` already, if any."""
        for url in urls:
            if url and (found := self.originals.get(same_original(url))):
                return found
        return None

    def outlet(self, url: str, fallback: str = "") -> str:
        """The outlet of a story at ``url``: the registry's, else the name most stories at its host
        write, else ``fallback`` (the page's or the feed's own name), else the host."""
        host = host_of(url)
        if (decl := self.config.outlets.at_host(host)) is not None:
            return decl.name
        if names := self.outlets_at.get(host):
            return display_name(names)
        return fallback or host

    def tag_names(self, terms) -> list[str]:
        """``terms`` folded onto the archive's tags and aliases, once each: the names a story writes."""
        names: dict[str, str] = {}
        for term in terms:
            if slug := slugify(term):
                name = self.tags.get(slug, term.strip())
                names.setdefault(slugify(name), name)
        return list(names.values())

    def add(self, rel: str, url: str) -> None:
        self.originals[same_original(url)] = rel


def read_archive(config: SiteConfig) -> tuple[Known, list[Diagnostic]]:
    """Every story of the archive, whatever its state; the problems of files that do not parse."""
    known = Known(config)
    aliases = tag_aliases(config)
    spelled: dict[str, Counter] = defaultdict(Counter)
    articles, problems = articles_of(config)
    for doc in articles:
        known.add(doc.file.rel, doc.source.url)
        known.addresses.add(article_url(doc, config))
        known.outlets_at[host_of(doc.source.url)][doc.source.name] += 1
        for ref in doc.tags:
            spelled[aliases.get(ref.slug, ref.slug)][ref.name] += 1
    for decl in config.tags:
        for alias in (decl.slug, *decl.aliases):
            known.tags[alias] = decl.name
    for slug, names in spelled.items():
        known.tags.setdefault(slug, display_name(names))
    return known, problems


def articles_of(config: SiteConfig) -> tuple[list[Article], list[Diagnostic]]:
    """Every story that parses, and the problems of those that do not."""
    from generator.content.discover import discover
    from generator.content.frontmatter import parse

    files, problems = discover(config)
    articles = []
    for file in files:
        doc, more = parse(file, config)
        problems += more
        if isinstance(doc, Article):
            articles.append(doc)
    return articles, problems


def clean_url(url: str) -> str:
    """``url`` without its fragment and tracking parameters (``utm_*``, ``fbclid``...), as a story cites it."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path or "/", urlencode(untracked(parts.query)), ""))
