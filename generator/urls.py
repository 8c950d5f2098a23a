"""The one place where site-internal paths become links.

Every link in the output goes through :class:`Links`: ``href`` gives a
root-relative link that honours a base URL under a sub-path
(``https://example.org/archive/`` → ``/archive/tags/``), ``absolute`` the
full URL for feeds, sitemaps and canonical links.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote, urlsplit


@dataclass(frozen=True)
class Links:
    base_url: str  # always ends with "/"

    @property
    def prefix(self) -> str:
        return urlsplit(self.base_url).path.rstrip("/")

    def href(self, path: str) -> str:
        """``/tags/ai/`` → ``/archive/tags/ai/`` under a sub-path base URL."""
        if not path.startswith("/"):
            raise ValueError(f"site path must start with '/': {path!r}")
        return self.prefix + quote(path, safe="/#?=&%:@!$'()*+,;~-._")

    def absolute(self, path: str) -> str:
        return self.base_url.rstrip("/") + quote(path, safe="/#?=&%:@!$'()*+,;~-._")


def output_file(url: str) -> str:
    """The file a page URL is written to: ``/a/b/`` → ``a/b/index.html``."""
    if url.endswith("/"):
        return url.lstrip("/") + "index.html"
    return url.lstrip("/")
