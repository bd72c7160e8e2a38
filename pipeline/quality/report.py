"""County reports: what a county's PTV maintainer needs to check and fix, and where its
activities and events came from.

Input: the project (articles, the county, the PTV dataset) and the matcher.
Output: ``build/reports/<slug>/ptv.json`` and ``ptv.html`` (in Finnish, the working language
of PTV maintenance): per article, the services shown and why; the county's services that match
no article; and the descriptions to fix (no Swedish text in a bilingual county, no summary,
service locations without opening hours or address, no update in a year, and every value the
pipeline could not use as it came: a phone field with two numbers, a phone number with letters,
a malformed link or e-mail address, invisible characters, ...), each with the service's id and
a link to its page on the county's site. The Finnish wording of those values' issues is data:
``reports/ptv-issues.yml`` in the theme. A county that has not adopted the service gets the
report as if it had, to prepare.

The events report (``events.json`` and ``events.html``, :func:`write_event_reports`) lists the
county's sources and items, the records of one activity merged into one (and why), every value
of a source that was dropped or could not be read, and the items each article shows and why.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import yaml
from jinja2 import Environment, FileSystemLoader, Template, select_autoescape

from pipeline import jsontext
from pipeline.cache import BuildCache
from pipeline.content.load import Project
from pipeline.content.models import Region
from pipeline.match import (
    EventReason,
    Match,
    Reason,
    match_article,
    offer_on,
    offered_on,
    site_hidden,
)
from pipeline.site import urls
from pipeline.site.events import SiteEvents
from pipeline.site.services import site_services
from pipeline.site.specialise import site_for
from pipeline.sources.events.model import Event
from pipeline.sources.ptv.model import Issue, Service, pick
from pipeline.sources.ptv.snapshot import Dataset

STALE_AFTER = timedelta(days=365)
CRITERIA_FI = {
    "service class": "palveluluokka",
    "ontology term": "ontologiakäsite",
    "keyword": "asiasana",
    "life event": "elämäntilanne",
    "target group": "kohderyhmä",
    "pinned": "lisätty käsin",
}


FIELD_NAME = re.compile(r"^[A-Za-z]+")


@dataclass
class Finding:
    service: str
    name: str
    problem: str
    """What to fix, in Finnish."""
    kind: str
    """A stable code for the JSON: missing-swedish, missing-summary, not-a-phone, ..."""
    channel: str | None = None
    """The channel the finding is about, if it is about one."""
    field: str | None = None
    """For a value the pipeline could not use: where it is in the PTV item (``phoneNumbers[2]``)."""
    message: str | None = None
    """For such a value: the build's own (English) message, for whoever maintains the site."""


@dataclass(frozen=True)
class IssueWording:
    """The Finnish words for issues (``reports/ptv-issues.yml`` of the theme)."""

    fields: Mapping[str, str]
    issues: Mapping[str, str]
    details: Mapping[str, str]

    @classmethod
    def load(cls, path: Path) -> IssueWording:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
        return cls(data["fields"], data["issues"], data["details"])

    def sentence(self, issue: Issue) -> str:
        """One issue in Finnish: "puhelinnumero: 'soita' ei ole puhelinnumero (...), ..."."""
        top = FIELD_NAME.match(issue.field)
        field_name = self.fields.get(top.group(0), top.group(0)) if top else issue.field
        template = self.issues.get(issue.kind)
        if template is None:
            return f"{field_name}: {issue.message}"
        return template.format(
            field=field_name,
            value=f"'{issue.value}'",
            detail=self.details.get(issue.detail, issue.detail),
        )


@dataclass
class CountyReport:
    slug: str
    region: Region
    fetched_at: datetime | None
    synthetic: bool
    articles: list[dict[str, Any]] = field(default_factory=list)
    unmatched: list[dict[str, Any]] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    pages: dict[str, str] = field(default_factory=dict)
    """The address of each of the county's services that has a page on the county's site."""
    services: int = 0
    without_own: list[str] = field(default_factory=list)
    """Titles of articles that show no service of the county or its municipalities."""


def reason_text(reason: Reason) -> str:
    """One reason in Finnish: "palveluluokka P5.2 (palvelulla P5.2.1)"."""
    if reason.criterion == "pinned":
        return "lisätty käsin aluetiedostossa"
    if reason.criterion == "target group" and reason.via == "KR1":
        return f"kohderyhmä {reason.value} (palvelu on kaikille kansalaisille, KR1)"
    text = f"{CRITERIA_FI[reason.criterion]} {reason.value}"
    return f"{text} (palvelulla {reason.via})" if reason.via else text


def _name(service: Service) -> str:
    found = pick(service.names, "fi")
    return found.value if found else service.id


def county_services(dataset: Dataset, region: Region) -> list[Service]:
    """The county's and its municipalities' own services (not the nationwide ones)."""
    adopted = region.model_copy(update={"adopted": True})
    return [
        s
        for s in dataset.services.values()
        if (offer := offer_on(s, adopted)) is not None and offer.scope != "nationwide"
    ]


def needs_swedish(service: Service, region: Region) -> bool:
    """Whether the service is offered in a bilingual municipality of the county (or county-wide
    in a bilingual county), so the law expects its description in Swedish too."""
    if region.code in service.counties:
        return region.bilingual
    return any(
        "sv" in m.languages for m in region.municipalities if m.code in service.municipalities
    )


def findings_of(
    service: Service,
    dataset: Dataset,
    region: Region,
    now: datetime,
    wording: IssueWording | None = None,
    known: frozenset[str] | None = None,
) -> list[Finding]:
    """What to fix in one service's PTV description (pure). With ``wording``, also every value
    of the service and its channels that could not be used as it came; with ``known`` (the
    municipality codes of the county list), every municipality code the list does not know
    (the pages leave it out)."""
    name = _name(service)
    found: list[Finding] = []

    def add(kind: str, problem: str) -> None:
        found.append(Finding(service.id, name, problem, kind))

    def add_issues(issues: tuple[Issue, ...], where: str = "", channel: str | None = None) -> None:
        if wording is None:
            return
        for issue in issues:
            problem = where + wording.sentence(issue)
            found.append(
                Finding(service.id, name, problem, issue.kind, channel, issue.field, issue.message)
            )

    add_issues(service.issues)
    if known is not None:
        add_issues(
            tuple(
                unknown_municipality("areas", code)
                for code in sorted(service.municipalities - known)
            )
        )

    if needs_swedish(service, region) and "sv" not in service.names:
        add(
            "missing-swedish", "ruotsinkielinen kuvaus puuttuu, vaikka palvelualue on kaksikielinen"
        )
    if not service.summaries.get("fi"):
        add("missing-summary", "tiivistelmä puuttuu")
    if not service.descriptions.get("fi"):
        add("missing-description", "kuvaus puuttuu")
    if not service.channels:
        add("no-channels", "palvelulla ei ole asiointikanavia (ei yhteystietoja)")
    for ident in service.channels:
        channel = dataset.channels.get(ident)
        if channel is None:
            add(
                "missing-channel", f"asiointikanavaa {ident} ei löydy (poistettu tai julkaisematon)"
            )
            continue
        label = pick(channel.names, "fi")
        where = f"asiointikanava {label.value if label else ident}"
        if channel.type == "ServiceLocation":
            if not channel.hours:
                add("no-hours", f"{where}: aukioloajat puuttuvat")
            if not any(a.kind == "visiting" for a in channel.addresses):
                add("no-address", f"{where}: käyntiosoite puuttuu")
        add_issues(channel.issues, f"{where}: ", channel.id)
        if known is not None:
            codes = {a.municipality for a in channel.addresses if a.municipality}
            add_issues(
                tuple(unknown_municipality("addresses", c) for c in sorted(codes - known)),
                f"{where}: ",
                channel.id,
            )
    if service.modified and now - service.modified > STALE_AFTER:
        add("stale", f"kuvausta ei ole päivitetty vuoteen ({service.modified:%d.%m.%Y})")
    return found


def unknown_municipality(field: str, code: str) -> Issue:
    """A municipality code that is well formed but not in the county list (Statistics
    Finland's classification, ``regions/``): the pages do not show it."""
    return Issue(
        field,
        "unknown-municipality",
        code,
        f"municipality code '{code}' is not in the county list: not shown on the pages",
    )


def known_municipalities(project: Project) -> frozenset[str]:
    """The municipality codes of every county."""
    return frozenset(m.code for a in project.areas.values() for m in a.region.municipalities)


def _match_row(match: Match) -> dict[str, Any]:
    return {
        "id": match.service.id,
        "name": _name(match.service),
        "scope": match.offer.scope,
        "municipalities": list(match.offer.municipalities),
        "reasons": [reason_text(r) for r in match.reasons],
        "reasons_raw": [
            {"criterion": r.criterion, "value": r.value, "via": r.via} for r in match.reasons
        ],
    }


def county_report(project: Project, slug: str, wording: IssueWording | None = None) -> CountyReport:
    region = project.areas[slug].region
    dataset = project.services
    # Prepare counties that have not adopted: show what their site would show.
    adopted = region.model_copy(update={"adopted": True})
    hidden = site_hidden(adopted)
    offered = [s for s in dataset.services.values() if s.id not in hidden]
    now = dataset.fetched_at or datetime.now().astimezone()
    report = CountyReport(slug, region, dataset.fetched_at, dataset.synthetic)
    matched: set[str] = set()
    index = offered_on(offered, adopted)
    for group in sorted(project.articles.values(), key=lambda g: g.source.meta.title):
        matches = match_article(group.id, group.source.meta.services, index, adopted)
        matched |= {m.service.id for m in matches}
        report.articles.append(
            {
                "id": group.id,
                "title": group.source.meta.title,
                "services": [_match_row(m) for m in matches],
            }
        )
    own = sorted(county_services(dataset, region), key=_name)
    report.services = len(own)
    report.without_own = [
        a["title"]
        for a in report.articles
        if not any(row["scope"] != "nationwide" for row in a["services"])
    ]
    report.unmatched = [
        {
            "id": s.id,
            "name": _name(s),
            "service_classes": list(s.service_classes),
            "target_groups": list(s.target_groups),
        }
        for s in own
        if s.id not in matched
    ]
    known = known_municipalities(project)
    for service in own:
        report.findings.extend(findings_of(service, dataset, region, now, wording, known))
    if region.adopted:
        base = site_for(project, slug).base_url
        shown = site_services(project, project.areas[slug]).pages
        report.pages = {
            s.id: urls.absolute(base, urls.service("fi", s.id)) for s in own if s.id in shown
        }
    return report


def as_json(report: CountyReport) -> dict[str, Any]:
    return {
        "area": report.slug,
        "name": report.region.name.fi,
        "adopted": report.region.adopted,
        "fetched_at": report.fetched_at.isoformat() if report.fetched_at else None,
        "synthetic": report.synthetic,
        "county_services": report.services,
        "articles": report.articles,
        "unmatched": report.unmatched,
        "articles_without_own_services": report.without_own,
        "findings": [f.__dict__ for f in report.findings],
        "service_pages": report.pages,
    }


def write_reports(
    project: Project,
    out_dir: Path,
    theme_dir: Path,
    cache: BuildCache | None = None,
    key: str | None = None,
) -> list[Path]:
    """Write ``reports/<slug>/ptv.json`` and ``ptv.html`` for every loaded county. With the
    build cache and ``key`` (the hash of everything a county's report is made from: the PTV
    dataset's content, the county files, the articles' front matter, the theme and settings,
    :func:`pipeline.site.carry.project_key`), a report made before from the same is taken
    from the cache."""
    written = []
    for slug, texts in _county_reports(project, theme_dir, cache, key):
        folder = out_dir / "reports" / slug
        folder.mkdir(parents=True, exist_ok=True)
        _write_changed(folder / "ptv.json", texts[0])
        _write_changed(folder / "ptv.html", texts[1])
        written.append(folder / "ptv.html")
    return written


def prepare_reports(
    project: Project, theme_dir: Path, cache: BuildCache | None, key: str | None
) -> None:
    """Make every county's PTV report that the build cache lacks and keep it there, for
    :func:`write_reports` (the build makes them while its last site is written)."""
    if cache is None or not cache.on or not key:
        return
    missing = [
        slug for slug in sorted(project.areas) if not cache.has("report", _entry(cache, key, slug))
    ]
    if missing:
        for _ in _county_reports(project, theme_dir, cache, key, missing):
            pass


def _entry(cache: BuildCache, key: str, slug: str) -> str:
    return cache.key("ptv-report", key, slug)


def _county_reports(
    project: Project,
    theme_dir: Path,
    cache: BuildCache | None,
    key: str | None,
    slugs: Iterable[str] | None = None,
) -> Iterator[tuple[str, tuple[str, str]]]:
    """Each county's PTV report (of ``slugs``, else of every loaded county) as JSON and HTML
    texts, from the cache when kept there (see :func:`write_reports`), one county at a time
    (each is megabytes)."""
    env = Environment(
        loader=FileSystemLoader(str(theme_dir / "reports")), autoescape=select_autoescape(["html"])
    )
    template = env.get_template("ptv.html")
    wording = IssueWording.load(theme_dir / "reports" / "ptv-issues.yml")
    for slug in sorted(project.areas) if slugs is None else slugs:
        entry = _entry(cache, key, slug) if cache and key else None
        texts = cache.get("report", entry) if cache and entry else None
        if not (isinstance(texts, tuple) and len(texts) == 2):
            texts = _county_texts(project, slug, wording, template)
            if cache and entry:
                cache.put("report", entry, texts)
        yield slug, texts


def _write_changed(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` unless the file holds it already: a county's PTV report is
    megabytes and most nights the same (writing the 23 again took half a second a build)."""
    data = text.encode("utf-8")
    with contextlib.suppress(OSError):
        if path.stat().st_size == len(data) and path.read_bytes() == data:
            return
    path.write_bytes(data)


def _county_texts(
    project: Project, slug: str, wording: IssueWording, template: Template
) -> tuple[str, str]:
    """A county's PTV report: its JSON and its HTML."""
    report = county_report(project, slug, wording)
    data = as_json(report)
    by_service: dict[str, list[Finding]] = {}
    for finding in report.findings:
        by_service.setdefault(finding.service, []).append(finding)
    html = template.render(report=report, data=data, by_service=by_service)
    return jsontext.readable(data), html


# --- activities and events -----------------------------------------------------------------
# ``build/reports/<slug>/events.json`` and ``events.html`` (Finnish): where the county's
# activities and events came from, which records of the same activity were merged and why,
# every value of a source that was dropped or could not be read, and which items each article
# shows and why.

EVENT_CRITERIA_FI = {
    "ontology term": "ontologiakäsite",
    "theme": "teema",
    "keyword": "asiasana",
    "age": "ikä",
    "audience": "kohderyhmä",
}
EVENT_SOURCES_FI = {
    "linked-events": "Linked Events",
    "ics": "alueen kalenteri (ICS)",
    "lahella": "Lähellä.fi",
    "ptv": "PTV",
}


def event_reason_text(reason: EventReason) -> str:
    """One reason in Finnish: "teema vauva (sana 'vauva*' nimessä tai kuvauksessa, fi)"."""
    name = EVENT_CRITERIA_FI[reason.criterion]
    if reason.criterion == "theme" and reason.via and reason.via.startswith("http"):
        return f"{name} {reason.value} (käsite {reason.via})"
    if reason.criterion == "theme" and reason.via:
        return (
            f"{name} {reason.value} (sana '{reason.via}' nimessä tai tiivistelmässä, {reason.lang})"
        )
    if reason.criterion == "keyword":
        return f"{name} {reason.value} (suomenkielisessä nimessä tai tiivistelmässä)"
    if reason.criterion == "age":
        return f"{name} {reason.value} sopii elämänvaiheeseen {reason.via}"
    if reason.criterion == "audience" and reason.via == "families":
        return f"{name} {reason.value} (kaikki lapsiperheet)"
    if reason.criterion == "audience":
        return f"{name} {reason.value} (elämänvaihe {reason.via})"
    return f"{name} {reason.value}"


def _event_name(event: Event) -> str:
    return event.name("fi")[0]


def events_report(project: Project, slug: str, found: SiteEvents) -> dict[str, Any]:
    """The county's events report as JSON-ready data (pure)."""
    dataset = found.dataset
    shown: set[str] = set()
    articles = []
    for group in sorted(project.articles.values(), key=lambda g: g.source.meta.title):
        matches = found.by_article.get(group.id, [])
        shown |= {m.event.id for m in matches}
        articles.append(
            {
                "id": group.id,
                "title": group.source.meta.title,
                "items": [
                    {
                        "id": m.event.id,
                        "name": _event_name(m.event),
                        "start": m.event.start.isoformat() if m.event.start else None,
                        "reasons": [event_reason_text(r) for r in m.reasons],
                        "reasons_raw": [r.__dict__ for r in m.reasons],
                    }
                    for m in matches
                ],
            }
        )
    names = {e.id: _event_name(e) for e in dataset.items.values()}
    return {
        "area": slug,
        "name": project.areas[slug].region.name.fi,
        "today": dataset.today.isoformat(),
        "horizon": dataset.horizon.isoformat(),
        "snapshot": dataset.snapshot,
        "fetched_at": dataset.fetched_at.isoformat() if dataset.fetched_at else None,
        "fallback": dataset.fallback,
        "sample": dataset.sample,
        "sources": dict(dataset.sources),
        "items": len(dataset.items),
        "merges": [
            {
                "kept": m.kept,
                "kept_name": names.get(m.kept, m.kept),
                "dropped": m.dropped,
                "reason": m.reason,
            }
            for m in dataset.merges
        ],
        "problems": [
            {"where": p.path, "message": p.message, "severity": p.severity}
            for p in dataset.problems
        ],
        "articles": articles,
        "unmatched": [
            {"id": e.id, "name": _event_name(e), "source": e.source}
            for e in dataset.items.values()
            if e.id not in shown
        ],
    }


def write_event_reports(
    project: Project, found: Mapping[str, SiteEvents], out_dir: Path, theme_dir: Path
) -> list[Path]:
    """Write ``reports/<slug>/events.json`` and ``events.html`` for every county with events."""
    env = Environment(
        loader=FileSystemLoader(str(theme_dir / "reports")), autoescape=select_autoescape(["html"])
    )
    template = env.get_template("events.html")
    written = []
    for slug in sorted(found):
        data = events_report(project, slug, found[slug])
        folder = out_dir / "reports" / slug
        folder.mkdir(parents=True, exist_ok=True)
        jsontext.write(folder / "events.json", data)
        html = template.render(data=data, sources=EVENT_SOURCES_FI)
        (folder / "events.html").write_text(html, encoding="utf-8")
        written.append(folder / "events.html")
    return written
