"""Stage 2, fetch: ask each county's event sources and write a new events snapshot.

Input: the counties' ``events:`` settings (:class:`~.config.RegionEvents`), the national
``extra.events`` (:class:`~.config.EventsSettings`), the mode, the build date and the store's
folder. Output: a new current snapshot in ``snapshots/events/`` (each raw answer tagged
``<county>:<feed>``), or an exception while the current snapshot stays in place:
:class:`~pipeline.sources.base.FetchError` when a source failed (a 404, an error status, an
HTML page, garbage, a time-out), :class:`~pipeline.sources.store.Refused` when the sanity
policy refused the new snapshot (a feed lost most of its events, too many unreadable items).

- **full**: every Linked Events feed from the build date to the horizon, every ICS feed whole,
  Lähellä.fi when it is turned on. A fetch of some counties keeps the other counties' answers.
- **incremental**: the Linked Events answers of the current snapshot are kept and only what
  changed since its fetch started (minus a margin) is asked, deleted events included; ICS
  feeds and Lähellä.fi have no such query and are fetched whole. Run a full fetch weekly, so
  that events entering the horizon are seen.

Every address can point at a stand-in (``PERHEKESKUS_EVENTS_URL``); the snapshot records the
configured address.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Literal

from pipeline.sources.base import Answer, FetchError
from pipeline.sources.events import snapshot as snap
from pipeline.sources.events.config import EventsSettings, RegionEvents, effective_url
from pipeline.sources.events.ics import IcsSource
from pipeline.sources.events.lahella import LahellaSource
from pipeline.sources.events.linked_events import KIND as LINKED_EVENTS
from pipeline.sources.events.linked_events import LinkedEventsSource
from pipeline.sources.events.places import Municipalities
from pipeline.sources.policy import Census, refusals
from pipeline.sources.store import Snapshot, SnapshotError, Store, Writer

Mode = Literal["full", "incremental"]
SAFETY_MARGIN = timedelta(hours=1)
SOURCE = "events"


@dataclass
class FetchResult:
    snapshot: Snapshot
    mode: Mode
    answers: int
    carried: int
    items: dict[str, int] = field(default_factory=dict)
    """Items per county feed in the new snapshot."""
    warnings: list[str] = field(default_factory=list)
    forced: list[str] = field(default_factory=list)


class EventsFetcher:
    """One fetch run over the counties' event sources."""

    def __init__(
        self,
        root: Path,
        settings: EventsSettings,
        municipalities: Municipalities,
        *,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        synthetic: bool = False,
        override: str | None = None,
    ) -> None:
        self.store = Store(root, settings.keep)
        self.settings = settings
        self.municipalities = municipalities
        self.clock = clock
        self.synthetic = synthetic
        self.override = override
        """A stand-in address for every source (else ``PERHEKESKUS_EVENTS_URL``)."""

    def _url(self, url: str) -> str:
        return effective_url(url, self.override)

    # --- the questions of one county ------------------------------------------------------

    def linked_events(
        self, slug: str, config: RegionEvents, today: date, since: datetime | None
    ) -> Iterator[Answer]:
        for feed in config.linked_events:
            instance = self.settings.linked_events.get(feed.instance)
            if instance is None:
                raise FetchError(
                    f"regions/{slug}.yml: events.linked_events: no instance '{feed.instance}' "
                    "in extra.events.linked_events of mkdocs.yml",
                    "format",
                )
            source = LinkedEventsSource(
                self._url(instance.url),
                self.settings.limits,
                record_as=instance.url,
                page_size=instance.page_size,
                clock=self.clock,
            )
            yield from source.events(
                f"{slug}:{feed.instance}",
                feed.divisions,
                feed.keywords,
                start=today,
                end=today + timedelta(days=self.settings.horizon_days),
                since=since,
            )

    def whole_feeds(self, slug: str, config: RegionEvents) -> Iterator[Answer]:
        """ICS feeds and Lähellä.fi: fetched whole every time."""
        for feed in config.ics:
            source = IcsSource(
                self._url(feed.url), self.settings.limits, record_as=feed.url, clock=self.clock
            )
            yield from source.feed(f"{slug}:{feed.id}")
        lahella = self.settings.lahella
        if lahella.enabled and config.lahella is not None:
            source_l = LahellaSource(
                self._url(lahella.url),
                self.settings.limits,
                record_as=lahella.url,
                clock=self.clock,
            )
            for group in config.lahella.groups:
                yield from source_l.activities(f"{slug}:lahella-{group}", group)

    # --- the run --------------------------------------------------------------------------

    def run(
        self,
        counties: Mapping[str, RegionEvents],
        mode: Mode,
        *,
        today: date,
        all_areas: bool,
        force: bool = False,
    ) -> FetchResult:
        with self.store.locked():
            previous, before = self._previous()
            if mode == "incremental" and previous is None:
                mode = "full"
            since = (
                previous.watermark - SAFETY_MARGIN if previous and mode == "incremental" else None
            )
            writer = self.store.writer(
                source=SOURCE,
                base_url="(per county feed)",
                mode=mode,
                started=self.clock(),
                sample=self.synthetic,
                since=since,
            )
            forced: list[str] = []

            def check(raw: snap.RawSnapshot, written: Writer) -> list[str]:
                reasons = refusals(
                    before,
                    snap.census(raw, self.municipalities, written.new_files),
                    self.settings.sanity,
                )
                forced.extend(reasons if force else [])
                return reasons

            try:
                carried = self._carry(writer, previous, counties, mode, all_areas)
                for slug, config in counties.items():
                    for answer in self.linked_events(slug, config, today, since):
                        writer.add(answer)
                    for answer in self.whole_feeds(slug, config):
                        writer.add(answer)
                result, raw = writer.commit(self.clock(), snap.read_raw, check, force=force)
            except BaseException:
                writer.abort()
                raise
        census = snap.census(raw, self.municipalities)
        warnings = _warnings(raw, self.municipalities)
        return FetchResult(
            result, mode, len(result.entries), carried, dict(census.areas), warnings, forced
        )

    def _previous(self) -> tuple[Snapshot | None, Census | None]:
        try:
            loaded = self.store.load(snap.read_raw)
        except SnapshotError:
            return None, None
        if loaded is None:
            return None, None
        raw = loaded.data
        if raw.answers and all(answer.sample for answer in raw.answers):
            # Real sources differ from the sample in every way; no drop to compare.
            return loaded.snapshot, None
        return loaded.snapshot, snap.census(raw, self.municipalities)

    def _carry(
        self,
        writer: Writer,
        previous: Snapshot | None,
        counties: Mapping[str, RegionEvents],
        mode: Mode,
        all_areas: bool,
    ) -> int:
        if previous is None:
            return 0
        refreshed = set(counties)

        def keep(entry: dict[str, object]) -> bool:
            county = str(entry.get("tag", "")).split(":", 1)[0]
            if county not in refreshed:
                return not all_areas
            # Incremental: a refreshed county's Linked Events answers are the base the
            # changes apply to.
            return mode == "incremental" and entry.get("kind") == LINKED_EVENTS

        return writer.copy_from(previous, keep)


def _warnings(raw: snap.RawSnapshot, municipalities: Municipalities) -> list[str]:
    """What a reader reported about the new snapshot's items (skipped items)."""
    from pipeline.problems import Problems

    problems = Problems()
    far = datetime(3000, 1, 1, tzinfo=UTC)
    start = datetime(1900, 1, 1, tzinfo=UTC)

    def context_of(answer: snap.RawAnswer) -> snap.ReadContext:
        return snap.ReadContext(start, far, municipalities, answer.feed, expand=False)

    snap.read_answers(raw.answers, context_of, problems)
    return [str(p) for p in problems]


__all__ = ["EventsFetcher", "FetchError", "FetchResult", "Mode"]
