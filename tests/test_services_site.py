"""PTV services on the built sites: article blocks, service pages, municipality pages, report."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import lxml.html
import pytest

from pipeline.build import build
from pipeline.sources.ptv.fetch import Fetcher
from pipeline.sources.ptv.source import V11Source
from tests import ptv_objects as o
from tests.fake_ptv import FakePtv
from tests.helpers import make_project, problems_of, read_page

HOSTILE = (
    'Tervetuloa <script>alert("x")</script><img src=x onerror=alert(1)>\n\n• ensimmäinen\n• toinen'
)


def family_service() -> dict:  # type: ignore[type-arg]
    """A county service with everything a family needs to reach it."""
    raw = o.service(
        "kainuu-perhe",
        fi="Perheneuvola Kainuu",
        classes=("P9.9",),
        areas=[o.county_area("20", "205")],
        channels=("perhe-loc", "perhe-e"),
        organization="kainuu",
    )
    raw["requirements"] = o.lang_items(fi="Palvelu on kainuulaisille lapsiperheille.")
    raw["languages"] = ["fi", "sv"]
    raw["organizations"].append(
        o.organization_role("organization", o.guid("kela"), "Kela", "Producer", "PurchaseServices")
    )
    return raw


def family_location() -> dict:  # type: ignore[type-arg]
    loc = o.location("perhe-loc", fi="Perheneuvolan toimipiste")
    loc["serviceChannelDescriptions"] += o.localized("Description", fi="Sisäänkäynti pihalta.")
    loc["languages"] = ["fi", "sv"]
    loc["phoneNumbers"] = [
        o.phone_number("0401234567", "fi", "Ajanvaraus", charge="FreeOfCharge"),
        o.phone_number("44 765 4321", "sv", "Tidsbokning"),
    ]
    loc["addresses"][0]["entrances"] = [
        o.entrance(
            "7124010",
            "536010",
            [
                o.accessibility_group(
                    o.lang_items(fi="Pääsisäänkäynti"),
                    [o.lang_items(fi="Ovi avautuu automaattisesti.")],
                )
            ],
        )
    ]
    return loc


def e_service() -> dict:  # type: ignore[type-arg]
    return o.channel_object(
        o.guid("perhe-e"),
        "EChannel",
        organization_id=None,
        names=o.localized("Name", fi="Ajanvaraus verkossa"),
        descriptions=o.localized("Summary", fi="Varaa aika."),
        specific=o.channel_fields("EChannel"),
        areas=[],
        languages=["fi"],
        web_pages=[o.web_page("https://ajanvaraus.example.fi/", "Ajanvaraus", "fi")],
        modified="2026-10-01T08:00:00.123456",
    )


def sample() -> FakePtv:
    return FakePtv(
        services=[
            family_service(),
            o.service(
                "kainuu-empty",
                fi="Perhetyö Kajaani",
                classes=("P9.9",),
                areas=[o.municipality_area("205", "999")],
            ),
            o.service(
                "kainuu-neuvola",
                fi="Kainuun äitiysneuvola",
                classes=("P5.2",),
                areas=[o.county_area("20", "205")],
                channels=("kajaani-loc", "kela-web"),
                organization="kainuu",
                description=HOSTILE,
            ),
            o.service(
                "porvoo-neuvola",
                fi="Äitiysneuvola Porvoo",
                sv="Mödrarådgivningen i Borgå",
                classes=("P5.2",),
                areas=[o.county_area("01", "638")],
                organization="iu",
            ),
            o.service(
                "porvoo-fi-only",
                fi="Ehkäisyneuvola Porvoo",
                classes=("P5.2",),
                areas=[o.municipality_area("638")],
                organization="iu",
                summary="Vain suomeksi.",
            ),
            o.service(
                "kela",
                fi="Äitiysavustus",
                sv="Moderskapsunderstöd",
                en="Maternity grant",
                classes=("P3.2",),
                nationwide=True,
                organization="kela",
            ),
            o.service(
                "oulu", fi="Oulun neuvola", classes=("P5.2",), areas=[o.municipality_area("564")]
            ),
        ],
        channels=[
            o.location(
                "kajaani-loc", fi="Kajaanin neuvola", phone="44 710 1234", web="javascript:alert(1)"
            ),
            o.location("kela-web", fi="Kela verkossa", web="https://www.kela.fi/")
            | {"serviceChannelType": "WebPage"},
            family_location(),
            e_service(),
        ],
        organizations=[
            o.organization("kainuu", "Kainuun hyvinvointialue"),
            o.organization("iu", "Itä-Uudenmaan hyvinvointialue"),
            o.organization("kela", "Kela", "State"),
        ],
    )


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = make_project(
        tmp_path_factory.mktemp("ptv"),
        {"content/fi/tuet.md": None, "content/fi/neuvola.md": _with_kela()},
    )
    fake = sample()
    shutil.rmtree(root / "snapshots")
    with fake.serve() as url:
        Fetcher(V11Source(url, backoff=0), root / "snapshots" / "ptv").run(
            ["205", "638"], "full", all_areas=True
        )
    build(root, root / "build")
    return root / "build"


def _with_kela() -> str:
    from tests.helpers import ARTICLE_FI

    return ARTICLE_FI.replace("service_classes: [P5.2]", "service_classes: [P5.2, P3.2]").replace(
        "Katso myös [tuet](tuet.md).", ""
    )


def article(site: Path, slug: str, lang: str = "fi") -> Path:
    found = list((site / slug / lang).glob("*/*/index.html"))
    return next(
        p for p in found if "neuvola" in str(p) or "radgivning" in str(p) or "maternity" in str(p)
    )


def service_page(site: Path, slug: str, lang: str, key: str) -> Path:
    folder = {"fi": "palvelut", "sv": "tjanster", "en": "services"}[lang]
    return site / slug / lang / folder / o.guid(key) / "index.html"


def test_article_shows_the_areas_services_then_nationwide(site: Path) -> None:
    page = read_page(article(site, "kainuu"))
    section = page.find("section", class_="services")
    assert "Palvelut alueellasi" in section.text
    names = [e.text.strip() for e in page.by_class("service-name")]
    assert names == ["Kainuun äitiysneuvola", "Äitiysavustus"]
    assert "Oulun neuvola" not in section.text
    where = [e.text for e in page.by_class("service-where")]
    assert where == ["Kainuu", "Koko Suomi"]


def test_national_site_shows_only_nationwide_services(site: Path) -> None:
    page = read_page(article(site, "national"))
    assert [e.text.strip() for e in page.by_class("service-name")] == ["Äitiysavustus"]


def test_swedish_page_marks_finnish_only_text(site: Path) -> None:
    page = read_page(article(site, "ita-uusimaa", "sv"))
    assert "Tjänster i ditt område" in page.find("section", class_="services").text
    links = {
        a.text.strip(): a.attrs.get("lang")
        for a in page.find_all("a")
        if "rådgivning" in a.text.lower() or "neuvola" in a.text.lower()
    }
    assert links["Mödrarådgivningen i Borgå"] is None
    assert links["Ehkäisyneuvola Porvoo"] == "fi"
    service = read_page(service_page(site, "ita-uusimaa", "sv", "porvoo-fi-only"))
    assert service.find("h1").attrs.get("lang") == "fi"
    assert "Texten finns bara på finska." in service.by_class("lang-note")[0].text
    assert service.by_class("ptv-text")[0].attrs.get("lang") == "fi"


def test_service_page_has_channels_hours_and_phone_links(site: Path) -> None:
    page = read_page(service_page(site, "kainuu", "fi", "kainuu-neuvola"))
    assert page.find("h1").text == "Kainuun äitiysneuvola"
    tel = page.find("a", class_="phone")
    assert tel.attrs["href"] == "tel:+358447101234" and tel.text == "044 710 1234"
    assert "ma–pe 8.00–15.30" in page.by_class("opening-hours")[0].text
    assert "Kauppakatu 1, 87100 KAJAANI" in page.by_class("address")[0].text
    hrefs = [a.attrs["href"] for a in page.find_all("a")]
    assert "https://www.kela.fi/" in hrefs
    assert any(h.startswith("https://www.suomi.fi/palvelut/") for h in hrefs)
    assert (
        "Palvelutiedot ovat Suomi.fi-palvelutietovarannosta" in page.by_class("data-source")[0].text
    )


def test_hostile_ptv_text_is_escaped(site: Path) -> None:
    html = service_page(site, "kainuu", "fi", "kainuu-neuvola").read_text()
    assert "<script>alert" not in html and "onerror=alert" not in html.replace(
        "&lt;img src=x onerror=alert(1)&gt;", ""
    )
    assert "&lt;script&gt;" in html
    assert "javascript:" not in html
    # Bullet lines of the PTV text become a list.
    assert "<ul><li>ensimmäinen</li><li>toinen</li></ul>" in html


def test_municipality_pages_list_family_services(site: Path) -> None:
    page = read_page(site / "ita-uusimaa" / "fi" / "kunnat" / "porvoo" / "index.html")
    assert page.find("h1").text == "Porvoo"
    text = " ".join(e.text for e in page.by_class("service-name"))
    assert "Ehkäisyneuvola Porvoo" in text and "Äitiysneuvola Porvoo" in text
    index = read_page(site / "ita-uusimaa" / "sv" / "kommuner" / "index.html")
    assert index.find("a", href="../../sv/kommuner/porvoo/").text == "Borgå"


def test_county_report_lists_what_to_fix(site: Path) -> None:
    data = json.loads((site / "reports" / "ita-uusimaa" / "ptv.json").read_text())
    missing = [f for f in data["findings"] if f["kind"] == "missing-swedish"]
    assert [f["name"] for f in missing] == ["Ehkäisyneuvola Porvoo"]
    neuvola = next(a for a in data["articles"] if a["id"] == "neuvola")
    row = next(r for r in neuvola["services"] if r["name"] == "Äitiysneuvola Porvoo")
    assert "palveluluokka P5.2" in row["reasons"] and "kohderyhmä KR1.2" in row["reasons"]
    kainuu = json.loads((site / "reports" / "kainuu" / "ptv.json").read_text())
    kinds = {f["kind"] for f in kainuu["findings"]}
    assert "bad-link" in kinds
    html = (site / "reports" / "ita-uusimaa" / "ptv.html").read_text()
    assert "ruotsinkielinen kuvaus puuttuu" in html


def test_unknown_article_in_county_overrides_is_an_error(tmp_path: Path) -> None:
    from tests.helpers import AREA_FI

    area = AREA_FI + "services:\n  pin:\n    - {article: neuvla, service: " + o.guid("x") + "}\n"
    root = make_project(tmp_path, {"regions/kainuu.yml": area})
    problems = problems_of(root)
    assert any(
        "regions/kainuu.yml:" in p and "no article has the id 'neuvla'" in p and "neuvola" in p
        for p in problems
    )


def test_swedish_is_expected_only_where_a_municipality_is_bilingual() -> None:
    import yaml

    from pipeline.content.models import Region
    from pipeline.problems import Problems
    from pipeline.quality.report import needs_swedish
    from pipeline.sources.ptv.normalise import read_item
    from tests.helpers import AREA_BILINGUAL

    data = yaml.safe_load(AREA_BILINGUAL)
    data["municipalities"].append(
        {"code": "018", "name": {"fi": "Askola", "sv": "Askola"}, "languages": ["fi"]}
    )
    region = Region.model_validate(data)

    def service(*codes: str, county: bool = False):  # type: ignore[no-untyped-def]
        area = o.county_area("01", *codes) if county else o.municipality_area(*codes)
        return read_item(o.service("x", fi="Palvelu", areas=[area]), "service", Problems())

    assert needs_swedish(service("638"), region)
    assert not needs_swedish(service("018"), region)
    assert needs_swedish(service("018", "638", county=True), region)


def tree(path: Path) -> Any:
    return lxml.html.fromstring(path.read_text(encoding="utf-8"))


def one(node: Any, xpath: str) -> Any:
    found = node.xpath(xpath)
    assert len(found) >= 1, f"nothing at {xpath}"
    return found[0]


def text(node: Any) -> str:
    return " ".join(node.text_content().split())


def cls(name: str) -> str:
    return f"contains(concat(' ', @class, ' '), ' {name} ')"


def test_service_page_says_how_to_get_the_service(site: Path) -> None:
    page = tree(service_page(site, "kainuu", "fi", "kainuu-perhe"))
    location = one(page, f"//section[{cls('channel-servicelocation')}]")
    assert location.get("data-municipality") == "205"
    assert location.get("data-lat", "").startswith("64.") and location.get("data-lon")
    phones = location.xpath(".//ul[@class='phones']/li")
    assert text(one(phones[0], "a")) == "040 123 4567"
    assert "(palvelee suomeksi)" in text(phones[0]) and "Puhelu on maksuton." in text(phones[0])
    assert text(one(phones[1], "a")) == "044 765 4321"
    assert "(palvelee ruotsiksi)" in text(phones[1])
    assert "Puhelu on maksullinen." in text(phones[1])
    hrefs = location.xpath(".//a/@href")
    assert any(h.startswith("https://www.openstreetmap.org/") for h in hrefs)
    assert any(h.startswith("geo:64.") for h in hrefs)
    access = one(location, ".//details[@class='accessibility']")
    assert text(one(access, "summary")) == "Tilojen esteettömyys"
    assert "Ovi avautuu automaattisesti." in text(access)
    assert "Sisäänkäynti pihalta." in text(location)
    assert "Palvelukielet: suomi, ruotsi" in text(location)
    requirements = one(page, "//section[@aria-labelledby='requirements']")
    assert "Palvelu on kainuulaisille lapsiperheille." in text(requirements)
    facts = text(one(page, "//dl[@class='service-facts']"))
    assert "Palvelun tuottaa Kela" in facts and "Palvelukielet suomi, ruotsi" in facts
    e_link = one(page, f"//section[{cls('channel-echannel')}]//a")
    assert e_link.get("href") == "https://ajanvaraus.example.fi/"
    assert page.xpath(f"//section[{cls('service-fallback')}]") == []


def test_a_service_without_contacts_points_to_the_family_centre(site: Path) -> None:
    page = tree(service_page(site, "kainuu", "fi", "kainuu-empty"))
    fallback = one(page, f"//section[{cls('service-fallback')}]")
    assert text(one(fallback, "h2")) == "Kysy lisää perhekeskuksesta"
    assert "08 1111 2222" in text(fallback)
    # The unknown municipality code is never shown raw, and the report lists it.
    assert "999" not in text(one(page, "//dl[@class='service-facts']"))
    data = json.loads((site / "reports" / "kainuu" / "ptv.json").read_text())
    unknown = [f for f in data["findings"] if f["kind"] == "unknown-municipality"]
    assert [(f["name"], f["field"]) for f in unknown] == [("Perhetyö Kajaani", "areas")]
    html = (site / "reports" / "kainuu" / "ptv.html").read_text()
    assert "kuntanumeroa &#39;999&#39; ei ole kuntaluettelossa" in html


def test_cards_show_the_first_phone_and_address_and_their_municipality(site: Path) -> None:
    page = tree(article(site, "kainuu"))
    card = one(page, f"//li[{cls('service-item')}]")
    assert text(one(card, "h3")) == "Kainuun äitiysneuvola"
    assert card.get("data-municipality") == "205"
    reach = one(card, ".//p[@class='service-reach']")
    assert one(reach, ".//a").get("href") == "tel:+358447101234"
    assert "Kauppakatu 1, 87100 KAJAANI" in text(reach)


def test_finnish_only_names_get_a_gloss_in_the_page_language(site: Path) -> None:
    page = tree(article(site, "ita-uusimaa", "sv"))
    link = one(page, "//a[normalize-space()='Ehkäisyneuvola Porvoo']")
    assert link.get("lang") == "fi"
    gloss = one(link, "following-sibling::span[@class='gloss']")
    assert text(gloss) == "– Rådgivningstjänster"
    service = tree(service_page(site, "ita-uusimaa", "sv", "porvoo-fi-only"))
    heading = one(service, "//h1/span[@class='gloss']")
    assert heading.get("lang") == "sv" and text(heading) == "(Rådgivningstjänster)"
