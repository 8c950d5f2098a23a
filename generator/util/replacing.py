"""A file written whole or not at all: its bytes go into a temporary file
beside it (named by the process, so that two processes never share one),
which then takes the file's place by a rename. A reader sees the old file or
the new one, never half of one; a write that fails leaves the old file and
no temporary one."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path


def replace_with(path: Path, data: bytes) -> None:
    """``path`` holds ``data`` (``OSError`` when it cannot be written; the file is then as it was)."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}")
    try:
        temporary.write_bytes(data)
        os.replace(temporary, path)
    except OSError:
        with contextlib.suppress(OSError):
            os.remove(temporary)
        raise
