"""The gate across builds: a rebuild checks only the pages that changed or link to what
changed, and finds exactly what a check of every page finds."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.build import BuildReport, build
from tests.helpers import ARTICLE_FI, SECOND_FI, make_project

LINKED = ARTICLE_FI.replace("(tuet.md)", "(tuet.md#hakeminen)")
TARGET = SECOND_FI + "\n## Hakeminen\n\nHae tukea Kelasta.\n"


def _build(root: Path, out: Path) -> BuildReport:
    return build(root, out, areas=["kainuu"], search=False, gate="report")


def _findings(report: BuildReport) -> set[str]:
    return {str(f) for found in report.findings.values() for f in found}


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("PERHEKESKUS_CACHE", "on")
    (tmp_path / "project").mkdir()
    return make_project(
        tmp_path / "project", {"content/fi/neuvola.md": LINKED, "content/fi/tuet.md": TARGET}
    )


def test_nothing_changed_nothing_checked_again(project: Path, tmp_path: Path) -> None:
    first = _build(project, tmp_path / "out")
    assert first.rechecked == first.checked and all(first.checked.values())
    again = _build(project, tmp_path / "out")
    assert again.rechecked == {slug: 0 for slug in first.checked}
    assert _findings(again) == _findings(first)


def test_a_page_linking_to_a_removed_anchor_is_checked_again(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = _build(project, tmp_path / "out")
    assert not any("hakeminen" in f for f in _findings(first))
    target = project / "content" / "fi" / "tuet.md"
    target.write_text(TARGET.replace("## Hakeminen", "## Muuta"), encoding="utf-8")

    again = _build(project, tmp_path / "out")
    missing = {f for f in _findings(again) if "missing anchor: " in f and "hakeminen" in f}
    # The Finnish neuvola page did not change; it links to the anchor that is gone.
    assert any("/fi/" in f and "neuvola" in f for f in missing), _findings(again)
    assert 0 < again.rechecked["kainuu"] < again.checked["kainuu"]

    monkeypatch.setenv("PERHEKESKUS_CACHE", "off")
    cold = _build(project, tmp_path / "cold")
    assert _findings(again) == _findings(cold)
    assert [str(f) for f in again.findings["kainuu"]] == [str(f) for f in cold.findings["kainuu"]]
