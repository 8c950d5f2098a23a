"""One HTTP GET for intake, with limits: a timeout for each step, a size
limit, a few redirects (each checked: http and https only), a User-Agent
that says what asks, and nothing run (no JavaScript: a page is what its
server sends)."""

from __future__ import annotations

import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from generator import __version__
from generator.config.validate import check_url

USER_AGENT = f"ssg/{__version__} (news archive intake; +https://pypi.org/project/ssg-news/)"
TIMEOUT = 15.0  # seconds: to connect, and between two reads
MAX_BYTES = 10 * 2**20  # a news page is far smaller; a feed of 5,000 entries is about 5 MB
MAX_REDIRECTS = 5
_READ = 64 * 1024


class FetchError(Exception):
    """The URL could not be fetched; the message says why, in one line."""


@dataclass(frozen=True)
class Fetched:
    url: str  # where redirects ended
    status: int
    content_type: str  # lower case, without parameters
    charset: str | None
    body: bytes


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


NO_REDIRECTS = urllib.request.build_opener(_NoRedirect)  # a redirect is an answer: each is checked, and counted


def fetch(url: str, *, accept: str, timeout: float = TIMEOUT, max_bytes: int = MAX_BYTES,
          method: str = "GET") -> Fetched:  # fmt: skip
    """GET ``url``, following up to ``MAX_REDIRECTS`` redirects; raises :class:`FetchError`."""
    current, seen, deadline = url, [], time.monotonic() + 4 * timeout  # a server trickling bytes ends too
    for _ in range(MAX_REDIRECTS + 1):
        if problem := check_url(current):
            raise FetchError(f"{current}: {problem}")
        seen.append(current)
        request = urllib.request.Request(current, method=method, headers={"User-Agent": USER_AGENT, "Accept": accept,
                                                                          "Accept-Encoding": "identity"})  # fmt: skip
        try:
            response = NO_REDIRECTS.open(request, timeout=timeout)
        except urllib.error.HTTPError as exc:
            location = exc.headers.get("Location") if exc.headers else None
            if exc.code in (301, 302, 303, 307, 308) and location:
                exc.close()
                current = urljoin(current, location)
                if current in seen:
                    raise FetchError(f"{url}: redirect loop ({current} again)") from None
                continue
            exc.close()
            raise FetchError(f"{current}: HTTP {exc.code} {exc.reason}".rstrip()) from None
        except (urllib.error.URLError, OSError, ValueError) as exc:
            reason = getattr(exc, "reason", exc)
            text = "timed out" if "timed out" in str(reason) else str(reason)
            raise FetchError(f"{current}: {text or type(exc).__name__}") from None
        with response:
            length = response.headers.get("Content-Length")
            if length and length.isdigit() and int(length) > max_bytes:
                raise FetchError(f"{current}: {int(length) / 2**20:.1f} MB; the limit is {max_bytes / 2**20:.0f} MB")
            body = bytearray()
            try:
                while chunk := response.read(_READ):
                    body += chunk
                    if len(body) > max_bytes:
                        raise FetchError(f"{current}: larger than the limit of {max_bytes / 2**20:.0f} MB")
                    if time.monotonic() > deadline:
                        raise FetchError(f"{current}: timed out (still sending after {4 * timeout:g} s)")
            except (OSError, ValueError) as exc:
                text = "timed out" if "timed out" in str(exc) else str(exc) or type(exc).__name__
                raise FetchError(f"{current}: {text}") from None
            kind = (response.headers.get_content_type() or "").lower()
            return Fetched(current, response.status, kind, response.headers.get_content_charset(), bytes(body))
    raise FetchError(f"{url}: more than {MAX_REDIRECTS} redirects")


def host_of(url: str) -> str:
    return (urlsplit(url).hostname or "").lower().removeprefix("www.")
