"""The snapshot store every source writes to and the build reads from.

Input: raw answers of one fetch (:class:`~pipeline.sources.base.Answer`), a reader that turns a
snapshot into the source's dataset, and the source's sanity check. Output: a new current
snapshot, or the reasons it was refused while the current one stays in place.

Layout, under ``snapshots/<source>/``::

    CURRENT                       the id of the current snapshot (one line)
    .lock                         held by the fetch that writes (one at a time)
    20261120T020000Z/             a complete snapshot
        manifest.json             source, mode, times, and one entry per answer
        responses/0001.json.gz    {"request": ..., "fetched_at": ..., "status": ..., "body": ...}
    20261121T020000Z.partial/     a fetch in progress (removed by the next fetch if left over)
    20261122T020000Z.refused/     a snapshot the sanity policy refused, kept for inspection

A snapshot is promoted only when every answer is in, it reads back, and the sanity check
finds nothing (or a person passed ``force``); the switch of ``CURRENT`` is one atomic rename.
Snapshots are ordered by the fetch time recorded in their manifests (and a sequence number),
never by folder name or the clock: the last ``keep`` good ones are kept, and the current one
is never pruned. If ``CURRENT`` cannot be read, the newest snapshot that reads is used instead,
with a warning saying so.
"""

from __future__ import annotations

import contextlib
import fcntl
import gzip
import hashlib
import json
import os
import shutil
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any, Generic, TypeVar, cast

import orjson
from zlib_ng import zlib_ng

from pipeline.cache import digest
from pipeline.sources.base import Answer

FORMAT = 1
GZIP = 31
"""zlib's window bits for a gzip container (16 + the largest window, 15)."""
DECOMPRESS_ERROR = cast(type[Exception], zlib_ng.error)  # the stub types the class as an instance
KEEP = 3
"""How many good snapshots to keep by default (the current one and the newest others)."""
KEEP_REFUSED = 3
D = TypeVar("D")


class SnapshotError(Exception):
    """A snapshot is missing, unreadable or incomplete."""


class StoreLocked(SnapshotError):
    """Another fetch is writing to the same store."""


class Refused(SnapshotError):
    """The sanity policy refused a new snapshot; ``reasons`` says why, one line each."""

    def __init__(self, snapshot_id: str, reasons: list[str], kept: Path) -> None:
        super().__init__(f"snapshot {snapshot_id} refused: " + "; ".join(reasons))
        self.snapshot_id = snapshot_id
        self.reasons = reasons
        self.kept = kept


def snapshot_id(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def parse_time(text: str) -> datetime:
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
        """When the fetch finished."""
        return parse_time(self.manifest["finished"])

    @property
    def watermark(self) -> datetime:
        """Changes after this time are not in the snapshot: the fetch's start."""
        return parse_time(self.manifest.get("started") or self.manifest["finished"])

    @property
    def order(self) -> tuple[datetime, int]:
        """Newest last: the recorded fetch time, then the store's sequence number."""
        return self.fetched_at, int(self.manifest.get("sequence") or 0)

    @property
    def sample(self) -> bool:
        """True when the answers are generated sample data, unless an entry says otherwise."""
        return bool(self.manifest.get("synthetic"))

    @property
    def entries(self) -> list[dict[str, Any]]:
        return list(self.manifest["responses"])

    def is_sample(self, entry: dict[str, Any]) -> bool:
        """Provenance of one answer: sample data or the real source."""
        return bool(entry.get("sample", self.sample))

    def body(self, entry: dict[str, Any]) -> Any:
        return self.read(entry)[1]

    def read(
        self, entry: dict[str, Any], known: Callable[[bytes], bool] | None = None
    ) -> tuple[bytes, Any]:
        """The hash of an answer file's bytes (for :meth:`digest`) and the answer's body; None
        for the body when ``known`` says the reader has these bytes' body already (its JSON
        is not parsed)."""
        data = (self.path / "responses" / entry["file"]).read_bytes()
        hashed = hashlib.sha256(data).digest()
        if known is not None and known(hashed):
            return hashed, None
        # orjson and zlib-ng: a national snapshot's answers are some 240 MB of JSON, which the
        # standard library parsed in half of a county's nightly build.
        try:
            text = zlib_ng.decompress(data, GZIP)
        except DECOMPRESS_ERROR as exc:
            raise ValueError(f"{entry['file']} is not a whole gzip file ({exc})") from None
        record = orjson.loads(text)
        return hashed, record["body"]

    def digest(self, answers: Iterable[bytes] | None = None) -> str:
        """The hash of everything a reader reads: the folder's name (the snapshot's id), the
        manifest and the bytes of every answer (``answers``: their hashes from :meth:`read`,
        else read from the files), so that any changed answer changes it: the key of what the
        build makes of the snapshot. SnapshotError if an answer is missing."""
        if answers is None:
            answers = map(self._file_hash, self.entries)
        return digest(self.id, json.dumps(self.manifest, sort_keys=True), *answers)

    def _file_hash(self, entry: dict[str, Any]) -> bytes:
        try:
            with open(self.path / "responses" / entry["file"], "rb") as f:
                return hashlib.file_digest(f, "sha256").digest()
        except (OSError, KeyError, TypeError) as exc:
            raise SnapshotError(f"{self.path}: an answer cannot be read ({exc})") from None


def open_snapshot(path: Path) -> Snapshot:
    try:
        manifest = json.loads((path / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise SnapshotError(f"{path}: cannot read the manifest ({exc})") from None
    if not isinstance(manifest, dict):
        raise SnapshotError(f"{path}: the manifest is not a JSON object")
    if manifest.get("format") != FORMAT or not manifest.get("complete"):
        raise SnapshotError(f"{path}: not a complete snapshot of format {FORMAT}")
    try:
        parse_time(str(manifest["finished"]))
        list(manifest["responses"])
    except (KeyError, TypeError, ValueError):
        raise SnapshotError(f"{path}: the manifest has no fetch time or answers") from None
    return Snapshot(path, manifest)


@dataclass(frozen=True)
class Loaded(Generic[D]):
    """The data of a snapshot as the build uses it, and whether it is the current one."""

    snapshot: Snapshot
    data: D
    fallback: str | None = None
    """Why the current snapshot was not used (it could not be read), else None."""


class Store:
    """The snapshots of one source under ``root`` (``snapshots/ptv``)."""

    def __init__(self, root: Path, keep: int = KEEP) -> None:
        self.root = root
        self.keep = max(1, keep)

    @property
    def pointer(self) -> Path:
        return self.root / "CURRENT"

    def current_id(self) -> str | None:
        if not self.pointer.is_file():
            return None
        try:
            return self.pointer.read_text(encoding="utf-8").strip() or None
        except (OSError, UnicodeDecodeError) as exc:
            raise SnapshotError(f"{self.pointer}: cannot be read ({exc})") from None

    def current(self) -> Snapshot | None:
        """The current snapshot, None if there is none; SnapshotError if it cannot be read."""
        ident = self.current_id()
        if ident is None:
            return None
        if "/" in ident or ident.startswith("."):
            raise SnapshotError(f"{self.pointer}: '{ident}' is not a snapshot id")
        return open_snapshot(self.root / ident)

    def good(self) -> list[Snapshot]:
        """Every complete snapshot that opens, oldest first by recorded fetch time."""
        found = []
        if not self.root.is_dir():
            return []
        for path in self.root.iterdir():
            if not path.is_dir() or "." in path.name:
                continue
            try:
                found.append(open_snapshot(path))
            except SnapshotError:
                continue
        return sorted(found, key=lambda s: s.order)

    def load(self, read: Callable[[Snapshot], D]) -> Loaded[D] | None:
        """The current snapshot read by ``read``; if it cannot be read, the newest one that
        can, with the reason in ``fallback``. None if there is no snapshot at all."""
        try:
            current = self.current()
            if current is None and not self.good():
                return None
            if current is not None:
                return Loaded(current, read(current))
            problem = f"{self.pointer} is missing"
        except SnapshotError as exc:
            problem = str(exc)
        for candidate in reversed(self.good()):
            try:
                data = read(candidate)
            except SnapshotError:
                continue
            return Loaded(
                candidate,
                data,
                f"the current snapshot cannot be used ({problem}); using the last good one, "
                f"{candidate.id} (fetched {iso(candidate.fetched_at)})",
            )
        raise SnapshotError(f"{problem}, and no earlier snapshot can be read either")

    # --- writing --------------------------------------------------------------------------

    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the store's lock: one fetch at a time. Leftovers of killed fetches go."""
        self.root.mkdir(parents=True, exist_ok=True)
        handle: IO[str] = open(self.root / ".lock", "a+", encoding="utf-8")  # noqa: SIM115
        try:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                handle.seek(0)
                holder = handle.read().strip() or "another process"
                raise StoreLocked(
                    f"{self.root}: another fetch is writing here ({holder}); try again later"
                ) from None
            handle.seek(0)
            handle.truncate()
            handle.write(f"pid {os.getpid()}\n")
            handle.flush()
            self._remove_leftovers()
            yield
        finally:
            handle.close()

    def _remove_leftovers(self) -> None:
        for path in self.root.glob("*.partial"):
            shutil.rmtree(path, ignore_errors=True)
        with contextlib.suppress(FileNotFoundError):
            (self.root / "CURRENT.tmp").unlink()

    def writer(
        self,
        *,
        source: str,
        base_url: str,
        mode: str,
        started: datetime,
        sample: bool = False,
        since: datetime | None = None,
    ) -> Writer:
        """A writer of a new snapshot beside the current one (hold :meth:`locked`)."""
        base = snapshot_id(started)
        ident, n = base, 1
        # A fetch in the same second as an earlier one must not overwrite it.
        while any((self.root / f"{ident}{suffix}").exists() for suffix in ("", ".refused")):
            n += 1
            ident = f"{base}-{n}"
        sequence = max((int(s.manifest.get("sequence") or 0) for s in self.good()), default=0)
        return Writer(self, ident, source, base_url, mode, started, sample, since, sequence + 1)

    def promote(self, partial: Path, ident: str) -> Snapshot:
        final = self.root / ident
        partial.rename(final)
        self.set_current(ident)
        self.prune()
        return open_snapshot(final)

    def set_current(self, ident: str) -> None:
        """Make the snapshot ``ident`` the current one (one atomic rename)."""
        pointer = self.root / "CURRENT.tmp"
        pointer.write_text(ident + "\n", encoding="utf-8")
        os.replace(pointer, self.pointer)

    def refuse(self, partial: Path, ident: str, reasons: list[str]) -> Path:
        kept = self.root / f"{ident}.refused"
        (partial / "REFUSED.txt").write_text("\n".join(reasons) + "\n", encoding="utf-8")
        partial.rename(kept)
        refused = sorted(self.root.glob("*.refused"), key=lambda p: p.stat().st_mtime)
        for old in refused[:-KEEP_REFUSED]:
            shutil.rmtree(old, ignore_errors=True)
        return kept

    def prune(self) -> None:
        """Keep the current snapshot and the newest others, ``keep`` in all."""
        current = self.current_id()
        others = [s for s in self.good() if s.id != current]
        for old in others[: max(0, len(others) - (self.keep - 1))]:
            shutil.rmtree(old.path, ignore_errors=True)


class Writer:
    """Writes one new snapshot into ``<id>.partial``; nothing changes until :meth:`commit`."""

    def __init__(
        self,
        store: Store,
        ident: str,
        source: str,
        base_url: str,
        mode: str,
        started: datetime,
        sample: bool,
        since: datetime | None,
        sequence: int,
    ) -> None:
        self.store = store
        self.id = ident
        self.started = started
        self.partial = store.root / f"{ident}.partial"
        if self.partial.exists():
            shutil.rmtree(self.partial)
        (self.partial / "responses").mkdir(parents=True)
        self.sample = sample
        self.new_files: set[str] = set()
        """The answers of this fetch (not carried over from the previous snapshot)."""
        self.manifest: dict[str, Any] = {
            "format": FORMAT,
            "source": source,
            "base_url": base_url,
            "mode": mode,
            "since": iso(since) if since else None,
            "started": iso(started),
            "finished": None,
            "synthetic": sample,
            "complete": False,
            "responses": [],
        }
        self.sequence = sequence

    def _next_file(self) -> str:
        return f"{len(self.manifest['responses']) + 1:04d}.json.gz"

    def add(self, answer: Answer) -> None:
        name = self._next_file()
        record = {
            "request": {"method": "GET", "url": answer.url},
            "fetched_at": iso(answer.fetched_at),
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
        self.new_files.add(name)

    def copy_from(self, snapshot: Snapshot, keep: Callable[[dict[str, Any]], bool]) -> int:
        """Carry over the answers of ``snapshot`` that ``keep`` accepts (hard links if
        possible), each with its own provenance (sample or real) and fetch time."""
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
            carried = {k: v for k, v in entry.items() if k != "sample"}
            carried["file"] = name
            if snapshot.is_sample(entry) != self.sample:
                carried["sample"] = snapshot.is_sample(entry)
            self.manifest["responses"].append(carried)
            count += 1
        return count

    def commit(
        self,
        finished: datetime,
        read: Callable[[Snapshot], D],
        check: Callable[[D, Writer], list[str]] | None = None,
        *,
        force: bool = False,
    ) -> tuple[Snapshot, D]:
        """Check the snapshot reads back and passes ``check``, then make it current.

        Raises :class:`Refused` (the snapshot is kept aside as ``<id>.refused``) when ``check``
        returns reasons and ``force`` is false; SnapshotError when it does not read back.
        """
        self.manifest["finished"] = iso(finished)
        self.manifest["complete"] = True
        if self.sequence > 1:
            self.manifest["sequence"] = self.sequence
        (self.partial / "manifest.json").write_text(
            json.dumps(self.manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )
        candidate = Snapshot(self.partial, self.manifest)
        data = read(candidate)
        reasons = check(data, self) if check is not None else []
        if reasons and not force:
            kept = self.store.refuse(self.partial, self.id, reasons)
            raise Refused(self.id, reasons, kept)
        return self.store.promote(self.partial, self.id), data

    def abort(self) -> None:
        shutil.rmtree(self.partial, ignore_errors=True)
