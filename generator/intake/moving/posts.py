"""The front matter fields Hugo and Jekyll posts share, mapped onto an
:class:`Item`; every other field is kept in ``item.unmapped`` for the report
(or in ``item.extra`` when ``site.yml`` lists it under ``extra_front_matter``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from pathlib import Path

from generator.config.validate import check_url
from generator.intake.moving.frontmatter import listed, terms, when
from generator.intake.moving.items import SOURCE_FIELDS, Item, LeadImage, shown

DATES = ("date", "publishdate", "pubdate", "published")
UPDATES = ("lastmod", "last_modified_at", "modified", "updated")
SUMMARIES = ("summary", "description", "excerpt")
IMAGES = ("image", "images", "featured_image", "featuredimage", "cover", "thumbnail")
ALT_KEYS = ("image_alt", "alt", "featured_image_alt")


@dataclass(frozen=True)
class Options:
    source_fields: tuple[str, ...] = SOURCE_FIELDS  # where a post names its original
    extra: tuple[str, ...] = ()  # site.yml's extra_front_matter: kept as they are
    category: str = ""  # WordPress: only posts in this category or with this tag
    first_link: bool = False  # WordPress: the first link out of the site is the original


def fill(item: Item, front: dict, options: Options, zone: tzinfo, bundle: Path | None = None) -> set[str]:
    """Map ``front`` onto ``item``; returns the keys taken, for the reader to add its own before
    :func:`leftovers`."""
    keys = {key.lower(): key for key in front}
    taken: set[str] = set()

    def get(*names, ok=lambda value: isinstance(value, str | int | float) and not isinstance(value, bool)):
        """The first of ``names`` there, if ``ok`` for it (else it is left for the report)."""
        for name in names:
            if name in keys and ok(front[keys[name]]):
                taken.add(keys[name])
                return front[keys[name]]
        return None

    if (title := get("title")) is not None:
        item.title = " ".join(str(title).split())
    day = get(*DATES, ok=lambda value: when(value, zone) is not None)
    if day is not None:
        item.date = when(day, zone)
        item.day_only = not isinstance(day, datetime) and (isinstance(day, date) or len(str(day).strip()) == 10)
    item.updated = when(get(*UPDATES, ok=lambda value: when(value, zone) is not None), zone)
    if (draft := get("draft", ok=lambda value: value in (True, False, "true", "True", "false", "False"))) is not None:
        item.draft = draft in (True, "true", "True")
    if get("published", ok=lambda value: value is False) is not None:
        item.draft = True
    names = lambda value: isinstance(value, str) or isinstance(value, list) and all(  # noqa: E731
        isinstance(v, str | int | float) for v in value)
    item.tags += terms(get("tags", ok=names)) + terms(get("categories", ok=names)) + listed(get("category", ok=names))
    if (slug := get("slug")) is not None:
        item.slug = str(slug)
    item.summary = next((" ".join(str(v).split()) for v in (get(name) for name in SUMMARIES) if v), "")
    item.old_paths += [str(a) for a in listed(get("aliases", "redirect_from", ok=names))]
    _original(item, front, keys, options, taken)
    _image(item, front, keys, taken, bundle)
    return taken


def _original(item: Item, front: dict, keys: dict, options: Options, taken: set[str]) -> None:
    params = front.get(keys.get("params", ""), {})
    for name in options.source_fields:
        for holder, key in ((front, keys.get(name.lower())), (params, name if isinstance(params, dict) else None)):
            value = holder.get(key) if key is not None and isinstance(holder, dict) else None
            if isinstance(value, dict):
                item.outlet = str(value.get("name") or "")
                value = value.get("url")
            if isinstance(value, str) and value.strip() and not check_url(value.strip()):
                item.original = value.strip()
                taken.add(keys.get(name.lower(), "params") if holder is front else "params")
                named = keys.get(name.lower().removesuffix("_url") + "_name")  # source_url beside source_name
                if name.lower().endswith("_url") and named is not None and isinstance(front[named], str):
                    item.outlet = item.outlet or front[named].strip()
                    taken.add(named)
                return


def _image(item: Item, front: dict, keys: dict, taken: set[str], bundle: Path | None) -> None:
    for name in IMAGES:
        value = front.get(keys.get(name, ""))
        if value is None:
            continue
        alt = next((str(front[keys[k]]) for k in ALT_KEYS if k in keys and front[keys[k]]), "")
        caption = ""
        if isinstance(value, dict):  # cover: {image, alt, caption}
            alt, caption, value = str(value.get("alt") or alt), str(value.get("caption") or ""), value.get("image")
        if isinstance(value, list):
            value = value[0] if value else None
        if not isinstance(value, str) or bundle is None or not (bundle / value).is_file():
            return  # (not a file of the post's own: left for the report)
        taken.add(keys[name])
        taken.update(keys[k] for k in ALT_KEYS if k in keys)
        if not alt:
            item.notes.append(f"lead image {value} has no alt text: add it to the story as image: src and alt")
            return
        item.image = LeadImage(value, alt, caption)
        return


def leftovers(item: Item, front: dict, taken: set[str], options: Options) -> None:
    """The fields nobody took: kept when the site allows them, else listed."""
    for key, value in front.items():
        if key in taken:
            continue
        if key in options.extra:
            item.extra[key] = value
        elif key == "params" and isinstance(value, dict):
            for inner, deep in value.items():
                item.unmapped[f"params.{inner}"] = shown(deep)
        else:
            item.unmapped[key] = shown(value)
