"""The build cache and incremental builds: after any edits, the output is
byte-identical to a clean build of the same files."""

import fcntl
import io
import os
import pickle
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import generator.incremental.spare as spare
import generator.output.files as files
import generator.util.parallel as parallel
from conftest import Site, story, tree_hashes
from generator.store.cache import BodyReader, BuildCache, CacheCorrupt
from generator.store.lock import LockTimeout, build_lock, held
from generator.store.records import doc_blob, read_doc
from generator.util.digest import digest

NOW = {"SOURCE_DATE_EPOCH": "1767225600"}
BASE = "title: T\nbase_url: https://example.org/\nsearch: false\n"
TAGS = ["AI", "Strikes", "Labour", "Film", "Games"]


def _clean_build(site: Site, tmp_path) -> dict[str, str]:
    """The same files built from nothing: a fresh copy, no cache."""
    clean = tmp_path / "clean"
    shutil.rmtree(clean, ignore_errors=True)
    shutil.copytree(site.root, clean, ignore=shutil.ignore_patterns("public", ".ssg-cache"))
    result = Site(clean).ssg("build", "-j", "1", env=NOW)
    assert result.code == 0, result.err
    return tree_hashes(clean / "public")


def _write_story(site: Site, name: str, n: int, tags: list[str], day: int, month: int = 5):
    site.write(f"content/articles/{name}.md", story(title=f"Story {name} v{n}", date=f"2023-{month:02d}-{day:02d}",
                                                  url=f"https://news.example.com/{name}",
                                                  extra=f"tags: [{', '.join(tags)}]\n"))  # fmt: skip


EDITS = st.lists(
    st.tuples(
        st.sampled_from(["add", "edit", "body", "retag", "redate", "delete", "rename", "page", "draft", "template",
                         "config"]),  # fmt: skip
        st.integers(0, 7),
        st.lists(st.sampled_from(TAGS), min_size=1, max_size=3, unique=True),
        st.integers(1, 28),
    ),
    min_size=1,
    max_size=5,
)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edits=EDITS)
def test_any_sequence_of_edits_matches_a_clean_build(tmp_path_factory, edits):
    tmp_path = tmp_path_factory.mktemp("inc")
    site = Site(tmp_path / "site")
    site.write("site.yml", "title: T\nbase_url: https://example.org/\nper_page: 2\nsearch: false\n")
    for i in range(4):
        _write_story(site, f"s{i}", 0, TAGS[i : i + 2], 1 + i)
    assert site.ssg("build", "-j", "1", env=NOW).code == 0
    version = 1
    for action, index, tags, day in edits:
        names = sorted(p.stem for p in (site.root / "content/articles").glob("*.md"))
        target = names[index % len(names)] if names else None
        if action == "add" or target is None:
            _write_story(site, f"n{version}", version, tags, day, 4 + day % 3)
        elif action in ("edit", "retag", "redate"):  # a re-date may move it to April or June (another URL)
            _write_story(site, target, version, tags if action == "retag" else ["AI"], day if action == "redate" else 5,
                         4 + day % 3 if action == "redate" else 5)  # fmt: skip
        elif action == "body":  # the same front matter, another body
            path = site.root / f"content/articles/{target}.md"
            path.write_text(path.read_text(encoding="utf-8") + f"\nMore text, version {version}.\n", encoding="utf-8")
        elif action == "draft":  # not on the site: editing it changes nothing there
            site.write("content/articles/wip.md", story(title="Work in progress", extra="draft: true\n",
                                                        body=f"Draft {version}."))  # fmt: skip
        elif action == "page":  # a standalone page: its title is in every page's navigation
            site.write("content/pages/about.md", f"---\ntitle: About v{version}\nslug: about\n---\nText {day}.\n")
        elif action == "delete" and len(names) > 1:
            (site.root / f"content/articles/{target}.md").unlink()
        elif action == "rename":
            (site.root / f"content/articles/{target}.md").rename(site.root / f"content/articles/r{version}.md")
        elif action == "template":
            site.write("themes/mine/theme.yml", "extends: default\n")
            site.write("themes/mine/templates/month.html", f'{{% extends "default:month.html" %}}<!-- v{version} -->')
            site.write("site.yml", BASE + "per_page: 2\ntheme: mine\n")
        elif action == "config":
            site.write("site.yml", BASE.replace("title: T", f"title: T{version}") + f"per_page: {1 + version % 3}\n")
        version += 1
        result = site.ssg("build", "-j", "1", env=NOW)
        assert result.code == 0, result.err
        assert tree_hashes(site.public) == _clean_build(site, tmp_path), (action, target)
        assert _folders(site.public) == _folders(tmp_path / "clean/public"), (action, target)  # none left empty


@pytest.fixture
def many(site):
    site.write("site.yml", "title: T\nbase_url: https://example.org/\nper_page: 5\nsearch: false\n")
    for i in range(30):
        _write_story(site, f"s{i:02d}", 0, [TAGS[i % 5], TAGS[(i * 2) % 5]], 1 + i % 28)
    return site


def _built(site, *args):
    result = site.ssg("build", "-v", *args, env=NOW)
    assert result.code == 0, result.err
    return result.out


def test_no_change_rebuild_does_nothing(many):
    first = _built(many)
    assert "parsed 30 files" in first
    before = tree_hashes(many.public)
    second = _built(many)
    assert second.startswith("Nothing changed: public/ is up to date (30 stories")
    assert tree_hashes(many.public) == before


def _checkout(site: Site, when: int) -> None:
    """What a fresh checkout does to the inputs: every file gets a new mtime."""
    for path in [site.root / "site.yml", *(site.root / "content").rglob("*"), *(site.root / "themes").rglob("*")]:
        os.utime(path, ns=(when, when))


def test_new_mtimes_on_the_same_bytes_are_no_change(many, tmp_path):
    """CI restores the cache into a fresh checkout: every content and theme
    file has a new mtime. The files are read to see that they hold what they
    held, nothing is built, and the next build does not read them again; a
    changed file among them (here of the same size) takes the quick way."""
    many.write("themes/mine/theme.yml", "extends: default\n")
    many.write("themes/mine/templates/month.html", '{% extends "default:month.html" %}<!-- mine -->')
    many.write("site.yml", BASE + "per_page: 5\ntheme: mine\n")
    _built(many)
    before = tree_hashes(many.public)
    _checkout(many, 1_900_000_000 * 10**9)
    assert _built(many).startswith("Nothing changed")
    recorded = BuildCache(many.root).manifest("files")
    assert {st for st, _, _ in recorded.values()} == {1_900_000_000 * 10**9}  # known now: not read next time
    assert tree_hashes(many.public) == before
    path = many.root / "content/articles/s07.md"
    path.write_text(path.read_text(encoding="utf-8").replace("Body text.", "Body TEXT."), encoding="utf-8")
    _checkout(many, 1_900_000_100 * 10**9)
    out = _built(many)
    assert QUICK in out and "parsed 1 files" in out
    assert tree_hashes(many.public) == _clean_build(many, tmp_path)
    many.write("themes/mine/templates/month.html", '{% extends "default:month.html" %}<!-- ours -->')
    _checkout(many, 1_900_000_200 * 10**9)
    months = len(list(many.public.glob("2023/*/index.html")))
    assert f"parsed 0 files, rendered {months} of" in _built(many)  # a template: what it holds, not its mtime


def test_a_build_from_the_cache_does_not_import_markdown_it(many):
    """Importing markdown-it is a tenth of ssg's start-up: a build that parses
    no file (here a story deleted) must not pay it."""
    _built(many)
    (many.root / "content/articles/s07.md").unlink()
    script = ("import sys\nfrom generator.cli import main\nassert main(['build', '-v']) == 0\n"
              "print('markdown_it' in sys.modules)")  # fmt: skip
    proc = subprocess.run([sys.executable, "-c", script], cwd=many.root, env={**os.environ, **NOW},
                          capture_output=True, text=True, timeout=120)  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert "parsed 0 files" in proc.stdout and proc.stdout.endswith("False\n")


def test_one_story_edit_renders_only_what_shows_it(many):
    _built(many)
    _write_story(many, "s07", 1, [TAGS[2], TAGS[4]], 8)
    out = _built(many)
    assert "parsed 1 files" in out
    rendered = int(out.split("rendered ")[1].split(" of ")[0])
    total = int(out.split(" of ")[1].split(" files")[0])
    assert 0 < rendered < total / 3


def test_a_body_edit_past_the_summary_renders_only_the_story_s_page_and_feeds(many, tmp_path):
    """The newest and the oldest story are on every page of the lists they are
    in (their dates are the list's span) and beside other stories (neighbours,
    related): none of those pages shows the body, so none is made again."""
    _built(many)
    shown = ["index.html", "page/2/index.html", "tags/labour/index.html", "tags/labour/page/2/index.html",
             "2023/05/index.html", "2023/05/story-s26-v0/index.html", "2023/05/story-s00-v0/index.html"]  # fmt: skip
    before = {rel: (many.public / rel).stat().st_ino for rel in shown}
    feeds = sorted(p.relative_to(many.public).as_posix() for p in many.public.rglob("feed.*"))
    for name in ("s27", "s28"):  # the newest story (28 May), the oldest (1 May)
        _append(many, name, "\nA corrected sentence at the end.\n")
    out = _built(many)
    assert QUICK in out
    assert {rel: (many.public / rel).stat().st_ino for rel in shown} == before  # kept, not made again
    made = [rel for rel in feeds if b"corrected sentence" in (many.public / rel).read_bytes()]
    assert made and f"rendered {2 + len(made)} of" in out  # the two stories' pages and the feeds with their text
    assert tree_hashes(many.public) == _clean_build(many, tmp_path)


def test_template_change_renders_only_pages_using_it(many):
    _built(many)
    many.write("themes/mine/theme.yml", "extends: default\n")
    many.write("themes/mine/templates/month.html", '{% extends "default:month.html" %}<!-- changed -->')
    many.write("site.yml", "title: T\nbase_url: https://example.org/\nper_page: 5\ntheme: mine\nsearch: false\n")
    out = _built(many)
    months = len(list(many.public.glob("2023/*/index.html")))
    # site.yml changed too, so everything renders once; then only month pages.
    many.write("themes/mine/templates/month.html", '{% extends "default:month.html" %}<!-- again -->')
    out = _built(many)
    assert f"rendered {months} of" in out


def test_hand_edited_output_is_repaired(many):
    _built(many)
    before = tree_hashes(many.public)
    (many.public / "tags/index.html").write_text("vandalised")
    out = _built(many)
    assert not out.startswith("Nothing changed")
    assert tree_hashes(many.public) == before


def test_an_output_file_replaced_by_a_link_is_written_again(many, tmp_path):
    """Even a link to a copy with the same size and time: the output never
    holds a link that leads out of it."""
    _built(many)
    before = tree_hashes(many.public)
    page = many.public / "tags/index.html"
    alike = tmp_path / "index.html"
    shutil.copy2(page, alike)
    page.unlink()
    page.symlink_to(alike)
    out = _built(many)
    assert not out.startswith("Nothing changed")
    assert not page.is_symlink() and tree_hashes(many.public) == before


def _spare(site: Site):
    return site.root / ".ssg-cache/spare"


def test_the_output_before_last_is_brought_up_to_date(many, tmp_path):
    _built(many)
    first_tree = many.public.stat().st_ino
    assert not _spare(many).exists()  # a first build has no older output to keep
    _write_story(many, "s01", 1, ["AI"], 3)
    _built(many)
    assert _spare(many).stat().st_ino == first_tree  # the first output, kept as the spare
    (many.root / "content/articles/s02.md").unlink()
    _write_story(many, "s03", 1, ["Games"], 9)
    _built(many)
    assert many.public.stat().st_ino == first_tree  # the spare was updated and swapped in
    assert tree_hashes(many.public) == _clean_build(many, tmp_path)
    assert not any("s02" in rel for rel in tree_hashes(many.public))


@pytest.mark.parametrize("lister", ["find", "walk"])
@pytest.mark.parametrize("tamper", ["replace", "write-through", "extra", "deep-extra", "symlink", "link-alike",
                                    "killed"])  # fmt: skip
def test_a_spare_tree_that_changed_is_repaired_or_replaced(many, tmp_path, tamper, lister, monkeypatch):
    """Whether the spare is listed by find(1) in the background or walked by
    the build, and whether the edits are built the full or the quick way."""
    if lister == "walk":
        monkeypatch.setattr(files, "FIND", "/nonexistent/find")
    _built(many)
    _write_story(many, "s01", 1, ["AI"], 3)
    _built(many)
    spare = _spare(many)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "keep.txt").write_text("not ssg's")
    if tamper == "replace":  # a new file where a page was
        (spare / "tags/index.html").unlink()
        (spare / "tags/index.html").write_text("tampered")
    elif tamper == "write-through":  # the spare and the output share unchanged files
        (many.public / "tags/index.html").write_text("vandalised")
    elif tamper == "extra":
        (spare / "extra.html").write_text("not from this site")
    elif tamper == "deep-extra":  # put into the live output by hand, deep down: it becomes the spare next
        (many.public / "tags/extra.html").write_text("not from this site")
    elif tamper == "symlink":
        shutil.rmtree(spare)
        spare.symlink_to(elsewhere, target_is_directory=True)
    elif tamper == "link-alike":  # a file replaced by a link to one of the same size and time elsewhere
        page = next((spare / "static").glob("favicon.*.svg"))  # (no edit changes it)
        alike = elsewhere / page.name
        shutil.copy2(page, alike)
        page.unlink()
        page.symlink_to(alike)
    else:  # killed after the swap, before the cache was saved: it still describes the build before
        cache = BuildCache(many.root)
        cache.set_state({"spare": ""})  # set so before every swap
        cache.copy_manifest("spare", "outputs")
        cache.close()
    _write_story(many, "s05", 1, ["Film"], 12)
    _built(many)
    assert tree_hashes(many.public) == _clean_build(many, tmp_path)
    assert (elsewhere / "keep.txt").read_text() == "not ssg's"
    assert not any(path.is_symlink() for path in many.public.rglob("*"))
    kept = spare.stat().st_ino  # the output this build replaced, kept although the cache misdescribed it
    if tamper == "deep-extra":  # again, and this time the edit keeps the archive's structure
        (many.public / "tags/extra.html").write_text("not from this site")
        _append(many, "s06", "\nA corrected sentence.\n")
        assert QUICK in _built(many)
        assert tree_hashes(many.public) == _clean_build(many, tmp_path)
        kept = spare.stat().st_ino
    _write_story(many, "s06", 1, ["Film"], 13)
    _built(many)
    assert tree_hashes(many.public) == _clean_build(many, tmp_path)
    assert many.public.stat().st_ino == kept  # ...and brought up to date file by file


@pytest.mark.parametrize("damage", ["truncate", "garbage", "version", "blob", "manifest-gone", "manifest-swapped"])
def test_damaged_cache_is_detected_and_rebuilt(many, damage):
    _built(many)
    before = tree_hashes(many.public)
    db_path = many.root / ".ssg-cache/cache.sqlite"
    _write_story(many, "s01", 5, ["AI"], 3)  # so that the cache is read, not skipped
    expected_change = True
    if damage == "truncate":
        data = db_path.read_bytes()
        db_path.write_bytes(data[: len(data) // 3])
    elif damage == "garbage":
        db_path.write_bytes(b"this is not a database" * 100)
    elif damage == "manifest-gone":
        (many.root / ".ssg-cache/manifests/files").unlink()
    elif damage == "manifest-swapped":  # a sound manifest file, but not the one the cache recorded
        manifests = many.root / ".ssg-cache/manifests"
        shutil.copyfile(manifests / "files", manifests / "outputs")
    else:
        db = sqlite3.connect(db_path)
        if damage == "version":
            db.execute("UPDATE state SET value = 'old' WHERE name = 'version'")
        else:
            db.execute("UPDATE docs SET data = X'00010203'")
        db.commit()
        db.close()
    for suffix in ("-wal", "-shm"):
        (many.root / f".ssg-cache/cache.sqlite{suffix}").unlink(missing_ok=True)
    result = many.ssg("build", env=NOW)
    assert result.code == 0, result.err
    assert expected_change and tree_hashes(many.public) != before
    assert tree_hashes(many.public) == _clean_build(many, many.root.parent)
    if damage != "truncate":
        assert "rebuilt without it" in result.err


def test_a_manifest_reads_back_as_it_was_saved_in_either_format(tmp_path):
    """Plain values are stored in marshal's format, records and dates pickled, and a manifest pickled by an
    earlier ssg still reads; a damaged one is refused."""
    from datetime import datetime

    from generator.incremental.snapshot import DocEntry
    from generator.store.cache import _check
    from generator.store.records import seal

    cache = BuildCache(tmp_path)
    plain = {"content/a.md": (1, 2, "d" * 32, "b" * 40), "x": (None, 1.5, frozenset({"t"}), True, b"z", [1])}
    records = {"a": DocEntry("k", "s", None), "when": datetime(2023, 5, 1, tzinfo=ZoneInfo("Europe/Paris"))}
    cache.save_manifest("plain", plain)
    cache.save_manifest("records", records)
    files = cache.manifests
    assert (files / "plain").read_bytes()[4:5] != b"\x80" and (files / "records").read_bytes()[4:5] == b"\x80"
    assert cache.manifest("plain") == plain and cache.manifest("records") == records
    assert type(cache.manifest("records")["a"]) is DocEntry
    for name, blob in (("old", seal(pickle.dumps(plain, protocol=5))), ("bad", seal(b"{not marshal"))):
        (files / name).write_bytes(blob)
        cache._record(name, _check(blob))
    assert cache.manifest("old") == plain
    with pytest.raises(CacheCorrupt):
        cache.manifest("bad")
    assert sorted(p.name for p in files.iterdir()) == ["bad", "old", "plain", "records"]  # no file left half-made
    cache.close()


def test_a_manifest_is_the_file_its_row_describes(tmp_path):
    """A manifest's file and the table's row of it are written one after the other: a file of
    another build (a save stopped before its row, a file put back by hand) or a file gone is
    refused, never read as this cache's; a copy keeps its value when the original is saved again."""
    cache = BuildCache(tmp_path)
    cache.save_manifest("outputs", {"a.html": ("k1", 10, 1)})
    cache.copy_manifest("outputs", "spare")
    cache.save_manifest("outputs", {"a.html": ("k2", 11, 2)})
    assert cache.manifest("spare") == {"a.html": ("k1", 10, 1)}  # (linked, then the original replaced)
    assert cache.manifest("outputs") == {"a.html": ("k2", 11, 2)}
    assert cache.manifest("never") == {}
    cache.copy_manifest("never", "spare")  # nothing to copy: the copy is as it was
    assert cache.manifest("spare") == {"a.html": ("k1", 10, 1)}
    row = cache.db.execute("SELECT data FROM manifests WHERE name = 'outputs'").fetchone()
    cache.save_manifest("outputs", {"a.html": ("k3", 12, 3)})
    cache.db.execute("UPDATE manifests SET data = ? WHERE name = 'outputs'", row)  # stopped before the row
    with pytest.raises(CacheCorrupt, match="not the one"):
        cache.manifest("outputs")
    (cache.manifests / "spare").unlink()
    with pytest.raises(CacheCorrupt, match="cannot be read"):
        cache.manifest("spare")
    cache.close()
    BuildCache(tmp_path, fresh=True).close()  # (--no-cache)
    assert not any(cache.manifests.iterdir())
    BuildCache(tmp_path).save_manifest("files", {"a.md": (1, 2, "d")})
    cache.path.unlink()  # the database deleted by hand: its manifests' files are not kept
    cache = BuildCache(tmp_path)
    assert not any(cache.manifests.iterdir()) and cache.manifest("files") == {}
    cache.close()


def test_a_manifest_whose_write_fails_leaves_the_one_before(tmp_path, monkeypatch):
    """A manifest's file is written whole or not at all (``util/replacing.py``): when its rename fails,
    the save is ``CacheCorrupt``, the manifest before still reads, and no temporary file is left."""
    import generator.util.replacing as replacing

    cache = BuildCache(tmp_path)
    cache.save_manifest("files", {"a.md": (1, 2, "d1")})

    def refused(source, target):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(replacing.os, "replace", refused)
    with pytest.raises(CacheCorrupt, match="cannot be written"):
        cache.save_manifest("files", {"a.md": (3, 4, "d2")})
    monkeypatch.undo()
    assert cache.manifest("files") == {"a.md": (1, 2, "d1")}
    assert [p.name for p in cache.manifests.iterdir()] == ["files"]
    cache.close()


def test_a_file_s_digest_is_the_digest_of_its_bytes_whatever_its_size(tmp_path):
    """``file_digest`` (the no-change check reading content files) gives what
    ``digest`` gives for the file's bytes: empty, small, a read's size and
    beyond, and a file that grew since its size was taken."""
    from generator.util.digest import file_digest

    for size in (0, 1, 4096, 65535, 65536, 65537, 300_000):
        path = tmp_path / f"f{size}"
        data = bytes((n * 7 + size) % 256 for n in range(size))
        path.write_bytes(data)
        assert file_digest(str(path), size) == digest(data), size
        assert file_digest(str(path), max(size // 3, 0)) == digest(data), size  # it grew since
    with pytest.raises(OSError):
        file_digest(str(tmp_path / "missing"), 10)


def test_a_cached_record_is_read_back_with_the_builds_own_file(tmp_path):
    """A record holds its file by path; reading it gives the build's object,
    and a record whose file the build does not have is refused, not guessed."""
    from generator.config.site import load_config
    from generator.content.discover import discover
    from generator.content.load import _parse_one

    site = Site(tmp_path / "site")
    site.write("site.yml", 'title: T\nbase_url: "https://example.org/"\ntimezone: Europe/Paris\n')
    site.write("content/articles/2023/one.md", story("One", extra="tags: [AI, Film]\n"))
    config, _ = load_config(site.root / "site.yml")
    files, _ = discover(config)
    record, _, problems, _ = _parse_one(files[0], config, "key")
    assert not problems
    assert b"_unpickle" not in record  # the time zone stored by its key, not by its own (slow) reduction
    files_now = {f.rel: f for f in discover(config)[0]}  # another build's objects for the same files
    doc = read_doc(record, files_now).doc
    assert doc.file is files_now[files[0].rel] and doc.title == "One"
    assert doc.date.at.tzinfo is ZoneInfo("Europe/Paris")  # the zone's one object, as ZoneInfo keeps it
    assert [t.name for t in doc.tags] == ["AI", "Film"]
    assert read_doc(doc_blob(read_doc(record, files_now)), files_now).doc == doc  # stored again, the same
    with pytest.raises(CacheCorrupt):
        read_doc(record, {})


def test_no_cache_flag_rebuilds_everything(many):
    _built(many)
    out = _built(many, "--no-cache")
    assert "parsed 30 files" in out


def test_a_new_cache_is_put_in_place_whole_and_a_half_written_one_is_not_used(many, tmp_path):
    folder = many.root / ".ssg-cache"
    folder.mkdir()
    (folder / "cache.sqlite.new").write_bytes(b"left by a build that was killed")  # never trusted
    assert "parsed 30 files" in _built(many)
    assert sorted(p.name for p in folder.iterdir() if p.name.startswith("cache")) == ["cache.sqlite"]
    _write_story(many, "s01", 5, ["AI"], 3)
    assert "parsed 1 file" in _built(many)  # the cold build's cache, read by the next build
    db = sqlite3.connect(folder / "cache.sqlite")
    assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)  # an existing cache is updated in place
    db.close()
    assert tree_hashes(many.public) == _clean_build(many, tmp_path)


def test_embargo_lifting_is_noticed(many):
    many.write("content/articles/later.md", story(title="Later", date="2026-01-02T00:00:00Z"))
    _built(many)
    assert not (many.public / "2026").exists()
    result = many.ssg("build", env={"SOURCE_DATE_EPOCH": "1767398400"})  # 2026-01-03
    assert result.code == 0 and not result.out.startswith("Nothing changed")
    assert (many.public / "2026/01/later/index.html").exists()


def test_parallel_output_is_identical_to_serial(many, tmp_path, monkeypatch):
    monkeypatch.setattr(parallel, "MIN_PER_WORKER", 2)  # fork even for this small site
    _built(many, "-j", "2", "--no-cache")
    parallel_tree = tree_hashes(many.public)
    # A first build's files are digested by the workers that parse them: all recorded, and right.
    cache = BuildCache(many.root)
    recorded = cache.manifest("files")
    cache.close()
    stories = sorted(many.root.glob("content/articles/*.md"))
    assert sorted(recorded) == [p.relative_to(many.root).as_posix() for p in stories]
    assert all(recorded[p.relative_to(many.root).as_posix()][2] == digest(p.read_bytes()) for p in stories)
    _built(many, "-j", "1", "--no-cache")
    assert tree_hashes(many.public) == parallel_tree


def test_unchanged_files_are_linked_in_parallel(many, tmp_path, monkeypatch):
    """The first edit after a cold build links every unchanged file from the
    live output into a new tree, in the worker processes."""
    monkeypatch.setattr(parallel, "MIN_PER_WORKER", 2)
    _built(many, "-j", "2")
    before = (many.public / "tags/index.html").stat().st_ino
    _append(many, "s03", "\nA correction.\n")
    _built(many, "-j", "2")
    assert (many.public / "tags/index.html").stat().st_ino == before  # linked, not written again
    assert (_spare(many) / "tags/index.html").stat().st_ino == before
    assert tree_hashes(many.public) == _clean_build(many, tmp_path)


def _count_looked_up(monkeypatch) -> list[int]:
    """How many documents each ``BuildCache.get_docs`` call asks for."""
    asked: list[int] = []
    real_get_docs = BuildCache.get_docs

    def spy(self, keys, files):
        asked.append(len(keys))
        return real_get_docs(self, keys, files)

    monkeypatch.setattr(BuildCache, "get_docs", spy)
    return asked


def test_resident_documents_stand_in_for_the_cache_while_it_holds_them(many, tmp_path, monkeypatch):
    """`ssg serve` keeps each build's documents in memory: a rebuild reads none
    of the unchanged ones from the cache, and takes none whose body the cache lost."""
    from generator.build import BuildOptions, build

    asked = _count_looked_up(monkeypatch)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", NOW["SOURCE_DATE_EPOCH"])
    resident: dict = {}
    options = BuildOptions(config_path=many.root / "site.yml", jobs=1, resident=resident)
    assert build(options).parsed == 30
    assert len(resident) == 30
    _write_story(many, "s07", 1, [TAGS[2], TAGS[4]], 8)
    result = build(options)
    assert (result.parsed, asked[-1]) == (1, 1)  # only the edited story's new key was looked up
    assert tree_hashes(many.public) == _clean_build(many, tmp_path)
    db = sqlite3.connect(many.root / ".ssg-cache/cache.sqlite")
    db.execute("DELETE FROM docs")  # and their bodies; the manifest of files stays
    db.execute("DELETE FROM bodies")
    db.commit()
    db.close()
    _write_story(many, "s08", 1, [TAGS[0]], 9)
    result = build(options)
    assert (result.parsed, result.warnings) == (30, [])  # none taken from memory without its body
    assert tree_hashes(many.public) == _clean_build(many, tmp_path)


def test_a_page_title_edit_reaches_every_page_s_navigation(many, tmp_path):
    many.write("content/pages/about.md", "---\ntitle: About us\nslug: about\n---\nText.\n")
    _built(many)
    many.write("content/pages/about.md", "---\ntitle: Who we are\nslug: about\n---\nText.\n")
    _built(many)
    assert "Who we are" in (many.public / "tags/index.html").read_text(encoding="utf-8")
    assert tree_hashes(many.public) == _clean_build(many, tmp_path)


QUICK = "the quick way: only what shows the edit was planned"


def _append(site: Site, name: str, text: str) -> None:
    path = site.root / f"content/articles/{name}.md"
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


@pytest.fixture
def years(site):
    """40 stories over four years, so that no list page shows them all."""
    site.write("site.yml", BASE + "per_page: 4\nfeeds:\n  entries: 4\n")
    for i in range(40):
        site.write(f"content/articles/y{i:02d}.md", story(title=f"Story {i}", date=f"{2020 + i % 4}-0{1 + i % 9}-10",
                                                          url=f"https://news.example.com/y{i}",
                                                          extra=f"tags: [{TAGS[i % 5]}]\n"))  # fmt: skip
    return site


def test_a_body_edit_is_built_without_loading_the_archive(years, tmp_path, monkeypatch):
    _built(years)
    read: list[str] = []
    real_doc, real_docs = BodyReader.doc, BodyReader.docs

    def doc(self, key, files):
        read.append(key)
        return real_doc(self, key, files)

    def docs(self, keys, files):  # a chunk of pages' stories, read ahead at once
        read.extend(keys)
        return real_docs(self, keys, files)

    monkeypatch.setattr(BodyReader, "doc", doc)
    monkeypatch.setattr(BodyReader, "docs", docs)
    asked = _count_looked_up(monkeypatch)
    _append(years, "y13", "\nA corrected sentence.\n")
    out = _built(years)
    monkeypatch.undo()
    assert QUICK in out and "parsed 1 files" in out
    assert asked == [1]  # the edited file's new key, in case its content was cached already
    # The stories shown on the pages rendered (its own, its neighbours', and those of the stories it is
    # related to, and the lists and feeds it is in: 28 here), not all 40.
    assert 0 < len(set(read)) < 40
    assert "A corrected sentence." in (years.public / "2021/05/story-13/index.html").read_text(encoding="utf-8")
    assert tree_hashes(years.public) == _clean_build(years, tmp_path)
    _append(years, "y13", "\nAnd another.\n")  # from a quick build to the next
    assert QUICK in _built(years)
    assert tree_hashes(years.public) == _clean_build(years, tmp_path)


def _edit(site: Site, name: str, old: str, new: str) -> None:
    path = site.root / f"content/articles/{name}.md"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def _folders(public) -> set[str]:
    return {path.relative_to(public).as_posix() for path in public.rglob("*") if path.is_dir()}


def _same_as_clean(site: Site, tmp_path) -> None:
    """The output is a clean build's, files and folders (no folder left empty by a page gone)."""
    assert tree_hashes(site.public) == _clean_build(site, tmp_path)
    assert _folders(site.public) == _folders(tmp_path / "clean/public")


def test_a_story_moved_to_another_month_takes_the_quick_way(years, tmp_path):
    """Its URL changes: its old page goes, and with it its month (2021-05 has
    no other story); the new month's page, the year's pages (counts), the
    old and new neighbours, its lists and the sitemap are made again."""
    _built(years)
    _edit(years, "y13", "date: 2021-05-10", "date: 2021-06-10")
    out = _built(years)
    assert QUICK in out and "parsed 1 files" in out
    assert not (years.public / "2021/05").exists()
    assert (years.public / "2021/06/story-13/index.html").is_file()
    _same_as_clean(years, tmp_path)
    _edit(years, "y13", "date: 2021-06-10", "date: 2019-12-31")  # a year of its own, and back
    assert QUICK in _built(years)
    _same_as_clean(years, tmp_path)
    _edit(years, "y13", "date: 2019-12-31", "date: 2021-05-10")
    assert QUICK in _built(years)
    _same_as_clean(years, tmp_path)


def test_adding_and_deleting_stories_takes_the_quick_way(years, tmp_path):
    """A story added (the newest, in a year of its own, with a file beside
    it; then one among the others), a file renamed, and stories deleted: only
    the pages that show them, or that move by one, are planned."""
    _built(years)
    years.write("content/articles/new.md", story(title="Newest", date="2024-02-01", url="https://news.example.com/n",
                                                 extra="tags: [AI, Fresh]\n", body="The [data](new.csv)."))
    years.write("content/articles/new.csv", "a,b\n")
    out = _built(years)
    assert QUICK in out and "parsed 1 files" in out
    assert (years.public / "2024/02/newest/new.csv").is_file() and (years.public / "tags/fresh/feed.xml").is_file()
    _same_as_clean(years, tmp_path)
    years.write("content/articles/mid.md", story(title="Middle", date="2021-05-11", url="https://news.example.com/m",
                                                 extra="tags: [Film]\n"))  # fmt: skip
    out = _built(years)
    assert QUICK in out and "parsed 1 files" in out
    _same_as_clean(years, tmp_path)
    (years.root / "content/articles/mid.md").rename(years.root / "content/articles/middle.md")  # the same URL
    assert QUICK in _built(years)
    _same_as_clean(years, tmp_path)
    for names in (("new.md", "new.csv"), ("middle.md",)):
        for name in names:
            (years.root / "content/articles" / name).unlink()
        out = _built(years)
        assert QUICK in out and "parsed 0 files" in out
        _same_as_clean(years, tmp_path)
    assert not (years.public / "2024").exists() and not (years.public / "tags/fresh").exists()
    (years.root / "content/articles/y00.md").unlink()  # the oldest of its month and tag
    assert QUICK in _built(years)
    _same_as_clean(years, tmp_path)


def test_a_story_added_on_top_reads_the_documents_of_the_pages_that_move_at_once(years, monkeypatch):
    """Every page of the home list moves by one: the 40 stories they show are
    read from the cache a chunk of pages at a time, not one query each."""
    _built(years)
    one, many = [], []
    real_doc, real_docs = BodyReader.doc, BodyReader.docs
    monkeypatch.setattr(BodyReader, "doc", lambda self, key, files: one.append(key) or real_doc(self, key, files))
    monkeypatch.setattr(BodyReader, "docs",
                        lambda self, keys, files: many.append(len(keys)) or real_docs(self, keys, files))  # fmt: skip
    years.write("content/articles/new.md", story(title="Newest", date="2024-02-01", url="https://news.example.com/n"))
    assert QUICK in _built(years, "-j", "1")  # (in this process, where the counts are kept)
    assert sum(many) >= 35 and len(one) <= 3, (many, one)


def test_a_story_unpublished_or_renamed_with_its_image(years, tmp_path):
    """A story made a draft leaves the site and comes back when it is not one
    any more, the quick way; a story with an image beside it moved to another
    month takes its image along (the old copy goes with its folder)."""
    years.write("content/articles/pic.md", story(title="Pictured", date="2022-04-02", url="https://x.example/pic",
                                                 extra="image:\n  src: pic.svg\n  alt: A photo\n"))  # fmt: skip
    years.write("content/articles/pic.svg", "<svg xmlns='http://www.w3.org/2000/svg'/>")
    _built(years)
    _edit(years, "y06", "date:", "draft: true\ndate:")
    assert QUICK in _built(years)
    assert not (years.public / "2022/07/story-6").exists()
    _same_as_clean(years, tmp_path)
    _edit(years, "y06", "draft: true\n", "")
    assert QUICK in _built(years)
    _same_as_clean(years, tmp_path)
    _edit(years, "pic", "date: 2022-04-02", "date: 2022-08-02")
    out = _built(years)  # its image's variants move with it: the full build (which encodes nothing new)
    assert QUICK not in out and "encoded 0 images" in out
    assert (years.public / "2022/08/pictured/pic.svg").is_file() and not (years.public / "2022/04/pictured").exists()
    _same_as_clean(years, tmp_path)
    _edit(years, "pic", "Body text.", "Body text, edited.")  # a text edit of a story with an image: the quick way
    out = _built(years)
    assert QUICK in out and "encoded 0 images" in out
    _same_as_clean(years, tmp_path)


def test_a_story_added_or_deleted_takes_the_full_build_when_links_or_checks_are_involved(years, tmp_path):
    """A new story that links to another (the full build checks where links
    lead), a story another links to (deleting it is an error), a copy of
    another's original, a URL taken: reported as the full build reports them."""
    _built(years)
    years.write("content/articles/linking.md", story(title="Linking", date="2022-03-03", url="https://x.example/l",
                                                     body="See [the story](y05.md)."))  # fmt: skip
    out = _built(years)
    assert QUICK not in out and "parsed 1 files" in out
    _same_as_clean(years, tmp_path)
    linked = years.root / "content/articles/y05.md"
    text = linked.read_text(encoding="utf-8")
    linked.unlink()
    result = years.ssg("build", env=NOW)
    assert result.code == 1 and "content/articles/linking.md:8:17: error: body: link to 'y05.md'" in result.err
    linked.write_text(text, encoding="utf-8")
    years.write("content/articles/copy.md", story(title="Copy", date="2022-03-04", url="https://news.example.com/y7"))
    result = years.ssg("build", env=NOW)
    assert result.code == 1 and "content/articles/copy.md:6:8: error: source.url: the same original" in result.err
    (years.root / "content/articles/copy.md").unlink()
    years.write("content/articles/twin.md", story(title="Story 7", date="2023-08-01", url="https://x.example/t"))
    result = years.ssg("build", env=NOW)
    assert result.code == 1 and "URL /2023/08/story-7/ is also used by content/articles/y07.md" in result.err


def test_a_story_added_under_embargo_appears_when_it_lifts(years, tmp_path):
    """Added with a date after "now": not on the site, and the build knows
    when it will be, also once the date is brought forward; a draft added
    changes nothing on the site."""
    _built(years)
    before = tree_hashes(years.public)
    years.write("content/articles/later.md", story(title="Later", date="2026-05-01", url="https://x.example/later"))
    years.write("content/articles/wip.md", story(title="Draft", extra="draft: true\n", url="https://x.example/wip"))
    out = _built(years)
    assert QUICK in out and "parsed 2 files, rendered 0 of" in out
    assert tree_hashes(years.public) == before
    assert _built(years).startswith("Nothing changed")
    _edit(years, "later", "date: 2026-05-01", "date: 2026-03-01")
    out = _built(years)
    assert QUICK in out and "parsed 1 files, rendered 0 of" in out
    lifted = {"SOURCE_DATE_EPOCH": str(1772323200 + 86400)}  # 2 March 2026
    result = years.ssg("build", env=lifted)
    assert result.code == 0 and (years.public / "2026/03/later/index.html").is_file()
    clean = Site(tmp_path / "clean")
    shutil.rmtree(clean.root, ignore_errors=True)
    shutil.copytree(years.root, clean.root, ignore=shutil.ignore_patterns("public", ".ssg-cache"))
    assert clean.ssg("build", "-j", "1", env=lifted).code == 0
    assert tree_hashes(years.public) == tree_hashes(clean.public)


def test_a_re_date_within_the_month_takes_the_quick_way(many, tmp_path):
    """Another day in the same month keeps the story's URL (the permalink has
    no day): it moves in the archive's order, so it has other neighbours, its
    lists show it elsewhere and their last change may differ; the output must
    be a clean build's, old neighbours included."""
    _built(many)
    before = tree_hashes(many.public)
    _edit(many, "s07", "date: 2023-05-08", "date: 2023-05-20")  # from 22nd newest of 30 to 9th
    out = _built(many)
    assert QUICK in out and "parsed 1 files" in out
    after = tree_hashes(many.public)
    assert after == _clean_build(many, tmp_path)
    changed = {rel for rel in after.keys() | before.keys() if before.get(rel) != after.get(rel)}
    assert {"2023/05/story-s07-v0/index.html", "2023/05/story-s06-v0/index.html",  # an old neighbour
            "2023/05/story-s08-v0/index.html", "sitemap.xml"} <= changed  # fmt: skip
    assert any(rel.startswith("page/") for rel in changed) and "index.html" not in changed  # its page 2, 5, not 1
    _edit(many, "s07", "date: 2023-05-20", "date: 2023-05-20T09:30:00Z\nupdated: 2023-05-27")  # the same day
    assert QUICK in _built(many)
    assert tree_hashes(many.public) == _clean_build(many, tmp_path)
    _edit(many, "s07", "date: 2023-05-20T09:30:00Z\nupdated: 2023-05-27", "date: 2023-05-08")
    assert QUICK in _built(many)
    assert tree_hashes(many.public) == before


def test_a_re_date_takes_the_full_build_with_a_news_sitemap(many, tmp_path):
    many.write("site.yml", many.read("site.yml") + "news_sitemap: true\n")
    _built(many)
    _edit(many, "s07", "date: 2023-05-08", "date: 2023-05-20")
    out = _built(many)
    assert QUICK not in out and "parsed 1 files" in out
    assert tree_hashes(many.public) == _clean_build(many, tmp_path)


def test_a_retag_plans_only_the_tags_it_changes(years, tmp_path, monkeypatch):
    """A story that changes tags stays in place: its own page, the lists that
    show it, the tags it joins or leaves, the tag index and the stories whose
    related stories change are made again, and the sitemap; nothing else."""
    first = _built(years).split(" into")[0]  # "Built 40 stories, N pages (M files)"
    before = tree_hashes(years.public)
    read: list[str] = []
    real_doc = BodyReader.doc
    monkeypatch.setattr(BodyReader, "doc", lambda self, key, files: read.append(key) or real_doc(self, key, files))
    _edit(years, "y13", "tags: [Film]", "tags: [Games, Night Shift]")  # one tag left, one joined, one new
    out = _built(years)
    monkeypatch.undo()
    assert QUICK in out and "parsed 1 files" in out
    assert 0 < len(set(read)) < 40
    after = tree_hashes(years.public)
    assert after == _clean_build(years, tmp_path)
    clean = Site(tmp_path / "clean").ssg("build", "--no-cache", env=NOW).out
    assert out.startswith("Built 40 stories, 116 pages (132 files)") and clean.startswith(out.split(" into")[0])
    changed = {rel for rel in after.keys() | before.keys() if before.get(rel) != after.get(rel)}
    assert {"tags/night-shift/index.html", "tags/night-shift/feed.xml", "tags/index.html", "sitemap.xml",
            "2021/05/story-13/index.html", "tags/games/index.html", "tags/film/index.html"} <= changed  # fmt: skip
    assert not any(rel.startswith("sources/") and rel != "sources/the-outlet/index.html" for rel in changed)
    assert "tags/night-shift/" in (years.public / "2021/05/story-13/index.html").read_text(encoding="utf-8")
    _edit(years, "y13", "tags: [Games, Night Shift]", "tags: [Film]")  # the new tag goes again
    out = _built(years)
    assert QUICK in out and out.startswith(first)
    assert not (years.public / "tags/night-shift").exists()
    assert tree_hashes(years.public) == before


def test_two_stories_that_swap_tags_keep_the_sitemap_as_it_was(years, tmp_path):
    _built(years)
    sitemap = (years.public / "sitemap.xml").stat().st_ino
    _edit(years, "y13", "tags: [Film]", "tags: [Games]")  # each tag keeps its count, pages and newest story
    _edit(years, "y14", "tags: [Games]", "tags: [Film]")
    out = _built(years)
    assert QUICK in out and "parsed 2 files" in out
    assert (years.public / "sitemap.xml").stat().st_ino == sitemap  # linked from the last output, not written
    assert tree_hashes(years.public) == _clean_build(years, tmp_path)


def test_a_corrected_original_takes_the_quick_way_and_one_already_cited_is_reported(years, tmp_path):
    _built(years)
    _edit(years, "y13", "news.example.com/y13", "news.example.com/y13-corrected")
    out = _built(years)
    assert QUICK in out and "parsed 1 files" in out
    page = (years.public / "2021/05/story-13/index.html").read_text(encoding="utf-8")
    assert 'href="https://news.example.com/y13-corrected"' in page
    assert tree_hashes(years.public) == _clean_build(years, tmp_path)
    _edit(years, "y13", "news.example.com/y13-corrected", "news.example.com/y14")  # two stories swap originals
    _edit(years, "y14", "news.example.com/y14", "news.example.com/y13-corrected")
    assert QUICK in _built(years)
    assert tree_hashes(years.public) == _clean_build(years, tmp_path)
    before = tree_hashes(years.public)
    _edit(years, "y15", "https://news.example.com/y15", "https://www.news.example.com/y14/")  # y13 cites it
    result = years.ssg("build", env=NOW)
    assert result.code == 1
    assert ("content/articles/y15.md:6:8: error: source.url: the same original (its URL differs only in "
            "http/https, www., a trailing slash or tracking parameters) is already archived by "
            "content/articles/y13.md") in result.err  # fmt: skip
    assert tree_hashes(years.public) == before


def test_a_story_that_changes_outlet_takes_the_quick_way(years, tmp_path):
    """Another outlet (a new one, here) moves the story between outlet lists
    and changes their index, not its place: the quick way, like a retag."""
    _built(years)
    before = tree_hashes(years.public)
    _edit(years, "y13", "name: The Outlet", "name: Other Daily")
    out = _built(years)
    assert QUICK in out and "parsed 1 files" in out
    after = tree_hashes(years.public)
    assert after == _clean_build(years, tmp_path)
    changed = {rel for rel in after.keys() | before.keys() if before.get(rel) != after.get(rel)}
    assert {"sources/other-daily/index.html", "sources/other-daily/feed.xml", "sources/index.html",
            "2021/05/story-13/index.html", "sources/the-outlet/index.html", "sitemap.xml"} <= changed  # fmt: skip
    assert not any(rel.startswith("tags/") and not rel.endswith(("/index.html", "/feed.xml")) for rel in changed)
    assert len(changed) < len(after) / 3
    page = (years.public / "2021/05/story-13/index.html").read_text(encoding="utf-8")
    assert "Other Daily" in page and "/sources/other-daily/" in page
    _edit(years, "y13", "name: Other Daily", "name: The Outlet")  # the new outlet goes again
    assert QUICK in _built(years)
    assert not (years.public / "sources/other-daily").exists()
    assert tree_hashes(years.public) == before


def test_an_outlet_spelled_anew_by_most_of_its_stories_is_renamed_everywhere(years, tmp_path):
    _built(years)
    for i in range(21):  # 21 of the 40 stories now write it this way: its name on every page that shows it
        _edit(years, f"y{i:02d}", "name: The Outlet", "name: THE OUTLET")
    out = _built(years)
    assert QUICK in out and "parsed 21 files" in out
    assert tree_hashes(years.public) == _clean_build(years, tmp_path)
    assert "THE OUTLET" in (years.public / "2023/04/story-39/index.html").read_text(encoding="utf-8")
    _edit(years, "y00", "name: THE OUTLET", "name: The Outlet")  # 20 against 20: the first in sort order
    assert QUICK in _built(years)
    assert tree_hashes(years.public) == _clean_build(years, tmp_path)


def test_a_tag_outside_the_vocabulary_is_reported_though_only_its_story_changed(years):
    vocabulary = "".join(f"  {name.lower()}: {{name: {name}}}\n" for name in TAGS)
    years.write("site.yml", years.read("site.yml") + "tags_strict: true\ntags:\n" + vocabulary)
    _built(years)
    _edit(years, "y13", "tags: [Film]", "tags: [Flim]")
    result = years.ssg("build", env=NOW)
    assert result.code == 1
    assert "content/articles/y13.md:" in result.err and "'Flim' is not in the vocabulary" in result.err


def test_the_quick_way_reuses_only_output_that_is_as_recorded(years, tmp_path):
    _built(years)
    (years.public / "tags/index.html").unlink()  # a page no body edit touches
    _append(years, "y13", "\nA corrected sentence.\n")
    out = _built(years)
    assert QUICK not in out  # it could not be linked as it was: the full build makes it again
    assert tree_hashes(years.public) == _clean_build(years, tmp_path)


def test_a_related_stories_result_of_another_archive_is_not_trusted(years, tmp_path):
    _built(years)
    cache = BuildCache(years.root)
    cache.save_manifest("related", {"key": "another archive", "urls": {}})
    cache.close()
    _append(years, "y13", "\nA corrected sentence.\n")
    assert QUICK not in _built(years)
    assert tree_hashes(years.public) == _clean_build(years, tmp_path)


def test_an_edit_with_a_problem_is_reported_with_the_whole_archive(years):
    _built(years)
    before = tree_hashes(years.public)
    _append(years, "y13", "\nSee [the other](y99.md).\n")
    path = years.root / "content/articles/y14.md"
    path.write_text(path.read_text(encoding="utf-8").replace("date: 2022", "date: 20x2"), encoding="utf-8")
    result = years.ssg("build", env=NOW)
    assert result.code == 1
    assert "content/articles/y13.md:11:17: error: body: link to 'y99.md': no published story" in result.err
    assert "content/articles/y14.md:3:7: error: date:" in result.err
    assert tree_hashes(years.public) == before


def test_a_replaced_image_is_copied_again_though_its_story_is_untouched(site, tmp_path):
    site.write("site.yml", "title: T\nbase_url: https://example.org/\nsearch: false\n")
    site.write("content/articles/a.md", story(extra="image:\n  src: photo.svg\n  alt: A photo\n"))
    site.write("content/articles/photo.svg", "<svg xmlns='http://www.w3.org/2000/svg'/>")
    _built(site)
    assert _built(site).startswith("Nothing changed")
    site.write("content/articles/photo.svg", "<svg xmlns='http://www.w3.org/2000/svg'><title>new</title></svg>")
    out = _built(site)
    assert "encoded 1 images" in out  # and the pages that show the story's picture are made again
    assert "new" in (site.public / "2023/07/a-story/photo.svg").read_text(encoding="utf-8")
    assert tree_hashes(site.public) == _clean_build(site, tmp_path)


KEEPING = st.lists(
    st.tuples(st.sampled_from(["body", "title", "summary", "credit", "touch", "page", "retag", "original", "outlet",
                               "redate", "update"]),
              st.integers(0, 11), st.integers(1, 99)),  # fmt: skip
    min_size=1,
    max_size=4,
)


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edits=KEEPING)
def test_edits_that_keep_the_structure_take_the_quick_way_and_match_clean_builds(tmp_path_factory, edits):
    """Edits that keep each story in its place, retags (which may make a tag,
    empty one, change a tag's most frequent spelling or the largest tag),
    changes of outlet (the same for outlets) and of the date within the
    story's month, or of its update (its order, neighbours and last change)."""
    tmp_path = tmp_path_factory.mktemp("keep")
    site = Site(tmp_path / "site")
    site.write("site.yml", BASE + "per_page: 3\nfeeds:\n  entries: 3\n")
    spellings = [*TAGS, "ai", "New Tag", "Other"]
    outlets = ["The Outlet", "the outlet", "Other Daily", "New Wire"]
    outlet_of = {i: outlets[i % 3] for i in range(12)}
    day_of = {i: 10 + i % 10 for i in range(12)}
    updated_of: dict[int, int] = {}

    def write(i: int, title: str = "", summary: str = "", credit: str = "", body: str = "Body.", tags=(),
              original: str = "") -> None:  # fmt: skip
        tags = tags or (TAGS[i % 5], TAGS[(i + 2) % 5])
        extra = f"slug: s{i}\ntags: [{', '.join(tags)}]\n"
        extra += f"updated: {2024}-0{1 + updated_of[i] % 9}-01\n" if i in updated_of else ""
        extra += f'summary: "{summary}"\n' if summary else ""
        extra += f'credit: "{credit}"\n' if credit else ""
        date = f"{2021 + i % 3}-0{1 + i % 4}-{day_of[i]:02d}"
        site.write(f"content/articles/s{i}.md", story(title=title or f"Story {i}", date=date, extra=extra, body=body,
                                                      url=original or f"https://news.example.com/{i}",
                                                      name=outlet_of[i]))  # fmt: skip

    for i in range(12):
        write(i)
    site.write("content/pages/about.md", "---\ntitle: About\nslug: about\n---\nText.\n")
    assert site.ssg("build", "-j", "1", env=NOW).code == 0
    for action, i, n in edits:
        if action == "body":
            write(i, body=f"Body, version {n}.\n\nA [link](https://example.com/{n}).")
        elif action == "title":  # the slug is fixed: the story stays where it is
            write(i, title=f"Story {i}, retitled {n}")
        elif action == "summary":
            write(i, summary=f"What happened, take {n}")
        elif action == "credit":
            write(i, credit=f"Photo: Agency {n}")
        elif action == "retag":
            write(i, tags=[spellings[(n + k * k) % len(spellings)] for k in range(1 + n % 3)])
        elif action == "original":  # corrected: another URL, no other story's
            write(i, original=f"https://other.example.org/{i}/{n}")
        elif action == "outlet":  # another outlet, or the same spelled otherwise
            outlet_of[i] = outlets[n % len(outlets)]
            write(i)
        elif action == "redate":  # another day of the same month: the same URL, another place in the order
            day_of[i] = 1 + n % 28
            write(i)
        elif action == "update":  # updated later (or not): another last change in the sitemap and lists
            updated_of[i] = n
            write(i)
        elif action == "touch":  # saved without a change
            os.utime(site.root / f"content/articles/s{i}.md", ns=(n * 10**9, n * 10**9))
        else:
            site.write("content/pages/about.md", f"---\ntitle: About\nslug: about\n---\nText {n}.\n")
        result = site.ssg("build", "-v", "-j", "1", env=NOW)
        assert result.code == 0, result.err
        assert QUICK in result.out or result.out.startswith("Nothing changed"), (action, result.out)
        assert tree_hashes(site.public) == _clean_build(site, tmp_path), (action, i)


def test_a_spare_made_after_a_first_build_is_brought_up_to_date_by_the_next(many, tmp_path):
    """``prepare_spare`` (what ``ssg serve`` does after its first build) links a
    copy of the output; the next build reuses it as a spare, file by file
    checked, and gives a clean build's output. Without a finished build into
    that output, or with a spare already, it does nothing."""
    from generator.incremental.spare import prepare_spare

    assert not prepare_spare(many.root, many.public)  # no build yet: no cache is made for it
    assert not (many.root / ".ssg-cache").exists()
    _built(many)
    (many.root / ".ssg-cache/spare-new-1").mkdir()  # left by a process stopped while making one
    assert prepare_spare(many.root, many.public)
    assert not (many.root / ".ssg-cache/spare-new-1").exists()
    spare = many.root / ".ssg-cache/spare"
    assert tree_hashes(spare) == tree_hashes(many.public)
    assert os.stat(spare / "index.html").st_ino == os.stat(many.public / "index.html").st_ino
    assert not prepare_spare(many.root, many.public)  # it has one
    assert not prepare_spare(many.root, many.root / "elsewhere")  # the last build did not write there
    tampered = spare / "2023/05/story-s03-v0/index.html"  # a kept file is checked, not trusted
    tampered.unlink()  # (a new file: the live output's, linked, stays as it is)
    tampered.write_text("tampered")
    copy = os.stat(spare).st_ino
    _append(many, "s01", "\nA correction.\n")
    out = _built(many)
    assert os.stat(many.public).st_ino == copy
    rendered = int(out.split("rendered ")[1].split(" of ")[0])
    assert 0 < rendered < 30, out
    assert tree_hashes(many.public) == _clean_build(many, tmp_path)
    (many.root / ".ssg-cache/cache.sqlite").write_bytes(b"not a database " * 300)
    assert not prepare_spare(many.root, many.public)  # a damaged cache: no copy, no error (the next build says so)


@pytest.mark.parametrize("gone", ["output", "one file"])
def test_a_deleted_output_is_rebuilt_from_the_spare(many, tmp_path, gone):
    """Without the live output (deleted, or a CI job that restored only the
    cache), the output before last is brought up to date, not rendered anew:
    the quick way, which needs the last output, finds pages it would keep
    missing and gives the spare back to the full build. With one page gone,
    the full build links the rest from the live output."""
    _built(many)
    _append(many, "s01", "\nA correction.\n")
    _built(many)
    # The spare has s01 as it was first, and this edit does not touch s01: the quick way
    # would take s01's pages from the live output.
    _append(many, "s20", "\nAnother correction.\n")
    if gone == "output":
        shutil.rmtree(many.public)
    else:
        (many.public / "2023/05/story-s01-v0/index.html").unlink()
    out = _built(many)
    rendered = int(out.split("rendered ")[1].split(" of ")[0])
    total = int(out.split(" of ")[1].split(" files")[0])
    # What shows s01 or s20 (about 16 files each, on 30 stories); all 74 pages and feeds if the spare was lost.
    assert 0 < rendered < total / 2, out
    assert tree_hashes(many.public) == _clean_build(many, tmp_path)


STORY_EDITS = st.lists(
    st.tuples(st.sampled_from(["retag", "redate", "add", "delete", "body"]), st.integers(0, 40),
              st.lists(st.sampled_from(TAGS[:3]), min_size=1, max_size=2, unique=True), st.integers(1, 28)),
    min_size=1, max_size=4,
)  # fmt: skip


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edits=STORY_EDITS)
def test_related_stories_ranked_again_only_where_an_edit_reaches_are_all_right(tmp_path_factory, edits):
    """After an edit, only the stories within a window of a changed story are
    ranked again; with a window of two in tag lists of about 14 stories, most
    are not. The result must be what ranking every story gives."""
    import generator.plan.related as related

    tmp_path = tmp_path_factory.mktemp("related")
    site = Site(tmp_path / "site")
    site.write("site.yml", BASE)
    for i in range(24):
        _write_story(site, f"r{i:02d}", 0, [TAGS[i % 3], TAGS[(i + 1) % 3]] if i % 4 else [TAGS[i % 3]], 1 + i)
    window, related.WINDOW = related.WINDOW, 2
    try:
        _built(site)
        for version, (action, index, tags, day) in enumerate(edits, 1):
            names = sorted(p.stem for p in (site.root / "content/articles").glob("*.md"))
            name = names[index % len(names)]
            path = site.root / f"content/articles/{name}.md"
            if action == "add":
                _write_story(site, f"n{version}", 0, tags, day)
            elif action == "delete":
                path.unlink()
            elif action == "body":
                _append(site, name, f"\nMore, version {version}.\n")
            else:  # the same title (and URL, when the month stays), other tags or another day
                text = path.read_text(encoding="utf-8")
                if action == "retag":
                    text = re.sub(r"tags: \[.*\]", f"tags: [{', '.join(tags)}]", text)
                else:
                    text = re.sub(r"date: 2023-05-\d\d", f"date: 2023-05-{day:02d}", text)
                path.write_text(text, encoding="utf-8")
            _built(site)
            cache = BuildCache(site.root)
            incremental = cache.manifest("related")["urls"]
            cache.close()
            clean = tmp_path / f"clean{version}"
            shutil.copytree(site.root, clean, ignore=shutil.ignore_patterns("public", ".ssg-cache"))
            assert Site(clean).ssg("build", env=NOW).code == 0
            cache = BuildCache(clean)
            assert incremental == cache.manifest("related")["urls"], (action, name)
            cache.close()
    finally:
        related.WINDOW = window


# -- the spare tree's maker (generator/incremental/spare.py): after `ssg build` leaves a large output without a spare
# tree, a detached process that holds the build lock makes one; a build that starts meanwhile stops it.

HOLDER = """
import os, sys, time
from pathlib import Path
from generator.store.lock import build_lock
with build_lock(Path(sys.argv[1])) as lock:
    if sys.argv[2] == "spare":
        lock.hand_over(os.getpid())
    print("held", flush=True)
    time.sleep(120)
"""


def _holder(folder, role: str) -> subprocess.Popen:
    """A process that holds the build lock, as a spare's maker or as a build."""
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(folder), role], stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "held"
    return proc


def _wait(condition, what: str) -> None:
    deadline = time.monotonic() + 60
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(0.05)


def _holder_of(root) -> str:
    return (root / ".ssg-cache/build.lock").read_text().strip()


def test_a_large_output_left_without_a_spare_gets_one_after_the_build(many, tmp_path, monkeypatch):
    """The first build hands its lock to the maker, which links a copy of the
    output; the next edit's build brings that copy up to date (it becomes the
    live output) instead of making a new tree. A build that leaves a spare
    behind, or finds one, starts no maker."""
    monkeypatch.setattr(spare, "MIN_FILES", 1)
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setattr(spare, "interactive", lambda: True)  # a person at a terminal
    _built(many)
    pid, role = _holder_of(many.root).split()
    assert role == "spare" and int(pid) != os.getpid()
    _wait(lambda: not held(many.root / ".ssg-cache"), "the maker did not finish")
    copy = many.root / ".ssg-cache/spare"
    assert tree_hashes(copy) == tree_hashes(many.public)
    assert os.stat(copy / "index.html").st_ino == os.stat(many.public / "index.html").st_ino
    assert spare.leftovers(many.root) == []
    assert "Nothing changed" in _built(many)
    assert _holder_of(many.root) == str(os.getpid())  # it has its spare: no maker
    copied = os.stat(copy).st_ino
    _append(many, "s01", "\nA correction.\n")
    out = _built(many)
    assert os.stat(many.public).st_ino == copied, "the edit did not take the spare"
    assert int(out.split("rendered ")[1].split(" of ")[0]) < 30, out
    assert _holder_of(many.root) == str(os.getpid())  # the output it replaced is the spare now
    assert tree_hashes(many.public) == _clean_build(many, tmp_path)


def test_a_small_output_gets_no_maker_nor_does_a_build_in_ci(many, monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    _built(many)
    assert _holder_of(many.root) == str(os.getpid())
    monkeypatch.setattr(spare, "MIN_FILES", 1)
    shutil.rmtree(many.public)
    result = many.ssg("build", env={"CI": "true"})
    assert result.code == 0, result.err
    assert _holder_of(many.root) == str(os.getpid())
    assert not (many.root / ".ssg-cache/spare").exists()


def test_a_build_stops_a_spare_maker_at_once_but_waits_for_a_build(many, tmp_path):
    _built(many)
    maker = _holder(many.root / ".ssg-cache", "spare")
    _append(many, "s01", "\nA correction.\n")
    result = many.ssg("build")
    assert result.code == 0, result.err
    assert maker.wait(timeout=10) == -signal.SIGTERM
    assert "another build" not in result.err
    assert tree_hashes(many.public) == _clean_build(many, tmp_path)
    other = _holder(many.root / ".ssg-cache", "build")
    try:
        with pytest.raises(LockTimeout), build_lock(many.root / ".ssg-cache", wait=0.5, stream=io.StringIO()):
            pass
        assert other.poll() is None  # a build holding the lock is waited for, never stopped
    finally:
        other.kill()
        other.wait()


def _maker_in_this_process(site: Site, monkeypatch, name: str, replacement) -> None:
    """Run the maker here, with ``spare.<name>`` replaced, holding the build lock as a build hands it over;
    the lock ends with the maker."""
    monkeypatch.setattr(spare, name, replacement)
    monkeypatch.setattr(spare.os, "nice", lambda increment: 0)  # not this test process
    fd = os.open(site.root / ".ssg-cache/build.lock", os.O_RDWR)
    fcntl.flock(fd, fcntl.LOCK_EX)
    handler = signal.getsignal(signal.SIGTERM)
    try:
        assert spare.main([str(site.root), str(site.public), str(fd)]) == 0
    finally:
        signal.signal(signal.SIGTERM, handler)
    assert not held(site.root / ".ssg-cache")  # its end is the lock's


@pytest.mark.parametrize("how", ["stopped", "cache moved"])
def test_a_maker_that_cannot_finish_records_nothing(many, tmp_path, monkeypatch, how):
    """Stopped halfway through its copy, or finding the cache folder replaced
    when its copy is made, the maker records no spare and leaves its copy for
    the lock's next holder, whose build deletes it and is right."""
    _built(many)
    real = spare.link_tree

    def interrupted(source, target):
        if how == "cache moved":  # by hand, or by a script, while the maker was at work
            shutil.copytree(many.root / ".ssg-cache", tmp_path / "replaced")
            os.rename(many.root / ".ssg-cache", tmp_path / "moved")
            os.rename(tmp_path / "replaced", many.root / ".ssg-cache")
        real(source, target)
        if how == "stopped":
            os.kill(os.getpid(), signal.SIGTERM)  # (its handler raises at once, in this process)

    _maker_in_this_process(many, monkeypatch, "link_tree", interrupted)
    assert not (many.root / ".ssg-cache/spare").exists()
    left = spare.leftovers(many.root)
    assert [p.name for p in left] == [f"spare-new-{os.getpid()}"]
    monkeypatch.undo()
    _append(many, "s01", "\nA correction.\n")
    _built(many)
    _wait(lambda: not any(p.exists() for p in left), "the half-made copy was not deleted")
    assert tree_hashes(many.public) == _clean_build(many, tmp_path)


def _inodes(tree) -> dict[str, int]:
    """Each file of ``tree`` (its marker aside: each tree has its own) and its inode."""
    return {str(path.relative_to(tree)): path.stat().st_ino for path in tree.rglob("*")
            if path.is_file() and path.name != ".ssg-output"}  # fmt: skip


@pytest.mark.parametrize("threshold", [20, 10**9], ids=["caught up", "left behind"])
def test_a_spare_left_far_behind_is_brought_up_to_date_after_the_build(many, tmp_path, monkeypatch, threshold):
    """A story added moves every list page it is on: the spare that build
    leaves (the output it replaced) lacks all of them. With as many files
    behind as ``CATCH_UP_FILES``, the build hands its lock to the maker, which
    links them into the spare: it is then the live output, file for file, and
    the next edit's build links no file from the live output (without it,
    that build links the added story's pages)."""
    import generator.output.write as write

    monkeypatch.setattr(spare, "MIN_FILES", 1)
    monkeypatch.setattr(spare, "CATCH_UP_FILES", threshold)
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setattr(spare, "interactive", lambda: True)  # a person at a terminal
    _built(many)
    _wait(lambda: not held(many.root / ".ssg-cache"), "the first maker did not finish")
    _write_story(many, "s30", 0, ["AI", "Film"], 28, month=6)  # the newest: first on every list it is on
    _built(many)
    holder = _holder_of(many.root)
    _wait(lambda: not held(many.root / ".ssg-cache"), "the maker did not finish")
    copy = many.root / ".ssg-cache/spare"
    cache = BuildCache(many.root)
    caught_up = cache.manifest("spare") == cache.manifest("outputs")
    cache.close()
    if threshold == 20:
        assert holder.endswith(" spare") and not holder.startswith(f"{os.getpid()} ")
        assert _inodes(copy) == _inodes(many.public)  # the same files, not copies of them
        assert caught_up
    else:
        assert holder == str(os.getpid())  # no maker
        assert _inodes(copy) != _inodes(many.public) and not caught_up
    sorted_ = []
    real = write._sort
    monkeypatch.setattr(write, "_sort", lambda *args: sorted_.append(real(*args)) or sorted_[-1])
    _append(many, "s01", "\nA correction.\n")
    _built(many)
    _, linked = sorted_[0]
    assert (linked == {}) == (threshold == 20), sorted(linked)
    assert len(linked) >= (0 if threshold == 20 else 10)
    assert tree_hashes(many.public) == _clean_build(many, tmp_path)


def test_a_catch_up_stopped_halfway_leaves_a_spare_the_next_build_checks(many, tmp_path, monkeypatch):
    """Stopped after linking half of what the spare lacks, the maker records
    nothing: the spare keeps its manifest, and the next build, finding files
    that do not match it, links or renders them again and is right."""
    _built(many)
    _write_story(many, "s30", 0, ["AI", "Film"], 28, month=6)
    _built(many)
    _built(many)  # (nothing changed: the spare is still the output before the story came)
    real, linked = files.mirror, []

    def halfway(source, target, want, have):
        half = dict(list(want.items())[: len(want) // 2])
        linked.append(real(source, target, half, {rel: have[rel] for rel in half if rel in have}))
        os.kill(os.getpid(), signal.SIGTERM)  # (its handler raises at once, in this process)

    cache = BuildCache(many.root)
    before = cache.manifest("spare")
    _maker_in_this_process(many, monkeypatch, "mirror", halfway)
    assert linked and linked[0] > 0  # some of the files were linked in
    assert cache.manifest("spare") == before != cache.manifest("outputs")
    cache.close()
    monkeypatch.undo()
    _append(many, "s01", "\nA correction.\n")
    _built(many)
    assert tree_hashes(many.public) == _clean_build(many, tmp_path)


def test_old_addresses_follow_every_edit_like_a_clean_build(years, tmp_path):
    """A story's aliases: added, its title edited (the quick way: the
    redirect pages name it), moved to another month, and deleted."""
    _edit(years, "y13", "tags:", "aliases: [/old/y13/, /2019/y13.html]\ntags:")
    _built(years)
    _same_as_clean(years, tmp_path)
    _edit(years, "y13", 'title: "Story 13"', 'title: "Story 13, renamed"\nslug: story-13')
    assert QUICK in _built(years)
    assert "Story 13, renamed</a>" in years.read("public/old/y13/index.html")
    _same_as_clean(years, tmp_path)
    _edit(years, "y13", "date: 2021-05-10", "date: 2021-06-10")
    _built(years)
    _same_as_clean(years, tmp_path)
    (years.root / "content/articles/y13.md").unlink()
    _built(years)
    assert not (years.public / "old").exists()
    _same_as_clean(years, tmp_path)
