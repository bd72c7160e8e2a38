"""The build, in stage order: load, match, render once, specialise per county, check, publish.

Like MkDocs' ``build()``, everything is gathered and validated before anything is written:
invalid input raises :class:`~pipeline.problems.InvalidInput` and ``build/`` stays as it was.
Each stage is timed; the national render happens once whatever the number of counties.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from pipeline.content.load import load_project
from pipeline.problems import InvalidInput, Problem, Problems
from pipeline.publish import write_index, write_site
from pipeline.quality.a11y_report import write_accessibility_report
from pipeline.quality.audit import AuditSummary, read_browser_audit
from pipeline.quality.check import Finding, check_site, check_sites
from pipeline.quality.report import write_reports
from pipeline.site.render import Renderer
from pipeline.site.search import index_site
from pipeline.site.specialise import NATIONAL, Specialiser, site_for


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
    audits: dict[str, AuditSummary] = field(default_factory=dict)

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
) -> BuildReport:
    """Build the national site and every county site (or only ``areas``) into ``out_dir``.

    ``base_url`` replaces the published addresses (``{slug}`` is the site), for previews.
    The HTML and accessibility gate (:mod:`pipeline.quality.check`) stops the build on any finding;
    ``gate="report"`` lists the findings as warnings and publishes anyway. ``search=False``
    skips the search index (quick local builds).
    """
    report = BuildReport()
    only = list(areas) if areas is not None else None
    with _timed(report, "load"):
        project = load_project(root, only)
    report.warnings.extend(project.warnings)

    with _timed(report, "render"):
        renderer = Renderer(project)
        rendered = renderer.render_national()
        if rendered.problems.errors:
            raise InvalidInput(rendered.problems, "content/")
        report.warnings.extend(rendered.problems.warnings)
        if search and renderer.splitter.problem:
            report.warnings.append(Problem("search", None, renderer.splitter.problem, "warning"))
        report.national_pages = len(rendered.pages)

    specialiser = Specialiser(project, renderer, rendered, base_url)
    slugs = ([NATIONAL] if national else []) + sorted(project.areas)
    with _timed(report, "match"):
        for slug in slugs:
            specialiser.site_services(site_for(project, slug, base_url))
    assets = root / project.config.theme.custom_dir / "assets"
    # Every site is specialised before any is written, so a county whose own pages fail
    # leaves all of build/ as it was.
    outputs = {}
    with _progress(progress) as bar:
        task = bar.add_task("Specialising", total=len(slugs))
        problems = Problems()
        for slug in slugs:
            site = site_for(project, slug, base_url)
            with _timed(report, "specialise"):
                pages, site_problems = specialiser.site_pages(site)
            problems.extend(site_problems)
            report.checked[slug] = sum(1 for path in pages if path.endswith(".html"))
            outputs[slug] = (site, pages)
            bar.advance(task)
        if problems.errors:
            raise InvalidInput(problems, "regions/")
        with _timed(report, "check"):
            report.findings = check_sites(
                {
                    slug: (pages, urlsplit(site.base_url).path)
                    for slug, (site, pages) in outputs.items()
                }
            )
            # The statements report what the audit found, so they are filled after it.
            for slug, (site, pages) in outputs.items():
                specialiser.audits[slug] = AuditSummary(
                    slug,
                    date.today(),
                    report.checked[slug],
                    report.findings[slug],
                    read_browser_audit(out_dir, slug),
                )
                changed = specialiser.refill_statements(site, pages)
                base = urlsplit(site.base_url).path
                report.findings[slug] += check_site(slug, pages, base, only=changed)
        gate_problems = [
            Problem(
                f"{f.site}/{f.page}",
                None,
                f"{f.element}: {f.message} (WCAG {f.criterion})",
                "error" if gate == "fail" else "warning",
            )
            for findings in report.findings.values()
            for f in findings
        ]
        if gate == "fail" and gate_problems:
            raise InvalidInput(gate_problems, "the generated HTML (accessibility gate)")
        report.warnings.extend(gate_problems)
        task = bar.add_task("Indexing and publishing" if search else "Publishing", total=len(slugs))

        def publish(slug: str) -> None:
            site, pages = outputs[slug]
            write_site(
                out_dir, slug, pages, assets, site.base_url,
                before_swap=index_site if search else None,
            )  # fmt: skip
            report.sites[slug] = len(pages)
            bar.advance(task)

        # Pagefind runs on one core; two sites at a time keep both cores busy.
        with (
            _timed(report, "index and publish" if search else "publish"),
            ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool,
        ):
            list(pool.map(publish, outputs))
    with _timed(report, "publish"):
        names = {NATIONAL: project.config.extra.site_names.fi} | {
            slug: project.areas[slug].region.name.fi for slug in sorted(project.areas)
        }
        write_index(out_dir, {slug: names[slug] for slug in report.sites})
    with _timed(report, "reports"):
        theme_dir = root / project.config.theme.custom_dir
        write_reports(project, out_dir, theme_dir)
        for slug in report.sites:
            write_accessibility_report(specialiser.audits[slug], out_dir, root, theme_dir)
    report.audits = dict(specialiser.audits)
    return report


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
