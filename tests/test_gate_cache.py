"""The gate across builds: a rebuild checks only the pages that changed or link to what
changed, and finds exactly what a check of every page finds."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from pipeline.build import BuildReport, build
from pipeline.quality import gate_cache
from pipeline.quality.check import ANCHORED, page_ids
from tests.helpers import ARTICLE_FI, SECOND_FI, make_project

LINKED = ARTICLE_FI.replace("(tuet.md)", "(tuet.md#hakeminen)")
TARGET = SECOND_FI + "\n## Hakeminen\n\nHae tukea Kelasta.\n"


def _build(root: Path, out: Path) -> BuildReport:
    return build(root, out, areas=["kainuu"], search=False, gate="report")


@pytest.fixture(params=["sites in turn", "one site in parts"])
def rebuild(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> Callable[[Path, Path], BuildReport]:
    """A build of the national site and Kainuu, each checked whole; or of Kainuu alone, checked
    by two processes in parts of two pages while it is made (:class:`StreamedCheck`)."""
    if request.param == "sites in turn":
        return _build
    import pipeline.build as build_module

    monkeypatch.setattr(build_module, "SPLIT_AT", 1)
    monkeypatch.setattr(build_module, "CHUNK", 2)

    def alone(root: Path, out: Path) -> BuildReport:
        report = build(root, out, areas=["kainuu"], national=False, search=False, gate="report")
        assert list(report.sites) == ["kainuu"]
        return report

    return alone


def _findings(report: BuildReport) -> set[str]:
    return {str(f) for found in report.findings.values() for f in found}


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("PERHEKESKUS_CACHE", "on")
    (tmp_path / "project").mkdir()
    return make_project(
        tmp_path / "project", {"content/fi/neuvola.md": LINKED, "content/fi/tuet.md": TARGET}
    )


def test_nothing_changed_nothing_checked_again(
    project: Path, tmp_path: Path, rebuild: Callable[[Path, Path], BuildReport]
) -> None:
    first = rebuild(project, tmp_path / "out")
    assert first.rechecked == first.checked and all(first.checked.values())
    again = rebuild(project, tmp_path / "out")
    assert again.rechecked == {slug: 0 for slug in first.checked}
    assert _findings(again) == _findings(first)


def test_a_page_linking_to_a_removed_anchor_is_checked_again(
    project: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    rebuild: Callable[[Path, Path], BuildReport],
) -> None:
    first = rebuild(project, tmp_path / "out")
    assert not any("hakeminen" in f for f in _findings(first))
    target = project / "content" / "fi" / "tuet.md"
    target.write_text(TARGET.replace("## Hakeminen", "## Muuta"), encoding="utf-8")

    again = rebuild(project, tmp_path / "out")
    missing = {f for f in _findings(again) if "missing anchor: " in f and "hakeminen" in f}
    # The Finnish neuvola page did not change; it links to the anchor that is gone.
    assert any("/fi/" in f and "neuvola" in f for f in missing), _findings(again)
    assert 0 < again.rechecked["kainuu"] < again.checked["kainuu"]

    monkeypatch.setenv("PERHEKESKUS_CACHE", "off")
    cold = rebuild(project, tmp_path / "cold")
    assert _findings(again) == _findings(cold)
    assert [str(f) for f in again.findings["kainuu"]] == [str(f) for f in cold.findings["kainuu"]]


def test_a_page_edited_in_its_text_alone_is_checked_again_not_the_pages_linking_to_it(
    project: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    rebuild: Callable[[Path, Path], BuildReport],
) -> None:
    first = rebuild(project, tmp_path / "out")
    target = project / "content" / "fi" / "tuet.md"
    target.write_text(TARGET.replace("Kelasta.", "Kelasta verkossa."), encoding="utf-8")

    again = rebuild(project, tmp_path / "out")
    # Its ids are the same: the neuvola page that links to its anchor keeps its findings.
    assert again.rechecked == {slug: 1 for slug in first.checked}
    monkeypatch.setenv("PERHEKESKUS_CACHE", "off")
    cold = rebuild(project, tmp_path / "cold")
    assert [str(f) for f in again.findings["kainuu"]] == [str(f) for f in cold.findings["kainuu"]]


def test_the_ids_of_a_page_are_the_ids_the_gate_resolved_anchors_with(
    project: Path, tmp_path: Path
) -> None:
    """The plan parses a changed page for its ids; the gate's record has the ids its check
    (national parts and fragments apart) found: they must be the same."""
    import pickle

    from pipeline.quality.check import page_ids
    from pipeline.quality.gate_cache import SiteRecord

    _build(project, tmp_path / "out")
    records = [
        pickle.loads(path.read_bytes())
        for path in (project / ".cache" / "build" / "gate").rglob("*")
        if path.is_file()
    ]
    assert {type(r) for r in records} == {SiteRecord} and len(records) == 2
    for record in records:
        slug = "kainuu" if any(p.startswith("fi/kunnat/") for p in record.pages) else "national"
        site = (tmp_path / "out" / slug).resolve()
        found = {path: page_ids((site / path).read_text()) for path in record.pages}
        assert found == {path: set(page.ids) for path, page in record.pages.items()}
        assert any(found.values())


def test_a_site_checked_in_parts_while_it_is_made_finds_what_one_check_finds(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A run of one site checks its pages in parts, in two processes, while it is made; a link
    from one part to an anchor of a page in another is settled when all are done: kept when
    the anchor is missing, taken back when it exists."""
    import pipeline.build as build_module

    page = project / "content" / "fi" / "neuvola.md"
    page.write_text(
        LINKED + "\nKatso myös [puuttuva kohta](tuet.md#ei-ole-tallaista).\n", encoding="utf-8"
    )
    monkeypatch.setenv("PERHEKESKUS_CACHE", "off")
    one = build(project, tmp_path / "one", areas=["kainuu"], national=False, gate="report")

    parts: list[list[str]] = []
    submit = build_module.Gate.job

    def recorded(gate: build_module.Gate, *args: Any) -> Any:
        job = submit(gate, *args)
        parts.append([*job[2], *job[3]])  # the part's pages: in full, and national
        return job

    pending: list[int] = []
    merge = build_module.Gate._merge

    def merged(gate: build_module.Gate, done: list[Any], *args: Any) -> None:
        pending.extend(len(d.result()[2]) for d in done)  # links to other parts' anchors
        merge(gate, done, *args)

    monkeypatch.setattr(build_module, "SPLIT_AT", 1)
    monkeypatch.setattr(build_module, "CHUNK", 3)
    monkeypatch.setattr(build_module.Gate, "job", recorded)
    monkeypatch.setattr(build_module.Gate, "_merge", merged)
    two = build(project, tmp_path / "two", areas=["kainuu"], national=False, gate="report")
    # Every page in one part of at most three; the neuvola page's links wait on other parts.
    pages = [p for part in parts for p in part]
    assert len(parts) > 3 and max(map(len, parts)) <= 3
    assert sorted(pages) == sorted(p for p in two_pages(tmp_path / "two") if p.endswith(".html"))
    assert sum(pending) >= 2
    missing = [str(f) for f in two.findings["kainuu"] if "missing anchor" in str(f)]
    assert any("ei-ole-tallaista" in f for f in missing)
    assert not any("hakeminen" in f for f in missing)
    assert [str(f) for f in two.findings["kainuu"]] == [str(f) for f in one.findings["kainuu"]]


def two_pages(out: Path) -> list[str]:
    """The pages and files of the site ``kainuu`` as built into ``out``."""
    site = (out / "kainuu").resolve()
    return [p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()]


def test_a_page_whose_ids_changed_is_checked_again_for_the_pages_linking_to_its_anchors_only() -> (
    None
):
    """A calendar's days move every night: the pages whose menu links to the calendar keep
    their findings; a page linking to one of its days is checked again."""
    menu = '<a href="c.html">Calendar</a>'
    day = '<a href="c.html#d-8">Tuesday</a>'
    before, after = '<h2 id="d-8">Tuesday</h2>', '<h2 id="d-9">Wednesday</h2>'
    pages = {"a.html": menu, "b.html": menu + day, "c.html": after}
    refs = {"a.html": {"c.html"}, "b.html": {"c.html", "c.html" + ANCHORED}, "c.html": set()}
    record = gate_cache.SiteRecord(
        frozenset(pages),
        {
            path: gate_cache.PageRecord(
                gate_cache.page_hash(before if path == "c.html" else html),
                (),
                frozenset(page_ids(before if path == "c.html" else html)),
                frozenset(refs[path]),
            )
            for path, html in pages.items()
        },
    )
    assert gate_cache.plan(pages, record).check == {"b.html", "c.html"}
    # Gone, it matters to every page that names it.
    del pages["c.html"]
    assert gate_cache.plan(pages, record).check == {"a.html", "b.html"}
