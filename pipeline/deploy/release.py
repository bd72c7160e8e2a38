"""The output folder's releases: one lock, every site of a run switched in together.

Input: an output folder (``build/``) and, per run, the sites it wrote.
Output: this layout, in which one atomic step (renaming a symbolic link over ``current``)
switches every site of a run at once::

    build/.lock                        one build at a time (flock; the kernel frees it on kill -9)
    build/.releases/sites/<slug>/<run> a site as one run wrote it
    build/.releases/.staging-work-<run> the run's work files (the national search index before
                                       it is linked into each site); gone when it switches
    build/.releases/<run>/<slug>       -> ../sites/<slug>/<run> (or the run that last wrote it:
                                       a site the run did not build, or built the same)
    build/.releases/<run>/index.html   the list of the built sites
    build/.releases/current            -> <run>: the live release
    build/<slug>, build/index.html     -> .releases/current/<slug>: stable paths, made once

A site folder written after an edit shares with the live one what the edit did not touch
(:func:`pipeline.deploy.reuse.share_tree`): a folder of the site with no changed file in it is a
symbolic link to the live one's real folder, and ``.shared`` (JSON, never published: a dot file)
names the earlier folders of the site it links into. Pruning keeps those as long as a kept
release needs them.

A reader of ``build/<slug>/...`` goes through ``current`` and so sees the old release or the
new one, whole, never a mixture and never nothing. A killed run leaves its staging folders and
a release no one points to; the next run, holding the lock, removes them. The live release and
the one before it are kept (rollback switches between them); older ones are pruned: renamed
at once into ``build/.releases/.pruned-<run>/`` and deleted by the next run in a thread while it
loads and renders (deleting thousands of files takes seconds a nightly need not wait for).
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import subprocess
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from pipeline.deploy import PublishError

RELEASES = ".releases"
CURRENT = "current"
LOCK = ".lock"
KEEP = 2
"""Releases kept: the live one and the one before it, for rollback."""
STAGING = ".staging-"
PRUNED = ".pruned-"
"""Folders pruned by a run, waiting for the next run to delete them."""
RELEASE_FILE = "release.json"
SHARED = ".shared"
"""In a site folder: the names of the earlier folders of the same site it links into."""


@dataclass(frozen=True)
class Lock:
    """The output folder's lock while it is held."""

    path: Path


@contextlib.contextmanager
def output_lock(out_dir: Path, wait: float = 30.0) -> Iterator[Lock]:
    """Hold ``out_dir/.lock`` for one build; wait up to ``wait`` seconds for another build to
    finish, then stop with a message naming it. The kernel frees the lock when its process
    dies, even by ``kill -9``, so a killed build never leaves the folder locked."""
    created = not out_dir.exists()
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / LOCK
    with path.open("a+", encoding="utf-8") as handle:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    handle.seek(0)
                    holder = handle.read().strip() or "another build"
                    raise PublishError(
                        f"{out_dir}: another build is writing this folder ({holder}); waited "
                        f"{wait:g} s. Run again when it has finished, or use another --out."
                    ) from None
                time.sleep(0.2)
        try:
            handle.seek(0)
            handle.truncate()
            handle.write(f"pid {os.getpid()}, since {_now():%Y-%m-%d %H:%M:%S} UTC\n")
            handle.flush()
            yield Lock(path)
        finally:
            handle.seek(0)
            handle.truncate()
            if created and [p.name for p in out_dir.iterdir()] == [LOCK]:
                # A first build that failed writes nothing: no folder holding only a lock.
                path.unlink()
                out_dir.rmdir()
            fcntl.flock(handle, fcntl.LOCK_UN)


def _now() -> datetime:
    return datetime.now(UTC)


def new_run_id() -> str:
    """A release name that sorts by time (microseconds, then the process)."""
    return f"{_now():%Y%m%dT%H%M%S%fZ}-{os.getpid()}"


class Release:
    """One run's release, written beside the live one and switched in by :meth:`switch`.

    Use under :func:`output_lock`. Each site is written into :meth:`site_folder`; sites the run
    does not build are carried over from the live release."""

    def __init__(self, out_dir: Path, run_id: str | None = None) -> None:
        self.out_dir = out_dir
        self.root = out_dir / RELEASES
        self.run_id = run_id or new_run_id()
        self.sites: list[str] = []
        self.unchanged: dict[str, Path] = {}
        """Sites of the run that are the live ones file for file: their live folder stays."""
        self.root.mkdir(parents=True, exist_ok=True)
        remove_leftovers(out_dir)
        self._sweeper = Sweeper(sorted(self.root.glob(f"{PRUNED}*")))

    def site_folder(self, slug: str) -> Path:
        """An empty staging folder for one site of this run (renamed into place by
        :meth:`finish_site`)."""
        folder = self.root / "sites" / slug / f"{STAGING}{self.run_id}"
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        return folder

    def work_folder(self) -> Path:
        """A folder for this run's work files, shared by its sites (the national search index,
        linked into each); removed by :meth:`switch` and :meth:`discard`, and by the next run
        when this one is killed."""
        folder = self.root / f"{STAGING}work-{self.run_id}"
        folder.mkdir(parents=True, exist_ok=True)
        return folder

    def finish_site(self, slug: str) -> Path:
        """The site written into :meth:`site_folder` is complete: give it its run's name."""
        staging = self.root / "sites" / slug / f"{STAGING}{self.run_id}"
        final = staging.with_name(self.run_id)
        os.chmod(staging, 0o755)
        staging.rename(final)
        self.sites.append(slug)
        return final

    def keep_site(self, slug: str, live: Path) -> Path:
        """The site is the live one, file for file: the run's release keeps its live folder
        ``live`` (the staging folder, empty, goes)."""
        _remove(self.root / "sites" / slug / f"{STAGING}{self.run_id}")
        self.unchanged[slug] = live
        return live

    def discard(self) -> None:
        """Remove what this run wrote (it failed); the live release is untouched."""
        with contextlib.suppress(PublishError):  # the run's own failure is the one to report
            self._sweeper.join()
        for path in self.root.glob(f"sites/*/{STAGING}{self.run_id}"):
            _remove(path)
        for slug in self.sites:
            _remove(self.root / "sites" / slug / self.run_id)
        _remove(self.root / f"{STAGING}{self.run_id}")
        _remove(self.root / f"{STAGING}work-{self.run_id}")
        with contextlib.suppress(OSError):  # a first run that failed leaves no folder
            self.root.rmdir()

    def switch(self, index: Callable[[list[str]], str] | None = None) -> Path:
        """Make this run's release the live one, in one atomic step; return its folder.

        The release holds this run's sites and, for the others, the live release's. Stable
        paths (``build/<slug>``) are made for sites new to the folder, after the switch.
        ``index`` gives ``index.html`` of the release from its sites."""
        self._sweeper.join()
        staging = self.root / f"{STAGING}{self.run_id}"
        staging.mkdir()
        live = live_release(self.out_dir)
        carried: dict[str, str] = {}
        if live is not None:
            for link in sorted(live.iterdir()):
                if link.is_symlink() and link.name not in self.sites:
                    carried[link.name] = os.readlink(link)
        for slug, folder in self.unchanged.items():
            carried[slug] = os.path.relpath(folder, staging.resolve())
        for slug, target in carried.items():
            os.symlink(target, staging / slug)
        for slug in self.sites:
            os.symlink(f"../sites/{slug}/{self.run_id}", staging / slug)
        if index is not None:
            html = index(sorted([*carried, *self.sites]))
            (staging / "index.html").write_text(html, encoding="utf-8")
        record = {
            "run": self.run_id,
            "switched_at": _now().isoformat(timespec="seconds"),
            "built": sorted(self.sites),
            "unchanged": sorted(self.unchanged),
            "sites": sorted([*carried, *self.sites]),
            "previous": live.name if live is not None else None,
        }
        (staging / RELEASE_FILE).write_text(json.dumps(record, indent=2) + "\n", "utf-8")
        os.chmod(staging, 0o755)
        final = self.root / self.run_id
        staging.rename(final)
        point_current(self.out_dir, self.run_id)
        _remove(self.root / f"{STAGING}work-{self.run_id}")
        make_stable_paths(self.out_dir, [*carried, *self.sites])
        prune(self.out_dir, self.run_id)
        return final


class Sweeper:
    """Deletes folders in a thread (a run's first stages go on meanwhile). :meth:`join` waits
    and stops with the reason when one is still there."""

    def __init__(self, folders: list[Path]) -> None:
        self.folders = folders
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, name="sweeper")
        if folders:
            self.thread.start()

    def _run(self) -> None:
        try:
            remove_folders(self.folders)
        except BaseException as error:  # given to the run by join()
            self.error = error

    def join(self) -> None:
        if self.thread.is_alive() or self.thread.ident is not None:
            self.thread.join()
        if self.error is not None:
            error, self.error = self.error, None
            raise PublishError(
                f"{self.folders[0].parent}: old releases could not be removed: {error}"
            ) from error


def live_release(out_dir: Path) -> Path | None:
    """The folder of the live release, or None before the first publish."""
    current = out_dir / RELEASES / CURRENT
    if not current.is_symlink():
        return None
    folder = out_dir / RELEASES / os.readlink(current)
    return folder if folder.is_dir() else None


def releases(out_dir: Path) -> list[Path]:
    """The complete releases, oldest first."""
    root = out_dir / RELEASES
    if not root.is_dir():
        return []
    return sorted(
        p
        for p in root.iterdir()
        if p.is_dir() and not p.is_symlink() and (p / RELEASE_FILE).is_file()
    )


def point_current(out_dir: Path, run_id: str) -> None:
    """Point ``current`` at a release: a new link renamed over the old one (atomic)."""
    root = out_dir / RELEASES
    temporary = root / f"{STAGING}{CURRENT}-{os.getpid()}"
    with contextlib.suppress(FileNotFoundError):
        temporary.unlink()
    os.symlink(run_id, temporary)
    os.replace(temporary, root / CURRENT)


def make_stable_paths(out_dir: Path, names: list[str]) -> None:
    """``build/<slug>`` -> ``.releases/current/<slug>`` (and ``index.html``) where missing.

    A real folder there is a site from before releases: it is moved aside and replaced by the
    link (the one moment without that site, once, the first time)."""
    for name in [*names, "index.html"]:
        path = out_dir / name
        target = f"{RELEASES}/{CURRENT}/{name}"
        if path.is_symlink() and os.readlink(path) == target:
            continue
        temporary = out_dir / f"{STAGING}{name}-{os.getpid()}"
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()
        os.symlink(target, temporary)
        if path.is_dir() and not path.is_symlink():
            aside = out_dir / RELEASES / f"{STAGING}old-{name}"
            path.rename(aside)
        os.replace(temporary, path)


def prune(out_dir: Path, run_id: str) -> None:
    """Keep the live release and the one live before it (or else the newest other); set aside
    the rest and every site folder no kept release points to, for the next run to delete
    (:class:`Sweeper`)."""
    live = live_release(out_dir)
    if live is None:
        return
    others = [p for p in releases(out_dir) if p != live]
    # The one live before this one (after a rollback: not the newer one rolled back from).
    previous = _read_record(live).get("previous")
    others.sort(key=lambda p: (p.name == previous, p.name))
    kept = [live, *others[-(KEEP - 1) :]] if KEEP > 1 else [live]
    old = [release for release in releases(out_dir) if release not in kept]
    set_aside(out_dir, run_id, [*old, *_unreferenced_sites(out_dir, kept)])


def _unreferenced_sites(out_dir: Path, kept: list[Path]) -> list[Path]:
    """The site folders no kept release needs: not linked from one, and not shared by a folder
    linked from one. A folder whose ``.shared`` cannot be read keeps every folder of its site."""
    sites = out_dir / RELEASES / "sites"
    linked = {(link.parent / os.readlink(link)).resolve() for r in kept for link in _links(r)}
    if not sites.is_dir():
        return []
    used = set(linked)
    unknown = set()
    for folder in linked:
        shared = read_shared(folder)
        if shared is None:
            unknown.add(folder.parent)
        used.update((folder.parent / name).resolve() for name in shared or ())
    return [
        version
        for slug in sorted(sites.iterdir())
        if slug.resolve() not in unknown
        for version in sorted(slug.iterdir())
        if version.resolve() not in used and not version.name.startswith(STAGING)
    ]


def read_shared(folder: Path) -> list[str] | None:
    """The earlier folders of the site that the site folder ``folder`` links into (their
    names); None when its ``.shared`` cannot be read (then none of them may go)."""
    try:
        names = json.loads((folder / SHARED).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return []
    except (OSError, ValueError):
        return None
    if not isinstance(names, list) or not all(
        isinstance(n, str) and n and "/" not in n and n not in (".", "..") for n in names
    ):
        return None
    return names


def set_aside(out_dir: Path, run_id: str, folders: list[Path]) -> None:
    """Move folders out of the releases in one rename each, into ``.pruned-<run>/``; no
    release points into them any more."""
    if not folders:
        return
    pruned = out_dir / RELEASES / f"{PRUNED}{run_id}"
    pruned.mkdir(exist_ok=True)
    for n, folder in enumerate(folders):
        folder.rename(pruned / f"{n}-{folder.parent.name}-{folder.name}")


def remove_folders(folders: list[Path]) -> None:
    """Remove whole folders: with one ``rm -rf`` (a site is thousands of files: a C loop
    removes them about a third faster than :func:`shutil.rmtree`), else in Python. Stops with
    the reason when a folder is still there."""
    if not folders:
        return
    with contextlib.suppress(OSError):
        subprocess.run(["rm", "-rf", "--", *map(str, folders)], check=False, capture_output=True)
    for folder in folders:
        if folder.exists():
            shutil.rmtree(folder)


def _links(release: Path) -> list[Path]:
    return [p for p in release.iterdir() if p.is_symlink()]


def remove_leftovers(out_dir: Path) -> None:
    """Remove what a killed run left: staging folders and links, and releases that were
    complete but never switched in. Only under the lock, so no run is writing them now."""
    root = out_dir / RELEASES
    for path in [*root.glob(f"{STAGING}*"), *root.glob(f"sites/*/{STAGING}*")]:
        _remove(path)
    for path in out_dir.glob(f"{STAGING}*"):
        _remove(path)
    live = live_release(out_dir)
    if live is not None:
        # A release newer than the live one was never switched in: its run was killed.
        for release in releases(out_dir):
            if release.name > live.name and not _was_live(release, live):
                shutil.rmtree(release)
        prune(out_dir, f"leftovers-{new_run_id()}")


def _was_live(release: Path, live: Path) -> bool:
    """True when the live release is older because of a rollback from this one."""
    record = _read_record(live)
    return bool(record.get("rolled_back_from") == release.name)


def _read_record(release: Path) -> Mapping[str, object]:
    try:
        data = json.loads((release / RELEASE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _write_atomically(path: Path, text: str) -> None:
    temporary = path.with_name(f"{STAGING}{path.name}-{os.getpid()}")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


def _remove(path: Path) -> None:
    if path.is_symlink() or path.is_file():
        path.unlink()
    else:
        shutil.rmtree(path, ignore_errors=True)


def rollback(out_dir: Path) -> Path:
    """Make the kept release before the live one live again (one atomic switch); return it.
    Use under :func:`output_lock`."""
    live = live_release(out_dir)
    if live is None:
        raise PublishError(f"{out_dir}: nothing is published yet, so there is nothing to roll back")
    others = [p for p in releases(out_dir) if p != live]
    if not others:
        raise PublishError(
            f"{out_dir}: no earlier release is kept (only {live.name}); nothing to roll back to"
        )
    target = others[-1]
    record = dict(_read_record(target))
    record["rolled_back_from"] = live.name
    _write_atomically(target / RELEASE_FILE, json.dumps(record, indent=2) + "\n")
    point_current(out_dir, target.name)
    return target
