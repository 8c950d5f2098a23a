"""A real browser for the tests: Debian's Chromium driven by Playwright.

Never `playwright install`: it cannot download here; `.ci/run` installs
Chromium with apt-get and axe-core with npm when they are missing.
"""

from __future__ import annotations

import functools
import http.server
from pathlib import Path

from conftest import REPO, local_server

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = REPO / "tests" / "artifacts"


class _Handler(http.server.SimpleHTTPRequestHandler):
    """A plain static host for a built folder: index.html, 404.html with status 404."""

    def log_message(self, *args):  # keep test output clean
        pass

    def send_error(self, code, message=None, explain=None):
        page = Path(self.directory) / "404.html"
        if code == 404 and page.is_file():
            body = page.read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)
            return
        super().send_error(code, message, explain)


def static_server(folder: Path):
    return local_server(functools.partial(_Handler, directory=str(folder)))


def missing() -> str | None:
    """What the browser tests need and this machine lacks, said as what to install."""
    needs = []
    if not Path(CHROMIUM).exists():
        needs.append("Debian's Chromium (apt-get install chromium)")
    if not AXE.is_file():
        needs.append("axe-core (npm ci)")
    return " and ".join(needs) or None


def launch(playwright):
    if not Path(CHROMIUM).exists():
        raise RuntimeError("Chromium is missing: run `bash .ci/run` (it installs Debian's chromium)")
    return playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
