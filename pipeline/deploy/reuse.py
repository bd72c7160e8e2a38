"""Stage 8, write only what changed: a file of a new release whose bytes are the live one's is
hard-linked from it, with its compressed copies, and only new or changed files are written and
compressed.

Input: a site's staging folder in the run's release, the live release's folder of the same site
and its ``manifest.json`` (every file's SHA-256 and size, and the compression settings its
``.br`` and ``.gz`` were made with), and the files of the new site, one at a time.
Output: each file in the staging folder, either a new file or a hard link to the live file of
the same path; the SHA-256 of every file (the manifest reads none of them again); the files
still to compress.

Why the live manifest and not a content-addressed store beside the cache: the manifest already
says, for every path, which bytes are live, and a link shares the live file's inode, so an
unchanged file costs no bytes on disk, keeps its time (a server's ``ETag`` and
``Last-Modified`` stay the same) and needs no second copy that could be pruned or fall out of
step. A first build, a new ``--out`` folder, or a live site that cannot be read writes
everything, as without reuse.

The live release is never modified: a link only adds a name to a live file, and every file of
the new release is a new name in a new folder (a file to replace is written under another name
and renamed over it), so nothing is ever written into a linked file. Pruning and rollback remove
or keep whole folders: a file lives as long as one release names it.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import zlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import brotli

from pipeline.deploy.cdn import COMPRESSED, Cdn, precompress
from pipeline.deploy.manifest import MANIFEST, FileEntry, ManifestError, files_of, read_manifest
from pipeline.deploy.release import live_release


def compression_settings(cdn: Cdn) -> dict[str, Any]:
    """What the bytes of a ``.br`` or ``.gz`` depend on besides its file: a live copy made with
    other settings is made again."""
    return {
        "brotli": getattr(brotli, "__version__", "unknown"),
        "brotli_quality": cdn.brotli_quality,
        "zlib": zlib.ZLIB_RUNTIME_VERSION,
        "gzip_level": cdn.gzip_level,
        "types": sorted(cdn.compress_types),
        "min_bytes": cdn.min_bytes,
    }


@dataclass(frozen=True)
class LiveSite:
    """A site of the live release, as its manifest describes it."""

    folder: Path
    """The site's real folder (``.releases/sites/<slug>/<run>``)."""
    files: Mapping[str, FileEntry]
    compression: Mapping[str, Any] | None
    """The settings its compressed copies were made with (None: unknown, made again)."""


def read_live_site(out_dir: Path, slug: str) -> LiveSite | None:
    """The live site ``slug`` of ``out_dir``; None when there is none or its manifest cannot be
    read (then everything is written, nothing is lost)."""
    live = live_release(out_dir)
    if live is None:
        return None
    try:
        folder = (live / slug).resolve(strict=True)
        manifest = read_manifest(folder / MANIFEST)
        files = files_of(manifest)
    except (OSError, ManifestError, KeyError, TypeError, ValueError):
        return None
    compression = manifest.get("compression")
    return LiveSite(folder, files, compression if isinstance(compression, dict) else None)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass
class SiteWriter:
    """Writes one site's files into its (new, empty) staging folder, linking what is live."""

    folder: Path
    live: LiveSite | None
    compression: Mapping[str, Any]
    hashes: dict[str, str] = field(default_factory=dict)
    """The SHA-256 of every file written or linked (compressed copies too)."""
    done: set[str] = field(default_factory=set)
    """Files linked with their compressed copies: nothing left to compress."""
    linked: int = 0
    """Files (compressed copies too) linked from the live release."""
    _folders: set[Path] = field(default_factory=set)

    @property
    def same_compression(self) -> bool:
        return self.live is not None and self.live.compression == self.compression

    def write(self, rel: str, data: bytes) -> None:
        """The file ``rel`` with ``data``: linked from the live site when its bytes are the
        same, else written."""
        digest = sha256(data)
        if self._link_live(rel, digest):
            return
        path = self._target(rel)
        with path.open("xb") as handle:  # "x": a new file, never one that is linked
            handle.write(data)
        self.hashes[rel] = digest

    def link_unchanged(self, rel: str) -> bool:
        """Link ``rel`` from the live site, known to be the live bytes (a page read from
        there); False when the live site does not list it (then it is written)."""
        entry = self.live.files.get(rel) if self.live is not None else None
        return entry is not None and self._link_live(rel, entry.sha256)

    def link(self, rel: str, source: Path, digest: str) -> None:
        """The file ``rel`` made elsewhere in this run (``source``, whose SHA-256 is
        ``digest``): linked from the live site when the bytes are the same, else from
        ``source`` (copied where the file system cannot link)."""
        if self._link_live(rel, digest):
            return
        path = self._target(rel)
        try:
            os.link(source, path)
        except OSError:
            path.write_bytes(source.read_bytes())
        self.hashes[rel] = digest

    def compress(self, cdn: Cdn) -> None:
        """``.br`` and ``.gz`` beside every file written or linked without its copies."""
        files = sorted(rel for rel in self.hashes if rel not in self.done)
        precompress(cdn, self.folder, files, self.hashes)

    def _target(self, rel: str) -> Path:
        path = self.folder / rel
        if path.parent not in self._folders:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._folders.add(path.parent)
        return path

    def _link_live(self, rel: str, digest: str) -> bool:
        """Link ``rel`` (and, made with the same settings, its compressed copies) from the live
        site when its bytes there are ``digest``; False, nothing linked, when not."""
        live = self.live
        if live is None:
            return False
        entry = live.files.get(rel)
        if entry is None or entry.sha256 != digest:
            return False
        source = live.folder / rel
        copies = [rel + s for s in COMPRESSED if rel + s in live.files]
        if not self.same_compression:
            copies = []
        made: list[Path] = []
        try:
            if source.stat().st_size != entry.size:  # not what the manifest says: write it
                return False
            for name in [rel, *copies]:
                target = self._target(name)
                os.link(live.folder / name, target)
                made.append(target)
        except OSError:
            for target in made:
                with contextlib.suppress(OSError):
                    target.unlink()
            return False
        for name in [rel, *copies]:
            self.hashes[name] = live.files[name].sha256
        if self.same_compression:
            self.done.update([rel, *copies])
        self.linked += len(made)
        return True
