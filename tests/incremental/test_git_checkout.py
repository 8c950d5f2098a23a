"""A fresh checkout in CI, where git tracks the site: the files git reports
as they were recorded are not read again (``generator/store/gitblobs.py``)."""

import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from photos import scene

import generator.media.process as media
import generator.store.files as records
import generator.store.gitblobs as gitblobs
from conftest import Site, story, tree_hashes
from generator.store.cache import BuildCache
from generator.store.gitblobs import Blobs, clean_blobs, kept_blob
from generator.util.digest import blob_id, digest, file_bytes, file_digest

NOW = {"SOURCE_DATE_EPOCH": "1767225600"}

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def _git(root, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=root, check=True, capture_output=True, text=True).stdout


@pytest.fixture
def tracked(site, monkeypatch):
    """30 stories in a git repository (staged: git's index holds them, as after a clone), git asked from
    10 changed files on."""
    monkeypatch.setattr(gitblobs, "GIT_FROM", 10)
    site.write("site.yml", "title: T\nbase_url: https://example.org/\nsearch: false\n")
    for i in range(30):
        site.write(f"content/articles/s{i:02d}.md", story(title=f"Story {i}", date=f"2023-05-{1 + i % 28:02d}",
                                                          url=f"https://news.example.com/s{i}"))  # fmt: skip
    _git(site.root, "init", "-q")
    _git(site.root, "add", "-A", "content", "site.yml")
    return site


def _checkout(site: Site, seconds_ago: float) -> None:
    """What a clone does: every file written anew (a new mtime), then git's index written with their
    ``stat`` (files written in the index's second or later are "racily clean": git reads them to tell)."""
    when = time.time_ns() - int(seconds_ago * 10**9)
    for path in [site.root / "site.yml", *(p for p in (site.root / "content").rglob("*") if p.is_file())]:
        os.utime(path, ns=(when, when))
    _git(site.root, "add", "-A", "content", "site.yml")


def _reads(monkeypatch) -> list[str]:
    """The content files the build reads to digest them."""
    read: list[str] = []
    for name in ("file_digest", "file_bytes"):
        real = getattr(records, name)
        monkeypatch.setattr(records, name, lambda path, size, real=real: read.append(path) or real(path, size))
    return read


def _build(site: Site) -> str:
    result = site.ssg("build", "-v", env=NOW)
    assert result.code == 0, result.err
    return result.out


def test_a_checkout_reads_only_the_files_git_does_not_know_as_recorded(tracked, monkeypatch, tmp_path):
    _build(tracked)
    read = _reads(monkeypatch)
    _checkout(tracked, 100)
    assert _build(tracked).startswith("Nothing changed")
    assert read == []  # the first checkout: the first build recorded each file's blob ID as it read it
    _checkout(tracked, 50)
    assert _build(tracked).startswith("Nothing changed")
    assert read == []  # git reports each clean, under the blob ID recorded
    edited = tracked.root / "content/articles/s07.md"
    edited.write_text(edited.read_text(encoding="utf-8").replace("Body text.", "Body TEXT."), encoding="utf-8")
    _checkout(tracked, 20)  # (staged, as a commit's checkout has it: clean, under another blob ID)
    out = _build(tracked)
    assert read == [str(edited)] and "parsed 1 files" in out
    read.clear()
    edited.write_text(edited.read_text(encoding="utf-8").replace("Body TEXT.", "Body Text."), encoding="utf-8")
    when = time.time_ns() - 10 * 10**9
    for path in (tracked.root / "content").rglob("*.md"):
        os.utime(path, ns=(when, when))
    subprocess.run(["git", "update-index", "-q", "--refresh"], cwd=tracked.root)  # (the others' stat: s07 is
    out = _build(tracked)  # not added, and git reports it as changed since its index)
    assert read == [str(edited)] and "parsed 1 files" in out
    clean = tmp_path / "clean"
    shutil.copytree(tracked.root, clean, ignore=shutil.ignore_patterns("public", ".ssg-cache"))
    assert Site(clean).ssg("build", env=NOW).code == 0
    assert tree_hashes(tracked.public) == tree_hashes(clean / "public")


def test_a_checkout_in_the_second_of_git_s_index_is_read_by_ssg(tracked, monkeypatch):
    """Files of the second the index was written are checked by git by their bytes, slower than ssg
    reads them: when many are, git is not asked, and each file is read. The blob IDs recorded stay (the
    same bytes), so the next checkout reads none."""
    _build(tracked)
    _checkout(tracked, 100)
    _build(tracked)
    read = _reads(monkeypatch)
    _checkout(tracked, -5)  # (mtimes after the index is written: racy whatever the second)
    assert _build(tracked).startswith("Nothing changed")
    assert len(read) == 30
    read.clear()
    _checkout(tracked, 30)
    assert _build(tracked).startswith("Nothing changed")
    assert read == []


def test_a_first_build_records_blob_ids_only_inside_a_git_work_tree(site, tmp_path):
    """Each content file's and copied file's record keeps git's blob ID of its bytes from the first
    build on where git may track the site (so CI's first checkout reads none); elsewhere no blob ID is
    made, and a copied file is not read twice."""
    site.write("site.yml", "title: T\nbase_url: https://example.org/\nsearch: false\n")
    site.write("content/articles/s1/index.md", story(title="One", date="2023-05-01", url="https://news.example.com/1",
                                                     extra="image:\n  src: photo.jpg\n  alt: A street\n"))  # fmt: skip
    scene(64, 48).save(site.root / "content/articles/s1/photo.jpg", quality=80)
    site.write("content/articles/s1/notes.pdf", "%PDF-1.4 a copied file\n")
    site.write("content/articles/s1/index.md", site.read("content/articles/s1/index.md") + "\n[Notes](notes.pdf)\n")
    assert not Blobs(site.root).tracked
    _build(site)
    cache = BuildCache(site.root)
    files, copied = cache.manifest("files"), cache.manifest("assets")
    cache.close()
    assert [len(record) for record in files.values()] == [3]
    assert {Path(path).name: record[2:] for path, record in copied.items()} == {"notes.pdf": (None,),
                                                                                "photo.jpg": (None,)}
    shutil.rmtree(site.root / ".ssg-cache")
    _git(site.root, "init", "-q")
    assert Blobs(site.root / "content").tracked  # (a .git in a folder above counts)
    _build(site)
    cache = BuildCache(site.root)
    files, copied = cache.manifest("files"), cache.manifest("assets")
    cache.close()
    for rel, record in [*files.items(), *copied.items()]:
        path = site.root / rel
        assert record[2:] == (file_digest(str(path), path.stat().st_size), blob_id(path.read_bytes())), rel
    assert len(copied) == 2


def test_the_blob_id_a_record_keeps():
    """As recorded while the bytes are (and git was not asked, or keeps the file through a filter: ""); a
    file git knows clean gets its own (or "" when git's is another); else, inside a git work tree, the
    bytes' own, even when the record had none (a cache from before, or from outside a work tree)."""
    data, other = b"one story\n", b"another story\n"
    found, own, git = digest(data), blob_id(data), blob_id(b"a pointer\n")
    assert kept_blob(data, found, found, own, None, tracked=True) == own
    assert kept_blob(data, found, found, "", git, tracked=True) == ""
    assert kept_blob(data, found, found, None, own) == own and kept_blob(data, found, found, None, git) == ""
    assert kept_blob(data, found, found, None, None, tracked=True) == own
    assert kept_blob(data, found, digest(other), blob_id(other), None, tracked=True) == own
    assert kept_blob(data, found, found, None, None) is None
    assert kept_blob(data, found, digest(other), blob_id(other), None) is None
    assert kept_blob(None, found, None, None, None, tracked=True) is None  # (not read whole: no bytes)


def test_clean_blobs_are_the_tracked_regular_files_git_checks_and_finds_unchanged(tmp_path):
    root = tmp_path / "repo"
    (root / "sub").mkdir(parents=True)
    for name in ("clean", "dirty", "assumed", "skipped", "untracked"):
        (root / "sub" / name).write_text(name)
    (root / "sub" / "link").symlink_to("clean")
    _git(root, "init", "-q")
    _git(root, "add", "sub/clean", "sub/dirty", "sub/assumed", "sub/skipped", "sub/link")
    _git(root, "update-index", "--assume-unchanged", "sub/assumed")
    _git(root, "update-index", "--skip-worktree", "sub/skipped")
    (root / "sub" / "dirty").write_text("changed")
    time.sleep(1.1)  # (past the second the index was written in: not racy)
    blob = _git(root, "hash-object", "sub/clean").strip()
    assert clean_blobs(root, []) == {"sub/clean": blob}
    assert clean_blobs(root / "sub", []) == {"clean": blob}  # (from a folder inside the work tree)
    known = Blobs(root / "sub")
    known.want([0.0] * gitblobs.GIT_FROM)  # (as many changed files as git is asked for, none racy)
    assert known.of(f"{root}/sub/clean") == blob and known.of(f"{root}/clean") is None
    assert clean_blobs(root, [time.time() + 10]) == {}  # (every changed file racy)
    outside = tmp_path / "plain"
    outside.mkdir()
    assert clean_blobs(outside, []) == {}


def test_a_blob_id_is_git_s(tmp_path):
    for size in (0, 5, 70_000):
        path = tmp_path / f"f{size}"
        data = bytes(n % 251 for n in range(size))
        path.write_bytes(data)
        assert file_bytes(str(path), size // 2) == data
        assert blob_id(data) == _git(tmp_path, "hash-object", path.name).strip()


def test_photos_git_knows_are_not_read_again_after_a_checkout(site, monkeypatch):
    """Camera photos are most of an archive's bytes: after a checkout, neither the no-change check
    (``copied_records``) nor a full build's media stage reads one git reports as it was recorded."""
    monkeypatch.setattr(gitblobs, "GIT_FROM", 10)
    for i in range(12):
        site.write(f"content/articles/s{i:02d}/index.md", story(
            title=f"Story {i}", date=f"2023-05-{1 + i:02d}", url=f"https://news.example.com/s{i}",
            extra=f"image:\n  src: photo.jpg\n  alt: A street, {i}\n"))  # fmt: skip
        scene(64 + i, 48).save(site.root / f"content/articles/s{i:02d}/photo.jpg", quality=80)
    _git(site.root, "init", "-q")
    _git(site.root, "add", "-A", "content", "site.yml")
    assert site.ssg("build", "-j", "1", env=NOW).code == 0
    read = _reads(monkeypatch)
    opened: list[str] = []
    real_one = media._read_one
    monkeypatch.setattr(media, "_read_one", lambda path, *rest: opened.append(path) or real_one(path, *rest))
    _checkout(site, 100)  # (the first build recorded each story's and photo's blob ID as it read it)
    assert site.ssg("build", "-j", "1", env=NOW).out.startswith("Nothing changed")
    assert read == [] and opened == []
    _checkout(site, 70)
    assert site.ssg("build", "-j", "1", env=NOW).out.startswith("Nothing changed")
    assert read == [] and opened == []
    for when, title in ((50, "T2"), (30, "T3")):  # (another title: a full build, its media stage over each photo)
        site.write("site.yml", f"title: {title}\nbase_url: https://example.org/\nsearch: false\n")
        read.clear()
        opened.clear()
        _checkout(site, when)
        result = site.ssg("build", "-j", "1", "-v", env=NOW)
        assert result.code == 0, result.err
        assert read == [] and opened == []


def test_git_runs_no_file_system_monitor_the_repository_names(tmp_path):
    """A repository's configuration may name a command git runs to learn what changed (core.fsmonitor):
    a build asks git without it."""
    root = tmp_path / "repo"
    root.mkdir()
    (root / "a").write_text("a")
    _git(root, "init", "-q")
    _git(root, "add", "a")
    ran = tmp_path / "ran"
    _git(root, "config", "core.fsmonitor", f"touch {ran}; false")
    time.sleep(1.1)
    assert clean_blobs(root, []) == {"a": _git(root, "hash-object", "a").strip()}
    assert not ran.exists()
    subprocess.run(["git", "diff-files"], cwd=root, capture_output=True)
    assert ran.exists()  # (git itself runs it)


def test_a_file_git_keeps_through_a_filter_is_read_without_its_blob_id_made_again(tracked, monkeypatch):
    """Git LFS keeps a photo as a pointer: git's blob ID for the file is not that of its bytes. Such a
    file is read at each checkout (ssg cannot tell from git what it holds), but its own blob ID is made
    once, not at every checkout."""
    tracked.write(".gitattributes", "*.md filter=upper\n")
    _git(tracked.root, "config", "filter.upper.clean", "tr a-z A-Z")
    _git(tracked.root, "config", "filter.upper.smudge", "cat")
    _git(tracked.root, "add", "-A", ".gitattributes", "content")
    assert _build(tracked)
    read = _reads(monkeypatch)
    made: list[bytes] = []
    monkeypatch.setattr(gitblobs, "blob_id", lambda data: made.append(data) or blob_id(data))
    _checkout(tracked, 100)
    assert _build(tracked).startswith("Nothing changed")
    assert len(read) == 30 and len(made) == 30
    read.clear()
    made.clear()
    _checkout(tracked, 50)
    assert _build(tracked).startswith("Nothing changed")
    assert len(read) == 30 and made == []


def test_a_git_that_hangs_is_stopped_and_the_files_are_read(tracked, monkeypatch, tmp_path):
    """A git that does not answer in time (a network file system, a lock) is stopped, nothing of it is
    left running, and the build reads the files itself."""
    _build(tracked)
    _checkout(tracked, 100)
    _build(tracked)  # (blob IDs recorded)
    fake = tmp_path / "bin"
    fake.mkdir()
    (fake / "git").write_text(f"#!/bin/sh\necho $$ > {tmp_path}/pid\nexec sleep 30\n")
    (fake / "git").chmod(0o755)
    monkeypatch.setattr(gitblobs, "TIMEOUT", 1)
    read = _reads(monkeypatch)
    _checkout(tracked, 50)
    started = time.monotonic()
    assert _build_with_path(tracked, f"{fake}:{os.environ['PATH']}").startswith("Nothing changed")
    assert time.monotonic() - started < 10 and len(read) == 30
    pid = int((tmp_path / "pid").read_text())
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)


def _build_with_path(site: Site, path: str) -> str:
    result = site.ssg("build", "-v", env={**NOW, "PATH": path})
    assert result.code == 0, result.err
    return result.out
