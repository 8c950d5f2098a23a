"""Hostile input, crashes, concurrent runs, resource limits and write failures."""

import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import generator.output.staging
from conftest import REPO, Site, story, tree_hashes
from generator.config.site import load_config
from generator.content.archive import parsed_original, same_original
from generator.content.frontmatter import parse, split
from generator.content.markdown.convert import render_markdown
from generator.content.model import SourceFile
from generator.util.slugs import MAX_LENGTH, slugify

SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
PROFILE = settings(max_examples=int(os.environ.get("SSG_HYPOTHESIS_EXAMPLES", "150")), deadline=None,
                   suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])  # fmt: skip

yaml_scalar = st.one_of(st.text(max_size=40), st.integers(), st.booleans(), st.none(), st.floats(allow_nan=False),
                        st.sampled_from(["2023-02-30", "2023-07-26T09:30:00+01:00", "javascript:x", "https://a.b/c",
                                         "&a [1, 2]", "*a", "!!binary AAAA", "'", '"', "{", "- x"]))  # fmt: skip
yaml_value = st.recursive(yaml_scalar, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                               st.dictionaries(st.text(max_size=8), inner, max_size=4)),
                          max_leaves=12)  # fmt: skip
keys = st.sampled_from(["title", "date", "updated", "source", "credit", "image", "tags", "summary", "slug", "draft",
                        "syndicated", "tittle", "", "source.url"])  # fmt: skip


def _config(tmp_path):
    (tmp_path / "site.yml").write_text("title: T\nbase_url: https://example.org/\n")
    (tmp_path / "content/articles").mkdir(parents=True, exist_ok=True)
    config, problems = load_config(tmp_path / "site.yml")
    assert config is not None, problems
    return config


def _check_outcome(tmp_path, config, text):
    path = tmp_path / "content/articles/x.md"
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8", "surrogatepass"))
    doc, problems = parse(SourceFile("article", "content/articles/x.md", str(path)), config)
    assert (doc is None) == bool(problems)
    for problem in problems:
        assert problem.line >= 1 and problem.col >= 1 and problem.path == "content/articles/x.md"
    if doc is not None:
        assert SLUG.match(doc.slug) and len(doc.slug) <= MAX_LENGTH
        rendered, html, more = render_markdown(doc, config.markdown, "k")
        assert (rendered is None) == bool(more)


@PROFILE
@given(front=st.dictionaries(keys, yaml_value, max_size=8), body=st.text(max_size=300))
def test_any_front_matter_gives_a_result_or_positioned_errors(tmp_path_factory, front, body):
    import yaml

    tmp_path = tmp_path_factory.mktemp("fm")
    config = _config(tmp_path)
    text = "---\n" + yaml.safe_dump(front, allow_unicode=True) + "---\n" + body
    _check_outcome(tmp_path, config, text)


@PROFILE
@given(raw=st.binary(max_size=400))
def test_any_bytes_give_a_result_or_positioned_errors(tmp_path_factory, raw):
    tmp_path = tmp_path_factory.mktemp("raw")
    _check_outcome(tmp_path, _config(tmp_path), b"---\n" + raw)


@PROFILE
@given(text=st.text(max_size=200))
def test_slugs_are_safe_and_folding_is_idempotent(text):
    slug = slugify(text)
    assert slug == "" or (SLUG.match(slug) and len(slug) <= MAX_LENGTH)
    assert slugify(slug) == slug
    assert "/" not in slug and ".." not in slug


@PROFILE
@given(text=st.text(alphabet=st.characters(max_codepoint=127), max_size=80))
def test_ascii_slugs_skip_transliteration_with_the_same_result(text):
    from generator.util.slugs import _DROPPED, transliterated

    assert _DROPPED.sub("", text.lower()) == transliterated(text)


@PROFILE
@given(text=st.one_of(st.text(alphabet=st.characters(max_codepoint=127), max_size=80), st.text(max_size=80)))
def test_words_are_counted_as_splitting_would_count_them(text):
    """The word count (reading time) of an ASCII body is counted on its bytes, of any other split."""
    from generator.content.markdown.convert import word_count

    assert word_count(text) == len(text.split())


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(title=st.text(min_size=1, max_size=60), tags=st.lists(st.text(max_size=12), max_size=4))
def test_whole_builds_never_crash_or_escape(tmp_path_factory, title, tags):
    import yaml

    root = tmp_path_factory.mktemp("b")
    site = Site(root)
    site.write("site.yml", "title: T\nbase_url: https://example.org/\nsearch: false\n")
    front = {"title": title, "date": "2023-01-01", "source": "https://a.example/1", "tags": tags}
    site.write("content/articles/a.md", "---\n" + yaml.safe_dump(front, allow_unicode=True) + "---\nx\n")
    result = site.ssg("build")
    assert result.code in (0, 1) and "Traceback" not in result.err
    if result.code == 1:
        assert re.match(r"^content/articles/a\.md:\d+:\d+: error: ", result.err)
    outside = sorted(p.name for p in root.iterdir())
    assert outside in ([".ssg-cache", "content", "public", "site.yml"], [".ssg-cache", "content", "site.yml"])


# -- file system ---------------------------------------------------------------


def test_links_out_of_the_site_are_refused(site, tmp_path):
    secret = tmp_path / "secret.md"
    secret.write_text(story(title="Secret"))
    os.symlink(secret, site.root / "content/articles/linked.md")
    result = site.ssg("build")
    assert result.code == 1
    assert "content/articles/linked.md:1:1: error: is a link to a file outside the site folder" in result.err
    (site.root / "content/articles/linked.md").unlink()
    site.write("content/articles/a.md", story(title="A"))
    site.write("site.yml", "title: T\nbase_url: https://example.org/\ntheme: mine\nsearch: false\n")
    site.write("themes/mine/theme.yml", "extends: default\n")
    (site.root / "themes/mine/templates").mkdir()
    os.symlink("/etc/passwd", site.root / "themes/mine/templates/404.html")
    result = site.ssg("build")
    assert result.code == 1
    assert "themes/mine/templates/404.html:1:1: error: is a link to a file outside the site folder" in result.err


def test_odd_file_names_and_special_files(site):
    site.write("content/articles/Mixed Case Story.md", story(title="Spaces and Case"))
    site.write("content/articles/ünïcødé-名前.md", story(title="Unicode file"))
    os.mkfifo(site.root / "content/articles/pipe.md")
    result = site.ssg("build")
    assert result.code == 0, result.err
    assert "content/articles/pipe.md:1:1: warning: is not a regular file; skipped" in result.err
    assert (site.public / "2023/07/spaces-and-case/index.html").exists()
    assert (site.public / "2023/07/unicode-file/index.html").exists()


# -- crashes ---------------------------------------------------------------------


def _big_site(root: Path, stories: int = 80) -> Site:
    site = Site(root)
    site.write("site.yml", "title: T\nbase_url: https://example.org/\nper_page: 5\nsearch: false\n")
    for n in range(stories):
        date = f"2023-{1 + n % 12:02d}-0{1 + n % 9}"
        site.write(f"content/articles/s{n:03d}.md", story(title=f"Story {n}", date=date,
                                                        extra=f"tags: [t{n % 7}, t{n % 5}]\n", body="Text. " * 200))
    return site


def test_sigkill_at_random_points_never_breaks_the_output(tmp_path):
    site = _big_site(tmp_path / "site")
    assert site.ssg_process("build").code == 0
    rng = random.Random(20261129)
    # how long a build takes here, to spread the kills over it
    started = time.monotonic()
    site.write("content/articles/s000.md", story(title="Story 0 timing", body="x"))
    assert site.ssg_process("build", "--no-cache").code == 0
    duration = time.monotonic() - started
    for trial in range(20):
        before = tree_hashes(site.public)
        site.write(f"content/articles/s{trial:03d}.md", story(title=f"Story {trial} v{trial}", body="y " * 50))
        proc = subprocess.Popen([sys.executable, "-m", "generator", "build", "--no-cache" if trial % 3 == 0 else "-v"],
                                cwd=site.root, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
        time.sleep(rng.uniform(0, duration))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        after = tree_hashes(site.public)
        result = site.ssg_process("build")
        assert result.code == 0, result.err
        complete = tree_hashes(site.public)
        assert after in (before, complete), f"trial {trial}: the output was left half-built"
        clean = tmp_path / f"clean{trial}"
        shutil.copytree(site.root, clean, ignore=shutil.ignore_patterns("public", ".ssg-cache", ".public.*"))
        assert Site(clean).ssg_process("build").code == 0
        assert complete == tree_hashes(clean / "public"), f"trial {trial}: the next build is wrong"
        shutil.rmtree(clean)
    leftovers = [p.name for p in site.root.iterdir() if "ssg-tmp" in p.name]
    assert leftovers == []


# -- concurrency -------------------------------------------------------------------


def test_two_builds_at_once_take_turns(tmp_path):
    site = _big_site(tmp_path / "site", 120)
    procs = [subprocess.Popen([sys.executable, "-m", "generator", "build", "--no-cache"], cwd=site.root,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]  # fmt: skip
    outputs = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outputs
    assert any("another build of this site is running" in err for _, err in outputs)
    clean = tmp_path / "clean"
    shutil.copytree(site.root, clean, ignore=shutil.ignore_patterns("public", ".ssg-cache"))
    assert Site(clean).ssg_process("build").code == 0
    assert tree_hashes(site.public) == tree_hashes(clean / "public")


# -- resource limits -------------------------------------------------------------------


def test_a_ten_megabyte_story_builds(site):
    body = ("A paragraph of an unusually long story, repeated for the test. " * 20 + "\n\n") * 7800
    assert 9.5e6 < len(body) < 11e6
    site.write("content/articles/big.md", story(title="Big", body=body))
    started = time.monotonic()
    result = site.ssg("build")
    assert result.code == 0, result.err
    assert time.monotonic() - started < 120


def test_too_large_file_is_refused(site):
    site.write("content/articles/huge.md", story(title="Huge", body="x" * (17 * 2**20)))
    result = site.ssg("check")
    assert result.err.splitlines()[0] == "content/articles/huge.md:1:1: error: file is 17.0 MB; the limit is 16 MB"


def test_five_thousand_tags_on_one_story(site):
    tags = ", ".join(f"tag{n}" for n in range(5000))
    site.write("content/articles/many.md", story(title="Many tags", extra=f"tags: [{tags}]\n"))
    result = site.ssg("build")
    assert result.code == 0, result.err
    assert len(list((site.public / "tags").iterdir())) == 5001


DEEP = {  # body, and the line where it gets too deep (the body starts on line 8)
    "quotes": ("> " * 1000 + "deep", 8),
    "lists": ("".join("  " * i + "- item\n" for i in range(1000)), 31),
    "emphasis": ("*" * 1000 + "x" + "*" * 1000, 8),
}


@pytest.mark.parametrize("kind", DEEP)
def test_deep_nesting_is_refused_never_dropped(site, kind):
    body, line = DEEP[kind]
    site.write("content/articles/deep.md", story(title="Deep", body=body))
    started = time.monotonic()
    result = site.ssg("build")
    assert time.monotonic() - started < 60
    assert result.code == 1
    assert result.err.splitlines()[0] == (
        f"content/articles/deep.md:{line}:1: error: body: nested more than 50 levels deep "
        "(lists, quotes or emphasis); flatten it"
    )
    site.write("content/articles/deep.md", story(title="Deep", body="> " * 40 + "forty deep"))
    assert site.ssg("build").code == 0
    assert "forty deep" in site.read("public/2023/07/deep/index.html")


def test_alias_bomb_and_huge_title(site):
    bomb = "a: &a [x,x,x,x,x,x,x,x,x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},"
        f"*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)}]\n" for i in range(9)
    )
    site.write("content/articles/bomb.md", "---\n" + bomb + "---\n")
    result = site.ssg("check")
    assert "content/articles/bomb.md:" in result.err and "alias bomb" in result.err
    (site.root / "content/articles/bomb.md").unlink()
    site.write("content/articles/long.md", story(title="word " * 20000))
    result = site.ssg("build")
    assert result.code == 0, result.err
    folder = next((site.public / "2023/07").iterdir())
    assert len(folder.name) <= MAX_LENGTH


# -- write failures ------------------------------------------------------------------


@pytest.mark.parametrize("error", [OSError(28, "No space left on device"), PermissionError(13, "Permission denied")])
def test_write_failures_leave_the_previous_output(site, monkeypatch, error):
    site.write("content/articles/a.md", story(title="A"))
    assert site.ssg("build").code == 0
    before = tree_hashes(site.public)
    site.write("content/articles/b.md", story(title="B"))

    def fail(*args, **kwargs):
        raise error

    monkeypatch.setattr(generator.output.staging.Staging, "commit", fail)
    result = site.ssg("build")
    assert result.code == 1
    assert result.err.startswith(f"ssg: error: {error.strerror}")
    assert tree_hashes(site.public) == before
    assert not [p for p in site.root.iterdir() if "ssg-tmp" in p.name]


def test_unwritable_output_parent(site, monkeypatch):
    site.write("content/articles/a.md", story(title="A"))
    real_mkdir = Path.mkdir

    def refuse(self, *args, **kwargs):
        if self.name.startswith(".public.ssg-tmp"):
            raise PermissionError(13, "Permission denied", str(self))
        return real_mkdir(self, *args, **kwargs)

    monkeypatch.setattr(Path, "mkdir", refuse)
    result = site.ssg("build")
    assert result.code == 1
    assert result.err.startswith("ssg: error: Permission denied (")


_URL_PARTS = st.tuples(
    st.sampled_from(["http", "https", "HTTPS"]),
    st.sampled_from(["", "www.", "WWW.", "user@", "www.www."]),
    st.from_regex(r"[a-zA-Z0-9-]{1,12}(\.[a-zA-Z0-9-]{1,8}){0,2}", fullmatch=True),
    st.sampled_from(["", ":80", ":443", ":8080"]),
    st.lists(st.text(alphabet="abcXYZ09-_.~%ä /\t\n", max_size=6), max_size=4),
    st.sampled_from(["", "?", "?page=2", "?utm_source=x", "?b=1&a=2&fbclid=z"]),
    st.sampled_from(["", "#", "#top", "#a?b", "#x\ny"]),
)


@PROFILE
@given(parts=_URL_PARTS)
def test_same_original_shortcut_agrees_with_urlsplit(parts):
    """same_original skips urlsplit for plain URLs; the key must be the same as the full parse's."""
    scheme, prefix, host, port, segments, query, fragment = parts
    url = f"{scheme}://{prefix}{host}{port}/{'/'.join(segments)}{query}{fragment}"
    assert same_original(url) == parsed_original(url)


_LINK = st.one_of(
    st.builds(
        lambda scheme, host, rest: f"{scheme}{host}{rest}",
        st.sampled_from(["http://", "https://", "HTTP://", "//", "", "mailto:", "javascript:"]),
        st.from_regex(r"[a-zA-Z0-9-]{0,64}(\.[a-zA-Z0-9-]{0,8}){0,3}(:[0-9]{0,4})?", fullmatch=True),
        st.text(alphabet="/?#:@&=+$,-_.!~*'()%aZ09ä []<>\"\\`{}|^", max_size=24),
    ),
    st.text(alphabet="./#-_~aZ09:%ä ", max_size=20),
)


@PROFILE
@given(url=_LINK)
def test_link_normalizing_shortcut_agrees_with_markdown_it(url):
    """Plain link targets skip markdown-it's parse and re-encode; the result must be what it gives."""
    from markdown_it.common.normalize_url import normalizeLink

    from generator.content.markdown.convert import _normalize_link

    assert _normalize_link(url) == normalizeLink(url)


def test_link_normalizing_shortcut_is_taken_for_plain_urls():
    from generator.content.markdown.convert import _PLAIN_URL

    for url in ("https://www.example.com/2023/07/14/a-story.html?id=3#top", "../2023/other.md#part", "photo.jpg"):
        assert _PLAIN_URL.fullmatch(url)
    for url in ("https://ex%41mple.com/", "https://exämple.com/", "//host/x", "javascript:alert(1)", "a b"):
        assert not _PLAIN_URL.fullmatch(url)


_MARKDOWN = st.lists(
    st.sampled_from(["a", "b ", '"', "'", "\r", "\r\n", "\n", "\n\n", "\0", "*", "_", "`", "-", "--", "...",
                     "(c)", "> ", "- ", "1. ", "# ", "| a | b |\n|---|---|\n| 'x' | \"y\" |\n", "[l](u 't')",
                     "&quot;", "\\\"", "    code 'q'\n", "```\n\"f\"\n```\n", "[^1]\n\n[^1]: 'n'\n"]),
    max_size=30,
).map("".join)


@PROFILE
@given(body=_MARKDOWN, typographer=st.booleans(), html=st.booleans())
def test_skipped_markdown_rules_change_nothing(body, typographer, html):
    """The normalize and smartquotes rules run only when the source holds what
    they look for; the tokens must be what markdown-it's own rules give."""
    from generator.config.site import MarkdownOptions
    from generator.content.markdown.convert import _parser, markdown_it_parser

    options = MarkdownOptions(html=html, typographer=typographer)
    ours, stock = _parser(options), markdown_it_parser(options)
    assert [t.as_dict() for t in ours.parse(body)] == [t.as_dict() for t in stock.parse(body)]


_LINKY = st.lists(
    st.sampled_from(["[", "]", "(", ")", "![", "[^", "^[", "<", ">", "\\", "`", "*", "_", "~~", "&amp;", "&#93;",
                     "&", " ", "\n", "\t", "\x01", "\x7f", "é", "a", "word ", "https://a.b/c?d=1", "u.md#x",
                     "'t'", '"t"', "](", "[a]: /r\n", "<http://x.y>", "<b>", "\n\n"]),
    max_size=40,
).map("".join)


@PROFILE
@given(body=_LINKY)
def test_link_scanning_shortcuts_agree_with_markdown_it(body):
    """Link labels and destinations are found by regular expressions where
    they can be (``generator/content/markdown/linkscan.py``); the tokens must be markdown-it's."""
    from generator.config.site import MarkdownOptions
    from generator.content.markdown.convert import _parser, markdown_it_parser

    options = MarkdownOptions(html=False, typographer=False)
    ours, stock = _parser(options), markdown_it_parser(options)
    assert [t.as_dict() for t in ours.parse(body)] == [t.as_dict() for t in stock.parse(body)]


def test_link_scanning_shortcuts_are_taken_for_plain_links(monkeypatch):
    from markdown_it import helpers as stock_helpers

    from generator.config.site import MarkdownOptions
    from generator.content.markdown.convert import _parser

    def refused(*args, **kwargs):
        raise AssertionError("markdown-it's own scan was used")

    md = _parser(MarkdownOptions())  # made (and its plugins imported) before markdown-it's helpers are refused
    monkeypatch.setattr(stock_helpers, "parseLinkLabel", refused)
    monkeypatch.setattr(stock_helpers, "parseLinkDestination", refused)
    # The underscores keep the paragraph from the plain way (plainscan), which has no link rule to call.
    html = md.render("An _outlet_ [posted a job](https://example.com/jobs/ai-1?x=2) today.")
    assert '<a href="https://example.com/jobs/ai-1?x=2">posted a job</a>' in html


def _split_by_lines(text: str):
    """How a file's front matter and body were found before they were found
    by one search: line by line."""
    lines = text.split("\n")
    for index in range(1, len(lines)):
        if re.match(r"^(---|\.\.\.)[ \t]*$", lines[index]):
            return "\n".join(lines[1:index]), 2, "\n".join(lines[index + 1 :]), index + 2
    return None


@PROFILE
@given(text=st.lists(st.sampled_from(["---", "...", "--- ", "---\t", " ---", "----", "a: 1", "", " ", "b", "\ufeff",
                                      "...x", "body ---"]), min_size=1, max_size=12).map("\n".join),
       crlf=st.booleans())  # fmt: skip
def test_front_matter_is_split_where_a_line_by_line_reading_splits_it(text, crlf):
    raw = ("---\n" + text).replace("\n", "\r\n" if crlf else "\n").encode()
    found = split(raw, "f.md")
    expected = _split_by_lines(("---\n" + text).removeprefix("\ufeff"))
    if expected is None:
        assert found.message.startswith("front matter is not closed")
    else:
        assert found == expected


_INLINE = st.lists(
    st.sampled_from(["a", "bc ", "word", " ", "\n", "\t", "*", "**", "***", "_", "]", "(", ")", "!", "^", ".", "'",
                     "\u201c", "\u2014", "\u00e9", "\u00a0", "\u2003", "-", ":", "[x](http://e.com/a)",
                     "[a b](https://ex.org/p?q=1#f)", "[c](javascript:x)", "[d](rel/p.md)", "[e](http://a.b/(c))",
                     "[f](HTTP://X.Y/\u00c9)", "[g](<http://h>)", "[h]", "[i](j k)", "[l](m \"t\")", "x*", "*x",
                     "**y", "y**", "[^1]", "![k](l.png)", "&amp;", "\\", "`", "~~", "<b>", "  \n", "\n\n"]),
    max_size=30,
).map("".join)
_LINES = st.lists(
    st.sampled_from(["Word here", "word *em* [l](http://a.b)", "\u00c9clair", "a | b", "|---|---|", "---", "===",
                     "***", "- item", "* item", "+ item", "1. one", "2) two", "> quote", ">", "> > deep", "    code",
                     "  indented", "   three", "\tTab", "```", "~~~", "# head", "<div>", "[ref]: http://x",
                     "[^1]: note", "", "", "  - nested", "     more", "lazy", "2023 year", "\u00a0nbsp", "- Item *b*",
                     "- [l](http://a.b) c", "+ Item", "* Item two", " - Item", "-  Item", "-\tItem", "- Item\t",
                     "- - x", "- 1. x", "> Quote [l](http://a.b).", ">  Quote", "> \u201cQuoted\u201d", "\"Said\" here",
                     "(Aside)", "[l](http://a.b) starts", "[l]: http://a.b", "2023. x", "12) y", "\u2018Single",
                     "  Item", "   - Item", "    - Item", "Item ", "- Item  ", "* * *", "- ---", "---"]),
    max_size=12,
).map("\n".join)


@PROFILE
@given(body=st.one_of(_INLINE, _LINES), typographer=st.booleans(), html=st.booleans())
def test_plain_paragraph_shortcuts_agree_with_markdown_it(body, typographer, html):
    """Plain paragraphs (a line of words, links, simple emphasis) skip the
    block rules that cannot take them, and get their inline tokens without
    markdown-it's inline rules (``generator/content/markdown/plainscan.py``); the tokens must
    be the ones markdown-it's own rules give, and the HTML of ssg's renderer
    the HTML of markdown-it's."""
    from generator.config.site import MarkdownOptions
    from generator.content.markdown.convert import _parser, markdown_it_parser

    options = MarkdownOptions(html=html, typographer=typographer)
    ours, stock = _parser(options), markdown_it_parser(options)
    tokens = ours.parse(body)
    assert [t.as_dict() for t in tokens] == [t.as_dict() for t in stock.parse(body)]
    assert ours.renderer.render(tokens, ours.options, {}) == stock.render(body)


_TYPESET = st.lists(
    st.sampled_from(["a", "word ", " ", "\n", "*", "**", "[x](http://e.com/a)", "[it's](https://ex.org/p?q=1)",
                     "[d](rel/p.md)", "'", '"', "1", "(c)", "(TM)", "--", "---", "...", "?....", "+-", ",,", "!!!!",
                     "-", ".", "\u201c", "(", ")", "#", "_", "\n\n", "> ", "- ", "# "]),
    max_size=30,
).map("".join)


@PROFILE
@given(body=st.one_of(_INLINE, _LINES, _TYPESET), typographer=st.booleans(), html=st.booleans())
def test_inline_html_made_directly_is_what_the_tokens_render_to(body, typographer, html):
    """``render_markdown`` has plain inline text made into HTML at once, the
    typographer's replacements and quotes included (``plainhtml.DIRECT``):
    the body's HTML, summary and links out are those of the tokens' way."""
    from unittest import mock

    from generator.config.site import MarkdownOptions
    from generator.content.markdown import plainhtml
    from generator.content.model import Page

    options = MarkdownOptions(html=html, typographer=typographer)
    page = Page(file=SourceFile("page", "content/x.md", "/nonexistent/x.md"), title="", slug="", body=body,
                body_line=1)  # fmt: skip
    direct = render_markdown(page, options, "k")
    with mock.patch.object(plainhtml, "_direct_applies", lambda md: False):
        tokens_way = render_markdown(page, options, "k")
    assert direct == tokens_way


def test_inline_html_is_made_directly_for_plain_text():
    from generator.config.site import MarkdownOptions
    from generator.content.markdown import plainhtml
    from generator.content.markdown.convert import _parser

    md = _parser(MarkdownOptions())
    tokens = md.parse("It's \"[a job](https://example.com/j)\" -- *now*.", {plainhtml.DIRECT: lambda url: ""})
    (made,) = tokens[1].children
    assert made.type == plainhtml.HTML_TOKEN
    assert made.content == 'It\u2019s \u201c<a href="https://example.com/j">a job</a>\u201d \u2013 <em>now</em>.'


def test_plain_paragraph_shortcuts_are_taken_for_plain_paragraphs():
    from generator.config.site import MarkdownOptions
    from generator.content.markdown.convert import _parser

    def refused(*args, **kwargs):
        raise AssertionError("markdown-it's own rules were used")

    md = _parser.__wrapped__(MarkdownOptions())  # a parser of its own, not the cached one
    md.inline.parse = refused
    html = md.render("An *outlet* [posted a job](https://example.com/jobs/ai-1)\nwith **pay**. It said \"hi\".")
    assert html == ('<p>An <em>outlet</em> <a href="https://example.com/jobs/ai-1">posted a job</a>\nwith '
                    "<strong>pay</strong>. It said \u201chi\u201d.</p>\n")  # fmt: skip
    md.block.ruler.at("table", refused)  # the first of the block rules a one-line paragraph skips
    md.renderer.renderAttrs = refused  # no token here has attributes: none goes through renderAttrs
    assert md.render("One line.\n\nAnother *one*.\n") == "<p>One line.</p>\n<p>Another <em>one</em>.</p>\n"
    del md.renderer.renderAttrs  # (a link has attributes)
    for rule in ("blockquote", "list", "reference"):  # a quote, a list, a paragraph that starts with a link or a quote
        md.block.ruler.at(rule, refused)
    assert md.render("- One\n- Two *b*\n\n> A quote.\n\n[Link](https://e.org/) first.\n\n\"Said\" it.\n") == (
        "<ul>\n<li>One</li>\n<li>Two <em>b</em></li>\n</ul>\n<blockquote>\n<p>A quote.</p>\n</blockquote>\n"
        '<p><a href="https://e.org/">Link</a> first.</p>\n<p>\u201cSaid\u201d it.</p>\n'
    )
    md.renderer.rules["text"] = lambda tokens, index, options, env: tokens[index].content.upper()
    assert md.render("Own *rule*.\n") == "<p>OWN <em>RULE</em>.</p>\n"  # a text rule of one's own is still used


def test_the_sample_archive_parses_as_markdown_it_parses_it():
    """Every sample story and page gives markdown-it's own tokens."""
    from generator.config.site import MarkdownOptions
    from generator.content.markdown.convert import _parser, markdown_it_parser

    options = MarkdownOptions()
    ours, stock = _parser(options), markdown_it_parser(options)
    sources = sorted((REPO / "content").rglob("*.md"))
    assert len(sources) > 10
    for source in sources:
        body = source.read_text(encoding="utf-8").split("\n---\n", 1)[1]
        assert [t.as_dict() for t in ours.parse(body)] == [t.as_dict() for t in stock.parse(body)], source
        assert ours.render(body) == stock.render(body), source


@PROFILE
@given(url=st.text(alphabet=st.sampled_from("ab:/.\t\n \u00a0\u2028\x1f\x7f\x85é"), max_size=20))
def test_urls_with_spaces_or_control_characters_are_refused(url):
    from generator.config.validate import check_url

    refused = url != url.strip() or any(ch.isspace() or ord(ch) < 32 for ch in url)
    assert (check_url(url) == "must not contain spaces or control characters") == refused
