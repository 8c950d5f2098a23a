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


def test_a_tag_typo_warns_at_its_place_and_ssg_tags_suggests_no_chain(site):
    for n, tags in enumerate(["[Strikes]", "[strikes]", "[Strke]", "[strike]", "[Iranian cinema]"]):
        site.write(f"content/articles/s{n}.md", story(title=f"S{n}", extra=f"tags: {tags}\n"))
    check = site.ssg("check")
    assert check.code == 0, check.err
    assert check.err.splitlines() == [
        "content/articles/s2.md:7:8: warning: tags: tag 'Strke' is on no other story; did you mean 'Strikes'?",
        "content/articles/s3.md:7:8: warning: tags: tag 'strike' is on no other story; did you mean 'Strikes'?",
    ]
    report = site.ssg("tags").out
    merges = report.split("probably the same tag")[1].splitlines()[1:]
    # strke is one letter from strike, strike is the singular of strikes: both go to strikes, no "strke -> strike"
    assert merges == ["  strike -> strikes  (singular and plural; 1 and 2 stories)",
                      "  strke -> strikes  (one letter apart from strike; 1 and 2 stories)"]
    kept = {line.split(" -> ")[1].split()[0] for line in merges}
    assert not kept & {line.split(" -> ")[0].strip() for line in merges}
    site.write("site.yml", site.read("site.yml") + "tags_strict: true\ntags:\n  strikes: {name: Strikes}\n"
               "  iranian-cinema: {}\n")  # fmt: skip
    strict = site.ssg("check")
    assert strict.code == 1
    assert ("content/articles/s2.md:7:8: error: tags: tag 'Strke' is not in the vocabulary of site.yml (tags_strict) "
            "(did you mean 'strikes'?)") in strict.err.splitlines()
