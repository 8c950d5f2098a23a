"""Build an edit the quick way (see ``quick.py``): plan only the pages and
feeds that show what changed, keep every other output of the last build as
it is, and publish through the same write stage as the full build. Returns
None whenever the last output cannot be reused as recorded: the full build
then runs, and gives the same output."""

from __future__ import annotations

import time
from pathlib import Path

from generator.incremental.lazy import read_ahead
from generator.incremental.quick import Quick
from generator.incremental.regroup import moved_by, replaced
from generator.incremental.snapshot import stored
from generator.incremental.spare import wanted as spare_wanted
from generator.output.assemble import copy_of, rendering
from generator.output.publish import WriteContext, publish
from generator.output.write import Missing, Output, feed_outputs, page_outputs
from generator.plan.feeds import FeedWriter
from generator.plan.related import related_key
from generator.plan.routes import plan_changed
from generator.plan.scope import Scope
from generator.stages import BuildResult
from generator.store.files import Record, copied_records
from generator.theme.themes import StaticFiles, static_files
from generator.util.urls import Links, output_file


def build_quick(site: WriteContext, edit: Quick, chain, strings, print_: str, copied: dict[str, Record | None],
                reprint) -> BuildResult | None:  # fmt: skip
    """``copied``: the records of the files copied beside the pages
    (``store.files.copied_records()``), and ``reprint(copied)`` the build's
    fingerprint with other such files."""
    config, cache, stages = site.config, site.cache, site.stages
    start = time.perf_counter()
    archive, snap, regrouped = edit.archive, edit.structure, edit.regrouped
    sources = sorted(set(snap.assets.values()) | snap.images)
    if sources != list(copied):  # a story with files beside it came or went
        copied = copied_records(sources, copied)
        print_ = reprint(copied)
    related = cache.manifest("related")
    previous = site.last_outputs()
    if related.get("key") != snap.related or not previous:
        return None
    urls, moved, inputs = related["urls"], None, None
    if regrouped is not None:
        last = cache.manifest("related-inputs")
        if last.get("key") != related["key"]:
            return None
        moved, urls, inputs = moved_by(regrouped, last["inputs"], urls, site.jobs)
    links = Links(config.base_url)
    scope = Scope(edit.changed, moved)
    routes = plan_changed(archive, config, links, strings, site.bodies, site.media, urls, edit.digests, scope)
    stages.timed("plan", start)
    start = time.perf_counter()
    static = static_files(chain)
    renderer, site_key, templates = rendering(site, chain, links, strings, static, archive)
    renderer.read_ahead = read_ahead
    feeds = FeedWriter(archive, config, links, site.bodies, site.media, edit.digests)
    specs = feeds.all(scope)
    made = {o.rel: o for o in page_outputs(routes, site_key, templates) + feed_outputs(specs, site_key)}
    gone, machine, pages, sitemap = set(), [], int(cache.state("pages") or 0), None
    if regrouped is not None:  # the retagged tags' old pages and feeds go, the sitemap is made again
        retag = replaced(regrouped, routes, made.keys(), previous, pages, config, links)
        if retag is None:
            return None
        gone, machine, pages, sitemap = retag.gone, retag.machine, retag.pages, retag.sitemap
    outputs = _outputs(made, previous, gone | edit.dropped, static, snap.assets, copied, regrouped is not None)
    if outputs is None or (snap.rooted & (gone | edit.dropped)) - made.keys():  # (the full build reports the link)
        return None
    stages.timed("keys", start)
    sealed: dict[str, bytes] = {}
    meanwhile = lambda: sealed.update(_sealed(site, edit, print_, copied, inputs, urls, related["key"], sitemap))  # noqa: E731
    try:
        written = publish(site, outputs, machine, renderer, previous, {output_file(s.url) for s in archive.stories},
                          meanwhile)  # fmt: skip
    except Missing:
        return None
    files = len(outputs) + len(machine)
    _save(site, edit, sealed, print_, pages, files)
    return BuildResult(
        stories=len(archive.stories), pages=pages, files=files, rendered=written.rendered, search=written.search,
        parsed=edit.loaded.parsed, seconds=time.perf_counter() - site.started, output=site.out,
        timings=stages.timings, warnings=stages.warnings, quick=True,
        spare_wanted=spare_wanted(config.root, site.out, files, cache), behind=written.behind,
    )  # fmt: skip


def _outputs(made: dict[str, Output], previous: dict, gone: set[str], static: StaticFiles, assets: dict[str, str],
             copied: dict[str, Record | None], regrouped: bool) -> list[Output] | None:  # fmt: skip
    """Every output of the edit's build: the pages and feeds planned again
    (``made``), the last build's others kept by their recorded key, and the
    copied files; None when a planned page is new to an edit that moves no
    story, or a file to copy is gone (the full build reports it)."""
    copies = dict(static.files) | {rel: Path(source) for rel, source in assets.items()}
    if not regrouped and not (made.keys() | copies.keys()) <= previous.keys():
        return None
    gone = gone - made.keys() - copies.keys()
    made = dict(made)
    outputs = []
    try:
        for rel, (key, _, _) in previous.items():
            if rel in made:
                outputs.append(made.pop(rel))
            elif rel in gone:
                continue
            elif rel in copies:
                outputs.append(copy_of(rel, copies[rel], static, copied))
            else:  # a page, feed or sitemap whose inputs did not change: kept or linked as it is
                outputs.append(Output(rel, key))
        # The pages of a story, a month or a tag that is new, or of a list that is longer; a new story's files.
        outputs += made.values()
        outputs += [copy_of(rel, source, static, copied) for rel, source in copies.items() if rel not in previous]
    except OSError:
        return None
    return outputs


def _sealed(site: WriteContext, edit: Quick, print_: str, copied, inputs, urls, last_key: str,
            sitemap) -> dict[str, bytes]:  # fmt: skip
    """The manifests the next build's hooks read after a quick build, each as its file's bytes
    (``BuildCache.sealed``): made while the search stage's process indexes (``inputs`` and
    ``sitemap`` are None when no story moved)."""
    cache = site.cache
    manifests = {"files": edit.files}
    if copied != cache.manifest("assets"):  # the same files under new mtimes, read once
        manifests["assets"] = copied
    documents, structure = edit.documents.replace(fingerprint=print_), None
    if inputs is not None:
        key = related_key(inputs)
        structure = edit.structure.replace(id=print_, related=key, sitemap=sitemap)
        if key != last_key:  # (not when only an original's URL changed)
            manifests["related"] = {"key": key, "urls": urls}
            manifests["related-inputs"] = {"key": key, "inputs": inputs}
        documents = documents.replace(structure=print_)
    manifests |= stored(structure, documents)
    return {name: cache.sealed(value) for name, value in manifests.items()}


def _save(site: WriteContext, edit: Quick, sealed: dict[str, bytes], print_: str, pages: int, files: int) -> None:
    """Save what ``_sealed`` made, once the output is swapped in."""
    cache, stages = site.cache, site.stages
    start = time.perf_counter()
    for name, blob in sealed.items():
        cache.save_sealed(name, blob)
    cache.forget(edit.stale)
    cache.set_state({"fingerprint": print_, "valid_until": str(edit.until), "output": str(site.out),
                     "stories": str(len(edit.archive.stories)), "pages": str(pages), "files": str(files)})  # fmt: skip
    stages.timed("save", start)
