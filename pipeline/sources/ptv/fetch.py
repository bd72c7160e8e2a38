"""Stage 2, fetch: ask a PTV source for the counties' services and write a new snapshot.

Input: a :class:`~pipeline.sources.ptv.source.PtvSource`, the municipality codes to fetch, the
mode, the counties (for the sanity policy) and the store's folder. Output: a new current
snapshot (:mod:`pipeline.sources.store`), or an exception with the reason while the current
snapshot stays in place: :class:`~pipeline.sources.base.FetchError` when the source failed,
:class:`~pipeline.sources.store.Refused` when the new snapshot failed the sanity policy.

- **full**: for each municipality, every page of ``Service/list/area/Municipality/code/<code>``;
  the nationwide services once; then the channels and organisations the services name, by id.
  A full fetch of only some counties keeps the other counties' answers of the current snapshot.
- **incremental**: starts from the current snapshot's answers, asks what changed since the
  start of the fetch that made it (minus a safety margin), re-fetches the changed services and
  the channels and organisations they need, and removes archived and withdrawn ones.
  Connections do not change ``modified`` in PTV, so run a full fetch weekly.

Requests run a few at a time; the first fatal error cancels the rest at once (the fetch's
:class:`~pipeline.sources.base.Budget`) and is raised without waiting for them.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Literal, Protocol

from pipeline.sources.base import Answer, FetchError
from pipeline.sources.policy import Census, SanityPolicy, refusals
from pipeline.sources.ptv import snapshot as snap
from pipeline.sources.ptv.normalise import guid
from pipeline.sources.ptv.source import Kind, PtvSource
from pipeline.sources.store import KEEP, Snapshot, SnapshotError, Store, Writer

Mode = Literal["full", "incremental"]
SAFETY_MARGIN = timedelta(hours=1)
"""Changes are asked from this long before the last fetch started, so none falls between."""


class Progress(Protocol):
    def step(self, description: str, total: int) -> Callable[[int], None]: ...


class _Silent:
    def step(self, description: str, total: int) -> Callable[[int], None]:
        return lambda advance: None


@dataclass
class FetchResult:
    snapshot: Snapshot
    mode: Mode
    answers: int
    carried: int
    services: int
    channels: int
    organisations: int
    warnings: list[str] = field(default_factory=list)
    forced: list[str] = field(default_factory=list)
    """Reasons the policy gave that ``force`` overrode."""


def _ident(value: Any) -> str | None:
    """The GUID of an object, or None: a malformed id is never sent to PTV (it would answer
    400 and stop every county's fetch); the reader reports it with the item."""
    return guid(value.get("id")) if isinstance(value, dict) else None


def _dicts(value: Any) -> list[dict[str, Any]]:
    """The objects of a list field, whatever the source sent (null, a string, nulls inside)."""
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _service_links(body: Any) -> tuple[set[str], set[str]]:
    """Channel and organisation ids named by the services of one answer."""
    channels: set[str] = set()
    organisations: set[str] = set()
    for item in snap.items_of(body):
        if not isinstance(item, dict):
            continue
        for connection in _dicts(item.get("serviceChannels")):
            if ident := _ident(connection.get("serviceChannel")):
                channels.add(ident)
        for role in _dicts(item.get("organizations")):
            if ident := _ident(role.get("organization")):
                organisations.add(ident)
    return channels, organisations


def _ids(body: Any) -> list[str]:
    return [i for i in map(_ident, snap.items_of(body)) if i]


def run_parallel(
    jobs: Sequence[Callable[[], Iterator[Answer]]],
    workers: int,
    cancel: Callable[[str], None],
) -> Iterator[list[Answer]]:
    """The answers of each job, in job order, from ``workers`` threads.

    The first error cancels the queued jobs (``cancel``) and is raised at once: the threads
    are daemons, so a request still hanging on a dead server does not hold up the report.
    """
    results: dict[int, list[Answer]] = {}
    failures: queue.Queue[tuple[int, BaseException | None]] = queue.Queue()
    pending: queue.Queue[int] = queue.Queue()
    for index in range(len(jobs)):
        pending.put(index)

    def work() -> None:
        while True:
            try:
                index = pending.get_nowait()
            except queue.Empty:
                return
            try:
                results[index] = list(jobs[index]())
                failures.put((index, None))
            except BaseException as exc:
                failures.put((index, exc))
                return

    for _ in range(max(1, min(workers, len(jobs)))):
        threading.Thread(target=work, daemon=True, name="ptv-fetch").start()
    done: set[int] = set()
    following = 0
    while following < len(jobs):
        index, error = failures.get()
        if error is not None:
            cancel(str(error))
            raise error
        done.add(index)
        while following in done:
            yield results.pop(following)
            following += 1


class Fetcher:
    """One fetch run: collects answers into a snapshot writer."""

    def __init__(
        self,
        source: PtvSource,
        root: Path,
        *,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        workers: int = 4,
        progress: Progress | None = None,
        synthetic: bool = False,
        policy: SanityPolicy | None = None,
        keep: int = KEEP,
    ) -> None:
        self.source = source
        self.store = Store(root, keep)
        self.clock = clock
        self.workers = workers
        """How many requests run at once: enough to be quick, few enough to be polite."""
        self.progress = progress or _Silent()
        self.synthetic = synthetic
        self.policy = policy or SanityPolicy()
        self.channels: set[str] = set()
        self.organisations: set[str] = set()
        self.known: dict[str, set[str]] = {
            "service": set(),
            "channel": set(),
            "organization": set(),
        }

    @property
    def root(self) -> Path:
        return self.store.root

    def _record(self, writer: Writer, answers: Iterable[Answer]) -> None:
        for answer in answers:
            writer.add(answer)
            if answer.kind == "service" and answer.role == "items":
                channels, organisations = _service_links(answer.body)
                self.channels |= channels
                self.organisations |= organisations

    def _parallel(
        self,
        writer: Writer,
        description: str,
        jobs: Sequence[Callable[[], Iterator[Answer]]],
    ) -> None:
        advance = self.progress.step(description, len(jobs))
        # Results are recorded in job order, so the same data gives the same snapshot.
        for answers in run_parallel(jobs, self.workers, self.source.budget.cancel):
            self._record(writer, answers)
            advance(1)

    def _objects(self, writer: Writer, kind: Kind, ids: set[str], tag: str) -> None:
        ordered = sorted(ids)
        advance = self.progress.step(f"{kind}s by id", max(1, len(ordered)))
        for answer in self.source.objects(kind, ordered, tag):
            self._record(writer, [answer])
            advance(len(answer.requested))

    def run(
        self,
        municipalities: Sequence[str],
        mode: Mode,
        *,
        all_areas: bool,
        since: datetime | None = None,
        areas: Mapping[str, Sequence[str]] | None = None,
        force: bool = False,
    ) -> FetchResult:
        """Fetch, check against the policy and promote; ``areas`` names the counties (their
        municipality codes) whose service counts the policy compares."""
        groups = (
            dict(areas) if areas is not None else {f"municipality {m}": [m] for m in municipalities}
        )
        with self.store.locked():
            previous, before = self._previous(groups)
            if mode == "incremental" and previous is None:
                mode = "full"
            if mode == "incremental" and since is None and previous is not None:
                since = previous.watermark - SAFETY_MARGIN
            writer = self.store.writer(
                source=self.source.api,
                base_url=getattr(self.source, "record_as", None) or self.source.base_url,
                mode=mode,
                started=self.clock(),
                sample=self.synthetic,
                since=since if mode == "incremental" else None,
            )
            forced: list[str] = []

            def check(dataset: snap.Dataset, written: Writer) -> list[str]:
                reasons = refusals(
                    before, snap.census(dataset, groups, written.new_files), self.policy
                )
                forced.extend(reasons if force else [])
                return reasons

            try:
                carried = self._fill(writer, previous, municipalities, mode, all_areas, since)
                result, dataset = writer.commit(self.clock(), snap.load, check, force=force)
            except BaseException:
                writer.abort()
                raise
        return FetchResult(
            snapshot=result,
            mode=mode,
            answers=len(result.entries),
            carried=carried,
            services=len(dataset.services),
            channels=len(dataset.channels),
            organisations=len(dataset.organisations),
            warnings=[str(p) for p in dataset.problems],
            forced=forced,
        )

    def _previous(
        self, groups: Mapping[str, Sequence[str]]
    ) -> tuple[Snapshot | None, Census | None]:
        """The snapshot to build on and its census; the newest good one if CURRENT is broken."""
        try:
            loaded = self.store.load(snap.load)
        except SnapshotError:
            return None, None
        if loaded is None:
            return None, None
        origins = loaded.data.origins.values()
        if origins and all(origin.sample for origin in origins):
            # Real PTV differs from the generated sample in every way; no drop to compare.
            return loaded.snapshot, None
        return loaded.snapshot, snap.census(loaded.data, groups)

    def _fill(
        self,
        writer: Writer,
        previous: Snapshot | None,
        municipalities: Sequence[str],
        mode: Mode,
        all_areas: bool,
        since: datetime | None,
    ) -> int:
        if mode == "incremental":
            assert previous is not None and since is not None
            carried = writer.copy_from(previous, lambda entry: True)
            self._known_links(previous)
            self._incremental(writer, since)
            return carried
        carried = 0
        refreshed = {f"municipality:{code}" for code in municipalities} | {"nationwide"}
        if previous is not None and not all_areas:
            # Keep the other counties; their channels and organisations are fetched again below
            # only if this county needs them.
            carried = writer.copy_from(
                previous,
                lambda entry: entry["kind"] != "service" or entry.get("tag") not in refreshed,
            )
        jobs = [
            lambda code=code: self.source.municipality_services(code) for code in municipalities
        ]
        self._parallel(writer, "services by municipality", jobs)
        self._parallel(writer, "nationwide services", [self.source.nationwide_services])
        self._objects(writer, "channel", self.channels, "links")
        self._objects(writer, "organization", self.organisations, "links")
        return carried

    def _known_links(self, previous: Snapshot) -> None:
        for entry in previous.entries:
            if entry["role"] == "items" and entry["kind"] in self.known:
                self.known[entry["kind"]] |= set(_ids(previous.body(entry)))

    def _incremental(self, writer: Writer, since: datetime) -> None:
        kinds: tuple[Kind, ...] = ("service", "channel", "organization")
        changed: dict[Kind, set[str]] = {kind: set() for kind in kinds}
        for kind in kinds:
            for answer in self.source.changes(kind, since, "changed"):
                writer.add(answer)
                changed[kind] |= set(_ids(answer.body))
        # Changed services anywhere in Finland may now be offered in a county: fetch them all
        # and let matching keep the ones in each county's area.
        self.channels, self.organisations = set(), set()
        self._objects(writer, "service", changed["service"], "changed")
        # Channels and organisations: the ones new services name, and changed ones already known.
        linked: tuple[tuple[Kind, set[str]], ...] = (
            ("channel", self.channels),
            ("organization", self.organisations),
        )
        for kind, named in linked:
            wanted = (named - self.known[kind]) | (changed[kind] & self.known[kind])
            self._objects(writer, kind, wanted, "changed")
        for kind in ("service", "channel"):
            for answer in self.source.changes(kind, since, "removed"):
                writer.add(answer)


__all__ = ["FetchError", "FetchResult", "Fetcher", "Mode", "run_parallel"]
