"""`ssg check --links`: are the originals still there?

Every ``source.url`` (and every http(s) link in bodies) is requested: HEAD
first, GET when a server refuses HEAD; redirects are followed (up to five)
and reported; timeouts, resets, 5xx and 429 are retried with backoff; at most
``PER_HOST`` requests to one host at a time. Results are kept in the build
cache for ``max_age`` seconds so a daily CI run only checks what is new or
stale. A dead source without ``source.archived`` gets a hint to add one.
"""

from __future__ import annotations

import json
import socket
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from generator import __version__
from generator.diagnostics import Diagnostic, warning
from generator.intake.fetch import NO_REDIRECTS

PER_HOST = 2
WORKERS = 8
MAX_REDIRECTS = 5
RETRY_STATUS = {429, 500, 502, 503, 504}
USER_AGENT = f"ssg-linkcheck/{__version__} (+archive link checker)"


@dataclass(frozen=True)
class Result:
    url: str
    status: int  # 0 when no answer
    final: str  # where redirects ended
    error: str = ""
    checked: float = 0.0

    @property
    def dead(self) -> bool:
        return self.status == 0 or self.status >= 400


@dataclass(frozen=True)
class Use:
    """One place a URL is used: a story's source or a link in a body."""

    url: str
    path: str
    line: int
    col: int
    field: str
    outlet: str
    archived: bool


def _request(url: str, method: str, timeout: float) -> tuple[int, str | None]:
    request = urllib.request.Request(url, method=method, headers={"User-Agent": USER_AGENT})
    try:
        with NO_REDIRECTS.open(request, timeout=timeout) as response:
            return response.status, None
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers.get("Location")


def check_url(url: str, timeout: float, retries: int, backoff: float) -> Result:
    current = url
    for _ in range(MAX_REDIRECTS + 1):
        status, error = 0, ""
        for attempt in range(retries + 1):
            try:
                status, location = _request(current, "HEAD", timeout)
                if status in (405, 501):
                    status, location = _request(current, "GET", timeout)
                error = ""
            except (urllib.error.URLError, OSError, ValueError) as exc:
                status, location = 0, None
                reason = getattr(exc, "reason", exc)
                error = "timed out" if "timed out" in str(reason) else str(reason)
            if status not in RETRY_STATUS and status != 0:
                break
            if attempt < retries:
                time.sleep(backoff * 2**attempt)
        if status in (301, 302, 303, 307, 308) and location:
            current = urljoin(current, location)
            continue
        return Result(url, status, current, error, time.time())
    return Result(url, 0, current, "too many redirects", time.time())


def offline(urls: list[str]) -> bool:
    """Whether no host of ``urls`` can be resolved: the machine looks offline (then nothing is
    checked, and nothing is cached as dead). It stops at the first host that resolves."""
    hosts = sorted({urlsplit(url).hostname or "" for url in urls} - {""})
    pool = ThreadPoolExecutor(WORKERS)
    try:
        for resolved in pool.map(_resolves, hosts):
            if resolved:
                return False
    finally:
        pool.shutdown(wait=False, cancel_futures=True)
    return bool(hosts)


def _resolves(host: str) -> bool:
    try:
        socket.getaddrinfo(host, None)
        return True
    except (OSError, UnicodeError):
        return False


class LinkCache:
    def __init__(self, path: Path):
        self.path = path
        try:
            data = json.loads(path.read_text())
            self.results = {u: Result(**r) for u, r in data.items()}
        except (OSError, ValueError, TypeError):
            self.results = {}

    def fresh(self, url: str, max_age: float) -> Result | None:
        found = self.results.get(url)
        return found if found and time.time() - found.checked < max_age else None

    def save(self) -> None:
        data = {u: r.__dict__ for u, r in sorted(self.results.items())}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.path.write_text(json.dumps(data, indent=1))


def check_links(uses: list[Use], cache: LinkCache, *, max_age: float = 86400, timeout: float = 10.0,
                retries: int = 2, backoff: float = 0.5) -> tuple[list[Diagnostic], dict]:  # fmt: skip
    urls = sorted({use.url for use in uses})
    todo = [u for u in urls if cache.fresh(u, max_age) is None]
    if todo and offline(todo):
        return [], {"checked": 0, "cached": len(urls) - len(todo), "urls": len(urls), "dead": 0,
                    "dead_by_outlet": {}, "offline": True}  # fmt: skip
    hosts: dict[str, threading.Semaphore] = {}
    lock = threading.Lock()

    def one(url: str) -> Result:
        host = urlsplit(url).hostname or ""
        with lock:
            gate = hosts.setdefault(host, threading.Semaphore(PER_HOST))
        with gate:
            return check_url(url, timeout, retries, backoff)

    with ThreadPoolExecutor(WORKERS) as pool:
        for result in pool.map(one, todo):
            cache.results[result.url] = result
    cache.save()
    diagnostics: list[Diagnostic] = []
    dead_by_outlet: Counter = Counter()
    for use in uses:
        result = cache.results[use.url]
        where = (use.path, use.line, use.col, use.field)
        if result.dead:
            why = f"HTTP {result.status}" if result.status else result.error or "no answer"
            hint = ""
            if use.field.startswith("source") and not use.archived:
                hint = f"; add source.archived: a saved copy, e.g. from https://web.archive.org/web/*/{use.url}"
            diagnostics.append(warning(*where, f"dead link ({why}): {use.url}{hint}"))
            if use.field.startswith("source"):
                dead_by_outlet[use.outlet] += 1
        elif result.final != use.url:
            diagnostics.append(warning(*where, f"redirects to {result.final}"))
    dead = sum(1 for u in urls if cache.results[u].dead)
    summary = {"checked": len(todo), "cached": len(urls) - len(todo), "urls": len(urls), "dead": dead,
               "dead_by_outlet": dict(dead_by_outlet), "offline": False}  # fmt: skip
    return diagnostics, summary
