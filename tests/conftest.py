"""Micro-sites built inside tests: real files in a temp folder, real builds."""

from __future__ import annotations

import hashlib
import http.server
import io
import os
import shutil
import subprocess
import sys
import textwrap
import threading
from contextlib import contextmanager, redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path

import pytest

from generator.cli import main

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "tests" / "fixtures"


@contextmanager
def local_server(handler):
    """An HTTP server for ``handler`` on a free port of 127.0.0.1; yields its base URL."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = False  # (closing waits for the requests' threads: no test leaves one running)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()

BASIC_CONFIG = """\
title: Test Archive
base_url: https://example.org/
timezone: UTC
search: false
"""


def story(title="A story", date="2023-07-26", url=None, extra="", body="Body text.", name="The Outlet"):
    """Front matter + body of a valid story; ``extra`` adds YAML lines."""
    url = url or "https://news.example.com/" + "".join(c if c.isalnum() else "-" for c in title.lower())
    front = f'title: "{title}"\ndate: {date}\nsource:\n  name: {name}\n  url: "{url}"\n' + textwrap.dedent(extra)
    return f"---\n{front}---\n{body}\n"


@dataclass
class Result:
    code: int
    out: str
    err: str


@dataclass
class Site:
    root: Path

    def write(self, rel: str, text: str | bytes) -> Path:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        return path

    def ssg(self, *args: str, env: dict | None = None) -> Result:
        """Run the CLI in this process, from the site folder."""
        out, err = io.StringIO(), io.StringIO()
        old_cwd = os.getcwd()
        old_env = dict(os.environ)
        os.environ.update(env or {})
        os.chdir(self.root)
        try:
            with redirect_stdout(out), redirect_stderr(err):
                try:
                    code = main(list(args))
                except SystemExit as exc:  # argparse usage errors
                    code = exc.code
        finally:
            os.chdir(old_cwd)
            os.environ.clear()
            os.environ.update(old_env)
        return Result(code, out.getvalue(), err.getvalue())

    def ssg_process(self, *args: str, env: dict | None = None) -> Result:
        """Run ``python -m generator`` in a child process (real exit, real env)."""
        full_env = {**os.environ, **(env or {})}
        proc = subprocess.run([sys.executable, "-m", "generator", *args], cwd=self.root, env=full_env,
                              capture_output=True, text=True, timeout=300)  # fmt: skip
        return Result(proc.returncode, proc.stdout, proc.stderr)

    def read(self, rel: str) -> str:
        return (self.root / rel).read_text(encoding="utf-8")

    @property
    def public(self) -> Path:
        return self.root / "public"


def sample_copy(root: Path) -> Site:
    """A copy of the sample archive (content/ and site.yml) in ``root``."""
    shutil.copytree(REPO / "content", root / "content")
    shutil.copyfile(REPO / "site.yml", root / "site.yml")
    return Site(root)


def gone(pid: int) -> bool:
    """No such process, or one that has ended and waits to be reaped by whoever inherited it."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return True
    return state in ("Z", "X")


def tree_hashes(folder: Path) -> dict[str, str]:
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


@pytest.fixture
def site(tmp_path) -> Site:
    root = tmp_path / "site"
    root.mkdir()
    s = Site(root)
    s.write("site.yml", BASIC_CONFIG)
    (root / "content" / "articles").mkdir(parents=True)
    return s


@pytest.fixture
def search_here(monkeypatch) -> None:
    """The search stage in the test's own process (``SSG_SEARCH_PROCESS=0``): a build hands it to a
    forked process (generator/search/worker.py), where what a test counts by patching its functions
    is counted out of the test's sight."""
    monkeypatch.setenv("SSG_SEARCH_PROCESS", "0")


def pytest_collection_modifyitems(config, items):
    """Browser tests (marker ``browser``) need Chromium and axe-core. Where
    they are missing, running pytest directly skips those tests and says what
    to install; ``.ci/run`` installs both and sets SSG_REQUIRE_BROWSER, under
    which a missing one is an error, never a skip."""
    from browser import missing as browser_missing  # (browser.py imports this module)

    missing = browser_missing()
    if missing is None:
        return
    browser_items = [item for item in items if item.get_closest_marker("browser")]
    if not browser_items:
        return
    if os.environ.get("SSG_REQUIRE_BROWSER"):
        raise pytest.UsageError(f"the browser tests need {missing}: `bash .ci/run` installs them")
    skip = pytest.mark.skip(reason=f"browser test: install {missing}, or run `bash .ci/run`")
    for item in browser_items:
        item.add_marker(skip)
