"""Theme chain: a site's theme extends default, overrides blocks and templates."""

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markupsafe import Markup

from conftest import story


def _child(site, files):
    site.write("site.yml", "title: T\nbase_url: https://example.org/\ntheme: child\n")
    site.write("themes/child/theme.yml", "extends: default\n")
    for rel, text in files.items():
        site.write(f"themes/child/{rel}", text)
    site.write("content/articles/a.md", story(title="A"))


def test_child_overrides_a_block_and_a_template_and_static(site):
    _child(site, {
        "templates/base.html": '{% extends "default:base.html" %}\n'
                               '{% block head %}<meta name="theme" content="child">{% endblock %}\n',
        "templates/tags.html": '{% extends "base.html" %}{% block content %}<p>{{ tags | length }} tags</p>'
                               "{% endblock %}\n",
        "static/extra.css": "p{}",
    })  # fmt: skip
    result = site.ssg("build")
    assert result.code == 0, result.err
    article = site.read("public/2023/07/a/index.html")
    assert '<meta name="theme" content="child">' in article  # the child's block
    assert "Read the original at The Outlet" in article  # the parent's template
    assert "<p>0 tags</p>" in site.read("public/tags/index.html")
    names = sorted(p.name for p in (site.public / "static").iterdir())
    assert [re.sub(r"\.[0-9a-f]{10}\.", ".#.", n) for n in names] == [
        "extra.#.css", "favicon.#.svg", "print.#.css", "search.#.js", "share.#.js", "style.#.css"
    ]


def test_template_syntax_error_has_file_and_line(site):
    _child(site, {"templates/page.html": '{% extends "base.html" %}\n{% block content %}\n{% if %}\n{% endblock %}\n'})
    site.write("content/pages/p.md", "---\ntitle: P\n---\nx\n")
    result = site.ssg("build")
    assert result.code == 1
    assert result.err.splitlines()[0] == (
        "themes/child/templates/page.html:3:1: error: template: Expected an expression, got 'end of statement block'"
    )
    assert not site.public.exists()


def test_missing_theme_and_cycles(site):
    site.write("site.yml", "title: T\nbase_url: https://example.org/\ntheme: nope\n")
    result = site.ssg("check")
    assert result.err.splitlines()[0] == (
        "site.yml:1:1: error: theme: theme 'nope' not found (looked in themes/ and ssg's own themes)"
    )
    site.write("site.yml", "title: T\nbase_url: https://example.org/\ntheme: a\n")
    site.write("themes/a/templates/x.html", "")
    site.write("themes/a/theme.yml", "extends: b\n")
    site.write("themes/b/templates/x.html", "")
    site.write("themes/b/theme.yml", "extends: a\n")
    result = site.ssg("check")
    assert result.err.splitlines()[0] == "themes/b/theme.yml:1:10: error: extends: theme 'a' extends itself (cycle)"


def test_strings_follow_the_site_language(site):
    site.write("site.yml", "title: T\nbase_url: https://example.org/\nlanguage: de-AT\n")
    site.write("content/articles/a.md", story(title="A", date="2023-07-26", extra="tags: [X]\n"))
    result = site.ssg("build")
    assert result.code == 0 and result.err == ""
    html = site.read("public/2023/07/a/index.html")
    assert '<html lang="de-AT">' in html
    assert "Archiviert am <time datetime=\"2023-07-26\">26. Juli 2023</time>" in html
    assert "Original bei The Outlet lesen" in html
    assert "<h1>Juli 2023</h1>" in site.read("public/2023/07/index.html")


def test_unknown_language_falls_back_to_english_with_a_warning(site):
    site.write("site.yml", "title: T\nbase_url: https://example.org/\nlanguage: nl\n")
    site.write("content/articles/a.md", story(title="A"))
    result = site.ssg("build")
    assert result.code == 0
    assert result.err == "site.yml:1:1: warning: language: the theme has no strings for 'nl'; using English\n"
    assert "Read the original at The Outlet" in site.read("public/2023/07/a/index.html")


def test_child_strings_override_single_keys(site):
    _child(site, {"strings.yml": 'en:\n  read_original: "Go to {outlet}"\n'})
    assert site.ssg("build").code == 0
    html = site.read("public/2023/07/a/index.html")
    assert "Go to The Outlet" in html and "Skip to content" in html


def test_static_assets_are_fingerprinted(site):
    site.write("content/articles/a.md", story(title="A"))
    assert site.ssg("build").code == 0
    html = site.read("public/2023/07/a/index.html")
    href = re.search(r'<link rel="stylesheet" href="(/static/style\.([0-9a-f]{10})\.css)">', html)
    assert href and (site.public / href.group(1).lstrip("/")).is_file()
    _child(site, {"static/style.css": "body{}"})
    assert site.ssg("build").code == 0
    changed = re.search(r'href="/static/style\.([0-9a-f]{10})\.css"', site.read("public/2023/07/a/index.html"))
    assert changed.group(1) != href.group(2)


def test_unknown_static_file_is_a_template_error(site):
    _child(site, {"templates/404.html": '{% extends "base.html" %}{% block content %}'
                                        "{{ static('nope.js') }}{% endblock %}"})  # fmt: skip
    result = site.ssg("check")
    assert result.code == 1
    assert "themes/child/templates/404.html:1:1: error: template: KeyError: \"no file 'nope.js'" in result.err


def test_year_chart_is_accessible_svg_with_a_table(site):
    site.write("content/articles/a.md", story(title="A", date="2023-03-02"))
    site.write("content/articles/b.md", story(title="B", date="2023-03-09"))
    site.write("content/articles/c.md", story(title="C", date="2023-11-01"))
    assert site.ssg("build").code == 0
    html = site.read("public/2023/index.html")
    svg = html.split("<svg", 1)[1].split("</svg>", 1)[0]
    assert 'aria-labelledby="chart-2023-title chart-2023-desc"' in svg
    assert '<title id="chart-2023-title">Stories archived per month in 2023</title>' in svg
    assert '<a href="/2023/03/" aria-label="March 2023: 2 stories">' in svg
    assert '<a href="/2023/11/" aria-label="November 2023: 1 story">' in svg
    assert svg.count("<rect") == 12 and svg.count("<a ") == 2
    table = html.split("<table>", 1)[1].split("</table>", 1)[0]
    assert '<th scope="row"><a href="/2023/03/">March 2023</a></th><td>2</td>' in table
    archive = site.read("public/archive/index.html")
    assert archive.count("<rect") == 9  # March to November


def test_related_stories_share_tags_deterministically(site):
    site.write("content/articles/a.md", story(title="A", date="2023-01-10", extra="tags: [x, y, z]\n"))
    site.write("content/articles/b.md", story(title="B", date="2023-01-01", extra="tags: [x, y]\n"))
    site.write("content/articles/c.md", story(title="C", date="2023-01-05", extra="tags: [x]\n"))
    site.write("content/articles/d.md", story(title="D", date="2023-01-11", extra="tags: [z]\n"))
    site.write("content/articles/e.md", story(title="E", date="2023-01-12", extra="tags: [other]\n"))
    assert site.ssg("build").code == 0
    related = site.read("public/2023/01/a/index.html").split('<aside class="related"', 1)[1].split("</aside>")[0]
    assert re.findall(r'<li><a href="/2023/01/(\w)/">', related) == ["b", "d", "c"]
    assert '<aside class="related"' not in site.read("public/2023/01/e/index.html")


def test_a_story_card_is_rendered_once_per_story_and_level(tmp_path):
    """The story partial uses only its story, its level and the globals, so the
    card of a story shown on five lists is rendered once (for each level)."""
    from generator.theme.themes import load_chain, make_environment

    chain, problems = load_chain("default", tmp_path)
    assert not problems
    env = make_environment(chain, {"t": lambda key, **values: key, "time": lambda date: date.text})
    reads: list[str] = []

    class Card:
        url, summary = "/2023/07/a/", ""
        date = type("D", (), {"iso": "2023-07-26", "text": "26 July 2023"})()
        source = type("S", (), {"name": "The Outlet", "published": None})()

        @property
        def title(self):
            reads.append("title")
            return "A <story>"

    lists = env.from_string('{% for item in items %}{% with level = 3 %}{% include "partials/story.html" %}'
                            "{% endwith %}{% endfor %}")  # fmt: skip
    card = Card()
    first = lists.render(items=[card, card, card])
    assert len(reads) == 1 and first.count("A &lt;story&gt;") == 3


def test_template_globals_are_one_plain_dict_with_template_globals_on_top(tmp_path):
    """Every context (each page, each include of a card) takes the names of
    its template's globals: a plain dict, not a ChainMap iterated in Python."""
    from generator.theme.themes import load_chain, make_environment

    chain, _ = load_chain("default", tmp_path)
    env = make_environment(chain, {"t": lambda key, **values: key, "motto": "site"})
    template = env.from_string("{{ motto }} {{ t('x') }}", globals={"motto": "own"})
    assert type(template.globals) is dict and template.render() == "own x"
    assert env.from_string("{{ motto }}").render() == "site"


def test_a_story_partial_that_reads_its_list_is_rendered_for_each_list(site):
    _child(site, {
        "templates/partials/story.html": '<p class="card">{{ item.title }} in {{ list.kind if list is defined '
                                         'else "a month" }}</p>\n',
    })  # fmt: skip
    site.write("content/articles/a.md", story(title="A", extra="tags: [AI]\n"))
    result = site.ssg("build")
    assert result.code == 0, result.err
    assert '<p class="card">A in home</p>' in site.read("public/index.html")
    assert '<p class="card">A in tag</p>' in site.read("public/tags/ai/index.html")
    assert '<p class="card">A in a month</p>' in site.read("public/2023/07/index.html")


class _Html:
    def __init__(self, text):
        self.text = text

    def __html__(self):
        return self.text


_OUTPUTS = (
    "{{ v }}|{{ v ~ '<&>' }}|{{ v|string|upper }}|{% set s %}[{{ v }}]{% endset %}{{ s }}|{{ s|length }}"
    "{% macro m(x) %}<{{ x }}>{% endmacro %}{{ m(v) }}|{{ m(v)|striptags }}|{{ v if v is string else 1 }}"
    "{% for w in [v, v] %}{{ loop.index }}{{ w }}{% endfor %}{% autoescape false %}{{ v }}{% endautoescape %}"
)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(), st.integers(), st.none(), st.floats(allow_nan=False),
                 st.text().map(Markup), st.text().map(_Html), st.lists(st.text(), max_size=3)))  # fmt: skip
def test_template_output_is_what_stock_jinja_writes(value):
    """ssg's code generator writes ``{{ ... }}`` through its own escape
    (plain strings, no Markup per output): every page must read exactly as
    with Jinja's own."""
    import jinja2

    from generator.theme.themes import _Environment

    ours = _Environment(autoescape=True, undefined=jinja2.StrictUndefined).from_string(_OUTPUTS)
    stock = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined).from_string(_OUTPUTS)
    assert ours.render(v=value) == stock.render(v=value)
    assert "ssg_output_escape" in ours.environment.compile(_OUTPUTS, raw=True)


_FIELD_VALUES = st.one_of(st.text(max_size=8), st.integers(), st.none(), st.text(max_size=8).map(Markup),
                          st.text(max_size=8).map(_Html))  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.text(alphabet="ab<&'\" {}", max_size=6), st.sampled_from(["{x}", "{y}", "{x!r}", "{0}"])),
                max_size=6).map("".join),
       st.dictionaries(st.sampled_from(["x", "y"]), _FIELD_VALUES))  # fmt: skip
def test_theme_strings_fill_in_as_markupsafe_does(template, values):
    """Theme strings are filled in by a filler made once per string; the result
    (or the error) must be what markupsafe's ``Markup.format`` gives."""
    from markupsafe import escape

    from generator.theme.strings import Strings

    try:
        expected = Markup(escape(template)).format(**values) if values else Markup(escape(template))
    except (KeyError, IndexError, ValueError) as exc:
        expected = type(exc)
    try:
        got = Strings({"key": template}, "en").text("key", **values)
    except (KeyError, IndexError, ValueError) as exc:
        got = type(exc)
    assert got == expected and type(got) is type(expected)


def test_plain_theme_strings_are_filled_without_markupsafes_formatter(monkeypatch):
    from generator.theme.strings import Strings

    strings = Strings({"read_original": "Read the original at {outlet}", "odd": "{n:>3}"}, "en")
    monkeypatch.setattr(Markup, "format", lambda *a, **k: pytest.fail("Markup.format was used"))
    assert strings.text("read_original", outlet="<The Outlet>") == "Read the original at &lt;The Outlet&gt;"
    with pytest.raises(BaseException, match="Markup.format was used"):
        strings.text("odd", n=1)


def test_calls_from_templates_give_what_stock_jinja_gives():
    """Functions that take no context are called without Jinja's look-up for
    a ``pass_context`` mark once they are known; the others go through Jinja."""
    import jinja2

    from generator.theme.themes import _Environment

    def plain(x=1, **kw):
        return f"p{x}{sorted(kw)}"

    @jinja2.pass_context
    def with_context(context, x):
        return f"{context.get('who')}{x}"

    def stops():
        raise StopIteration

    class Card:
        def double(self, y):
            return y * 2

        @jinja2.pass_context
        def who(self, context):
            return context.get("who")

    source = ("{{ plain(2) }} {{ with_context(3) }} {% for i in [1, 2] %}{{ plain(i, a=1) }}{{ with_context(i) }}"
              "{% set who = 'L' %}{{ with_context(i) }}{% endfor %} {{ card.double(4) }}{{ card.who() }} "
              "{{ stops() is undefined }} {{ plain() }} {{ range(2)|list }} {{ dict(a=1) }}")  # fmt: skip
    values = {"plain": plain, "with_context": with_context, "stops": stops, "card": Card(), "who": "W"}
    ours = _Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    stock = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    assert ours.from_string(source).render(values) == stock.from_string(source).render(values)
    assert plain in ours.plain_callables.values() and with_context not in ours.plain_callables.values()


def test_the_bundled_themes_are_the_checkouts_own():
    """Run from a checkout (or an editable install), ssg uses the default
    theme beside its own code, never one that another installed copy ships."""
    from conftest import REPO
    from generator.theme.themes import BUNDLED

    assert BUNDLED == REPO / "themes"
