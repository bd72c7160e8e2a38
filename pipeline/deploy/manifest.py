"""A site's manifest: every file with its SHA-256, size and content type.

Input: a finished site folder, its CDN settings and what the build knows (site, base address,
snapshot ids and times). Output: ``manifest.json`` in the site (itself not listed), which
``perhekeskus deploy`` compares with the one last deployed to upload only what changed.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pipeline import __version__, jsontext
from pipeline.deploy import PublishError
from pipeline.deploy.cdn import Cdn

MANIFEST = "manifest.json"


class ManifestError(PublishError):
    """A manifest cannot be read; the message names it."""


@dataclass(frozen=True)
class FileEntry:
    sha256: str
    size: int
    type: str
    cache: str


def snapshot_info(
    snapshot: str | None, fetched_at: datetime | None, now: datetime
) -> dict[str, Any]:
    """A snapshot's id, when it was fetched and its age in hours at build time."""
    if fetched_at is None:
        return {"id": snapshot, "fetched_at": None, "age_hours": None}
    return {
        "id": snapshot,
        "fetched_at": fetched_at.astimezone(UTC).isoformat(timespec="seconds"),
        "age_hours": round((now - fetched_at).total_seconds() / 3600, 1),
    }


def manifest_of(
    files: Mapping[str, tuple[str, int]],
    cdn: Cdn,
    slug: str,
    base_url: str,
    snapshots: Mapping[str, Mapping[str, Any]],
    now: datetime,
    pages: int,
    compression: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The manifest of a site whose files (path -> SHA-256 and size) the writer knows: no file
    is read. ``compression``: the settings the ``.br`` and ``.gz`` were made with, so that the
    next build knows whether it may keep them (:mod:`pipeline.deploy.reuse`)."""
    types: dict[str, str] = {}  # a file's type depends on its name alone: asked once per name

    def content_type(rel: str) -> str:
        name = rel.rsplit("/", 1)[-1]
        if name not in types:
            types[name] = cdn.content_type(name)
        return types[name]

    entries = {
        rel: {
            "sha256": sha,
            "size": size,
            "type": content_type(rel),
            "cache": cdn.cache_control(rel),
        }
        for rel, (sha, size) in sorted(files.items())
        if rel != MANIFEST
    }
    return {
        "site": slug,
        "base_url": base_url,
        "generator": f"perhekeskus {__version__}",
        "built_at": now.astimezone(UTC).isoformat(timespec="seconds"),
        "pages": pages,
        "snapshots": {name: dict(info) for name, info in snapshots.items()},
        **({"compression": dict(compression)} if compression is not None else {}),
        "files": entries,
    }


def same_site(new: Mapping[str, Any], live: Mapping[str, Any]) -> bool:
    """Whether two manifests describe the same site, but for when it was built (its moment,
    and the snapshots' ages then)."""
    return new.get("files") == live.get("files") and bool(_stable(new) == _stable(live))


def _stable(manifest: Mapping[str, Any]) -> Any:
    """The manifest but for its files (compared as they are) and its moment."""
    found = {key: value for key, value in manifest.items() if key not in ("built_at", "files")}
    snapshots = found.get("snapshots")
    if isinstance(snapshots, dict):
        found["snapshots"] = {
            name: {k: v for k, v in info.items() if k != "age_hours"}
            if isinstance(info, dict)
            else info
            for name, info in snapshots.items()
        }
    return json.loads(json.dumps(found))  # the same types as a manifest read from its file


def write_manifest(site: Path, manifest: Mapping[str, Any]) -> None:
    jsontext.write(site / MANIFEST, manifest)


def read_manifest(path: Path) -> dict[str, Any]:
    """A manifest's content; an unreadable one is an error in words."""
    try:
        data = jsontext.read(path)
    except FileNotFoundError:
        raise ManifestError(f"{path}: no manifest (was the site built?)") from None
    except (OSError, ValueError) as exc:
        raise ManifestError(f"{path}: the manifest cannot be read ({exc})") from None
    return parse_manifest(data, str(path))


def parse_manifest(data: object, where: str) -> dict[str, Any]:
    if not isinstance(data, dict) or not isinstance(data.get("files"), dict):
        raise ManifestError(f"{where}: not a site manifest (no 'files')")
    for rel, entry in data["files"].items():
        if not isinstance(entry, dict) or not isinstance(entry.get("sha256"), str):
            raise ManifestError(f"{where}: the entry of {rel!r} has no sha256")
    return data


def files_of(manifest: Mapping[str, Any]) -> dict[str, FileEntry]:
    return {
        rel: FileEntry(
            e["sha256"], int(e.get("size", 0)), str(e.get("type", "")), str(e.get("cache", ""))
        )
        for rel, e in manifest["files"].items()
    }
