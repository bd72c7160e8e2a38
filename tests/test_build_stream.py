"""The build streams its sites: each is written as it is finished, the pages of only a few sites
are held at once, and a run that fails anywhere publishes nothing and leaves nothing behind."""

from __future__ import annotations

import gc
import weakref
from pathlib import Path
from typing import Any

import pytest

from pipeline import build as build_module
from pipeline.build import BuildReport
from pipeline.deploy.release import RELEASES, live_release
from pipeline.problems import InvalidInput
from pipeline.site.carry import SitePages
from pipeline.site.specialise import Site, Specialiser
from tests.helpers import REPO, make_project

# An inline event handler in a county's own footer: a gate finding on every page of that site.
FAILING_FOOTER = '<p onclick="alert(1)">{name}</p>\n'


def _run_folders(out: Path) -> set[str]:
    """Every release and site folder in the output folder (staging ones too)."""
    releases = out / RELEASES
    return {
        p.relative_to(out).as_posix() for p in [*releases.iterdir(), *releases.glob("sites/*/*")]
    }


def _fail_gate_in(root: Path, *slugs: str) -> None:
    slots = root / "themes/perhekeskus/slots"
    for slug in slugs:
        (slots / f"footer-{slug}.html").write_text(FAILING_FOOTER.format(name=slug))


COUNTIES = ("lappi", "kymenlaakso", "satakunta")


def _with_counties(tmp_path: Path) -> Path:
    """The test project with three more counties (six sites)."""
    extra = {f"regions/{slug}.yml": (REPO / f"regions/{slug}.yml").read_text() for slug in COUNTIES}
    return make_project(tmp_path, extra)


def test_a_finding_in_the_second_county_publishes_nothing_and_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_project(tmp_path)
    out = tmp_path / "build"
    build_module.build(root, out, search=False)
    live = live_release(out)
    before = {p: (out / p / "fi/index.html").read_text() for p in ("national", "kainuu")}
    folders = _run_folders(out)

    written: list[str] = []
    write_site = build_module.write_site

    def recording(release: Any, site: Any, *args: Any, **kwargs: Any) -> Path:
        written.append(site.slug)
        return write_site(release, site, *args, **kwargs)

    monkeypatch.setattr(build_module, "write_site", recording)
    # Sites run in the order national, ita-uusimaa, kainuu: the second county fails.
    _fail_gate_in(root, "kainuu")
    with pytest.raises(InvalidInput) as caught:
        build_module.build(root, out, search=True)
    assert {p.path.split("/")[0] for p in caught.value.problems} == {"kainuu"}
    # The sites before it were written into the run's release, and that release is gone.
    assert sorted(written) == ["ita-uusimaa", "national"]
    assert live_release(out) == live
    assert {p: (out / p / "fi/index.html").read_text() for p in before} == before
    assert _run_folders(out) == folders

    # Both counties failing: the problems of both, all at once, in the order of the sites.
    _fail_gate_in(root, "ita-uusimaa", "kainuu")
    with pytest.raises(InvalidInput) as caught:
        build_module.build(root, out, search=False)
    sites = [p.path.split("/")[0] for p in caught.value.problems]
    assert sites == sorted(sites) and set(sites) == {"ita-uusimaa", "kainuu"}
    assert all("inline event handler" in p.message for p in caught.value.problems)
    assert live_release(out) == live and _run_folders(out) == folders


def _alone(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, set[str]]]:
    """Builds of one site from now on go the way of a county's nightly at scale: checked in
    parts of two pages by two processes while they are made, their pages written meanwhile;
    the sites written early, each with the pages left for later, as they are."""
    monkeypatch.setattr(build_module, "SPLIT_AT", 1)
    monkeypatch.setattr(build_module, "CHUNK", 2)
    early: list[tuple[str, set[str]]] = []
    write_early = build_module.write_early

    def recording(release: Any, site: Any, cdn: Any, skip: Any, *args: Any) -> Any:
        early.append((site.slug, set(skip)))
        return write_early(release, site, cdn, skip, *args)

    monkeypatch.setattr(build_module, "write_early", recording)
    return early


def _files(site: Path) -> dict[str, bytes]:
    """A site's pages and their compressed copies, by path."""
    return {
        p.relative_to(site).as_posix(): p.read_bytes()
        for p in site.rglob("*")
        if p.is_file() and p.name.split(".")[-1] in ("html", "br", "gz", "ics", "xml")
    }


def test_a_site_built_alone_is_written_while_it_is_checked_and_is_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PERHEKESKUS_CACHE", "off")
    root = make_project(tmp_path)
    whole = build_module.build(root, tmp_path / "whole", areas=["kainuu"], national=False)
    early = _alone(monkeypatch)
    alone = build_module.build(root, tmp_path / "alone", areas=["kainuu"], national=False)
    assert [slug for slug, _ in early] == ["kainuu"] and alone.sites == whole.sites
    made = _files((tmp_path / "alone" / "kainuu").resolve())
    assert made == _files((tmp_path / "whole" / "kainuu").resolve())
    # The evidence names each page by its hash: taken from the check's where it is the same.
    assert _evidence_hashes(alone) == _evidence_hashes(whole)
    # The statements are filled from the check: written after it, not early.
    statements = {p for p in made if p.endswith(".html") and b"statement-status" in made[p]}
    assert statements and early[0][1] == statements
    assert {p for p in made if p.endswith(".html.br")} == {
        p + ".br" for p in made if p.endswith(".html")
    }


def test_a_site_built_alone_is_indexed_while_it_is_written_and_the_index_is_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PERHEKESKUS_CACHE", "off")
    root = make_project(tmp_path)
    build_module.build(root, tmp_path / "whole", areas=["kainuu"], national=False)
    _alone(monkeypatch)
    indexed = _own_index_runs(monkeypatch)
    build_module.build(root, tmp_path / "alone", areas=["kainuu"], national=False)
    # Indexed once, ahead of the writing, and taken: the pages written have the same views.
    assert len(indexed) == 1 and indexed[0] > 0
    bundle = "pagefind/site"
    whole, alone = ((tmp_path / b / "kainuu" / bundle).resolve() for b in ("whole", "alone"))
    assert _bundle(alone) == _bundle(whole) and _bundle(whole)


def test_a_site_built_alone_is_indexed_ahead_with_its_carried_pages_when_its_data_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil
    from datetime import date

    monkeypatch.setenv("PERHEKESKUS_CACHE", "on")
    root = make_project(tmp_path)
    shutil.copytree(REPO / "snapshots" / "events", root / "snapshots" / "events")
    _alone(monkeypatch)
    ahead: list[int] = []
    own_index_ahead_one = build_module.own_index_ahead_one

    def recording(pages: Any, *args: Any) -> Any:
        ahead.append(len(pages))
        return own_index_ahead_one(pages, *args)

    monkeypatch.setattr(build_module, "own_index_ahead_one", recording)
    indexed = _own_index_runs(monkeypatch)

    def built(day: int, out: str = "out") -> BuildReport:
        today = date(2026, 3, day)
        folder = tmp_path / out
        return build_module.build(root, folder, areas=["kainuu"], national=False, today=today)

    first = built(20)
    assert len(ahead) == 1 and not first.carried.get("kainuu")
    again = built(20)
    # Carried whole: its own index is the live one, not made ahead.
    assert again.carried.get("kainuu") and len(ahead) == 1
    indexed.clear()
    later = built(21)
    # A new day: the calendars are made again, the rest carried; indexed once, ahead, with
    # the pages carried over, and taken.
    assert later.carried.get("kainuu") and len(ahead) == 2 and len(indexed) == 1
    assert ahead[-1] == later.sites["kainuu"]
    monkeypatch.setenv("PERHEKESKUS_CACHE", "off")
    built(21, "cold")
    bundle = "pagefind/site"
    warm, cold = ((tmp_path / b / "kainuu" / bundle).resolve() for b in ("out", "cold"))
    assert _bundle(warm) == _bundle(cold) and _bundle(cold)


def _own_index_runs(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The pages of each own index made from now on (whether Pagefind ran or its cache)."""
    from pipeline.site import search

    indexed: list[int] = []
    own_index = search.own_index

    def counting(pages: Any, views: Any, *args: Any) -> Any:
        indexed.append(len(views))
        return own_index(pages, views, *args)

    monkeypatch.setattr(search, "own_index", counting)
    return indexed


def _bundle(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*")
            if p.is_file()}  # fmt: skip


def _evidence_hashes(report: BuildReport) -> dict[str, str]:
    found = {p.path: p.sha256 for c in report.evidence["kainuu"].checks for p in c.pages}
    assert any(p.endswith("404.html") for p in found)
    return found


def test_a_finding_in_a_site_built_alone_publishes_nothing_of_what_was_written_early(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_project(tmp_path)
    out = tmp_path / "build"
    build_module.build(root, out, areas=["kainuu"], national=False, search=False)
    live = live_release(out)
    before = _files((out / "kainuu").resolve())
    folders = _run_folders(out)

    early = _alone(monkeypatch)
    _fail_gate_in(root, "kainuu")
    with pytest.raises(InvalidInput) as caught:
        build_module.build(root, out, areas=["kainuu"], national=False, search=False)
    assert {p.path.split("/")[0] for p in caught.value.problems} == {"kainuu"}
    # Written while checked, into the run's release: gone now.
    assert [slug for slug, _ in early] == ["kainuu"]
    assert live_release(out) == live and _run_folders(out) == folders
    assert _files((out / "kainuu").resolve()) == before


def test_the_build_holds_the_pages_of_at_most_two_sites(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _with_counties(tmp_path)

    class Pages(SitePages):
        """A site's pages, whose end (freed from memory) can be observed."""

    made: list[weakref.ref[Pages]] = []

    def alive() -> int:
        gc.collect()
        return sum(1 for ref in made if ref() is not None)

    held_before: list[int] = []
    site_pages = Specialiser.site_pages

    def tracked(self: Specialiser, *args: Any, **kwargs: Any) -> tuple[Pages, Any]:
        held_before.append(alive())
        pages, problems = site_pages(self, *args, **kwargs)
        result = Pages()
        result.update(pages)
        made.append(weakref.ref(result))
        return result, problems

    monkeypatch.setattr(Specialiser, "site_pages", tracked)
    report = build_module.build(root, tmp_path / "out", search=False)
    assert len(report.sites) == 6 and len(held_before) == 6
    # Specialising one more site, the build holds the pages of at most one other.
    assert max(held_before) + 1 <= build_module.IN_FLIGHT == 2
    assert alive() == 0


def test_a_site_too_big_to_join_those_held_waits_while_the_next_one_goes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _with_counties(tmp_path)
    expected_pages = Specialiser.expected_pages

    def kainuu_is_big(self: Specialiser, site: Site) -> int:
        # As many pages as may be held at once: it goes only when no other site is held.
        if site.slug == "kainuu":
            return build_module.PAGES_IN_FLIGHT
        return expected_pages(self, site)

    made: list[tuple[str, int]] = []
    specialise = build_module.SiteStream._specialise

    def tracked(self: build_module.SiteStream, site: Site, *args: Any) -> None:
        made.append((site.slug, len(self.held)))
        specialise(self, site, *args)

    monkeypatch.setattr(Specialiser, "expected_pages", kainuu_is_big)
    monkeypatch.setattr(build_module.SiteStream, "_specialise", tracked)
    _fail_gate_in(root, "lappi", "kainuu")
    report = build_module.build(root, tmp_path / "out", search=False, gate="report")

    order = [slug for slug, _ in made]
    sites = ["national", "ita-uusimaa", "kainuu", *sorted(COUNTIES)]
    assert sorted(order) == sorted(sites)
    # Kainuu went alone, after a site that came after it.
    assert dict(made)["kainuu"] == 0
    assert order.index("kainuu") > order.index("kymenlaakso")
    # Made out of order, the sites, their findings and their evidence are in their order.
    assert list(report.sites) == list(report.findings) == list(report.evidence) == sites
    found = [w.path.split("/")[0] for w in report.warnings if "inline event handler" in w.message]
    assert found == sorted(found) and set(found) == {"kainuu", "lappi"}
