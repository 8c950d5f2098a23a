"""Theme chain: a site's theme extends default, overrides blocks and templates."""

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
    assert (site.public / "static/style.css").exists() and (site.public / "static/extra.css").exists()


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
