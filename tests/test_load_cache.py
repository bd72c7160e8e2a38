"""Loading snapshots at scale: answers are streamed, and what is read from an unchanged
snapshot (the PTV dataset, a county's events) comes from the build cache the next time, while a
changed or broken snapshot is read afresh and falls back as before."""

from __future__ import annotations

import gzip
import shutil
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from pipeline import cache as cache_module
from pipeline.cache import BuildCache
from pipeline.problems import InvalidInput, Problems
from pipeline.sources.base import Answer
from pipeline.sources.events.snapshot import load_events
from pipeline.sources.ptv import snapshot
from pipeline.sources.store import Snapshot, SnapshotError, Store, open_snapshot
from tests import ptv_objects as o
from tests.helpers import REPO, make_project

FIRST = datetime(2026, 11, 19, 2, 0, tzinfo=UTC)
SECOND = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)
API = "https://api.palvelutietovaranto.suomi.fi/api/v11/"


def page(*items: Any) -> dict[str, Any]:
    return {"pageNumber": 1, "pageSize": 100, "pageCount": 1, "itemList": list(items)}


def county_wide(name: str) -> dict[str, Any]:
    return o.service(name, fi=name.capitalize(), areas=[o.county_area("18", "205", "105")])


def answers(name: str = "neuvola") -> list[Answer]:
    """Two municipalities' answers with a county-wide service in both, a service with a bad
    web address (a warning), an unreadable item, an id list missing an id, and a removal."""
    shared = county_wide(name)
    bad = o.service("rikki", fi="Rikki", areas=[o.municipality_area("205")])
    bad["serviceNames"] = "not a list"
    local = o.service("kerho", fi="Kerho", areas=[o.municipality_area("105")])
    gone = o.service("poistuva", fi="Poistuva", areas=[o.municipality_area("105")])
    channel = o.location("verkko", fi="Toimipiste")
    channel["webPages"] = [o.web_page("www.example.fi/neuvola", "Neuvola", "fi")]
    by_area = "Service/list/area/Municipality/code/"
    return [
        Answer(f"{API}{by_area}205", 200, page(shared, bad), FIRST, "service", "items", "m:205"),
        Answer(f"{API}{by_area}105", 200, page(shared, local, gone), FIRST, "service", "items"),
        Answer(f"{API}ServiceChannel/list", 200, page(channel), FIRST, "channel", "items"),
        Answer(
            f"{API}Service/list?guids={o.guid('kerho')},{o.guid('puuttuu')}",
            200,
            page(local),
            FIRST,
            "service",
            "items",
        ),
        Answer(f"{API}Service/removed", 200, page({"id": o.guid("poistuva")}), FIRST, "service",
               "removed"),
    ]  # fmt: skip


def write_snapshot(folder: Path, moment: datetime, items: list[Answer]) -> Snapshot:
    store = Store(folder)
    with store.locked():
        writer = store.writer(source="ptv-v11", base_url=API, mode="full", started=moment)
        for answer in items:
            writer.add(answer)
        written, _ = writer.commit(moment, snapshot.load)
    return written


def rewrite_answer(path: Path, change: dict[str, Any]) -> None:
    import json

    record = json.loads(gzip.decompress(path.read_bytes()))
    record.update(change)
    path.write_bytes(gzip.compress(json.dumps(record).encode("utf-8"), mtime=0))


@pytest.fixture
def ptv(tmp_path: Path) -> Path:
    """A project folder with two PTV snapshots, the second current."""
    folder = tmp_path / "snapshots" / "ptv"
    write_snapshot(folder, FIRST, answers("vanha"))
    write_snapshot(folder, SECOND, answers())
    return folder


def fail_if_read(snap: Snapshot, hashes: list[bytes] | None = None) -> snapshot.Dataset:
    raise AssertionError(f"{snap.id} was read although the cache has it")


# --- streaming ------------------------------------------------------------------------------


def test_answers_are_read_one_at_a_time_with_the_same_result_as_all_at_once(
    ptv: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    current = Store(ptv).current()
    assert current is not None
    # The old way: every answer read, then replayed.
    whole = snapshot.Dataset(fetched_at=current.fetched_at, snapshot=current.id)
    bodies = [(e, current.body(e), snapshot._origin(current, e)) for e in current.entries]
    snapshot.replay(bodies, whole)
    whole.problems = Problems(sorted(set(whole.problems)))

    reads: list[str] = []
    read_before_item: list[int] = []
    original_read, original_item = Snapshot.read, snapshot.read_item

    def counting_read(
        self: Snapshot, entry: dict[str, Any], known: Any = None
    ) -> tuple[bytes, Any]:
        reads.append(entry["file"])
        return original_read(self, entry, known)

    def noting_item(raw: Any, kind: str, problems: Problems) -> Any:
        read_before_item.append(len(reads))
        return original_item(raw, kind, problems)

    monkeypatch.setattr(Snapshot, "read", counting_read)
    monkeypatch.setattr(snapshot, "read_item", noting_item)
    streamed = snapshot.load(current)
    assert streamed == whole
    assert [p.path for p in streamed.problems] == [
        f"PTV channel {o.guid('verkko')}",
        f"PTV service {o.guid('rikki')}",
    ]
    assert set(streamed.services) == {o.guid("neuvola"), o.guid("kerho")}
    # The first answer's items were read before the second answer was.
    assert read_before_item[0] == 1 and len(reads) == len(current.entries)


def test_an_unreadable_answer_is_still_a_snapshot_error(ptv: Path) -> None:
    current = Store(ptv).current()
    assert current is not None
    (current.path / "responses" / "0003.json.gz").write_bytes(b"not gzip at all")
    with pytest.raises(SnapshotError, match=r"0003.json.gz|an answer cannot be read"):
        snapshot.load(current)


# --- the PTV dataset in the build cache -----------------------------------------------------


def test_a_second_load_comes_from_the_cache_and_is_equal(
    ptv: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first_cache = BuildCache(ptv.parent.parent, on=True)
    first = snapshot.load_current(ptv, first_cache)
    # Missed: the dataset, and a last dataset to take unchanged items from (none yet).
    assert first is not None and first.key and (first_cache.hits, first_cache.misses) == (0, 2)
    fresh = snapshot.load_current(ptv)
    assert fresh is not None and fresh.key is None
    monkeypatch.setattr(snapshot, "load", fail_if_read)
    cache = BuildCache(ptv.parent.parent, on=True)
    again = snapshot.load_current(ptv, cache)
    assert cache.hits == 1 and cache.misses == 0
    assert again == first
    assert again is not None and again.services == fresh.services
    assert again.problems == fresh.problems and again.origins == fresh.origins
    assert list(again.services) == list(fresh.services)  # the same order


@pytest.mark.parametrize("what", ["answer", "manifest", "answer of the same size"])
def test_a_changed_answer_or_manifest_is_read_afresh(ptv: Path, what: str) -> None:
    root = ptv.parent.parent
    first = snapshot.load_current(ptv, BuildCache(root, on=True))
    assert first is not None and first.snapshot
    folder = ptv / first.snapshot
    answer = folder / "responses" / "0001.json.gz"
    if what == "answer":
        rewrite_answer(answer, {"fetched_at": "2026-11-20T03:00:00Z", "body": page()})
    elif what == "manifest":
        manifest = folder / "manifest.json"
        text = manifest.read_text(encoding="utf-8")
        manifest.write_text(text.replace('"m:205"', '"m:205b"'), encoding="utf-8")
    else:
        data = bytearray(answer.read_bytes())
        data[-9] ^= 1  # the CRC: the file no longer reads, and has the same size
        answer.write_bytes(bytes(data))
    cache = BuildCache(root, on=True)
    if what == "answer of the same size":
        again = snapshot.load_current(ptv, cache)
        assert again is not None and again.fallback and again.snapshot != first.snapshot
        return
    again = snapshot.load_current(ptv, cache)
    # The dataset is missed; the last one (named, then read) gives the unchanged items.
    assert cache.hits == 2 and cache.misses == 1
    assert again is not None and again.key != first.key
    if what == "answer":
        # The shared service is still in the second answer; the bad item is gone.
        assert f"PTV service {o.guid('rikki')}" not in {p.path for p in again.problems}


def test_a_new_snapshot_reads_only_the_items_that_changed_since_the_last_dataset(
    ptv: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = ptv.parent.parent
    last = snapshot.load_current(ptv, BuildCache(root, on=True))
    assert last is not None
    # The next night: the same answers but one service renamed, fetched an hour later.
    changed = answers()
    renamed = county_wide("neuvola")
    renamed["serviceNames"][0]["value"] = "Äitiys- ja lastenneuvola"
    changed[0].body["itemList"][0] = renamed
    changed[1].body["itemList"][0] = renamed
    third = write_snapshot(ptv, SECOND.replace(hour=3), changed)
    read: list[str] = []
    original = snapshot.read_item

    def noting(raw: Any, kind: str, problems: Problems) -> Any:
        read.append(str(raw.get("id")) if isinstance(raw, dict) else "?")
        return original(raw, kind, problems)

    monkeypatch.setattr(snapshot, "read_item", noting)
    cache = BuildCache(root, on=True)
    new = snapshot.load_current(ptv, cache)
    assert new is not None and new.snapshot == third.id
    # Read again: the renamed service, and those the last dataset does not hold: the item
    # that could not be read, and the one a later answer removed.
    assert sorted(read) == sorted([o.guid("neuvola"), o.guid("rikki"), o.guid("poistuva")])
    # Exactly what reading every item gives, warnings included.
    read.clear()
    fresh = snapshot.load(third)
    assert len(read) > 2
    for name in ("services", "channels", "organisations", "origins", "stats"):
        assert getattr(new, name) == getattr(fresh, name), name
    assert new.problems == fresh.problems
    assert any(p.path == f"PTV channel {o.guid('verkko')}" for p in new.problems)
    assert new.services[o.guid("neuvola")].names["fi"] == "Äitiys- ja lastenneuvola"


def test_answers_the_last_dataset_read_byte_for_byte_are_not_parsed_again(
    ptv: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = ptv.parent.parent
    assert snapshot.load_current(ptv, BuildCache(root, on=True)) is not None
    store = Store(ptv)
    before = store.current()
    assert before is not None
    # The next night's fetch of the changes: the answers carried over, one answer added.
    third = SECOND.replace(hour=3)
    renamed = county_wide("neuvola")
    renamed["serviceNames"][0]["value"] = "Äitiys- ja lastenneuvola"
    url = f"{API}Service/list?guids={o.guid('neuvola')}"
    with store.locked():
        writer = store.writer(
            source="ptv-v11", base_url=API, mode="incremental", started=third, since=SECOND
        )
        writer.copy_from(before, lambda entry: True)
        writer.add(Answer(url, 200, page(renamed), third, "service", "items"))
        night, _ = writer.commit(third, snapshot.load)
    parsed: list[str] = []
    original = Snapshot.read

    def noting(self: Snapshot, entry: dict[str, Any], known: Any = None) -> tuple[bytes, Any]:
        hashed, body = original(self, entry, known)
        if body is not None:
            parsed.append(entry["url"])
        return hashed, body

    monkeypatch.setattr(Snapshot, "read", noting)
    new = snapshot.load_current(ptv, BuildCache(root, on=True))
    assert new is not None and new.snapshot == night.id
    # Not parsed: the channels' answer and the id list, read whole last time. Parsed: the new
    # answer, the removal, and the answers holding an item that did not read or was removed.
    assert url in parsed and len(parsed) == len(night.entries) - 2
    assert not any("ServiceChannel" in u or ("guids=" in u and u != url) for u in parsed)
    fresh = snapshot.load(night)
    for name in ("services", "channels", "organisations", "origins", "stats"):
        assert getattr(new, name) == getattr(fresh, name), name
    assert new.problems == fresh.problems and len(new.problems) == 2
    assert new.services[o.guid("neuvola")].names["fi"] == "Äitiys- ja lastenneuvola"


def test_the_dataset_loaded_last_is_the_one_the_next_snapshot_builds_on(ptv: Path) -> None:
    root = ptv.parent.parent
    second = snapshot.load_current(ptv, BuildCache(root, on=True))
    assert second is not None and second.snapshot
    third = write_snapshot(ptv, SECOND.replace(hour=3), answers("kolmas"))
    cache = BuildCache(root, on=True)
    loaded = snapshot.load_current(ptv, cache)
    assert loaded is not None and loaded.snapshot == third.id
    assert cache.get(snapshot.LAST, cache.key(snapshot.LAST)) == loaded.key
    # Back to the second (a rollback): found in the cache, and named last again.
    Store(ptv).set_current(second.snapshot)
    again = snapshot.load_current(ptv, cache)
    assert again == second
    assert cache.get(snapshot.LAST, cache.key(snapshot.LAST)) == second.key


def test_a_dataset_read_by_another_reader_is_never_taken_item_by_item(
    ptv: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = ptv.parent.parent
    assert snapshot.load_current(ptv, BuildCache(root, on=True)) is not None
    assert snapshot._last_known(BuildCache(root, on=True)).items
    # Every key holds the code (pipeline.cache.code): another reader finds no last dataset.
    monkeypatch.setattr(cache_module, "code", lambda: "another reader")
    assert snapshot._last_known(BuildCache(root, on=True)) == snapshot.Known()


def test_an_unreadable_current_snapshot_falls_back_although_the_cache_has_it(ptv: Path) -> None:
    root = ptv.parent.parent
    current = snapshot.load_current(ptv, BuildCache(root, on=True))
    assert current is not None and current.snapshot and not current.fallback
    (ptv / current.snapshot / "responses" / "0002.json.gz").write_bytes(b"broken")
    cache = BuildCache(root, on=True)
    loaded = snapshot.load_current(ptv, cache)
    assert loaded is not None and loaded.snapshot != current.snapshot
    assert loaded.fallback and "using the last good one" in loaded.fallback
    uncached = snapshot.load_current(ptv)
    assert uncached is not None and uncached.fallback == loaded.fallback
    # A missing answer as well, and then with the fallback found in the cache too.
    (ptv / current.snapshot / "responses" / "0002.json.gz").unlink()
    cache = BuildCache(root, on=True)
    loaded = snapshot.load_current(ptv, cache)
    assert loaded is not None and loaded.fallback and cache.hits == 1


def test_cache_off_never_writes(ptv: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PERHEKESKUS_CACHE", "off")
    root = ptv.parent.parent
    for _ in range(2):
        cache = BuildCache(root)
        assert snapshot.load_current(ptv, cache) is not None
        assert cache.hits == 0
    assert not (root / ".cache").exists()


def test_the_project_load_keeps_the_dataset_in_the_project_cache(tmp_path: Path) -> None:
    from pipeline.content.config import load_config
    from pipeline.content.load import load_services

    root = make_project(tmp_path)
    shutil.rmtree(root / "snapshots" / "ptv")
    write_snapshot(root / "snapshots" / "ptv", SECOND, answers())
    config = load_config(root, Problems())
    first_problems, problems = Problems(), Problems()
    first = load_services(root, config, first_problems, BuildCache(root))
    cache = BuildCache(root)
    again = load_services(root, config, problems, cache)
    assert cache.hits == 1 and again == first and problems == first_problems
    assert any((root / ".cache" / "build" / "ptv").rglob("*"))


def test_the_articles_the_last_build_read_come_from_the_build_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file whose text is as the last build read it is not parsed again; an edited one is,
    and its problem is reported as before."""
    from pipeline.content import load as load_module

    root = make_project(tmp_path)
    first = load_module.load_project(root)
    read: list[Path] = []
    parse = load_module._read_article

    def counted(path: Path, *args: Any) -> Any:
        read.append(path)
        return parse(path, *args)

    monkeypatch.setattr(load_module, "_read_article", counted)
    again = load_module.load_project(root)
    assert read == [] and again.articles == first.articles and again.warnings == first.warnings
    edited = sorted((root / "content" / "fi").glob("*.md"))[0]
    edited.write_text(edited.read_text(encoding="utf-8") + "\n# Toinen pääotsikko\n")
    with pytest.raises(InvalidInput) as caught:
        load_module.load_project(root)
    assert read == [edited]
    assert any("level-1 heading" in p.message for p in caught.value.problems)


# --- a county's events in the build cache ---------------------------------------------------


@pytest.fixture
def events_project(tmp_path: Path) -> Path:
    root = make_project(tmp_path)
    shutil.copytree(REPO / "snapshots" / "events", root / "snapshots" / "events")
    return root


def events(root: Path, today: date = date(2026, 12, 7)) -> Any:
    return load_events(root, "kainuu", today)


def test_a_countys_events_come_from_the_cache_while_nothing_changed(
    events_project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pipeline.sources.events import snapshot as events_snapshot

    monkeypatch.setenv("PERHEKESKUS_CACHE", "off")
    fresh = events(events_project)
    assert fresh.items and not (events_project / ".cache").exists()
    monkeypatch.setenv("PERHEKESKUS_CACHE", "on")
    first = events(events_project)
    assert first == fresh

    def not_again(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the county was read although the cache has it")

    monkeypatch.setattr(events_snapshot, "_read_county", not_again)
    again = events(events_project)
    assert again == fresh
    assert list(again.items) == list(fresh.items) and again.problems == fresh.problems
    # Another build date is another dataset.
    with pytest.raises(AssertionError, match="the county was read"):
        events(events_project, date(2026, 12, 8))


def test_a_changed_events_answer_is_read_afresh_and_a_broken_one_is_not_hidden(
    events_project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pipeline.sources.events import snapshot as events_snapshot

    folder = events_project / "snapshots" / "events"
    read: list[str] = []
    original = events_snapshot._read_county

    def counted(root: Path, slug: str, *args: Any) -> Any:
        read.append(slug)
        return original(root, slug, *args)

    monkeypatch.setattr(events_snapshot, "_read_county", counted)
    first = events(events_project)
    assert events(events_project) == first and read == ["kainuu"]
    current = open_snapshot(folder / (folder / "CURRENT").read_text().strip())
    kainuu = next(e["file"] for e in current.entries if e["tag"] == "kainuu:kainuu")
    answer = current.path / "responses" / kainuu
    rewrite_answer(answer, {"status": 200})  # the same body, other bytes
    events_snapshot._cache.clear()  # a new process
    assert events(events_project) == first and read == ["kainuu"] * 2  # read afresh
    answer.write_bytes(b"broken")
    events_snapshot._cache.clear()
    broken = events(events_project)
    # The only snapshot cannot be read: the county shows no events and says why.
    assert not any(i.startswith("ics:") for i in broken.items)
    assert any("no events snapshot can be read" in p.message for p in broken.problems)
