"""The ``ssg import`` command: a feed's new entries, or a whole Hugo or Jekyll site or WordPress
export, made stories (``generator/intake/importer.py``, ``generator/intake/moving/``). Exit codes as
the CLI's: 0 ok, 1 problems, 2 usage."""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

from generator import diagnostics


def import_command(args, config_path: Path, site_of) -> int:
    """``ssg import FEED`` or ``ssg import SITE``; ``site_of(config_path)``: the site's configuration, or None
    (its problems reported)."""
    from generator.build import now_from_env
    from generator.intake.importer import FeedImportError, Options, import_feed
    from generator.intake.moving.migrate import detect
    from generator.tools.new import date_text

    kind = None if "://" in args.feed else detect(Path(args.feed))
    site_only = [flag for flag, value in (("--report", args.report), ("--source-field", args.source_field),
                 ("--category", args.category), ("--source-from-first-link", args.source_from_first_link)) if value]
    if kind is not None:
        return _import_site(args, config_path, kind, site_of)
    if site_only:
        why = "is a directory that is neither a Hugo nor a Jekyll site" if Path(args.feed).is_dir() else "is a feed"
        print(f"ssg: error: {', '.join(site_only)}: for a site or a WordPress export; {args.feed} {why}",
              file=sys.stderr)  # fmt: skip
        return 2
    if Path(args.feed).is_dir():
        print(f"ssg: error: {args.feed} is neither a Hugo site (hugo.toml or config.toml, and content/) nor a "
              "Jekyll site (_config.yml or _posts/)", file=sys.stderr)  # fmt: skip
        return 1
    if (config := site_of(config_path)) is None:
        return 1
    since = None
    if args.since is not None:
        try:
            since = datetime.fromisoformat(date_text(args.since, config, now_from_env()))
        except ValueError:
            print(f"ssg: error: --since {args.since!r} is not a date like 2023-07-26", file=sys.stderr)
            return 2
        if since.tzinfo is None:  # a day: from its start in the site's zone
            since = since.replace(tzinfo=config.tzinfo)
    options = Options(since, args.limit, args.dry_run, tuple(args.tag), args.timeout)
    try:
        import_feed(config, args.feed, options, now_from_env(), print)
    except FeedImportError as exc:
        print(f"ssg: error: {exc}", file=sys.stderr)
        return 1
    return 0


def _import_site(args, config_path: Path, kind: str, site_of) -> int:
    from generator.build import now_from_env
    from generator.intake.moving.items import SOURCE_FIELDS, SiteError
    from generator.intake.moving.migrate import import_site
    from generator.intake.moving.posts import Options
    from generator.intake.moving.report import report, summary, write_report

    if args.since is not None or args.limit is not None:
        print("ssg: error: --since and --limit are for feeds; a site is imported whole", file=sys.stderr)
        return 2
    if (config := site_of(config_path)) is None:
        return 1
    options = Options(tuple(args.source_field) or SOURCE_FIELDS, tuple(config.extra_front_matter), args.category or "",
                      args.source_from_first_link)  # fmt: skip
    try:
        outcome = import_site(config, Path(args.feed), kind, options, args.dry_run, now_from_env(), print,
                              tags=tuple(args.tag))  # fmt: skip
    except (SiteError, OSError, UnicodeDecodeError) as exc:
        if isinstance(exc, SiteError) and exc.diagnostics:
            diagnostics.report(exc.diagnostics, sys.stderr)
        print(f"ssg: error: {exc}; nothing was written", file=sys.stderr)
        return 1
    print(summary(outcome, args.dry_run))
    if args.report is not None:
        write_report(args.report, report(outcome, config, args.feed, args.dry_run))
        print(f"report: {args.report}")
    return 0
