"""Search indexed a slice at a time (generator/search/): the merged index
answers as one Pagefind run over the same pages would, an edit re-indexes
only its slice, and the bundle is the same whatever the order of work."""

import json
import random
import re
import shutil

import pytest
from playwright.sync_api import sync_playwright

from browser import launch, static_server
from conftest import Site, tree_hashes

WORDS = ("strike picket studio union contract streaming residuals writer actor producer camera archive "
         "budget vote deal talks guild ballot festival screen royalty").split()  # fmt: skip
RARE = ("zeppelin", "quokka", "marzipan", "obelisk", "café", "résumé")  # with diacritics: Pagefind's word variants


def _archive(root, stories=90, seed=3) -> Site:
    """A site of ``stories`` stories over six years, from three outlets, with words drawn from a small
    vocabulary (so that most words are in many stories) and a few rare ones."""
    rng = random.Random(seed)
    site = Site(root)
    site.write("site.yml", "title: Slices\nbase_url: https://slices.example.org/\ntimezone: UTC\nper_page: 10\n")
    for number in range(stories):
        year, month, day = 2019 + number % 6, 1 + number % 12, 1 + number % 27
        words = [rng.choice(WORDS) for _ in range(rng.randint(20, 160))]
        if number % 13 == 0:
            words.insert(rng.randrange(len(words)), RARE[number // 13 % len(RARE)])
        tags = rng.sample(["Labour", "Film", "Television", "Music", "Games"], rng.randint(1, 3))
        site.write(f"content/articles/{year}/story-{number:03d}.md", (
            f"---\ntitle: Story {number} about {rng.choice(WORDS)}\n"
            f"date: {year}-{month:02d}-{day:02d}T{number % 24:02d}:00:00\n"
            f"source:\n  name: {rng.choice(['The Daily Wire Service', 'Film Weekly', 'Screen Post'])}\n"
            f"  url: https://news.example.org/{number}\ntags: [{', '.join(tags)}]\n---\n"
            + " ".join(words).capitalize() + ".\n"))  # fmt: skip
    return site


@pytest.fixture
def small_slices(monkeypatch):
    import generator.search.stage

    monkeypatch.setattr(generator.search.stage, "SLICE_PAGES", 12)  # 90 stories: 8 slices


def _searches(page, module: str, queries) -> list:
    return page.evaluate("""async ([module, queries]) => {
        const pagefind = await import(module);
        await pagefind.init();
        const answers = [];
        for (const [term, options] of queries) {
            const found = await pagefind.search(term, options);
            const results = [];
            for (const result of found.results) {
                const data = await result.data();
                results.push([data.url, result.score]);
            }
            answers.push({results, filters: found.filters, count: found.unfilteredResultCount});
        }
        return answers;
    }""", [module, queries])


QUERIES = [
    ["strike", {}], ["picket union", {}], ["zeppelin", {}], ["quok", {}], ["stud", {}], ["cafe", {}], ["résumé", {}],
    ["deal", {"filters": {"tag": "Film"}}], ["vote", {"filters": {"source": "Screen Post", "year": "2021"}}],
    ["guild", {"sort": {"date": "desc"}}], ["writer", {"sort": {"date": "asc"}, "filters": {"tag": "Music"}}],
    [None, {"filters": {"tag": "Games"}, "sort": {"date": "desc"}}],
]


@pytest.mark.browser
def test_the_sliced_index_answers_as_one_index_would(tmp_path, small_slices):
    from generator.search.pagefind import index

    site = _archive(tmp_path / "site")
    result = site.ssg("build", "-v")
    assert result.code == 0, result.err
    assert "indexed 8 of 8 search slices" in result.out
    served = tmp_path / "served"
    shutil.copytree(site.root / "public", served)
    single = tmp_path / "one-run"
    shutil.copytree(site.root / "public", single)
    shutil.rmtree(single / "pagefind")
    assert index(single, "en") == []  # one Pagefind run over every story page (the only ones with a body to index)
    shutil.copytree(single / "pagefind", served / "one-run")
    with static_server(served) as origin, sync_playwright() as playwright:
        browser = launch(playwright)
        page = browser.new_page()
        page.goto(f"{origin}/search/")
        sliced = _searches(page, "/pagefind/pagefind.js", QUERIES)
        one = _searches(page, "/one-run/pagefind.js", QUERIES)
        browser.close()
    for (term, options), got, want in zip(QUERIES, sliced, one, strict=True):
        assert got["count"] == want["count"] and got["filters"] == want["filters"], term
        assert [url for url, _ in got["results"]] == [url for url, _ in want["results"]] or _same_ranks(got, want)
        assert got["results"], term
        for (url, score), (_, other) in zip(sorted(got["results"]), sorted(want["results"]), strict=True):
            assert score == pytest.approx(other, rel=1e-4), (term, url)
        if "sort" in options:  # sorted by date: the very same order
            assert [url for url, _ in got["results"]] == [url for url, _ in want["results"]], term


def _same_ranks(got, want) -> bool:
    """The same results in the same order, but for pages whose scores tie (their order is Pagefind's page order)."""
    def ranked(answer):
        return sorted(answer["results"], key=lambda r: (-round(r[1], 4), r[0]))
    return [u for u, _ in ranked(got)] == [u for u, _ in ranked(want)]


@pytest.mark.browser
def test_an_edit_reindexes_only_its_slice_and_is_found(tmp_path, small_slices):
    site = _archive(tmp_path / "site")
    assert site.ssg("build").code == 0
    store = site.root / ".ssg-cache" / "search"
    before = _slices(store)
    story = site.root / "content/articles/2021/story-002.md"
    story.write_text(story.read_text() + "\nA pangolin crossed the picket line.\n")
    result = site.ssg("build", "-v")
    assert result.code == 0, result.err
    assert "indexed 1 of 8 search slices" in result.out
    after = _slices(store)
    assert len(set(before) & set(after)) == 7  # the other slices' bundles, as they were
    assert all(before[name] == after[name] for name in set(before) & set(after))
    site.write("content/articles/2024/story-new.md", "---\ntitle: A new story\ndate: 2024-05-05T10:00:00\n"
               "source:\n  name: Film Weekly\n  url: https://news.example.org/new\n---\n"
               "The okapi joined the union.\n")  # fmt: skip
    result = site.ssg("build", "-v")
    # its own slice only: the pages beside it in time now link to it, but what Pagefind reads of them is as it was
    assert "indexed 1 of 8 search slices" in result.out, result.out
    with static_server(site.root / "public") as origin, sync_playwright() as playwright:
        browser = launch(playwright)
        page = browser.new_page()
        page.goto(f"{origin}/search/")
        found = _searches(page, "/pagefind/pagefind.js", [["pangolin", {}], ["okapi", {}], ["strike", {}]])
        browser.close()
    assert [url for url, _ in found[0]["results"]] == ["/2021/03/story-2-about-guild/"]
    assert [url for url, _ in found[1]["results"]] == ["/2024/05/a-new-story/"]
    assert len(found[2]["results"]) > 20


def _slices(store):
    """The cached slices (a folder each, named by its key) and their files' digests."""
    return {p.name: tree_hashes(p) for p in store.iterdir() if p.is_dir() and re.fullmatch(r"[0-9a-f]{24}", p.name)}


def test_the_bundle_is_the_same_whatever_the_order_of_work(tmp_path, small_slices):
    """Pagefind's own filter and metadata files differ from run to run; the merged bundle does not."""
    first, second = _archive(tmp_path / "a"), _archive(tmp_path / "b")
    assert first.ssg("build", "--jobs", "1").code == 0
    assert second.ssg("build", "--jobs", "2").code == 0
    assert tree_hashes(first.root / "public/pagefind") == tree_hashes(second.root / "public/pagefind")
    entry = json.loads((first.root / "public/pagefind/pagefind-entry.json").read_text())
    assert entry["languages"]["en"]["page_count"] == 90


@pytest.mark.browser
def test_serve_brings_the_index_up_to_date_when_the_editor_pauses(tmp_path, small_slices, monkeypatch):
    """On a big archive the page reloads at once with the index kept; a pause later only the edited
    story's slice is indexed again, the edit is found, and open pages are not reloaded for it."""
    import time

    import generator.server.session
    from servekit import serving

    monkeypatch.setattr(generator.server.session, "STALE_SEARCH_ABOVE", 50)  # 90 stories count as a big archive
    monkeypatch.setattr(generator.server.session, "REFRESH_AFTER", 0.5)
    site = _archive(tmp_path / "site")
    with serving(site.root) as session:
        story = site.root / "content/articles/2021/story-002.md"
        story.write_text(story.read_text() + "\nA pangolin crossed the picket line.\n")
        deadline = time.monotonic() + 60
        while "Search index brought up to date" not in session.out.getvalue() and time.monotonic() < deadline:
            time.sleep(0.1)
        printed = session.out.getvalue()
        assert "Rebuilt in" in printed and "(indexed 1 of 8 slices)" in printed, printed
        assert printed.index("Rebuilt in") < printed.index("Search index brought up to date")
        generation = session.generation
        with sync_playwright() as playwright:
            browser = launch(playwright)
            page = browser.new_page()
            page.goto(f"{session.url}search/")
            found = _searches(page, "/pagefind/pagefind.js", [["pangolin", {}]])
            browser.close()
        assert [url for url, _ in found[0]["results"]] == ["/2021/03/story-2-about-guild/"]
        assert session.generation == generation  # the refresh reloads no page


def test_a_pagefind_whose_files_are_not_known_indexes_in_one_run(tmp_path, small_slices, monkeypatch):
    """Another Pagefind version (or files that do not decode): the whole archive in one Pagefind run,
    as before slices, and still searchable."""
    import generator.search.stage

    monkeypatch.setattr(generator.search.stage, "known_format", lambda version: False)
    site = _archive(tmp_path / "site", stories=30)
    result = site.ssg("build", "-v")
    assert result.code == 0, result.err
    entry = json.loads((site.root / "public/pagefind/pagefind-entry.json").read_text())
    assert entry["languages"]["en"]["page_count"] == 30
    names = [p.name for p in (site.root / "public/pagefind/index").iterdir()]
    assert names and all(len(n) == len("en_1234567.pf_index") for n in names)  # Pagefind's own names, not ssg's


def test_an_edit_merges_again_only_the_chunks_that_hold_its_words(tmp_path, small_slices, monkeypatch):
    """After an edit the chunks that hold none of its words are the last merge's files (not joined,
    encoded or written again); the bundle is byte for byte a clean build's, after an appended sentence,
    a word added at the start of a story (every later word of it moves), and a story added (the
    slices' sizes change: a whole merge)."""
    import generator.search.merge as merge

    monkeypatch.setattr(merge, "SMALLEST", 400)  # many small chunks, as a large archive has
    monkeypatch.setattr(merge, "LARGEST", 1500)
    made = []
    real = merge._keep_chunk
    monkeypatch.setattr(merge, "_keep_chunk", lambda raw, *rest: made.append(raw) or real(raw, *rest))
    site = _archive(tmp_path / "site")
    assert site.ssg("build").code == 0
    every = len(made)
    story = site.root / "content/articles/2021/story-002.md"
    for number, edit in enumerate((lambda body: body + "\nA pangolin crossed the picket line.\n",
                                   lambda body: "Zebras first. " + body)):  # fmt: skip
        front, body = story.read_text().rsplit("---\n", 1)
        story.write_text(front + "---\n" + edit(body))
        made.clear()
        assert site.ssg("build").code == 0
        if number == 0:  # (a word added at the start moves every word of this small story: all its chunks)
            assert 0 < len(made) <= every / 3, (len(made), every)
        assert _same_as_clean(site, tmp_path / f"clean{number}") is None, number
    rng = random.Random(5)
    stories = sorted((site.root / "content/articles").rglob("*.md"))
    for round_ in range(4):  # a word taken out, put in or changed in one or two stories (slices) at once
        for path in rng.sample(stories, rng.randint(1, 2)):
            front, body = path.read_text().rsplit("---\n", 1)
            words = body.split()
            at = rng.randrange(len(words))
            words[at : at + 1] = rng.choice([[], [words[at], rng.choice(WORDS)], [rng.choice(RARE)], ["okapi"]])
            path.write_text(front + "---\n" + " ".join(words) + "\n")
        assert site.ssg("build").code == 0
        assert _same_as_clean(site, tmp_path / f"random{round_}") is None, round_
    site.write("content/articles/2024/story-new.md", "---\ntitle: A new story\ndate: 2024-05-05T10:00:00\n"
               "source:\n  name: Film Weekly\n  url: https://news.example.org/new\n---\nThe okapi joined.\n")
    assert site.ssg("build").code == 0
    assert _same_as_clean(site, tmp_path / "clean-added") is None


def _same_as_clean(site, root):
    clean = Site(root)
    shutil.copytree(site.root / "content", root / "content")
    shutil.copy(site.root / "site.yml", root / "site.yml")
    assert clean.ssg("build").code == 0
    mine, theirs = tree_hashes(site.root / "public/pagefind"), tree_hashes(root / "public/pagefind")
    return None if mine == theirs else sorted(set(mine.items()) ^ set(theirs.items()))
