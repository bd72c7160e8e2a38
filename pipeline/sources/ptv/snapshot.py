"""PTV snapshots: the dataset the build reads from the raw answers, and its census.

Input: a snapshot of the store (:mod:`pipeline.sources.store`) holding raw v11 answers.
Output: a :class:`Dataset` of normalised services, channels and organisations, each item with
its provenance (when it was fetched, and whether it is sample data), and the :class:`Census`
the sanity policy compares.

Reading replays the answers in order: items replace earlier items with the same id, ids listed
as archived or withdrawn are removed, and ids asked for with ``list?guids=`` but missing from
the answer are removed (PTV drops unpublished ids silently). An item that cannot be read is
reported as ``PTV service <id>: ...``; an earlier version of it, if any, stays in use.

Answers are read one at a time and dropped once replayed: the raw JSON of a national snapshot
is many times the size of the dataset made of it. The dataset is kept in the build cache
(:mod:`pipeline.cache`, kind ``ptv``) under the hash of the snapshot's name, manifest and
answers' bytes (:meth:`~pipeline.sources.store.Snapshot.digest`) and of the reader's code, so
an unchanged snapshot is read once; a changed or broken answer changes the key, so a kept
dataset never stands in for a snapshot that no longer reads.

A new snapshot (every night) holds mostly the items of the one before: through the cache, an
item whose raw JSON is the same as one the last dataset read (the hash of its JSON, keys
sorted) is taken from that dataset with its warnings instead of being read again. An answer
whose file has the same bytes as one the last dataset read (six nights a week the fetch
carries the answers over and adds the changes) is not even parsed: the last dataset noted
which items it held (:class:`KnownAnswer`).
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from importlib import metadata
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import orjson

from pipeline.cache import BuildCache
from pipeline.problems import Problem, Problems
from pipeline.sources.policy import Census
from pipeline.sources.ptv import model
from pipeline.sources.ptv.normalise import read_item
from pipeline.sources.store import (
    Loaded,
    Snapshot,
    SnapshotError,
    Store,
    Writer,
    open_snapshot,
    parse_time,
)

__all__ = [
    "Dataset",
    "Origin",
    "Snapshot",
    "SnapshotError",
    "census",
    "current",
    "items_of",
    "load",
    "load_current",
    "open_snapshot",
]


@dataclass(frozen=True)
class Origin:
    """Where one item of the dataset comes from."""

    fetched_at: datetime
    sample: bool
    """True for the generated sample committed with the project (not real services)."""


@dataclass
class EntryStats:
    """What one answer held, for the sanity policy."""

    items: int = 0
    unreadable: int = 0
    requested: int = 0
    missing: int = 0


@dataclass
class Dataset:
    """Every service, channel and organisation of a snapshot, normalised."""

    services: dict[str, model.Service] = field(default_factory=dict)
    channels: dict[str, model.Channel] = field(default_factory=dict)
    organisations: dict[str, model.Organisation] = field(default_factory=dict)
    fetched_at: datetime | None = None
    snapshot: str | None = None
    origins: dict[str, Origin] = field(default_factory=dict)
    """Per item id: when it was fetched and whether it is sample data."""
    stats: dict[str, EntryStats] = field(default_factory=dict)
    """Per answer file: items read, unreadable, ids asked for and missing."""
    problems: Problems = field(default_factory=Problems)
    fallback: str | None = None
    """Set when the current snapshot could not be read and an older one is used: why."""
    key: str | None = None
    """The build cache's key of this dataset (the snapshot's content and the reader's code),
    for what is made from it; None when it was not read through the cache."""
    read_from: dict[tuple[str, str], str] = field(default_factory=dict)
    """Per item (kind, id), read through the cache: the hash of the raw item it was read from
    (:func:`raw_key`), so that the next snapshot's load can take it as it is."""
    item_problems: dict[tuple[str, str], tuple[Problem, ...]] = field(default_factory=dict)
    """Per item in :attr:`read_from`: the warnings reading it gave, when there were any."""
    answers_read: dict[bytes, KnownAnswer] = field(default_factory=dict)
    """Per answer file read through the cache (by the SHA-256 of its bytes) whose every item
    was read: which items it held."""

    def known(self) -> Known:
        """What the next load can take of it: its items by the hash of the raw item each was
        read from, with their warnings, and the answers whose items are all among them."""
        items = {}
        for kind in KINDS:
            for ident, item in self.store(kind).items():
                key = self.read_from.get((kind, ident))
                if key is not None:
                    items[key] = (item, self.item_problems.get((kind, ident), ()))
        answers = {
            hashed: answer
            for hashed, answer in self.answers_read.items()
            if all(key in items for _, key in answer.items)
        }
        return Known(items, answers)

    @property
    def synthetic(self) -> bool:
        """True when any item is sample data."""
        return any(origin.sample for origin in self.origins.values())

    def sample_among(self, ids: Iterable[str]) -> bool:
        """True when any of these items (services, channels...) is sample data."""
        return any(o.sample for o in map(self.origins.get, ids) if o is not None)

    def oldest_among(self, ids: Iterable[str]) -> datetime | None:
        """When the oldest of these items was fetched (the date a page shows for its data)."""
        times = [o.fetched_at for o in map(self.origins.get, ids) if o is not None]
        return min(times) if times else self.fetched_at

    def store(self, kind: str) -> dict[str, Any]:
        """The items of ``kind`` (one of :data:`KINDS`), by id."""
        stores: dict[str, dict[str, Any]] = {
            "service": self.services,
            "channel": self.channels,
            "organization": self.organisations,
        }
        return stores[kind]


KINDS = ("service", "channel", "organization")
"""The kinds of items a PTV answer holds, as the snapshot's entries name them."""


@dataclass(frozen=True)
class KnownAnswer:
    """An answer a load read: its kind and role, and the id and raw key (:func:`raw_key`) of
    each item it held, in order."""

    kind: str
    role: str
    items: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Known:
    """What a load takes from the dataset read before (:meth:`Dataset.known`)."""

    items: Mapping[str, tuple[Any, tuple[Problem, ...]]] = field(default_factory=dict)
    """Items by the hash of their raw item, with the warnings reading them gave."""
    answers: Mapping[bytes, KnownAnswer] = field(default_factory=dict)
    """Answers by the SHA-256 of their file, whose every item is in :attr:`items`."""


def items_of(body: Any) -> list[Any]:
    """The objects of an answer: a page envelope, a bare array, one object, or nothing."""
    if body is None:
        return []
    if isinstance(body, list):
        return body
    if isinstance(body, dict) and "itemList" in body:
        items = body.get("itemList")
        if items is None:
            return []  # v11's empty page
        # Anything else that is not a list is one unreadable item, counted by the policy.
        return items if isinstance(items, list) else [items]
    return [body]


def requested_ids(url: str) -> list[str]:
    """The ids a ``list?guids=`` request asked for (empty for other requests)."""
    values = parse_qs(urlsplit(url).query).get("guids", [])
    return [i.strip() for v in values for i in v.split(",") if i.strip()]


def _raw_id(raw: Any) -> str:
    ident = raw.get("id") if isinstance(raw, dict) else None
    return ident.strip().lower() if isinstance(ident, str) else ""


def _read(raw: Any, kind: str, ident: str, problems: Problems) -> Any | None:
    """One item, or None; a reader bug on one item must not stop the other items."""
    try:
        return read_item(raw, kind, problems)
    except Exception as exc:
        name = {"service": "PTV service", "channel": "PTV channel"}.get(kind, "PTV organisation")
        problems.warning(
            f"{name} {ident or 'without an id'}",
            None,
            f"skipped: the item could not be read ({exc.__class__.__name__}: {exc})",
        )
        return None


def raw_key(kind: str, raw: Any) -> str:
    """The hash of a raw item as it reads: its kind and its JSON, keys sorted."""
    return hashlib.sha256(
        kind.encode("utf-8") + b"\0" + orjson.dumps(raw, option=orjson.OPT_SORT_KEYS)
    ).hexdigest()


def _read_known(
    raw: Any,
    kind: str,
    ident: str,
    dataset: Dataset,
    known: Mapping[str, tuple[Any, tuple[Problem, ...]]],
) -> Any | None:
    """:func:`_read`, or the item read from the same raw item before (``known``), with the
    same warnings; noted in ``dataset`` for the next load."""
    try:
        key = raw_key(kind, raw)
    except (TypeError, orjson.JSONEncodeError):
        return _read(raw, kind, ident, dataset.problems)  # never parsed from JSON: not kept
    found = known.get(key)
    if found is not None:
        return _take(found, kind, key, dataset)
    own = Problems()
    return _take((_read(raw, kind, ident, own), tuple(own)), kind, key, dataset)


def _take(
    found: tuple[Any | None, tuple[Problem, ...]], kind: str, key: str, dataset: Dataset
) -> Any | None:
    """An item read (None: unreadable) with its warnings, noted in ``dataset``."""
    item, problems = found
    dataset.problems.extend(problems)
    if item is not None:
        dataset.read_from[(kind, item.id)] = key
        if problems:
            dataset.item_problems[(kind, item.id)] = problems
    return item


def replay(
    entries: Iterable[tuple[dict[str, Any], Any, Origin]],
    dataset: Dataset,
    known: Known | None = None,
    hashes: Sequence[bytes] = (),
) -> Dataset:
    """Apply answers in order to a dataset (pure apart from mutating ``dataset``). ``known``:
    what was read before (None: every item is read, and not noted); an answer given as a
    :class:`KnownAnswer` (its file's bytes were read before) takes its items from it.
    ``hashes``: the SHA-256 of each answer's file so far, the last one the answer being
    replayed (:func:`answers` adds each before it gives the answer), for the next load."""
    raws: dict[tuple[str, str], Any] = {}
    for entry, body, origin in entries:
        kind, role = entry.get("kind"), entry.get("role")
        if kind not in KINDS:
            continue
        store = dataset.store(kind)
        stats = dataset.stats.setdefault(str(entry.get("file")), EntryStats())
        if role == "removed":
            for ident in map(_raw_id, items_of(body)):
                store.pop(ident, None)
            continue
        if role != "items":
            continue
        if isinstance(body, KnownAnswer):
            assert known is not None
            present = _replay_known(body, store, stats, origin, dataset, known)
        else:
            present = _replay_items(body, kind, store, stats, origin, dataset, known, raws)
            if known is not None and hashes:
                _note_answer(hashes[-1], body, kind, dataset)
        requested = [i.lower() for i in requested_ids(str(entry.get("url", "")))]
        stats.requested = len(requested)
        for ident in requested:
            if ident not in present:
                stats.missing += 1
                store.pop(ident, None)
    return dataset


def _replay_items(
    body: Any,
    kind: str,
    store: dict[str, Any],
    stats: EntryStats,
    origin: Origin,
    dataset: Dataset,
    known: Known | None,
    raws: dict[tuple[str, str], Any],
) -> set[str]:
    """The items of a parsed answer into ``store``; the ids it held."""
    present = set()
    for raw in items_of(body):
        stats.items += 1
        ident = _raw_id(raw)
        present.add(ident)
        if ident in store and raws.get((kind, ident)) == raw:
            # A county-wide service comes again in every municipality's answer; read it once.
            # The latest answer holding it says where it comes from.
            dataset.origins[ident] = origin
            continue
        if known is None:
            item = _read(raw, kind, ident, dataset.problems)
        else:
            item = _read_known(raw, kind, ident, dataset, known.items)
        if item is None:
            stats.unreadable += 1
            continue
        store[item.id] = item
        raws[(kind, item.id)] = raw
        dataset.origins[item.id] = origin
    return present


def _replay_known(
    answer: KnownAnswer,
    store: dict[str, Any],
    stats: EntryStats,
    origin: Origin,
    dataset: Dataset,
    known: Known,
) -> set[str]:
    """The items of an answer read before into ``store``, as :func:`_replay_items` puts
    them (an item already there from the same raw item only gets this answer's origin); the
    ids it held."""
    present = set()
    for ident, key in answer.items:
        stats.items += 1
        present.add(ident)
        if ident in store and dataset.read_from.get((answer.kind, ident)) == key:
            dataset.origins[ident] = origin
            continue
        item = _take(known.items[key], answer.kind, key, dataset)
        if item is not None:  # always: the dataset before held it
            store[item.id] = item
            dataset.origins[item.id] = origin
    return present


def _note_answer(hashed: bytes, body: Any, kind: str, dataset: Dataset) -> None:
    """Note which items a parsed answer of items held, when each was read once (the next load
    can take the answer whole if its file has the same bytes)."""
    noted: dict[str, str] = {}
    for raw in items_of(body):
        ident = _raw_id(raw)
        key = dataset.read_from.get((kind, ident))
        if key is None or ident not in dataset.store(kind) or ident in noted:
            # An item that did not read, read as another id, or held twice: parsed next time.
            return
        noted[ident] = key
    dataset.answers_read[hashed] = KnownAnswer(kind, "items", tuple(noted.items()))


def load(
    snapshot: Snapshot,
    hashes: list[bytes] | None = None,
    known: Known | None = None,
) -> Dataset:
    """The dataset of a snapshot; bad items are skipped and listed in ``problems``. The hash
    of each answer read is added to ``hashes`` (for :meth:`Snapshot.digest`). ``known``: what
    an earlier load read (:meth:`Dataset.known`), taken instead of being read again; with it,
    the dataset notes what it read for the next load."""
    dataset = Dataset(fetched_at=snapshot.fetched_at, snapshot=snapshot.id)
    if known is not None and hashes is None:
        hashes = []  # the answers' hashes name what the next load can take
    with collector_paused():
        given = known.answers if known is not None else None
        replay(answers(snapshot, hashes, given), dataset, known, () if hashes is None else hashes)
    # Warnings about skipped items are the same on every load: report each once, sorted.
    dataset.problems = Problems(sorted(set(dataset.problems)))
    return dataset


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cycle collector paused: reading a national snapshot makes millions of objects
    (parsed JSON, normalised items) and each collection walks all that live on again, which
    took about a third of the load; the answers and items make no cycles to collect."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def answers(
    snapshot: Snapshot,
    hashes: list[bytes] | None = None,
    known: Mapping[bytes, KnownAnswer] | None = None,
) -> Iterator[tuple[dict[str, Any], Any, Origin]]:
    """The answers of a snapshot in order, each read only when the one before is done with,
    so that one answer's raw JSON is held at a time (the national snapshot's answers are ten
    times the size of the dataset made of them); SnapshotError when one cannot be read. An
    answer of ``known`` (by the SHA-256 of its file, of the same kind and role) is given as
    that :class:`KnownAnswer`, not parsed. The hash of each file is added to ``hashes``
    before its answer is given."""
    for entry in snapshot.entries:
        check = _known_check(entry, known)
        try:
            hashed, body = snapshot.read(entry, check)
            origin = _origin(snapshot, entry)
        except (OSError, ValueError, EOFError, KeyError, TypeError) as exc:
            raise SnapshotError(f"{snapshot.path}: an answer cannot be read ({exc})") from None
        if hashes is not None:
            hashes.append(hashed)
        if check is not None and known is not None and check(hashed):
            body = known[hashed]
        yield entry, body, origin
        del body  # not kept by the generator while the next answer is read


def _known_check(
    entry: dict[str, Any], known: Mapping[bytes, KnownAnswer] | None
) -> Callable[[bytes], bool] | None:
    """Whether an answer file's hash names a known answer of this entry's kind (an answer of
    items only); None when no answer is known."""
    if not known or entry.get("role") != "items":
        return None
    kind = entry.get("kind")

    def check(hashed: bytes) -> bool:
        found = known.get(hashed)
        return found is not None and found.kind == kind

    return check


def _origin(snapshot: Snapshot, entry: dict[str, Any]) -> Origin:
    fetched = entry.get("fetched_at")
    when = parse_time(fetched) if isinstance(fetched, str) else snapshot.fetched_at
    return Origin(when, snapshot.is_sample(entry))


LIBRARIES = ("pyproj",)
"""Libraries besides :data:`pipeline.cache.LIBRARIES` whose version changes the dataset
(coordinates are converted with pyproj)."""


def cache_key(cache: BuildCache, snapshot: Snapshot, hashes: list[bytes] | None = None) -> str:
    """The key of a snapshot's dataset: its content (``hashes``: of the answers as read), the
    reader's code and libraries."""
    return cache.key("ptv", *map(library_version, LIBRARIES), snapshot.digest(hashes))


def library_version(name: str) -> str:
    try:
        return f"{name}=={metadata.version(name)}"
    except metadata.PackageNotFoundError:
        return f"{name} missing"


def cached_load(cache: BuildCache) -> Callable[[Snapshot], Dataset]:
    """:func:`load` through the build cache: a snapshot whose content was read before gives
    the dataset kept then (SnapshotError, as from :func:`load`, if an answer is missing).

    A dataset is kept under the hash of the bytes it was read from, so only content that read
    without error is ever found again: a broken answer is a new key, a miss, and fails. A new
    snapshot takes the items whose raw JSON is unchanged from the dataset read last (named by
    the ``ptv-last`` entry)."""

    def read(snapshot: Snapshot) -> Dataset:
        if not cache.on:
            return load(snapshot)
        key = cache_key(cache, snapshot)
        with collector_paused():  # unpickling makes as many objects as reading did
            kept = cache.get("ptv", key)
        if isinstance(kept, Dataset):
            cache.put(LAST, cache.key(LAST), key)  # the next snapshot builds on this one
            return kept
        hashes: list[bytes] = []
        dataset = load(snapshot, hashes, _last_known(cache))
        dataset.key = cache_key(cache, snapshot, hashes)
        cache.put("ptv", dataset.key, dataset)
        cache.put(LAST, cache.key(LAST), dataset.key)
        return dataset

    return read


LAST = "ptv-last"
"""The build cache's kind of the key of the dataset read last (the code is in every key: a new
reader never takes an old reader's items)."""


def _last_known(cache: BuildCache) -> Known:
    """What the dataset read last offers the next load (nothing when there is none, or it is
    no longer kept)."""
    last = cache.get(LAST, cache.key(LAST))
    if not isinstance(last, str):
        return Known()
    with collector_paused():
        dataset = cache.get("ptv", last)
    return dataset.known() if isinstance(dataset, Dataset) else Known()


def current(root: Path) -> Snapshot | None:
    """The current snapshot under ``root`` (``snapshots/ptv``), or None if there is none."""
    return Store(root).current()


def load_current(root: Path, cache: BuildCache | None = None) -> Dataset | None:
    """The dataset of the current snapshot, or of the newest good one if the current one
    cannot be read (``Dataset.fallback`` says so); None if there is no snapshot. With a
    ``cache``, a snapshot read before is not read again."""
    read = load if cache is None else cached_load(cache)
    loaded: Loaded[Dataset] | None = Store(root).load(read)
    if loaded is None:
        return None
    loaded.data.fallback = loaded.fallback
    return loaded.data


def census(
    dataset: Dataset, areas: Mapping[str, Iterable[str]], new_files: Iterable[str] = ()
) -> Census:
    """Services per area (a county's municipalities, by name) and nationwide, and what the
    answers of this fetch (``new_files``) held, for the sanity policy."""
    counts: dict[str, int] = {}
    for name, codes in areas.items():
        wanted = set(codes)
        counts[name] = sum(
            1
            for s in dataset.services.values()
            if s.scope == "limited" and s.municipalities & wanted
        )
    counts["nationwide PTV services"] = sum(
        1 for s in dataset.services.values() if s.scope == "nationwide"
    )
    new = [dataset.stats[f] for f in new_files if f in dataset.stats]
    return Census(
        noun="services",
        areas=counts,
        fetched=sum(s.items for s in new),
        unreadable=sum(s.unreadable for s in new),
        requested=sum(s.requested for s in new),
        missing=sum(s.missing for s in new),
        total=len(dataset.services),
    )


def writer_census(areas: Mapping[str, Iterable[str]]) -> Callable[[Dataset, Writer], Census]:
    """The census of a new snapshot, counting only the answers its writer fetched."""

    def count(dataset: Dataset, writer: Writer) -> Census:
        return census(dataset, areas, writer.new_files)

    return count
