"""The write stage of a build, full or quick: every output into a staging
tree (the spare output tree when there is one, brought up to date), the search
index, the swap, and the record of what was written.

Until the build's last step, the cache's state says that its manifests may
belong to two different builds, so that an interrupted build is never taken
for a finished one (by the no-change check or the quick way).
"""

from __future__ import annotations

import contextlib
import os
import posixpath
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from generator.config.site import SiteConfig
from generator.media.process import NO_MEDIA, Media
from generator.output.files import Listing, clear, discard, discard_spare, same_device
from generator.output.render import Renderer
from generator.output.staging import MARKER, SPARE, FoldersAhead, Staging, has_spare, leftovers
from generator.output.write import Missing, Output, Written, write_outputs
from generator.progress import Progress
from generator.search.pagefind import FOLDER as SEARCH_FOLDER
from generator.search.pagefind import reuse_index
from generator.search.stage import STORE as SEARCH_STORE
from generator.search.stage import Indexed, index_slices
from generator.search.worker import SearchWorker
from generator.stages import Stages
from generator.store.cache import CACHE_DIR, BodyReader, BuildCache
from generator.util.digest import digest
from generator.util.urls import output_file


@dataclass
class WriteContext:
    """What one write stage works with: the site's configuration and output
    folder, the cache, the staging tree (the spare tree when there is one) and
    the folders made ahead."""

    config: SiteConfig
    out: Path
    cache: BuildCache
    bodies: BodyReader
    stages: Stages
    progress: Progress
    jobs: int
    started: float
    write: bool = True  # False for `ssg check`
    stale_search: bool = False
    listing: Listing | None = None  # of the spare tree, started early (see `list_spare`)
    staging: Staging | None = None  # once `stage` has made it, until it is swapped in or dropped
    ahead: FoldersAhead | None = None  # folders of a new staging tree, made while the build plans
    racing: bool = False  # the writers do not wait for the folders made ahead
    media: Media = field(default_factory=lambda: NO_MEDIA)  # the images' pictures, once the media stage has run
    searcher: SearchWorker | None = None  # the search stage's own process, started early (`start_searcher`)
    _last: dict | None = None

    @property
    def spare_dir(self) -> Path:
        return self.config.root / CACHE_DIR / SPARE

    def has_spare(self) -> bool:
        """The cache recorded a spare tree for this output, and it is a real folder."""
        return has_spare(self.config.root, self.cache, self.out)

    def list_spare(self) -> None:
        """Start listing the spare tree, if there is one, so that the listing
        is ready when the write stage needs it."""
        if self.has_spare():
            self.listing = Listing(self.spare_dir)

    def start_searcher(self) -> None:
        """Fork the search stage's process (``search/worker.py``) now, so that it reads what it needs of
        the last build's index while this build loads, plans and renders."""
        if self.write and self.config.search and self.searcher is None:
            self.searcher = SearchWorker.fork(self.cache.folder / SEARCH_STORE, self.config.language)

    def last_outputs(self) -> dict:
        """The manifest of what the last build wrote, if it wrote into this output."""
        if self._last is None:
            self._last = self.cache.manifest("outputs") if self.cache.state("output") == str(self.out) else {}
        return self._last

    def close_searcher(self) -> None:
        """Ends the search stage's process, if it is still running (waits for it)."""
        searcher, self.searcher = self.searcher, None
        if searcher is not None:
            searcher.close()

    def close(self) -> None:
        self.close_searcher()
        self.media.stop()
        if self.listing is not None:
            self.listing.close()
        if self.ahead is not None:
            self.ahead.stop()
        if self.staging is not None:  # the build stopped before its write stage
            self.staging.abort()
            self.staging = None

    def stage(self, folders: list[str] | None = None, race: bool = False) -> Staging:
        """The staging tree: the spare output tree when the cache recorded one
        for this output (every file in it is checked against its manifest and
        the tree is walked, so nothing it should not hold survives; a spare
        restored by CI, with new inodes, is used too), else a new folder, in
        which ``folders`` (output paths, each after its parent) are made ahead
        in another process. With ``race``, the writers do not wait for them
        (they are the last output's, made from the start of the build, while
        the writers make what they need as they go)."""
        if self.staging is not None:
            return self.staging
        spare = self.cache.manifest("spare") if self.has_spare() else {}
        if not spare:
            discard_spare(self.spare_dir)
        for left in leftovers(self.config.root):  # half-made by a spare's maker this build stopped
            discard(left, background=True)
        self.cache.set_state({"spare": ""})  # from here until the end, what the spare holds is not known
        self.staging = Staging(self.out, self.spare_dir if spare else None)
        if self.staging.reused:
            self.staging.holds = spare
        if folders and not self.staging.reused:
            self.ahead = FoldersAhead(self.staging.path, folders)
            self.racing = race
        return self.staging

    def made_ahead(self) -> set[str]:
        """The folders made ahead (waits for them), none when the writers race them."""
        if self.ahead is None or self.racing:
            return set()
        ahead, self.ahead = self.ahead, None
        return ahead.result()

    def end_ahead(self, written=None) -> None:
        """Waits for the folders made ahead, if they are still being made;
        given the output paths of every file ``written``, removes the folders
        made ahead that none of them went into (the last output had a story
        this build does not)."""
        ahead, self.ahead = self.ahead, None
        if ahead is None:
            return
        ahead.result()
        if written is None:
            return
        used = _folders(written)
        for rel, path in zip(reversed(ahead.folders), reversed(ahead.paths), strict=True):  # deepest first
            if rel not in used:
                with contextlib.suppress(OSError):  # not empty, or not made
                    os.rmdir(path)

    @property
    def compiled(self) -> Path | None:
        """Where compiled templates are kept between builds (not by `ssg check`)."""
        if not self.write:
            return None
        folder = self.config.root / CACHE_DIR / "templates"
        folder.mkdir(exist_ok=True)
        return folder


AHEAD_MIN = 200  # folders: fewer are made by the writers, without a process of their own


def _write(site: WriteContext, staging: Staging, outputs: list[Output], articles: set[str], previous: dict,
           renderer: Renderer) -> tuple[Written, _Search]:  # fmt: skip
    """Every output written, and the search stage started: with a process of its own for it, the story
    pages are written first and handed over, and the other outputs written while it indexes."""
    pages = {o.rel: o.key for o in outputs if o.rel in articles} if site.config.search else {}
    write = partial(write_outputs, staging=staging, previous=previous, out=site.out, renderer=renderer,
                    jobs=site.jobs, progress=site.progress)  # fmt: skip
    searching = _Search(site, staging.path, pages, previous)
    if not searching.needed or site.searcher is None:
        return write(outputs), searching
    written = write([o for o in outputs if o.rel in pages])
    searching.hand_over()
    later = write([o for o in outputs if o.rel not in pages])
    written.manifest |= later.manifest
    written.rendered += later.rendered
    written.diagnostics += later.diagnostics
    return written, searching


class _Search:
    """The search stage of one write (``needed`` when the index cannot be kept as it was): handed to
    the search stage's process when the build has one (``WriteContext.searcher``), else run by
    :meth:`result`. ``saved``: the key of the story pages the index now in the tree was made from
    (recorded for the next build), and ``behind`` whether they are not the pages written (an index
    kept as it was while pages changed: ``ssg serve``)."""

    def __init__(self, site: WriteContext, tree: Path, pages: dict[str, str], previous: dict):
        self.site, self.tree, self.pages = site, tree, pages
        self.needed = self.handed = self.behind = False
        self.saved = ""
        if not site.config.search:
            return
        cache = site.cache
        key = digest(repr(sorted(pages.items())).encode())
        same = cache.state("search_key") == key or (site.stale_search and cache.state("search_key"))
        reused = bool(same) and bool(previous) and reuse_index(site.out, tree)
        self.saved = (cache.state("search_key") or key) if reused else key
        self.behind, self.needed = self.saved != key, not reused

    def hand_over(self) -> None:
        """Hand the story pages, written, to the search stage's process."""
        if self.needed and self.site.searcher is not None:
            self.handed = self.site.searcher.index(self.tree, self.pages, self.site.config.language, self.site.out)

    def result(self) -> Indexed | None:
        """What was indexed (None: the index was kept as it was); waits for the search stage's process."""
        site = self.site
        indexed = site.searcher.result() if self.handed and site.searcher is not None else None
        site.close_searcher()
        if indexed is None and self.needed:
            indexed = index_slices(self.tree, self.pages, site.config.language, site.cache.folder / SEARCH_STORE,
                                   site.out)  # fmt: skip
        return indexed


def _differing(now: dict, before: dict) -> int:
    """Output files of one manifest that the other has not, or not as it is."""
    return sum(1 for rel, entry in now.items() if before.get(rel) != entry) + len(before.keys() - now.keys())


def folders_ahead(urls) -> list[str]:
    """The output folders of the pages at ``urls`` (``/2023/07/slug/``) and
    their parents, each after its parent: the story pages' folders, known from
    the loaded documents, are made while the build collects and plans (see
    :meth:`WriteContext.stage`)."""
    return folders_of(output_file(url) for url in urls)


def folders_of(files) -> list[str]:
    """The folders of output files and their parents, each after its parent;
    none when there are too few to be worth a process of their own."""
    folders = _folders(files)
    return sorted(folders, key=lambda f: (f.count("/"), f)) if len(folders) >= AHEAD_MIN else []


def _folders(files) -> set[str]:
    folders: set[str] = set()
    for rel in files:
        folder = posixpath.dirname(rel)
        while folder and folder not in folders:
            folders.add(folder)
            folder = posixpath.dirname(folder)
    return folders


def publish(site: WriteContext, outputs: list[Output], machine, renderer: Renderer, previous: dict,
            articles: set[str], meanwhile: Callable[[], None] | None = None) -> Written:  # fmt: skip
    """Write every output into a staging tree (the spare output tree when
    there is one), index it for search, swap it in, and record what was
    written. ``previous`` is the manifest of the live output; ``articles``
    the output files of story pages (what the search index is made from);
    ``meanwhile`` is called while the search stage's own process indexes
    them (what the build will save is made ready then)."""
    config, cache, out, stages = site.config, site.cache, site.out, site.stages
    stages.settle()  # (the images' variants, encoded while the build planned)
    spare_dir = site.spare_dir
    placed = 0  # files of the search bundle placed anew
    staging = site.stage()
    site.staging = None  # this function swaps it in or drops it
    try:
        start = time.perf_counter()
        if staging.reused:
            staging.listed = site.listing.result() if site.listing is not None else None
            if not config.search:
                clear(staging.path / SEARCH_FOLDER)
            wanted = {o.rel for o in outputs} | {rel for rel, _ in machine} | {MARKER}
            gone = SEARCH_FOLDER + "/"  # (cleared above, or brought up to date in place by the search stage)
            staging.remove([rel for rel in staging.files(staging.listed)
                            if rel not in wanted and not rel.startswith(gone)])  # fmt: skip
        staging.folders = site.made_ahead()
        written, searching = _write(site, staging, outputs, articles, previous, renderer)
        site.end_ahead(written.manifest)
        stages.timed("render+write", start)
        stages.absorb(written.diagnostics)
        for rel, data in machine:
            st = staging.write(rel, data)
            written.manifest[rel] = (digest(data), st.st_size, st.st_mtime_ns)
        outputs_file = cache.sealed(written.manifest)
        if meanwhile is not None:
            meanwhile()
        if config.search:
            start = time.perf_counter()
            indexed = searching.result()
            if indexed is not None:
                stages.absorb(indexed.diagnostics)
                written.search = (indexed.indexed, indexed.slices, indexed.patched)
                placed = indexed.placed
            stages.timed("search index", start)
        start = time.perf_counter()
        keep = bool(previous) and same_device(spare_dir.parent, out.parent)
        kept = staging.commit(spare_dir if keep else None, background=len(outputs) > 2000)
        stages.timed("swap", start)
    except Missing:  # the quick way cannot reuse the last output: the full build will, with the spare
        site.close_searcher()
        site.end_ahead()
        if staging.reused and staging.give_back(spare_dir):
            cache.set_state({"spare": str(out)})
        else:
            staging.abort()
        raise
    except BaseException:
        site.close_searcher()  # as the folders' process, done before the tree goes
        site.end_ahead()
        staging.abort()
        raise
    start = time.perf_counter()
    # Until the last line of the build, no check may trust the manifests: they belong to two builds.
    cache.set_state({"fingerprint": ""})
    if kept:  # the live output before this build is the spare now; `previous` is its manifest
        cache.copy_manifest("outputs", "spare")
        written.behind = lambda: placed + _differing(written.manifest, previous)
    cache.save_sealed("outputs", outputs_file)
    if kept:
        cache.set_state({"spare": str(out)})
    if config.search:
        cache.set_state({"search_key": searching.saved, "search_behind": "1" if searching.behind else ""})
    stages.timed("save", start)
    return written
