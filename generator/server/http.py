"""A small static host for the built site, with live reload for `ssg serve`.

It behaves like a proper static host: ``index.html`` for folder URLs, a
redirect for a folder URL without its trailing slash, ``404.html`` with status
404, correct content types, ``ETag``/``304``, ``Cache-Control: no-cache``.
No request can reach a file outside the output folder: the path is decoded
once, ``..``, backslashes, NUL and empty segments are refused, and the file's
real path (links resolved) must lie inside the folder's real path.

HTML responses get the live-reload script injected before ``</body>``; the
files on disk never contain it.
"""

from __future__ import annotations

import html
import json
import mimetypes
import socket
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

from generator.server.livereload import CLIENT_JS, EVENTS_PATH, SCRIPT_PATH, Reloader, client_script

TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".xml": "application/xml",
    ".txt": "text/plain; charset=utf-8",
    ".svg": "image/svg+xml",
    ".webp": "image/webp",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".avif": "image/avif",
    ".ico": "image/x-icon",
    ".woff2": "font/woff2",
    ".pdf": "application/pdf",
}


def content_type(path: Path) -> str:
    return TYPES.get(path.suffix.lower()) or mimetypes.guess_type(path.name)[0] or "application/octet-stream"


def resolve(root: Path, raw_path: str) -> tuple[str, Path | None]:
    """Map a request path to ``("file", path)``, ``("redirect", None)``,
    ``("missing", None)`` or ``("bad", None)``."""
    path = urlsplit(raw_path).path
    if not path.startswith("/") or path.startswith("//"):
        return "bad", None
    decoded = unquote(path, errors="strict") if "%" in path else path
    if "\\" in decoded or "\x00" in decoded:
        return "bad", None
    parts = decoded.split("/")[1:]
    if any(part in (".", "..") for part in parts) or any(part == "" for part in parts[:-1]):
        return "bad", None
    real_root = root.resolve()
    target = real_root.joinpath(*[p for p in parts if p])
    try:
        real = target.resolve()
    except (OSError, RuntimeError):
        return "missing", None
    if real != real_root and not real.is_relative_to(real_root):
        return "missing", None
    if real.is_dir():
        if not decoded.endswith("/"):
            return "redirect", None
        real = real / "index.html"
    if not real.is_file():
        return "missing", None
    return "file", real


class _Handler(BaseHTTPRequestHandler):
    server_version = "ssg"
    sys_version = ""
    protocol_version = "HTTP/1.1"

    def version_string(self) -> str:
        return "ssg"

    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        if self.server.verbose:  # type: ignore[attr-defined]
            super().log_message(format, *args)

    def do_HEAD(self):  # noqa: N802 - http.server's naming
        self._serve(head=True)

    def do_GET(self):  # noqa: N802
        if urlsplit(self.path).path == EVENTS_PATH and self.server.reloader is not None:  # type: ignore[attr-defined]
            self.server.reloader.stream(self)  # type: ignore[attr-defined]
            return
        if urlsplit(self.path).path == SCRIPT_PATH and self.server.reloader is not None:  # type: ignore[attr-defined]
            self._send_bytes(HTTPStatus.OK, "text/javascript; charset=utf-8", CLIENT_JS, head=False)
            return
        self._serve(head=False)

    def _serve(self, head: bool) -> None:
        root: Path = self.server.root  # type: ignore[attr-defined]
        prefix: str = self.server.prefix  # type: ignore[attr-defined]
        path = urlsplit(self.path).path
        if prefix != "/" and path in ("/", prefix.rstrip("/")):  # the site lives under its base URL's path
            self.send_response(HTTPStatus.FOUND)
            self.send_header("Location", prefix)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        try:
            if not path.startswith(prefix):
                kind, file = "missing", None
            else:
                kind, file = resolve(root, "/" + self.path[len(prefix):])
        except UnicodeDecodeError:
            kind, file = "bad", None
        if kind == "bad":
            self._send_plain(HTTPStatus.BAD_REQUEST, "Bad request\n", head)
            return
        if kind == "redirect":
            location = urlsplit(self.path).path + "/"
            query = urlsplit(self.path).query
            self.send_response(HTTPStatus.MOVED_PERMANENTLY)
            self.send_header("Location", location + (f"?{query}" if query else ""))
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        status = HTTPStatus.OK
        reloader = self.server.reloader  # type: ignore[attr-defined]
        if kind == "missing":
            status = HTTPStatus.NOT_FOUND
            file = root / "404.html"
            if not file.is_file():
                if reloader is not None and reloader.errors:  # no site yet: show why
                    page = inject(error_page(reloader.errors).encode(), client_script(reloader.generation))
                    self._send_bytes(HTTPStatus.SERVICE_UNAVAILABLE, "text/html; charset=utf-8", page, head)
                else:
                    self._send_plain(status, "Not found\n", head)
                return
        try:
            data = file.read_bytes()
            st = file.stat()
        except OSError:  # swapped away between resolve and read: try once more
            self._send_plain(HTTPStatus.NOT_FOUND, "Not found\n", head)
            return
        ctype = content_type(file)
        if ctype.startswith("text/html") and reloader is not None:
            data = inject(data, client_script(reloader.generation))
        etag = f'"{st.st_mtime_ns:x}-{len(data):x}"'
        if status == HTTPStatus.OK and self.headers.get("If-None-Match") == etag:
            self.send_response(HTTPStatus.NOT_MODIFIED)
            self.send_header("ETag", etag)
            self.send_header("Cache-Control", "no-cache")
            self.end_headers()
            return
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-cache")
        if status == HTTPStatus.OK:
            self.send_header("ETag", etag)
        self.end_headers()
        if not head:
            self.wfile.write(data)

    def _send_plain(self, status: HTTPStatus, text: str, head: bool) -> None:
        self._send_bytes(status, "text/plain; charset=utf-8", text.encode(), head)

    def _send_bytes(self, status: HTTPStatus, ctype: str, body: bytes, head: bool) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-cache")
        self.end_headers()
        if not head:
            self.wfile.write(body)


def inject(page: bytes, script: str) -> bytes:
    marker = page.rfind(b"</body>")
    snippet = script.encode("utf-8")
    return page[:marker] + snippet + page[marker:] if marker >= 0 else page + snippet


class SiteServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, host: str, port: int, root: Path, reloader: Reloader | None, verbose: bool = False,
                 prefix: str = "/"):  # fmt: skip
        """``prefix``: the path the site is served under (that of a base URL
        like ``https://example.org/news/``), "/" or "/news/"."""
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        self.address_family = family
        self.root = root
        self.prefix = prefix
        self.reloader = reloader
        self.verbose = verbose
        super().__init__((host, port), _Handler)

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        shown = f"[{host}]" if ":" in str(host) else host
        return f"http://{shown}:{port}{self.prefix}"

    def start(self) -> threading.Thread:
        thread = threading.Thread(target=self.serve_forever, name="ssg-http", daemon=True)
        thread.start()
        return thread


def error_page(errors: list[str]) -> str:
    """Shown when the very first build fails and there is no site to serve yet."""
    items = "".join(f"<li><code>{html.escape(e)}</code></li>" for e in errors)
    return (
        "<!doctype html><html lang=en><meta charset=utf-8><title>Build failed</title>"
        f"<body><h1>The site does not build yet</h1><ul>{items}</ul>"
        f"<script>window.__ssgErrors = {json.dumps(errors)}</script></body></html>"
    )

