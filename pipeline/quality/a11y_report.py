"""The auditors' report: ``build/reports/<slug>/accessibility.html`` and ``.json``.

Input: a site's :class:`~pipeline.quality.evidence.Evidence` (the same object the statement is
filled from), the WCAG criteria and the gate's rules (``data/wcag/``). Output: the evidence as
JSON, and a report an accessibility auditor reads without a programmer: the verdict, each check
with its tool, version, rule set, widths, colour schemes, text sizes, pages and date, what each
found, where axe-core and QualWeb disagree, the findings reviewed as false positives (each with
its reason, and the reviews that matched nothing), and the known limitations. Everything shown comes
from the evidence; the report's Finnish words are in its template.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

from pipeline.quality.audit import criteria, gate_rules
from pipeline.quality.evidence import Check, Evidence, helsinki_date


@dataclass
class FindingGroup:
    """The findings of one rule on one page with the same message: one row of the report."""

    criteria: list[str]
    rule: str
    page: str
    message: str
    elements: list[str] = field(default_factory=list)
    where: list[str] = field(default_factory=list)
    """Widths and colour schemes (``320 px, dark``)."""
    holds: bool = True
    """False when the page changed since the check ran (a stale check)."""
    reviewed: str = ""
    """The id of the review that judged these findings false positives ("" for failures)."""


def grouped_findings(check: Check) -> list[FindingGroup]:
    """A check's findings, one group per page, rule, message and review (a rule that fails on
    twenty links of a page is one row naming the elements, its criteria together); failures
    first, then the findings reviewed as false positives."""
    valid = set(check.valid_findings())
    groups: dict[tuple[str, str, str, str], FindingGroup] = {}
    for f in sorted(check.findings, key=lambda f: bool(f.reviewed)):
        group = groups.setdefault(
            (f.page, f.rule, f.message, f.reviewed),
            FindingGroup([], f.rule, f.page, f.message, holds=f in valid, reviewed=f.reviewed),
        )
        where = ", ".join(
            str(part) for part in (f"{f.width} px" if f.width else "", f.scheme) if part
        )
        for items, value in (
            (group.criteria, f.criterion),
            (group.elements, f.element),
            (group.where, where),
        ):
            if value and value not in items:
                items.append(value)
    return list(groups.values())


def report_data(evidence: Evidence, root: Path) -> dict[str, Any]:
    """The evidence, its findings grouped for reading, and the titles the report names them
    with (criteria and gate rules)."""
    known = criteria(root)
    return {
        "evidence": evidence,
        "groups": {check.engine: grouped_findings(check) for check in evidence.checks},
        "titles": {code: c.title("fi") for code, c in known.items()},
        "gate_rules": dict(gate_rules(root)),
        "reviews": {review.id: review for review in evidence.reviews},
        "matches": {review.id: evidence.review_matches(review.id) for review in evidence.reviews},
    }


def write_accessibility_report(
    evidence: Evidence, out_dir: Path, root: Path, theme_dir: Path
) -> Path:
    folder = out_dir / "reports" / evidence.site
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "accessibility.json").write_text(
        evidence.model_dump_json(indent=1) + "\n", encoding="utf-8"
    )
    template = _environment(theme_dir / "reports").get_template("accessibility.html")
    html = template.render(**report_data(evidence, root))
    path = folder / "accessibility.html"
    path.write_text(html, encoding="utf-8")
    return path


@functools.lru_cache(maxsize=4)
def _environment(folder: Path) -> Environment:
    """The reports' templates, compiled once (a run writes one report per site) and again
    when a template file changes (Jinja checks its time)."""
    env = Environment(loader=FileSystemLoader(str(folder)), autoescape=select_autoescape(["html"]))
    env.filters["day"] = lambda moment: helsinki_date(moment).isoformat() if moment else "–"
    return env
