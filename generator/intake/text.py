"""HTML from a feed or a page turned into plain Markdown text: paragraphs,
lists, quotes, emphasis and links, and nothing else. It is built from the
HTML's text and from links checked one by one, never from its markup, so no
raw HTML, script, event handler or ``javascript:`` link can come through;
Markdown's own characters in the text are escaped, so the text stays text."""

from __future__ import annotations

import re
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


def markdown_text(html: str, base: str = "") -> str:
    """``html`` (a fragment) as Markdown: links resolved against ``base``, kept only when http(s)."""
    if not html or not html.strip():
        return ""
    if "<" not in html and "&" not in html:  # plain text already
        return _paragraphs([[("text", html)]])
    import lxml.html

    try:
        root = lxml.html.fragment_fromstring(html, create_parent="div")
    except (ValueError, lxml.etree.ParserError):
        return ""
    blocks: list[list[tuple[str, str]]] = [[]]
    _walk(root, base, blocks, [])
    return _paragraphs(blocks)


def escape(text: str) -> str:
    return _INLINE_SPECIAL.sub(lambda m: "\\" + (m.group(1) or "&"), text)


def _walk(element, base: str, blocks: list, prefixes: list[str]) -> None:
    tag = element.tag.lower() if isinstance(element.tag, str) else ""
    if tag in DROPPED or not isinstance(element.tag, str):  # (comments and processing instructions too)
        _tail(element, blocks)
        return
    block = tag in BLOCKS
    if block or tag == "br":
        _new_block(blocks, prefixes)
    if tag == "li":
        blocks[-1].append(("prefix", "- "))
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
        _walk(child, base, blocks, inner)
    if block:
        _new_block(blocks, prefixes)
    _tail(element, blocks)


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
