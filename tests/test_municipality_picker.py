"""The municipality picker (issue 12, item 4): the municipalities of a county, or of every county
on the national site, as plain links with a labelled field for the script; and in Chromium a
choice made with the keyboard that is remembered and puts that municipality's services first."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from pipeline.build import build
from pipeline.site import urls
from pipeline.sources.ptv.fetch import Fetcher
from pipeline.sources.ptv.source import V11Source
from tests import ptv_objects as o
from tests.fake_ptv import FakePtv
from tests.helpers import AREA_FI, REPO, Element, Page, make_project, read_page

KAINUU = AREA_FI.replace(
    "  - {code: '205', name: {fi: Kajaani, sv: Kajana}, languages: [fi]}\n",
    "  - {code: '205', name: {fi: Kajaani, sv: Kajana}, languages: [fi]}\n"
    "  - {code: '765', name: {fi: Sotkamo, sv: Sotkamo}, languages: [fi]}\n",
)
SCRIPT = REPO / "themes" / "perhekeskus" / "assets" / "municipality.js"


def _ptv() -> FakePtv:
    return FakePtv(
        services=[
            o.service(
                "kajaani-neuvola",
                fi="Kajaanin neuvola",
                areas=[o.municipality_area("205")],
                channels=("kajaani-loc",),
            ),
            o.service(
                "sotkamo-neuvola",
                fi="Sotkamon neuvola",
                areas=[o.municipality_area("765")],
                channels=("sotkamo-loc",),
            ),
        ],
        channels=[
            o.location("kajaani-loc", fi="Kajaanin neuvola"),
            o.location(
                "sotkamo-loc",
                fi="Sotkamon neuvola",
                municipality="765",
                postal_code="88600",
                northing="7108000",
                easting="570000",
            ),
        ],
    )


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = make_project(tmp_path_factory.mktemp("picker"), {"regions/kainuu.yml": KAINUU})
    shutil.rmtree(root / "snapshots")
    with _ptv().serve() as url:
        Fetcher(V11Source(url, backoff=0), root / "snapshots" / "ptv").run(
            ["205", "765"], "full", all_areas=True
        )
    # The accessibility gate runs in the build: labels, and every link of the lists resolves.
    build(root, root / "build", search=False)
    return root / "build"


def _article(site: Path, slug: str) -> Path:
    return next((site / slug / "fi").glob("*/neuvola/index.html"))


def _picker_links(page: Page) -> dict[str, str]:
    section = page.find("section", class_="municipality-picker")
    assert section.attrs["data-pagefind-ignore"] == ""
    start = page.elements.index(section)
    links = [e for e in page.elements[start:] if e.tag == "a" and "data-code" in e.attrs]
    return {e.text.strip(): e.attrs["href"] for e in links}


def _by_code(page: Page, code: str) -> Element:
    return next(e for e in page.find_all("a") if e.attrs.get("data-code") == code)


def _has_label(page: Page) -> None:
    field = page.find("input", id="municipality-input")
    assert field.attrs["list"] == "municipality-options"
    label = page.find("label", for_="municipality-input")
    assert label.text.strip() == "Kirjoita tai valitse kuntasi"
    page.find("datalist", id="municipality-options")
    assert page.find("button", type="submit").text.strip() == "Valitse"


def test_county_home_and_articles_list_the_countys_municipalities(site: Path) -> None:
    for path, root in (
        (site / "kainuu/fi/index.html", "../"),
        (_article(site, "kainuu"), "../../../"),
    ):
        page = read_page(path)
        _has_label(page)
        links = _picker_links(page)
        assert links == {
            "Kajaani": f"{root}fi/kunnat/kajaani/",
            "Sotkamo": f"{root}fi/kunnat/sotkamo/",
        }
        for href in links.values():
            assert (path.parent / href / "index.html").is_file()


def test_swedish_pages_name_municipalities_in_swedish_and_keep_the_finnish_name(
    site: Path,
) -> None:
    page = read_page(site / "kainuu/sv/index.html")
    link = _by_code(page, "205")
    assert link.text == "Kajana"
    assert link.attrs["data-fi"] == "Kajaani"
    assert link.attrs["href"] == "../sv/kommuner/kajaani/"
    assert (
        page.find("label", for_="municipality-input").text.strip() == "Skriv eller välj din kommun"
    )


def test_national_site_lists_every_countys_municipalities_leading_to_its_site(site: Path) -> None:
    for path in (site / "national/fi/index.html", _article(site, "national")):
        page = read_page(path)
        _has_label(page)
        links = _picker_links(page)
        # Kainuu has municipality pages; the fixture's Itä-Uusimaa too.
        assert links == {
            "Kajaani": "https://perhekeskus.fi/kainuu/fi/kunnat/kajaani/",
            "Porvoo": "https://perhekeskus.fi/ita-uusimaa/fi/kunnat/porvoo/",
            "Sotkamo": "https://perhekeskus.fi/kainuu/fi/kunnat/sotkamo/",
        }
        counties = [e.text.strip() for e in page.by_class("picker-county")]
        assert counties == ["Itä-Uusimaa", "Kainuu"]
        intro = page.by_class("picker-intro")[0].text
        assert "hyvinvointialueesi" in intro


def test_the_county_site_has_the_pages_the_national_links_go_to(site: Path) -> None:
    page = read_page(site / "national/sv/index.html")
    for link in page.find_all("a"):
        if "data-code" not in link.attrs:
            continue
        path = link.attrs["href"].removeprefix("https://perhekeskus.fi/")
        assert (site / path / "index.html").is_file(), link.attrs["href"]
    assert _by_code(page, "638").text == "Borgå"


def test_the_script_knows_the_municipality_folders() -> None:
    found = dict(re.findall(r'(\w\w): "([a-z]+)"', SCRIPT.read_text(encoding="utf-8")))
    assert found == urls.MUNICIPALITY_FOLDER


def test_every_page_loads_the_script_with_its_texts(site: Path) -> None:
    for path in (
        site / "kainuu/fi/index.html",
        next((site / "kainuu/fi/palvelut").glob("*/index.html")),
    ):
        page = read_page(path)
        script = next(
            e for e in page.find_all("script") if "municipality.js" in e.attrs.get("src", "")
        )
        assert script.attrs["data-nearest"] == "Näytä lähimmät ensin"
        assert "%(name)s" in script.attrs["data-chosen"]
        assert "%(km)s" in script.attrs["data-distance"]


@pytest.mark.slow
def test_a_municipality_chosen_with_the_keyboard_comes_first_after_a_reload(site: Path) -> None:
    from playwright.sync_api import sync_playwright

    from pipeline.quality.browser_audit import CHROMIUM_ARGS, chromium_path, serving

    article = _article(site, "kainuu").relative_to(site / "kainuu").parent.as_posix() + "/"
    with serving(site / "kainuu") as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        page = browser.new_page()
        requests: list[str] = []
        page.on("request", lambda request: requests.append(request.url))
        page.goto(base + article)
        # As built, the Kajaani clinic comes first.
        block = page.locator("section.services").inner_text()
        assert block.index("Kajaanin neuvola") < block.index("Sotkamon neuvola")
        for _ in range(80):
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.id") == "municipality-input":
                break
        else:
            pytest.fail("the municipality field is not reachable with Tab")
        page.keyboard.type("sotkamo")
        page.keyboard.press("Enter")
        status = page.locator("#municipality-status")
        assert status.inner_text() == "Kuntasi on nyt Sotkamo. Sen palvelut näkyvät ensimmäisinä."

        page.reload()
        assert page.locator("#municipality-input").input_value() == "Sotkamo"
        header = page.locator(".site-header .my-municipality a")
        assert header.inner_text() == "Sotkamo"
        assert header.get_attribute("href") == base + "fi/kunnat/sotkamo/"
        cards = page.locator("section.services [data-municipality]")
        assert cards.count() == 2, "the service cards need data-municipality"
        first = cards.first
        assert first.get_attribute("data-municipality") == "765"
        assert "Sotkamon neuvola" in first.inner_text()
        assert first.locator(".mine-badge").inner_text() == "Oma kuntasi"
        assert all(url.startswith(base) for url in requests)
        browser.close()


NEAREST_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Nearest</title></head>
<body><header class="site-header"></header><main>
<section id="places"><h2>Locations</h2>
<section data-municipality="091" data-lat="60.17" data-lon="24.94"><h3>Helsinki</h3></section>
<section data-municipality="205" data-lat="64.23" data-lon="27.73"><h3>Kajaani</h3></section>
<section><h3>By phone</h3></section>
<section data-municipality="765" data-lat="64.13" data-lon="28.39"><h3>Sotkamo</h3></section>
</section></main>
<script src="municipality.js" defer data-mine="Your municipality" data-nearest="Show nearest first"
 data-nearest-note="Computed here." data-nearest-done="The nearest are now first."
 data-distance="about %(km)s km away"></script>
</body></html>
"""


@pytest.mark.slow
def test_nearest_first_orders_the_locations_on_the_device(tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    from pipeline.quality.browser_audit import CHROMIUM_ARGS, chromium_path, serving

    shutil.copy(SCRIPT, tmp_path / "municipality.js")
    (tmp_path / "index.html").write_text(NEAREST_PAGE, encoding="utf-8")
    with serving(tmp_path) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        # Near Sotkamo.
        context = browser.new_context(
            geolocation={"latitude": 64.1, "longitude": 28.3}, permissions=["geolocation"]
        )
        page = context.new_page()
        requests: list[str] = []
        page.on("request", lambda request: requests.append(request.url))
        page.goto(base)
        names = page.locator("#places > section h3")
        assert names.all_inner_texts() == ["Helsinki", "Kajaani", "By phone", "Sotkamo"]
        button = page.get_by_role("button", name="Show nearest first")
        assert page.locator(".nearest-note").inner_text() == "Computed here."
        button.focus()
        page.keyboard.press("Enter")
        page.locator(".nearest-status").filter(has_text="The nearest are now first.").wait_for()
        # The location without coordinates keeps its place among the others.
        assert names.all_inner_texts() == ["Sotkamo", "Kajaani", "By phone", "Helsinki"]
        assert "km away" in page.locator("#places .distance-badge").first.inner_text()
        assert all(url.startswith(base) for url in requests)
        browser.close()


# The locations as the items of a list (service and event cards are).
NEAREST_LIST_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Nearest</title></head>
<body><header class="site-header"></header><main>
<section id="places"><h2>Locations</h2><ul>
<li data-municipality="091" data-lat="60.17" data-lon="24.94"><h3>Helsinki</h3></li>
<li data-municipality="205" data-lat="64.23" data-lon="27.73"><h3>Kajaani</h3></li>
<li><h3>By phone</h3></li>
<li data-municipality="765" data-lat="64.13" data-lon="28.39"><h3>Sotkamo</h3></li>
</ul></section></main>
<script src="municipality.js" defer data-mine="Your municipality" data-nearest="Show nearest first"
 data-nearest-note="Computed here." data-nearest-done="The nearest are now first."
 data-distance="about %(km)s km away"></script>
</body></html>
"""


@pytest.mark.slow
def test_nearest_first_box_stands_before_a_list_of_locations_not_in_it(tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    from pipeline.quality.browser_audit import CHROMIUM_ARGS, chromium_path, serving

    shutil.copy(SCRIPT, tmp_path / "municipality.js")
    (tmp_path / "index.html").write_text(NEAREST_LIST_PAGE, encoding="utf-8")
    with serving(tmp_path) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        context = browser.new_context(
            geolocation={"latitude": 64.1, "longitude": 28.3}, permissions=["geolocation"]
        )
        page = context.new_page()
        page.goto(base)
        page.get_by_role("button", name="Show nearest first").wait_for()
        # The list holds only its items; the box comes right before it.
        assert (
            page.evaluate(
                "() => [...document.querySelectorAll('#places ul > *')].map(e => e.tagName)"
            )
            == ["LI"] * 4
        )
        assert page.evaluate(
            "() => document.querySelector('#places ul').previousElementSibling.className"
        ) == ("nearest")
        page.get_by_role("button", name="Show nearest first").click()
        page.locator(".nearest-status").filter(has_text="The nearest are now first.").wait_for()
        assert page.locator("#places li h3").all_inner_texts() == [
            "Sotkamo",
            "Kajaani",
            "By phone",
            "Helsinki",
        ]
        browser.close()
