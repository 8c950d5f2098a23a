"""The ``ssg`` command. Exit codes: 0 ok, 1 content or config errors, 2 usage."""

from __future__ import annotations

import argparse
import os
import signal
import sys
from pathlib import Path

from generator import __version__
from generator.build import BuildOptions, UsageError, build
from generator.config.site import CONFIG_NAME
from generator.diagnostics import DiagnosticError, report
from generator.output.staging import OutputError
from generator.progress import Progress
from generator.store.lock import LockTimeout


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="ssg", description="A static-site generator for curated news archives.")
    parser.add_argument("--version", action="version", version=f"ssg {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    def common(sub: argparse.ArgumentParser) -> None:
        sub.add_argument("--config", type=Path, default=None, metavar="PATH",
                         help=f"the site configuration (default: ./{CONFIG_NAME})")  # fmt: skip
        sub.add_argument("--drafts", action="store_true", help="include stories marked draft: true")
        sub.add_argument("--future", action="store_true", help="include stories dated after now (embargoed)")
        sub.add_argument("--base-url", default=None, metavar="URL", help="override base_url of site.yml")
        sub.add_argument("-j", "--jobs", type=_jobs, default=0, metavar="N",
                         help="worker processes (default: one per CPU)")  # fmt: skip

    build_cmd = commands.add_parser("build", help="build the site into the output folder")
    common(build_cmd)
    build_cmd.add_argument("-o", "--output", type=Path, default=None, metavar="DIR",
                           help="output folder (default: output_dir of site.yml, 'public')")  # fmt: skip
    build_cmd.add_argument("-v", "--verbose", action="store_true", help="print the time of each stage")
    build_cmd.add_argument("--no-cache", action="store_true", help="ignore the build cache and build it anew")
    check_cmd = commands.add_parser("check", help="validate everything a build would, write nothing")
    common(check_cmd)
    check_cmd.add_argument("--links", action="store_true", help="also check every source URL and body link over HTTP")
    check_cmd.add_argument("--strict", action="store_true", help="with --links: exit 1 when a link is dead")
    check_cmd.add_argument("--max-age", type=float, default=24.0, metavar="HOURS",
                           help="with --links: reuse results younger than this (default 24)")  # fmt: skip
    check_cmd.add_argument("--timeout", type=float, default=10.0, metavar="SECONDS",
                           help="with --links: per request (default 10)")  # fmt: skip
    serve_cmd = commands.add_parser("serve", help="build, serve on localhost, rebuild and reload on changes")
    common(serve_cmd)
    serve_cmd.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    serve_cmd.add_argument("--port", type=_port, default=8000, help="port (default: 8000; 0 picks a free one)")
    serve_cmd.add_argument("--open", action="store_true", help="open the site in a web browser")
    archive_cmd = commands.add_parser("archive", help="have a web archive save every original without "
                                      "source.archived, and write the saved copy's URL into the story")  # fmt: skip
    archive_cmd.add_argument("--limit", type=_jobs, default=None, metavar="N", help="save at most N originals")
    archive_cmd.add_argument("--dry-run", action="store_true", help="print what would be saved; ask nothing")
    archive_cmd.add_argument("--timeout", type=float, default=60.0, metavar="SECONDS", help="per request")
    archive_cmd.add_argument("--config", type=Path, default=None, metavar="PATH", help="the site configuration")
    outlets_cmd = commands.add_parser("outlets", help="list outlets with counts, spellings and hosts; suggest merges")
    outlets_cmd.add_argument("--config", type=Path, default=None, metavar="PATH", help="the site configuration")
    import_cmd = commands.add_parser("import", help="make a story, waiting for review, of each new entry of a feed; "
                                     "or move in a Hugo or Jekyll site or a WordPress export")  # fmt: skip
    import_cmd.add_argument("feed", metavar="SOURCE", help="a feed (a URL or a file: RSS, Atom or JSON Feed), a Hugo "
                            "or Jekyll site's folder, or a WordPress export (WXR)")  # fmt: skip
    import_cmd.add_argument("--since", default=None, metavar="DATE", help="only entries dated on or after DATE")
    import_cmd.add_argument("--limit", type=_jobs, default=None, metavar="N", help="make at most N stories")
    import_cmd.add_argument("--dry-run", action="store_true", help="print what would be made; write nothing")
    import_cmd.add_argument("--tag", action="append", default=[], metavar="TAG", help="add a tag to every story")
    import_cmd.add_argument("--timeout", type=float, default=15.0, metavar="SECONDS", help="per request")
    import_cmd.add_argument("--report", type=Path, default=None, metavar="FILE",
                            help="a site: write what was made, skipped and not mapped to FILE (Markdown)")
    import_cmd.add_argument("--source-field", action="append", default=[], metavar="NAME",
                            help="a site: the front matter field or custom field with the original's URL")
    import_cmd.add_argument("--category", default=None, metavar="NAME",
                            help="a WordPress export: only posts in this category or with this tag")
    import_cmd.add_argument("--source-from-first-link", action="store_true",
                            help="a WordPress export: a post's first link out of the site is its original")
    import_cmd.add_argument("--config", type=Path, default=None, metavar="PATH", help="the site configuration")
    tags_cmd = commands.add_parser("tags", help="list tags with counts and spellings; suggest merges")
    tags_cmd.add_argument("--config", type=Path, default=None, metavar="PATH", help="the site configuration")
    new_cmd = commands.add_parser("new", help="create a story file with valid front matter")
    new_cmd.add_argument("title", nargs="?", default=None, help="the story's title (in quotes; with --from: "
                         "the page's own title when left out)")  # fmt: skip
    origin = new_cmd.add_mutually_exclusive_group(required=True)
    origin.add_argument("--source", metavar="URL", help="the original story's URL (nothing is fetched)")
    origin.add_argument("--from", dest="page", metavar="URL",
                        help="the original story's URL: fetch the page and fill the front matter from it")  # fmt: skip
    new_cmd.add_argument("--outlet", default=None, metavar="NAME",
                         help="the outlet (default: the registry's, the archive's or the page's for the URL's host)")
    new_cmd.add_argument("--tag", action="append", default=[], metavar="TAG", help="a tag (repeat for more)")
    new_cmd.add_argument("--date", default=None, metavar="DATE", help="the story's date (default: now)")
    new_cmd.add_argument("--timeout", type=float, default=15.0, metavar="SECONDS", help="with --from: per request")
    new_cmd.add_argument("--config", type=Path, default=None, metavar="PATH", help="the site configuration")
    return parser


def _counted(result) -> str:
    stories = "1 story" if result.stories == 1 else f"{result.stories} stories"
    pages = "1 page" if result.pages == 1 else f"{result.pages} pages"
    return f"{stories}, {pages}"


def entry() -> None:
    """The console command: ``main``, then a quick exit. Freeing a large
    build's objects one by one took 0.4 s at 10,000 stories; every file is
    closed by then, so the process ends at once and the system frees it all."""
    try:
        code = main()
    except SystemExit as exc:  # argparse's usage errors and --help
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except OSError:
        code = code or 1
    os._exit(code)


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help(sys.stderr)
        return 2
    config_path = args.config if args.config is not None else Path(CONFIG_NAME)
    if not config_path.is_file():
        print(f"ssg: error: {config_path} not found (run ssg in the site folder or pass --config PATH)",
              file=sys.stderr)  # fmt: skip
        return 2
    if args.command == "serve":
        return _serve(args, config_path)
    if args.command == "new":
        return _new(args, config_path)
    if args.command in ("tags", "outlets"):
        return _terms(config_path, args.command)
    if args.command == "import":
        return _import(args, config_path)
    if args.command == "archive":
        return _archive(args, config_path)
    write = args.command == "build"
    options = BuildOptions(
        config_path=config_path,
        drafts=args.drafts,
        future=args.future,
        output=getattr(args, "output", None),
        base_url=args.base_url,
        write=write,
        jobs=args.jobs,
        use_cache=not getattr(args, "no_cache", False),
        make_spare=write,
    )
    try:
        result = build(options, Progress())
    except DiagnosticError as exc:
        report(exc.diagnostics, sys.stderr)
        count = sum(1 for d in set(exc.diagnostics) if d.severity.value == "error")
        kept = " The previous output was left untouched." if write else ""
        print(f"ssg: {count} error{'s' if count != 1 else ''}.{kept}", file=sys.stderr)
        return 1
    except OutputError as exc:
        print(f"ssg: error: {exc}", file=sys.stderr)
        return 2 if options.output is not None else 1
    except UsageError as exc:
        print(f"ssg: error: {exc}", file=sys.stderr)
        return 2
    except LockTimeout as exc:
        print(f"ssg: error: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        where = f" ({exc.filename})" if exc.filename else ""
        print(f"ssg: error: {exc.strerror or exc}{where}; the previous output was left untouched", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("ssg: interrupted; the previous output was left untouched", file=sys.stderr)
        return 130
    report(result.warnings, sys.stderr)
    if write:
        shown = _shown(result.output)
        if result.unchanged:
            print(f"Nothing changed: {shown} is up to date ({_counted(result)}) in {result.seconds:.2f} s")
        else:
            print(f"Built {_counted(result)} ({result.files} files) into {shown} in {result.seconds:.2f} s")
        if result.waiting:
            many = f"{result.waiting} stories wait" if result.waiting != 1 else "1 story waits"
            print(f"{many} for review and {'were' if result.waiting != 1 else 'was'} left out (ssg check lists them)")
        if args.verbose:
            how = "; the quick way: only what shows the edit was planned" if result.quick else ""
            print(f"  parsed {result.parsed} files, rendered {result.rendered} of {result.files} files{how}; "
                  f"encoded {result.encoded} images; indexed {result.search[0]} of {result.search[1]} search slices"
                  + (f" ({result.search[2]} by their changed pages)" if result.search[2] else ""))
            print("  " + ", ".join(f"{name} {secs:.3f} s" for name, secs in result.timings.items()))
    else:
        print(f"Checked {result.stories} stories and {result.pages} pages: no errors")
        if args.links:
            return _links(args, result, config_path)
    return 0


def _links(args, result, config_path: Path) -> int:
    from generator.content.model import Article
    from generator.store.cache import CACHE_DIR
    from generator.tools.linkcheck import LinkCache, Use, check_links

    uses = []
    for rendered in result.documents:
        doc = rendered.doc
        outlet = doc.source.name if isinstance(doc, Article) else ""
        if isinstance(doc, Article):
            at = doc.source_url_at
            uses.append(Use(doc.source.url, doc.file.rel, at.line, at.col, at.field, outlet, bool(doc.source.archived)))
        for url, line, col in rendered.external:
            uses.append(Use(url, doc.file.rel, line, col, "body", outlet, True))
    cache = LinkCache(config_path.resolve().parent / CACHE_DIR / "links.json")
    problems, summary = check_links(uses, cache, max_age=args.max_age * 3600, timeout=args.timeout)
    if summary["offline"]:
        print(f"Links: this machine looks offline (none of the hosts of {summary['urls'] - summary['cached']} "
              "URLs could be resolved); nothing was checked, and nothing was recorded as dead")  # fmt: skip
        return 1 if args.strict else 0
    report(problems, sys.stdout)
    print(f"Links: {summary['urls']} URLs, {summary['checked']} checked now, {summary['cached']} from the last "
          f"{args.max_age:g} h; {summary['dead']} dead")  # fmt: skip
    for outlet, count in sorted(summary["dead_by_outlet"].items(), key=lambda i: (-i[1], i[0])):
        print(f"  {outlet}: {count} dead source link{'s' if count != 1 else ''}")
    return 1 if args.strict and summary["dead"] else 0


def _site(config_path: Path):
    """The site configuration of the commands beside the build, or None (its problems reported)."""
    from generator.config.site import load_config

    config, problems = load_config(config_path)
    if config is None:
        report(problems, sys.stderr)
    return config


def _terms(config_path: Path, command: str) -> int:
    """``ssg tags`` and ``ssg outlets``."""
    from generator.intake.known import articles_of
    from generator.tools import outlets, tags

    if (config := _site(config_path)) is None:
        return 1
    articles, problems = articles_of(config)
    report(problems, sys.stderr)
    sys.stdout.write((tags if command == "tags" else outlets).report(config, articles))
    return 1 if any(p.severity.value == "error" for p in problems) else 0


def _import(args, config_path: Path) -> int:
    from generator.intake.command import import_command

    return import_command(args, config_path, _site)


def _archive(args, config_path: Path) -> int:
    from generator.intake.saving import archive_originals

    if (config := _site(config_path)) is None:
        return 1
    saved, failed, left = archive_originals(config, limit=args.limit, dry_run=args.dry_run, timeout=args.timeout,
                                            say=lambda line: print(line, flush=True))  # fmt: skip
    if not args.dry_run:
        print(f"{saved} saved, {failed} failed, {left} left")
    return 1 if failed else 0


def _new(args, config_path: Path) -> int:
    from generator.build import now_from_env
    from generator.tools.new import ScaffoldError, date_text, new_story

    if (config := _site(config_path)) is None:
        return 1
    try:
        date = date_text(args.date, config, now_from_env())
    except ValueError:
        print(f"ssg: error: --date {args.date!r} is not a date like 2023-07-26 or 2023-07-26T09:30", file=sys.stderr)
        return 2
    try:
        path, notes = new_story(config, args.title, args.source, args.tag, args.outlet, date, args.page, args.timeout)
    except ScaffoldError as exc:
        print(f"ssg: error: {exc}", file=sys.stderr)
        return 1
    print(path)
    for note in notes:
        print(f"  {note}", file=sys.stderr)
    if notes:
        print("  It waits for review: write the summary in your own words, then build.", file=sys.stderr)
    return 0


def _serve(args, config_path: Path) -> int:
    from generator.server.session import ServeError, Session

    options = BuildOptions(config_path=config_path, drafts=args.drafts, future=args.future, jobs=args.jobs)
    try:
        session = Session(options, args.host, args.port)
    except ServeError as exc:
        print(f"ssg: error: {exc}", file=sys.stderr)
        return 1
    def terminate(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, terminate)
    try:
        session.run(open_browser=args.open)
    except KeyboardInterrupt:
        session.close()
        print("Stopped.", file=sys.stderr)
    return 0


def _port(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a port number: {text!r}") from None
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError("must be between 0 and 65535")
    return value


def _jobs(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def _shown(path: Path | None) -> str:
    if path is None:
        return "-"
    try:
        return str(path.relative_to(Path.cwd())) + "/"
    except ValueError:
        return str(path)
