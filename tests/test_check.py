"""The HTML and accessibility gate: each rule catches what it should, and the real theme passes."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.build import build
from pipeline.problems import InvalidInput
from pipeline.quality.check import check_site
from tests.helpers import make_project

GOOD_BODY = """\
<a class="skip-link" href="#main">Siirry sisältöön</a>
<header><a href="/fi/">Perhekeskus</a>
<nav aria-label="Kieli"><a href="/sv/" lang="sv">På svenska</a></nav></header>
<main id="main"><h1>Otsikko</h1><h2>Osa</h2><p>Teksti <a href="/fi/#osa">osaan</a>.</p>
<p><a href="tel:+358401234567">040 123 4567</a> <a href="mailto:neuvola@example.fi">posti</a></p>
<img src="/assets/logo.svg" alt="">
<h2 id="osa">Toinen</h2></main>
<footer><nav aria-label="Aiheet"><a href="/fi/">Etusivu</a></nav></footer>"""


def page(body: str = GOOD_BODY, lang: str = "fi", head: str = "<title>Sivu</title>") -> str:
    return f'<!doctype html>\n<html lang="{lang}"><head>{head}</head><body>\n{body}\n</body></html>'


def messages(pages: dict[str, str]) -> list[str]:
    site = {"fi/index.html": page(), "sv/index.html": page(lang="sv"), **pages}
    found = check_site("test", site, published=["assets/logo.svg"])
    return [f"{f.page}: {f.message}" for f in found]


def test_a_good_page_passes() -> None:
    assert messages({"fi/sivu/index.html": page()}) == []


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (GOOD_BODY.replace("<h1>Otsikko</h1>", ""), "0 h1 headings"),
        (GOOD_BODY.replace("<h2>Osa</h2>", "<h3>Osa</h3>"), "skips from h1 to h3"),
        (GOOD_BODY.replace('alt=""', ""), "image without alt"),
        (GOOD_BODY.replace(">osaan<", "><"), "a without an accessible name"),
        (GOOD_BODY.replace('href="#main"', 'href="#top"'), "not the skip link"),
        (GOOD_BODY.replace('aria-label="Aiheet"', ""), "several <nav> landmarks has no name"),
        (GOOD_BODY.replace("<footer>", "<div>").replace("</footer>", "</div>"), "no <footer>"),
        (GOOD_BODY.replace("/fi/#osa", "/fi/#puuttuu"), "missing anchor"),
        (GOOD_BODY.replace("/fi/#osa", "/fi/ei-ole/"), "page that does not exist"),
        (GOOD_BODY.replace("tel:+358401234567", "tel:040 123"), "malformed phone link"),
        (GOOD_BODY.replace("mailto:neuvola@example.fi", "mailto:neuvola"), "malformed e-mail"),
        (GOOD_BODY.replace("<p>Teksti", '<p onclick="x()">Teksti'), "inline event handler"),
        (GOOD_BODY.replace('id="osa"', 'id="main"'), "used twice"),
        (
            GOOD_BODY.replace("</main>", '<input type="text" name="q"></main>'),
            "form field without a label",
        ),
        (
            GOOD_BODY.replace("</main>", "<table><tr><td>1</td></tr></table></main>"),
            "table without header",
        ),
        (GOOD_BODY.replace('lang="sv"', 'lang="svenska"'), "not a language code"),
        (
            GOOD_BODY.replace(
                "</main>", '<p><a href="/sv/">Lue</a></p><p><a href="/fi/">Lue</a></p></main>'
            ),
            "links named 'lue' go to 2 different places",
        ),
    ],
)
def test_each_rule_catches_its_failure(body: str, expected: str) -> None:
    found = messages({"fi/sivu/index.html": page(body)})
    assert any(expected in m for m in found), found


@pytest.mark.parametrize(("anchor", "found"), [("osa", False), ("puuttuu", True)])
def test_a_link_to_an_anchor_of_a_page_checked_later_is_settled_by_that_page(
    anchor: str, found: bool
) -> None:
    # The home page is checked first, one page at a time: fi/sivu's ids are not known yet.
    first = page(GOOD_BODY.replace("/fi/#osa", f"/fi/sivu/#{anchor}"))
    site = {"fi/index.html": first, "fi/sivu/index.html": page(), "sv/index.html": page(lang="sv")}
    messages = [
        f"{f.page}: {f.message}" for f in check_site("test", site, published=["assets/logo.svg"])
    ]
    missing = f"fi/index.html: link to a missing anchor: /fi/sivu/#{anchor}"
    assert messages == ([missing] if found else [])


def test_page_language_must_match_its_folder() -> None:
    found = messages({"sv/sida/index.html": page(lang="fi")})
    assert any("<html lang> is 'fi' on a page in 'sv'" in m for m in found)


def test_same_text_in_different_list_items_is_fine() -> None:
    body = GOOD_BODY.replace(
        "</main>",
        '<ul><li>Kajaani <a href="/fi/">Neuvola</a></li>'
        '<li>Kuhmo <a href="/sv/">Neuvola</a></li></ul></main>',
    )
    assert messages({"fi/sivu/index.html": page(body)}) == []


def test_the_build_stops_on_a_finding_and_can_report_instead(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    template = root / "themes/perhekeskus/page.html"
    template.write_text(
        template.read_text().replace("<h1>{{ page_title }}</h1>", "<h3>{{ page_title }}</h3>")
    )
    with pytest.raises(InvalidInput) as caught:
        build(root, root / "build")
    assert any(
        "0 h1 headings" in str(p) and "saavutettavuusseloste" in str(p)
        for p in caught.value.problems
    )
    assert not (root / "build" / "kainuu").exists()
    report = build(root, root / "build", gate="report")
    assert any("0 h1 headings" in str(w) for w in report.warnings)
    assert (root / "build" / "kainuu" / "fi" / "index.html").exists()


def test_the_statement_lists_what_the_gate_found(tmp_path: Path) -> None:
    from tests.helpers import read_page

    root = make_project(tmp_path)
    template = root / "themes/perhekeskus/page.html"
    template.write_text(
        template.read_text().replace("<h1>{{ page_title }}</h1>", "<h3>{{ page_title }}</h3>")
    )
    config = root / "mkdocs.yml"
    config.write_text(config.read_text().replace('phone: "029 534 5000"', 'phone: "029 534 9999"'))
    report = build(root, root / "build", gate="report")
    page = read_page(root / "build/kainuu/fi/saavutettavuusseloste/index.html")
    text = " ".join(page.find("main").text.split())
    assert "Sivusto täyttää saavutettavuusvaatimukset osittain." in text
    pages = len({f.page for f in report.findings["kainuu"] if f.criterion == "1.3.1"})
    assert pages > 1
    assert (
        f"WCAG 1.3.1 Informaatio ja suhteet: puute {pages} sivulla "
        "(jokaisen sivun automaattinen tarkistus)." in text
    )
    assert "Viimeisimmät automaattiset testit eivät löytäneet" not in text
    assert page.find("a", href="tel:+358295349999").text == "029 534 9999"
    assert "saavutettavuus@perhekeskus.fi" in text  # no county channel: the national one
