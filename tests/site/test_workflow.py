"""Editors' tools: ssg new, tags, duplicate originals, CI and pre-commit files."""

import os
import re
import shutil

import yaml

from conftest import REPO, sample_copy, story, tree_hashes


def test_new_writes_a_valid_story_and_never_overwrites(site):
    result = site.ssg("new", "Studio hires an AI unit", "--source", "https://www.example-news.com/a?utm_source=x",
                      "--tag", "AI", "--tag", "Studios", "--date", "2024-03-05T10:00")  # fmt: skip
    assert result.code == 0, result.err
    assert result.out == "content/articles/2024/studio-hires-an-ai-unit.md\n"
    text = site.read("content/articles/2024/studio-hires-an-ai-unit.md")
    assert "name: example-news.com\n" in text and "- Studios\n" in text
    assert site.ssg("check").code == 0
    again = site.ssg("new", "Studio hires an AI unit", "--source", "https://example.com/b", "--date", "2024-03-05")
    assert again.code == 1
    assert again.err == (
        "ssg: error: content/articles/2024/studio-hires-an-ai-unit.md already exists; nothing was written\n"
    )
    assert site.ssg("new", "Bad", "--source", "ftp://x.example/").code == 1
    assert site.ssg("new", "Bad", "--source", "https://x.example/", "--date", "soon").code == 2


def test_same_original_behind_tracking_parameters(site):
    site.write("content/articles/a.md", story(title="A", url="https://www.news.example/story/?utm_source=feed#top"))
    site.write("content/articles/b.md", story(title="B", url="http://news.example/story?fbclid=123"))
    site.write("content/articles/c.md", story(title="C", url="https://news.example/story?page=2"))
    result = site.ssg("check")
    assert result.code == 1
    lines = result.err.splitlines()
    assert lines[0] == ("content/articles/a.md:6:8: error: source.url: the same original (its URL differs only in "
                        "http/https, www., a trailing slash or tracking parameters) is also archived by "
                        "content/articles/b.md")  # fmt: skip
    assert not any("c.md" in line for line in lines)


def test_tags_report_and_strict_vocabulary(site):
    site.write("site.yml", "title: T\nbase_url: https://example.org/\nsearch: false\n"
               "tags:\n  strikes: {name: Strikes, aliases: [walkout]}\n")  # fmt: skip
    site.write("content/articles/a.md", story(title="A", extra="tags: [Strike, AI]\n"))
    site.write("content/articles/b.md", story(title="B", extra="tags: [Strikes, Walkout, A.I.]\n"))
    site.write("content/articles/c.md", story(title="C", extra="tags: [Labour-Law, labourlaw]\n"))
    result = site.ssg("tags")
    assert result.code == 0, result.err
    assert re.search(r"^strikes +1  Strikes \(1\), Walkout \(1\)  aliases: walkout$", result.out, re.M)
    assert re.search(r"^ai +2  A\.I\. \(1\), AI \(1\)$", result.out, re.M)
    assert "  strike -> strikes  (singular and plural; 1 and 1 stories)" in result.out
    assert "  labourlaw -> labour-law  (the same without hyphens; 1 and 1 stories)" in result.out
    site.write("site.yml", (site.root / "site.yml").read_text() + "tags_strict: true\n")
    result = site.ssg("check")
    assert result.code == 1
    assert "content/articles/a.md:7:8: error: tags: tag 'Strike' is not in the vocabulary of site.yml " \
           "(tags_strict) (did you mean 'strikes'?)" in result.err.splitlines()


def test_ci_workflow_in_the_docs_runs_against_the_sample(tmp_path):
    text = (REPO / "docs/ci.md").read_text()
    workflow = yaml.safe_load(text.split("```yaml\n", 1)[1].split("```", 1)[0])
    steps = workflow["jobs"]["build"]["steps"]
    commands = [s["run"] for s in steps if "run" in s and s["run"].startswith("ssg ")]
    assert commands == ["ssg check", "ssg build --verbose"]
    cached = next(s["with"]["path"].split() for s in steps if s.get("uses", "").startswith("actions/cache"))
    assert cached == [".ssg-cache", "public"]
    assert any(s.get("uses", "").startswith("actions/deploy-pages") for s in workflow["jobs"]["deploy"]["steps"])
    site = sample_copy(tmp_path / "repo")
    for command in commands:
        result = site.ssg_process(*command.split()[1:], env={"GITHUB_ACTIONS": "true"})
        assert result.code == 0, (command, result.err)
    built = tree_hashes(site.public)

    def next_run(n: int, edit: bool = False) -> None:
        """A fresh checkout in the same place, then the cached folders restored
        (new inodes and file times for the checkout, the cached files' own times)."""
        saved = tmp_path / f"saved{n}"
        for folder in cached:
            shutil.move(site.root / folder, saved / folder)
        shutil.rmtree(site.root)
        sample_copy(site.root)
        if edit:
            story = site.root / "content/articles/2023/netflix-ai-job.md"
            story.write_text(story.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
        for path in site.root.rglob("*"):  # a checkout writes every file anew
            os.utime(path)
        for folder in cached:
            shutil.copytree(saved / folder, site.root / folder, symlinks=True)

    def ci_build() -> str:
        result = site.ssg_process("build", "--verbose", env={"GITHUB_ACTIONS": "true"})
        assert result.code == 0, result.err
        return result.out

    # The first run after the first build reads the files whose mtime changed: the same bytes, so nothing is
    # parsed, rendered or encoded (the images' variants are in the cache, under what the originals hold).
    next_run(2)
    assert "parsed 0 files, rendered 0 of 116 files; encoded 0 images" in ci_build()
    assert tree_hashes(site.public) == built
    next_run(3)  # from then on, a checkout of the same commit is no change at all
    assert ci_build().startswith("Nothing changed")
    assert tree_hashes(site.public) == built
    next_run(4, edit=True)  # a commit that edits one story: the quick way, in the spare tree (the output before last)
    restored = (site.root / ".ssg-cache/spare").stat().st_ino
    out = ci_build()
    assert "parsed 1 files, rendered 8 of 116 files; the quick way" in out  # the story's page and its feeds
    assert site.public.stat().st_ino == restored
    assert "One more line." in (site.public / "2023/07/netflix-ai-job/index.html").read_text(encoding="utf-8")
    site.write("content/articles/broken.md", "---\ntitle: Broken\n---\n")
    result = site.ssg_process("check", env={"GITHUB_ACTIONS": "true"})
    assert result.code == 1
    assert "::error file=content/articles/broken.md,line=2,col=1::date: is required" in result.err


def test_pre_commit_hook_runs_ssg_check():
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    assert hooks[0]["id"] == "ssg-check" and hooks[0]["entry"] == "ssg check"
    assert hooks[0]["pass_filenames"] is False


def test_links_between_stories_by_file_path(site):
    site.write("content/articles/2023/first.md", story(title="First", body="Intro.\n\n## The details\n\nMore."))
    site.write("content/articles/2024/second.md", story(
        title="Second", date="2024-01-02",
        body="See [the first](../2023/first.md#the-details), [about](../../pages/about.md) and [gone](gone.md)."))
    site.write("content/pages/about.md", "---\ntitle: About\n---\nBack to [the second](../articles/2024/second.md).\n")
    result = site.ssg("build")
    assert result.code == 1
    assert result.err.splitlines()[0] == (
        "content/articles/2024/second.md:8:89: error: body: link to 'gone.md': "
        "no published story or page content/articles/2024/gone.md"
    )
    site.write("content/articles/2024/second.md", story(
        title="Second", date="2024-01-02", body="See [the first](../2023/first.md#nope)."))
    assert "has no heading with the id 'nope'" in site.ssg("build").err
    site.write("content/articles/2024/second.md", story(
        title="Second", date="2024-01-02", body="See [the first](../2023/first.md#the-details)."))
    assert site.ssg("build").code == 0
    assert 'href="/2023/07/first/#the-details">the first</a>' in site.read("public/2024/01/second/index.html")
    assert 'href="/2024/01/second/">the second</a>' in site.read("public/about/index.html")
    feed = site.read("public/feed.xml")
    assert 'href="https://example.org/2023/07/first/#the-details"' in feed
    # the target moves: the page that links to it follows without being edited
    site.write("content/articles/2023/first.md", story(title="First", body="Intro.\n\n## The details\n\nMore.",
                                                      extra="slug: first-renamed\n"))  # fmt: skip
    assert site.ssg("build").code == 0
    assert 'href="/2023/07/first-renamed/#the-details"' in site.read("public/2024/01/second/index.html")
