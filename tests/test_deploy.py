"""Manifest and deploy (issue 15, item 3): every file with its hash; ``perhekeskus deploy``
uploads only what changed to a folder or to S3 (moto in server mode on localhost), deletes
removed files last, rolls back in one command and fails in words."""

from __future__ import annotations

import gzip
import json
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import brotli
import pytest

from pipeline.cli import main
from pipeline.deploy.cdn import load_cdn
from pipeline.deploy.fingerprint import fingerprints
from pipeline.deploy.manifest import FileEntry, files_of
from pipeline.deploy.release import Release, output_lock
from pipeline.deploy.targets import FolderTarget, deploy_site, plan
from pipeline.publish import SiteInput, write_site
from tests.helpers import REPO, sha256_of, site_files

THEME = REPO / "themes/perhekeskus"
BASE = "https://perhekeskus.fi/kainuu/"


def page(title: str, body: str) -> str:
    head = (
        f'<link rel="canonical" href="{BASE}fi/{title}/">\n'
        f'<link rel="alternate" hreflang="fi" href="{BASE}fi/{title}/">\n'
        f'<link rel="alternate" hreflang="sv" href="{BASE}sv/{title}/">\n'
        f'<link rel="alternate" hreflang="x-default" href="{BASE}">\n'
    )
    text = f"<p>{body}</p>\n" * 40  # long enough to be precompressed
    return f'<!doctype html><html lang="fi"><head><title>{title}</title>\n{head}</head>{text}'


PAGES = {
    "index.html": page("root", "Valitse kieli"),
    "fi/index.html": page("etusivu", "Etusivu"),
    "fi/neuvola/index.html": page("neuvola", "Neuvola"),
    "fi/tuet/index.html": page("tuet", "Tuet"),
    "fi/404.html": '<!doctype html><meta name="robots" content="noindex"><a href="./">x</a>',
}


def publish(out: Path, pages: dict[str, str], reuse: bool = False) -> Path:
    with output_lock(out):
        release = Release(out)
        site = SiteInput("kainuu", pages, BASE, {"ptv": {"id": "20261120T020000Z"}})
        now = datetime(2026, 12, 6, tzinfo=UTC)
        write_site(release, site, THEME / "assets", load_cdn(THEME), now, reuse=reuse)
        release.switch()
    return out / "kainuu"


def manifest_of(site: Path) -> dict[str, Any]:
    return dict(json.loads((site / "manifest.json").read_text()))


def test_the_manifest_lists_every_file_with_hash_size_and_type(tmp_path: Path) -> None:
    site = publish(tmp_path / "build", PAGES)
    manifest = manifest_of(site)
    assert sorted(manifest["files"]) == site_files(site)
    entry = manifest["files"]["fi/neuvola/index.html"]
    assert entry["sha256"] == sha256_of(site / "fi/neuvola/index.html")
    assert entry["size"] == (site / "fi/neuvola/index.html").stat().st_size
    assert entry["type"] == "text/html; charset=utf-8"
    assert manifest["files"]["assets/style.css"]["type"] == "text/css; charset=utf-8"
    assert manifest["snapshots"] == {"ptv": {"id": "20261120T020000Z"}}
    assert manifest["generator"].startswith("perhekeskus ")
    assert "fi/neuvola/index.html.br" in manifest["files"]
    assert "fi/neuvola/index.html.gz" in manifest["files"]


def test_the_plan_uploads_what_changed_pages_last_and_deletes_what_went() -> None:
    def e(sha: str) -> FileEntry:
        return FileEntry(sha, 1, "text/html", "public, max-age=300")

    remote = {"a.html": e("1"), "b.css": e("2"), "gone.html": e("3"), "same.js": e("4")}
    local = {"a.html": e("9"), "b.css": e("8"), "new.html": e("7"), "same.js": e("4")}
    steps = plan(local, remote)
    assert steps.upload == ["b.css", "a.html", "new.html"]
    assert steps.delete == ["gone.html"]
    assert steps.unchanged == 1
    assert plan(local, None).upload == ["b.css", "same.js", "a.html", "new.html"]


class Recording(FolderTarget):
    """A folder target that notes the order of its steps."""

    def __init__(self, folder: Path, slug: str) -> None:
        super().__init__(folder, slug)
        self.steps: list[str] = []

    def put(self, rel: str, source: Path, entry: FileEntry) -> None:
        self.steps.append(f"put {rel}")
        super().put(rel, source, entry)

    def put_manifest(self, data: bytes) -> None:
        self.steps.append("manifest")
        super().put_manifest(data)

    def delete(self, rel: str) -> None:
        self.steps.append(f"delete {rel}")
        super().delete(rel)


def test_a_folder_gets_only_what_changed_and_loses_removed_files_last(tmp_path: Path) -> None:
    out, dest = tmp_path / "build", tmp_path / "www"
    site = publish(out, PAGES)
    first = deploy_site(site.resolve(), manifest_of(site), FolderTarget(dest, "kainuu"))
    assert first.uploaded == len(manifest_of(site)["files"]) and first.deleted == 0
    for rel in site_files(site):
        assert (dest / "kainuu" / rel).read_bytes() == (site / rel).read_bytes()
    again = deploy_site(site.resolve(), manifest_of(site), FolderTarget(dest, "kainuu"))
    assert (again.uploaded, again.deleted) == (0, 0)

    changed = dict(PAGES, **{"fi/neuvola/index.html": page("neuvola", "Uusi aukioloaika")})
    del changed["fi/tuet/index.html"]
    site = publish(out, changed)
    target = Recording(dest, "kainuu")
    result = deploy_site(site.resolve(), manifest_of(site), target)
    # The page, its compressed copies and the sitemap that lists the pages.
    assert [s for s in target.steps if s.startswith("put")] == [
        "put sitemap-fi.xml", "put sitemap-fi.xml.br", "put sitemap-fi.xml.gz",
        "put fi/neuvola/index.html", "put fi/neuvola/index.html.br",
        "put fi/neuvola/index.html.gz",
    ]  # fmt: skip
    assert target.steps[-4:] == [
        "manifest",
        "delete fi/tuet/index.html",
        "delete fi/tuet/index.html.br",
        "delete fi/tuet/index.html.gz",
    ]
    assert result.deleted == 3
    assert not (dest / "kainuu/fi/tuet").exists()
    assert manifest_of(dest / "kainuu") == manifest_of(site)


def test_a_site_that_shares_folders_with_the_one_before_deploys_whole(tmp_path: Path) -> None:
    out, dest = tmp_path / "build", tmp_path / "www"
    publish(out, PAGES, reuse=True)
    changed = dict(PAGES, **{"fi/neuvola/index.html": page("neuvola", "Uusi aukioloaika")})
    site = publish(out, changed, reuse=True)
    # Written after an edit: its unchanged folders are the first build's.
    assert (site / "assets").is_symlink() and (site / "fi/tuet").is_symlink()
    files = site_files(site)
    assert sorted(manifest_of(site)["files"]) == files
    result = deploy_site(site.resolve(), manifest_of(site), FolderTarget(dest, "kainuu"))
    assert result.uploaded == len(manifest_of(site)["files"])
    for rel in files:
        deployed = dest / "kainuu" / rel
        assert not deployed.is_symlink() and deployed.read_bytes() == (site / rel).read_bytes()
        assert sha256_of(deployed) == manifest_of(site)["files"][rel]["sha256"]


def test_rollback_restores_the_previous_manifest_in_one_command(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out, dest = tmp_path / "build", tmp_path / "www"
    old = manifest_of(publish(out, PAGES))
    publish(out, dict(PAGES, **{"fi/index.html": page("etusivu", "Uusi etusivu")}))
    assert main(["deploy", "--out", str(out), "--to", str(dest)]) == 0
    assert main(["deploy", "--out", str(out), "--to", str(dest), "--rollback"]) == 0
    assert manifest_of(dest / "kainuu") == old
    assert manifest_of(out / "kainuu") == old
    said = capsys.readouterr().out
    assert "Rolled back:" in said
    assert "kainuu: 3 uploaded, 0 deleted" in said


def test_deploy_fails_in_words(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "build"
    assert main(["deploy", "--out", str(out), "--to", str(tmp_path / "www")]) == 1
    assert "no such folder (run perhekeskus build" in capsys.readouterr().err
    publish(out, PAGES)
    assert main(["deploy", "--out", str(out), "--to", "ftp://x/"]) == 1
    assert "ftp://x/: not a folder nor s3://bucket/prefix" in capsys.readouterr().err
    assert main(["deploy", "--out", str(out), "--to", "www", "--region", "lappi"]) == 1
    assert "no site lappi in the live release (it has kainuu)" in capsys.readouterr().err
    (out / "kainuu/manifest.json").write_text("{")
    assert main(["deploy", "--out", str(out), "--to", str(tmp_path / "www")]) == 1
    err = capsys.readouterr().err
    assert "manifest.json: the manifest cannot be read" in err
    assert "Traceback" not in err


# --- S3: moto in server mode on localhost ------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    port = free_port()
    server = subprocess.Popen(
        [Path(sys.executable).parent / "moto_server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError("moto_server did not start") from None
                time.sleep(0.2)
        yield url
    finally:
        server.terminate()
        server.wait()


@pytest.fixture
def s3(s3_endpoint: str, monkeypatch: pytest.MonkeyPatch) -> Any:
    import boto3

    for name, value in {
        "AWS_ENDPOINT_URL": s3_endpoint,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "eu-north-1",
    }.items():
        monkeypatch.setenv(name, value)
    client = boto3.client("s3", endpoint_url=s3_endpoint)
    bucket = f"site-{os.getpid()}-{time.monotonic_ns()}"
    client.create_bucket(
        Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": "eu-north-1"}
    )
    return client, bucket


def keys(client: Any, bucket: str) -> set[str]:
    listed = client.list_objects_v2(Bucket=bucket).get("Contents", [])
    return {o["Key"] for o in listed}


def test_s3_gets_types_lifetimes_encodings_and_only_what_changed(
    tmp_path: Path, s3: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    client, bucket = s3
    out = tmp_path / "build"
    site = publish(out, PAGES)
    dest = f"s3://{bucket}/perhe"
    assert main(["deploy", "--out", str(out), "--to", dest]) == 0
    files = files_of(manifest_of(site))
    plain = {rel for rel in files if not rel.endswith((".br", ".gz"))}
    assert keys(client, bucket) == {f"perhe/kainuu/{rel}" for rel in plain | {"manifest.json"}}

    got = client.get_object(Bucket=bucket, Key="perhe/kainuu/fi/neuvola/index.html")
    assert got["ContentType"] == "text/html; charset=utf-8"
    assert got["CacheControl"] == "public, max-age=300"
    assert got["ContentEncoding"] == "gzip"
    body = gzip.decompress(got["Body"].read())
    assert body == (site / "fi/neuvola/index.html").read_bytes()
    fragment = next(rel for rel in plain if rel.startswith("assets/"))
    got = client.get_object(Bucket=bucket, Key=f"perhe/kainuu/{fragment}")
    assert got["CacheControl"] == "public, max-age=3600"
    capsys.readouterr()

    assert main(["deploy", "--out", str(out), "--to", dest]) == 0
    assert "kainuu: 0 uploaded, 0 deleted" in capsys.readouterr().out

    changed = dict(PAGES, **{"fi/neuvola/index.html": page("neuvola", "Uusi")})
    del changed["fi/tuet/index.html"]
    publish(out, changed)
    assert main(["deploy", "--out", str(out), "--to", dest]) == 0
    # The page and the sitemap, each with .br and .gz (stored as the file's encoding).
    assert "kainuu: 6 uploaded, 3 deleted" in capsys.readouterr().out
    assert "perhe/kainuu/fi/tuet/index.html" not in keys(client, bucket)


def test_s3_failures_are_said_in_words(
    tmp_path: Path, s3: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "build"
    publish(out, PAGES)
    assert main(["deploy", "--out", str(out), "--to", "s3://no-such-bucket/x"]) == 1
    err = capsys.readouterr().err
    assert "s3://no-such-bucket/x/kainuu/: reading the deployed manifest failed" in err
    assert "NoSuchBucket" in err
    assert "Traceback" not in err


# --- the CDN files of a site ----------------------------------------------------------------


def test_each_language_has_a_sitemap_with_its_alternates(tmp_path: Path) -> None:
    site = publish(tmp_path / "build", PAGES)
    index = (site / "sitemap.xml").read_text()
    assert f"<loc>{BASE}sitemap-fi.xml</loc>" in index
    assert "sitemap-sv.xml" not in index  # no Swedish page in this site
    fi = (site / "sitemap-fi.xml").read_text()
    assert f"<loc>{BASE}fi/neuvola/</loc>" in fi
    assert f'hreflang="sv" href="{BASE}sv/neuvola/"' in fi
    assert f'hreflang="x-default" href="{BASE}"' in fi
    assert "404" not in fi and "root" not in fi  # not indexed, not a language's page
    assert (
        site / "robots.txt"
    ).read_text() == f"User-agent: *\nAllow: /\nSitemap: {BASE}sitemap.xml\n"


def test_assets_are_published_at_addresses_named_by_their_content(tmp_path: Path) -> None:
    theme = tmp_path / "assets"
    theme.mkdir()
    (theme / "style.css").write_text("body { color: black }")
    before = fingerprints(theme)["style.css"]
    assert re.fullmatch(r"static/[0-9a-f]{10}/style\.css", before)
    (theme / "style.css").write_text("body { color: navy }")
    assert fingerprints(theme)["style.css"] != before
    site = publish(tmp_path / "build", PAGES)
    for rel, published in fingerprints(THEME / "assets").items():
        assert (site / published).read_bytes() == (THEME / "assets" / rel).read_bytes()
        assert manifest_of(site)["files"][published]["cache"].endswith("immutable")


def test_text_files_have_brotli_and_gzip_copies(tmp_path: Path) -> None:
    site = publish(tmp_path / "build", PAGES)
    original = (site / "fi/neuvola/index.html").read_bytes()
    assert brotli.decompress((site / "fi/neuvola/index.html.br").read_bytes()) == original
    assert gzip.decompress((site / "fi/neuvola/index.html.gz").read_bytes()) == original
    assert not (site / "fi/404.html.br").exists()  # too small to gain anything


def test_headers_and_the_server_block_carry_the_same_policy(tmp_path: Path) -> None:
    site = publish(tmp_path / "build", PAGES)
    cdn = load_cdn(THEME)
    headers = (site / "_headers").read_text()
    nginx = (site / "nginx.conf").read_text()
    for name, value in cdn.security.items():
        assert f"  {name}: {value}\n" in headers
        assert f'add_header {name} "{value}" always;' in nginx
    policy = cdn.security["Content-Security-Policy"]
    assert "'wasm-unsafe-eval'" in policy and "frame-ancestors 'none'" in policy
    assert "'unsafe-inline'" not in policy
    assert f"root {tmp_path / 'build'};" in nginx
    assert "error_page 404 $perhekeskus_404_kainuu;" in nginx
    assert '"~^/kainuu/sv/" /kainuu/sv/404.html;' in nginx


def test_a_build_publishes_each_site_with_its_manifest_and_snapshots(tmp_path: Path) -> None:
    from pipeline.build import build
    from tests.helpers import make_project

    root = make_project(tmp_path)
    out = root / "build"
    build(root, out, areas=["kainuu"], national=False, search=False)
    site = out / "kainuu"
    assert site.is_symlink() and (site / "fi/index.html").is_file()
    manifest = manifest_of(site)
    current = (root / "snapshots/ptv/CURRENT").read_text().strip()
    assert manifest["snapshots"]["ptv"]["id"] == current
    assert manifest["snapshots"]["ptv"]["age_hours"] > 0
    assert sorted(manifest["files"]) == site_files(site)
    assert '<a href="kainuu/">' in (out / "index.html").read_text()
