"""The committed sample of activities and events: what the generator makes, one for every
county, never stale, labelled as sample."""

from __future__ import annotations

import filecmp
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from pipeline.sources.events.snapshot import load_events
from tests.helpers import REPO

SNAPSHOTS = REPO / "snapshots" / "events"
COUNTIES = sorted(p.stem for p in (REPO / "regions").glob("*.yml"))


def test_the_committed_sample_is_what_the_generator_makes(tmp_path: Path) -> None:
    out = tmp_path / "events"
    subprocess.run(
        [sys.executable, str(REPO / "scripts" / "generate_events_sample.py"), "--out", str(out)],
        check=True,
        capture_output=True,
    )
    ident = (SNAPSHOTS / "CURRENT").read_text(encoding="utf-8").strip()
    assert (out / "CURRENT").read_text(encoding="utf-8").strip() == ident
    names = sorted(p.name for p in (SNAPSHOTS / ident / "responses").iterdir())
    assert names == sorted(p.name for p in (out / ident / "responses").iterdir())
    _, mismatch, errors = filecmp.cmpfiles(
        SNAPSHOTS / ident, out / ident, ["manifest.json", *(f"responses/{n}" for n in names)],
        shallow=False,
    )  # fmt: skip
    assert mismatch == [] and errors == []


@pytest.mark.parametrize("today", [date(2026, 12, 7), date(2029, 6, 15)], ids=str)
def test_every_county_has_sample_activities_on_any_build_date(today: date) -> None:
    for slug in COUNTIES:
        dataset = load_events(REPO, slug, today)
        assert len(dataset.items) >= 2, slug
        assert dataset.sample and all(e.sample for e in dataset.items.values())
        assert all(c.sample for e in dataset.items.values() for c in e.contacts)
        assert not [p for p in dataset.problems if "skipped" in p.message], slug
        for event in dataset.upcoming():
            assert event.start is not None and event.start.date() >= today


def test_sample_dates_move_by_whole_weeks_and_keep_weekday_and_local_time() -> None:
    # A build date before the change to summer time (28 March 2027).
    dataset = load_events(REPO, "kainuu", date(2027, 3, 16))
    cafe = next(e for e in dataset.items.values() if e.names.get("fi") == "Perhekahvila")
    times = {(o.start.strftime("%a %H:%M"), o.start.utcoffset()) for o in cafe.occurrences}
    assert {t for t, _ in times} == {"Tue 09:30"}
    assert {offset.total_seconds() for _, offset in times} == {7200, 10800}  # both sides


def test_the_sample_shows_one_family_cafe_in_kajaani_from_two_sources() -> None:
    dataset = load_events(REPO, "kainuu", date(2026, 12, 7))
    cafes = [e for e in dataset.items.values() if e.names.get("fi") == "Perhekahvila"]
    assert len(cafes) == 1 and cafes[0].occurrences and len(cafes[0].merged) == 1
    assert [m.dropped for m in dataset.merges] == list(cafes[0].merged)


def test_past_and_cancelled_sample_events_in_helsinki() -> None:
    dataset = load_events(REPO, "helsinki", date(2026, 12, 7))
    names = {e.names["fi"]: e for e in dataset.items.values()}
    assert "Satuhetki (mennyt)" not in names
    assert names["Isä–lapsi-iltapäivä"].status == "cancelled"
    songs = names["Vauvojen laulu- ja loruhetki"]
    assert (
        songs.kind == "recurring" and [o.status for o in songs.occurrences].count("cancelled") == 1
    )
    online = names["Vauvan uni – verkkoluento vanhemmille"]
    assert online.mode == "online" and online.registration is not None
