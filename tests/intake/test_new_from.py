"""`ssg new --from URL`: a page's own metadata fills the front matter; the
new story waits for review; failures write nothing."""

import re

import yaml
from pages import BARE, BOTH, LD_ONLY, OG_ONLY, Server, huge, page, redirect, silent


def front(text: str) -> dict:
    return yaml.safe_load(text.split("---\n")[1])


def routes() -> dict:
    return {"/og": page(OG_ONLY), "/ld": page(LD_ONLY), "/both": page(BOTH), "/bare": page(BARE),
            "/photo": page("\x89PNG", "image/png"), "/loop-a": redirect("/loop-b"), "/loop-b": redirect("/loop-a"),
            "/huge": huge, "/silent": silent, "/moved": redirect("/og")}  # fmt: skip


def test_open_graph_page_fills_the_front_matter_and_a_second_run_names_the_file(site):
    with Server(routes()) as server:
        result = site.ssg("new", "--from", f"{server.base}/moved", "--date", "2026-01-05")
        assert result.code == 0, result.err
        rel = result.out.strip()
        assert rel == "content/articles/2026/casting-call-for-digital-doubles.md"
        data = front(site.read(rel))
        assert data["title"] == "Casting call for digital doubles"  # Open Graph's, not <title>'s "| outlet"
        assert data["date"] == "2026-01-05"  # --date without a time: a date without a time
        assert data["source"] == {
            "name": "Screen Trade Weekly",
            "url": "https://screentrade.example/2023/07/digital-doubles?id=7",  # og:url without utm_source
            "author": "Rae Okafor",  # article:author is a profile URL: the author meta names the person
            "published": "2023-07-14T08:00:00+00:00",
        }
        assert data["intake"]["from"] == f"{server.base}/moved" and data["intake"]["reviewed"] is False
        body = site.read(rel).split("---\n", 2)[2]
        assert body == "A studio listed a job for an AI specialist & took it down a day later.\n"
        assert "Page text" not in site.read(rel)  # the page's own text is never copied
        again = site.ssg("new", "--from", f"{server.base}/og")
        assert again.code == 1
        assert again.err == (f"ssg: error: {server.base}/og is already archived by {rel} "
                             "(as https://screentrade.example/2023/07/digital-doubles?id=7); nothing was written\n")
        also = site.ssg("new", "Another title", "--source", "http://www.screentrade.example/2023/07/digital-doubles/?id=7")
        assert also.code == 1 and f"is already archived by {rel}" in also.err


def test_json_ld_only_and_json_ld_winning_over_open_graph(site):
    with Server(routes()) as server:
        made = site.ssg("new", "--from", f"{server.base}/ld")
        assert made.code == 0, made.err
        data = front(site.read(made.out.strip()))
        assert data["title"] == "Talks resume after a long pause"
        assert data["source"] == {"name": "Wire Desk", "url": "https://wire.example/news/talks-resume",
                                  "author": ["Lee Marsh", "Ada Byrne"], "published": "2023-08-02T08:15:00+00:00"}
        both = site.ssg("new", "--from", f"{server.base}/both")
        assert both.code == 0, both.err
        data = front(site.read(both.out.strip()))
        # JSON-LD wins where both say something: its headline, its date and its author.
        assert data["title"] == "Backlot tours pause for the strike"
        assert data["source"]["published"] == "2023-09-01T12:00:00+01:00"
        assert data["source"]["author"] == "Mina Sol"
        # <link rel=canonical>, relative, made absolute against the page; fbclid dropped.
        assert data["source"]["url"] == f"{server.base}/2023/09/backlot"
        assert "title: Backlot tours pause for the strike (JSON-LD)" in both.err


def test_page_without_metadata_and_the_registry_naming_the_outlet(site):
    site.write("site.yml", site.read("site.yml") + "outlets:\n  local-desk:\n    name: Local Desk\n"
               "    hosts: [127.0.0.1]\n")  # fmt: skip
    with Server(routes()) as server:
        result = site.ssg("new", "--from", f"{server.base}/bare")
        assert result.code == 0, result.err
        data = front(site.read(result.out.strip()))
        assert data["title"] == "Plain page with no metadata"
        assert data["source"] == {"name": "Local Desk", "url": f"{server.base}/bare"}
        assert site.read(result.out.strip()).endswith(
            "---\nWrite a short summary of the original story here, in your own words, then save.\n")


def test_unreachable_pages_write_nothing(site):
    with Server(routes()) as server:
        cases = {
            "/missing": "HTTP 404",
            "/photo": "is not an HTML page (image/png)",
            "/loop-a": "redirect loop",
            "/huge": "larger than the limit of 10 MB",
            "/silent": "timed out",
        }
        for path, why in cases.items():
            result = site.ssg("new", "--from", f"{server.base}{path}", "--timeout", "1")
            assert result.code == 1, (path, result.out)
            assert result.err.count("\n") == 1 and why in result.err, (path, result.err)
            assert re.fullmatch(r"ssg: error: .*; nothing was written\n", result.err), result.err
    assert not list((site.root / "content" / "articles").rglob("*.md"))
    offline = site.ssg("new", "Offline story", "--source", "https://example.com/offline")
    assert offline.code == 0  # without --from nothing is fetched


def test_scaffolds_wait_until_edited_or_reviewed(site):
    made = site.ssg("new", "A scaffold", "--source", "https://example.com/scaffold", "--date", "2024-03-05")
    rel = made.out.strip()
    check = site.ssg("check")
    assert check.code == 0
    assert f"{rel}:13:1: warning: body: waits for review" in check.err
    built = site.ssg("build")
    assert built.code == 0 and "1 story waits for review and was left out" in built.out
    assert not (site.public / "2024/03/a-scaffold").exists()
    assert "Write a short summary" not in (site.public / "feed.xml").read_text()
    assert site.ssg("build", "--drafts").code == 0 and (site.public / "2024/03/a-scaffold/index.html").exists()
    text = site.read(rel)
    site.write(rel, text.replace("reviewed: false", "reviewed: true"))
    assert site.ssg("build").code == 0 and (site.public / "2024/03/a-scaffold/index.html").exists()
    site.write(rel, text.split("---\n")[0] + "---\n" + text.split("---\n")[1] + "---\nOur own summary.\n")
    result = site.ssg("build")
    assert result.code == 0 and "wait" not in result.out
    assert "Our own summary." in (site.public / "2024/03/a-scaffold/index.html").read_text()
