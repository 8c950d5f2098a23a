"""The build: an explicit, ordered, timed list of stages.

Why this order: configuration and theme first (a wrong theme makes every
later step pointless); then, if nothing that the output depends on has changed
since the last build, stop (the no-change check costs a ``stat`` per file);
then every content file is loaded (from the cache, or parsed and rendered) and
every problem of every file collected; then the archive and the route plan,
where URL collisions are caught before a single page is rendered; then each
output file is either linked from the previous output (its inputs' key is the
same) or rendered, in parallel, into a staging folder, which is swapped in only
when the whole build succeeded.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from markupsafe import Markup, escape

from generator.config.site import SiteConfig, load_config
from generator.content.archive import Archive, article_url, collect
from generator.content.discover import discover
from generator.content.load import load_documents
from generator.content.model import Article, Page
from generator.diagnostics import Diagnostic, DiagnosticError, Severity, error, warning
from generator.incremental.nochange import (
    Record,
    content_digests,
    copied_records,
    file_stats,
    fingerprint,
    frame,
    holds,
    output_intact,
    valid_until,
)
from generator.incremental.quick import DOCUMENTS, STRUCTURE, Quick, lifted, quick, read_ahead, snapshot
from generator.incremental.regroup import moved_by, replaced
from generator.incremental.spare import start_maker
from generator.incremental.spare import wanted as spare_wanted
from generator.output.publish import Site, folders_ahead, folders_of, publish
from generator.output.render import Renderer
from generator.output.search import find_pagefind, index
from generator.output.staging import check_output
from generator.output.write import Missing, Output, copy_output, feed_outputs, page_outputs, write_outputs
from generator.plan.feeds import FeedWriter
from generator.plan.related import related_inputs, related_key, related_urls, updated_related
from generator.plan.routes import plan, plan_changed
from generator.plan.sitemaps import news_sitemaps, robots, sitemaps
from generator.progress import Progress
from generator.store.cache import CACHE_DIR, VERSION, BuildCache, CacheCorrupt, digest
from generator.store.lock import BuildLock, build_lock
from generator.theme.strings import load_strings
from generator.theme.themes import (
    StaticFiles,
    TemplateDigests,
    load_chain,
    make_environment,
    static_files,
    template_display,
)
from generator.util.parallel import default_jobs, fewer_collections
from generator.util.urls import Links, output_file


class UsageError(Exception):
    """A problem with how ssg was called (exit code 2)."""


@dataclass(frozen=True)
class BuildOptions:
    config_path: Path
    drafts: bool = False
    future: bool = False
    output: Path | None = None  # overrides output_dir of site.yml
    base_url: str | None = None
    write: bool = True  # False for `ssg check`
    jobs: int = 0  # 0: one per CPU
    use_cache: bool = True  # False: ignore the cache and build it anew
    stale_search: bool = False  # keep the previous search index even if stories changed (ssg serve, big sites)
    make_spare: bool = False  # ssg build: a large output left without a spare tree gets one after
    # Documents kept in memory from one build to the next of a long-running process (ssg serve):
    # a rebuild takes them from here instead of unpickling every story again. Filled by the build.
    resident: dict | None = field(default=None, compare=False, repr=False)


@dataclass
class BuildResult:
    stories: int = 0
    pages: int = 0
    files: int = 0
    rendered: int = 0  # files rendered or copied in this build (the rest were linked)
    parsed: int = 0  # content files parsed in this build (the rest came from the cache)
    unchanged: bool = False  # nothing changed: the previous output stands
    quick: bool = False  # only the edit's pages were planned: built the quick way (generator/incremental/quick.py)
    seconds: float = 0.0
    output: Path | None = None
    spare_wanted: bool = False  # the output is large and has no spare tree: ssg build starts a maker
    timings: dict[str, float] = field(default_factory=dict)
    warnings: list[Diagnostic] = field(default_factory=list)
    documents: list = field(default_factory=list)  # `ssg check`: every valid story and page (for --links)


def now_from_env() -> datetime:
    """"Now" for the embargo rule: ``SOURCE_DATE_EPOCH`` when set."""
    raw = os.environ.get("SOURCE_DATE_EPOCH")
    if raw is None or raw == "":
        return datetime.now(UTC)
    try:
        return datetime.fromtimestamp(int(raw), UTC)
    except (ValueError, OverflowError, OSError) as exc:
        raise UsageError(f"SOURCE_DATE_EPOCH must be a whole number of seconds, not {raw!r}") from exc


class _Stages:
    def __init__(self, progress: Progress):
        self.timings: dict[str, float] = {}
        self.warnings: list[Diagnostic] = []
        self.errors: list[Diagnostic] = []
        self.progress = progress

    def run(self, name: str, func, *args, defer: bool = False, **kwargs):
        """Run one stage; its errors stop the build now, or with ``defer``
        at the next :meth:`stop_on_errors`, so that stages working on the
        valid files can still report their own problems in the same run."""
        self.progress.update(name)
        start = time.perf_counter()
        value, diagnostics = func(*args, **kwargs)
        self.timings[name] = self.timings.get(name, 0.0) + time.perf_counter() - start
        self.absorb(diagnostics, defer=defer)
        return value

    def timed(self, name: str, start: float) -> None:
        self.timings[name] = self.timings.get(name, 0.0) + time.perf_counter() - start

    def absorb(self, diagnostics: list[Diagnostic], defer: bool = False) -> None:
        for diagnostic in diagnostics:
            (self.errors if diagnostic.severity is Severity.ERROR else self.warnings).append(diagnostic)
        if not defer:
            self.stop_on_errors()

    def stop_on_errors(self) -> None:
        if self.errors:
            raise DiagnosticError(self.errors + self.warnings)


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
        if options.make_spare and result.spare_wanted and locks.lock is not None:
            start_maker(locks.lock_folder.parent, result.output, locks.lock)
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


def _build(options: BuildOptions, progress: Progress, fresh_cache: bool, locks: _SiteLock) -> BuildResult:
    started = time.perf_counter()
    now = now_from_env()
    stages = _Stages(progress)
    config: SiteConfig = stages.run("config", load_config, options.config_path, base_url=options.base_url)
    out = (options.output if options.output is not None else config.output_path).absolute()
    if options.write:
        check_output(out, config.root, [config.content_path, config.root / "themes"])
        locks.hold(config.root / CACHE_DIR)  # one build of this site at a time
    chain = stages.run("theme", load_chain, config.theme, config.root)
    display = lambda path: template_display(str(path), config.root)  # noqa: E731
    strings = stages.run("strings", load_strings, [t.path for t in chain], config.language, display)
    files = stages.run("discover", discover, config)
    jobs = options.jobs or default_jobs()

    if options.write:
        cache = BuildCache(config.root, fresh=fresh_cache)
    else:  # `ssg check` writes nothing into the site: its cache lives in a temporary folder
        scratch = tempfile.TemporaryDirectory(prefix="ssg-check-")
        cache = BuildCache(Path(scratch.name))
    bodies = cache.bodies()
    site: Site | None = None
    try:
        settings = repr((options.drafts, options.future, str(out), config.base_url))
        start = time.perf_counter()
        stats = file_stats(files)
        recorded, copied_before = cache.manifest("files"), cache.manifest("assets")
        contents = content_digests(files, stats, recorded)  # (a file's new mtime alone is no change)
        copied = copied_records(copied_before, copied_before)
        frame_ = frame(options.config_path, chain, settings)
        print_ = fingerprint(frame_, files, contents, copied)
        stages.timed("stat", start)
        if options.write and not fresh_cache and _unchanged(cache, print_, out, now):
            if contents != recorded:  # the same bytes under new mtimes (a fresh checkout): read once, not each time
                cache.save_manifest("files", contents)
            if copied != copied_before:
                cache.save_manifest("assets", copied)
            stages.timed("unchanged", started)
            count = int(cache.state("files") or 0)
            return BuildResult(
                stories=int(cache.state("stories") or 0), pages=int(cache.state("pages") or 0),
                files=count, unchanged=True, seconds=time.perf_counter() - started,
                output=out, timings=stages.timings, warnings=stages.warnings,
                spare_wanted=spare_wanted(config.root, out, count, cache),
            )  # fmt: skip
        site = Site(config, out, cache, bodies, stages, progress, jobs, started, options.write, options.stale_search)
        if options.write:
            site.list_spare()
            if jobs > 1 and not site.has_spare() and (folders := folders_of(site.last_outputs())):
                # No spare tree to bring up to date: a new tree gets the last output's folders from now on.
                site.stage(folders, race=True)
        tried = 0  # files parsed while finding out whether the quick way is open
        if options.write and not fresh_cache and not lifted(cache.state("valid_until"), now):
            start = time.perf_counter()
            progress.update("load")
            edit, tried = quick(print_, frame_, files, stats, recorded, contents, config, cache, bodies,
                                lambda doc: _published(doc, options, now), now)  # fmt: skip
            stages.timed("load", start)
            if edit is not None:
                reprint = lambda records: fingerprint(frame_, files, contents, records)  # noqa: E731
                result = _quick_build(site, edit, chain, strings, print_, copied, reprint)
                if result is not None:
                    return result

        # Content problems are collected across load and collect: a file that
        # does not parse must not hide a URL collision between two that do.
        start = time.perf_counter()
        progress.update("load")
        if fresh_cache and options.resident is not None:
            options.resident.clear()  # their bodies went with the old cache
        loaded = load_documents(files, stats, config, cache, jobs, options.resident if options.write else None,
                                contents)  # fmt: skip
        stages.timed("load", start)
        stages.absorb(loaded.diagnostics, defer=True)
        docs = [r for r in loaded.documents if _published(r.doc, options, now)]
        if options.write and jobs > 1 and not stages.errors and site.staging is None and not site.has_spare():
            # A new tree: its story folders are made from here on, while the build collects and plans.
            site.stage(folders_ahead(article_url(r.doc, config) for r in docs if isinstance(r.doc, Article)))
        archive: Archive = stages.run("collect", collect, docs, config, defer=True)
        stages.stop_on_errors()

        links = Links(config.base_url)
        routes, digests, related = stages.run("plan", _plan, archive, config, links, strings, bodies, cache, jobs)
        static = static_files(chain)
        copies = stages.run("assets", _copies, archive, static, {output_file(r.url) for r in routes})
        assets = {rel: str(source) for rel, source in copies.items() if rel not in static.files}
        copied = copied_records(sorted(set(assets.values())), copied)
        start = time.perf_counter()
        renderer, site_key, templates = _rendering(site, chain, links, strings, static, archive)
        outputs = page_outputs(routes, site_key, templates)
        outputs += feed_outputs(FeedWriter(archive, config, links, bodies, digests).all(), site_key)
        outputs += [_copy(rel, source, static, copied) for rel, source in copies.items()]
        entries = {r.url: r.lastmod for r in routes if r.in_sitemap}
        machine = _machine_files(archive, entries, config, links, now)
        if templates.used != templates.known:  # new templates, or old ones no page uses any more
            cache.save_manifest("templates", templates.used)
        stages.timed("keys", start)

        if not options.write:
            if config.search and find_pagefind() is None:
                stages.absorb(index(Path(scratch.name), config.language))
            start = time.perf_counter()
            written = write_outputs(outputs, None, {}, None, renderer, jobs, progress)
            stages.timed("render", start)
            stages.absorb(written.diagnostics)
            return BuildResult(stories=len(archive.stories), pages=len(routes), files=len(outputs) + len(machine),
                               rendered=written.rendered, parsed=loaded.parsed, seconds=time.perf_counter() - started,
                               timings=stages.timings, warnings=stages.warnings,
                               documents=loaded.documents)  # fmt: skip

        previous = site.last_outputs()
        articles = {output_file(r.url) for r in routes if r.kind == "article"}
        written = publish(site, outputs, machine, renderer, previous, articles)
        start = time.perf_counter()
        cache.save_manifest("files", loaded.stats)
        cache.prune({r.key for r in loaded.documents})
        until = valid_until(loaded.documents, archive, options, config, now)
        print_ = fingerprint(frame_, files, loaded.stats, copied)  # as the next build will see it
        structure, known = snapshot(print_, frame_, loaded.documents, archive, digests, assets, related, entries)
        cache.save_manifest("assets", copied)
        cache.save_manifest(STRUCTURE, structure)
        cache.save_manifest(DOCUMENTS, known)
        cache.set_state({"fingerprint": print_, "valid_until": str(until), "output": str(out),
                         "stories": str(len(archive.stories)), "pages": str(len(routes)),
                         "files": str(len(outputs) + len(machine))})  # fmt: skip
        stages.timed("save", start)
        return BuildResult(
            stories=len(archive.stories), pages=len(routes), files=len(outputs) + len(machine),
            rendered=written.rendered, parsed=tried + loaded.parsed, seconds=time.perf_counter() - started, output=out,
            timings=stages.timings, warnings=stages.warnings,
            spare_wanted=spare_wanted(config.root, out, len(outputs) + len(machine), cache),
        )  # fmt: skip
    finally:
        if site is not None:
            site.close()
        bodies.close()
        cache.close()
        if not options.write:
            scratch.cleanup()


def _quick_build(site: Site, edit: Quick, chain, strings, print_: str, copied: dict[str, Record | None],
                 reprint) -> BuildResult | None:  # fmt: skip
    """Build an edit the quick way (``generator/incremental/quick.py``); None when
    the last build's output cannot be reused as recorded. ``copied``: the
    records of the files copied beside the pages (``fastpath.copied_records()``),
    and ``reprint(copied)`` the build's fingerprint with other such files."""
    config, cache, stages, out = site.config, site.cache, site.stages, site.out
    start = time.perf_counter()
    archive, snap, regrouped = edit.archive, edit.structure, edit.regrouped
    sources = sorted(set(snap["assets"].values()))
    if sources != list(copied):  # a story with files beside it came or went
        copied = copied_records(sources, copied)
        print_ = reprint(copied)
    related = cache.manifest("related")
    previous = site.last_outputs()
    if related.get("key") != snap["related"] or not previous:
        return None
    urls, moved = related["urls"], None
    if regrouped is not None:
        last = cache.manifest("related-inputs")
        if last.get("key") != related["key"]:
            return None
        moved, urls, inputs = moved_by(regrouped, last["inputs"], urls, site.jobs)
    links = Links(config.base_url)
    routes = plan_changed(archive, config, links, strings, site.bodies, urls, edit.digests, edit.changed, moved)
    stages.timed("plan", start)
    start = time.perf_counter()
    static = static_files(chain)
    renderer, site_key, templates = _rendering(site, chain, links, strings, static, archive)
    renderer.read_ahead = read_ahead
    feeds = FeedWriter(archive, config, links, site.bodies, edit.digests)
    specs = feeds.all(edit.changed, moved.terms if moved else None, moved is not None and moved.dated)
    made = {o.rel: o for o in page_outputs(routes, site_key, templates) + feed_outputs(specs, site_key)}
    copies = dict(static.files) | {rel: Path(source) for rel, source in snap["assets"].items()}
    gone, machine, pages = set(), [], int(cache.state("pages") or 0)
    if regrouped is not None:  # the retagged tags' old pages and feeds go, the sitemap is made again
        retag = replaced(regrouped, routes, made.keys(), previous, pages, config, links)
        if retag is None:
            return None
        gone, machine, pages = retag.gone, retag.machine, retag.pages
    if regrouped is None and not (made.keys() | copies.keys()) <= previous.keys():
        return None
    gone = (gone | edit.dropped) - made.keys() - copies.keys()
    outputs = []
    try:
        for rel, (key, _, _) in previous.items():
            if rel in made:
                outputs.append(made.pop(rel))
            elif rel in gone:
                continue
            elif rel in copies:
                outputs.append(_copy(rel, copies[rel], static, copied))
            else:  # a page, feed or sitemap whose inputs did not change: kept or linked as it is
                outputs.append(Output(rel, key))
        # The pages of a story, a month or a tag that is new, or of a list that is longer; a new story's files.
        outputs += made.values()
        outputs += [_copy(rel, source, static, copied) for rel, source in copies.items() if rel not in previous]
    except OSError:  # a file to copy is gone: the full build reports it
        return None
    stages.timed("keys", start)
    try:
        written = publish(site, outputs, machine, renderer, previous, {output_file(s.url) for s in archive.stories})
    except Missing:
        return None
    start = time.perf_counter()
    cache.save_manifest("files", edit.files)
    if copied != cache.manifest("assets"):  # the same files under new mtimes, read once
        cache.save_manifest("assets", copied)
    cache.forget(edit.stale)
    documents = edit.documents | {"fingerprint": print_}
    if regrouped is not None:
        key = related_key(inputs)
        cache.save_manifest(STRUCTURE, snap | {"id": print_, "related": key, "sitemap": retag.sitemap})
        if key != related["key"]:  # (not when only an original's URL changed)
            cache.save_manifest("related", {"key": key, "urls": urls})
            cache.save_manifest("related-inputs", {"key": key, "inputs": inputs})
        documents = documents | {"structure": print_}
    cache.save_manifest(DOCUMENTS, documents)
    cache.set_state({"fingerprint": print_, "valid_until": str(edit.until), "output": str(out),
                     "stories": str(len(archive.stories)), "pages": str(pages),
                     "files": str(len(outputs) + len(machine))})  # fmt: skip
    stages.timed("save", start)
    return BuildResult(
        stories=len(archive.stories), pages=pages, files=len(outputs) + len(machine),
        rendered=written.rendered, parsed=edit.loaded.parsed, seconds=time.perf_counter() - site.started,
        output=out, timings=stages.timings, warnings=stages.warnings, quick=True,
        spare_wanted=spare_wanted(config.root, out, len(outputs) + len(machine), cache),
    )  # fmt: skip


def _rendering(site: Site, chain, links: Links, strings, static: StaticFiles, archive: Archive):
    """The renderer, the site's key and the template digests, for either kind of build."""
    env = make_environment(chain, _template_globals(links, static, strings), site.compiled)
    site_key = _site_key(site.config, strings, static, archive)
    return Renderer(env, site.config.root), site_key, TemplateDigests(env, site.cache.manifest("templates"))


def _site_key(config: SiteConfig, strings, static: StaticFiles, archive: Archive) -> str:
    """What every page shows besides its own content."""
    # Every page shows the site's navigation: the standalone pages' titles and URLs.
    nav = tuple((p.url, p.page.title) for p in archive.pages)
    return digest(repr((VERSION, config, strings.table, sorted(static.names.items()), nav)).encode())


def _unchanged(cache: BuildCache, print_: str, out: Path, now: datetime) -> bool:
    """The last build had the same inputs, its output is intact, and no embargo
    has lifted (nor has a story left the news sitemap's window) since."""
    if cache.state("fingerprint") != print_ or cache.state("output") != str(out):
        return False
    until = cache.state("valid_until")
    if until is None or now.timestamp() >= float(until):
        return False
    return output_intact(out, cache.manifest("outputs"))


def _plan(archive: Archive, config: SiteConfig, links: Links, strings, bodies, cache: BuildCache, jobs: int):
    inputs = related_inputs(archive)
    key = related_key(inputs)
    saved = cache.manifest("related")
    if saved.get("key") == key:
        related = saved["urls"]
    else:
        last = cache.manifest("related-inputs")
        if saved and last.get("key") == saved["key"]:  # an edit: rank again only what it can change
            related = updated_related(inputs, last["inputs"], saved["urls"], jobs)
        else:
            related = related_urls(inputs, jobs=jobs)
        cache.save_manifest("related", {"key": key, "urls": related})
        cache.save_manifest("related-inputs", {"key": key, "inputs": inputs})
    routes, diagnostics, digests = plan(archive, config, links, strings, bodies, related)
    return (routes, digests, key), diagnostics


def _template_globals(links: Links, static: StaticFiles, strings) -> dict:
    def static_url(path: str) -> str:
        """The fingerprinted link of a file in the theme's static/ folder."""
        name = path.lstrip("/")
        if name not in static.names:
            raise KeyError(f"no file {name!r} in the theme's static/ folder")
        return links.href("/" + static.names[name])

    def time_element(date) -> Markup:
        """``<time datetime="…">26 July 2023</time>`` for a DateView."""
        return Markup(f'<time datetime="{escape(date.iso)}">{escape(date.text)}</time>')

    return {"static": static_url, "t": strings.text, "count": strings.count, "time": time_element}


def _machine_files(archive: Archive, entries: dict, config: SiteConfig, links: Links, now: datetime):
    """Sitemaps and robots.txt: small, rebuilt every time. ``entries``: URL -> last modified."""
    maps = sitemaps(entries, config, links)
    if config.news_sitemap:
        maps += news_sitemaps(archive.stories, config, links, now)
    files = maps + [robots(maps, links)]
    return [(f.path.lstrip("/"), f.data) for f in files]


def _published(doc: Article | Page, options: BuildOptions, now: datetime) -> bool:
    if doc.draft and not options.drafts:
        return False
    if isinstance(doc, Article) and doc.date.at > now and not options.future:
        return False
    return True


def _copy(rel: str, source: Path, static: StaticFiles, copied: dict[str, Record | None]) -> Output:
    """A theme's static file or a story's: raises OSError when it is gone."""
    held = static.digests.get(rel)
    if held is None:
        record = copied.get(str(source))
        if record is None:
            raise FileNotFoundError(source)
        held = holds(record)
    return copy_output(rel, source, held)


def _copies(archive: Archive, static: StaticFiles, page_files: set[str]):
    """Every file to copy: theme static files, then each story's assets."""
    copies: dict[str, Path] = dict(static.files)
    diagnostics = []
    items = [(s.url, s.rendered) for s in archive.stories] + [(p.url, p.rendered) for p in archive.pages]
    for url, rendered in items:
        for asset in rendered.assets:
            rel = url.lstrip("/") + asset.target
            if rel in page_files or rel in copies:
                doc = rendered.doc
                diagnostics.append(error(doc.file.rel, 1, 1, "", f"file {asset.target!r} would overwrite {rel}"))
                continue
            copies[rel] = asset.source
    return copies, diagnostics
