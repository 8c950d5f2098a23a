"""The write stage of a build, full or quick: every output into a staging
tree (the spare output tree when there is one, brought up to date), the search
index, the swap, and the record of what was written.

Until the build's last step, the cache's state says that its manifests may
belong to two different builds, so that an interrupted build is never taken
for a finished one (by the no-change check or the quick way).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from generator.cache import CACHE_DIR, BuildCache, digest
from generator.config import SiteConfig
from generator.progress import Progress
from generator.render import Renderer
from generator.search import FOLDER as SEARCH_FOLDER
from generator.search import index, reuse_index
from generator.writeplan import Missing, Output, Written, write_outputs
from generator.writer import MARKER, SPARE, Listing, Staging, clear, discard_spare, is_real_folder, same_device


@dataclass
class Site:
    """The site being built, and what the build's stages share."""

    config: SiteConfig
    out: Path
    cache: BuildCache
    bodies: object  # BodyReader
    stages: object  # build._Stages: timed() and absorb()
    progress: Progress
    jobs: int
    started: float
    write: bool = True  # False for `ssg check`
    stale_search: bool = False
    listing: Listing | None = None  # of the spare tree, started early (see `list_spare`)

    @property
    def spare_dir(self) -> Path:
        return self.config.root / CACHE_DIR / SPARE

    def has_spare(self) -> bool:
        """The cache recorded a spare tree for this output, and it is a real folder."""
        return is_real_folder(self.spare_dir) and self.cache.state("spare") == str(self.out)

    def list_spare(self) -> None:
        """Start listing the spare tree, if there is one, so that the listing
        is ready when the write stage needs it."""
        if self.has_spare():
            self.listing = Listing(self.spare_dir)

    def close(self) -> None:
        if self.listing is not None:
            self.listing.close()

    @property
    def compiled(self) -> Path | None:
        """Where compiled templates are kept between builds (not by `ssg check`)."""
        if not self.write:
            return None
        folder = self.config.root / CACHE_DIR / "templates"
        folder.mkdir(exist_ok=True)
        return folder


def publish(site: Site, outputs: list[Output], machine, renderer: Renderer, previous: dict,
            articles: set[str]) -> Written:  # fmt: skip
    """Write every output into a staging tree (the spare output tree when
    there is one), index it for search, swap it in, and record what was
    written. ``previous`` is the manifest of the live output; ``articles``
    the output files of story pages (what the search index is made from)."""
    config, cache, out, stages = site.config, site.cache, site.out, site.stages
    # The spare is used whenever the cache recorded one for this output: every file in it is
    # checked against its manifest and the tree is walked, so nothing it should not hold survives
    # (a spare restored by CI, with new inodes, is used too).
    spare_dir = site.spare_dir
    spare, listed = {}, None
    if site.has_spare():
        spare = cache.manifest("spare")
        listed = site.listing.result() if site.listing is not None else None
    if not spare:
        discard_spare(spare_dir)
    cache.set_state({"spare": ""})  # from here until the end, what the spare holds is not known
    staging = Staging(out, spare_dir if spare else None)
    spare = spare if staging.reused else {}
    try:
        start = time.perf_counter()
        if staging.reused:
            clear(staging.path / SEARCH_FOLDER)
            wanted = {o.rel for o in outputs} | {rel for rel, _ in machine} | {MARKER}
            staging.remove([rel for rel in staging.files(listed) if rel not in wanted])
        written = write_outputs(outputs, staging, previous, out, renderer, site.jobs, site.progress, spare)
        stages.timed("render+write", start)
        stages.absorb(written.diagnostics)
        if config.search:
            start = time.perf_counter()
            search_key = digest(repr(sorted((o.rel, o.key) for o in outputs if o.rel in articles)).encode())
            same = cache.state("search_key") == search_key or (site.stale_search and cache.state("search_key"))
            reused = bool(same) and bool(previous) and reuse_index(out, staging.path)
            if not reused:
                stages.absorb(index(staging.path, config.language, config.article_permalink))
                search_key_saved = search_key
            else:
                search_key_saved = cache.state("search_key") or search_key
            stages.timed("search index", start)
        for rel, data in machine:
            st = staging.write(rel, data)
            written.manifest[rel] = (digest(data), st.st_size, st.st_mtime_ns)
        start = time.perf_counter()
        keep = bool(previous) and same_device(spare_dir.parent, out.parent)
        kept = staging.commit(spare_dir if keep else None, background=len(outputs) > 2000)
        stages.timed("swap", start)
    except Missing:  # the quick way cannot reuse the last output: the full build will, with the spare
        if staging.reused and staging.give_back(spare_dir):
            cache.set_state({"spare": str(out)})
        else:
            staging.abort()
        raise
    except BaseException:
        staging.abort()
        raise
    start = time.perf_counter()
    # Until the last line of the build, no check may trust the manifests: they belong to two builds.
    cache.set_state({"fingerprint": ""})
    if kept:  # the live output before this build is the spare now; `previous` is its manifest
        cache.copy_manifest("outputs", "spare")
    cache.save_manifest("outputs", written.manifest)
    if kept:
        cache.set_state({"spare": str(out)})
    if config.search:
        cache.set_state({"search_key": search_key_saved})
    stages.timed("save", start)
    return written
