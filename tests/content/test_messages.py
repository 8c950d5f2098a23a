"""Messages that say how to fix the mistakes editors make most, verbatim with their positions."""

FRONT = "---\ntitle: {title}\ndate: 2023-07-26\nsource:\n{source}---\nText.\n"


def test_messages_that_say_how_to_fix_it(site):
    site.write("content/articles/colon.md", FRONT.format(title="Strike: day 3",
                                                          source="  name: O\n  url: https://o.example/1\n"))
    site.write("content/articles/tab.md", FRONT.format(title="Tab", source="\tname: O\n"))
    site.write("content/articles/indent.md", FRONT.format(title="Indent", source="  name: O\nurl: https://o.example/2\n"))
    site.write("content/articles/scheme.md", FRONT.format(title="Scheme",
                                                           source="  name: O\n  url: deadline.com/2023/07/x\n"))
    result = site.ssg("check")
    assert result.code == 1
    assert result.err.splitlines() == [
        "content/articles/colon.md:2:14: error: invalid YAML: mapping values are not allowed in this context "
        "(a value that holds ': ' must be in quotes, like title: \"Strike: day 3\")",
        "content/articles/indent.md:5:3: error: source.url: is required; for example:",
        "    source:",
        "      url: https://www.example.com/2023/07/the-original-story/",
        "content/articles/indent.md:6:1: error: url: unknown key (did you mean to indent 'url' under 'source:'?)",
        "content/articles/scheme.md:6:8: error: source.url: must be an absolute http(s) URL (scheme is 'none'); "
        "did you mean 'https://deadline.com/2023/07/x'?",
        "content/articles/tab.md:5:1: error: invalid YAML: while scanning for the next token, found character that "
        "cannot start any token (started at line 5, column 1) (YAML indents with spaces, not tabs: replace the tab "
        "with spaces)",
        "ssg: 5 errors.",
    ]


def test_a_mistyped_link_or_anchor_gets_a_did_you_mean(site):
    site.write("content/articles/2023/wga-strike-begins.md", FRONT.format(
        title="WGA", source="  name: O\n  url: https://o.example/wga\n").replace("Text.", "## Picket lines\n\nText."))
    body = "See [the start](wga-strik-begins.md) and [the pickets](wga-strike-begins.md#picket-line)."
    site.write("content/articles/2023/later.md", FRONT.format(
        title="Later", source="  name: O\n  url: https://o.example/later\n").replace("Text.", body))
    result = site.ssg("check")
    assert result.err.splitlines()[:2] == [
        "content/articles/2023/later.md:8:17: error: body: link to 'wga-strik-begins.md': no published story or "
        "page content/articles/2023/wga-strik-begins.md (did you mean 'content/articles/2023/wga-strike-begins.md'?)",
        "content/articles/2023/later.md:8:56: error: body: link to 'wga-strike-begins.md#picket-line': "
        "content/articles/2023/wga-strike-begins.md has no heading with the id 'picket-line' "
        "(did you mean 'picket-lines'?)",
    ]


def test_a_missing_source_shows_what_to_add(site):
    site.write("content/articles/bare.md", "---\ntitle: Bare\ndate: 2023-07-26\n---\nText.\n")
    result = site.ssg("check")
    assert result.err.splitlines() == [
        "content/articles/bare.md:2:1: error: source: is required; for example:",
        "    source:",
        "      url: https://www.example.com/2023/07/the-original-story/",
        "ssg: 1 error.",
    ]


def test_every_problem_of_a_file_in_one_run(site):
    """A missing image does not hide a broken link, nor a front matter error the body's problems."""
    site.write("content/articles/2023/wga-strike-begins.md", FRONT.format(
        title="WGA", source="  name: O\n  url: https://o.example/wga\n"))
    body = "![Pickets](pickets.jpg)\n\nSee [the start](wga-strik-begins.md)."
    site.write("content/articles/2023/both.md", FRONT.format(
        title="Both", source="  name: O\n  url: https://o.example/both\n").replace("Text.", body))
    site.write("content/articles/2023/nodate.md", "---\ntitle: No date\nsource: https://o.example/nd\n---\n" + body)
    site.write("content/articles/2023/links-to-broken.md", FRONT.format(
        title="Fine", source="  name: O\n  url: https://o.example/fine\n").replace("Text.", "[x](both.md)"))
    result = site.ssg("build")
    assert result.code == 1
    assert result.err.splitlines() == [
        "content/articles/2023/both.md:8:12: error: body: image file 'pickets.jpg' not found beside both.md",
        "content/articles/2023/both.md:10:17: error: body: link to 'wga-strik-begins.md': no published story or page "
        "content/articles/2023/wga-strik-begins.md (did you mean 'content/articles/2023/wga-strike-begins.md'?)",
        "content/articles/2023/nodate.md:2:1: error: date: is required; for example:",
        "    date: 2023-07-26",
        "    # or with a time: date: 2023-07-26T09:30:00",
        "content/articles/2023/nodate.md:5:12: error: body: image file 'pickets.jpg' not found beside nodate.md",
        "content/articles/2023/nodate.md:7:17: error: body: link to 'wga-strik-begins.md': no published story or "
        "page content/articles/2023/wga-strik-begins.md (did you mean 'content/articles/2023/wga-strike-begins.md'?)",
        "ssg: 5 errors. The previous output was left untouched.",
    ]  # (links-to-broken.md's link to both.md is right: both.md's own problems are reported, not the link)


def test_a_root_relative_link_to_no_page_is_an_error(site):
    site.write("content/articles/2023/wga-strike-begins.md", FRONT.format(
        title="WGA strike begins", source="  name: O\n  url: https://o.example/wga\n"))
    body = ("See [the start](/2023/07/wga-strike-begin/), [its tag page](/tags/), [the feed](/feed.xml), "
            "[the about page](/about/) and [elsewhere](//other.example/x).")
    site.write("content/articles/2023/later.md", FRONT.format(
        title="Later", source="  name: O\n  url: https://o.example/later\n").replace("Text.", body))
    result = site.ssg("build")
    assert result.code == 1
    assert result.err.splitlines() == [
        "content/articles/2023/later.md:8:17: error: body: link to '/2023/07/wga-strike-begin/': the site has no "
        "page at this address (did you mean '/2023/07/wga-strike-begins/'?)",
        "content/articles/2023/later.md:8:110: error: body: link to '/about/': the site has no page at this address",
        "ssg: 2 errors. The previous output was left untouched.",
    ]
    site.write("content/pages/about.md", "---\ntitle: About\n---\nUs.\n")
    later = site.read("content/articles/2023/later.md")
    site.write("content/articles/2023/later.md", later.replace("begin/", "begins/"))
    assert site.ssg("build").code == 0
    # An edit that takes a linked page away is built the full way, which reports the link.
    (site.root / "content/articles/2023/wga-strike-begins.md").unlink()
    result = site.ssg("build")
    assert result.code == 1 and "link to '/2023/07/wga-strike-begins/': the site has no page" in result.err


def test_root_relative_links_under_a_sub_path(site):
    site.write("site.yml", site.read("site.yml").replace("https://example.org/", "https://example.org/news/"))
    site.write("content/articles/2023/a.md", FRONT.format(
        title="A", source="  name: O\n  url: https://o.example/a\n").replace(
        "Text.", "[ok](/news/tags/) [dead](/news/tags/nope/) [elsewhere on the host](/shop/)"))
    result = site.ssg("build")
    assert result.err.splitlines()[0] == ("content/articles/2023/a.md:8:26: error: body: link to '/news/tags/nope/': "
                                          "the site has no page at this address")
