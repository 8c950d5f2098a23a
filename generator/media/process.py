"""The media stage: every image the archive shows, probed and encoded once.

Each original is known by its path. While its size and mtime are as the
last build recorded (the ``images`` manifest), its header and content digest
are known without reading it; else a worker reads it, digests it and reads
its header. Its variants live in the cache (``.ssg-cache/images/<key>/``),
under a key made of its content digest, the settings and its share card's
focus: an original whose key has a folder there is not encoded again (a text
edit, a fresh checkout, ``ssg serve`` after ``ssg build``). Any other is
encoded in processes forked for it (``util/forked.py``), one original at a
time each, while the build plans its pages: what the plan needs (each
picture's size, its folder in the store) is known once the original is read,
and the build waits for the variants before it writes anything
(:meth:`Media.finish`). Folders that no image of the archive has any more
are removed at the end of a build.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path, PurePosixPath
from typing import NamedTuple

from generator.config.site import SiteConfig
from generator.content.archive import Archive
from generator.content.model import Asset, Image, Where
from generator.diagnostics import Diagnostic, Severity, error, warning
from generator.media.encode import decoded, encode
from generator.media.picture import Picture, Probed, plan_picture
from generator.media.probe import ImageProblem, probe
from generator.store.cache import BuildCache
from generator.store.gitblobs import Blobs, kept_blob
from generator.util.digest import digest
from generator.util.forked import Forked
from generator.util.parallel import run_chunks

ENCODER = "2"  # bump when encoding changes what a variant holds: every variant is made again
FOLDER = MANIFEST = "images"  # the store's folder in .ssg-cache/, and the cache's manifest


@dataclass(frozen=True)
class Use:
    """Where a document shows an image (or links to it)."""

    rel: str  # the content file
    line: int
    col: int
    field: str  # "image.src" or "body"
    asset: Asset
    url: str  # the page's URL: its variants go beside it
    lead: bool = False
    credit: str = ""
    focus: tuple[float, float] = (0.5, 0.5)


class Known(NamedTuple):
    """An original as the last build read it (the ``images`` manifest's entries)."""

    mtime_ns: int
    size: int
    digest: str
    probed: Probed
    target: str  # its name beside the page
    focus: tuple[float, float]  # the point its share card keeps
    blob: str | None = None  # git's blob ID of the same bytes when git tracks it, "" when git's is a filter's
    # (``store/gitblobs.py``, ``store/files._read``)


class _Pending(NamedTuple):
    """Originals read, being encoded in processes of their own (``util/forked.py``) while the build
    plans its pages: their pictures and their folders in the store are known, their files are not made."""

    paths: list[str]
    forked: Forked
    config: SiteConfig


@dataclass
class Media:
    """The pictures of the archive's images, by original, and where their files are."""

    pictures: dict[str, Picture]  # original's path -> its picture
    keys: dict[str, str]  # original's path -> its folder in the store
    store: Path
    known: dict[str, Known]  # the manifest to save
    uses: list[Use] = field(default_factory=list)
    encoded: int = 0  # how many originals this build encoded (the rest were in the store)
    pending: _Pending | None = None  # originals being encoded while the build plans (:meth:`finish`)

    @classmethod
    def recorded(cls, cache: BuildCache, config: SiteConfig) -> Media:
        """The last build's media, from its manifest (a quick build encodes nothing)."""
        known = cache.manifest(MANIFEST)
        common = settings_key(config)
        pictures = {path: plan_picture(k.target, k.probed, config.images) for path, k in known.items()}
        keys = {path: _key(k.digest, common, k.focus, k.target) for path, k in known.items()}
        return cls(pictures, keys, cache.folder / FOLDER, known)

    def save(self, cache: BuildCache) -> None:
        """Keep the manifest for the next build, and only the variants this build used."""
        cache.save_manifest(MANIFEST, self.known)
        prune(self.store, set(self.keys.values()))

    def finish(self) -> list[Diagnostic]:
        """Waits for the originals encoded while the build went on; an error at each place one that could
        not be is shown."""
        pending, self.pending = self.pending, None
        if pending is None:
            return []
        problems: dict[str, str] = {}
        for i, (made, problem) in sorted(pending.forked.results().items()):
            path = pending.paths[i]
            if problem is None:
                self.encoded += bool(made)
            else:
                problems[path] = problem
                del self.known[path], self.pictures[path], self.keys[path]
        uses = [use for use in self.uses if str(use.asset.source) in problems]
        return _diagnostics(uses, problems, self.known, pending.config)

    def stop(self) -> None:
        """The build ends before it needs the originals being encoded: their processes end."""
        if self.pending is not None:
            self.pending.forked.stop()

    def picture(self, asset: Asset) -> Picture | None:
        return self.pictures.get(str(asset.source))

    def keys_of(self, rendered) -> tuple[str, ...]:
        """The keys of what a document's images are now, its lead image's first ("" for none)."""
        image = getattr(rendered.doc, "image", None)
        lead = self.keys.get(str(image.asset.source), "") if image is not None and image.asset is not None else ""
        return (lead, *(self.keys.get(str(body.asset.source), "") for body in rendered.images))

    @cached_property
    def files(self) -> dict[str, tuple[Path, str]]:
        """Every variant file to publish: output path -> (the file in the store, its key)."""
        found: dict[str, tuple[Path, str]] = {}
        for use in self.uses:
            path = str(use.asset.source)
            picture, key = self.pictures.get(path), self.keys.get(path)
            if picture is None or key is None:
                continue
            folder = use.url.lstrip("/")
            for variant in picture.files:
                found[folder + variant.file] = (self.store / key / Path(variant.file).name, f"{key}/{variant.file}")
        return found


def default_image(config: SiteConfig) -> Image | None:
    """``images.default``: the share image of pages without one, as an image of the home page."""
    default = config.images.default
    if default is None:
        return None
    asset = Asset(config.root / default.src, PurePosixPath(default.src).name)
    return Image(default.src, default.alt, asset=asset, at=Where("images.default.src"))


def uses_of(archive: Archive, config: SiteConfig) -> list[Use]:
    """Every image the archive's stories and pages show or link to, lead
    images first within each, and the site's default image."""
    uses: list[Use] = []
    if (default := default_image(config)) is not None:
        uses.append(Use("site.yml", 1, 1, "images.default.src", default.asset, "/"))
    items = [(s.url, s.rendered) for s in archive.stories] + [(p.url, p.rendered) for p in archive.pages]
    for url, rendered in items:
        doc = rendered.doc
        image = getattr(doc, "image", None)
        if image is not None and image.asset is not None:
            at = image.at
            uses.append(Use(doc.file.rel, at.line, at.col, at.field, image.asset, url, True, image.credit, image.focus))
        for body in rendered.images:
            uses.append(Use(doc.file.rel, body.line, body.col, "body", body.asset, url))
    return uses


def settings_key(config: SiteConfig) -> str:
    from PIL import __version__ as pillow

    images = config.images
    return repr((ENCODER, pillow, images.widths, images.quality, images.keep_copyright, images.publish_original))


def media_stage(archive: Archive, config: SiteConfig, cache: BuildCache, jobs: int,
                encoding: bool = True, blobs: Blobs | None = None) -> tuple[Media, list[Diagnostic]]:  # fmt: skip
    """The stage: the media of every image the archive shows (see :func:`process`)."""
    return process(uses_of(archive, config), config, cache.folder / FOLDER, cache.manifest(MANIFEST), jobs, encoding,
                   blobs)  # fmt: skip


def process(uses: list[Use], config: SiteConfig, store: Path, last: dict[str, Known], jobs: int,
            encoding: bool = True, blobs: Blobs | None = None) -> tuple[Media, list[Diagnostic]]:  # fmt: skip
    """The media of ``uses``, given the ``images`` manifest of the last build;
    with ``encoding`` False (``ssg check``) every original that is not in the
    store is decoded to check it, and nothing is written. An original whose
    mtime changed but that git (``blobs``, asked when many did:
    ``Blobs.want``) reports clean under the blob ID and at the size recorded is known
    without being read (a fresh checkout: 2,099 camera photos are 7.3 GB)."""
    settings = config.images
    focus: dict[str, tuple[float, float]] = {}  # original -> the point its share card keeps
    targets: dict[str, str] = {}  # original -> its name beside the page
    for use in uses:  # a lead image's focus makes its card (a body image's is the middle)
        path = str(use.asset.source)
        targets.setdefault(path, use.asset.target)
        if use.lead or path not in focus:
            focus[path] = use.focus
    originals = sorted(focus)
    common = settings_key(config)
    known: dict[str, Known] = {}
    todo: list[str] = []
    stats = {}
    for path in originals:
        try:
            stats[path] = os.stat(path)
        except OSError:
            pass
    blobs = blobs or Blobs(None)
    stale = [st.st_mtime for path, st in stats.items() if path in last and last[path].mtime_ns != st.st_mtime_ns]
    blobs.want(stale)
    for path in originals:
        st, old = stats.get(path), last.get(path)
        if st is None:
            todo.append(path)  # (the worker reports it)
            continue
        if old is not None and old.size == st.st_size and (old.mtime_ns == st.st_mtime_ns
                                                           or old.blob is not None and blobs.of(path) == old.blob):
            known[path] = old._replace(mtime_ns=st.st_mtime_ns, target=targets[path], focus=focus[path])
            if (store / _key(old.digest, common, focus[path], targets[path])).is_dir():
                continue
        todo.append(path)
    problems: dict[str, str] = {}
    tracked = blobs.tracked

    def task(start: int, stop: int):
        return [(path, *_problem(_read_one, path, targets[path], config, common, focus[path], store, last.get(path),
                                 blobs.of(path), tracked))
                for path in todo[start:stop]]  # fmt: skip

    unmade: list[str] = []  # originals read whose variants the store lacks
    for chunk in run_chunks(task, len(todo), jobs, per_worker=1):
        for path, found, problem in chunk:
            if problem is not None:
                problems[path] = problem
            else:
                known[path] = found[0]
                if found[1]:
                    unmade.append(path)
    pictures, keys = {}, {}
    for path, entry in known.items():
        pictures[path] = plan_picture(targets[path], entry.probed, settings)
        keys[path] = _key(entry.digest, common, focus[path], targets[path])
    media = Media(pictures, keys, store, known, uses)

    def work(i: int) -> tuple[object, str | None]:
        path = unmade[i]
        return _problem(_encode_one, path, known[path], pictures[path], config, store / keys[path], encoding)

    media.pending = _Pending(unmade, Forked(work, len(unmade), jobs, _crashed), config)
    found = _diagnostics(uses, problems, known, config)
    if media.pending.forked.ready or any(d.severity is Severity.ERROR for d in found):
        found += media.finish()  # (errors stop the build at this stage: the encoding's own are reported with them)
    return media, found


def _problem(one, path: str, *args) -> tuple[object, str | None]:
    """``one(path, *args)``, or what is wrong with the original at ``path``."""
    try:
        return one(path, *args), None
    except ImageProblem as exc:
        return None, str(exc)
    except Exception as exc:  # noqa: BLE001 - a hostile file can make a decoder raise anything
        return None, f"cannot be decoded ({type(exc).__name__}: {exc}): export or save it again"


def _crashed(_: int, code: int) -> tuple[None, str]:
    """The problem of an original its encoder died on (a decoder that crashes on a hostile file)."""
    how = f"signal {-code}" if code < 0 else f"exit code {code}"
    return None, f"made its encoder stop ({how}): export or save it again"


def _key(content: str, common: str, focus: tuple[float, float], target: str) -> str:
    """The store folder of an original's variants: its bytes, the settings,
    its card's focus and its name (the variants' files are named after it)."""
    return digest(f"{content}|{common}|{focus}|{target}".encode())[:32]


def _read_one(path: str, target: str, config: SiteConfig, common: str, focus, store: Path, old: Known | None = None,
              blob: str | None = None, tracked: bool = False) -> tuple[Known, bool]:  # fmt: skip
    """Read one original: its record, and whether the store lacks its variants. ``old``: its record of
    the last build; ``blob``: git's blob ID of it; ``tracked``: the site is in a git work tree (the
    record keeps the blob ID ``gitblobs.kept_blob`` says)."""
    source = Path(path)
    try:
        st = source.stat()
        data = source.read_bytes()
    except OSError as exc:
        raise ImageProblem(f"cannot be read: {exc.strerror}") from exc
    probed = probe(source, config.images.max_pixels)
    held = digest(data)
    own = kept_blob(data, held, old.digest if old is not None else None, old.blob if old is not None else None, blob,
                    tracked)  # fmt: skip
    found = Known(st.st_mtime_ns, st.st_size, held, probed, target, focus, own)
    return found, not (store / _key(found.digest, common, focus, target)).is_dir()


def _encode_one(path: str, found: Known, picture: Picture, config: SiteConfig, folder: Path, encoding: bool) -> bool:
    """Encode the variants of the original at ``path`` (read as ``found``) into their ``folder`` of the
    store (with ``encoding`` False, decode it to check it and write nothing); whether this process made them."""
    source = Path(path)
    probed = found.probed
    if not encoding:
        decoded(source, probed, config.images.max_pixels)
        return False
    if folder.is_dir():  # (another build made them meanwhile)
        return False
    partial = folder.with_name(f".{folder.name}.{os.getpid()}")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    try:
        encode(source, probed, picture, config.images, found.focus, partial)
        os.rename(partial, folder)
    except OSError:
        shutil.rmtree(partial, ignore_errors=True)
        if not folder.is_dir():  # (another process made it meanwhile: as good)
            raise
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    return True


def _diagnostics(uses: list[Use], problems: dict[str, str], known: dict[str, Known],
                 config: SiteConfig) -> list[Diagnostic]:  # fmt: skip
    """An error at each place an image with a problem is named; warnings for
    what is published but may not be what the editor meant."""
    settings = config.images
    found: list[Diagnostic] = []
    for use in uses:
        path = str(use.asset.source)
        where = (use.rel, use.line, use.col, use.field)
        if path in problems:
            found.append(error(*where, f"image {use.asset.target!r} {problems[path]}"))
            continue
        entry = known.get(path)
        if entry is None:
            continue
        probed = entry.probed
        if probed.frames > 1:
            found.append(warning(*where, f"image {use.asset.target!r} is animated: only its first frame is "
                                         "published, as a still (a video belongs on the outlet's page)"))  # fmt: skip
        if probed.format != "svg" and probed.width < settings.widths[0]:
            message = (f"image {use.asset.target!r} is {probed.width} px wide, narrower than the smallest width "
                       f"({settings.widths[0]} px): it may look blurred")  # fmt: skip
            found.append(warning(*where, message))
        if use.lead and not use.credit:
            made = error if settings.require_credit else warning
            found.append(made(use.rel, use.line, use.col, "image.credit",
                              "a lead image needs a credit: who took or made it, and for whom"))  # fmt: skip
    return found


def prune(store: Path, keep: set[str]) -> None:
    """Remove the store's folders that no image of this build has."""
    try:
        entries = list(os.scandir(store))
    except OSError:
        return
    for entry in entries:
        if entry.name not in keep:
            shutil.rmtree(entry.path, ignore_errors=True)


NO_MEDIA = Media({}, {}, Path(), {})  # for an archive without images
