"""A slice's folder of pages for Pagefind, numbered the same on every machine.

Pagefind numbers pages in the order it walks its folder, the order the file
system lists each folder's entries: on ext4 a hash of each name, seeded per
file system; on others, the order they were made in. A slice's pages in
their own folders (``2024/05/story/index.html``) would so be numbered
otherwise on another machine, and every word's entry, the metadata and the
filters would hold other bytes for the same search.

So the farm is one folder of numbered folders (``0/`` to ``N-1/``), each
with one page linked in as ``index.html``: Pagefind's walk is the order the
file system lists the numbered folders, which is read back here, and the
slice's pages are linked into them in that order, so that the k-th folder
walked holds the k-th page by output path. Pagefind then gives each page
the address of its numbered folder; ``readdress`` puts the page's own in its
fragment and names the fragment as Pagefind would have (the first digits of
the SHA-1 of its JSON). Fragments are written here, gzipped as ssg writes
every file of the bundle, so a page's fragment has the same bytes whichever
run of Pagefind read the page (``patch.py`` passes its run through here
too). The farm is kept between builds: made anew, its folders would cost
more than Pagefind's run over a slice.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import shutil
from pathlib import Path

from generator.search.bundle import FRAGMENT_LEVEL, SIGNATURE, compress, dump, read_bundle
from generator.util.links import link


def page_url(rel: str) -> str:
    """The address Pagefind gives the page at ``rel`` in the output, as it does walking a folder."""
    return "/" + (rel[: -len("index.html")] if rel == "index.html" or rel.endswith("/index.html") else rel)


def page_rel(url: str) -> str:
    """The output path of the page Pagefind gave the address ``url`` (``page_url`` the other way)."""
    return url.lstrip("/") + ("index.html" if url.endswith("/") else "")


def lay_out(tree: Path, rels: list[str], farm: Path) -> dict[str, str]:
    """Link the pages ``rels`` of ``tree`` into ``farm``, numbered folders listed in the order of
    ``rels`` (only a page not linked to its folder yet is linked again); returns each folder's address
    (as Pagefind gives it) -> its page's."""
    farm.mkdir(parents=True, exist_ok=True)
    names = [str(number) for number in range(len(rels))]
    wanted = set(names)
    for entry in os.scandir(farm):
        folder = entry.is_dir(follow_symlinks=False)
        if entry.name in wanted and folder:
            continue
        if folder:
            shutil.rmtree(entry.path)
        else:
            os.unlink(entry.path)
    for name in names:
        try:
            os.mkdir(farm / name)
        except FileExistsError:
            pass
    order = [entry.name for entry in os.scandir(farm)]  # the order Pagefind walks them in
    for name, rel in zip(order, rels, strict=True):
        relink(tree / rel, farm / name / "index.html")
    return {f"/{name}/": page_url(rel) for name, rel in zip(order, rels, strict=True)}


def relink(source: Path, target: Path) -> None:
    """``target`` a link to ``source``, unless it is one already; its folder must exist."""
    try:
        if os.path.samestat(os.stat(source), os.stat(target)):
            return
        os.unlink(target)
    except FileNotFoundError:
        pass
    link(source, target)


def readdress(bundle: Path, urls: dict[str, str] | None = None) -> list[str]:
    """Give the pages of ``bundle`` (one language) the addresses ``urls`` (as Pagefind gave it ->
    the page's own; None: they have theirs), their fragments written again and named from their
    JSON, and the metadata's list of pages made to match; returns each page's address, by number."""
    entry, languages = read_bundle(bundle)
    if len(languages) != 1:
        raise ValueError(f"{len(languages)} languages in one slice")
    language = languages[0]
    old, new = bundle / "fragment", bundle / "fragment.new"
    shutil.rmtree(new, ignore_errors=True)
    new.mkdir()
    taken: dict[str, str] = {}  # a name given -> the full hash it stands for
    pages, addresses = [], []
    for name, count in language.pages:
        data = gzip.decompress((old / f"{name}.pf_fragment").read_bytes())
        if not data.startswith(SIGNATURE):
            raise ValueError(f"fragment {name} is not a Pagefind file")
        address, data = _with_url(data[len(SIGNATURE) :], urls)
        addresses.append(address)
        full = language.code + "_" + "".join(f"{byte:x}" for byte in hashlib.sha1(data).digest())  # (as Pagefind)
        short = full[: len(language.code) + 8]
        while taken.get(short, full) != full:  # a name another fragment has: one digit more, as Pagefind does
            short = full[: len(short) + 1]
        if short not in taken:
            taken[short] = full
            (new / f"{short}.pf_fragment").write_bytes(compress(SIGNATURE + data, FRAGMENT_LEVEL))
        pages.append([short, count])
    shutil.rmtree(old)
    os.rename(new, old)
    meta = list(language.meta)
    meta[1] = pages
    (bundle / f"pagefind.{entry['languages'][language.code]['hash']}.pf_meta").write_bytes(dump(meta)[0])
    return addresses


_URL = b'{"url":'


def _with_url(data: bytes, urls: dict[str, str] | None) -> tuple[str, bytes]:
    """A fragment's JSON (``{"url":...`` first, as Pagefind writes it) with the page's own address
    (``urls``: Pagefind's -> the page's; None: as it is), and that address."""
    if not data.startswith(_URL):
        raise ValueError("a fragment does not start with its address")
    text = data.decode()
    url, end = json.JSONDecoder().raw_decode(text, len(_URL))
    if urls is None:
        return url, data
    own = urls.get(url)
    if own is None:
        raise ValueError(f"a fragment of an address not in the slice: {url}")
    return own, _URL + json.dumps(own, ensure_ascii=False).encode() + text[end:].encode()
