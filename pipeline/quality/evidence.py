"""The accessibility evidence of a site: one result object for every check.

Input: the checks of one site: the HTML gate of this build (:mod:`pipeline.quality.audit`), and
the browser run that ``perhekeskus audit`` saved (:mod:`pipeline.quality.browser_audit`:
axe-core, the Nu Html Checker, QualWeb, the reflow and keyboard journeys), with the SHA-256 of
every page as built now.
Output: :class:`Evidence`, written as ``build/reports/<slug>/accessibility.json``. The
accessibility statement (fi/sv/en), the auditors' HTML report and the build summary are all
rendered from it, so they cannot disagree.

It fails closed. A check "passed" only when its tool ran, answered in a form we could read and
found nothing. A tool that crashed, printed nothing or printed something unreadable is "error".
A saved browser run whose page hashes no longer match the pages as built is "stale": its
findings still count on the pages that did not change, and it proves nothing about the others.
The site passed only when every check that ran passed and none is in error or stale.

Reviewed findings (``data/wcag/reviewed-findings.yml``): a finding that people reviewed and
judged to be the tool's error on a correct page (a false positive) is kept, marked with the
review's id, and shown with its reason; it is not a failure. An entry matches only its own
engine and rule, and only findings whose element matches its selector pattern; an entry that
matched nothing is listed as unused, so a stale waiver is seen.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import defaultdict
from collections.abc import Mapping
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Literal, get_args
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field, ValidationError, computed_field, field_validator

from pipeline.content.yamlfile import line_of, parse_yaml, read_text
from pipeline.deploy import files_in
from pipeline.problems import InvalidInput, Problems

Engine = Literal["gate", "nu-html-checker", "axe-core", "qualweb", "reflow", "keyboard"]
"""The checks, in the order the statement and the reports list them."""
ENGINES: tuple[Engine, ...] = get_args(Engine)
BROWSER_ENGINES: tuple[Engine, ...] = ENGINES[1:]
"""The checks of the browser run (``perhekeskus audit``); the gate runs in every build."""
Status = Literal["passed", "failed", "error", "stale", "not run"]
Verdict = Literal["passed", "failed", "incomplete"]
"""``incomplete``: nothing failed, but a check is in error or stale, so no pass is claimed."""

RUN_FILE = "browser-audit.json"
"""The saved browser run, next to the reports: ``build/reports/<slug>/browser-audit.json``."""
EVIDENCE_PART = re.compile(r"<!--evidence-->.*?<!--/evidence-->", re.DOTALL)
"""The part of the statement page rendered from this evidence (``slots/statement-status.html``).
A page hash leaves it out: the statement changes when an audit is recorded, and must not make
the audit that produced it stale."""


HELSINKI = ZoneInfo("Europe/Helsinki")


def helsinki_date(moment: datetime) -> date:
    """The day in Finland when something ran (the runs record UTC)."""
    return moment.astimezone(HELSINKI).date()


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Reasons(_Model):
    """Why a finding is a false positive, in each language of the statement."""

    fi: str = Field(min_length=1)
    sv: str = Field(min_length=1)
    en: str = Field(min_length=1)


class Finding(_Model):
    """One failure a check found."""

    criterion: str
    """The WCAG success criterion (``1.4.3``), or "" for a rule outside WCAG (best practice)."""
    rule: str
    """The tool's rule (axe-core's ``color-contrast``, a QualWeb ACT rule, a journey name)."""
    page: str
    """The page as audited: its site-relative address (``fi/``), the key of :class:`AuditedPage`."""
    element: str = ""
    """Where on the page: a CSS selector, an element, a line of the HTML."""
    message: str
    width: int | None = None
    """The window width in px, for the browser checks."""
    scheme: str | None = None
    """The colour scheme, for the browser checks."""
    reviewed: str = ""
    """The id of the :class:`Review` that judged it a false positive ("" for none); set when
    the evidence is made (:func:`apply_reviews`), never by the tool."""


class Review(_Model):
    """A finding of a tool that people reviewed and judged to be the tool's error (a false
    positive): one entry of ``data/wcag/reviewed-findings.yml``."""

    id: str = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")
    engine: Engine
    rule: str = Field(min_length=1)
    """The tool's rule id (``QW-WCAG-T24``): the entry matches no other rule."""
    selector: str = Field(min_length=1)
    """A regular expression searched in the finding's element (its CSS selector)."""
    reason: Reasons
    reviewed_by: str = Field(min_length=1)
    """A role (``accessibility lead of the project``), never a person's name."""
    date: date

    @field_validator("selector")
    @classmethod
    def _compiles(cls, value: str) -> str:
        try:
            re.compile(value)
        except re.error as error:
            raise ValueError(f"the selector is not a regular expression: {error}") from None
        return value

    def matches(self, engine: Engine, finding: Finding) -> bool:
        return (
            engine == self.engine
            and finding.rule == self.rule
            and re.search(self.selector, finding.element) is not None
        )


class AuditedPage(_Model):
    """A page a check audited, and the hash of its HTML as the check saw it."""

    url: str
    """The site-relative address as audited (``fi/haku/?q=neuvola``)."""
    path: str
    """The HTML file it was served from (``fi/haku/index.html``), whose hash is compared."""
    sha256: str
    kind: str = ""
    """The page type (``article``), where the check chose one page of each type."""
    lang: str = ""


class Check(_Model):
    """One check of a site: what was tested, with what, when, and what it found."""

    engine: Engine
    tool: str
    """The tool's name (``axe-core``)."""
    version: str = ""
    rules: list[str] = []
    """The rule set: axe-core's tags, QualWeb's modules, the journeys, the gate's criteria."""
    widths: list[int] = []
    schemes: list[str] = []
    text_sizes: list[str] = []
    pages: list[AuditedPage] = []
    every_page: bool = False
    """The check covers every page of the site: a page added since makes it stale too."""
    assets_sha256: str = ""
    """The hash of the theme's style sheets, scripts and images the pages were built with (""
    for a check of the HTML alone): a change makes a browser check stale."""
    ran: datetime | None = None
    """When it started (UTC); for a stale check, when the last valid run started."""
    status: Status
    reason: str = ""
    """Why it is in error, stale or not run, in words."""
    findings: list[Finding] = []
    changed: list[str] = []
    """Files changed or added since the check ran (``assets/`` for the style sheets and
    scripts); filled when a saved run is compared with the pages as built."""

    def page(self, url: str) -> AuditedPage | None:
        return next((p for p in self.pages if p.url == url), None)

    def valid_findings(self) -> list[Finding]:
        """The findings that still describe the site: all of a current check, those on
        unchanged pages of a stale one, none of a check in error or not run. Reviewed false
        positives are among them (a check whose findings are all reviewed has passed)."""
        if self.status in ("passed", "failed"):
            return list(self.findings)
        if self.status != "stale" or "assets/" in self.changed:
            return []
        changed = set(self.changed)
        return [f for f in self.findings if self.path_of(f.page) not in changed]

    def failures(self) -> list[Finding]:
        """The valid findings that count as failures: those not reviewed as false positives."""
        return [f for f in self.valid_findings() if not f.reviewed]

    def reviewed_findings(self) -> list[Finding]:
        """The valid findings reviewed as false positives."""
        return [f for f in self.valid_findings() if f.reviewed]

    def path_of(self, url: str) -> str:
        page = self.page(url)
        return page.path if page else url

    def changed_pages(self) -> int:
        """How many of the audited pages changed (all of them when the assets did), plus the
        pages added since; for the statement's 'pages have changed since'."""
        if "assets/" in self.changed:
            return len({p.path for p in self.pages})
        return len(set(self.changed))


class Limitation(_Model):
    """A failed success criterion, as the statement and the report list it."""

    criterion: str
    """"" for rules outside WCAG (best practice), listed last."""
    pages: list[str]
    """The files where it failed, whichever check found it."""
    engines: list[Engine]


class Disagreement(_Model):
    """A criterion one browser engine failed on a page and the other did not."""

    page: str
    criterion: str
    found_by: Engine
    not_found_by: Engine
    rules: list[str]
    """The finder's rules that failed."""


class Evidence(_Model):
    """Every check of one site as built now: the statement, the reports and the console's
    summary read only this."""

    site: str
    built: datetime
    pages: int
    """How many pages the site has."""
    checks: list[Check]
    reviews: list[Review] = []
    """The reviewed false positives applied to the checks (:func:`apply_reviews`)."""

    def check(self, engine: Engine) -> Check:
        return next(c for c in self.checks if c.engine == engine)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def verdict(self) -> Verdict:
        if any(c.failures() for c in self.checks):
            return "failed"
        if any(c.status in ("error", "stale") for c in self.checks):
            return "incomplete"
        return "passed"

    @computed_field  # type: ignore[prop-decorator]
    @property
    def passed(self) -> bool:
        """Every check that ran passed, and none is in error or stale."""
        return self.verdict == "passed"

    @computed_field  # type: ignore[prop-decorator]
    @property
    def limitations(self) -> list[Limitation]:
        """The failed criteria of every check, with the pages and the engines that found them."""
        pages: dict[str, set[str]] = defaultdict(set)
        engines: dict[str, set[Engine]] = defaultdict(set)
        for check in self.checks:
            for finding in check.failures():
                pages[finding.criterion].add(check.path_of(finding.page))
                engines[finding.criterion].add(check.engine)
        return [
            Limitation(
                criterion=code,
                pages=sorted(pages[code]),
                engines=[e for e in ENGINES if e in engines[code]],
            )
            for code in sorted(pages, key=_criterion_order)
        ]

    @computed_field  # type: ignore[prop-decorator]
    @property
    def disagreements(self) -> list[Disagreement]:
        """Where axe-core and QualWeb differ on a criterion of a page both audited validly."""
        axe, qualweb = self.check("axe-core"), self.check("qualweb")
        return disagreements(axe, qualweb) + disagreements(qualweb, axe)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def reviewed_count(self) -> int:
        """How many valid findings were reviewed as false positives (the statement says so)."""
        return sum(len(c.reviewed_findings()) for c in self.checks)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def unused_reviews(self) -> list[str]:
        """The ids of the reviews that matched no finding of their engine's check: stale
        waivers. A review of a check in error or not run is not judged (nothing to match)."""
        used = {f.reviewed for c in self.checks for f in c.findings}
        judged = {c.engine for c in self.checks if c.status in ("passed", "failed", "stale")}
        return [r.id for r in self.reviews if r.engine in judged and r.id not in used]

    def review_matches(self, review_id: str) -> int:
        """How many findings a review matched (valid or not)."""
        return sum(f.reviewed == review_id for c in self.checks for f in c.findings)


def _criterion_order(code: str) -> tuple[int, ...]:
    return tuple(int(n) for n in code.split(".")) if code else (99,)


def _failed_criteria(check: Check) -> dict[str, dict[str, set[str]]]:
    """Per page address: failed criterion -> the rules that failed it."""
    found: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for finding in check.failures():
        if finding.criterion:
            found[finding.page][finding.criterion].add(finding.rule)
    return found


def disagreements(finder: Check, other: Check) -> list[Disagreement]:
    """Criteria ``finder`` failed on a page that ``other`` audited validly and did not fail."""
    if other.status not in ("passed", "failed", "stale") or "assets/" in other.changed:
        return []
    changed = set(other.changed)
    theirs = _failed_criteria(other)
    found = []
    for url, criteria in sorted(_failed_criteria(finder).items()):
        page = other.page(url)
        if page is None or page.path in changed:
            continue
        for code, rules in sorted(criteria.items(), key=lambda item: _criterion_order(item[0])):
            if code not in theirs.get(url, {}):
                found.append(
                    Disagreement(
                        page=url,
                        criterion=code,
                        found_by=finder.engine,
                        not_found_by=other.engine,
                        rules=sorted(rules),
                    )
                )
    return found


# --- building checks --------------------------------------------------------------------------


def status_of(findings: list[Finding]) -> Status:
    return "failed" if findings else "passed"


def error_check(engine: Engine, tool: str, reason: str, ran: datetime | None) -> Check:
    """A check whose tool could not audit: never a pass."""
    return Check(engine=engine, tool=tool, ran=ran, status="error", reason=reason)


def not_run(engine: Engine, reason: str) -> Check:
    return Check(engine=engine, tool=TOOL_NAMES[engine], status="not run", reason=reason)


TOOL_NAMES: dict[Engine, str] = {
    "gate": "perhekeskus",
    "nu-html-checker": "Nu Html Checker",
    "axe-core": "axe-core",
    "qualweb": "QualWeb",
    "reflow": "Chromium",
    "keyboard": "Chromium",
}


def verify(check: Check, hashes: Mapping[str, str], assets: str) -> Check:
    """A saved check against the pages as built now: stale when a page it audited changed
    or is gone, when a page was added to a check of every page, or when the style sheets and
    scripts it ran with changed."""
    if check.status in ("error", "not run"):
        return check
    changed = {p.path for p in check.pages if hashes.get(p.path) != p.sha256}
    if check.every_page:
        changed |= set(hashes) - {p.path for p in check.pages}
    if check.assets_sha256 and check.assets_sha256 != assets:
        changed.add("assets/")
    if not changed:
        return check
    when = helsinki_date(check.ran).isoformat() if check.ran else "an unknown date"
    listed = ", ".join(sorted(changed)[:3]) + (", ..." if len(changed) > 3 else "")
    return check.model_copy(
        update={
            "status": "stale",
            "changed": sorted(changed),
            "reason": f"{len(changed)} files changed or added since the run of {when}: {listed}",
        }
    )


# --- reviewed false positives ---------------------------------------------------------------

REVIEWS_FILE = Path("data") / "wcag" / "reviewed-findings.yml"
"""The reviewed false positives, in the project folder."""


class _ReviewsFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reviews: list[Review]


@cache
def read_reviews(root: Path) -> tuple[Review, ...]:
    """The reviewed false positives of ``data/wcag/reviewed-findings.yml``; a file that cannot
    be read, or an entry that is not valid, raises :class:`InvalidInput` (``path:line:
    message``, every problem at once): no finding is waived on a guess."""
    display = REVIEWS_FILE.as_posix()
    problems = Problems()
    text = read_text(root / REVIEWS_FILE, display, problems)
    data = parse_yaml(text, display, problems) if text is not None else None
    reviews: list[Review] = []
    if data is not None and not isinstance(data, list):
        problems.error(display, 1, "the file is not a list of reviewed findings")
    elif data is not None:
        try:
            reviews = _ReviewsFile.model_validate({"reviews": data}).reviews
        except ValidationError as exc:
            for error in exc.errors(include_url=False):
                loc = tuple(error["loc"])[1:]
                where = ".".join(str(part) for part in loc[1:]) or "the entry"
                entry = f"entry {loc[0] + 1}" if loc and isinstance(loc[0], int) else "the file"
                problems.error(display, line_of(data, loc), f"{entry}: {where}: {error['msg']}")
        ids = [r.id for r in reviews]
        for dup in sorted({i for i in ids if ids.count(i) > 1}):
            problems.error(display, None, f"the id '{dup}' is given to more than one entry")
    if problems.errors:
        raise InvalidInput(problems, display)
    return tuple(reviews)


def apply_reviews(evidence: Evidence, reviews: tuple[Review, ...]) -> Evidence:
    """The evidence with each finding marked by the first review that matches it (its engine,
    its rule, its element), and the reviews it was given. A current check whose findings are
    all reviewed has passed; a stale one stays stale."""
    checks = [_reviewed(check, reviews) for check in evidence.checks]
    return evidence.model_copy(update={"checks": checks, "reviews": list(reviews)})


def _reviewed(check: Check, reviews: tuple[Review, ...]) -> Check:
    findings = [
        f.model_copy(
            update={"reviewed": next((r.id for r in reviews if r.matches(check.engine, f)), "")}
        )
        for f in check.findings
    ]
    status = check.status
    if status in ("passed", "failed"):
        status = "failed" if any(not f.reviewed for f in findings) else "passed"
    return check.model_copy(update={"findings": findings, "status": status})


# --- page hashes --------------------------------------------------------------------------------


def page_sha256(html: str) -> str:
    """The SHA-256 of a page's HTML, without the statement's part rendered from the evidence."""
    return hashlib.sha256(EVIDENCE_PART.sub("<!--evidence-->", html).encode("utf-8")).hexdigest()


def html_pages(site_dir: Path) -> list[str]:
    """Every HTML page of a built site by its path in the site (its assets and search index
    aside)."""
    return sorted(
        rel
        for rel in files_in(site_dir)
        if rel.endswith(".html") and rel.split("/", 1)[0] not in ("assets", "pagefind")
    )


def files_sha256(site_dir: Path) -> dict[str, str]:
    """The hash of every HTML page of a built site, by its path in the site."""
    return {
        path: page_sha256((site_dir / path).read_text(encoding="utf-8"))
        for path in html_pages(site_dir)
    }


def assets_sha256(folder: Path) -> str:
    """One hash of every file of the theme's assets (style sheets, scripts, images), as a
    build publishes them with its pages."""
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(path.relative_to(folder).as_posix().encode("utf-8") + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


# --- the saved browser run ------------------------------------------------------------------


class BrowserRun(_Model):
    """What ``perhekeskus audit`` saves for later builds: its checks, with the page hashes."""

    site: str
    started: datetime
    checks: list[Check]


def run_path(out_dir: Path, slug: str) -> Path:
    return out_dir / "reports" / slug / RUN_FILE


def write_browser_run(out_dir: Path, run: BrowserRun) -> Path:
    path = run_path(out_dir, run.site)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(run.model_dump_json(indent=1) + "\n", encoding="utf-8")
    return path


def read_browser_run(out_dir: Path, slug: str) -> list[Check]:
    """The browser checks saved for a site, one per browser engine. No saved run: each is
    "not run"; a file that cannot be read: each is "error", with the reason."""
    path = run_path(out_dir, slug)
    if not path.exists():
        reason = "no browser run saved (run perhekeskus audit)"
        return [not_run(engine, reason) for engine in BROWSER_ENGINES]
    try:
        run = BrowserRun.model_validate(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, ValidationError) as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        reason = f"{path} could not be read ({first}); run perhekeskus audit again"
        return [error_check(e, TOOL_NAMES[e], reason, None) for e in BROWSER_ENGINES]
    if run.site != slug:
        reason = f"{path} is the run of '{run.site}', not '{slug}'; run perhekeskus audit again"
        return [error_check(e, TOOL_NAMES[e], reason, run.started) for e in BROWSER_ENGINES]
    saved = {c.engine: c for c in run.checks}
    reason = f"not part of the browser run of {helsinki_date(run.started).isoformat()}"
    return [saved.get(engine) or not_run(engine, reason) for engine in BROWSER_ENGINES]


# --- the console --------------------------------------------------------------------------


VERDICT_WORDS: dict[Verdict, str] = {
    "passed": "passed",
    "failed": "FAILED",
    "incomplete": "INCOMPLETE (no pass claimed)",
}


def summary_line(evidence: Evidence) -> str:
    """One line per site for ``perhekeskus build``: the verdict and each check's status."""
    parts = []
    for check in evidence.checks:
        text = f"{check.engine} {check.status}"
        if check.status in ("passed", "failed"):
            reviewed = len(check.reviewed_findings())
            text += f" ({len(check.failures())} findings"
            text += f", {reviewed} reviewed as false positives" if reviewed else ""
            text += f" on {len(check.pages)} pages)"
        elif check.status == "stale":
            text += f" ({check.changed_pages()} of {len(check.pages)} pages changed)"
        parts.append(text)
    verdict = VERDICT_WORDS[evidence.verdict]
    if evidence.verdict == "passed" and any(c.status == "not run" for c in evidence.checks):
        verdict = "passed so far (some checks not run)"
    unused = evidence.unused_reviews
    if unused:
        parts.append(f"reviews matching nothing (remove them?): {', '.join(unused)}")
    return f"{evidence.site}: accessibility {verdict}: " + ", ".join(parts)


def problem_lines(evidence: Evidence) -> list[str]:
    """Every reason the site did not pass, one line each, in words: checks in error or stale,
    then each finding that still holds."""
    lines = [
        f"{evidence.site}: {check.engine} {check.status}: {check.reason}"
        for check in evidence.checks
        if check.status in ("error", "stale")
    ]
    for check in evidence.checks:
        for f in check.failures():
            where = ", ".join(
                part
                for part in (f"{f.width} px" if f.width else "", f.scheme or "", f.element)
                if part
            )
            criterion = f"WCAG {f.criterion}" if f.criterion else "best practice"
            lines.append(
                f"{evidence.site}/{f.page}{f' ({where})' if where else ''}: {f.message} "
                f"[{check.tool} {f.rule}, {criterion}]"
            )
    return lines
