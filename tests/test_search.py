"""Search: compound parts, the index of every site and language, and queries in Chromium."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from pipeline.build import build
from pipeline.site.search import CompoundSplitter, compound_parts, search_terms
from pipeline.sources.ptv.fetch import Fetcher
from pipeline.sources.ptv.source import V11Source
from tests import ptv_objects as o
from tests.helpers import make_project, read_page


def test_compound_parts_keep_derivations_with_their_stem() -> None:
    assert compound_parts("+lasten(lapsi)+neuvola(neuvola)") == ["lasten", "neuvola", "lapsi"]
    assert compound_parts("+äitiys(äitiys)+avust(avustaa)+us(+us)") == [
        "äitiys",
        "avustus",
        "avustaa",
    ]
    assert compound_parts("+neuvola(neuvola)") == ["neuvola"]


@pytest.mark.slow  # needs Debian's libvoikko1 and voikko-fi (CI installs them)
def test_voikko_splits_finnish_compounds() -> None:
    splitter = CompoundSplitter()
    assert splitter.available, splitter.problem  # CI installs libvoikko1 and voikko-fi
    assert {"lasten", "neuvola"} <= set(splitter.terms("lastenneuvolaan"))
    terms = search_terms(["Eroperheen arki"], "fi", splitter, ["Perheiden palvelut"]).split()
    assert "ero" in terms and "perhe" in terms
    assert search_terms(["Eroperheen arki"], "sv", splitter) == ""


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = make_project(tmp_path_factory.mktemp("search"))
    shutil.rmtree(root / "snapshots")
    fake_services = [
        o.service(
            "kainuu",
            fi="Kainuun äitiysneuvola",
            classes=("P5.2",),
            areas=[o.county_area("20", "205")],
        ),
        o.service(
            "porvoo",
            fi="Porvoon perheneuvola",
            sv="Familjerådgivningen i Borgå",
            classes=("P5.2",),
            areas=[o.county_area("01", "638")],
        ),
    ]
    from tests.fake_ptv import FakePtv

    with FakePtv(services=fake_services).serve() as url:
        Fetcher(V11Source(url, backoff=0), root / "snapshots" / "ptv").run(
            ["205", "638"], "full", all_areas=True
        )
    build(root, root / "build")
    return root / "build"


def test_every_site_has_an_index_per_language(sites: Path) -> None:
    for slug in ("national", "kainuu", "ita-uusimaa"):
        entry = json.loads((sites / slug / "pagefind" / "pagefind-entry.json").read_text())
        assert set(entry["languages"]) == {"fi", "sv", "en"}, slug


def test_pages_mark_what_is_indexed(sites: Path) -> None:
    article = read_page(next((sites / "kainuu/fi").glob("*/neuvola/index.html")))
    body = article.find("article")
    assert (
        "data-pagefind-body" in body.attrs and body.attrs["data-pagefind-filter"] == "type:article"
    )
    terms = article.find("span", **{"data-pagefind-index-attrs": "data-terms"}).attrs["data-terms"]
    assert "neuvolapalvelut" in terms  # the name of the article's PTV service class
    assert "data-pagefind-ignore" in article.find("p", class_="page-meta").attrs
    search = read_page(sites / "kainuu/sv/sok/index.html")
    assert search.find("html").attrs["lang"] == "sv"
    assert search.find("label", **{"for": "search-input"}).text == "Sök på webbplatsen"
    assert "Sökningen behöver JavaScript" in " ".join(e.text for e in search.find_all("p"))


@pytest.mark.slow
def test_queries_in_chromium_stay_in_their_language_and_county(sites: Path) -> None:
    from playwright.sync_api import sync_playwright

    from pipeline.quality.browser_audit import CHROMIUM_ARGS, chromium_path, serving

    def search(page, site: str, lang: str, query: str) -> list[dict[str, str]]:  # type: ignore[no-untyped-def]
        folder = {"fi": "haku", "sv": "sok", "en": "search"}[lang]
        page.goto(f"{base}{site}/{lang}/{folder}/")
        page.wait_for_function("() => !!window.perhekeskusSearch")
        found = page.evaluate("async (q) => (await window.perhekeskusSearch(q, '')).data", query)
        return [{"url": d["url"], "title": d["meta"]["title"]} for d in found]

    with serving(sites) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        page = browser.new_page()
        requests: list[str] = []
        page.on("request", lambda r: requests.append(r.url))
        swedish = search(page, "ita-uusimaa", "sv", "rådgivningen")
        assert swedish and all("/sv/" in r["url"] for r in swedish)
        assert search(page, "kainuu", "fi", "neuvola")  # the compound parts find "äitiysneuvola"
        assert "Kainuun äitiysneuvola" in [
            r["title"] for r in search(page, "kainuu", "fi", "äitiysneuvola")
        ]
        assert "Kainuun äitiysneuvola" not in [
            r["title"] for r in search(page, "ita-uusimaa", "fi", "äitiysneuvola")
        ]
        assert "Porvoon perheneuvola" in [
            r["title"] for r in search(page, "ita-uusimaa", "fi", "perheneuvola")
        ]
        assert all(u.startswith(base) for u in requests)  # nothing from another host
        browser.close()
