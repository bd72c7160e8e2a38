"""Where a site is deployed: a folder (served by a web server, or copied on with rsync) or
S3-compatible object storage.

Input: a destination (``/srv/www`` or ``s3://bucket/prefix``), a site's folder and manifest.
Output: the site under ``<dest>/<slug>/``: the files whose entry changed since the manifest
deployed there last are uploaded (other files first, pages next, the manifest last), and files
no longer in the site are deleted after everything else. :func:`plan` is pure; the targets do
the I/O. A destination that cannot be read or written is an error in words.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlsplit

from pipeline.deploy import PublishError
from pipeline.deploy.manifest import MANIFEST, FileEntry, files_of, parse_manifest

ENCODINGS = {".br": "br", ".gz": "gzip"}


class DeployError(PublishError):
    """A destination cannot be read or written; the message names it."""


@dataclass(frozen=True)
class Plan:
    upload: list[str]
    """Files to upload, in order: everything but pages first, then the pages."""
    delete: list[str]
    unchanged: int


def plan(local: Mapping[str, FileEntry], remote: Mapping[str, FileEntry] | None) -> Plan:
    """What to upload and delete so the destination holds ``local`` (``remote``: what the
    destination's manifest lists, None when nothing was deployed there)."""
    before = remote or {}
    changed = [rel for rel, entry in local.items() if before.get(rel) != entry]
    # Pages last: a page is never live before the files it loads.
    upload = sorted(changed, key=lambda rel: (rel.endswith((".html", ".html.br", ".html.gz")), rel))
    delete = sorted(rel for rel in before if rel not in local)
    return Plan(upload, delete, len(local) - len(changed))


class Target(Protocol):
    """A destination of one site."""

    where: str

    def deployed_manifest(self) -> dict[str, Any] | None: ...

    def put(self, rel: str, source: Path, entry: FileEntry) -> None: ...

    def put_manifest(self, data: bytes) -> None: ...

    def delete(self, rel: str) -> None: ...


class FolderTarget:
    """``<folder>/<slug>/``: each file written beside its place and renamed over it."""

    def __init__(self, folder: Path, slug: str) -> None:
        self.root = folder / slug
        self.where = str(self.root)

    def deployed_manifest(self) -> dict[str, Any] | None:
        path = self.root / MANIFEST
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as exc:
            raise DeployError(f"{path}: the deployed manifest cannot be read ({exc})") from None
        return parse_manifest(data, str(path))

    def _write(self, rel: str, write: Any) -> None:
        path = self.root / rel
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            temporary = path.with_name(f".{path.name}.deploy-{os.getpid()}")
            write(temporary)
            os.replace(temporary, path)
        except OSError as exc:
            raise DeployError(f"{path}: cannot be written ({exc.strerror})") from None

    def put(self, rel: str, source: Path, entry: FileEntry) -> None:
        self._write(rel, lambda temporary: shutil.copyfile(source, temporary))

    def put_manifest(self, data: bytes) -> None:
        self._write(MANIFEST, lambda temporary: temporary.write_bytes(data))

    def delete(self, rel: str) -> None:
        path = self.root / rel
        try:
            path.unlink(missing_ok=True)
        except OSError as exc:
            raise DeployError(f"{path}: cannot be deleted ({exc.strerror})") from None
        with contextlib.suppress(OSError):  # an emptied folder goes too; a full one stays
            parent = path.parent
            while parent != self.root:
                parent.rmdir()
                parent = parent.parent


class S3Target:
    """``s3://bucket/prefix/<slug>/`` in S3-compatible storage (``AWS_ENDPOINT_URL`` picks
    another service than AWS). Each object gets its Content-Type and Cache-Control; a file with
    a ``.gz`` copy is stored gzip-compressed with ``Content-Encoding: gzip`` (storage cannot
    choose per client, and every browser accepts gzip), so ``.br`` and ``.gz`` copies
    themselves are not uploaded."""

    def __init__(self, url: str, slug: str, client: Any = None) -> None:
        parts = urlsplit(url)
        if not parts.netloc:
            raise DeployError(f"{url}: no bucket; write s3://bucket/prefix")
        self.bucket = parts.netloc
        prefix = parts.path.strip("/")
        self.prefix = f"{prefix}/{slug}/" if prefix else f"{slug}/"
        self.where = f"s3://{self.bucket}/{self.prefix}"
        if client is None:
            import boto3

            client = boto3.client("s3", endpoint_url=os.environ.get("AWS_ENDPOINT_URL") or None)
        self.client = client

    def _fail(self, action: str, exc: Exception) -> DeployError:
        return DeployError(f"{self.where}: {action} failed ({_reason(exc)})")

    def deployed_manifest(self) -> dict[str, Any] | None:
        from botocore.exceptions import BotoCoreError, ClientError

        key = self.prefix + MANIFEST
        try:
            body = self.client.get_object(Bucket=self.bucket, Key=key)["Body"].read()
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in ("NoSuchKey", "404"):
                return None
            raise self._fail("reading the deployed manifest", exc) from None
        except BotoCoreError as exc:
            raise self._fail("reading the deployed manifest", exc) from None
        try:
            data = json.loads(body)
        except ValueError as exc:
            raise DeployError(f"{self.where}{MANIFEST}: cannot be read ({exc})") from None
        return parse_manifest(data, f"{self.where}{MANIFEST}")

    def _upload(self, rel: str, body: bytes, extra: Mapping[str, str]) -> None:
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            self.client.put_object(Bucket=self.bucket, Key=self.prefix + rel, Body=body, **extra)
        except (BotoCoreError, ClientError) as exc:
            raise self._fail(f"uploading {rel}", exc) from None

    def put(self, rel: str, source: Path, entry: FileEntry) -> None:
        if rel.endswith(tuple(ENCODINGS)) and source.with_suffix("").is_file():
            return  # a compressed copy: stored as the encoding of its file
        extra = {"ContentType": entry.type, "CacheControl": entry.cache}
        compressed = source.with_name(source.name + ".gz")
        if compressed.is_file():
            extra["ContentEncoding"] = "gzip"
            self._upload(rel, compressed.read_bytes(), extra)
        else:
            self._upload(rel, source.read_bytes(), extra)

    def put_manifest(self, data: bytes) -> None:
        extra = {"ContentType": "application/json", "CacheControl": "no-cache"}
        self._upload(MANIFEST, data, extra)

    def delete(self, rel: str) -> None:
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            self.client.delete_object(Bucket=self.bucket, Key=self.prefix + rel)
        except (BotoCoreError, ClientError) as exc:
            raise self._fail(f"deleting {rel}", exc) from None


def _reason(exc: Exception) -> str:
    response = getattr(exc, "response", None)
    if isinstance(response, dict):
        error = response.get("Error", {})
        return f"{error.get('Code', '?')}: {error.get('Message', '')}".strip(": ")
    return str(exc)


def target_for(dest: str, slug: str) -> Target:
    """The target of a destination: ``s3://...`` or a folder path."""
    if dest.startswith("s3://"):
        return S3Target(dest, slug)
    if "://" in dest:
        raise DeployError(f"{dest}: not a folder nor s3://bucket/prefix")
    return FolderTarget(Path(dest), slug)


@dataclass(frozen=True)
class Deployed:
    site: str
    where: str
    uploaded: int
    deleted: int
    unchanged: int


def deploy_site(site_dir: Path, manifest: Mapping[str, Any], target: Target) -> Deployed:
    """Bring one site's destination up to its manifest: upload what changed, then the
    manifest, then delete what the site no longer has."""
    local = files_of(manifest)
    remote = target.deployed_manifest()
    steps = plan(local, files_of(remote) if remote is not None else None)
    for rel in steps.upload:
        target.put(rel, site_dir / rel, local[rel])
    if steps.upload or steps.delete or remote is None:
        target.put_manifest((site_dir / MANIFEST).read_bytes())
    for rel in steps.delete:
        target.delete(rel)
    slug = str(manifest.get("site", site_dir.name))
    return Deployed(slug, target.where, len(steps.upload), len(steps.delete), steps.unchanged)
