"""`ssg new`: write a correctly named story file with valid front matter."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from generator.config.site import SiteConfig
from generator.config.validate import check_url
from generator.util.slugs import slugify


class ScaffoldError(Exception):
    """The story cannot be created; the message says why."""


def new_story(config: SiteConfig, title: str, source: str, tags: list[str], outlet: str | None,
              when: datetime) -> Path:  # fmt: skip
    title = title.strip()
    if not title:
        raise ScaffoldError("the title must not be empty")
    slug = slugify(title)
    if not slug:
        raise ScaffoldError(f"the title {title!r} has no letters or digits to make a file name from")
    if problem := check_url(source):
        raise ScaffoldError(f"--source {source}: {problem}")
    name = (outlet or urlsplit(source).hostname or "").strip()
    if name.startswith("www."):
        name = name[4:]
    for tag in tags:
        if not slugify(tag):
            raise ScaffoldError(f"--tag {tag!r} has no letters or digits")
    local = when.astimezone(config.tzinfo).replace(microsecond=0)
    path = config.content_path / "articles" / f"{local:%Y}" / f"{slug}.md"
    if path.exists():
        raise ScaffoldError(f"{path.relative_to(config.root)} already exists; nothing was written")
    front: dict = {"title": title, "date": local.isoformat(), "source": {"name": name, "url": source}}
    if tags:
        front["tags"] = tags
    text = "---\n" + yaml.safe_dump(front, allow_unicode=True, sort_keys=False, width=1000) + "---\n"
    text += "Write a short summary of the original story here, in your own words.\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "x", encoding="utf-8") as handle:  # "x": never overwrite, even in a race
        handle.write(text)
    return path
