"""``outlets:`` in site.yml: the registry of outlets, each with its canonical
name, the hosts its stories are on, other names it is written with, and an
optional description (``docs/configuration.md``).

An outlet is written in a story's ``source.name`` however the editor spells
it; the registry folds the spellings it knows (its slug, its name, an alias
or one of its hosts, compared as slugs) onto one outlet with one page.
``ssg new`` and ``ssg import`` name the outlet of a URL by its host.
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.config.validate import Checker
from generator.config.yamlsource import Node
from generator.util.slugs import is_slug, slugify

KEYS = ["name", "hosts", "aliases", "description"]


@dataclass(frozen=True)
class OutletDecl:
    slug: str
    name: str
    description: str = ""
    aliases: tuple[str, ...] = ()  # slugs: the outlet's own, its name's, its aliases' and its hosts'
    hosts: tuple[str, ...] = ()  # lower case, without "www."


@dataclass(frozen=True)
class Outlets:
    """The registry, looked up by a spelling's slug or by a URL's host."""

    decls: tuple[OutletDecl, ...] = ()

    def __post_init__(self):
        object.__setattr__(self, "_named", {alias: decl for decl in self.decls for alias in decl.aliases})
        object.__setattr__(self, "_hosted", {host: decl for decl in self.decls for host in decl.hosts})

    def named(self, slug: str) -> OutletDecl | None:
        """The outlet a spelling is a name of, by the spelling's slug."""
        return self._named.get(slug) if self._named else None

    def at_host(self, host: str) -> OutletDecl | None:
        """The outlet of a host (``www.`` and sub-domains of a registered host count: ``edition.cnn.com``)."""
        host = plain_host(host)
        while host:
            if (decl := self._hosted.get(host)) is not None:
                return decl
            host = host.partition(".")[2] if host.count(".") > 1 else ""
        return None

    def by_slug(self) -> dict[str, OutletDecl]:
        return {decl.slug: decl for decl in self.decls}


def plain_host(host: str) -> str:
    return host.lower().rstrip(".").removeprefix("www.")


def read_outlets(check: Checker, node: Node) -> Outlets | None:
    """The ``outlets:`` mapping (slug -> name, hosts, aliases, description); None when it has problems."""
    if not check.mapping(node, "outlets"):
        return None
    before = len(check.diagnostics)
    decls, owner = [], {}
    for slug, (key_node, value) in node.items.items():
        field = f"outlets.{slug}"
        if not is_slug(slug):
            check.error(key_node, field, f"outlet keys must be slugs like {slugify(slug) or 'the-guardian'!r}")
            continue
        if value.kind == "scalar" and isinstance(value.value, str):  # the-guardian: The Guardian
            value_node, name, hosts, aliases, description = value, value.value.strip(), [], [], ""
        else:
            if not check.mapping(value, field):
                continue
            check.known_keys(value, KEYS, field + ".")
            value_node = value.get("name")
            name = check.string(value_node, field + ".name") or slug
            hosts = check.string_list(value.get("hosts"), field + ".hosts")
            aliases = check.string_list(value.get("aliases"), field + ".aliases")
            description = check.string(value.get("description"), field + ".description", allow_empty=True) or ""
        plain = []
        for host, host_node in hosts:
            found = plain_host(host.strip())
            if not found or "/" in found or " " in found or "." not in found:
                check.error(host_node, field + ".hosts", f"{host!r} is not a host name like 'theguardian.com'")
            else:
                plain.append(found)
        spellings = [(slug, key_node), (name, value_node or key_node)] + aliases + [(h, key_node) for h in plain]
        folded = []
        for spelling, spelled_at in spellings:
            alias = slugify(spelling)
            if not alias:
                check.error(spelled_at, field + ".aliases", f"{spelling!r} has no letters or digits")
                continue
            if owner.get(alias, slug) != slug:
                check.error(spelled_at, field, f"{spelling!r} is already a name of outlet {owner[alias]!r}")
                continue
            owner[alias] = slug
            folded.append(alias)
        for host in plain:
            if (other := next((d.slug for d in decls if host in d.hosts), None)) is not None:
                check.error(key_node, field + ".hosts", f"host {host!r} is already listed under outlet {other!r}")
        decls.append(OutletDecl(slug, name, description, tuple(dict.fromkeys(folded)), tuple(dict.fromkeys(plain))))
    return None if len(check.diagnostics) > before else Outlets(tuple(decls))
