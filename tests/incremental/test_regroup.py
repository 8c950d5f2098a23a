"""Regrouping an edit (``generator/incremental/regroup.py``) follows the
archive's own rules: after each kind of edit, the structure it makes from the
last snapshot is the one a full collect of the edited files gives, and it
names the pages that change, come and go. (The end-to-end comparisons with
clean builds are in ``test_incremental.py``.)"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from pathlib import Path

import pytest

from conftest import story
from generator.config.site import load_config
from generator.content.archive import collect
from generator.content.frontmatter import parse
from generator.content.markdown.convert import render_markdown
from generator.content.model import SourceFile
from generator.content.shape import card, shape
from generator.incremental.regroup import _periods, regroup
from generator.incremental.snapshot import MonthRow, Structure, YearRow, snapshot

SITE = """\
title: Regroup
base_url: https://example.org/
timezone: UTC
per_page: 2
search: false
"""


class Archive:
    """Stories written to a folder and read as a build reads them."""

    def __init__(self, root: Path, config_text: str = SITE):
        self.root = root
        (root / "site.yml").write_text(config_text, encoding="utf-8")
        self.config, problems = load_config(root / "site.yml")
        assert not problems
        self.docs: dict[str, object] = {}

    def write(self, name: str, title: str, date: str, tags=(), outlet="The Outlet", url=None):
        rel = f"content/articles/{name}.md"
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        extra = f"tags: [{', '.join(tags)}]\n" if tags else ""
        path.write_text(story(title, date, url=url, extra=extra, name=outlet), encoding="utf-8")
        doc, problems = parse(SourceFile("article", rel, str(path)), self.config)
        assert not problems, problems
        key = hashlib.sha256(path.read_bytes()).hexdigest()
        rendered, _, problems = render_markdown(doc, self.config.markdown, key)
        assert not problems, problems
        self.docs[rel] = replace(rendered, shape=shape(rendered, self.config), card=card(rendered))
        return self.docs[rel]

    def structure(self) -> Structure:
        archive, problems = collect(list(self.docs.values()), self.config)
        assert not problems, problems
        return snapshot("id", "frame", list(self.docs.values()), archive, {}, {}, "", {})[0]

    def number(self, snap: Structure, name: str) -> int:
        return next(i for i, row in enumerate(snap.stories) if row.file == f"content/articles/{name}.md")


def same_archive(a: Structure, b: Structure) -> None:
    for field in ("stories", "pages", "tags", "sources", "years", "originals"):
        assert getattr(a, field) == getattr(b, field), field


@pytest.fixture
def archive(tmp_path) -> Archive:
    site = Archive(tmp_path)
    site.write("a", "Strike begins", "2023-05-02", ["strike", "Writers"])
    site.write("b", "Talks resume", "2023-05-20", ["strike"], outlet="Variety")
    site.write("c", "A deal", "2023-09-27", ["deal", "writers"], outlet="Variety")
    site.write("d", "Actors join", "2023-07-14", ["strike", "actors"])
    return site


def rewritten(archive, name: str, *story, **fields):
    """The regrouping of one story written anew, checked against a full collect of the edited files."""
    snap = archive.structure()
    old = archive.docs[f"content/articles/{name}.md"].doc
    new = archive.write(name, *story, **fields).doc
    regrouped = regroup(snap, [(archive.number(snap, name), old, new)], archive.config)
    same_archive(regrouped.structure, archive.structure())
    return regrouped


def test_a_retag_gives_the_lists_a_full_collect_gives(archive):
    regrouped = rewritten(archive, "b", "Talks resume", "2023-05-20", ["talks", "writers"], outlet="Variety")
    # Its old and new tags' pages are planned again, and "writers" takes the more frequent spelling.
    assert regrouped.groupings["tags"].terms == {"strike", "talks", "writers"}
    assert regrouped.groupings["tags"].renamed == {"writers"}
    assert regrouped.groupings["tags"].counts == {"strike": 3, "talks": 0, "writers": 2}
    assert not regrouped.dated and not regrouped.gone and not regrouped.appeared and regrouped.pages == 0


def test_an_outlet_change_moves_the_story_between_outlets(archive):
    regrouped = rewritten(archive, "a", "Strike begins", "2023-05-02", ["strike", "Writers"], outlet="Variety")
    assert regrouped.groupings["sources"].terms == {"the-outlet", "variety"}
    assert regrouped.groupings["tags"].terms == set()


def test_a_re_date_in_the_month_numbers_the_archive_anew(archive):
    regrouped = rewritten(archive, "a", "Strike begins", "2023-05-28", ["strike", "Writers"])  # now after b
    after = regrouped.structure
    assert [row.file[-4:] for row in after.stories] == ["c.md", "d.md", "a.md", "b.md"]
    assert after.years == (YearRow(2023, (MonthRow(9, (0,)), MonthRow(7, (1,)), MonthRow(5, (2, 3)))),)
    assert regrouped.dated
    # Its old neighbour shows another story beside it (its new ones show it, which changed: planned anyway).
    assert regrouped.neighbours == {"/2023/05/talks-resume/"}
    assert regrouped.groupings["tags"].terms == {"strike", "writers"}  # its lists show it elsewhere
    assert regrouped.periods == frozenset()  # every count is the same


def test_a_story_added_in_a_new_year_adds_its_pages(archive):
    snap = archive.structure()
    new = archive.write("e", "A new season", "2024-01-08", ["actors"])
    url = "/2024/01/a-new-season/"
    regrouped = regroup(snap, [], archive.config, added=[("content/articles/e.md", url, new.doc)])
    same_archive(regrouped.structure, archive.structure())
    # Five stories at two a page: the home list gets a third page.
    assert regrouped.appeared == {url, "/2024/", "/2024/01/", "/page/3/"}
    assert regrouped.pages == 4 and not regrouped.gone
    # The new year, and 2023's page, which shows its neighbours' counts.
    assert regrouped.periods == {(2024, None), (2024, 1), (2023, None), (2023, 9), (2023, 7), (2023, 5)}
    assert regrouped.groupings["tags"].counts == {"actors": 1}


def test_a_story_taken_away_takes_its_month_and_home_page(archive):
    snap = archive.structure()
    gone = archive.docs.pop("content/articles/c.md")
    regrouped = regroup(snap, [], archive.config, removed=[(archive.number(snap, "c"), gone.doc)])
    same_archive(regrouped.structure, archive.structure())
    assert regrouped.gone == {"/2023/09/a-deal/", "/2023/09/"}
    assert regrouped.groupings["tags"].terms == {"deal", "writers"}
    assert regrouped.groupings["sources"].terms == {"variety"}
    assert regrouped.pages == -2


def test_an_added_and_a_removed_story_at_once(archive):
    snap = archive.structure()
    gone = archive.docs.pop("content/articles/d.md")
    new = archive.write("f", "Actors' deal", "2023-11-09", ["actors", "deal"], outlet="Deadline")
    regrouped = regroup(snap, [], archive.config, removed=[(archive.number(snap, "d"), gone.doc)],
                        added=[("content/articles/f.md", "/2023/11/actors-deal/", new.doc)])  # fmt: skip
    same_archive(regrouped.structure, archive.structure())
    assert regrouped.appeared == {"/2023/11/actors-deal/", "/2023/11/"}
    assert regrouped.gone == {"/2023/07/actors-join/", "/2023/07/"}


@pytest.mark.parametrize("case", ["another month", "same original", "strict tags", "news sitemap", "no story left"])
def test_what_the_full_build_must_take(tmp_path, case):
    config = SITE + ("tags_strict: true\ntags:\n  strike: {}\n" if case == "strict tags" else "")
    config += "news_sitemap: true\n" if case == "news sitemap" else ""
    archive = Archive(tmp_path, config)
    old = archive.write("a", "Strike begins", "2023-05-02", ["strike"]).doc
    snap = archive.structure()
    retags, added, removed = [], [], []
    if case == "another month":
        retags = [(0, old, archive.write("a", "Strike begins", "2023-06-02", ["strike"]).doc)]
    elif case == "same original":  # the URL differs only in www. and a tracking parameter
        url = "https://www.news.example.com/strike-begins?utm_source=x"
        added = [("content/articles/b.md", "/2023/05/b/", archive.write("b", "B", "2023-05-03", url=url).doc)]
    elif case == "strict tags":
        retags = [(0, old, archive.write("a", "Strike begins", "2023-05-02", ["strke"]).doc)]
    elif case == "news sitemap":
        added = [("content/articles/b.md", "/2023/05/b/", archive.write("b", "B", "2023-05-03").doc)]
    else:
        removed = [(0, old)]
    assert regroup(snap, retags, archive.config, removed, added) is None


def test_periods_are_those_whose_counts_change():
    before = ((2024, ((1, (0,)),)), (2023, ((7, (1, 2)), (5, (3,)))))
    after = ((2024, ((1, (0,)),)), (2023, ((7, (1,)), (5, (2, 3)))))  # a story moved from July to May
    assert _periods(before, after) == {(2023, 7), (2023, 5)}  # the year's count, and so every year page, stays
    gone = ((2024, ((1, (0,)),)), (2023, ((7, (1,)), (5, (2,)))))
    fewer = ((2024, ((1, (0,)),)), (2023, ((7, (1,)),)))  # May's story taken away
    # 2023 shows another count, and so do its months and the year beside it (which shows its neighbours' counts).
    assert _periods(gone, fewer) == {(2023, None), (2023, 7), (2024, None), (2024, 1)}
