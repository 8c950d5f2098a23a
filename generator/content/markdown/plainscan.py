"""Faster ways through markdown-it for the paragraphs news stories are
mostly made of: one line of words, ``[plain links](https://...)``, ``*simple*``
or ``**strong**`` words.

* **Blocks** (:mod:`plainblocks`). markdown-it tries eleven block rules
  (table, code, fence, quote, rule, list, ...) on every line before the
  paragraph rule takes it. A line that can only be a paragraph goes to the
  paragraph rule at once; a one-line quote and a tight list of one-line items
  get their tokens directly.
* **Inline text.** markdown-it tries its inline rules at every character
  that could start one, pushes each emphasis marker as a token of its own,
  then pairs, converts and joins those tokens again. For a text whose only
  markup is of the kinds above, in the plainest form, :func:`scan` finds its
  pieces and :func:`plain_inline` makes the tokens markdown-it would end
  with, directly. Any other text, or a form it is not sure of (a marker that
  may open and close, a link with a title, an underscore, a backslash, an
  entity...), is left to markdown-it.
* **HTML.** ``render_markdown`` has the pieces made into HTML at once
  (:mod:`plainhtml`), and :class:`Renderer` is markdown-it's renderer with
  its two most frequent steps taken short.

On the benchmark corpus, inline parsing was half of markdown-it's time; the
three together make a story's parse much shorter. ``tests/site/test_hardening.py``
compares the tokens and the HTML with markdown-it's own on generated Markdown
and on every sample story.
"""

from __future__ import annotations

import re

from markdown_it.common.utils import escapeHtml, isMdAsciiPunct, isPunctChar, isWhiteSpace
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token

# The characters at which one of the inline rules this module stands in for
# may act (see INLINE_RULES); text between them is text.
_MARKUP = re.compile(r"[\n\\`~_*\[\]!^<&]")
# An inline link with a plain label and destination: nothing in the label a
# rule could act on, nothing in the destination that needs unescaping,
# balancing or a title, and the ")" right after it.
_LINK = re.compile(r"\[([^\n\\`~_*\[\]!^<&]+)\]\(([^\x00-\x20\x7f\\()<&]+)\)")

# The token that holds the HTML :mod:`plainhtml` makes of a whole inline
# text, its pieces in ``meta["pieces"]``.
HTML_TOKEN = "plain_html"

# The rules this module knows, in order: with any other (a plugin that adds
# one, linkify), markdown-it does all the parsing itself.
BLOCK_RULES = ("table", "code", "fence", "blockquote", "hr", "list", "footnote_def", "reference", "html_block",
               "heading", "lheading", "paragraph")  # fmt: skip
INLINE_RULES = ("text", "newline", "escape", "backticks", "strikethrough", "emphasis", "link", "image",
                "footnote_inline", "footnote_ref", "autolink", "html_inline", "entity")  # fmt: skip
AFTER_RULES = ("balance_pairs", "strikethrough", "emphasis", "fragments_join")


def _enabled(ruler) -> tuple[str, ...]:
    return tuple(rule.name for rule in ruler.__rules__ if rule.enabled)


def applies(md) -> bool:
    """Whether the parser's block and inline rules are the ones this module
    knows (some may be off: a rule that is off takes nothing)."""
    blocks, inlines = _enabled(md.block.ruler), _enabled(md.inline.ruler)
    return (
        blocks == tuple(name for name in BLOCK_RULES if name in blocks) and blocks[-1:] == ("paragraph",)
        and inlines == tuple(name for name in INLINE_RULES if name in inlines)
        and _enabled(md.inline.ruler2) == AFTER_RULES
    )  # fmt: skip


def install(md) -> None:
    """Put this module's rules into the parser (which :func:`applies`), with
    those of ``plainblocks`` and ``plainhtml``."""
    from generator.content.markdown import plainblocks, plainhtml

    md.block.ruler.before(_enabled(md.block.ruler)[0], "plain_blocks", plainblocks.plain_blocks)
    md.core.ruler.at("inline", plainhtml.core_rule(md))
    if "replacements" in [rule.name for rule in md.core.ruler.__rules__]:
        md.core.ruler.at("replacements", plainhtml.replacements)


_CLOSER_NEXT = frozenset(" .,;:!?")


def _flanks(last: str, following: str) -> tuple[bool, bool]:
    """markdown-it's ``scanDelims`` for a ``*`` run between ``last`` and ``following``:
    (left-flanking, right-flanking)."""
    if last == " " and following.isalnum():
        return True, False  # the common opener (a letter or digit is neither punctuation nor space)
    if last.isalnum() and following in _CLOSER_NEXT:
        return False, True  # the common closer
    last_punct = isMdAsciiPunct(ord(last)) or isPunctChar(last)
    next_punct = isMdAsciiPunct(ord(following)) or isPunctChar(following)
    last_space = isWhiteSpace(ord(last))
    next_space = isWhiteSpace(ord(following))
    left = not (next_space or (next_punct and not (last_space or last_punct)))
    right = not (last_space or (last_punct and not (next_space or next_punct)))
    return left, right


def _text(content: str, level: int = 0) -> Token:
    return Token("text", "", 0, level=level, content=content)


# What :func:`scan` finds, in order: text, a soft line break, a link (its
# URL and label), emphasis or strong emphasis (the text inside).
TEXT, BREAK, LINK, EM, STRONG = range(5)


def scan(src: str, normalize_link, validate_link) -> list[tuple] | None:
    """The pieces of ``src`` (``(TEXT, text)``, ``(BREAK,)``, ``(LINK, url,
    label)``, ``(EM, text)``, ``(STRONG, text)``; no text piece is empty), or
    None when ``src`` holds anything but the plain forms this module knows."""
    pieces: list[tuple] = []
    size = len(src)
    start = 0  # where the text not yet in a piece begins
    pos = 0
    search = _MARKUP.search
    while (found := search(src, pos)) is not None:
        at = found.start()
        char = src[at]
        if char == "]" or (char in "!^" and not src.startswith("[", at + 1)):
            pos = at + 1  # text: no rule takes it
            continue
        if char == "\n":
            if at == 0 or src[at - 1] == " " or src.startswith((" ", "\t"), at + 1):
                return None  # a hard break, or spaces markdown-it drops
            made, pos = (BREAK,), at + 1
        elif char == "[":
            link = _LINK.match(src, at)
            if link is None:
                return None
            href = normalize_link(link[2])
            if not validate_link(href):
                return None
            made, pos = (LINK, href, link[1]), link.end()
        elif char == "*":
            end = _run_end(src, at, size)
            left, right = _flanks(src[at - 1] if at else " ", src[end] if end < size else " ")
            if not left and not right:
                pos = end  # a marker between spaces: text
                continue
            run = end - at
            if run > 2 or right:
                return None  # a closer with no opener, or a marker that may do both
            closing = search(src, end)
            if closing is None or src[closing.start()] != "*":
                return None  # only plain text inside a pair
            close = closing.start()
            pos = _run_end(src, close, size)
            left, right = _flanks(src[close - 1], src[pos] if pos < size else " ")
            if pos - close != run or left or not right:
                return None
            made = (STRONG if run == 2 else EM, src[end:close])
        else:
            return None  # a rule this module leaves to markdown-it
        if at > start:
            pieces.append((TEXT, src[start:at]))
        pieces.append(made)
        start = pos
    if size > start:
        pieces.append((TEXT, src[start:]))
    return pieces


def plain_inline(src: str, normalize_link, validate_link) -> list[Token] | None:
    """The tokens markdown-it's inline parser gives for ``src``, or None when
    ``src`` holds anything but the plain forms this module knows."""
    pieces = scan(src, normalize_link, validate_link)
    return None if pieces is None else _tokens(pieces)


def _tokens(pieces: list[tuple]) -> list[Token]:
    tokens: list[Token] = []
    # markdown-it makes the inner markers of a ``**`` pair the tags and empties
    # the outer ones: an emptied marker joins the text beside it, or stays as
    # an empty text token where there is none.
    text_before = strong_before = False
    for piece in pieces:
        kind = piece[0]
        if kind == TEXT:
            tokens.append(_text(piece[1]))
            text_before = True
            continue
        if not text_before and (strong_before or kind == STRONG):
            tokens.append(_text(""))
        if kind == BREAK:
            tokens.append(Token("softbreak", "br", 0))
        elif kind == LINK:
            tokens += (Token("link_open", "a", 1, attrs={"href": piece[1]}), _text(piece[2], 1),
                       Token("link_close", "a", -1))  # fmt: skip
        else:
            tag, markup = ("strong", "**") if kind == STRONG else ("em", "*")
            tokens += (Token(f"{tag}_open", tag, 1, markup=markup), _text(piece[1], 1),
                       Token(f"{tag}_close", tag, -1, markup=markup))  # fmt: skip
        text_before, strong_before = False, kind == STRONG
    if strong_before and not text_before:
        tokens.append(_text(""))
    return tokens


def _run_end(src: str, at: int, size: int) -> int:
    end = at + 1
    while end < size and src[end] == "*":
        end += 1
    return end


class Renderer(RendererHTML):
    """markdown-it's HTML renderer with its two most frequent steps taken
    short: a text token is escaped without a call to the text rule, and a tag
    without attributes is written without ``renderAttrs`` (of the 95,000
    tokens of 2,000 corpus stories, only links have attributes)."""

    def renderInline(self, tokens, options, env) -> str:  # noqa: N802 - markdown-it's name
        rules = self.rules
        text = rules.get("text")
        plain_text = getattr(text, "__func__", None) is RendererHTML.text
        out: list[str] = []
        for index, token in enumerate(tokens):
            kind = token.type
            if kind == "text" and plain_text:
                out.append(escapeHtml(token.content))
            elif kind == HTML_TOKEN:
                out.append(token.content)
            elif kind in rules:
                out.append(rules[kind](tokens, index, options, env))
            else:
                out.append(self.renderToken(tokens, index, options, env))
        return "".join(out)

    def renderToken(self, tokens, idx, options, env) -> str:  # noqa: N802 - markdown-it's name
        """markdown-it's ``renderToken``, step for step, for a token without attributes."""
        token = tokens[idx]
        if token.attrs:
            return super().renderToken(tokens, idx, options, env)
        if token.hidden:
            return ""
        nesting, block = token.nesting, token.block
        lead = "\n" if block and nesting != -1 and idx and tokens[idx - 1].hidden else ""
        tag = ("</" if nesting == -1 else "<") + token.tag
        if nesting == 0 and options["xhtmlOut"]:
            tag += " /"
        if block:
            if nesting == 1 and idx + 1 < len(tokens):
                following = tokens[idx + 1]
                if following.type == "inline" or following.hidden or (
                    following.nesting == -1 and following.tag == token.tag
                ):
                    return lead + tag + ">"
            return lead + tag + ">\n"
        return lead + tag + ">"
