"""The incremental plan: an edit that keeps the archive's structure, or
changes it by a few stories, is built without loading, collecting or planning
the whole archive.

Every build that writes saves a **snapshot** of the archive (``snapshot.py``).

The next build takes the quick way when the snapshot is the last build's (same
fingerprint), every input but the content files is as it was (the frame: ssg's
version, options, ``site.yml``, theme files), no embargo has lifted since, a
few content files changed, came or went, each parses without a problem, and
each keeps its shape, or changes only its tags, its source (its outlet or the
original's URL), or its date within its month or its update; or is a story
that comes (a new file, or one now published), goes (deleted, or no longer
published) or moves to another URL (a re-date to another month, a new slug),
provided that no other file links to it and it links to no other file (the
full build checks links). ``generator/incremental/regroup.py`` brings the snapshot's
order, tag and outlet lists, date archives and originals up to date, and
names the tags, outlets and date archive pages whose pages change and the
pages that appear or go. Then only those files are parsed; the archive is
rebuilt from the snapshot with stories whose documents are read from the
cache only when a page being rendered shows them (``lazy.py``); only the pages and feeds
whose key holds a changed digest, or that the regrouping names, are planned;
and every other output keeps the key the last build recorded for it, so it
is kept or linked as it is. Anything else (a standalone page that comes,
goes or moves: every page's navigation shows it) takes the full build, which
gives the same output (``tests/incremental/test_incremental.py`` compares
both with clean builds).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from generator.config.site import SiteConfig
from generator.content.archive import Archive, article_url, page_url
from generator.content.frontmatter import is_image
from generator.content.load import Loaded, load_documents
from generator.content.model import Article, SourceFile
from generator.content.shape import placed
from generator.incremental.lazy import Documents, lazy_archive
from generator.incremental.regroup import Regrouped, regroup
from generator.incremental.snapshot import DocEntry, Known, Structure, read
from generator.media.process import Media
from generator.plan.digests import Digest, story_digest
from generator.store.cache import BuildCache, CacheCorrupt
from generator.util.urls import output_file

MAX_CHANGED = 50  # more changed files than this take the full build: its parallel parse pays off


@dataclass
class Quick:
    """An edit the quick way: the archive (of lazy stories), the URLs of the
    stories and pages whose content changed, the digests brought up to date,
    the changed files' documents and what the cache must learn of them."""

    archive: Archive
    changed: set[str]
    digests: dict[str, Digest]
    loaded: Loaded
    files: dict[str, tuple[int, int, str]]  # the whole files manifest, brought up to date (new mtimes too)
    stale: list[str]  # cache keys of documents no file has any more
    structure: Structure  # the snapshot's (brought up to date by a regrouping edit)
    documents: Known  # the snapshot's, brought up to date
    regrouped: Regrouped | None = None  # a retag: the tags whose pages and feeds are planned again
    dropped: set[str] = field(default_factory=set)  # copied files of the stories taken away
    until: float = float("inf")  # when an embargo lifts (the ``valid_until`` state)


def quick(print_: str, frame: str, files, stats_now: dict, recorded: dict, contents: dict, config: SiteConfig,
          cache: BuildCache, bodies, media: Media, moved: set[str], published,
          now: datetime) -> tuple[Quick | None, int]:  # fmt: skip
    """The quick way for this build, or None when it must be a full build;
    and how many files were parsed to find out (they are in the cache now).
    ``recorded`` is the cache's ``files`` manifest, and ``contents`` each
    content file's record as it is now (``store.files.content_digests()``): a
    file is changed when its bytes are. ``media``: the last build's images;
    ``moved``: the files beside stories whose record changed (an image among
    them takes the full build, which encodes it anew).
    ``published(doc)`` says whether a document is on the site."""
    last = cache.state("fingerprint")
    snap, known = read(cache)
    if not last or snap is None or known is None or known.fingerprint != last or known.structure != snap.id:
        return None, 0
    if snap.frame != frame or not moved.isdisjoint(snap.images):
        return None, 0
    docs = known.docs
    present = {file.rel for file in files}
    edited, deleted = [], [rel for rel in docs if rel not in present]
    for file in files:
        held, old = contents.get(file.rel), recorded.get(file.rel)
        if held is None:
            return None, 0  # a file that cannot be read: the full build reports it
        if old is None or file.rel not in docs or held[2] != old[2]:
            edited.append(file)  # changed, or new
    if len(edited) + len(deleted) > MAX_CHANGED:
        return None, 0
    loaded = load_documents(edited, stats_now, config, cache, 1, previous=contents)
    if loaded.diagnostics or len(loaded.documents) != len(edited):
        return None, loaded.parsed  # every problem is reported by the full build, with the whole archive's
    by_rel = {f.rel: f for f in files}
    edit = _Edit(snap, docs, by_rel, bodies, config)
    for rel in deleted:
        if not edit.delete(rel):
            return None, loaded.parsed
    for rendered in loaded.documents:
        if not edit.change(rendered, published(rendered.doc)):
            return None, loaded.parsed
    regrouped = None
    if edit.retags or edit.removed or edit.added:
        regrouped = regroup(snap, edit.retags, config, [(i, old.doc) for i, old in edit.removed], edit.added)
        if regrouped is None:
            return None, loaded.parsed
        snap = regrouped.structure.replace(assets=edit.assets)
        urls = [row.url for row in snap.stories] + [row.url for row in snap.pages]
        if len(set(urls)) != len(urls):
            return None, loaded.parsed  # two stories, or a story and a page, with one URL: the full build reports it
    fresh, changed = edit.fresh, edit.changed
    keys = {rel: entry.key for rel, entry in docs.items()} | {rel: r.key for rel, r in fresh.items()}
    archive = lazy_archive(snap, Documents(keys, by_rel, bodies, fresh))
    digests = {url: pair for url, pair in known.digests.items() if url not in edit.gone}
    if regrouped is not None:  # the stories of a renamed tag or outlet show its new name
        for kind, terms in (("tags", archive.tags), ("sources", archive.sources)):
            renamed = regrouped.groupings[kind].renamed
            changed |= {s.url for t in terms if t.slug in renamed for s in t.stories}
    if changed:
        tag_names = {t.slug: t.name for t in archive.tags}
        source_names = {t.slug: t.name for t in archive.sources}
        for story in archive.stories:
            if story.url in changed:
                digests[story.url] = story_digest(story, tag_names, source_names, archive.url_of,
                                                  media.keys_of(story.rendered))  # fmt: skip
    docs = {rel: entry for rel, entry in docs.items() if rel in present} | edit.entries
    known = Known(print_, snap.id, docs, digests)
    until = min([_until(cache.state("valid_until"))] + [t for t in edit.waiting if t > now.timestamp()])
    quick_edit = Quick(archive, changed, digests, loaded, contents, edit.stale, snap, known, regrouped,
                       edit.dropped, until)  # fmt: skip
    return quick_edit, loaded.parsed


class _Edit:
    """What the changed, new and deleted content files change in the snapshot."""

    def __init__(self, snap: Structure, docs: dict[str, DocEntry], by_rel: dict, bodies, config: SiteConfig):
        self.snap, self.docs, self.by_rel, self.bodies, self.config = snap, docs, by_rel, bodies, config
        self.number = {row.file: i for i, row in enumerate(snap.stories)}
        self.fresh: dict = {}  # file -> its new document
        self.entries: dict[str, DocEntry] = {}  # file -> its new entry in the known documents
        self.changed: set[str] = set()  # URLs of stories and pages whose content changed
        self.stale: list[str] = []  # cache keys of documents no file has any more
        self.retags: list = []  # (number, old document, new): the same URL, another place in lists
        self.removed: list = []  # (number, old rendered document): stories taken away
        self.added: list = []  # (file, URL, document): stories added
        self.gone: set[str] = set()  # URLs of the stories taken away
        self.assets = dict(snap.assets)  # the files to copy beside the pages (output path -> source)
        self.dropped: set[str] = set()  # copied files of stories taken away (and not added again)
        self.waiting: list[float] = []  # the dates of changed stories not on the site (an embargo may lift)

    def delete(self, rel: str) -> bool:
        """A deleted file; False when the full build must take it."""
        key, _, url = self.docs[rel]
        self.stale.append(key)
        if url is None:
            return True  # it was not on the site
        gone = SourceFile("article", rel, str(self.config.root / rel))  # (its cached document names its file)
        return self._take_away(rel, key, url, self.by_rel | {rel: gone})

    def change(self, rendered, shown: bool) -> bool:
        """A changed or new file's document, on the site (``shown``) or not;
        False when the full build must take it."""
        doc, config = rendered.doc, self.config
        rel = doc.file.rel
        key, shape, url = self.docs.get(rel) or (None, None, None)  # (a new file: none)
        if rendered.key == key:
            return True  # the same document after all
        new_url = (article_url(doc, config) if isinstance(doc, Article) else page_url(doc, config)) if shown else None
        self.fresh[rel] = rendered
        self.entries[rel] = DocEntry(rendered.key, rendered.shape, new_url)
        if key is not None:
            self.stale.append(key)
        if isinstance(doc, Article) and not shown:
            self.waiting.append(doc.date.at.timestamp())
        if url is None and new_url is None:
            return True  # not on the site, before or after
        if url == new_url:
            self.changed.add(url)
            if rendered.shape == shape:
                return True
            old = self._old(key, self.by_rel) if isinstance(doc, Article) else None
            if old is None or placed(old, config) != placed(rendered, config):
                return False
            self.retags.append((self.number[rel], old.doc, doc))  # the same place in the archive
            return True
        # A story comes, goes, or moves to another URL (a page is in every page's navigation: the full build).
        if not isinstance(doc, Article) or (url is not None and not self._take_away(rel, key, url, self.by_rel)):
            return False
        if new_url is not None:
            if rendered.links or rendered.rooted or rendered.images or any(is_image(a.target) for a in rendered.assets):
                return False  # the full build checks where its links lead, and encodes its images
            if doc.aliases:
                return False  # (and checks its old addresses)
            for asset in rendered.assets:
                out = new_url.lstrip("/") + asset.target
                if out in self.assets or out == output_file(new_url):
                    return False
                self.assets[out] = str(asset.source)
                self.dropped.discard(out)
            self.added.append((rel, new_url, doc))
            self.changed.add(new_url)
        return True

    def _take_away(self, rel: str, key: str, url: str, files: dict) -> bool:
        """A story leaves its URL; False when it is not a story, or when another
        file links to it (the full build reports or re-links those links)."""
        if rel not in self.number or rel in self.snap.linked:
            return False
        old = self._old(key, files)
        if old is None or any(is_image(asset.target) for asset in old.assets) or old.doc.aliases:
            return False  # (its images' variants and its old addresses' pages go with the full build)
        self.removed.append((self.number[rel], old))
        self.gone.add(url)
        for asset in old.assets:
            out = url.lstrip("/") + asset.target
            if self.assets.pop(out, None) is not None:
                self.dropped.add(out)
        return True

    def _old(self, key: str, files: dict):
        """The last build's document of a file (None when the cache lost it: the full build parses it again)."""
        try:
            return self.bodies.doc(key, files)
        except CacheCorrupt:
            return None


def _until(until: str | None) -> float:
    return float(until) if until is not None else float("inf")


def lifted(until: str | None, now: datetime) -> bool:
    """An embargo has lifted (or a story left the news window) since the last build."""
    return until is None or now.timestamp() >= float(until)
