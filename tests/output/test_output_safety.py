"""The output folder: refused when dangerous, swapped atomically, nothing lost."""

import itertools
import os
import shutil

import pytest

from conftest import Site, story, tree_hashes
from generator import build as build_module
from generator.output import publish
from generator.output import staging as writer


@pytest.fixture
def built(site):
    site.write("content/articles/a.md", story(title="A"))
    return site


def _snapshot(root):
    return tree_hashes(root)


@pytest.mark.parametrize("target", [".", "content", "content/articles/out", "themes", "/", ".."])
def test_dangerous_output_folders_are_refused(built, target):
    (built.root / "themes").mkdir(exist_ok=True)
    before = _snapshot(built.root)
    result = built.ssg("build", "-o", target)
    assert result.code == 2
    assert result.err.startswith("ssg: error: output folder ")
    assert "choose another" in result.err
    assert _snapshot(built.root) == before


def test_output_dir_in_site_yml_is_checked_too(built):
    built.write("site.yml", "title: T\nbase_url: https://example.org/\noutput_dir: content\n")
    result = built.ssg("build")
    assert result.code == 1
    assert "is or contains content/" in result.err


def test_non_empty_foreign_folder_is_refused_and_kept(built, tmp_path):
    foreign = tmp_path / "photos"
    foreign.mkdir()
    (foreign / "holiday.jpg").write_bytes(b"precious")
    result = built.ssg("build", "-o", str(foreign))
    assert result.code == 2
    assert "was not made by ssg" in result.err and "nothing was deleted" in result.err
    assert [p.name for p in foreign.iterdir()] == ["holiday.jpg"]
    assert (foreign / "holiday.jpg").read_bytes() == b"precious"


def test_empty_folder_and_own_output_are_accepted(built, tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    assert built.ssg("build", "-o", str(empty)).code == 0
    assert (empty / ".ssg-output").is_file()
    assert built.ssg("build", "-o", str(empty)).code == 0


def test_rebuild_replaces_output_and_leaves_no_staging(built):
    assert built.ssg("build").code == 0
    (built.root / "content/articles/a.md").unlink()
    built.write("content/articles/b.md", story(title="B"))
    assert built.ssg("build").code == 0
    assert not (built.public / "2023/07/a").exists()
    assert (built.public / "2023/07/b/index.html").exists()
    assert sorted(p.name for p in built.root.iterdir()) == [".ssg-cache", "content", "public", "site.yml"]


def test_failed_build_keeps_previous_output(built):
    assert built.ssg("build").code == 0
    before = tree_hashes(built.public)
    built.write("content/articles/bad.md", "---\ntitle: Bad\n---\n")
    assert built.ssg("build").code == 1
    assert tree_hashes(built.public) == before


def test_template_error_keeps_previous_output(built):
    assert built.ssg("build").code == 0
    before = tree_hashes(built.public)
    built.write("site.yml", "title: T\nbase_url: https://example.org/\ntheme: broken\n")
    built.write("themes/broken/theme.yml", "extends: default\n")
    built.write("themes/broken/templates/article.html", '{% extends "base.html" %}\n{% block content %}\n'
                "{{ story.no_such_field }}\n{% endblock %}\n")  # fmt: skip
    result = built.ssg("build")
    assert result.code == 1
    assert result.err.splitlines()[0].startswith(
        "themes/broken/templates/article.html:3:1: error: template: 'generator.plan.views.StoryView object' "
        "has no attribute 'no_such_field'"
    )
    assert tree_hashes(built.public) == before
    assert sorted(p.name for p in built.root.iterdir()) == [".ssg-cache", "content", "public", "site.yml", "themes"]


def test_stale_staging_folder_of_a_dead_build_is_removed(built):
    stale = built.root / ".public.ssg-tmp-999999999-dead"
    stale.mkdir()
    (stale / "index.html").write_text("half")
    assert built.ssg("build").code == 0
    assert not stale.exists()


def test_symlinked_output_is_followed_with_the_same_rules(built, tmp_path):
    target = tmp_path / "real"
    target.mkdir()
    (target / "keep.txt").write_text("mine")
    os.symlink(target, built.root / "public")
    assert built.ssg("build").code == 1
    assert [p.name for p in target.iterdir()] == ["keep.txt"]
    (target / "keep.txt").unlink()
    assert built.ssg("build").code == 0
    assert (built.root / "public").is_symlink()
    assert (built.root / "public" / "2023/07/a/index.html").is_file()


def test_symlinked_output_keeps_a_spare_and_stays_right(built, tmp_path):
    target = tmp_path / "real"
    os.symlink(target, built.root / "public", target_is_directory=True)
    assert built.ssg("build").code == 0
    for n in range(3):
        built.write(f"content/articles/n{n}.md", story(title=f"N{n}", url=f"https://news.example.com/n{n}"))
        assert built.ssg("build").code == 0
    assert (built.root / "public").is_symlink()
    assert (built.root / ".ssg-cache/spare/index.html").is_file()  # the folder behind the link was recognised
    clean = tmp_path / "clean"
    shutil.copytree(built.root, clean, ignore=shutil.ignore_patterns("public", ".ssg-cache"))
    assert Site(clean).ssg("build").code == 0
    assert tree_hashes(target) == tree_hashes(clean / "public")


@pytest.fixture
def ahead(built, monkeypatch):
    """A site whose story folders are made ahead, by their own process, even
    though it is small; ``made`` records the folders each build got that way."""
    monkeypatch.setattr(publish, "AHEAD_MIN", 1)
    made: list[set[str]] = []
    result = writer.FoldersAhead.result

    def recorded(self):
        folders = result(self)
        made.append(folders)
        return folders

    monkeypatch.setattr(writer.FoldersAhead, "result", recorded)
    stop = writer.FoldersAhead.stop

    def stopped(self):
        made.append("stopped")
        stop(self)

    monkeypatch.setattr(writer.FoldersAhead, "stop", stopped)
    for n, date in enumerate(["2021-03-04", "2023-07-26", "2023-07-27"]):
        built.write(f"content/articles/s{n}.md", story(title=f"Story {n}", date=date))
    built.made = made
    return built


def test_folders_made_ahead_give_the_same_site(ahead):
    assert ahead.ssg("build", "-j", "2").code == 0
    staging = os.path.commonpath(ahead.made[0])  # the folders' full paths, in the staging tree
    assert {os.path.relpath(f, staging) for f in ahead.made[0]} == {
        "2021", "2021/03", "2021/03/story-0", "2023", "2023/07", "2023/07/a", "2023/07/story-1", "2023/07/story-2"
    }  # fmt: skip
    assert ahead.ssg("build", "-j", "1", "-o", "one").code == 0
    assert len(ahead.made) == 1  # one process: no folders ahead
    assert tree_hashes(ahead.public) == tree_hashes(ahead.root / "one")
    assert not [d for d, subdirs, files in os.walk(ahead.public) if not subdirs and not files]


@pytest.mark.parametrize("edit", ["body", "delete"])
def test_a_new_tree_gets_the_last_output_s_folders_from_the_start(ahead, edit):
    """No spare tree after the first build: the next one makes a new tree, and
    the last output's folders are made while it starts, the writers not waiting
    for them. A folder no file goes into this time is removed again."""
    assert ahead.ssg("build", "-j", "2").code == 0
    assert len(ahead.made) == 1
    story_0 = ahead.root / "content/articles/s0.md"
    if edit == "body":
        story_0.write_text(story_0.read_text() + "\nOne more sentence.\n")
    else:
        story_0.unlink()  # the only story of 2021
    assert ahead.ssg("build", "-j", "2").code == 0
    staging = os.path.commonpath(ahead.made[1])
    assert "2021/03/story-0" in {os.path.relpath(f, staging) for f in ahead.made[1]}  # the last output's
    assert (ahead.public / "2021").exists() == (edit == "body")
    assert not [d for d, subdirs, files in os.walk(ahead.public) if not subdirs and not files]
    assert ahead.ssg("build", "-j", "1", "-o", "one").code == 0
    assert tree_hashes(ahead.public) == tree_hashes(ahead.root / "one")


@pytest.mark.parametrize("stop", ["interrupt", "collision"])
def test_a_build_stopped_after_folders_ahead_leaves_no_staging(ahead, monkeypatch, stop):
    assert ahead.ssg("build", "-j", "2").code == 0
    before = tree_hashes(ahead.public)
    # A new story that links to another: the full build (which checks links) makes folders ahead.
    ahead.write("content/articles/s3.md", story(title="Story 3", date="2024-01-02", body="See [this](s0.md)."))
    if stop == "collision":  # found by collect, after the folders were started
        ahead.write("content/articles/s4.md", story(title="Story 3", date="2024-01-02", url="https://b.example/"))
        assert ahead.ssg("build", "-j", "2").code == 1
    else:

        def stopped(*args):
            raise KeyboardInterrupt

        monkeypatch.setattr(build_module, "_plan", stopped)
        assert ahead.ssg("build", "-j", "2").code == 130
    assert ahead.made[-1] == "stopped"  # the folders were being made when the build stopped
    assert tree_hashes(ahead.public) == before
    assert sorted(p.name for p in ahead.root.iterdir()) == [".ssg-cache", "content", "public", "site.yml"]


def test_folders_ahead_that_fail_are_made_by_the_writers(tmp_path):
    made = writer.FoldersAhead(tmp_path, ["a", "a/b", "c/d"])  # c/d's parent is missing
    assert made.result() == set()
    assert (tmp_path / "a/b").is_dir()
    slow = writer.FoldersAhead(tmp_path, [f"x{n}" for n in range(20000)])
    slow.stop()
    assert slow.result() == set()


def test_an_output_path_that_could_leave_the_folder_is_refused():
    """Every path of up to six pieces of these is checked against the rule
    spelled out: no empty, ``.`` or ``..`` part, no backslash."""

    def allowed(rel: str) -> bool:
        return "\\" not in rel and all(part not in ("", ".", "..") for part in rel.split("/"))

    for length in range(7):
        for pieces in itertools.product(["a", ".", "/", "\\", "b."], repeat=length):
            rel = "".join(pieces)
            if allowed(rel):
                assert writer.safe_parts(rel) == rel.split("/")
            else:
                with pytest.raises(writer.OutputError):
                    writer.safe_parts(rel)


@pytest.mark.skipif(os.uname().sysname != "Linux", reason="renameat2 and prctl are Linux's")
def test_the_swap_and_the_workers_tie_use_the_loaded_c_library(tmp_path):
    """The output swap is atomic (renameat2's exchange), and a worker dies with
    its build (prctl's parent-death signal), both through the C library the
    process has loaded."""
    import ctypes
    import errno
    import multiprocessing
    import signal

    old, new = tmp_path / "old", tmp_path / "new"
    old.mkdir()
    new.mkdir()
    (old / "a").write_text("old")
    (new / "a").write_text("new")
    swapped = writer._exchange(new, old)
    if not swapped and ctypes.get_errno() in (errno.EINVAL, errno.ENOSYS):
        pytest.skip("this file system cannot exchange two paths")  # (the build then swaps otherwise)
    assert swapped
    assert (old / "a").read_text() == "new" and (new / "a").read_text() == "old"

    def child(queue):
        from generator.util.parallel import die_with_parent

        die_with_parent()
        value = ctypes.c_int()
        ctypes.CDLL(None).prctl(2, ctypes.byref(value))  # PR_GET_PDEATHSIG
        queue.put(value.value)

    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    process = context.Process(target=child, args=(queue,))
    process.start()
    assert queue.get(timeout=10) == signal.SIGKILL
    process.join(10)


def test_a_tree_mirrored_by_links_holds_what_the_other_holds(tmp_path):
    """``files.mirror`` (a spare tree brought up to date): a file the source
    does not have goes, with the folders it leaves empty; one it has
    otherwise, or that is missing, is a hard link to the source's; one that
    is the same stays as it is. The source is never written to."""
    from generator.output.files import Listing, mirror

    source, target = tmp_path / "live", tmp_path / "spare"
    for rel, text in {"same.html": "a", "changed.html": "new", "new/deep/page.html": "n"}.items():
        (source / rel).parent.mkdir(parents=True, exist_ok=True)
        (source / rel).write_text(text)
    target.mkdir()
    os.link(source / "same.html", target / "same.html")
    (target / "changed.html").write_text("old")
    (target / "gone/deeper").mkdir(parents=True)
    (target / "gone/deeper/page.html").write_text("g")
    kept = (target / "same.html").stat().st_ino
    before = {path: path.stat().st_mtime_ns for path in source.rglob("*")}
    changed = mirror(source, target, Listing(source).result(), Listing(target).result())
    assert changed == 3  # gone/deeper/page.html removed, changed.html and new/deep/page.html linked
    assert sorted(str(p.relative_to(target)) for p in target.rglob("*")) == \
        sorted(str(p.relative_to(source)) for p in source.rglob("*"))  # (no "gone" folder left)  # fmt: skip
    for rel in ("same.html", "changed.html", "new/deep/page.html"):
        assert (target / rel).stat().st_ino == (source / rel).stat().st_ino
    assert (target / "same.html").stat().st_ino == kept
    assert {path: path.stat().st_mtime_ns for path in source.rglob("*")} == before
