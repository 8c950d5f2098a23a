"""Load every story and page: from the cache when its file is unchanged, else
parse and render it (in parallel worker processes when there are many).

A file is known to be unchanged from its size and mtime (one ``stat``); its
content digest, together with everything else that shapes the result, keys the
cached document. Only documents without problems are cached, so every problem
is reported again on the next build until it is fixed.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from generator.config.site import SiteConfig
from generator.content.frontmatter import body_only, parse
from generator.content.markdown.convert import InternalLink, Rendered, prepare, render_markdown
from generator.content.model import SourceFile
from generator.content.shape import card, shape
from generator.diagnostics import Diagnostic, error
from generator.store.cache import VERSION, BuildCache
from generator.store.gitblobs import kept_blob
from generator.store.records import body_blob, collector_paused, doc_blob, read_doc
from generator.util.digest import digest
from generator.util.parallel import iter_chunks


@dataclass
class Loaded:
    documents: list[Rendered]  # in file order
    diagnostics: list[Diagnostic]
    stats: dict[str, tuple]  # rel -> (mtime_ns, size, digest[, git blob ID]): store/files.py's records
    parsed: int  # how many files had to be parsed (cache misses)
    unchecked: list[tuple[str, tuple[InternalLink, ...]]] = field(default_factory=list)  # failed files' links


def parse_settings(config: SiteConfig) -> str:
    """Everything besides a file's bytes that changes what parsing it gives."""
    return repr((VERSION, str(config.root), config.content_dir, config.timezone, config.extra_front_matter,
                 config.markdown, config.news_sitemap, config.images.allow_remote, config.outlets))  # fmt: skip


def _parse_one(file: SourceFile, config: SiteConfig, key: str, raw: bytes | None = None):
    """The document as the cache stores it (record and body), or None, the
    problems and the links to other files of the body (checked all the same)."""
    doc, problems = parse(file, config, raw)
    unchecked: list[InternalLink] = []
    if doc is None:  # the body is checked all the same: every problem of a file in one run
        stand_in = body_only(file, raw)
        if stand_in is not None:
            rendered, _, more = render_markdown(stand_in, config.markdown, key, config.images.allow_remote, unchecked)
            problems += more
            unchecked += rendered.links if rendered is not None else ()
        return None, b"", problems, tuple(unchecked)
    rendered, html, problems = render_markdown(doc, config.markdown, key, config.images.allow_remote, unchecked)
    if rendered is None:
        return None, b"", problems, tuple(unchecked)
    record = doc_blob(replace(rendered, shape=shape(rendered, config), card=card(rendered)))
    return record, body_blob(html), problems, ()


def _assets_present(rendered: Rendered) -> bool:
    return all(asset.source.is_file() for asset in rendered.assets)


def load_documents(files: list[SourceFile], stats_now: dict, config: SiteConfig, cache: BuildCache,
                   jobs: int, resident: dict | None = None, previous: dict | None = None,
                   tracked: bool = False) -> Loaded:  # fmt: skip
    """``stats_now`` holds each file's ``os.stat`` result (None if it vanished).

    A file whose size and mtime are as recorded has a known digest; another is
    read to learn it (its content may be unchanged, and cached), except when
    nothing is recorded at all (a first build): then the workers that parse
    the files digest them too, instead of this process reading 10,000 files
    before they start, and where the site is in a git work tree (``tracked``)
    make their git blob IDs as well (``store/gitblobs.py``: the first checkout
    after it then reads none; 34 ms of one core for 10,000 stories of 45 MB).
    Parsed documents are stored chunk by chunk while the workers go on.

    ``resident`` (key -> document, kept by a long-running process between
    builds) stands in for the cache's copy of a document that the cache still
    holds (with its body); it is refilled with this build's documents.
    ``previous`` is the cache's ``files`` manifest, when the caller has read it."""
    settings = parse_settings(config)
    previous = cache.manifest("files") if previous is None else previous
    keys, stats, diagnostics = _keys(files, stats_now, previous, settings)
    by_rel = {file.rel: file for file in files}
    wanted = [k for k in keys if k]
    cached: dict[str, object] = {}
    if resident:
        cached = {k: resident[k] for k in cache.stored_docs([k for k in wanted if k in resident])}
    cached.update(cache.get_docs([k for k in wanted if k not in cached], by_rel))
    results: list[Rendered | None] = [None] * len(files)
    todo: list[int] = []
    for index, key in enumerate(keys):
        if key == "":
            continue
        hit = cached.get(key) if key else None
        if isinstance(hit, Rendered) and _assets_present(hit):
            results[index] = hit
        else:
            todo.append(index)

    def task(start: int, stop: int):
        done = []
        for i in todo[start:stop]:
            key, read_as, raw = keys[i], None, None
            if key is None:  # read once: for its digest, and to parse
                try:
                    raw = files[i].path.read_bytes()
                except OSError as exc:
                    problem = error(files[i].rel, 1, 1, "", f"cannot read: {exc.strerror}")
                    done.append((i, "", None, None, "", [problem], ()))
                    continue
                blob = kept_blob(raw, held := digest(raw), None, None, None, tracked)  # (every record's rule)
                read_as, key = (held,) if blob is None else (held, blob), _doc_key(held, files[i], settings)
            done.append((i, key, read_as, *_parse_one(files[i], config, key, raw)))
        return done

    if todo:
        prepare(config.markdown)

    unchecked: list[tuple[str, tuple[InternalLink, ...]]] = []
    for chunk in iter_chunks(task, len(todo), jobs):
        fresh: dict[str, tuple[bytes, bytes]] = {}
        with collector_paused():
            for index, key, read_as, record, body, problems, links in chunk:
                diagnostics.extend(problems)
                if links:
                    unchecked.append((files[index].rel, links))
                if read_as is not None:
                    st = stats_now[files[index].rel]
                    stats[files[index].rel] = (st.st_mtime_ns, st.st_size, *read_as)
                if record is not None:
                    results[index] = read_doc(record, by_rel)
                    fresh[key] = (record, body)
        if fresh:
            cache.put_docs(fresh)
    cache.stored()
    documents = [r for r in results if r is not None]
    if resident is not None:
        resident.clear()
        resident.update((r.key, r) for r in documents)
    return Loaded(documents, diagnostics, stats, len(todo), unchecked)


def _keys(files: list[SourceFile], stats_now: dict, previous: dict, settings: str):
    """Each file's document key ("": unreadable, None: to be digested by the
    parsing worker), the records of the files whose digest is known, and the
    problems of files that cannot be read."""
    stats: dict[str, tuple] = {}
    keys: list[str | None] = []  # None: to be digested by the parsing worker
    diagnostics: list[Diagnostic] = []
    for file in files:
        st = stats_now[file.rel]
        if st is None:
            diagnostics.append(error(file.rel, 1, 1, "", "cannot read: No such file or directory"))
            keys.append("")
            continue
        old = previous.get(file.rel)
        if old is not None and old[0] == st.st_mtime_ns and old[1] == st.st_size and old[2] is not None:
            stats[file.rel] = old  # (as it is: with the blob ID git knows it by, when it has one)
            keys.append(_doc_key(old[2], file, settings))
            continue
        if not previous:
            keys.append(None)
            continue
        try:
            file_digest = digest(file.path.read_bytes())
        except OSError as exc:
            diagnostics.append(error(file.rel, 1, 1, "", f"cannot read: {exc.strerror}"))
            keys.append("")
            continue
        stats[file.rel] = (st.st_mtime_ns, st.st_size, file_digest)
        keys.append(_doc_key(file_digest, file, settings))
    return keys, stats, diagnostics


def _doc_key(file_digest: str, file: SourceFile, settings: str) -> str:
    return digest(f"{file_digest}|{file.rel}|{file.kind}|{settings}".encode())
