"""Any sequence of edits, with search on, gives the output of a clean build.

The search index is made by the most involved incremental code of ssg: slices
kept in the cache, a slice patched by its changed pages alone (``patch.py``),
a merge that keeps the chunks an edit does not reach (``merge.py``,
``remerge.py``, ``halves.py``) and a bundle brought up to date in the spare
tree (``place.py``). Each of those has tests of its own; here Hypothesis
draws sequences of edits of every kind that reaches the index (words of a
body, a title, tags, the outlet, a date, a picture, a draft, a story added or
deleted, many stories of one slice at once; 46 stories in eight slices of
six, so that a few stories added make it sixteen) and each build's whole
output is compared with a build from nothing, file by file.
"""

import shutil

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import Site, tree_hashes

NOW = {"SOURCE_DATE_EPOCH": "1767225600"}
WORDS = "strike picket studio union contract streaming residuals writer actor producer camera budget vote".split()
RARE = ("zeppelin", "quokka", "café", "résumé", "naïve")  # with diacritics: Pagefind's word variants
OUTLETS = ("Film Weekly", "Screen Post", "The Daily Wire Service")
TAGS = ("Labour", "Film", "Television", "Music", "Games")
SVG = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 4 2"><rect width="4" height="2"/></svg>\n'


@pytest.fixture
def tiny_index(monkeypatch):
    """Slices of six pages, many small chunks, and a slice indexed whole past two changed pages: every
    path of the incremental index is taken by an archive of a few dozen stories."""
    import generator.search.halves as halves
    import generator.search.merge as merge
    import generator.search.patch as patch
    import generator.search.stage as stage

    monkeypatch.setattr(stage, "SLICE_PAGES", 6)
    monkeypatch.setattr(merge, "SMALLEST", 300)
    monkeypatch.setattr(merge, "LARGEST", 1200)
    monkeypatch.setattr(halves, "FEWEST_CHUNKS", 2)
    monkeypatch.setattr(patch, "MOST_CHANGED", 2)


def _story(number: int, version: int = 0, words: tuple[str, ...] = (), title: str = "", tags=None,
           outlet: int | None = None, date: str = "", picture: bool | None = None,
           draft: bool = False) -> str:  # fmt: skip
    body = " ".join(WORDS[(number * 7 + i * 3) % len(WORDS)] for i in range(20 + number % 9 * 10))
    picture = number % 4 == 0 if picture is None else picture
    lines = [
        "---",
        f"title: {title or f'Story {number} about {WORDS[number % len(WORDS)]}'}",
        f"date: {date or f'{2020 + number % 4}-{1 + number % 12:02d}-{1 + number % 27:02d}T10:00:00'}",
        f"source:\n  name: {OUTLETS[number % 3 if outlet is None else outlet]}\n  url: https://news.example.org/{number}",
        f"tags: [{', '.join(TAGS[(number + i) % 5] for i in range(1 + number % 3)) if tags is None else tags}]",
        *([f"image:\n  src: picture-{number}.svg\n  alt: A picture"] if picture else []),
        *(["draft: true"] if draft else []),
        "---",
        (body + " " + " ".join(words)).strip().capitalize() + f". Version {version}.",
    ]
    return "\n".join(lines) + "\n"


class Archive:
    """The stories of a site and the changes made to them, each story's front matter kept as arguments."""

    def __init__(self, root, stories: int = 46):
        self.site = Site(root)
        self.site.write("site.yml", "title: Sequences\nbase_url: https://seq.example.org/\ntimezone: UTC\n"
                                    "per_page: 8\n")  # fmt: skip
        self.stories: dict[int, dict] = {}
        for number in range(stories):
            self.put(number, {})
        self.added = stories

    def put(self, number: int, fields: dict) -> None:
        self.stories[number] = fields
        if fields.get("picture", number % 4 == 0):
            self.site.write(f"content/articles/picture-{number}.svg", SVG)
        self.site.write(f"content/articles/story-{number:03d}.md", _story(number, **fields))

    def change(self, action: str, pick: int, value: int) -> None:
        numbers = sorted(self.stories)
        number = numbers[pick % len(numbers)]
        fields = dict(self.stories[number], version=self.stories[number].get("version", 0) + 1)
        if action == "word":
            fields["words"] = (*fields.get("words", ()), RARE[value % len(RARE)] if value % 2 else WORDS[value % 13])
        elif action == "unword" and fields.get("words"):
            fields["words"] = fields["words"][:-1]
        elif action == "title":
            fields["title"] = f"Story {number} retitled {WORDS[value % 13]}"
        elif action == "retag":
            fields["tags"] = ", ".join(TAGS[(value + i) % 5] for i in range(1 + value % 2))
        elif action == "outlet":
            fields["outlet"] = value % 3
        elif action == "redate":  # the same month, or another year
            fields["date"] = f"{2020 + value % 4}-{1 + number % 12:02d}-{1 + value % 27:02d}T09:00:00"
        elif action == "picture":
            fields["picture"] = not fields.get("picture", number % 4 == 0)
        elif action == "draft":
            fields["draft"] = not fields.get("draft", False)
        elif action == "add":
            self.put(self.added, {"words": (RARE[value % len(RARE)],)})
            self.added += 1
            return
        elif action == "delete" and len(numbers) > 8:
            del self.stories[number]
            (self.site.root / f"content/articles/story-{number:03d}.md").unlink()
            return
        elif action == "many":  # a word in every story of a stretch: several in one slice
            for other in numbers[pick % len(numbers) :][: 3 + value % 6]:
                self.change("word", numbers.index(other), value)
            return
        self.put(number, fields)


def _clean(site: Site, root) -> dict[str, str]:
    shutil.rmtree(root, ignore_errors=True)
    shutil.copytree(site.root, root, ignore=shutil.ignore_patterns("public", ".ssg-cache"))
    result = Site(root).ssg("build", env=NOW)
    assert result.code == 0, result.err
    return tree_hashes(root / "public")


ACTIONS = ("word", "unword", "title", "retag", "outlet", "redate", "picture", "draft", "add", "delete", "many")
STEPS = st.lists(st.lists(st.tuples(st.sampled_from(ACTIONS), st.integers(0, 60), st.integers(0, 60)),
                          min_size=1, max_size=3), min_size=1, max_size=4)  # fmt: skip


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=STEPS)
def test_any_sequence_of_edits_with_search_matches_a_clean_build(tmp_path_factory, tiny_index, steps):
    tmp_path = tmp_path_factory.mktemp("seq")
    archive = Archive(tmp_path / "site")
    assert archive.site.ssg("build", env=NOW).code == 0
    for changes in steps:
        for action, pick, value in changes:
            archive.change(action, pick, value)
        result = archive.site.ssg("build", "-v", env=NOW)
        assert result.code == 0, result.err
        mine, clean = tree_hashes(archive.site.public), _clean(archive.site, tmp_path / "clean")
        assert mine == clean, (changes, sorted(set(mine.items()) ^ set(clean.items()))[:6])
