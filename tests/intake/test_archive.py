"""`ssg archive` against a fake Save Page Now: saved copies written into
front matter in place; rate limits and failures change nothing."""

from pages import HITS, Server

from conftest import story

BLOCK = """---
# A comment the editor wrote, kept.
title: 'Block source'   # and one after a value
date: 2023-07-26
source:
  name: "Outlet A"
  url: https://a.example/ok-1
  author:
    - One
    - Two

tags: [x]
---
Body stays.
"""
FLOW = "---\ntitle: Flow source\ndate: 2023-07-27\nsource: {name: Outlet B, url: 'https://a.example/ok-2'}\n---\nB.\n"
BARE = "---\r\ntitle: Bare source\r\ndate: 2023-07-28\r\nsource: https://www.a.example/ok-3\r\n---\r\nCRLF body.\r\n"


def archive_routes(rate_limited: set):
    def save(handler):
        target = handler.path.removeprefix("/save/")
        if "fail" in target:
            handler.send(502, b"bad gateway")
        elif "limit" in target or (target in rate_limited and HITS[handler.path] == 1):
            handler.send(429, b"slow down", headers={"Retry-After": "0"})
        elif target.endswith("-3"):  # Save Page Now's redirect to the snapshot
            handler.send(302, b"", headers={"Location": f"/web/20240101000000/{target}"})
        elif target.endswith("-body"):
            handler.send(200, f'<a href="/web/20240101000002/{target}">saved</a>'.encode())
        elif target.endswith("-none"):
            handler.send(200, b"<p>nothing useful</p>")
        else:
            handler.send(200, b"ok", headers={"Content-Location": f"/web/20240101000001/{target}"})

    return {"/save/*": save}


def configure(site, base: str) -> None:
    site.write("site.yml", site.read("site.yml") + f"archive:\n  endpoint: {base}/save/\n  interval: 0\n")


def test_saved_copies_are_written_in_place_and_nothing_else_changes(site):
    HITS.clear()
    site.write("content/articles/a.md", BLOCK)
    site.write("content/articles/b.md", FLOW)
    site.write("content/articles/c.md", BARE.encode())
    site.write("content/articles/d.md", story(title="Failing", url="https://a.example/fail"))
    site.write("content/articles/e.md", story(title="Body", url="https://a.example/ok-body"))
    site.write("content/articles/f.md", story(title="None", url="https://a.example/ok-none"))
    site.write("content/articles/g.md", story(title="Done", url="https://a.example/g").replace(
        '"https://a.example/g"\n', '"https://a.example/g"\n  archived: https://archive.example/g\n'))
    before = {p.name: p.read_bytes() for p in (site.root / "content/articles").iterdir()}
    with Server(archive_routes({"https://a.example/ok-2"})) as server:
        configure(site, server.base)
        dry = site.ssg("archive", "--dry-run")
        assert dry.code == 0 and dry.out.count("would save") == 6 and not HITS
        result = site.ssg("archive")
    assert result.code == 1, result.out  # two failed
    lines = result.out.splitlines()
    assert lines[-1] == "4 saved, 2 failed, 0 left"
    assert ("failed content/articles/d.md: https://a.example/fail: HTTP 502 Bad Gateway; "
            "the file was not changed") in lines
    assert "failed content/articles/f.md: https://a.example/ok-none: the archive's answer names no saved copy; " \
           "the file was not changed" in lines
    after = {p.name: p.read_bytes() for p in (site.root / "content/articles").iterdir()}
    for name in ("d.md", "f.md", "g.md"):
        assert after[name] == before[name]
    saved = f"{server.base}/web/20240101000001/https://a.example/ok-1"
    assert after["a.md"].decode() == BLOCK.replace("    - Two\n", f'    - Two\n  archived: "{saved}"\n')
    saved = f"{server.base}/web/20240101000001/https://a.example/ok-2"
    assert after["b.md"].decode() == FLOW.replace("'https://a.example/ok-2'}",
                                                  f"'https://a.example/ok-2', archived: \"{saved}\"}}")
    saved = f"{server.base}/web/20240101000000/https://www.a.example/ok-3"
    assert after["c.md"] == BARE.replace("source: https://www.a.example/ok-3", '{source}').format(
        source=f'source: {{name: "a.example", url: "https://www.a.example/ok-3", archived: "{saved}"}}').encode()
    assert f'archived: "{server.base}/web/20240101000002/https://a.example/ok-body"' in after["e.md"].decode()
    assert HITS["/save/https://a.example/ok-2"] == 2  # rate limited once, then saved
    check = site.ssg("check")
    assert check.code == 0, check.err
    again = site.ssg("archive", "--dry-run")
    assert again.out.count("would save") == 2  # resumable: only the failed ones are left


def test_a_rate_limit_that_lasts_stops_the_run_and_the_rest_waits(site):
    for n in range(3):
        url = f"https://a.example/{'limit' if n == 1 else n}"
        site.write(f"content/articles/s{n}.md", story(title=f"S{n}", url=url))
    with Server(archive_routes(set())) as server:
        configure(site, server.base)
        result = site.ssg("archive")
        assert "saved content/articles/s0.md" in result.out
        assert "stopped: the archive is rate limiting (HTTP 429 (rate limited)); 2 left" in result.out
        assert "s2.md" not in result.out
        limited = site.ssg("archive", "--limit", "1", "--dry-run")
        assert limited.out.splitlines() == ["would save https://a.example/limit (content/articles/s1.md)"]
