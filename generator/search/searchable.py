"""What Pagefind reads of a page, and the digest ssg keys a search slice by."""

from __future__ import annotations

import hashlib
import re

_SORT = re.compile(rb'data-pagefind-sort="([^":]+):([^"]*)"')
_ATTRIBUTE = b"data-pagefind-"
_VOID = {b"area", b"base", b"br", b"col", b"embed", b"hr", b"img", b"input", b"link", b"meta", b"source", b"track",
         b"wbr"}  # fmt: skip


def read_page(html: bytes) -> tuple[str, dict[str, str]]:
    """The digest of what Pagefind reads of a page, and its sort values (``data-pagefind-sort="name:value"``:
    the merge needs them, Pagefind's files do not keep them)."""
    part = searchable(html)
    values = {name.decode(): value.decode() for name, value in _SORT.findall(part)}
    return hashlib.blake2b(part, digest_size=12).hexdigest(), values


def searchable(html: bytes) -> bytes:
    """What Pagefind reads of a page: its ``data-pagefind-body`` element and every element with a
    ``data-pagefind-*`` attribute (filters, metadata and sorts may stand outside the body), or the
    whole page when it has no body element. A page whose searchable part is as before (only its
    links to the stories beside it changed, say) is not indexed again."""
    if b"data-pagefind-body" not in html:
        return html
    parts, at = [], 0
    while (found := html.find(_ATTRIBUTE, at)) >= 0:
        start = html.rfind(b"<", 0, found)
        name = re.match(rb"<([A-Za-z][\w-]*)", html[start:])
        if name is None:
            at = found + len(_ATTRIBUTE)
            continue
        end = _element_end(html, start, name.group(1).lower())
        parts.append(html[start:end])
        at = max(end, found + len(_ATTRIBUTE))
    return b"\0".join(parts)


def _element_end(html: bytes, start: int, tag: bytes) -> int:
    """Where the element whose start tag is at ``start`` ends (after its end tag)."""
    opened = html.find(b">", start) + 1
    if tag in _VOID or opened == 0:
        return opened or len(html)
    depth = 1
    for match in re.compile(rb"<(/?)" + re.escape(tag) + rb"[\s>/]", re.IGNORECASE).finditer(html, opened):
        depth += -1 if match.group(1) else 1
        if depth == 0:
            close = html.find(b">", match.start())
            return len(html) if close < 0 else close + 1
    return len(html)
