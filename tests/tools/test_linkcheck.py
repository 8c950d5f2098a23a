"""`ssg check --links` against local HTTP servers (never the outside world)."""

import http.server
import socket
import time

from conftest import local_server, story

HITS: dict[str, int] = {}


class _Origin(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def _answer(self):
        path = self.path.split("?")[0]
        HITS[path] = HITS.get(path, 0) + 1
        if path == "/ok":
            self._send(200)
        elif path == "/gone":
            self._send(410)
        elif path == "/missing":
            self._send(404)
        elif path == "/moved":
            self._send(301, {"Location": "/ok"})
        elif path == "/slow":
            time.sleep(2)
            self._send(200)
        elif path == "/flaky":
            self._send(503 if HITS[path] == 1 else 200)
        elif path == "/no-head":
            self._send(405 if self.command == "HEAD" else 200)
        elif path == "/reset":
            self.connection.shutdown(socket.SHUT_RDWR)
            self.close_connection = True

    def _send(self, status, headers=None):
        self.send_response(status)
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_HEAD = _answer
    do_GET = _answer


def origin():
    return local_server(_Origin)


def test_link_check_reports_dead_moved_and_retried_links(site):
    HITS.clear()
    with origin() as base:
        paths = ["ok", "gone", "missing", "moved", "slow", "flaky", "no-head", "reset"]
        for n, path in enumerate(paths):
            body = f"See [more]({base}/ok)." if path == "ok" else "Text."
            text = story(title=f"S {path}", url=f"{base}/{path}", name="Dead Outlet" if n % 2 else "Live Outlet",
                         body=body)  # fmt: skip
            site.write(f"content/articles/{path}.md", text)
        archived = (f"---\ntitle: Archived\ndate: 2023-07-26\nsource:\n  name: Dead Outlet\n"
                    f"  url: {base}/missing?again=1\n  archived: https://web.archive.org/web/2023/x\n---\nx\n")
        site.write("content/articles/archived.md", archived)
        result = site.ssg("check", "--links", "--timeout", "0.5")
        assert result.code == 0, result.err
        out = result.out
        assert f"content/articles/gone.md:6:8: warning: source.url: dead link (HTTP 410): {base}/gone; add " \
               f"source.archived: a saved copy, e.g. from https://web.archive.org/web/*/{base}/gone" in out
        assert f"content/articles/missing.md:6:8: warning: source.url: dead link (HTTP 404): {base}/missing;" in out
        no_hint = f"archived.md:6:8: warning: source.url: dead link (HTTP 404): {base}/missing?again=1\n"
        assert no_hint in out  # an archived copy exists: no hint
        assert f"content/articles/moved.md:6:8: warning: source.url: redirects to {base}/ok" in out
        assert f"content/articles/slow.md:6:8: warning: source.url: dead link (timed out): {base}/slow" in out
        assert "content/articles/reset.md:6:8: warning: source.url: dead link (" in out
        assert "flaky.md" not in out and "no-head.md" not in out and "ok.md" not in out.replace("/ok", "")
        assert HITS["/flaky"] == 2 and HITS["/slow"] == 3  # retried with backoff
        assert "Links: 9 URLs, 9 checked now, 0 from the last 24 h; 5 dead" in out
        assert "  Dead Outlet: 3 dead source links" in out

        strict = site.ssg("check", "--links", "--strict", "--timeout", "0.5")
        assert strict.code == 1
        assert "Links: 9 URLs, 0 checked now, 9 from the last 24 h; 5 dead" in strict.out  # the result cache
        assert HITS["/gone"] == 1
        fresh = site.ssg("check", "--links", "--max-age", "0", "--timeout", "0.5")
        assert "9 checked now" in fresh.out and HITS["/gone"] == 2


def test_plain_check_makes_no_request(site):
    HITS.clear()
    with origin() as base:
        site.write("content/articles/a.md", story(title="A", url=f"{base}/gone"))
        assert site.ssg("check").code == 0
    assert HITS == {}
