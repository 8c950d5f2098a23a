"""``ssg import FEED``: one story, waiting for review, for each entry of a
feed (a URL or a file) whose original the archive does not have yet."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from generator.config.site import SiteConfig
from generator.config.validate import check_url
from generator.intake.feeds import Entry, FeedError, read_feed
from generator.intake.fetch import FetchError, fetch
from generator.intake.known import Known, clean_url, read_archive
from generator.intake.story import Draft, ScaffoldError, story_path, write_story
from generator.intake.text import markdown_text
from generator.util.slugs import slugify

FEED_TYPES = "application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, */*;q=0.5"
MAX_START = 1200  # characters of an entry's description kept as the starting text (the rest is the outlet's)
_SENTENCE_END = re.compile(r"[.!?…](?=\s)")


class FeedImportError(Exception):
    """The feed cannot be read; the message says why, in one line."""


@dataclass
class Options:
    since: datetime | None = None
    limit: int | None = None
    dry_run: bool = False
    tags: tuple[str, ...] = ()
    timeout: float = 15.0


def import_feed(config: SiteConfig, where: str, options: Options, now: datetime, say) -> tuple[int, int]:
    """Make the stories; ``say`` gets one line per entry. Returns (made, skipped)."""
    data, url = _read(where, options.timeout)
    try:
        feed = read_feed(data, url)
    except FeedError as exc:
        raise FeedImportError(f"{where}: {exc}") from None
    known, _ = read_archive(config)
    made = skipped = 0
    verb = "would make" if options.dry_run else "made"
    for entry in feed.entries:
        if options.limit is not None and made >= options.limit:
            say(f"stopped: --limit {options.limit} reached ({len(feed.entries) - made - skipped} entries left)")
            break
        link = clean_url(entry.link) if entry.link else ""
        try:
            why = _skip(entry, link, known, options)
            if why is None:
                draft = _draft(entry, link, feed.title, known, config, options, now, url)
                path = story_path(config, draft.title, draft.date, known.made, unique=True)
                rel = path.relative_to(config.root).as_posix()
                if not options.dry_run:
                    write_story(path, draft)
                known.made.add(path)
                known.add(rel, draft.url)
                made += 1
                say(f"{verb} {rel}: {draft.title}")
                continue
        except ScaffoldError as exc:
            why = str(exc)
        skipped += 1
        say(f"skipped {entry.link or entry.title or '(an entry)'}: {why}")
    done = f"{made} would be made (dry run: nothing was written)" if options.dry_run else f"{made} made"
    say(f"{done}, {skipped} skipped")
    return made, skipped


def _read(where: str, timeout: float) -> tuple[bytes, str]:
    path = Path(where)
    if not check_url(where):
        try:
            fetched = fetch(where, accept=FEED_TYPES, timeout=timeout)
        except FetchError as exc:
            raise FeedImportError(f"cannot read {exc}") from None
        return fetched.body, fetched.url
    if where.lower().startswith(("http:", "https:")) or not path.is_file():
        raise FeedImportError(f"{where}: neither a feed file nor an http(s) URL")
    try:
        return path.read_bytes(), path.resolve().as_uri()
    except OSError as exc:
        raise FeedImportError(f"cannot read {where}: {exc.strerror}") from None


def _skip(entry: Entry, link: str, known: Known, options: Options) -> str | None:
    """Why the entry makes no story (``link``: its link without tracking parameters), or None."""
    if not link:
        return "no link to an original"
    if problem := check_url(link):
        return f"link {problem}"
    if existing := known.archived(link):
        return f"already archived by {existing}"
    if not slugify(entry.title):
        return "no title"
    if options.since is not None:
        if entry.published is None:
            return "no date (--since needs one)"
        if entry.published < options.since:
            return f"older than --since ({entry.published.date().isoformat()})"
    return None


def _draft(entry: Entry, url: str, feed_title: str, known: Known, config: SiteConfig, options: Options,
           now: datetime, feed_url: str) -> Draft:  # fmt: skip
    when = min(entry.published, now) if entry.published else now  # a date ahead would embargo the story
    return Draft(
        title=entry.title,
        date=when.astimezone(config.tzinfo).replace(microsecond=0).isoformat(),
        outlet=known.outlet(url, feed_title),
        url=url,
        authors=entry.authors,
        published=entry.published.replace(microsecond=0).isoformat() if entry.published else "",
        tags=known.tag_names([*entry.tags, *options.tags]),
        body=_start(markdown_text(entry.description, base=url)),
        came_from=feed_url if feed_url.startswith(("http://", "https://")) else "",
    )


def _start(text: str) -> str:
    """The first ``MAX_START`` characters of ``text``, cut after a sentence (a feed may carry the whole story)."""
    if len(text) <= MAX_START:
        return text
    cut = max((m.end() for m in _SENTENCE_END.finditer(text, 0, MAX_START)), default=0)
    return text[: cut or MAX_START].rstrip() + ("" if cut else " …")
