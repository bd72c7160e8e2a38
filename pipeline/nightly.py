"""The county's nightly job, ``perhekeskus nightly``: fetch, build, report, publish, deploy.

Input: the project (``mkdocs.yml`` with ``extra.nightly``, ``regions/``, the snapshot stores),
the sites to make (``--region SLUG``... or ``--all``), the output folder and, optionally, where
to deploy. Output: new snapshots when the sources answer; the sites built, checked, indexed and
published together (:func:`pipeline.build.build`); each county's change report
(:mod:`pipeline.quality.changes`); the sites deployed (:mod:`pipeline.deploy.command`); a run
log of one JSON line per step (``<out>/reports/nightly.jsonl`` by default: time, step, status,
message); and one exit status a scheduler understands:

* 0: published, nothing to look at;
* 1: published with warnings: a source was down or its new snapshot refused, so the last good
  snapshot was used; data older than ``extra.nightly.max_age_days``; a change report that could
  not be compared;
* 2: nothing published: the previous sites stay live (the project does not load, the build or
  its accessibility gate fails, another build holds the output folder, the deploy fails).

Every source is fetched whole on ``extra.nightly.full_refresh`` (a weekday in Finnish time) and
incrementally on other nights. Each fetch runs as ``perhekeskus fetch`` does (the same code, the
same environment overrides); what it prints goes into the log, not the terminal.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from pipeline.build import BuildReport, build
from pipeline.content.config import NightlySettings, SiteConfig, load_config
from pipeline.content.load import load_areas
from pipeline.deploy import PublishError
from pipeline.problems import InvalidInput, Problem, Problems
from pipeline.quality import changes
from pipeline.sources.store import SnapshotError, Store

Status = Literal["ok", "warning", "error", "skipped"]
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
FINLAND = ZoneInfo("Europe/Helsinki")
PROBLEMS_LOGGED = 20
"""Problems of a failed build written into the log line (the count says how many more)."""


@dataclass(frozen=True)
class Options:
    """What one nightly run is asked to do."""

    root: Path
    out: Path
    regions: tuple[str, ...] = ()
    """The counties (``all_sites``: every county)."""
    all_sites: bool = False
    """Every county and the national site."""
    national: bool = False
    """The national site too (alone when no county is named)."""
    deploy_to: str | None = None
    full: bool = False
    """Fetch everything again whatever the weekday."""
    search: bool = True
    log: Path | None = None
    """The run log (default: ``extra.nightly.log`` under the output folder)."""


@dataclass(frozen=True)
class Step:
    """One line of the run log."""

    time: str
    step: str
    status: Status
    message: str
    seconds: float = 0.0
    data: Mapping[str, Any] = field(default_factory=dict)

    def line(self, run: str) -> str:
        record: dict[str, Any] = {
            "time": self.time,
            "run": run,
            "step": self.step,
            "status": self.status,
        }
        record |= {"message": self.message, "seconds": round(self.seconds, 2)}
        if self.data:
            record["data"] = dict(self.data)
        return json.dumps(record, ensure_ascii=False)


@dataclass
class Result:
    """What the run did, for the summary and the exit status."""

    run: str
    steps: list[Step] = field(default_factory=list)
    published: bool = False
    sites: dict[str, int] = field(default_factory=dict)
    """Pages per site published."""
    pages_changed: dict[str, int] = field(default_factory=dict)
    """Pages added, removed or changed per site since the site that was live before."""
    ages: dict[str, float | None] = field(default_factory=dict)
    """Age in hours of each source's data the sites were built from (None: no snapshot)."""
    reports: dict[str, Path] = field(default_factory=dict)
    """Each county's change report."""
    log: Path | None = None
    elapsed: float = 0.0

    @property
    def warnings(self) -> list[Step]:
        return [s for s in self.steps if s.status in ("warning", "error") and s.step != "end"]

    @property
    def exit_status(self) -> int:
        if not self.published:
            return 2
        return 1 if self.warnings else 0


class RunLog:
    """Appends each step to the JSON-lines log as it ends, and tells ``show``."""

    def __init__(self, path: Path, result: Result, show: Callable[[Step], None]) -> None:
        self.path = path
        self.result = result
        self.show = show
        path.parent.mkdir(parents=True, exist_ok=True)

    def add(
        self,
        step: str,
        status: Status,
        message: str,
        seconds: float = 0.0,
        data: Mapping[str, Any] | None = None,
    ) -> Step:
        entry = Step(
            _now().isoformat(timespec="seconds"), step, status, message, seconds, data or {}
        )
        self.result.steps.append(entry)
        with self.path.open("a", encoding="utf-8") as handle:
            handle.write(entry.line(self.result.run) + "\n")
        self.show(entry)
        return entry


def _now() -> datetime:
    return datetime.now(UTC)


@contextmanager
def _clock() -> Iterator[Callable[[], float]]:
    start = time.perf_counter()
    yield lambda: time.perf_counter() - start


# --- deciding -----------------------------------------------------------------------------


def fetch_mode(moment: datetime, settings: NightlySettings, full: bool = False) -> str:
    """``full`` on the configured weekday in Finnish time (or when asked), else
    ``incremental`` (pure)."""
    weekday = WEEKDAYS[moment.astimezone(FINLAND).weekday()]
    return "full" if full or weekday == settings.full_refresh else "incremental"


def age_problem(source: str, age_hours: float | None, max_days: float) -> str | None:
    """Why the data of ``source`` is too old to publish without a warning, or None (pure)."""
    if age_hours is None:
        return f"{source}: there is no snapshot; the sites are built without its data"
    if age_hours > max_days * 24:
        return (
            f"{source}: the data is {age_hours / 24:.1f} days old (fetched more than "
            f"{max_days:g} days ago); the fetch has failed for days"
        )
    return None


# --- the steps ----------------------------------------------------------------------------


def run(options: Options, show: Callable[[Step], None] = lambda step: None) -> Result:
    """Run the nightly job once; the result holds every step and the exit status."""
    started = _now()
    result = Result(run=started.strftime("%Y%m%dT%H%M%SZ"))
    problems = Problems()
    try:
        config = load_config(options.root, problems)
    except InvalidInput:
        config = None
    log_path = _log_path(options, config.extra.nightly if config else NightlySettings())
    result.log = log_path
    log = RunLog(log_path, result, show)
    with _clock() as elapsed:
        if config is None:
            log.add("config", "error", _problems_text(problems), data={"published": False})
        else:
            _run(options, config, started, log, result)
        result.elapsed = elapsed()
    log.add(
        "end",
        "ok" if result.exit_status == 0 else "warning" if result.exit_status == 1 else "error",
        _ending(result),
        result.elapsed,
        {"exit_status": result.exit_status, "sites": result.sites},
    )
    return result


def _log_path(options: Options, settings: NightlySettings) -> Path:
    if options.log is not None:
        return options.log
    path = Path(settings.log)
    return path if path.is_absolute() else options.out / path


def _problems_text(problems: Iterable[Problem]) -> str:
    lines = [str(p) for p in problems if p.severity == "error"]
    more = len(lines) - PROBLEMS_LOGGED
    return "\n".join(lines[:PROBLEMS_LOGGED] + ([f"... and {more} more"] if more > 0 else []))


def _run(
    options: Options, config: SiteConfig, started: datetime, log: RunLog, result: Result
) -> None:
    settings = config.extra.nightly
    problems = Problems()
    try:
        areas = load_areas(options.root, config, problems, _wanted(options))
    except InvalidInput:
        areas = None
    if areas is None or problems.errors:
        log.add("config", "error", _problems_text(problems))
        return
    national = " and the national site" if options.all_sites or options.national else ""
    log.add("config", "ok", f"{len(areas)} counties{national}: {', '.join(sorted(areas))}")
    mode = fetch_mode(started, settings, options.full)
    _fetch(options, "ptv", _mode_over(options.root / config.extra.ptv.snapshots, mode), log)
    sources = [c for a in areas.values() if (c := a.region.events)]
    lahella = config.extra.events.lahella.enabled
    events_enabled = any(c.linked_events or c.ics or (lahella and c.lahella) for c in sources)
    if events_enabled:
        events_store = options.root / config.extra.events.snapshots
        _fetch(options, "events", _mode_over(events_store, mode), log)
    else:
        log.add("fetch events", "skipped", "no county of this run names an events source")
    _ages(options, config, events_enabled, log, result, _now())
    before = _live_manifests(options.out)
    report = _build(options, log)
    if report is None:
        return
    result.sites = dict(report.sites)
    after = _live_manifests(options.out)
    result.pages_changed = {
        slug: _manifest_pages_changed(before.get(slug), after.get(slug)) for slug in report.sites
    }
    states = _changes(options, config, report, started, after, log, result)
    if options.deploy_to is not None and not _deploy(options, list(report.sites), log):
        return
    result.published = True
    _save_states(options, states, log)


def _mode_over(store: Path, mode: str) -> str:
    """``full`` when the current snapshot holds sample data (the committed one): changes
    fetched on top of it would mix real answers with made-up ones."""
    try:
        current = Store(store).current()
    except SnapshotError:
        return mode  # the fetch says why, and falls back as it does
    if current is not None and any(current.is_sample(e) for e in current.entries):
        return "full"
    return mode


def _wanted(options: Options) -> list[str] | None:
    """The counties of the run: None for every one."""
    return None if options.all_sites else list(options.regions)


def _fetch(options: Options, source: Literal["ptv", "events"], mode: str, log: RunLog) -> None:
    """Fetch one source as ``perhekeskus fetch <source>`` does; its output goes to the log."""
    from pipeline import fetchcli

    args = argparse.Namespace(
        root=options.root,
        region=list(options.regions) or None,
        # The national site alone shows services from every county: it fetches them all.
        all=options.all_sites or not options.regions,
        full=mode == "full",
        since=None,
        url=None,
        force=False,
        today=None,
    )
    out, err = _capture(), _capture()
    with _clock() as elapsed:
        fetch = fetchcli.fetch_ptv if source == "ptv" else fetchcli.fetch_events
        code = fetch(args, out, err)
    text = "\n".join(t for t in (_text(out), _text(err)) if t)
    if code == 0:
        log.add(f"fetch {source}", "ok", f"{mode}: {text}", elapsed(), {"mode": mode})
    else:
        log.add(
            f"fetch {source}",
            "warning",
            f"{mode} fetch failed; the last good snapshot is used. {text}",
            elapsed(),
            {"mode": mode},
        )


def _capture() -> Console:
    return Console(file=io.StringIO(), width=400, highlight=False, color_system=None)


def _text(console: Console) -> str:
    file = console.file
    assert isinstance(file, io.StringIO)
    return file.getvalue().strip()


def _ages(
    options: Options,
    config: SiteConfig,
    events_enabled: bool,
    log: RunLog,
    result: Result,
    now: datetime,
) -> None:
    """The age of each enabled source's current snapshot; too old or missing is a warning."""
    stores = {"ptv": config.extra.ptv.snapshots}
    if events_enabled:
        stores["events"] = config.extra.events.snapshots
    max_days = config.extra.nightly.max_age_days
    for source, folder in stores.items():
        try:
            loaded = Store(options.root / folder).load(lambda snapshot: None)
        except SnapshotError as exc:
            result.ages[source] = None
            log.add(f"data age {source}", "warning", f"{source}: no snapshot can be read ({exc})")
            continue
        age = None if loaded is None else (now - loaded.snapshot.fetched_at).total_seconds() / 3600
        result.ages[source] = age
        problem = age_problem(source, age, max_days)
        if loaded is not None and loaded.fallback:
            problem = "; ".join(p for p in (problem, loaded.fallback) if p)
        ident = loaded.snapshot.id if loaded else None
        data = {"snapshot": ident, "age_hours": round(age, 1) if age is not None else None}
        if problem:
            log.add(f"data age {source}", "warning", problem, data=data)
        else:
            assert age is not None
            log.add(f"data age {source}", "ok", f"snapshot {ident}, {age:.1f} h old", data=data)


def _build(options: Options, log: RunLog) -> BuildReport | None:
    """Build, check, index and publish the sites; None (logged) when nothing was published."""
    with _clock() as elapsed:
        try:
            report = build(
                options.root,
                options.out,
                areas=_wanted(options),
                national=options.all_sites or options.national,
                progress=False,
                gate="fail",
                search=options.search,
            )
        except InvalidInput as exc:
            text = _problems_text(exc.problems)
            log.add(
                "build",
                "error",
                f"{exc}; the published sites stay as they were\n{text}",
                elapsed(),
                {"errors": sum(1 for p in exc.problems if p.severity == "error")},
            )
            return None
        except (PublishError, SnapshotError, OSError) as exc:
            log.add("build", "error", f"{exc}; the published sites stay as they were", elapsed())
            return None
    for stage, seconds in report.timings.items():
        log.add(stage.split(" ", 1)[1], "ok", f"stage {stage} of the build", seconds)
    log.add(
        "build",
        "ok",
        f"{len(report.sites)} sites, {report.pages} pages published; "
        f"{len(report.warnings)} warnings of the build (see the county reports)",
        elapsed(),
        {"sites": dict(report.sites), "build_warnings": len(report.warnings)},
    )
    return report


def _live_manifests(out: Path) -> dict[str, dict[str, Any]]:
    """Each live site's manifest (``build/<slug>/manifest.json``); unreadable ones left out."""
    found: dict[str, dict[str, Any]] = {}
    if not out.is_dir():
        return found
    for path in out.glob("*/manifest.json"):
        try:
            found[path.parent.name] = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
    return found


def _manifest_pages_changed(
    before: Mapping[str, Any] | None, after: Mapping[str, Any] | None
) -> int:
    old = {
        p: e["sha256"] for p, e in (before or {}).get("files", {}).items() if p.endswith(".html")
    }
    new = {p: e["sha256"] for p, e in (after or {}).get("files", {}).items() if p.endswith(".html")}
    return sum(1 for p in set(old) | set(new) if old.get(p) != new.get(p))


def _changes(
    options: Options,
    config: SiteConfig,
    report: BuildReport,
    started: datetime,
    manifests: Mapping[str, Mapping[str, Any]],
    log: RunLog,
    result: Result,
) -> dict[str, dict[str, Any]]:
    """Each county's change report; return the states to save once the run is published."""
    project = report.project
    assert project is not None  # the build loaded it
    theme_dir = options.root / config.theme.custom_dir
    refused = sorted(
        changes.refused_snapshots(options.root / config.extra.ptv.snapshots, "ptv")
        + changes.refused_snapshots(options.root / config.extra.events.snapshots, "events"),
        key=lambda r: r["time"],
        reverse=True,
    )
    states: dict[str, dict[str, Any]] = {}
    with _clock() as elapsed:
        try:
            wording = changes.Wording.load(theme_dir / "reports" / changes.WORDING)
        except changes.ChangesError as exc:
            log.add("changes", "warning", f"no change report: {exc}", elapsed())
            return states
        counted = []
        for slug in sorted(s for s in report.sites if s in project.areas):
            folder = options.out / "reports" / slug
            try:
                ptv, events = _county_reports(folder)
            except (OSError, ValueError) as exc:
                log.add("changes", "warning", f"{slug}: the county report cannot be read ({exc})")
                continue
            state = changes.site_state(
                slug, started, ptv, events, project.services, report.events.get(slug),
                manifests.get(slug), wording,
            )  # fmt: skip
            note = None
            try:
                previous = changes.read_state(folder / changes.STATE)
            except changes.ChangesError as exc:
                previous, note = None, str(exc)
                log.add("changes", "warning", f"{slug}: compared with nothing: {exc}")
            data = changes.compare(previous, state, refused, wording, note)
            result.reports[slug] = changes.write_change_report(data, folder, theme_dir)
            states[slug] = state
            counted.append(_changes_line(slug, data))
        log.add("changes", "ok", "; ".join(counted) or "no county in this run", elapsed())
    return states


def _county_reports(folder: Path) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """The county's PTV report and its events report (None if the build wrote none), as this
    run's build wrote them: what the site shows per article."""
    ptv = json.loads((folder / "ptv.json").read_text(encoding="utf-8"))
    events_path = folder / "events.json"
    events = json.loads(events_path.read_text(encoding="utf-8")) if events_path.exists() else None
    return ptv, events


def _changes_line(slug: str, data: Mapping[str, Any]) -> str:
    if data["previous_run"] is None:
        return f"{slug}: first report, nothing to compare with"
    if data["nothing_changed"]:
        return f"{slug}: nothing changed"
    parts = [
        f"{len(data[part][kind])} {part} {kind}"
        for part in ("services", "events")
        for kind in ("added", "removed", "changed")
        if data[part][kind]
    ]
    parts.append(f"{changes.pages_changed(data)} pages changed")
    return f"{slug}: " + ", ".join(parts)


def _deploy(options: Options, sites: list[str], log: RunLog) -> bool:
    from pipeline.deploy.command import deploy

    assert options.deploy_to is not None
    with _clock() as elapsed:
        try:
            _, results = deploy(options.out, options.deploy_to, sites)
        except PublishError as exc:
            log.add(
                "deploy",
                "error",
                f"{exc}; what was live at {options.deploy_to} before stays there (a site "
                "deployed before the failure is new)",
                elapsed(),
            )
            return False
    lines = [
        f"{r.site}: {r.uploaded} uploaded, {r.deleted} deleted, {r.unchanged} unchanged"
        for r in results
    ]
    log.add(
        "deploy",
        "ok",
        f"to {options.deploy_to}: " + "; ".join(lines),
        elapsed(),
        {r.site: {"uploaded": r.uploaded, "deleted": r.deleted} for r in results},
    )
    return True


def _save_states(options: Options, states: Mapping[str, Mapping[str, Any]], log: RunLog) -> None:
    """Record what was published, for the next night's change report."""
    try:
        for slug, state in states.items():
            changes.write_state(options.out / "reports" / slug / changes.STATE, state)
    except OSError as exc:
        log.add("state", "warning", f"the published state cannot be saved ({exc})")
        return
    log.add("state", "ok", f"saved for {', '.join(states) or 'no county'}")


def _ending(result: Result) -> str:
    if result.exit_status == 2:
        return "nothing was published; the previous sites stay live"
    if result.exit_status == 1:
        return f"published with {len(result.warnings)} warnings"
    return "published"


# --- the summary on the terminal ----------------------------------------------------------


def print_summary(result: Result, console: Console) -> None:
    """The human summary: sites, pages changed, data ages, time, warnings."""
    if result.sites:
        table = Table(title="Nightly run", show_header=True, header_style="bold")
        table.add_column("site")
        table.add_column("pages", justify="right")
        table.add_column("pages changed", justify="right")
        table.add_column("change report")
        for slug, pages in sorted(result.sites.items()):
            report = result.reports.get(slug)
            table.add_row(
                slug,
                str(pages),
                str(result.pages_changed.get(slug, "?")),
                escape(os.path.relpath(report)) if report else "–",
            )
        console.print(table)
    for source, age in sorted(result.ages.items()):
        text = "no snapshot" if age is None else f"{age:.1f} hours old"
        console.print(f"{source} data: {text}", markup=False)
    for step in result.warnings:
        style = "red" if step.status == "error" else "yellow"
        text = _first_line(step.message)
        console.print(f"[{style}]{escape(step.step)}: {escape(text)}[/]", soft_wrap=True)
    style = {0: "green", 1: "yellow", 2: "bold red"}[result.exit_status]
    console.print(
        f"[{style}]{escape(_ending(result))}[/] in {result.elapsed:.1f} s "
        f"(exit status {result.exit_status}); log: {escape(str(result.log))}",
        soft_wrap=True,
    )


def _first_line(text: str) -> str:
    return text.splitlines()[0] if text else ""


def show_step(console: Console) -> Callable[[Step], None]:
    """One line per step as it ends (the first line of its message)."""
    marks = {"ok": "[green]ok[/]", "warning": "[yellow]warning[/]", "error": "[red]error[/]"}

    def show(step: Step) -> None:
        if step.step == "end":
            return
        # A warning or an error in full (every path:line problem); other steps in one line.
        text = step.message if step.status in ("warning", "error") else _first_line(step.message)
        mark = marks.get(step.status, "[dim]skipped[/]")
        console.print(f"{mark} {escape(step.step)}: {escape(text)}", soft_wrap=True)

    return show
