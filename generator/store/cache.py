"""The persistent build cache: ``.ssg-cache/cache.sqlite`` (SQLite, standard library).

What it keeps, and why a build may trust it:

* ``manifests``: one sealed blob each, in ``marshal``'s format or pickled
  (one read, where rows cost half a second per build at 10,000 stories), kept
  in a file of ``.ssg-cache/manifests/`` under its name; the table's row holds
  the blob's seal and length, written after the file, so that a file and a row
  of two different builds do not pass for one (see :meth:`BuildCache.save_manifest`):
  ``files``, each content file's mtime, size and digest, so an unchanged file is known from one ``stat`` without
  being read; ``outputs``, what the last build wrote: for each output file the
  key of its inputs and the size and mtime it had, so an unchanged page is
  kept or linked instead of being rendered and written again; ``spare``, the
  same for the output before last, kept in ``.ssg-cache/spare`` to be brought
  up to date instead of built anew (see ``output/staging.py``); ``related``, the last
  related-stories result under its key, and ``related-inputs``, what it was
  made of (an edit ranks again only the stories it can change);
  ``templates``, the templates each template source names; ``assets``, the
  files the last build copied beside stories (the no-change check looks at
  them too); ``plan`` and ``plan-docs``, the snapshot of the archive an edit
  that keeps its structure is built from (see ``incremental/snapshot.py``);
* ``docs``: a parsed and rendered story or page, keyed by the file's digest and
  everything else that shapes the result (the parse settings, ssg's version);
* ``bodies``: each rendered body, stored apart so that bodies are read one at a
  time when a page needs them, never all held in memory;
* ``state``: the last build's id and its fingerprint for the no-change check.

Beside the database, ``.ssg-cache/`` holds the spare output tree (``spare/``,
see ``output/staging.py``) and Jinja's compiled templates (``templates/``, each
checked against its template's source before use).

Every blob carries a checksum. A cache that cannot be opened, has another
schema or ssg version, or fails a checksum raises :class:`CacheCorrupt`; the
build then deletes it and starts again without it, so it is never trusted
blindly.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import pickle
import shutil
import sqlite3
import sys
from pathlib import Path

from generator import __version__
from generator.store.records import (
    CacheCorrupt,
    collector_paused,
    open_seal,
    read_doc,
    record_shapes,
    seal,
    start_writeback,
)
from generator.util.replacing import replace_with

CACHE_DIR = ".ssg-cache"
_PICKLED = b"\x80"  # how a pickle (protocol 2 or later) starts; marshal's dict starts with "{"
SCHEMA = 17
_NEW = ".new"  # a new cache, until it is complete
MANIFESTS = "manifests"  # the folder of the manifests' files, beside the database
VERSION = f"{SCHEMA}:{__version__}:{sys.version_info[0]}.{sys.version_info[1]}"


class BuildCache:
    """The cache of one build. An existing cache is updated in place (WAL
    journal). A new one is written into ``cache.sqlite.new`` with neither WAL
    nor syncs while the documents and bodies go in (written once instead of
    twice: storing 10,000 of them took 0.23 s instead of 0.45 s), and put in
    place, synced, by :meth:`close`; a build killed before that leaves none."""

    def __init__(self, root: Path, fresh: bool = False):
        self.folder = root / CACHE_DIR
        self.path = self.folder / "cache.sqlite"
        if fresh:
            self.delete()
        self.folder.mkdir(exist_ok=True)
        gitignore = self.folder / ".gitignore"
        if not gitignore.exists():
            gitignore.write_text("*\n")
        self._final: Path | None = None  # where a new cache goes when it is closed
        self.manifests = self.folder / MANIFESTS
        if not self.path.exists():
            self._final, self.path = self.path, self.path.with_name(self.path.name + _NEW)
            self._remove(self.path)
            shutil.rmtree(self.manifests, ignore_errors=True)  # (a cache deleted by hand, or a build killed)
        self.manifests.mkdir(exist_ok=True)
        try:
            self.db = sqlite3.connect(self.path, isolation_level=None)
            if self._final is None:
                self._journal()
            else:
                self.db.execute("PRAGMA journal_mode=MEMORY")  # a rollback still works, nothing is written twice
                self.db.execute("PRAGMA synchronous=OFF")
            self._schema()
        except sqlite3.DatabaseError as exc:
            raise CacheCorrupt(f"cannot open the cache: {exc}") from exc

    def _journal(self) -> None:
        self.db.execute("PRAGMA journal_mode=WAL")  # readers in other processes do not wait for the writer
        self.db.execute("PRAGMA synchronous=NORMAL")

    def stored(self) -> None:
        """The documents and bodies of a new cache are all in: from here on it
        is written and read as an existing one (bodies are read a little faster
        with the WAL journal)."""
        if self._final is not None:
            self._guard(self._journal)
            start_writeback(self.path)

    def _schema(self) -> None:
        db = self.db
        db.execute("CREATE TABLE IF NOT EXISTS state (name TEXT PRIMARY KEY, value TEXT)")
        version = f"{VERSION}:{record_shapes()}"
        row = db.execute("SELECT value FROM state WHERE name = 'version'").fetchone()
        if row is not None and row[0] != version:
            raise CacheCorrupt(f"the cache was made by another version ({row[0]})")
        db.executescript(
            """
            CREATE TABLE IF NOT EXISTS manifests (name TEXT PRIMARY KEY, data BLOB);
            CREATE TABLE IF NOT EXISTS docs (key TEXT PRIMARY KEY, data BLOB);
            CREATE TABLE IF NOT EXISTS bodies (key TEXT PRIMARY KEY, data BLOB);
            """
        )
        if row is None:
            db.execute("INSERT INTO state VALUES ('version', ?)", (version,))

    def delete(self) -> None:
        self._remove(self.path)
        self._remove(self.path.with_name(self.path.name + _NEW))
        shutil.rmtree(self.folder / MANIFESTS, ignore_errors=True)

    @staticmethod
    def _remove(path: Path) -> None:
        for suffix in ("", "-wal", "-shm", "-journal"):
            with contextlib.suppress(FileNotFoundError):
                os.remove(str(path) + suffix)

    def close(self) -> None:
        """A new cache is synced and put in place: every transaction in it is
        whole (a build that stops on an error or an interrupt has rolled back
        what it had not finished)."""
        self.db.close()
        if self._final is not None:
            try:
                with open(self.path, "rb") as file:
                    os.fsync(file.fileno())
                os.replace(self.path, self._final)
            except OSError:  # the next build starts without a cache
                self._remove(self.path)
            self.path, self._final = self._final, None

    def _guard(self, func, *args):
        try:
            return func(*args)
        except sqlite3.DatabaseError as exc:
            raise CacheCorrupt(f"the cache is damaged: {exc}") from exc

    # -- state ----------------------------------------------------------------

    def state(self, name: str) -> str | None:
        row = self._guard(lambda: self.db.execute("SELECT value FROM state WHERE name = ?", (name,)).fetchone())
        return row[0] if row else None

    def set_state(self, values: dict[str, str]) -> None:
        self._guard(lambda: self.db.executemany("INSERT OR REPLACE INTO state VALUES (?, ?)", values.items()))

    # -- manifests ------------------------------------------------------------

    def manifest(self, name: str) -> dict[str, tuple]:
        """``files``: rel -> (mtime_ns, size, digest); ``outputs`` and ``spare``:
        rel -> (key, size, mtime_ns); ``related`` and ``templates``: see their
        users. Empty when never saved."""
        row = self._guard(lambda: self.db.execute("SELECT data FROM manifests WHERE name = ?", (name,)).fetchone())
        if row is None:
            return {}
        try:
            with open(self.manifests / name, "rb") as file:
                blob = file.read()
        except OSError as exc:
            raise CacheCorrupt(f"the {name} manifest cannot be read: {exc}") from exc
        if _check(blob) != row[0]:
            raise CacheCorrupt(f"the {name} manifest is not the one the cache recorded")
        try:
            with collector_paused():
                data = open_seal(blob)
                value = pickle.loads(data) if data[:1] == _PICKLED else marshal.loads(data)
        except (pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError) as exc:
            raise CacheCorrupt(f"the {name} manifest cannot be read: {exc}") from exc
        if not isinstance(value, dict):
            raise CacheCorrupt(f"the {name} manifest is damaged")
        return value

    def save_manifest(self, name: str, value: dict[str, tuple]) -> None:
        """``value`` in ``marshal``'s format when it is made of plain values only (dicts, tuples, strings,
        numbers: ``files``, ``outputs``, ``related``...), which writes three to four times faster than
        pickle (an edit's manifests at 10,000 stories: 11-15 ms less); else pickled (records, dates). The two are
        told apart by their first byte.

        The sealed blob goes into its own file (put in place whole, by a rename), then its seal and length
        into the table: a blob of a few MB took SQLite 7-16 ms to write in its WAL journal (and as much
        again when the journal was checkpointed) against 1-3 ms for a file. A build stopped between the
        two, or a file the disk lost, leaves a file that is not the one the row describes:
        :class:`CacheCorrupt` when it is read, never a manifest of another build."""
        self.save_sealed(name, self.sealed(value))

    @staticmethod
    def sealed(value) -> bytes:
        """A manifest's file as :meth:`save_manifest` writes it (made apart, so that a build can make
        it while its search stage runs in another process: ``publish.py``)."""
        try:
            data = marshal.dumps(value)
        except ValueError:  # ("unmarshallable object": a record class, a datetime)
            data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        return seal(data)

    def save_sealed(self, name: str, blob: bytes) -> None:
        """Save manifest ``name`` from its file's bytes (:meth:`sealed`)."""
        try:
            replace_with(self.manifests / name, blob)
        except OSError as exc:
            raise CacheCorrupt(f"the {name} manifest cannot be written: {exc}") from exc
        self._record(name, _check(blob))

    def copy_manifest(self, name: str, to: str) -> None:
        """Save manifest ``name`` as ``to`` too, without reading it (its file linked: a manifest's file is
        replaced, never written into)."""
        row = self._guard(lambda: self.db.execute("SELECT data FROM manifests WHERE name = ?", (name,)).fetchone())
        if row is None:
            return
        temporary = self.manifests / f".{to}.{os.getpid()}"
        try:
            with contextlib.suppress(FileNotFoundError):
                os.remove(temporary)
            try:
                os.link(self.manifests / name, temporary)
            except OSError:  # (a file system without hard links)
                shutil.copyfile(self.manifests / name, temporary)
            os.replace(temporary, self.manifests / to)
        except OSError as exc:
            raise CacheCorrupt(f"the {name} manifest cannot be copied: {exc}") from exc
        self._record(to, row[0])

    def _record(self, name: str, check: bytes) -> None:
        self._guard(lambda: self.db.execute("INSERT OR REPLACE INTO manifests VALUES (?, ?)", (name, check)))

    # -- docs and bodies ------------------------------------------------------

    def _docs_rows(self, columns: str, keys: list[str]):
        """Rows of ``docs`` for ``keys`` (500 to a query: SQLite's limit on parameters)."""
        for start in range(0, len(keys), 500):
            chunk = keys[start : start + 500]
            query = f"SELECT {columns} FROM docs WHERE key IN ({','.join('?' * len(chunk))})"
            yield from self._guard(lambda q=query, c=chunk: self.db.execute(q, c).fetchall())

    def get_docs(self, keys: list[str], files: dict[str, object]) -> dict[str, object]:
        """Cached documents by key; ``files`` (rel -> SourceFile of this build)
        stands in for each document's file, which is not stored."""
        with collector_paused():
            return {key: read_doc(blob, files) for key, blob in self._docs_rows("key, data", keys)}

    def stored_docs(self, keys: list[str]) -> set[str]:
        """Which of ``keys`` the cache holds a document (and so a body) for."""
        return {key for (key,) in self._docs_rows("key", keys)}

    def put_docs(self, docs: dict[str, tuple[bytes, bytes]]) -> None:
        """``key -> (doc_blob(record), body_blob(html))``: made by the worker
        that parsed the file, so that this process neither pickles the record
        again nor encodes the body."""

        def run():
            with self.db:
                self.db.execute("BEGIN")
                self.db.executemany("INSERT OR REPLACE INTO docs VALUES (?, ?)",
                                    ((key, blobs[0]) for key, blobs in docs.items()))  # fmt: skip
                self.db.executemany("INSERT OR REPLACE INTO bodies VALUES (?, ?)",
                                    ((key, blobs[1]) for key, blobs in docs.items()))  # fmt: skip

        self._guard(run)

    def prune(self, keep: set[str]) -> None:
        """Forget documents and bodies no file has any more (a new cache holds
        only what this build stored)."""
        if self._final is not None:
            return

        def run():
            with self.db:
                self.db.execute("BEGIN")
                self.db.execute("CREATE TEMP TABLE IF NOT EXISTS keep (key TEXT PRIMARY KEY)")
                self.db.execute("DELETE FROM keep")
                self.db.executemany("INSERT OR IGNORE INTO keep VALUES (?)", ((k,) for k in keep))
                for table in ("docs", "bodies"):
                    self.db.execute(f"DELETE FROM {table} WHERE key NOT IN (SELECT key FROM keep)")

        self._guard(run)

    def forget(self, keys: list[str]) -> None:
        """Drop the documents and bodies of ``keys`` (files whose content changed)."""

        def run():
            with self.db:
                self.db.execute("BEGIN")
                for table in ("docs", "bodies"):
                    self.db.executemany(f"DELETE FROM {table} WHERE key = ?", ((k,) for k in keys))

        self._guard(run)

    def bodies(self) -> BodyReader:
        return BodyReader(self.path)


class BodyReader:
    """Reads rendered bodies (and documents) one at a time; one connection per
    process (SQLite connections must not cross a fork)."""

    def __init__(self, path: Path):
        self.path = path
        self._db: sqlite3.Connection | None = None
        self._pid = -1

    def close(self) -> None:
        if self._db is not None and self._pid == os.getpid():
            self._db.close()
        self._db = None

    def _connection(self) -> sqlite3.Connection:
        if self._db is None or self._pid != os.getpid():
            self._db = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True)
            self._pid = os.getpid()
        return self._db

    def _blob(self, table: str, key: str, what: str) -> bytes:
        try:
            row = self._connection().execute(f"SELECT data FROM {table} WHERE key = ?", (key,)).fetchone()
        except sqlite3.DatabaseError as exc:
            raise CacheCorrupt(f"the cache is damaged: {exc}") from exc
        if row is None:
            raise CacheCorrupt(f"{what} is missing from the cache ({key})")
        return row[0]

    def get(self, key: str) -> str:
        """A rendered body."""
        return open_seal(self._blob("bodies", key, "a rendered body")).decode("utf-8")

    def doc(self, key: str, files: dict[str, object]):
        """A cached document (see :func:`read_doc`), read when first needed."""
        blob = self._blob("docs", key, "a document")
        with collector_paused():
            return read_doc(blob, files)

    def docs(self, keys: list[str], files: dict[str, object]) -> dict[str, object]:
        """Cached documents by key, in one query for up to 500 (those missing are left out)."""
        found: dict[str, object] = {}
        for start in range(0, len(keys), 500):
            chunk = keys[start : start + 500]
            query = f"SELECT key, data FROM docs WHERE key IN ({','.join('?' * len(chunk))})"
            try:
                rows = self._connection().execute(query, chunk).fetchall()
            except sqlite3.DatabaseError as exc:
                raise CacheCorrupt(f"the cache is damaged: {exc}") from exc
            with collector_paused():
                found.update((key, read_doc(blob, files)) for key, blob in rows)
        return found


def _check(blob: bytes) -> bytes:
    """What the ``manifests`` table records of a manifest's file: its seal (a CRC-32) and its length."""
    return blob[:4] + len(blob).to_bytes(8, "big")
