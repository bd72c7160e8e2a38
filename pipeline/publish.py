"""Stage 4, publish: write a site and swap it into place only when it is complete.

Input: a site's pages (``{output path: html}``), the theme's assets and the site's base address.
Output: ``build/<slug>/`` with the pages, ``assets/``, ``sitemap.xml``, ``robots.txt`` and
``manifest.json``. The 404 pages (``404.html``, ``fi/404.html``...) get root-relative links, as
a server sends them for a missing address at any depth. The site is written to a temporary
folder next to the target and renamed over it at the end, so a failed build leaves the
previous site untouched.
"""

from __future__ import annotations

import json
import os
import posixpath
import re
import shutil
import tempfile
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urljoin, urlsplit
from xml.sax.saxutils import escape

from pipeline import __version__


def sitemap(base_url: str, paths: list[str]) -> str:
    """A sitemap of the site's pages (``index.html`` pages only)."""
    rows = [
        f"  <url><loc>{escape(base_url + path.removesuffix('index.html'))}</loc></url>"
        for path in sorted(paths)
        if path.endswith("index.html") and path != "index.html"
    ]
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        + "\n".join(rows)
        + "\n</urlset>\n"
    )


RELATIVE_URL = re.compile(r'(\s(?:href|src|action)=")(?![a-z][a-z0-9+.-]*:|/|#)([^"]*)"')


def served_anywhere(html: str, base_url: str, path: str) -> str:
    """A page served at any address (a 404 page): its relative links, written from where it
    lies (``fi/404.html``), made root-relative (``/kainuu/fi/``...); in-page anchors stay."""
    folder = urlsplit(base_url).path.rstrip("/") + "/" + posixpath.dirname(path)
    folder = folder.rstrip("/") + "/"
    return RELATIVE_URL.sub(lambda m: f'{m.group(1)}{urljoin(folder, m.group(2))}"', html)


def robots(base_url: str) -> str:
    return f"User-agent: *\nAllow: /\nSitemap: {base_url}sitemap.xml\n"


def write_site(
    out_dir: Path,
    slug: str,
    pages: Mapping[str, str],
    assets_dir: Path,
    base_url: str,
    extra: Mapping[str, object] | None = None,
    before_swap: Callable[[Path], None] | None = None,
) -> Path:
    """Write one site atomically into ``out_dir/slug``; return its path."""
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / slug
    staging = Path(tempfile.mkdtemp(prefix=f".{slug}-", dir=out_dir))
    try:
        for rel, html in pages.items():
            path = staging / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            if path.name == "404.html":
                html = served_anywhere(html, base_url, rel)
            path.write_text(html, encoding="utf-8")
        shutil.copytree(assets_dir, staging / "assets")
        (staging / "sitemap.xml").write_text(sitemap(base_url, list(pages)), encoding="utf-8")
        (staging / "robots.txt").write_text(robots(base_url), encoding="utf-8")
        manifest = {
            "site": slug,
            "base_url": base_url,
            "generator": f"perhekeskus {__version__}",
            "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "pages": len(pages),
            **(extra or {}),
        }
        (staging / "manifest.json").write_text(
            json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
        if before_swap is not None:
            # The search index is built on the finished site, before it is published.
            before_swap(staging)
        os.chmod(staging, 0o755)
        _swap(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return target


def _swap(staging: Path, target: Path) -> None:
    """Replace target by staging with two renames; the old site is removed last."""
    old = None
    if target.exists():
        old = target.with_name(f".{target.name}-old-{os.getpid()}")
        target.rename(old)
    staging.rename(target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def write_index(out_dir: Path, sites: Mapping[str, str]) -> None:
    """``build/index.html``: a plain list of the built sites, for previews on localhost."""
    items = "\n".join(
        f'  <li><a href="{escape(slug)}/">{escape(name)}</a></li>' for slug, name in sites.items()
    )
    html = (
        '<!doctype html>\n<html lang="fi">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        "<title>Perhekeskus – esikatselu</title>\n</head>\n<body>\n<main>\n"
        "<h1>Rakennetut sivustot</h1>\n<ul>\n" + items + "\n</ul>\n</main>\n</body>\n</html>\n"
    )
    (out_dir / "index.html").write_text(html, encoding="utf-8")
