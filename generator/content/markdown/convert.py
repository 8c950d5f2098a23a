"""Markdown → HTML: one render function with an explicit context and result.

CommonMark plus tables, strikethrough and footnotes. Raw HTML is shown as
text unless ``markdown.html: true``; links with ``javascript:``-like schemes
are never made into links (markdown-it's ``validateLink``). Headings get
stable ids from the slug rule. Local files that the body refers to are
returned as assets to publish next to the page; an image among them is left
as a placeholder that the page fills with its responsive picture
(``generator/media/``).
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import lru_cache
from urllib.parse import unquote

from generator.config.site import MarkdownOptions
from generator.content.frontmatter import REMOTE, is_image, local_asset
from generator.content.model import Article, Asset, BodyImage, Page
from generator.diagnostics import Diagnostic, error
from generator.util.slugs import slugify

_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
_REMOTE = re.compile(r"^(https?:)?//", re.I)
# URLs that markdown-it's normalizeLink gives back unchanged: an http(s) URL
# with a plain ASCII host and only characters it never encodes, or a plain
# relative path. Parsing and re-encoding each of them was a fifth of
# markdown-it's time (every story links to its original); others take the full way.
_PLAIN_URL = re.compile(
    r"https?://(?:[A-Za-z0-9-]{1,63}\.)*[A-Za-z0-9-]{1,63}(?:[/?#][A-Za-z0-9;/?:@&=+$,_.!~*'()#-]*)?"
    r"|(?!//)[A-Za-z0-9_.~/-]*(?:#[A-Za-z0-9_.~-]*)?"
)
MAX_NESTING = 50  # lists, quotes and emphasis inside each other; deeper is refused, never dropped


@dataclass(frozen=True)
class Rendered:
    """A story or page after the Markdown stage.

    The body's HTML is not kept here: it goes to the body store under ``key``
    and is read back when a page needs it, so the archive in memory holds no
    bodies. ``doc`` has its Markdown source dropped for the same reason.
    ``key`` also stands for everything the document's content is made of.
    """

    doc: Article | Page
    summary: str  # plain text: front matter's summary, else the first paragraph
    key: str
    assets: tuple[Asset, ...] = ()
    links: tuple[InternalLink, ...] = ()  # links to other stories by file path, in order
    ids: tuple[str, ...] = ()  # the body's heading ids, for links with an anchor
    external: tuple[tuple[str, int, int], ...] = ()  # (http(s) URL, line, col) of links out, for `check --links`
    rooted: tuple[tuple[str, int, int], ...] = ()  # (path, line, col) of root-relative links, checked after the plan
    images: tuple[BodyImage, ...] = ()  # the images beside it that the body shows or links to, in order
    words: int = 0  # how many words the Markdown body has, for the reading time
    shape: str = ""  # digest of its place in the archive (generator/content/shape.py)
    card: str = ""  # digest of what its view shows, names apart (generator/content/shape.py)


@dataclass(frozen=True)
class InternalLink:
    """``[see](../2023/other.md#part)``: rendered as ``href="ssg-link:N"`` and
    resolved to the target's URL when the page is written."""

    target: str  # the target file, relative to the site root
    anchor: str
    written: str
    line: int
    col: int


LINK_PLACEHOLDER = "ssg-link:"
IMAGE_PLACEHOLDER = "ssg-image:"
_BODY_IMAGE = re.compile(r'<img src="ssg-image:(\d+)"([^>]*?)\s*/?>|href="ssg-image:(\d+)"')


def finished_body(bodies, rendered: Rendered, href_of, image_of=None) -> str:
    """A body read from the body store with each internal link's URL put in
    place of its placeholder; ``href_of`` maps a target file to its link.
    ``image_of(image, attributes)`` gives the HTML of a body image (a
    :class:`BodyImage`; ``attributes``: the ``alt`` and ``title`` Markdown
    gave it), or with ``attributes`` None the URL a link to it leads to."""
    html = bodies.get(rendered.key)
    for index, link in enumerate(rendered.links):
        url = href_of(link.target) + (f"#{link.anchor}" if link.anchor else "")
        html = html.replace(f'href="{LINK_PLACEHOLDER}{index}"', f'href="{url}"', 1)
    if rendered.images and image_of is not None:

        def replace(match: re.Match) -> str:
            if match[3] is not None:
                return f'href="{image_of(rendered.images[int(match[3])], None)}"'
            return image_of(rendered.images[int(match[1])], match[2])

        html = _BODY_IMAGE.sub(replace, html)
    return html


def _heading_id(text: str) -> str:
    return slugify(text) or "section"


@lru_cache(maxsize=4)
def _parser(options: MarkdownOptions):
    from generator.content.markdown import linkscan, plainscan  # import markdown-it: see below

    md = markdown_it_parser(options, plainscan.Renderer)
    _skip_idle_rules(md)
    md.helpers = linkscan.helpers()
    if plainscan.applies(md):
        plainscan.install(md)
    return md


def markdown_it_parser(options: MarkdownOptions, renderer=None):
    """The parser with markdown-it's own rules and, without ``renderer``, its
    own HTML renderer (the tests compare with it)."""
    # Imported here: a build whose documents all come from the cache never
    # parses Markdown, and these imports are a tenth of ssg's start-up.
    from markdown_it import MarkdownIt
    from markdown_it.renderer import RendererHTML
    from mdit_py_plugins.anchors import anchors_plugin
    from mdit_py_plugins.footnote import footnote_plugin

    md = MarkdownIt("commonmark", {"html": options.html, "typographer": options.typographer,
                                   "maxNesting": MAX_NESTING}, renderer_cls=renderer or RendererHTML)  # fmt: skip
    md.enable(["table", "strikethrough"])
    if options.typographer:
        md.enable(["replacements", "smartquotes"])
    md.use(footnote_plugin)
    md.use(anchors_plugin, min_level=1, max_level=6, slug_func=_heading_id)
    md.normalizeLink = _normalize_link
    return md


def _skip_idle_rules(md) -> None:
    """Two of markdown-it's core rules scan every story for characters many
    stories lack: ``normalize`` rewrites line ends (the front-matter split has
    made them all ``\n`` already) and NUL characters, and the typographer's
    ``smartquotes`` looks for straight quotes token by token. On the benchmark
    corpus they took a seventh of markdown-it's time. Each now runs only when
    the story's source holds what it looks for: every inline token's text is
    cut from that source, so a rule that finds nothing there finds nothing in
    them either (``tests/site/test_hardening.py`` compares with markdown-it's own)."""
    from markdown_it.rules_core.normalize import normalize
    from markdown_it.rules_core.smartquotes import smartquotes

    def normalize_if_needed(state) -> None:
        if "\r" in state.src or "\0" in state.src:
            normalize(state)

    def smartquotes_if_needed(state) -> None:
        if "'" in state.src or '"' in state.src:
            smartquotes(state)

    md.core.ruler.at("normalize", normalize_if_needed)
    if "smartquotes" in [rule.name for rule in md.core.ruler.__rules__]:
        md.core.ruler.at("smartquotes", smartquotes_if_needed)


def _normalize_link(url: str) -> str:
    """markdown-it's ``normalizeLink``, short-cut for URLs it leaves as they are."""
    if len(url) <= 255 and _PLAIN_URL.fullmatch(url):
        return url
    from markdown_it.common.normalize_url import normalizeLink

    return normalizeLink(url)


def prepare(options: MarkdownOptions) -> None:
    """Build the parser once, before worker processes fork and inherit it."""
    _parser(options)


def render_markdown(
    doc: Article | Page, options: MarkdownOptions, key: str, allow_remote: bool = False,
    unchecked: list[InternalLink] | None = None,
) -> tuple[Rendered | None, str, list[Diagnostic]]:
    """Render the body; returns the record, the body's HTML and any problems.
    ``allow_remote``: an image from another site is shown as it is (lazily,
    sending no referrer) instead of being an error. A body with problems is
    not rendered; its links to other files go to ``unchecked``, so that they
    are checked all the same (every problem of a file in one run)."""
    from generator.content.markdown.plainhtml import DIRECT, link_urls  # (with the parser: markdown-it's modules)

    md = _parser(options)
    env: dict = {DIRECT: _direct_link}
    tokens = md.parse(doc.body, env)
    diagnostics: list[Diagnostic] = []
    assets: dict[str, Asset] = {}
    body_lines = doc.body.split("\n")
    if doc.file.kind == "article" and getattr(doc, "image", None) is not None and doc.image.asset is not None:
        assets[doc.image.asset.target] = doc.image.asset
    deepest = _deepest(tokens)
    if deepest is not None:
        line = doc.body_line + (deepest.map[0] if deepest.map else 0)
        message = f"nested more than {MAX_NESTING} levels deep (lists, quotes or emphasis); flatten it"
        return None, "", [error(doc.file.rel, line, 1, "body", message)]
    found = _Found(doc, body_lines, allow_remote, assets, diagnostics, link_urls)
    for token in tokens:
        if token.type == "inline" and token.children:
            for child in token.children:
                found.note(child, token.map)
    links, images, external, rooted = found.links, found.images, found.external, found.rooted
    if diagnostics:
        if unchecked is not None:
            unchecked.extend(links)
        return None, "", diagnostics
    html = md.renderer.render(tokens, md.options, env)
    summary = doc.summary.strip() if doc.summary else first_paragraph(tokens)
    assets_sorted = tuple(sorted(assets.values(), key=_target))
    ids = tuple(str(t.attrs["id"]) for t in tokens if t.type == "heading_open" and "id" in t.attrs)
    rendered = Rendered(replace(doc, body=""), summary, key, assets_sorted, tuple(links), ids, tuple(external),
                        tuple(rooted), images=tuple(images), words=word_count(doc.body))  # fmt: skip
    return rendered, html, []


# ASCII's whitespace as ``str.split()`` knows it marked b" ", every other byte b"x".
_SPACE_MARKS = bytes(32 if chr(byte).isspace() else 120 for byte in range(128)) + b"x" * 128


def word_count(text: str) -> int:
    """``len(text.split())`` without making the words: of an ASCII text, the
    whitespace is marked in its bytes and the starts of words counted (a
    3,000-word story: 0.04 against 0.10 ms). Any other text is split, since
    Unicode has whitespace beyond ASCII's."""
    if not text.isascii():
        return len(text.split())
    marks = text.encode("ascii").translate(_SPACE_MARKS)
    return marks.count(b" x") + marks.startswith(b"x")


def _direct_link(url: str) -> str | None:
    """For plain inline text made into HTML at once (``plainhtml.DIRECT``): the
    attributes after ``href`` that the loop in :func:`render_markdown` would
    give a link to ``url``, which must be one out (any other goes the long way)."""
    return ' rel="noopener"' if url.lower().startswith(("http://", "https://")) else None


@dataclass
class _Found:
    """What a body refers to, found token by token (:meth:`note`), with the
    changes to the tokens that go with it (a placeholder for a link to
    another file or an image beside the story, attributes for a link out or
    a remote image)."""

    doc: Article | Page
    body_lines: list[str]
    allow_remote: bool
    assets: dict[str, Asset]
    diagnostics: list[Diagnostic]
    link_urls: Callable  # plainhtml.link_urls (imported with markdown-it; an import in note() cost 0.6 us a paragraph)
    links: list[InternalLink] = field(default_factory=list)
    images: list[BodyImage] = field(default_factory=list)
    external: list[tuple[str, int, int]] = field(default_factory=list)
    rooted: list[tuple[str, int, int]] = field(default_factory=list)

    def where(self, block_map, target: str) -> tuple[int, int]:
        line, col = _locate(self.body_lines, block_map, target)
        return self.doc.body_line + line, col

    def note(self, child, block_map) -> None:
        kind = child.type
        if kind == "plain_html":  # plainscan.HTML_TOKEN: links out only
            if targets := self.link_urls(child):
                self.external += [(target, *self.where(block_map, target)) for target in targets]
            return
        attr = "src" if kind == "image" else "href" if kind == "link_open" else None
        if attr is None:
            return
        doc, target = self.doc, str(child.attrs.get(attr, ""))
        if child.type == "link_open" and target.lower().startswith(("http://", "https://")):
            self.external.append((target, *self.where(block_map, target)))
            child.attrs["rel"] = "noopener"  # (a link out never gets a hold on this page's window)
        if child.type == "image" and _REMOTE.match(target):
            if not self.allow_remote:
                self.diagnostics.append(error(doc.file.rel, *self.where(block_map, target), "body", f"image: {REMOTE}"))
            child.attrs.update({"loading": "lazy", "referrerpolicy": "no-referrer"})
            return
        if target.startswith("/") and not target.startswith("//"):  # ("//host/...": another host's)
            self.rooted.append((target, *self.where(block_map, target)))
            return
        if not target or target.startswith(("#", "/")) or _SCHEME.match(target):
            return
        path, _, anchor = unquote(target).partition("#")
        if child.type == "link_open" and path.endswith(".md"):
            resolved = posixpath.normpath(posixpath.join(posixpath.dirname(doc.file.rel), path))
            child.attrs["href"] = f"{LINK_PLACEHOLDER}{len(self.links)}"
            self.links.append(InternalLink(resolved, anchor, target, *self.where(block_map, target)))
            return
        asset = local_asset(doc.file, target)
        if isinstance(asset, Asset) and is_image(asset.target):
            child.attrs[attr] = f"{IMAGE_PLACEHOLDER}{len(self.images)}"
            self.images.append(BodyImage(asset, *self.where(block_map, target), link=child.type == "link_open"))
            self.assets[asset.target] = asset
        elif isinstance(asset, Asset):
            self.assets[asset.target] = asset
        elif child.type == "image":
            self.diagnostics.append(error(doc.file.rel, *self.where(block_map, target), "body", f"image {asset}"))


def _deepest(tokens):
    """The first token at the nesting limit: markdown-it stops there and would
    silently leave out what is deeper."""
    block = None
    for token in tokens:
        if token.map:
            block = token
        if token.level >= MAX_NESTING - 1:
            return block or token
        for child in token.children or ():
            if child.level >= MAX_NESTING - 1:
                return block or token
    return None


def _target(asset: Asset) -> str:
    return asset.target


def _locate(lines: list[str], block_map, needle: str) -> tuple[int, int]:
    """0-based line within the body and 1-based column of ``needle``."""
    start, end = block_map if block_map else (0, len(lines))
    for index in range(start, min(end, len(lines))):
        col = lines[index].find(needle)
        if col >= 0:
            return index, col + 1
    return start, 1


def first_paragraph(tokens) -> str:
    """The plain text of the first top-level paragraph, or ``""``."""
    for index, token in enumerate(tokens):
        if token.type == "paragraph_open" and token.level == 0 and index + 1 < len(tokens):
            parts: list[str] = []
            _plain(tokens[index + 1].children or [], parts)
            # Runs of whitespace made one space: str.split() and the regular
            # expression \s+ know the same whitespace, and the split is a
            # tenth of the time (a story's first paragraph has a hundred runs).
            return " ".join("".join(parts).split())
    return ""


def _plain(children, parts: list[str]) -> None:
    for child in children:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type == "plain_html":  # plainscan.HTML_TOKEN (markdown-it is not imported here: see above)
            from generator.content.markdown.plainhtml import plain_text

            parts.append(plain_text(child))
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif child.type == "image":
            continue
        elif child.children:
            _plain(child.children, parts)
