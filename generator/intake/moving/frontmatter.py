"""Front matter as Hugo and Jekyll write it: YAML between ``---``, TOML
between ``+++``, JSON in braces; and the values they hold, read leniently
(a date with or without a zone, tags as a list or a string)."""

from __future__ import annotations

import json
import re
import tomllib
from datetime import date, datetime, time, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from generator.diagnostics import error
from generator.intake.moving.items import SiteError

_YAML = re.compile(r"\A\ufeff?---[ \t]*\r?\n(.*?)^(?:---|\.\.\.)[ \t]*\r?$\n?", re.DOTALL | re.MULTILINE)
_TOML = re.compile(r"\A\ufeff?\+\+\+[ \t]*\r?\n(.*?)^\+\+\+[ \t]*\r?$\n?", re.DOTALL | re.MULTILINE)
_ZONE = re.compile(r"^(\d{4}-\d\d-\d\d)[ T](\d\d?:\d\d(?::\d\d(?:\.\d+)?)?)\s*([+-]\d\d):?(\d\d)$")
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read(path) -> tuple[dict, str]:
    """A content file's front matter and body; a problem is a :class:`SiteError`
    with its place in the file (``path`` as given, for the reader to open)."""
    where = str(path)
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        col = exc.start - raw.rfind(b"\n", 0, exc.start)
        raise _problem(where, line, col, "", f"not UTF-8 text (byte 0x{raw[exc.start]:02x})") from None
    return split(text, where)


def split(text: str, where: str) -> tuple[dict, str]:
    """``(front matter, body)``; a file without front matter has an empty one."""
    text = text.removeprefix("\ufeff")
    if match := _YAML.match(text):
        front = _parsed(lambda: yaml.load(match[1], Loader=_LOADER) or {}, match[1], where, 1, "front matter")
    elif match := _TOML.match(text):
        front = _parsed(lambda: tomllib.loads(match[1]), match[1], where, 1, "front matter")
    elif (rest := text.lstrip()).startswith("{"):
        lead = text[: len(text) - len(rest)].count("\n")
        front, end = _parsed(lambda: json.JSONDecoder().raw_decode(rest), rest, where, lead, "front matter")
        return _mapping(front, where), rest[end:].lstrip("\r\n")
    else:
        return {}, text
    return _mapping(front, where), text[match.end() :]


_TOML_AT = re.compile(r"\s*\(at (?:line (\d+), column (\d+)|end of document)\)")


def _parsed(parse, text: str, where: str, offset: int, field: str):
    """``parse()``, its error made a :class:`SiteError` placed in the file
    (``text``, what was parsed, starts after ``offset`` lines of it)."""
    try:
        return parse()
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        said = ", ".join(part for part in (getattr(exc, "context", None), getattr(exc, "problem", None)) if part)
        line, col = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
        raise _problem(where, offset + line, col, field, said or " ".join(str(exc).split())) from None
    except tomllib.TOMLDecodeError as exc:
        at = _TOML_AT.search(str(exc))
        line, col = (int(at[1]), int(at[2])) if at and at[1] else (text.count("\n") + 1, 1)
        raise _problem(where, offset + line, col, field, _TOML_AT.sub("", str(exc)).strip()) from None
    except json.JSONDecodeError as exc:
        raise _problem(where, offset + exc.lineno, exc.colno, field, exc.msg) from None
    except ValueError as exc:  # a value YAML's own types refuse (a date that does not exist): no place given
        raise _problem(where, offset + 1, 1, field, " ".join(str(exc).split())) from None


def _problem(where: str, line: int, col: int, field: str, message: str) -> SiteError:
    return SiteError(f"{where} cannot be read", [error(where, line, col, field, message)])


def _mapping(front, where: str) -> dict:
    if not isinstance(front, dict):
        raise _problem(where, 1, 1, "front matter", "is not a mapping of keys to values")
    return {str(key): value for key, value in front.items()}


def config_file(path) -> dict:
    """A site's configuration file (``hugo.toml``, ``_config.yml``...)."""
    text = path.read_text(encoding="utf-8-sig")
    if path.suffix == ".toml":
        found = _parsed(lambda: tomllib.loads(text), text, str(path), 0, "")
    elif path.suffix == ".json":
        found = _parsed(lambda: json.loads(text), text, str(path), 0, "")
    else:
        found = _parsed(lambda: yaml.load(text, Loader=_LOADER) or {}, text, str(path), 0, "")
    return _mapping(found, str(path))


def zone_of(name, fallback: tzinfo, where: str) -> tzinfo:
    """A site's time zone setting (``where`` names it in the error), or ``fallback`` when it has none."""
    try:
        return ZoneInfo(str(name)) if name else fallback
    except (ZoneInfoNotFoundError, ValueError):
        raise SiteError(f"{where} {name!r} is not a time zone") from None


def when(value, zone: tzinfo) -> datetime | None:
    """A date as front matter gives it (a datetime, a date, or text), aware: ``zone`` when it has none."""
    if isinstance(value, datetime):
        found = value
    elif isinstance(value, date):
        found = datetime.combine(value, time())
    elif isinstance(value, str) and value.strip():
        text = value.strip().replace("Z", "+00:00")
        text = _ZONE.sub(r"\1T\2\3:\4", text)  # Jekyll's "2019-05-03 10:00:00 +0200"
        text = re.sub(r"^(\d{4}-\d\d-\d\d) (\d)", r"\1T\2", text)
        try:
            found = datetime.fromisoformat(text)
        except ValueError:
            return None
    else:
        return None
    return found if found.tzinfo else found.replace(tzinfo=zone)


def terms(value) -> list[str]:
    """Tags or categories: a list, or one string (Jekyll's are apart by spaces, or by commas)."""
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()] if "," in value else value.split()
    return listed(value)


def listed(value) -> list[str]:
    """A list of names, or one name."""
    if isinstance(value, str):
        return [value.strip()] if value.strip() else []
    if isinstance(value, list | tuple):
        return [str(item).strip() for item in value if str(item).strip()]
    return []
