"""The outlets registry of site.yml, `ssg outlets`, the "did you mean" for an
outlet's spelling, and `ssg check --links` on a machine that looks offline."""

import json

from conftest import story

REGISTRY = """outlets:
  the-guardian:
    name: The Guardian
    hosts: [theguardian.com]
    aliases: [Guardian]
    description: A daily of London and Manchester.
  wire-desk: Wire Desk
"""


def test_the_registry_folds_spellings_onto_one_outlet_page(site):
    site.write("content/articles/a.md", story(title="A", name="theguardian.com", url="https://www.theguardian.com/a"))
    site.write("content/articles/b.md", story(title="B", name="Guardian", url="https://www.theguardian.com/b"))
    site.write("content/articles/c.md", "---\ntitle: C\ndate: 2023-07-27\nsource: https://theguardian.com/c\n---\nC.\n")
    site.write("content/articles/d.md", story(title="D", name="Wire desk", url="https://wire.example/d"))
    assert site.ssg("build").code == 0
    assert (site.public / "sources/theguardiancom").is_dir()
    site.write("site.yml", site.read("site.yml") + REGISTRY)  # the registry comes after a build: the cache knows
    result = site.ssg("build")
    assert result.code == 0, result.err
    sources = sorted(p.name for p in (site.public / "sources").iterdir() if p.is_dir())
    assert sources == ["the-guardian", "wire-desk"]
    page = (site.public / "sources/the-guardian/index.html").read_text()
    assert "The Guardian" in page and "A daily of London and Manchester." in page
    assert all(f'href="/2023/07/{slug}/"' in page for slug in ("a", "b", "c"))
    article = (site.public / "2023/07/a/index.html").read_text()
    assert ">The Guardian<" in article and ">theguardian.com<" not in article  # the registry's name, shown
    outlets = site.ssg("outlets")
    assert outlets.code == 0
    assert outlets.out.splitlines()[2] == "the-guardian      3  The Guardian (3)  hosts: theguardian.com  (registry)"


def test_registry_errors_point_at_their_place(site):
    registry = ("outlets:\n  Bad Key: X\n  a-one:\n    name: A One\n    hosts: ['not a host']\n"
                "  a-two:\n    name: A Two\n    aliases: [A One]\n    color: red\n")
    site.write("site.yml", site.read("site.yml") + registry)
    result = site.ssg("check")
    assert result.code == 1
    lines = result.err.splitlines()
    assert "site.yml:6:3: error: outlets.Bad Key: outlet keys must be slugs like 'bad-key'" in lines
    assert "site.yml:9:13: error: outlets.a-one.hosts: 'not a host' is not a host name like 'theguardian.com'" in lines
    assert "site.yml:12:15: error: outlets.a-two: 'A One' is already a name of outlet 'a-one'" in lines
    assert any(line.startswith("site.yml:13:5: error: outlets.a-two.color: unknown key") for line in lines), lines


def test_outlets_report_suggests_merges_without_chains(site):
    site.write("content/articles/a.md", story(title="A", name="theguardian.com", url="https://www.theguardian.com/a"))
    for n in range(3):
        site.write(f"content/articles/g{n}.md", story(title=f"G{n}", name="The Guardian",
                                                      url=f"https://www.theguardian.com/g{n}"))  # fmt: skip
    site.write("content/articles/t.md", story(title="T", name="The Gaurdian", url="https://typo.example/t"))
    site.write("content/articles/u.md", story(title="U", name="The Guardians", url="https://typo.example/u"))
    result = site.ssg("outlets")
    assert result.code == 0, result.err
    assert result.out.splitlines()[0] == "4 outlets on 6 stories"
    merges = result.out.split("probably the same outlet")[1].splitlines()[1:]
    assert merges == [
        "  the-gaurdian -> the-guardian (The Guardian)  (one or two letters apart; 1 and 3 stories)",
        "  the-guardians -> the-guardian (The Guardian)  (one or two letters apart; 1 and 3 stories)",
        "  theguardiancom -> the-guardian (The Guardian)  (their stories are on theguardian.com; 1 and 3 stories)",
    ]
    check = site.ssg("check")
    assert check.code == 0
    assert ("content/articles/t.md:5:9: warning: source.name: outlet 'The Gaurdian' is on no other story; "
            "did you mean 'The Guardian'?") in check.err.splitlines()


def test_link_check_offline_says_so_and_records_nothing(site):
    site.write("content/articles/a.md", story(title="A", url="https://no-such-host-1.invalid/a"))
    site.write("content/articles/b.md", story(title="B", url="https://no-such-host-2.invalid/b"))
    result = site.ssg("check", "--links")
    assert result.code == 0, result.err
    assert "this machine looks offline (none of the hosts of 2 URLs could be resolved); nothing was checked" \
           in result.out
    cache = site.root / ".ssg-cache" / "links.json"
    assert not cache.exists() or not json.loads(cache.read_text())
    assert site.ssg("check", "--links", "--strict").code == 1
