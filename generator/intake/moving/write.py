"""An imported post's file: front matter in ssg's fields, then its body."""

from __future__ import annotations

from typing import TYPE_CHECKING

from generator.config.site import SiteConfig
from generator.intake.story import front_yaml

if TYPE_CHECKING:
    from generator.intake.moving.migrate import Placed

NO_ORIGINAL = ("# Imported without a link to an original: source is the post's old address. Put the\n"
               "# original's outlet and URL there, then remove 'draft: true' to publish it.\n")  # fmt: skip


def story_text(placed: Placed, config: SiteConfig) -> str:
    item = placed.item
    front: dict = {"title": item.title}
    if item.kind == "page":
        if item.summary:
            front["summary"] = item.summary
        front["slug"] = placed.slug
    else:
        front["date"] = item.date.date().isoformat() if item.day_only else \
            item.date.astimezone(config.tzinfo).isoformat()  # fmt: skip
        if item.updated is not None and item.updated > item.date:
            front["updated"] = item.updated.astimezone(config.tzinfo).isoformat()
        name, url = placed.source
        front["source"] = {"name": name, "url": url}
        if placed.tags:
            front["tags"] = placed.tags
        if item.summary:
            front["summary"] = item.summary
        if item.slug:
            front["slug"] = placed.slug
        if item.image is not None:
            image = {"src": item.image.src, "alt": item.image.alt}
            front["image"] = image | ({"caption": item.image.caption} if item.image.caption else {})
    if placed.aliases:
        front["aliases"] = placed.aliases
    front |= {key: value for key, value in item.extra.items() if key not in front}
    if item.draft:
        front["draft"] = True
    dump = front_yaml(front)
    lead = NO_ORIGINAL if item.kind == "post" and not item.original else ""
    body = item.body.strip("\n")
    return "---\n" + lead + dump + "---\n" + (body + "\n" if body else "")
