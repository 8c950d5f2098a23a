"""Read one content file: split the front matter, validate every field.

``parse(file, config)`` returns an :class:`Article` or :class:`Page`, or the
list of every problem in the file, each at the line and column of the value
that is wrong.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time
from pathlib import PurePosixPath
from urllib.parse import urlsplit

from generator.config.site import SiteConfig
from generator.config.validate import Checker, check_url
from generator.config.yamlplain import plain_document
from generator.config.yamlsource import Node, parse_yaml
from generator.content.aliases import alias_path
from generator.content.model import Alias, Article, Asset, Image, Page, Source, SourceFile, Stamp, TagRef, Where
from generator.content.review import waiting
from generator.diagnostics import Diagnostic, error
from generator.util.slugs import MAX_LENGTH, is_slug, slugify

ARTICLE_KEYS = [
    "title", "date", "updated", "source", "credit", "image", "tags", "summary", "slug", "draft", "syndicated",
    "intake", "aliases",
]  # fmt: skip
INTAKE_KEYS = ["from", "starting_text", "reviewed"]
PAGE_KEYS = ["title", "date", "updated", "summary", "slug", "draft", "aliases"]
SOURCE_KEYS = ["name", "url", "author", "published", "archived"]
IMAGE_KEYS = ["src", "alt", "credit", "caption", "focus"]
# a key of these at the top is most probably one whose indentation was lost
NESTED = {key: "source" for key in ("name", "url", "author", "published", "archived")} | {
    key: "image" for key in ("src", "alt", "caption", "focus")}  # fmt: skip
# What a missing required field could look like, shown under the error.
EXAMPLES = {
    "title": 'title: "Studio advertises an AI job during the strike"',
    "date": "date: 2023-07-26\n# or with a time: date: 2023-07-26T09:30:00",
    "source": "source:\n  url: https://www.example.com/2023/07/the-original-story/",
    "source.name": "source:\n  name: The Example Times",
    "source.url": "source:\n  url: https://www.example.com/2023/07/the-original-story/",
}
_FOCUS = re.compile(r"^\s*(\d{1,3}(?:\.\d+)?)%\s+(\d{1,3}(?:\.\d+)?)%\s*$")
_FENCE = re.compile(r"^---[ \t]*$")
_CLOSING = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.MULTILINE)
MAX_FILE_BYTES = 16 * 2**20  # a story is a summary; this is far beyond any
_LOOSE_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")


def split(raw: bytes, rel: str) -> tuple[str, int, str, int] | Diagnostic:
    """Split a file into ``(yaml_text, yaml_first_line, body, body_first_line)``.

    Handles a UTF-8 byte-order mark and CRLF line ends; an empty file, bytes
    that are not UTF-8, a missing or unclosed fence are errors.
    """
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        col = exc.start - (before.rfind(b"\n") + 1) + 1
        return error(rel, line, col, "", f"file is not valid UTF-8 (byte 0x{raw[exc.start]:02x})")
    text = text.removeprefix("\ufeff")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text or text.isspace():
        return error(rel, 1, 1, "", "file is empty; a story needs front matter between '---' lines")
    first_end = text.find("\n")
    if not _FENCE.match(text[:first_end] if first_end >= 0 else text):
        return error(rel, 1, 1, "", "no front matter: the file must start with a '---' line")
    # The closing fence found by one search, not by splitting a 5 KB story into lines.
    close = _CLOSING.search(text, first_end + 1) if first_end >= 0 else None
    if close is None:
        return error(rel, 1, 1, "", "front matter is not closed: add a '---' line after it")
    yaml_text = text[first_end + 1 : max(first_end + 1, close.start() - 1)]
    body = text[close.end() + 1 :]
    return yaml_text, 2, body, text.count("\n", 0, close.start()) + 2


def parse(file: SourceFile, config: SiteConfig,
          raw: bytes | None = None) -> tuple[Article | Page | None, list[Diagnostic]]:  # fmt: skip
    """``raw``: the file's bytes, when the caller has read them already."""
    try:
        size = file.path.stat().st_size if raw is None else len(raw)
        if size > MAX_FILE_BYTES:
            limit = MAX_FILE_BYTES // 2**20
            return None, [error(file.rel, 1, 1, "", f"file is {size / 2**20:.1f} MB; the limit is {limit} MB")]
        raw = file.path.read_bytes() if raw is None else raw
    except OSError as exc:
        return None, [error(file.rel, 1, 1, "", f"cannot read: {exc.strerror}")]
    parts = split(raw, file.rel)
    if isinstance(parts, Diagnostic):
        return None, [parts]
    yaml_text, yaml_line, body, body_line = parts
    node, problems = plain_document(yaml_text, yaml_line - 1), []  # (the plainest form: libyaml not needed)
    if node is None:
        node, problems = parse_yaml(yaml_text, line_offset=yaml_line - 1)
    check = Checker(file.rel)
    for problem in problems:
        check.error((problem.line, problem.col), "", problem.message)
    if node is None:
        if not problems:
            check.error((1, 1), "title", "is required (the front matter is empty)")
        return None, check.diagnostics
    if not check.mapping(node, "front matter"):
        return None, check.diagnostics
    reader = _Reader(check, node, file, config)
    document = reader.article(body, body_line) if file.kind == "article" else reader.page(body, body_line)
    if check.diagnostics:
        return None, check.diagnostics
    return document, []


def body_only(file: SourceFile, raw: bytes | None = None) -> Page | None:
    """A stand-in document holding the body of a file whose front matter has
    problems, so that the body's own problems (images, links) are found in
    the same run; None when the body cannot be told from the front matter."""
    try:
        parts = split(file.path.read_bytes() if raw is None else raw, file.rel)
    except OSError:
        return None
    if isinstance(parts, Diagnostic):
        return None
    _, _, body, body_line = parts
    return Page(file=file, title="", slug="", body=body, body_line=body_line)


class _Reader:
    def __init__(self, check: Checker, node: Node, file: SourceFile, config: SiteConfig):
        self.check = check
        self.node = node
        self.file = file
        self.config = config

    # -- documents --------------------------------------------------------

    def common(self, keys: list[str]) -> dict:
        check, node = self.check, self.node
        extra_names = list(self.config.extra_front_matter)
        check.known_keys(node, keys + extra_names, hint=" (list it under extra_front_matter in site.yml to allow it)",
                         nested=NESTED if keys is ARTICLE_KEYS else None)
        values: dict = {}
        title_node = check.required(node, "title", "title", EXAMPLES["title"])
        values["title"] = check.string(title_node, "title")
        values["summary"] = check.string(node.get("summary"), "summary")
        values["draft"] = bool(check.boolean(node.get("draft"), "draft"))
        values["extra"] = tuple((name, node.get(name).to_python()) for name in extra_names if name in node.items)
        values["aliases"] = self.aliases(node.get("aliases"))
        slug_node = node.get("slug")
        if slug_node is not None:
            slug = check.string(slug_node, "slug")
            if slug is not None and len(slug) > MAX_LENGTH:
                check.error(slug_node, "slug", f"must be at most {MAX_LENGTH} characters")
                slug = None
            elif slug is not None and not is_slug(slug):
                check.error(slug_node, "slug", f"must be lowercase a-z, 0-9 and '-' only, like {slugify(slug)!r}")
                slug = None
            values["slug"] = slug
            values["slug_at"] = Where("slug", slug_node.line, slug_node.col)
        elif values["title"] is not None:
            values["slug"] = slugify(values["title"])
            if not values["slug"]:
                check.error(title_node, "title", "has no letters or digits to make a URL from; add a 'slug:'")
            values["slug_at"] = Where("title", title_node.line, title_node.col)
        return values

    def article(self, body: str, body_line: int) -> Article | None:
        check, node = self.check, self.node
        values = self.common(ARTICLE_KEYS)
        values["date"] = self.stamp(check.required(node, "date", "date", EXAMPLES["date"]), "date")
        values["updated"] = self.stamp(node.get("updated"), "updated")
        if values["date"] and values["updated"] and _before(values["updated"], values["date"], self.config):
            check.error(node.get("updated"), "updated", "must not be before date")
        source_node = check.required(node, "source", "source", EXAMPLES["source"])
        values["source"] = self.source(source_node) if source_node is not None else None
        if source_node is not None:
            url_node = source_node.get("url") if source_node.kind == "map" else source_node
            if url_node is not None:
                field = "source.url" if source_node.kind == "map" else "source"
                values["source_url_at"] = Where(field, url_node.line, url_node.col)
            name_node = source_node.get("name") if source_node.kind == "map" else source_node
            if name_node is not None:
                values["source_name_at"] = Where("source.name", name_node.line, name_node.col)
        values["waiting"] = self.intake(node.get("intake"), body)
        values["credits"] = tuple(text for text, _ in check.string_list(node.get("credit"), "credit"))
        values["image"] = self.image(node.get("image")) if node.get("image") is not None else None
        values["tags"] = self.tags(node.get("tags"))
        values["syndicated"] = bool(check.boolean(node.get("syndicated"), "syndicated"))
        if check.diagnostics:
            return None
        return Article(file=self.file, body=body, body_line=body_line, **values)

    def page(self, body: str, body_line: int) -> Page | None:
        values = self.common(PAGE_KEYS)
        values["date"] = self.stamp(self.node.get("date"), "date")
        values["updated"] = self.stamp(self.node.get("updated"), "updated")
        if self.check.diagnostics:
            return None
        return Page(file=self.file, body=body, body_line=body_line, **values)

    # -- fields -----------------------------------------------------------

    def stamp(self, node: Node | None, field: str) -> Stamp | None:
        if node is None:
            return None
        if node.kind != "scalar" or not isinstance(node.value, str):
            self.check.error(node, field, f"must be a date like 2023-07-26, not {node.type_name}")
            return None
        text = node.value.strip()
        try:
            return _parse_stamp(text, self.config)
        except ValueError as exc:
            reason = str(exc)
            if reason.startswith("Invalid isoformat") or "does not match" in reason:
                reason = "expected a date like 2023-07-26 or 2023-07-26T09:30:00+01:00"
            self.check.error(node, field, f"invalid date {text!r}: {reason}")
            return None

    def source(self, node: Node) -> Source | None:
        check = self.check
        if node.kind == "scalar":
            url = check.url(node, "source")
            if url is None:
                return None
            host = urlsplit(url).hostname or ""
            decl = self.config.outlets.at_host(host)
            name = decl.name if decl else host.removeprefix("www.")
            return Source(name=name, url=url, slug=decl.slug if decl else slugify(name))
        if not check.mapping(node, "source"):
            return None
        check.known_keys(node, SOURCE_KEYS, "source.")
        name_node = check.required(node, "name", "source.name", EXAMPLES["source.name"])
        name = check.string(name_node, "source.name")
        url = check.url(check.required(node, "url", "source.url", EXAMPLES["source.url"]), "source.url")
        authors = tuple(text for text, _ in check.string_list(node.get("author"), "source.author"))
        published = self.stamp(node.get("published"), "source.published")
        archived = check.url(node.get("archived"), "source.archived")
        slug = slugify(name) if name is not None else ""
        if name is not None and not slug:
            check.error(name_node, "source.name", "has no letters or digits to make a URL from")
            return None
        if name is None or url is None:
            return None
        decl = self.config.outlets.named(slug)  # a spelling the registry knows: its outlet's name and page
        return Source(name=decl.name if decl else name.strip(), url=url, slug=decl.slug if decl else slug,
                      authors=authors, published=published, archived=archived)  # fmt: skip

    def intake(self, node: Node | None, body: str) -> bool:
        """Whether the story waits for review (``intake:``, written by ssg new and ssg import)."""
        check = self.check
        if node is None:
            return waiting(body, None, False)
        if not check.mapping(node, "intake"):
            return False
        check.known_keys(node, INTAKE_KEYS, "intake.")
        check.url(node.get("from"), "intake.from")
        starting = check.string(node.get("starting_text"), "intake.starting_text")
        reviewed = bool(check.boolean(node.get("reviewed"), "intake.reviewed"))
        return waiting(body, starting, reviewed)

    def image(self, node: Node) -> Image | None:
        check = self.check
        if not check.mapping(node, "image"):
            return None
        check.known_keys(node, IMAGE_KEYS, "image.")
        src_node = check.required(node, "src", "image.src")
        src = check.string(src_node, "image.src")
        alt_node = node.get("alt")
        if alt_node is None:
            check.error(node, "image.alt", "is required: describe the image for readers who cannot see it")
            alt = None
        else:
            alt = check.string(alt_node, "image.alt")
        credit = check.string(node.get("credit"), "image.credit") or ""
        caption = check.string(node.get("caption"), "image.caption") or ""
        if src is None or alt is None:
            return None
        focus = self.focus(node.get("focus"))
        asset = None
        if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", src) or src.startswith("//"):
            if problem := check_url(src):
                check.error(src_node, "image.src", problem)
                return None
            if not self.config.images.allow_remote:
                check.error(src_node, "image.src", REMOTE)
                return None
        else:
            asset = local_asset(self.file, src)
            if isinstance(asset, str):
                check.error(src_node, "image.src", asset)
                return None
        return Image(src=src, alt=alt.strip(), credit=credit.strip(), caption=caption.strip(), asset=asset,
                     focus=focus, at=Where("image.src", src_node.line, src_node.col))  # fmt: skip

    def focus(self, node: Node | None) -> tuple[float, float]:
        """``image.focus: "50% 30%"``: the point of the photo a share card keeps (from the left, from the top)."""
        text = self.check.string(node, "image.focus")
        if text is None:
            return (0.5, 0.5)
        match = _FOCUS.match(text)
        if match is None or float(match[1]) > 100 or float(match[2]) > 100:
            self.check.error(node, "image.focus", 'must be two percentages, from the left and from the top: "50% 30%"')
            return (0.5, 0.5)
        return float(match[1]) / 100, float(match[2]) / 100

    def aliases(self, node: Node | None) -> tuple[Alias, ...]:
        found: dict[str, Alias] = {}
        for text, alias_node in self.check.string_list(node, "aliases"):
            path, problem = alias_path(text)
            if problem:
                self.check.error(alias_node, "aliases", f"{text!r} {problem}")
            elif path not in found:
                found[path] = Alias(path, Where("aliases", alias_node.line, alias_node.col))
        return tuple(found.values())

    def tags(self, node: Node | None) -> tuple[TagRef, ...]:
        refs: list[TagRef] = []
        seen: set[str] = set()
        for name, tag_node in self.check.string_list(node, "tags", comma_string=True):
            slug = slugify(name)
            if not slug:
                self.check.error(tag_node, "tags", f"tag {name!r} has no letters or digits")
                continue
            if slug not in seen:
                seen.add(slug)
                refs.append(TagRef(name=name, slug=slug, at=Where("tags", tag_node.line, tag_node.col)))
        return tuple(refs)


# The images the media stage (generator/media/) processes, by the suffix of their name: the format it expects.
IMAGE_FORMATS = {".jpg": "jpeg", ".jpeg": "jpeg", ".png": "png", ".webp": "webp", ".gif": "gif", ".tif": "tiff",
                 ".tiff": "tiff", ".svg": "svg"}  # fmt: skip


def is_image(path: str) -> bool:
    """Whether a file beside a story is an image the media stage processes, by its name."""
    return PurePosixPath(path).suffix.lower() in IMAGE_FORMATS


REMOTE = ("remote images are not fetched: save the file beside the story and write its name "
          "(an outlet's copy breaks when it moves the file, and tells the outlet who reads us); "
          "images.allow_remote: true in site.yml publishes remote images as they are")


def local_asset(file: SourceFile, src: str) -> Asset | str:
    """Resolve a file an article refers to; a string explains a refusal."""
    clean = src.split("#", 1)[0].split("?", 1)[0]
    path = PurePosixPath(clean)
    if clean.startswith("/") or "\\" in clean or any(part == ".." for part in path.parts) or not clean:
        return f"{src!r} must be a file beside the story or in a folder below it (no '/', '..' or '\\')"
    source = file.path.parent / path
    if not source.is_file():
        return f"file {clean!r} not found beside {PurePosixPath(file.rel).name}"
    return Asset(source=source, target=path.as_posix().removeprefix("./"))


def _before(later: Stamp, earlier: Stamp, config: SiteConfig) -> bool:
    """Is ``later`` before ``earlier``? A bare day is compared as a day."""
    if later.has_time and earlier.has_time:
        return later.at < earlier.at
    return later.at.astimezone(config.tzinfo).date() < earlier.at.astimezone(config.tzinfo).date()


# A date and time written other than 2023-07-14T09:30:00[+02:00]: a space, a
# lower-case t or more than one T between date and time, or a space before the
# zone; the two expressions after it rewrite those.
_UNUSUAL_STAMP = re.compile(r"[\st]|TT")
_STAMP_SEPARATOR = re.compile(r"^(\d{4}-\d{2}-\d{2})[ tT]+")
_ZONE_SPACE = re.compile(r"\s+(?=[+-]\d{2}:?\d{2}$|Z$)")


def _parse_stamp(text: str, config: SiteConfig) -> Stamp:
    loose = _LOOSE_DATE.match(text)
    if loose:
        day = date(int(loose[1]), int(loose[2]), int(loose[3]))
        return Stamp(datetime.combine(day, time(0, 0), tzinfo=config.tzinfo), has_time=False)
    normal = text
    if _UNUSUAL_STAMP.search(text):  # most are written 2023-07-14T09:30:00: nothing to rewrite
        normal = _STAMP_SEPARATOR.sub(r"\1T", normal)
        normal = _ZONE_SPACE.sub("", normal)
    moment = datetime.fromisoformat(normal)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=config.tzinfo)
    return Stamp(moment, has_time=True)
