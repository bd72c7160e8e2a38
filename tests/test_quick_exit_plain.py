"""Issue 12, items 5 and 6: the exit bar where a page is sensitive (and nowhere else), the
cover-your-tracks pages, and easy language within reach (header entry, index, links, lines)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pipeline.build import build
from pipeline.site import urls
from pipeline.sources.ptv.fetch import Fetcher
from pipeline.sources.ptv.source import V11Source
from tests import ptv_objects as o
from tests.fake_ptv import FakePtv
from tests.helpers import REPO, make_project, read_page

VIOLENCE_FI = """\
---
id: vakivalta
title: Väkivalta perheessä
summary: Apua väkivaltaan.
themes: [vakivalta]
life_stages: [all-ages]
audience: [parents]
services:
  service_classes: [P3.8]
  target_groups: [KR1.2]
review_date: 2027-06-30
owner: Testitiimi
quick_exit: true
---

Soita hätänumeroon 112. Katso myös [neuvola](neuvola.md).
"""

VIOLENCE_PLAIN_FI = """\
---
id: vakivalta
title: Väkivalta perheessä
summary: Saat apua.
review_date: 2027-06-30
plain_language: true
---

Väkivalta on väärin.
Sinä saat apua.

Lue myös [neuvolasta](neuvola.md) ja [tuista](tuet.md).
"""

COVER_PAGES = {
    "content/pages/fi/peita-jalkesi.md": "fi",
    "content/pages/sv/dolj-dina-spar.md": "sv",
    "content/pages/en/cover-your-tracks.md": "en",
}


def services() -> FakePtv:
    return FakePtv(
        services=[
            o.service("turvakoti", fi="Turvakoti", classes=("P3.8",), nationwide=True),
            o.service("neuvola", fi="Neuvola", classes=("P5.2",), nationwide=True),
        ],
    )


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    files: dict[str, str | None] = {
        "content/fi/vakivalta.md": VIOLENCE_FI,
        "content/fi/vakivalta.selko.md": VIOLENCE_PLAIN_FI,
    }
    files |= {rel: (REPO / rel).read_text(encoding="utf-8") for rel in COVER_PAGES}
    root = make_project(tmp_path_factory.mktemp("exit"), files)
    shutil.rmtree(root / "snapshots")
    with services().serve() as url:
        Fetcher(V11Source(url, backoff=0), root / "snapshots" / "ptv").run(
            ["205"], "full", all_areas=True
        )
    build(root, root / "build", areas=["kainuu"], national=False, search=False)
    return root / "build" / "kainuu"


def has_exit(path: Path) -> bool:
    page = read_page(path)
    return bool(page.by_class("quick-exit-bar")) and any(
        s.attrs.get("src", "").endswith("/quick-exit.js") for s in page.find_all("script")
    )


def test_exit_bar_on_sensitive_pages(site: Path) -> None:
    for page in (
        "fi/vakivalta-ja-kriisit/vakivalta/index.html",
        "fi/vakivalta-ja-kriisit/vakivalta/selkokieli/index.html",
        "fi/vakivalta-ja-kriisit/index.html",
        "fi/haku/index.html",
        "sv/sok/index.html",
        f"{urls.service('fi', o.guid('turvakoti'))}index.html",
        "fi/peita-jalkesi/index.html",
    ):
        assert has_exit(site / page), page


def test_no_exit_bar_elsewhere(site: Path) -> None:
    for page in (
        "fi/index.html",
        "fi/raskaus/index.html",
        "fi/raskaus/neuvola/index.html",
        "fi/selkokieli/index.html",
        f"{urls.service('fi', o.guid('neuvola'))}index.html",
    ):
        page_html = read_page(site / page)
        assert not page_html.by_class("quick-exit-bar"), page
        assert "quick-exit.js" not in (site / page).read_text(encoding="utf-8"), page


def test_exit_button_hint_and_cover_link(site: Path) -> None:
    page = read_page(site / "fi/vakivalta-ja-kriisit/vakivalta/index.html")
    (bar,) = page.by_class("quick-exit-bar")
    assert bar.tag == "aside" and bar.attrs["aria-label"] == "Poistu sivulta"
    (button,) = page.by_class("quick-exit")
    assert button.text.strip() == "Poistu sivulta"
    assert button.attrs["href"] == "https://www.ilmatieteenlaitos.fi/"
    (hint,) = page.by_class("quick-exit-hint")
    assert hint.text.strip() == "Tai paina Shift-näppäintä kolme kertaa."
    assert "hidden" in hint.attrs  # shown by the script that makes it true
    assert bar.attrs["data-one-more"] == "Shift: paina vielä kerran, niin poistut sivulta."
    (cover,) = [a for a in page.find_all("a") if a.text == "Näin peität jälkesi"]
    assert cover.attrs["href"] == "../../../fi/peita-jalkesi/"
    script = (site / "assets/quick-exit.js").read_text(encoding="utf-8")
    assert "location.replace" in script and '"Escape"' not in script


@pytest.mark.parametrize(
    ("lang", "path", "title", "link"),
    [
        ("fi", "fi/peita-jalkesi/", "Näin peität jälkesi verkossa", "Näin peität jälkesi"),
        ("sv", "sv/dolj-dina-spar/", "Så döljer du dina spår på nätet", "Så döljer du dina spår"),
        ("en", "en/cover-your-tracks/", "How to cover your tracks online", "How to cover your tracks"),  # noqa: E501
    ],
)  # fmt: skip
def test_cover_your_tracks_in_every_language(
    site: Path, lang: str, path: str, title: str, link: str
) -> None:
    page = read_page(site / path / "index.html")
    assert page.find("h1").text == title
    assert "112" in page.find("main").text
    search = read_page(site / urls.search(lang) / "index.html")
    assert [a for a in search.find_all("a") if a.text == link]
    footer = [a.attrs["href"] for a in search.find_all("a") if a.text == title]
    assert footer, "listed with the other pages about the site"


@pytest.mark.parametrize(
    ("lang", "label", "index"),
    [("fi", "Selkosuomeksi", "fi/selkokieli/"), ("sv", "Lättläst", "sv/lattlast/"),
     ("en", "Easy English", "en/easy-language/")],
)  # fmt: skip
def test_easy_language_entry_in_every_header(site: Path, lang: str, label: str, index: str) -> None:
    for page in (f"{lang}/index.html", f"{urls.search(lang)}index.html"):
        (entry,) = read_page(site / page).by_class("plain-index-link")
        assert entry.text == label
        depth = urls.depth(page.removesuffix("index.html"))
        assert entry.attrs["href"] == "../" * depth + index
    assert (site / index / "index.html").is_file()


def test_plain_index_lists_the_plain_pages_by_theme(site: Path) -> None:
    page = read_page(site / "fi/selkokieli/index.html")
    assert page.find("h1").text == "Selkokieliset tekstit"
    links = {a.text: a.attrs["href"] for a in page.find_all("a")}
    assert links["Neuvola selkokielellä"] == "../../fi/raskaus/neuvola/selkokieli/"
    assert links["Väkivalta perheessä"] == "../../fi/vakivalta-ja-kriisit/vakivalta/selkokieli/"
    assert [h.text for h in page.find_all("h2") if h.attrs.get("id", "").startswith("plain-")] == [
        "Raskaus ja synnytys",
        "Väkivalta ja kriisit",
    ]
    empty = read_page(site / "sv/lattlast/index.html")
    assert "Det finns inga lättlästa texter ännu." in empty.find("main").text


def test_plain_pages_say_they_are_plain_and_link_to_plain_pages(site: Path) -> None:
    path = site / "fi/vakivalta-ja-kriisit/vakivalta/selkokieli/index.html"
    html = path.read_text("utf-8")
    page = read_page(path)
    assert page.find("title").text.startswith("Väkivalta perheessä (selkokieli) – ")
    assert page.by_class("badge")[0].text == "Selkokielinen versio"
    links = {a.text: a.attrs["href"] for a in page.find_all("a")}
    # To the plain version where there is one, else to the standard article.
    assert links["neuvolasta"] == "../../../../fi/raskaus/neuvola/selkokieli/"
    assert links["tuista"] == "../../../../fi/raha-ja-tuet/tuet/"
    # The writer's one sentence per line stays a line.
    assert "Väkivalta on väärin.<br" in html and "Sinä saat apua." in html
    # The standard version keeps Markdown's own rules and links.
    path = site / "fi/vakivalta-ja-kriisit/vakivalta/index.html"
    standard = path.read_text("utf-8")
    assert "<br" not in standard.split('class="prose"')[1].split("</div>")[0]
    page = read_page(path)
    assert "(selkokieli)" not in page.find("title").text
    links = {a.text: a.attrs["href"] for a in page.find_all("a")}
    assert links["neuvola"] == "../../../fi/raskaus/neuvola/"


def test_real_violence_articles_all_have_quick_exit() -> None:
    import yaml

    for path in sorted((REPO / "content").glob("*/*.md")):
        text = path.read_text(encoding="utf-8")
        meta = yaml.safe_load(text.split("---")[1])
        if "vakivalta" in meta.get("themes", []):
            assert meta.get("quick_exit") is True, path


def test_plain_index_address_meets_no_theme_or_page() -> None:
    import yaml

    themes = yaml.safe_load((REPO / "content/themes.yml").read_text(encoding="utf-8"))["themes"]
    for lang, folder in urls.PLAIN_SUFFIX.items():
        assert folder not in {t[lang]["slug"] for t in themes}
        assert not (REPO / "content/pages" / lang / f"{folder}.md").exists()


@pytest.mark.slow
def test_shift_three_times_leaves_the_page_and_escape_does_not(site: Path) -> None:
    from playwright.sync_api import sync_playwright

    from pipeline.quality.browser_audit import CHROMIUM_ARGS, chromium_path, serving

    neutral = "https://www.ilmatieteenlaitos.fi/"
    with serving(site) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        page = browser.new_page()
        # No request leaves the machine: the neutral site is answered here.
        page.route(neutral + "**", lambda route: route.fulfill(body="<title>Sää</title>"))
        page.goto(base + "fi/")
        page.goto(base + "fi/vakivalta-ja-kriisit/vakivalta/")
        assert page.locator(".quick-exit-hint").is_visible()
        # Focus is never hidden under the bar: the page keeps room for it at the bottom.
        padding = page.evaluate("getComputedStyle(document.documentElement).scrollPaddingBottom")
        height = page.evaluate("document.querySelector('.quick-exit-bar').offsetHeight")
        assert padding == f"{height}px"

        page.keyboard.press("Escape")
        page.wait_for_timeout(300)
        assert page.url == base + "fi/vakivalta-ja-kriisit/vakivalta/"

        page.keyboard.press("Shift")
        page.keyboard.press("Shift")
        status = page.locator("[data-quick-exit-status]")
        assert status.inner_text() == "Shift: paina vielä kerran, niin poistut sivulta."
        with page.expect_navigation():
            page.keyboard.press("Shift")
        assert page.url == neutral
        page.go_back()
        assert page.url == base + "fi/", "Back must not return to the page left"

        # The button does the same.
        page.goto(base + "fi/haku/")
        with page.expect_navigation():
            page.locator(".quick-exit").click()
        assert page.url == neutral
        browser.close()
