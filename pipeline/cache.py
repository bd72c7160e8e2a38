"""The build cache: what an earlier build made, kept under the hash of everything it was made from.

Input: a kind (``ptv``, ``render``, ``gate``...) and a key, the SHA-256 of the inputs of one
result (:func:`digest`); the value to keep (bytes, or any picklable value). Output: the value an
earlier build kept under that key, or None.

A key names inputs, never times: the same Markdown, front matter, templates, snapshot items and
settings give the same key, so a result is reused exactly when it would be made again the same.
Every key also holds :data:`CODE`, the hash of the pipeline's own source and the versions of
the libraries that shape its output, so a new version of the generator never reads an old
result. The cache is ``<project>/.cache/build/`` (outside the output and the release switch).

A cache can only make a build faster, never change what it makes: an entry is written whole
(a temporary file renamed into place), an entry that cannot be read is a miss and is removed,
and ``PERHEKESKUS_CACHE=off`` turns it off (the benchmark's cold runs, a suspicious result).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import sys
import tempfile
from collections.abc import Callable, Iterable
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import IO, Any

PACKAGE = Path(__file__).resolve().parent
LIBRARIES = (
    "jinja2",
    "markdown",
    "pymdown-extensions",
    "nh3",
    "pydantic",
    "babel",
    "pagefind",
    "pyproj",
    "icalendar",
    "recurring-ical-events",
    "tzdata",
    "lxml",
    "pyyaml",
)
"""Libraries whose version changes what the build makes (HTML, parsed data, indexes)."""
KEEP_BYTES = 2 * 2**30
"""Above this, :meth:`BuildCache.prune` removes the entries used longest ago."""


def digest(*parts: str | bytes) -> str:
    """The SHA-256 of ``parts``, each length-prefixed so that ("ab", "c") differs from ("a",
    "bc")."""
    hasher = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        hasher.update(len(data).to_bytes(8, "big"))
        hasher.update(data)
    return hasher.hexdigest()


def digest_files(paths: Iterable[Path], base: Path) -> str:
    """The hash of files' names (relative to ``base``) and bytes; a missing file counts as
    missing, so creating it changes the hash."""
    parts: list[str | bytes] = []
    for path in sorted(paths):
        parts.append(path.relative_to(base).as_posix())
        try:
            parts.append(path.read_bytes())
        except OSError:
            parts.append("\0missing")
    return digest(*parts)


def digest_tree(folder: Path) -> str:
    """The hash of every file under ``folder`` (names and bytes)."""
    return digest_files((p for p in folder.rglob("*") if p.is_file()), folder)


@cache
def code() -> str:
    """:data:`CODE`: the pipeline's source files, Python's version and the libraries'."""
    versions = []
    for name in LIBRARIES:
        try:
            versions.append(f"{name}=={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{name} missing")
    sources = (p for p in PACKAGE.rglob("*") if p.suffix in (".py", ".mjs") and p.is_file())
    return digest(sys.version, *versions, digest_files(sources, PACKAGE))


def enabled() -> bool:
    return os.environ.get("PERHEKESKUS_CACHE", "on").lower() not in ("off", "0", "no", "false")


class BuildCache:
    """One project's build cache. Reads and writes are safe from threads and processes: an
    entry is complete or absent."""

    def __init__(self, root: Path, on: bool | None = None) -> None:
        self.root = root
        self.folder = root / ".cache" / "build"
        self.on = enabled() if on is None else on
        self.hits = 0
        self.misses = 0

    def _path(self, kind: str, key: str) -> Path:
        return self.folder / kind / key[:2] / key

    def key(self, *parts: str | bytes) -> str:
        """A key of ``parts`` and the generator's own code."""
        return digest(code(), *parts)

    def get_bytes(self, kind: str, key: str) -> bytes | None:
        if not self.on:
            return None
        path = self._path(kind, key)
        try:
            data = path.read_bytes()
        except OSError:
            self.misses += 1
            return None
        self.hits += 1
        with contextlib.suppress(OSError):
            os.utime(path)  # used now: pruning removes what was used longest ago
        return data

    def put_bytes(self, kind: str, key: str, data: bytes) -> None:
        self._write(kind, key, lambda handle: handle.write(data))

    def _write(self, kind: str, key: str, write: Callable[[IO[bytes]], object]) -> None:
        """An entry written whole: into a temporary file renamed into place."""
        if not self.on:
            return
        path = self._path(kind, key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile(dir=path.parent, delete=False) as handle:
                try:
                    write(handle)
                except BaseException:
                    handle.close()
                    os.unlink(handle.name)
                    raise
            os.replace(handle.name, path)
        except OSError:
            # A full or read-only disk makes the build slower, not wrong.
            return

    def has(self, kind: str, key: str) -> bool:
        """Whether a value is kept under ``key`` (without reading it)."""
        return self.on and self._path(kind, key).is_file()

    def get(self, kind: str, key: str) -> Any | None:
        """The value kept under ``key``; None when there is none or it cannot be read. Read
        from the file as it is unpickled: a large value is not held twice."""
        if not self.on:
            return None
        path = self._path(kind, key)
        try:
            with path.open("rb") as handle:
                value = pickle.load(handle)
        except OSError:
            self.misses += 1
            return None
        except Exception:  # an entry of a killed writer or another version: a miss
            self.misses += 1
            path.unlink(missing_ok=True)
            return None
        self.hits += 1
        with contextlib.suppress(OSError):
            os.utime(path)  # used now: pruning removes what was used longest ago
        return value

    def put(self, kind: str, key: str, value: Any) -> None:
        """Keep ``value`` under ``key``, pickled straight into the file (a large value is not
        held twice)."""
        self._write(
            kind, key, lambda handle: pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
        )

    def prune(self, keep_bytes: int = KEEP_BYTES) -> int:
        """Remove the entries used longest ago until the cache holds at most ``keep_bytes``;
        the bytes removed."""
        entries = []
        for path in self.folder.rglob("*"):
            try:
                if path.is_file():
                    stat = path.stat()
                    entries.append((stat.st_mtime, stat.st_size, path))
            except OSError:
                continue
        total = sum(size for _, size, _ in entries)
        removed = 0
        for _, size, path in sorted(entries):
            if total - removed <= keep_bytes:
                break
            path.unlink(missing_ok=True)
            removed += size
        return removed
