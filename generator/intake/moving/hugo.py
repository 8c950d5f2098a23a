"""A Hugo site folder: its configuration (``hugo.toml``, ``config.yaml``...)
for the site's address, time zone and permalinks, and every content file
below ``content/``: a file in a section is a post, a file at the top a page;
a leaf bundle (``index.md`` with its files) brings its files along."""

from __future__ import annotations

import re
from datetime import datetime, tzinfo
from pathlib import Path, PurePosixPath

from generator.intake.moving.frontmatter import config_file, read, zone_of
from generator.intake.moving.items import Item, Site, attempt, refuse
from generator.intake.moving.posts import Options, fill, leftovers

CONFIGS = ("hugo.toml", "hugo.yaml", "hugo.yml", "hugo.json", "config.toml", "config.yaml", "config.yml", "config.json")
CONTENT = (".md", ".markdown", ".mdown", ".html")


def config_of(folder: Path) -> Path | None:
    """The Hugo configuration file of ``folder``, when it is a Hugo site (a ``content/`` folder beside)."""
    found = next((folder / name for name in CONFIGS if (folder / name).is_file()), None)
    return found if found is not None and (folder / "content").is_dir() else None


def read_site(folder: Path, options: Options, zone: tzinfo) -> Site:
    config = config_file(config_of(folder))
    keys = {key.lower(): value for key, value in config.items()}
    base = str(keys.get("baseurl") or "")
    base = base if base.endswith("/") or not base else base + "/"
    zone = zone_of(keys.get("timezone"), zone, "the Hugo configuration's timeZone")
    permalinks = keys.get("permalinks") if isinstance(keys.get("permalinks"), dict) else {}
    if isinstance(permalinks.get("page"), dict):  # Hugo 0.120's [permalinks.page]
        permalinks = permalinks["page"]
    content = folder / str(keys.get("contentdir") or "content")
    site = Site("Hugo", str(keys.get("title") or ""), base if base.startswith(("http://", "https://")) else "", [])
    problems: list = []
    for path in sorted(content.rglob("*")):
        if path.suffix.lower() not in CONTENT or not path.is_file() or _hidden(path, content):
            continue
        bundle = path.parent if path.stem == "index" else None
        if bundle is None and any((parent / "index.md").is_file() for parent in path.parents if parent != content
                                  and content in parent.parents):  # fmt: skip
            continue  # a page of a bundle's own
        rel = path.relative_to(content).as_posix()
        if path.stem == "_index":
            site.notes.append(f"{rel}: a section's list page, not imported (ssg makes its own lists)")
            continue
        item = attempt(problems, path, _item, path, rel, bundle, content, permalinks, base, options, zone)
        if item is not None:
            site.items.append(item)
    refuse(problems)
    return site


def _item(path, rel, bundle, content, permalinks, base, options, zone) -> Item:
    origin = path.relative_to(content.parent).as_posix()
    front, body = read(path)
    dirs = PurePosixPath(rel).parent.parts if bundle is None else PurePosixPath(rel).parent.parent.parts
    item = Item(origin=origin, kind="post" if dirs else "page", body=body,
                markup="hugo" if path.suffix.lower() != ".html" else "html")  # fmt: skip
    taken = fill(item, front, options, zone, bundle)
    name = bundle.name if bundle is not None else path.stem
    if item.date is None:
        item.date = datetime.fromtimestamp(path.stat().st_mtime, zone).replace(microsecond=0)
        if item.kind == "post":
            item.notes.append("no date: the file's last change was taken")
    if item.kind == "page" and not item.slug:
        item.slug = name  # (its address stays the same)
    taken |= {key for key in front if key.lower() == "url"}
    own = next((v for k, v in front.items() if k.lower() == "url"), None)
    path_ = str(own) if isinstance(own, str) and own.strip() else _permalink(item, dirs, name, permalinks)
    path_ = "/" + path_.strip().lstrip("/")
    item.old_paths.insert(0, path_)
    item.old_paths[1:] = [p if p.startswith("/") else str(PurePosixPath(path_).parent / p) for p in item.old_paths[1:]]
    item.old_url = (base.rstrip("/") + path_) if base.startswith(("http://", "https://")) else ""
    stem = rel.rsplit(".", 1)[0]
    item.keys = [rel, "/" + rel, stem, "/" + stem, rel.rsplit("/", 1)[-1], name]
    if bundle is not None:
        item.keys += [stem.removesuffix("/index"), "/" + stem.removesuffix("/index")]
        item.files = [(f, f.relative_to(bundle).as_posix()) for f in sorted(bundle.rglob("*")) if f.is_file()
                      and f != path and f.suffix.lower() not in CONTENT and not _hidden(f, bundle)]  # fmt: skip
    leftovers(item, front, taken, options)
    return item


def _permalink(item: Item, dirs: tuple[str, ...], name: str, permalinks: dict) -> str:
    section = dirs[0] if dirs else ""
    pattern = permalinks.get(section) if isinstance(permalinks, dict) else None
    slug = item.slug or name
    if not isinstance(pattern, str):
        return "/".join((*dirs, _urlize(slug))).lower() + "/"
    day = item.date or datetime(1970, 1, 1)
    values = {
        "year": f"{day.year:04d}", "month": f"{day.month:02d}", "monthname": day.strftime("%B").lower(),
        "day": f"{day.day:02d}", "weekday": str(day.isoweekday() % 7), "weekdayname": day.strftime("%A").lower(),
        "yearday": str(day.timetuple().tm_yday), "section": section, "sections": "/".join(dirs),
        "title": _urlize(item.title), "slug": _urlize(item.slug or item.title), "filename": _urlize(name),
        "slugorfilename": _urlize(item.slug or name), "contentbasename": _urlize(name),
        "slugorcontentbasename": _urlize(item.slug or name),
    }  # fmt: skip
    return re.sub(r":(\w+)", lambda m: values.get(m[1].lower(), m[0]), pattern).lower()


def _urlize(text: str) -> str:
    """Hugo's ``urlize`` for a path part: lower case, spaces made '-', punctuation dropped."""
    return re.sub(r"\s+", "-", re.sub(r"[^\w\s.-]", "", text.strip().lower()))


def _hidden(path: Path, top: Path) -> bool:
    return any(part.startswith(".") for part in path.relative_to(top).parts)
