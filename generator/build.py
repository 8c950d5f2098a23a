"""The build: an explicit, ordered, timed list of stages.

Why this order: configuration and theme first (a wrong theme makes every
later step pointless); then every content file is parsed and every problem of
every file collected; Markdown next, because summaries and local assets come
from the body; then the archive and the route plan, where URL collisions are
caught before a single page is rendered; rendering streams into a staging
folder, and only a build without errors is swapped in.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from markupsafe import Markup

from generator.config import SiteConfig, load_config
from generator.content.archive import Archive, collect
from generator.content.discover import discover
from generator.content.frontmatter import parse
from generator.content.model import Article, Page
from generator.diagnostics import Diagnostic, DiagnosticError, Severity, error
from generator.feeds import FeedFile, FeedWriter
from generator.markdown import Rendered, render_markdown
from generator.render import Renderer
from generator.routes import Route, plan
from generator.sitemaps import Entry, news_sitemaps, robots, sitemaps
from generator.strings import load_strings
from generator.themes import StaticFiles, load_chain, make_environment, static_files, template_display
from generator.urls import Links, output_file
from generator.writer import Staging, check_output


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


@dataclass
class BuildResult:
    stories: int = 0
    pages: int = 0
    files: int = 0
    seconds: float = 0.0
    output: Path | None = None
    timings: dict[str, float] = field(default_factory=dict)
    warnings: list[Diagnostic] = field(default_factory=list)


def now_from_env() -> datetime:
    """ "Now" for the embargo rule: ``SOURCE_DATE_EPOCH`` when set."""
    raw = os.environ.get("SOURCE_DATE_EPOCH")
    if raw is None or raw == "":
        return datetime.now(UTC)
    try:
        return datetime.fromtimestamp(int(raw), UTC)
    except (ValueError, OverflowError, OSError) as exc:
        raise UsageError(f"SOURCE_DATE_EPOCH must be a whole number of seconds, not {raw!r}") from exc


class _Stages:
    def __init__(self):
        self.timings: dict[str, float] = {}
        self.warnings: list[Diagnostic] = []
        self.errors: list[Diagnostic] = []

    def run(self, name: str, func, *args, defer: bool = False, **kwargs):
        """Run one stage; its errors stop the build now, or with ``defer``
        at the next :meth:`stop_on_errors`, so that stages working on the
        valid files can still report their own problems in the same run."""
        start = time.perf_counter()
        value, diagnostics = func(*args, **kwargs)
        self.timings[name] = self.timings.get(name, 0.0) + time.perf_counter() - start
        self.absorb(diagnostics, defer=defer)
        return value

    def absorb(self, diagnostics: list[Diagnostic], defer: bool = False) -> None:
        for diagnostic in diagnostics:
            (self.errors if diagnostic.severity is Severity.ERROR else self.warnings).append(diagnostic)
        if not defer:
            self.stop_on_errors()

    def stop_on_errors(self) -> None:
        if self.errors:
            raise DiagnosticError(self.errors + self.warnings)


def build(options: BuildOptions) -> BuildResult:
    started = time.perf_counter()
    now = now_from_env()
    stages = _Stages()
    config: SiteConfig = stages.run("config", load_config, options.config_path, base_url=options.base_url)
    out = (options.output if options.output is not None else config.output_path).absolute()
    if options.write:
        check_output(out, config.root, [config.content_path, config.root / "themes"])
    chain = stages.run("theme", load_chain, config.theme, config.root)
    display = lambda path: template_display(str(path), config.root)  # noqa: E731
    strings = stages.run("strings", load_strings, [t.path for t in chain], config.language, display)
    files = stages.run("discover", discover, config)
    # Content problems are collected across parse, markdown and collect: a
    # file that does not parse must not hide a URL collision between two that do.
    docs = stages.run("parse", _parse_all, files, config, defer=True)
    docs = [doc for doc in docs if _published(doc, options, now)]
    rendered = stages.run("markdown", _markdown_all, docs, config, defer=True)
    archive: Archive = stages.run("collect", collect, rendered, config, defer=True)
    stages.stop_on_errors()
    links = Links(config.base_url)
    routes = stages.run("plan", plan, archive, config, links, strings)
    static = static_files(chain)
    copies = stages.run("assets", _copies, archive, static, {output_file(r.url) for r in routes})

    env = make_environment(chain, _template_globals(links, static, strings))
    renderer = Renderer(env, config.root)
    start = time.perf_counter()
    staging = Staging(out) if options.write else None
    try:
        written = 0
        for output in renderer.render_all(routes):
            if staging is not None and not renderer.diagnostics:
                staging.write(output.path, output.data)
            written += 1
        stages.absorb(renderer.diagnostics)
        stages.timings["render"] = time.perf_counter() - start
        start = time.perf_counter()
        machine = _machine_files(archive, routes, config, links, now)
        if staging is not None:
            for output in machine:
                staging.write(output.path.lstrip("/"), output.data)
            for rel, source in copies.items():
                staging.copy(rel, source)
            staging.commit()
    except BaseException:
        if staging is not None:
            staging.abort()
        raise
    stages.timings["feeds+write"] = time.perf_counter() - start
    return BuildResult(
        stories=len(archive.stories),
        pages=written,
        files=written + len(copies) + len(machine),
        seconds=time.perf_counter() - started,
        output=out if options.write else None,
        timings=stages.timings,
        warnings=stages.warnings,
    )


def _machine_files(archive: Archive, routes: list[Route], config: SiteConfig, links: Links, now: datetime):
    """Feeds, sitemaps and robots.txt: everything not rendered by the theme."""
    files: list[FeedFile] = FeedWriter(archive, config, links).all()
    maps = sitemaps([Entry(r.url, r.lastmod) for r in routes if r.in_sitemap], config, links)
    if config.news_sitemap:
        maps += news_sitemaps(archive.stories, config, links, now)
    return files + maps + [robots(maps, links)]


def _parse_all(files, config):
    docs, diagnostics = [], []
    for file in files:
        doc, problems = parse(file, config)
        diagnostics.extend(problems)
        if doc is not None:
            docs.append(doc)
    return docs, diagnostics


def _published(doc: Article | Page, options: BuildOptions, now: datetime) -> bool:
    if doc.draft and not options.drafts:
        return False
    if isinstance(doc, Article) and doc.date.at > now and not options.future:
        return False
    return True


def _markdown_all(docs, config):
    rendered: list[Rendered] = []
    diagnostics: list[Diagnostic] = []
    for doc in docs:
        result, problems = render_markdown(doc, config.markdown)
        diagnostics.extend(problems)
        if result is not None:
            rendered.append(result)
    return rendered, diagnostics


def _template_globals(links: Links, static: StaticFiles, strings) -> dict:
    def static_url(path: str) -> str:
        """The fingerprinted link of a file in the theme's static/ folder."""
        name = path.lstrip("/")
        if name not in static.names:
            raise KeyError(f"no file {name!r} in the theme's static/ folder")
        return links.href("/" + static.names[name])

    def time_element(date) -> Markup:
        """``<time datetime="…">26 July 2023</time>`` for a DateView."""
        return Markup('<time datetime="{}">{}</time>').format(date.iso, date.text)

    return {"static": static_url, "t": strings.text, "count": strings.count, "time": time_element}


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
