"""Served for real (issue 15, item 5): Debian's nginx serves a built county with the server
block the build wrote; Debian's Chromium loads a home page, an article, a service page and a
search, and the Content-Security-Policy blocks nothing; the 404 page is in the address's
language; a client that accepts Brotli gets the ``.br`` file."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import brotli
import pytest

from pipeline.build import build
from pipeline.deploy.local_nginx import BROTLI_MODULE, NginxFailed, free_port, serving
from pipeline.quality.browser_audit import CHROMIUM_ARGS, chromium_path
from pipeline.sources.ptv.fetch import Fetcher
from pipeline.sources.ptv.source import V11Source
from tests import ptv_objects as o
from tests.fake_ptv import FakePtv
from tests.helpers import make_project

pytestmark = pytest.mark.slow

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def _nginx_available() -> None:
    missing = [str(p) for p in (Path(NGINX), BROTLI_MODULE) if not p.exists()]
    if not missing:
        return
    if os.geteuid() == 0:
        subprocess.run(
            ["apt-get", "install", "-y", "nginx-light", "libnginx-mod-http-brotli-static"],
            capture_output=True,
            check=False,
        )
    missing = [str(p) for p in (Path(NGINX), BROTLI_MODULE) if not p.exists()]
    if missing:
        pytest.skip(
            f"nginx cannot be installed here ({', '.join(missing)} missing): apt-get install "
            "nginx libnginx-mod-http-brotli-static"
        )


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """The Kainuu fixture site with two services and its search index, built for
    http://127.0.0.1:<port>/kainuu/ and served by nginx with the generated server block."""
    _nginx_available()
    tmp = tmp_path_factory.mktemp("nginx")
    root = make_project(tmp)
    shutil.rmtree(root / "snapshots")
    ptv = FakePtv(
        services=[
            o.service(
                "kajaani-neuvola",
                fi="Kajaanin neuvola",
                areas=[o.municipality_area("205")],
                channels=("kajaani-loc",),
            )
        ],
        channels=[o.location("kajaani-loc", fi="Kajaanin neuvola")],
    )
    with ptv.serve() as url:
        Fetcher(V11Source(url, backoff=0), root / "snapshots" / "ptv").run(
            ["205"], "full", all_areas=True
        )
    port = free_port()
    out = root / "build"
    build(
        root, out, areas=["kainuu"], national=False, base_url=f"http://127.0.0.1:{port}/{{slug}}/"
    )
    try:
        with serving(out / "kainuu", port, tmp / "nginx"):
            yield f"http://127.0.0.1:{port}/kainuu/", out / "kainuu"
    except NginxFailed as error:
        pytest.fail(str(error))


def get(url: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status, dict(answer.headers), answer.read()
    except urllib.error.HTTPError as answer:
        return answer.code, dict(answer.headers), answer.read()


def test_nginx_sends_the_security_headers_and_short_lives_for_pages(
    served: tuple[str, Path],
) -> None:
    base, _ = served
    status, headers, _ = get(base + "fi/")
    assert status == 200
    assert "'wasm-unsafe-eval'" in headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert headers["Strict-Transport-Security"].startswith("max-age=")
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "geolocation=(self)" in headers["Permissions-Policy"]
    assert headers["Cache-Control"] == "public, max-age=300"
    for bundle in ("national", "site"):  # the two search bundles (pipeline/site/search.py)
        fragment = next(p for p in (served[1] / f"pagefind/{bundle}/fragment").iterdir())
        _, headers, _ = get(base + f"pagefind/{bundle}/fragment/{fragment.name}")
        assert headers["Cache-Control"] == "public, max-age=31536000, immutable"
    style = re.search(r'href="\.\./(static/[0-9a-f]+/style\.css)"', get(base + "fi/")[2].decode())
    assert style is not None
    _, headers, _ = get(base + style.group(1))
    assert headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert headers["Content-Type"] == "text/css; charset=utf-8"
    assert get(base + "nginx.conf")[0] == 404


def test_the_404_page_is_in_the_language_of_the_address(served: tuple[str, Path]) -> None:
    base, _ = served
    for lang in ("fi", "sv", "en"):
        status, _, body = get(base + f"{lang}/no-such-page/")
        assert status == 404
        assert f'<html lang="{lang}"' in body.decode()
    status, _, body = get(base + "no-such-page/")
    assert status == 404 and '<html lang="fi"' in body.decode()


def test_a_client_that_accepts_brotli_gets_the_br_file(served: tuple[str, Path]) -> None:
    base, site = served
    status, headers, body = get(base + "fi/", **{"Accept-Encoding": "br, gzip"})
    assert status == 200 and headers["Content-Encoding"] == "br"
    assert brotli.decompress(body) == (site / "fi/index.html").read_bytes()
    _, headers, body = get(base + "fi/", **{"Accept-Encoding": "gzip"})
    assert headers["Content-Encoding"] == "gzip"
    _, headers, body = get(base + "fi/")
    assert "Content-Encoding" not in headers
    assert body == (site / "fi/index.html").read_bytes()


def test_chromium_finds_no_csp_violation_and_search_works(served: tuple[str, Path]) -> None:
    from playwright.sync_api import sync_playwright

    base, site = served
    article = (
        "fi/"
        + next(
            p.parent.relative_to(site / "fi").as_posix()
            for p in sorted((site / "fi").rglob("index.html"))
            if 'class="page-article' in p.read_text()
        )
        + "/"
    )
    service = (
        "fi/"
        + next(
            p.parent.relative_to(site / "fi").as_posix()
            for p in sorted((site / "fi").rglob("index.html"))
            if 'class="page-service' in p.read_text()
        )
        + "/"
    )
    violations: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.on(
            "console",
            lambda m: (
                violations.append(f"{page.url}: {m.text}")
                if re.search(r"Content Security Policy|Refused to|violates", m.text)
                else None
            ),
        )
        page.on("pageerror", lambda e: violations.append(f"{page.url}: {e}"))
        for path in ("fi/", article, service):
            answer = page.goto(base + path)
            assert answer is not None and answer.status == 200, path
            page.wait_for_load_state("networkidle")
        page.goto(base + "fi/haku/?q=neuvola")
        page.wait_for_selector("#search-results li a", timeout=20000)
        found = page.locator("#search-results li a").count()
        page.wait_for_load_state("networkidle")
        browser.close()
    assert violations == []
    assert found > 0


def test_sites_sharing_a_host_name_configure_with_the_http_and_location_parts(
    served: tuple[str, Path], tmp_path: Path
) -> None:
    _, site = served
    conf = tmp_path / "shared.conf"
    conf.write_text(
        f"load_module {BROTLI_MODULE};\npid {tmp_path}/nginx.pid;\nerror_log stderr;\n"
        "events {}\n"
        f"http {{\n    include {site}/nginx-http.conf;\n"
        "    server {\n        listen 127.0.0.1:9;\n        server_name perhekeskus.fi;\n"
        f"        include {site}/nginx-location.conf;\n    }}\n}}\n"
    )
    tested = subprocess.run(
        [NGINX, "-t", "-p", str(tmp_path), "-c", str(conf)], capture_output=True, text=True
    )
    assert tested.returncode == 0, tested.stderr
    assert "location /kainuu/ {" in (site / "nginx-location.conf").read_text()


def test_after_an_edit_nginx_serves_the_shared_folders_and_not_their_note(
    served: tuple[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Last in this module: it builds the served site again after an edit."""
    base, site = served
    monkeypatch.setenv("PERHEKESKUS_CACHE", "on")
    out = site.parent
    root = out.parent
    article = root / "content/fi/neuvola.md"
    article.write_text(article.read_text(encoding="utf-8") + "\nUusi kappale.\n", "utf-8")
    port = urlsplit(base).port
    build(
        root, out, areas=["kainuu"], national=False, base_url=f"http://127.0.0.1:{port}/{{slug}}/"
    )
    # The Swedish pages did not change: their folder is the first build's, linked.
    assert (site.resolve() / "sv").is_symlink()
    status, _, body = get(base + "sv/")
    assert status == 200 and body == (site / "sv/index.html").read_bytes()
    status, headers, body = get(base + "fi/raskaus/neuvola/", **{"Accept-Encoding": "br"})
    assert status == 200 and headers["Content-Encoding"] == "br"
    assert "Uusi kappale." in brotli.decompress(body).decode()
    assert (site / ".shared").is_file() and get(base + ".shared")[0] == 404
