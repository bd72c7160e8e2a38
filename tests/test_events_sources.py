"""Event sources against the local stand-in (tests/fake_events.py): paging, incremental runs,
deleted and malformed items, ICS feeds across the daylight saving change and with a bad line,
duplicates with PTV, past events, and sources that fail while the last good snapshot stays."""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from pipeline.cli import main
from pipeline.sources.events.snapshot import EventsDataset, load_events
from pipeline.sources.ptv.normalise import read_item
from pipeline.sources.ptv.snapshot import Dataset, Origin
from tests import ptv_objects as o
from tests.fake_events import LE_URL, FakeEvents, le_event
from tests.helpers import make_project

TODAY = date(2026, 3, 20)
ICS_URL = "https://kalenteri.kainuu.example/perhekeskus.ics"

EVENTS_SETTINGS = f"""\
  events:
    snapshots: snapshots/events
    horizon_days: 60
    limits: {{read_timeout: 2, connect_timeout: 1, retries: 0, deadline_minutes: 0.5}}
    linked_events:
      helsinki: {{url: "{LE_URL}", page_size: 100}}
"""
KAINUU_EVENTS = f"""\
events:
  ics:
    - {{id: perhekeskus, url: "{ICS_URL}", municipality: "205"}}
"""
ITA_UUSIMAA_EVENTS = """\
events:
  linked_events:
    - {instance: helsinki, divisions: [porvoo]}
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = make_project(tmp_path)
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    start = text.index("  events:\n")
    end = text.index("\n  # The accessibility statement", start) + 1
    config.write_text(text[:start] + EVENTS_SETTINGS + text[end:], encoding="utf-8")
    for slug, extra in (("kainuu", KAINUU_EVENTS), ("ita-uusimaa", ITA_UUSIMAA_EVENTS)):
        path = root / "regions" / f"{slug}.yml"
        path.write_text(path.read_text(encoding="utf-8") + extra, encoding="utf-8")
    return root


def ics(*events: str) -> str:
    body = "\n".join(events)
    return (
        f"BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//Kainuu//Perhekeskus//FI\n{body}\nEND:VCALENDAR\n"
    )


def vevent(uid: str, summary: str, start: str, *lines: str) -> str:
    rows = [
        "BEGIN:VEVENT",
        f"UID:{uid}",
        f"DTSTART;TZID=Europe/Helsinki:{start}",
        f"SUMMARY:{summary}",
        "LOCATION:Seurakuntakeskus, Kirkkokatu 3, 87100 Kajaani",
        *lines,
        "END:VEVENT",
    ]
    return "\n".join(rows)


WEEKLY = vevent(
    "perhekahvila@kainuu.example",
    "Perhekahvila",
    "20260317T100000",
    "DTEND;TZID=Europe/Helsinki:20260317T113000",
    "RRULE:FREQ=WEEKLY;BYDAY=TU;COUNT=6",
    "EXDATE;TZID=Europe/Helsinki:20260414T100000",
    "ORGANIZER;CN=Kajaanin seurakunta:mailto:perhetyo@seurakunta.example",
)
ONE_OFF = vevent(
    "satutunti@kainuu.example",
    "Satutunti",
    "20260402T170000",
    "DTEND;TZID=Europe/Helsinki:20260402T180000",
)


def fake(**kw: Any) -> FakeEvents:
    events = [
        le_event(f"helsinki:e{i}", f"Lasten tapahtuma {i}", "2026-04-01T07:00:00Z",
                 "2026-04-01T09:00:00Z", municipality="porvoo")
        for i in range(205)
    ]  # fmt: skip
    return FakeEvents(events=events, feeds={"/perhekeskus.ics": ics(WEEKLY, ONE_OFF)}, **kw)


def fetch(root: Path, stand_in: FakeEvents, monkeypatch: pytest.MonkeyPatch, *args: str) -> int:
    with stand_in.serve() as url:
        monkeypatch.setenv("PERHEKESKUS_EVENTS_URL", url)
        return main(["--root", str(root), "fetch", "events", "--all", "--today", str(TODAY), *args])


def load(root: Path, slug: str, today: date = TODAY, **kw: Any) -> EventsDataset:
    return load_events(root, slug, today, **kw)


def current(root: Path) -> str:
    return (root / "snapshots" / "events" / "CURRENT").read_text(encoding="utf-8")


# --- Linked Events ------------------------------------------------------------------------


def test_linked_events_pages_are_followed_to_the_last(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    stand_in = fake()
    assert fetch(project, stand_in, monkeypatch, "--full") == 0
    asked = [line for line in stand_in.log if line.startswith("/linkedevents/")]
    assert len(asked) == 3  # 205 events, 100 a page
    first = asked[0]
    assert "division=porvoo" in first and "keyword_OR=yso:p4354,yso:p13050,yso:p4363" in first
    assert "include=location,keywords" in first and "start=2026-03-20" in first
    dataset = load(project, "ita-uusimaa")
    assert len(dataset.items) == 205
    event = dataset.items["linked-events:helsinki:e7"]
    assert event.municipalities == ("638",)
    assert event.start is not None and event.start.isoformat() == "2026-04-01T10:00:00+03:00"
    assert "is now current" in capsys.readouterr().out
    # The snapshot records the configured address, not the stand-in's.
    manifest = project / "snapshots" / "events" / current(project).strip() / "manifest.json"
    assert LE_URL in manifest.read_text(encoding="utf-8")
    assert "127.0.0.1" not in manifest.read_text(encoding="utf-8")


def test_an_incremental_run_asks_for_changes_and_removes_deleted_events(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stand_in = fake()
    assert fetch(project, stand_in, monkeypatch, "--full") == 0
    stand_in.log.clear()
    later = "2030-01-01T00:00:00Z"  # after the first fetch started, whenever the test runs
    stand_in.events[3] = {**stand_in.events[3], "deleted": True, "last_modified_time": later}
    stand_in.events[4] = {
        **stand_in.events[4], "name": {"fi": "Muuttunut nimi"}, "last_modified_time": later
    }  # fmt: skip
    assert fetch(project, stand_in, monkeypatch) == 0
    asked = [line for line in stand_in.log if line.startswith("/linkedevents/")]
    assert len(asked) == 1
    assert "last_modified_since=" in asked[0] and "show_deleted=true" in asked[0]
    dataset = load(project, "ita-uusimaa")
    assert "linked-events:helsinki:e3" not in dataset.items
    assert dataset.items["linked-events:helsinki:e4"].names == {"fi": "Muuttunut nimi"}
    assert len(dataset.items) == 204


def test_sub_events_of_a_recurring_event_are_one_item_with_their_dates(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    parent = {"@id": f"{LE_URL}event/helsinki:sarja/"}
    series = le_event(
        "helsinki:sarja", "Vauvakerho", "2026-03-24T08:00:00Z", "2026-04-07T07:00:00Z",
        municipality="porvoo", super_event_type="recurring",
        sub_events=[{"@id": f"{LE_URL}event/helsinki:s{i}/"} for i in range(3)],
    )  # fmt: skip
    starts = ["2026-03-24T08:00:00Z", "2026-03-31T07:00:00Z", "2026-04-07T07:00:00Z"]
    dates = [
        le_event(f"helsinki:s{i}", "Vauvakerho", start, None, municipality="porvoo",
                 super_event=parent,
                 event_status="EventCancelled" if i == 2 else "EventScheduled")
        for i, start in enumerate(starts)
    ]  # fmt: skip
    stand_in = fake()
    stand_in.events = [series, *dates]
    assert fetch(project, stand_in, monkeypatch, "--full") == 0
    dataset = load(project, "ita-uusimaa")
    assert list(dataset.items) == ["linked-events:helsinki:sarja"]
    item = dataset.items["linked-events:helsinki:sarja"]
    assert item.kind == "recurring"
    # 10.00 Finnish time on both sides of the change to summer time on 29 March.
    assert [o.start.strftime("%d.%m. %H:%M") for o in item.occurrences] == [
        "24.03. 10:00", "31.03. 10:00", "07.04. 10:00"
    ]  # fmt: skip
    assert [o.status for o in item.occurrences] == ["scheduled", "scheduled", "cancelled"]


def test_a_malformed_event_loses_its_bad_values_and_never_stops_the_others(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stand_in = fake()
    bad = stand_in.events[0]
    bad["location"]["position"] = {"type": "Point", "coordinates": [60.17, 24.94]}  # swapped
    bad["info_url"] = {"fi": "javascript:alert(1)"}
    bad["description"] = {"fi": '<p onclick="x()">Hei<script>alert(1)</script></p>'}
    stand_in.events[1] = {
        "id": "helsinki:noname",
        "name": None,
        "start_time": "2026-04-01T07:00:00Z",
    }
    stand_in.events[2]["start_time"] = "ensi tiistaina"
    assert fetch(project, stand_in, monkeypatch, "--full") == 0
    dataset = load(project, "ita-uusimaa")
    assert len(dataset.items) == 203  # the nameless one and the one without a time are out
    event = dataset.items["linked-events:helsinki:e0"]
    assert event.place is not None and event.place.position is None
    assert event.url is None
    assert event.descriptions == {"fi": "<p>Hei</p>"}
    messages = [str(p) for p in dataset.problems]
    assert any("helsinki:e0" in m and "place.position.lat" in m for m in messages)
    assert any("helsinki:e0" in m and "url: not a web address" in m for m in messages)
    assert any("helsinki:noname" in m and "skipped" in m for m in messages)
    assert any(
        "helsinki:e2" in m and "skipped: start_time is not a time ('ensi tiistaina')" in m
        for m in messages
    )


def test_past_events_are_dropped_and_recurring_ones_keep_only_their_coming_dates(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert fetch(project, fake(), monkeypatch, "--full") == 0
    dataset = load(project, "kainuu", date(2026, 4, 3))
    names = {e.names["fi"] for e in dataset.items.values()}
    assert names == {"Perhekahvila"}  # Satutunti was on 2 April
    weekly = next(iter(dataset.items.values()))
    assert [o.start.date().isoformat() for o in weekly.occurrences] == [
        "2026-04-07", "2026-04-21"
    ]  # fmt: skip
    assert load(project, "ita-uusimaa", date(2026, 4, 2)).items == {}


# --- ICS ----------------------------------------------------------------------------------


def test_a_weekly_ics_event_keeps_its_local_time_across_the_daylight_saving_change(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert fetch(project, fake(), monkeypatch, "--full") == 0
    dataset = load(project, "kainuu")
    item = dataset.items["ics:perhekeskus:perhekahvila@kainuu.example"]
    assert item.kind == "recurring" and item.recurrence is not None
    assert item.recurrence.rule == "FREQ=WEEKLY;COUNT=6;BYDAY=TU"
    starts = [o.start.isoformat() for o in item.occurrences]
    # Summer time starts on Sunday 29 March 2026: +02:00 before, +03:00 after, 10.00 always.
    # 14 April is an EXDATE.
    assert starts == [
        "2026-03-24T10:00:00+02:00",
        "2026-03-31T10:00:00+03:00",
        "2026-04-07T10:00:00+03:00",
        "2026-04-21T10:00:00+03:00",
    ]
    assert item.occurrences[0].end is not None
    assert item.occurrences[0].end.strftime("%H:%M") == "11:30"
    assert item.municipalities == ("205",) and item.place is not None
    assert item.place.street == {"fi": "Kirkkokatu 3"} and item.place.postal_code == "87100"


def test_an_ics_feed_with_a_bad_line_loses_that_event_and_names_it(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = vevent("rikki@kainuu.example", "Rikki", "2026041T100000")
    stand_in = fake()
    stand_in.feeds["/perhekeskus.ics"] = ics(WEEKLY, broken, ONE_OFF)
    assert fetch(project, stand_in, monkeypatch, "--full") == 0
    dataset = load(project, "kainuu")
    assert {e.names["fi"] for e in dataset.items.values()} == {"Perhekahvila", "Satutunti"}
    problem = next(str(p) for p in dataset.problems if "rikki@kainuu.example" in str(p))
    line = (
        ics(WEEKLY, broken, ONE_OFF)
        .splitlines()
        .index("DTSTART;TZID=Europe/Helsinki:2026041T100000")
        + 1
    )
    assert f"line {line}:" in problem and "left out" in problem


# --- one item once --------------------------------------------------------------------------


def ptv_activity() -> Dataset:
    """The parish's family café in PTV, as Lähellä.fi or the parish itself put it there."""
    service = o.service("kahvila", fi="Perhekahvila, Kajaani", classes=("P4.12",),
                        areas=[o.municipality_area("205")], channels=("kahvila-paikka",),
                        organization="seurakunta")  # fmt: skip
    place = o.location("kahvila-paikka", fi="Seurakuntakeskus", street="Kirkkokatu", number="3")
    organisation = o.organization_object(
        o.guid("seurakunta"), type_="Organization", business_code="1234567-1",
        names=o.localized("Name", fi="Kajaanin seurakunta"), display_languages=["fi"],
        areas=[], modified="2026-10-01T08:00:00",
    )  # fmt: skip
    data = Dataset(snapshot="ptv-test")
    from pipeline.problems import Problems

    problems = Problems()
    for raw, kind in ((service, "service"), (place, "channel"), (organisation, "organization")):
        item = read_item(raw, kind, problems)
        assert item is not None
        data.store(kind)[item.id] = item
        data.origins[item.id] = Origin(data.fetched_at or _now(), False)
    return data


def _now() -> Any:
    from datetime import UTC, datetime

    return datetime(2026, 3, 19, tzinfo=UTC)


def test_the_same_activity_from_ptv_and_a_county_calendar_appears_once(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert fetch(project, fake(), monkeypatch, "--full") == 0
    dataset = load(project, "kainuu", ptv=ptv_activity())
    cafes = [e for e in dataset.items.values() if "Perhekahvila" in e.names["fi"]]
    assert len(cafes) == 1
    cafe = cafes[0]
    ics_id, ptv_id = "ics:perhekeskus:perhekahvila@kainuu.example", f"ptv:{o.guid('kahvila')}"
    # The PTV record has more details (a description, a position, a phone) and wins; it
    # keeps the calendar's dates.
    assert cafe.id == ptv_id and cafe.merged == (ics_id,)
    assert cafe.kind == "recurring" and len(cafe.occurrences) == 4
    assert cafe.place is not None and cafe.place.position is not None
    assert [(m.kept, m.dropped) for m in dataset.merges] == [(ptv_id, ics_id)]
    assert "same organiser (name 'kajaanin seurakunta'), name and place" in dataset.merges[0].reason
    # Without the calendar, the PTV record is shown.
    alone = load(project, "kainuu", ptv=ptv_activity(), today=date(2026, 6, 1))
    assert [e.id for e in alone.items.values()] == [ptv_id]
    assert alone.items[ptv_id].kind == "long-term"
    assert alone.items[ptv_id].organiser.business_id == "1234567-1"  # type: ignore[union-attr]


# --- failures keep the last good snapshot ---------------------------------------------------


@pytest.mark.parametrize(
    "fault",
    [
        {"status_for": {"/linkedevents/": 404}},
        {"status_for": {"/linkedevents/": 500}},
        {"html_for": "/linkedevents/"},
        {"garbage_for": "/linkedevents/"},
        {"status_for": {"/perhekeskus.ics": 404}},
        {"html_for": "/perhekeskus.ics"},
    ],
    ids=["le-404", "le-500", "le-html", "le-garbage", "ics-404", "ics-html"],
)
def test_a_failing_source_is_a_failure_and_the_last_good_snapshot_stays(
    project: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    fault: dict[str, Any],
) -> None:
    assert fetch(project, fake(), monkeypatch, "--full") == 0
    before = current(project)
    capsys.readouterr()
    assert fetch(project, fake(**fault), monkeypatch, "--full") == 1
    err = capsys.readouterr().err
    assert "Events fetch failed" in err and "stays in use" in err and "Traceback" not in err
    assert current(project) == before
    assert len(load(project, "ita-uusimaa").items) == 205
    assert len(load(project, "kainuu").items) == 2
    assert not list((project / "snapshots" / "events").glob("*.partial"))


def test_an_unreachable_source_leaves_the_last_good_snapshot_in_use(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert fetch(project, fake(), monkeypatch, "--full") == 0
    before = current(project)
    capsys.readouterr()
    monkeypatch.setenv("PERHEKESKUS_EVENTS_URL", "http://127.0.0.1:9")  # nothing listens
    started = time.monotonic()
    assert main(["--root", str(project), "fetch", "events", "--all", "--full"]) == 1
    assert time.monotonic() - started < 30
    err = " ".join(capsys.readouterr().err.split())
    assert "could not connect" in err and "stays in use" in err
    assert current(project) == before
    assert len(load(project, "ita-uusimaa").items) == 205


def test_a_feed_that_lost_most_of_its_events_is_refused(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert fetch(project, fake(), monkeypatch, "--full") == 0
    before = current(project)
    capsys.readouterr()
    thin = fake()
    thin.events = thin.events[:20]
    assert fetch(project, thin, monkeypatch, "--full") == 1
    err = " ".join(capsys.readouterr().err.split())
    assert "events of ita-uusimaa (helsinki): 205 events in the current snapshot, 20" in err
    assert current(project) == before


def test_lahella_is_not_asked_unless_turned_on(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = project / "regions" / "kainuu.yml"
    path.write_text(
        path.read_text(encoding="utf-8") + "  lahella: {groups: ['7103010551']}\n",
        encoding="utf-8",
    )
    stand_in = fake()
    assert fetch(project, stand_in, monkeypatch, "--full") == 0
    assert not any("activities" in line for line in stand_in.log)


def lahella_on(project: Path) -> None:
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(
        text.replace(
            "    linked_events:\n", "    lahella: {enabled: true}\n    linked_events:\n", 1
        ),
        encoding="utf-8",
    )
    path = project / "regions" / "kainuu.yml"
    path.write_text(
        path.read_text(encoding="utf-8") + "  lahella: {groups: ['7103010551']}\n",
        encoding="utf-8",
    )


def test_lahella_when_turned_on_is_read_and_a_login_wall_is_a_failure(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.test_events_model import LAHELLA_ITEM

    lahella_on(project)
    item = {**LAHELLA_ITEM, "traits": {**LAHELLA_ITEM["traits"], "region": ["city/FI/Kajaani"]}}
    item["traits"]["channels"] = []  # a long-term activity without dates
    stand_in = fake(lahella=[item])
    assert fetch(project, stand_in, monkeypatch, "--full") == 0
    assert any(line.startswith("/v1/activities?groups%5B0%5D=7103010551") for line in stand_in.log)
    dataset = load(project, "kainuu")
    activity = dataset.items["lahella:a1b2c3"]
    assert activity.kind == "long-term" and activity.municipalities == ("205",)
    capsys.readouterr()
    assert (
        fetch(project, fake(lahella=[item], status_for={"/v1/activities": 401}), monkeypatch) == 1
    )
    err = " ".join(capsys.readouterr().err.split())
    assert "reading needs an agreement and access from the Lähellä.fi network" in err


def test_counties_without_event_sources_have_nothing_to_fetch(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_project(tmp_path)  # its counties name no events source
    assert main(["--root", str(root), "fetch", "events", "--all"]) == 0
    assert "Nothing to fetch" in capsys.readouterr().out
    assert not (root / "snapshots" / "events").exists()
