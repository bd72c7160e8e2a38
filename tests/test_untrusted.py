"""Untrusted PTV data never blocks publishing, never crashes and never injects (issue 11, item 3).

Unit tests of each rule (phones, texts, shapes), then one small site built with the strict
gate from a snapshot holding a hostile service with every bad value we could think of, next to
a good one.
"""

from __future__ import annotations

import copy
import json
import random
import shutil
from pathlib import Path
from typing import Any

import pytest

from pipeline.build import BuildReport, build
from pipeline.phone import TEL_VALUE, read, tel
from pipeline.problems import Problems
from pipeline.quality.check import MAILTO, TEL
from pipeline.sources.ptv import v11
from pipeline.sources.ptv.fetch import Fetcher
from pipeline.sources.ptv.normalise import clean_text, read_item
from pipeline.sources.ptv.source import V11Source
from tests import ptv_objects as o
from tests.fake_ptv import FakePtv
from tests.helpers import make_project, read_page

# --- phones ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "prefix", "expected"),
    [
        ("0401234567 / 0507654321", None, [("0401234567", "+358401234567")] * 1
         + [("0507654321", "+358507654321")]),
        ("040 123 4567, 050 765 4321", "+358", [("040 123 4567", "+358401234567"),
                                                ("050 765 4321", "+358507654321")]),
        ("040 123 4567 tai 050 765 4321", None, [("040 123 4567", "+358401234567"),
                                                 ("050 765 4321", "+358507654321")]),
        ("040 123 4567 eller 050 765 4321", None, [("040 123 4567", "+358401234567"),
                                                   ("050 765 4321", "+358507654321")]),
        ("44 123 4567", "+358", [("044 123 4567", "+358441234567")]),
        ("116 117", "+358", [("116 117", "116117")]),
        ("8 123 456", "+46", [("+46 8 123 456", "+468123456")]),
        ("(09) 123 4567", "+358", [("(09) 123 4567", "+35891234567")]),
        ("00358 40 123 4567", None, [("00358 40 123 4567", "+358401234567")]),
        ("soita vaihteeseen", None, [("soita vaihteeseen", None)]),
        ('+358 40 123"><script>', None, [('+358 40 123"><script>', None)]),
        ("12", None, [("12", None)]),
        ("1234567890123456789", None, [("1234567890123456789", None)]),
        ("040 123 4567", "abc", [("abc 040 123 4567", None)]),
        ("12 / 34", None, [("12 / 34", None)]),
    ],
)  # fmt: skip
def test_one_rule_for_phone_values(
    value: str, prefix: str | None, expected: list[tuple[str, str | None]]
) -> None:
    assert [(n.shown, n.tel) for n in read(value, prefix)] == expected


def test_not_a_phone_number_says_why() -> None:
    reasons = {v: read(v)[0].reason for v in ("soita", "12", "1" * 16, "040 123 4567 #2")}
    assert reasons == {
        "soita": "letters",
        "12": "too few digits",
        "1" * 16: "too many digits",
        "040 123 4567 #2": "characters",
    }


def test_every_tel_value_passes_the_gate() -> None:
    """Whatever a value holds, a ``tel:`` written from it is one the gate accepts."""
    alphabet = "0123456789      +-().,;/abcTAIor\"<>&'#*\u202e\u00a0٣"
    rng = random.Random(11)
    values = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30))) for _ in range(3000)]
    prefixes = [None, "", "+358", "358", "+46", "+1", "00358", "abc", "+", "+12345"]
    for value in values:
        for number in read(value, rng.choice(prefixes), rng.random() < 0.2):
            if number.tel is not None:
                assert TEL.match(f"tel:{number.tel}"), (value, number)
                assert TEL_VALUE.match(number.tel)
            assert number.shown.strip()


def test_county_help_numbers_keep_their_tel_values() -> None:
    assert tel("08 6156 3150") == "+358861563150"
    assert tel("080 005 005") == "+35880005005"
    assert tel("116 117") == "116117"
    assert tel("112") == "112"
    assert tel("+358 29 534 5000") == "+358295345000"


# --- texts ----------------------------------------------------------------------------------


def test_control_and_invisible_characters_are_removed() -> None:
    text = "a\x00b\u202ec\u2066d\u2069e\x85f\ufeffg\u200bh\x1bi\ud800j\U000e0041k"
    cleaned, removed = clean_text(text)
    assert cleaned == "abcdefghijk"
    assert len(removed) == 10
    kept = "Tab\there\nnew line, perheet 👨‍👩‍👧 ja äiti"
    assert clean_text(kept) == (kept, [])
    assert clean_text("rivi\r\ntoinen\rkolmas\u2028neljäs") == ("rivi\ntoinen\nkolmas\nneljäs", [])


# --- shapes ---------------------------------------------------------------------------------


def _read(raw: Any, kind: str = "service") -> tuple[Any, list[str]]:
    problems = Problems()
    item = read_item(raw, kind, problems)
    return item, [str(p) for p in problems]


def test_nulls_inside_lists_are_dropped_silently() -> None:
    raw = o.service("a", fi="Neuvola", channels=("c",), areas=[o.municipality_area("205")])
    raw["serviceChannels"].insert(0, None)
    raw["areas"][0]["municipalities"].append(None)
    raw["serviceNames"].append(None)
    service, problems = _read(raw)
    assert service.channels == (o.guid("c"),) and service.municipalities == {"205"}
    assert problems == []
    channel = o.location("c", fi="Paikka")
    channel["phoneNumbers"] = [None]
    channel["serviceHours"][0]["openingHour"].append(None)
    channel, problems = _read(channel, "channel")
    assert channel.phones == () and len(channel.hours[0].days) == 1 and problems == []


def test_wrong_types_leave_out_the_value_not_the_item() -> None:
    raw = o.service("a", fi="Neuvola", areas=[o.municipality_area("205")])
    raw["keywords"] = "neuvola"  # a text where a list belongs
    raw["serviceChargeType"] = 5  # a number where a text belongs
    raw["areaType"] = {"type": "LimitedType"}  # an object where a text belongs
    raw["serviceClasses"].append("P5.2")  # a text where an object belongs
    raw["modified"] = "31.12.2026"
    service, problems = _read(raw)
    assert service.names == {"fi": "Neuvola"} and service.service_classes == ("P5.2",)
    who = f"PTV service {o.guid('a')}: warning: "
    assert problems == [
        who + "serviceChargeType: expected a text, got 5: left out",
        who + "areaType: expected a text, got an object: left out",
        who + "serviceClasses[1]: expected an object, got 'P5.2': left out",
        who + "keywords: expected a list, got 'neuvola': left out",
        who + "modified: not a date and time (yyyy-mm-ddThh:mm:ss), got '31.12.2026': left out",
    ]


def test_references_that_are_not_ids_are_left_out() -> None:
    raw = o.service("a", fi="Neuvola", channels=("c",), organization="org")
    raw["serviceChannels"].append({"serviceChannel": {"id": "javascript:alert(1)"}})
    raw["organizations"].append({"organization": {"id": 5}})
    service, problems = _read(raw)
    assert service.channels == (o.guid("c"),) and service.organisations == (o.guid("org"),)
    assert [p.split(": warning: ")[1] for p in problems] == [
        "serviceChannels[1].serviceChannel.id: not a GUID, got 'javascript:alert(1)': left out",
        "organizations[1].organization.id: expected a text, got 5: left out",
    ]


def test_an_item_is_skipped_only_without_an_id_or_a_name() -> None:
    assert _read(o.service("a", fi="X") | {"id": None}) == (
        None,
        ["PTV service without an id: warning: skipped: no id"],
    )
    assert _read(o.service("a", fi="X") | {"id": "nope"})[1] == [
        "PTV service nope: warning: skipped: the id is not a GUID"
    ]
    nameless = o.service("a", fi="X") | {"serviceNames": [{"value": "\u202e", "language": "fi"}]}
    assert _read(nameless)[1][-1].endswith("skipped: the service has no name in any language")
    assert _read(["not", "an", "object"])[0] is None


def test_lenient_reading_ends_and_keeps_positions() -> None:
    data = {
        "id": o.guid("c"),
        "serviceChannelType": 5,
        "phoneNumbers": ["x", None, {"number": 5}, {"number": "040 1234567"}],
        "serviceHours": [{"openingHour": "Monday", "validFrom": [], "isClosed": "maybe"}],
        "serviceChannelNames": [{"value": "Kanava", "language": "fi", "type": "Name"}],
    }
    parsed, dropped = v11.read(v11.ServiceChannel, copy.deepcopy(data))
    assert parsed is not None
    assert parsed.phoneNumbers[3] is not None and parsed.phoneNumbers[3].number == "040 1234567"
    assert sorted(v11.path_text(d.path) for d in dropped) == [
        "phoneNumbers[0]",
        "phoneNumbers[2].number",
        "serviceChannelType",
        "serviceHours[0].isClosed",
        "serviceHours[0].openingHour",
        "serviceHours[0].validFrom",
    ]
    channel, problems = _read(data, "channel")
    assert channel.type == "Other" and [p.tel for p in channel.phones] == ["+358401234567"]
    assert channel.hours == ()  # nothing usable left: not shown as "closed"
    assert sum("serviceChannelType" in p for p in problems) == 1


# --- a hostile service on a built site --------------------------------------------------------

HOSTILE = o.guid("hostile")
PLACE = o.guid("hostile-place")
ODD = o.guid("hostile-odd")
SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
LONG = "Pitkä kuvaus. " * 800  # 11 200 characters


def hostile_service() -> dict[str, Any]:
    raw = o.service("hostile", fi="x", classes=("P5.2",), areas=[o.municipality_area("205")])
    raw.update(
        serviceNames=[
            None,
            {"value": f"Vihamielinen\u202e palvelu {SCRIPT}", "language": "fi", "type": "Name"},
            {"value": 5, "language": "sv", "type": "Name"},
            "junk",
        ],
        serviceDescriptions=[
            None,
            {"value": f"Kuvaus\x00 {IMG}\n\n{LONG}", "language": "fi", "type": "Description"},
            {"value": "Tiivistelmä\u2066.", "language": "fi", "type": "Summary"},
            {"value": ["list"], "language": "fi", "type": "UserInstruction"},
        ],
        areas=[
            {"type": "Municipality", "municipalities": [{"code": "205"}, None, {"code": "abc"}]},
            None,
            "x",
            {"type": "WellbeingServiceCounties", "code": "xx", "municipalities": {"code": "1"}},
        ],
        serviceClasses=[o.finto("P5.2"), None, "P5.2", {"code": ["P5"]}],
        lifeEvents="KE1",
        ontologyTerms={"uri": "http://www.yso.fi/onto/koko/p1"},
        keywords=[None, {"value": "neuvola\u200b", "language": "fi"}, 7],
        languages="fi",
        serviceChannels=[
            None,
            "junk",
            {"serviceChannel": {"id": PLACE.upper()}},
            {"serviceChannel": {"id": ODD}},
            {"serviceChannel": None},
        ],
        organizations=[{"organization": {"id": 5}, "roleType": ["x"]}],
        serviceChargeType={"x": 1},
        type=3,
        modified="31.12.2026",
    )
    return raw


def hostile_place() -> dict[str, Any]:
    raw = o.location("hostile-place", fi="x")
    raw.update(
        serviceChannelNames=[
            {"value": "Vihamielinen\u202e toimipiste", "language": "fi", "type": "Name"},
            None,
        ],
        phoneNumbers=[
            {"number": "0401234567 / 0507654321", "prefixNumber": "+358", "language": "fi"},
            None,
            {"number": "soita vaihteeseen", "prefixNumber": "+358"},
            {"number": f'+358 40 123">{SCRIPT}'},
            {"number": "12"},
            {"number": "1234567890123456789"},
            {"number": 401234567},
            {"number": "040 123 4567", "prefixNumber": "abc"},
            {"number": "44 123 4567", "prefixNumber": "+358", "language": 'x" onclick="alert(1)'},
        ],
        supportPhones="040 1234567",
        emails=[
            {"value": "neuvola@example.fi", "language": "fi"},
            {"value": "a?b@example.fi"},
            {"value": "javascript:alert(1)//@x.fi"},
            {"value": "foo at bar"},
            None,
            5,
        ],
        webPages=[
            {"url": "javascript:alert(1)", "value": "Klikkaa", "language": "fi"},
            {"url": "https://exa mple.fi/", "value": "Välilyönti", "language": "fi"},
            {"url": "http://[::1", "value": "Rikki", "language": "fi"},
            {"url": "data:text/html,<script>alert(1)</script>", "value": "Data"},
            {"url": "https://www.example.fi/neuvola", "value": "Verkkosivu", "language": "fi"},
            {"url": "https://www.example.fi/toinen", "value": "Verkkosivu", "language": "fi"},
            None,
            {"url": ["x"], "value": "Lista"},
        ],
        serviceHours=[
            {
                "serviceHourType": "DaysOfTheWeek",
                "openingHour": [
                    {"dayFrom": "Funday", "from": "08:00:00", "to": "16:00:00"},
                    {"dayFrom": "Monday", "from": "25:99", "to": "16:00:00"},
                    {"dayFrom": "Tuesday", "dayTo": "", "from": "08:00:00", "to": "16:00:00"},
                    None,
                    "x",
                ],
            },
            {"serviceHourType": "Exceptional", "validFrom": "24.12.2026", "isClosed": True},
            None,
            {"serviceHourType": 5, "isClosed": "maybe", "openingHour": {"dayFrom": "Monday"}},
        ],
        addresses=[
            {
                "type": "Location",
                "streetAddress": {
                    "street": [{"value": "Katu\u202e", "language": "fi"}],
                    "streetNumber": 1,
                    "postalCode": "87100",
                    "postOffice": "KAJAANI",
                    "municipality": {"code": "abc"},
                    "latitude": "1",
                    "longitude": "2",
                },
            },
            {"type": "Location", "streetAddress": "Kauppakatu 1"},
            None,
        ],
        areas="x",
        organizationId="not-a-guid",
        requiresAuthentication="yes please",
        modified=12345,
    )
    return raw


def hostile_odd_channel() -> dict[str, Any]:
    """A channel of a type nobody knows, with a web page named like one of the other's."""
    raw = o.location("hostile-odd", fi="Outo kanava", phone=None, web="https://www.example.fi/")
    raw["serviceChannelType"] = "TelephoneService"  # v12's name for Phone
    raw["addresses"] = []
    return raw


HOSTILE_RAW = {HOSTILE: hostile_service, PLACE: hostile_place, ODD: hostile_odd_channel}


def _served(item: dict[str, Any]) -> Any:
    """The fake serves the hostile items as they are; its own filters see tame versions."""
    make = HOSTILE_RAW.get(item["id"])
    return make() if make else item


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, BuildReport]:
    root = make_project(tmp_path_factory.mktemp("hostile"))
    fake = FakePtv(
        services=[
            o.service(
                "good",
                fi="Hyvä neuvola",
                classes=("P5.2",),
                areas=[o.county_area("20", "205")],
                channels=("good-place",),
                organization="kainuu",
            ),
            o.service(
                "twin",
                fi="Hyvä neuvola",
                classes=("P5.2",),
                areas=[o.county_area("20", "205")],
                organization="kainuu",
            ),
            o.service("hostile", fi="x", classes=("P5.2",), areas=[o.municipality_area("205")]),
        ],
        channels=[
            o.location("good-place", fi="Hyvän neuvolan toimipiste", phone="44 710 1234"),
            o.location("hostile-place", fi="x"),
            o.location("hostile-odd", fi="x"),
        ],
        organizations=[o.organization("kainuu", "Kainuun hyvinvointialue")],
        mutate=_served,
    )
    shutil.rmtree(root / "snapshots")
    with fake.serve() as url:
        Fetcher(V11Source(url, backoff=0), root / "snapshots" / "ptv").run(
            ["205"], "full", all_areas=True
        )
    report = build(root, root / "build", areas=["kainuu"], national=False, search=False)
    return root / "build", report


def _page(site: Path, key: str) -> Path:
    return site / "kainuu" / "fi" / "palvelut" / o.guid(key) / "index.html"


def test_the_strict_gate_passes_and_the_good_service_is_intact(
    hostile: tuple[Path, BuildReport],
) -> None:
    site, report = hostile
    assert report.findings.get("kainuu") == []
    page = read_page(_page(site, "good"))
    assert page.find("h1").text == "Hyvä neuvola"
    assert page.find("a", class_="phone").attrs["href"] == "tel:+358447101234"
    assert "ma–pe 8.00–15.30" in page.by_class("opening-hours")[0].text
    # The twin of the same name and place is told apart on the article.
    article = next((site / "kainuu" / "fi").glob("*/neuvola/index.html"))
    names = sorted(e.text.strip() for e in read_page(article).by_class("service-name"))
    assert "Hyvä neuvola" in names and "Hyvä neuvola (2)" in names


def test_the_hostile_service_shows_what_could_be_kept(hostile: tuple[Path, BuildReport]) -> None:
    site, _ = hostile
    path = _page(site, "hostile")
    html = path.read_text(encoding="utf-8")
    page = read_page(path)
    assert page.find("h1").text == f"Vihamielinen palvelu {SCRIPT}"
    assert "Tiivistelmä." in page.find("p", class_="lead").text
    for bad in ("\u202e", "\u2066", "\x00", "\u200b", "onclick"):
        assert bad not in html, bad
    hrefs = [e.attrs["href"] for e in page.elements if "href" in e.attrs]
    assert not [h for h in hrefs if h.startswith(("javascript:", "data:")) or " " in h]
    assert SCRIPT not in html and IMG not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "&lt;img src=x" in html
    assert len(page.by_class("ptv-text")[0].text) < 5200  # cut from 11 200 characters
    assert all(TEL.match(h) for h in hrefs if h.startswith("tel:"))
    tels = [a.attrs["href"] for a in page.find_all("a", class_="phone")]
    assert tels == ["tel:+358401234567", "tel:+358507654321", "tel:+358441234567"]
    as_text = {e.text for e in page.find_all("span", class_="phone")}
    assert {"soita vaihteeseen", "12", f'+358 40 123">{SCRIPT}'} <= as_text
    assert all(MAILTO.match(h) for h in hrefs if h.startswith("mailto:"))
    mailtos = [a.attrs["href"] for a in page.find_all("a") if "example.fi" in a.text]
    assert [m for m in mailtos if m.startswith("mailto:")] == ["mailto:neuvola@example.fi"]
    assert "a?b@example.fi" in page.by_class("emails")[0].text
    # Three web pages called "Verkkosivu" on one host: each link says its address.
    links = {a.text.strip() for a in page.find_all("a") if "www.example.fi" in a.attrs["href"]}
    assert links == {
        "Verkkosivu (https://www.example.fi/neuvola)",
        "Verkkosivu (https://www.example.fi/toinen)",
        "Verkkosivu (https://www.example.fi/)",
    }
    hours = page.by_class("opening-hours")[0].text
    assert "ti 8.00–16.00" in hours and "Funday" not in hours and "suljettu" not in hours
    assert not page.by_class("map-link")  # coordinates outside Finland
    assert "Outo kanava" in html  # a channel of an unknown type is still shown


def test_each_problem_is_reported_with_the_item_id(hostile: tuple[Path, BuildReport]) -> None:
    _, report = hostile
    ptv = [str(w) for w in report.warnings if w.path.startswith("PTV ")]
    assert not any("skipped" in line for line in ptv)
    ours = {f"PTV service {HOSTILE}", f"PTV channel {PLACE}", f"PTV channel {ODD}"}
    assert {w.path for w in report.warnings if w.path.startswith("PTV ")} == ours
    place = f"PTV channel {PLACE}: warning: "
    service = f"PTV service {HOSTILE}: warning: "
    expected = [
        place + "phoneNumbers[0].number: phone '0401234567 / 0507654321' holds two numbers: "
        "shown as two links",
        place + "phoneNumbers[2].number: not a phone number ('soita vaihteeseen', letters): "
        "shown as text, not as a link",
        place + "phoneNumbers[4].number: not a phone number ('12', too few digits): "
        "shown as text, not as a link",
        place + "phoneNumbers[6].number: expected a text, got 401234567: left out",
        place + "emails[1].value: not an e-mail address ('a?b@example.fi'): "
        "shown as text, not as a link",
        place + "webPages[0].url: not a web address ('javascript:alert(1)'): left out",
        place + "webPages[1].url: not a web address ('https://exa mple.fi/'): left out",
        place + "serviceHours[0].openingHour[0].dayFrom: not a day of the week ('Funday'): "
        "that line of opening hours is left out",
        place + "serviceHours[0].openingHour[1].from: not a time of day ('25:99'): "
        "that line of opening hours is left out",
        place + "addresses[0].streetAddress: coordinates ('1, 2') are not in Finland "
        "(EPSG:3067): no map link",
        place + "serviceChannelNames[0].value: 1 invisible or control character removed (U+202E)",
        service + "serviceNames[1].value: 1 invisible or control character removed (U+202E)",
        service + "serviceDescriptions[1].value: 1 invisible or control character removed (U+0000)",
        service + "serviceDescriptions[1].value: a text of 11237 characters, cut to 5000",
        service + "areas[0].municipalities[2].code: not a municipality code ('abc'): ignored",
        service + "areas[3].code: not a wellbeing services county code ('xx'): ignored",
        service + "modified: not a date and time (yyyy-mm-ddThh:mm:ss), got '31.12.2026': left out",
        service + "lifeEvents: expected a list, got 'KE1': left out",
        f"PTV channel {ODD}: warning: serviceChannelType: unknown channel type "
        "('TelephoneService'): shown as other contact details",
    ]
    missing = [line for line in expected if line not in ptv]
    assert not missing, "\n".join([*missing, "-- reported:", *ptv])


def test_the_county_report_lists_the_problems_in_finnish(
    hostile: tuple[Path, BuildReport],
) -> None:
    site, _ = hostile
    data = json.loads((site / "reports" / "kainuu" / "ptv.json").read_text(encoding="utf-8"))
    mine = [f for f in data["findings"] if f["service"] == HOSTILE]
    kinds = {f["kind"] for f in mine}
    assert {
        "several-phones", "not-a-phone", "bad-email", "bad-link", "characters", "too-long",
        "dropped", "bad-code", "bad-coordinates", "bad-day", "bad-time", "channel-type",
        "no-date",
    } <= kinds  # fmt: skip
    phones = next(f for f in mine if f["kind"] == "several-phones")
    assert phones["channel"] == PLACE and phones["field"] == "phoneNumbers[0].number"
    assert phones["problem"].startswith(
        "asiointikanava Vihamielinen toimipiste: puhelinnumero: kentässä on useita numeroita "
        "('0401234567 / 0507654321')."
    )
    assert not any(f["service"] == o.guid("good") and "field" in f and f["field"] for f in
                   data["findings"])  # fmt: skip
    page_url = data["service_pages"][HOSTILE]
    assert page_url.endswith(f"/fi/palvelut/{HOSTILE}/")
    html = (site / "reports" / "kainuu" / "ptv.html").read_text(encoding="utf-8")
    assert f'<a href="{page_url}">Vihamielinen palvelu &lt;script&gt;' in html
    assert "ei ole puhelinnumero (siinä on kirjaimia)" in html
    assert "\u202e" not in html and "<script>alert" not in html


# --- the fields issue 12 reads (requirements, languages, charges, entrances, producers) -----


@pytest.mark.parametrize(
    ("shown", "expected"),
    [
        ("0401234567", "040 123 4567"),
        ("+358 40 123 4567", "040 123 4567"),
        ("050 12345", "050 12345"),
        ("0912345678", "09 1234 5678"),
        ("013 1234567", "013 123 4567"),
        ("080012345", "0800 12345"),
        ("020692205", "020 692 205"),
        ("116117", "116 117"),
        ("112", "112"),
        ("+46 8 123 456", "+46 8 123 456"),
        ("soita", "soita"),
    ],
)
def test_finnish_numbers_are_grouped_as_finns_write_them(shown: str, expected: str) -> None:
    from pipeline.phone import grouped

    assert grouped(shown) == expected


def test_new_fields_are_read_value_by_value() -> None:
    raw = o.service("a", fi="Neuvola", areas=[o.municipality_area("205")])
    raw["requirements"] = o.lang_items(fi="Asut Kajaanissa.", sv=None)
    raw["languages"] = ["fi", 5, "not a code", "SV"]
    raw["organizations"].append(
        o.organization_role("organization", o.guid("p"), "Tuottaja Oy", "Producer", "Purchase")
        | {"additionalInformation": "a text"}
    )
    service, problems = _read(raw)
    assert service.requirements == {"fi": "Asut Kajaanissa."}
    assert service.served_languages == ("fi", "sv")
    assert [(p.name, p.info) for p in service.producers] == [("Tuottaja Oy", {})]
    who = f"PTV service {o.guid('a')}: warning"
    assert f"{who}: languages[1]: expected a text, got 5: left out" in problems
    assert f"{who}: languages[2]: not a language code ('not a code'): left out" in problems
    assert any("organizations[0].additionalInformation: expected a list" in p for p in problems)

    channel = o.location("c", fi="Paikka")
    channel["phoneNumbers"][0]["serviceChargeType"] = "Maybe"
    channel["addresses"][0]["entrances"] = [
        o.entrance("1", "2", [o.accessibility_group(o.lang_items(fi="Ovi"), [])]),
        o.entrance(
            "7124010",
            "536010",
            [o.accessibility_group(o.lang_items(fi="Ovi"), [o.lang_items(fi="Leveä ovi.")])],
            main=False,
        ),
        {"isMainEntrance": True, "accessibilitySentences": "a text"},
    ]
    channel, problems = _read(channel, "channel")
    assert channel.phones[0].charge_type is None and channel.phones[0].number == "040 000 1234"
    (entrance,) = channel.addresses[0].entrances
    assert not entrance.main and entrance.lat is not None
    assert entrance.accessibility[0].sentences == ({"fi": "Leveä ovi."},)
    who = f"PTV channel {o.guid('c')}: warning"
    assert (
        f"{who}: phoneNumbers[0].serviceChargeType: unknown charge type ('Maybe'): not shown"
        in problems
    )
    assert any("entrances[0].coordinates: coordinates ('1, 2')" in p for p in problems)
    assert any("entrances[2].accessibilitySentences: expected a list" in p for p in problems)
