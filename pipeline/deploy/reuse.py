"""Stage 8, write only what changed: a new or changed file is written (and compressed) into
the site's staging folder; a file whose bytes are live is only noted. When the site is done, it
is put together from the live site's folder without copying what did not change: a folder of the
site with no changed or removed file in it is a symbolic link to the live one's real folder, and
only the folders on the way to a change are made, with the live files beside the changes as hard
links (:func:`share_tree`; an article edited: about 1,250 names per site, most of them the
search index's, instead of about 6,000). The new files are renamed into place. A site with no
change at all is not copied: the run's release points at the live folder itself. A site that
shares with :data:`MAX_SHARED` earlier folders already, or whose pages were mostly made now (a
county's nightly), is linked whole instead, file by file (one ``cp -alL``, a C loop).

Input: a site's staging folder in the run's release, the live release's folder of the same site
and its ``manifest.json`` (every file's SHA-256 and size, and the compression settings its
``.br`` and ``.gz`` were made with), and the files of the new site, one at a time.
Output: the site's folder, whole; the SHA-256 and size of every file (the manifest is made from
them: no file is read or walked again); whether the site is the live one, file for file.

Why the live manifest and not a content-addressed store beside the cache: the manifest already
says, for every path, which bytes are live, and a link shares the live file's inode, so an
unchanged file costs no bytes on disk, keeps its time (a server's ``ETag`` and
``Last-Modified`` stay the same) and needs no second copy that could be pruned or fall out of
step. A first build, a new ``--out`` folder, a live site that cannot be read or whose copies were
compressed with other settings: everything is written, as without reuse.

The live release is never modified: a link only adds a name to a live file, a new file is
renamed into a folder made now (never into a shared one), and the live manifest is not linked.
Pruning and rollback remove or keep whole folders: a file lives as long as one release names it,
and a folder as long as a kept release links to it or shares it (``.shared``,
:func:`pipeline.deploy.release.read_shared`).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import posixpath
import shutil
import subprocess
from collections.abc import Callable, Collection, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from os.path import isfile
from pathlib import Path
from typing import Any

import brotli
from zlib_ng import zlib_ng

from pipeline.deploy import PublishError, live_file_lost
from pipeline.deploy.cdn import (
    COMPRESS_THREADS,
    COMPRESSED,
    Cdn,
    compressed_copies,
    precompress,
)
from pipeline.deploy.manifest import MANIFEST, FileEntry, ManifestError, files_of, read_manifest
from pipeline.deploy.release import SHARED, live_release, read_shared

MAX_SHARED = 8
"""Earlier folders a site folder may share: past it, the site is linked whole again, so that
an old folder (most of whose files no release names any more) goes at last, and pruning reads
few ``.shared`` files."""


def compression_settings(cdn: Cdn) -> dict[str, Any]:
    """What the bytes of a ``.br`` or ``.gz`` depend on besides its file: a live copy made with
    other settings is made again."""
    return {
        "brotli": getattr(brotli, "__version__", "unknown"),
        "brotli_quality": cdn.brotli_quality,
        "zlib-ng": zlib_ng.ZLIBNG_VERSION,
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
    manifest: Mapping[str, Any]
    """Its manifest as read."""


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
    compression = compression if isinstance(compression, dict) else None
    return LiveSite(folder, files, compression, manifest)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass
class SiteWriter:
    """Writes one site: its new and changed files into its (new, empty) staging folder; the
    files whose bytes are live are noted, and linked by :meth:`assemble`."""

    folder: Path
    live: LiveSite | None
    compression: Mapping[str, Any]
    hashes: dict[str, str] = field(default_factory=dict)
    """The SHA-256 of every file of the site (compressed copies too)."""
    sizes: dict[str, int] = field(default_factory=dict)
    """The size of every file of the site."""
    written: set[str] = field(default_factory=set)
    """Files written into the staging folder (their compressed copies are still to make)."""
    made: list[str] = field(default_factory=list)
    """Every file in the staging folder: the written ones and their compressed copies."""
    cdn: Cdn | None = None
    """With it, a file written is compressed at once, beside the writing (while the writer
    goes on in Python, Brotli and zlib-ng work on the other core), not read back at the end."""
    _folders: set[Path] = field(default_factory=set)
    _copies: dict[str, Future[list[tuple[str, str, int]]]] = field(default_factory=dict)
    _pool: ThreadPoolExecutor | None = None
    _compressed: set[str] = field(default_factory=set)
    """Files written whose compressed copies are made (the site may be written in two goes)."""

    def __post_init__(self) -> None:
        if self.live is not None and self.live.compression != self.compression:
            self.live = None  # its compressed copies would be wrong: everything is written

    def write(self, rel: str, data: bytes, digest: str | None = None) -> None:
        """The file ``rel`` with ``data`` (whose SHA-256 is ``digest`` when it was worked out
        before): noted when its bytes are live, else written."""
        digest = digest or sha256(data)
        if self._keep(rel, digest):
            return
        path = self._target(rel)
        with path.open("xb") as handle:  # "x": a new file, never one that is linked
            handle.write(data)
        self._made(rel, digest, len(data))
        if self.cdn is not None and self.cdn.compressible(rel, len(data)):
            if self._pool is None:
                self._pool = ThreadPoolExecutor(COMPRESS_THREADS, "compress")
            self._copies[rel] = self._pool.submit(
                compressed_copies, self.cdn, self.folder, rel, data
            )

    def link_unchanged(self, rel: str) -> bool:
        """Keep ``rel`` as live, known to be the live bytes (a page read from there); False
        when the live site does not list it (then it is written)."""
        entry = self.live.files.get(rel) if self.live is not None else None
        return entry is not None and self._keep(rel, entry.sha256)

    def link(self, rel: str, source: Callable[[], Path], digest: str) -> None:
        """The file ``rel`` made elsewhere in this run (``source()`` gives it, whose SHA-256
        is ``digest``): kept when its bytes are live (``source`` not called), else linked from
        there (copied where the file system cannot link)."""
        if self._keep(rel, digest):
            return
        made = source()
        path = self._target(rel)
        try:
            os.link(made, path)
        except OSError:
            path.write_bytes(made.read_bytes())
        self._made(rel, digest, path.stat().st_size)

    def compress(self, cdn: Cdn) -> None:
        """``.br`` and ``.gz`` beside every file written now and not compressed yet (the kept
        files have theirs): those made as they were written, and the others'."""
        try:
            made = {rel: future.result() for rel, future in self._copies.items()}
        finally:
            self._copies.clear()
            if self._pool is not None:
                self._pool.shutdown(cancel_futures=True)
                self._pool = None
        rest = sorted(rel for rel in self.written - self._compressed if rel not in made)
        self._compressed.update(made, rest)
        copies = precompress(cdn, self.folder, rest, self.hashes, self.sizes)
        for rel in sorted(made):
            for name, digest, size in made[rel]:
                self.hashes[name] = digest
                self.sizes[name] = size
                copies.append(name)
        self.made += copies

    @property
    def same_files(self) -> bool:
        """Every file of the site is the live one, and no other file is live."""
        live = self.live
        return live is not None and not self.made and self.hashes.keys() == live.files.keys()

    def assemble(self) -> None:
        """Make the staging folder the whole site: the live folder shared where nothing in it
        changed (:func:`share_tree`; linked whole past :data:`MAX_SHARED`), the files written
        now renamed into it, the files the site no longer has left out (nothing to do without a
        live site: everything was written). When most of the site was written now (a county's
        nightly: every page shows its contacts), only the files kept as live are linked in."""
        live = self.live
        if live is None:
            return
        made = set(self.made)
        kept = [rel for rel in self.hashes if rel not in made]
        if len(kept) <= len(made):
            self._link_kept(kept)
            return
        whole = self.folder.with_name(self.folder.name + "-whole")
        shutil.rmtree(whole, ignore_errors=True)
        gone = [rel for rel in live.files if rel not in self.hashes]
        try:
            shared = _shared_with(live.folder)
            if shared is not None and len(shared) < MAX_SHARED:
                share_tree(live.folder, whole, {*self.made, *gone, MANIFEST, SHARED})
                (whole / SHARED).write_text(json.dumps(sorted(shared)), encoding="utf-8")
            else:
                link_tree(live.folder, whole)
                with contextlib.suppress(FileNotFoundError):
                    (whole / SHARED).unlink()
            self._check_kept_pages(whole)
            folders: set[Path] = set()
            for rel in self.made:
                target = whole / rel
                if target.parent not in folders:
                    target.parent.mkdir(parents=True, exist_ok=True)
                    folders.add(target.parent)
                os.replace(self.folder / rel, target)
            for rel in [*gone, MANIFEST]:
                with contextlib.suppress(FileNotFoundError):
                    (whole / rel).unlink()
            _remove_empty_folders(whole, gone)
            shutil.rmtree(self.folder)
            os.rename(whole, self.folder)
        except OSError as exc:
            shutil.rmtree(whole, ignore_errors=True)
            raise self._not_assembled(exc) from None
        except PublishError:
            shutil.rmtree(whole, ignore_errors=True)
            raise

    def _link_kept(self, kept: list[str]) -> None:
        """Link the files ``kept`` as live into the staging folder, which has the others."""
        assert self.live is not None
        source = self.live.folder
        for rel in kept:
            try:
                os.link(source / rel, self._target(rel))
            except FileNotFoundError:
                raise live_file_lost(rel, f"is missing from {source}") from None
            except OSError as exc:
                raise self._not_assembled(exc) from None

    def _not_assembled(self, exc: OSError) -> PublishError:
        return PublishError(
            f"{self.folder}: the site could not be put together from the live one "
            f"({exc.strerror or exc}: {exc.filename})"
        )

    def _check_kept_pages(self, whole: Path) -> None:
        """Every page kept as live came with the live folder: one removed by hand stops the
        build (the build took its facts from its hash and never read it)."""
        made = set(self.made)
        folder = str(whole)
        for rel in self.hashes:
            # os.path on strings: a Path per page of every site costs more than the stat.
            if rel.endswith(".html") and rel not in made and not isfile(f"{folder}/{rel}"):
                raise live_file_lost(rel, f"is missing from {self.live_folder}")

    @property
    def live_folder(self) -> Path | None:
        return self.live.folder if self.live is not None else None

    def _keep(self, rel: str, digest: str) -> bool:
        """Note ``rel`` (and its compressed copies) as live when its live bytes are ``digest``;
        False when they are not."""
        entry = self.live.files.get(rel) if self.live is not None else None
        if entry is None or entry.sha256 != digest:
            return False
        assert self.live is not None
        files = self.live.files
        for name in [rel, *(rel + s for s in COMPRESSED if rel + s in files)]:
            self.hashes[name] = files[name].sha256
            self.sizes[name] = files[name].size
        return True

    def _made(self, rel: str, digest: str, size: int) -> None:
        self.hashes[rel] = digest
        self.sizes[rel] = size
        self.written.add(rel)
        self.made.append(rel)

    def _target(self, rel: str) -> Path:
        path = self.folder / rel
        if path.parent not in self._folders:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._folders.add(path.parent)
        return path


def _shared_with(live: Path) -> set[str] | None:
    """The earlier folders a folder made from the site folder ``live`` shares: ``live`` and
    those it shares itself (None: unknown, so it is linked whole)."""
    shared = read_shared(live)
    return None if shared is None else {live.name, *shared}


def share_tree(live: Path, target: Path, changed: Collection[str]) -> None:
    """``target`` (not existing) the site folder ``live`` without the paths ``changed``: each
    folder on the way to one of them is made, with the other files in it linked (hard links)
    and the other folders in it as symbolic links to the live ones' real folders (relative:
    ``target`` is renamed beside ``live``). Those real folders are in ``live`` or in the
    folders it shares itself."""
    folders = {""}
    for rel in changed:
        folder = posixpath.dirname(rel)
        while folder not in folders:
            folders.add(folder)
            folder = posixpath.dirname(folder)
    # Sorted: a folder comes before the folders in it.
    for folder in sorted(folders):
        made = target / folder if folder else target
        made.mkdir()
        try:
            entries = list(os.scandir(live / folder))
        except FileNotFoundError:  # a folder new in this site
            continue
        real_made = os.path.realpath(made)
        for entry in entries:
            rel = f"{folder}/{entry.name}" if folder else entry.name
            if rel in folders or rel in changed:
                continue
            if entry.is_dir():
                real = os.path.realpath(entry.path)
                os.symlink(os.path.relpath(real, real_made), made / entry.name)
            else:
                os.link(entry.path, made / entry.name)


def link_tree(source: Path, target: Path) -> None:
    """``target`` (not existing) a copy of the folder ``source`` made of hard links, the folders
    it shares with earlier ones copied too: ``cp -alL`` where there is one, else the same in
    Python (slower: one call per file)."""
    try:
        subprocess.run(
            ["cp", "-alL", "--", str(source), str(target)],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        return
    except (OSError, subprocess.CalledProcessError):
        shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(source, target, copy_function=os.link)


def _remove_empty_folders(site: Path, removed: list[str]) -> None:
    """The folders of removed files that are now empty (an article that is gone)."""
    folders = {posixpath.dirname(rel) for rel in removed}
    for folder in sorted(folders, key=len, reverse=True):
        while folder:
            try:
                (site / folder).rmdir()
            except OSError:  # not empty (or already gone): its parents are not empty either
                break
            folder = posixpath.dirname(folder)
