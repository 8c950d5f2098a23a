"""Render planned routes through the theme; template errors become diagnostics."""

from __future__ import annotations

import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import jinja2

from generator.diagnostics import Diagnostic, error
from generator.plan.routes import Route
from generator.store.cache import CacheCorrupt
from generator.theme.themes import template_display
from generator.util.urls import output_file


@dataclass(frozen=True)
class OutputFile:
    path: str  # relative to the output folder, POSIX style
    data: bytes


class Renderer:
    def __init__(self, env: jinja2.Environment, root: Path):
        self.env = env
        self.root = root
        # Given the stories that the routes about to be rendered show, reads what they need at once: set by
        # a quick build, whose stories read their cached documents when first asked (``incremental/lazy.py``).
        self.read_ahead: Callable[[list], None] | None = None
        self._templates: dict[tuple[str, ...], jinja2.Template] = {}
        self.diagnostics: list[Diagnostic] = []
        self._seen: set[tuple[str, int, str]] = set()

    def template(self, names: tuple[str, ...]) -> jinja2.Template:
        if names not in self._templates:
            self._templates[names] = self.env.select_template(list(names))
        return self._templates[names]

    def prepare(self, routes: list[Route]) -> None:
        """Called with the routes a worker is about to render, before it renders them."""
        if self.read_ahead is not None:
            self.read_ahead([story for route in routes for story in route.shows])

    def render(self, route: Route) -> OutputFile | None:
        try:
            html = self.template(route.templates).render(route.context())
        except jinja2.TemplateSyntaxError as exc:
            self._report(template_display(exc.filename, self.root), exc.lineno or 1, exc.message or str(exc))
            return None
        except jinja2.TemplatesNotFound as exc:
            names = ", ".join(route.templates)
            self._report("site.yml", 1, f"the theme has no template for {route.url} (looked for {names}): {exc}")
            return None
        except CacheCorrupt:
            raise
        except Exception as exc:  # noqa: BLE001 - a theme can raise anything; report where
            filename, line = _template_frame(exc)
            what = f"{type(exc).__name__}: {exc}" if not isinstance(exc, jinja2.UndefinedError) else str(exc)
            self._report(template_display(filename, self.root), line, f"{what} (rendering {route.url})")
            return None
        if not html.endswith("\n"):
            html += "\n"
        return OutputFile(output_file(route.url), html.encode("utf-8"))

    def _report(self, path: str, line: int, message: str) -> None:
        key = (path, line, message.split(" (rendering ")[0])
        if key in self._seen:
            return
        self._seen.add(key)
        self.diagnostics.append(error(path, line, 1, "template", message))


def _template_frame(exc: BaseException) -> tuple[str | None, int]:
    """The innermost traceback frame that belongs to a template file."""
    found: tuple[str | None, int] = (None, 1)
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename.endswith((".html", ".xml", ".json", ".txt", ".j2")) and frame.lineno:
            found = (frame.filename, frame.lineno)
    return found
