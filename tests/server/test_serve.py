"""`ssg serve`: a proper static host, safe, live-reloading, never half-built."""

import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from conftest import Site, sample_copy, story
from servekit import serving

LIVE = re.compile(r"<script src=\"/__ssg__/reload.js\" data-ssg-livereload data-generation=\"\d+\"></script>")


@pytest.fixture
def sample(tmp_path):
    sample_copy(tmp_path)
    return Site(tmp_path)


def _get(session, path, method="GET", headers=None):
    host, port = session.server.server_address[:2]
    conn = http.client.HTTPConnection(host, port, timeout=10)
    conn.request(method, path, headers=headers or {})
    response = conn.getresponse()
    body = response.read()
    conn.close()
    return response, body


def _raw(session, line: bytes) -> bytes:
    host, port = session.server.server_address[:2]
    with socket.create_connection((host, port), timeout=10) as sock:
        sock.sendall(line + b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def test_static_host_behaviour(sample):
    with serving(sample.root) as session:
        response, body = _get(session, "/2023/07/netflix-ai-job/")
        assert response.status == 200
        assert response.getheader("Content-Type") == "text/html; charset=utf-8"
        assert response.getheader("Cache-Control") == "no-cache"
        assert b"data-ssg-livereload" in body
        assert session.url.encode() + b"2023/07/netflix-ai-job/" in body  # base_url is the server's own
        etag = response.getheader("ETag")
        response, _ = _get(session, "/2023/07/netflix-ai-job/", headers={"If-None-Match": etag})
        assert response.status == 304
        response, _ = _get(session, "/tags")
        assert response.status == 301 and response.getheader("Location") == "/tags/"
        response, body = _get(session, "/no/such/page/")
        assert response.status == 404 and b"Page not found" in body
        for path, ctype in [("/feed.xml", "application/xml"), ("/feed.json", "application/json"),
                            ("/2023/07/netflix-ai-job/netflix-ai-job.svg", "image/svg+xml"),
                            ("/robots.txt", "text/plain; charset=utf-8")]:  # fmt: skip
            response, _ = _get(session, path)
            assert (response.status, response.getheader("Content-Type")) == (200, ctype), path
        response, body = _get(session, "/", method="HEAD")
        assert response.status == 200 and body == b""
        _, body = _get(session, "/__ssg__/events".replace("events", "nope"))
    on_disk = (sample.root / ".ssg-cache/serve/public/index.html").read_text()
    assert "data-ssg-livereload" not in on_disk
    assert not (sample.root / "public").exists()  # serve never writes public/


@pytest.mark.parametrize("attempt", [b"/../site.yml", b"/%2e%2e/%2e%2e/etc/passwd", b"/..%5csite.yml",
                                     b"//etc/passwd", b"/%2e%2e%2f%2e%2e%2fsite.yml", b"/static/../../site.yml",
                                     b"/%00/etc/passwd", b"/..%2f..%2f..%2fetc/passwd"])  # fmt: skip
def test_traversal_attempts_never_leak(sample, attempt):
    secret = (sample.root / "site.yml").read_bytes()
    with serving(sample.root) as session:
        reply = _raw(session, b"GET " + attempt)
    status = int(reply.split(b" ", 2)[1])
    assert status in (400, 404), reply[:200]
    assert secret[:40] not in reply and b"root:x:0:0" not in reply


def test_links_out_of_the_output_are_not_followed(sample):
    with serving(sample.root) as session:
        os.symlink(sample.root / "site.yml", session.output / "leak.txt")
        response, body = _get(session, "/leak.txt")
        assert response.status == 404 and b"base_url" not in body


def test_edit_rebuilds_and_failed_build_keeps_the_last_good_site(sample):
    path = sample.root / "content/articles/2023/netflix-ai-job.md"
    with serving(sample.root) as session:
        generation = session.reloader.generation
        path.write_text(path.read_text().replace('title: "Netflix lists', 'title: "Edited: Netflix lists'))
        _wait(lambda: session.reloader.generation > generation)
        _, body = _get(session, "/2023/07/netflix-ai-job/")
        assert b'<h1 data-pagefind-meta="title">Edited: Netflix lists' in body
        good = body
        path.write_text(path.read_text().replace("date: 2023-07-26T09:30:00", "date: 2023-02-30"))
        _wait(lambda: session.reloader.errors)
        assert session.reloader.errors == [
            "content/articles/2023/netflix-ai-job.md:3:7: error: date: invalid date '2023-02-30': "
            "day is out of range for month"
        ]
        _, body = _get(session, "/2023/07/netflix-ai-job/")
        assert LIVE.sub("", body.decode()) == LIVE.sub("", good.decode())
        events = _raw_events(session)
        assert events["errors"] == session.reloader.errors


def test_the_first_edit_brings_a_copy_made_after_the_first_build_up_to_date(sample):
    """While the editor reads the first build, serve links a copy of its
    output as the spare tree: the first edit's build brings that copy up to
    date and swaps it in, instead of linking a whole new tree itself."""
    path = sample.root / "content/articles/2023/netflix-ai-job.md"
    spare = sample.root / ".ssg-cache/spare"
    with serving(sample.root) as session:
        assert session.spare_ready.wait(10)
        page = session.output / "2023/07/netflix-ai-job/index.html"
        assert os.stat(spare / "2023/07/netflix-ai-job/index.html").st_ino == os.stat(page).st_ino
        copy = os.stat(spare).st_ino
        generation = session.reloader.generation
        path.write_text(path.read_text().replace('title: "Netflix lists', 'title: "Edited: Netflix lists'))
        _wait(lambda: session.reloader.generation > generation)
        assert os.stat(session.output).st_ino == copy  # the copy, brought up to date, is the site now
        _, body = _get(session, "/2023/07/netflix-ai-job/")
        assert b'<h1 data-pagefind-meta="title">Edited: Netflix lists' in body


def _raw_events(session) -> dict:
    host, port = session.server.server_address[:2]
    with socket.create_connection((host, port), timeout=5) as sock:
        sock.sendall(b"GET /__ssg__/events HTTP/1.1\r\nHost: x\r\n\r\n")
        data = b""
        while b"\n\n" not in data.split(b"\r\n\r\n", 1)[-1]:
            data += sock.recv(4096)
    payload = data.split(b"data: ", 1)[1].split(b"\n", 1)[0]
    return json.loads(payload)


def _wait(condition, timeout=10.0):
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.05)


def test_load_while_rebuilding_serves_only_complete_builds(sample, tmp_path):
    path = sample.root / "content/articles/2023/netflix-ai-job.md"
    original = path.read_text()
    variants = [original, original.replace('title: "Netflix lists', 'title: "Variant B: Netflix lists')]
    urls = ["/", "/2023/07/netflix-ai-job/", "/tags/ai/", "/2023/07/", "/no-such/"]
    with serving(sample.root) as session:
        expected: dict[str, set[str]] = {url: set() for url in urls}
        for text in variants:  # every complete build the test can see
            path.write_text(text)
            session.rebuild()
            for url in urls:
                expected[url].add(LIVE.sub("", _get(session, url)[1].decode()))
        stop = threading.Event()

        def edit_loop():
            n = 0
            while not stop.is_set():
                path.write_text(variants[n % 2])
                session.rebuild()
                n += 1

        editor = threading.Thread(target=edit_loop)
        editor.start()
        statuses: list[int] = []
        mismatches: list[str] = []

        def fetch(i):
            url = urls[i % len(urls)]
            response, body = _get(session, url)
            statuses.append(response.status)
            if LIVE.sub("", body.decode()) not in expected[url]:
                mismatches.append(url)

        started = time.monotonic()
        with ThreadPoolExecutor(50) as pool:
            list(pool.map(fetch, range(2000)))
        stop.set()
        editor.join()
        assert time.monotonic() - started < 120
    assert len(statuses) == 2000
    assert set(statuses) <= {200, 404}
    assert statuses.count(404) == 400
    assert mismatches == []


def test_port_in_use_and_port_zero(sample):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        proc = subprocess.run([sys.executable, "-m", "generator", "serve", "--port", str(port)],
                              cwd=sample.root, capture_output=True, text=True, timeout=60)  # fmt: skip
    assert proc.returncode == 1
    assert proc.stderr == f"ssg: error: port {port} on 127.0.0.1 is in use; choose another with --port " \
                          "(0 picks a free one)\n"


def test_ctrl_c_stops_cleanly(sample):
    # As from a terminal: Ctrl-C's signal handled (a suite started in the background, `pytest &`, has it
    # ignored, and a child inherits that, so Python would not turn it into KeyboardInterrupt).
    proc = subprocess.Popen([sys.executable, "-m", "generator", "serve", "--port", "0"], cwd=sample.root,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))  # fmt: skip
    line = ""
    deadline = time.monotonic() + 60
    while "Serving" not in line and time.monotonic() < deadline:
        line = proc.stdout.readline()
    url = re.search(r"http://127\.0\.0\.1:\d+/", line).group(0)
    assert url.endswith("/") and ":0/" not in url
    proc.send_signal(signal.SIGINT)
    assert proc.wait(20) == 0
    leftovers = [p.name for p in (sample.root / ".ssg-cache/serve").iterdir() if "ssg-tmp" in p.name]
    assert leftovers == []


def test_build_output_never_contains_the_reload_script(sample):
    assert sample.ssg("build").code == 0
    for page in sample.public.rglob("*.html"):
        assert "data-ssg-livereload" not in page.read_text()


def test_first_build_failing_shows_the_errors(tmp_path):
    site = Site(tmp_path)
    site.write("site.yml", "title: T\nbase_url: https://example.org/\n")
    site.write("content/articles/a.md", story(title="A", date="2023-13-40"))
    with serving(site.root) as session:
        response, body = _get(session, "/")
        assert response.status == 503
        assert b"content/articles/a.md:3:7: error: date: invalid date" in body
        assert b"data-ssg-livereload" in body


def test_a_site_under_a_sub_path_is_previewed_at_that_path(sample):
    config = sample.read("site.yml")
    base = re.search(r"^base_url: *(\S+)", config, re.M)[1]
    sample.write("site.yml", config.replace(base, "https://example.org/news/archive/"))
    with serving(sample.root) as session:
        assert session.url.endswith("/news/archive/")
        for path in ("/", "/news/archive"):
            response, _ = _get(session, path)
            assert (response.status, response.getheader("Location")) == (302, "/news/archive/")
        response, body = _get(session, "/news/archive/2023/07/netflix-ai-job/")
        assert response.status == 200
        assert b'href="/news/archive/tags/"' in body  # every link under the sub-path
        response, _ = _get(session, "/news/archive/static")
        assert (response.status, response.getheader("Location")) == (301, "/news/archive/static/")
        response, body = _get(session, "/2023/07/netflix-ai-job/")  # outside the site's path: not the site
        assert response.status == 404 and b"data-ssg-livereload" in body  # (the site's 404 page)
        response, body = _get(session, "/__ssg__/reload.js")
        assert response.status == 200 and b"EventSource" in body
