"""Stories that wait for an editor: ``ssg new`` and ``ssg import`` write
starting text (a placeholder, or the original's own description) that is
not the archive's words. The story's ``intake:`` block records a digest of
that text; while the body is still it, and ``intake.reviewed`` is not true,
the story is held back from the site (published only with ``--drafts``) and
``ssg check`` lists it."""

from __future__ import annotations

import hashlib

# What ``ssg new`` wrote as the body before stories had an ``intake:`` block: still held back.
OLD_PLACEHOLDER = "Write a short summary of the original story here, in your own words."
PLACEHOLDER = "Write a short summary of the original story here, in your own words, then save."


def text_digest(body: str) -> str:
    """The digest of a body's text, blind to line ends and surrounding blank space."""
    text = body.replace("\r\n", "\n").strip()
    return hashlib.blake2b(text.encode(), digest_size=6).hexdigest()


def waiting(body: str, starting_text: str | None, reviewed: bool) -> bool:
    if reviewed or (starting_text is None and len(body) > 2 * len(PLACEHOLDER)):  # (most stories: no copy made)
        return False
    text = body.strip()
    if text in (OLD_PLACEHOLDER, PLACEHOLDER):
        return True
    return starting_text is not None and text_digest(body) == starting_text
