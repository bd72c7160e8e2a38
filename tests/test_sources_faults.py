"""A county's worst nights, against the local PTV stand-in: every fault keeps the last good
snapshot, ends the fetch with exit status 1 and a reason in words, in bounded time, with no
traceback; a fault in one service's values never stops the others."""

from __future__ import annotations

import fcntl
import json
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from pipeline.cli import main
from pipeline.sources.base import Budget, FetchError, FetchLimits
from pipeline.sources.policy import Census, SanityPolicy, refusals
from pipeline.sources.ptv import snapshot
from pipeline.sources.ptv.fetch import Fetcher, run_parallel
from pipeline.sources.ptv.source import V11Source
from pipeline.sources.store import Store, StoreLocked
from tests import ptv_objects as o
from tests.fake_ptv import FakePtv
from tests.helpers import make_project, read_page

KAJAANI, PORVOO = "205", "638"


def services(kajaani: int = 20, porvoo: int = 10, nationwide: int = 3) -> list[dict[str, Any]]:
    """Services of the two fixture counties, each with a phone channel, and nationwide ones."""
    made = [
        o.service(f"k{i}", fi=f"Kajaanin palvelu {i}", areas=[o.municipality_area(KAJAANI)],
                  channels=(f"kc{i}",))
        for i in range(kajaani)
    ]  # fmt: skip
    made += [
        o.service(f"p{i}", fi=f"Porvoon palvelu {i}", areas=[o.municipality_area(PORVOO)])
        for i in range(porvoo)
    ]
    made += [o.service(f"n{i}", fi=f"Valtakunnallinen {i}", nationwide=True)
             for i in range(nationwide)]  # fmt: skip
    return made


def channels(kajaani: int = 20) -> list[dict[str, Any]]:
    return [o.location(f"kc{i}", fi=f"Toimipiste {i}") for i in range(kajaani)]


def good_fake(**faults: Any) -> FakePtv:
    return FakePtv(services=services(), channels=channels(), **faults)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "project").mkdir()
    root = make_project(tmp_path / "project")
    # Small limits, so that every fault ends within seconds.
    limits = (
        "    limits: {read_timeout: 1, connect_timeout: 1, retries: 1, deadline_minutes: 0.25,"
        " retry_after_cap: 2, max_pages: 50}\n"
    )
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(
        text.replace("    snapshots: snapshots/ptv\n", "    snapshots: snapshots/ptv\n" + limits),
        encoding="utf-8",
    )
    return root


def fetch(
    root: Path,
    fake: FakePtv,
    monkeypatch: pytest.MonkeyPatch,
    *args: str,
) -> int:
    with fake.serve() as url:
        monkeypatch.setenv("PERHEKESKUS_PTV_URL", url)
        return main(["--root", str(root), "fetch", "ptv", "--all", "--full", *args])


def current(root: Path) -> str:
    return (root / "snapshots" / "ptv" / "CURRENT").read_text(encoding="utf-8")


@pytest.fixture
def fetched(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Iterator[Path]:
    """A project whose current snapshot is a good full fetch of 33 services."""
    assert fetch(project, good_fake(), monkeypatch) == 0
    capsys.readouterr()
    yield project


def refused(
    root: Path,
    fake: FakePtv,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    *args: str,
) -> str:
    """Run a fetch that must fail; check CURRENT is untouched; return what it said."""
    before = current(root)
    start = time.monotonic()
    assert fetch(root, fake, monkeypatch, *args) == 1
    assert time.monotonic() - start < 30
    assert current(root) == before
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert "stays in use" in err
    dataset = snapshot.load_current(root / "snapshots" / "ptv")
    assert dataset is not None and len(dataset.services) == 33
    assert not list((root / "snapshots" / "ptv").glob("*.partial"))
    return " ".join(err.split())


# --- answers that must never become "empty" -------------------------------------------------


def test_schema_drift_on_every_item_is_refused(
    fetched: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    fake = good_fake(mutate=lambda item: {"Id": item["id"], "serviceName": "renamed fields"})
    said = refused(fetched, fake, monkeypatch, capsys)
    assert "PTV area 20 Kainuun hyvinvointialue: 20 services in the current snapshot, 0" in said
    assert "could not be read" in said and "has the API changed?" in said
    assert list((fetched / "snapshots" / "ptv").glob("*.refused"))


def test_404_on_a_channel_list_is_an_error_not_no_channels(
    fetched: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    fake = good_fake(fail_sequence={"/api/v11/ServiceChannel/list": [404] * 5})
    said = refused(fetched, fake, monkeypatch, capsys)
    assert "PTV fetch failed" in said and "HTTP 404" in said and "ServiceChannel/list" in said


def test_channels_missing_from_the_detail_answers_are_refused(
    fetched: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    fake = good_fake(drop_ids={o.guid(f"kc{i}") for i in range(20)})
    said = refused(fetched, fake, monkeypatch, capsys)
    assert "20 of 20 ids named by the listings are missing from the detail answers" in said


def test_html_instead_of_json_is_an_error(
    fetched: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    fake = good_fake(html_for="/api/v11/Service/list/area")
    said = refused(fetched, fake, monkeypatch, capsys)
    assert "expected JSON, got an HTML page (HTTP 200)" in said


def test_a_body_cut_off_every_time_is_an_error(
    fetched: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    fake = good_fake(truncate_for="/api/v11/Service/list/area/Municipality/code/205")
    said = refused(fetched, fake, monkeypatch, capsys)
    assert "the connection closed before the answer was complete" in said


def test_a_body_cut_off_once_is_retried(
    fetched: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    fake = good_fake(truncate_for="/api/v11/Service/list/area", truncate_times=1)
    assert fetch(fetched, fake, monkeypatch) == 0


def test_a_utf8_byte_order_mark_is_accepted(
    fetched: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert fetch(fetched, good_fake(bom=True), monkeypatch) == 0
    dataset = snapshot.load_current(fetched / "snapshots" / "ptv")
    assert dataset is not None and len(dataset.services) == 33


def test_a_60_percent_drop_is_refused_and_force_promotes_it(
    fetched: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    fewer = FakePtv(services=services(kajaani=8), channels=channels(8))
    said = refused(fetched, fewer, monkeypatch, capsys)
    assert (
        "PTV area 20 Kainuun hyvinvointialue: 20 services in the current snapshot, 8 in the new "
        "one (a drop of 60 %, more than 40%): refused"
    ) in said
    assert "--force" in said
    assert fetch(fetched, fewer, monkeypatch, "--force") == 0
    assert "promoted with --force" in capsys.readouterr().err
    dataset = snapshot.load_current(fetched / "snapshots" / "ptv")
    assert dataset is not None and len(dataset.services) == 21


def test_an_empty_answer_is_refused(
    fetched: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    said = refused(fetched, FakePtv(), monkeypatch, capsys)
    assert "0 in the new one" in said and "no services at all" in said


# --- bounded time ----------------------------------------------------------------------------


def test_a_hanging_server_is_a_time_out_within_the_deadline(
    fetched: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    fake = good_fake(hang_for="/api/v11/Service/list/area", hang_seconds=5)
    said = refused(fetched, fake, monkeypatch, capsys)
    assert "timed out" in said and "could not connect" not in said


def test_retry_after_of_a_day_stops_the_fetch_at_once(
    fetched: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    fake = good_fake(retry_after={"/api/v11/Service/list/area": 86400})
    start = time.monotonic()
    said = refused(fetched, fake, monkeypatch, capsys)
    assert time.monotonic() - start < 10
    assert "HTTP 429: the server asks to wait 86400 s before trying again" in said
    assert "/api/v11/Service/list/area/Municipality/code/" in said
    assert "more than the 2 s a fetch waits" in said


def test_retry_after_within_the_cap_is_obeyed(
    fetched: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    fake = good_fake(retry_after={"/api/v11/Service/list/area": 1})
    start = time.monotonic()
    said = refused(fetched, fake, monkeypatch, capsys)
    # Waited 1 s once (limits.retries is 1 here), then gave up on the 429s.
    assert 1 <= time.monotonic() - start < 15
    assert "gave up after retries" in said or "HTTP 429" in said


def test_a_huge_page_count_is_refused(
    fetched: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    said = refused(fetched, good_fake(page_count=10_000_000), monkeypatch, capsys)
    assert "pageCount 10000000 is more than the limit of 50 pages" in said


def test_the_first_fatal_error_stops_the_queued_work() -> None:
    budget = Budget(FetchLimits())
    started: list[int] = []

    def job(n: int) -> Callable[[], Iterator[Any]]:
        def run() -> Iterator[Any]:
            budget.check()
            started.append(n)
            if n == 0:
                raise FetchError("server gone", "status")
            time.sleep(0.05)
            yield n

        return run

    with pytest.raises(FetchError, match="server gone"):
        list(run_parallel([job(n) for n in range(50)], 2, budget.cancel))
    time.sleep(0.2)
    assert len(started) < 10
    with pytest.raises(FetchError, match="stopped: server gone"):
        budget.check()


def test_the_deadline_stops_a_wait_that_would_pass_it() -> None:
    clock = [0.0]
    budget = Budget(FetchLimits(deadline_minutes=1), clock=lambda: clock[0])
    with pytest.raises(FetchError, match="would pass the deadline"):
        budget.wait(120, "retry after HTTP 429")
    clock[0] = 61
    with pytest.raises(FetchError, match="did not finish within 1 minutes"):
        budget.check()


def test_read_time_outs_halve_the_id_lists(tmp_path: Path) -> None:
    fake = FakePtv(
        services=services(kajaani=12, porvoo=0, nationwide=0),
        channels=channels(12),
        hang_over_ids=3,
        hang_seconds=3,
    )
    with fake.serve() as url:
        source = V11Source(url, backoff=0, limits=FetchLimits(retries=1, read_timeout=0.5))
        Fetcher(source, tmp_path, workers=1).run([KAJAANI], "full", all_areas=True)
    dataset = snapshot.load_current(tmp_path)
    assert dataset is not None and len(dataset.channels) == 12
    lists = [p for p, _ in fake.log if p.startswith("/api/v11/ServiceChannel/list")]
    assert max(p.count(",") + 1 for p in lists) == 12
    assert min(p.count(",") + 1 for p in lists) <= 3


# --- the store ---------------------------------------------------------------------------------


def test_a_corrupt_current_falls_back_to_the_newest_good_snapshot(
    fetched: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = fetched / "snapshots" / "ptv"
    good = current(fetched).strip()
    assert fetch(fetched, good_fake(), monkeypatch) == 0
    newest = current(fetched).strip()
    assert newest != good
    (root / newest / "manifest.json").write_text("{not json", encoding="utf-8")
    dataset = snapshot.load_current(root)
    assert dataset is not None and dataset.snapshot == good and len(dataset.services) == 33
    assert dataset.fallback and "cannot be used" in dataset.fallback and good in dataset.fallback
    # The build says so, loudly, and builds from the good one.
    assert main(["--root", str(fetched), "check"]) == 0
    assert "using the last good one" in capsys.readouterr().err


def test_an_unreadable_answer_in_current_falls_back_and_none_readable_fails(
    fetched: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = fetched / "snapshots" / "ptv"
    ident = current(fetched).strip()
    first = sorted((root / ident / "responses").iterdir())[0]
    first.write_bytes(b"not gzip at all")
    # The project's first (empty) snapshot is the last good one.
    dataset = snapshot.load_current(root)
    assert dataset is not None and dataset.snapshot != ident and dataset.fallback
    for other in root.iterdir():
        if other.is_dir() and other.name != ident:
            for answer in (other / "responses").iterdir():
                answer.write_bytes(b"broken")
            (other / "manifest.json").write_text("[]", encoding="utf-8")
    # No snapshot reads: the build must not publish sites without services.
    with pytest.raises(snapshot.SnapshotError, match="no earlier snapshot can be read"):
        snapshot.load_current(root)
    assert main(["--root", str(fetched), "check"]) == 1
    assert "no PTV snapshot can be read" in capsys.readouterr().err


def test_a_fetch_in_the_same_second_does_not_overwrite_current(tmp_path: Path) -> None:
    moment = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)
    fake = good_fake()
    with fake.serve() as url:
        for _ in range(2):
            Fetcher(V11Source(url, backoff=0), tmp_path, clock=lambda: moment).run(
                [KAJAANI, PORVOO], "full", all_areas=True
            )
    names = sorted(p.name for p in tmp_path.iterdir() if p.is_dir())
    assert names == ["20261201T020000Z", "20261201T020000Z-2"]
    assert (tmp_path / "CURRENT").read_text().strip() == "20261201T020000Z-2"
    dataset = snapshot.load_current(tmp_path)
    assert dataset is not None and len(dataset.services) == 33


def test_a_clock_that_goes_backwards_never_prunes_current(tmp_path: Path) -> None:
    fake = good_fake()
    start = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)
    with fake.serve() as url:
        for hours in (0, 1, 2, 3, -48):
            moment = start + timedelta(hours=hours)
            Fetcher(V11Source(url, backoff=0), tmp_path, clock=lambda m=moment: m, keep=3).run(
                [KAJAANI, PORVOO], "full", all_areas=True
            )
    current_id = (tmp_path / "CURRENT").read_text().strip()
    assert current_id == "20261129T020000Z"
    kept = sorted(p.name for p in tmp_path.iterdir() if p.is_dir())
    # The current one (recorded as the oldest) and the two newest others.
    assert kept == ["20261129T020000Z", "20261201T040000Z", "20261201T050000Z"]


def test_two_fetches_at_once_do_not_interleave(
    fetched: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = fetched / "snapshots" / "ptv"
    with open(root / ".lock", "w", encoding="utf-8") as held:
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        held.write("pid 4242\n")
        held.flush()
        said = refused(fetched, good_fake(), monkeypatch, capsys)
    assert "another fetch is writing here (pid 4242)" in said
    with pytest.raises(StoreLocked):
        store = Store(root)
        with open(root / ".lock", "a+", encoding="utf-8") as again:
            fcntl.flock(again, fcntl.LOCK_EX | fcntl.LOCK_NB)
            with store.locked():
                pass


def test_leftovers_of_a_killed_fetch_are_removed(
    fetched: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = fetched / "snapshots" / "ptv"
    (root / "20261201T020000Z.partial" / "responses").mkdir(parents=True)
    assert fetch(fetched, good_fake(), monkeypatch) == 0
    assert not list(root.glob("*.partial"))


def test_incremental_watermark_is_the_start_of_the_last_promoted_fetch(
    fetched: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = fetched / "snapshots" / "ptv"
    manifest = json.loads((root / current(fetched).strip() / "manifest.json").read_text())
    started = datetime.fromisoformat(manifest["started"].replace("Z", "+00:00"))
    # A refused fetch does not move the watermark: the next one asks from the same time.
    assert fetch(fetched, FakePtv(), monkeypatch) == 1
    fake = good_fake()
    with fake.serve() as url:
        monkeypatch.setenv("PERHEKESKUS_PTV_URL", url)
        assert main(["--root", str(fetched), "fetch", "ptv", "--all"]) == 0
    expected = (started - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%S")
    dates = {p.split("date=")[1].split("&")[0] for p, _ in fake.log if "date=" in p}
    assert dates == {expected.replace(":", "%3A")} or dates == {expected}


# --- untrusted values --------------------------------------------------------------------------


def test_wrong_types_and_hostile_values_in_one_service_do_not_stop_the_fetch(
    fetched: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    hostile = o.service(
        "k0", fi="Vihamielinen\u202e palvelu\x00", areas=[o.municipality_area(KAJAANI)]
    )
    hostile |= {"serviceChannels": "not a list", "organizations": 5, "keywords": [None, 3]}
    phones = o.location("kc1", fi="Toimipiste")
    phones["phoneNumbers"] = [
        None,
        {"number": "0401234567 / 0507654321", "prefixNumber": "+358", "language": "fi"},
        {"number": "soita vaihteeseen", "prefixNumber": "+358", "language": "fi"},
    ]
    all_services = [hostile, *services()[1:]]
    fake = FakePtv(services=all_services, channels=[phones, *channels()[2:]])
    assert fetch(fetched, fake, monkeypatch) == 0
    err = capsys.readouterr().err
    assert "Traceback" not in err
    dataset = snapshot.load_current(fetched / "snapshots" / "ptv")
    assert dataset is not None and len(dataset.services) >= 32


# --- the policy on its own -------------------------------------------------------------------


def test_the_policy_passes_a_normal_night() -> None:
    before = Census("services", {"A": 100, "B": 10}, total=110)
    after = Census("services", {"A": 97, "B": 12}, fetched=109, unreadable=1, total=109)
    assert refusals(before, after, SanityPolicy()) == []
    assert refusals(None, after, SanityPolicy()) == []


def test_the_policy_thresholds_come_from_the_configuration() -> None:
    before = Census("services", {"A": 100}, total=100)
    after = Census("services", {"A": 70}, total=70)
    assert refusals(before, after, SanityPolicy()) == []
    assert refusals(before, after, SanityPolicy(max_drop=0.2)) == [
        "A: 100 services in the current snapshot, 70 in the new one (a drop of 30 %, "
        "more than 20%): refused"
    ]


# --- provenance ------------------------------------------------------------------------------


def test_a_county_fetch_over_the_sample_keeps_the_other_county_labelled_sample(
    project: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from pipeline.build import build

    root = project / "snapshots" / "ptv"
    sample_day = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)
    with good_fake().serve() as url:
        source = V11Source(url, backoff=0, clock=lambda: sample_day)
        Fetcher(source, root, clock=lambda: sample_day, synthetic=True).run(
            [KAJAANI, PORVOO], "full", all_areas=True
        )
    # Kainuu fetches real data; Itä-Uusimaa's answers are carried over from the sample.
    fake = good_fake()
    with fake.serve() as url:
        monkeypatch.setenv("PERHEKESKUS_PTV_URL", url)
        assert main(["--root", str(project), "fetch", "ptv", "--region", "kainuu", "--full"]) == 0
    dataset = snapshot.load_current(root)
    assert dataset is not None
    porvoo, kajaani = o.guid("p0"), o.guid("k0")
    assert dataset.origins[porvoo].sample and dataset.origins[porvoo].fetched_at == sample_day
    assert not dataset.origins[kajaani].sample
    assert dataset.origins[kajaani].fetched_at > sample_day

    out = tmp_path / "out"
    build(project, out, areas=["kainuu", "ita-uusimaa"], national=False, search=False)

    def data_note(site: str, service: str) -> str:
        page = read_page(out / site / "fi" / "palvelut" / service / "index.html")
        return " ".join(page.by_class("data-source")[0].text.split())

    assert data_note("ita-uusimaa", porvoo).startswith("Esimerkkiaineisto")
    assert "20. marraskuuta 2026" in data_note("ita-uusimaa", porvoo)
    assert "Esimerkkiaineisto" not in data_note("kainuu", kajaani)
    assert "20. marraskuuta 2026" not in data_note("kainuu", kajaani)


def test_the_first_real_fetch_over_the_sample_is_not_compared_with_it(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = project / "snapshots" / "ptv"
    with good_fake().serve() as url:
        Fetcher(V11Source(url, backoff=0), root, synthetic=True).run(
            [KAJAANI, PORVOO], "full", all_areas=True
        )
    fewer = FakePtv(services=services(kajaani=5), channels=channels(5))
    assert fetch(project, fewer, monkeypatch) == 0
    dataset = snapshot.load_current(root)
    assert dataset is not None and len(dataset.services) == 18 and not dataset.synthetic
