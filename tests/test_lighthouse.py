"""``perhekeskus lighthouse`` (issue 17, item 5): a report is read only when it is whole, the
points lost are named, and the real Lighthouse scores a fixture county served by nginx."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from pipeline.build import build
from pipeline.deploy.local_nginx import free_port, serving
from pipeline.quality.browser_audit import chromium_path
from pipeline.quality.lighthouse import (
    CATEGORIES,
    LighthouseFailed,
    audited_pages,
    page_scores,
    parse_report,
    run_lighthouse,
)
from tests.helpers import make_project

URL = "http://127.0.0.1:1/kainuu/fi/"


def report(**scores: float) -> dict[str, Any]:
    """A Lighthouse report of the shape Lighthouse 12 writes, with one weighted audit per
    category that has the category's score."""
    categories = {
        name: {"score": scores.get(name, 1.0), "auditRefs": [{"id": f"{name}-audit", "weight": 1}]}
        for name in CATEGORIES
    }
    audits = {
        f"{name}-audit": {"title": f"{name} audit", "score": scores.get(name, 1.0)}
        for name in CATEGORIES
    }
    return {"lighthouseVersion": "12.8.2", "categories": categories, "audits": audits}


@pytest.mark.parametrize(
    ("output", "said"),
    [
        ("", "printed nothing"),
        ("Lighthouse crashed", "not JSON"),
        ("[]", "not an object"),
        (json.dumps({"runtimeError": {"code": "NO_FCP", "message": "no paint"}}), "NO_FCP"),
        (json.dumps({"categories": {"performance": {"score": 1}}}), "no score for accessibility"),
        (json.dumps(report() | {"categories": {"seo": {"score": None}}}), "no score for"),
    ],
)
def test_a_report_that_cannot_be_read_is_a_failure_not_a_score(output: str, said: str) -> None:
    with pytest.raises(LighthouseFailed, match=said):
        parse_report(URL, output)


def test_the_audits_that_cost_points_are_named_per_category() -> None:
    scores = page_scores("home", URL, parse_report(URL, json.dumps(report(performance=0.97))))
    assert scores.scores == {
        "performance": 97,
        "accessibility": 100,
        "best-practices": 100,
        "seo": 100,
    }
    assert [(a.id, a.score) for a in scores.lost["performance"]] == [("performance-audit", 0.97)]
    assert set(scores.lost) == {"performance"}


def test_a_site_without_a_service_page_cannot_be_audited_as_asked(tmp_path: Path) -> None:
    (tmp_path / "fi").mkdir()
    with pytest.raises(LighthouseFailed, match="no article, service, calendar page in fi"):
        audited_pages(tmp_path, "fi")


def stand_in(tmp_path: Path, script: str) -> Path:
    """A tools folder whose ``lighthouse/cli/index.js`` is ``script`` (run by the real node)."""
    cli = tmp_path / "node_modules" / "lighthouse" / "cli"
    cli.mkdir(parents=True)
    (cli / "index.js").write_text(script)
    return tmp_path


@pytest.mark.slow
@pytest.mark.parametrize(
    ("script", "said"),
    [
        ("process.exit(2)", "exited with status 2"),
        ("console.log('')", "printed nothing"),
        ("console.log('{\"categories\": {}}')", "no score for performance"),
    ],
)
def test_lighthouse_that_fails_or_says_nothing_is_an_error(
    tmp_path: Path, script: str, said: str, system_tools: None
) -> None:
    with pytest.raises(LighthouseFailed, match=said):
        run_lighthouse(URL, stand_in(tmp_path, script), chromium_path())


@pytest.mark.slow
def test_the_real_lighthouse_scores_a_county_served_by_nginx(
    tmp_path: Path, lighthouse_tools: Path
) -> None:
    root = make_project(tmp_path)
    port = free_port()
    out = root / "build"
    build(
        root, out, areas=["kainuu"], national=False, base_url=f"http://127.0.0.1:{port}/{{slug}}/"
    )
    with serving(out / "kainuu", port, tmp_path / "nginx"):
        url = f"http://127.0.0.1:{port}/kainuu/fi/"
        scores = page_scores("home", url, run_lighthouse(url, lighthouse_tools, chromium_path()))
    assert set(scores.scores) == set(CATEGORIES)
    # Accessibility, best practices and SEO do not depend on the machine's speed.
    assert scores.scores["accessibility"] == 100, scores.lost
    assert scores.scores["best-practices"] == 100, scores.lost
    assert scores.scores["seo"] == 100, scores.lost
    shutil.rmtree(out, ignore_errors=True)
