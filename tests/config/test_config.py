"""site.yml: unknown keys, wrong types and bad values point at their line."""

import pytest


def _errors(site, config: str) -> list[str]:
    site.write("site.yml", config)
    result = site.ssg("check")
    assert result.code == 1, result.out
    assert "Traceback" not in result.err
    return result.err.splitlines()[:-1]


def test_unknown_key_with_suggestion(site):
    assert _errors(site, "title: T\nbase_url: https://example.org/\ntittle: X\n") == [
        "site.yml:3:1: error: tittle: unknown key (did you mean 'title'?)"
    ]


def test_every_problem_is_reported(site):
    config = """\
title: ""
base_url: ftp://example.org/
per_page: many
timezone: Mars/Olympus
markdown:
  html: yes please
permalinks:
  article: /{year}/{name}/
tags:
  AI Stuff: {name: AI}
feeds: {entries: 0}
"""
    assert _errors(site, config) == [
        "site.yml:1:8: error: title: must not be empty",
        "site.yml:2:11: error: base_url: must be an absolute http(s) URL (scheme is 'ftp')",
        "site.yml:3:11: error: per_page: must be a whole number, not a string",
        "site.yml:4:11: error: timezone: unknown time zone 'Mars/Olympus'",
        "site.yml:6:9: error: markdown.html: must be true or false, not a string",
        "site.yml:8:12: error: permalinks.article: unknown placeholder {name} (allowed: year, month, day, slug)",
        "site.yml:10:3: error: tags.AI Stuff: tag keys must be slugs like 'ai-stuff'",
        "site.yml:11:18: error: feeds.entries: must be at least 1",
    ]


def test_missing_required_keys(site):
    assert _errors(site, "description: nothing else\n") == [
        "site.yml:1:1: error: base_url: is required",
        "site.yml:1:1: error: title: is required",
    ]


def test_duplicate_key_is_an_error(site):
    assert _errors(site, "title: A\ntitle: B\nbase_url: https://example.org/\n") == [
        "site.yml:2:1: error: duplicate key 'title' (first set on line 1)"
    ]


def test_yaml_syntax_error(site):
    assert _errors(site, "title: [A\nbase_url: https://example.org/\n") == [
        "site.yml:2:9: error: invalid YAML: while parsing a flow sequence, did not find expected ',' or ']'"
        " (started at line 1, column 8)"
    ]


def test_config_flag_and_missing_config_is_usage_error(site, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (site.root / "site.yml").rename(elsewhere / "custom.yml")
    assert site.ssg("check").code == 2
    result = site.ssg("check", "--config", str(elsewhere / "custom.yml"))
    # The site root is the config's folder, which has no content/ folder.
    assert result.code == 1
    assert "content_dir: folder 'content' not found" in result.err


@pytest.mark.parametrize("args", [["build", "--nope"], ["frobnicate"], []])
def test_usage_errors_exit_2(site, args):
    assert site.ssg(*args).code == 2


def test_version(site):
    result = site.ssg_process("--version")
    assert result.code == 0 and result.out.startswith("ssg ")


def test_the_command_ends_with_mains_exit_code_and_all_its_output(site):
    """The console command leaves with os._exit: codes and buffered output must survive it."""
    result = site.ssg_process("build", "--no-such-option")
    assert result.code == 2 and "unrecognized arguments: --no-such-option" in result.err
    site.write("content/articles/a.md", "---\ntitle: A\ndate: 2023-01-02\nsource: https://example.com/a\n---\nx\n")
    result = site.ssg_process("build", "-v")
    assert result.code == 0 and result.out.startswith("Built 1 story, ") and "render+write" in result.out
    site.write("content/articles/b.md", "---\ntitle: B\n---\nx\n")
    result = site.ssg_process("build")
    assert result.code == 1 and "content/articles/b.md:" in result.err


def test_base_url_override_and_sub_path(site):
    site.write("content/articles/a.md", "---\ntitle: A\ndate: 2023-01-02\nsource: https://example.com/a\n---\nx\n")
    result = site.ssg("build", "--base-url", "https://mirror.example.net/archive")
    assert result.code == 0, result.err
    html = site.read("public/2023/01/a/index.html")
    assert 'href="https://mirror.example.net/archive/2023/01/a/"' in html
    assert 'href="/archive/tags/"' in html
    assert site.ssg("build", "--base-url", "javascript:alert(1)").code == 1
