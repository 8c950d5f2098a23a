"""`ssg new`: write a correctly named story file with valid front matter,
held back until an editor has written its text (``generator/content/review.py``).
With ``--from URL`` the page is fetched and its own metadata fills the front
matter (``generator/intake/page.py``); without it, nothing goes to the network."""

from __future__ import annotations

from datetime import datetime

from generator.config.site import SiteConfig
from generator.config.validate import check_url
from generator.intake.fetch import FetchError, fetch
from generator.intake.known import clean_url, read_archive
from generator.intake.page import read_page
from generator.intake.story import Draft, ScaffoldError, story_path, write_story
from generator.intake.text import markdown_text
from generator.util.slugs import slugify

HTML_TYPES = ("text/html", "application/xhtml+xml")

__all__ = ["ScaffoldError", "date_text", "new_story"]


def date_text(value: str | None, config: SiteConfig, now: datetime) -> str:
    """The story's ``date:``: ``value`` as written when it is a day (``2024-03-05``), else a date and time
    in the site's zone; now when ``value`` is None. Raises ValueError for what is not a date."""
    if value is not None and len(value.strip()) == 10:
        return datetime.strptime(value.strip(), "%Y-%m-%d").date().isoformat()
    when = now if value is None else datetime.fromisoformat(value.strip())
    if when.tzinfo is None:
        when = when.replace(tzinfo=config.tzinfo)
    return when.astimezone(config.tzinfo).replace(microsecond=0).isoformat()


def new_story(config: SiteConfig, title: str | None, source: str | None, tags: list[str], outlet: str | None,
              date: str, page: str | None = None, timeout: float = 15.0) -> tuple[str, list[str]]:  # fmt: skip
    """Write the story; returns its path (relative to the site) and what was read from the page."""
    for tag in tags:
        if not slugify(tag):
            raise ScaffoldError(f"--tag {tag!r} has no letters or digits")
    url = page or source or ""
    if problem := check_url(url):
        raise ScaffoldError(f"--{'from' if page else 'source'} {url}: {problem}")
    known, _ = read_archive(config)
    if existing := known.archived(url):
        raise ScaffoldError(f"{url} is already archived by {existing}; nothing was written")
    draft = Draft(title=(title or "").strip(), date=date, outlet="", url=clean_url(url), tags=list(tags))
    notes = []
    if page:
        try:
            fetched = fetch(page, accept="text/html,application/xhtml+xml;q=0.9,*/*;q=0.1", timeout=timeout)
        except FetchError as exc:
            raise ScaffoldError(f"cannot read {exc}; nothing was written") from None
        if fetched.content_type not in HTML_TYPES:
            raise ScaffoldError(f"{fetched.url} is not an HTML page ({fetched.content_type or 'no content type'}); "
                                "nothing was written")  # fmt: skip
        meta = read_page(fetched.body, fetched.url, fetched.charset)
        draft.url = clean_url(meta.canonical)
        if existing := known.archived(draft.url, fetched.url):
            raise ScaffoldError(f"{page} is already archived by {existing} (as {draft.url}); nothing was written")
        draft.title = draft.title or meta.title
        draft.authors, draft.published, draft.came_from = meta.authors, meta.published, page
        draft.body = markdown_text(meta.description)
        draft.outlet = outlet or known.outlet(draft.url, meta.outlet)
        notes = [f"{name}: {getattr(meta, name) or '-'} ({where})" for name, where in sorted(meta.found_in.items())]
    draft.outlet = (outlet or draft.outlet or known.outlet(draft.url)).strip()
    if not draft.title:
        raise ScaffoldError("the page has no title: give one (ssg new \"Title\" --from URL)" if page
                            else "the title must not be empty")  # fmt: skip
    path = story_path(config, draft.title, date, set(), unique=False)
    write_story(path, draft)
    return path.relative_to(config.root).as_posix(), notes
