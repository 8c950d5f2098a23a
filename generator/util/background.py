"""Whether a command may leave work running after it returns.

Only when a person at a terminal ran it: not in CI (the ``CI`` variable, which
GitHub Actions, GitLab and most others set) and with its output (stdout or
stderr) on a terminal. A build run from a script, a git hook, a deploy job or
a test returns with nothing of it left running: it deletes old trees itself
and starts no spare tree's maker (``generator/incremental/spare.py``).
"""

from __future__ import annotations

import os
import sys


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def interactive() -> bool:
    """Not in CI, and stdout or stderr is a terminal."""
    if in_ci():
        return False
    return any(bool(getattr(stream, "isatty", lambda: False)()) for stream in (sys.stdout, sys.stderr))
