"""One value added to a story's front matter in place: the rest of the
file, its comments, key order, quoting and line ends, stays byte for byte."""

from __future__ import annotations

import json
import os
from pathlib import Path

import yaml


class EditError(Exception):
    """The value cannot be added without rewriting more of the file; the message says why."""


def add_source_field(path: Path, key: str, value: str, name: str) -> None:
    """Add ``source.<key>: value`` to the story at ``path``; ``name`` is the outlet, for a ``source:``
    written as a bare URL (which becomes ``{name: ..., url: ..., <key>: ...}`` on its line)."""
    raw = path.read_bytes()
    bom = raw.startswith(b"\xef\xbb\xbf")
    text = raw[3 if bom else 0 :].decode("utf-8")
    newline = "\r\n" if "\r\n" in text else "\n"
    lines = text.split(newline)
    if not lines or lines[0].rstrip() != "---":
        raise EditError("no front matter")
    close = next((i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), None)
    if close is None:
        raise EditError("front matter is not closed")
    front = "\n".join(lines[1:close])
    try:
        top = yaml.compose(front, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        raise EditError(f"front matter does not parse ({exc.__class__.__name__})") from None
    if not isinstance(top, yaml.MappingNode):
        raise EditError("front matter is not a mapping")
    source = next((v for k, v in top.value if k.value == "source"), None)
    if source is None:
        raise EditError("no source")
    quoted = json.dumps(value, ensure_ascii=False)  # a double-quoted YAML string
    offsets = [0]
    for line in lines[1:close]:
        offsets.append(offsets[-1] + len(line) + 1)
    if isinstance(source, yaml.ScalarNode):
        start, end = source.start_mark, source.end_mark
        if start.line != end.line:
            raise EditError("source is a URL written over several lines")
        row = lines[1 + start.line]
        mapping = f"{{name: {json.dumps(name, ensure_ascii=False)}, url: {json.dumps(source.value)}, {key}: {quoted}}}"
        lines[1 + start.line] = row[: start.column] + mapping + row[end.column :]
    elif not isinstance(source, yaml.MappingNode):
        raise EditError("source is neither a URL nor a mapping")
    elif any(k.value == key for k, _ in source.value):
        raise EditError(f"source.{key} is there already")
    elif source.flow_style:
        end = source.end_mark  # just after the closing brace
        row = lines[1 + end.line]
        brace = row.rfind("}", 0, end.column)
        lines[1 + end.line] = row[:brace].rstrip() + f", {key}: {quoted}" + row[brace:]
    else:
        indent = source.value[0][0].start_mark.column
        last = source.value[-1][1].end_mark
        after = last.line if last.column == 0 or not lines[1 + last.line][: last.column].strip() else last.line + 1
        while after > source.value[-1][0].start_mark.line + 1 and not lines[after].strip():
            after -= 1  # blank lines at the mapping's end stay after the new line
        lines.insert(1 + after, " " * indent + f"{key}: {quoted}")
        close += 1
    edited = newline.join(lines).encode("utf-8")
    work = path.with_name(f".{path.name}.{os.getpid()}")
    work.write_bytes((b"\xef\xbb\xbf" if bom else b"") + edited)
    os.chmod(work, path.stat().st_mode & 0o7777)
    os.replace(work, path)
