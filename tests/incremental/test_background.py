"""A build run from a script or in CI returns with nothing of it left
running: no spare tree's maker, no detached delete of an old tree."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from golden import write_corpus


def _alive_for(root: Path) -> list[str]:
    """Command lines of the processes (but this one) that name a path under ``root``."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if str(root) in command:
            found.append(command)
    return found


@pytest.fixture(scope="module")
def large(tmp_path_factory):
    """An archive whose output has more files than a maker is started for (1,500 stories, about 2,400 files)."""
    root = tmp_path_factory.mktemp("large") / "site"
    write_corpus(root, 1500, seed=3)
    return root


@pytest.mark.parametrize("ci", ["true", None], ids=["CI", "script"])
def test_a_build_leaves_no_process_behind(large, ci):
    env = {k: v for k, v in os.environ.items() if k != "CI"} | ({"CI": ci} if ci else {})
    for args in (["build"], ["build", "--no-cache"]):  # the second replaces a whole tree: the old one is deleted
        proc = subprocess.run([sys.executable, "-m", "generator", *args, "-j", "2"], cwd=large, env=env,
                              stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=600)  # fmt: skip
        assert proc.returncode == 0, proc.stderr
        assert _alive_for(large) == [], f"left running after ssg {' '.join(args)}"
    assert len(list((large / "public").rglob("*.html"))) > 2000


class _Terminal:
    def isatty(self) -> bool:
        return True

    def write(self, text: str) -> None:
        pass

    def flush(self) -> None:
        pass


@pytest.mark.parametrize(("value", "ci"), [("true", True), ("1", True), ("false", False), ("0", False), ("", False)])
def test_progress_and_background_work_read_ci_alike(monkeypatch, value, ci):
    """``CI=false`` (as some runners set it locally) is not CI for either."""
    from generator.progress import Progress
    from generator.util.background import in_ci

    monkeypatch.setenv("CI", value)
    assert in_ci() is ci
    assert Progress(_Terminal()).enabled is not ci
