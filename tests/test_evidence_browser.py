"""The real tools on a fixture site with one known fault per engine: the statement, the auditors'
report and the JSON all name each one, and a later change makes the run stale (Chromium,
axe-core, QualWeb, Java and the Nu Html Checker)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from pipeline.build import build
from pipeline.quality.browser_audit import browser_run
from pipeline.quality.evidence import write_browser_run
from tests.helpers import make_project, read_page

pytestmark = pytest.mark.slow

ARTICLE_WITH_FAULTS = """\
---
id: tuet
title: Tuet
summary: Kelan tuet lapsiperheille.
themes: [raha]
life_stages: [baby]
audience: [parents]
review_date: 2027-06-30
owner: Testitiimi
---

Lue lisää Kelan sivuilta.

<img src="/assets/logo.svg">
"""
"""An image without a text alternative: invalid HTML to the Nu Html Checker, 1.1.1 to QualWeb
(and to the gate, so the build runs with ``gate="report"``)."""
LOW_CONTRAST = "\n.lead { color: #b0b0b0 !important; }\n"
"""The article summary in light grey on white (axe-core's color-contrast)."""


def built(root: Path) -> dict[str, Any]:
    build(root, root / "build", areas=["kainuu"], national=False, search=False, gate="report")
    return dict(json.loads((root / "build/reports/kainuu/accessibility.json").read_text()))


def statement(root: Path) -> str:
    page = read_page(root / "build/kainuu/fi/saavutettavuusseloste/index.html")
    return " ".join(page.find("main").text.split())


def statement_item(root: Path, start: str) -> str:
    page = read_page(root / "build/kainuu/fi/saavutettavuusseloste/index.html")
    items = [" ".join(li.text.split()) for li in page.find_all("li")]
    return next(item for item in items if item.startswith(start))


def test_each_engine_finds_its_fault_and_every_output_names_it(
    tmp_path: Path, npm_tools: Path
) -> None:
    root = make_project(tmp_path, {"content/fi/tuet.md": ARTICLE_WITH_FAULTS})
    style = root / "themes/perhekeskus/assets/style.css"
    style.write_text(style.read_text() + LOW_CONTRAST)
    assets = built(root)["checks"][0]["assets_sha256"]
    run = browser_run(root / "build/kainuu", "kainuu", npm_tools, assets, languages=("fi",))
    write_browser_run(root / "build", run)
    data = built(root)

    statuses = {c["engine"]: c["status"] for c in data["checks"]}
    assert statuses["nu-html-checker"] == "failed", data["checks"][1]["reason"]
    assert statuses["axe-core"] == "failed"
    assert statuses["qualweb"] == "failed", data["checks"][3]["reason"]
    assert data["verdict"] == "failed"
    by_engine = {
        c["engine"]: {(f["criterion"], f["rule"]) for f in c["findings"]} for c in data["checks"]
    }
    assert ("1.4.3", "color-contrast") in by_engine["axe-core"]
    assert any(code == "1.1.1" for code, _ in by_engine["qualweb"])
    vnu = next(c for c in data["checks"] if c["engine"] == "nu-html-checker")
    assert any("tuet" in f["page"] for f in vnu["findings"])
    assert all(p["sha256"] for c in data["checks"] for p in c["pages"])

    text = statement(root)
    limitations = {item["criterion"]: item["engines"] for item in data["limitations"]}
    assert "nu-html-checker" in limitations["4.1.1"]
    assert "axe-core" in limitations["1.4.3"]
    assert "qualweb" in limitations["1.1.1"]
    assert "WCAG 4.1.1 Jäsentäminen: puute 1 sivulla (Nu Html Checker)." in text
    assert "WCAG 1.4.3 Kontrasti (minimi): puute" in text
    assert "QualWeb" in statement_item(root, "WCAG 1.1.1")
    assert "eivät löytäneet sivustolta puutteita" not in text
    html = (root / "build/reports/kainuu/accessibility.html").read_text()
    assert 'data-verdict="failed"' in html
    for code in ("1.1.1", "1.4.3", "4.1.1"):
        assert f"<li>WCAG {code} " in html

    # The article is corrected: the run no longer covers it, and no pass is claimed.
    article = root / "content/fi/tuet.md"
    article.write_text(article.read_text().replace('<img src="/assets/logo.svg">', ""))
    data = built(root)
    assert {c["engine"]: c["status"] for c in data["checks"]}["nu-html-checker"] == "stale"
    assert "Nu Html Checker: viimeisin kelvollinen testi tehtiin" in statement(root)
