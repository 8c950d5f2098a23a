"""Escaping for XML text and attributes, dropping characters XML 1.0 forbids."""

from __future__ import annotations

import re
from xml.sax.saxutils import escape, quoteattr

_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def text(value: str) -> str:
    return escape(_INVALID_XML.sub("", value))


def attr(value: str) -> str:
    """A quoted attribute value, quotes included."""
    return quoteattr(_INVALID_XML.sub("", value))
