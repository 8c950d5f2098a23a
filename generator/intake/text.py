"""HTML from a feed or a page turned into plain Markdown text: paragraphs,
lists, quotes, emphasis and links, and nothing else. It is built from the
HTML's text and from links checked one by one, never from its markup, so no
raw HTML, script, event handler or ``javascript:`` link can come through;
Markdown's own characters in the text are escaped, so the text stays text."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import quote, urljoin

from generator.config.validate import check_url

DROPPED = {"script", "style", "iframe", "object", "embed", "form", "noscript", "template", "svg", "math", "button",
           "input", "select", "textarea", "head", "title", "meta", "link", "img", "picture", "video", "audio",
           "source", "canvas", "map", "frame", "frameset", "applet", "base"}  # fmt: skip
BLOCKS = {"p", "div", "section", "article", "header", "footer", "aside", "main", "h1", "h2", "h3", "h4", "h5", "h6",
          "blockquote", "ul", "ol", "li", "table", "tr", "figure", "figcaption", "pre", "dl", "dt", "dd", "hr",
          "address", "center", "details", "summary", "nav"}  # fmt: skip
_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])|&(?=#?\w+;)")
_LINE_START = re.compile(r"^(\s*)([#>+=-]|\d+[.)])")
_SPACE = re.compile(r"[ \t\r\n\f\v\u00a0]+")
_URL_SAFE = ":/?#@!$&'*+,;=%~-._"  # kept as they are in a link's URL: "(", ")", "<", ">" and spaces are escaped


EMBEDS = {"iframe", "video", "audio", "embed", "object", "source"}
_FENCE_RUN = re.compile(r"`{3,}")


@dataclass
class Whole:
    """For a whole post's HTML (``ssg import`` of a WordPress export): headings, code, and what
    was not kept as it was: images and embeds become links and are listed here, never fetched;
    scripts, styles and forms are dropped and counted."""

    images: list[str] = field(default_factory=list)  # URLs of the images the post showed
    embeds: list[str] = field(default_factory=list)  # URLs of frames, videos and other embeds
    dropped: Counter = field(default_factory=Counter)  # element name -> how many were dropped


def markdown_text(html: str, base: str = "", whole: Whole | None = None) -> str:
    """``html`` (a fragment) as Markdown: links resolved against ``base``, kept only when http(s).
    ``whole``: a whole post, see :class:`Whole`."""
    if not html or not html.strip():
        return ""
    if "<" not in html and "&" not in html:  # plain text already
        return _paragraphs([[("text", html)]])
    if (root := fragment(html)) is None:
        return ""
    blocks: list[list[tuple[str, str]]] = [[]]
    _walk(root, base, blocks, [], whole)
    return _paragraphs(blocks)


def fragment(html: str):
    """``html`` (a fragment) parsed into one ``<div>``; None when it does not parse."""
    import lxml.html

    try:
        return lxml.html.fragment_fromstring(html, create_parent="div")
    except (ValueError, lxml.etree.ParserError):
        return None


def escape(text: str) -> str:
    return _INLINE_SPECIAL.sub(lambda m: "\\" + (m.group(1) or "&"), text)


def _walk(element, base: str, blocks: list, prefixes: list[str], whole: Whole | None) -> None:
    tag = element.tag.lower() if isinstance(element.tag, str) else ""
    if whole is not None and tag and _whole(element, tag, base, blocks, prefixes, whole):
        _tail(element, blocks)
        return
    if tag in DROPPED or not isinstance(element.tag, str):  # (comments and processing instructions too)
        _tail(element, blocks)
        return
    block = tag in BLOCKS
    if block or tag == "br":
        _new_block(blocks, prefixes)
    if tag == "li":
        blocks[-1].append(("prefix", "- "))
    if whole is not None and len(tag) == 2 and tag[0] == "h" and tag[1] in "123456":
        blocks[-1].append(("prefix", "#" * max(2, int(tag[1])) + " "))  # (the story's title is the h1)
    inner = prefixes + ["> "] if tag == "blockquote" else prefixes
    if tag == "blockquote":
        blocks[-1].append(("quote", "> "))
    if tag == "a":
        text = _SPACE.sub(" ", element.text_content()).strip()
        href = (element.get("href") or "").strip()
        target = quote(urljoin(base, href), safe=_URL_SAFE) if href else ""
        if text and target and not check_url(target):
            blocks[-1].append(("link", f"[{escape(text)}]({target})"))
        elif text:
            blocks[-1].append(("text", text))
        _tail(element, blocks)
        return
    mark = {"em": "*", "i": "*", "strong": "**", "b": "**"}.get(tag)
    if mark and element.text_content().strip() and not len(element):
        text = _SPACE.sub(" ", element.text_content())
        lead, core, trail = text[: len(text) - len(text.lstrip())], text.strip(), text[len(text.rstrip()) :]
        blocks[-1].append(("raw", f"{lead}{mark}{escape(core)}{mark}{trail}"))
        _tail(element, blocks)
        return
    if element.text:
        blocks[-1].append(("text", element.text))
    for child in element:
        _walk(child, base, blocks, inner, whole)
    if block:
        _new_block(blocks, prefixes)
    _tail(element, blocks)


def _whole(element, tag: str, base: str, blocks: list, prefixes: list[str], whole: Whole) -> bool:
    """What a whole post has besides starting text; True when ``element`` was taken care of here."""
    if tag in ("img", *EMBEDS):
        src = (element.get("src") or element.get("data") or "").strip()
        target = quote(urljoin(base, src), safe=_URL_SAFE) if src else ""
        if not target or check_url(target):
            whole.dropped[tag] += 1
            return True
        (whole.images if tag == "img" else whole.embeds).append(target)
        label = (element.get("alt") or element.get("title") or "").strip()
        kind = "Image" if tag == "img" else "Embedded"
        blocks[-1].append(("link", f"[{escape(f'{kind}: {label}' if label else kind)}]({target})"))
        return True
    if tag in DROPPED and tag not in ("head", "title", "meta", "link", "picture", "map"):
        whole.dropped[tag] += 1
        return True
    if tag == "pre":
        _new_block(blocks, prefixes)
        blocks[-1].append(("verbatim", fenced("", element.text_content().strip("\n"))))
        _new_block(blocks, prefixes)
        return True
    if tag == "code":
        if element.text_content().strip():
            blocks[-1].append(("raw", code_span(element.text_content())))
        return True
    return False


def fenced(lang: str, code: str) -> str:
    """A fenced code block of ``code``, its fence longer than any run of backticks in it."""
    fence = "`" * max(3, *(len(run) + 1 for run in _FENCE_RUN.findall(code)), 0)
    return f"{fence}{lang}\n{code}\n{fence}"


def code_span(code: str) -> str:
    """``code`` on one line as a code span: shown as it is, never made into markup."""
    code = _SPACE.sub(" ", code)
    ticks = "`" * (max((len(run) for run in re.findall(r"`+", code)), default=0) + 1)
    pad = " " if code.startswith("`") or code.endswith("`") else ""
    return f"{ticks}{pad}{code}{pad}{ticks}"


def _tail(element, blocks: list) -> None:
    if element.tail:
        blocks[-1].append(("text", element.tail))


def _new_block(blocks: list, prefixes: list[str]) -> None:
    if blocks[-1]:
        blocks.append([])
    if prefixes and not blocks[-1]:
        blocks[-1].append(("quote", "".join(prefixes)))


def _paragraphs(blocks: list[list[tuple[str, str]]]) -> str:
    """Each block's pieces as one line of text; blocks apart by a blank line (list items by a line break)."""
    lines: list[tuple[str, bool]] = []
    for block in blocks:
        lead, parts = "", []
        for kind, value in block:
            if kind in ("quote", "prefix"):
                lead += value
            elif kind == "text":
                parts.append(escape(_SPACE.sub(" ", value)))
            elif kind == "verbatim":
                lines.append((value, False))
            else:
                parts.append(value)
        text = _SPACE.sub(" ", "".join(parts)).strip()
        if not text:
            continue
        text = _LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), text)
        lines.append((lead + text, lead.endswith("- ")))
    out = []
    for number, (line, item) in enumerate(lines):
        if number:
            out.append("\n" if item and lines[number - 1][1] else "\n\n")
        out.append(line)
    return "".join(out)
