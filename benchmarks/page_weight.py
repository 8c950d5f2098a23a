"""Transfer size of a built page: its HTML plus the stylesheets it links.

    python3 benchmarks/page_weight.py public/2023/07/netflix-ai-job/index.html

Prints bytes as stored and gzip-compressed (what a static host usually sends).
Images are not counted.
"""

from __future__ import annotations

import gzip
import re
import sys
from pathlib import Path


def weigh(page: Path, public: Path) -> list[tuple[str, int, int]]:
    html = page.read_bytes()
    rows = [(str(page.relative_to(public)), len(html), len(gzip.compress(html, 9)))]
    for href in re.findall(rb'<link rel="stylesheet" href="([^"]+)"', html):
        path = public / href.decode().lstrip("/")
        data = path.read_bytes()
        rows.append((str(path.relative_to(public)), len(data), len(gzip.compress(data, 9))))
    return rows


def main(argv: list[str]) -> int:
    page = Path(argv[1] if len(argv) > 1 else "public/2023/07/netflix-ai-job/index.html")
    public = Path(argv[2] if len(argv) > 2 else "public")
    rows = weigh(page, public)
    width = max(len(name) for name, _, _ in rows)
    for name, raw, packed in rows:
        print(f"{name:<{width}}  {raw:>7,} B  {packed:>6,} B gzip")
    print(f"{'total':<{width}}  {sum(r[1] for r in rows):>7,} B  {sum(r[2] for r in rows):>6,} B gzip")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
