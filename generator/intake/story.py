"""A new story file, as ``ssg new`` and ``ssg import`` write it: valid front
matter, the starting text as its body, and an ``intake:`` block that holds
the story back until an editor has made the text their own
(``generator/content/review.py``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from generator.config.site import SiteConfig
from generator.content.review import PLACEHOLDER, text_digest
from generator.util.slugs import slugify

HELD = ("# ssg holds this story back until the text below is in your own words\n"
        "# (or until intake.reviewed is true); ssg check lists the stories that wait.\n")  # fmt: skip


_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # libyaml's: ten times faster (5,000 stories an import)


class ScaffoldError(Exception):
    """The story cannot be created; the message says why."""


@dataclass
class Draft:
    title: str
    date: str  # ISO 8601, a date or a date and time
    outlet: str
    url: str
    authors: list[str] = field(default_factory=list)
    published: str = ""
    tags: list[str] = field(default_factory=list)
    body: str = ""  # the starting text (Markdown); the placeholder when empty
    came_from: str = ""  # the page or feed it came from (intake.from)


def story_text(draft: Draft) -> str:
    source: dict = {"name": draft.outlet, "url": draft.url}
    if draft.authors:
        source["author"] = draft.authors[0] if len(draft.authors) == 1 else list(draft.authors)
    if draft.published:
        source["published"] = draft.published
    front: dict = {"title": draft.title, "date": draft.date, "source": source}
    if draft.tags:
        front["tags"] = list(draft.tags)
    body = draft.body.strip() or PLACEHOLDER
    intake: dict = {}
    if draft.came_from:
        intake["from"] = draft.came_from
    intake |= {"starting_text": text_digest(body), "reviewed": False}
    return "---\n" + front_yaml(front) + HELD + front_yaml({"intake": intake}) + "---\n" + body + "\n"


def front_yaml(value: dict) -> str:
    """Front matter as ssg writes it: keys in the order given, text as it is (no escapes), no folded lines."""
    return yaml.dump(value, Dumper=_DUMPER, allow_unicode=True, sort_keys=False, width=1000)


def story_path(config: SiteConfig, title: str, date: str, taken: set[Path], unique: bool) -> Path:
    """``content/articles/<year>/<slug>.md``; with ``unique``, ``<slug>-2.md`` and so on when it is taken."""
    slug = slugify(title)
    if not slug:
        raise ScaffoldError(f"the title {title!r} has no letters or digits to make a file name from")
    folder = config.content_path / "articles" / date[:4]
    path = folder / f"{slug}.md"
    number = 1
    while unique and (path in taken or path.exists()):
        number += 1
        path = folder / f"{slug}-{number}.md"
    if path.exists():
        raise ScaffoldError(f"{path.relative_to(config.root).as_posix()} already exists; nothing was written")
    return path


def write_story(path: Path, draft: Draft) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with open(path, "x", encoding="utf-8") as handle:  # "x": never overwrite, even in a race
            handle.write(story_text(draft))
    except FileExistsError:
        raise ScaffoldError(f"{path.name} appeared meanwhile; nothing was written") from None
