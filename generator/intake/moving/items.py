"""What a reader of another tool's archive makes of one post or page."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

SOURCE_FIELDS = ("link", "source", "source_url", "external_url", "original")  # tried when --source-field is not given


class SiteError(Exception):
    """The folder or file is not a site ssg can import; the message says why,
    and ``diagnostics`` where, when it is a file's content (every file's
    problems, when a site has several)."""

    def __init__(self, message: str, diagnostics: list | None = None) -> None:
        super().__init__(message)
        self.diagnostics = list(diagnostics or ())


def attempt(problems: list, path, make, *args, **kwargs):
    """``make(*args, **kwargs)``, or None with its problems added to
    ``problems``: every file of a site that cannot be read is reported in one
    run (see :func:`refuse`)."""
    try:
        return make(*args, **kwargs)
    except SiteError as exc:
        from generator.diagnostics import error

        problems.extend(exc.diagnostics or [error(str(path), 1, 1, "", str(exc))])
        return None


def refuse(problems: list) -> None:
    """Raise the problems :func:`attempt` found, if any."""
    if problems:
        count = len({problem.path for problem in problems})
        raise SiteError(f"{count} file{'s' if count != 1 else ''} of the site cannot be read", problems)


@dataclass
class LeadImage:
    src: str  # a file of the post's bundle, as written beside the story
    alt: str = ""
    caption: str = ""
    credit: str = ""


@dataclass
class Item:
    origin: str  # where it was read, for the report: a file, or "item 12" of an export
    kind: str = "post"  # "post" (a story) or "page" (a standalone page)
    title: str = ""
    date: datetime | None = None  # aware
    day_only: bool = False  # the date had no time: written as a day, which is the day on the new site too
    updated: datetime | None = None
    draft: bool = False
    tags: list[str] = field(default_factory=list)
    slug: str = ""
    summary: str = ""
    body: str = ""  # as the other tool wrote it: see ``markup``
    markup: str = "markdown"  # "hugo" (Markdown with shortcodes), "liquid" (with Liquid tags), "html" (WordPress)
    original: str = ""  # the original's URL, when the post names it
    outlet: str = ""  # the original's outlet, when the post names it
    old_url: str = ""  # the post's address on the old site (absolute when the old site's address is known)
    old_paths: list[str] = field(default_factory=list)  # site paths to keep working (its permalink, its aliases)
    keys: list[str] = field(default_factory=list)  # names other posts refer to it by (ref, post_url)
    files: list[tuple[Path, str]] = field(default_factory=list)  # (a file of its bundle, its name beside the story)
    image: LeadImage | None = None
    extra: dict = field(default_factory=dict)  # front matter kept as it was (the site's extra_front_matter)
    unmapped: dict[str, str] = field(default_factory=dict)  # field -> its value, shortened
    notes: list[str] = field(default_factory=list)  # what else the editor should know
    skip: str = ""  # why it is not imported at all


@dataclass
class Site:
    kind: str  # "Hugo", "Jekyll", "WordPress"
    title: str
    url: str  # the old site's address, ending with "/" ("" when it does not say)
    items: list[Item]
    notes: list[str] = field(default_factory=list)  # about the whole site (a permalink style not understood...)


def shown(value, limit: int = 80) -> str:
    """A front matter value as the report shows it: one line, shortened."""
    text = " ".join(str(value).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
