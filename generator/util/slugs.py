"""Slugs: ASCII ``[a-z0-9-]`` names that are safe on every static host.

The rule: transliterate other scripts and accents to ASCII, lower
case, drop ``.`` and ``'``, turn every other run of other characters into one
``-``, strip leading and trailing ``-``. ``A.I.`` → ``ai``,
``Women's`` → ``womens``, ``Künstliche`` → ``kunstliche``.
"""

from __future__ import annotations

import re
import unicodedata

_DROPPED = re.compile(r"[.'\u2019\u2018`]")
_OTHER = re.compile(r"[^a-z0-9]+")
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_LENGTH = 80  # folder names stay far below every file system's limit


def slugify(text: str) -> str:
    """Return the slug of ``text``; may be empty (callers report that)."""
    # NFKC and unidecode leave ASCII as it is (most tags, outlets and titles): four times faster without them.
    ascii_text = _DROPPED.sub("", text.lower()) if text.isascii() else transliterated(text)
    slug = _OTHER.sub("-", ascii_text).strip("-")
    if len(slug) > MAX_LENGTH:  # cut at a word boundary when there is one
        cut = slug[: MAX_LENGTH + 1].rfind("-")
        slug = slug[: cut if cut > MAX_LENGTH // 2 else MAX_LENGTH].strip("-")
    return slug


def transliterated(text: str) -> str:
    """``text`` in lower-case ASCII, without apostrophes and dots."""
    from text_unidecode import unidecode  # imported when first needed: 5-12 ms of every build's start-up

    text = unicodedata.normalize("NFKC", text)
    # Drop apostrophes before transliteration, as unidecode would turn the
    # typographic ones into ASCII "'" anyway.
    text = _DROPPED.sub("", text)
    return _DROPPED.sub("", unidecode(text).lower())


def is_slug(text: str) -> bool:
    return len(text) <= MAX_LENGTH and bool(SLUG_RE.match(text))
