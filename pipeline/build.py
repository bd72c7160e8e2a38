"""The build, in stage order: 1 load, 2 render once, 3 match, then per site 4 specialise,
5 check, 6 statement, 7 gate, 8 index and write; then the switch and 9 reports.

Sites stream through stages 4–8 one after another, so memory holds the pages of at most
:data:`IN_FLIGHT` sites, never of every site: while one site is checked (in the gate's worker
process) or indexed and written (a thread running Pagefind), the main process specialises the
next (a run of one site checks and writes its pages while it makes them). Each site is
written into a new release beside the live one
(:mod:`pipeline.deploy.release`), and the release is switched in only when every site of the
run is valid and written: everything is valid before anything is *published*. On any problem
(a county's invalid input, a gate finding, a crash, Ctrl-C) the release is discarded and the
live sites stay whole; invalid input and gate findings are collected from every site first and
raised together as :class:`~pipeline.problems.InvalidInput`.

Each stage is a function below whose docstring says what goes in and out; each is timed (per
site stages: the sum over sites, so they add up to more than the wall time); the national
render and the national search index happen once whatever the number of counties. Fetching is
not part of the build: it reads the current snapshots (:mod:`pipeline.sources`).
"""

from __future__ import annotations

import gc
import multiprocessing
import threading
import time
from collections import Counter
from collections.abc import (
    Callable,
    Collection,
    Iterable,
    Iterator,
    Mapping,
    MutableMapping,
    Sequence,
)
from concurrent.futures import (
    FIRST_COMPLETED,
    Future,
    ProcessPoolExecutor,
    ThreadPoolExecutor,
    wait,
)
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from functools import partial
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from pipeline.cache import BuildCache, digest
from pipeline.content.load import Project, load_project
from pipeline.deploy.cdn import Cdn, load_cdn
from pipeline.deploy.fingerprint import fingerprints
from pipeline.deploy.manifest import snapshot_info
from pipeline.deploy.page_facts import KeptFacts, PageFacts
from pipeline.deploy.release import Release, live_release, output_lock
from pipeline.deploy.reuse import LiveSite, read_live_site
from pipeline.match import EventRules
from pipeline.problems import InvalidInput, Problem, Problems
from pipeline.publish import (
    EarlyPages,
    SiteInput,
    index_page,
    is_404,
    write_early,
    write_site,
)
from pipeline.quality import check_slots, gate_cache
from pipeline.quality.a11y_report import write_accessibility_report
from pipeline.quality.audit import site_evidence
from pipeline.quality.check import Finding, check_site, taken_back
from pipeline.quality.evidence import Evidence, helsinki_date
from pipeline.quality.report import prepare_reports, write_event_reports, write_reports
from pipeline.site import carry
from pipeline.site.carry import Carry, SitePages, SiteRecord
from pipeline.site.events import load_rules
from pipeline.site.render import NationalRender, Renderer
from pipeline.site.search import (
    NationalIndex,
    OwnIndex,
    SiteFiles,
    index_site,
    own_index_ahead,
    write_national_index,
)
from pipeline.site.specialise import NATIONAL, PageSink, Site, Specialiser, site_for
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
    carried: dict[str, int] = field(default_factory=dict)
    """Pages per site carried over from the live site unchanged (:mod:`pipeline.site.carry`)."""
    rechecked: dict[str, int] = field(default_factory=dict)
    """Of those, the pages checked anew (the others had not changed, nor what they link to:
    their findings were kept from the site's last check)."""
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
def _unfreeze() -> Iterator[None]:
    try:
        yield
    finally:
        gc.unfreeze()


@contextmanager
def _timed(report: BuildReport, stage: str) -> Iterator[None]:
    start = time.perf_counter()
    try:
        yield
    finally:
        report.timings[stage] = report.timings.get(stage, 0.0) + time.perf_counter() - start


IN_FLIGHT = 2
"""Sites whose pages are held at once (specialised, not yet written or dropped). Two keep both
cores busy: the main process specialises one site while the one before is checked in the
gate's worker process or indexed by Pagefind; more would only hold more pages."""
PAGES_IN_FLIGHT = 4000
"""Pages made now held at once, about two counties of several hundred services each: a site
that would take more waits until the sites before it are written (a site alone always goes).
Two of the biggest counties in flight together would take the national build's memory over
1 GiB; a page on its way to the disk takes about 0.1 MB with its check and its index."""
LOOK_AHEAD = 3
"""Sites looked at for one that fits beside those held (in their order)."""


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
    with output_lock(out_dir), _progress(progress) as bar, _unfreeze():
        # First: it deletes what the run before pruned, in a thread, while this one works.
        release = Release(out_dir)
        try:
            project = load(report, root, areas)
            today = today or helsinki_date(datetime.now(UTC))
            events, rules = load_events_of(report, project, today)
            # What was loaded lives until the end: the collector need not walk it again and
            # again (given back to it when the build ends).
            gc.freeze()
            # Read before the work: a mistake in cdn.toml stops the build before it renders.
            cdn = load_cdn(root / project.config.theme.custom_dir)
            cache = BuildCache(project.root)
            renderer, rendered = render(report, project, search, cache)
            specialiser = Specialiser(project, renderer, rendered, base_url, events, rules)
            key = _project_key(cache, specialiser)
            sites = match(report, project, specialiser, national, base_url, cache, key)
            national_pages = {page.info.output_path: page.html for page in rendered.pages}
            settings = _Settings(_assets(root, project), out_dir, cdn, gate, search, cache, today)
            stream = SiteStream(report, specialiser, settings, release, bar, key)
            # The counties' PTV reports are made while the last site is written, kept in the
            # build cache, and written once the sites are published.
            theme_dir = root / project.config.theme.custom_dir
            report_key = _report_key(key, project)
            stream.run(
                sites,
                national_pages,
                partial(_prepare_reports, report, project, theme_dir, cache, report_key),
            )
            enforce_gate(report, gate)
        except BaseException:
            # After every worker has stopped: the live sites stay, nothing of this run is left.
            release.discard()
            raise
        switch(report, project, release, search)
        reports(report, project, specialiser, root, out_dir, cache, report_key)
    cache.prune()
    return report


# --- the stages, in the order they run ------------------------------------------------------


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


def render(
    report: BuildReport, project: Project, search: bool, cache: BuildCache | None = None
) -> tuple[Renderer, NationalRender]:
    """2. Render once. In: the project (and the build cache: an article whose inputs have not
    changed is not rendered again). Out: every national page, with slot markers."""
    with _timed(report, "2 render"):
        renderer = Renderer(project)
        rendered = renderer.render_national(cache)
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
    cache: BuildCache | None = None,
    project_key: str | None = None,
) -> list[Site]:
    """3. Match. In: the project's sites. Out: the sites, with their services and their
    activities and events matched. With the build cache, a site whose key is the one of an
    earlier build takes that build's matches (its key holds everything matching reads)."""
    slugs = ([NATIONAL] if national else []) + sorted(project.areas)
    sites = [site_for(project, slug, base_url) for slug in slugs]
    with _timed(report, "3 match"):
        for site in sites:
            key = _site_key(project_key, specialiser, site)
            # The matches depend on the site's data too: the activities and events, and PTV.
            key = key and digest(key, specialiser.events_key(site), project.services.key or "")
            if key and cache is not None and specialiser.adopt_kept(site, cache.get("match", key)):
                continue
            specialiser.site_services(site)
            specialiser.site_events(site)
            if key and cache is not None:
                cache.put("match", key, specialiser.kept_matches(site))
    return sites


def _project_key(cache: BuildCache, specialiser: Specialiser) -> str | None:
    """What every site's key holds (:func:`pipeline.site.carry.project_key`); None without the
    build cache."""
    if not cache.on:
        return None
    spec = specialiser
    return carry.project_key(cache, spec.renderer, spec.project, spec.base_override)


def _report_key(project_key: str | None, project: Project) -> str | None:
    """What a county's PTV report is made from: the project key and the PTV dataset."""
    return project_key and digest(project_key, project.services.key or "")


def _site_key(project_key: str | None, specialiser: Specialiser, site: Site) -> str | None:
    """A site's key (:func:`pipeline.site.carry.site_key`): its project's, its address and
    whether it has a calendar."""
    return None if project_key is None else specialiser.site_key(project_key, site)


def specialise_site(
    report: BuildReport,
    specialiser: Specialiser,
    site: Site,
    carried: Carry | None = None,
    sink: PageSink | None = None,
) -> tuple[SitePages, dict[str, tuple[str, ...]], Problems]:
    """4. Specialise, one site. In: the matched site (and what of it is unchanged since the
    live site's build: :mod:`pipeline.site.carry`). Out: its pages, slots filled (output path
    -> HTML; those carried over are read from the live site when asked for), the fragments
    each national page filled now was filled with (for the check) and the problems of the
    county's own pages. ``sink`` hears of each page as it is made."""
    filled: dict[str, tuple[str, ...]] = {}
    with _timed(report, "4 specialise"):
        pages, problems = specialiser.site_pages(site, filled, carried, sink)
    report.checked[site.slug] = sum(1 for path in pages if path.endswith(".html"))
    return pages, filled, problems


SPLIT_AT = 400
"""National pages from which a run of one site (a county's nightly) has two gate processes that
check its pages while they are made (:class:`StreamedCheck`), and writes them meanwhile: the
main process would wait otherwise. A smaller site is checked whole by one."""


class Gate:
    """5. Check, per site, in a worker process beside the main one (parsing HTML is CPU work):
    submit a site's pages, get a future of its findings. The worker is given the national
    pages with their slots once, checks each of them once, and per site what its slots add
    and its own pages (:mod:`pipeline.quality.check_slots`: the same findings as checking
    every page in full). With the build cache, only the pages that changed since the site's
    last check, or that link to what changed, are checked (:mod:`pipeline.quality.gate_cache`);
    the others keep their findings. With ``workers=2`` (a run of one site), the site is checked
    in parts while it is specialised (:class:`StreamedCheck`)."""

    def __init__(
        self,
        specialiser: Specialiser,
        published: list[str],
        cache: BuildCache | None = None,
        workers: int = 1,
    ) -> None:
        self.published = tuple(published)
        self.cache = cache if cache is not None and cache.on else None
        self.workers = workers
        self.checked: dict[str, int] = {}
        """Pages checked anew per site (the others kept their findings)."""
        national = {info.output_path: compiled for info, compiled in specialiser.compiled}
        self.national = {path: n for n, path in enumerate(national)}
        """The national pages in the order a site fills them."""
        # A new interpreter, not a fork: a forked worker would hold a copy of everything the
        # build has loaded (the PTV dataset...) beside its own pages, doubling the peak memory.
        # One process per pool: a part can be sent to the process that has its skeletons.
        context = multiprocessing.get_context("spawn")
        self.pools = [
            ProcessPoolExecutor(
                max_workers=1,
                mp_context=context,
                initializer=check_slots.start_process,
                initargs=(national, self.cache.root if self.cache is not None else None),
            )
            for _ in range(workers)
        ]
        self.pool = self.pools[0]
        # The workers start now, not at the first site; they import and take the national
        # pages while the main process goes on (a half second it used to wait).
        for pool in self.pools:
            pool.submit(int)

    def checker_of(self, path: str, turn: int) -> int:
        """Which process checks ``path`` in a run of one site: a national page's by its place
        (:data:`CHUNK` pages each, in turn: the process that made its skeleton); another page
        by ``turn``."""
        place = self.national.get(path)
        return (turn if place is None else place // CHUNK) % len(self.pools)

    def warm(self) -> None:
        """Have each process make the skeletons of the national pages it will check
        (:meth:`checker_of`) while the site's own pages are made."""
        for n, pool in enumerate(self.pools):
            paths = [path for path in self.national if self.checker_of(path, 0) == n]
            pool.submit(check_slots.warm, paths)

    def submit(
        self,
        site: Site,
        pages: Mapping[str, str],
        filled: Mapping[str, tuple[str, ...]],
        known: Mapping[str, str] | None = None,
    ) -> Future[tuple[list[Finding], float]]:
        """Check ``site`` (``known``: the hashes of its pages carried over unchanged)."""
        base_path = urlsplit(site.base_url).path
        key, record = self.record_of(site.slug, base_path)
        plan = gate_cache.plan(pages, record, known)
        self.checked[site.slug] = len(plan.check)
        shown = [p for p in pages if p in plan.check]
        job = self.job(site.slug, base_path, pages, filled, shown, pages)
        done = [self.pool.submit(check_slots.check_one, job, plan.known_ids)]
        return self.merged(done, plan, record, key, pages)

    def record_of(self, slug: str, base_path: str) -> tuple[str, gate_cache.SiteRecord | None]:
        """The key of a site's gate record, and the record its last check left (if any)."""
        if self.cache is None:
            return "", None
        key = gate_cache.record_key(self.cache, slug, base_path, self.published)
        record = self.cache.get("gate", key)
        return key, record if isinstance(record, gate_cache.SiteRecord) else None

    def job(
        self,
        slug: str,
        base_path: str,
        pages: Mapping[str, str],
        filled: Mapping[str, tuple[str, ...]],
        part: Sequence[str],
        paths: Iterable[str],
    ) -> check_slots.SiteJob:
        """What a checker is given to check the pages ``part`` of a site whose files are
        ``paths``: the pages not checked in this part are files of the site all the same."""
        chosen = set(part)
        others = {p: pages[p] for p in part if p not in filled}
        own_filled = {p: filled[p] for p in part if p in filled}
        published = (*self.published, *(p for p in paths if p not in chosen))
        return (slug, base_path, others, own_filled, published)

    def merged(
        self,
        done: list[Future[check_slots.CheckedPart]],
        plan: gate_cache.Plan,
        record: gate_cache.SiteRecord | None,
        key: str,
        pages: Iterable[str],
    ) -> Future[tuple[list[Finding], float]]:
        """A future of the site's findings once every part in ``done`` is checked."""
        order = {path: n for n, path in enumerate(pages)}
        result: Future[tuple[list[Finding], float]] = Future()
        once = threading.Lock()  # the parts' callbacks may run in two threads

        def merge(_: Future[check_slots.CheckedPart]) -> None:
            with once:
                if not all(d.done() for d in done) or result.done():
                    return  # when every part is done, once
                self._merge(done, plan, record, key, order, result)

        if not done:
            self._merge(done, plan, record, key, order, result)
        for future in done:
            future.add_done_callback(merge)
        return result

    def _merge(
        self,
        done: list[Future[check_slots.CheckedPart]],
        plan: gate_cache.Plan,
        record: gate_cache.SiteRecord | None,
        key: str,
        order: Mapping[str, int],
        result: Future[tuple[list[Finding], float]],
    ) -> None:
        """The parts' findings and facts as one check's, the record kept; into ``result``.
        Its seconds: the longest part's, or each process's share when the parts took turns."""
        try:
            outcomes = [d.result() for d in done]
            facts = {path: f for _, part, _, _ in outcomes for path, f in part.items()}
            ids: dict[str, Collection[str]] = dict(plan.known_ids)
            ids.update((path, found) for path, (found, _) in facts.items())
            pending = [anchor for _, _, part, _ in outcomes for anchor in part]
            found = taken_back([f for part, _, _, _ in outcomes for f in part], pending, ids)
            findings, new = gate_cache.merge(plan, record, found, facts, order)
            if self.cache is not None:
                self.cache.put("gate", key, new)
            seconds = [seconds for *_, seconds in outcomes]
            busy = max(seconds, default=0.0)
            if len(done) > self.workers:  # parts in turn: each checker's share
                busy = sum(seconds) / self.workers
            result.set_result((findings, busy))
        except BaseException as exc:  # the build raises it where it waits for the site
            result.set_exception(exc)

    def submitted(self) -> None:
        """Every site is submitted: the processes end as soon as their work is done (freeing a
        process's memory takes a moment; meanwhile the build writes)."""
        for pool in self.pools:
            pool.shutdown(wait=False)

    def close(self, cancel: bool) -> None:
        for pool in self.pools:
            pool.shutdown(wait=True, cancel_futures=cancel)


CHUNK = 200
"""Pages per part of a site checked while it is specialised (:class:`StreamedCheck`): enough
that a part's fixed costs (the site's header and footer parsed again) stay small, few enough
that the checkers start soon after the first pages are made."""


class StreamedCheck:
    """5. Check, one site while it is specialised: a run of one site (a county's nightly) has
    no other site to specialise meanwhile, so its pages go to the gate's two checkers as they
    are made, :data:`CHUNK` at a time, instead of the whole site once it is made.

    A part is a run of pages made one after the other that changed since the site's last
    check (all of them without a record). While a part is checked, every other path of the
    site is a file of it (the paths are known before the first page is filled), and a link to
    an anchor of another page is a finding until the merge, which takes it back when that
    page has the id (:func:`check.taken_back`, with the ids every part found and those the
    record keeps). When the site is whole, the plan (:func:`gate_cache.plan`) adds the pages
    that did not change but link to what did: they are checked last. The same findings as
    checking the whole site at once.

    A national page goes to the process that made its skeleton (:meth:`Gate.checker_of`).
    ``warm``: the site is made anew (nothing carried over: its key changed, as when a county's
    contacts change) or its data changed (a nightly's new snapshot: most of its national pages
    list a service that changed), so many of its national pages will be checked: the
    processes make their skeletons while the site's pages are made, before the first part
    comes."""

    def __init__(
        self, gate: Gate, site: Site, known: Mapping[str, str], warm: bool = False
    ) -> None:
        self.gate = gate
        self.slug = site.slug
        self.known = known
        """The hashes of the pages carried over (from the live manifest)."""
        self.base_path = urlsplit(site.base_url).path
        self.key, self.record = gate.record_of(site.slug, self.base_path)
        self.pages: Mapping[str, str] = {}
        self.paths: list[str] = []
        self.html: list[str] = []
        self.filled: Mapping[str, tuple[str, ...]] = {}
        self.hashes: dict[str, str] = {}
        self.parts: list[list[str]] = [[] for _ in gate.pools]
        """The pages made and not sent yet, per process."""
        self.turn = 0
        self.sent: set[str] = set()
        self.done: list[Future[check_slots.CheckedPart]] = []
        if warm:
            gate.warm()

    def planned(
        self, pages: Mapping[str, str], paths: list[str], filled: Mapping[str, tuple[str, ...]]
    ) -> None:
        self.pages, self.paths, self.filled = pages, paths, filled
        self.html = [path for path in paths if path.endswith(".html")]

    def made(self, path: str) -> None:
        if not path.endswith(".html"):
            return
        digest = self.known.get(path) or gate_cache.page_hash(self.pages[path])
        self.hashes[path] = digest
        last = self.record.pages.get(path) if self.record is not None else None
        if last is None or last.hash != digest:
            self._add(path)

    def _add(self, path: str) -> None:
        """Put ``path`` in its process's part, sent when it is full."""
        self.turn += 1
        checker = self.gate.checker_of(path, self.turn)
        self.parts[checker].append(path)
        if len(self.parts[checker]) >= CHUNK:
            self._send(checker)

    def _send(self, checker: int) -> None:
        part = self.parts[checker]
        if not part:
            return
        self.parts[checker] = []
        self.sent.update(part)
        chosen = set(part)
        deferred = [path for path in self.html if path not in chosen]
        job = self.gate.job(self.slug, self.base_path, self.pages, self.filled, part, self.paths)
        pool = self.gate.pools[checker]
        self.done.append(pool.submit(check_slots.check_one, job, None, deferred))

    def finish(self) -> Future[tuple[list[Finding], float]]:
        """The site is made: check the rest of what the plan asks for; a future of the site's
        findings."""
        plan = gate_cache.plan(self.pages, self.record, {**self.known, **self.hashes})
        self.gate.checked[self.slug] = len(plan.check)
        waiting = self.sent.union(*self.parts)
        for path in self.pages:
            if path in plan.check and path not in waiting:
                self._add(path)
        for checker in range(len(self.parts)):
            self._send(checker)
        return self.gate.merged(self.done, plan, self.record, self.key, self.pages)


def statement(
    report: BuildReport,
    specialiser: Specialiser,
    site: Site,
    pages: MutableMapping[str, str],
    findings: list[Finding],
    settings: _Settings,
    built: datetime,
    known: Mapping[str, str] | None = None,
    made: Mapping[str, str] | None = None,
) -> None:
    """6. Evidence and statement, one site. In: the gate's findings, the pages and assets as
    built (``known``: the SHA-256 of the pages carried over, from the live manifest; ``made``:
    of pages made now, as the check hashed them) and the browser run saved by ``perhekeskus
    audit``. Out: the site's accessibility evidence, and its statement filled from it (in
    ``pages``) and checked like every other page."""
    with _timed(report, "6 statements"):
        report.findings[site.slug], report.evidence[site.slug] = _statement(
            specialiser, site, pages, findings, settings, built, known, made
        )


def write_early_one(
    release: Release,
    site: SiteInput,
    settings: _Settings,
    skip: Collection[str],
    cache: BuildCache | None = None,
    live: LiveSite | None = None,
) -> tuple[EarlyPages, float]:
    """8. Write, one site's pages while it is checked (in a writer thread). In: its pages but
    ``skip`` (the statements, filled again after the check). Out: those pages in the run's
    release, compressed, and the seconds it took; :func:`write_one` writes the rest."""
    start = time.perf_counter()
    reuse = cache is not None and cache.on
    early = write_early(release, site, settings.cdn, skip, reuse, live, KeptFacts(cache, site.slug))
    return early, time.perf_counter() - start


def write_one(
    release: Release,
    site: SiteInput,
    settings: _Settings,
    now: datetime,
    national_index: Future[tuple[NationalIndex, float]] | None,
    cache: BuildCache | None = None,
    live: LiveSite | None = None,
    early: Future[tuple[EarlyPages, float]] | None = None,
    ahead: Future[OwnIndex] | None = None,
) -> tuple[float, Path]:
    """8. Index and write, one site (in a writer thread; Pagefind is a subprocess). In: the
    site's pages and, when searching, the national articles' index (made once per build). Out:
    the site in the run's release, not yet live, with that index linked in and an index of its
    own pages (:mod:`pipeline.site.search`); the seconds it took and the site's folder. With
    ``cache`` on, what is live with the same bytes is linked, not written, a site the same file
    for file keeps its live folder (:mod:`pipeline.deploy.reuse`), and an index of the same
    pages is not made again. ``live``: the live site, when the build read it already.
    ``early``: its pages written while it was checked (:func:`write_early_one`); ``ahead``:
    the index of its own pages made meanwhile (:func:`own_index_ahead_one`)."""
    written, before = early.result() if early is not None else (None, 0.0)
    start = time.perf_counter()
    work = release.work_folder()

    def index(files: SiteFiles, facts: Mapping[str, PageFacts]) -> None:
        assert national_index is not None
        national = national_index.result()[0]
        made = ahead.result() if ahead is not None else None
        index_site(files, site.pages, facts, national, work / "sites" / site.slug, cache, made)

    folder = write_site(
        release, site, settings.assets, settings.cdn, now,
        before_manifest=index if national_index is not None else None,
        reuse=cache is not None and cache.on, live=live, kept=KeptFacts(cache, site.slug),
        early=written,
    )  # fmt: skip
    return before + time.perf_counter() - start, folder


def own_index_ahead_one(
    pages: SitePages,
    national_index: Future[tuple[NationalIndex, float]],
    scratch: Path,
    cache: BuildCache | None = None,
    carried: Mapping[str, str] | None = None,
    slug: str = "",
) -> OwnIndex:
    """8. Index, one site's own pages while they are written (in a writer thread; Pagefind
    runs are subprocesses): a run of one site has nothing else to index, and its writing
    leaves a core to Pagefind. In: the site's pages, the national index's paths and, of the
    pages carried over from the live site, the SHA-256 the live manifest has (their facts are
    kept by it: they are read only when Pagefind indexes them). Out: the index, which
    :func:`write_one` takes when the pages written have the same views
    (:func:`~pipeline.site.search.own_index_ahead`)."""
    national = national_index.result()[0]
    kept = KeptFacts(cache, slug)
    known = {
        path: kept.of(sha, partial(pages.__getitem__, path))
        for path, sha in (carried or {}).items()
        if path not in national.paths
    }
    return own_index_ahead(pages, national.paths, scratch, cache, known)


def national_index_of(
    pages: Mapping[str, str], work: Path, cache: BuildCache | None = None
) -> tuple[NationalIndex, float]:
    """8. Index, once per build (in a writer thread). In: the national render's pages. Out: the
    national articles' index (from ``cache`` when the same articles were indexed before), linked
    into every site, and the seconds it took."""
    start = time.perf_counter()
    return write_national_index(pages, work / "national", cache), time.perf_counter() - start


def switch(report: BuildReport, project: Project, release: Release, search: bool) -> None:
    """8. Publish. In: the run's release, every site valid and written. Out: every site switched
    in at once with the index page of all sites (:mod:`pipeline.deploy.release`)."""
    names = {NATIONAL: project.config.extra.site_names.fi} | {
        slug: project.areas[slug].region.name.fi for slug in sorted(project.areas)
    }
    with _timed(report, _publish_stage(search)):
        release.switch(lambda slugs: index_page({slug: names.get(slug, slug) for slug in slugs}))


def _publish_stage(search: bool) -> str:
    return "8 index and publish" if search else "8 publish"


@dataclass(frozen=True)
class _Settings:
    """What every site of a run shares in stages 4–8."""

    assets: Path
    out_dir: Path
    cdn: Cdn
    gate: Literal["fail", "report"]
    search: bool
    cache: BuildCache | None = None
    """The build cache (:mod:`pipeline.cache`); None or off: everything is made anew."""
    today: date | None = None
    """The build date (the key of each site's activities and events holds it)."""


@dataclass(frozen=True)
class _Ready:
    """A site about to be specialised: its key, what of it is carried over from its live
    folder, and about how many pages it will make."""

    key: str | None
    carried: Carry | None
    live: LiveSite | None
    pages: int


@dataclass
class _Held:
    """A site whose pages are in memory: being checked, or (``written`` set) being written."""

    site: Site
    pages: SitePages
    checked: Future[tuple[list[Finding], float]]
    written: Future[tuple[float, Path]] | None = None
    record: tuple[str, SiteRecord] | None = None
    """The site's key and record (its folder still to name), kept once it is written
    (:mod:`pipeline.site.carry`)."""
    known: Mapping[str, str] = field(default_factory=dict)
    """Its pages carried over from the live site as they are, with the SHA-256 the live
    site's manifest has of each."""
    live: LiveSite | None = None
    """The live site, when it was read to carry pages over (the writer does not read it
    again)."""
    early: Future[tuple[EarlyPages, float]] | None = None
    """Its pages being written while it is checked (all but the statements)."""
    ahead: Future[OwnIndex] | None = None
    """The index of its own pages, being made while they are written."""
    made: Mapping[str, str] = field(default_factory=dict)
    """The SHA-256 of its pages made now, as the check hashed them (a run of one site)."""


class SiteStream:
    """Stages 4–8, site after site, with the pages of at most :data:`IN_FLIGHT` sites held.

    The main process specialises (4) and fills statements (6); the gate (5) runs in a worker
    process, indexing and writing (8) in threads whose Pagefind runs are subprocesses. A site
    is written only while the whole run is still valid: after the first invalid county or gate
    finding (``gate="fail"``) the remaining sites are still specialised, checked and their
    statements filled, for their problems, but nothing more is written; the caller raises the
    problems and discards the release."""

    def __init__(
        self,
        report: BuildReport,
        specialiser: Specialiser,
        settings: _Settings,
        release: Release,
        bar: Progress,
        project_key: str | None = None,
    ) -> None:
        self.report = report
        self.specialiser = specialiser
        self.settings = settings
        self.release = release
        self.bar = bar
        self.task = bar.add_task("Sites", total=None)
        self.held: list[_Held] = []
        self.problems = Problems()
        self._ready: dict[str, _Ready] = {}
        self.now = datetime.now(UTC)
        self.built = self.now
        project = specialiser.project
        self.ptv = snapshot_info(project.services.snapshot, project.services.fetched_at, self.now)
        self.national_index: Future[tuple[NationalIndex, float]] | None = None
        self.project_key = project_key
        """What every site's key holds (:func:`pipeline.site.carry.project_key`); None
        without the build cache: nothing is carried over."""
        self.cache = settings.cache

    def run(
        self,
        sites: list[Site],
        national_pages: Mapping[str, str],
        meanwhile: Callable[[], None] | None = None,
    ) -> None:
        """Stream ``sites`` through stages 4–8 into the release; raise InvalidInput with every
        county's problems (the gate's findings are raised by :func:`enforce_gate`).
        ``meanwhile``: work for the main process once every site is specialised, while the
        last ones are checked and written."""
        timings = self.report.timings
        for stage in ("4 specialise", "5 check", "6 statements", "7 gate"):
            timings.setdefault(stage, 0.0)
        timings.setdefault(_publish_stage(self.settings.search), 0.0)
        self.bar.update(self.task, total=len(sites))
        self._carry_inputs(national_pages)
        # A run of one big site has no other site to specialise meanwhile: two checkers.
        workers = 2 if len(sites) == 1 and len(self.specialiser.compiled) >= SPLIT_AT else 1
        # The national index, then up to IN_FLIGHT sites written at once.
        self.writer = ThreadPoolExecutor(max_workers=IN_FLIGHT)
        gate: Gate | None = None
        cancel = True
        try:
            # The national index first: after an edit every site waits for it, and the gate's
            # processes start meanwhile.
            if self.settings.search:
                work = self.release.work_folder()
                self.national_index = self.writer.submit(
                    national_index_of, national_pages, work, self.cache
                )
            published = _published(self.settings.assets)
            self.gate = gate = Gate(self.specialiser, published, self.cache, workers)
            queue = list(sites)
            while queue:
                site, ready = self._next_of(queue)
                queue.remove(site)
                self._specialise(site, ready)
                self._advance()
            self.gate.submitted()
            if meanwhile is not None and self.valid:
                meanwhile()
            self._wait_until(lambda: not self.held)
            if self.national_index is not None and self.valid:
                # Waited for even when no site linked it: its failure is the build's.
                timings[_publish_stage(True)] += self.national_index.result()[1]
            cancel = False
        finally:
            # Every worker stops before the caller discards the release or switches it in.
            self.writer.shutdown(wait=True, cancel_futures=cancel)
            if gate is not None:
                gate.close(cancel)
                self.report.rechecked.update(gate.checked)
        # The sites in their order, whatever order they were made and written in.
        order = [s.slug for s in sites]
        for found in (self.report.sites, self.report.findings, self.report.evidence):
            _in_order(found, order)
        if self.problems.errors:
            raise InvalidInput(self.problems, "regions/")

    def _carry_inputs(self, national_pages: Mapping[str, str]) -> None:
        """What the sites' carried pages are checked against: each national page's hash, and
        the pages always made again (:mod:`pipeline.site.carry`)."""
        spec = self.specialiser
        self.national_hashes = {
            path: carry.page_hash(html) for path, html in national_pages.items()
        }
        self.always_made = {
            info.output_path
            for info, compiled in spec.compiled
            if any(name in compiled.slots for name in carry.ALWAYS_MADE)
        }

    @property
    def valid(self) -> bool:
        """Nothing so far stops the build: sites are still worth writing."""
        findings = self.settings.gate == "fail" and any(self.report.findings.values())
        return not self.problems.errors and not findings

    def _next_of(self, queue: list[Site]) -> tuple[Site, _Ready]:
        """The site to specialise next, when there is room for it: the first of ``queue``,
        or, while it would take the pages held over :data:`PAGES_IN_FLIGHT`, one of the next
        few that fits (a big county waits for the one before to be written while the main
        process makes a smaller one: memory stays bounded and no core idles)."""
        while True:
            if len(self.held) < IN_FLIGHT:
                held = sum(h.pages.made for h in self.held)
                for site in queue[:LOOK_AHEAD]:
                    ready = self._ready.get(site.slug) or self._prepare(site)
                    if not self.held or held + ready.pages <= PAGES_IN_FLIGHT:
                        return site, self._ready.pop(site.slug)
            self._wait_until(lambda: False, once=True)

    def _prepare(self, site: Site) -> _Ready:
        """What of ``site`` is carried over from its live folder, and so how many pages the
        site will make."""
        key = _site_key(self.project_key, self.specialiser, site)
        carried, live = self._carry(key, site) if key else (None, None)
        pages = self.specialiser.expected_pages(site) - len(_carried(carried))
        self._ready[site.slug] = _Ready(key, carried, live, pages)
        return self._ready[site.slug]

    def _specialise(self, site: Site, ready: _Ready) -> None:
        key, carried, live = ready.key, ready.carried, ready.live
        known = {path: live.files[path].sha256 for path in _carried(carried)} if live else {}
        # A run of one site: checked while it is made, by both checkers.
        streamed = (
            StreamedCheck(self.gate, site, known, warm=carried is None or not carried.complete)
            if self.gate.workers > 1
            else None
        )
        pages, filled, problems = specialise_site(
            self.report, self.specialiser, site, carried, streamed
        )
        self.report.carried[site.slug] = len(_carried(carried))
        self.problems.extend(problems)
        if self.problems.errors:
            # The build stops with the counties' problems: the rest are specialised for theirs.
            self.bar.advance(self.task)
            return
        if streamed is not None:
            checked = streamed.finish()
        else:
            checked = self.gate.submit(site, pages, filled, known)
        held = _Held(site, pages, checked, known=known, live=live)
        if streamed is not None:
            # Hashed for the check, and the same bytes when written: all but the statements
            # (filled again after the check) and the 404 pages (written root-relative).
            held.made = {
                path: digest
                for path, digest in streamed.hashes.items()
                if path not in self.always_made and not is_404(path)
            }
        if streamed is not None and self.valid:
            # A run of one site has nothing else to write while it is checked: its pages are
            # written meanwhile (into the release, published only once every site is valid).
            held.early = self.writer.submit(
                write_early_one, self.release, self._input(held), self.settings,
                self.always_made, self.cache, live,
            )  # fmt: skip
            if self.national_index is not None and (carried is None or not carried.complete):
                # Its data changed (a nightly's new snapshot, a new day): its own pages are
                # mostly new. (Carried whole, its own index is the one of the live site.)
                held.ahead = self.writer.submit(
                    own_index_ahead_one, pages.frozen(), self.national_index,
                    self.release.work_folder() / "ahead" / site.slug, self.cache, known,
                    site.slug,
                )  # fmt: skip
        if key:
            data = self.specialiser.site_data(site)
            held.record = (
                key,
                carry.record_of("", self.national_hashes, pages, filled, carried, problems, data),
            )
        self.held.append(held)

    def _carry(self, key: str, site: Site) -> tuple[Carry | None, LiveSite | None]:
        """What of ``site`` is the same as in its live folder (None: everything is made), and
        the live site as its manifest describes it. Nothing is carried when the manifest cannot
        be read or does not list every one of those pages."""
        assert self.cache is not None
        record = self.cache.get("carry", key)
        live = live_release(self.settings.out_dir)
        found = carry.carry(
            record if isinstance(record, SiteRecord) else None,
            live / site.slug if live is not None else None,
            self.national_hashes,
            self.always_made,
            self.specialiser.site_data(site),
        )
        found = found and self.specialiser.settle(site, found)
        live_site = read_live_site(self.settings.out_dir, site.slug) if found else None
        if found is None or live_site is None or not _carried(found) <= live_site.files.keys():
            return None, None
        return found, live_site

    def _wait_until(self, ready: Callable[[], bool], once: bool = False) -> None:
        """Move the held sites on until ``ready()`` (``once``: until one of them moved)."""
        while not ready():
            pending: list[Future[Any]] = [
                h.checked if h.written is None else h.written for h in self.held
            ]
            wait(pending, return_when=FIRST_COMPLETED)
            self._advance()
            if once:
                return

    def _advance(self) -> None:
        """Move on every site whose stage has finished: a checked site to its statement and
        its write (or out, when the run is no longer valid), a written one out of memory."""
        checks_in_order = True
        for held in list(self.held):
            if held.written is None:
                # Statements in site order: the findings, and so the problems, keep that order.
                if checks_in_order and held.checked.done():
                    self._checked(held)
                else:
                    checks_in_order = False
            elif held.written.done():
                self._written(held)

    def _checked(self, held: _Held) -> None:
        findings, seconds = held.checked.result()
        self.report.timings["5 check"] += seconds
        statement(
            self.report,
            self.specialiser,
            held.site,
            held.pages,
            findings,
            self.settings,
            self.built,
            held.known,
            held.made,
        )
        with _timed(self.report, "7 gate"):
            write = self.valid
        if not write:
            self._drop(held)
            return
        held.written = self.writer.submit(
            write_one, self.release, self._input(held), self.settings, self.now,
            self.national_index, self.cache, held.live, held.early, held.ahead,
        )  # fmt: skip

    def _input(self, held: _Held) -> SiteInput:
        """What the writer is given of a held site."""
        slug = held.site.slug
        return SiteInput(
            slug,
            held.pages,
            held.site.base_url,
            self._snapshots(slug),
            frozenset(held.known),
            held.made,
        )

    def _written(self, held: _Held) -> None:
        assert held.written is not None
        seconds, folder = held.written.result()
        self.report.timings[_publish_stage(self.settings.search)] += seconds
        self.report.sites[held.site.slug] = len(held.pages)
        if held.record is not None and self.cache is not None:
            key, record = held.record
            self.cache.put("carry", key, replace(record, folder=str(folder.resolve())))
        self._drop(held)

    def _drop(self, held: _Held) -> None:
        """The site's pages leave memory (what later stages need is in the report)."""
        self.held.remove(held)
        self.bar.advance(self.task)

    def _snapshots(self, slug: str) -> dict[str, dict[str, object]]:
        """The snapshots a site was built from, for its manifest."""
        found = {"ptv": self.ptv}
        if slug in self.report.events:
            events = self.report.events[slug]
            found["events"] = snapshot_info(events.snapshot, events.fetched_at, self.now)
        return found


def _in_order(by_site: dict[str, Any], order: list[str]) -> None:
    """Put ``by_site`` in the sites' order (in place)."""
    ordered = {slug: by_site[slug] for slug in order if slug in by_site}
    by_site.clear()
    by_site.update(ordered)


def _carried(carried: Carry | None) -> frozenset[str]:
    """The pages of a site carried over from its live folder."""
    return carried.paths if carried else frozenset()


def _statement(
    specialiser: Specialiser,
    site: Site,
    pages: MutableMapping[str, str],
    findings: list[Finding],
    settings: _Settings,
    built: datetime,
    known: Mapping[str, str] | None = None,
    made: Mapping[str, str] | None = None,
) -> tuple[list[Finding], Evidence]:
    """One site's evidence, and its statement filled from it (``pages`` is updated). The
    statement's own findings are part of the evidence too: when the filled statement has other
    findings than the first fill, the evidence is made again and the statement filled again."""

    def evidence_of(found: list[Finding]) -> Evidence:
        evidence = site_evidence(
            site.slug, pages, site.base_url, found, settings.assets, settings.out_dir,
            specialiser.project.root, built, known, made,
        )  # fmt: skip
        specialiser.audits[site.slug] = evidence
        return evidence

    evidence = evidence_of(findings)
    changed = specialiser.refill_statements(site, pages)
    rechecked = [f for f in findings if f.page not in changed] + check_site(
        site.slug,
        pages,
        urlsplit(site.base_url).path,
        only=changed,
        published=_published(settings.assets),
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


def _prepare_reports(
    report: BuildReport,
    project: Project,
    theme_dir: Path,
    cache: BuildCache,
    key: str | None,
) -> None:
    """9. Reports, made ahead: the counties' PTV reports into the build cache
    (:func:`~pipeline.quality.report.prepare_reports`)."""
    with _timed(report, "9 reports"):
        prepare_reports(project, theme_dir, cache, key)


def reports(
    report: BuildReport,
    project: Project,
    specialiser: Specialiser,
    root: Path,
    out_dir: Path,
    cache: BuildCache | None = None,
    key: str | None = None,
) -> None:
    """9. Reports. In: the project, the matched events and the evidence. Out:
    ``build/reports/``: the counties' PTV and events reports and the auditors' accessibility
    reports (HTML, and the evidence as JSON)."""
    with _timed(report, "9 reports"):
        theme_dir = root / project.config.theme.custom_dir
        write_reports(project, out_dir, theme_dir, cache, key)
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
