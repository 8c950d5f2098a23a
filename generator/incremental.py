"""The incremental plan: an edit that keeps the archive's structure is built
without loading, collecting or planning the whole archive.

Every build that writes saves a **snapshot** of the archive: the archive's
structure (the ``plan`` manifest: the stories in order with their URLs, tags
and times; the members of every tag, outlet, year and month by number, and
each tag's and outlet's spellings; the assets to copy; the sitemap's pages
with their last change, a story's among them; the stories' originals, for
the duplicate check), and what an edit changes in it (the ``plan-docs``
manifest: each content file's cache key, shape (``content/shape.py``) and
URL, and each story's digest). A quick build saves only the second, and a
retag (or another outlet, or a re-date) both.

The next build takes the quick way when the snapshot is the last build's (same
fingerprint), every input but the content files is as it was (the frame: ssg's
version, options, ``site.yml``, theme files, which content files exist), no
embargo has lifted since, a few content files changed, each parses without a
problem and each keeps its shape, or changes only its tags, its source (its
outlet or the original's URL), or its date within its month or its update
(``generator/regroup.py`` brings the snapshot's order, tag and outlet lists
and originals up to date, and names the tags and outlets whose pages change).
Then only those files are parsed; the archive is rebuilt from the snapshot
with stories whose documents are read from the cache only when a page being
rendered shows them; only the pages and feeds whose key holds a changed
digest are planned; and every other output keeps the key the last build
recorded for it, so it is kept or linked as it is. Anything else takes the full build, which gives the same output
(``tests/test_incremental.py`` compares both with clean builds).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from generator.cache import BuildCache
from generator.config import SiteConfig
from generator.content.archive import Archive, Month, Standalone, Story, Term, Year, article_url, page_url
from generator.content.load import Loaded, load_documents
from generator.content.model import Article
from generator.content.shape import placed
from generator.regroup import Regrouped, regroup
from generator.routes import story_digest

STRUCTURE, DOCUMENTS = "plan", "plan-docs"  # the snapshot's two manifests
MAX_CHANGED = 50  # more changed files than this take the full build: its parallel parse pays off


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
    }, {
        "fingerprint": print_,  # of the last build, quick or not
        "structure": print_,  # the id of the structure it goes with
        "docs": {r.doc.file.rel: (r.key, r.shape, urls.get(r.doc.file.rel)) for r in documents},
        "digests": digests,
    }


class _Documents:
    """Documents by file: the freshly parsed ones, else read from the cache."""

    def __init__(self, keys: dict[str, str], files: dict[str, object], bodies, fresh: dict):
        self.keys, self.files, self.bodies, self.fresh = keys, files, bodies, fresh

    def get(self, rel: str):
        found = self.fresh.get(rel)
        return found if found is not None else self.bodies.doc(self.keys[rel], self.files)


class _Lazy:
    """A story or page of the snapshot: its URL is known, its document is read
    when something first asks for it. Compared by identity (there is one
    object per document), so that comparing never reads documents."""

    __eq__ = object.__eq__
    __hash__ = object.__hash__
    _filled: tuple[str, ...] = ("rendered",)  # attributes that come from the document

    def _known(self, rel: str, documents: _Documents, **values) -> None:
        for name, value in (("_rel", rel), ("_documents", documents), *values.items()):
            object.__setattr__(self, name, value)

    def __getattr__(self, name: str):
        if name not in self._filled:
            raise AttributeError(name)
        rendered = self._documents.get(self._rel)
        object.__setattr__(self, "rendered", rendered)
        if "article" in self._filled:
            object.__setattr__(self, "article", rendered.doc)
        return getattr(self, name)


class _LazyStory(_Lazy, Story):
    _filled = ("rendered", "article")

    def __init__(self, rel: str, url: str, tags: tuple[str, ...], documents: _Documents):
        self._known(rel, documents, url=url, tags=tags)


class _LazyPage(_Lazy, Standalone):
    def __init__(self, rel: str, url: str, documents: _Documents):
        self._known(rel, documents, url=url)


def _archive(snap: dict, documents: _Documents) -> Archive:
    stories = tuple(_LazyStory(rel, url, tags, documents) for rel, url, tags, _ in snap["stories"])

    def terms(rows) -> tuple[Term, ...]:
        return tuple(Term(slug, name, text, tuple(stories[i] for i in members), spelled)
                     for slug, name, text, members, spelled in rows)  # fmt: skip

    years = tuple(Year(year, tuple(Month(year, month, tuple(stories[i] for i in members)) for month, members in months))
                  for year, months in snap["years"])  # fmt: skip
    pages = tuple(_LazyPage(rel, url, documents) for rel, url in snap["pages"])
    url_of = {rel: url for rel, url, *_ in snap["stories"]} | dict(snap["pages"])
    return Archive(stories, pages, terms(snap["tags"]), terms(snap["sources"]), years, url_of, snap["originals"])


@dataclass
class Quick:
    """An edit the quick way: the archive (of lazy stories), the URLs of the
    stories and pages whose content changed, the digests brought up to date,
    the changed files' documents and what the cache must learn of them."""

    archive: Archive
    changed: set[str]
    digests: dict[str, tuple[str, str]]
    loaded: Loaded
    files: dict[str, tuple[int, int, str]]  # the whole files manifest, brought up to date (new mtimes too)
    stale: list[str]  # cache keys of documents no file has any more
    structure: dict  # the snapshot's STRUCTURE manifest (brought up to date by a retag)
    documents: dict  # the snapshot's DOCUMENTS manifest, brought up to date
    regrouped: Regrouped | None = None  # a retag: the tags whose pages and feeds are planned again


def quick(print_: str, frame: str, files, stats_now: dict, contents: dict, config: SiteConfig, cache: BuildCache,
          bodies, published) -> tuple[Quick | None, int]:  # fmt: skip
    """The quick way for this build, or None when it must be a full build;
    and how many files were parsed to find out (they are in the cache now).
    ``contents`` holds each content file's record as it is now
    (``fastpath.content_digests()``): a file is changed when its bytes are.
    ``published(doc)`` says whether a document is on the site."""
    last = cache.state("fingerprint")
    snap, known = cache.manifest(STRUCTURE), cache.manifest(DOCUMENTS)
    if not last or known.get("fingerprint") != last or not snap or known["structure"] != snap["id"]:
        return None, 0
    if snap["frame"] != frame:
        return None, 0
    recorded = cache.manifest("files")
    docs = known["docs"]
    touched = []
    for file in files:
        now, old = contents.get(file.rel), recorded.get(file.rel)
        if now is None or old is None or file.rel not in docs:
            return None, 0  # a file that cannot be read, or did not load last time: the full build reports it
        if now[2] != old[2]:
            touched.append(file)
    if len(touched) > MAX_CHANGED:
        return None, 0
    loaded = load_documents(touched, stats_now, config, cache, 1, previous=contents)
    if loaded.diagnostics or len(loaded.documents) != len(touched):
        return None, loaded.parsed  # every problem is reported by the full build, with the whole archive's
    by_rel = {f.rel: f for f in files}
    fresh, changed, stale, retags = {}, set(), [], []
    for rendered in loaded.documents:
        rel, doc = rendered.doc.file.rel, rendered.doc
        key, shape, url = docs[rel]
        if rendered.key == key:
            continue  # the same document after all
        if (url is not None) != published(doc):
            return None, loaded.parsed
        if url is not None and url != (article_url(doc, config) if isinstance(doc, Article) else page_url(doc, config)):
            return None, loaded.parsed
        if rendered.shape != shape:
            old = bodies.doc(key, by_rel) if url is not None and isinstance(doc, Article) else None
            if old is None or placed(old, config) != placed(rendered, config):
                return None, loaded.parsed
            retags.append((rel, old.doc, doc))  # the same place in the archive: other tags or original
        fresh[rel] = rendered
        stale.append(key)
        if url is not None:
            changed.add(url)
    regrouped = None
    if retags:
        number = {rel: i for i, (rel, *_) in enumerate(snap["stories"])}
        regrouped = regroup(snap, [(number[rel], old, new) for rel, old, new in retags], config)
        if regrouped is None:
            return None, loaded.parsed
        snap = regrouped.structure
    keys = {rel: entry[0] for rel, entry in docs.items()} | {rel: r.key for rel, r in fresh.items()}
    archive = _archive(snap, _Documents(keys, by_rel, bodies, fresh))
    digests = dict(known["digests"])
    if regrouped is not None:  # the stories of a renamed tag or outlet show its new name
        for kind, terms in (("tags", archive.tags), ("sources", archive.sources)):
            renamed = regrouped.groupings[kind].renamed
            changed |= {s.url for t in terms if t.slug in renamed for s in t.stories}
    if changed:
        tag_names = {t.slug: t.name for t in archive.tags}
        source_names = {t.slug: t.name for t in archive.sources}
        for story in archive.stories:
            if story.url in changed:
                digests[story.url] = story_digest(story, tag_names, source_names, archive.url_of)
    docs = docs | {rel: (r.key, r.shape, docs[rel][2]) for rel, r in fresh.items()}
    known = {"fingerprint": print_, "structure": snap["id"], "docs": docs, "digests": digests}
    edit = Quick(archive, changed, digests, loaded, contents, stale, snap, known, regrouped)
    return edit, loaded.parsed


def lifted(until: str | None, now: datetime) -> bool:
    """An embargo has lifted (or a story left the news window) since the last build."""
    return until is None or now.timestamp() >= float(until)
