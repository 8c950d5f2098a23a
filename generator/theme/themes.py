"""Themes: a chain of folders handed to one Jinja loader.

``themes/<name>/{theme.yml, templates/, static/}``. ``theme.yml`` may say
``extends: default``; templates are looked up child first, then parents,
and a parent's template stays reachable as ``default:base.html`` so a child
can extend the very template it overrides. The site's own ``themes/`` folder
comes first, then the themes that ship with ssg.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import re
import types
from dataclasses import dataclass
from pathlib import Path

import jinja2
import jinja2.meta as jinja2_meta
import jinja2.runtime
from jinja2.compiler import CodeGenerator

from generator import __version__
from generator.config.validate import Checker
from generator.config.yamlsource import parse_yaml
from generator.diagnostics import Diagnostic, error


def _bundled_themes() -> Path:
    """ssg's own themes: ``themes/`` beside the package in a checkout (or an
    editable install), else the ``generator_themes`` package of a wheel."""
    checkout = Path(__file__).resolve().parents[2] / "themes"  # generator/theme/themes.py -> themes/
    if (checkout / "default").is_dir():
        return checkout
    spec = importlib.util.find_spec("generator_themes")
    if spec is not None and spec.submodule_search_locations:
        return Path(next(iter(spec.submodule_search_locations)))
    return checkout


BUNDLED = _bundled_themes()
MAX_DEPTH = 10
# How templates are compiled: compiled templates kept under other options,
# another code generator (its number) or by another ssg are not used.
_OPTIONS = {"autoescape": True, "trim_blocks": True, "lstrip_blocks": True}
_CODEGEN = 2  # compiled code imports output_escape by its module path: a move changes it
_COMPILED = f"ssg-{__version__}-" + hashlib.blake2b(repr((sorted(_OPTIONS.items()), _CODEGEN)).encode(),
                                                    digest_size=4).hexdigest()  # fmt: skip


@dataclass(frozen=True)
class Theme:
    name: str
    path: Path

    @property
    def templates(self) -> Path:
        return self.path / "templates"

    @property
    def static(self) -> Path:
        return self.path / "static"


def _display(path: Path, root: Path) -> str:
    for base in (root, BUNDLED.parent):
        try:
            return path.resolve().relative_to(base.resolve()).as_posix()
        except ValueError:
            continue
    return path.as_posix()


def find_theme(name: str, root: Path) -> Path | None:
    for base in (root / "themes", BUNDLED):
        candidate = base / name
        if (candidate / "theme.yml").is_file() or (candidate / "templates").is_dir():
            return candidate
    return None


def load_chain(name: str, root: Path) -> tuple[list[Theme], list[Diagnostic]]:
    """The theme and its parents, child first."""
    chain: list[Theme] = []
    current: str | None = name
    where = ("site.yml", 1, 1, "theme")
    while current is not None:
        if any(theme.name == current for theme in chain) or len(chain) >= MAX_DEPTH:
            return [], [error(*where, f"theme {current!r} extends itself (cycle)")]
        path = find_theme(current, root)
        if path is None:
            return [], [error(*where, f"theme {current!r} not found (looked in themes/ and ssg's own themes)")]
        chain.append(Theme(current, path))
        current, where, problems = _read_theme_yml(path, root)
        problems += _links_outside(path, root)
        if problems:
            return [], problems
    return chain, []


def _links_outside(folder: Path, root: Path) -> list[Diagnostic]:
    """A theme may not reach outside the site (or ssg's own themes) through links."""
    allowed = (root.resolve(), BUNDLED.resolve())
    problems = []
    for dirpath, dirnames, filenames in os.walk(folder, followlinks=False):
        dirnames.sort()
        for name in sorted(dirnames + filenames):
            path = Path(dirpath) / name
            if path.is_symlink() and not any(path.resolve().is_relative_to(base) for base in allowed):
                problems.append(error(_display(path, root), 1, 1, "", "is a link to a file outside the site folder"))
    return problems


def _read_theme_yml(path: Path, root: Path):
    meta = path / "theme.yml"
    shown = _display(meta, root)
    if not meta.is_file():
        return None, None, []
    node, problems = parse_yaml(meta.read_text(encoding="utf-8-sig"))
    check = Checker(shown)
    for problem in problems:
        check.error((problem.line, problem.col), "", problem.message)
    if node is None or not check.mapping(node, "theme.yml"):
        return None, None, check.diagnostics
    check.known_keys(node, ["name", "extends", "description"])
    parent_node = node.get("extends")
    parent = check.string(parent_node, "extends")
    where = (shown, parent_node.line, parent_node.col, "extends") if parent_node else None
    return parent, where, check.diagnostics


# Partials that show one story in a list, and the only variables they may use
# besides the template globals for their output to be kept per story (below).
STORY_PARTIALS = {"partials/story.html": ("item", "level")}
_KEPT_MAX = 50_000  # stories x heading levels kept per process; past this, rendered each time


_SPECIAL = re.compile("[&<>'\"]")


def output_escape(value) -> str:
    """What ``{{ value }}`` writes: the text of markupsafe's ``escape(value)``
    (the same five characters, ``__html__`` trusted), as a plain string. Jinja
    wraps every output in a ``Markup`` object only to join it to the page; making
    them was a tenth of a cold build's render time."""
    if type(value) is str:
        if _SPECIAL.search(value) is None:
            return value
        return (value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                .replace("'", "&#39;").replace('"', "&#34;"))  # fmt: skip
    html = getattr(value, "__html__", None)
    if html is not None:
        return html()
    return output_escape(str(value))


class _CodeGenerator(CodeGenerator):
    """Jinja's code generator, with ``{{ ... }}`` under autoescape written
    through :func:`output_escape`. A block, macro or ``set`` block still gives
    ``Markup``: Jinja wraps what they join, not each piece."""

    def visit_Template(self, node, frame=None) -> None:
        self.writeline("from generator.theme.themes import output_escape as ssg_output_escape")
        super().visit_Template(node, frame)

    def _output_child_pre(self, node, frame, finalize) -> None:
        if frame.eval_ctx.autoescape and not frame.eval_ctx.volatile:
            self.write("ssg_output_escape(")
            if finalize.src is not None:
                self.write(finalize.src)
            return
        super()._output_child_pre(node, frame, finalize)


_PLAIN_CALLABLES = (types.FunctionType, types.MethodType, types.BuiltinFunctionType)


class _Context(jinja2.runtime.Context):
    """Jinja's context, with a shorter way for a call from a template to a
    function or method that takes no context (``t``, ``time``, ``static``,
    ``count``): Jinja looks for a ``jinja_pass_arg`` mark on it and on its
    ``__call__`` at every call, two failed attribute lookups each time. Which
    functions have none is noted once per environment, by identity."""

    def call(__self, __obj, *args, **kwargs):  # noqa: N805 - Jinja's signature
        plain = __self.environment.plain_callables
        function = __obj.__func__ if type(__obj) is types.MethodType else __obj  # a method's mark is its function's
        if plain.get(id(function)) is not function:
            if type(__obj) not in _PLAIN_CALLABLES or hasattr(function, "jinja_pass_arg") or len(plain) >= 1000:
                return super().call(__obj, *args, **kwargs)
            plain[id(function)] = function
        kwargs.pop("_block_vars", None)
        kwargs.pop("_loop_vars", None)
        try:
            return __obj(*args, **kwargs)
        except StopIteration:
            return super().call(_stopped)


def _stopped():
    raise StopIteration


class _Environment(jinja2.Environment):
    """Renders a story partial once per story and heading level: a story is
    shown on its home, tag, outlet, year and month lists, and rendering its
    card again for each was a fifth of a cold build's Jinja time. Only when
    the partial uses nothing but its story, its level and the globals, so
    that what it gives cannot differ between two lists."""

    code_generator_class = _CodeGenerator
    context_class = _Context

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.plain_callables: dict[int, object] = {}  # id -> the function (kept, so the id stays its own)
        self.loaded: dict[str, jinja2.Template] = {}

    def make_globals(self, d):
        """A template's globals as one plain dict, not Jinja's ``ChainMap``
        over the environment's: every context made (each page, each include
        of a story card) took a set of the globals' names, and a ``ChainMap``
        is iterated in Python. ssg sets the environment's globals once, before
        any template is loaded, so a snapshot is the same."""
        return {**self.globals, **(d or {})}

    def _load_template(self, name, globals):  # noqa: A002 - Jinja's signature
        # An include in a loop loads its template once per item: without
        # auto_reload, a template once loaded is the one to use.
        template = self.loaded.get(name)
        if template is not None and not globals and not self.auto_reload:
            return template
        template = self.loaded[name] = super()._load_template(name, globals)
        if name in STORY_PARTIALS and not getattr(template, "_ssg_kept", False):
            template._ssg_kept = True
            source = self.loader.get_source(self, name)[0]
            used = jinja2_meta.find_undeclared_variables(self.parse(source))
            if used <= set(STORY_PARTIALS[name]) | set(self.globals):
                template.root_render_func = _kept_per_story(template.root_render_func, STORY_PARTIALS[name])
        return template


def _kept_per_story(render, names: tuple[str, str]):
    kept: dict[tuple, str] = {}
    item_name, level_name = names

    def root_render_func(context):
        item, level = context.get(item_name), context.get(level_name)
        url = getattr(item, "url", None)
        if not isinstance(url, str):
            yield from render(context)
            return
        key = (url, level)
        html = kept.get(key)
        if html is None:
            html = "".join(render(context))
            if len(kept) < _KEPT_MAX:
                kept[key] = html
        yield html

    return root_render_func


def make_environment(chain: list[Theme], globals_: dict, compiled: Path | None = None) -> jinja2.Environment:
    """One Environment per build: autoescape on, undefined names are errors.
    ``compiled`` is a folder that keeps compiled templates from one build to the
    next (Jinja checks each against its template's source before using it)."""
    by_name = jinja2.PrefixLoader(
        {theme.name: jinja2.FileSystemLoader(str(theme.templates)) for theme in chain}, delimiter=":"
    )
    loader = jinja2.ChoiceLoader([jinja2.FileSystemLoader([str(t.templates) for t in chain]), by_name])
    env = _Environment(
        loader=loader,
        **_OPTIONS,
        undefined=jinja2.StrictUndefined,
        auto_reload=False,
        bytecode_cache=jinja2.FileSystemBytecodeCache(str(compiled), f"{_COMPILED}-%s.cache") if compiled else None,
    )
    env.globals.update(globals_)
    return env


@dataclass(frozen=True)
class StaticFiles:
    """A theme chain's static files under fingerprinted names.

    ``names`` maps the path a template asks for (``style.css``) to the path
    in the output (``static/style.1a2b3c4d5e.css``); the content hash in the
    name lets a static host cache the file forever.
    """

    files: dict[str, Path]  # output path -> source file
    names: dict[str, str]  # logical path -> output path
    digests: dict[str, str]  # output path -> digest of the file's bytes


def static_files(chain: list[Theme]) -> StaticFiles:
    """A child's file wins over its parent's of the same name."""
    sources: dict[str, Path] = {}
    for theme in reversed(chain):
        if not theme.static.is_dir():
            continue
        for dirpath, dirnames, filenames in os.walk(theme.static):
            dirnames.sort()
            for name in sorted(filenames):
                if name.startswith("."):
                    continue
                path = Path(dirpath) / name
                sources[path.relative_to(theme.static).as_posix()] = path
    files, names, digests = {}, {}, {}
    for logical, path in sorted(sources.items()):
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        stem, dot, ext = logical.rpartition(".")
        hashed = f"{stem}.{digest[:10]}.{ext}" if dot and "/" not in ext else f"{logical}.{digest[:10]}"
        files["static/" + hashed] = path
        names[logical] = "static/" + hashed
        digests["static/" + hashed] = digest
    return StaticFiles(files, names, digests)


def template_display(filename: str | None, root: Path) -> str:
    return _display(Path(filename), root) if filename else "templates"


class TemplateDigests:
    """A digest of a page's templates and every template they use, so that a
    changed template re-renders only the pages that use it.

    ``known`` maps a template source's digest to the templates it names
    (parsing every template to learn that took 0.2 s per build). ``used``
    holds the entries of the templates this build's pages use: what to keep
    for the next build when it differs from ``known``."""

    def __init__(self, env: jinja2.Environment, known: dict[str, tuple] | None = None):
        self.env = env
        self.known: dict[str, tuple] = dict(known or {})
        self.used: dict[str, tuple] = {}
        self._by_names: dict[tuple[str, ...], str] = {}

    def _references(self, source: str) -> tuple:
        key = hashlib.blake2b(source.encode(), digest_size=16).hexdigest()
        refs = self.known.get(key)
        if refs is None:
            refs = tuple(jinja2_meta.find_referenced_templates(self.env.parse(source)))
        self.used[key] = refs
        return refs

    def _sources(self, name: str, seen: dict[str, str]) -> None:
        if name in seen:
            return
        source, _, _ = self.env.loader.get_source(self.env, name)
        seen[name] = source
        for ref in self._references(source):
            if ref is None:  # a template name computed at run time: depend on every template
                for other in self.env.list_templates():
                    self._sources(other, seen)
            else:
                self._sources(ref, seen)

    def _first(self, names: tuple[str, ...]) -> str:
        """The template a page uses: the first of ``names`` that exists
        (found without compiling it, as ``select_template`` would)."""
        for name in names:
            try:
                self.env.loader.get_source(self.env, name)
            except jinja2.TemplateNotFound:
                continue
            return name
        raise jinja2.TemplatesNotFound(list(names))

    def __call__(self, names: tuple[str, ...]) -> str:
        if names not in self._by_names:
            try:
                seen: dict[str, str] = {}
                self._sources(self._first(names), seen)
                text = repr(sorted(seen.items()))
            except jinja2.TemplateError as exc:  # reported when the page is rendered
                text = f"error: {exc}"
            self._by_names[names] = hashlib.blake2b(text.encode(), digest_size=16).hexdigest()
        return self._by_names[names]
