"""Stage 2, fetch: ask a PTV source for the counties' services and write a new snapshot.

Input: a :class:`~pipeline.sources.ptv.source.PtvSource`, the counties to fetch (their municipality
codes), the mode, and the current snapshot if there is one.
Output: a new current snapshot (:mod:`pipeline.sources.ptv.snapshot`), or an exception with the
reason while the current snapshot stays in place.

- **full**: for each municipality, every page of ``Service/list/area/Municipality/code/<code>``;
  the nationwide services once; then the channels and organisations the services name, by id.
  A full fetch of only some counties keeps the other counties' answers of the current snapshot.
- **incremental**: starts from the current snapshot's answers, asks what changed since a time
  (``date``, minus a safety margin), re-fetches the changed services and the channels and
  organisations they need, and removes archived and withdrawn ones. Connections do not change
  ``modified`` in PTV, so run a full fetch weekly.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Literal, Protocol

from pipeline.sources.ptv import snapshot as snap
from pipeline.sources.ptv.source import Answer, FetchError, Kind, PtvSource

Mode = Literal["full", "incremental"]
SAFETY_MARGIN = timedelta(hours=1)
"""Changes are asked from this long before the last fetch, so none falls between two runs."""


class Progress(Protocol):
    def step(self, description: str, total: int) -> Callable[[int], None]: ...


class _Silent:
    def step(self, description: str, total: int) -> Callable[[int], None]:
        return lambda advance: None


@dataclass
class FetchResult:
    snapshot: snap.Snapshot
    mode: Mode
    answers: int
    carried: int
    services: int
    channels: int
    organisations: int
    warnings: list[str] = field(default_factory=list)


def _service_links(body: Any) -> tuple[set[str], set[str]]:
    """Channel and organisation ids named by the services of one answer."""
    channels: set[str] = set()
    organisations: set[str] = set()
    for item in snap.items_of(body):
        if not isinstance(item, dict):
            continue
        for connection in item.get("serviceChannels") or []:
            ident = ((connection or {}).get("serviceChannel") or {}).get("id")
            if ident:
                channels.add(str(ident).lower())
        for role in item.get("organizations") or []:
            ident = ((role or {}).get("organization") or {}).get("id")
            if ident:
                organisations.add(str(ident).lower())
    return channels, organisations


def _ids(body: Any) -> list[str]:
    return [
        str(i["id"]).lower() for i in snap.items_of(body) if isinstance(i, dict) and i.get("id")
    ]


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
    ) -> None:
        self.source = source
        self.root = root
        self.clock = clock
        self.workers = workers
        """How many requests run at once: enough to be quick, few enough to be polite."""
        self.progress = progress or _Silent()
        self.synthetic = synthetic
        self.channels: set[str] = set()
        self.organisations: set[str] = set()

    def _record(self, writer: snap.SnapshotWriter, answers: Iterable[Answer]) -> None:
        for answer in answers:
            writer.add(answer)
            if answer.kind == "service" and answer.role == "items":
                channels, organisations = _service_links(answer.body)
                self.channels |= channels
                self.organisations |= organisations

    def _parallel(
        self,
        writer: snap.SnapshotWriter,
        description: str,
        jobs: Sequence[Callable[[], Iterator[Answer]]],
    ) -> None:
        advance = self.progress.step(description, len(jobs))
        with ThreadPoolExecutor(max_workers=self.workers) as pool:
            # Results are recorded in job order, so the same data gives the same snapshot.
            futures = [pool.submit(lambda job=job: list(job())) for job in jobs]
            for future in futures:
                self._record(writer, future.result())
                advance(1)

    def _objects(self, writer: snap.SnapshotWriter, kind: Kind, ids: set[str], tag: str) -> None:
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
        validate: Callable[[snap.Dataset], None] | None = None,
    ) -> FetchResult:
        previous = snap.current(self.root) if self.root.exists() else None
        if mode == "incremental" and previous is None:
            mode = "full"
        if mode == "incremental" and since is None and previous is not None:
            since = previous.fetched_at - SAFETY_MARGIN
        self.root.mkdir(parents=True, exist_ok=True)
        started = self.clock()
        writer = snap.SnapshotWriter(
            self.root,
            source=self.source.api,
            base_url=getattr(self.source, "record_as", None) or self.source.base_url,
            mode=mode,
            started=started,
            synthetic=self.synthetic,
            since=since if mode == "incremental" else None,
        )
        try:
            carried = self._fill(writer, previous, municipalities, mode, all_areas, since)
            result = writer.commit(self.clock(), validate)
        except BaseException:
            writer.abort()
            raise
        dataset = snap.load(result)
        return FetchResult(
            snapshot=result,
            mode=mode,
            answers=len(result.entries),
            carried=carried,
            services=len(dataset.services),
            channels=len(dataset.channels),
            organisations=len(dataset.organisations),
            warnings=[str(p) for p in dataset.problems],
        )

    def _fill(
        self,
        writer: snap.SnapshotWriter,
        previous: snap.Snapshot | None,
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

    def _known_links(self, previous: snap.Snapshot) -> None:
        self.known: dict[str, set[str]] = {
            "service": set(),
            "channel": set(),
            "organization": set(),
        }
        for entry in previous.entries:
            if entry["role"] == "items":
                self.known[entry["kind"]] |= set(_ids(previous.body(entry)))

    def _incremental(self, writer: snap.SnapshotWriter, since: datetime) -> None:
        changed: dict[Kind, set[str]] = {"service": set(), "channel": set(), "organization": set()}
        for kind in changed:
            for answer in self.source.changes(kind, since, "changed"):
                writer.add(answer)
                changed[kind] |= set(_ids(answer.body))
        # Changed services anywhere in Finland may now be offered in a county: fetch them all
        # and let matching keep the ones in each county's area.
        self.channels, self.organisations = set(), set()
        self._objects(writer, "service", changed["service"], "changed")
        # Channels and organisations: the ones new services name, and changed ones already known.
        for kind, named in (("channel", self.channels), ("organization", self.organisations)):
            wanted = (named - self.known[kind]) | (changed[kind] & self.known[kind])
            self._objects(writer, kind, wanted, "changed")  # type: ignore[arg-type]
        for kind in ("service", "channel"):
            for answer in self.source.changes(kind, since, "removed"):  # type: ignore[arg-type]
                writer.add(answer)


__all__ = ["FetchError", "FetchResult", "Fetcher", "Mode"]
