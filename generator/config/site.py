"""site.yml: a typed configuration with defaults; unknown keys are errors."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from generator.config.images import ImagesConfig, read_images
from generator.config.outlets import Outlets, read_outlets
from generator.config.validate import Checker, check_url
from generator.config.yamlsource import Node, parse_yaml
from generator.diagnostics import Diagnostic, error
from generator.util.slugs import is_slug, slugify

CONFIG_NAME = "site.yml"
ARCHIVE_ENDPOINT = "https://web.archive.org/save/"  # the Internet Archive's Save Page Now

ARTICLE_PLACEHOLDERS = ("year", "month", "day", "slug")
PAGE_PLACEHOLDERS = ("slug",)
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


@dataclass(frozen=True)
class TagDecl:
    slug: str
    name: str
    description: str = ""
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class MarkdownOptions:
    html: bool = False
    typographer: bool = True


@dataclass(frozen=True)
class SiteConfig:
    root: Path
    title: str
    base_url: str
    description: str = ""
    language: str = "en"
    timezone: str = "UTC"
    theme: str = "default"
    content_dir: str = "content"
    output_dir: str = "public"
    per_page: int = 20
    article_permalink: str = "/{year}/{month}/{slug}/"
    page_permalink: str = "/{slug}/"
    tags: tuple[TagDecl, ...] = ()
    markdown: MarkdownOptions = field(default_factory=MarkdownOptions)
    feed_entries: int = 20
    sitemap_limit: int = 50_000
    news_sitemap: bool = False
    search: bool = True
    tags_strict: bool = False  # only tags declared under `tags:` may be used
    headers: bool = False  # write `_headers` (HSTS, nosniff, frame-ancestors) for hosts that read it
    extra_front_matter: tuple[str, ...] = ()
    images: ImagesConfig = field(default_factory=ImagesConfig)
    outlets: Outlets = field(default_factory=Outlets)
    archive_endpoint: str = ARCHIVE_ENDPOINT  # `ssg archive` asks it to save an original: endpoint + URL
    archive_interval: float = 5.0  # seconds between two requests to it

    @property
    def tzinfo(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def content_path(self) -> Path:
        return self.root / self.content_dir

    @property
    def output_path(self) -> Path:
        return self.root / self.output_dir


TOP_KEYS = [
    "title", "description", "base_url", "language", "timezone", "theme", "content_dir", "output_dir",
    "per_page", "permalinks", "tags", "markdown", "feeds", "sitemap", "news_sitemap", "search", "tags_strict",
    "headers", "extra_front_matter", "images", "outlets", "archive",
]  # fmt: skip


def load_config(path: Path, *, base_url: str | None = None) -> tuple[SiteConfig | None, list[Diagnostic]]:
    """Read and validate site.yml; returns the config or every problem found."""
    shown = path.name
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        return None, [error(shown, 1, 1, "", "site configuration not found")]
    except UnicodeDecodeError as exc:
        return None, [error(shown, 1, 1, "", f"not valid UTF-8 (byte {exc.start})")]
    except OSError as exc:
        return None, [error(shown, 1, 1, "", f"cannot read: {exc.strerror}")]
    root_node, problems = parse_yaml(text)
    check = Checker(shown)
    for problem in problems:
        check.error((problem.line, problem.col), "", problem.message)
    if root_node is None:
        if not problems:
            check.error((1, 1), "title", "is required")
        return None, check.diagnostics
    if not check.mapping(root_node, "site.yml"):
        return None, check.diagnostics
    values = _read(check, root_node, base_url)
    if check.diagnostics:
        return None, check.diagnostics
    return SiteConfig(root=path.resolve().parent, **values), []


def _read(check: Checker, top: Node, base_url_override: str | None) -> dict:
    check.known_keys(top, TOP_KEYS)
    values: dict = {}
    values["title"] = check.string(check.required(top, "title", "title"), "title")
    if base_url_override is not None:
        problem = _base_url_problem(base_url_override)
        if problem:
            check.error((1, 1), "--base-url", problem)
        values["base_url"] = _with_slash(base_url_override)
    else:
        url = check.url(check.required(top, "base_url", "base_url"), "base_url")
        node = top.get("base_url")
        if url and (problem := _base_url_problem(url)):
            check.error(node, "base_url", problem)
        values["base_url"] = _with_slash(url) if url else None
    for key in ("description", "language", "timezone", "theme", "content_dir", "output_dir"):
        node = top.get(key)
        if node is not None:
            text = check.string(node, key, allow_empty=key == "description")
            if text is not None:
                values[key] = text
    if "timezone" in values:
        try:
            ZoneInfo(values["timezone"])
        except (ZoneInfoNotFoundError, ValueError):
            check.error(top.get("timezone"), "timezone", f"unknown time zone {values['timezone']!r}")
    for key in ("content_dir", "output_dir"):
        if key in values and Path(values[key]).is_absolute():
            check.error(top.get(key), key, "must be a path relative to the site folder")
    if (node := top.get("per_page")) is not None:
        values["per_page"] = check.integer(node, "per_page", minimum=1)
    if (node := top.get("permalinks")) is not None and check.mapping(node, "permalinks"):
        check.known_keys(node, ["article", "page"], "permalinks.")
        for key, allowed in (("article", ARTICLE_PLACEHOLDERS), ("page", PAGE_PLACEHOLDERS)):
            sub = node.get(key)
            pattern = check.string(sub, f"permalinks.{key}")
            if pattern is not None and _permalink_ok(check, sub, f"permalinks.{key}", pattern, allowed):
                values[f"{key}_permalink"] = pattern
    if (node := top.get("tags")) is not None and check.mapping(node, "tags"):
        values["tags"] = _read_tags(check, node)
    if (node := top.get("markdown")) is not None and check.mapping(node, "markdown"):
        check.known_keys(node, ["html", "typographer"], "markdown.")
        options = {}
        for key in ("html", "typographer"):
            flag = check.boolean(node.get(key), f"markdown.{key}")
            if flag is not None:
                options[key] = flag
        values["markdown"] = MarkdownOptions(**options)
    if (node := top.get("feeds")) is not None and check.mapping(node, "feeds"):
        check.known_keys(node, ["entries"], "feeds.")
        if (entries := check.integer(node.get("entries"), "feeds.entries", minimum=1)) is not None:
            values["feed_entries"] = entries
    if (node := top.get("sitemap")) is not None and check.mapping(node, "sitemap"):
        check.known_keys(node, ["limit"], "sitemap.")
        if (limit := check.integer(node.get("limit"), "sitemap.limit", minimum=1)) is not None:
            values["sitemap_limit"] = min(limit, 50_000)
            if limit > 50_000:
                check.error(node.get("limit"), "sitemap.limit", "must be at most 50000 (the sitemap protocol's limit)")
    for key in ("news_sitemap", "search", "tags_strict", "headers"):
        if (flag := check.boolean(top.get(key), key)) is not None:
            values[key] = flag
    if (node := top.get("images")) is not None:
        values["images"] = read_images(check, node)
    if (node := top.get("outlets")) is not None:
        values["outlets"] = read_outlets(check, node)
    if (node := top.get("archive")) is not None and check.mapping(node, "archive"):
        values |= _read_archive(check, node)
    if (node := top.get("extra_front_matter")) is not None:
        values["extra_front_matter"] = tuple(name for name, _ in check.string_list(node, "extra_front_matter"))
    return {key: value for key, value in values.items() if value is not None}


def _read_archive(check: Checker, node: Node) -> dict:
    """``archive:``: the endpoint ``ssg archive`` asks to save an original, and the seconds between two requests."""
    check.known_keys(node, ["endpoint", "interval"], "archive.")
    values: dict = {}
    if (endpoint := node.get("endpoint")) is not None:
        found = check.string(endpoint, "archive.endpoint")
        if found is not None and (problem := check_url(found)):
            check.error(endpoint, "archive.endpoint", problem)
        elif found is not None:
            values["archive_endpoint"] = found
    if (interval := node.get("interval")) is not None:
        if not isinstance(interval.value, int | float) or isinstance(interval.value, bool) or interval.value < 0:
            check.error(interval, "archive.interval", f"must be a number of seconds, not {interval.type_name}")
        else:
            values["archive_interval"] = float(interval.value)
    return values


def _base_url_problem(url: str) -> str | None:
    problem = check_url(url)
    if problem:
        return problem
    if "?" in url or "#" in url:
        return "must not have a query or fragment"
    return None


def _with_slash(url: str) -> str:
    return url if url.endswith("/") else url + "/"


def _permalink_ok(check: Checker, node: Node, field: str, pattern: str, allowed: tuple[str, ...]) -> bool:
    if not (pattern.startswith("/") and pattern.endswith("/")):
        check.error(node, field, "must start and end with '/'")
        return False
    names = _PLACEHOLDER.findall(pattern)
    for name in names:
        if name not in allowed:
            check.error(node, field, f"unknown placeholder {{{name}}} (allowed: {', '.join(allowed)})")
            return False
    if "slug" not in names:
        check.error(node, field, "must contain {slug}")
        return False
    literal = _PLACEHOLDER.sub("x", pattern)
    if any(part in (".", "..") for part in literal.split("/")) or "\\" in literal:
        check.error(node, field, "must not contain '.', '..' or '\\' segments")
        return False
    return True


def _read_tags(check: Checker, node: Node) -> tuple[TagDecl, ...]:
    decls = []
    for slug, (key_node, value) in node.items.items():
        field = f"tags.{slug}"
        if not is_slug(slug):
            check.error(key_node, field, f"tag keys must be slugs like {slugify(slug) or 'ai'!r}")
            continue
        if value.kind == "scalar" and value.value is None:
            decls.append(TagDecl(slug=slug, name=slug))
            continue
        if not check.mapping(value, field):
            continue
        check.known_keys(value, ["name", "description", "aliases"], field + ".")
        name = check.string(value.get("name"), field + ".name") or slug
        description = check.string(value.get("description"), field + ".description", allow_empty=True) or ""
        aliases = []
        for alias, alias_node in check.string_list(value.get("aliases"), field + ".aliases"):
            alias_slug = slugify(alias)
            if not alias_slug:
                check.error(alias_node, field + ".aliases", f"alias {alias!r} has an empty slug")
            else:
                aliases.append(alias_slug)
        decls.append(TagDecl(slug=slug, name=name, description=description, aliases=tuple(aliases)))
    seen: dict[str, str] = {}
    for decl in decls:
        for alias in (decl.slug, *decl.aliases):
            if alias in seen and seen[alias] != decl.slug:
                check.error(node.items[decl.slug][0], f"tags.{decl.slug}",
                            f"alias {alias!r} is already used by tag {seen[alias]!r}")  # fmt: skip
            seen.setdefault(alias, decl.slug)
    return tuple(decls)
