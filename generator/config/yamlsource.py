"""YAML with positions: every value knows the line and column it came from.

PyYAML's ``safe_load`` forgets where values were written. We compose the node
graph with libyaml (fast), then turn it into :class:`Node` records that keep
1-based positions, so validators can point at the exact place of a bad value.
Duplicate keys, which PyYAML silently resolves to the last one, are errors
here: nothing an editor writes is dropped without a word.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

try:  # libyaml is about ten times faster; fall back to pure Python if absent.
    _Loader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on the PyYAML build
    _Loader = yaml.SafeLoader

MAX_NODES = 100_000  # guards against alias bombs ("billion laughs")

STR = "tag:yaml.org,2002:str"
TIMESTAMP = "tag:yaml.org,2002:timestamp"
BOOL = "tag:yaml.org,2002:bool"
MAP, SEQ = "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"
_TYPE_NAMES = {
    STR: "a string",
    "tag:yaml.org,2002:int": "a number",
    "tag:yaml.org,2002:float": "a number",
    BOOL: "a boolean",
    "tag:yaml.org,2002:null": "empty",
    TIMESTAMP: "a date",
    "tag:yaml.org,2002:binary": "binary data",
}


@dataclass(slots=True, eq=False)  # not frozen: made 22 times a story, and a frozen __init__ costs three times as much
class Node:
    """A YAML value with its position.

    ``kind`` is ``"map"``, ``"seq"`` or ``"scalar"``. For a map, ``items``
    maps each key to ``(key_node, value_node)`` in document order; for a
    sequence, ``children`` lists the items; for a scalar, ``value`` is the
    Python value (timestamps stay as their source text in ``value`` so that
    validators can report an impossible date themselves).
    """

    kind: str
    tag: str
    line: int
    col: int
    value: Any = None
    items: dict[str, tuple[Node, Node]] = field(default_factory=dict)
    children: tuple[Node, ...] = ()

    @property
    def type_name(self) -> str:
        if self.kind == "map":
            return "a mapping"
        if self.kind == "seq":
            return "a list"
        return _TYPE_NAMES.get(self.tag, "a value")

    def get(self, key: str) -> Node | None:
        pair = self.items.get(key)
        return pair[1] if pair else None

    def to_python(self) -> Any:
        if self.kind == "map":
            return {key: value.to_python() for key, (_, value) in self.items.items()}
        if self.kind == "seq":
            return [child.to_python() for child in self.children]
        return self.value


@dataclass(frozen=True)
class YamlProblem:
    line: int
    col: int
    message: str


class _Builder:
    def __init__(self, loader, line_offset: int):
        self.loader = loader
        self.offset = line_offset
        self.count = 0
        self.problems: list[YamlProblem] = []

    def pos(self, node) -> tuple[int, int]:
        return node.start_mark.line + 1 + self.offset, node.start_mark.column + 1

    def build(self, node) -> Node:
        self.count += 1
        if self.count > MAX_NODES:
            raise _TooLarge(self.pos(node))
        line, col = self.pos(node)
        if isinstance(node, yaml.MappingNode):
            items: dict[str, tuple[Node, Node]] = {}
            for key_node, value_node in node.value:
                key = self.build(key_node)
                if key.kind != "scalar":
                    self.problems.append(YamlProblem(key.line, key.col, "a key must be a plain value"))
                    continue
                name = "" if key.value is None else str(key.value)
                if name in items:
                    first = items[name][0]
                    self.problems.append(
                        YamlProblem(key.line, key.col, f"duplicate key {name!r} (first set on line {first.line})")
                    )
                    continue
                items[name] = (key, self.build(value_node))
            return Node("map", node.tag, line, col, items=items)
        if isinstance(node, yaml.SequenceNode):
            return Node("seq", node.tag, line, col, children=tuple(self.build(c) for c in node.value))
        if node.tag in (STR, TIMESTAMP):
            return Node("scalar", node.tag, line, col, value=node.value)
        try:
            value = self.loader.construct_object(node, deep=True)
        except (yaml.YAMLError, ValueError, TypeError) as exc:
            self.problems.append(YamlProblem(line, col, f"cannot read value {node.value!r}: {exc}"))
            value = node.value
        return Node("scalar", node.tag, line, col, value=value)


def _hint(problem: str, text: str, mark) -> str:
    """How to fix the YAML mistakes editors make most."""
    at = text[mark.index] if mark is not None and mark.index < len(text) else ""
    if "mapping values are not allowed" in problem:
        return " (a value that holds ': ' must be in quotes, like title: \"Strike: day 3\")"
    if "tab" in problem or at == "\t":
        return " (YAML indents with spaces, not tabs: replace the tab with spaces)"
    return ""


class _TooLarge(Exception):
    def __init__(self, pos):
        self.pos = pos


def parse_yaml(text: str, line_offset: int = 0) -> tuple[Node | None, list[YamlProblem]]:
    """Parse one YAML document into a positioned :class:`Node` tree.

    ``line_offset`` is added to every line number (front matter starts below
    its opening fence). Returns ``(None, problems)`` when the text is not
    valid YAML; an empty document gives ``(None, [])``.
    """
    loader = _Loader(text)
    try:
        root = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        # A problem found only at the end of the text (an unclosed list) is
        # best shown where the unclosed thing was opened.
        if exc.context_mark is not None and mark is not None and mark.index >= len(text.rstrip()):
            mark = exc.context_mark
        line = (mark.line + 1 + line_offset) if mark else 1 + line_offset
        col = (mark.column + 1) if mark else 1
        problem = exc.problem or "invalid YAML"
        if exc.context:
            problem = f"{exc.context}, {problem}"
            start = exc.context_mark
            if start is not None and start is not mark:
                problem += f" (started at line {start.line + 1 + line_offset}, column {start.column + 1})"
        return None, [YamlProblem(line, col, f"invalid YAML: {problem}{_hint(problem, text, mark)}")]
    except yaml.YAMLError as exc:
        return None, [YamlProblem(1 + line_offset, 1, f"invalid YAML: {exc}")]
    finally:
        loader.dispose()
    if root is None:
        return None, []
    builder = _Builder(loader, line_offset)
    try:
        tree = builder.build(root)
    except _TooLarge as exc:
        line, col = exc.pos
        return None, [YamlProblem(line, col, f"YAML expands to more than {MAX_NODES} values (alias bomb?)")]
    except RecursionError:
        return None, [YamlProblem(1 + line_offset, 1, "YAML is nested too deeply")]
    return tree, builder.problems
