"""Atom and JSON feeds: parsed by real parsers, checked against the spec."""

import json
import re

import feedparser
import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import story, tree_hashes

NOW = {"SOURCE_DATE_EPOCH": "1767225600"}  # 2026-01-01T00:00:00Z
PAGE = "https://example.org/2023/06/story/"  # a story's URL, for links made absolute
TRICKY = "Fish & chips <b>not bold</b> 🎬 مرحبا بالعالم"

# JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/): required fields and types.
AUTHOR = {"type": "object", "properties": {"name": {"type": "string"}, "url": {"type": "string"}}}
JSON_FEED_SCHEMA = {
    "type": "object",
    "required": ["version", "title", "items"],
    "properties": {
        "version": {"const": "https://jsonfeed.org/version/1.1"},
        "title": {"type": "string"},
        "home_page_url": {"type": "string", "pattern": "^https?://"},
        "feed_url": {"type": "string", "pattern": "^https?://"},
        "description": {"type": "string"},
        "language": {"type": "string"},
        "authors": {"type": "array", "items": AUTHOR},
        "items": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["id"],
                "anyOf": [{"required": ["content_html"]}, {"required": ["content_text"]}],
                "properties": {
                    "id": {"type": "string", "minLength": 1},
                    "url": {"type": "string", "pattern": "^https?://"},
                    "external_url": {"type": "string", "pattern": "^https?://"},
                    "title": {"type": "string"},
                    "content_html": {"type": "string"},
                    "summary": {"type": "string"},
                    "image": {"type": "string"},
                    "date_published": {"type": "string", "format": "date-time"},
                    "date_modified": {"type": "string", "format": "date-time"},
                    "authors": {"type": "array", "items": AUTHOR},
                    "tags": {"type": "array", "items": {"type": "string"}},
                },
            },
        },
    },
}


@pytest.fixture
def feeds_site(site):
    site.write("site.yml", "title: Feed Test\nbase_url: https://example.org/\nfeeds: {entries: 3}\n")
    for n in range(5):
        extra = "tags: [AI]\nupdated: 2023-08-20\n" if n == 1 else "tags: [AI]\n"
        site.write(f"content/articles/s{n}.md", story(title=f"Story {n}", date=f"2023-07-0{n + 1}T10:00:00Z",
                                                    extra=extra, name="Outlet One"))  # fmt: skip
    extra = "tags: [Other]\nsource:\n  name: Two\n  url: https://two.example/x\n  author: Ana B\n"
    site.write("content/articles/tricky.md", f'---\ntitle: "{TRICKY}"\ndate: 2023-06-01\n{extra}---\n'
               "Body with a [relative link](../x/) and a [footnote][^1].\n\n[^1]: Note.\n")  # fmt: skip
    site.write("content/articles/draft.md", story(title="Secret draft", extra="draft: true\ntags: [AI]\n"))
    site.write("content/articles/future.md", story(title="Embargoed", date="2027-01-01", extra="tags: [AI]\n"))
    result = site.ssg("build", env=NOW)
    assert result.code == 0, result.err
    return site


def _atom(site, rel):
    parsed = feedparser.parse((site.public / rel).read_bytes())
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    return parsed


def test_every_atom_feed_parses_cleanly(feeds_site):
    feeds = sorted(feeds_site.public.rglob("feed.xml"))
    assert [p.relative_to(feeds_site.public).as_posix() for p in feeds] == [
        "feed.xml", "sources/outlet-one/feed.xml", "sources/two/feed.xml", "tags/ai/feed.xml", "tags/other/feed.xml",
    ]  # fmt: skip
    for path in feeds:
        _atom(feeds_site, path.relative_to(feeds_site.public))


def test_site_feed_entries_order_links_dates(feeds_site):
    feed = _atom(feeds_site, "feed.xml")
    assert [e.title for e in feed.entries] == ["Story 4", "Story 3", "Story 2"]
    first = feed.entries[0]
    assert first.link == "https://example.org/2023/07/story-4/"
    related = [link for link in first.links if link.rel == "related"]
    assert related[0].href == "https://news.example.com/story-4"
    assert first.published == "2023-07-05T10:00:00+00:00"
    assert first.id.startswith("urn:uuid:")
    assert feed.feed.updated == "2023-07-05T10:00:00+00:00"
    tag_feed = _atom(feeds_site, "tags/ai/feed.xml")
    assert [e.title for e in tag_feed.entries] == ["Story 4", "Story 3", "Story 2"]
    updated = _atom(feeds_site, "sources/outlet-one/feed.xml")
    assert len(updated.entries) == 3


def test_updated_is_the_later_date(feeds_site):
    feeds_site.write("site.yml", "title: Feed Test\nbase_url: https://example.org/\n")
    assert feeds_site.ssg("build", env=NOW).code == 0
    feed = _atom(feeds_site, "feed.xml")
    by_title = {e.title: e for e in feed.entries}
    assert by_title["Story 1"].updated == "2023-08-20T00:00:00+00:00"
    assert by_title["Story 1"].published == "2023-07-02T10:00:00+00:00"
    assert feed.feed.updated == "2023-08-20T00:00:00+00:00"


def test_tricky_title_round_trips_exactly(feeds_site):
    feed = _atom(feeds_site, "tags/other/feed.xml")
    entry = feed.entries[0]
    assert entry.title == TRICKY
    assert entry.author == "Ana B"
    content = entry.content[0].value
    assert 'href="https://example.org/2023/06/x/"' in content  # relative link made absolute
    assert re.search(r'href="https://example.org/2023/06/fish-chips-b-not-bold-b-[a-z-]+/#fn1"', content)
    assert 'Originally reported by Ana B for <a href="https://two.example/x">Two</a>.' in content
    feeds_site.write("site.yml", "title: Feed Test\nbase_url: https://example.org/\n")
    assert feeds_site.ssg("build", env=NOW).code == 0
    data = json.loads((feeds_site.public / "feed.json").read_text())
    item = next(i for i in data["items"] if i["external_url"] == "https://two.example/x")
    assert item["title"] == TRICKY


def test_json_feed_matches_the_spec(feeds_site):
    data = json.loads((feeds_site.public / "feed.json").read_text(encoding="utf-8"))
    jsonschema.validate(data, JSON_FEED_SCHEMA, format_checker=jsonschema.FormatChecker())
    assert [item["title"] for item in data["items"]] == ["Story 4", "Story 3", "Story 2"]
    item = data["items"][0]
    assert item["url"] == "https://example.org/2023/07/story-4/"
    assert item["external_url"] == "https://news.example.com/story-4"
    atom_ids = [e.id for e in _atom(feeds_site, "feed.xml").entries]
    assert [i["id"] for i in data["items"]] == atom_ids


def test_ids_do_not_change_when_the_slug_does(feeds_site):
    before = {e.link: e.id for e in _atom(feeds_site, "feed.xml").entries}
    path = feeds_site.root / "content/articles/s4.md"
    path.write_text(path.read_text().replace("title: \"Story 4\"", "title: \"Story 4\"\nslug: renamed"))
    assert feeds_site.ssg("build", env=NOW).code == 0
    after = {e.link: e.id for e in _atom(feeds_site, "feed.xml").entries}
    assert after["https://example.org/2023/07/renamed/"] == before["https://example.org/2023/07/story-4/"]


def test_drafts_and_embargoed_appear_nowhere(feeds_site):
    for path in feeds_site.public.rglob("*"):
        if path.is_file() and path.suffix in (".xml", ".json", ".html", ".txt"):
            text = path.read_text(encoding="utf-8")
            assert "Secret draft" not in text and "Embargoed" not in text, path
            assert "secret-draft" not in text and "embargoed" not in text, path
    assert 'Outlet One</a> <span class="count">5 stories</span>' in feeds_site.read("public/sources/index.html")
    assert '<a href="/tags/ai/">AI</a> <span class="count">5</span>' in feeds_site.read("public/tags/index.html")


def test_autodiscovery_links(feeds_site):
    for path in feeds_site.public.rglob("*.html"):
        html = path.read_text()
        assert '<link rel="alternate" type="application/atom+xml" title="Feed Test (Atom)" href="/feed.xml">' in html
        assert 'type="application/feed+json" title="Feed Test (JSON Feed)" href="/feed.json">' in html
    tag_page = feeds_site.read("public/tags/ai/index.html")
    assert 'type="application/atom+xml" title="Feed Test: AI (Atom)" href="/tags/ai/feed.xml">' in tag_page
    source_page = feeds_site.read("public/sources/two/index.html")
    assert 'href="/sources/two/feed.xml"' in source_page


def test_feeds_are_byte_identical_across_builds(feeds_site, tmp_path):
    first = {k: v for k, v in tree_hashes(feeds_site.public).items() if k.endswith((".xml", ".json", ".txt"))}
    result = feeds_site.ssg_process("build", env={**NOW, "PYTHONHASHSEED": "987"})
    assert result.code == 0, result.err
    second = {k: v for k, v in tree_hashes(feeds_site.public).items() if k.endswith((".xml", ".json", ".txt"))}
    assert first == second and len(first) >= 8


_VALUES = st.sampled_from(["https://a.example/x?p=1&amp;q=2", "mailto:x@y", "/2023/06/x/", "../x/", "x.jpg",
                           "#fn1", "//cdn.example/y", "?q=a&amp;b", "", "javascript:void(0)", "a b"])  # fmt: skip
_ATTRIBUTE = st.tuples(st.sampled_from([" ", "\n", "\t", "", "-"]), st.sampled_from(["href", "src", "class", "id",
                       "data-src", "title", "xhref"]), _VALUES).map(lambda a: f'{a[0]}{a[1]}="{a[2]}"')  # fmt: skip
_TAG = st.tuples(st.sampled_from(["a", "img", "p", "sup"]), st.lists(_ATTRIBUTE, max_size=4),
                 st.text("ab <&=", max_size=8).map(lambda t: t.replace("<", "&lt;")))  # fmt: skip
_HTML = st.lists(_TAG.map(lambda t: f"<{t[0]}{''.join(t[1])}>{t[2]}</{t[0]}>"), max_size=8).map("".join)


@settings(max_examples=400, deadline=None)
@given(_HTML)
def test_relative_links_in_a_body_are_made_absolute_as_a_plain_scan_does(html):
    """absolute_html (a pattern starting with the literal '="', the attribute's name checked after)
    gives what a scan for every whitespace-preceded src/href attribute gives."""
    from urllib.parse import urljoin

    from generator.plan.feeds import absolute_html

    def fix(match):
        if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", match[2]):
            return match[0]
        return match[1] + urljoin(PAGE, match[2].replace("&amp;", "&")).replace("&", "&amp;") + match[3]

    assert absolute_html(html, PAGE) == re.sub(r'(\s(?:src|href)=")([^"]*)(")', fix, html)

