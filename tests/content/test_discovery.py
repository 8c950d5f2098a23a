"""Sitemaps, robots.txt, head metadata, JSON-LD, and sub-path base URLs."""

import json
import re
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit

from lxml import etree

from conftest import BASIC_CONFIG, story

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "n": "http://www.google.com/schemas/sitemap-news/0.9"}
NOW = {"SOURCE_DATE_EPOCH": "1767225600"}  # 2026-01-01T00:00:00Z
URLSET = "{http://www.sitemaps.org/schemas/sitemap/0.9}urlset"
INDEX = "{http://www.sitemaps.org/schemas/sitemap/0.9}sitemapindex"


def _locs(path):
    tree = etree.parse(str(path))
    return tree, [loc.text for loc in tree.iterfind(".//s:loc", NS)]


def _file_for(public, url, base="https://example.org/"):
    assert url.startswith(base), url
    rel = url[len(base):]
    return public / (rel + "index.html" if rel.endswith("/") or rel == "" else rel)


def test_sitemap_lists_every_page_with_lastmod(site):
    for n in range(3):
        site.write(f"content/articles/s{n}.md", story(title=f"S{n}", extra="tags: [T]\n"))
    site.write("content/pages/about.md", "---\ntitle: About\n---\nx\n")
    assert site.ssg("build", env=NOW).code == 0
    tree, locs = _locs(site.public / "sitemap.xml")
    assert tree.getroot().tag == URLSET
    html_files = {p for p in site.public.rglob("*.html") if p.name != "404.html"}
    assert {_file_for(site.public, loc) for loc in locs} == html_files
    assert len(locs) == len(set(locs))
    lastmods = {u.findtext("s:loc", namespaces=NS): u.findtext("s:lastmod", namespaces=NS)
                for u in tree.iterfind("s:url", NS)}  # fmt: skip
    assert lastmods["https://example.org/2023/07/s1/"] == "2023-07-26T00:00:00+00:00"
    assert lastmods["https://example.org/about/"] is None
    assert site.read("public/robots.txt") == "User-agent: *\nAllow: /\n\nSitemap: https://example.org/sitemap.xml\n"


def test_sitemap_index_past_the_limit(site):
    site.write("site.yml", "title: T\nbase_url: https://example.org/\nper_page: 50\nsitemap: {limit: 50}\n")
    for n in range(120):
        site.write(f"content/articles/s{n:03d}.md", story(title=f"S{n:03d}", date="2023-07-01"))
    assert site.ssg("build", env=NOW).code == 0
    tree, parts = _locs(site.public / "sitemap.xml")
    assert tree.getroot().tag == INDEX
    assert parts == [f"https://example.org/sitemap-{n}.xml" for n in (1, 2, 3)]
    all_locs = []
    for part in parts:
        part_tree, locs = _locs(_file_for(site.public, part))
        assert part_tree.getroot().tag == URLSET
        assert len(locs) <= 50
        all_locs += locs
    # 120 stories, 3 home pages, tag, source and archive indexes, 3 source pages, a year and a month.
    assert len(all_locs) == 131 == len(set(all_locs))
    for loc in all_locs:
        assert _file_for(site.public, loc).is_file(), loc


def test_news_sitemap_holds_only_the_last_two_days(site):
    site.write("site.yml", "title: News Desk\nbase_url: https://example.org/\nnews_sitemap: true\n")
    site.write("content/articles/old.md", story(title="Old", date="2025-12-29T23:00:00Z"))
    site.write("content/articles/recent.md", story(title="Recent & new", date="2025-12-30T01:00:00Z"))
    site.write("content/articles/today.md", story(title="Today", date="2025-12-31T12:00:00Z"))
    assert site.ssg("build", env=NOW).code == 0
    tree, locs = _locs(site.public / "sitemap-news.xml")
    assert locs == ["https://example.org/2025/12/today/", "https://example.org/2025/12/recent-new/"]
    titles = [t.text for t in tree.iterfind(".//n:title", NS)]
    assert titles == ["Today", "Recent & new"]
    assert [t.text for t in tree.iterfind(".//n:name", NS)] == ["News Desk", "News Desk"]
    assert tree.findtext(".//n:language", namespaces=NS) == "en"
    assert tree.findtext(".//n:publication_date", namespaces=NS) == "2025-12-31T12:00:00+00:00"
    assert "Sitemap: https://example.org/sitemap-news.xml" in site.read("public/robots.txt")


class _Head(HTMLParser):
    def __init__(self):
        super().__init__()
        self.meta, self.links, self.scripts, self._in_ld = {}, [], [], False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "meta":
            key = a.get("property") or a.get("name")
            self.meta.setdefault(key, []).append(a.get("content"))
        elif tag == "link":
            self.links.append(a)
        elif tag == "script" and a.get("type") == "application/ld+json":
            self._in_ld = True
            self.scripts.append("")

    def handle_endtag(self, tag):
        self._in_ld = self._in_ld and tag != "script"

    def handle_data(self, data):
        if self._in_ld:
            self.scripts[-1] += data


def _head(path):
    parser = _Head()
    parser.feed(path.read_text(encoding="utf-8"))
    ld = [json.loads(s) for s in parser.scripts]
    items = [x for block in ld for x in (block if isinstance(block, list) else [block])]
    return parser, items


def test_json_ld_and_open_graph_on_every_article(site):
    site.write("site.yml", BASIC_CONFIG + "images:\n  allow_remote: true\n")  # (tests/media/ has local photos)
    payload = "</script><script>alert(1)</script>"
    extra = f'tags: [AI, Labour]\nimage:\n  src: https://img.example/p.jpg\n  alt: "A {payload}"\n'
    site.write("content/articles/a.md", story(title=f"Headline {payload}", extra=extra))
    site.write("content/articles/b.md", "---\ntitle: B\ndate: 2023-07-02\nsource:\n  name: Src\n  url: "
               "https://src.example/b\n  author: [Jo A, Li B]\n  published: 2023-07-01\n---\nText.\n")  # fmt: skip
    assert site.ssg("build").code == 0
    articles = sorted(site.public.glob("2023/07/*/index.html"))
    assert len(articles) == 2
    for path in articles:
        head, items = _head(path)
        article = next(i for i in items if i["@type"] == "NewsArticle")
        for key in ("headline", "datePublished", "dateModified", "author", "publisher", "isBasedOn", "citation"):
            assert article[key], key
        assert all(a["name"] for a in article["author"])
        assert article["citation"]["@type"] == "CreativeWork"
        crumbs = next(i for i in items if i["@type"] == "BreadcrumbList")
        assert crumbs["itemListElement"][0]["item"] == "https://example.org/"
        assert head.meta["og:type"] == ["article"]
        assert head.meta["article:published_time"][0].startswith("2023-07-")
        assert head.meta["og:url"] == [article["url"]]
    head, items = _head(site.public / "2023/07/headline-script-script-alert-1-script/index.html")
    article = items[0]
    assert article["headline"] == f"Headline {payload}"
    assert article["isBasedOn"] == "https://news.example.com/headline---script--script-alert-1---script-"
    assert article["image"] == [{"@type": "ImageObject", "url": "https://img.example/p.jpg",
                                 "contentUrl": "https://img.example/p.jpg"}]  # fmt: skip
    assert article["keywords"] == ["AI", "Labour"]
    assert head.meta["article:tag"] == ["AI", "Labour"]
    assert head.meta["twitter:card"] == ["summary_large_image"]
    assert head.meta["og:image"] == ["https://img.example/p.jpg"]
    raw = (site.public / "2023/07/headline-script-script-alert-1-script/index.html").read_text()
    assert raw.count("<script") == 2  # the JSON-LD element itself and the theme's share.js
    assert re.search(r'<script src="/static/share\.[0-9a-f]{10}\.js" defer></script>', raw)
    _, items = _head(site.public / "2023/07/b/index.html")
    assert [a["name"] for a in items[0]["author"]] == ["Jo A", "Li B"]
    assert items[0]["isBasedOn"] == "https://src.example/b"
    assert items[0]["citation"]["datePublished"] == "2023-07-01"


def test_list_pages_have_collection_page_and_breadcrumbs(site):
    site.write("content/articles/a.md", story(title="A", extra="tags: [AI]\n"))
    assert site.ssg("build").code == 0
    _, items = _head(site.public / "tags/ai/index.html")
    assert [i["@type"] for i in items] == ["CollectionPage", "BreadcrumbList"]
    names = [e["name"] for e in items[1]["itemListElement"]]
    assert names == ["Home", "Tags", "AI"]
    _, items = _head(site.public / "index.html")
    assert [i["@type"] for i in items] == ["CollectionPage"]


def test_canonical_is_the_original_for_syndicated_copies(site):
    site.write("content/articles/a.md", story(title="A", extra="syndicated: true\n"))
    site.write("content/articles/b.md", story(title="B"))
    assert site.ssg("build").code == 0
    assert '<link rel="canonical" href="https://news.example.com/a">' in site.read("public/2023/07/a/index.html")
    assert '<link rel="canonical" href="https://example.org/2023/07/b/">' in site.read("public/2023/07/b/index.html")


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.urls.append(value)


def test_sub_path_base_url_has_no_escaping_link(site):
    site.write("site.yml", "title: T\nbase_url: https://example.org/archive/\nper_page: 2\n")
    site.write("content/articles/pic.svg", "<svg xmlns='http://www.w3.org/2000/svg'/>")
    for n in range(5):
        extra = "tags: [AI]\nimage: {src: pic.svg, alt: A picture}\n" if n == 0 else "tags: [AI]\n"
        site.write(f"content/articles/s{n}.md", story(title=f"S{n}", extra=extra, body="See [s1](../s1/)."))
    site.write("content/pages/about.md", "---\ntitle: About\n---\nx\n")
    assert site.ssg("build").code == 0
    base = "https://example.org/archive/"
    checked = 0
    for page in site.public.rglob("*.html"):
        rel = page.relative_to(site.public).as_posix()
        page_url = base + (rel[: -len("index.html")] if rel.endswith("index.html") else rel)
        parser = _Links()
        parser.feed(page.read_text())
        for url in parser.urls:
            absolute = urldefrag(urljoin(page_url, url)).url
            if urlsplit(absolute).hostname != "example.org":
                continue  # the originals
            assert absolute.startswith(base), (page, url)
            target = absolute[len(base):]
            target = site.public / (target + "index.html" if target.endswith("/") or not target else target)
            assert target.is_file(), (page, url)
            checked += 1
    assert checked > 100
    for feed in ("feed.xml", "sitemap.xml", "robots.txt"):
        for url in re.findall(r"https?://[^\s\"<]+", site.read(f"public/{feed}")):
            if "example.org" in url:
                assert url.startswith("https://example.org/archive/"), (feed, url)
