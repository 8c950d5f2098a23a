"""Front matter of the plainest form, read without libyaml.

Nearly every story's front matter is a few ``key: value`` lines, one level
of nested keys (``source:``, ``image:``), a list in brackets or as ``- item``
lines, plain words, quoted titles and a date. libyaml scans such a text
quickly, but PyYAML then calls back into Python for every node (to make it,
and to resolve its tag) and :class:`~generator.config.yamlsource._Builder`
walks the nodes again: 54 µs for a benchmark story's eight lines, over a
third of reading its front matter. Here each line is matched by one
expression and the :class:`Node` tree is made at once, the tags resolved by
PyYAML's own table: 26 µs.

Anything this module is not sure of returns None, and libyaml reads the text
(``parse_yaml``), so the result is the same either way: a comment, an escape,
a value YAML reads as a number, a value whose text goes on in the next line,
a key written twice, a deeper level, a tab, an empty value, any line of
another form. ``tests/config/test_yaml_plain.py`` compares the two readings
on generated front matter.
"""

from __future__ import annotations

import re

from yaml.resolver import Resolver

from generator.config.yamlsource import BOOL, MAP, SEQ, STR, TIMESTAMP, Node

_IMPLICIT = Resolver.yaml_implicit_resolvers  # first character -> [(tag, expression)], in the order PyYAML tries them
_TIMESTAMP = next(expression for tag, expression in _IMPLICIT["2"] if tag == TIMESTAMP)
_KEYS: dict[str, bool] = {}  # whether a key is read as a string (the same few keys in every story)

# a line: its indentation, "- " for a list item, a key and ":" (not for a list item), and its value's text
_LINE = re.compile(r"( *)(?:(- )|([A-Za-z_][A-Za-z0-9_]*(?:-[A-Za-z0-9_]+)*):(?: +|$))(.*)")
# how a plain scalar this module reads starts: a letter, a digit or any non-ASCII character (the sets are
# written as what they leave out: a set with a range up to U+10FFFF takes 3-7 ms to compile, on every start)
_FIRST = re.compile(r"[^\x00-/:-@\[-`{-\x7f]")
_QUOTED = re.compile(r"\"[^\"\\]*\"|'[^']*'")
# a word of a list in brackets: plain from a letter (or any non-ASCII character), or quoted without escapes
_FLOW_ITEM = re.compile(r" *([^\x00-@\[-`{-\x7f][^,\[\]{}:#\"']*?|\"[^\"\\,]*\"|'[^',]*') *")
# characters PyYAML will not read, or reads as line ends; a "\r" is never left by frontmatter.split
_CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f]")  # (of those, the ones ASCII has)
_UNSURE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]")


def plain_document(text: str, line_offset: int = 0) -> Node | None:
    """The tree ``yamlsource.parse_yaml`` makes of ``text``, when ``text`` is a mapping of the plain form
    this module knows; else None."""
    if (_CONTROL if text.isascii() else _UNSURE).search(text) is not None:
        return None
    items: dict[str, tuple[Node, Node]] = {}
    open_key: Node | None = None  # a key without a value on its line
    block: list = []  # the lines under it: (line number, indentation, is a list item, key, value, its column)
    for number, line in enumerate(text.split("\n"), 1 + line_offset):
        if not line:
            continue
        match = _LINE.fullmatch(line)
        if match is None:
            return None
        indent, item, key, value = match.groups()
        if not indent and not item:  # a key at the top
            if open_key is not None and not _close(items, open_key, block):
                return None
            key_node = _key(key, number, 1)
            if key_node is None or key in items:
                return None
            open_key, block = None, []
            if not value:
                open_key = key_node
                continue
            value_node = _value(value, number, len(line) - len(value) + 1)
            if value_node is None:
                return None
            items[key] = (key_node, value_node)
        elif open_key is None:  # (more of the value before, or a level this module does not read)
            return None
        else:
            block.append((number, len(indent), item is not None, key, value, len(line) - len(value) + 1))
    if open_key is not None and not _close(items, open_key, block):
        return None
    if not items:
        return None
    first = next(iter(items.values()))[0]  # (the keys are in the order of their lines)
    return Node("map", MAP, first.line, first.col, items=items)


def _close(items: dict, key_node: Node, block: list) -> bool:
    """The value of a key at the top made of the lines under it (a mapping, or a list of "- " items); False
    when there are none (an empty value) or they are not all of one form, one indentation."""
    if not block:
        return False
    _, indent, listed, _, _, _ = block[0]
    if any(b[1] != indent or b[2] != listed for b in block) or (indent == 0 and not listed):
        return False
    if listed:
        children = []
        for number, _, _, _, value, col in block:
            node = _scalar(value, number, col)
            if node is None:
                return False
            children.append(node)
        value_node = Node("seq", SEQ, block[0][0], indent + 1, children=tuple(children))
    else:
        nested: dict[str, tuple[Node, Node]] = {}
        for number, _, _, key, value, col in block:
            inner = _key(key, number, indent + 1)
            if inner is None or key in nested or not value:
                return False
            node = _value(value, number, col)
            if node is None:
                return False
            nested[key] = (inner, node)
        value_node = Node("map", MAP, block[0][0], indent + 1, items=nested)
    items[key_node.value] = (key_node, value_node)
    return True


def _key(key: str, line: int, col: int) -> Node | None:
    plain = _KEYS.get(key)
    if plain is None:
        plain = _tag(key) == STR
        if len(_KEYS) < 1000:
            _KEYS[key] = plain
    return Node("scalar", STR, line, col, value=key) if plain else None


def _value(text: str, line: int, col: int) -> Node | None:
    if text[0] == "[":
        return _flow(text, line, col)
    return _scalar(text, line, col)


def _scalar(text: str, line: int, col: int) -> Node | None:
    if not text:  # (an empty list item: null)
        return None
    if text[0] in "\"'":
        return Node("scalar", STR, line, col, value=text[1:-1]) if _QUOTED.fullmatch(text) else None
    if ": " in text or " #" in text or text[-1] in " :" or _FIRST.match(text) is None:
        return None  # (no ": " or " #" in a plain scalar, and it does not end in a space or ":")
    tag = _tag(text)
    if tag in (STR, TIMESTAMP):
        return Node("scalar", tag, line, col, value=text)
    if tag == BOOL:
        return Node("scalar", tag, line, col, value=text.lower() in ("yes", "true", "on"))
    return None  # (a number, null: libyaml's reading and PyYAML's constructors)


def _flow(text: str, line: int, col: int) -> Node | None:
    """A list in brackets of plain or quoted words on one line."""
    if text[-1] != "]":
        return None
    inner = text[1:-1]
    children = []
    if inner.strip():
        at = col + 1
        for piece in inner.split(","):
            match = _FLOW_ITEM.fullmatch(piece)
            if match is None:
                return None
            word = match[1]
            start = at + match.start(1)
            if word[0] in "\"'":
                children.append(Node("scalar", STR, line, start, value=word[1:-1]))
            elif _tag(word) == STR:
                children.append(Node("scalar", STR, line, start, value=word))
            else:
                return None
            at += len(piece) + 1
    elif inner:
        return None
    return Node("seq", SEQ, line, col, children=tuple(children))


def _tag(plain: str) -> str:
    """PyYAML's tag for a plain scalar (``BaseResolver.resolve``: the first expression of its first character
    that matches)."""
    resolvers = _IMPLICIT.get(plain[0])
    if resolvers is None and None not in _IMPLICIT:
        return STR
    if _TIMESTAMP.match(plain):  # (no number's expression matches a date: tried first, for the dates)
        return TIMESTAMP
    for tag, expression in (*(resolvers or ()), *_IMPLICIT.get(None, ())):
        if expression.match(plain):
            return tag
    return STR
