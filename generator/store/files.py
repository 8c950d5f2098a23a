"""File records: what a content file or a copied file holds, known from its
size and mtime while they are as recorded, and read again (its digest) only
when they are not. A fresh checkout in CI gives every file a new mtime, not
new content: the records say so without reading more than the changed files.
"""

from __future__ import annotations

import os

from generator.util.digest import file_digest


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


def _same(st: os.stat_result, old) -> bool:
    return old is not None and old[0] == st.st_mtime_ns and old[1] == st.st_size


def _read(path: str, st: os.stat_result) -> Record:
    """A file's record with the digest of what it holds now."""
    return st.st_mtime_ns, st.st_size, file_digest(path, st.st_size)


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


def same_bytes(record: Record | None, before: Record | None) -> bool:
    """Two records of a file say it holds the same bytes: the same record, or
    the same digest under another mtime (a fresh checkout)."""
    if record is None or before is None:
        return record is before
    return record == before or (record[2] is not None and record[2] == before[2])
