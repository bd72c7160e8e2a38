"""The PTV client, fetch and snapshots, against a local stand-in for the v11 API."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from pipeline.sources.base import FetchError, FetchLimits
from pipeline.sources.ptv import snapshot
from pipeline.sources.ptv.fetch import Fetcher
from pipeline.sources.ptv.source import V11Source, ptv_date
from tests import ptv_objects as o
from tests.fake_ptv import FakePtv


def kajaani_service(i: int, **kw: object) -> dict:
    return o.service(f"s{i}", fi=f"Palvelu {i}", areas=[o.municipality_area("205")], **kw)  # type: ignore[arg-type]


def fetch(fake: FakePtv, root: Path, mode: str = "full", **kw: object) -> snapshot.Dataset:
    with fake.serve() as url:
        Fetcher(V11Source(url, backoff=0), root, workers=2).run(
            ["205", "765"],
            mode,
            all_areas=True,
            **kw,  # type: ignore[arg-type]
        )
    dataset = snapshot.load_current(root)
    assert dataset is not None
    return dataset


def test_pages_of_100_and_empty_pages_with_item_list_null(tmp_path: Path) -> None:
    fake = FakePtv(services=[kajaani_service(i) for i in range(130)])
    dataset = fetch(fake, tmp_path)
    assert len(dataset.services) == 130
    paths = [path for path, _ in fake.log]
    assert any("code/205?page=2" in p for p in paths)
    # Sotkamo (765) has no services: page 1 says pageCount 0 and itemList null; no page 2.
    assert [p for p in paths if "code/765" in p] == [
        "/api/v11/Service/list/area/Municipality/code/765?page=1"
    ]


def test_more_than_100_channel_ids_go_in_chunks(tmp_path: Path) -> None:
    services = [kajaani_service(i, channels=(f"c{i}",)) for i in range(150)]
    fake = FakePtv(
        services=services, channels=[o.location(f"c{i}", fi=f"Paikka {i}") for i in range(150)]
    )
    dataset = fetch(fake, tmp_path)
    assert len(dataset.channels) == 150
    lists = [p for p, _ in fake.log if p.startswith("/api/v11/ServiceChannel/list")]
    assert len(lists) == 2
    assert all(p.count(",") < 100 for p in lists)


def test_504_is_retried_then_succeeds(tmp_path: Path) -> None:
    fake = FakePtv(
        services=[kajaani_service(1)],
        fail_sequence={"/api/v11/Service/list/area/Municipality/code/205": [504, 503]},
    )
    dataset = fetch(fake, tmp_path)
    assert len(dataset.services) == 1
    assert sum("code/205" in p for p, _ in fake.log) == 3


def test_time_outs_on_long_id_lists_halve_the_chunk(tmp_path: Path) -> None:
    services = [kajaani_service(i, channels=(f"c{i}",)) for i in range(40)]
    fake = FakePtv(
        services=services,
        channels=[o.location(f"c{i}", fi=f"Paikka {i}") for i in range(40)],
        timeout_over_ids=15,
    )
    dataset = fetch(fake, tmp_path)
    assert len(dataset.channels) == 40


def test_requests_are_polite_and_anonymous(tmp_path: Path) -> None:
    fake = FakePtv(services=[kajaani_service(1)])
    fetch(fake, tmp_path)
    for _, headers in fake.log:
        assert headers["User-Agent"].startswith("perhekeskus/")
        assert "Authorization" not in headers


def test_date_is_sent_in_the_exact_v11_form() -> None:
    assert ptv_date(datetime(2026, 11, 19, 2, 30, 5, 123456, tzinfo=UTC)) == "2026-11-19T02:30:05"


def test_failure_mid_way_keeps_the_current_snapshot(tmp_path: Path) -> None:
    fake = FakePtv(services=[kajaani_service(1)])
    first = fetch(fake, tmp_path)
    current = (tmp_path / "CURRENT").read_text()
    broken = FakePtv(services=[kajaani_service(1), kajaani_service(2)], fail_after=1)
    with broken.serve() as url, pytest.raises(FetchError):
        Fetcher(
            V11Source(url, backoff=0, limits=FetchLimits(retries=1)),
            tmp_path,
            clock=lambda: datetime(2027, 1, 1, tzinfo=UTC),
        ).run(["205", "765"], "full", all_areas=True)
    assert (tmp_path / "CURRENT").read_text() == current
    assert not list(tmp_path.glob("*.partial"))
    again = snapshot.load_current(tmp_path)
    assert again is not None and set(again.services) == set(first.services)


def test_incremental_merges_changes_and_removes_archived(tmp_path: Path) -> None:
    old = kajaani_service(1, modified="2026-01-01T00:00:00.1")
    gone = kajaani_service(2, modified="2026-01-01T00:00:00.1")
    fake = FakePtv(services=[old, gone])
    with fake.serve() as url:
        Fetcher(
            V11Source(url, backoff=0), tmp_path, clock=lambda: datetime(2026, 11, 1, tzinfo=UTC)
        ).run(["205"], "full", all_areas=True)
    renamed = kajaani_service(1, modified="2026-11-10T10:00:00.5") | {
        "serviceNames": o.localized("Name", fi="Uusi nimi")
    }
    new = kajaani_service(3, modified="2026-11-10T10:00:00.5")
    fake = FakePtv(
        services=[renamed, new],
        archived={
            "Service": [{"id": gone["id"], "name": "Palvelu 2", "modified": "2026-11-10T10:00:00"}]
        },
    )
    with fake.serve() as url:
        result = Fetcher(
            V11Source(url, backoff=0), tmp_path, clock=lambda: datetime(2026, 11, 20, tzinfo=UTC)
        ).run(["205"], "incremental", all_areas=True)
    assert result.mode == "incremental"
    dataset = snapshot.load_current(tmp_path)
    assert dataset is not None
    assert dataset.services[old["id"]].names["fi"] == "Uusi nimi"
    assert new["id"] in dataset.services
    assert gone["id"] not in dataset.services
    dates = [p for p, _ in fake.log if "date=" in p]
    assert dates and all(
        "date=2026-11-01T00:00:00" in p or "date=2026-10-31T23:00:00" in p for p in dates
    )
    assert any("status=Archived" in p for p in dates) and any(
        "status=Withdrawn" in p for p in dates
    )


def test_a_malformed_item_is_skipped_not_the_snapshot(tmp_path: Path) -> None:
    bad = kajaani_service(2) | {"serviceClasses": "not a list"}
    good = [kajaani_service(i) for i in range(10, 50)]
    fake = FakePtv(services=[*good, bad, kajaani_service(3) | {"id": "not-a-guid"}])
    dataset = fetch(fake, tmp_path)
    assert len(dataset.services) >= 40
    messages = [str(p) for p in dataset.problems]
    assert any(bad["id"] in m and "serviceClasses" in m for m in messages)
    assert any("not-a-guid" in m for m in messages)


def test_snapshot_answers_are_stored_with_request_and_time(tmp_path: Path) -> None:
    import gzip
    import json

    fake = FakePtv(services=[kajaani_service(1)])
    fetch(fake, tmp_path)
    current = snapshot.current(tmp_path)
    assert current is not None
    entry = current.entries[0]
    with gzip.open(current.path / "responses" / entry["file"], "rt") as f:
        record = json.load(f)
    assert record["request"]["url"].endswith("/Service/list/area/Municipality/code/205?page=1")
    assert record["fetched_at"].endswith("Z")
    assert record["body"]["itemList"][0]["id"] == o.guid("s1")
    assert current.manifest["complete"] is True and current.manifest["mode"] == "full"


def test_fetch_command_uses_the_environment_address(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from pipeline.cli import main
    from tests.helpers import make_project

    (tmp_path / "project").mkdir()
    root = make_project(tmp_path / "project")
    fake = FakePtv(services=[kajaani_service(1)])
    with fake.serve() as url:
        monkeypatch.setenv("PERHEKESKUS_PTV_URL", url)
        assert main(["--root", str(root), "fetch", "ptv", "--region", "kainuu", "--full"]) == 0
    assert "is now current" in capsys.readouterr().out
    dataset = snapshot.load_current(root / "snapshots" / "ptv")
    assert dataset is not None and o.guid("s1") in dataset.services

    # 400 is not retried, which keeps the test quick; 5xx retries are tested above.
    broken = FakePtv(services=[kajaani_service(1)], fail_after=0, fail_status=400)
    with broken.serve() as url:
        monkeypatch.setenv("PERHEKESKUS_PTV_URL", url)
        code = main(["--root", str(root), "fetch", "ptv", "--all", "--full"])
    err = capsys.readouterr().err
    assert code == 1
    assert "PTV fetch failed" in err and "stays in use" in err
    assert "Traceback" not in err
