"""How documents and manifests are stored: pickled, each blob sealed with
its CRC-32, a document's source file kept as its path (see :class:`_DocPickler`).
A blob that fails its seal, or a record whose classes changed, raises
:class:`CacheCorrupt`: the build then starts again without the cache.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import io
import os
import pickle
import sys
import threading
import zlib
from pathlib import Path
from zoneinfo import ZoneInfo

from generator.content.model import SourceFile
from generator.util.digest import digest

_SYNC_FILE_RANGE_WRITE = 2


def record_shapes() -> str:
    """The fields of every record the cache stores: a changed record class
    (a new field) makes old entries foreign, so they are never half-read."""
    from dataclasses import fields

    from generator.content import model
    from generator.content.markdown.convert import InternalLink, Rendered

    classes = [Rendered, InternalLink, model.Article, model.Page, model.Source, model.Image, model.Asset,
               model.BodyImage, model.TagRef, model.Stamp, model.Where, model.SourceFile]  # fmt: skip
    return digest(repr([(c.__name__, [f.name for f in fields(c)]) for c in classes]).encode())[:12]


class CacheCorrupt(Exception):
    """The cache cannot be trusted; delete it and build without it."""


def seal(data: bytes) -> bytes:
    """A blob with its CRC-32 in front: it finds a truncated or damaged entry
    as surely as a hash for this use, at a quarter of blake2b's time (bodies
    are checked each time a page reads one)."""
    return zlib.crc32(data).to_bytes(4, "big") + data


def open_seal(blob: bytes) -> bytes:
    data = blob[4:]
    if len(blob) < 4 or zlib.crc32(data) != int.from_bytes(blob[:4], "big"):
        raise CacheCorrupt("a cache entry fails its checksum")
    return data


@contextlib.contextmanager
def collector_paused():
    """Unpickling makes many objects and no garbage: the cyclic collector is
    kept away while it runs and from what it made (frozen, so that the next
    collection does not walk it all; ``parallel.fewer_collections`` thaws
    everything when the build ends)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


class _DocPickler(pickle.Pickler):
    """Stores a document's SourceFile as its path: the file is known to the
    build that reads the entry (the key includes the path), and rebuilding
    10,000 ``Path`` objects was a third of the cost of loading. Done in
    ``reducer_override``, which pickle calls for objects of our own classes
    only: a ``persistent_id`` method is called for every string and number
    too, and was a quarter of the time to pickle a record. (Unpickling then
    finds ``_source_file`` by pickle's own lookup: a ``find_class`` method
    would be called for every class of the record.)"""

    def reducer_override(self, obj):
        kind = type(obj)
        if kind is SourceFile:
            return _source_file, (obj.rel,)
        if kind is ZoneInfo and obj.key is not None:
            # By its class and key: its own reduction names a method that has no module, and pickle
            # then looks for it in every loaded module (6 of a record's 57 us). The same cached object.
            return ZoneInfo, (obj.key,)
        return NotImplemented


_reading = threading.local()  # .files: the files of the build whose record is being read


def _source_file(rel: str):
    files = getattr(_reading, "files", None)
    if files is None:
        raise pickle.UnpicklingError(f"a document's file {rel!r} read without the build's files")
    return files[rel]


def doc_blob(record) -> bytes:
    """A document record as the ``docs`` table stores it (see :class:`_DocPickler`)."""
    buffer = io.BytesIO()
    _DocPickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(record)
    return seal(buffer.getvalue())


def body_blob(html: str) -> bytes:
    return seal(html.encode("utf-8"))


def read_doc(blob: bytes, files: dict[str, object]):
    """The record of :func:`doc_blob`; ``files`` (rel -> SourceFile) stands in
    for its file. Call it with the collector paused (many objects, no garbage)."""
    _reading.files = files
    try:
        return pickle.loads(open_seal(blob))
    except (pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError, KeyError) as exc:
        raise CacheCorrupt(f"a cached document cannot be read: {exc}") from exc
    finally:
        _reading.files = None


def start_writeback(path: Path) -> None:
    """Have the kernel start writing a file's pages to disk, without waiting
    for it (Linux's ``sync_file_range``; elsewhere nothing): a new cache holds
    86 MB at 10,000 stories, written without syncs, and the first sync after
    (a checkpoint at the end of the build) waited 0.1 s for all of it."""
    if not sys.platform.startswith("linux"):
        return
    try:
        sync_file_range = ctypes.CDLL(None, use_errno=True).sync_file_range
        fd = os.open(path, os.O_RDONLY)
    except (OSError, AttributeError):
        return
    try:
        sync_file_range.argtypes = [ctypes.c_int, ctypes.c_int64, ctypes.c_int64, ctypes.c_uint]
        sync_file_range(fd, 0, 0, _SYNC_FILE_RANGE_WRITE)
    finally:
        os.close(fd)
