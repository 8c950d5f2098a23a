"""The one place where site-internal paths become links.

Every link in the output goes through :class:`Links`: ``href`` gives a
root-relative link that honours a base URL under a sub-path
(``https://example.org/archive/`` → ``/archive/tags/``), ``absolute`` the
full URL for feeds, sitemaps and canonical links.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from urllib.parse import quote, urlsplit

_SAFE = "/#?=&%:@!$'()*+,;~-._"
_PLAIN = re.compile(r"[A-Za-z0-9/_.~-]*")  # what quote() leaves as it is, whatever it is told is safe


def _quoted(path: str) -> str:
    return path if _PLAIN.fullmatch(path) else quote(path, safe=_SAFE)


@dataclass(frozen=True)
class Links:
    base_url: str  # always ends with "/"
    _memo: dict = field(default_factory=dict, compare=False, repr=False)

    @cached_property
    def prefix(self) -> str:
        return urlsplit(self.base_url).path.rstrip("/")

    def href(self, path: str) -> str:
        """``/tags/ai/`` → ``/archive/tags/ai/`` under a sub-path base URL."""
        found = self._memo.get(path)
        if found is None:
            if not path.startswith("/"):
                raise ValueError(f"site path must start with '/': {path!r}")
            found = self._memo[path] = self.prefix + _quoted(path)
        return found

    def absolute(self, path: str) -> str:
        key = ("abs", path)
        found = self._memo.get(key)
        if found is None:
            found = self._memo[key] = self.base_url.rstrip("/") + _quoted(path)
        return found


def output_file(url: str) -> str:
    """The file a page URL is written to: ``/a/b/`` → ``a/b/index.html``."""
    if url.endswith("/"):
        return url.lstrip("/") + "index.html"
    return url.lstrip("/")


def period_url(year: int, month: int | None = None) -> str:
    """The URL of a year's date archive page, or of a month's."""
    return f"/{year:04d}/" if month is None else f"/{year:04d}/{month:02d}/"
