"""The images' variants encoded in processes of their own while the build
plans its pages (``generator/util/forked.py``): the same output as one
process makes, every problem reported in the same run, and nothing left
running (real builds of real image files)."""

from __future__ import annotations

import os
import re
import shutil
import signal
import threading
import time
from pathlib import Path

from photos import scene, truncated_jpeg

from conftest import Site, gone, story, tree_hashes

PHOTOS = ("harbour", "market", "picket", "square", "station")


def _photo_site(root: Path) -> Site:
    root.mkdir(parents=True)
    site = Site(root)
    site.write("site.yml", "title: Photos\nbase_url: https://example.org/\nsearch: false\n")
    for day, name in enumerate(PHOTOS, 1):
        folder = root / f"content/articles/{name}"
        folder.mkdir(parents=True)
        scene(900 + 40 * day, 600).save(folder / "photo.jpg", quality=85)
        lead = f"image:\n  src: photo.jpg\n  alt: The {name}\n  credit: Jane Photographer for Example Agency\n"
        site.write(f"content/articles/{name}/index.md", story(title=f"At the {name}", date=f"2023-07-{day:02d}",
                                                              extra=lead, body=f"Seen at the {name}."))  # fmt: skip
    return site


def _watch(monkeypatch) -> list[list[int]]:
    """The processes each background encoding forked."""
    from generator.util import forked

    seen: list[list[int]] = []
    real = forked.Forked._fork

    def watched(self, processes):
        real(self, processes)
        seen.append([pid for pid, _, _ in self._children])

    monkeypatch.setattr(forked.Forked, "_fork", watched)
    return seen


def test_variants_are_encoded_by_processes_of_their_own_as_one_process_does(tmp_path, monkeypatch):
    """With two jobs the originals are read, then left to two forked processes while the build plans;
    the output is byte for byte what one process makes, and the processes are gone when it returns."""
    seen = _watch(monkeypatch)
    site = _photo_site(tmp_path / "two")
    shutil.copytree(site.root, tmp_path / "one")
    result = site.ssg("build", "-v", "-j", "2")
    assert result.code == 0, result.err
    assert "encoded 5 images" in result.out
    assert len(seen) == 1 and len(seen[0]) == 2, threading.enumerate()  # (another test's thread left running?)
    assert all(gone(pid) for pid in seen[0])
    alone = Site(tmp_path / "one").ssg("build", "-v", "-j", "1")
    assert alone.code == 0 and "encoded 5 images" in alone.out
    assert len(seen) == 1  # (one job: encoded in the build's own process)
    assert tree_hashes(site.public) == tree_hashes(tmp_path / "one/public")
    assert len([p for p in site.public.rglob("*.webp")]) >= 2 * len(PHOTOS)
    assert "Nothing changed" in site.ssg("build", "-j", "2").out


def test_an_image_that_fails_to_encode_is_reported_with_a_later_stages_problems(tmp_path, monkeypatch):
    """A photo cut short reads as a JPEG (its header is whole) and fails as it is encoded, in the
    background while the build goes on; a dead link found after the plan stops the build: both are
    reported in the one run, at their places, and the output is left as it was."""
    seen = _watch(monkeypatch)
    site = _photo_site(tmp_path / "site")
    assert site.ssg("build").code == 0
    before = tree_hashes(site.public)
    truncated_jpeg(site.root / "content/articles/market/cut.jpg")
    page = site.read("content/articles/market/index.md").replace("src: photo.jpg", "src: cut.jpg")
    site.write("content/articles/market/index.md", page)
    site.write("content/articles/square/index.md", story(title="At the square", date="2023-07-04",
                                                         body="See [the gone story](/2023/01/gone/)."))  # fmt: skip
    result = site.ssg("build", "-j", "2")
    assert result.code == 1 and "Traceback" not in result.err
    assert len(seen) == 2 and len(seen[1]) == 1, seen  # (one original to encode: one process)
    assert re.search(r"content/articles/market/index\.md:\d+:8: error: image\.src: image 'cut\.jpg' cannot be "
                     r"decoded", result.err), result.err  # fmt: skip
    assert re.search(r"content/articles/square/index\.md:\d+:\d+: error: .*/2023/01/gone/", result.err), result.err
    assert tree_hashes(site.public) == before
    assert all(gone(pid) for pids in seen for pid in pids)


def test_an_encoder_that_dies_names_the_image_it_was_on(tmp_path, monkeypatch):
    """A decoder that crashes on a hostile file kills its process: that image is an error at its
    place, the others are encoded (by the other process, or by the build itself), and nothing is left running."""
    import generator.media.process as process

    real = process.encode

    def crashing(source, *args):
        if source.parent.name == "picket":
            os.kill(os.getpid(), signal.SIGKILL)
        real(source, *args)

    monkeypatch.setattr(process, "encode", crashing)
    seen = _watch(monkeypatch)
    site = _photo_site(tmp_path / "site")
    result = site.ssg("build", "-j", "2")
    assert result.code == 1 and "Traceback" not in result.err
    errors = [line for line in result.err.splitlines() if ": error: " in line]
    assert len(errors) == 1, result.err
    assert re.search(r"content/articles/picket/index\.md:\d+:8: error: image\.src: image 'photo\.jpg' made its "
                     r"encoder stop \(signal 9\)", errors[0]), result.err  # fmt: skip
    store = site.root / ".ssg-cache/images"
    assert len([p for p in store.iterdir() if not p.name.startswith(".")]) == len(PHOTOS) - 1
    assert all(gone(pid) for pid in seen[0])


def test_a_build_that_stops_while_images_are_encoded_leaves_nothing_running(tmp_path, monkeypatch):
    """Interrupted while it plans, with both encoding processes still at work: the build ends them,
    and returns at once (it does not wait for the encoding), the output untouched."""
    import generator.build as build
    import generator.media.process as process

    monkeypatch.setattr(process, "encode", lambda *args: time.sleep(60))

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(build, "plan", interrupted)
    seen = _watch(monkeypatch)
    site = _photo_site(tmp_path / "site")
    started = time.monotonic()
    result = site.ssg("build", "-j", "2")
    assert result.code != 0 and "Traceback" not in result.err
    assert time.monotonic() - started < 30
    assert len(seen) == 1 and all(gone(pid) for pid in seen[0])
    assert not site.public.exists()
