"""A file into another tree without copying it."""

from __future__ import annotations

import os
import shutil


def link(source, target) -> None:
    """``source`` at ``target``: a hard link costs no copy (a copy where the
    file system has no hard links). ``target`` must not exist yet."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)
