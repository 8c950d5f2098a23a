"""What an import did, for the editor: a Markdown report (``--report FILE``)
of the files made, the drafts that need an original, what was skipped and
why, every field that could not be mapped, the shortcodes and Liquid tags kept
as text, and the images to save by hand; and a summary line."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from generator.config.site import SiteConfig
from generator.intake.moving.migrate import Outcome


def summary(outcome: Outcome, dry_run: bool) -> str:
    drafts = sum(1 for p in outcome.placed if p.item.kind == "post" and not p.item.original)
    kept = sum(len(p.kept) for p in outcome.placed)
    unmapped = len({key for p in outcome.placed for key in p.item.unmapped})
    made = f"{len(outcome.placed)} would be made (dry run: nothing was written)" if dry_run else \
        f"{len(outcome.placed)} made"  # fmt: skip
    return (f"{made} ({drafts} drafts without an original), {len(outcome.skipped)} skipped; "
            f"{unmapped} fields not mapped, {kept} shortcodes or tags kept as text")  # fmt: skip


def report(outcome: Outcome, config: SiteConfig, where: str, dry_run: bool) -> str:
    site = outcome.site
    rel = lambda placed: placed.path.relative_to(config.root).as_posix()  # noqa: E731
    lines = [f"# Import of {site.kind} site {site.title or where!r}", "",
             f"From `{where}`{' (dry run: nothing was written)' if dry_run else ''}. {summary(outcome, dry_run)}.",
             ""]  # fmt: skip
    lines += _section("Made", [
        f"- `{rel(p)}` ← {p.item.origin}: {p.item.title}" + (f" (old addresses: {', '.join(p.aliases)})"
                                                              if p.aliases else "")
        for p in outcome.placed])  # fmt: skip
    lines += _section("Drafts without a link to an original (source is the old address: put the original there)",
                      [f"- `{rel(p)}`: {p.item.title}" for p in outcome.placed
                       if p.item.kind == "post" and not p.item.original])  # fmt: skip
    lines += _section("Skipped", [f"- {item.origin}{f' ({item.title})' if item.title else ''}: {why}"
                                  for item, why in outcome.skipped])  # fmt: skip
    by_field: dict[str, list[str]] = defaultdict(list)
    for placed in outcome.placed:
        for key, value in placed.item.unmapped.items():
            by_field[key].append(f"  - `{rel(placed)}`: {value}")
    lines += _section("Fields not mapped (list a field under extra_front_matter in site.yml to keep it)",
                      [f"- `{key}` ({len(rows)})\n" + "\n".join(rows) for key, rows in sorted(by_field.items())])
    lines += _section("Shortcodes and Liquid tags kept as text (shown as code on the page: rewrite or remove them)",
                      [f"- `{rel(p)}`: " + ", ".join(f"`` {k} ``" for k in p.kept) for p in outcome.placed if p.kept])
    lines += _section("Images to save beside the story (not fetched: save each and write ![alt](file))",
                      [f"- `{rel(p)}`: " + ", ".join(p.images) for p in outcome.placed if p.images])
    lines += _section("Notes", [f"- `{rel(p)}`: {note}" for p in outcome.placed for note in p.item.notes]
                      + [f"- {note}" for note in site.notes])  # fmt: skip
    return "\n".join(lines).rstrip() + "\n"


def _section(title: str, rows: list[str]) -> list[str]:
    return [f"## {title}", "", *(rows or ["None."]), ""]


def write_report(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
