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

from generator.intake.moving.items import SiteError

_YAML = re.compile(r"\A\ufeff?---[ \t]*\r?\n(.*?)^(?:---|\.\.\.)[ \t]*\r?$\n?", re.DOTALL | re.MULTILINE)
_TOML = re.compile(r"\A\ufeff?\+\+\+[ \t]*\r?\n(.*?)^\+\+\+[ \t]*\r?$\n?", re.DOTALL | re.MULTILINE)
_ZONE = re.compile(r"^(\d{4}-\d\d-\d\d)[ T](\d\d?:\d\d(?::\d\d(?:\.\d+)?)?)\s*([+-]\d\d):?(\d\d)$")
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read(path, where: str) -> tuple[dict, str]:
    """A content file's front matter and body; ``where`` names it in errors."""
    try:
        return split(path.read_text(encoding="utf-8-sig"), where)
    except UnicodeDecodeError as exc:
        raise SiteError(f"{where}: not UTF-8 text (byte 0x{exc.object[exc.start]:02x} at {exc.start})") from None


def split(text: str, where: str) -> tuple[dict, str]:
    """``(front matter, body)``; a file without front matter has an empty one."""
    text = text.removeprefix("\ufeff")
    try:
        if match := _YAML.match(text):
            front = yaml.load(match[1], Loader=_LOADER) or {}
        elif match := _TOML.match(text):
            front = tomllib.loads(match[1])
        elif text.lstrip().startswith("{"):
            front, end = json.JSONDecoder().raw_decode(text.lstrip())
            return _mapping(front, where), text.lstrip()[end:].lstrip("\r\n")
        else:
            return {}, text
    except (yaml.YAMLError, tomllib.TOMLDecodeError, ValueError) as exc:
        raise SiteError(f"{where}: front matter does not parse: {' '.join(str(exc).split())}") from None
    return _mapping(front, where), text[match.end() :]


def _mapping(front, where: str) -> dict:
    if not isinstance(front, dict):
        raise SiteError(f"{where}: front matter is not a mapping of keys to values")
    return {str(key): value for key, value in front.items()}


def config_file(path) -> dict:
    """A site's configuration file (``hugo.toml``, ``_config.yml``...)."""
    text = path.read_text(encoding="utf-8-sig")
    try:
        if path.suffix == ".toml":
            found = tomllib.loads(text)
        elif path.suffix == ".json":
            found = json.loads(text)
        else:
            found = yaml.load(text, Loader=_LOADER) or {}
    except (yaml.YAMLError, tomllib.TOMLDecodeError, ValueError) as exc:
        raise SiteError(f"{path}: does not parse: {' '.join(str(exc).split())}") from None
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
