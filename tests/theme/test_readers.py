"""What readers of a news archive expect: both dates, reading time, more from
the outlet, sharing without another host's script, a compact phone header."""

import re

import pytest
from playwright.sync_api import sync_playwright

from browser import launch, static_server
from conftest import sample_copy, story

WORDS = " ".join(["word"] * 690)


def test_lists_show_the_originals_date_where_it_differs(site):
    site.write("content/articles/old.md", story(title="Old", date="2026-12-01",
                                                extra="tags: [X]\n", name="The Guardian").replace(
        "  url:", "  published: 2023-07-14\n  url:"))  # fmt: skip
    site.write("content/articles/same.md", story(title="Same", date="2026-12-02T10:00:00", name="Variety").replace(
        "  url:", "  published: 2026-12-02\n  url:"))  # fmt: skip
    assert site.ssg("build").code == 0
    home = site.read("public/index.html")
    assert ('<time datetime="2026-12-01">1 December 2026</time> · from The Guardian, '
            '<time datetime="2023-07-14">14 July 2023</time></p>') in home
    assert '<time datetime="2026-12-02T10:00:00+00:00">2 December 2026, 10:00</time> · from Variety</p>' in home
    assert "from The Guardian, <time" in site.read("public/tags/x/index.html")


def test_reading_time_in_the_sites_language(site):
    site.write("content/articles/a.md", story(title="A", body=WORDS))
    assert site.ssg("build").code == 0
    assert "· 3 min read" in site.read("public/2023/07/a/index.html")
    site.write("site.yml", site.read("site.yml") + "language: de\n")
    assert site.ssg("build").code == 0
    assert "· 3 Minuten Lesezeit" in site.read("public/2023/07/a/index.html")


def test_more_from_the_outlet_beside_related_stories(site):
    for n in range(1, 8):
        site.write(f"content/articles/o{n}.md", story(title=f"Outlet story {n}", date=f"2023-07-{n:02d}", name="Wire"))
    site.write("content/articles/other.md", story(title="Other", date="2023-07-04T12:00:00", name="Elsewhere"))
    assert site.ssg("build").code == 0
    html = site.read("public/2023/07/outlet-story-4/index.html")
    section = re.search(r'<aside class="related more-from".*?</aside>', html, re.S)[0]
    assert "<h2 id=\"more-from-title\">More from Wire</h2>" in section
    assert re.findall(r'href="/2023/07/([^/]+)/"', section) == [  # the nearest four, newest first
        "outlet-story-6", "outlet-story-5", "outlet-story-3", "outlet-story-2"]
    assert "more-from" not in site.read("public/2023/07/other/index.html")  # its outlet has no other story


def test_share_links_need_no_script_from_another_host(site):
    site.write("content/articles/a.md", story(title="Strike: day 3"))
    assert site.ssg("build").code == 0
    html = site.read("public/2023/07/strike-day-3/index.html")
    share = re.search(r'<aside class="share".*?</aside>', html, re.S)[0]
    assert ('<a class="copy-link" href="https://example.org/2023/07/strike-day-3/" data-copied="Link copied">'
            "Copy link</a>") in share
    assert ('href="https://bsky.app/intent/compose?text=Strike%3A%20day%203%20'
            'https%3A//example.org/2023/07/strike-day-3/" rel="noopener"') in share
    assert 'href="mailto:?subject=Strike%3A%20day%203&amp;body=https%3A//example.org/2023/07/strike-day-3/"' in share
    assert all(src.startswith("/static/") for src in re.findall(r'<script[^>]* src="([^"]+)"', html))


def test_year_pages_label_the_years_beside_them(site):
    for year in (2022, 2023, 2024):
        site.write(f"content/articles/y{year}.md", story(title=f"Y{year}", date=f"{year}-05-01"))
    assert site.ssg("build").code == 0
    nav = re.search(r'<nav class="year-nav".*?</nav>', site.read("public/2023/index.html"), re.S)[0]
    assert '<a href="/2024/" rel="prev"><span class="label">Newer year</span> 2024</a>' in nav
    assert '<a href="/2022/" rel="next"><span class="label">Older year</span> 2022</a>' in nav


@pytest.mark.browser
def test_phone_header_is_compact_and_copy_link_works(tmp_path):
    site = sample_copy(tmp_path)
    assert site.ssg("build").code == 0
    with static_server(site.public) as origin, sync_playwright() as playwright:
        browser = launch(playwright)
        context = browser.new_context(viewport={"width": 360, "height": 740})
        context.grant_permissions(["clipboard-read", "clipboard-write"], origin=origin)
        page = context.new_page()
        for path, most in (("/", 100), ("/tags/", 105), ("/2023/07/netflix-ai-job/", 105)):
            page.goto(origin + path)
            top = page.evaluate("document.querySelector('main h1, main h2').getBoundingClientRect().top")
            assert top <= most, (path, top)
            assert page.evaluate("document.documentElement.scrollWidth") == 360  # nothing wider than the phone
        search = page.get_by_role("link", name="Search", exact=True)
        assert search.is_visible() and not page.locator(".site-search").is_visible()
        copy = page.get_by_role("link", name="Copy link")
        copy.click()
        page.get_by_role("link", name="Link copied").wait_for(state="visible", timeout=5000)  # (the copy is async)
        assert page.evaluate("navigator.clipboard.readText()") == f"{origin}/2023/07/netflix-ai-job/".replace(
            origin, "https://archive.example.org")
        assert page.url == origin + "/2023/07/netflix-ai-job/"  # copied, not followed
        search.click()
        page.wait_for_url("**/search/")
        browser.close()


def test_a_quick_build_brings_more_from_the_outlet_up_to_date(site):
    for n in range(1, 12):
        site.write(f"content/articles/o{n}.md", story(title=f"Outlet story {n}", date=f"2023-07-{n:02d}", name="Wire",
                                                      extra=f"slug: o{n}\n"))  # fmt: skip
    assert site.ssg("build").code == 0
    site.write("content/articles/o3.md", site.read("content/articles/o3.md").replace("Outlet story 3", "Renamed"))
    result = site.ssg("build", "-v")
    assert "the quick way" in result.err + result.out
    for n in (1, 2, 4, 5):  # its page is among theirs; the pages farther away do not show it
        assert ">Renamed</a>" in site.read(f"public/2023/07/o{n}/index.html"), n
    assert ">Renamed</a>" not in site.read("public/2023/07/o9/index.html")
