"""Search indexed a slice at a time (generator/search/): the merged index
answers as one Pagefind run over the same pages would, an edit re-indexes
only its slice, and the bundle is the same whatever the order of work."""

import json
import marshal
import os
import random
import re
import shutil
import tempfile
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from browser import launch, static_server
from conftest import Site, gone, tree_hashes

WORDS = ("strike picket studio union contract streaming residuals writer actor producer camera archive "
         "budget vote deal talks guild ballot festival screen royalty").split()  # fmt: skip
SVG = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 4 2"><rect width="4" height="2"/></svg>\n'
RARE = ("zeppelin", "quokka", "marzipan", "obelisk", "café", "résumé")  # with diacritics: Pagefind's word variants


def _archive(root, stories=90, seed=3, pictures=3) -> Site:
    """A site of ``stories`` stories over six years, from three outlets, with words drawn from a small
    vocabulary (so that most words are in many stories) and a few rare ones; a picture in one story in
    ``pictures``."""
    rng = random.Random(seed)
    site = Site(root)
    site.write("site.yml", "title: Slices\nbase_url: https://slices.example.org/\ntimezone: UTC\nper_page: 10\n")
    for number in range(stories):
        year, month, day = 2019 + number % 6, 1 + number % 12, 1 + number % 27
        words = [rng.choice(WORDS) for _ in range(rng.randint(20, 160))]
        if number % 13 == 0:
            words.insert(rng.randrange(len(words)), RARE[number // 13 % len(RARE)])
        image = f"image:\n  src: picture-{number}.svg\n  alt: A picture\n" if number % pictures == 0 else ""
        if image:  # (a meta field only some pages have: Pagefind numbers fields among a run's)
            site.write(f"content/articles/{year}/picture-{number}.svg", SVG)
        tags = rng.sample(["Labour", "Film", "Television", "Music", "Games"], rng.randint(1, 3))
        site.write(f"content/articles/{year}/story-{number:03d}.md", (
            f"---\ntitle: Story {number} about {rng.choice(WORDS)}\n"
            f"date: {year}-{month:02d}-{day:02d}T{number % 24:02d}:00:00\n"
            f"source:\n  name: {rng.choice(['The Daily Wire Service', 'Film Weekly', 'Screen Post'])}\n"
            f"  url: https://news.example.org/{number}\ntags: [{', '.join(tags)}]\n{image}---\n"
            + " ".join(words).capitalize() + ".\n"))  # fmt: skip
    return site


@pytest.fixture
def small_slices(monkeypatch):
    import generator.search.stage

    monkeypatch.setattr(generator.search.stage, "SLICE_PAGES", 12)  # 90 stories: a dozen slices or so


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
    assert (found := re.search(r"indexed (\d+) of \1 search slices", result.out)) and int(found[1]) > 8
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
    assert re.search(rf"indexed 1 of {len(before)} search slices", result.out), result.out
    after = _slices(store)
    assert len(set(before) & set(after)) == len(before) - 1  # the other slices' bundles, as they were
    assert all(before[name] == after[name] for name in set(before) & set(after))
    site.write("content/articles/2024/story-new.md", "---\ntitle: A new story\ndate: 2024-05-05T10:00:00\n"
               "source:\n  name: Film Weekly\n  url: https://news.example.org/new\n---\n"
               "The okapi joined the union.\n")  # fmt: skip
    result = site.ssg("build", "-v")
    # its own slice (now and then the next too: a cut that moves), not the pages beside it in time, which now
    # link to it: what Pagefind reads of them is as it was
    assert re.search(r"indexed [12] of \d+ search slices", result.out), result.out
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


def test_the_bundle_is_the_same_on_another_file_system(tmp_path, small_slices):
    """Pagefind numbers pages in the order it walks its folder, which is the file system's: ext4 lists
    a folder by a hash of its names, seeded per file system, tmpfs by when they were made. Each slice's
    pages are numbered by their output path all the same, and the bundle has the same bytes."""

    shm = Path("/dev/shm")
    if not shm.is_dir() or os.stat(shm).st_dev == os.stat(tmp_path).st_dev or not os.access(shm, os.W_OK):
        pytest.skip("no second file system (/dev/shm) to build on")
    here = _archive(tmp_path / "site")
    there_root = Path(tempfile.mkdtemp(dir=shm, prefix="ssg-test-"))
    try:
        there = _archive(there_root / "site")
        assert here.ssg("build").code == 0
        assert there.ssg("build").code == 0
        for site in (here, there):
            slices = (site.root / ".ssg-cache/search").glob("*/slice.bin")
            records = [marshal.loads(path.read_bytes()) for path in slices]
            assert len(records) > 8 and all(record["rels"] == sorted(record["rels"]) for record in records)
        assert tree_hashes(here.root / "public/pagefind") == tree_hashes(there.root / "public/pagefind")
    finally:
        shutil.rmtree(there_root, ignore_errors=True)


def test_every_file_of_the_bundle_is_gzipped_by_the_compressor_ssg_ships(tmp_path, small_slices):
    """The bundle's bytes do not depend on the machine's zlib (another release, or zlib-ng standing in for
    it, compresses to other bytes): each index file is libdeflate's gzip of its content at the level for
    its kind, the fragments Pagefind wrote included, after a cold build and after an edit (a slice made
    from its changed pages and a merge from the last one)."""
    import gzip

    import deflate

    from generator.search.bundle import CHUNK_LEVEL, FRAGMENT_LEVEL, META_LEVEL

    site = _archive(tmp_path / "site")
    levels = {".pf_fragment": FRAGMENT_LEVEL, ".pf_index": CHUNK_LEVEL, ".pf_filter": META_LEVEL,
              ".pf_meta": META_LEVEL}  # fmt: skip
    for edit in ("", "\nA pangolin crossed the picket line.\n"):
        story = site.root / "content/articles/2021/story-002.md"
        story.write_text(story.read_text() + edit)
        result = site.ssg("build", "-v")
        assert result.code == 0, result.err
        files = [path for path in (site.root / "public/pagefind").rglob("*") if path.suffix in levels]
        assert {path.suffix for path in files} == set(levels)
        for path in files:
            data = path.read_bytes()
            assert deflate.gzip_compress(gzip.decompress(data), levels[path.suffix]) == data, path
    assert re.search(r"indexed 1 of \d+ search slices", result.out), result.out


@pytest.mark.browser
def test_a_word_is_looked_up_in_its_own_chunk_alone(tmp_path, small_slices, monkeypatch):
    """The reader's Pagefind finds a word's chunk by the bounds in the metadata, the first chunk whose
    ``from <= word <= to``; when none is, it loads every chunk whose bounds begin as the word does. Each
    word of the index is in the chunk its bounds give, so a query loads that chunk alone; and a query
    that begins a chunk's first word still finds that chunk."""
    import gzip

    import cbor2

    import generator.search.merge as merge
    from generator.search.bundle import SIGNATURE, read_bundle

    monkeypatch.setattr(merge, "SMALLEST", 400)  # many small chunks, as a large archive has
    monkeypatch.setattr(merge, "LARGEST", 1500)
    site = _archive(tmp_path / "site")
    site.write("content/articles/2024/story-longer.md", "---\ntitle: Longer words\ndate: 2024-05-05T10:00:00\n"
               "source:\n  name: Film Weekly\n  url: https://news.example.org/longer\n---\n"
               "A strikebreaker and unionized studios.\n")  # fmt: skip
    assert site.ssg("build").code == 0
    folder = site.root / "public/pagefind"
    chunks = read_bundle(folder)[1][0].chunks
    assert len(chunks) > 10
    words = []
    for number, (_, _, file) in enumerate(chunks):
        raw = gzip.decompress((folder / "index" / f"{file}.pf_index").read_bytes())[len(SIGNATURE) :]
        for entry in cbor2.loads(raw)[0]:
            found = next(n for n, (low, high, _) in enumerate(chunks) if low <= entry[0] <= high)
            assert found == number, (entry[0], chunks[found], chunks[number])
        words.append(entry[0])  # (each chunk's last word: the one Pagefind's own bounds cut short)
    # (words that begin with a common word, which has a chunk of its own: with Pagefind's bounds, no chunk's
    # took them, and the common word's chunk was loaded too)
    queries = ["strikebreaker", "unionized", *words[:8], *(low for low, _, _ in chunks[1:5])]
    with static_server(site.root / "public") as origin, sync_playwright() as playwright:
        browser = launch(playwright)
        for query in queries:
            page = browser.new_page()
            loaded = []
            page.on("request", lambda request, loaded=loaded: loaded.append(request.url))
            page.goto(f"{origin}/search/")
            answer = _searches(page, "/pagefind/pagefind.js", [[query, {}]])[0]
            assert answer["results"], query
            assert len([url for url in loaded if url.endswith(".pf_index")]) == 1, (query, loaded)
            page.close()
        browser.close()


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
        assert "Rebuilt in" in printed and re.search(r"\(indexed 1 of \d+ slices\)", printed), printed
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


def test_an_edit_merges_again_only_the_chunks_that_hold_its_words(tmp_path, small_slices, monkeypatch, search_here):
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


def test_a_title_is_a_title_in_every_slice(tmp_path, small_slices):
    """Pagefind numbers a page's meta fields by their place among the fields of its run: in a slice none
    of whose pages has an image, the title is the third field, not the fifth. In the merged index each
    word's meta locations on each page name the fields one Pagefind run over the same pages names (a
    title's words are ranked as a title's), after a cold build and after an edit merged from the last."""
    import gzip

    import cbor2

    from generator.search.bundle import SIGNATURE, fragment, read_bundle
    from generator.search.pagefind import index

    def meta_locations(folder) -> dict:
        language = read_bundle(folder)[1][0]
        urls = [fragment(folder, name)["url"] for name, _ in language.pages]
        found = {}
        for _, _, file in language.chunks:
            raw = gzip.decompress((folder / "index" / f"{file}.pf_index").read_bytes())[len(SIGNATURE) :]
            for word, pages, _ in cbor2.loads(raw)[0]:
                number = 0
                for page in pages:
                    number += page[0]
                    named, field = [], None
                    for at in page[2]:
                        field = language.fields[-at - 1] if at < 0 else field
                        named += [] if at < 0 else [(field, at)]
                    found[word, urls[number]] = named
        return found

    site = _archive(tmp_path / "site", pictures=30)  # (some slices have no picture)
    for edit in ("", "\nA pangolin crossed the picket line.\n"):
        story = site.root / "content/articles/2021/story-002.md"
        story.write_text(story.read_text() + edit)
        assert site.ssg("build").code == 0
        records = [marshal.loads(path.read_bytes()) for path in (site.root / ".ssg-cache/search").glob("*/slice.bin")]
        assert len({tuple(record["fields"]) for record in records}) > 1  # (slices with images and without)
        single = tmp_path / f"one-run{len(edit)}"
        shutil.copytree(site.root / "public", single)
        shutil.rmtree(single / "pagefind")
        assert index(single, "en") == []
        merged, one = meta_locations(site.root / "public/pagefind"), meta_locations(single / "pagefind")
        assert merged == one and any(("title", 0) in named for named in one.values())


def test_slices_are_cut_where_their_pages_say():
    """At most SLICE_PAGES pages a slice, in the order of their output paths. Pages added after the last
    change the last slice alone (or start new ones after it); a page added anywhere leaves every slice
    before its own as it was, and all but a few after it (measured here on 300 archives)."""
    from generator.search.stage import SLICE_PAGES, cut

    rng = random.Random(7)

    def path():
        return f"{rng.randint(2000, 2020)}/{rng.randint(1, 12):02d}/story-{rng.random():.9f}/index.html"

    changed = []
    for _ in range(300):
        rels = [path() for _ in range(rng.randint(SLICE_PAGES, SLICE_PAGES * 20))]
        slices = cut(rels)
        assert [rel for piece in slices for rel in piece] == sorted(rels)
        assert max(map(len, slices)) <= SLICE_PAGES and min(map(len, slices[:-1])) >= SLICE_PAGES // 4
        assert cut(rels + ["2099/01/newest/index.html"])[: len(slices) - 1] == slices[:-1]
        new = path()
        after = cut([*rels, new])
        own = next(number for number, piece in enumerate(after) if new in piece)
        assert after[:own] == slices[:own]
        changed.append(sum(1 for piece in after if piece not in slices))
    assert max(changed) <= 4 and sum(changed) / len(changed) < 1.4, changed


def test_a_new_story_at_the_end_of_the_archive_moves_no_other_page(tmp_path, small_slices, monkeypatch):
    """Slices are cut in the order of the pages' output paths, which begin with the date: a day's new
    story comes into the last slice (or one after it), so no page of another slice gets a new number.
    Only that slice is indexed again, and the chunks that hold none of the new story's words come out as
    the files they were (a deploy need not upload them again; a reader's browser keeps them); taken
    away again, the bundle is the one before. Each time the bundle is a clean build's, byte for byte."""
    import generator.search.merge as merge

    monkeypatch.setattr(merge, "SMALLEST", 400)  # many small chunks, as a large archive has
    monkeypatch.setattr(merge, "LARGEST", 1500)
    site = _archive(tmp_path / "site")
    assert site.ssg("build").code == 0
    store, chunks = site.root / ".ssg-cache" / "search", site.root / "public/pagefind/index"
    slices, files, bundle = _slices(store), set(os.listdir(chunks)), tree_hashes(site.root / "public/pagefind")
    newest = site.root / "content/articles/2025/story-newest.md"
    site.write("content/articles/2025/story-newest.md", "---\ntitle: The newest story\ndate: 2025-01-02T10:00:00\n"
               "source:\n  name: Film Weekly\n  url: https://news.example.org/newest\n---\n"
               "The okapi joined the union.\n")  # fmt: skip
    result = site.ssg("build", "-v")
    assert result.code == 0, result.err
    # (its slice: the last, or one after it when the last was cut at its last page)
    assert (found := re.search(r"indexed 1 of (\d+) search slices", result.out)), result.out
    assert int(found[1]) in (len(slices), len(slices) + 1), result.out
    assert len(set(slices) - set(_slices(store))) == len(slices) + 1 - int(found[1])  # every other slice as it was
    kept = files & set(os.listdir(chunks))
    assert len(files) > 10 and 0 < len(files) - len(kept) < len(files) / 3, (len(files), len(kept))
    assert _same_as_clean(site, tmp_path / "clean-newest") is None
    newest.unlink()
    assert site.ssg("build").code == 0
    assert tree_hashes(site.root / "public/pagefind") == bundle


def test_a_merge_from_the_last_holds_one_chunk_read_back_at_a_time(tmp_path, small_slices, monkeypatch, search_here):
    """A merge after an edit reads the chunks it makes again back from the last merge's files: one at a
    time, however many hold a changed word (it held them all at once, 4.7 GB at 100,000 stories for a
    story's 300-odd words). The bundle is a clean build's."""
    import generator.search.merge as merge
    import generator.search.splice as splice

    monkeypatch.setattr(merge, "SMALLEST", 400)  # many small chunks, as a large archive has
    monkeypatch.setattr(merge, "LARGEST", 1500)
    held = []
    real = splice.Spliced._decoded
    monkeypatch.setattr(splice.Spliced, "_decoded", lambda self, number: held.append(len(self.decoded) + 1)
                        or real(self, number))  # fmt: skip
    site = _archive(tmp_path / "site")
    assert site.ssg("build").code == 0
    story = site.root / "content/articles/2021/story-002.md"
    story.write_text(story.read_text() + "\nAardvarks, budgets, okapis, quokkas, yaks and zebras.\n")
    assert site.ssg("build").code == 0
    assert len(held) > 4 and max(held) <= 2, held
    assert _same_as_clean(site, tmp_path / "clean") is None


def test_an_edit_places_anew_only_the_bundle_files_that_changed(tmp_path, small_slices, monkeypatch, search_here):
    """A build after an edit writes into the spare tree (the output of the build before last), whose
    bundle holds nearly every file the new one is made of: those are kept as they are, and only the
    edited slice's fragments and the files that changed are placed; what the new bundle does not
    have is removed (the bundle is a clean build's, byte for byte)."""
    site = _archive(tmp_path / "site")
    story = site.root / "content/articles/2021/story-002.md"
    placed = []
    real = os.link
    monkeypatch.setattr(os, "link", lambda source, target: placed.append(str(target)) or real(source, target))
    for number in range(3):  # the third build is the first into a spare tree
        placed.clear()
        story.write_text(story.read_text() + f"\nEdit {number}: a pangolin crossed the picket line.\n")
        assert site.ssg("build").code == 0
    fragments = list((site.root / "public/pagefind/fragment").iterdir())
    assert len(fragments) == 90
    placed = [target for target in placed if "/pagefind/" in target and "/.ssg-cache/search/" not in target]
    anew = [target for target in placed if "/fragment/" in target]
    assert 0 < len(anew) <= 12, len(anew)  # at most the edited slice's pages (12 a slice here)
    assert len(placed) < len(fragments) / 2, placed
    assert _same_as_clean(site, tmp_path / "clean") is None


def test_a_merge_after_an_edit_reads_only_the_blocks_of_words_it_joins_again(tmp_path, monkeypatch, search_here):
    """Each slice's words are kept in blocks with each block's last word beside them, so that the
    merge skipping to a word (past chunks it keeps as they were) does not read the blocks before it."""
    import generator.search.split as split
    from generator.search.merge import Joined

    def word(text, page):
        return (text, page, page, 1, 1, b"", b"", None)

    slices = []
    for number, letters in enumerate(("acegikmoq", "bdfhjlnpr")):
        folder = tmp_path / f"slice{number}"
        folder.mkdir()
        split.write_words(folder, ([word(letter * 2, 0), word(letter * 3, 1)] for letter in letters))
        slices.append(folder)
    read = []
    real = split.marshal.loads
    monkeypatch.setattr(split.marshal, "loads", lambda data: read.append(1) or real(data))
    joined = Joined(slices, [0, 2])
    assert joined.next()[0] == "aa"
    read.clear()
    joined.skip_to("nn")
    found = []
    while (item := joined.next()) is not None:
        found.append((item[0], [offset for offset, _ in item[1]]))
    joined.close()
    assert found == [("nn", [2]), ("nnn", [2]), ("oo", [0]), ("ooo", [0]), ("pp", [2]), ("ppp", [2]),
                     ("qq", [0]), ("qqq", [0]), ("rr", [2]), ("rrr", [2])]  # fmt: skip
    assert len(read) == 5  # the blocks of "n" to "r" only, not the eight before them


def test_a_kept_index_replaces_in_place_what_the_spare_tree_had(tmp_path):
    """The last build's bundle linked into a spare tree that holds an older one: the files they share
    are kept (same inode), the others replaced without writing into them (a spare's file may be a hard
    link shared with another tree), and what the older bundle alone had is removed."""
    from generator.search.pagefind import reuse_index

    live, spare, elsewhere = tmp_path / "live/pagefind", tmp_path / "spare/pagefind", tmp_path / "elsewhere"
    for folder in (live / "fragment", live / "index", spare / "fragment", spare / "modular", elsewhere):
        folder.mkdir(parents=True)
    for rel, data in (("pagefind.js", b"js"), ("fragment/a.pf_fragment", b"a"), ("fragment/b.pf_fragment", b"b2"),
                      ("index/c.pf_index", b"c")):  # fmt: skip
        (live / rel).write_bytes(data)
    os.link(live / "fragment/a.pf_fragment", spare / "fragment/a.pf_fragment")
    (elsewhere / "b").write_bytes(b"b1")
    os.link(elsewhere / "b", spare / "fragment/b.pf_fragment")
    (spare / "fragment/old.pf_fragment").write_bytes(b"old")
    (spare / "modular/ui.js").write_bytes(b"ui")
    (spare / "index").write_bytes(b"a file where the bundle has a folder")
    (spare / "fragment/c.pf_fragment").mkdir()  # a folder where a file goes
    (live / "fragment/c.pf_fragment").write_bytes(b"c")
    kept = (spare / "fragment/a.pf_fragment").stat().st_ino

    assert reuse_index(live.parent, spare.parent)
    assert tree_hashes(spare) == tree_hashes(live)
    assert (spare / "fragment/a.pf_fragment").stat().st_ino == kept
    assert (elsewhere / "b").read_bytes() == b"b1"  # the file it shared was not written into


def test_an_edit_that_moves_no_filter_value_compresses_no_filter_again(tmp_path, small_slices, monkeypatch,
                                                                       search_here):
    """The filters' files are kept in the cache by name as the chunks are, and each filter and sort
    with what it was made of: an edit to a story's text leaves the tag, outlet and year filters and
    the date sort as they were, so none is joined from the slices again, nor compressed again (at
    the metadata's slow level); a story retagged joins the tag filter alone again, one from another
    outlet the outlet filter alone, one re-dated within its month the date sort alone. The bundle
    is a clean build's each time."""
    import cbor2

    import generator.search.facets as facets

    made, joined = [], []
    real, real_filter, real_sort = facets.compress, facets._filter, facets._sort

    def compress(data, level):
        value = cbor2.loads(data[len(facets.SIGNATURE) :])
        if len(value) == 2:  # [filter name, [[value, pages]]] (the metadata has six parts)
            made.append(value[0])
        return real(data, level)

    monkeypatch.setattr(facets, "compress", compress)
    monkeypatch.setattr(facets, "_filter", lambda *args: joined.append(args[-1]) or real_filter(*args))
    monkeypatch.setattr(facets, "_sort", lambda *args: joined.append(args[-1]) or real_sort(*args))
    site = _archive(tmp_path / "site")
    assert site.ssg("build").code == 0
    assert sorted(made) == ["source", "tag", "year"] and joined == ["source", "tag", "year", "date"]
    story = site.root / "content/articles/2021/story-002.md"
    edits = [
        ("text", lambda text: text + "\nA pangolin crossed the picket line.\n", [], []),
        ("retagged", lambda text: re.sub(r"tags: \[[^\]]*\]", "tags: [Podcasts]", text), ["tag"], ["tag"]),
        ("outlet", lambda text: re.sub(r"name: .*", "name: Okapi Times", text), ["source"], ["source"]),
        ("re-dated", lambda text: re.sub(r"(date: \d{4}-\d{2}-)\d{2}", r"\g<1>27", text), [], ["date"]),
    ]
    for name, edit, compressed, joined_again in edits:
        story.write_text(edit(story.read_text()))
        made.clear(), joined.clear()
        assert site.ssg("build").code == 0
        assert (made, joined) == (compressed, joined_again), name
        assert _same_as_clean(site, tmp_path / f"clean-{name}") is None, name


def _same_as_clean(site, root):
    clean = Site(root)
    shutil.copytree(site.root / "content", root / "content")
    shutil.copy(site.root / "site.yml", root / "site.yml")
    assert clean.ssg("build").code == 0
    mine, theirs = tree_hashes(site.root / "public/pagefind"), tree_hashes(root / "public/pagefind")
    return None if mine == theirs else sorted(set(mine.items()) ^ set(theirs.items()))


def test_a_whole_merge_joined_by_two_processes_is_the_one_of_one(tmp_path, small_slices, monkeypatch, search_here):
    """A story added moves every later page's number, and the merge joins every word again: from a word
    that had a chunk of its own at the last merge, by a second process. The bundle is a clean build's,
    byte for byte; and so it is when that word no longer fills a chunk alone (a rare word here) or is
    gone, and the second process's work is dropped."""
    import generator.search.halves as halves
    import generator.search.merge as merge

    monkeypatch.setattr(merge, "SMALLEST", 400)  # many small chunks, as a large archive has
    monkeypatch.setattr(merge, "LARGEST", 1500)
    monkeypatch.setattr(halves, "FEWEST_CHUNKS", 2)
    used = []
    real = halves.LaterHalf.chunks
    monkeypatch.setattr(halves.LaterHalf, "chunks", lambda self: used.append((self.word, real(self))) or used[-1][1])
    site = _archive(tmp_path / "site")
    assert site.ssg("build").code == 0
    assert used == []  # (a cold build: no last merge to split by)
    real_split = halves.split_word
    for number, split in enumerate((None, "quokka", "aardvark")):
        if split is not None:
            monkeypatch.setattr(halves, "split_word", lambda store, split=split: split)
        site.write(f"content/articles/2024/story-new-{number}.md", f"---\ntitle: New story {number}\n"
                   f"date: 2024-05-0{number + 1}T10:00:00\nsource:\n  name: Film Weekly\n"
                   f"  url: https://news.example.org/new-{number}\n---\nThe okapi joined.\n")  # fmt: skip
        used.clear()
        assert site.ssg("build").code == 0
        theirs = [chunks for _, chunks in used if chunks is not None]
        if split is None:
            word = real_split(site.root / ".ssg-cache/search/chunks-libdeflate")
            assert used[0][0] == word and theirs and all(len(chunk) == 3 for chunk in theirs[0]), used
        else:
            assert used[0][0] == split and theirs == [], used  # (its work dropped: joined here instead)
        assert _same_as_clean(site, tmp_path / f"clean{number}") is None, number


def test_an_edit_indexes_again_only_the_pages_it_changed(tmp_path, small_slices, monkeypatch, search_here):
    """Pagefind reads only the edited story's page (and the live output's version of it); the slice is
    made from the one before (its other
    pages' entries kept as they were) and the bundle is byte for byte a clean build's: after a sentence
    added, a word taken out (the last page of a word gone), another outlet and tags (filter values only
    it has) and two stories edited at once.
    The merge reads the other slices' words not at all (the words of the chunks it makes again come from
    the last merge's chunks). A changed page with accented words (Pagefind's variants) has its slice
    indexed whole and its words joined from every slice, as before."""
    import generator.search.patch as patch
    import generator.search.split as split
    import generator.search.stage as stage

    read = []

    def counting(real):
        def run(site_folder, *args, **kwargs):
            read.append(sum(len(files) for _, _, files in os.walk(site_folder)))
            return real(site_folder, *args, **kwargs)
        return run

    monkeypatch.setattr(patch, "index", counting(patch.index))
    monkeypatch.setattr(stage, "index", counting(stage.index))
    site = _archive(tmp_path / "site")
    assert site.ssg("build").code == 0
    first, second = (site.root / f"content/articles/{path}" for path in ("2021/story-002.md", "2023/story-040.md"))
    edits = [
        [(first, lambda text: text + "\nA pangolin crossed the picket line.\n")],
        [(first, lambda text: text.replace(" pangolin", ""))],
        [(first, lambda text: re.sub(r"tags: .*", "tags: [Okapis, Labour]", re.sub(r"name: .*", "name: Post", text)))],
        [(first, lambda text: text + "\nThe okapi voted.\n"), (second, lambda text: text + "\nThe okapi too.\n")],
    ]
    opened = []
    real_blocks = split.Blocks.__init__
    monkeypatch.setattr(split.Blocks, "__init__", lambda self, folder: opened.append(folder.name)
                        or real_blocks(self, folder))  # fmt: skip
    live = site.root / "public/2021/03/story-2-about-guild/index.html"
    for number, edit in enumerate(edits):
        for path, change in edit:
            path.write_text(change(path.read_text()))
        if number == 1:  # the live output's page is not the one indexed: the slice is indexed whole
            text = live.read_text().replace("picket", "pickets")
            live.unlink()
            live.write_text(text)
        read.clear()
        opened.clear()
        result = site.ssg("build", "-v")
        assert result.code == 0, result.err
        if number == 1:  # (every page of the slice, which a run over the changed page does not read)
            assert "by their changed pages" not in result.out and read[0] == _slice_of(site, live), (result.out, read)
            assert _same_as_clean(site, tmp_path / f"clean{number}") is None, number
            continue
        assert "by their changed pages" in result.out, result.out
        # the edited slices' words before, by patch.py, and no other slice's: the merge read the last one's chunks
        assert len(opened) == len(edit), opened
        # each changed page as it is and as the live output has it, and a page with the slice's meta fields
        assert len(read) <= len(edit) and sum(read) == 2 * len(edit) + len(read), read
        assert _same_as_clean(site, tmp_path / f"clean{number}") is None, number
    read.clear()
    first.write_text(first.read_text() + "\nA résumé at the café.\n")
    result = site.ssg("build", "-v")
    assert result.code == 0 and re.search(r"indexed 1 of \d+ search slices\n", result.out), result.out
    assert read[-1] > 1  # the slice's every page
    assert _same_as_clean(site, tmp_path / "clean-variants") is None


def _slice_of(site, page) -> int:
    """How many pages the slice of the output page ``page`` has."""
    rel = page.relative_to(site.root / "public").as_posix()
    records = [marshal.loads(path.read_bytes()) for path in (site.root / ".ssg-cache/search").glob("*/slice.bin")]
    return next(len(record["rels"]) for record in records if rel in record["rels"])


def test_a_kept_chunk_that_does_not_read_back_makes_the_merge_whole(tmp_path, small_slices, monkeypatch, search_here):
    """The merge after an edit reads the last merge's chunks back; one that does not decode (a cache
    file garbled on disk) makes it start again and join every slice's words: the bundle is a clean
    build's, and nothing is left of the attempt."""
    import generator.search.splice as splice

    site = _archive(tmp_path / "site")
    assert site.ssg("build").code == 0
    failed = []
    real = splice.Spliced.of

    def garbled(path):
        failed.append(path.name)
        raise ValueError("not CBOR")

    def of(*args):
        found = real(*args)
        assert found is not None
        found.decoded.clear()  # every chunk read from here on fails
        monkeypatch.setattr(splice, "_entries", garbled)
        return found

    monkeypatch.setattr(splice.Spliced, "of", of)
    story = site.root / "content/articles/2021/story-002.md"
    story.write_text(story.read_text() + "\nA pangolin crossed the picket line.\n")
    result = site.ssg("build", "-v")
    assert result.code == 0, result.err
    assert len(failed) == 1, failed
    assert _same_as_clean(site, tmp_path / "clean") is None


def _watch_worker(monkeypatch) -> list:
    """Each build's search process as the build saw it: [pid, what it indexed (None: it failed)]."""
    from generator.search import worker

    seen = []
    index, result = worker.SearchWorker.index, worker.SearchWorker.result
    monkeypatch.setattr(worker.SearchWorker, "index", lambda self, *args: seen.append([self.pid]) or index(self, *args))
    monkeypatch.setattr(worker.SearchWorker, "result", lambda self: seen[-1].append(result(self)) or seen[-1][1])
    return seen


def test_an_edit_is_indexed_by_a_process_of_its_own(tmp_path, small_slices, monkeypatch):
    """A build with a last index forks its search stage as it begins: the process reads the last
    index ahead, indexes the story pages once they are written (the other outputs are written
    meanwhile) and hands back what it did. The edit's slice alone is indexed, the output is a clean
    build's, the process is gone when the build returns, and the cache the build saved meanwhile
    says nothing changed to the next build."""
    seen = _watch_worker(monkeypatch)
    site = _archive(tmp_path / "site")
    assert site.ssg("build").code == 0
    assert seen == []  # (a first build: nothing to read ahead, both cores index)
    story = site.root / "content/articles/2021/story-002.md"
    story.write_text(re.sub(r"tags: .*", "tags: [Okapis, Labour]", story.read_text()) + "\nA pangolin voted.\n")
    result = site.ssg("build", "-v")
    assert result.code == 0, result.err
    assert len(seen) == 1 and seen[0][1] is not None and seen[0][1].indexed == 1, seen
    assert re.search(r"indexed 1 of \d+ search slices", result.out), result.out
    assert gone(seen[0][0])
    assert _same_as_clean(site, tmp_path / "clean") is None
    assert tree_hashes(site.root / "public") == tree_hashes(tmp_path / "clean/public")
    assert "Nothing changed" in site.ssg("build").out


@pytest.mark.parametrize("when", ["at once", "with the pages"])
def test_a_search_process_that_dies_leaves_the_index_to_the_build(tmp_path, small_slices, monkeypatch, when):
    """The search process killed before it reads the pages, or while it indexes them: the build
    indexes in its own process, from whatever the process left, and the output is a clean build's."""
    from generator.search import worker

    seen = _watch_worker(monkeypatch)
    site = _archive(tmp_path / "site")
    assert site.ssg("build").code == 0
    if when == "at once":
        monkeypatch.setattr(worker, "_serve", lambda *args: os._exit(3))
    else:
        real = worker.index_slices

        def dying(tree, pages, *args):
            real(tree, dict(list(pages.items())[:-1]), *args)  # (a bundle of other pages, half placed)
            os._exit(3)

        monkeypatch.setattr(worker, "index_slices", dying)
    story = site.root / "content/articles/2021/story-002.md"
    story.write_text(story.read_text() + "\nA pangolin voted.\n")
    result = site.ssg("build", "-v")
    assert result.code == 0, result.err
    assert len(seen) == 1 and seen[0][1:] in ([], [None]), seen  # (a pipe closed already: never handed over)
    assert gone(seen[0][0])
    assert _same_as_clean(site, tmp_path / "clean") is None
    assert tree_hashes(site.root / "public") == tree_hashes(tmp_path / "clean/public")


def test_what_pagefind_reports_in_the_search_process_is_the_build_s_error(tmp_path, small_slices, monkeypatch):
    """Pagefind's problems come back from the search process as the build's own: exit 1, each
    reported, and the last output left as it was."""
    import generator.search.patch as patch
    import generator.search.stage as stage
    from generator.diagnostics import error

    seen = _watch_worker(monkeypatch)
    site = _archive(tmp_path / "site")
    assert site.ssg("build").code == 0
    before = tree_hashes(site.root / "public")
    failing = lambda *args, **kwargs: [error("pagefind", 1, 1, "search", "Pagefind stopped: out of pangolins")]  # noqa: E731
    monkeypatch.setattr(stage, "index", failing)
    monkeypatch.setattr(patch, "index", failing)
    story = site.root / "content/articles/2021/story-002.md"
    story.write_text(story.read_text() + "\nA pangolin voted.\n")
    result = site.ssg("build")
    assert result.code == 1
    assert "pagefind:1:1: error: search: Pagefind stopped: out of pangolins" in result.err, result.err
    assert len(seen) == 1 and seen[0][1] is not None and seen[0][1].diagnostics, seen
    assert tree_hashes(site.root / "public") == before


def test_the_slices_and_keys_worked_out_ahead_are_those_of_the_pages(tmp_path, small_slices):
    """The search process works out the last build's slices and their keys ahead; given the pages
    of the next build, it keeps a slice's key only where its pages and what Pagefind reads of them
    are as they were: the slices and keys are those worked out from the pages alone, whatever
    changed."""
    from generator.search.stage import STORE, ReadAhead, _known

    site = _archive(tmp_path / "site")
    assert site.ssg("build").code == 0
    store = site.root / ".ssg-cache" / STORE
    known = _known(store)
    last = {rel: (digest, values) for rel, (_, digest, values) in known.items()}
    some = sorted(last)[40]
    changes = {
        "none": last,
        "one page's text": last | {some: ("another digest", last[some][1])},
        "a page added": last | {"2099/01/new/index.html": ("new", {})},
        "a page gone": {rel: entry for rel, entry in last.items() if rel != some},
    }
    for name, digests in changes.items():
        ahead = ReadAhead.of(store, "en")
        fresh = ReadAhead(known)  # (as a build without the process works them out)
        assert ahead.slices and ahead.sliced(digests, "en") == fresh.sliced(digests, "en"), name
        assert ahead.sliced(digests, "fr") == fresh.sliced(digests, "fr"), name
    ahead = ReadAhead.of(store, "en")
    slices, keys = ahead.sliced(changes["one page's text"], "en")
    assert sum(key != before for key, before in zip(keys, ahead.keys, strict=True)) == 1


def test_a_build_that_stops_while_its_search_process_indexes_leaves_nothing_running(tmp_path, small_slices,
                                                                                     monkeypatch):
    """The build stops (here: a file it cannot write) once it has handed the pages over, while the
    search process runs a program of its own (as it runs Pagefind): both are ended before the build
    returns, and the last output is left as it was."""
    import subprocess
    import time

    import generator.output.publish as publish
    from generator.search import worker

    site = _archive(tmp_path / "site")
    assert site.ssg("build").code == 0
    before = tree_hashes(site.root / "public")
    started = tmp_path / "started"

    def indexing(*args):  # in the search process
        program = subprocess.Popen(["sleep", "60"])
        started.write_text(str(program.pid))
        time.sleep(60)

    calls, real = [], publish.write_outputs

    def write(outputs, **kwargs):
        calls.append(len(outputs))
        if len(calls) == 2:  # the outputs written while the search process indexes
            for _ in range(200):
                if started.is_file() and started.read_text():
                    break
                time.sleep(0.05)
            raise OSError(28, "No space left on device")
        return real(outputs, **kwargs)

    monkeypatch.setattr(worker, "index_slices", indexing)
    monkeypatch.setattr(publish, "write_outputs", write)
    seen = _watch_worker(monkeypatch)
    story = site.root / "content/articles/2021/story-002.md"
    story.write_text(story.read_text() + "\nA pangolin voted.\n")
    result = site.ssg("build")
    assert result.code != 0 and "Traceback" not in result.err, result.err
    assert len(seen) == 1 and len(calls) == 2, (seen, calls)
    assert gone(seen[0][0]) and gone(int(started.read_text()))
    assert tree_hashes(site.root / "public") == before
