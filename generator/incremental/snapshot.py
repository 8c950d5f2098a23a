"""The snapshot every build that writes leaves for the next: the archive's
structure (the ``plan`` manifest: the stories in order with their URLs, tags
and times; the members of every tag, outlet, year and month by number, and
each tag's and outlet's spellings; the assets to copy; the sitemap's pages
with their last change; the stories' originals, for the duplicate check; the
files that some file links to), and what an edit changes in it (the
``plan-docs`` manifest: each content file's cache key, shape and URL, and
each story's digest). A quick build saves only the second, and one that
changes the structure both.
"""

from __future__ import annotations

from generator.content.archive import Archive

STRUCTURE, DOCUMENTS = "plan", "plan-docs"  # the snapshot's two manifests


def snapshot(print_: str, frame: str, documents, archive: Archive, digests: dict[str, tuple[str, str]],
             assets: dict[str, str], related: str, sitemap: dict) -> tuple[dict, dict]:  # fmt: skip
    """What the next build needs to take the quick way (its two manifests): see the module's doc.
    ``documents`` are every loaded document, published or not; ``assets`` the
    stories' and pages' files to copy (output path -> source path); ``related``
    the key of the related stories (the ``related`` manifest must still hold it);
    ``sitemap`` the sitemap's entries (URL -> last modified)."""
    urls = {s.article.file.rel: s.url for s in archive.stories} | {p.page.file.rel: p.url for p in archive.pages}
    number = {s.url: i for i, s in enumerate(archive.stories)}

    def members(stories) -> tuple[int, ...]:
        return tuple(number[s.url] for s in stories)

    return {
        "id": print_,
        "frame": frame,
        "stories": tuple((s.article.file.rel, s.url, s.tags, s.article.date.at.timestamp()) for s in archive.stories),
        "pages": tuple((p.page.file.rel, p.url) for p in archive.pages),
        "tags": tuple((t.slug, t.name, t.description, members(t.stories), t.spelled) for t in archive.tags),
        "sources": tuple((t.slug, t.name, t.description, members(t.stories), t.spelled) for t in archive.sources),
        "years": tuple((y.year, tuple((m.month, members(m.stories)) for m in y.months)) for y in archive.years),
        "assets": assets,
        "related": related,
        "sitemap": sitemap,
        "originals": archive.originals,
        "linked": tuple(sorted({link.target for r in documents for link in r.links})),  # files some file links to
    }, {
        "fingerprint": print_,  # of the last build, quick or not
        "structure": print_,  # the id of the structure it goes with
        "docs": {r.doc.file.rel: (r.key, r.shape, urls.get(r.doc.file.rel)) for r in documents},
        "digests": digests,
    }
