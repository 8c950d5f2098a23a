"""Search with Pagefind, in a real browser, at the root and under a sub-path."""

import shutil
import sys
from urllib.parse import quote

import pytest
from playwright.sync_api import sync_playwright

from browser import launch, static_server
from conftest import Site, sample_copy, tree_hashes


def _site(tmp_path, base=None) -> Site:
    sample_copy(tmp_path)
    site = Site(tmp_path)
    args = ["build"] + (["--base-url", base] if base else [])
    result = site.ssg(*args)
    assert result.code == 0, result.err
    return site


@pytest.mark.browser
@pytest.mark.parametrize("prefix", ["", "/strike-desk"])
def test_search_finds_filters_and_opens_stories(tmp_path, prefix):
    site = _site(tmp_path, f"http://127.0.0.1/{prefix.strip('/')}/" if prefix else None)
    served = tmp_path / "served"
    if prefix:  # host the output under the sub-path, as a static host would
        (served / prefix.strip("/")).parent.mkdir(parents=True, exist_ok=True)
        shutil.copytree(site.public, served / prefix.strip("/"))
    else:
        served = site.public
    with static_server(served) as origin, sync_playwright() as playwright:
        browser = launch(playwright)
        page = browser.new_page()
        requests = []
        page.on("request", lambda r: requests.append(r.url))
        page.goto(f"{origin}{prefix}/search/")
        page.get_by_role("searchbox", name="Search the archive").fill("Klippenstein")
        page.get_by_role("button", name="Search").click()
        first = page.locator("#search-results li").first
        first.wait_for(timeout=10000)
        assert "Netflix lists a $900,000 AI product role" in first.locator("h2").inner_text()
        assert page.locator("#search-status").inner_text() == "1 result for “Klippenstein”"
        first.locator("a").click()
        page.wait_for_url(f"**{prefix}/2023/07/netflix-ai-job/")

        page.goto(f"{origin}{prefix}/search/?q=strike")  # the query runs on load
        page.locator("#search-results li").first.wait_for(timeout=10000)
        everything = page.locator("#search-results li").count()
        assert page.get_by_role("searchbox", name="Search the archive").input_value() == "strike"
        page.get_by_label("Tag").select_option("Netflix")
        page.wait_for_function(f"() => document.querySelectorAll('#search-results li').length < {everything}")
        assert page.locator("#search-results li").count() == 1

        page.goto(f"{origin}{prefix}/search/?q={quote('zyzzyva')}")
        page.wait_for_function("() => document.getElementById('search-status').textContent.startsWith('No stories')")
        assert page.locator("#search-status").inner_text() == "No stories match “zyzzyva”."
        assert all(url.startswith(origin + prefix + "/") for url in requests), requests
        browser.close()


@pytest.mark.browser
def test_outlet_and_year_menus_and_newest_first(tmp_path):
    """The outlet and year menus list every outlet and year with counts; an outlet alone lists its stories,
    newest first; a year narrows a query; results can be ordered oldest first; an excerpt is the story's
    own text, not its source line or credit."""
    site = _site(tmp_path)
    with static_server(site.public) as origin, sync_playwright() as playwright:
        browser = launch(playwright)
        page = browser.new_page()
        page.goto(origin + "/search/")
        assert page.get_by_label("Outlet").locator("option").all_inner_texts()[:3] == [
            "All outlets", "California Legislative Information (2)", "Congress.gov (1)"]
        assert page.get_by_label("Year").locator("option").all_inner_texts() == [
            "All years", "2025 (2)", "2024 (7)", "2023 (6)"]
        page.get_by_label("Outlet").select_option("Wikipedia")  # no query: the outlet's stories, newest first
        page.wait_for_function("() => document.querySelectorAll('#search-results li').length === 3")
        titles = page.locator("#search-results h2").all_inner_texts()
        assert titles[0].startswith("An AI-generated") and titles[2].startswith("Hollywood writers walk out")
        assert page.locator("#search-status").inner_text() == "3 stories"
        assert "source=Wikipedia" in page.url
        page.get_by_label("Order").select_option("oldest")
        first = "() => document.querySelector('#search-results h2')?.textContent.startsWith('Hollywood')"
        page.wait_for_function(first)

        page.goto(origin + "/search/?q=strike&year=2023&sort=newest")
        page.locator("#search-results li").first.wait_for(timeout=10000)
        dates = page.locator("#search-results .meta").all_inner_texts()
        assert dates and all("2023" in d for d in dates), dates
        assert page.get_by_label("Year").input_value() == "2023"

        page.goto(origin + "/search/?q=Klippenstein")  # the author: found (page metadata), not in the excerpt
        page.locator("#search-results li").first.wait_for(timeout=10000)
        excerpt = page.locator("#search-results .excerpt").first.inner_text()
        assert "Originally" not in excerpt and "Credit" not in excerpt and excerpt.strip(), excerpt
        browser.close()


@pytest.mark.browser
def test_header_search_box_leads_to_the_search_page(tmp_path):
    site = _site(tmp_path)
    with static_server(site.public) as origin, sync_playwright() as playwright:
        browser = launch(playwright)
        page = browser.new_page()
        page.goto(origin + "/tags/")
        page.get_by_role("searchbox", name="Search the archive").fill("Sora")
        page.keyboard.press("Enter")
        page.wait_for_url("**/search/?q=Sora")
        page.locator("#search-results li").first.wait_for(timeout=10000)
        titles = page.locator("#search-results h2").all_inner_texts()
        assert titles[0].startswith("OpenAI shows Sora")
        browser.close()


def test_only_story_pages_are_indexed_and_search_can_be_off(tmp_path):
    site = _site(tmp_path)
    assert (site.public / "pagefind/pagefind.js").is_file()
    entry = (site.public / "pagefind/pagefind-entry.json").read_text()
    assert '"page_count":15' in entry.replace(" ", "")
    site.write("site.yml", (site.root / "site.yml").read_text() + "search: false\n")
    assert site.ssg("build").code == 0
    assert not (site.public / "pagefind").exists() and not (site.public / "search").exists()
    assert "site-search" not in (site.public / "index.html").read_text()


def test_unchanged_archive_is_not_indexed_again(tmp_path):
    site = _site(tmp_path)
    index = site.public / "pagefind/pagefind-entry.json"
    before = index.stat().st_ino
    site.write("content/pages/about.md", (site.root / "content/pages/about.md").read_text() + "\nMore.\n")
    assert site.ssg("build").code == 0
    assert index.stat().st_ino == before  # linked from the previous build, not rewritten
    story = site.root / "content/articles/2024/openai-sora.md"
    story.write_text(story.read_text() + "\nA new sentence about zebras.\n")
    assert site.ssg("build").code == 0
    assert index.stat().st_ino != before


def _build_with_pagefind(tmp_path, monkeypatch, command):
    """Build the sample, then an edited story with ``command`` as Pagefind."""
    import generator.build
    import generator.search.pagefind

    site = _site(tmp_path)
    before = tree_hashes(site.public)
    monkeypatch.setattr(generator.search.pagefind, "find_pagefind", lambda: command)
    monkeypatch.setattr(generator.build, "find_pagefind", lambda: command)
    story = site.root / "content/articles/2024/openai-sora.md"
    story.write_text(story.read_text() + "\nChanged.\n")
    return site, site.ssg("build"), before


def test_pagefind_killed_is_a_clear_error_and_the_output_stays(tmp_path, monkeypatch):
    suicide = [sys.executable, "-c", "import os, signal; os.kill(os.getpid(), signal.SIGKILL)"]
    site, result, before = _build_with_pagefind(tmp_path, monkeypatch, suicide)
    assert result.code == 1
    assert result.err.splitlines()[0] == (
        "site.yml:1:1: error: search: Pagefind was stopped by SIGKILL (out of memory?); "
        "set 'search: false' to build without search"
    )
    assert tree_hashes(site.public) == before


def test_missing_pagefind_is_a_clear_error(tmp_path, monkeypatch):
    site, result, before = _build_with_pagefind(tmp_path, monkeypatch, None)
    assert result.code == 1
    assert result.err.splitlines()[0] == (
        "site.yml:1:1: error: search: Pagefind is not installed: pip install 'pagefind[bin]', or set 'search: false'"
    )
    assert tree_hashes(site.public) == before
    assert site.ssg("check").code == 1
