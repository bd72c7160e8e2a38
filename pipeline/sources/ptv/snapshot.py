"""PTV snapshots: raw answers on disk, and the dataset the build reads from them.

Layout, under ``snapshots/ptv/``::

    CURRENT                       the id of the current snapshot (one line)
    20261120T020000Z/
        manifest.json             source, mode, fetch times, and one entry per answer
        responses/0001.json.gz    {"request": ..., "fetched_at": ..., "status": ..., "body": ...}

A fetch writes a new snapshot into ``<id>.partial/`` next to the current one. Only when every
answer is in and the snapshot reads back cleanly is the folder renamed and ``CURRENT`` replaced
(atomically); a failed or interrupted fetch removes its partial folder and the current
snapshot stays in use. An incremental snapshot starts from hard links to the previous one's
answers and appends the changes, so every snapshot is complete on its own.

Reading replays the answers in order: items replace earlier items with the same id, ids listed
as archived or withdrawn are removed, and ids asked for with ``list?guids=`` but missing from
the answer are removed (PTV drops unpublished ids silently).
"""

from __future__ import annotations

import gzip
import json
import os
import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from pipeline.problems import Problems
from pipeline.sources.ptv import model
from pipeline.sources.ptv.normalise import read_item
from pipeline.sources.ptv.source import Answer

FORMAT = 1
KEEP = 3
"""How many complete snapshots to keep (the current one and the ones before it)."""


class SnapshotError(Exception):
    """A snapshot is missing, unreadable or incomplete."""


def snapshot_id(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _parse_time(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


# --- reading ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Snapshot:
    """A complete snapshot folder and its manifest."""

    path: Path
    manifest: dict[str, Any]

    @property
    def id(self) -> str:
        return self.path.name

    @property
    def fetched_at(self) -> datetime:
        return _parse_time(self.manifest["finished"])

    @property
    def entries(self) -> list[dict[str, Any]]:
        return list(self.manifest["responses"])

    def body(self, entry: dict[str, Any]) -> Any:
        with gzip.open(self.path / "responses" / entry["file"], "rt", encoding="utf-8") as f:
            return json.load(f)["body"]


def current(root: Path) -> Snapshot | None:
    """The current snapshot under ``root`` (``snapshots/ptv``), or None if there is none."""
    pointer = root / "CURRENT"
    if not pointer.is_file():
        return None
    return open_snapshot(root / pointer.read_text(encoding="utf-8").strip())


def open_snapshot(path: Path) -> Snapshot:
    try:
        manifest = json.loads((path / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise SnapshotError(f"{path}: cannot read the manifest ({exc})") from None
    if manifest.get("format") != FORMAT or not manifest.get("complete"):
        raise SnapshotError(f"{path}: not a complete snapshot of format {FORMAT}")
    return Snapshot(path, manifest)


@dataclass
class Dataset:
    """Every service, channel and organisation of a snapshot, normalised."""

    services: dict[str, model.Service] = field(default_factory=dict)
    channels: dict[str, model.Channel] = field(default_factory=dict)
    organisations: dict[str, model.Organisation] = field(default_factory=dict)
    fetched_at: datetime | None = None
    snapshot: str | None = None
    synthetic: bool = False
    """True for the generated sample committed with the project (not real services)."""
    problems: Problems = field(default_factory=Problems)

    def store(self, kind: str) -> dict[str, Any]:
        return {
            "service": self.services,
            "channel": self.channels,
            "organization": self.organisations,
        }[kind]


def items_of(body: Any) -> list[Any]:
    """The objects of an answer: a page envelope, a bare array, one object, or nothing."""
    if body is None:
        return []
    if isinstance(body, list):
        return body
    if isinstance(body, dict) and "itemList" in body:
        return body.get("itemList") or []
    return [body]


def requested_ids(url: str) -> list[str]:
    """The ids a ``list?guids=`` request asked for (empty for other requests)."""
    values = parse_qs(urlsplit(url).query).get("guids", [])
    return [i.strip() for v in values for i in v.split(",") if i.strip()]


def replay(entries: Iterable[tuple[dict[str, Any], Any]], dataset: Dataset) -> Dataset:
    """Apply answers in order to a dataset (pure apart from mutating ``dataset``)."""
    raws: dict[tuple[str, str], Any] = {}
    for entry, body in entries:
        kind, role = entry["kind"], entry["role"]
        store = dataset.store(kind)
        if role == "removed":
            for item in items_of(body):
                if isinstance(item, dict) and item.get("id"):
                    store.pop(str(item["id"]).lower(), None)
            continue
        if role != "items":
            continue
        seen = set()
        for raw in items_of(body):
            ident = str(raw.get("id", "")).lower() if isinstance(raw, dict) else ""
            if ident in store and raws.get((kind, ident)) == raw:
                # A county-wide service comes again in every municipality's answer; read it once.
                seen.add(ident)
                continue
            item = read_item(raw, kind, dataset.problems)
            if item is not None:
                store[item.id] = item
                raws[(kind, item.id)] = raw
                seen.add(item.id)
        for ident in requested_ids(entry["url"]):
            if ident.lower() not in seen:
                store.pop(ident.lower(), None)
    return dataset


def load(snapshot: Snapshot) -> Dataset:
    """The dataset of a snapshot; bad items are skipped and listed in ``problems``."""
    dataset = Dataset(
        fetched_at=snapshot.fetched_at,
        snapshot=snapshot.id,
        synthetic=bool(snapshot.manifest.get("synthetic")),
    )
    try:
        entries = [(entry, snapshot.body(entry)) for entry in snapshot.entries]
    except (OSError, ValueError, EOFError) as exc:
        raise SnapshotError(f"{snapshot.path}: an answer cannot be read ({exc})") from None
    replay(entries, dataset)
    # Warnings about skipped items are the same on every load: report each once, sorted.
    dataset.problems = Problems(sorted(set(dataset.problems)))
    return dataset


def load_current(root: Path) -> Dataset | None:
    snapshot = current(root)
    return load(snapshot) if snapshot else None


# --- writing ------------------------------------------------------------------------------


class SnapshotWriter:
    """Writes one new snapshot next to the current one; nothing changes until :meth:`commit`."""

    def __init__(
        self,
        root: Path,
        *,
        source: str,
        base_url: str,
        mode: str,
        started: datetime,
        synthetic: bool = False,
        since: datetime | None = None,
    ) -> None:
        self.root = root
        self.started = started
        self.id = snapshot_id(started)
        self.partial = root / f"{self.id}.partial"
        if self.partial.exists():
            shutil.rmtree(self.partial)
        (self.partial / "responses").mkdir(parents=True)
        self.manifest: dict[str, Any] = {
            "format": FORMAT,
            "source": source,
            "base_url": base_url,
            "mode": mode,
            "since": _iso(since) if since else None,
            "started": _iso(started),
            "finished": None,
            "synthetic": synthetic,
            "complete": False,
            "responses": [],
        }

    def _next_file(self) -> str:
        return f"{len(self.manifest['responses']) + 1:04d}.json.gz"

    def add(self, answer: Answer) -> None:
        name = self._next_file()
        record = {
            "request": {"method": "GET", "url": answer.url},
            "fetched_at": _iso(answer.fetched_at),
            "status": answer.status,
            "body": answer.body,
        }
        data = json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        # mtime 0 and no file name in the header: the same answers give the same bytes.
        with (
            open(self.partial / "responses" / name, "wb") as raw,
            gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as gz,
        ):
            gz.write(data)
        entry: dict[str, Any] = {
            "file": name,
            "url": answer.url,
            "fetched_at": record["fetched_at"],
            "status": answer.status,
            "kind": answer.kind,
            "role": answer.role,
            "tag": answer.tag,
        }
        self.manifest["responses"].append(entry)

    def copy_from(self, snapshot: Snapshot, keep: Callable[[dict[str, Any]], bool]) -> int:
        """Carry over the answers of ``snapshot`` that ``keep`` accepts (hard links if possible)."""
        count = 0
        for entry in snapshot.entries:
            if not keep(entry):
                continue
            name = self._next_file()
            source = snapshot.path / "responses" / entry["file"]
            target = self.partial / "responses" / name
            try:
                os.link(source, target)
            except OSError:
                shutil.copyfile(source, target)
            self.manifest["responses"].append({**entry, "file": name})
            count += 1
        return count

    def commit(
        self, finished: datetime, validate: Callable[[Dataset], None] | None = None
    ) -> Snapshot:
        """Check the snapshot reads back, then make it current; raises SnapshotError if not."""
        self.manifest["finished"] = _iso(finished)
        self.manifest["complete"] = True
        (self.partial / "manifest.json").write_text(
            json.dumps(self.manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )
        dataset = load(Snapshot(self.partial, self.manifest))
        if validate is not None:
            validate(dataset)
        final = self.root / self.id
        if final.exists():
            shutil.rmtree(final)
        self.partial.rename(final)
        pointer = self.root / "CURRENT.tmp"
        pointer.write_text(self.id + "\n", encoding="utf-8")
        os.replace(pointer, self.root / "CURRENT")
        self._prune()
        return Snapshot(final, self.manifest)

    def abort(self) -> None:
        shutil.rmtree(self.partial, ignore_errors=True)

    def _prune(self) -> None:
        complete = sorted(
            p
            for p in self.root.iterdir()
            if p.is_dir() and (p / "manifest.json").is_file() and not p.name.endswith(".partial")
        )
        for old in complete[:-KEEP]:
            shutil.rmtree(old, ignore_errors=True)
