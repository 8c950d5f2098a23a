"""The no-change check: is the output of the last build still the right one?

It costs a ``stat`` per content, theme and output file: when every input has
the size and mtime it had, the options are the same, no embargo has lifted and
every output file is as the last build left it, there is nothing to do.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

from generator.cache import VERSION, digest
from generator.content.model import Article
from generator.sitemaps import NEWS_WINDOW
from generator.writer import MARKER


def file_stats(files) -> dict[str, os.stat_result | None]:
    """One ``stat`` per content file (None when it vanished), shared by the
    no-change check and the loader."""
    stats: dict[str, os.stat_result | None] = {}
    for file in files:
        try:
            stats[file.rel] = os.stat(file.location)
        except OSError:
            stats[file.rel] = None
    return stats


def frame(config_path: Path, chain, settings: str, files) -> str:
    """A digest of every input but the content files' bytes: ssg's version,
    the options, site.yml, each theme file's size and mtime, and which content
    files there are."""
    parts: list[str] = [VERSION, settings, digest(config_path.read_bytes())]
    for theme in chain:
        for dirpath, dirnames, filenames in os.walk(theme.path):
            dirnames.sort()
            for name in sorted(filenames):
                st = os.stat(os.path.join(dirpath, name))
                parts.append(f"{dirpath}/{name}:{st.st_size}:{st.st_mtime_ns}")
    parts += [f"{file.kind}:{file.rel}" for file in files]
    return digest("\n".join(parts).encode())


def fingerprint(frame_digest: str, stats: dict[str, os.stat_result | None], assets) -> str:
    """:func:`frame`, each content file's size and mtime, and those of the
    files the last build copied beside the pages (``assets``: their paths; an
    image replaced without its story being touched is a change)."""
    parts = [frame_digest]
    for rel, st in stats.items():
        parts.append(f"{rel}:{st.st_size}:{st.st_mtime_ns}" if st else f"{rel}:gone")
    for path in assets:
        try:
            st = os.stat(path)
            parts.append(f"{path}:{st.st_size}:{st.st_mtime_ns}")
        except OSError:
            parts.append(f"{path}:gone")
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
