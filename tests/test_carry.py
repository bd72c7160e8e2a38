"""Unchanged pages carried over from the live site: a rebuild reads them instead of making
them, and gives what a build without the cache gives."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from pipeline.build import BuildReport, build
from pipeline.deploy.release import live_release, rollback
from pipeline.site.search import NATIONAL_BUNDLE, NationalIndex
from tests.helpers import make_project, site_paths


def _build(root: Path, out: Path) -> BuildReport:
    return build(root, out, areas=["kainuu"], search=False)


def _pages(out: Path, slug: str) -> dict[str, bytes]:
    live = live_release(out)
    assert live is not None
    site = (live / slug).resolve()
    return {rel: p.read_bytes() for rel, p in site_paths(site).items() if rel.endswith(".html")}


def _edit_article(root: Path) -> None:
    """A new paragraph at the end of the Finnish neuvola article."""
    article = root / "content" / "fi" / "neuvola.md"
    article.write_text(article.read_text(encoding="utf-8") + "\nUusi kappale.\n", "utf-8")


@pytest.fixture
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("PERHEKESKUS_CACHE", "on")
    (tmp_path / "project").mkdir()
    return make_project(tmp_path / "project")


def _calls(
    monkeypatch: pytest.MonkeyPatch,
    owner: Any,
    name: str,
    note: Callable[..., Any],
    calls: list[Any] | None = None,
) -> list[Any]:
    """Each call of ``owner.name`` from now on, as ``note`` of its arguments (into ``calls``
    when given); it still runs."""
    calls = [] if calls is None else calls
    original = getattr(owner, name)

    def recording(*args: Any, **kwargs: Any) -> Any:
        calls.append(note(*args, **kwargs))
        return original(*args, **kwargs)

    monkeypatch.setattr(owner, name, recording)
    return calls


def _cold(root: Path, out: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, dict[str, bytes]]:
    monkeypatch.setenv("PERHEKESKUS_CACHE", "off")
    _build(root, out)
    monkeypatch.setenv("PERHEKESKUS_CACHE", "on")
    return {slug: _pages(out, slug) for slug in ("national", "kainuu")}


def test_a_rebuild_carries_the_unchanged_pages_and_equals_a_cold_build(
    root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    first = _build(root, out)
    assert first.carried == {"national": 0, "kainuu": 0}
    again = _build(root, out)
    for slug, pages in again.sites.items():
        # All but the statement and 404 pages, which are always made.
        assert 0 < again.carried[slug] < pages
    warm = {slug: _pages(out, slug) for slug in ("national", "kainuu")}
    assert warm == _cold(root, tmp_path / "cold", monkeypatch)

    _edit_article(root)
    edited = _build(root, out)
    assert 0 < edited.carried["kainuu"] < again.carried["kainuu"]
    pages = _pages(out, "kainuu")
    assert b"Uusi kappale." in pages["fi/raskaus/neuvola/index.html"]
    assert {s: _pages(out, s) for s in warm} == _cold(root, tmp_path / "cold2", monkeypatch)
    # The evidence names each page by its hash: a carried page's (from the live manifest) is
    # the one a cold build computes.
    monkeypatch.setenv("PERHEKESKUS_CACHE", "off")
    cold = _build(root, tmp_path / "cold3")
    for slug in warm:
        hashes = [check.model_dump()["pages"] for check in edited.evidence[slug].checks]
        assert hashes == [check.model_dump()["pages"] for check in cold.evidence[slug].checks]
        assert hashes[0]


def test_a_county_file_change_or_a_rollback_carries_nothing_that_differs(
    root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    _build(root, out)
    _build(root, out)
    region = root / "regions" / "kainuu.yml"
    region.write_text(region.read_text(encoding="utf-8").replace("Kainuu", "Kainuun", 1), "utf-8")
    changed = _build(root, out)
    assert changed.carried == {"national": 0, "kainuu": 0}  # every site shows every county

    rollback(out)  # the live sites are now the ones before the change
    after = _build(root, out)
    # The county's live folder is the one before the change: nothing of it is carried. The
    # national site came out the same file for file, so both releases share its folder,
    # which is what the change's build made: carrying from it is exact.
    assert after.carried["kainuu"] == 0
    assert after.carried["national"] > 0
    assert {s: _pages(out, s) for s in after.sites} == _cold(root, tmp_path / "cold", monkeypatch)


def test_county_reports_made_once_for_the_same_inputs(
    root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pipeline.quality import report

    made = _calls(monkeypatch, report, "county_report", lambda project, slug, *_: slug)
    out = tmp_path / "out"
    _build(root, out)
    ptv = out / "reports" / "kainuu" / "ptv.json"
    first = ptv.read_bytes()
    os.utime(ptv, ns=(0, 0))
    assert made == ["kainuu"]
    _build(root, out)
    assert made == ["kainuu"]
    # The same report: the file is not written again.
    assert ptv.read_bytes() == first and ptv.stat().st_mtime_ns == 0
    region = root / "regions" / "kainuu.yml"
    region.write_text(region.read_text(encoding="utf-8").replace("Kainuu", "Kainuun", 1), "utf-8")
    _build(root, out)
    assert made == ["kainuu", "kainuu"]
    assert ptv.read_bytes() != first


def test_a_carried_page_removed_by_hand_stops_the_build_in_words(
    root: Path, tmp_path: Path
) -> None:
    from pipeline.deploy import PublishError
    from pipeline.deploy.release import live_release

    out = tmp_path / "out"
    _build(root, out)
    live = live_release(out)
    assert live is not None
    page = (live / "kainuu").resolve() / "fi/raskaus/neuvola/index.html"
    page.unlink()
    article = root / "content" / "fi" / "tuet.md"  # another article: the page is carried
    article.write_text(article.read_text(encoding="utf-8") + "\nUusi kappale.\n", "utf-8")
    with pytest.raises(PublishError, match=r"fi/raskaus/neuvola/index\.html: this page of the"):
        _build(root, out)
    assert live_release(out) == live


def test_pages_carried_over_are_not_read_when_their_facts_are_kept(
    root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The sitemaps and the search index's key take a carried page's facts from the build
    cache, by its hash: a rebuild after an edit reads none of them, and makes the same files."""
    from pipeline.site import carry

    out = tmp_path / "out"
    build(root, out, areas=["kainuu"])
    _edit_article(root)
    read = _calls(monkeypatch, carry, "read_page", lambda folder, path: path)
    edited = build(root, out, areas=["kainuu"])
    assert edited.carried["kainuu"] > 10 and read == []
    monkeypatch.setenv("PERHEKESKUS_CACHE", "off")
    build(root, tmp_path / "cold", areas=["kainuu"])
    warm, cold = (live_release(o) for o in (out, tmp_path / "cold"))
    assert warm is not None and cold is not None
    names = ["kainuu/pagefind/site/pagefind-entry.json"]
    names += [
        f"{slug}/sitemap-{lang}.xml"
        for slug in ("national", "kainuu")
        for lang in ["fi", "sv", "en"]
    ]
    for name in names:
        assert (warm / name).read_bytes() == (cold / name).read_bytes(), name


def test_the_national_index_is_written_only_where_the_live_sites_lack_it(
    root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    first = build(root, out, areas=["kainuu"])
    written = _calls(monkeypatch, NationalIndex, "source", lambda index, rel: rel)
    build(root, out, areas=["kainuu"])
    assert written == []  # every file of it is live in both sites already

    _edit_article(root)
    build(root, out, areas=["kainuu"])
    live = live_release(out)
    assert live is not None
    folder = (live / "kainuu" / NATIONAL_BUNDLE).resolve()
    bundle = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}
    # The files the edit changed (asked for by both sites); the rest kept from the live sites.
    assert written and set(written) < bundle
    assert first.sites.keys() == {"national", "kainuu"}


def test_the_matches_of_a_site_whose_key_is_unchanged_are_taken_from_the_cache(
    root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A rebuild whose site keys are those of the build before does not match again, and
    gives the same pages; a county file changed (every site's key) matches every site again."""
    import pipeline.site.specialise as specialise_module
    from pipeline.site.services import ServiceViews

    def site(views: Any, area: Any) -> str:
        return "national" if area is None else area.slug

    matched = _calls(monkeypatch, ServiceViews, "site_services", site)
    _calls(monkeypatch, specialise_module, "site_events", lambda *_: "events", matched)
    out = tmp_path / "out"
    _build(root, out)
    assert matched == ["national", "kainuu", "events"]
    first = {slug: _pages(out, slug) for slug in ("national", "kainuu")}

    matched.clear()
    _edit_article(root)  # an article's text: the sites' keys stay
    _build(root, out)
    assert matched == []
    (root / "content" / "fi" / "neuvola.md").write_text(
        (root / "content" / "fi" / "neuvola.md").read_text("utf-8").replace("Uusi kappale.", ""),
        "utf-8",
    )
    _build(root, out)
    assert {slug: _pages(out, slug) for slug in ("national", "kainuu")} == first
    assert first == _cold(root, tmp_path / "cold", monkeypatch)

    matched.clear()
    county = root / "regions" / "kainuu.yml"
    text = county.read_text("utf-8")
    county.write_text(text.replace('closes: "15:00"', 'closes: "15:15"', 1), "utf-8")
    _build(root, out)
    assert matched == ["national", "kainuu", "events"]


def _later_closing(root: Path) -> None:
    """Kainuu's first help phone closes a quarter of an hour later: on every page of its site."""
    county = root / "regions" / "kainuu.yml"
    text = county.read_text("utf-8")
    county.write_text(text.replace('closes: "15:00"', 'closes: "15:15"', 1), "utf-8")


def _every_file(out: Path, slug: str) -> dict[str, bytes]:
    """A live site's files but its manifest and server blocks (they name times and folders)."""
    live = live_release(out)
    assert live is not None
    site = (live / slug).resolve()
    return {
        rel: p.read_bytes()
        for rel, p in site_paths(site).items()
        if p.name != "manifest.json" and not p.name.startswith("nginx")
    }


def test_a_site_mostly_written_anew_links_in_only_what_it_kept(
    root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A county's contacts changed: its pages are all new, so the files kept from the live
    site are linked into the new one (not the whole live site copied as links, then most of it
    replaced). An article edited: a few files are new, the live sites are shared (only the
    folders on the way to a change are made). Either way the sites are what a build without
    the cache makes."""
    import pipeline.deploy.reuse as reuse

    out = tmp_path / "out"
    _build(root, out)
    before = live_release(out)
    assert before is not None
    style = (before / "kainuu").resolve() / "assets" / "style.css"
    copied = _calls(monkeypatch, reuse, "link_tree", lambda source, target: source.parent.name)
    shared = _calls(monkeypatch, reuse, "share_tree", lambda live, *_: live.parent.name)
    _later_closing(root)
    _build(root, out)
    # The national site is the live one, file for file: kept whole.
    assert copied == shared == []
    after = live_release(out)
    assert after is not None and after != before
    # A file kept is the live file itself, linked.
    assert (
        (after / "kainuu").resolve() / "assets" / "style.css"
    ).stat().st_ino == style.stat().st_ino
    warm = {slug: _every_file(out, slug) for slug in ("national", "kainuu")}
    monkeypatch.setenv("PERHEKESKUS_CACHE", "off")
    _build(root, tmp_path / "cold")
    assert warm == {slug: _every_file(tmp_path / "cold", slug) for slug in ("national", "kainuu")}

    monkeypatch.setenv("PERHEKESKUS_CACHE", "on")
    _edit_article(root)
    _build(root, out)
    assert copied == [] and sorted(shared) == ["kainuu", "national"]
    warm = {slug: _every_file(out, slug) for slug in ("national", "kainuu")}
    monkeypatch.setenv("PERHEKESKUS_CACHE", "off")
    _build(root, tmp_path / "cold2")
    assert warm == {slug: _every_file(tmp_path / "cold2", slug) for slug in ("national", "kainuu")}


def test_a_kept_file_removed_by_hand_stops_the_build_in_words(root: Path, tmp_path: Path) -> None:
    from pipeline.deploy import PublishError

    out = tmp_path / "out"
    _build(root, out)
    live = live_release(out)
    assert live is not None
    ((live / "kainuu").resolve() / "assets" / "style.css").unlink()
    _later_closing(root)
    with pytest.raises(PublishError, match=r"assets/style\.css: this file of the live site is"):
        _build(root, out)
    assert live_release(out) == live


def test_a_nights_ptv_snapshot_makes_again_only_the_pages_of_the_services_that_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A new PTV snapshot no longer makes the whole site again: a service page is made again
    only when its service, channels or organisations changed, a national page only when its
    list of services fills with other text; the result is a cold build's."""
    import shutil

    from pipeline.bench import run as bench_run
    from pipeline.site.services import ServiceViews
    from pipeline.site.urls import SERVICE_FOLDER
    from pipeline.sources.store import Store
    from tests.helpers import REPO

    monkeypatch.setenv("PERHEKESKUS_CACHE", "on")
    root = tmp_path / "project"
    shutil.copytree(REPO / "snapshots" / "ptv", root / "snapshots" / "ptv")
    make_project(root)
    out = tmp_path / "out"
    first = build(root, out, areas=["kainuu"], search=False, national=False)
    folders = tuple(f"{lang}/{folder}/" for lang, folder in SERVICE_FOLDER.items())
    pages = [p for p in _pages(out, "kainuu") if p.startswith(folders)]
    assert first.carried["kainuu"] == 0 and pages
    before = Store(root / "snapshots" / "ptv").current()
    assert before is not None
    changed = bench_run._county_service_ids(before, bench_run._county_codes(root))[:2]
    with bench_run.next_night_ptv(root, 1, changed=2):
        made = _calls(monkeypatch, ServiceViews, "_render_service", lambda _, s, lang: s.id)
        night = build(root, out, areas=["kainuu"], search=False, national=False)
        # Two of the county's services changed: only their pages are made again.
        assert made and set(made) <= set(changed) and len(made) < len(pages)
        assert 0 < night.carried["kainuu"] < night.sites["kainuu"]
        after = _pages(out, "kainuu")
        assert any(b"P\xc3\xa4ivitetty" in after[p] for p in pages)
        monkeypatch.setenv("PERHEKESKUS_CACHE", "off")
        build(root, tmp_path / "cold", areas=["kainuu"], search=False, national=False)
        assert after == _pages(tmp_path / "cold", "kainuu")


def test_a_service_pages_key_follows_its_service_channels_organisations_and_their_dates(
    tmp_path: Path,
) -> None:
    import shutil
    from dataclasses import replace
    from datetime import timedelta

    from pipeline.cache import BuildCache
    from pipeline.site.services import page_key
    from pipeline.sources.ptv.snapshot import load_current
    from tests.helpers import REPO

    shutil.copytree(REPO / "snapshots" / "ptv", tmp_path / "ptv")
    dataset = load_current(tmp_path / "ptv", BuildCache(tmp_path, on=True))
    assert dataset is not None
    service = next(s for s in dataset.services.values() if s.channels and s.organisations)
    services = dataset.services.values()
    other = next(s for s in services if not set(s.channels) & set(service.channels))
    key, other_key = page_key(dataset, service), page_key(dataset, other)
    assert key and other_key and key != other_key

    channel = ("channel", service.channels[0])
    dataset.read_from[channel] = "another raw item"
    assert page_key(dataset, service) not in (key, None)
    assert page_key(dataset, other) == other_key  # not its channel
    del dataset.read_from[channel]  # read without the cache: unknown
    assert page_key(dataset, service) is None

    dataset = load_current(tmp_path / "ptv", BuildCache(tmp_path, on=True))
    assert dataset is not None and page_key(dataset, service) == key
    organisation = ("organization", service.organisations[0])
    dataset.read_from[organisation] = "another raw item"
    assert page_key(dataset, service) not in (key, None)

    dataset = load_current(tmp_path / "ptv", BuildCache(tmp_path, on=True))
    assert dataset is not None
    origin = dataset.origins[service.channels[0]]
    dataset.origins[service.channels[0]] = replace(
        origin, fetched_at=origin.fetched_at - timedelta(days=1)
    )
    assert page_key(dataset, service) not in (key, None)  # the page shows the oldest date
