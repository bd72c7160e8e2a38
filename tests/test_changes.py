"""The change report: what is compared, how, and what county staff read (pure parts and the
HTML); the nightly runs that write it are in ``test_nightly.py``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from pipeline.problems import Problems
from pipeline.quality import changes
from pipeline.sources.ptv.normalise import read_item
from pipeline.sources.ptv.snapshot import Dataset
from tests import ptv_objects as o
from tests.helpers import REPO, Page

THEME = REPO / "themes" / "perhekeskus"


@pytest.fixture(scope="module")
def wording() -> changes.Wording:
    return changes.Wording.load(THEME / "reports" / changes.WORDING)


def dataset(*raws: dict[str, Any], channels: tuple[dict[str, Any], ...] = ()) -> Dataset:
    problems = Problems()
    services = [read_item(raw, "service", problems) for raw in raws]
    read = [read_item(raw, "channel", problems) for raw in channels]
    return Dataset(services={s.id: s for s in services}, channels={c.id: c for c in read})


def state(**parts: Any) -> dict[str, Any]:
    """A state as a run records it, empty but for ``parts``."""
    base: dict[str, Any] = {
        "format": changes.FORMAT,
        "area": "kainuu",
        "name": "Kainuun hyvinvointialue",
        "run": "2026-12-06T00:10:00+00:00",
        "snapshots": {"ptv": {"id": "a", "fetched_at": None}, "events": {"id": None}},
        "services": {},
        "events": {},
        "events_window": {"today": "2026-12-06", "horizon": "2027-02-04T00:00:00+02:00"},
        "articles": {},
        "findings": [],
        "pages": {},
    }
    return base | parts


def test_the_theme_wording_covers_every_field_of_the_models(wording: changes.Wording) -> None:
    assert "nimi" in wording.services and wording.channel_label == "asiointikanava {name}"


def test_a_field_neither_compared_nor_ignored_stops_the_report(tmp_path: Path) -> None:
    text = (THEME / "reports" / changes.WORDING).read_text(encoding="utf-8")
    path = tmp_path / changes.WORDING
    path.write_text(text.replace("    maksullisuus: [charge]\n", ""), encoding="utf-8")
    with pytest.raises(changes.ChangesError) as caught:
        changes.Wording.load(path)
    assert str(caught.value) == (
        f"{path}: the service field 'charge' is neither compared nor ignored; add it to one of them"
    )


def test_a_changed_name_and_a_changed_channel_are_named(wording: changes.Wording) -> None:
    place = o.location("c1", fi="Neuvola Keskusta")
    raw = o.service("s1", fi="Neuvola", channels=("c1",))
    before = changes.service_entry(
        dataset(raw, channels=(place,)).services[o.guid("s1")],
        dataset(raw, channels=(place,)),
        wording,
    )
    renamed = o.service("s1", fi="Äitiysneuvola", channels=("c1",))
    moved = o.location("c1", fi="Neuvola Keskusta", street="Uusikatu")
    data = dataset(renamed, channels=(moved,))
    after = changes.service_entry(data.services[o.guid("s1")], data, wording)
    assert changes.changed_service_fields(before, after) == [
        "nimi",
        "asiointikanava Neuvola Keskusta",
    ]
    assert changes.changed_service_fields(before, before) == []


def test_only_ptv_modification_time_is_no_change(wording: changes.Wording) -> None:
    first = dataset(o.service("s1", fi="Neuvola", modified="2026-10-01T08:00:00"))
    again = dataset(o.service("s1", fi="Neuvola", modified="2026-12-01T08:00:00"))
    old = changes.service_entry(first.services[o.guid("s1")], first, wording)
    new = changes.service_entry(again.services[o.guid("s1")], again, wording)
    assert changes.changed_service_fields(old, new) == []


def test_services_added_removed_changed_and_the_articles_they_move(
    wording: changes.Wording,
) -> None:
    entry = {"name": "Neuvola", "fields": {"nimi": "1", "kuvaus": "1"}, "channels": {}}
    old = state(
        services={"s1": entry, "s2": dict(entry, name="Perheneuvola")},
        articles={"neuvola": {"title": "Neuvola", "services": ["s1", "s2"], "events": []}},
    )
    new = state(
        run="2026-12-07T00:10:00+00:00",
        services={
            "s1": dict(entry, fields={"nimi": "1", "kuvaus": "2"}),
            "s3": dict(entry, name="Kotipalvelu"),
        },
        articles={"neuvola": {"title": "Neuvola", "services": ["s1", "s3"], "events": []}},
    )
    report = changes.compare(old, new, [], wording)
    assert report["services"] == {
        "added": [{"id": "s3", "name": "Kotipalvelu"}],
        "removed": [{"id": "s2", "name": "Perheneuvola"}],
        "changed": [{"id": "s1", "name": "Neuvola", "fields": ["kuvaus"]}],
    }
    assert report["articles"] == [
        {
            "id": "neuvola",
            "title": "Neuvola",
            "services_added": [{"id": "s3", "name": "Kotipalvelu"}],
            "services_removed": [{"id": "s2", "name": "Perheneuvola"}],
            "events_added": [],
            "events_removed": [],
        }
    ]
    assert report["nothing_changed"] is False
    assert changes.compare(old, old, [], wording)["nothing_changed"] is True


def test_event_dates_count_only_within_the_days_both_runs_show(wording: changes.Wording) -> None:
    def item(*dates: str, end: str | None = None) -> dict[str, Any]:
        return {
            "name": "Perhekahvila",
            "source": "ics",
            "start": dates[0] if dates else None,
            "end": end or (dates[-1] if dates else None),
            "dates": list(dates),
            "fields": {"nimi": "1"},
        }

    old = state(
        events={
            "ics:a": item("2026-12-06T10:00:00+02:00", "2026-12-13T10:00:00+02:00"),
            "ics:gone": item("2026-12-06T12:00:00+02:00"),
            "ics:cancelled": item("2026-12-20T12:00:00+02:00"),
        }
    )
    # A day later: the past date is gone and a new one came in after the old horizon.
    new = state(
        run="2026-12-07T00:10:00+00:00",
        events={"ics:a": item("2026-12-13T10:00:00+02:00", "2027-02-05T10:00:00+02:00")},
        events_window={"today": "2026-12-07", "horizon": "2027-02-05T00:00:00+02:00"},
    )
    report = changes.compare(old, new, [], wording)["events"]
    assert report["changed"] == []
    assert report["removed"] == [
        {"id": "ics:cancelled", "name": "Perhekahvila", "ended": False},
        {"id": "ics:gone", "name": "Perhekahvila", "ended": True},
    ]
    moved = state(
        run="2026-12-07T00:10:00+00:00",
        events={"ics:a": item("2026-12-14T10:00:00+02:00")},
        events_window={"today": "2026-12-07", "horizon": "2027-02-05T00:00:00+02:00"},
    )
    changed = changes.compare(old, moved, [], wording)["events"]["changed"]
    assert changed == [{"id": "ics:a", "name": "Perhekahvila", "fields": ["ajankohdat"]}]


def test_the_first_run_lists_nothing_as_changed(wording: changes.Wording) -> None:
    new = state(services={"s1": {"name": "Neuvola", "fields": {}, "channels": {}}})
    report = changes.compare(None, new, [], wording)
    assert report["previous_run"] is None and report["nothing_changed"] is None
    assert report["services"]["added"] == []


def test_findings_new_ones_first_then_the_latest_edited() -> None:
    old = [{"service": "s1", "kind": "no-hours", "modified": "2026-11-01T00:00:00"}]
    new = [
        {"service": "s1", "kind": "no-hours", "modified": "2026-11-01T00:00:00"},
        {"service": "s2", "kind": "stale", "modified": "2025-01-01T00:00:00"},
        {"service": "s3", "kind": "no-hours", "modified": "2026-12-01T00:00:00"},
        {"service": "s4", "kind": "missing-summary", "modified": "2026-11-20T00:00:00"},
    ]
    ordered = changes.ordered_findings(new, old)
    assert [(f["service"], f["new"]) for f in ordered] == [
        ("s3", True),
        ("s4", True),
        ("s2", True),
        ("s1", False),
    ]


def test_refused_snapshots_with_their_reasons_newest_first(tmp_path: Path) -> None:
    for ident, reasons in [
        ("20261201T020000Z", "PTV area 20 Kainuu: 212 services, 0 in the new one: refused\n"),
        ("20261203T020000Z", "too many unreadable items\n"),
    ]:
        folder = tmp_path / f"{ident}.refused"
        folder.mkdir()
        (folder / "REFUSED.txt").write_text(reasons, encoding="utf-8")
    (tmp_path / "20261204T020000Z.refused").mkdir()
    (tmp_path / "20261205T020000Z").mkdir()  # a good snapshot: not listed
    found = changes.refused_snapshots(tmp_path, "ptv")
    assert [(r["id"], r["time"][:10]) for r in found] == [
        ("20261204T020000Z", "2026-12-04"),
        ("20261203T020000Z", "2026-12-03"),
        ("20261201T020000Z", "2026-12-01"),
    ]
    assert found[0]["reasons"][0].startswith("the reasons cannot be read")
    assert found[2]["reasons"] == ["PTV area 20 Kainuu: 212 services, 0 in the new one: refused"]
    old = state(run="2026-12-02T00:10:00+00:00")
    report = changes.compare(
        old, state(), found, changes.Wording.load(THEME / "reports" / changes.WORDING)
    )
    assert [r["new"] for r in report["refused"]] == [True, True, False]


def test_a_state_that_cannot_be_read_is_said_so(tmp_path: Path) -> None:
    path = tmp_path / changes.STATE
    assert changes.read_state(path) is None
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(changes.ChangesError, match=r"state\.json: cannot be read"):
        changes.read_state(path)
    changes.write_state(path, state())
    assert changes.read_state(path) == state()


def test_the_html_report_in_finnish_escapes_ptv_text(
    tmp_path: Path, wording: changes.Wording
) -> None:
    entry = {"name": "<script>alert(1)</script>", "fields": {"nimi": "1"}, "channels": {}}
    old = state(services={"s1": entry})
    new = state(services={"s1": dict(entry, fields={"nimi": "2"})})
    html_path = changes.write_change_report(changes.compare(old, new, [], wording), tmp_path, THEME)
    html = html_path.read_text(encoding="utf-8")
    page = Page(html)
    assert page.find("html").attrs["lang"] == "fi"
    assert "<script>alert" not in html and "&lt;script&gt;" in html
    assert json.loads((tmp_path / "changes.json").read_text())["services"]["changed"][0][
        "fields"
    ] == ["nimi"]
    unchanged = changes.write_change_report(changes.compare(old, old, [], wording), tmp_path, THEME)
    assert "mikään ei muuttunut" in unchanged.read_text(encoding="utf-8")
