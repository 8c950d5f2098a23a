"""Local HTTP servers for the intake tests: news pages, feeds, a web archive
endpoint, and servers that misbehave (never the outside network)."""

from __future__ import annotations

import http.server
import threading

OG_ONLY = """<!doctype html><html><head><meta charset="utf-8">
<title>Casting call for digital doubles | Screen Trade Weekly</title>
<meta property="og:title" content="Casting call for digital doubles">
<meta property="og:site_name" content="Screen Trade Weekly">
<meta property="og:url" content="https://screentrade.example/2023/07/digital-doubles?utm_source=share&amp;id=7">
<meta property="og:description" content="A studio listed a job for an AI specialist &amp; took it down a day later.">
<meta property="article:published_time" content="2023-07-14T08:00:00+00:00">
<meta property="article:author" content="https://screentrade.example/staff/rae">
<meta name="author" content="Rae Okafor">
</head><body><p>Page text that intake never copies.</p><script>alert(1)</script></body></html>"""

LD_ONLY = """<!doctype html><html><head><meta charset="utf-8"><title>Site</title>
<script type="application/ld+json">{"@context": "https://schema.org", "@graph": [
 {"@type": "WebSite", "name": "Wire Desk"},
 {"@type": "NewsArticle", "headline": "Talks resume after a long pause",
  "datePublished": "2023-08-02T08:15:00Z", "author": [{"@type": "Person", "name": "Lee Marsh"},
  {"@type": "Person", "name": "Ada Byrne"}], "publisher": {"@type": "Organization", "name": "Wire Desk"},
  "description": "Negotiators met again on Wednesday.", "url": "https://wire.example/news/talks-resume"}]}
</script></head><body><h1>Talks resume</h1></body></html>"""

BOTH = """<!doctype html><html><head><meta charset="utf-8">
<link rel="canonical" href="/2023/09/backlot?fbclid=abc">
<meta property="og:title" content="You won't believe what the backlot did | Picture Desk">
<meta property="og:site_name" content="Picture Desk">
<meta property="article:published_time" content="2023-09-02T10:00:00Z">
<meta property="og:description" content="Teaser text.">
<script type="application/ld+json">{"@context": "https://schema.org", "@type": "NewsArticle",
 "headline": "Backlot tours pause for the strike", "datePublished": "2023-09-01T12:00:00+01:00",
 "author": {"@type": "Person", "name": "Mina Sol"}, "publisher": {"name": "Picture Desk"},
 "description": "Tours stop while the strike lasts."}</script>
</head><body></body></html>"""

BARE = """<!doctype html><html><head><title>Plain page with no metadata</title></head>
<body><p>Nothing but text.</p></body></html>"""

HITS: dict[str, int] = {}


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    routes: dict = {}

    def log_message(self, *args):
        pass

    def do_GET(self):  # noqa: N802
        path = self.path
        HITS[path] = HITS.get(path, 0) + 1
        for prefix, answer in self.routes.items():
            if path == prefix or (prefix.endswith("*") and path.startswith(prefix[:-1])):
                answer(self)
                return
        self.send(404, b"not here", "text/plain")

    def send(self, status, body=b"", kind="text/html; charset=utf-8", headers=None):
        self.send_response(status)
        self.send_header("Content-Type", kind)
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def page(html: str, kind: str = "text/html; charset=utf-8"):
    return lambda handler: handler.send(200, html.encode(), kind)


def redirect(to: str):
    return lambda handler: handler.send(302, b"", headers={"Location": to})


def huge(handler):
    """50 MB, in chunks, with no Content-Length: the limit must be counted, not announced."""
    handler.send_response(200)
    handler.send_header("Content-Type", "text/html")
    handler.send_header("Connection", "close")
    handler.end_headers()
    chunk = b"<p>" + b"x" * 65536 + b"</p>"
    try:
        for _ in range(50 * 2**20 // len(chunk)):
            handler.wfile.write(chunk)
    except OSError:
        pass  # the client gave up, as it should
    handler.close_connection = True


def silent(handler):
    """Never answers (until the test is over: the server closing ends it)."""
    handler.server.over.wait(4)
    handler.close_connection = True


class Server:
    """A ThreadingHTTPServer on 127.0.0.1 with routes ``{path: answer}``."""

    def __init__(self, routes: dict):
        handler = type("RoutedHandler", (Handler,), {"routes": routes})
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.httpd.daemon_threads = False  # (closing waits for the requests' threads: no test leaves one running)
        self.httpd.over = threading.Event()  # set as it closes
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.over.set()
        self.httpd.shutdown()
        self.httpd.server_close()
