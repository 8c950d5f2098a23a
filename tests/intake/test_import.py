"""`ssg import FEED`: RSS, Atom and JSON Feed files and URLs, with hostile
HTML, relative links, missing dates, duplicates and tracking parameters."""

import re
import time
from pathlib import Path

import yaml
from pages import Server, page

from conftest import FIXTURES, story

FEEDS = FIXTURES / "intake"
HOSTILE = re.compile(r"<script(?![^>]*application/ld\+json)(?! src=\"/static/share\.)"  # (the theme's own two)
                     r"|javascript:|\son[a-z]+\s*=|<iframe|alert\(\d\)</script", re.I)  # fmt: skip


def stories(site) -> dict[str, dict]:
    found = {}
    for path in sorted((site.root / "content/articles").rglob("*.md")):
        found[path.relative_to(site.root).as_posix()] = yaml.safe_load(path.read_text().split("---\n")[1])
    return found


def test_rss_import_skips_the_archived_original_and_a_second_run_makes_nothing(site):
    site.write("content/articles/old.md", story(title="Already here", name="Screen Trade",
                                                url="https://screentrade.example/2023/07/vote-date/"))
    site.write("site.yml", site.read("site.yml") + "tags:\n  strikes:\n    name: Strikes\n    aliases: [strike]\n")
    result = site.ssg("import", str(FEEDS / "rss2.xml"), "--tag", "Imported", env={"SOURCE_DATE_EPOCH": "1767225600"})
    assert result.code == 0, result.err
    assert result.out.splitlines() == [
        "made content/articles/2023/studio-posts-pulls-a-listing-for-ai-performers.md: "
        "Studio posts & pulls a listing for AI performers",
        "skipped https://screentrade.example/2023/07/vote-date: already archived by content/articles/old.md",
        "made content/articles/2026/an-item-without-a-date.md: An item without a date",
        "skipped http://www.screentrade.example/2023/07/vote-date/?fbclid=abc: already archived by "
        "content/articles/old.md",
        "skipped An item with no link at all: no link to an original",
        "2 made, 3 skipped",
    ]
    made = stories(site)["content/articles/2023/studio-posts-pulls-a-listing-for-ai-performers.md"]
    assert made["date"] == "2023-07-26T09:30:00+00:00"
    # The outlet as the archive already names it at that host, not the feed's title.
    assert made["source"] == {"name": "Screen Trade", "url": "https://screentrade.example/2023/07/ai-listing",
                              "author": "Rae Okafor", "published": "2023-07-26T09:30:00+00:00"}
    assert made["tags"] == ["Strikes", "Artificial Intelligence", "Imported"]
    assert stories(site)["content/articles/2026/an-item-without-a-date.md"]["date"] == "2026-01-01T00:00:00+00:00"
    text = site.read("content/articles/2023/studio-posts-pulls-a-listing-for-ai-performers.md")
    body = text.split("---\n", 2)[2]
    assert "[Earlier coverage](https://screentrade.example/2023/07/context)" in body  # relative: made absolute
    assert not re.search(r"(?<!\\)<", body)  # no markup: a "<" of the text is escaped
    assert not re.search(r"javascript:|data:|onmouseover|onerror|iframe", body, re.I)
    again = site.ssg("import", str(FEEDS / "rss2.xml"))
    assert again.code == 0 and again.out.splitlines()[-1] == "0 made, 5 skipped"
    assert len(stories(site)) == 3


def test_atom_and_json_feed_import_and_fold_tags(site):
    site.write("content/articles/old.md", story(title="Tagged", extra="tags: [Strikes]\n"))
    atom = site.ssg("import", str(FEEDS / "atom.xml"))
    assert atom.code == 0, atom.err
    assert atom.out.splitlines()[-1] == "2 made, 0 skipped"
    found = stories(site)
    writers = found["content/articles/2023/writers-return-to-the-table.md"]
    assert writers["title"] == "Writers return to the table"  # the title's markup is text no more
    assert writers["source"]["url"] == "https://wire.example/news/talks-resume"  # xml:base, no utm_campaign
    assert writers["source"]["author"] == ["Lee Marsh", "Ada Byrne"] and writers["tags"] == ["Strikes"]
    assert found["content/articles/2023/studios-answer-the-union.md"]["source"]["published"] == (
        "2023-08-03T11:00:00+00:00")  # no <published>: <updated>
    assert "[after weeks](https://wire.example/news/talks-timeline)" in site.read(
        "content/articles/2023/writers-return-to-the-table.md")
    assert site.ssg("import", str(FEEDS / "atom.xml")).out.splitlines()[-1] == "0 made, 2 skipped"
    feed = site.ssg("import", str(FEEDS / "feed.json"))
    assert feed.code == 0, feed.err
    backlot = stories(site)["content/articles/2023/backlot-tours-pause-for-the-strike.md"]
    assert backlot["source"] == {"name": "Picture Desk", "url": "https://pictures.example/2023/09/backlot",
                                 "author": "Mina Sol", "published": "2023-09-01T12:00:00+01:00"}
    assert backlot["tags"] == ["Strikes", "Tourism"]


def test_imported_stories_wait_and_hostile_html_stays_inert(site):
    for name in ("rss2.xml", "atom.xml", "feed.json"):
        assert site.ssg("import", str(FEEDS / name)).code == 0
    check = site.ssg("check")
    assert check.code == 0 and check.err.count("waits for review") == 7
    built = site.ssg("build")
    assert built.code == 0 and "7 stories wait for review" in built.out
    assert not (site.public / "2023").exists()
    drafts = site.ssg("build", "--drafts")
    assert drafts.code == 0, drafts.err
    pages = list(site.public.rglob("*.html")) + list(site.public.rglob("*.xml"))
    assert any("backlot" in str(p) for p in pages)
    for path in pages:
        text = path.read_text()
        assert not HOSTILE.search(text), (path, HOSTILE.search(text))
    article = (site.public / "2023/07/studio-posts-pulls-a-listing-for-ai-performers/index.html").read_text()
    assert "&lt;script&gt;alert(4)&lt;/script&gt;" in article  # the feed's escaped text stays text


def test_import_over_http_with_since_limit_and_dry_run(site):
    rss = (FEEDS / "rss2.xml").read_text()
    with Server({"/feed.xml": page(rss, "application/rss+xml")}) as server:
        url = f"{server.base}/feed.xml"
        dry = site.ssg("import", url, "--dry-run")
        assert dry.code == 0 and dry.out.splitlines()[-1] == "3 would be made (dry run: nothing was written), 2 skipped"
        assert dry.out.startswith("would make content/articles/2023/studio-posts")
        assert not stories(site)
        since = site.ssg("import", url, "--since", "2023-07-27")
        assert since.out.splitlines()[-1] == "1 made, 4 skipped", since.out
        assert "older than --since (2023-07-26)" in since.out and "no date (--since needs one)" in since.out
        limited = site.ssg("import", url, "--limit", "1")
        assert "stopped: --limit 1 reached" in limited.out and limited.out.splitlines()[-1].startswith("1 made")
        made = stories(site)
        assert all(data["intake"]["from"] == url for data in made.values())
    assert site.ssg("import", "not-a-feed.xml").code == 1
    bad = site.ssg("import", str(FIXTURES / "xss_vectors.txt"))
    assert bad.code == 1 and bad.err.startswith("ssg: error: ") and bad.err.count("\n") == 1


def test_a_feed_of_5000_entries(site, tmp_path):
    items = "".join(f"<item><title>Story number {n}</title><link>https://bulk.example/{n}?utm_source=rss</link>"
                    f"<pubDate>Mon, 0{1 + n % 9} Jan 2024 10:00:00 GMT</pubDate><category>Bulk</category>"
                    f"<description>&lt;p&gt;Entry {n} with a &lt;a href=\"/x/{n}\"&gt;link&lt;/a&gt;.&lt;/p&gt;"
                    "</description></item>" for n in range(5000))  # fmt: skip
    feed = tmp_path / "bulk.xml"
    feed.write_text(f'<?xml version="1.0"?><rss version="2.0"><channel><title>Bulk</title>{items}</channel></rss>')
    started = time.perf_counter()
    result = site.ssg("import", str(feed))
    seconds = time.perf_counter() - started
    print(f"imported 5,000 entries in {seconds:.2f} s")
    assert result.code == 0 and result.out.splitlines()[-1] == "5000 made, 0 skipped"
    assert len(list(Path(site.root / "content/articles/2024").glob("*.md"))) == 5000
    assert site.ssg("import", str(feed)).out.splitlines()[-1] == "0 made, 5000 skipped"
