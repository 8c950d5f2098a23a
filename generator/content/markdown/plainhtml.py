"""Plain inline text made into HTML at once (see :mod:`plainscan`).

markdown-it would turn a sentence with a link and two emphases into a dozen
tokens, which its renderer then joins into HTML again. When the caller asks
for it (``env[DIRECT]``), a text that :func:`plainscan.scan` takes apart
becomes one token holding its HTML, made from the pieces, with the
typographer's replacements and quotes done by markdown-it's own functions
beforehand. On the benchmark corpora that took 35-45 % off turning Markdown
into HTML. ``tests/site/test_hardening.py`` compares ``render_markdown`` with
and without it on generated Markdown.
"""

from __future__ import annotations

from markdown_it.common.utils import escapeHtml
from markdown_it.renderer import RendererHTML
from markdown_it.rules_core.replacements import RARE_RE, SCOPED_ABBR_RE, replace_rare, replace_scoped
from markdown_it.rules_core.smartquotes import process_inlines
from markdown_it.token import Token

from generator.content.markdown.plainscan import BREAK, EM, HTML_TOKEN, LINK, TEXT, _enabled, _tokens, scan

# The env key under which a caller asks for inline HTML made directly: a
# function of a link's URL giving the text of the link's attributes after its
# href (markdown-it's ``renderAttrs``), or None to have the text parsed into
# tokens as usual.
DIRECT = "plainhtml_links"


def core_rule(md):
    """A stand-in for markdown-it's core ``inline`` rule, which parses each
    inline token's text: the plain ones here, the others by markdown-it.

    With ``env[DIRECT]`` set, a plain text becomes one token of HTML instead of
    its dozen tokens, which the renderer would only join again: not in a
    heading (the anchors plugin reads its text tokens) nor where a rule of
    the parser or the renderer would act on the tokens (the typographer's, a
    text or break rule of one's own)."""

    def inline(state) -> None:
        parse, normalize_link, validate_link = md.inline.parse, md.normalizeLink, md.validateLink
        link_attrs = state.env.get(DIRECT) if _direct_applies(md) else None
        typography = _typography_rules(md) if link_attrs is not None else ()
        after = None
        for token in state.tokens:
            if token.type == "inline":
                if token.children is None:
                    token.children = []
                pieces = scan(token.content, normalize_link, validate_link)
                if pieces is None:
                    parse(token.content, md, state.env, token.children)
                    continue
                html = None
                if link_attrs is not None and after != "heading_open":
                    typeset = _typeset(pieces, token.content, typography, state)
                    html = _html(typeset, link_attrs)
                if html is None:
                    token.children.extend(_tokens(pieces))
                else:
                    token.children.append(Token(HTML_TOKEN, "", 0, content=html, meta={"pieces": typeset}))
            after = token.type

    return inline


def _direct_applies(md) -> bool:
    rules = md.renderer.rules
    return (
        not md.options["breaks"]
        and getattr(rules.get("text"), "__func__", None) is RendererHTML.text
        and getattr(rules.get("softbreak"), "__func__", None) is RendererHTML.softbreak
    )  # fmt: skip


def _typography_rules(md) -> tuple[str, ...]:
    """The typographer's core rules that will run after the inline rule."""
    if not md.options["typographer"]:
        return ()
    return tuple(name for name in ("replacements", "smartquotes") if name in _enabled(md.core.ruler))


# RARE_RE's alternatives, tested one by one (if markdown-it has not changed them).
_RARE_KNOWN = RARE_RE.pattern == r"\+-|\.\.|\?\?\?\?|!!!!|,,|--"


def _rare(content: str) -> bool:
    if _RARE_KNOWN:
        return "--" in content or ".." in content or "+-" in content or ",," in content or "????" in content or (
            "!!!!" in content)  # fmt: skip
    return RARE_RE.search(content) is not None


class _Unit:
    """A token as the typographer's rules read and change it."""

    __slots__ = ("type", "level", "content", "info")

    def __init__(self, kind: str, level: int = 0, content: str = "") -> None:
        self.type, self.level, self.content, self.info = kind, level, content, ""


def _typeset(pieces: list[tuple], content: str, rules: tuple[str, ...], state) -> list[tuple]:
    """The pieces with the typographer's replacements and quotes made in
    their text, by markdown-it's own functions run on stand-ins for the tokens
    :func:`_tokens` would make (the empty text tokens apart: those functions
    skip them)."""
    # Plain substring tests first: they are many times faster than the
    # regular expressions' alternations, and most texts have none of these.
    scoped = "replacements" in rules and "(" in content and SCOPED_ABBR_RE.search(content) is not None
    rare = "replacements" in rules and _rare(content)
    quotes = "smartquotes" in rules and ("'" in content or '"' in content)
    if not (scoped or rare or quotes):
        return pieces
    units: list[_Unit] = []
    texts: list[_Unit | None] = []  # each piece's text, as a unit
    for piece in pieces:
        text = None
        if piece[0] == TEXT:
            units.append(text := _Unit("text", 0, piece[1]))
        elif piece[0] == BREAK:
            units.append(_Unit("softbreak"))
        else:
            units += (_Unit("open"), text := _Unit("text", 1, piece[-1]), _Unit("close"))
        texts.append(text)
    if scoped:
        replace_scoped(units)
    if rare:
        replace_rare(units)
    if quotes:
        process_inlines(units, state)
    return [piece if text is None else (*piece[:-1], text.content) for piece, text in zip(pieces, texts, strict=True)]


def _html(pieces: list[tuple], link_attrs) -> str | None:
    """The HTML markdown-it's renderer makes of the pieces' tokens (a text of
    them holds no ``&`` or ``<``), or None if a link is refused."""
    out: list[str] = []
    for piece in pieces:
        kind = piece[0]
        if kind == TEXT:  # (no text here holds "&" or "<": markdown-it's escapeHtml comes to this)
            out.append(piece[1].replace(">", "&gt;").replace('"', "&quot;"))
        elif kind == BREAK:
            out.append("\n")
        elif kind == LINK:
            attrs = link_attrs(piece[1])
            if attrs is None:
                return None
            out.append(f'<a href="{escapeHtml(piece[1])}"{attrs}>{escapeHtml(piece[2])}</a>')
        elif kind == EM:
            out.append(f"<em>{escapeHtml(piece[1])}</em>")
        else:
            out.append(f"<strong>{escapeHtml(piece[1])}</strong>")
    return "".join(out)


def plain_text(token: Token) -> str:
    """The text of a :data:`HTML_TOKEN`, as its text tokens would give it (a
    line break a space)."""
    return "".join(" " if piece[0] == BREAK else piece[-1] for piece in token.meta["pieces"])


def link_urls(token: Token) -> list[str]:
    """The URLs a :data:`HTML_TOKEN` links to, in order."""
    return [piece[1] for piece in token.meta["pieces"] if piece[0] == LINK]


def replacements(state) -> None:
    """markdown-it's core ``replacements`` rule, passing over the texts made
    into HTML by :func:`core_rule`, which has made them already."""
    if not state.md.options.typographer:
        return
    for token in state.tokens:
        children = token.children
        if token.type != "inline" or children is None or (len(children) == 1 and children[0].type == HTML_TOKEN):
            continue
        if SCOPED_ABBR_RE.search(token.content):
            replace_scoped(children)
        if RARE_RE.search(token.content):
            replace_rare(children)
