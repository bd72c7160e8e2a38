"""The real project: every one of the 23 sites builds, complete, from the committed data."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.build import build
from tests.helpers import REPO, read_page

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def report_and_out(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    out = tmp_path_factory.mktemp("build")
    return build(REPO, out), out


def test_twenty_three_complete_sites(report_and_out) -> None:  # type: ignore[no-untyped-def]
    report, out = report_and_out
    assert len(report.sites) == 23
    for slug in report.sites:
        for lang in ("fi", "sv", "en"):
            assert (out / slug / lang / "index.html").is_file(), (slug, lang)
    # The sample carries PTV's real quirks on purpose; each is a warning for the county report.
    assert [w for w in report.warnings if not w.path.startswith("PTV ")] == []
    ptv = [str(w) for w in report.warnings if w.path.startswith("PTV ")]
    assert any("not a web address ('www.example.fi/neuvola')" in w for w in ptv)


def test_names_and_help_contacts_differ_per_site(report_and_out) -> None:  # type: ignore[no-untyped-def]
    _, out = report_and_out
    brands = set()
    for site in out.iterdir():
        if site.is_dir() and site.name not in ("reports", ".releases"):
            page = read_page(site / "fi/index.html")
            brands.add(" ".join(page.by_class("brand")[0].text.split()))
    assert len(brands) == 23
    kainuu = read_page(out / "kainuu/fi/index.html").by_class("help")[0].text
    ita = read_page(out / "ita-uusimaa/sv/index.html").by_class("help")[0].text
    assert "08 6156 3150" in kainuu and "08 6156 3150" not in ita
    assert "019 520 4100" in ita and "Vi betjänar på finska och svenska." in ita


def test_every_page_has_its_language_and_one_h1(report_and_out) -> None:  # type: ignore[no-untyped-def]
    _, out = report_and_out
    for site in ("national", "kainuu", "ita-uusimaa", "lappi"):
        for path in (out / site).rglob("*.html"):
            rel = path.relative_to(out / site).as_posix()
            page = read_page(path)
            lang = rel.split("/")[0] if "/" in rel else "fi"
            assert page.find("html").attrs["lang"] == lang, rel
            assert len(page.find_all("h1")) == 1, rel


def test_every_internal_link_resolves(report_and_out) -> None:  # type: ignore[no-untyped-def]
    _, out = report_and_out
    for site in ("kainuu", "ita-uusimaa"):
        for path in (out / site).rglob("index.html"):
            for link in read_page(path).find_all("a"):
                href = link.attrs.get("href", "")
                if not href or href.startswith(("http", "tel:", "mailto:", "geo:", "#")):
                    continue
                target = (path.parent / href.split("#")[0]).resolve()
                if target.is_dir():
                    target = target / "index.html"
                assert target.is_file(), f"{path.relative_to(out)}: {href}"


def test_the_starter_corpus(report_and_out) -> None:  # type: ignore[no-untyped-def]
    from pipeline.content.load import load_project

    project = load_project(REPO)
    groups = project.articles.values()
    assert len(groups) >= 12
    assert len({theme for g in groups for theme in g.themes}) >= 6
    for group in groups:
        for lang in ("fi", "sv", "en"):
            assert group.version(lang) is not None, (group.id, lang)
    assert sum(1 for g in groups if g.version("fi", True)) >= 4
    assert sum(1 for g in groups if g.version("sv", True)) >= 2


def test_articles_are_reachable_from_theme_pages(report_and_out) -> None:  # type: ignore[no-untyped-def]
    _, out = report_and_out
    theme_pages = list((out / "kainuu/fi").glob("*/index.html"))
    linked: set[Path] = set()
    for page_path in theme_pages:
        for link in read_page(page_path).find_all("a"):
            href = link.attrs.get("href", "")
            if href.startswith("../"):
                linked.add((page_path.parent / href).resolve())
    articles = {p.parent.resolve() for p in (out / "kainuu/fi").glob("*/*/index.html")}
    articles = {a for a in articles if a.parent.name not in ("alue", "palvelut", "kunnat")}
    assert articles <= linked


def test_phone_links_call_the_number_they_show(report_and_out) -> None:  # type: ignore[no-untyped-def]
    """A tel: link dials the number in its text (080 005 005 is +35880005005, not +358800...)."""
    from pipeline.phone import tel

    _, out = report_and_out
    checked = 0
    for path in (out / "ita-uusimaa").rglob("*.html"):
        for link in read_page(path).find_all("a"):
            href, text = link.attrs.get("href", ""), link.text.strip()
            if href.startswith("tel:") and text.replace(" ", "").isdigit():
                assert href == f"tel:{tel(text)}", f"{path.relative_to(out)}: {text} -> {href}"
                checked += 1
    assert checked > 50
