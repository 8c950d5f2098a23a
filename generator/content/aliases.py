"""Old addresses of a story or page (``aliases:`` in front matter): the site
paths their redirect pages are written at (``generator/plan/routes.py``)."""

from __future__ import annotations

import re
from urllib.parse import unquote

_RESERVED = ("/static/", "/pagefind/", "/__ssg__/")  # folders the build writes itself
_NOT_IN_ALIAS = re.compile(r"[\s?#\\\x00-\x1f\x7f]")


def alias_path(text: str) -> tuple[str, str]:
    """An ``aliases:`` entry as the site path its redirect page is written at, percent-escapes
    decoded (``/old/post`` becomes ``/old/post/``), or the problem with it."""
    path = unquote(text.strip())
    if not path.startswith("/") or path.startswith("//"):
        return "", "must be an address on this site starting with '/', like '/2019/05/old-post/'"
    if _NOT_IN_ALIAS.search(path):
        return "", "must be a plain path: no query ('?'), fragment ('#'), spaces or backslashes"
    parts = path.split("/")
    if any(part in (".", "..") for part in parts) or "//" in path:
        return "", "must not have '.', '..' or empty parts"
    if "." in parts[-1] and not parts[-1].lower().endswith((".html", ".htm")):
        return "", "must end with '/' or '.html' (a redirect is an HTML page)"
    if parts[-1] and "." not in parts[-1]:
        path += "/"
    if path.startswith(_RESERVED):
        return "", f"is in a folder the build writes itself ({', '.join(_RESERVED)})"
    return path, ""
