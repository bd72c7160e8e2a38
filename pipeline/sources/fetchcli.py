"""The ``perhekeskus fetch ptv`` command: progress on the terminal, a summary, a clear failure.

Input: the command-line options, ``mkdocs.yml`` (the PTV address and snapshot folder) and
``regions/`` (the municipalities of each county). Output: a new current snapshot, or exit
status 1 with the reason while the previous snapshot stays current.
"""

from __future__ import annotations

import argparse
import os
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from pipeline.content.config import load_config
from pipeline.content.load import load_areas
from pipeline.problems import Problems
from pipeline.sources.ptv import snapshot as snap
from pipeline.sources.ptv.fetch import Fetcher, Mode
from pipeline.sources.ptv.source import FetchError, V11Source


class RichSteps:
    """Adapts a rich progress display to the fetcher's ``step(description, total)``."""

    def __init__(self, progress: Progress) -> None:
        self.progress = progress

    def step(self, description: str, total: int) -> Callable[[int], None]:
        task = self.progress.add_task(description, total=total)
        return lambda advance: self.progress.advance(task, advance)


def _since(text: str | None) -> datetime | None:
    if text is None:
        return None
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def fetch_ptv(args: argparse.Namespace, out: Console, err: Console) -> int:
    problems = Problems()
    config = load_config(args.root, problems)
    areas = load_areas(args.root, config, problems, args.region) if not problems.errors else {}
    if problems.errors:
        for problem in problems.errors:
            err.print(f"[red]{problem}[/]", soft_wrap=True)
        return 1
    try:
        since = _since(args.since)
    except ValueError:
        err.print(f"[red]--since: '{args.since}' is not a time like 2026-11-19T02:00:00[/]")
        return 1
    settings = config.extra.ptv
    url = args.url or os.environ.get("PERHEKESKUS_PTV_URL") or settings.url
    source = V11Source(url, nationwide_probe=settings.nationwide_probe)
    root = args.root / settings.snapshots
    municipalities = sorted({m.code for area in areas.values() for m in area.region.municipalities})
    mode: Mode = "full" if args.full else "incremental"
    start = time.perf_counter()
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=False,
        disable=not err.is_terminal,
    ) as progress:
        fetcher = Fetcher(source, root, workers=settings.concurrency, progress=RichSteps(progress))
        try:
            result = fetcher.run(municipalities, mode, all_areas=bool(args.all), since=since)
        except (FetchError, snap.SnapshotError, OSError) as exc:
            err.print(f"[bold red]PTV fetch failed: {exc}[/]", soft_wrap=True)
            _keep_message(root, err)
            return 1
    for warning in result.warnings[:20]:
        err.print(f"[yellow]{warning}[/]", soft_wrap=True)
    if len(result.warnings) > 20:
        err.print(f"... and {len(result.warnings) - 20} more items skipped")
    out.print(
        f"PTV snapshot {result.snapshot.id} is now current ({result.mode}, {len(areas)} areas): "
        f"{result.services} services, {result.channels} channels, {result.organisations} "
        f"organisations from {result.answers - result.carried} new answers "
        f"({result.carried} kept) in {time.perf_counter() - start:.1f} s; "
        f"{len(result.warnings)} items skipped."
    )
    return 0


def _keep_message(root: Path, err: Console) -> None:
    try:
        previous = snap.current(root)
    except snap.SnapshotError:
        previous = None
    if previous is None:
        err.print("There is no earlier snapshot; the sites build without services.", soft_wrap=True)
    else:
        when = previous.fetched_at.strftime("%Y-%m-%d %H:%M UTC")
        err.print(
            f"The current snapshot {previous.id} (fetched {when}) stays in use.", soft_wrap=True
        )
