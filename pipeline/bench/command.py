"""``perhekeskus bench corpus DIR`` and ``perhekeskus bench run CORPUS``: the command line of
the benchmark. Input: the parsed arguments. Output: the corpus, or the printed table and the
JSON report; exit status 0, or 1 with one line saying what failed."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from pipeline.bench.sizes import Sizes

err = Console(stderr=True, highlight=False)
out = Console(highlight=False, width=160)


def add_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """``bench corpus`` and ``bench run`` under the main parser's commands."""
    bench = sub.add_parser("bench", help="the scale corpus and the benchmark next to Hugo")
    bsub = bench.add_subparsers(dest="tool", required=True)
    corpus = bsub.add_parser("corpus", help="write the scale corpus (a project tree) into DIR")
    corpus.add_argument("dir", type=Path, help="a new or empty folder")
    defaults = Sizes()
    corpus.add_argument(
        "--articles",
        type=int,
        default=defaults.articles,
        help="standard articles per language, committed ones included",
    )
    corpus.add_argument(
        "--plain",
        type=int,
        default=defaults.plain,
        help="plain-language versions in all, committed ones included",
    )
    corpus.add_argument(
        "--services", type=int, default=defaults.services, help="PTV services per county"
    )
    corpus.add_argument("--events", type=int, default=defaults.events,
                        help="events in each county's calendar")  # fmt: skip
    corpus.set_defaults(func=cmd_corpus)
    run = bsub.add_parser("run", help="time our build next to Hugo + Pagefind on a corpus")
    run.add_argument("corpus", type=Path)
    run.add_argument(
        "--work",
        type=Path,
        default=Path("build/bench/runs"),
        help="where the runs build (default build/bench/runs)",
    )
    run.add_argument("--report", type=Path, default=Path("build/reports/bench.json"))
    run.add_argument(
        "--naive", action="store_true", help="build every county alone, from scratch (slow)"
    )
    run.set_defaults(func=cmd_run)


def cmd_corpus(args: argparse.Namespace) -> int:
    from pipeline.bench.corpus import CorpusFailed, write_corpus

    sizes = Sizes(args.articles, args.plain, args.services, args.events)
    try:
        for line in write_corpus(args.dir.resolve(), sizes, args.root):
            out.print(escape(line))
    except CorpusFailed as exc:
        err.print(f"[bold red]{escape(str(exc))}[/]")
        return 1
    out.print(f"Corpus written to {escape(str(args.dir))}")
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    from pipeline.bench.run import BenchFailed, rows, run_bench

    work = args.work if args.work.is_absolute() else args.root / args.work
    report = args.report if args.report.is_absolute() else args.root / args.report
    try:
        result = run_bench(args.corpus.resolve(), work.resolve(), args.naive)
    except BenchFailed as exc:
        err.print(f"[bold red]{escape(str(exc))}[/]", soft_wrap=True)
        return 1
    report.parent.mkdir(parents=True, exist_ok=True)
    report.write_text(json.dumps(result, indent=2, ensure_ascii=False), encoding="utf-8")
    table = Table(title="Benchmark", show_header=True, header_style="bold")
    for column in ("what", "measured", "ratio or verdict"):
        table.add_column(column)
    for row in rows(result):
        table.add_row(*map(escape, row))
    out.print(table)
    out.print(f"Written: {escape(str(report))}")
    return 0
