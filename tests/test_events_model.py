"""The events model (untrusted values cleaned or dropped field by field), the readers of
Lähellä.fi and ICS on their own, and ``perhekeskus events inspect``."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from pipeline.cli import main
from pipeline.sources.events import lahella
from pipeline.sources.events.model import HELSINKI, Unusable, build_event
from pipeline.sources.events.places import load_municipalities
from pipeline.sources.events.snapshot import ReadContext
from tests.fake_events import le_event
from tests.helpers import REPO

BASE = {"id": "ics:feed:1", "source": "ics", "source_id": "feed:1", "kind": "event"}


def event(**fields: Any) -> Any:
    return build_event({**BASE, "names": {"fi": "Perhekahvila"}, **fields})


def test_names_lose_markup_and_descriptions_keep_only_harmless_html() -> None:
    item = event(
        names={"fi": "<b>Perhe</b>kahvila &amp; leikki\u202e", "sv": "  ", "ru": "Кафе"},
        descriptions={
            "fi": '<p onclick="x()">Tule <a href="javascript:alert(1)">tästä</a>'
            '<script>alert(1)</script><img src=x onerror=y></p><a href="https://x.example/">ok</a>',
            "sv": "Rad ett\n\nRad två & tre",
        },
    )
    assert item.names == {"fi": "Perhekahvila & leikki"}
    assert "<script" not in item.descriptions["fi"] and "onclick" not in item.descriptions["fi"]
    assert "javascript:" not in item.descriptions["fi"] and "<img" not in item.descriptions["fi"]
    assert (
        '<a href="https://x.example/" rel="noopener noreferrer">ok</a>' in item.descriptions["fi"]
    )
    assert item.descriptions["sv"] == "<p>Rad ett</p><p>Rad två &amp; tre</p>"


def test_a_bad_value_is_dropped_and_reported_and_the_rest_is_kept() -> None:
    item = event(
        organiser={"names": {"fi": "MLL"}, "business_id": "1234567-8"},
        place={
            "names": {"fi": "Talo"},
            "position": {"lat": 25.7, "lon": 64.2},
            "postal_code": "871",
        },
        url="www.example.fi",
        audience_min_age=6,
        audience_max_age=3,
        start=datetime(2026, 12, 1, 8, 0),
    )
    assert item.organiser is not None and item.organiser.business_id is None
    assert item.organiser.names == {"fi": "MLL"}
    assert item.place is not None and item.place.names == {"fi": "Talo"}
    assert item.place.position is None and item.place.postal_code is None
    assert item.url is None and item.start is None and item.audience_max_age is None
    messages = [str(issue) for issue in item.issues]
    assert (
        "organiser.business_id: business ID '1234567-8' has a wrong check digit: left out"
        in messages
    )
    assert "url: not a web address ('www.example.fi'): left out" in messages
    assert any(
        m.startswith("place.position.lat: latitude 25.7 is not in Finland") for m in messages
    )
    assert "audience_max_age: the highest age 3 is below the lowest age 6: left out" in messages
    assert any(m.startswith("start: Input should have timezone info") for m in messages)


def test_times_are_in_finnish_time_and_a_valid_business_id_is_kept() -> None:
    item = event(
        start=datetime(2026, 7, 1, 7, 0, tzinfo=UTC),
        organiser={"business_id": "1234567-1"},
    )
    assert item.start is not None and item.start.isoformat() == "2026-07-01T10:00:00+03:00"
    assert item.start.tzinfo == HELSINKI
    assert item.organiser is not None and item.organiser.business_id == "1234567-1"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"names": {"fi": "<p> </p>"}}, "names: no name in Finnish, Swedish or English"),
        ({"kind": "festival"}, "kind: Input should be"),
        ({"id": "no id here"}, "id: String should match"),
    ],
)
def test_an_item_without_a_usable_id_kind_or_name_is_unusable(
    fields: dict[str, Any], message: str
) -> None:
    with pytest.raises(Unusable, match=message):
        build_event({**BASE, "names": {"fi": "Kerho"}, **fields})


def context(**kw: Any) -> ReadContext:
    return ReadContext(
        datetime(2026, 11, 23, tzinfo=HELSINKI),
        datetime(2027, 1, 20, tzinfo=HELSINKI),
        load_municipalities(REPO),
        **kw,
    )


LAHELLA_ITEM: dict[str, Any] = {
    "_key": "a1b2c3",
    "status": "published",
    "group": "7103010551",
    "traits": {
        "type": "support",
        "requiredLocales": ["fi", "sv"],
        "translations": {
            "fi": {"name": "Vauvaperheiden vertaisryhmä", "summary": "Keskustelua vauva-arjesta",
                   "description": "<p dir=\"ltr\">Tervetuloa!</p>", "pricing": "Maksuton"},
            "sv": {"name": "Kamratgrupp för babyfamiljer", "summary": "Samtal om vardagen"},
        },
        "demographic": ["ageGroup/range:0-6", "ageGroup/range:18-29", "gender/female"],
        "pricing": ["free"],
        "region": ["city/FI/Pedersöre", "state/FI/Pohjanmaa"],
        "contacts": [{"id": "c1", "type": "email", "value": "ryhma@yhdistys.example"}],
        "channels": [{
            "id": "ch1", "type": ["place"], "accessibility": ["ac_wheelchair"],
            "translations": {"fi": {"address": {"street": "Kyrkvägen 1", "postalCode": "68820",
                                                "city": "Pedersöre"}}},
            "map": {"center": {"type": "Point", "coordinates": [22.85, 63.62]}, "zoom": 14},
            "registrationRequired": False,
            "events": [{
                "start": int(datetime(2026, 11, 3, 8, 0, tzinfo=UTC).timestamp() * 1000),
                "timeZone": "Europe/Helsinki", "type": "4",
                "recurrence": {
                    "period": "P1W",
                    "end": int(datetime(2027, 6, 1, tzinfo=UTC).timestamp() * 1000),
                    "exclude": [int(datetime(2026, 12, 1, 8, tzinfo=UTC).timestamp() * 1000)],
                    "daySpecificTimes": [{"weekday": 2, "startTime": "10:00", "endTime": "11:30"}],
                },
            }],
        }],
    },
}  # fmt: skip


def test_a_lahella_item_in_its_known_shape_is_read() -> None:
    page = {"items": [LAHELLA_ITEM], "total": 1, "hasMore": False}
    [candidate] = list(lahella.read([page], context(feed="lahella-7103010551")))
    item = build_event({**candidate.fields, "id": "lahella:a1b2c3", "source": "lahella",
                        "source_id": "a1b2c3"})  # fmt: skip
    assert item.names["sv"] == "Kamratgrupp för babyfamiljer"
    assert item.municipalities == ("599",)  # Pedersöre, by name
    assert (item.audience_min_age, item.audience_max_age) == (0, 29)
    assert item.price is not None and item.price.free is True
    assert item.place is not None and item.place.position is not None
    assert item.place.position.lat == 63.62
    assert item.place.accessibility["fi"] == "Paikkaan pääsee pyörätuolilla."
    starts = [o.start.strftime("%a %d.%m. %H:%M") for o in item.occurrences]
    # Tuesdays at 10.00 Finnish time from the build day on; 1 December is excluded.
    assert starts[:3] == ["Tue 24.11. 10:00", "Tue 08.12. 10:00", "Tue 15.12. 10:00"]
    assert (
        item.kind == "recurring"
        and item.url == "https://www.lahella.fi/fi-FI/organisation/7103010551"
    )


# --- inspect -------------------------------------------------------------------------------


def inspect(
    tmp_path: Path, name: str, text: str, capsys: pytest.CaptureFixture[str]
) -> tuple[int, list[dict[str, Any]], str]:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    code = main(["--root", str(REPO), "events", "inspect", str(path), "--today", "2026-11-23"])
    captured = capsys.readouterr()
    return code, [json.loads(line) for line in captured.out.splitlines() if line], captured.err


def test_inspect_prints_one_json_line_per_item_of_a_linked_events_page(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    events = [
        le_event(f"helsinki:x{i}", f"Tapahtuma {i}", "2026-12-01T08:00:00Z") for i in range(3)
    ]
    page = {"meta": {"count": 3, "next": None, "previous": None}, "data": events}
    code, lines, err = inspect(tmp_path, "page.json", json.dumps(page), capsys)
    assert code == 0 and err == ""
    assert [line["id"] for line in lines] == [f"linked-events:helsinki:x{i}" for i in range(3)]
    assert lines[0]["start"] == "2026-12-01T10:00:00+02:00"
    assert lines[0]["municipalities"] == ["091"]
    # A single event as event/<id>/ returns it.
    code, lines, _ = inspect(tmp_path, "one.json", json.dumps(events[0]), capsys)
    assert code == 0 and len(lines) == 1


def test_inspect_reads_an_ics_feed_and_a_lahella_item(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    feed = (REPO / "data" / "events" / "sample" / "ics" / "pohjanmaa.ics").read_text(
        encoding="utf-8"
    )
    code, lines, _ = inspect(tmp_path, "feed.ics", feed, capsys)
    assert code == 0 and len(lines) == 3
    assert lines[0]["names"] == {"sv": "Familjecafé", "fi": "Perhekahvila"}
    code, lines, _ = inspect(tmp_path, "item.json", json.dumps(LAHELLA_ITEM), capsys)
    assert code == 0 and [line["source"] for line in lines] == ["lahella"]


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("x.json", '{"meta": {"count": 1}, "dat', "neither JSON nor an iCalendar feed"),
        ("x.json", '{"results": []}', "JSON, but not a Linked Events page"),
        ("x.html", "<!doctype html><p>Huoltokatko", "neither JSON nor an iCalendar feed"),
    ],
)
def test_inspect_refuses_what_is_not_an_answer_in_words_and_exit_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, text: str, message: str
) -> None:
    code, lines, err = inspect(tmp_path, name, text, capsys)
    assert code == 1 and lines == []
    assert message in " ".join(err.split()) and "Traceback" not in err


def test_inspect_of_a_missing_file_says_so(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--root", str(REPO), "events", "inspect", "/nonexistent/page.json"]) == 1
    assert "cannot read the file" in capsys.readouterr().err


def test_inspect_exits_1_when_an_item_is_lost(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page = {"meta": {"count": 2, "next": None}, "data": [
        le_event("helsinki:ok", "Hyvä", "2026-12-01T08:00:00Z"),
        {"id": "helsinki:bad", "name": {"fi": ""}, "start_time": "2026-12-01T08:00:00Z"},
    ]}  # fmt: skip
    code, lines, err = inspect(tmp_path, "page.json", json.dumps(page), capsys)
    assert code == 1 and [line["id"] for line in lines] == ["linked-events:helsinki:ok"]
    assert "helsinki:bad" in err and "skipped" in err
