"""The build: an explicit, ordered, timed list of stages.

    config -> theme -> discover -> load -> collect -> plan -> assemble -> publish

Why this order: configuration and theme first (a wrong theme makes every
later step pointless); then every content file is loaded (parsed and
rendered, or taken from the cache) and every problem of every file
collected; then the archive and the route plan, where URL collisions are
caught before a single page is rendered; then each output file is rendered
(or kept from the last output when its inputs' key is the same), in
parallel, into a staging folder, which is swapped in only when the whole
build succeeded.

The incremental layer (``generator/incremental/``) enters through the hooks
of ``generator/incremental/hooks.py``: :class:`~generator.incremental.hooks.Layer`'s
``unchanged`` (nothing to do), ``quick`` (an edit built the quick way) and
``save`` (what the next build starts from), and ``after`` (a spare output
tree made once the build is over). Read this module without them and it is
the whole build.
"""

from __future__ import annotations

import contextlib
import tempfile
import time
from pathlib import Path

from generator.config.site import load_config
from generator.content.archive import Archive, article_url, collect
from generator.content.discover import discover
from generator.content.load import load_documents
from generator.content.model import Article, is_published
from generator.diagnostics import warning
from generator.incremental.hooks import Layer, after
from generator.media.process import media_stage
from generator.output.assemble import copies, copy_of, machine_files, media_outputs, rendering
from generator.output.publish import WriteContext, folders_ahead, folders_of, publish
from generator.output.rooted import dead_rooted_links
from generator.output.staging import check_output
from generator.output.write import feed_outputs, page_outputs, write_outputs
from generator.plan.feeds import FeedWriter
from generator.plan.routes import plan
from generator.progress import Progress
from generator.search.pagefind import find_pagefind, index
from generator.stages import BuildOptions, BuildResult, Stages, UsageError, now_from_env
from generator.store.cache import CACHE_DIR, BuildCache, CacheCorrupt
from generator.store.lock import BuildLock, build_lock
from generator.theme.strings import load_strings
from generator.theme.themes import load_chain, static_files, template_display
from generator.util.parallel import default_jobs, fewer_collections
from generator.util.urls import Links, output_file

__all__ = ["BuildOptions", "BuildResult", "UsageError", "build", "now_from_env"]

WAITING = ("waits for review: its text is still the starting text ssg wrote; write the summary in your own words "
           "(or set intake.reviewed: true to publish it as it is). Until then it is published only with --drafts")


def build(options: BuildOptions, progress: Progress | None = None) -> BuildResult:
    progress = progress or Progress(enabled=False)
    with _SiteLock() as locks, fewer_collections():
        try:
            result = _build(options, progress, not options.use_cache, locks)
        except CacheCorrupt as exc:
            result = _build(options, progress, True, locks)
            result.warnings.append(warning(".ssg-cache", 1, 1, "", f"{exc}; rebuilt without it"))
        finally:
            progress.done()
        after(result, options, locks.lock_folder.parent if locks.lock_folder else None, locks.lock)
        return result


class _SiteLock(contextlib.ExitStack):
    """Taken once the output folder is known to be safe, held until the build
    (and a retry without the cache) is over."""

    lock: BuildLock | None = None
    lock_folder: Path | None = None

    def hold(self, folder: Path) -> None:
        if self.lock is None:
            self.lock = self.enter_context(build_lock(folder))
            self.lock_folder = folder


def _build(options: BuildOptions, progress: Progress, fresh: bool, locks: _SiteLock) -> BuildResult:
    started, now = time.perf_counter(), now_from_env()
    stages = Stages(progress)
    config = stages.run("config", load_config, options.config_path, base_url=options.base_url)
    out = (options.output if options.output is not None else config.output_path).absolute()
    if options.write:
        check_output(out, config.root, [config.content_path, config.root / "themes"])
        locks.hold(config.root / CACHE_DIR)  # one build of this site at a time
    chain = stages.run("theme", load_chain, config.theme, config.root)
    display = lambda path: template_display(str(path), config.root)  # noqa: E731
    strings = stages.run("strings", load_strings, [t.path for t in chain], config.language, display)
    files = stages.run("discover", discover, config)
    published = lambda doc: is_published(doc, options.drafts, options.future, now)  # noqa: E731
    with contextlib.ExitStack() as held:
        # `ssg check` writes nothing into the site: its cache lives in a temporary folder.
        where = config.root if options.write else Path(held.enter_context(tempfile.TemporaryDirectory()))
        cache = held.enter_context(contextlib.closing(BuildCache(where, fresh=fresh)))
        bodies = held.enter_context(contextlib.closing(cache.bodies()))
        layer = Layer(options, config, chain, files, cache, out, now, stages, fresh)
        if (done := layer.unchanged(started)) is not None:
            return done
        site = WriteContext(config, out, cache, bodies, stages, progress, options.jobs or default_jobs(), started,
                            options.write, options.stale_search)  # fmt: skip
        held.callback(site.close)
        _stage_early(site)
        if (done := layer.quick(site, chain, strings, published)) is not None:
            return done

        # Content problems are collected across load and collect: a file that
        # does not parse must not hide a URL collision between two that do.
        start = time.perf_counter()
        progress.update("load")
        if fresh and options.resident is not None:
            options.resident.clear()  # their bodies went with the old cache
        kept = options.resident if options.write else None
        loaded = load_documents(files, layer.stats, config, cache, site.jobs, kept, layer.contents, layer.blobs.tracked)
        stages.timed("load", start)
        stages.absorb(loaded.diagnostics, defer=True)
        held = _held(loaded, options, stages)
        docs = [r for r in loaded.documents if published(r.doc)]
        _stage_stories(site, docs)
        archive = _collect(stages, docs, config, loaded)

        links = Links(config.base_url)
        routes, digests, related_key = _plan(layer, site, archive, links, strings, options)
        static = static_files(chain)
        to_copy = stages.run("assets", copies, archive, static, {output_file(r.url) for r in routes}, site.media)
        assets = {rel: str(source) for rel, source in to_copy.items() if rel not in static.files}
        layer.assets([*assets.values(), *site.media.known], site.media.known)
        start = time.perf_counter()
        renderer, site_key, templates = rendering(site, chain, links, strings, static, archive)
        outputs = page_outputs(routes, site_key, templates)
        outputs += feed_outputs(FeedWriter(archive, config, links, bodies, site.media, digests).all(), site_key)
        outputs += [copy_of(rel, source, static, layer.copied) for rel, source in to_copy.items()]
        outputs += media_outputs(site.media)
        entries = {r.url: r.lastmod for r in routes if r.in_sitemap}
        machine = machine_files(archive, entries, config, links, now)
        written_files = [o.rel for o in outputs] + [rel for rel, _ in machine]
        stages.absorb(dead_rooted_links(archive, written_files, links.prefix, config.search))
        if templates.used != templates.known:  # new templates, or old ones no page uses any more
            cache.save_manifest("templates", templates.used)
        stages.timed("keys", start)
        files_count = len(outputs) + len(machine)
        result = BuildResult(stories=len(archive.stories), pages=len(routes), files=files_count, waiting=len(held),
                             parsed=layer.tried + loaded.parsed, timings=stages.timings, warnings=stages.warnings)

        if not options.write:
            return _check(site, outputs, renderer, result, loaded, where)
        written = publish(site, outputs, machine, renderer, site.last_outputs(),
                          {output_file(r.url) for r in routes if r.kind == "article"})  # fmt: skip
        start = time.perf_counter()
        site.media.save(cache)
        result.spare_wanted = layer.save(loaded, archive, digests, assets, site.media, related_key, entries,
                                         len(routes), files_count)  # fmt: skip
        stages.timed("save", start)
        result.rendered, result.output, result.encoded = written.rendered, out, site.media.encoded
        result.search, result.behind = written.search, written.behind
        result.seconds = time.perf_counter() - started
        return result


def _collect(stages: Stages, docs, config, loaded) -> Archive:
    """The archive of the documents that loaded; the links of those that did
    not are checked too, and links to them are not reported (their own
    problems are): every problem of every file in one run."""
    failed = frozenset(d.path for d in stages.errors)
    archive = stages.run("collect", collect, docs, config, loaded.unchecked, failed, defer=True)
    stages.stop_on_errors()
    return archive


def _held(loaded, options: BuildOptions, stages: Stages) -> list:
    """The stories left out as they wait for review; ``ssg check`` names each."""
    held = [] if options.drafts else [r.doc for r in loaded.documents if getattr(r.doc, "waiting", False)]
    if not options.write:
        stages.absorb([warning(doc.file.rel, doc.body_line, 1, "body", WAITING) for doc in held], defer=True)
    return held


def _plan(layer: Layer, site: WriteContext, archive: Archive, links: Links, strings, options: BuildOptions):
    """Every route, each story's digest and the related stories' key; and the images' pictures (the
    ``images`` stage). Related stories are ranked first, in worker processes; then the images are read
    and the variants the store lacks left to encode in processes of their own, while this one plans the
    routes. They are waited for before anything is written (``Stages.settle``)."""
    stages = site.stages
    stages.progress.update("plan")
    start = time.perf_counter()
    related, key = layer.related(archive, site.jobs)
    stages.timed("plan", start)
    site.media = stages.run("images", media_stage, archive, site.config, site.cache, site.jobs, options.write,
                            layer.blobs)  # fmt: skip
    stages.later("images", site.media.finish)
    stages.progress.update("plan")
    start = time.perf_counter()
    routes, diagnostics, digests = plan(archive, site.config, links, strings, site.bodies, site.media, related)
    stages.timed("plan", start)
    stages.absorb(diagnostics)
    return routes, digests, key


def _check(site: WriteContext, outputs, renderer, result: BuildResult, loaded, scratch: Path) -> BuildResult:
    """`ssg check`: render every output (a template error is an error), write none."""
    stages = site.stages
    stages.settle()
    if site.config.search and find_pagefind() is None:
        stages.absorb(index(scratch, site.config.language))
    start = time.perf_counter()
    written = write_outputs(outputs, None, {}, None, renderer, site.jobs, site.progress)
    stages.timed("render", start)
    stages.absorb(written.diagnostics)
    result.rendered, result.documents = written.rendered, loaded.documents
    result.seconds = time.perf_counter() - site.started
    return result


def _stage_early(site: WriteContext) -> None:
    """The search stage's process reads the last index from now on; and with no spare tree to bring up
    to date, a new tree gets the last output's folders."""
    site.start_searcher()
    if site.write:
        site.list_spare()
        if site.jobs > 1 and not site.has_spare() and (folders := folders_of(site.last_outputs())):
            site.stage(folders, race=True)


def _stage_stories(site: WriteContext, docs) -> None:
    """A new tree: its story folders are made from here on, while the build collects and plans."""
    if site.write and site.jobs > 1 and not site.stages.errors and site.staging is None and not site.has_spare():
        site.stage(folders_ahead(article_url(r.doc, site.config) for r in docs if isinstance(r.doc, Article)))

