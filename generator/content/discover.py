"""Find the story and page files, in a sorted, deterministic order."""

from __future__ import annotations

import os
from pathlib import Path

from generator.config.site import SiteConfig
from generator.content.model import SourceFile
from generator.diagnostics import Diagnostic, error, warning

KINDS = (("article", "articles"), ("page", "pages"))


def discover(config: SiteConfig) -> tuple[list[SourceFile], list[Diagnostic]]:
    """Every ``*.md`` below ``content/articles`` and ``content/pages``.

    Hidden files and folders (editor back-ups, ``.git``) are skipped. A link
    that leads outside the site folder is refused; a name that is not a
    regular file is skipped with a warning.
    """
    root = config.root
    found: list[SourceFile] = []
    diagnostics: list[Diagnostic] = []
    if not config.content_path.is_dir():
        return [], [error("site.yml", 1, 1, "content_dir", f"folder {config.content_dir!r} not found")]
    real_root = root.resolve()
    for kind, folder in KINDS:
        base = config.content_path / folder
        if base.is_dir():
            _walk(base, base.relative_to(root).as_posix(), kind, real_root, found, diagnostics)
    found.sort(key=lambda f: f.rel)
    return found, diagnostics


def _walk(folder: Path, rel_folder: str, kind: str, real_root: Path, found: list[SourceFile],
          diagnostics: list[Diagnostic]) -> None:  # fmt: skip
    """One folder, with ``os.scandir``: the kind of most entries is known
    without a ``stat`` of its own (10,000 stories: 0.17 s -> 0.05 s)."""
    with os.scandir(folder) as listing:
        entries = sorted(listing, key=lambda e: e.name)
    for entry in entries:
        name = entry.name
        if name.startswith("."):
            continue
        rel = f"{rel_folder}/{name}"
        if entry.is_dir(follow_symlinks=False):
            _walk(folder / name, rel, kind, real_root, found, diagnostics)
        elif entry.is_symlink():
            if entry.is_dir():
                diagnostics.append(warning(rel, 1, 1, "", "is a link to a folder; not followed"))
            elif name.endswith(".md"):
                path = folder / name
                if not path.resolve().is_relative_to(real_root):
                    diagnostics.append(error(rel, 1, 1, "", "is a link to a file outside the site folder"))
                elif not path.is_file():
                    diagnostics.append(warning(rel, 1, 1, "", "is not a regular file; skipped"))
                else:
                    found.append(SourceFile(kind, rel, entry.path))
        elif name.endswith(".md"):
            if entry.is_file(follow_symlinks=False):
                found.append(SourceFile(kind, rel, entry.path))
            else:
                diagnostics.append(warning(rel, 1, 1, "", "is not a regular file; skipped"))
