"""Stage 8 writes only what changed: a rebuild links the live release's unchanged files (with
their compressed copies), takes the search indexes of unchanged pages from the build cache, and
gives byte for byte what a build without the cache gives; the live release is never touched."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from pipeline import build as build_module
from pipeline import publish
from pipeline.deploy.manifest import MANIFEST, read_manifest
from pipeline.deploy.release import (
    RELEASES,
    SHARED,
    Release,
    live_release,
    read_shared,
    releases,
    rollback,
)
from pipeline.quality.evidence import html_pages
from pipeline.site import search
from tests.helpers import make_project, sha256_of, site_paths

SITES = ("national", "kainuu")
EDITED = "Neuvolassa seurataan raskautta. Katso myös [tuet](tuet.md)."


@pytest.fixture
def pagefind_runs(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Path]]:
    """The bundles Pagefind made (every run, counted)."""
    runs: list[Path] = []
    run = search.run_pagefind

    def counted(site_dir: Path, bundle: Path) -> None:
        runs.append(bundle)
        run(site_dir, bundle)

    monkeypatch.setattr(search, "run_pagefind", counted)
    monkeypatch.setenv("PERHEKESKUS_CACHE", "on")
    yield runs


def _build(root: Path, out: Path) -> None:
    build_module.build(root, out, areas=["kainuu"], search=True)


def _site(out: Path, slug: str) -> Path:
    live = live_release(out)
    assert live is not None
    return (live / slug).resolve()


def _files(site: Path) -> dict[str, Path]:
    return site_paths(site)


def _new_files(before: Path, after: Path) -> set[str]:
    """The files of ``after`` that are not the same file (inode) as ``before``'s at that path."""
    old = _files(before)
    return {
        rel
        for rel, path in _files(after).items()
        if rel not in old or not os.path.samefile(path, old[rel])
    }


def _assert_whole(site: Path) -> None:
    """Every file of a site is what its manifest says, and the manifest lists every file."""
    manifest = read_manifest(site / MANIFEST)["files"]
    on_disk = {rel: sha256_of(path) for rel, path in _files(site).items() if rel != MANIFEST}
    assert on_disk == {rel: entry["sha256"] for rel, entry in manifest.items()}


def _contents(site: Path) -> dict[str, Any]:
    """A site's files' bytes, and its manifest without the build's moment."""
    found: dict[str, Any] = {
        rel: path.read_bytes() for rel, path in _files(site).items() if rel != MANIFEST
    }
    manifest = read_manifest(site / MANIFEST)
    manifest.pop("built_at")
    for snapshot in manifest["snapshots"].values():
        snapshot.pop("age_hours", None)
    found[MANIFEST] = manifest
    return found


def _folders(out: Path, slug: str) -> set[Path]:
    """The site's folders in the output folder."""
    return {p.resolve() for p in (out / RELEASES / "sites" / slug).iterdir()}


def _needed(out: Path, slug: str) -> set[Path]:
    """The site's folders the kept releases link to, and those these share."""
    linked = {(release / slug).resolve() for release in releases(out)}
    shared = {f.parent / name for f in linked for name in read_shared(f) or ()}
    return linked | {f.resolve() for f in shared}


def _three_edits(root: Path, out: Path, after: Callable[[], None] | None = None) -> None:
    """Three builds, each after an edit of the Finnish neuvola article (and ``after`` each)."""
    article = root / "content/fi/neuvola.md"
    previous = EDITED
    for text in ("Ensimmäinen.", "Toinen.", "Kolmas."):
        article.write_text(article.read_text().replace(previous, text))
        previous = text
        build_module.build(root, out, areas=["kainuu"], search=False)
        if after is not None:
            after()


def _assert_as_cold(
    root: Path, out: Path, monkeypatch: pytest.MonkeyPatch, search: bool = True
) -> None:
    """The live sites are what a build without the cache makes, byte for byte."""
    warm = {slug: _contents(_site(out, slug)) for slug in SITES}
    monkeypatch.setenv("PERHEKESKUS_CACHE", "off")
    build_module.build(root, out, areas=["kainuu"], search=search)
    assert {slug: _contents(_site(out, slug)) for slug in SITES} == warm


def test_an_unchanged_rebuild_keeps_every_live_folder_runs_no_pagefind_and_equals_a_cold_build(
    tmp_path: Path, pagefind_runs: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_project(tmp_path)
    out = tmp_path / "build"
    _build(root, out)
    assert pagefind_runs  # the first build indexed
    first = {slug: _site(out, slug) for slug in SITES}
    first_release = live_release(out)

    pagefind_runs.clear()
    _build(root, out)
    assert pagefind_runs == []
    release = live_release(out)
    assert release is not None and release != first_release
    record = json.loads((release / "release.json").read_text())
    assert record["built"] == [] and record["unchanged"] == sorted(SITES)
    for slug in SITES:
        # The same files, compressed copies and search bundles too: the live folder stays,
        # nothing is copied or linked, and the site's last build stays its build.
        second = _site(out, slug)
        assert second == first[slug]
        assert any(rel.startswith("pagefind/site/") for rel in _files(second)) or slug == "national"
        _assert_whole(second)

    # The same folder built without the cache (nginx files name it): all written anew, and
    # the same bytes, search bundles too.
    warm = {slug: _site(out, slug) for slug in SITES}
    monkeypatch.setenv("PERHEKESKUS_CACHE", "off")
    _build(root, out)
    assert pagefind_runs
    for slug in SITES:
        cold = _site(out, slug)
        assert _new_files(warm[slug], cold) == set(_files(cold))
        assert _contents(cold) == _contents(warm[slug])


def test_one_article_edited_makes_new_only_its_page_and_its_language_index(
    tmp_path: Path, pagefind_runs: list[Path]
) -> None:
    root = make_project(tmp_path)
    out = tmp_path / "build"
    _build(root, out)
    first = {slug: _site(out, slug) for slug in SITES}
    article = root / "content/fi/neuvola.md"
    article.write_text(article.read_text().replace(EDITED, "Neuvolassa mitataan verenpaine."))

    pagefind_runs.clear()
    _build(root, out)
    # The Finnish national articles once; the other languages and the county's own pages are
    # the same: their indexes are reused.
    assert [bundle.parent.name for bundle in pagefind_runs] == ["pages-fi"]
    for slug in SITES:
        new = _new_files(first[slug], _site(out, slug))
        pages = {rel for rel in new if not rel.startswith("pagefind/")}
        assert pages == {
            MANIFEST,
            *(f"fi/raskaus/neuvola/index.html{suffix}" for suffix in ("", ".br", ".gz")),
        }
        bundle = {
            rel.removeprefix("pagefind/national/") for rel in new if rel.startswith("pagefind")
        }
        assert "pagefind-entry.json" in bundle
        # Of the index, only Finnish files and the entry that names them are new.
        others = {rel for rel in bundle if "_sv_" in rel or "/sv_" in rel or "/en_" in rel}
        assert bundle and not others
        assert not any(rel.startswith("pagefind/site/") for rel in new)
        _assert_whole(_site(out, slug))
        _assert_whole(first[slug])


def test_an_article_removed_is_gone_with_its_folder_and_the_site_equals_a_cold_build(
    tmp_path: Path, pagefind_runs: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_project(tmp_path)
    out = tmp_path / "build"
    _build(root, out)
    first = {slug: _site(out, slug) for slug in SITES}
    plain = {
        rel for rel in _files(first["kainuu"]) if rel.startswith("fi/raskaus/neuvola/selkokieli/")
    }
    assert plain
    (root / "content/fi/neuvola.selko.md").unlink()

    _build(root, out)
    for slug in SITES:
        site = _site(out, slug)
        assert site != first[slug]
        assert not plain & set(_files(site))
        assert not [p for p in site.rglob("*") if p.is_dir() and not any(p.iterdir())]
        _assert_whole(site)
        _assert_whole(first[slug])  # the live site before stays whole
    _assert_as_cold(root, out, monkeypatch)


def test_linked_files_survive_pruning_and_rollback(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    out = tmp_path / "build"
    _three_edits(root, out)
    kept = releases(out)
    # The first release is pruned; the files the later ones linked from it are still whole.
    assert len(kept) == 2
    home = [(release / "kainuu/fi/index.html").resolve() for release in kept]
    assert os.path.samefile(*home)  # one file, linked from the release now pruned
    for release in kept:
        for slug in SITES:
            _assert_whole((release / slug).resolve())
    assert rollback(out) == kept[0]
    page = (out / "kainuu/fi/raskaus/neuvola/index.html").read_text()
    assert "Toinen." in page and "Kolmas." not in page


def _built_with_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """A project and its first build with the build cache on (sites written without search)."""
    monkeypatch.setenv("PERHEKESKUS_CACHE", "on")
    root = make_project(tmp_path)
    out = tmp_path / "build"
    build_module.build(root, out, areas=["kainuu"], search=False)
    return root, out


def test_an_edit_shares_the_live_folders_it_did_not_touch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root, out = _built_with_cache(tmp_path, monkeypatch)
    first = _site(out, "kainuu")
    _three_edits(root, out)
    site = _site(out, "kainuu")
    # On the way to the edited page, folders of this run; beside it, the first build's.
    for folder in ("fi", "fi/raskaus", "fi/raskaus/neuvola"):
        assert (site / folder).is_dir() and not (site / folder).is_symlink()
    assert (site / "sv").is_symlink() and (site / "sv").resolve() == first / "sv"
    assert os.path.samefile(site / "sv/index.html", first / "sv/index.html")
    # What reads a built site sees its pages through the shared folders (the audit does).
    assert "sv/index.html" in html_pages(site)
    assert html_pages(site) == html_pages(first)
    assert "Kolmas." in (site / "fi/raskaus/neuvola/index.html").read_text()
    assert first.name in json.loads((site / SHARED).read_text())
    # The note is not part of the site: not in the manifest, not served.
    assert SHARED not in read_manifest(site / MANIFEST)["files"]
    _assert_whole(site)
    _assert_as_cold(root, out, monkeypatch, search=False)


def test_a_shared_folder_stays_while_a_kept_release_needs_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pipeline.deploy import reuse

    monkeypatch.setattr(reuse, "MAX_SHARED", 2)
    root, out = _built_with_cache(tmp_path, monkeypatch)
    made = [_site(out, "kainuu")]
    shares: list[tuple[bool, list[str] | None]] = []

    def look() -> None:
        made.append(_site(out, "kainuu"))
        shares.append(((made[-1] / "sv").is_symlink(), read_shared(made[-1])))
        assert _folders(out, "kainuu") == _needed(out, "kainuu")
        for release in releases(out):
            _assert_whole((release / "kainuu").resolve())

    _three_edits(root, out, look)
    first, _, two, three = made
    # The second edit would share two folders: it links the site whole, and shares nothing.
    assert shares == [(True, [first.name]), (False, []), (True, [two.name])]
    # Kept: the live release (three) and the one before (two), which need nothing older.
    assert _folders(out, "kainuu") == {two, three}
    assert rollback(out).name == releases(out)[0].name
    assert "Toinen." in (out / "kainuu/fi/raskaus/neuvola/index.html").read_text()


def test_a_shared_note_that_cannot_be_read_keeps_every_folder_of_its_site(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root, out = _built_with_cache(tmp_path, monkeypatch)
    first = _site(out, "kainuu")
    article = root / "content/fi/neuvola.md"
    article.write_text(article.read_text().replace(EDITED, "Ensimmäinen."))
    build_module.build(root, out, areas=["kainuu"], search=False)
    one = _site(out, "kainuu")
    (one / SHARED).write_text("{not json", encoding="utf-8")
    article.write_text(article.read_text().replace("Ensimmäinen.", "Toinen."))
    build_module.build(root, out, areas=["kainuu"], search=False)
    two = _site(out, "kainuu")
    # Which folders the unreadable note names is not known: the new site is linked whole,
    # and no folder of the site is pruned, the first build's neither.
    assert not (two / SHARED).exists() and not (two / "sv").is_symlink()
    assert {first, one, two} <= _folders(out, "kainuu")
    _assert_whole(one)
    _assert_whole(two)


def test_a_build_that_fails_after_linking_leaves_the_live_sites_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_project(tmp_path)
    out = tmp_path / "build"
    build_module.build(root, out, areas=["kainuu"], search=False)
    live = live_release(out)
    before = {slug: _contents(_site(out, slug)) for slug in SITES}
    article = root / "content/fi/neuvola.md"
    article.write_text(article.read_text().replace(EDITED, "Neuvolassa mitataan verenpaine."))

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk full while writing the manifest")

    # Fails when the site is put together from the live one's links and the new files,
    # before its manifest.
    monkeypatch.setattr(publish, "write_manifest", broken)
    with pytest.raises(RuntimeError, match="disk full"):
        build_module.build(root, out, areas=["kainuu"], search=False)
    assert live_release(out) == live
    for slug in SITES:
        assert _contents(_site(out, slug)) == before[slug]
        _assert_whole(_site(out, slug))
    assert [p.name for p in (out / RELEASES).glob("sites/*/*")] == [live.name] * 2  # type: ignore[union-attr]


def test_the_national_index_of_each_language_joined_is_one_pagefind_run_over_all(
    tmp_path: Path,
) -> None:
    root = make_project(tmp_path)
    out = tmp_path / "build"
    build_module.build(root, out, areas=[], search=False)
    site = _site(out, "national")
    pages = search.national_index_pages(
        {rel: path.read_text() for rel, path in _files(site).items() if rel.endswith(".html")}
    )
    groups = search.by_language(pages)
    assert list(groups) == ["fi", "sv", "en"]
    joined = search.join_bundles(
        [search.index_files(group, tmp_path / lang) for lang, group in groups.items()]
    )
    assert joined == search.index_files(pages, tmp_path / "all")


def test_a_live_site_whose_manifest_cannot_be_read_is_written_in_full(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root, out = _built_with_cache(tmp_path, monkeypatch)
    first = {slug: _site(out, slug) for slug in SITES}
    (first["kainuu"] / MANIFEST).write_text("{not json", encoding="utf-8")

    build_module.build(root, out, areas=["kainuu"], search=False)
    kainuu = _site(out, "kainuu")
    assert _new_files(first["kainuu"], kainuu) == set(_files(kainuu))
    assert _site(out, "national") == first["national"]  # unchanged: its live folder stays
    _assert_whole(kainuu)


def test_without_cp_or_rm_the_site_is_put_together_and_pruned_in_python(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pipeline.deploy import release as release_module
    from pipeline.deploy import reuse

    def missing(*args: object, **kwargs: object) -> None:
        raise FileNotFoundError("cp")

    monkeypatch.setattr(reuse.subprocess, "run", missing)
    monkeypatch.setattr(release_module.subprocess, "run", missing)
    root = make_project(tmp_path)
    out = tmp_path / "build"
    _three_edits(root, out)
    # Three runs, two kept: the first one's site folders stay only as far as the kept ones
    # share them.
    assert len(releases(out)) == 2
    assert _folders(out, "kainuu") == _needed(out, "kainuu")
    for slug in SITES:
        _assert_whole(_site(out, slug))
    _assert_as_cold(root, out, monkeypatch, search=False)


def test_a_failed_build_leaves_the_live_folder_it_would_have_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_project(tmp_path)
    out = tmp_path / "build"
    build_module.build(root, out, areas=["kainuu"], search=False)
    national = _site(out, "national")
    before = _contents(national)

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk full while writing the manifest")

    # The county's name changes: the national site comes out the same and keeps its live
    # folder, then the county's write fails.
    monkeypatch.setattr(publish, "write_manifest", broken)
    kept: list[str] = []
    keep_site = Release.keep_site

    def keep(self: Release, slug: str, live: Path) -> Path:
        kept.append(slug)
        return keep_site(self, slug, live)

    monkeypatch.setattr(Release, "keep_site", keep)
    region = root / "regions" / "kainuu.yml"
    region.write_text(region.read_text(encoding="utf-8").replace("Kainuu", "Kainuun", 1), "utf-8")
    with pytest.raises(RuntimeError, match="disk full"):
        build_module.build(root, out, areas=["kainuu"], search=False)
    assert kept == ["national"]
    assert _site(out, "national") == national and _contents(national) == before
    _assert_whole(national)
    assert [p.name for p in (out / RELEASES).glob("sites/*/*")] == [national.name] * 2
