"""Faster stand-ins for two of markdown-it's link helpers, for the links
news stories are full of: ``[plain words](https://plain/url)``.

markdown-it finds a link's label by running every inline rule, in silent
mode, at each token of the label, and its destination one character at a
time. When the label holds nothing a rule could take past a ``]`` and the
destination nothing that needs balancing or unescaping one character at a
time, both end where a regular expression says; everything else takes
markdown-it's own helper. ``tests/site/test_hardening.py`` compares the parser
that uses them with markdown-it's own on generated Markdown.
"""

from __future__ import annotations

import re
from types import SimpleNamespace

from markdown_it import helpers as stock
from markdown_it.common.utils import unescapeAll

# Characters that start an inline rule able to consume a "]" or a "[" that
# nests: a nested link or image, a footnote, an escape, a code span, an
# autolink or inline HTML. Text, entities, line breaks and emphasis delimiters
# (which do nothing in silent mode) stop at the first "]".
_LABEL_STOP = re.compile(r"[\[\\`<]")
# A destination ends at a space, a control character or an unbalanced ")";
# a backslash or "(" takes markdown-it's own scan.
_DESTINATION = re.compile(r"[^\x00-\x20\x7f\\()]+")


class _Result:
    __slots__ = ("ok", "pos", "str")

    def __init__(self, ok: bool = False, pos: int = 0, string: str = "") -> None:
        self.ok = ok
        self.pos = pos
        self.str = string


def parse_link_label(state, start: int, disableNested: bool = False) -> int:  # noqa: N803 - markdown-it's name
    """markdown-it's ``parseLinkLabel``: the index of the label's ``]``, or -1."""
    if state.level < state.md.options["maxNesting"]:
        end = state.src.find("]", start + 1, state.posMax)
        if end > 0 and _LABEL_STOP.search(state.src, start + 1, end) is None:
            return end
    return stock.parseLinkLabel(state, start, disableNested)


def parse_link_destination(string: str, pos: int, maximum: int):
    """markdown-it's ``parseLinkDestination`` (a result with ``ok``, ``pos``, ``str``)."""
    match = _DESTINATION.match(string, pos, maximum) if pos < maximum and string[pos] != "<" else None
    if match is not None:
        end = match.end()
        if end == maximum or string[end] not in "\\(":
            return _Result(True, end, unescapeAll(string[pos:end]))
    return stock.parseLinkDestination(string, pos, maximum)


def helpers() -> SimpleNamespace:
    """What a parser's ``md.helpers`` is set to."""
    return SimpleNamespace(parseLinkLabel=parse_link_label, parseLinkDestination=parse_link_destination,
                           parseLinkTitle=stock.parseLinkTitle)  # fmt: skip
