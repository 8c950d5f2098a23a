"""``ssg import SITE``: read another tool's archive, decide for each post
what it becomes (a story, a draft without an original, a page, or nothing,
and why), then convert the bodies (links between imported posts become links
to their new files) and write the files; ``report.py`` says what happened."""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

from generator.config.site import SiteConfig
from generator.content.aliases import alias_path
from generator.content.archive import permalink
from generator.intake.known import Known, clean_url, read_archive
from generator.intake.moving import hugo, jekyll, wordpress
from generator.intake.moving.items import Item, Site
from generator.intake.moving.markup import convert, relink
from generator.intake.moving.posts import Options
from generator.intake.moving.write import story_text
from generator.util.slugs import slugify


@dataclass
class Placed:
    """An item that will be written: where, and as what."""

    item: Item
    path: Path  # the Markdown file
    slug: str  # its slug on the new site
    url: str  # its address on the new site
    source: tuple[str, str]  # (outlet, URL): the original's, or for a draft without one the old post's
    tags: list[str]
    aliases: list[str]
    kept: list[str] = field(default_factory=list)  # filled when converted
    images: list[str] = field(default_factory=list)


@dataclass
class Outcome:
    site: Site
    placed: list[Placed] = field(default_factory=list)
    skipped: list[tuple[Item, str]] = field(default_factory=list)


def detect(where: Path) -> str | None:
    """What ``where`` is: "hugo", "jekyll" or "wordpress"; None when none of them."""
    if where.is_dir():
        return "hugo" if hugo.config_of(where) else "jekyll" if jekyll.is_site(where) else None
    return "wordpress" if where.is_file() and wordpress.is_export(where) else None


def import_site(config: SiteConfig, where: Path, kind: str, options: Options, dry_run: bool, now: datetime,
                say, tags: tuple[str, ...] = ()) -> Outcome:  # fmt: skip
    """``tags``: added to every story (``--tag``)."""
    readers = {"hugo": hugo.read_site, "jekyll": jekyll.read_site, "wordpress": wordpress.read_export}
    site = readers[kind](where, options, config.tzinfo)
    for item in site.items:
        item.tags += tags if item.kind == "post" else ()
    known, _ = read_archive(config)
    outcome = Outcome(site)
    for item in site.items:
        why = item.skip or _place(item, site, known, config, now, outcome)
        if why:
            outcome.skipped.append((item, why))
    _convert(outcome, site, config.root)
    verb = "would make" if dry_run else "made"
    for placed in outcome.placed:
        if not dry_run:
            _write(placed, config)
        rel = placed.path.relative_to(config.root).as_posix()
        item = placed.item
        what = "draft, no link to an original" if not item.original and item.kind == "post" else \
            "draft" if item.draft else item.kind  # fmt: skip
        say(f"{verb} {rel}: {item.title} [{what}]")
    for item, why in outcome.skipped:
        say(f"skipped {item.origin}{f' ({item.title})' if item.title else ''}: {why}")
    return outcome


def _place(item: Item, site: Site, known: Known, config: SiteConfig, now: datetime, outcome: Outcome) -> str:
    """Where ``item`` goes (added to ``outcome``), or why it goes nowhere."""
    if not slugify(item.title) and not slugify(item.slug):
        return "no title"
    if item.date is None:
        return "no date"
    if item.kind == "page":
        return _place_page(item, config, known, outcome)
    if item.date > now:
        item.notes.append(f"dated after now ({item.date.isoformat()}): it stays off the site until then")
    original = clean_url(item.original) if item.original else ""
    if original:
        if existing := known.archived(original):
            return f"its original {original} is already archived by {existing}"
        source = (item.outlet or known.outlet(original), original)
    else:
        item.draft = True  # it waits until an editor names the original
        old = item.old_url or (config.base_url.rstrip("/") + item.old_paths[0] if item.old_paths else "")
        if not old:
            return "no link to an original, and no old address to stand in for it"
        if existing := known.archived(old):
            return f"already imported as {existing}"
        source = (site.title or urlsplit(old).hostname or "", old)
    local = item.date.astimezone(config.tzinfo) if not item.day_only else item.date
    slug = slugify(item.slug) or slugify(item.title)
    url, number = permalink(config, local, slug), 1
    while url in known.addresses:
        number += 1
        url = permalink(config, local, f"{slug}-{number}")
    slug = slug if number == 1 else f"{slug}-{number}"
    folder = config.content_path / "articles" / f"{local.year:04d}"
    path = _free(folder, slug, known, bundle=bool(item.files))
    known.made.add(path)
    known.addresses.add(url)
    known.add(path.relative_to(config.root).as_posix(), source[1])
    outcome.placed.append(Placed(item, path, slug, url, source, known.tag_names(item.tags), _aliases(item, url)))
    return ""


def _place_page(item: Item, config: SiteConfig, known: Known, outcome: Outcome) -> str:
    slug = slugify(item.slug) or slugify(item.title)
    path = config.content_path / "pages" / f"{slug}.md"
    if path.exists() or path in known.made:
        return f"{path.relative_to(config.root).as_posix()} is there already"
    known.made.add(path)
    url = config.page_permalink.format(slug=slug)
    outcome.placed.append(Placed(item, path, slug, url, ("", ""), [], _aliases(item, url)))
    return ""


def _free(folder: Path, slug: str, known: Known, bundle: bool) -> Path:
    """``<slug>.md`` (a bundle: ``<slug>/index.md``), or ``<slug>-2`` and so on when taken."""
    number = 1
    while True:
        name = slug if number == 1 else f"{slug}-{number}"
        path = folder / name / "index.md" if bundle else folder / f"{name}.md"
        if path not in known.made and not path.exists() and not (bundle and path.parent.exists()):
            return path
        number += 1


def _aliases(item: Item, url: str) -> list[str]:
    found = []
    for old in item.old_paths:
        path, problem = alias_path(old)
        if problem:
            item.notes.append(f"old address {old} is not kept: it {problem}")
        elif path != url and path not in found:
            found.append(path)
    return found


def _convert(outcome: Outcome, site: Site, root: Path) -> None:
    """Each body as Markdown, with links to other imported posts made links to their files."""
    by_key = {key: placed for placed in outcome.placed for key in placed.item.keys if key}
    by_path = {alias: placed for placed in outcome.placed for alias in placed.aliases}
    own_host = urlsplit(site.url).hostname if site.url else None
    base_path = urlsplit(site.url).path if site.url else "/"
    for placed in outcome.placed:

        def to_file(target: Placed | None, placed=placed) -> str | None:
            """The link to ``target``'s file; to its old address while it is a draft (a published story
            may not link to a draft)."""
            if target is None:
                return None
            if target.item.draft and not placed.item.draft:
                placed.item.notes.append(f"links to {target.path.relative_to(root).as_posix()}, "
                                         "a draft: the link keeps its old address until the draft is published")
                return target.item.old_url or None
            return os.path.relpath(target.path, placed.path.parent).replace(os.sep, "/")

        def old_link(dest: str) -> str | None:
            parts = urlsplit(dest)
            if parts.scheme and (parts.scheme not in ("http", "https") or parts.hostname != own_host):
                return None
            if not parts.path.startswith("/"):
                return None
            path = "/" + parts.path.removeprefix(base_path).lstrip("/") if parts.scheme else parts.path
            found = to_file(by_path.get(alias_path(path)[0]))
            return found + (f"#{parts.fragment}" if parts.fragment else "") if found else None

        converted = convert(placed.item, lambda key: to_file(by_key.get(key.strip("'\" "))))
        placed.item.body = relink(converted.text, old_link)
        placed.kept, placed.images = converted.kept, converted.images
        placed.item.notes += converted.notes


def _write(placed: Placed, config: SiteConfig) -> None:
    placed.path.parent.mkdir(parents=True, exist_ok=True)
    with open(placed.path, "x", encoding="utf-8") as handle:  # never overwrite
        handle.write(story_text(placed, config))
    for source, name in placed.item.files:
        target = placed.path.parent / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)

