"""Tags are folded on their slug; display names are deterministic."""

from conftest import story


def _build(site, tags_by_file, config_extra=""):
    site.write("site.yml", "title: T\nbase_url: https://example.org/\n" + config_extra)
    for index, tags in enumerate(tags_by_file):
        site.write(f"content/articles/s{index}.md", story(title=f"Story {index}", extra=f"tags: {tags}\n"))
    result = site.ssg("build")
    assert result.code == 0, result.err


def test_ai_spellings_fold_onto_one_page(site):
    _build(site, ['["AI"]', '["ai"]', '["A.I."]', '["ai", "Strikes"]'])
    tag_dirs = sorted(p.name for p in (site.public / "tags").iterdir() if p.is_dir())
    assert tag_dirs == ["ai", "strikes"]
    page = site.read("public/tags/ai/index.html")
    assert page.count('class="story-item"') == 4
    # "ai" is written twice, "AI" and "A.I." once each: the most frequent wins.
    assert "<h1>ai</h1>" in page
    assert '<a href="/tags/ai/">ai</a> <span class="count">4</span>' in site.read("public/tags/index.html")


def test_ties_go_to_the_alphabetically_first_spelling(site):
    _build(site, ['["ai"]', '["AI"]'])
    assert "<h1>AI</h1>" in site.read("public/tags/ai/index.html")


def test_declared_name_description_and_aliases(site):
    config = "tags:\n  ai:\n    name: Artificial intelligence\n    description: Machines.\n    aliases: [A-I, ml]\n"
    _build(site, ['["ai"]', '["ML"]', '"a-i, Other"'], config)
    page = site.read("public/tags/ai/index.html")
    assert "<h1>Artificial intelligence</h1>" in page
    assert "Machines." in page
    assert page.count('class="story-item"') == 3
    assert not (site.public / "tags" / "ml").exists()
    assert (site.public / "tags" / "other" / "index.html").exists()


def test_accents_and_other_scripts_make_ascii_slugs(site):
    _build(site, ['["Künstliche Intelligenz"]', '["人工知能"]', '["Women\'s Rights"]'])
    names = sorted(p.name for p in (site.public / "tags").iterdir() if p.is_dir())
    assert names == ["kunstliche-intelligenz", "ren-gong-zhi-neng", "womens-rights"]


def test_tag_without_letters_is_an_error(site):
    site.write("content/articles/a.md", story(title="A", extra='tags: ["AI", "!!!"]\n'))
    result = site.ssg("check")
    assert result.code == 1
    assert "content/articles/a.md:7:14: error: tags: tag '!!!' has no letters or digits" in result.err
