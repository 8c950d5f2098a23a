"""A wheel carries the default theme, so `pip install` without -e can build a site."""

import subprocess
import sys
import zipfile

from conftest import REPO


def test_wheel_ships_the_default_theme(tmp_path):
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps",
                    "-w", str(tmp_path), str(REPO)], check=True, capture_output=True, timeout=300)  # fmt: skip
    wheel = next(tmp_path.glob("ssg_news-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for rel in ("templates/base.html", "templates/article.html", "templates/partials/head_meta.html",
                "strings.yml", "theme.yml", "static/style.css", "static/search.js"):  # fmt: skip
        assert f"generator_themes/default/{rel}" in names, rel
    assert "generator/build.py" in names and "generator/server/http.py" in names
    for package in sorted((REPO / "generator").rglob("__init__.py")):  # every subpackage, not only those listed once
        assert package.relative_to(REPO).as_posix() in names, package
    assert not any(name.startswith(("tests/", "content/", "benchmarks/")) for name in names)
