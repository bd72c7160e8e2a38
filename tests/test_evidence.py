"""The accessibility evidence fails closed, and the statement, the auditors' report and the
JSON are rendered from it, so they agree.

The Nu Html Checker is replaced by tiny shell scripts given as its path (they answer as vnu does,
or fail as a broken tool would). The browser engines' raw results are written as the browser
run would return them and go through the same conversion (:func:`browser_checks`,
:func:`qualweb_check`); ``tests/test_evidence_browser.py`` runs the real tools.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from pipeline.build import BuildReport, build
from pipeline.problems import InvalidInput
from pipeline.quality.browser_audit import (
    ToolFailed,
    browser_checks,
    page_sample,
    page_types,
    qualweb_check,
    validate_html,
    validation_check,
)
from pipeline.quality.evidence import (
    AuditedPage,
    BrowserRun,
    Check,
    Engine,
    Evidence,
    Finding,
    Review,
    apply_reviews,
    files_sha256,
    page_sha256,
    problem_lines,
    read_reviews,
    summary_line,
    write_browser_run,
)
from tests.helpers import REPO, make_project, read_page

RAN = "2026-12-01T10:00:00+00:00"
BASE = "http://127.0.0.1:8000/kainuu/"
STATEMENTS = {
    "fi": "fi/saavutettavuusseloste/index.html",
    "sv": "sv/tillganglighetsutlatande/index.html",
    "en": "en/accessibility-statement/index.html",
}
NO_FAILURES = "Viimeisimmät automaattiset testit eivät löytäneet sivustolta puutteita."


# --- a Nu Html Checker standing in -----------------------------------------------------------


def stand_in(folder: Path, body: str, version: str = "echo 24.10.17") -> Path:
    """A program in place of ``java -jar vnu.jar``: ``--version`` runs ``version``, a check
    runs ``body`` (its arguments: --errors-only --format json PAGE...)."""
    script = folder / "vnu"
    script.write_text(
        f'#!/bin/sh\nif [ "$1" = --version ]; then\n{version}\nexit $?\nfi\n{body}\n',
        encoding="utf-8",
    )
    script.chmod(0o755)
    return script


def one_error(page_arg: str = "$4") -> str:
    """vnu's answer with one error on the first page it was given (exit status 1)."""
    return (
        'printf \'{"messages":[{"type":"error","url":"file:%s","lastLine":3,'
        '"message":"Stray end tag \\\\"div\\\\"."}]}\' "' + page_arg + '" >&2\nexit 1'
    )


NO_ERRORS = "echo '{\"messages\":[]}' >&2\nexit 0"


@pytest.fixture
def tiny_site(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    (site / "fi").mkdir(parents=True)
    for path in ("index.html", "fi/index.html"):
        (site / path).write_text("<!doctype html><title>x</title>", encoding="utf-8")
    return site


@pytest.mark.parametrize(
    ("body", "version", "reason"),
    [
        (
            "echo 'Exception in thread \"main\"' >&2\nexit 2",
            "echo 24.10.17",
            "exited with status 2",
        ),
        ("exit 0", "echo 24.10.17", "printed nothing"),
        ("exit 1", "echo 24.10.17", "printed nothing"),
        ("echo '<html>Service unavailable</html>'\nexit 0", "echo 24.10.17", "not its JSON report"),
        ("echo '{\"version\": 1}' >&2\nexit 0", "echo 24.10.17", "not its JSON report"),
        (
            'printf \'{"messages":[{"type":"non-document-error","url":"file:%s",'
            '"message":"File not found"}]}\' "$4" >&2\nexit 1',
            "echo 24.10.17",
            "could not check 1 pages",
        ),
        ("echo '{\"messages\":[]}' >&2\nexit 1", "echo 24.10.17", "exited with status 1 but"),
        (NO_ERRORS, "exit 1", "did not tell its version"),
        (NO_ERRORS, "true", "did not tell its version"),
    ],
    ids=[
        "crash",
        "nothing-exit-0",
        "nothing-exit-1",
        "unparseable",
        "not-a-report",
        "non-document-error",
        "exit-1-no-error",
        "version-fails",
        "no-version",
    ],
)
def test_a_validator_that_could_not_check_is_an_error_never_a_pass(
    tiny_site: Path, tmp_path: Path, body: str, version: str, reason: str
) -> None:
    vnu = stand_in(tmp_path, body, version)
    with pytest.raises(ToolFailed, match=reason):
        validate_html(tiny_site, vnu)
    check = validation_check(tiny_site, vnu, files_sha256(tiny_site))
    assert check.status == "error"
    assert reason in check.reason
    assert check.findings == [] and check.pages == []


def test_a_validator_that_answered_passes_or_fails(tiny_site: Path, tmp_path: Path) -> None:
    hashes = files_sha256(tiny_site)
    clean = validation_check(tiny_site, stand_in(tmp_path, NO_ERRORS), hashes)
    assert clean.status == "passed" and clean.version == "24.10.17"
    assert {p.path for p in clean.pages} == {"index.html", "fi/index.html"}
    failed = validation_check(tiny_site, stand_in(tmp_path, one_error()), hashes)
    assert failed.status == "failed"
    assert [(f.criterion, f.page, f.element) for f in failed.findings] == [
        ("4.1.1", "fi/index.html", "line 3")
    ]
    assert failed.findings[0].message == 'Stray end tag "div".'


# --- a small site with a saved browser run ---------------------------------------------------


def project(tmp_path: Path) -> Path:
    """The small project, with the real statement pages in Swedish and English."""
    pages = {
        f"content/pages/{lang}/{name}.md": (REPO / f"content/pages/{lang}/{name}.md").read_text()
        for lang, name in (("sv", "tillganglighetsutlatande"), ("en", "accessibility-statement"))
    }
    return make_project(tmp_path, pages)


def build_site(root: Path) -> BuildReport:
    return build(
        root, root / "build", areas=["kainuu"], national=False, search=False, gate="report"
    )


def raw_browser_results(site: Path, violation_on: str | None = None) -> dict[str, Any]:
    """The browser run's results as :func:`audit_site` returns them: every page type of the
    Finnish site at two widths, one axe-core violation (colour contrast) on ``violation_on``."""
    pages = []
    for kind, url in page_types(site, "fi").items():
        for width in (320, 1280):
            violations = []
            if url == violation_on and width == 320:
                violations.append(
                    {
                        "id": "color-contrast",
                        "impact": "serious",
                        "help": "Elements must meet minimum color contrast ratio thresholds",
                        "tags": ["cat.color", "wcag2aa", "wcag143"],
                        "nodes": 1,
                        "targets": [".lead"],
                    }
                )
            pages.append(
                {
                    "url": url,
                    "type": kind,
                    "lang": "fi",
                    "width": width,
                    "scheme": "light",
                    "violations": violations,
                    "reflow": {"reflow": True},
                }
            )
    reached = {"skip link": True, "language switch": True, "help button": True}
    return {
        "site": "kainuu",
        "date": RAN,
        "pages": pages,
        "keyboard": [
            {
                "url": "fi/",
                "width": 320,
                "reached": {**reached, "help opens with Enter": True},
                "focus_not_visible": [],
                "passed": True,
                "criterion": "2.1.1",
            }
        ],
        "journeys": [],
        "tools": {"chromium": "131.0", "axe-core": "4.11.0"},
        "settings": {
            "axe_tags": ["wcag2a", "wcag2aa"],
            "widths": [320, 1280],
            "schemes": ["light", "dark"],
            "phones": [320, 390],
            "text_sizes": ["150%", "200%"],
        },
    }


IMAGE_WITHOUT_NAME = {
    "rule": "QW-ACT-R17",
    "criteria": ["1.1.1"],
    "description": "Image has accessible name: the test target has no accessible name.",
    "selector": "main > img",
}


def qualweb_results(
    sample: dict[str, tuple[str, str]],
    failure_on: str | None = None,
    failed: list[dict[str, Any]] | None = None,
) -> Any:
    """QualWeb's run as :func:`run_qualweb` returns it: ``failed`` on ``failure_on``, by
    default an image without a text alternative (ACT rule 23a6a5, WCAG 1.1.1)."""
    failed = [IMAGE_WITHOUT_NAME] if failed is None else failed
    return {
        "version": "0.8.7",
        "modules": ["@qualweb/act-rules 0.7.5", "@qualweb/wcag-techniques 0.4.2"],
        "pages": [
            {
                "url": f"{BASE}{url}",
                "failed": failed if url == failure_on else [],
                "passed": 12,
                "warnings": 1,
            }
            for url in sample
        ],
    }


def save_run(
    report: BuildReport,
    out: Path,
    vnu: Path,
    axe_violation_on: str | None = None,
    qualweb_failure_on: str | None = None,
    qualweb_failed: list[dict[str, Any]] | None = None,
) -> BrowserRun:
    """Save a browser run of the built Finnish site, as ``perhekeskus audit`` does."""
    from datetime import datetime

    site = out / "kainuu"
    hashes = files_sha256(site)
    assets = report.evidence["kainuu"].check("gate").assets_sha256
    raw: Any = raw_browser_results(site, axe_violation_on)
    sample = page_sample(site, ("fi",))
    checks = browser_checks(raw, site, hashes, assets)
    ran = datetime.fromisoformat(RAN)
    run_ = qualweb_results(sample, qualweb_failure_on, qualweb_failed)
    checks.append(qualweb_check(run_, BASE, sample, site, hashes, assets, ran))
    checks.append(validation_check(site, vnu, hashes).model_copy(update={"ran": ran}))
    run = BrowserRun(site="kainuu", started=ran, checks=checks)
    write_browser_run(out, run)
    return run


def statement(out: Path, lang: str = "fi") -> str:
    page = read_page(out / "kainuu" / STATEMENTS[lang])
    return " ".join(page.find("main").text.split())


def evidence_json(out: Path) -> dict[str, Any]:
    return dict(json.loads((out / "reports/kainuu/accessibility.json").read_text()))


def report_html(out: Path) -> str:
    return (out / "reports/kainuu/accessibility.html").read_text(encoding="utf-8")


def statuses(data: dict[str, Any]) -> dict[str, str]:
    return {c["engine"]: c["status"] for c in data["checks"]}


def test_the_build_hashes_pages_as_they_are_written(tmp_path: Path) -> None:
    """The hashes a build compares are those of the files a browser run reads (the 404 page
    is rewritten when published), or every audit would be stale at once."""
    root = make_project(tmp_path)
    report = build_site(root)
    site = root / "build" / "kainuu"
    gate = report.evidence["kainuu"].check("gate")
    assert {p.path: p.sha256 for p in gate.pages} == files_sha256(site)
    assert "404.html" in files_sha256(site)


def test_the_statement_leaves_out_only_its_own_results_from_the_hash() -> None:
    page = "<main><p>a</p><!--evidence--><p>{}</p><!--/evidence--></main>"
    assert page_sha256(page.format("passed")) == page_sha256(page.format("failed"))
    assert page_sha256(page.format("x")) != page_sha256(page.replace("<p>a</p>", "<p>b</p>"))


def test_no_browser_run_claims_only_what_the_gate_checked(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    report = build_site(root)
    out = root / "build"
    data = evidence_json(out)
    assert statuses(data) == {
        "gate": "passed",
        "nu-html-checker": "not run",
        "axe-core": "not run",
        "qualweb": "not run",
        "reflow": "not run",
        "keyboard": "not run",
    }
    text = statement(out)
    assert "Ei vielä testattu: Nu Html Checker, axe-core, QualWeb" in text
    assert "Jokaisen sivun automaattinen tarkistus aina, kun sivusto julkaistaan" in text
    assert "Tähän mennessä tehdyt automaattiset testit eivät löytäneet" in text
    assert "Viimeisimmät automaattiset testit eivät löytäneet" not in text
    assert summary_line(report.evidence["kainuu"]).startswith(
        "kainuu: accessibility passed so far (some checks not run)"
    )


def test_an_unreadable_saved_run_is_an_error_and_no_pass_is_claimed(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    out = root / "build"
    saved = out / "reports/kainuu/browser-audit.json"
    saved.parent.mkdir(parents=True)
    # The format of an older version: nothing ties it to the pages it audited.
    saved.write_text(json.dumps({"date": RAN, "pages": [{"url": "fi/", "violations": []}]}))
    report = build_site(root)
    data = evidence_json(out)
    assert data["verdict"] == "incomplete" and data["passed"] is False
    assert statuses(data)["axe-core"] == "error"
    assert "could not be read" in data["checks"][2]["reason"]
    text = statement(out)
    assert NO_FAILURES not in text
    assert "Testien tulokset ovat puutteelliset" in text
    assert "axe-core: testin tuloksia ei voitu lukea, joten ne puuttuvat." in text
    assert "INCOMPLETE" in summary_line(report.evidence["kainuu"])


def test_a_passing_run_is_stale_once_pages_or_styles_change(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    out = root / "build"
    save_run(build_site(root), out, stand_in(tmp_path, NO_ERRORS))
    build_site(root)
    data = evidence_json(out)
    assert set(statuses(data).values()) == {"passed"}, statuses(data)
    assert data["verdict"] == "passed"
    assert NO_FAILURES in statement(out)
    assert "Ei löydettyjä puutteita" not in report_html(out)  # the wording of the report
    assert 'data-verdict="passed"' in report_html(out)

    # The style sheet changes: every browser check is stale, the validator (HTML only) is not.
    style = root / "themes/perhekeskus/assets/style.css"
    style.write_text(style.read_text() + "\n.lead { color: #777; }\n")
    report = build_site(root)
    data = evidence_json(out)
    browser = {k: v for k, v in statuses(data).items() if k not in ("gate", "nu-html-checker")}
    assert set(browser.values()) == {"stale"}, statuses(data)
    assert data["verdict"] == "incomplete" and data["passed"] is False
    text = statement(out)
    assert NO_FAILURES not in text
    assert (
        "axe-core: viimeisin kelvollinen testi tehtiin 1. joulukuuta 2026 (testattuja sivuja"
        in text
    )
    assert "Testin tulokset eivät kata niitä." in text
    assert 'data-verdict="incomplete"' in report_html(out)
    assert "vanhentunut" in report_html(out)
    assert "INCOMPLETE" in summary_line(report.evidence["kainuu"])

    # An article changes: the validator, which checked every page, is stale too.
    article = root / "content/fi/neuvola.md"
    article.write_text(article.read_text().replace("seurataan raskautta", "seurataan raskautta."))
    build_site(root)
    data = evidence_json(out)
    vnu = next(c for c in data["checks"] if c["engine"] == "nu-html-checker")
    assert vnu["status"] == "stale"
    assert "fi/raskaus/neuvola/index.html" in vnu["changed"]
    assert "Nu Html Checker: viimeisin kelvollinen testi tehtiin" in statement(out)


def test_statement_report_and_json_name_each_engines_failure(tmp_path: Path) -> None:
    root = project(tmp_path)
    out = root / "build"
    first = build_site(root)
    site = out / "kainuu"
    article = page_types(site, "fi")["article"]
    vnu = stand_in(tmp_path, one_error())
    save_run(first, out, vnu, axe_violation_on="fi/", qualweb_failure_on=article)
    report = build_site(root)
    data = evidence_json(out)
    evidence = report.evidence["kainuu"]

    # The JSON
    assert data["verdict"] == "failed" and data["passed"] is False
    assert statuses(data) == {
        "gate": "passed",
        "nu-html-checker": "failed",
        "axe-core": "failed",
        "qualweb": "failed",
        "reflow": "passed",
        "keyboard": "passed",
    }
    limitations = {item["criterion"]: item for item in data["limitations"]}
    assert set(limitations) == {"1.1.1", "1.4.3", "4.1.1"}
    assert limitations["1.1.1"]["engines"] == ["qualweb"]
    assert limitations["1.4.3"]["engines"] == ["axe-core"]
    assert limitations["4.1.1"]["engines"] == ["nu-html-checker"]
    assert limitations["4.1.1"]["pages"] == ["404.html"]  # the first page vnu was given
    disagreements = {(d["page"], d["criterion"], d["found_by"]) for d in data["disagreements"]}
    assert disagreements == {("fi/", "1.4.3", "axe-core"), (article, "1.1.1", "qualweb")}

    # The statement, in each language
    text = statement(out)
    assert "Viimeisimmät testit löysivät nämä puutteet:" in text
    assert "WCAG 1.1.1 Ei-tekstuaalinen sisältö: puute 1 sivulla (QualWeb)." in text
    assert "WCAG 1.4.3 Kontrasti (minimi): puute 1 sivulla (axe-core)." in text
    assert "WCAG 4.1.1 Jäsentäminen: puute 1 sivulla (Nu Html Checker)." in text
    assert NO_FAILURES not in text
    assert "Löydettyjä puutteita: 1." in text
    sv, en = statement(out, "sv"), statement(out, "en")
    for code in ("1.1.1", "1.4.3", "4.1.1"):
        assert f"WCAG {code} " in sv and f"WCAG {code} " in en
    assert "De senaste automatiska testerna hittade inga brister" not in sv
    assert "The latest automated tests found no failures" not in en

    # The auditors' report
    html = report_html(out)
    assert 'data-verdict="failed"' in html
    for code, title in (
        ("1.1.1", "Ei-tekstuaalinen sisältö"),
        ("1.4.3", "Kontrasti (minimi)"),
        ("4.1.1", "Jäsentäminen"),
    ):
        assert f"<li>WCAG {code} {title}: puute 1 sivulla" in html
    assert "<code>color-contrast</code>" in html and "<code>QW-ACT-R17</code>" in html
    assert "Stray end tag" in html
    assert "axe-core ja QualWeb eri mieltä" in html
    assert f"<tr><td><code>{article}</code></td><td>1.1.1" in html
    assert "4.11.0" in html and "0.8.7" in html and "24.10.17" in html
    assert "320, 1280 px" in html  # the widths of the recorded run

    # The console
    assert "FAILED" in summary_line(evidence)
    assert evidence.verdict == "failed"

    # An article no engine of the browser sampled changes: the validator, which checked every
    # page, is stale, yet its error on an unchanged page still holds, as the others' do.
    changed = "fi/raskaus/neuvola/index.html"
    for engine in ("axe-core", "qualweb"):
        assert changed not in {p.path for p in evidence.check(engine).pages}
    text_before = (root / "content/fi/neuvola.md").read_text()
    (root / "content/fi/neuvola.md").write_text(text_before.replace("raskautta.", "raskautta!"))
    build_site(root)
    data = evidence_json(out)
    assert statuses(data)["nu-html-checker"] == "stale"
    assert statuses(data)["axe-core"] == "failed" and statuses(data)["qualweb"] == "failed"
    assert [item["criterion"] for item in data["limitations"]] == ["1.1.1", "1.4.3", "4.1.1"]
    assert data["verdict"] == "failed"
    text = statement(out)
    assert "WCAG 4.1.1 Jäsentäminen: puute 1 sivulla (Nu Html Checker)." in text
    assert "Testien tulokset ovat puutteelliset, joten sivustolla voi olla muitakin" in text
    assert "Nu Html Checker: viimeisin kelvollinen testi tehtiin 1. joulukuuta 2026" in text


# --- findings reviewed as false positives (data/wcag/reviewed-findings.yml) --------------------

REVIEWS = """\
- id: links-in-closed-details
  engine: qualweb
  rule: QW-WCAG-T24
  selector: '(^|> )details(:nth-child\\(\\d+\\))? > '
  reason:
    fi: Suljetun osion linkki ei voi saada kohdistusta.
    sv: En länk i ett stängt avsnitt kan inte få fokus.
    en: A link in a closed disclosure cannot take focus.
  reviewed_by: the developers
  date: 2026-12-07
- id: stale-axe-waiver
  engine: axe-core
  rule: region
  selector: 'footer'
  reason: {fi: Vanha., sv: Gammal., en: Old.}
  reviewed_by: the developers
  date: 2026-11-01
"""
IN_DETAILS = "html > body > header > div > details:nth-child(4) > div > p > a:nth-child(1)"
FOCUS_LOST = {
    "rule": "QW-WCAG-T24",
    "criteria": ["2.1.1", "2.4.7", "3.2.1"],
    "description": "Failure due to using script to remove focus: Element didn't keep focus.",
}
REVIEWED_SENTENCE = {
    "fi": "Automaattisten testien löydöksiä, jotka tarkistettiin ja todettiin testityökalun "
    "virheiksi (niitä ei lasketa puutteiksi): 3.",
    "sv": "Fynd i de automatiska testerna som granskades och visade sig vara fel i "
    "testverktyget (de räknas inte som brister): 3.",
    "en": "Findings of the automated tests that were reviewed and found to be errors of the "
    "testing tool (not counted as failures): 3.",
}


def reviewed_project(tmp_path: Path, reviews: str = REVIEWS) -> Path:
    pages = {
        f"content/pages/{lang}/{name}.md": (REPO / f"content/pages/{lang}/{name}.md").read_text()
        for lang, name in (("sv", "tillganglighetsutlatande"), ("en", "accessibility-statement"))
    }
    return make_project(tmp_path, {**pages, "data/wcag/reviewed-findings.yml": reviews})


def qualweb_evidence(findings: list[Finding], engine: Engine = "qualweb") -> Evidence:
    """A site's evidence with one check of ``engine`` that found ``findings`` on ``fi/``."""
    check = Check(
        engine=engine,
        tool=engine,
        pages=[AuditedPage(url="fi/", path="fi/index.html", sha256="0" * 64)],
        ran=datetime.fromisoformat(RAN),
        status="failed",
        findings=findings,
    )
    other: Engine = "axe-core" if engine == "qualweb" else "qualweb"
    clean = check.model_copy(
        update={"engine": other, "tool": other, "status": "passed", "findings": []}
    )
    return Evidence(
        site="kainuu", built=datetime.fromisoformat(RAN), pages=1, checks=[check, clean]
    )


def focus_lost(element: str, rule: str = "QW-WCAG-T24") -> Finding:
    return Finding(criterion="2.4.7", rule=rule, page="fi/", element=element, message="focus")


def test_a_reviewed_false_positive_is_shown_with_its_reason_and_is_not_a_failure(
    tmp_path: Path,
) -> None:
    root = reviewed_project(tmp_path)
    out = root / "build"
    first = build_site(root)
    article = page_types(out / "kainuu", "fi")["article"]
    found = [{**FOCUS_LOST, "selector": IN_DETAILS}]
    save_run(first, out, stand_in(tmp_path, NO_ERRORS), None, article, found)
    report = build_site(root)
    evidence = report.evidence["kainuu"]
    data = evidence_json(out)

    # The JSON: the finding is kept and marked; the site passed; the unused entry is listed.
    assert data["verdict"] == "passed", problem_lines(evidence)
    assert statuses(data)["qualweb"] == "passed"
    qualweb = next(c for c in data["checks"] if c["engine"] == "qualweb")
    assert [(f["rule"], f["element"], f["reviewed"]) for f in qualweb["findings"]] == [
        ("QW-WCAG-T24", IN_DETAILS, "links-in-closed-details")
    ] * 3  # one finding per criterion of the rule
    assert data["limitations"] == [] and data["disagreements"] == []
    assert data["reviewed_count"] == 3
    assert data["unused_reviews"] == ["stale-axe-waiver"]
    assert data["reviews"][0]["reason"]["en"] == "A link in a closed disclosure cannot take focus."

    # The auditors' report: the row is marked with the reason; the unused entry is seen.
    html = report_html(out)
    assert 'data-verdict="passed"' in html
    assert (
        '<span class="ok" data-reviewed="links-in-closed-details">Tarkistettu: väärä hälytys.'
        "</span> Suljetun osion linkki ei voi saada kohdistusta." in html
    )
    assert f"<code>{IN_DETAILS.replace('>', '&gt;')}</code>" in html
    unused = html[html.index('<tr data-review="stale-axe-waiver">') :]
    assert "data-unused" in unused[: unused.index("</tr>")]
    used = html[html.index('<tr data-review="links-in-closed-details">') :]
    assert "data-unused" not in used[: used.index("</tr>")]

    # The statement: no failure, and one sentence on the reviewed findings in each language.
    for lang in ("fi", "sv", "en"):
        assert REVIEWED_SENTENCE[lang] in statement(out, lang), lang
    assert NO_FAILURES in statement(out)
    assert "Löydettyjä puutteita" not in statement(out)

    # The console
    assert "qualweb passed (0 findings, 3 reviewed as false positives" in summary_line(evidence)
    assert "stale-axe-waiver" in summary_line(evidence)
    assert problem_lines(evidence) == []


def test_a_finding_of_the_rule_outside_the_pattern_still_fails() -> None:
    reviews = read_reviews_text(REVIEWS)
    evidence = apply_reviews(
        qualweb_evidence([focus_lost(IN_DETAILS), focus_lost("html > body > main > p > a")]),
        reviews,
    )
    assert evidence.verdict == "failed"
    check = evidence.check("qualweb")
    assert check.status == "failed"
    assert [f.element for f in check.failures()] == ["html > body > main > p > a"]
    assert [f.element for f in check.reviewed_findings()] == [IN_DETAILS]
    assert [item.criterion for item in evidence.limitations] == ["2.4.7"]


def test_another_rule_or_another_engine_is_never_waived() -> None:
    reviews = read_reviews_text(REVIEWS)
    other_rule = apply_reviews(qualweb_evidence([focus_lost(IN_DETAILS, "QW-WCAG-T25")]), reviews)
    assert other_rule.verdict == "failed"
    assert other_rule.check("qualweb").failures() != []
    # axe-core's finding with QualWeb's rule id and an element the pattern matches.
    other_engine = apply_reviews(qualweb_evidence([focus_lost(IN_DETAILS)], "axe-core"), reviews)
    assert other_engine.verdict == "failed"
    assert other_engine.check("axe-core").status == "failed"
    assert other_engine.reviewed_count == 0
    assert other_engine.unused_reviews == ["links-in-closed-details", "stale-axe-waiver"]


def test_a_review_that_matched_nothing_is_listed_as_unused() -> None:
    reviews = read_reviews_text(REVIEWS)
    evidence = apply_reviews(qualweb_evidence([focus_lost(IN_DETAILS)]), reviews)
    assert evidence.unused_reviews == ["stale-axe-waiver"]
    assert evidence.review_matches("links-in-closed-details") == 1
    assert "reviews matching nothing (remove them?): stale-axe-waiver" in summary_line(evidence)
    # axe-core not run: its review is not judged, neither used nor unused.
    axe = evidence.check("axe-core").model_copy(update={"status": "not run", "ran": None})
    not_run = evidence.model_copy(update={"checks": [evidence.check("qualweb"), axe]})
    assert not_run.unused_reviews == []


def test_a_reviews_file_that_cannot_be_read_stops_the_build_with_its_lines(
    tmp_path: Path,
) -> None:
    bad = REVIEWS.replace("  engine: axe-core\n", "  engine: axe\n").replace(
        "  rule: QW-WCAG-T24\n  selector: '(^|> )details",
        "  rule: QW-WCAG-T24\n  selector: '(^|> details",
    )
    root = reviewed_project(tmp_path, bad)
    with pytest.raises(InvalidInput) as raised:
        read_reviews(root)
    lines = [str(p) for p in raised.value.problems]
    assert lines[0].startswith("data/wcag/reviewed-findings.yml:4: entry 1: selector: ")
    assert "not a regular expression" in lines[0]
    assert lines[1].startswith("data/wcag/reviewed-findings.yml:12: entry 2: engine: ")


def read_reviews_text(text: str) -> tuple[Review, ...]:
    import yaml

    return tuple(Review.model_validate(entry) for entry in yaml.safe_load(text))
