"""Diagnostics: every problem a user can cause, with the place it comes from.

A stage never raises for bad input; it returns its result together with a
list of :class:`Diagnostic`. The build stops at the boundary of a stage that
reported an error, so the user sees every problem of that stage at once.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem: ``path:line:col: error: field: message``.

    ``path`` is relative to the site root (POSIX separators); ``line`` and
    ``col`` are 1-based. ``field`` names the front-matter or config key
    (dotted for nested keys, e.g. ``source.url``).
    """

    path: str
    line: int
    col: int
    field: str
    message: str
    severity: Severity = Severity.ERROR

    def format(self) -> str:
        where = f"{self.path}:{self.line}:{self.col}"
        field = f"{self.field}: " if self.field else ""
        return f"{where}: {self.severity.value}: {field}{self.message}"

    def github_annotation(self) -> str:
        kind = "error" if self.severity is Severity.ERROR else "warning"
        field = f"{self.field}: " if self.field else ""
        message = (field + self.message).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        return f"::{kind} file={self.path},line={self.line},col={self.col}::{message}"


def error(path: str, line: int, col: int, field: str, message: str) -> Diagnostic:
    return Diagnostic(path, line, col, field, message, Severity.ERROR)


def warning(path: str, line: int, col: int, field: str, message: str) -> Diagnostic:
    return Diagnostic(path, line, col, field, message, Severity.WARNING)


def report(diagnostics: list[Diagnostic], stream) -> None:
    """Print diagnostics sorted by place, plus GitHub annotations under Actions."""
    github = os.environ.get("GITHUB_ACTIONS") == "true"
    for diagnostic in sorted(set(diagnostics)):
        print(diagnostic.format(), file=stream)
        if github:
            print(diagnostic.github_annotation(), file=stream)


class DiagnosticError(Exception):
    """Raised at a stage boundary when the stage reported errors."""

    def __init__(self, diagnostics: list[Diagnostic]):
        super().__init__(f"{len(diagnostics)} problem(s)")
        self.diagnostics = diagnostics
