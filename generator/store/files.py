"""File records: what a content file or a copied file holds, known from its
size and mtime while they are as recorded, and read again (its digest) only
when they are not. A fresh checkout in CI gives every file a new mtime, not
new content: the records say so without reading more than the changed files,
and where git tracks the site, without reading those git reports as they
were (``gitblobs.py``: a record read while many files changed keeps the
file's blob ID).
"""

from __future__ import annotations

import os

from generator.store.gitblobs import Blobs, kept_blob
from generator.util.digest import digest, file_bytes, file_digest


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


Record = tuple  # (mtime_ns, size, digest of the bytes or None: not read yet[, git's blob ID of the same bytes,
# or "": git's is not theirs])


def _same(st: os.stat_result, old) -> bool:
    return old is not None and old[0] == st.st_mtime_ns and old[1] == st.st_size


def _read(path: str, st: os.stat_result, old: Record | None, blob: str | None, tracked: bool = False) -> Record:
    """A file's record with the digest of what it holds now, read. When git knows the file clean by a
    blob ID (``blob``), the record keeps the file's own (for the next checkout), or "" when that is not
    git's: a filter's blob (Git LFS), and then, while the bytes are the same, no blob ID is made again.
    Else the recorded blob ID is kept while the bytes are the same (so a checkout git was not asked about
    costs the next one nothing), and new bytes get their own where the site is in a git work tree
    (``tracked``)."""
    had = old[3] if old is not None and len(old) > 3 else None
    data = None if blob is None and not tracked else file_bytes(path, st.st_size)
    found = file_digest(path, st.st_size) if data is None else digest(data)
    kept = kept_blob(data, found, old[2] if old is not None else None, had, blob, tracked)
    return (st.st_mtime_ns, st.st_size, found) + (() if kept is None else (kept,))


def _first(path: str, st: os.stat_result, blobs: Blobs, known) -> Record:
    """The record of a file copied for the first time: without a digest (a first build copies files
    without reading them twice), except where the site is in a git work tree, so that the first checkout
    after it need not read the file either: with its digest and own blob ID, taken from the media
    stage's record (``known``) when that read the file at this size and mtime."""
    if not blobs.tracked:
        return (st.st_mtime_ns, st.st_size, None)
    if known is not None and (known.mtime_ns, known.size) == (st.st_mtime_ns, st.st_size) and known.blob is not None:
        return (st.st_mtime_ns, st.st_size, known.digest, known.blob)
    try:
        return _read(path, st, None, None, tracked=True)
    except OSError:
        return (st.st_mtime_ns, st.st_size, None)


def content_digests(files, stats: dict[str, os.stat_result | None], recorded: dict[str, Record],
                    blobs: Blobs | None = None) -> dict[str, Record]:  # fmt: skip
    """Each readable content file's record: as recorded while its size and
    mtime are, else with the digest of what it holds now (``_refreshed``).
    Empty when nothing is recorded (a first build: the parsing workers read
    and digest the files)."""
    if not recorded:
        return {}
    records: dict[str, Record] = {}
    stale = []
    for file in files:
        st, old = stats[file.rel], recorded.get(file.rel)
        if st is None:
            continue
        if _same(st, old):
            records[file.rel] = old
        else:
            stale.append((file.rel, file.location, file.rel, st, old))
    records.update((rel, record) for rel, record in _refreshed(stale, blobs) if record is not None)
    return records  # (an unreadable file has none: the loader reports it)


def copied_records(paths, recorded: dict[str, Record | None], blobs: Blobs | None = None,
                   media: dict | None = None) -> dict[str, Record | None]:  # fmt: skip
    """A record of each file the build copies beside a page (None: gone): the
    recorded one while its size and mtime are as recorded; with a digest when
    they changed since it was recorded (``_refreshed``); a new file's as
    :func:`_first` makes it (``media``: the media stage's records, by path)."""
    blobs = blobs or Blobs(None)
    media = media or {}
    records: dict[str, Record | None] = {}
    stale = []
    for path in paths:
        old = recorded.get(path)
        try:
            st = os.stat(path)
        except OSError:
            records[path] = None
            continue
        if _same(st, old):
            records[path] = old
        elif old is None:
            records[path] = _first(path, st, blobs, media.get(path))
        else:
            stale.append((path, path, blobs.relative(path), st, old))
    records.update(_refreshed(stale, blobs))
    return records


def _refreshed(stale: list[tuple], blobs: Blobs | None) -> list[tuple]:
    """``(key, record)`` of each file ``(key, path, path from the site's folder, stat, recorded)`` whose
    size or mtime changed (record None: unreadable). Git is asked first (``blobs``) when there are
    many (``Blobs.want``), and a file it reports clean under the blob ID and at the size recorded is not
    read: the recorded digest, under the new mtime. Any other is read (``_read``)."""
    blobs = blobs or Blobs(None)
    blobs.want([st.st_mtime for *_, st, _ in stale])
    clean, tracked = blobs.known or {}, blobs.tracked
    found = []
    for key, path, rel, st, old in stale:  # (a loop kept lean: 100,000 files after a checkout)
        blob = clean.get(rel)
        if blob is not None and old is not None and len(old) > 3 and old[3] == blob and old[1] == st.st_size \
                and old[2] is not None:  # fmt: skip
            found.append((key, (st.st_mtime_ns, st.st_size, old[2], blob)))
            continue
        try:
            found.append((key, _read(path, st, old, blob, tracked)))
        except OSError:
            found.append((key, None))
    return found


def holds(record: Record) -> str:
    """What a record says of the file's bytes: their digest, or its size and mtime until one is known."""
    return record[2] if record[2] is not None else f"{record[1]}:{record[0]}"


def same_bytes(record: Record | None, before: Record | None) -> bool:
    """Two records of a file say it holds the same bytes: the same record, or
    the same digest under another mtime (a fresh checkout)."""
    if record is None or before is None:
        return record is before
    return record == before or (record[2] is not None and record[2] == before[2])
