"""The build, in stage order: 1 load, 2 render once, 3 match, 4 specialise per county,
5 check, 6 statements, 7 gate, 8 index and publish, 9 reports.

Like MkDocs' ``build()``, everything is gathered and validated before anything is written:
invalid input raises :class:`~pipeline.problems.InvalidInput` and ``build/`` stays as it was.
Each stage is a function below whose docstring says what goes in and out; each is timed; the
national render happens once whatever the number of counties. Fetching is not part of the
build: it reads the current snapshots (:mod:`pipeline.sources`).
"""

from __future__ import annotations

import os
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from pipeline.content.load import Project, load_project
from pipeline.deploy.cdn import Cdn, load_cdn
from pipeline.deploy.fingerprint import fingerprints
from pipeline.deploy.manifest import snapshot_info
from pipeline.deploy.release import Release, output_lock
from pipeline.match import EventRules
from pipeline.problems import InvalidInput, Problem, Problems
from pipeline.publish import SiteInput, index_page, write_site
from pipeline.quality.a11y_report import write_accessibility_report
from pipeline.quality.audit import site_evidence
from pipeline.quality.check import Finding, check_site
from pipeline.quality.check_slots import check_filled_sites
from pipeline.quality.evidence import Evidence, helsinki_date
from pipeline.quality.report import write_event_reports, write_reports
from pipeline.site.events import load_rules
from pipeline.site.render import NationalRender, Renderer
from pipeline.site.search import NationalIndex, index_site, write_national_index
from pipeline.site.specialise import NATIONAL, Site, Specialiser, site_for
from pipeline.sources.events.snapshot import EventsDataset, load_events


@dataclass
class BuildReport:
    """What a build did: sites, pages, the time of each stage, and the warnings."""

    sites: dict[str, int] = field(default_factory=dict)
    """Pages written per site."""
    national_pages: int = 0
    """Pages rendered once by the render stage."""
    timings: dict[str, float] = field(default_factory=dict)
    warnings: list[Problem] = field(default_factory=list)
    findings: dict[str, list[Finding]] = field(default_factory=dict)
    """Findings of the HTML and accessibility gate per site (empty lists when clean)."""
    checked: dict[str, int] = field(default_factory=dict)
    """Pages the gate checked per site."""
    evidence: dict[str, Evidence] = field(default_factory=dict)
    """The accessibility evidence per site (:mod:`pipeline.quality.evidence`): the gate of
    this build and the saved browser checks, each passed, failed, in error, stale or not run."""
    project: Project | None = None
    """The loaded project (filled by the load stage), for what runs after the build: the
    nightly job's change report reads the PTV data the sites were built from."""
    events: dict[str, EventsDataset] = field(default_factory=dict)
    """Each county's activities and events as the build read them (filled by the load stage)."""

    @property
    def pages(self) -> int:
        return sum(self.sites.values())


@contextmanager
def _timed(report: BuildReport, stage: str) -> Iterator[None]:
    start = time.perf_counter()
    try:
        yield
    finally:
        report.timings[stage] = report.timings.get(stage, 0.0) + time.perf_counter() - start


def build(
    root: Path,
    out_dir: Path,
    areas: Iterable[str] | None = None,
    national: bool = True,
    base_url: str | None = None,
    progress: bool = False,
    gate: Literal["fail", "report"] = "fail",
    search: bool = True,
    today: date | None = None,
) -> BuildReport:
    """Build the national site and every county site (or only ``areas``) into ``out_dir``.

    ``base_url`` replaces the published addresses (``{slug}`` is the site), for previews.
    The HTML and accessibility gate (:mod:`pipeline.quality.check`) stops the build on any
    finding; ``gate="report"`` lists the findings as warnings and publishes anyway.
    ``search=False`` skips the search index (quick local builds). ``today`` is the build date
    (default: today in Finland): activities and events before it are gone.
    """
    report = BuildReport()
    # One build at a time per output folder: a second one waits, then stops with a message.
    with output_lock(out_dir), _progress(progress) as bar:
        project = load(report, root, areas)
        events, rules = load_events_of(report, project, today or helsinki_date(datetime.now(UTC)))
        # Read before the work: a mistake in cdn.toml stops the build before it renders.
        cdn = load_cdn(root / project.config.theme.custom_dir)
        renderer, rendered = render(report, project, search)
        specialiser = Specialiser(project, renderer, rendered, base_url, events, rules)
        sites = match(report, project, specialiser, national, base_url)
        # Everything is gathered and valid before anything is written (as MkDocs' build()).
        filled: Filled = {}
        outputs = specialise(report, specialiser, sites, bar, filled)
        assets = _assets(root, project)
        check(report, specialiser, outputs, filled, assets)
        statements(report, specialiser, outputs, assets, out_dir)
        enforce_gate(report, gate)
        national_pages = {page.info.output_path: page.html for page in rendered.pages}
        publish(report, project, outputs, national_pages, root, out_dir, search, cdn, bar)
        reports(report, project, specialiser, root, out_dir)
    return report


# --- the stages, in the order they run ------------------------------------------------------

Outputs = dict[str, tuple[Site, dict[str, str]]]
"""Per site slug: the site and its pages (output path -> HTML)."""

Filled = dict[str, dict[str, tuple[str, ...]]]
"""Per site slug: the fragments each national page it publishes was filled with."""


def load(report: BuildReport, root: Path, areas: Iterable[str] | None) -> Project:
    """1. Load. In: the project folder. Out: the validated project (or InvalidInput)."""
    with _timed(report, "1 load"):
        project = load_project(root, list(areas) if areas is not None else None)
    report.warnings.extend(project.warnings)
    report.project = project
    return project


def load_events_of(
    report: BuildReport, project: Project, today: date
) -> tuple[dict[str, EventsDataset], EventRules]:
    """1. Load, activities and events. In: the project and the build date. Out: each county's
    items from the build date on (a source that could not be read is a warning and the county
    shows what could be), and the rules that match them to articles (or InvalidInput)."""
    with _timed(report, "1 load"):
        events, rules = read_events(project, today)
    # The same warning (no events snapshot) may come from every county: once is enough.
    report.warnings.extend(sorted({p for dataset in events.values() for p in dataset.problems}))
    report.events = events
    return events, rules


def read_events(project: Project, today: date) -> tuple[dict[str, EventsDataset], EventRules]:
    """Each county's activities and events from ``today`` on, and the rules that match them to
    articles (used by the build and by the preview)."""
    rules = load_rules(project.root, project.vocabulary)
    events = {
        slug: load_events(
            project.root,
            slug,
            today,
            region=area.region,
            settings=project.config.extra.events,
            ptv=project.services,
        )
        for slug, area in sorted(project.areas.items())
    }
    return events, rules


def render(report: BuildReport, project: Project, search: bool) -> tuple[Renderer, NationalRender]:
    """2. Render once. In: the project. Out: every national page, with slot markers."""
    with _timed(report, "2 render"):
        renderer = Renderer(project)
        rendered = renderer.render_national()
    if rendered.problems.errors:
        raise InvalidInput(rendered.problems, f"{project.config.docs_dir}/")
    report.warnings.extend(rendered.problems.warnings)
    if search and renderer.splitter.problem:
        report.warnings.append(Problem("search", None, renderer.splitter.problem, "warning"))
    report.national_pages = len(rendered.pages)
    return renderer, rendered


def match(
    report: BuildReport,
    project: Project,
    specialiser: Specialiser,
    national: bool,
    base_url: str | None,
) -> list[Site]:
    """3. Match. In: the project's sites. Out: the sites, with their services and their
    activities and events matched."""
    slugs = ([NATIONAL] if national else []) + sorted(project.areas)
    sites = [site_for(project, slug, base_url) for slug in slugs]
    with _timed(report, "3 match"):
        for site in sites:
            specialiser.site_services(site)
            specialiser.site_events(site)
    return sites


def specialise(
    report: BuildReport,
    specialiser: Specialiser,
    sites: list[Site],
    bar: Progress,
    filled: Filled | None = None,
) -> Outputs:
    """4. Specialise. In: the sites. Out: every page of every site, slots filled (and in
    ``filled`` the fragments of each national page, for the check); a county whose own pages
    fail stops the build before anything is written."""
    task = bar.add_task("Specialising", total=len(sites))
    outputs: Outputs = {}
    problems = Problems()
    with _timed(report, "4 specialise"):
        for site in sites:
            pages, site_problems = specialiser.site_pages(
                site, filled.setdefault(site.slug, {}) if filled is not None else None
            )
            problems.extend(site_problems)
            report.checked[site.slug] = sum(1 for path in pages if path.endswith(".html"))
            outputs[site.slug] = (site, pages)
            bar.advance(task)
    if problems.errors:
        raise InvalidInput(problems, "regions/")
    return outputs


def check(
    report: BuildReport,
    specialiser: Specialiser,
    outputs: Outputs,
    filled: Filled,
    assets: Path,
) -> None:
    """5. Check. In: every page, the national pages with their slots and each site's
    fragments of them, and the assets every site publishes. Out: the gate's findings per site
    (one process per core): each national page checked once, and per site what its slots add
    and its own pages (:mod:`pipeline.quality.check_slots`; the same findings as checking
    every page in full)."""
    national = {info.output_path: compiled for info, compiled in specialiser.compiled}
    with _timed(report, "5 check"):
        report.findings = check_filled_sites(
            {
                slug: (pages, urlsplit(site.base_url).path)
                for slug, (site, pages) in outputs.items()
            },
            national,
            filled,
            published=_published(assets),
        )


def statements(
    report: BuildReport, specialiser: Specialiser, outputs: Outputs, assets: Path, out_dir: Path
) -> None:
    """6. Evidence and statements. In: the gate's findings, the pages and assets as built and
    the browser run saved by ``perhekeskus audit``. Out: each site's accessibility evidence,
    and its statement filled from it and checked like every other page."""
    built = datetime.now(UTC)
    with _timed(report, "6 statements"):
        for slug, (site, pages) in outputs.items():
            report.findings[slug], report.evidence[slug] = _statement(
                specialiser, site, pages, report.findings[slug], assets, out_dir, built
            )


def _statement(
    specialiser: Specialiser,
    site: Site,
    pages: dict[str, str],
    findings: list[Finding],
    assets: Path,
    out_dir: Path,
    built: datetime,
) -> tuple[list[Finding], Evidence]:
    """One site's evidence, and its statement filled from it (``pages`` is updated). The
    statement's own findings are part of the evidence too: when the filled statement has other
    findings than the first fill, the evidence is made again and the statement filled again."""

    def evidence_of(found: list[Finding]) -> Evidence:
        evidence = site_evidence(
            site.slug, pages, site.base_url, found, assets, out_dir, specialiser.project.root,
            built,
        )  # fmt: skip
        specialiser.audits[site.slug] = evidence
        return evidence

    evidence = evidence_of(findings)
    changed = specialiser.refill_statements(site, pages)
    rechecked = [f for f in findings if f.page not in changed] + check_site(
        site.slug, pages, urlsplit(site.base_url).path, only=changed, published=_published(assets)
    )
    # Compared as collections: the first check may list a page's findings in another order.
    if Counter(rechecked) != Counter(findings):
        evidence = evidence_of(rechecked)
        specialiser.refill_statements(site, pages)
    return rechecked, evidence


def _assets(root: Path, project: Project) -> Path:
    """The theme's assets folder, published as ``assets/`` in every site."""
    return root / project.config.theme.custom_dir / "assets"


def _published(assets: Path) -> list[str]:
    """The files every site publishes besides its pages, as the gate lets pages load them:
    the theme's assets, under their names and at their fingerprinted addresses."""
    plain = [f"assets/{p.relative_to(assets).as_posix()}" for p in assets.rglob("*") if p.is_file()]
    return plain + list(fingerprints(assets).values())


def enforce_gate(report: BuildReport, gate: Literal["fail", "report"]) -> None:
    """7. Gate. In: the findings. Out: InvalidInput on any finding, or warnings (``report``)."""
    with _timed(report, "7 gate"):
        problems = _gate_problems(report, gate)
    if gate == "fail" and problems:
        raise InvalidInput(problems, "the generated HTML (accessibility gate)")
    report.warnings.extend(problems)


def _gate_problems(report: BuildReport, gate: Literal["fail", "report"]) -> list[Problem]:
    return [
        Problem(
            f"{f.site}/{f.page}",
            None,
            f"{f.element}: {f.message} (WCAG {f.criterion})",
            "error" if gate == "fail" else "warning",
        )
        for findings in report.findings.values()
        for f in findings
    ]


def publish(
    report: BuildReport,
    project: Project,
    outputs: Outputs,
    national_pages: dict[str, str],
    root: Path,
    out_dir: Path,
    search: bool,
    cdn: Cdn,
    bar: Progress,
) -> None:
    """8. Index and publish. In: every site's pages and the national render's pages. Out: the
    national articles indexed once, each site written into a new release beside the live one
    with that index and an index of its own pages (:mod:`pipeline.site.search`), then every
    site switched in at once with the index page of all sites (:mod:`pipeline.deploy.release`).
    """
    assets = _assets(root, project)
    now = datetime.now(UTC)
    ptv = snapshot_info(project.services.snapshot, project.services.fetched_at, now)
    task = bar.add_task("Indexing and publishing" if search else "Publishing", total=len(outputs))
    release = Release(out_dir)

    def snapshots_of(slug: str) -> dict[str, dict[str, object]]:
        """The snapshots a site was built from, for its manifest."""
        found = {"ptv": ptv}
        if slug in report.events:
            events = report.events[slug]
            found["events"] = snapshot_info(events.snapshot, events.fetched_at, now)
        return found

    work = release.work_folder()
    national_index: Future[NationalIndex] | None = None

    def one(slug: str) -> None:
        site, pages = outputs[slug]

        def index(folder: Path) -> None:
            assert national_index is not None
            index_site(folder, pages, national_index.result(), work / "sites" / slug)

        write_site(
            release, SiteInput(slug, pages, site.base_url, snapshots_of(slug)), assets, cdn, now,
            before_manifest=index if search else None,
        )  # fmt: skip
        report.sites[slug] = len(pages)
        bar.advance(task)

    names = {NATIONAL: project.config.extra.site_names.fi} | {
        slug: project.areas[slug].region.name.fi for slug in sorted(project.areas)
    }
    # Pagefind runs on one core; two sites at a time keep both cores busy. The national index
    # is made first, while the first sites are written; each site waits for it to link it in.
    with _timed(report, "8 index and publish" if search else "8 publish"):
        try:
            with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
                if search:
                    national_index = pool.submit(
                        write_national_index, national_pages, work / "national"
                    )
                list(pool.map(one, outputs))
        except BaseException:
            # After every worker has stopped: the live sites stay, nothing of this run is left.
            release.discard()
            raise
        release.switch(lambda slugs: index_page({slug: names.get(slug, slug) for slug in slugs}))


def reports(
    report: BuildReport, project: Project, specialiser: Specialiser, root: Path, out_dir: Path
) -> None:
    """9. Reports. In: the project, the matched events and the evidence. Out:
    ``build/reports/``: the counties' PTV and events reports and the auditors' accessibility
    reports (HTML, and the evidence as JSON)."""
    with _timed(report, "9 reports"):
        theme_dir = root / project.config.theme.custom_dir
        write_reports(project, out_dir, theme_dir)
        found = {
            slug: events
            for slug in project.areas
            if (events := specialiser.site_events(site_for(project, slug))) is not None
        }
        write_event_reports(project, found, out_dir, theme_dir)
        for slug in report.sites:
            write_accessibility_report(report.evidence[slug], out_dir, root, theme_dir)


@contextmanager
def _progress(enabled: bool) -> Iterator[Progress]:
    bar = Progress(
        TextColumn("{task.description:<13}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        disable=not enabled,
        transient=True,
    )
    with bar:
        yield bar
