"""Faster ways through markdown-it for the paragraphs news stories are
mostly made of: one line of words, ``[plain links](https://...)``, ``*simple*``
or ``**strong**`` words.

* **Blocks.** markdown-it tries eleven block rules (table, code, fence,
  quote, rule, list, ...) on every line before the paragraph rule takes it.
  A line that starts with a letter, is not indented as code and has a blank
  line (or the end) after it can only be a paragraph: ``plain_paragraph``
  (see :func:`install`) hands it to markdown-it's paragraph rule at once.
* **Inline text.** markdown-it tries its inline rules at every character
  that could start one, pushes each emphasis marker as a token of its own,
  then pairs, converts and joins those tokens again. For a text whose only
  markup is of the kinds above, in the plainest form, :func:`plain_inline`
  makes the tokens markdown-it would end with, directly. Any other text, or a
  form it is not sure of (a marker that may open and close, a link with a
  title, an underscore, a backslash, an entity...), is left to markdown-it.

* **HTML.** :class:`Renderer` is markdown-it's renderer with its two most
  frequent steps taken short.

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
    """Put this module's rules into the parser (which :func:`applies`)."""
    from markdown_it.rules_block.paragraph import paragraph

    def plain_paragraph(state, start: int, end: int, silent: bool) -> bool:
        """A line no rule before the paragraph rule can take: a letter first,
        less indented than code, and a blank line or the end after it (a next
        line could make it a table's head or a heading's text, or carry on
        the paragraph)."""
        following = start + 1
        if silent or (following < state.lineMax and not state.isEmpty(following)):
            return False
        first = state.src[state.bMarks[start] + state.tShift[start]]
        if state.sCount[start] - state.blkIndent >= 4 or not first.isalpha():
            return False
        return paragraph(state, start, end, silent)

    md.block.ruler.before(_enabled(md.block.ruler)[0], "plain_paragraph", plain_paragraph)
    md.core.ruler.at("inline", core_rule(md))


def _flanks(last: str, following: str) -> tuple[bool, bool]:
    """markdown-it's ``scanDelims`` for a ``*`` run between ``last`` and ``following``:
    (left-flanking, right-flanking)."""
    last_punct = isMdAsciiPunct(ord(last)) or isPunctChar(last)
    next_punct = isMdAsciiPunct(ord(following)) or isPunctChar(following)
    last_space = isWhiteSpace(ord(last))
    next_space = isWhiteSpace(ord(following))
    left = not (next_space or (next_punct and not (last_space or last_punct)))
    right = not (last_space or (last_punct and not (next_space or next_punct)))
    return left, right


def _text(content: str, level: int = 0) -> Token:
    return Token("text", "", 0, level=level, content=content)


def plain_inline(src: str, normalize_link, validate_link) -> list[Token] | None:
    """The tokens markdown-it's inline parser gives for ``src``, or None when
    ``src`` holds anything but the plain forms this module knows."""
    tokens: list[Token] = []
    size = len(src)
    start = 0  # where the text not yet in a token begins
    pos = 0
    search = _MARKUP.search
    # markdown-it makes the inner markers of a ``**`` pair the tags and empties
    # the outer ones: an emptied marker joins the text beside it, or stays as
    # an empty text token where there is none.
    emptied = False  # a ``**`` pair was the last token, and no text has followed
    while (found := search(src, pos)) is not None:
        at = found.start()
        char = src[at]
        made: tuple[Token, ...]
        if char == "]" or (char in "!^" and not src.startswith("[", at + 1)):
            pos = at + 1  # text: no rule takes it
            continue
        if char == "\n":
            if at == 0 or src[at - 1] == " " or src.startswith((" ", "\t"), at + 1):
                return None  # a hard break, or spaces markdown-it drops
            made, pos = (Token("softbreak", "br", 0),), at + 1
        elif char == "[":
            link = _LINK.match(src, at)
            if link is None:
                return None
            href = normalize_link(link[2])
            if not validate_link(href):
                return None
            made = (Token("link_open", "a", 1, attrs={"href": href}), _text(link[1], 1), Token("link_close", "a", -1))
            pos = link.end()
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
            tag, markup = ("strong", "**") if run == 2 else ("em", "*")
            made = (Token(f"{tag}_open", tag, 1, markup=markup), _text(src[end:close], 1),
                    Token(f"{tag}_close", tag, -1, markup=markup))  # fmt: skip
        else:
            return None  # a rule this module leaves to markdown-it
        if at > start:
            tokens.append(_text(src[start:at]))
        elif emptied or (char == "*" and run == 2):
            tokens.append(_text(""))
        tokens += made
        emptied = char == "*" and run == 2
        start = pos
    if size > start:
        tokens.append(_text(src[start:]))
    elif emptied:
        tokens.append(_text(""))
    return tokens


def _run_end(src: str, at: int, size: int) -> int:
    end = at + 1
    while end < size and src[end] == "*":
        end += 1
    return end


def core_rule(md):
    """A stand-in for markdown-it's core ``inline`` rule, which parses each
    inline token's text: the plain ones here, the others by markdown-it."""

    def inline(state) -> None:
        parse, normalize_link, validate_link = md.inline.parse, md.normalizeLink, md.validateLink
        for token in state.tokens:
            if token.type == "inline":
                if token.children is None:
                    token.children = []
                plain = plain_inline(token.content, normalize_link, validate_link)
                if plain is None:
                    parse(token.content, md, state.env, token.children)
                else:
                    token.children.extend(plain)

    return inline


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
