"""The archive of a quick build, made from the snapshot: stories and pages
whose URLs are known and whose documents are read from the cache only when a
page being rendered shows them (a chunk at a time, see :func:`read_ahead`)."""

from __future__ import annotations

from generator.content.archive import Archive, Month, Standalone, Story, Term, Year
from generator.incremental.snapshot import Structure, TermRow


class Documents:
    """Documents by file: the freshly parsed ones, else read from the cache."""

    def __init__(self, keys: dict[str, str], files: dict[str, object], bodies, fresh: dict):
        self.keys, self.files, self.bodies, self.fresh = keys, files, bodies, fresh

    def get(self, rel: str):
        found = self.fresh.get(rel)
        return found if found is not None else self.bodies.doc(self.keys[rel], self.files)

    def fill(self, stories: list[_LazyStory]) -> None:
        """Read the documents of ``stories`` at once (one query, not one each)."""
        wanted = {self.keys[s._rel]: s for s in stories if s._rel not in self.fresh}
        for key, rendered in self.bodies.docs(list(wanted), self.files).items():
            wanted[key]._fill(rendered)


def read_ahead(stories) -> None:
    """Read at once the cached documents of the snapshot's stories among
    ``stories`` that nothing has asked for yet (``render.Renderer.read_ahead``):
    a quick build that moves every page of the home list shows 10,000 stories,
    and read one by one their documents cost a query each."""
    lazy = list({id(s): s for s in stories if isinstance(s, _LazyStory) and "rendered" not in s.__dict__}.values())
    if len(lazy) > 1:
        lazy[0]._documents.fill(lazy)


class _Lazy:
    """A story or page of the snapshot: its URL is known, its document is read
    when something first asks for it. Compared by identity (there is one
    object per document), so that comparing never reads documents."""

    __eq__ = object.__eq__
    __hash__ = object.__hash__
    _filled: tuple[str, ...] = ("rendered",)  # attributes that come from the document

    def _known(self, rel: str, documents: Documents, **values) -> None:
        self.__dict__.update(values, _rel=rel, _documents=documents)  # (frozen: not through __setattr__)

    def __getattr__(self, name: str):
        if name not in self._filled:
            raise AttributeError(name)
        self._fill(self._documents.get(self._rel))
        return getattr(self, name)

    def _fill(self, rendered) -> None:
        object.__setattr__(self, "rendered", rendered)
        if "article" in self._filled:
            object.__setattr__(self, "article", rendered.doc)


class _LazyStory(_Lazy, Story):
    _filled = ("rendered", "article")

    def __init__(self, rel: str, url: str, tags: tuple[str, ...], documents: Documents):
        self._known(rel, documents, url=url, tags=tags)


class _LazyPage(_Lazy, Standalone):
    def __init__(self, rel: str, url: str, documents: Documents):
        self._known(rel, documents, url=url)


def lazy_archive(snap: Structure, documents: Documents) -> Archive:
    stories = tuple(_LazyStory(row.file, row.url, row.tags, documents) for row in snap.stories)

    def terms(rows: tuple[TermRow, ...]) -> tuple[Term, ...]:
        return tuple(Term(row.slug, row.name, row.description, tuple(stories[i] for i in row.members), row.spelled)
                     for row in rows)  # fmt: skip

    years = tuple(Year(y.year, tuple(Month(y.year, m.month, tuple(stories[i] for i in m.members)) for m in y.months))
                  for y in snap.years)  # fmt: skip
    pages = tuple(_LazyPage(row.file, row.url, documents) for row in snap.pages)
    url_of = {row.file: row.url for row in snap.stories} | {row.file: row.url for row in snap.pages}
    return Archive(stories, pages, terms(snap.tags), terms(snap.sources), years, url_of, snap.originals)
