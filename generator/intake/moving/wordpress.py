"""A WordPress export (WXR: RSS with WordPress's ``wp:`` elements), read
without resolving entities or fetching anything: published posts and pages;
drafts, private and password-protected posts, attachments and other items
are listed, not imported."""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from generator.config.validate import check_url
from generator.diagnostics import error
from generator.intake.moving.items import Item, Site, SiteError, shown
from generator.intake.moving.posts import Options
from generator.intake.page import plain
from generator.intake.text import fragment
from generator.util.slugs import slugify

NAMESPACE = "wordpress.org/export/"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"
DC = "{http://purl.org/dc/elements/1.1/}creator"


def is_export(path: Path) -> bool:
    try:
        with open(path, "rb") as handle:
            head = handle.read(65536)
    except OSError:
        return False
    return b"<rss" in head and NAMESPACE.encode() in head


def read_export(path: Path, options: Options, zone: tzinfo) -> Site:
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=True)
    try:
        root = etree.parse(str(path), parser).getroot()
    except etree.XMLSyntaxError as exc:
        line, col = exc.position if exc.position else (1, 1)
        message = f"not a WordPress export that parses: {exc.msg}"
        raise SiteError(f"{path} cannot be read", [error(str(path), line or 1, max(col, 1), "", message)]) from None
    except OSError as exc:
        raise SiteError(f"{path.name}: not a WordPress export that parses: {exc}") from None
    if root.getroottree().docinfo.internalDTD is not None:
        raise SiteError(f"{path.name}: declares a DTD (<!DOCTYPE … [ … ]>), which WordPress never writes: "
                        "not read, as its entities could stand for other files")  # fmt: skip
    wp = next((f"{{{uri}}}" for uri in root.nsmap.values() if uri and uri.rstrip("/").endswith(("export/1.0",
               "export/1.1", "export/1.2"))), None)  # fmt: skip
    channel = root.find("channel")
    if wp is None or channel is None:
        raise SiteError(f"{path.name}: an RSS file without WordPress's export elements (wp:)")
    home = (channel.findtext("link") or channel.findtext(f"{wp}base_blog_url") or "").strip()
    home = home if home.endswith("/") or not home else home + "/"
    site = Site("WordPress", plain(channel.findtext("title") or ""), home if not check_url(home) else "", [])
    excerpt = next((f"{{{uri}}}encoded" for uri in root.nsmap.values() if uri and "/excerpt/" in uri), None)
    for number, element in enumerate(channel.findall("item"), 1):
        site.items.append(_item(element, number, wp, excerpt, site.url, options, zone))
    return site


def _item(element, number: int, wp: str, excerpt: str | None, home: str, options: Options, zone: tzinfo) -> Item:
    text = lambda name: (element.findtext(name) or "").strip()  # noqa: E731
    kind, status = text(f"{wp}post_type"), text(f"{wp}status")
    item = Item(origin=f"item {number} ({kind or 'item'} {text(f'{wp}post_id')})", kind=kind, markup="html",
                title=plain(text("title")), body=element.findtext(CONTENT) or "")  # fmt: skip
    if kind == "attachment":
        url = text(f"{wp}attachment_url") or text("guid")
        item.skip = f"an attachment, {url}: save it beside the story that shows it"
        return item
    if kind not in ("post", "page"):
        item.skip = f"a {kind or 'item without a type'}"
        return item
    if status != "publish":
        item.skip = f"{status or 'not published'} on WordPress (only published posts and pages are imported)"
        return item
    item.date = _when(text(f"{wp}post_date_gmt"), UTC) or _when(text(f"{wp}post_date"), zone)
    item.updated = _when(text(f"{wp}post_modified_gmt"), UTC)
    item.slug = unquote(text(f"{wp}post_name"))
    terms = [(c.get("domain"), c.get("nicename") or "", plain(c.text or "")) for c in element.findall("category")]
    item.tags = [name for domain, _, name in terms if domain in ("category", "post_tag") and name]
    wanted = slugify(options.category) if options.category else ""
    if wanted and kind == "post" and all(wanted not in (slugify(nice), slugify(name)) for _, nice, name in terms):
        item.skip = f"not in the category or tag {options.category!r} (--category)"
        return item
    if excerpt is not None and (summary := plain(element.findtext(excerpt) or "")):
        item.summary = summary
    if text(f"{wp}post_password"):
        item.draft = True
        item.notes.append("password-protected on WordPress: imported as a draft")
    _meta(item, element, wp, options)
    link = text("link")
    if link:
        item.old_url = urljoin(home or link, link)
        parts = urlsplit(item.old_url)
        if parts.query:
            item.notes.append(f"its old address {link} has a query ('?'): a static site cannot answer it")
        else:
            below = urlsplit(home).path if home else "/"
            path = unquote(parts.path)
            item.old_paths.append("/" + path.removeprefix(below).lstrip("/") if path.startswith(below) else path)
    if not item.original and options.first_link:
        item.original = _first_link(item.body, home)
    item.keys = [text(f"{wp}post_id")]
    return item


def _meta(item: Item, element, wp: str, options: Options) -> None:
    """Custom fields: the original's link, and the others for the report (WordPress's own, "_…", apart)."""
    author = (element.findtext(DC) or "").strip()
    if author:
        (item.extra if "author" in options.extra else item.unmapped)["author"] = author
    comments = len(element.findall(f"{wp}comment"))
    if comments:
        item.unmapped["comments"] = f"{comments} (comments are not imported)"
    for meta in element.findall(f"{wp}postmeta"):
        key, value = (meta.findtext(f"{wp}meta_key") or "").strip(), (meta.findtext(f"{wp}meta_value") or "").strip()
        if not key or key.startswith("_"):
            continue
        if key in options.source_fields and not item.original and value and not check_url(value):
            item.original = value
        elif key in options.extra:
            item.extra[key] = value
        else:
            item.unmapped[f"custom field {key}"] = shown(value)


def _first_link(html: str, home: str) -> str:
    """The first http(s) link in ``html`` that leads out of the old site."""
    if (root := fragment(html)) is None:
        return ""
    own = urlsplit(home).hostname if home else None
    for anchor in root.iter("a"):
        href = (anchor.get("href") or "").strip()
        if href and not check_url(href) and urlsplit(href).hostname != own:
            return href
    return ""


def _when(text: str, zone: tzinfo) -> datetime | None:
    if not text or text.startswith("0000"):
        return None
    try:
        return datetime.strptime(text, "%Y-%m-%d %H:%M:%S").replace(tzinfo=zone)
    except ValueError:
        return None
