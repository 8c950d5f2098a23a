"""Find the story and page files, in a sorted, deterministic order."""

from __future__ import annotations

import os
from pathlib import Path

from generator.config import SiteConfig
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
        if not base.is_dir():
            continue
        for dirpath, dirnames, filenames in os.walk(base, followlinks=False):
            for name in sorted(dirnames):
                if not name.startswith(".") and (Path(dirpath) / name).is_symlink():
                    rel = (Path(dirpath) / name).relative_to(root).as_posix()
                    diagnostics.append(warning(rel, 1, 1, "", "is a link to a folder; not followed"))
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            for name in sorted(filenames):
                if name.startswith(".") or not name.endswith(".md"):
                    continue
                path = Path(dirpath) / name
                rel = path.relative_to(root).as_posix()
                if path.is_symlink():
                    target = path.resolve()
                    if not target.is_relative_to(real_root):
                        diagnostics.append(error(rel, 1, 1, "", "is a link to a file outside the site folder"))
                        continue
                if not path.is_file():
                    diagnostics.append(warning(rel, 1, 1, "", "is not a regular file; skipped"))
                    continue
                found.append(SourceFile(kind=kind, rel=rel, path=path))
    found.sort(key=lambda f: f.rel)
    return found, diagnostics
