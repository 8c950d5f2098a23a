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
        "content/articles/indent.md:5:3: error: source.url: is required",
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
