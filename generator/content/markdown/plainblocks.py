"""Block rules for what news stories are mostly made of, before markdown-it's
own (see :mod:`plainscan`): a one-line paragraph, a one-line quote, and a
tight list of one-line items.

markdown-it tries up to eleven block rules (table, code, fence, quote, rule,
list, ...) on a line before one takes it, and its list and quote rules parse
their content with a block parser of its own. :func:`plain_blocks` takes the
plainest forms at once and pushes the tokens markdown-it's rules would push;
anything else (a tab, an indent, a line that carries on, a list that may go
on after a blank line) is left to them. ``tests/site/test_hardening.py``
compares the tokens with markdown-it's own on generated Markdown.
"""

from __future__ import annotations

import re

from markdown_it.rules_block.paragraph import paragraph

from generator.content.markdown.plainscan import _LINK

_ORDERED = re.compile(r"\d+[.)]")
_OPENING = frozenset("\"'(\u201c\u2018")  # a quotation mark or a bracket: no block starts with one


def _plain_start(src: str, pos: int) -> bool:
    """Whether a line whose text starts at ``pos``, with a blank line or the
    end after it, can only be a paragraph: no rule before the paragraph's
    takes it (a letter; a digit not starting an ordered list's marker; a
    link, which is neither a reference nor a footnote definition)."""
    first = src[pos]
    if first.isalpha() or first in _OPENING:
        return True
    if first.isdigit():
        return _ORDERED.match(src, pos) is None
    return first == "[" and _LINK.match(src, pos) is not None


def plain_blocks(state, start: int, end: int, silent: bool) -> bool:
    """The block rule that goes first: a line that can only be a paragraph of
    one line (no rule before the paragraph's takes it, and a blank line or the
    end follows), or a quote or list in their plainest form."""
    if silent or state.sCount[start] - state.blkIndent >= 4:
        return False
    pos = state.bMarks[start] + state.tShift[start]
    following = start + 1
    if (following >= state.lineMax or state.isEmpty(following)) and _plain_start(state.src, pos):
        return paragraph(state, start, end, silent)
    if state.parentType != "root" or state.blkIndent or state.sCount[start]:
        return False  # (in a list or quote, markdown-it's rules keep their own state)
    first = state.src[pos]
    if first == ">":
        return _quote(state, start, pos)
    if first in "-*+":
        return _bullets(state, start, end, first)
    return False


def _item_text(state, line: int, marker: str) -> str | None:
    """The text of a line ``<marker> <text>`` at the margin, or None; the text
    must be one :func:`_plain_start` takes, with no tab in the line."""
    src, at, eol = state.src, state.bMarks[line] + state.tShift[line], state.eMarks[line]
    if state.sCount[line] or not src.startswith(marker + " ", at) or at + 2 >= eol or "\t" in src[at:eol]:
        return None
    return src[at + 2 : eol].strip() if _plain_start(src, at + 2) else None


def _quote(state, start: int, pos: int) -> bool:
    """``> text`` on one line, with a blank line or the end after it."""
    following = start + 1
    if following < state.lineMax and not state.isEmpty(following):
        return False
    text = _item_text(state, start, ">")
    if text is None:
        return False
    lines = [start, following]
    state.push("blockquote_open", "blockquote", 1).markup = ">"
    state.tokens[-1].map = lines
    _paragraph(state, text, lines, hidden=False)
    state.push("blockquote_close", "blockquote", -1).markup = ">"
    state.line = following
    return True


def _bullets(state, start: int, end: int, marker: str) -> bool:
    """A tight list of ``- text`` lines (one marker) at the margin, each item
    one line, ending where what follows its blank lines cannot carry it on
    (another item with the marker, or a line indented under the item)."""
    texts: list[str] = []
    line = start
    while line < end and not state.isEmpty(line):
        text = _item_text(state, line, marker)
        if text is None:
            return False
        texts.append(text)
        line += 1
    after = line
    while after < end and state.isEmpty(after):
        after += 1
    if after < end and (state.sCount[after] >= 2 or state.src[state.bMarks[after] + state.tShift[after]] == marker):
        return False
    opened = state.push("bullet_list_open", "ul", 1)
    opened.markup, opened.map = marker, [start, after]
    for index, text in enumerate(texts):
        item = state.push("list_item_open", "li", 1)
        item.markup, item.map = marker, [start + index, start + index + 1 if index + 1 < len(texts) else after]
        _paragraph(state, text, [start + index, start + index + 1], hidden=True)
        state.push("list_item_close", "li", -1).markup = marker
    state.push("bullet_list_close", "ul", -1).markup = marker
    state.line = after
    return True


def _paragraph(state, text: str, lines: list[int], hidden: bool) -> None:
    """The tokens of markdown-it's paragraph rule (hidden in a tight list)."""
    opened = state.push("paragraph_open", "p", 1)
    opened.map, opened.hidden = list(lines), hidden
    inline = state.push("inline", "", 0)
    inline.content, inline.map, inline.children = text, list(lines), []
    state.push("paragraph_close", "p", -1).hidden = hidden
