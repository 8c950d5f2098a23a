"""A Jekyll site folder: ``_config.yml`` for the site's address, time zone
and permalink style; posts in ``_posts/`` (and ``<category>/_posts/``),
named ``YYYY-MM-DD-slug.md``; drafts in ``_drafts/``; pages (Markdown files
with front matter at the top of the site)."""

from __future__ import annotations

import re
from datetime import datetime, tzinfo
from pathlib import Path

from generator.intake.moving.frontmatter import config_file, read, zone_of
from generator.intake.moving.items import Item, Site, attempt, refuse
from generator.intake.moving.posts import Options, fill, leftovers

STYLES = {
    "date": "/:categories/:year/:month/:day/:title:output_ext",
    "pretty": "/:categories/:year/:month/:day/:title/",
    "ordinal": "/:categories/:year/:y_day/:title:output_ext",
    "weekdate": "/:categories/:year/W:week/:short_day/:title:output_ext",
    "none": "/:categories/:title:output_ext",
}
_POST = re.compile(r"^(\d{4})-(\d\d)-(\d\d)-(.+)\.(md|markdown|mkd|mkdn|html)$", re.IGNORECASE)
_OUTSIDE = {"_site", "vendor", "node_modules", ".jekyll-cache", ".git"}
NOT_PAGES = ("index", "404", "README", "CHANGELOG", "LICENSE")
TEXT = (".md", ".markdown", ".mkd", ".mkdn", ".html")


def is_site(folder: Path) -> bool:
    return (folder / "_config.yml").is_file() or (folder / "_config.yaml").is_file() or (folder / "_posts").is_dir()


def read_site(folder: Path, options: Options, zone: tzinfo) -> Site:
    found = next((folder / n for n in ("_config.yml", "_config.yaml", "_config.toml") if (folder / n).is_file()), None)
    config = config_file(found) if found else {}
    base_path = "/" + str(config.get("baseurl") or "").strip("/")
    url = str(config.get("url") or "").rstrip("/")
    address = (url + base_path.rstrip("/") + "/") if url.startswith(("http://", "https://")) else ""
    zone = zone_of(config.get("timezone"), zone, "_config.yml: timezone")
    style = str(config.get("permalink") or "date")
    site = Site("Jekyll", str(config.get("title") or ""), address, [])
    problems: list = []
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder)
        if not path.is_file() or _OUTSIDE & set(rel.parts) or any(p.startswith(".") for p in rel.parts):
            continue
        if "_posts" in rel.parts[:-1] or rel.parts[0] == "_drafts":
            drafts = rel.parts[0] == "_drafts"
            if not drafts and not _POST.match(path.name):
                if path.suffix.lower() in TEXT:
                    site.notes.append(f"{rel.as_posix()}: not named YYYY-MM-DD-slug, so Jekyll did not publish it")
                continue
            if path.suffix.lower() in TEXT and (item := attempt(problems, path, _post, path, rel, style, address,
                                                                   options, zone, drafts)):  # fmt: skip
                site.items.append(item)
        elif len(rel.parts) == 1 and path.suffix.lower() in (".md", ".markdown") and path.stem not in NOT_PAGES:
            item = attempt(problems, path, _post, path, rel, style, address, options, zone, drafts=False, page=True)
            if item is not None:
                site.items.append(item)
    refuse(problems)
    return site


def _post(path: Path, rel: Path, style: str, address: str, options: Options, zone: tzinfo, drafts: bool,
          page: bool = False) -> Item | None:  # fmt: skip
    front, body = read(path)
    if page and not front:
        return None  # (Jekyll copies a file without front matter as it is)
    named = _POST.match(path.name)
    slug = named[4] if named else path.stem
    item = Item(origin=rel.as_posix(), kind="page" if page else "post", body=body, draft=drafts,
                markup="html" if path.suffix.lower() == ".html" else "liquid")  # fmt: skip
    if named:
        item.date, item.day_only = datetime(int(named[1]), int(named[2]), int(named[3]), tzinfo=zone), True
    taken = fill(item, front, options, zone)
    if item.date is None:
        item.date = datetime.fromtimestamp(path.stat().st_mtime, zone).replace(microsecond=0)
        if not page:
            item.notes.append("no date: the file's last change was taken")
    item.slug = item.slug or slug
    item.title = item.title or slug.replace("-", " ").capitalize()
    folder_categories = list(rel.parts[: rel.parts.index("_posts")]) if "_posts" in rel.parts else []
    own = front.get("permalink")
    if "permalink" in front:
        taken.add("permalink")
    if page:
        pattern = own or ("/:title/" if style == "pretty" else "/:title:output_ext")
    else:
        pattern = own or STYLES.get(style, style)
    if not drafts:  # (Jekyll published no draft: it has no old address)
        item.old_paths.insert(0, _fill(str(pattern), item, folder_categories + _categories(front)))
        item.old_url = address.rstrip("/") + item.old_paths[0] if address else ""
    stem = rel.with_suffix("").as_posix()
    after_posts = "/".join(rel.with_suffix("").parts[rel.parts.index("_posts") + 1 :]) if "_posts" in rel.parts else ""
    item.keys = [f"link:{rel.as_posix()}", f"link:/{rel.as_posix()}", f"post_url:{after_posts or stem}"]
    leftovers(item, front, taken, options)
    return item


def _categories(front: dict) -> list[str]:
    value = front.get("categories", front.get("category"))
    if isinstance(value, str):
        return value.split() if "categories" in front else [value]
    return [str(v) for v in value] if isinstance(value, list) else []


def _fill(pattern: str, item: Item, categories: list[str]) -> str:
    day = item.date
    values = {
        "year": f"{day.year:04d}", "month": f"{day.month:02d}", "i_month": str(day.month), "day": f"{day.day:02d}",
        "i_day": str(day.day), "short_year": f"{day.year % 100:02d}", "hour": f"{day.hour:02d}",
        "minute": f"{day.minute:02d}", "second": f"{day.second:02d}", "y_day": f"{day.timetuple().tm_yday:03d}",
        "week": f"{day.isocalendar()[1]:02d}", "short_day": day.strftime("%a"), "long_day": day.strftime("%A"),
        "title": item.slug, "slug": re.sub(r"[^a-z0-9]+", "-", item.slug.lower()).strip("-"),
        "categories": "/".join(dict.fromkeys(c.lower().replace(" ", "-") for c in categories)), "output_ext": ".html",
    }  # fmt: skip
    made = re.sub(r":(\w+?)(?=\W|$)", lambda m: values.get(m[1], m[0]), pattern)
    return "/" + re.sub(r"/{2,}", "/", made).lstrip("/")
