"""The privacy notice names each site's controller: the county (or the City of Helsinki) on its
own site, with its contact page when the county file gives a confirmed one, and on the national
site the maintainer from ``extra.maintainer`` in ``mkdocs.yml`` (said to be not yet named until
it is)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pipeline.build import build
from pipeline.content.config import load_config
from pipeline.problems import InvalidInput, Problems
from tests.helpers import AREA_BILINGUAL, AREA_FI, REPO, make_project, read_page

PRIVACY_FI = """\
---
id: privacy
title: Tietosuojaseloste
summary: Kuka vastaa sivuston tietosuojasta.
layout: privacy
---

## Palvelimen lokitiedot

Lokitiedot poistetaan 30 vuorokauden kuluttua.
"""

CONTACT_PAGE = """\
  contact_page:
    url: https://kainuu.example/yhteystiedot
    source: https://kainuu.example/yhteystiedot
    checked: 2026-11-20
"""

SAMPLE_CONTACT_PAGE = """\
  contact_page:
    url: https://itauusimaa.example/yhteystiedot
    sample: true
"""

NAMED = """\
  maintainer:
    named: true
    name: {fi: Esimerkkivirasto, sv: Exempelverket, en: Example Agency}
    url: https://esimerkki.example/tietosuoja
"""


def with_maintainer(text: str, block: str) -> str:
    """``mkdocs.yml`` with its ``extra.maintainer`` replaced by ``block`` (or removed)."""
    replaced, count = re.subn(r"(?m)^  maintainer:\n(?:    .*\n)+", block, text)
    assert count == 1, "mkdocs.yml has no extra.maintainer to replace"
    return replaced


def controller(site: Path) -> str:
    page = read_page(site / "fi/tietosuoja/index.html")
    sections = page.by_class("controller")
    assert len(sections) == 1, "the notice has no controller section"
    return " ".join(sections[0].text.split())


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = make_project(
        tmp_path_factory.mktemp("privacy"),
        {
            "content/pages/fi/tietosuoja.md": PRIVACY_FI,
            "regions/kainuu.yml": AREA_FI.replace("help:\n", "help:\n" + CONTACT_PAGE, 1),
            "regions/ita-uusimaa.yml": AREA_BILINGUAL.replace(
                "help:\n", "help:\n" + SAMPLE_CONTACT_PAGE, 1
            ),
        },
    )
    build(root, root / "build", search=False)
    return root / "build"


def test_a_county_site_names_the_county_and_links_its_confirmed_contact_page(
    built: Path,
) -> None:
    text = controller(built / "kainuu")
    assert "Tämän sivuston rekisterinpitäjä on Kainuun hyvinvointialue." in text
    assert "jonka sivustolla olet" not in text
    page = read_page(built / "kainuu/fi/tietosuoja/index.html")
    links = [
        a
        for a in page.find_all("a")
        if a.attrs.get("href") == "https://kainuu.example/yhteystiedot"
    ]
    assert [" ".join(a.text.split()) for a in links] == ["Yhteystiedot: Kainuun hyvinvointialue"]
    # The retention the page's own text gives is still there.
    assert "30 vuorokauden" in " ".join(page.find("main").text.split())


def test_a_county_without_a_confirmed_contact_page_points_to_its_website_in_words(
    built: Path,
) -> None:
    text = controller(built / "ita-uusimaa")
    assert "Tämän sivuston rekisterinpitäjä on Itä-Uudenmaan hyvinvointialue." in text
    assert "Yhteystiedot ovat rekisterinpitäjän omilla verkkosivuilla." in text
    # The county file's contact page is an unconfirmed sample: it is not linked.
    page = read_page(built / "ita-uusimaa/fi/tietosuoja/index.html")
    hrefs = [a.attrs.get("href") for a in page.find_all("a")]
    assert "https://itauusimaa.example/yhteystiedot" not in hrefs
    assert "Yhteystiedot:" not in text


def test_the_national_site_says_its_maintainer_is_not_named_yet(built: Path) -> None:
    text = controller(built / "national")
    assert "Tämän sivuston rekisterinpitäjä on Perhekeskus-palvelun kansallinen ylläpitäjä." in text
    assert "Ylläpitäjäorganisaatiota ei ole vielä nimetty." in text
    assert "Kainuun hyvinvointialue" not in text


def test_a_named_national_maintainer_is_named_and_linked(tmp_path: Path) -> None:
    root = make_project(tmp_path, {"content/pages/fi/tietosuoja.md": PRIVACY_FI})
    config = root / "mkdocs.yml"
    config.write_text(with_maintainer(config.read_text(encoding="utf-8"), NAMED), "utf-8")
    build(root, root / "build", areas=[], search=False)
    text = controller(root / "build/national")
    assert "Tämän sivuston rekisterinpitäjä on Esimerkkivirasto." in text
    assert "ei ole vielä nimetty" not in text
    page = read_page(root / "build/national/fi/tietosuoja/index.html")
    assert any(
        a.attrs.get("href") == "https://esimerkki.example/tietosuoja" for a in page.find_all("a")
    )


def config_problems(root: Path) -> list[str]:
    try:
        load_config(root, Problems())
    except InvalidInput as exc:
        return [str(p) for p in exc.problems]
    return []


@pytest.mark.parametrize(
    ("block", "message"),
    [
        ("", "the required field 'extra.maintainer' is missing"),
        (
            "  maintainer:\n    named: false\n"
            "    name: {fi: Ylläpitäjä, sv: Förvaltaren, en: The maintainer}\n"
            "    url: https://esimerkki.example/tietosuoja\n",
            "a page (url) is given for a maintainer that is not named",
        ),
    ],
)
def test_the_maintainer_is_required_and_a_page_needs_a_named_one(
    tmp_path: Path, block: str, message: str
) -> None:
    text = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text(with_maintainer(text, block), "utf-8")
    (tmp_path / "themes" / "perhekeskus").mkdir(parents=True)
    (tmp_path / "content").mkdir()
    problems = config_problems(tmp_path)
    assert any(p.startswith("mkdocs.yml:") and message in p for p in problems), problems
