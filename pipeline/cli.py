"""The ``perhekeskus`` command: ``build``, ``check``, ``nightly``, ``serve`` and the tools.

Problems in the input are printed as ``path:line: message`` and end the command with exit
status 1, never with a traceback.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from pipeline import __version__
from pipeline.bench.command import add_commands
from pipeline.deploy import PublishError
from pipeline.problems import InvalidInput, Problem, Problems

if TYPE_CHECKING:
    from pipeline.build import BuildReport

# The stages are imported by the commands that run them: a gate process the build starts
# imports this module again (multiprocessing's spawn), and needs none of them.

err = Console(stderr=True, highlight=False)
out = Console(highlight=False)


def _print_problems(problems: list[Problem], limit_per_message: int = 5) -> None:
    """Print problems; after five of the same kind, one summary line (Pelican's LimitFilter).

    Values from PTV that were shown as text or left out are counted, not listed: the county
    reports list them for the people who can fix them in PTV.
    """
    ptv_values = [p for p in problems if p.path.startswith("PTV ") and "skipped" not in p.message]
    seen: dict[str, int] = {}
    for problem in problems:
        if problem in ptv_values:
            continue
        kind = problem.message.split("'")[0]
        seen[kind] = seen.get(kind, 0) + 1
        if seen[kind] <= limit_per_message:
            style = "red" if problem.severity == "error" else "yellow"
            # Escaped: a message may quote PTV text, which must not be read as rich markup.
            err.print(f"[{style}]{escape(str(problem))}[/]", soft_wrap=True)
    for kind, count in seen.items():
        if count > limit_per_message:
            err.print(
                f"... and {count - limit_per_message} more like '{kind.strip()}'", markup=False
            )
    if ptv_values:
        err.print(
            f"{len(ptv_values)} PTV values were shown as text or left out; the county reports "
            "list them with the service to fix: build/reports/<county>/ptv.html",
            markup=False,
            soft_wrap=True,
        )


def _summary(report: BuildReport, elapsed: float) -> None:
    table = Table(title="Stages", show_header=True, header_style="bold")
    table.add_column("stage")
    table.add_column("seconds", justify="right")
    for stage, seconds in report.timings.items():
        table.add_row(stage, f"{seconds:.2f}")
    out.print(table)
    out.print(
        f"Built {len(report.sites)} sites, {report.pages} pages "
        f"({report.national_pages} national pages rendered once) in {elapsed:.1f} s; "
        f"{len(report.warnings)} warnings."
    )
    if report.rechecked:
        carried, checked = sum(report.carried.values()), sum(report.rechecked.values())
        out.print(
            f"Build cache (.cache/build): {carried} pages carried over unchanged from the live "
            f"sites, {checked} pages checked anew; PERHEKESKUS_CACHE=off makes everything anew."
        )
    _accessibility_summary(report)


def _accessibility_summary(report: BuildReport) -> None:
    """Each site's accessibility evidence in one line, as its statement and report state it;
    the reasons a site did not pass are in build/reports/<site>/accessibility.html."""
    from pipeline.quality.evidence import summary_line

    for slug in report.sites:
        evidence = report.evidence[slug]
        style = {"passed": "green", "failed": "red"}.get(evidence.verdict, "yellow")
        out.print(f"[{style}]{escape(summary_line(evidence))}[/]", soft_wrap=True)


def _build_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date like 2026-12-01") from None


def cmd_build(args: argparse.Namespace) -> int:
    from pipeline.build import build

    start = time.perf_counter()
    try:
        report = build(
            args.root,
            args.out,
            areas=args.region or None,
            national=not args.region or args.national,
            base_url=args.base_url,
            progress=sys.stderr.isatty(),
            gate="report" if getattr(args, "report_only", False) else "fail",
            search=not getattr(args, "no_search", False),
            today=getattr(args, "today", None),
        )
    except InvalidInput as exc:
        _print_problems(exc.problems)
        err.print(f"[bold red]{escape(str(exc))}[/]")
        return 1
    except PublishError as exc:
        err.print(
            f"[bold red]{escape(str(exc))}; the published sites stay as they were[/]",
            soft_wrap=True,
        )
        return 1
    _print_problems(report.warnings)
    _summary(report, time.perf_counter() - start)
    return 0


def _load(args: argparse.Namespace) -> Any:
    from pipeline.content.load import load_project

    """The project, or None after printing why it cannot be loaded."""
    try:
        return load_project(args.root)
    except InvalidInput as exc:
        _print_problems(exc.problems)
        err.print(f"[bold red]{escape(str(exc).replace('; nothing was built', ''))}[/]")
        return None


def cmd_check(args: argparse.Namespace) -> int:
    project = _load(args)
    if project is None:
        return 1
    _print_problems(project.warnings)
    versions = sum(len(g.versions) for g in project.articles.values())
    out.print(
        f"OK: {len(project.articles)} articles ({versions} language versions), "
        f"{len(project.areas)} areas, {len(project.warnings)} warnings."
    )
    return 0


def cmd_deploy(args: argparse.Namespace) -> int:
    from pipeline.deploy.command import deploy

    if args.to is None and not args.rollback:
        err.print("[bold red]Say where to deploy (--to DEST) or ask for --rollback.[/]")
        return 1
    try:
        restored, results = deploy(args.out, args.to, args.region or (), args.rollback)
    except PublishError as exc:
        err.print(f"[bold red]{escape(str(exc))}[/]", soft_wrap=True)
        return 1
    if restored is not None:
        out.print(
            f"Rolled back: {escape(str(args.out))} now serves release {restored}.", soft_wrap=True
        )
    for r in results:
        out.print(
            f"{r.site}: {r.uploaded} uploaded, {r.deleted} deleted, {r.unchanged} unchanged "
            f"-> {escape(r.where)}",
            soft_wrap=True,
        )
    return 0


def cmd_nightly(args: argparse.Namespace) -> int:
    from pipeline.nightly import Options, print_summary, run, show_step

    if not (args.region or args.all or args.national):
        err.print("[bold red]Say which sites: --region SLUG (repeatable), --national or --all.[/]")
        return 2
    options = Options(
        root=args.root,
        out=args.out,
        regions=tuple(args.region or ()),
        all_sites=bool(args.all),
        national=bool(args.national),
        deploy_to=args.deploy_to,
        full=bool(args.full),
        search=not args.no_search,
        log=args.log,
    )
    result = run(options, show_step(err))
    print_summary(result, out)
    return result.exit_status


def cmd_serve(args: argparse.Namespace) -> int:
    from pipeline.preview import serve_preview

    slug = (args.region or ["national"])[0]
    return serve_preview(
        args.root, args.out, slug, args.lang, args.host, args.port,
        lambda text: err.print(text, soft_wrap=True, markup=False),
    )  # fmt: skip


def cmd_lint(args: argparse.Namespace) -> int:
    import os

    from pipeline.content.lint import lint, summary
    from pipeline.site.render import render_problems

    messages = lint(args.root, render_problems)
    github = args.format == "github" or (
        args.format == "auto" and os.environ.get("GITHUB_ACTIONS") == "true"
    )
    for message in messages:
        if github:
            print(message.github())
        else:
            style = "red" if message.severity == "error" else "yellow"
            err.print(f"[{style}]{escape(str(message))}[/]", soft_wrap=True, highlight=False)
    errors, warnings = summary(messages)
    out.print(f"{errors} errors, {warnings} warnings in the content.")
    return 1 if errors else 0


def cmd_translations(args: argparse.Namespace) -> int:
    from pipeline.content.translations import project_status, short, stamp, write_report

    project = _load(args)
    if project is None:
        return 1
    if args.mark_current:
        by_path = {
            article.doc.path: (group, article)
            for group in project.articles.values()
            for article in group.versions.values()
        }
        for file in args.mark_current:
            rel = Path(file).resolve().relative_to(args.root).as_posix()
            if rel not in by_path or by_path[rel][1] is by_path[rel][0].source:
                err.print(
                    f"[red]{escape(str(file))}: not a translation or plain-language version[/]"
                )
                return 1
            group, _ = by_path[rel]
            stamp(args.root / rel, group.source.doc.revision)
            out.print(
                f"{rel}: made from revision {group.source.doc.revision} of {group.source.doc.path}"
            )
        return 0
    try:
        statuses = project_status(project)
    except InvalidInput as exc:
        _print_problems(exc.problems)
        return 1
    table = Table(title="Translations", show_header=True, header_style="bold")
    table.add_column("article")
    for version in statuses[0].versions if statuses else ():
        table.add_column(version.label)
    marks = {"current": "ok", "stale": "[red]STALE[/]", "unknown": "?", "missing": "[dim]—[/]"}
    for status in statuses:
        table.add_row(
            status.id,
            *("[red]MISSING[/]" if v.required and v.state == "missing" else marks[v.state]
              for v in status.versions),
        )  # fmt: skip
    out.print(table)
    stale = [(s, v) for s in statuses for v in s.stale]
    for status, version in stale:
        out.print(
            f"stale: {version.path} was made from {short(version.recorded)}; "
            f"{status.path} is now {short(status.revision)}"
        )
    required = [(s, v) for s in statuses for v in s.required_missing]
    for status, version in required:
        out.print(
            f"missing: the {version.label} version of {status.path} (content/plain-policy.yml)"
        )
    report = write_report(statuses, args.out, args.root / project.config.theme.custom_dir)
    out.print(
        f"{len(statuses)} articles, {len(stale)} stale versions, {len(required)} required "
        f"plain-language versions missing. Report: {report}"
    )
    return 1 if args.strict and required else 0


def cmd_new(args: argparse.Namespace) -> int:
    from pipeline.content.scaffold import ScaffoldError, new_article, new_translation

    project = _load(args)
    if project is None:
        return 1
    try:
        if args.kind == "article":
            path = new_article(project, args.title, args.theme, args.life_stage, args.audience)
        else:
            path = new_translation(project, args.id, args.lang, args.plain, args.name)
    except ScaffoldError as exc:
        err.print(f"[red]{escape(str(exc))}[/]", soft_wrap=True)
        return 1
    out.print(f"Created {path.relative_to(args.root)}")
    return 0


def cmd_fetch_ptv(args: argparse.Namespace) -> int:
    from pipeline.fetchcli import fetch_ptv

    return fetch_ptv(args, out, err)


def _print_inspection(file: Path, lines: Sequence[object], problems: Problems, empty: str) -> int:
    """One JSON line per item read, then the problems; status 1 when an item was lost."""
    import json

    for line in lines:
        print(json.dumps(line, ensure_ascii=False))
    skipped = [p for p in problems if "skipped" in p.message]
    for problem in problems:
        style = "red" if problem in skipped else "yellow"
        err.print(f"[{style}]{escape(str(problem))}[/]", soft_wrap=True)
    if not lines and not problems:
        err.print(f"{file}: no items (an empty {empty})")
    # A value shown as text or left out is the pipeline doing its job; a lost item is not.
    return 1 if skipped else 0


def cmd_ptv_inspect(args: argparse.Namespace) -> int:

    from pipeline.sources.ptv.inspect import InspectError, inspect_file

    try:
        inspection = inspect_file(args.file)
    except InspectError as exc:
        err.print(f"[red]{escape(f'{args.file}: {exc}')}[/]", soft_wrap=True)
        return 1
    return _print_inspection(args.file, inspection.lines, inspection.problems, "page")


def cmd_fetch_events(args: argparse.Namespace) -> int:
    from pipeline.fetchcli import fetch_events

    return fetch_events(args, out, err)


def cmd_events_inspect(args: argparse.Namespace) -> int:
    from datetime import date

    from pipeline.sources.events.inspect import InspectError, inspect_file

    try:
        today = date.fromisoformat(args.today) if args.today else date.today()
    except ValueError:
        err.print(f"[red]--today: '{escape(args.today)}' is not a date like 2026-12-01[/]")
        return 1
    try:
        inspection = inspect_file(args.file, args.root, today)
    except InspectError as exc:
        err.print(f"[red]{escape(f'{args.file}: {exc}')}[/]", soft_wrap=True)
        return 1
    return _print_inspection(
        args.file, inspection.lines, inspection.problems, f"{inspection.kind} answer"
    )


def cmd_audit(args: argparse.Namespace) -> int:
    from pipeline.build import build
    from pipeline.quality.browser_audit import AuditError, run_audit

    regions = args.region or ["kainuu", "ita-uusimaa"]
    try:
        return run_audit(
            lambda: build(args.root, args.out, areas=regions, national=False).evidence,
            args.out,
            regions,
            args.tools,
            lambda text: err.print(text, soft_wrap=True),
        )
    except AuditError as exc:
        err.print(f"[bold red]{escape(str(exc))}[/]", soft_wrap=True)
        return 1
    except InvalidInput as exc:
        _print_problems(exc.problems)
        err.print(f"[bold red]{escape(str(exc))}[/]")
        return 1


def cmd_lighthouse(args: argparse.Namespace) -> int:
    from pipeline.deploy.local_nginx import NginxFailed
    from pipeline.quality.browser_audit import AuditError, chromium_path
    from pipeline.quality.lighthouse import CATEGORIES, LighthouseFailed, audit_site

    try:
        pages = audit_site(args.root, args.region, args.out, args.tools, chromium_path(), args.lang)
    except InvalidInput as exc:
        _print_problems(exc.problems)
        err.print(f"[bold red]{escape(str(exc))}[/]")
        return 1
    except (LighthouseFailed, NginxFailed, AuditError) as error:
        err.print(f"lighthouse: {error}", markup=False, soft_wrap=True)
        return 1
    table = Table(title=f"Lighthouse, mobile: {args.region} ({args.lang})")
    table.add_column("page")
    for name in CATEGORIES:
        table.add_column(name, justify="right")
    for page in pages:
        cells = [f"{v}" if v == 100 else f"[yellow]{v}[/]" for v in page.scores.values()]
        table.add_row(escape(page.kind), *cells)
    out.print(table)
    for page in pages:
        for category, lost in page.lost.items():
            for audit in lost:
                out.print(
                    f"{page.kind}: {category}: {audit.title} ({audit.id}, score {audit.score:.2f})",
                    markup=False,
                    soft_wrap=True,
                )
    below = [p.scores[c] for p in pages for c in CATEGORIES if p.scores[c] < args.min_score]
    out.print(f"report: {args.out / 'reports' / args.region / 'lighthouse.json'}", markup=False)
    return 1 if below else 0


def cmd_search_quality(args: argparse.Namespace) -> int:
    from pipeline.build import build
    from pipeline.quality.search_quality import SITES, report, run

    if not args.no_build:
        build(args.root, args.out, areas=sorted(set(SITES.values())), national=False)
    results, sizes = run(args.root, args.out, args.root / "search" / "queries.yml")
    report(results, sizes, lambda text: out.print(text, soft_wrap=True, markup=False))
    return 0


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(
        prog="perhekeskus", description="Build the family centre sites (one per county)."
    )
    main.add_argument("--version", action="version", version=f"perhekeskus {__version__}")
    main.add_argument(
        "--root", type=Path, default=Path.cwd(), help="project folder (default: here)"
    )
    sub = main.add_subparsers(dest="command", required=True)

    b = sub.add_parser("build", help="build every site into build/")
    b.add_argument("--out", type=Path, default=Path("build"), help="output folder")
    b.add_argument(
        "--region", action="append", metavar="SLUG", help="build only this area (repeatable)"
    )
    b.add_argument(
        "--national", action="store_true", help="with --region: build the national site too"
    )
    b.add_argument("--base-url", help="publish address, {slug} replaced by the site (previews)")
    b.add_argument("--no-search", action="store_true", help="skip the search index (quicker)")
    b.add_argument(
        "--today",
        type=_build_date,
        metavar="YYYY-MM-DD",
        help="the build date (default: today in Finland); activities and events before it are gone",
    )
    b.add_argument(
        "--report-only",
        action="store_true",
        help="list accessibility gate failures as warnings instead of stopping the build",
    )
    b.set_defaults(func=cmd_build)

    c = sub.add_parser("check", help="validate content, regions and configuration")
    c.set_defaults(func=cmd_check)

    f = sub.add_parser("fetch", help="fetch data into a new snapshot (nightly)")
    fsub = f.add_subparsers(dest="source", required=True)
    fp = fsub.add_parser("ptv", help="services from the Service Information Repository (PTV)")
    which = fp.add_mutually_exclusive_group(required=True)
    which.add_argument("--region", action="append", metavar="SLUG", help="only this area")
    which.add_argument("--all", action="store_true", help="every area")
    how = fp.add_mutually_exclusive_group()
    how.add_argument("--full", action="store_true", help="fetch everything again (weekly)")
    how.add_argument(
        "--since", metavar="TIME", help="changes since this UTC time (2026-11-19T02:00:00)"
    )
    fp.add_argument("--url", help="PTV v11 address (default: PERHEKESKUS_PTV_URL or mkdocs.yml)")
    fp.add_argument(
        "--force",
        action="store_true",
        help="promote the new snapshot even if the sanity policy refuses it (after a look)",
    )
    fp.set_defaults(func=cmd_fetch_ptv)
    fe = fsub.add_parser("events", help="activities and events (Linked Events, ICS, Lähellä.fi)")
    which_e = fe.add_mutually_exclusive_group(required=True)
    which_e.add_argument("--region", action="append", metavar="SLUG", help="only this area")
    which_e.add_argument("--all", action="store_true", help="every area")
    fe.add_argument(
        "--full", action="store_true", help="ask Linked Events for everything again (weekly)"
    )
    fe.add_argument("--today", metavar="DATE", help="the first day asked for (default: today)")
    fe.add_argument(
        "--force",
        action="store_true",
        help="promote the new snapshot even if the sanity policy refuses it (after a look)",
    )
    fe.set_defaults(func=cmd_fetch_events)

    li = sub.add_parser("lint", help="check every Markdown file; path:line:col: message")
    li.add_argument("--format", choices=["auto", "text", "github"], default="auto")
    li.set_defaults(func=cmd_lint)

    t = sub.add_parser("translations", help="which translations are missing or out of date")
    t.add_argument(
        "--strict",
        action="store_true",
        help="exit 1 while a plain-language version content/plain-policy.yml requires is missing",
    )
    t.add_argument("--out", type=Path, default=Path("build"))
    t.add_argument(
        "--mark-current", nargs="+", metavar="FILE",
        help="record that these translations match their Finnish source as it is now",
    )  # fmt: skip
    t.set_defaults(func=cmd_translations)

    n = sub.add_parser("new", help="start an article or a translation")
    nsub = n.add_subparsers(dest="kind", required=True)
    na = nsub.add_parser("article", help="a new Finnish article")
    na.add_argument("--title", required=True)
    na.add_argument(
        "--theme",
        required=True,
        help="a theme id of themes.yml in the articles' folder (docs_dir of mkdocs.yml)",
    )
    na.add_argument("--life-stage", action="append", help="life stage id (repeatable)")
    na.add_argument("--audience", action="append", help="audience id (repeatable)")
    na.set_defaults(func=cmd_new)
    nt = nsub.add_parser("translation", help="a translation or plain-language version")
    nt.add_argument("id", help="the article id")
    nt.add_argument("--lang", required=True, choices=["fi", "sv", "en"])
    nt.add_argument("--plain", action="store_true", help="the plain-language version")
    nt.add_argument("--name", help="file name (default: the Finnish one)")
    nt.set_defaults(func=cmd_new)

    sq = sub.add_parser("search-quality", help="run the query set in Chromium; hit@1, hit@3")
    sq.add_argument("--out", type=Path, default=Path("build"))
    sq.add_argument("--no-build", action="store_true", help="use the sites already in --out")
    sq.set_defaults(func=cmd_search_quality)

    lh = sub.add_parser(
        "lighthouse",
        help="Lighthouse (mobile) on a home page, an article, a service page and the calendar",
    )
    lh.add_argument("--region", default="kainuu", metavar="SLUG")
    lh.add_argument("--lang", default="fi", choices=("fi", "sv", "en"))
    lh.add_argument("--out", type=Path, default=Path("build"))
    lh.add_argument("--tools", type=Path, default=Path(".cache/lighthouse"))
    lh.add_argument(
        "--min-score",
        type=int,
        default=0,
        help="exit 1 when a score is under this (default 0: report only; the goal is 100)",
    )
    lh.set_defaults(func=cmd_lighthouse)

    a = sub.add_parser(
        "audit", help="browser audit: axe-core, QualWeb, keyboard, reflow and Nu Html Checker"
    )
    a.add_argument(
        "--region", action="append", metavar="SLUG", help="county (default: kainuu, ita-uusimaa)"
    )
    a.add_argument("--out", type=Path, default=Path("build"))
    a.add_argument(
        "--tools",
        type=Path,
        default=Path(".cache/a11y"),
        help="npm prefix with axe-core and vnu-jar",
    )
    a.set_defaults(func=cmd_audit)

    p = sub.add_parser("ptv", help="tools for PTV data")
    psub = p.add_subparsers(dest="tool", required=True)
    pi = psub.add_parser("inspect", help="show what the pipeline reads from a raw v11 answer")
    pi.add_argument("file", type=Path, help="a JSON file saved from the PTV API")
    pi.set_defaults(func=cmd_ptv_inspect)

    ev = sub.add_parser("events", help="tools for activity and event data")
    evsub = ev.add_subparsers(dest="tool", required=True)
    ei = evsub.add_parser(
        "inspect", help="show what the pipeline reads from a raw answer, one JSON line per item"
    )
    ei.add_argument(
        "file", type=Path, help="a Linked Events page or event, an .ics file or a Lähellä.fi item"
    )
    ei.add_argument("--today", metavar="DATE", help="dates are read a year around it")
    ei.set_defaults(func=cmd_events_inspect)

    d = sub.add_parser(
        "deploy", help="upload what changed in the built sites to a folder or S3, or roll back"
    )
    d.add_argument("--out", type=Path, default=Path("build"), help="output folder of the build")
    d.add_argument("--to", metavar="DEST", help="a folder, or s3://bucket/prefix")
    d.add_argument(
        "--region", action="append", metavar="SLUG", help="deploy only this site (repeatable)"
    )
    d.add_argument(
        "--rollback",
        action="store_true",
        help="first make the previous release live again (with --to: deploy it too)",
    )
    d.set_defaults(func=cmd_deploy)

    ni = sub.add_parser(
        "nightly",
        help="fetch every source, build, report the changes, publish and deploy; exit 0 "
        "published, 1 published with warnings, 2 nothing published",
    )
    which_n = ni.add_mutually_exclusive_group()
    which_n.add_argument("--region", action="append", metavar="SLUG", help="this county")
    which_n.add_argument("--all", action="store_true", help="every county and the national site")
    ni.add_argument(
        "--national", action="store_true", help="the national site (with --region: too)"
    )
    ni.add_argument("--out", type=Path, default=Path("build"), help="output folder")
    ni.add_argument(
        "--deploy-to", metavar="DEST", help="then deploy: a folder or s3://bucket/prefix"
    )
    ni.add_argument("--full", action="store_true", help="fetch everything again whatever the day")
    ni.add_argument("--no-search", action="store_true", help="skip the search index (trial runs)")
    ni.add_argument("--log", type=Path, help="run log (default: extra.nightly.log under --out)")
    ni.set_defaults(func=cmd_nightly)

    s = sub.add_parser("serve", help="preview one site, rebuilt and reloaded on every save")
    # Its own folder: build/<slug> links into the published release, which a preview must not edit.
    s.add_argument("--out", type=Path, default=Path("build/preview"))
    s.add_argument("--region", action="append", metavar="SLUG", help="county (default: national)")
    s.add_argument("--lang", default="fi", choices=["fi", "sv", "en"])
    s.add_argument("--host", default="127.0.0.1")
    s.add_argument("--port", type=int, default=8000)
    s.set_defaults(func=cmd_serve)
    add_commands(sub)  # bench corpus, bench run
    return main


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    args.root = args.root.resolve()
    if getattr(args, "out", None) is not None and not args.out.is_absolute():
        args.out = args.root / args.out
    if getattr(args, "log", None) is not None and not args.log.is_absolute():
        args.log = args.root / args.log
    if getattr(args, "tools", None) is not None and not args.tools.is_absolute():
        args.tools = args.root / args.tools
    return int(args.func(args))
