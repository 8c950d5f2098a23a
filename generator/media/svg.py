"""SVG files are published as they are only when they are inert: served from
the archive's own origin, an SVG that runs a script is cross-site scripting.
Anything that could run or fetch (a script, an event handler, a
``foreignObject``, a link or reference to another document, a DTD) is
refused with the reason, for the editor to remove it."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from generator.media.probe import ImageProblem

DEFAULT_SIZE = (300, 150)
_UNITS = re.compile(r"^\s*([0-9]*\.?[0-9]+)\s*(px)?\s*$")
_LINKS = {"href", "{http://www.w3.org/1999/xlink}href", "src"}
_ACTIVE = {"script", "foreignobject", "iframe", "embed", "object", "handler", "listener", "set", "animate"}
_URL_IN_STYLE = re.compile(r"url\(\s*['\"]?\s*(?!#)|@import|expression\(|javascript:", re.I)


def svg_size(data: bytes) -> tuple[int, int]:
    """The size an inert SVG shows at (its width and height, else its
    viewBox); raises :class:`ImageProblem` for one that is not inert or not SVG."""
    root = _inert(data)
    width, height = _length(root.get("width")), _length(root.get("height"))
    if (width is None or height is None) and root.get("viewBox"):
        parts = re.split(r"[\s,]+", root.get("viewBox", "").strip())
        try:
            box = [float(p) for p in parts]
        except ValueError:
            box = []
        if len(box) == 4 and box[2] > 0 and box[3] > 0:
            if width is None and height is None:
                width, height = box[2], box[3]
            elif width is None:
                width = height * box[2] / box[3]
            else:
                height = width * box[3] / box[2]
    if not width or not height:  # no size at all: browsers show it at 300 x 150, as any replaced element
        return DEFAULT_SIZE
    return max(1, round(width)), max(1, round(height))


def _length(text: str | None) -> float | None:
    match = _UNITS.match(text or "")
    return float(match[1]) if match else None


def _inert(data: bytes):
    head = data[:4096].lower()
    if b"<!doctype" in head or b"<!entity" in data.lower():
        raise ImageProblem("has a DOCTYPE or entities: remove them (an SVG needs neither)")
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise ImageProblem(f"is not well-formed SVG ({exc})") from exc
    if _name(root.tag) != "svg":
        raise ImageProblem("is not an SVG image (its root element is not <svg>)")
    for element in root.iter():
        name = _name(element.tag)
        if name in _ACTIVE:
            raise ImageProblem(f"has a <{name}> element, which could run or load something: remove it")
        for attribute, value in element.attrib.items():
            local = _name(attribute)
            if local.startswith("on"):
                raise ImageProblem(f"has an event handler ({local}=...) on <{name}>: remove it")
            if attribute in _LINKS and not value.strip().startswith("#"):
                raise ImageProblem(f"<{name}> links to {value[:60]!r}: an SVG may only refer to its own parts (#id)")
            if local == "style" and _URL_IN_STYLE.search(value):
                raise ImageProblem(f"<{name}> has a style that loads or runs something: remove it")
        if name == "style" and _URL_IN_STYLE.search(element.text or ""):
            raise ImageProblem("a <style> element loads or runs something (url(), @import): remove it")
    return root


def _name(tag: str) -> str:
    return tag.rsplit("}", 1)[-1].lower()
