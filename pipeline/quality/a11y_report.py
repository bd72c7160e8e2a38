"""The auditors' report: ``build/reports/<slug>/accessibility.html`` and ``.json``.

Input: a site's :class:`~pipeline.quality.evidence.Evidence` (the same object the statement is
filled from), the WCAG criteria and the gate's rules (``data/wcag/``). Output: the evidence as
JSON, and a report an accessibility auditor reads without a programmer: the verdict, each check
with its tool, version, rule set, widths, colour schemes, text sizes, pages and date, what each
found, where axe-core and QualWeb disagree, and the known limitations. Everything shown comes
from the evidence; the report's Finnish words are in its template.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

from pipeline.quality.audit import criteria, gate_rules
from pipeline.quality.evidence import Evidence, helsinki_date


def report_data(evidence: Evidence, root: Path) -> dict[str, Any]:
    """The evidence, and the titles the report names it with (criteria and gate rules)."""
    known = criteria(root)
    return {
        "evidence": evidence,
        "titles": {code: c.title("fi") for code, c in known.items()},
        "gate_rules": dict(gate_rules(root)),
    }


def write_accessibility_report(
    evidence: Evidence, out_dir: Path, root: Path, theme_dir: Path
) -> Path:
    folder = out_dir / "reports" / evidence.site
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "accessibility.json").write_text(
        evidence.model_dump_json(indent=1) + "\n", encoding="utf-8"
    )
    env = Environment(
        loader=FileSystemLoader(str(theme_dir / "reports")), autoescape=select_autoescape(["html"])
    )
    env.filters["day"] = lambda moment: helsinki_date(moment).isoformat() if moment else "–"
    html = env.get_template("accessibility.html").render(**report_data(evidence, root))
    path = folder / "accessibility.html"
    path.write_text(html, encoding="utf-8")
    return path
