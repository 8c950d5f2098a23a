"""Typed checks of positioned YAML values, shared by site.yml and front matter.

Each check returns the Python value or ``None`` and records a diagnostic at
the value's own line and column. Callers keep going after a bad value, so one
run reports every problem of a file.
"""

from __future__ import annotations

import difflib
import re
from urllib.parse import urlsplit

from generator.config.yamlsource import STR, TIMESTAMP, Node
from generator.diagnostics import Diagnostic, error

_SPACE_OR_CONTROL = re.compile(r"[\s\x00-\x1f]")
_HOST_FIRST = re.compile(r"^(//)?(www\.)?[a-z0-9-]+(\.[a-z0-9-]+)*\.[a-z]{2,}(/|$)", re.I)  # deadline.com/2023/...


def check_url(text: str) -> str | None:
    """Return why ``text`` is not an absolute http(s) URL, or ``None``."""
    if _SPACE_OR_CONTROL.search(text):  # the same characters as str.isspace() or below 32
        return "must not contain spaces or control characters"
    try:
        parts = urlsplit(text)
    except ValueError as exc:
        return f"not a valid URL ({exc})"
    if parts.scheme.lower() not in ("http", "https"):
        shown = parts.scheme or "none"
        hint = f"; did you mean 'https://{text.lstrip('/')}'?" if _HOST_FIRST.match(text) else ""
        return f"must be an absolute http(s) URL (scheme is {shown!r}){hint}"
    if not parts.hostname:
        return "must be an absolute http(s) URL with a host name"
    return None


class Checker:
    def __init__(self, path: str):
        self.path = path
        self.diagnostics: list[Diagnostic] = []

    def error(self, node: Node | tuple[int, int], field: str, message: str) -> None:
        line, col = (node.line, node.col) if isinstance(node, Node) else node
        self.diagnostics.append(error(self.path, line, col, field, message))

    def mapping(self, node: Node, field: str) -> bool:
        if node.kind != "map":
            self.error(node, field, f"must be a mapping, not {node.type_name}")
            return False
        return True

    def known_keys(self, node: Node, allowed: list[str], prefix: str = "", hint: str = "",
                   nested: dict[str, str] | None = None) -> None:  # fmt: skip
        """``nested``: keys that belong under another (``url`` -> ``source``), for a hint about indentation."""
        for name, (key_node, _) in node.items.items():
            if name in allowed:
                continue
            field = prefix + name
            close = difflib.get_close_matches(name, allowed, n=1)
            suggestion = f" (did you mean {close[0]!r}?)" if close else hint
            if nested and name in nested:
                suggestion = f" (did you mean to indent {name!r} under {nested[name] + ':'!r}?)"
            self.error(key_node, field, f"unknown key{suggestion}")

    def required(self, parent: Node, key: str, field: str, example: str = "") -> Node | None:
        """``example``: YAML that would do, shown under the error (one or two lines)."""
        node = parent.get(key)
        if node is None or (node.kind == "scalar" and node.value is None):
            where = node if node is not None else parent
            shown = "".join(f"\n    {line}" for line in example.splitlines())
            self.error(where, field, f"is required; for example:{shown}" if example else "is required")
            return None
        return node

    def string(self, node: Node | None, field: str, *, allow_empty: bool = False) -> str | None:
        if node is None:
            return None
        if node.kind != "scalar" or node.value is None or isinstance(node.value, bool):
            self.error(node, field, f"must be a string, not {node.type_name}")
            return None
        if node.tag not in (STR, TIMESTAMP) and not isinstance(node.value, (int, float)):
            self.error(node, field, f"must be a string, not {node.type_name}")
            return None
        text = str(node.value)
        if not allow_empty and not text.strip():
            self.error(node, field, "must not be empty")
            return None
        return text

    def boolean(self, node: Node | None, field: str) -> bool | None:
        if node is None:
            return None
        if node.kind != "scalar" or not isinstance(node.value, bool):
            self.error(node, field, f"must be true or false, not {node.type_name}")
            return None
        return node.value

    def integer(self, node: Node | None, field: str, minimum: int | None = None) -> int | None:
        if node is None:
            return None
        if node.kind != "scalar" or isinstance(node.value, bool) or not isinstance(node.value, int):
            self.error(node, field, f"must be a whole number, not {node.type_name}")
            return None
        if minimum is not None and node.value < minimum:
            self.error(node, field, f"must be at least {minimum}")
            return None
        return node.value

    def url(self, node: Node | None, field: str) -> str | None:
        text = self.string(node, field)
        if text is None:
            return None
        problem = check_url(text)
        if problem:
            self.error(node, field, problem)
            return None
        return text

    def string_list(self, node: Node | None, field: str, *, comma_string: bool = False) -> list[tuple[str, Node]]:
        """A list of non-empty strings (or, with ``comma_string``, "a, b")."""
        if node is None:
            return []
        if node.kind == "scalar" and isinstance(node.value, str) and node.tag == STR:
            parts = node.value.split(",") if comma_string else [node.value]
            out = [(part.strip(), node) for part in parts if part.strip()]
            if not out:
                self.error(node, field, "must not be empty")
            return out
        if node.kind != "seq":
            kind = "a list or a comma-separated string" if comma_string else "a string or a list of strings"
            self.error(node, field, f"must be {kind}, not {node.type_name}")
            return []
        out = []
        for index, child in enumerate(node.children):
            text = self.string(child, f"{field}[{index}]")
            if text is not None:
                out.append((text.strip(), child))
        return out
