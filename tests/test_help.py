"""The help panel: verified county contacts only, samples labelled, national numbers with their
sources, the MIELI line of the page's language, and no number to call that nobody confirmed."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.dates import format_date

from pipeline.build import build
from pipeline.content.load import load_project
from pipeline.phone import tel
from tests.helpers import AREA_BILINGUAL, Page, make_project, problems_of, read_page

UNVERIFIED = AREA_BILINGUAL.replace("      sample: true\n", "").replace(
    "feedback:",
    "  chats:\n"
    "    - name: {fi: Chat, sv: Chatt, en: Chat}\n"
    "      url: https://chat.example.fi/\n"
    "      checked: 2026-11-20\n"
    "  contact_page: {url: 'https://www.example.fi/yhteystiedot'}\n"
    "feedback:",
)


def test_an_unverified_contact_is_refused_with_its_line(tmp_path: Path) -> None:
    root = make_project(tmp_path, {"regions/ita-uusimaa.yml": UNVERIFIED})
    assert problems_of(root) == [
        "regions/ita-uusimaa.yml:10: help.phones[1]: the number 019 333 4444 has no source and "
        "no date it was checked; add them, or mark it sample: true",
        "regions/ita-uusimaa.yml:13: help.chats[1]: the chat https://chat.example.fi/ has no "
        "source; add it, or mark it sample: true",
        "regions/ita-uusimaa.yml:16: help.contact_page: the contact page "
        "https://www.example.fi/yhteystiedot has no source and no date it was checked; add them, "
        "or mark it sample: true",
    ]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = make_project(tmp_path_factory.mktemp("help"))
    build(root, root / "out", areas=["kainuu", "ita-uusimaa"], search=False)
    return root


def _panel(site: Path, page: str) -> Page:
    return read_page(site / "out" / page)


def _texts(page: Page, name: str) -> list[str]:
    return [" ".join(e.text.split()) for e in page.by_class(name)]


def test_a_sample_contact_is_labelled_and_not_a_link(site: Path) -> None:
    page = _panel(site, "ita-uusimaa/sv/index.html")
    (sample,) = [li for li in page.by_class("sample") if "019 333 4444" in li.text]
    assert "Exempelnummer – används inte" in sample.text
    assert "Vi betjänar på finska och svenska." in sample.text
    assert not page.find_all("a", href="tel:" + tel("019 333 4444"))
    assert page.by_class("help-sample-note")
    finnish = _panel(site, "ita-uusimaa/fi/index.html")
    assert "Esimerkkinumero – ei käytössä" in " ".join(_texts(finnish, "sample-label"))


def test_a_verified_contact_is_a_link_with_its_date(site: Path) -> None:
    page = _panel(site, "kainuu/fi/index.html")
    assert page.find_all("a", href="tel:+358811112222")
    assert not page.by_class("sample") and not page.by_class("help-sample-note")
    assert any("tarkistettu 20. marraskuuta 2026" in t for t in _texts(page, "contact-source"))


def test_every_national_number_shows_its_source_and_date(site: Path) -> None:
    config = load_project(site).config
    word = {"fi": "tarkistettu", "sv": "kontrollerad", "en": "checked"}
    pattern = {"fi": "d. MMMM y", "sv": "d MMMM y", "en": "d MMMM y"}
    for lang in ("fi", "sv", "en"):
        page = _panel(site, f"national/{lang}/index.html")
        items = [" ".join(li.text.split()) for li in page.find_all("li")]
        for entry in config.extra.national_help:
            shown = [
                text for text in items if entry.number in text and entry.name.get(lang) in text
            ]
            if lang not in entry.languages:
                assert not shown, (lang, entry.id)
                continue
            (item,) = shown
            checked = format_date(entry.checked, pattern[lang], locale=lang)
            assert f"{word[lang]} {checked}" in item, (lang, entry.id)
            assert page.find_all("a", href=entry.source), (lang, entry.id)


def test_each_language_shows_its_own_mieli_line(site: Path) -> None:
    expected = {"fi": "09 2525 0111", "sv": "09 2525 0112", "en": "09 2525 0116"}
    for lang, number in expected.items():
        help_text = " ".join(
            _panel(site, f"kainuu/{lang}/index.html").by_class("help")[0].text.split()
        )
        assert number in help_text
        assert all(other not in help_text for other in expected.values() if other != number)
    english = " ".join(_panel(site, "kainuu/en/index.html").by_class("help")[0].text.split())
    assert "116 111" in english and "We answer in Finnish." in english  # a Finnish-only line


def test_the_panel_closes_from_its_end(site: Path) -> None:
    page = _panel(site, "kainuu/fi/index.html")
    (button,) = page.by_class("help-close")
    assert button.tag == "button" and button.attrs["type"] == "button"
    assert "hidden" in button.attrs and button.text.strip() == "Sulje"
    assert (site / "out/kainuu/assets/help.js").is_file()


def test_no_number_to_call_that_nobody_confirmed(site: Path) -> None:
    """Every tel: link on the built sites is a verified county contact, a national number of the
    configuration, or a PTV phone; sample contacts are never links."""
    project = load_project(site)
    extra = project.config.extra
    allowed = {tel(e.number) for e in extra.national_help}
    allowed.add(tel(extra.accessibility.authority.phone))  # the statement's supervisory authority
    for area in project.areas.values():
        allowed |= {tel(p.number) for p in area.region.help.phones if not p.sample}
    allowed |= {
        phone.tel
        for channel in project.services.channels.values()
        for phone in channel.phones
        if phone.tel
    }
    samples = {
        tel(p.number) for a in project.areas.values() for p in a.region.help.phones if p.sample
    }
    assert samples and not samples & allowed
    pages = list((site / "out").rglob("*.html"))
    assert len(pages) > 20
    for path in pages:
        for link in read_page(path).find_all("a"):
            href = link.attrs.get("href", "")
            if href.startswith("tel:"):
                assert href.removeprefix("tel:") in allowed, (path, href)
