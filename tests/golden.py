"""Golden output: the digest of a site's output after a cold build and after
each kind of edit that takes the quick way (or the full one), recorded once
and compared on every test run, so that moving code around cannot change a
byte of what readers get.

    python3 tests/golden.py record            # the sample archive and a 300-story corpus
    python3 tests/golden.py record --stories 10000
    python3 tests/golden.py check --stories 10000

Search indexes (``pagefind/``) are left out: Pagefind's own files are not
byte-identical from one run to the next.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from conftest import REPO, tree_hashes

RECORD = Path(__file__).resolve().parent / "fixtures" / "golden.json"
NOW = "1780272000"  # 2026-06-01T00:00:00Z
SAMPLE_STORY = "content/articles/2023/netflix-ai-job.md"
CHILD_THEME = {
    "themes/golden/theme.yml": "extends: default\n",
    "themes/golden/templates/month.html": '{% extends "default:month.html" %}\n',
}


def output_digest(public: Path) -> str:
    """One digest of every file of the output but the search index: paths and bytes."""
    lines = [f"{rel} {sha}" for rel, sha in tree_hashes(public).items() if not rel.startswith("pagefind/")]
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


def write_corpus(root: Path, stories: int, seed: int = 1) -> None:
    """A generated archive (``benchmarks/corpus.py``) without search, as the benchmark builds it."""
    if str(REPO / "benchmarks") not in sys.path:
        sys.path.insert(0, str(REPO / "benchmarks"))
    import corpus  # noqa: PLC0415

    corpus.write(root, stories, seed=seed, hugo=False)
    (root / "site.yml").write_text((root / "site.yml").read_text() + "search: false\n")


def _sub(path: Path, pattern: str, replace, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    new, done = re.subn(pattern, replace, text, count=count, flags=re.M)
    assert done, f"{path}: no {pattern!r}"
    path.write_text(new, encoding="utf-8")


def _redate(day: bool):
    def change(match: re.Match) -> str:
        year, month, rest = int(match[1]), int(match[2]), match[3]
        if day:
            return f"date: {year:04d}-{month:02d}-{'15' if rest[:2] != '15' else '14'}{rest[2:]}"
        return f"date: {year:04d}-{month - 1 if month > 1 else 2:02d}-{rest}"

    return change


def edits(root: Path, story: Path) -> list[tuple[str, Callable[[], None]]]:
    """Each kind of edit, applied in turn to ``story`` (and a story added and deleted again)."""
    added = story.parent / "golden-added.md"
    added_text = (
        '---\ntitle: "A story added for the golden test"\ndate: 2026-05-01T10:00:00\n'
        "source:\n  name: The Golden Outlet\n  url: https://news.example.org/golden-added\n"
        "tags: [Golden, Strikes]\n---\nA short story added on top of the archive.\n"
    )
    config = root / "site.yml"
    template = root / "themes/golden/templates/month.html"
    return [
        ("nothing", lambda: None),
        ("body", lambda: story.write_text(story.read_text() + "\nOne more sentence, added to the body.\n")),
        ("retag", lambda: _sub(story, r"^tags: \[", "tags: [Golden Tag, ")),
        ("outlet", lambda: _sub(story, r"^  name: .*$", "  name: The Golden Outlet")),
        ("redate-day", lambda: _sub(story, r"^date: (\d{4})-(\d\d)-(.*)$", _redate(day=True))),
        ("add", lambda: added.write_text(added_text)),
        ("redate-month", lambda: _sub(story, r"^date: (\d{4})-(\d\d)-(.*)$", _redate(day=False))),
        ("delete", lambda: added.unlink()),
        ("draft", lambda: _sub(story, r"^title: ", "draft: true\ntitle: ")),
        ("undraft", lambda: _sub(story, r"^draft: true\n", "")),
        ("template", lambda: template.write_text(template.read_text() + "{# edited #}\n")),
        ("config", lambda: _sub(config, r"^per_page: .*$", "per_page: 7")),
    ]


def _build(root: Path, python: str) -> None:
    env = {**os.environ, "SOURCE_DATE_EPOCH": NOW, "CI": "true"}
    proc = subprocess.run([python, "-m", "generator", "build", "-j", "2"], cwd=root, env=env,
                          capture_output=True, text=True, timeout=1800)  # fmt: skip
    if proc.returncode != 0:
        raise RuntimeError(f"ssg build failed in {root}:\n{proc.stdout}{proc.stderr}")


def _prepare(root: Path, stories: int) -> Path:
    """The site to build: the sample archive (``stories`` 0) or a generated corpus; its story to edit."""
    if stories == 0:
        shutil.copytree(REPO / "content", root / "content")
        shutil.copyfile(REPO / "site.yml", root / "site.yml")
        story = root / SAMPLE_STORY
    else:
        write_corpus(root, stories)
        story = sorted((root / "content" / "articles").rglob("*.md"))[-1]
    for rel, text in CHILD_THEME.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    config = re.sub(r"^theme: .*\n", "", (root / "site.yml").read_text(), flags=re.M)
    (root / "site.yml").write_text(config + "theme: golden\n")
    return story


def digests(stories: int, python: str = sys.executable) -> dict[str, str]:
    """The output's digest after a cold build and after each edit."""
    with tempfile.TemporaryDirectory(prefix="ssg-golden-") as tmp:
        root = Path(tmp) / "site"
        root.mkdir()
        story = _prepare(root, stories)
        _build(root, python)
        found = {"cold": output_digest(root / "public")}
        for name, edit in edits(root, story):
            edit()
            _build(root, python)
            found[name] = output_digest(root / "public")
        return found


def key(stories: int) -> str:
    return "sample" if stories == 0 else f"corpus-{stories}"


def recorded() -> dict:
    return json.loads(RECORD.read_text()) if RECORD.exists() else {}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("action", choices=["record", "check"])
    parser.add_argument("--stories", type=int, nargs="*", default=[0, 300], help="0: the sample archive")
    parser.add_argument("--python", default=sys.executable, help="the interpreter (and so the ssg) to run")
    args = parser.parse_args()
    known, failed = recorded(), False
    for stories in args.stories:
        found = digests(stories, args.python)
        if args.action == "record":
            known[key(stories)] = found
        else:
            wrong = [name for name, value in found.items() if known.get(key(stories), {}).get(name) != value]
            failed |= bool(wrong)
            print(f"{key(stories)}: {'differs after ' + ', '.join(wrong) if wrong else 'as recorded'}")
    if args.action == "record":
        RECORD.write_text(json.dumps(known, indent=2, sort_keys=True) + "\n")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
