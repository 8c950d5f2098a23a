"""The no-change check: is the output of the last build still the right one?

It costs a ``stat`` per content, theme and output file: when every input holds
what it held, the options are the same, no embargo has lifted and every output
file is as the last build left it, there is nothing to do. What a content file
or a copied file holds is known from its size and mtime while they are as
recorded, and read again (its digest) only when they are not: a fresh checkout
in CI gives every file a new mtime, not new content, and must not rebuild.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

from generator.content.model import Article
from generator.output.staging import MARKER
from generator.plan.sitemaps import NEWS_WINDOW
from generator.store.cache import VERSION, digest


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


Record = tuple[int, int, str | None]  # (mtime_ns, size, digest of the bytes; None: not read yet)


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


def _same(st: os.stat_result, old) -> bool:
    return old is not None and old[0] == st.st_mtime_ns and old[1] == st.st_size


def _read(path: str, st: os.stat_result) -> Record:
    """A file's record with the digest of what it holds now."""
    with open(path, "rb") as handle:
        return st.st_mtime_ns, st.st_size, digest(handle.read())


def content_digests(files, stats: dict[str, os.stat_result | None], recorded: dict[str, Record]) -> dict[str, Record]:
    """Each readable content file's record: as recorded while its size and
    mtime are, else with the digest of what it holds now. Empty when nothing
    is recorded (a first build: the parsing workers read and digest the files)."""
    if not recorded:
        return {}
    records: dict[str, Record] = {}
    for file in files:
        st, old = stats[file.rel], recorded.get(file.rel)
        if st is None:
            continue
        if _same(st, old):
            records[file.rel] = old
            continue
        try:
            records[file.rel] = _read(file.location, st)
        except OSError:
            continue  # (the loader reports it)
    return records


def copied_records(paths, recorded: dict[str, Record | None]) -> dict[str, Record | None]:
    """A record of each file the build copies beside a page (None: gone): the
    recorded one while its size and mtime are as recorded; with a digest when
    they changed since it was recorded; a new file's without one (a first
    build copies the files without reading them twice)."""
    records: dict[str, Record | None] = {}
    for path in paths:
        old = recorded.get(path)
        try:
            st = os.stat(path)
            if _same(st, old):
                records[path] = old
            else:
                records[path] = (st.st_mtime_ns, st.st_size, None) if old is None else _read(path, st)
        except OSError:
            records[path] = None
    return records


def holds(record: Record) -> str:
    """What a record says of the file's bytes: their digest, or its size and mtime until one is known."""
    return record[2] if record[2] is not None else f"{record[1]}:{record[0]}"


def fingerprint(frame_digest: str, files, contents: dict[str, Record], copied: dict[str, Record | None]) -> str:
    """:func:`frame`, which content files there are and what each holds (``contents``: see
    :func:`content_digests`; '?' where unknown), and what the files the last
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
