"""The no-change check: is the output of the last build still the right one?

It costs a ``stat`` per content, theme and output file: when every input holds
what it held, the options are the same, no embargo has lifted and every output
file is as the last build left it, there is nothing to do. What a content file
or a copied file holds comes from its file record (``store/files.py``): a
fresh checkout in CI gives every file a new mtime, not new content, and must
not rebuild.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

from generator.content.model import Article
from generator.output.staging import MARKER
from generator.plan.sitemaps import NEWS_WINDOW
from generator.store.cache import VERSION
from generator.store.files import Record, holds
from generator.util.digest import digest


def frame(config_path: Path, chain, settings: str) -> str:
    """A digest of every input but the content files: ssg's version, the
    options, site.yml and what each theme file holds."""
    parts: list[str] = [VERSION, settings, digest(config_path.read_bytes())]
    for theme in chain:
        for dirpath, dirnames, filenames in os.walk(theme.path):
            dirnames.sort()
            for name in sorted(filenames):
                path = os.path.join(dirpath, name)
                with open(path, "rb") as handle:
                    parts.append(f"{path}:{digest(handle.read())}")
    return digest("\n".join(parts).encode())


def fingerprint(frame_digest: str, files, contents: dict[str, Record], copied: dict[str, Record | None]) -> str:
    """:func:`frame`, which content files there are and what each holds (``contents``: see
    :func:`generator.store.files.content_digests`; '?' where unknown), and what the files the last
    build copied beside the pages hold (an image replaced without its story
    being touched is a change)."""
    parts = [frame_digest]
    for file in files:
        record = contents.get(file.rel)
        parts.append(f"{file.kind}:{file.rel}:{holds(record) if record else '?'}")
    for path, record in copied.items():
        parts.append(f"{path}:{holds(record) if record else 'gone'}")
    return digest("\n".join(parts).encode())


def output_intact(out: Path, manifest: dict[str, tuple[str, int, int]]) -> bool:
    """Every file the last build wrote is there, as it was written (the file
    itself: a link in its place is not what was written, wherever it leads)."""
    if not manifest or not (out / MARKER).is_file():
        return False
    base = str(out)
    for rel, (_, size, mtime_ns) in manifest.items():
        try:
            st = os.lstat(f"{base}/{rel}")
        except OSError:
            return False
        if st.st_size != size or st.st_mtime_ns != mtime_ns:
            return False
    return True


def valid_until(documents, archive, options, config, now) -> float:
    """When the output would change with no input changed: the next embargo to
    lift, or the next story to enter or leave the news sitemap's window."""
    moments: list[float] = []
    for rendered in documents:
        doc = rendered.doc
        if not isinstance(doc, Article):
            continue
        if doc.date.at > now:
            moments.append(doc.date.at.timestamp())
        if config.news_sitemap and doc.date.at + NEWS_WINDOW > now:
            moments.append((doc.date.at + NEWS_WINDOW + timedelta(seconds=1)).timestamp())
    return min(moments, default=float("inf"))
