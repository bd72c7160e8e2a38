"""The ``perhekeskus fetch ptv`` command: progress on the terminal, a summary, a clear failure.

Input: the command-line options, ``mkdocs.yml`` (the PTV address, snapshot folder, limits and
sanity policy) and ``regions/`` (the municipalities of each county). Output: a new current
snapshot and exit status 0, or exit status 1 with one line per reason while the previous
snapshot stays current: the source failed (a time-out, an error status, an answer that is not
what PTV sends), the deadline passed, another fetch holds the store, or the sanity policy
refused the new snapshot (kept aside for inspection; ``--force`` promotes it).
"""

from __future__ import annotations

import argparse
import os
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from pipeline.content.config import SiteConfig, load_config
from pipeline.content.load import load_areas
from pipeline.content.models import Area
from pipeline.problems import InvalidInput, Problems
from pipeline.sources.base import FetchError
from pipeline.sources.ptv.fetch import Fetcher, Mode
from pipeline.sources.ptv.source import V11Source
from pipeline.sources.store import Refused, SnapshotError, Store, iso

WARNINGS_SHOWN = 20


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


def _config_and_areas(
    args: argparse.Namespace, err: Console
) -> tuple[SiteConfig, dict[str, Area]] | None:
    """The configuration and the counties asked for, or None with every problem said."""
    problems = Problems()
    try:
        config = load_config(args.root, problems)
        areas = load_areas(args.root, config, problems, args.region)
    except InvalidInput:
        pass
    if problems.errors:
        for problem in problems.errors:
            err.print(f"[red]{escape(str(problem))}[/]", soft_wrap=True)
        return None
    return config, areas


def fetch_ptv(args: argparse.Namespace, out: Console, err: Console) -> int:
    loaded_project = _config_and_areas(args, err)
    if loaded_project is None:
        return 1
    config, areas = loaded_project
    try:
        since = _since(args.since)
    except ValueError:
        err.print(f"[red]--since: '{escape(args.since)}' is not a time like 2026-11-19T02:00:00[/]")
        return 1
    settings = config.extra.ptv
    url = args.url or os.environ.get("PERHEKESKUS_PTV_URL") or settings.url
    source = V11Source(url, limits=settings.limits, nationwide_probe=settings.nationwide_probe)
    root = args.root / settings.snapshots
    counties = {
        f"PTV area {area.region.code} {area.region.name.fi}": [
            m.code for m in area.region.municipalities
        ]
        for area in areas.values()
    }
    municipalities = sorted({code for codes in counties.values() for code in codes})
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
        fetcher = Fetcher(
            source,
            root,
            workers=settings.concurrency,
            progress=RichSteps(progress),
            policy=settings.sanity,
            keep=settings.keep,
        )
        try:
            result = fetcher.run(
                municipalities,
                mode,
                all_areas=bool(args.all),
                since=since,
                areas=counties,
                force=bool(args.force),
            )
        except Refused as exc:
            for reason in exc.reasons:
                err.print(f"[bold red]{escape(reason)}[/]", soft_wrap=True)
            err.print(
                f"The new snapshot was not promoted; it is kept for inspection in {exc.kept}. "
                "If the drop is real, run the fetch again with --force.",
                soft_wrap=True,
                markup=False,
            )
            _keep_message(root, err)
            return 1
        except (FetchError, SnapshotError, OSError) as exc:
            err.print(f"[bold red]PTV fetch failed: {escape(str(exc))}[/]", soft_wrap=True)
            _keep_message(root, err)
            return 1
    for reason in result.forced:
        err.print(f"[yellow]promoted with --force: {escape(reason)}[/]", soft_wrap=True)
    for warning in result.warnings[:WARNINGS_SHOWN]:
        err.print(f"[yellow]{escape(warning)}[/]", soft_wrap=True)
    if len(result.warnings) > WARNINGS_SHOWN:
        err.print(f"... and {len(result.warnings) - WARNINGS_SHOWN} more warnings")
    out.print(
        f"PTV snapshot {result.snapshot.id} is now current ({result.mode}, {len(areas)} areas): "
        f"{result.services} services, {result.channels} channels, {result.organisations} "
        f"organisations from {result.answers - result.carried} new answers "
        f"({result.carried} kept) in {time.perf_counter() - start:.1f} s; "
        f"{len(result.warnings)} warnings.",
        markup=False,
    )
    return 0


def _keep_message(root: Path, err: Console, what: str = "services") -> None:
    try:
        loaded = Store(root).load(lambda snapshot: None)
    except SnapshotError as exc:
        err.print(f"No snapshot can be read ({exc}).", soft_wrap=True, markup=False)
        return
    if loaded is None:
        err.print(f"There is no earlier snapshot; the sites build without {what}.")
        return
    when = iso(loaded.snapshot.fetched_at)
    err.print(
        f"The snapshot {loaded.snapshot.id} (fetched {when}) stays in use.",
        soft_wrap=True,
        markup=False,
    )
    if loaded.fallback:
        err.print(f"Warning: {loaded.fallback}", soft_wrap=True, markup=False)


def fetch_events(args: argparse.Namespace, out: Console, err: Console) -> int:
    """``perhekeskus fetch events``: the counties' event sources into a new snapshot."""
    from datetime import date

    from pipeline.sources.events.fetch import EventsFetcher
    from pipeline.sources.events.places import load_municipalities

    loaded_project = _config_and_areas(args, err)
    if loaded_project is None:
        return 1
    config, areas = loaded_project
    try:
        today = date.fromisoformat(args.today) if args.today else date.today()
    except ValueError:
        err.print(f"[red]--today: '{escape(args.today)}' is not a date like 2026-12-01[/]")
        return 1
    settings = config.extra.events
    root = args.root / settings.snapshots
    counties = {slug: area.region.events for slug, area in sorted(areas.items())}
    lahella = settings.lahella.enabled
    if not any(c.linked_events or c.ics or (lahella and c.lahella) for c in counties.values()):
        # Not a failure: the counties show PTV activities, which need no fetch of their own.
        out.print(
            "Nothing to fetch: no county asked names an events source (events: in "
            "regions/<slug>.yml); the current events snapshot stays as it is.",
            markup=False,
            soft_wrap=True,
        )
        return 0
    start = time.perf_counter()
    fetcher = EventsFetcher(root, settings, load_municipalities(args.root))
    try:
        result = fetcher.run(
            counties,
            "full" if args.full else "incremental",
            today=today,
            all_areas=bool(args.all),
            force=bool(args.force),
        )
    except Refused as exc:
        for reason in exc.reasons:
            err.print(f"[bold red]{escape(reason)}[/]", soft_wrap=True)
        err.print(
            f"The new snapshot was not promoted; it is kept for inspection in {exc.kept}. "
            "If the drop is real, run the fetch again with --force.",
            soft_wrap=True,
            markup=False,
        )
        _keep_message(root, err, "events")
        return 1
    except (FetchError, SnapshotError, OSError) as exc:
        err.print(f"[bold red]Events fetch failed: {escape(str(exc))}[/]", soft_wrap=True)
        _keep_message(root, err, "events")
        return 1
    for reason in result.forced:
        err.print(f"[yellow]promoted with --force: {escape(reason)}[/]", soft_wrap=True)
    for warning in result.warnings[:WARNINGS_SHOWN]:
        err.print(f"[yellow]{escape(warning)}[/]", soft_wrap=True)
    if len(result.warnings) > WARNINGS_SHOWN:
        err.print(f"... and {len(result.warnings) - WARNINGS_SHOWN} more warnings")
    feeds = ", ".join(f"{name}: {count}" for name, count in sorted(result.items.items()))
    out.print(
        f"Events snapshot {result.snapshot.id} is now current ({result.mode}, {len(areas)} "
        f"areas, {sum(result.items.values())} items; {feeds or 'no feeds configured'}) from "
        f"{result.answers - result.carried} new answers ({result.carried} kept) in "
        f"{time.perf_counter() - start:.1f} s; {len(result.warnings)} warnings.",
        markup=False,
        soft_wrap=True,
    )
    return 0
