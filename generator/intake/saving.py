"""``ssg archive``: a web archive saves each story's original that has no
``source.archived`` yet, and the saved copy's URL is written into the
story's front matter in place (``frontedit.py``). One request at a time,
``archive.interval`` seconds apart; when the archive says to slow down
(HTTP 429) the run waits as told, then stops and says how many are left:
the next run goes on from there, as every saved copy is written at once."""

from __future__ import annotations

import re
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import urljoin

from generator.config.site import SiteConfig
from generator.config.validate import check_url
from generator.intake.fetch import NO_REDIRECTS, USER_AGENT
from generator.intake.frontedit import EditError, add_source_field
from generator.intake.known import articles_of

RETRIES = 2  # after a 429, each after its Retry-After (at most MAX_WAIT seconds)
MAX_WAIT = 120.0
_SAVED = re.compile(r"""/web/\d{14}[a-z_]*/[^\s"'<>]+""")


@dataclass
class Outcome:
    saved: str = ""  # the saved copy's URL
    error: str = ""
    wait: float | None = None  # the archive asked to slow down: seconds to wait


def save(endpoint: str, url: str, timeout: float) -> Outcome:
    """Ask ``endpoint`` to save ``url``: the saved copy's URL is in the answer's Content-Location or
    Location header (Save Page Now's), or in a link to ``/web/<timestamp>/...`` in its body."""
    request = urllib.request.Request(endpoint + url, headers={"User-Agent": USER_AGENT})
    try:
        with NO_REDIRECTS.open(request, timeout=timeout) as response:
            headers, body = response.headers, response.read(256 * 1024)
    except urllib.error.HTTPError as exc:
        headers, body = exc.headers, b""
        if exc.code == 429:
            retry = (headers.get("Retry-After") or "").strip()
            return Outcome(error="HTTP 429 (rate limited)", wait=float(retry) if retry.isdigit() else 60.0)
        if exc.code not in (301, 302, 303, 307, 308):
            return Outcome(error=f"HTTP {exc.code} {exc.reason}".rstrip())
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        return Outcome(error="timed out" if "timed out" in str(reason) else str(reason))
    for found in (headers.get("Content-Location"), headers.get("Location")):
        if found and _SAVED.search(found):
            return _checked(urljoin(endpoint, found.strip()))
    if match := _SAVED.search(body.decode("utf-8", "replace")):
        return _checked(urljoin(endpoint, match.group(0)))
    return Outcome(error="the archive's answer names no saved copy")


def _checked(saved: str) -> Outcome:
    problem = check_url(saved)
    return Outcome(error=f"the saved copy's URL {problem}") if problem else Outcome(saved=saved)


def archive_originals(config: SiteConfig, *, limit: int | None, dry_run: bool, timeout: float, say,
                      sleep=time.sleep) -> tuple[int, int, int]:  # fmt: skip
    """Returns (saved, failed, left)."""
    articles, _ = articles_of(config)
    todo = sorted((a for a in articles if not a.source.archived), key=lambda a: a.file.rel)
    rest = max(len(todo) - limit, 0) if limit is not None else 0  # left for a later run by --limit
    todo = todo[:limit] if limit is not None else todo
    saved = failed = 0
    for number, article in enumerate(todo):
        if dry_run:
            say(f"would save {article.source.url} ({article.file.rel})")
            continue
        if number:
            sleep(config.archive_interval)
        for attempt in range(RETRIES + 1):
            outcome = save(config.archive_endpoint, article.source.url, timeout)
            if outcome.wait is None or attempt == RETRIES:
                break
            sleep(min(outcome.wait, MAX_WAIT))
        if outcome.wait is not None:
            left = len(todo) - number + rest
            say(f"stopped: the archive is rate limiting ({outcome.error}); {left} left: run ssg archive again later")
            return saved, failed, left
        if outcome.error:
            failed += 1
            say(f"failed {article.file.rel}: {article.source.url}: {outcome.error}; the file was not changed")
            continue
        try:
            add_source_field(article.file.path, "archived", outcome.saved, article.source.name)
        except (EditError, OSError) as exc:
            failed += 1
            say(f"failed {article.file.rel}: saved as {outcome.saved}, but {exc}: add source.archived by hand")
            continue
        saved += 1
        say(f"saved {article.file.rel}: {outcome.saved}")
    return saved, failed, rest
