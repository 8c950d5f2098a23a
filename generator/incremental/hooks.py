"""The incremental layer as the build sees it: one object, four hooks.

``generator/build.py`` makes a :class:`Layer` once the inputs are discovered,
and calls, in order: :meth:`Layer.unchanged` (the last output still stands:
the build returns at once), :meth:`Layer.quick` (an edit the quick way: only
what it reaches is planned, rendered and written) and, after a full build,
:meth:`Layer.save` (the records and the snapshot the next build starts from);
once the build is over, :func:`after` (the spare tree's maker, where one may
run: ``spare.py``).
Between them the full build asks it two things it keeps for the next build:
the file records (:attr:`Layer.contents`, so that an unchanged file is not
digested again) and the related stories (:meth:`Layer.related`, ranked again
only where an edit reaches).
"""

from __future__ import annotations

import time
from datetime import datetime
from pathlib import Path

from generator.config.site import SiteConfig
from generator.incremental.nochange import fingerprint, frame, output_intact, valid_until
from generator.incremental.quick import lifted, quick
from generator.incremental.quickbuild import build_quick
from generator.incremental.snapshot import save, snapshot
from generator.incremental.spare import catch_up_wanted, start_maker
from generator.incremental.spare import wanted as spare_wanted
from generator.media.process import Media
from generator.output.publish import WriteContext
from generator.output.rooted import rooted_targets
from generator.plan.related import related_inputs, related_key, related_urls, updated_related
from generator.stages import BuildOptions, BuildResult, Stages
from generator.store.cache import BuildCache
from generator.store.files import content_digests, copied_records, file_stats, same_bytes
from generator.store.gitblobs import Blobs
from generator.util.urls import Links


class Layer:
    """What the last build left, and what this one will leave (see the module's doc)."""

    def __init__(self, options: BuildOptions, config: SiteConfig, chain, files, cache: BuildCache, out: Path,
                 now: datetime, stages: Stages, fresh: bool):  # fmt: skip
        start = time.perf_counter()
        self.options, self.config, self.files, self.cache, self.out, self.now = options, config, files, cache, out, now
        self.stages, self.fresh = stages, fresh
        self.stats = file_stats(files)
        self.recorded, self.copied_before = cache.manifest("files"), cache.manifest("assets")
        self.blobs = Blobs(config.root)  # (git, asked when many files have new mtimes: a fresh checkout)
        self.contents = content_digests(files, self.stats, self.recorded, self.blobs)  # (a new mtime alone: no change)
        self.copied = copied_records(self.copied_before, self.copied_before, self.blobs)
        settings = repr((options.drafts, options.future, str(out), config.base_url))
        self.frame = frame(options.config_path, chain, settings)
        self.print = fingerprint(self.frame, files, self.contents, self.copied)
        self.tried = 0  # files parsed while finding out whether the quick way is open
        stages.timed("stat", start)

    def unchanged(self, started: float) -> BuildResult | None:
        """Hook 1: the last build had the same inputs, its output is intact and
        no embargo has lifted since (nor has a story left the news sitemap's
        window): its result, with nothing done."""
        cache, options = self.cache, self.options
        if not options.write or self.fresh or not self._same_as_last():
            return None
        if self.contents != self.recorded:  # the same bytes under new mtimes (a fresh checkout): read once
            cache.save_manifest("files", self.contents)
        if self.copied != self.copied_before:
            cache.save_manifest("assets", self.copied)
        self.stages.timed("unchanged", started)
        count = int(cache.state("files") or 0)
        return BuildResult(
            stories=int(cache.state("stories") or 0), pages=int(cache.state("pages") or 0), files=count,
            unchanged=True, seconds=time.perf_counter() - started, output=self.out, timings=self.stages.timings,
            warnings=self.stages.warnings, spare_wanted=spare_wanted(self.config.root, self.out, count, cache),
        )  # fmt: skip

    def _same_as_last(self) -> bool:
        cache = self.cache
        if cache.state("fingerprint") != self.print or cache.state("output") != str(self.out):
            return False
        if cache.state("search_behind") and not self.options.stale_search:  # kept while serving: index it now
            return False
        until = cache.state("valid_until")
        if until is None or self.now.timestamp() >= float(until):
            return False
        return output_intact(self.out, cache.manifest("outputs"))

    def quick(self, site: WriteContext, chain, strings, published) -> BuildResult | None:
        """Hook 2: an edit built the quick way, or None for the full build.
        ``published(doc)`` says whether a document is on the site."""
        if not self.options.write or self.fresh or lifted(self.cache.state("valid_until"), self.now):
            return None
        start = time.perf_counter()
        site.progress.update("load")
        site.media = Media.recorded(self.cache, self.config)
        moved = {path for path in self.copied.keys() | self.copied_before.keys()
                 if not same_bytes(self.copied.get(path), self.copied_before.get(path))}  # fmt: skip
        edit, self.tried = quick(self.print, self.frame, self.files, self.stats, self.recorded, self.contents,
                                 self.config, self.cache, site.bodies, site.media, moved, published,
                                 self.now)  # fmt: skip
        self.stages.timed("load", start)
        if edit is None:
            return None
        reprint = lambda records: fingerprint(self.frame, self.files, self.contents, records)  # noqa: E731
        return build_quick(site, edit, chain, strings, self.print, self.copied, reprint)

    def related(self, archive, jobs: int) -> tuple[dict[str, tuple[str, ...]], str]:
        """The related stories of every story, and their key: the last build's
        when their inputs are the same, ranked again only where an edit reaches
        when the last inputs are known, else ranked anew."""
        cache = self.cache
        inputs = related_inputs(archive)
        key = related_key(inputs)
        saved = cache.manifest("related")
        if saved.get("key") == key:
            return saved["urls"], key
        last = cache.manifest("related-inputs")
        if saved and last.get("key") == saved["key"]:
            related = updated_related(inputs, last["inputs"], saved["urls"], jobs)
        else:
            related = related_urls(inputs, jobs=jobs)
        cache.save_manifest("related", {"key": key, "urls": related})
        cache.save_manifest("related-inputs", {"key": key, "inputs": inputs})
        return related, key

    def assets(self, sources, media: dict) -> None:
        """The files this build copies beside the pages (their records are kept for the next build);
        ``media``: the media stage's records of the originals it knows."""
        self.copied = copied_records(sorted(set(sources)), self.copied, self.blobs, media)

    def save(self, loaded, archive, digests, assets: dict[str, str], media, related: str, entries: dict,
             pages: int, files: int) -> bool:  # fmt: skip
        """Hook 3, after a full build: the file records, the documents kept,
        the snapshot and the state that the next build's hooks read; whether
        a spare tree should be made after it (``spare.wanted``)."""
        cache, options = self.cache, self.options
        cache.save_manifest("files", loaded.stats)
        cache.prune({r.key for r in loaded.documents})
        until = valid_until(loaded.documents, archive, options, self.config, self.now)
        print_ = fingerprint(self.frame, self.files, loaded.stats, self.copied)  # as the next build will see it
        rooted = rooted_targets(archive, Links(self.config.base_url).prefix)
        structure, known = snapshot(print_, self.frame, loaded.documents, archive, digests, assets, related, entries,
                                    frozenset(media.known), rooted)  # fmt: skip
        cache.save_manifest("assets", self.copied)
        save(cache, structure, known)
        cache.set_state({"fingerprint": print_, "valid_until": str(until), "output": str(self.out),
                         "stories": str(len(archive.stories)), "pages": str(pages), "files": str(files)})  # fmt: skip
        return spare_wanted(self.config.root, self.out, files, cache)


def after(result: BuildResult, options: BuildOptions, root: Path | None, lock) -> None:
    """Hook 4, once the build (and any retry without the cache) is over, its
    lock still held: start the spare tree's maker when the build wants one
    and may leave it running (``options.make_spare``: not ``ssg serve``,
    which makes the spare itself); the maker takes the lock over. ``root``:
    the site's folder, None when no lock was taken (``ssg check``). The
    maker also brings a spare that the build left far behind up to date
    (``spare.catch_up``)."""
    wanted = result.spare_wanted or catch_up_wanted(result.files, result.behind)
    if options.make_spare and wanted and lock is not None and root is not None:
        start_maker(root, result.output, lock)
