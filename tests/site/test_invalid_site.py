"""One tiny invalid site, one failure per file, messages asserted verbatim."""

import shutil

from conftest import FIXTURES, Site, tree_hashes

FIXTURE = FIXTURES / "invalid"
BAD = "content/articles/bad/"

EXPECTED = [
    BAD + "broken-yaml.md:4:9: error: invalid YAML: while parsing a flow sequence, did not find expected ',' or ']'",
    BAD + "empty.md:1:1: error: file is empty; a story needs front matter between '---' lines",
    BAD + "image-without-alt.md:6:3: error: image.alt: is required: describe the image for readers who cannot see it",
    BAD + "impossible-date.md:3:7: error: date: invalid date '2023-02-30': day is out of range for month",
    BAD + "javascript-url.md:6:8: error: source.url: must be an absolute http(s) URL (scheme is 'javascript')",
    BAD + "missing-source.md:2:1: error: source: is required; for example:",
    "    source:",
    "      url: https://www.example.com/2023/07/the-original-story/",
    BAD + "missing-title.md:2:1: error: title: is required; for example:",
    "    title: \"Studio advertises an AI job during the strike\"",
    BAD + "no-front-matter.md:1:1: error: no front matter: the file must start with a '---' line",
    BAD + "not-utf8.md:2:12: error: file is not valid UTF-8 (byte 0xe9)",
    BAD + "same-source-1.md:4:29: error: source.url: the same original is also archived by "
    "content/articles/bad/same-source-2.md",
    BAD + "same-source-2.md:4:29: error: source.url: the same original is already archived by "
    "content/articles/bad/same-source-1.md",
    BAD + "same-url-1.md:2:8: error: title: URL /2023/07/same-url/ is also used by content/articles/bad/same-url-2.md",
    BAD + "same-url-2.md:2:8: error: title: URL /2023/07/same-url/ is also used by content/articles/bad/same-url-1.md",
    BAD + "slug-slash.md:5:7: error: slug: must be lowercase a-z, 0-9 and '-' only, like 'etc-passwd'",
    BAD + "tags-number.md:5:7: error: tags: must be a list or a comma-separated string, not a number",
    BAD + "unclosed-front-matter.md:1:1: error: front matter is not closed: add a '---' line after it",
    BAD + "unknown-key.md:5:1: error: tagz: unknown key (did you mean 'tags'?)",
    BAD + "updated-before-date.md:4:10: error: updated: must not be before date",
    "ssg: 18 errors. The previous output was left untouched.",
]


def _copy(tmp_path) -> Site:
    root = tmp_path / "invalid"
    shutil.copytree(FIXTURE, root)
    return Site(root)


def test_every_bad_file_gets_exactly_one_precise_message(tmp_path):
    site = _copy(tmp_path)
    shutil.move(site.root / "content/articles/bad", tmp_path / "bad")
    first = site.ssg("build")
    assert first.code == 0, first.err
    before = tree_hashes(site.public)
    shutil.move(tmp_path / "bad", site.root / "content/articles/bad")

    result = site.ssg("build")

    assert result.code == 1
    assert result.err.splitlines() == EXPECTED
    assert "Traceback" not in result.err
    assert tree_hashes(site.public) == before
    assert sorted(p.name for p in site.root.iterdir()) == [".ssg-cache", "content", "public", "site.yml"]
    files_with_errors = {line.split(":")[0] for line in EXPECTED[:-1] if not line.startswith(" ")}
    assert len(files_with_errors) == len(list((site.root / BAD).iterdir())) >= 15


def test_check_reports_the_same_and_writes_nothing(tmp_path):
    site = _copy(tmp_path)
    result = site.ssg("check")
    assert result.code == 1
    assert result.err.splitlines()[:-1] == EXPECTED[:-1]
    assert result.err.splitlines()[-1] == "ssg: 18 errors."
    assert not site.public.exists()


def test_no_traceback_from_a_real_process(tmp_path):
    site = _copy(tmp_path)
    result = site.ssg_process("build")
    assert result.code == 1
    assert result.err.splitlines() == EXPECTED
    assert not site.public.exists()


def test_github_annotations(tmp_path):
    site = _copy(tmp_path)
    result = site.ssg("check", env={"GITHUB_ACTIONS": "true"})
    assert (
        "::error file=content/articles/bad/impossible-date.md,line=3,col=7::"
        "date: invalid date '2023-02-30': day is out of range for month"
    ) in result.err.splitlines()
