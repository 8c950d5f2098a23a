"""Hostile text through every field: escaped for its context, never run.

48 vectors (tests/fixtures/xss_vectors.txt) go into the title, summary, tags,
credits, outlet name, author, image alt, caption and credit, the body (raw
HTML off) and a standalone page; the same vectors as URLs are refused.
"""

import json
from html.parser import HTMLParser

import feedparser
import pytest
import yaml
from playwright.sync_api import sync_playwright

from browser import launch, static_server
from conftest import FIXTURES, Site

VECTORS = [v for v in (FIXTURES / "xss_vectors.txt").read_text().splitlines() if v]
SAFE_SCRIPT_TYPES = {"application/ld+json"}


def _front(data: dict) -> str:
    return "---\n" + yaml.safe_dump(data, allow_unicode=True, sort_keys=False) + "---\n"


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    root = tmp_path_factory.mktemp("xss")
    site = Site(root)
    site.write("site.yml", "title: XSS\nbase_url: https://example.org/\nper_page: 50\n")
    site.write("content/articles/pic.svg", "<svg xmlns='http://www.w3.org/2000/svg'/>")
    for n, vector in enumerate(VECTORS):
        front = {
            "title": f"Story {n} {vector}", "date": f"2023-01-{1 + n % 28:02d}",
            "source": {"name": f"Outlet {vector}", "url": f"https://news.example.com/{n}", "author": vector},
            "credit": [f"Photo: {vector}"], "tags": [f"tag {vector}", "common"], "summary": f"Summary {vector}",
            "image": {"src": "pic.svg", "alt": f"alt {vector}", "caption": f"cap {vector}", "credit": vector},
            "slug": f"story-{n}",
        }  # fmt: skip
        site.write(f"content/articles/s{n}.md", _front(front) + f"Body {vector}\n\n{vector}\n")
    site.write("content/pages/about.md", _front({"title": f"About {VECTORS[0]}"}) + VECTORS[6] + "\n")
    result = site.ssg("build")
    assert result.code == 0, result.err
    return site


class _Audit(HTMLParser):
    def __init__(self):
        super().__init__()
        self.problems: list[str] = []
        self.scripts: list[tuple[dict, str]] = []
        self._script: dict | None = None
        self.policy = False  # the page's own Content-Security-Policy seen

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"event handler {name} on <{tag}>")
            if name in ("href", "src", "action", "formaction", "data") and value:
                scheme = value.strip().lower().replace("\t", "").replace("\n", "")
                if scheme.startswith(("javascript:", "vbscript:", "data:text")):
                    self.problems.append(f"{name}={value!r} on <{tag}>")
        if tag == "meta" and "http-equiv" in a:
            own = a["http-equiv"] == "Content-Security-Policy" and not self.policy  # the theme's, first in <head>
            self.policy = self.policy or own
            if not own:
                self.problems.append("<meta http-equiv>")
        if tag in ("iframe", "object", "embed", "base", "frame"):
            self.problems.append(f"<{tag}> from content")
        if tag == "script":
            self._script = a
            self.scripts.append((a, ""))

    def handle_endtag(self, tag):
        if tag == "script":
            self._script = None

    def handle_data(self, data):
        if self._script is not None:
            attrs, text = self.scripts[-1]
            self.scripts[-1] = (attrs, text + data)


def test_vectors_count():
    assert len(VECTORS) >= 40


def test_no_unescaped_payload_in_any_page(hostile):
    pages = list(hostile.public.rglob("*.html"))
    assert len(pages) > 100
    for page in pages:
        audit = _Audit()
        audit.feed(page.read_text(encoding="utf-8"))
        assert audit.problems == [], page
        for attrs, text in audit.scripts:
            if attrs.get("type") in SAFE_SCRIPT_TYPES:
                json.loads(text)  # JSON-LD stays JSON: no payload closed the element
                assert "</script" not in text.lower()
            else:
                assert attrs.get("src", "").startswith(("/static/search.", "/static/share.")) and not text.strip(), \
                    (page, attrs)


def test_json_ld_keeps_the_payload_as_text(hostile):
    page = (hostile.public / "2023/01/story-35/index.html").read_text()
    raw = page.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0]
    data = json.loads(raw)
    article = data[0] if isinstance(data, list) else data
    assert article["headline"] == f"Story 35 {VECTORS[35]}"


def test_feeds_are_escaped_for_xml_and_json(hostile):
    for feed in list(hostile.public.rglob("feed.xml"))[:60]:
        parsed = feedparser.parse(feed.read_bytes())
        assert parsed.bozo == 0, feed
    titles = {e.title for e in feedparser.parse((hostile.public / "feed.xml").read_bytes()).entries}
    assert f"Story 47 {VECTORS[47]}" in titles
    data = json.loads((hostile.public / "feed.json").read_text())
    assert any(item["title"] == f"Story 47 {VECTORS[47]}" for item in data["items"])


@pytest.mark.browser
def test_no_script_runs_in_a_browser(hostile):
    dialogs: list[str] = []
    with static_server(hostile.public) as origin, sync_playwright() as playwright:
        browser = launch(playwright)
        page = browser.new_page()
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.add_init_script("window.__xss = []; const a = window.alert; window.alert = (m) => { __xss.push(m); };")
        ran = []
        pages = sorted(hostile.public.rglob("*.html"))
        for file in pages:
            rel = file.relative_to(hostile.public).as_posix()
            page.goto(f"{origin}/{rel.removesuffix('index.html')}")
            page.wait_for_load_state("load")
            page.hover("body")
            ran += page.evaluate("window.__xss")
        browser.close()
    assert dialogs == [] and ran == []


@pytest.mark.parametrize("field", ["source.url", "source.archived", "image.src", "source"])
@pytest.mark.parametrize("url", ["javascript:alert(1)", "JaVaScRiPt:alert(1)", " javascript:alert(1)",
                                 "data:text/html,<script>alert(1)</script>", "vbscript:msgbox(1)",
                                 "jav\tascript:alert(1)", "//evil.example/x.js"])  # fmt: skip
def test_hostile_urls_are_refused(site, field, url):
    front = {"title": "T", "date": "2023-01-01", "source": {"name": "O", "url": "https://ok.example/1"}}
    if field == "source":
        front["source"] = url
    elif field == "image.src":
        front["image"] = {"src": url, "alt": "a"}
    else:
        front["source"][field.split(".")[1]] = url
    site.write("content/articles/a.md", _front(front) + "x\n")
    result = site.ssg("build")
    assert result.code == 1
    assert f": error: {field}: " in result.err
    assert not site.public.exists()
