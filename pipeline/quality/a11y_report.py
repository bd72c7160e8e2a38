"""The auditors' report: ``build/reports/<slug>/accessibility.html`` and ``.json``.

Input: a site's :class:`~pipeline.quality.audit.AuditSummary` (the gate's findings of this build and
the last browser audit), the WCAG criteria, and the tool versions. Output: a report an
accessibility auditor reads without a programmer: what was tested, with which tools and
rules, on which pages and widths, the results per page type, and the known limitations.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, TypedDict

from jinja2 import Environment, FileSystemLoader, select_autoescape

from pipeline import __version__
from pipeline.quality.audit import AuditSummary, criteria
from pipeline.quality.browser_audit import AXE_TAGS, WIDTHS, PageResult

GATE_RULES = [
    ("3.1.1", "Sivun kieli: <html lang> on oikea"),
    ("3.1.2", "Osien kieli: lang-määritteet ovat kelvollisia kielikoodeja"),
    (
        "1.3.1",
        "Täsmälleen yksi h1, otsikkotasot eivät hyppää, maamerkit (header, nimetyt nav-alueet, "
        "main, footer), lomakekenttien nimilaput, taulukoiden otsakesolut",
    ),
    ("1.1.1", "Jokaisella kuvalla on alt-teksti (tyhjä, jos koriste)"),
    ("2.4.1", "Ohituslinkki on ensimmäinen kohdistettava elementti"),
    ("2.4.2", "Sivulla on otsikko (title)"),
    ("2.4.3", "Ei positiivisia tabindex-arvoja"),
    (
        "2.4.4",
        "Linkit ja ankkurit sivuston sisällä löytyvät; samannimiset linkit eivät vie eri "
        "paikkoihin samassa yhteydessä",
    ),
    ("2.4.6", "Otsikot eivät ole tyhjiä"),
    ("4.1.1", "Doctype, ei toistuvia id-arvoja"),
    (
        "4.1.2",
        "Linkeillä ja painikkeilla on saavutettava nimi; tel:- ja mailto:-linkit ovat "
        "oikeanmuotoisia; ei inline-tapahtumankäsittelijöitä; aria-viittaukset löytyvät",
    ),
]


TYPE_NAMES = {
    "home": "etusivu",
    "help": "etusivu, apupaneeli auki",
    "theme": "aihesivu",
    "article": "artikkeli",
    "article with quick exit": "artikkeli, jossa pikapoistumispainike",
    "plain-language article": "selkokielinen artikkeli",
    "service": "palvelusivu",
    "municipality": "kuntasivu",
    "county page": "alueen oma sivu",
    "accessibility statement": "saavutettavuusseloste",
    "search": "hakusivu",
    "search results": "hakutulokset",
    "404": "sivua ei löydy (404)",
}


class PageTypeRow(TypedDict):
    """The browser audit's results of one page type (all languages and widths)."""

    type: str
    """The page type's name in Finnish."""
    pages: list[PageResult]
    violations: int


def report_data(audit: AuditSummary, root: Path) -> dict[str, Any]:
    browser = audit.browser
    known = criteria(root)
    by_type: dict[str, PageTypeRow] = {}
    for page in browser.get("pages", []) if browser else []:
        kind = page.get("type", "page")
        row = by_type.setdefault(
            kind, {"type": TYPE_NAMES.get(kind, kind), "pages": [], "violations": 0}
        )
        row["pages"].append(page)
        row["violations"] += len(page.get("violations", []))
    limitations = audit.limitations(root, "fi")
    keyboard = browser.get("keyboard", []) if browser else []
    vnu = browser.get("vnu") if browser else None
    failed = (
        bool(audit.gate)
        or any(r["violations"] for r in by_type.values())
        or any(not j.get("passed", True) for j in keyboard)
        or bool(vnu and vnu.get("errors"))
    )
    return {
        "site": audit.site,
        "built": audit.built.isoformat(),
        "passed": not failed,
        "tools": {
            "perhekeskus gate": __version__,
            **((browser.get("tools") or {}) if browser else {}),
            **({"Nu Html Checker": vnu.get("version")} if vnu else {}),
        },
        "gate": {
            "pages": audit.checked_pages,
            "rules": [
                {"criterion": c, "title": known[c].title("fi") if c in known else "", "rule": r}
                for c, r in GATE_RULES
            ],
            "findings": [f.__dict__ for f in audit.gate],
        },
        "browser": {
            "date": browser.get("date"),
            "axe_tags": AXE_TAGS,
            "widths": list(WIDTHS),
            "schemes": ["light"],
            "page_types": list(by_type.values()),
            "keyboard": keyboard,
            "vnu": vnu or {},
        }
        if browser
        else None,
        "limitations": limitations,
    }


def write_accessibility_report(
    audit: AuditSummary, out_dir: Path, root: Path, theme_dir: Path
) -> Path:
    data = report_data(audit, root)
    folder = out_dir / "reports" / audit.site
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "accessibility.json").write_text(
        json.dumps(data, ensure_ascii=False, indent=1, default=str) + "\n", encoding="utf-8"
    )
    env = Environment(
        loader=FileSystemLoader(str(theme_dir / "reports")), autoescape=select_autoescape(["html"])
    )
    html = env.get_template("accessibility.html").render(data=data)
    path = folder / "accessibility.html"
    path.write_text(html, encoding="utf-8")
    return path
