"""Stage 8, publish: write every site of a run beside the live ones and switch them in together.

Input: each site's pages (``{output path: html}``), the theme's assets and CDN settings
(``cdn/cdn.toml``), the site's base address and the snapshots it was built from.
Output, per site: the pages, ``assets/`` and the same files at fingerprinted addresses
(``static/<hash>/style.css``, which the pages load), the search indexes (``pagefind/national/``,
the run's national article index, linked in, and ``pagefind/site/``, the site's own pages:
:mod:`pipeline.site.search`), ``sitemap.xml`` (an
index of one sitemap per language, ``sitemap-fi.xml``..., with absolute ``hreflang`` alternates and
``x-default``), ``robots.txt``, ``_headers`` and ``nginx*.conf`` (security headers and cache
lifetimes), ``.br`` and ``.gz`` beside each text file and ``manifest.json`` (every file with its
SHA-256, size and type). The 404 pages (``404.html``, ``fi/404.html``...) get root-relative
links, as a server sends them for a missing address at any depth.

Sites are written into a new release of the output folder and switched in all at once
(:mod:`pipeline.deploy.release`): a failed or killed build leaves the previous sites whole.
With ``reuse`` (the build cache on), a file whose bytes are the live release's is hard-linked
from it with its ``.br`` and ``.gz``, and only new or changed files are written, compressed and
hashed (:mod:`pipeline.deploy.reuse`).
"""

from __future__ import annotations

import posixpath
import re
from collections import defaultdict
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit
from xml.sax.saxutils import escape, quoteattr

from pipeline.deploy.cdn import NGINX_PARTS, Cdn, headers_file, server_block
from pipeline.deploy.fingerprint import fingerprints
from pipeline.deploy.manifest import manifest_of, same_site, write_manifest
from pipeline.deploy.page_facts import KeptFacts, PageFacts, facts_of
from pipeline.deploy.release import Release
from pipeline.deploy.reuse import LiveSite, SiteWriter, compression_settings, read_live_site

LANGUAGES = ("fi", "sv", "en")


@dataclass(frozen=True)
class SitemapEntry:
    """One page of a sitemap: its address and its language versions (``x-default`` too)."""

    loc: str
    alternates: tuple[tuple[str, str], ...]


def sitemap_entries(base_url: str, facts: Mapping[str, PageFacts]) -> dict[str, list[SitemapEntry]]:
    """Per language, the indexable pages with the alternates their own ``<head>`` names
    (``facts``: by output path, :mod:`pipeline.deploy.page_facts`).

    The pages' ``<link rel="alternate">`` come from the translation group, so the sitemap
    says exactly what the pages say (no guessing from file names)."""
    entries: dict[str, list[SitemapEntry]] = defaultdict(list)
    for path in sorted(facts):
        lang = path.split("/", 1)[0]
        if lang not in LANGUAGES or not path.endswith("index.html") or facts[path].noindex:
            continue
        page = facts[path]
        loc = page.canonical or base_url + path.removesuffix("index.html")
        entries[lang].append(SitemapEntry(loc, page.alternates))
    return dict(entries)


def sitemap(entries: list[SitemapEntry]) -> str:
    """A sitemap of one language, each page with its ``xhtml:link`` alternates."""
    rows = []
    for entry in entries:
        links = "".join(
            f'\n    <xhtml:link rel="alternate" hreflang={quoteattr(lang)} href={quoteattr(href)}/>'
            for lang, href in entry.alternates
        )
        rows.append(f"  <url>\n    <loc>{escape(entry.loc)}</loc>{links}\n  </url>")
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:xhtml="http://www.w3.org/1999/xhtml">\n' + "\n".join(rows) + "\n</urlset>\n"
    )


def sitemap_index(base_url: str, langs: list[str]) -> str:
    rows = [
        f"  <sitemap><loc>{escape(base_url)}sitemap-{lang}.xml</loc></sitemap>" for lang in langs
    ]
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        + "\n".join(rows)
        + "\n</sitemapindex>\n"
    )


RELATIVE_URL = re.compile(r'(\s(?:href|src|action)=")(?![a-z][a-z0-9+.-]*:|/|#)([^"]*)"')


def served_anywhere(html: str, base_url: str, path: str) -> str:
    """A page served at any address (a 404 page): its relative links, written from where it
    lies (``fi/404.html``), made root-relative (``/kainuu/fi/``...); in-page anchors stay."""
    folder = urlsplit(base_url).path.rstrip("/") + "/" + posixpath.dirname(path)
    folder = folder.rstrip("/") + "/"
    return RELATIVE_URL.sub(lambda m: f'{m.group(1)}{urljoin(folder, m.group(2))}"', html)


def is_404(path: str) -> bool:
    """A 404 page: served at any address, written with its links made root-relative
    (:func:`served_anywhere`), so with other bytes than it was made with."""
    return posixpath.basename(path) == "404.html"


def robots(base_url: str) -> str:
    return f"User-agent: *\nAllow: /\nSitemap: {base_url}sitemap.xml\n"


@dataclass(frozen=True)
class SiteInput:
    """What publishing needs of one site."""

    slug: str
    pages: Mapping[str, str]
    base_url: str
    snapshots: Mapping[str, Mapping[str, Any]]
    """Per source (``ptv``...): the snapshot id, when it was fetched and its age."""
    unchanged: frozenset[str] = frozenset()
    """Pages read from the live site as they are (:mod:`pipeline.site.carry`): linked without
    being hashed again."""
    made: Mapping[str, str] = field(default_factory=dict)
    """The SHA-256 of pages hashed for the check that are published as they were made (not a
    statement, filled again after the check, nor a 404 page): not hashed again when written."""


@dataclass
class EarlyPages:
    """A site's pages written while it was still being checked (:func:`write_early`): the
    writer that holds them and their facts; the rest of the site is written after the check."""

    writer: SiteWriter
    facts: dict[str, PageFacts]
    kept: KeptFacts


def write_pages(
    writer: SiteWriter,
    site: SiteInput,
    kept: KeptFacts,
    facts: dict[str, PageFacts],
    skip: Collection[str] = (),
    hashes: Mapping[str, str] | None = None,
) -> None:
    """Write the site's pages but those of ``skip`` and those written already, each HTML
    page's facts into ``facts``. A page carried over is linked, read only if need be.
    ``hashes``: the SHA-256 of pages known to be as they are written."""
    hashes = hashes or {}
    for rel in site.pages:
        if rel in skip or rel in writer.hashes:
            continue
        if rel in site.unchanged and writer.link_unchanged(rel):
            if rel.endswith(".html"):
                facts[rel] = kept.of(writer.hashes[rel], partial(site.pages.__getitem__, rel))
            continue
        html = site.pages[rel]
        if is_404(rel):
            html = served_anywhere(html, site.base_url, rel)
        writer.write(rel, html.encode("utf-8"), hashes.get(rel))
        if rel.endswith(".html"):
            facts[rel] = facts_of(html)


def write_early(
    release: Release,
    site: SiteInput,
    cdn: Cdn,
    skip: Collection[str],
    reuse: bool = False,
    live: LiveSite | None = None,
    kept: KeptFacts | None = None,
) -> EarlyPages:
    """Write a site's pages but those of ``skip`` (filled again after the check), compressed,
    while the site is still being checked: into the run's release, which is switched in only
    when every site is valid and discarded otherwise. :func:`write_site` given the result
    writes the rest with the same writer."""
    writer = _site_writer(release, site, cdn, reuse, live)
    early = EarlyPages(writer, {}, kept or KeptFacts(None, site.slug))
    write_pages(writer, site, early.kept, early.facts, skip, site.made)
    writer.compress(cdn)
    return early


def write_site_files(
    writer: SiteWriter,
    site: SiteInput,
    assets_dir: Path,
    cdn: Cdn,
    now: datetime,
    stable: Path,
    before_manifest: Callable[[SiteWriter, Mapping[str, PageFacts]], None] | None = None,
    kept: KeptFacts | None = None,
    early: EarlyPages | None = None,
) -> bool:
    """Write one site into the writer's empty folder: pages, assets, CDN files, then (after
    ``before_manifest``, the search indexes, given the pages' facts) the compressed copies and
    the manifest. What is live with the same bytes is linked, not written
    (:mod:`pipeline.deploy.reuse`), and not read when ``kept`` has its facts. True when the
    site is the live one, file for file: then nothing is written and the folder stays empty.
    ``early``: the pages this writer wrote already, with their facts."""
    kept = kept or KeptFacts(None, site.slug)
    facts = early.facts if early is not None else {}
    write_pages(writer, site, kept, facts)
    kept.keep(facts, writer.hashes)
    write_assets(writer, assets_dir)
    entries = sitemap_entries(site.base_url, facts)
    for lang, rows in entries.items():
        writer.write(f"sitemap-{lang}.xml", sitemap(rows).encode("utf-8"))
    writer.write("sitemap.xml", sitemap_index(site.base_url, list(entries)).encode("utf-8"))
    writer.write("robots.txt", robots(site.base_url).encode("utf-8"))
    writer.write("_headers", headers_file(cdn, site.slug, site.base_url).encode("utf-8"))
    if before_manifest is not None:
        before_manifest(writer, facts)
    # The server block names the stable path (build/<slug>), which follows each release.
    for part, name in NGINX_PARTS.items():
        text = server_block(cdn, site.slug, site.base_url, stable.absolute(), part=part)
        writer.write(name, text.encode("utf-8"))
    writer.compress(cdn)
    pages = sum(1 for rel in site.pages if rel.endswith(".html"))
    files = {rel: (sha, writer.sizes[rel]) for rel, sha in writer.hashes.items()}
    manifest = manifest_of(
        files, cdn, site.slug, site.base_url, site.snapshots, now, pages, writer.compression
    )
    if writer.live is not None and writer.same_files and same_site(manifest, writer.live.manifest):
        return True
    writer.assemble()
    write_manifest(writer.folder, manifest)
    return False


def write_assets(writer: SiteWriter, assets_dir: Path) -> None:
    """The theme's assets, under ``assets/`` and at their fingerprinted addresses."""
    names = fingerprints(assets_dir)
    for rel, published in names.items():
        data = (assets_dir / rel).read_bytes()
        writer.write(f"assets/{rel}", data)
        writer.write(published, data)


def write_site(
    release: Release,
    site: SiteInput,
    assets_dir: Path,
    cdn: Cdn,
    now: datetime,
    before_manifest: Callable[[SiteWriter, Mapping[str, PageFacts]], None] | None = None,
    reuse: bool = False,
    live: LiveSite | None = None,
    kept: KeptFacts | None = None,
    early: EarlyPages | None = None,
) -> Path:
    """Write one site into the run's release (not yet live); return its folder. ``reuse``:
    link the live release's files where the bytes are the same (else everything is written);
    a site that is the live one file for file keeps the live folder. ``live``: the live site
    as the caller read it already (else it is read here). ``early``: its pages written while
    it was checked (:func:`write_early`): the same writer goes on."""
    stable = release.out_dir / site.slug
    if early is not None:
        writer, kept = early.writer, early.kept
    else:
        writer = _site_writer(release, site, cdn, reuse, live)
    if write_site_files(writer, site, assets_dir, cdn, now, stable, before_manifest, kept, early):
        assert writer.live is not None
        return release.keep_site(site.slug, writer.live.folder)
    return release.finish_site(site.slug)


def _site_writer(
    release: Release, site: SiteInput, cdn: Cdn, reuse: bool, live: LiveSite | None
) -> SiteWriter:
    """The writer of a site into its empty folder of the run's release (``reuse``: with the
    live site, read here unless given)."""
    folder = release.site_folder(site.slug)
    if reuse and live is None:
        live = read_live_site(release.out_dir, site.slug)
    elif not reuse:
        live = None
    return SiteWriter(folder, live, compression_settings(cdn), cdn=cdn)


def index_page(sites: Mapping[str, str]) -> str:
    """``build/index.html``: a plain list of the built sites, for previews on localhost."""
    items = "\n".join(
        f'  <li><a href="{escape(slug)}/">{escape(name)}</a></li>' for slug, name in sites.items()
    )
    return (
        '<!doctype html>\n<html lang="fi">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        "<title>Perhekeskus – esikatselu</title>\n</head>\n<body>\n<main>\n"
        "<h1>Rakennetut sivustot</h1>\n<ul>\n" + items + "\n</ul>\n</main>\n</body>\n</html>\n"
    )
