"""Build a small fixture project and inspect the HTML of every site."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from pipeline.build import build
from pipeline.problems import InvalidInput
from pipeline.site import render as render_module
from tests.helpers import AREA_FI, ARTICLE_FI, REPO, make_project, read_page

SITES = ("national", "kainuu", "ita-uusimaa")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = make_project(tmp_path_factory.mktemp("project"))
    build(root, root / "build")
    return root / "build"


def pages_of(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def test_every_site_is_complete(built: Path) -> None:
    # build/.releases holds the releases that build/<slug> leads to (pipeline.deploy.release).
    sites = [
        p.name for p in built.iterdir() if p.is_dir() and p.name not in ("reports", ".releases")
    ]
    assert sorted(sites) == sorted(SITES)
    for slug in SITES:
        site = built / slug
        for lang in ("fi", "sv", "en"):
            assert (site / lang / "index.html").is_file()
        for name in ("index.html", "404.html", "sitemap.xml", "robots.txt", "manifest.json"):
            assert (site / name).is_file()
        assert (site / "assets" / "style.css").is_file()
    assert (built / "kainuu/fi/alue/perhekeskus/index.html").is_file()
    assert not (built / "ita-uusimaa/fi/alue").exists()


@pytest.mark.parametrize("slug", SITES)
def test_lang_and_one_h1_on_every_page(built: Path, slug: str) -> None:
    for path in pages_of(built / slug):
        rel = path.relative_to(built / slug).as_posix()
        page = read_page(path)
        expected = rel.split("/")[0] if "/" in rel else "fi"
        assert page.find("html").attrs["lang"] == expected, rel
        assert len(page.find_all("h1")) == 1, rel
        assert "<!--slot:" not in path.read_text(encoding="utf-8"), rel


def test_help_panel_shows_the_areas_own_contacts(built: Path) -> None:
    kainuu = read_page(built / "kainuu/fi/raskaus/neuvola/index.html")
    panel = kainuu.by_class("help")[0]
    assert panel.tag == "details"
    assert "Pyydä apua" in kainuu.find("summary").text
    assert "Perheneuvola" in panel.text and "08 1111 2222" in panel.text
    assert "ma–pe 8.00–15.00" in panel.text
    assert "019 333 4444" not in panel.text
    tels = {a.attrs["href"] for a in kainuu.find_all("a") if a.attrs["href"].startswith("tel:")}
    assert {"tel:+358811112222", "tel:112", "tel:+35880005005"} <= tels

    swedish = read_page(built / "ita-uusimaa/sv/index.html")
    assert "Be om hjälp" in swedish.find("summary").text
    assert "019 333 4444" in swedish.by_class("help")[0].text
    assert "Rådgivning" in swedish.by_class("help")[0].text

    national = read_page(built / "national/fi/index.html")
    assert "08 1111 2222" not in national.by_class("help")[0].text
    assert "112" in national.by_class("help")[0].text


def test_area_identity_differs_per_site(built: Path) -> None:
    def brand(slug: str, lang: str = "fi") -> str:
        page = read_page(built / slug / lang / "index.html")
        return " ".join(page.by_class("brand")[0].text.split())

    assert brand("kainuu") == "Kainuun perhekeskus Kainuu"
    assert brand("kainuu", "sv") == "Familjecentret i Kajanaland Kajanaland"
    assert brand("ita-uusimaa", "sv") == "Familjecentret Östra Nyland"
    assert brand("national") == "Perhekeskus"
    home = read_page(built / "kainuu/fi/index.html")
    assert home.find("h1").text.strip() == "Kainuun perhekeskus"
    assert "Kainuun perhekeskus" in home.find("title").text


def test_language_switch_keeps_the_page(built: Path) -> None:
    page = read_page(built / "kainuu/fi/raskaus/neuvola/index.html")
    switch = {
        a.attrs["hreflang"]: a.attrs["href"] for a in page.find_all("a") if "hreflang" in a.attrs
    }
    assert switch["sv"] == "../../../sv/graviditet/radgivning/"
    assert switch["en"] == "../../../en/pregnancy/maternity-clinic/"
    target = built / "kainuu/fi/raskaus/neuvola" / switch["sv"] / "index.html"
    assert read_page(target.resolve()).find("html").attrs["lang"] == "sv"
    # An article without a Swedish version sends the switch to the Swedish home page.
    other = read_page(built / "kainuu/fi/raha-ja-tuet/tuet/index.html")
    links = {
        a.attrs["hreflang"]: a.attrs["href"] for a in other.find_all("a") if "hreflang" in a.attrs
    }
    assert links["sv"] == "../../../sv/"


def test_hreflang_alternates_are_absolute_per_site(built: Path) -> None:
    page = read_page(built / "kainuu/sv/graviditet/radgivning/index.html")
    links = {
        link.attrs["hreflang"]: link.attrs["href"]
        for link in page.find_all("link", rel="alternate")
    }
    assert links == {
        "fi": "https://perhekeskus.fi/kainuu/fi/raskaus/neuvola/",
        "sv": "https://perhekeskus.fi/kainuu/sv/graviditet/radgivning/",
        "en": "https://perhekeskus.fi/kainuu/en/pregnancy/maternity-clinic/",
        "x-default": "https://perhekeskus.fi/kainuu/",
    }
    canonical = page.find("link", rel="canonical").attrs["href"]
    assert canonical == "https://perhekeskus.fi/kainuu/sv/graviditet/radgivning/"
    national = read_page(built / "national/sv/graviditet/radgivning/index.html")
    assert (
        national.find("link", rel="canonical")
        .attrs["href"]
        .startswith("https://perhekeskus.fi/sv/")
    )


def test_plain_language_switch_both_ways(built: Path) -> None:
    standard = read_page(built / "kainuu/fi/raskaus/neuvola/index.html")
    (link,) = [e for e in standard.find_all("a") if e.text == "Selkokieli"]
    assert link.attrs["href"] == "../../../fi/raskaus/neuvola/selkokieli/"
    plain = read_page(built / "kainuu/fi/raskaus/neuvola/selkokieli/index.html")
    (back,) = [e for e in plain.find_all("a") if e.text == "Yleiskieli"]
    assert back.attrs["href"] == "../../../../fi/raskaus/neuvola/"
    assert "Selkokielinen versio" in plain.by_class("badge")[0].text


def test_links_between_articles_resolve(built: Path) -> None:
    page = read_page(built / "kainuu/fi/raskaus/neuvola/index.html")
    (link,) = [a for a in page.find_all("a") if a.text == "tuet"]
    assert link.attrs["href"] == "../../../fi/raha-ja-tuet/tuet/"


def test_quick_exit_only_where_asked(built: Path) -> None:
    crisis = read_page(built / "national/fi/raha-ja-tuet/tuet/index.html")
    (button,) = crisis.by_class("quick-exit")
    assert button.text.strip() == "Poistu sivulta"
    assert any(s.attrs.get("src", "").endswith("/quick-exit.js") for s in crisis.find_all("script"))
    assert not read_page(built / "national/fi/raskaus/neuvola/index.html").by_class("quick-exit")


def test_county_pages_and_feedback_channel(built: Path) -> None:
    home = read_page(built / "kainuu/fi/index.html")
    assert any(a.attrs["href"] == "../fi/alue/perhekeskus/" for a in home.find_all("a"))
    statement = read_page(built / "ita-uusimaa/fi/saavutettavuusseloste/index.html")
    assert any(
        a.attrs["href"] == "mailto:saavutettavuus@example.fi" for a in statement.find_all("a")
    )
    national = read_page(built / "national/fi/index.html")
    areas = [
        a.attrs["href"] for a in national.find_all("a") if "perhekeskus.fi/" in a.attrs["href"]
    ]
    assert "https://perhekeskus.fi/kainuu/fi/" in areas


def test_no_page_refers_to_another_host_for_resources(built: Path) -> None:
    resource = re.compile(
        r'<(?:script|link|img|iframe|source|video|audio)\b[^>]*?(?:src|href)="([^"]+)"'
    )
    for path in built.rglob("*.html"):
        for url in resource.findall(path.read_text(encoding="utf-8")):
            page = read_page(path)
            rels = {link.attrs.get("href"): link.attrs.get("rel") for link in page.find_all("link")}
            if rels.get(url) in ("canonical", "alternate"):
                continue  # addresses of this site's own pages, not resources
            assert not url.startswith(("http:", "https:", "//")), f"{path}: {url}"
    css = (built / "national/assets/style.css").read_text(encoding="utf-8")
    assert "@import" not in css and "url(http" not in css


def test_root_sends_the_browser_to_its_language(built: Path) -> None:
    root = read_page(built / "kainuu/index.html")
    assert [a.attrs["href"] for a in root.find_all("a")] == ["fi/", "sv/", "en/"]
    # At its fingerprinted address (pipeline.deploy.fingerprint): the content's hash.
    src = root.find("script").attrs["src"]
    assert re.fullmatch(r"static/[0-9a-f]{10}/language\.js", src), src
    theme = REPO / "themes/perhekeskus/assets/language.js"
    assert (built / "kainuu" / src).read_bytes() == theme.read_bytes()
    assert not root.find_all("meta", **{"http-equiv": "refresh"})


def test_national_pages_are_rendered_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Adding counties adds no Markdown conversion nor national template render."""
    monkeypatch.setenv("PERHEKESKUS_CACHE", "off")  # within one build, not from an earlier one
    root = make_project(tmp_path)
    calls: dict[str, int] = {"markdown": 0, "render": 0}
    original_md = render_module.Renderer.markdown
    original_render = render_module.Renderer._render

    def count_md(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        calls["markdown"] += 1
        return original_md(self, *args, **kwargs)

    def count_render(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        calls["render"] += 1
        return original_render(self, *args, **kwargs)

    monkeypatch.setattr(render_module.Renderer, "markdown", count_md)
    monkeypatch.setattr(render_module.Renderer, "_render", count_render)
    build(root, tmp_path / "one", areas=["ita-uusimaa"])
    one = dict(calls)
    calls.update(markdown=0, render=0)
    build(root, tmp_path / "two", areas=["ita-uusimaa", "kainuu"])
    # Kainuu adds exactly its one own page; the national pages are not rendered again.
    assert calls == {"markdown": one["markdown"] + 1, "render": one["render"] + 1}


def test_failed_build_keeps_the_previous_site(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    out = tmp_path / "build"
    build(root, out)
    before = (out / "kainuu/fi/index.html").read_text(encoding="utf-8")
    (root / "content/fi/neuvola.md").write_text(
        ARTICLE_FI.replace("[raskaus]", "[raskus]"), encoding="utf-8"
    )
    with pytest.raises(InvalidInput):
        build(root, out)
    assert (out / "kainuu/fi/index.html").read_text(encoding="utf-8") == before
    assert sorted(p.name for p in out.rglob(".staging-*")) == []


def test_area_specific_template_is_chosen_first(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    slots = root / "themes/perhekeskus/slots"
    (slots / "footer-kainuu.html").write_text('<p class="kainuu-footer">Kainuu</p>\n')
    build(root, tmp_path / "out")
    kainuu = read_page(tmp_path / "out/kainuu/fi/index.html")
    other = read_page(tmp_path / "out/ita-uusimaa/fi/index.html")
    assert kainuu.by_class("kainuu-footer") and not other.by_class("kainuu-footer")


def test_untrusted_text_in_county_settings_is_escaped(tmp_path: Path) -> None:
    hostile = "<script>alert(1)</script>"
    root = make_project(
        tmp_path, {"regions/kainuu.yml": AREA_FI.replace("fi: Perheneuvola", f"fi: '{hostile}'")}
    )
    build(root, tmp_path / "out", areas=["kainuu"], national=False)
    html = (tmp_path / "out/kainuu/fi/index.html").read_text(encoding="utf-8")
    assert hostile not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_preview_server_answers_with_the_sites_404(built: Path) -> None:
    import functools
    import threading
    import urllib.error
    import urllib.request
    from http.server import ThreadingHTTPServer

    from pipeline.serve import SiteHandler

    handler = functools.partial(SiteHandler, directory=str(built))
    with ThreadingHTTPServer(("127.0.0.1", 0), handler) as server:
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_address[1]}"
        with urllib.request.urlopen(f"{base}/kainuu/fi/") as response:
            assert response.status == 200
        with pytest.raises(urllib.error.HTTPError) as caught:
            urllib.request.urlopen(f"{base}/kainuu/fi/ei-ole/")
        assert caught.value.code == 404
        assert "Sivua ei löytynyt" in caught.value.read().decode("utf-8")
        server.shutdown()


# --- issue 12, item 7: 404 pages, the root's language choice, dates and contents of articles ---

LONG_FI = """\
---
id: pitka
title: Pitkä artikkeli
summary: Artikkeli, jossa on monta osaa.
themes: [raskaus]
life_stages: [pregnancy]
audience: [expecting]
review_date: 2027-06-30
reviewed: 2026-11-24
owner: Testitiimi
---

## Ensimmäinen osa

Tekstiä.

## Toinen osa

Tekstiä.

### Alaotsikko

Tekstiä.

## Kolmas & viimeistä edellinen osa

Tekstiä.

## Neljäs osa

Tekstiä.
"""


@pytest.fixture(scope="module")
def kainuu(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = make_project(tmp_path_factory.mktemp("fixes"), {"content/fi/pitka.md": LONG_FI})
    build(root, root / "build", areas=["kainuu"], national=False)
    return root / "build" / "kainuu"


def test_a_404_page_per_language_in_the_page_shell(kainuu: Path) -> None:
    for lang, search in (("fi", "haku"), ("sv", "sok"), ("en", "search")):
        page = read_page(kainuu / lang / "404.html")
        assert page.find("html").attrs["lang"] == lang
        assert page.find("h1").text.strip() in {
            "Sivua ei löytynyt",
            "Sidan hittades inte",
            "Page not found",
        }
        assert page.find("header", class_="site-header") and page.find("details", class_="help")
        assert page.find("form", role="search").attrs["action"] == f"/kainuu/{lang}/{search}/"
        assert page.find("meta", name="robots").attrs["content"] == "noindex"
        assert not page.find_all("link", rel="canonical")
        # Served at any depth: every link is root-relative, an in-page anchor or another scheme.
        for element in page.elements:
            for attr in ("href", "src", "action"):
                value = element.attrs.get(attr)
                if value is not None:
                    assert value.startswith(("/kainuu/", "#", "tel:", "mailto:", "http")), value
    root = read_page(kainuu / "404.html")
    assert root.find("html").attrs["lang"] == "fi"
    others = {s.attrs["lang"]: s.text for s in root.find_all("section") if "lang" in s.attrs}
    assert "Sidan hittades inte" in others["sv"] and "Page not found" in others["en"]
    switch = [a.attrs["href"] for a in root.find_all("a", hreflang="sv")]
    assert "/kainuu/sv/404.html" in switch and "/kainuu/sv/" in switch


def test_served_anywhere_makes_relative_links_root_relative() -> None:
    from pipeline.publish import served_anywhere

    html = '<a href="../sv/"> <link href="../assets/style.css"> <a href="#main"> <a href="tel:112">'
    assert served_anywhere(html, "https://perhekeskus.fi/kainuu/", "fi/404.html") == (
        '<a href="/kainuu/sv/"> <link href="/kainuu/assets/style.css"> <a href="#main">'
        ' <a href="tel:112">'
    )
    assert served_anywhere('<a href="fi/">', "https://perhekeskus.fi/", "404.html") == (
        '<a href="/fi/">'
    )


@pytest.mark.skipif(shutil.which("node") is None, reason="needs Node.js to run the script")
@pytest.mark.parametrize(
    ("languages", "goes_to"),
    [
        (["sv-FI", "fi"], "sv/"),
        (["en-GB"], "en/"),
        (["ar", "en"], "en/"),
        (["ar"], None),
        (["ru-RU", "so"], None),
        (["fil"], None),  # Filipino is not Finnish
        ([], None),
    ],
)
def test_root_script_redirects_only_to_the_sites_languages(
    languages: list[str], goes_to: str | None
) -> None:
    script = (REPO / "themes/perhekeskus/assets/language.js").read_text(encoding="utf-8")
    harness = (
        f"var navigator = {{languages: {json.dumps(languages)}}}; var went = null;"
        "var location = {replace: function (to) { went = to; }};"
        f"{script}\nconsole.log(JSON.stringify(went));"
    )
    done = subprocess.run(["node", "-e", harness], capture_output=True, text=True, check=True)
    assert json.loads(done.stdout) == goes_to


def test_article_shows_updated_next_review_and_owner(kainuu: Path) -> None:
    page = read_page(kainuu / "fi/raskaus/pitka/index.html")
    meta = page.find("p", class_="page-meta")
    assert "Tarkistettu viimeksi" in meta.text and "Testitiimi" in meta.text
    times = [t.attrs["datetime"] for t in page.find_all("time")]
    assert times == ["2026-11-24", "2027-06-30"]
    # Without 'reviewed', only the next review.
    other = read_page(kainuu / "fi/raskaus/neuvola/index.html")
    assert "Tarkistettu viimeksi" not in other.find("p", class_="page-meta").text
    assert [t.attrs["datetime"] for t in other.find_all("time")] == ["2027-06-30"]


def test_contents_list_on_long_articles_only(kainuu: Path) -> None:
    page = read_page(kainuu / "fi/raskaus/pitka/index.html")
    nav = page.find("nav", class_="contents")
    assert nav.attrs["aria-labelledby"] == "contents-title"
    ids = {e.attrs["id"] for e in page.elements if "id" in e.attrs}
    links = [
        a
        for a in page.find_all("a")
        if a.attrs.get("href", "").startswith("#") and a.text[0].isdigit()
    ]
    assert [a.text for a in links] == [
        "1. Ensimmäinen osa",
        "2. Toinen osa",
        "3. Kolmas & viimeistä edellinen osa",
        "4. Neljäs osa",
    ]
    assert all(a.attrs["href"][1:] in ids for a in links)
    # The contents come after the summary.
    order = [e for e in page.elements if e.tag in ("nav", "p")]
    assert order.index(nav) > next(
        i for i, e in enumerate(order) if "lead" in e.attrs.get("class", "")
    )
    assert not read_page(kainuu / "fi/raskaus/neuvola/index.html").by_class("contents")
