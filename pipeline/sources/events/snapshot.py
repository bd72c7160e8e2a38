"""Events snapshots: a county's upcoming activities and events for one build date.

Input: the current events snapshot (``snapshots/events/``, raw answers of Linked Events, ICS
feeds and Lähellä.fi, each tagged with its county and feed), the current PTV snapshot (for
long-term activities), the county's ``regions/<slug>.yml`` and the build date. Output: an
:class:`EventsDataset`: the county's items that still have a date within the horizon (or are
long-term), each once (:mod:`.merge`), with provenance and the problems found.

Reading replays the county's answers in order: a later answer replaces an item with the same
id (an incremental Linked Events page), and a deleted item is removed. Each raw item is read by
its source's reader (:data:`READERS`) and built field by field (:func:`.model.build_event`): a
bad value is dropped and reported as ``<source> <id>: <field>: ...``; an unusable item is
skipped and reported, and never stops the others.

**Sample data never goes stale.** The committed sample snapshot (``synthetic`` in its
manifest) holds raw answers dated around its own fetch date. It is read as if the build date
were that many whole weeks earlier, and every time of it is then moved forward by the same
number of weeks in Finnish wall-clock time: a Tuesday 9.30 family café stays on Tuesdays at
9.30, on both sides of a daylight saving change.
"""

from __future__ import annotations

import importlib
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipeline.cache import BuildCache, digest_files
from pipeline.problems import Problems
from pipeline.sources.events import merge as merging
from pipeline.sources.events.config import EventsSettings, RegionEvents
from pipeline.sources.events.model import (
    HELSINKI,
    Event,
    Issue,
    Occurrence,
    Registration,
    Unusable,
    build_event,
)
from pipeline.sources.events.places import Municipalities, load_municipalities
from pipeline.sources.events.provenance import Origin, mark_sample
from pipeline.sources.policy import Census
from pipeline.sources.store import Snapshot, SnapshotError, Store, parse_time

if TYPE_CHECKING:
    from pipeline.sources.ptv.snapshot import Dataset

SOURCE_NAMES = {
    "linked-events": "Linked Events",
    "ics": "ICS feed",
    "lahella": "Lähellä.fi",
    "ptv": "PTV",
}


# --- what readers get and give ------------------------------------------------------------


@dataclass(frozen=True)
class ReadContext:
    """What a reader needs besides the raw answer."""

    as_of: datetime
    """The start of the build day in Finnish time (for the sample: as many weeks earlier as
    the sample is old). Dates before it are past."""
    horizon: datetime
    """Dates from this on are not read (recurrences are expanded up to it)."""
    municipalities: Municipalities
    feed: str = ""
    """The feed the answer is from (``helsinki``, an ICS feed's id), for ids and messages."""
    default_municipality: str | None = None
    """Where the feed's items are held when they do not say (an ICS feed's setting)."""
    expand: bool = True
    """Whether to work out the dates (False when only counting items, for the policy)."""


@dataclass
class Candidate:
    """One raw item as a reader understood it, before validation."""

    ident: str
    """The item's id as messages name it (``helsinki:agdjd4x4ka``)."""
    fields: dict[str, Any] = field(default_factory=dict)
    """The fields of :class:`~.model.Event` the reader found (raw values, validated later)."""
    issues: list[Issue] = field(default_factory=list)
    """What the reader itself could not use."""
    deleted: bool = False
    """The source says the item is gone: remove it if an earlier answer had it."""
    error: str | None = None
    """Why the item cannot be read at all (it is skipped and reported), else None."""


Reader = Callable[[Sequence[Any], ReadContext], Iterator[Candidate]]
READERS: dict[str, Reader] = {}
"""Per answer kind (``linked-events``, ``ics``, ``lahella``): the reader of raw bodies. It gets
the bodies of one feed's consecutive answers together, in order (every page of a listing, then
the pages of later incremental runs), so that it can fold what spans pages (a Linked Events
super event and its sub events) and let a later version of an item replace an earlier one.
Each source module registers its own with :func:`reader`."""


def reader(kind: str) -> Callable[[Reader], Reader]:
    """Register the reader of answers of ``kind``."""

    def register(function: Reader) -> Reader:
        READERS[kind] = function
        return function

    return register


READ_ELSEWHERE = frozenset({"ptv"})
"""Answer kinds not read here: PTV v11 objects (the sample's PTV activities) are read by
:mod:`.ptv_activities`."""
READER_MODULES = ("linked_events", "ics", "lahella")
"""The source modules; each registers its reader when imported."""


def _readers() -> dict[str, Reader]:
    for name in READER_MODULES:
        importlib.import_module(f"pipeline.sources.events.{name}")
    return READERS


# --- the dataset --------------------------------------------------------------------------


@dataclass
class EventsDataset:
    """A county's upcoming activities and events for one build date."""

    region: str
    today: date
    horizon: datetime
    """Dates before this are listed (the end of the last day of the horizon, Finnish time)."""
    items: dict[str, Event] = field(default_factory=dict)
    """By id, sorted by first date (long-term activities last, by name)."""
    origins: dict[str, Origin] = field(default_factory=dict)
    merges: list[merging.Merge] = field(default_factory=list)
    """Records folded into another of the same activity, for the county report."""
    problems: Problems = field(default_factory=Problems)
    snapshot: str | None = None
    """The events snapshot read (None: there is none; only PTV activities are shown)."""
    fetched_at: datetime | None = None
    fallback: str | None = None
    """Set when the current events snapshot could not be read and an older one is used."""
    sources: dict[str, int] = field(default_factory=dict)
    """Items read per source (``linked-events``: 12), before merging and the county filter."""

    @property
    def sample(self) -> bool:
        """True when any item is sample data (the pages label it)."""
        return any(item.sample for item in self.items.values())

    def upcoming(self) -> list[Event]:
        """The dated items in order of their first date."""
        return [e for e in self.items.values() if e.start is not None]

    def long_term(self) -> list[Event]:
        return [e for e in self.items.values() if e.kind == "long-term"]


# --- the raw snapshot, read once per build -------------------------------------------------


@dataclass(frozen=True)
class RawAnswer:
    entry: dict[str, Any]
    body: Any
    fetched_at: datetime
    sample: bool

    @property
    def county(self) -> str:
        return str(self.entry.get("tag", "")).split(":", 1)[0]

    @property
    def feed(self) -> str:
        tag = str(self.entry.get("tag", ""))
        return tag.split(":", 1)[1] if ":" in tag else ""


@dataclass(frozen=True)
class RawSnapshot:
    snapshot: Snapshot
    answers: tuple[RawAnswer, ...]
    digest: str = ""
    """The hash of the snapshot as read (:meth:`~pipeline.sources.store.Snapshot.digest`)."""


def read_raw(snapshot: Snapshot) -> RawSnapshot:
    """Every answer of a snapshot, decompressed; SnapshotError if one cannot be read."""
    answers = []
    hashes = []
    try:
        for entry in snapshot.entries:
            fetched = entry.get("fetched_at")
            when = parse_time(fetched) if isinstance(fetched, str) else snapshot.fetched_at
            hashed, body = snapshot.read(entry)
            hashes.append(hashed)
            answers.append(RawAnswer(entry, body, when, snapshot.is_sample(entry)))
    except (OSError, ValueError, EOFError, KeyError, TypeError) as exc:
        raise SnapshotError(f"{snapshot.path}: an answer cannot be read ({exc})") from None
    return RawSnapshot(snapshot, tuple(answers), snapshot.digest(hashes))


_cache: dict[tuple[Path, str], tuple[RawSnapshot, str | None]] = {}
_cache_lock = threading.Lock()


def load_raw(folder: Path) -> tuple[RawSnapshot, str | None] | None:
    """The current snapshot under ``folder`` (or the newest good one, with the reason), read
    once per process; None when there is none."""
    store = Store(folder)
    try:
        ident = store.current_id()
    except SnapshotError:
        ident = None
    cache_key = (folder.resolve(), ident or "")
    with _cache_lock:
        if ident and cache_key in _cache:
            return _cache[cache_key]
    loaded = store.load(read_raw)
    if loaded is None:
        return None
    result = (loaded.data, loaded.fallback)
    with _cache_lock:
        if ident and loaded.snapshot.id == ident:
            _cache[cache_key] = result
    return result


# --- reading a county ---------------------------------------------------------------------


def start_of(day: date) -> datetime:
    return datetime.combine(day, time(0), HELSINKI)


def sample_shift(anchor: date, today: date) -> timedelta:
    """Whole weeks from the sample's own date to the build date (weekdays stay)."""
    return timedelta(weeks=(today - anchor).days // 7)


def shift_time(moment: datetime, by: timedelta) -> datetime:
    """The same Finnish wall-clock time ``by`` later (10.00 stays 10.00 across a DST change)."""
    local = moment.astimezone(HELSINKI).replace(tzinfo=None) + by
    return local.replace(tzinfo=HELSINKI)


def _shift_value(value: Any, by: timedelta) -> Any:
    if isinstance(value, datetime):
        return shift_time(value, by)
    if isinstance(value, tuple):
        return tuple(_shift_value(v, by) for v in value)
    if isinstance(value, Occurrence | Registration):
        return value.model_copy(update=_shifted_fields(value, by))
    return value


def _shifted_fields(item: Any, by: timedelta) -> dict[str, Any]:
    return {
        name: _shift_value(getattr(item, name), by)
        for name in type(item).model_fields
        if isinstance(getattr(item, name), datetime | tuple | Occurrence | Registration)
    }


def shift_event(event: Event, by: timedelta) -> Event:
    """The event with every time moved ``by`` in wall-clock time (the sample's dates)."""
    if not by:
        return event
    return event.model_copy(update=_shifted_fields(event, by))


def describe_source(source: str, ident: str) -> str:
    return f"{SOURCE_NAMES.get(source, source)} item {ident}"


def read_answers(
    answers: Iterable[RawAnswer],
    context_of: Callable[[RawAnswer], ReadContext],
    problems: Problems,
    shift_of: Callable[[RawAnswer], timedelta] = lambda answer: timedelta(0),
    snapshot: str | None = None,
) -> tuple[dict[str, Event], dict[str, Origin], dict[str, int]]:
    """Replay answers in order into items by id; later answers replace earlier ones."""
    readers = _readers()
    items: dict[str, Event] = {}
    origins: dict[str, Origin] = {}
    counts: dict[str, int] = {}
    for group in feed_groups(answers):
        first, last = group[0], group[-1]
        kind = str(first.entry.get("kind", ""))
        read = readers.get(kind)
        if kind in READ_ELSEWHERE:
            continue
        if read is None:
            problems.warning(
                f"events snapshot {first.entry.get('file')}",
                None,
                f"an answer of unknown kind '{kind}': not read",
            )
            continue
        context = context_of(first)
        shift = shift_of(first)
        for candidate in read([a.body for a in group], context):
            where = describe_source(kind, candidate.ident)
            item_id = f"{kind}:{candidate.ident}"
            if candidate.deleted:
                items.pop(item_id, None)
                origins.pop(item_id, None)
                continue
            if candidate.error is not None:
                problems.warning(where, None, f"skipped: {candidate.error}")
                continue
            event = _build(candidate, last, kind, item_id, where, problems)
            if event is None:
                continue
            event = shift_event(event, shift)
            items[item_id] = event
            origins[item_id] = Origin(kind, first.feed, last.fetched_at, last.sample, snapshot)
            counts[kind] = counts.get(kind, 0) + 1
    return items, origins, counts


def feed_groups(answers: Iterable[RawAnswer]) -> list[list[RawAnswer]]:
    """The answers of each feed (kind and tag) together, in their order; a feed's answers
    of one fetch are consecutive, and an incremental fetch appends to the copied ones."""
    groups: dict[tuple[str, str], list[RawAnswer]] = {}
    for answer in answers:
        key = (str(answer.entry.get("kind", "")), str(answer.entry.get("tag", "")))
        groups.setdefault(key, []).append(answer)
    return list(groups.values())


def _build(
    candidate: Candidate,
    answer: RawAnswer,
    kind: str,
    item_id: str,
    where: str,
    problems: Problems,
) -> Event | None:
    fields = {
        **candidate.fields,
        "id": item_id,
        "source": kind,
        "source_id": candidate.ident,
        "fetched_at": answer.fetched_at,
        "sample": answer.sample,
    }
    try:
        event = build_event(fields, candidate.issues)
    except Unusable as exc:
        problems.warning(where, None, f"skipped: {exc}")
        return None
    except Exception as exc:  # a reader bug on one item must not stop the others
        problems.warning(where, None, f"skipped: {exc.__class__.__name__}: {exc}")
        return None
    for issue in event.issues:
        problems.warning(where, None, str(issue))
    return mark_sample(event)


def _context(
    answer: RawAnswer,
    config: RegionEvents,
    municipalities: Municipalities,
    as_of: datetime,
    horizon: datetime,
) -> ReadContext:
    default = next((f.municipality for f in config.ics if f.id == answer.feed), None)
    return ReadContext(as_of, horizon, municipalities, answer.feed, default)


def in_county(event: Event, codes: frozenset[str]) -> bool:
    """Held in one of the county's municipalities, or online only (a county's own feed)."""
    if event.municipalities:
        return bool(codes.intersection(event.municipalities))
    return event.mode == "online"


def _order(event: Event) -> tuple[int, datetime, str]:
    first = event.start or datetime.max.replace(tzinfo=HELSINKI)
    return (1 if event.start is None else 0, first, event.name("fi")[0].casefold())


def county_dataset(
    slug: str,
    today: date,
    config: RegionEvents,
    codes: Sequence[str],
    settings: EventsSettings,
    municipalities: Municipalities,
    raw: tuple[RawSnapshot, str | None] | None,
    ptv_items: Mapping[str, Event] | None = None,
    ptv_origins: Mapping[str, Origin] | None = None,
) -> EventsDataset:
    """The dataset of one county from an already read snapshot (pure apart from reading)."""
    as_of = start_of(today)
    horizon = start_of(today + timedelta(days=settings.horizon_days + 1))
    dataset = EventsDataset(region=slug, today=today, horizon=horizon)
    items: dict[str, Event] = {}
    origins: dict[str, Origin] = {}
    if raw is not None:
        snapshot, fallback = raw
        dataset.snapshot = snapshot.snapshot.id
        dataset.fetched_at = snapshot.snapshot.fetched_at
        dataset.fallback = fallback
        if fallback:
            dataset.problems.warning(settings.snapshots, None, f"events: {fallback}")
        anchor = snapshot.snapshot.fetched_at.astimezone(HELSINKI).date()

        def shift_of(answer: RawAnswer) -> timedelta:
            return sample_shift(anchor, today) if answer.sample else timedelta(0)

        def context_of(answer: RawAnswer) -> ReadContext:
            shift = shift_of(answer)
            return _context(answer, config, municipalities, as_of - shift, horizon - shift)

        wanted = [a for a in snapshot.answers if a.county == slug and _enabled(a, settings)]
        read, read_origins, counts = read_answers(
            wanted, context_of, dataset.problems, shift_of, snapshot.snapshot.id
        )
        items.update(read)
        origins.update(read_origins)
        dataset.sources.update(counts)
    if config.ptv_activities and ptv_items:
        items.update(ptv_items)
        origins.update(ptv_origins or {})
        dataset.sources["ptv"] = len(ptv_items)
    county = frozenset(codes)
    kept = {
        ident: event
        for ident, event in items.items()
        if in_county(event, county) and _current(event, as_of)
    }
    merged, dataset.merges = merging.merge(kept.values(), municipalities.codes)
    dataset.items = {e.id: e for e in sorted(merged, key=_order)}
    dataset.origins = {i: origins[i] for i in dataset.items if i in origins}
    dataset.problems = Problems(sorted(set(dataset.problems)))
    return dataset


def _enabled(answer: RawAnswer, settings: EventsSettings) -> bool:
    """Lähellä.fi answers are read only while the national flag is on."""
    return answer.entry.get("kind") != "lahella" or settings.lahella.enabled


def _current(event: Event, as_of: datetime) -> bool:
    """Past dates are gone at the next build; an item without a date left is dropped."""
    if event.kind == "long-term":
        return True
    return event.start is not None and (event.end or event.start) >= as_of


def census(
    raw: RawSnapshot, municipalities: Municipalities, new_files: Iterable[str] = ()
) -> Census:
    """Items per county feed, and the items of this fetch that could not be read, for the
    sanity policy (dates are not looked at: a quiet month is not a broken answer)."""
    counts: dict[str, int] = {}
    fetched = unreadable = 0
    fresh = set(new_files)
    readers = _readers()
    always = ReadContext(
        datetime(1900, 1, 1, tzinfo=HELSINKI),
        datetime(3000, 1, 1, tzinfo=HELSINKI),
        municipalities,
        expand=False,
    )
    for group in feed_groups(raw.answers):
        read = readers.get(str(group[0].entry.get("kind", "")))
        if read is None:
            continue
        new = any(a.entry.get("file") in fresh for a in group)
        name = f"events of {group[0].county} ({group[0].feed})"
        counts.setdefault(name, 0)
        for candidate in read([a.body for a in group], always):
            if candidate.deleted:
                continue
            fetched += new
            if candidate.error is not None:
                unreadable += new
                continue
            counts[name] += 1
    return Census(
        noun="events", areas=counts, fetched=fetched, unreadable=unreadable,
        total=sum(counts.values()),
    )  # fmt: skip


# --- the entry point for the build -------------------------------------------------------


def load_events(
    root: Path,
    region_slug: str,
    today: date,
    *,
    region: Any | None = None,
    settings: EventsSettings | None = None,
    ptv: Any | None = None,
) -> EventsDataset:
    """The county's upcoming activities and events for the build date ``today``.

    ``root`` is the project folder. ``region`` (a loaded :class:`~pipeline.content.models.
    Region`), ``settings`` (``extra.events``) and ``ptv`` (the loaded PTV
    :class:`~pipeline.sources.ptv.snapshot.Dataset`) are read from the project when not given;
    a build that has them already passes them, so nothing is read twice. Never raises for
    data: an unreadable snapshot is a problem in the dataset (the county shows no events and
    the report says why).
    """
    problems = Problems()
    if settings is None or region is None:
        settings, region = _load_settings(root, region_slug, settings, region, problems)
    cache = BuildCache(root)
    raw: tuple[RawSnapshot, str | None] | None = None
    try:
        raw = load_raw(root / settings.snapshots)
    except SnapshotError as exc:
        problems.warning(settings.snapshots, None, f"no events snapshot can be read: {exc}")
    if raw is None and not problems:
        problems.warning(
            settings.snapshots,
            None,
            "no events snapshot: only PTV activities are shown (run 'perhekeskus fetch events')",
        )
    from pipeline.sources.events import ptv_activities

    if region.events.ptv_activities and ptv is None:
        ptv = ptv_activities.current_ptv(root, problems)
    key = county_key(cache, root, region_slug, today, region, settings, raw, ptv)
    kept = cache.get("events", key) if key is not None else None
    if isinstance(kept, EventsDataset):
        dataset = kept
    else:
        dataset = _read_county(root, region_slug, today, region, settings, raw, ptv)
        if key is not None:
            cache.put("events", key, dataset)
    dataset.problems = Problems(sorted(set(dataset.problems) | set(problems)))
    return dataset


def _read_county(
    root: Path,
    slug: str,
    today: date,
    region: Any,
    settings: EventsSettings,
    raw: tuple[RawSnapshot, str | None] | None,
    ptv: Any | None,
) -> EventsDataset:
    """The county's dataset from the read snapshots (the work the build cache saves)."""
    problems = Problems()
    ptv_items: dict[str, Event] = {}
    ptv_origins: dict[str, Origin] = {}
    if region.events.ptv_activities:
        from pipeline.sources.events import ptv_activities

        ptv_items, ptv_origins = ptv_activities.activities(
            root, ptv, problems, start_of(today), raw[0] if raw else None, slug
        )
    codes = [m.code for m in region.municipalities]
    dataset = county_dataset(
        slug,
        today,
        region.events,
        codes,
        settings,
        load_municipalities(root),
        raw,
        ptv_items,
        ptv_origins,
    )
    dataset.problems = Problems(sorted(set(dataset.problems) | set(problems)))
    return dataset


DATA_FILES = (
    "data/regions/municipalities.csv",
    "data/events/municipality-aliases.csv",
    "data/events/ptv-activities.yml",
)
"""The project's data files a county's dataset is made with (places and PTV activities)."""
LAHELLA_CODES = Path(__file__).resolve().parents[3] / "data" / "events" / "lahella-codes.yml"
"""Lähellä.fi's codes of themes and audiences (the generator's own data, not the project's;
its reader, :mod:`pipeline.sources.events.lahella`, reads them)."""
LIBRARIES = ("icalendar", "recurring-ical-events", "tzdata")
"""Libraries besides :data:`pipeline.cache.LIBRARIES` whose version changes the dataset."""


def county_key(
    cache: BuildCache,
    root: Path,
    slug: str,
    today: date,
    region: Any,
    settings: EventsSettings,
    raw: tuple[RawSnapshot, str | None] | None,
    ptv: Dataset | None,
) -> str | None:
    """The build cache's key of a county's dataset: the events snapshot as read (and why an
    older one is used), the PTV dataset's key, the build date, the national and the county's
    settings and the data files; None when an input has no key (not cached)."""
    if not cache.on:
        return None
    from pipeline.sources.ptv.snapshot import library_version

    ptv_key = ""
    if region.events.ptv_activities and ptv is not None:
        ptv_key = ptv.key or ("no PTV items" if not (ptv.services or ptv.channels) else "")
        if not ptv_key:
            return None  # a PTV dataset not read through the cache: nothing to key it by
    snapshot, fallback = raw if raw is not None else (None, None)
    return cache.key(
        "events",
        *map(library_version, LIBRARIES),
        snapshot.digest if snapshot is not None else "no events snapshot",
        fallback or "",
        ptv_key,
        slug,
        today.isoformat(),
        settings.model_dump_json(),
        region.events.model_dump_json(),
        " ".join(m.code for m in region.municipalities),
        digest_files([root / name for name in DATA_FILES], root),
        digest_files([LAHELLA_CODES], LAHELLA_CODES.parent),
    )


def _load_settings(
    root: Path, slug: str, settings: EventsSettings | None, region: Any, problems: Problems
) -> tuple[EventsSettings, Any]:
    from pipeline.content.config import load_config
    from pipeline.content.load import load_areas
    from pipeline.problems import InvalidInput

    try:
        config = load_config(root, problems)
        areas = load_areas(root, config, problems, [slug])
    except InvalidInput as exc:
        raise SnapshotError(f"the configuration cannot be read: {exc}") from None
    if slug not in areas:
        raise SnapshotError(f"regions/{slug}.yml cannot be read: " + "; ".join(map(str, problems)))
    return settings or config.extra.events, region or areas[slug].region


__all__ = [
    "Candidate",
    "EventsDataset",
    "Origin",
    "ReadContext",
    "load_events",
    "reader",
]
