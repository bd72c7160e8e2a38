"""What a CDN or web server needs per site: content types, cache lifetimes, security headers,
precompressed files, ``_headers`` and an nginx server block.

Input: the theme's ``cdn/cdn.toml`` (headers, cache rules, compression, content types) and its
``cdn/*.j2`` templates; a site folder. Output: ``.br`` and ``.gz`` beside each compressible
file, and the text of ``_headers`` and the nginx configuration. Pure apart from :func:`load_cdn` and
:func:`precompress`, which read and write files.
"""

from __future__ import annotations

import fnmatch
import functools
import hashlib
import mimetypes
import re
import tomllib
from collections.abc import Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import urlsplit

import brotli
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from zlib_ng import zlib_ng

from pipeline import __version__
from pipeline.deploy import PublishError

COMPRESSED = (".br", ".gz")
NGINX_PARTS = {"server": "nginx.conf", "http": "nginx-http.conf", "location": "nginx-location.conf"}
"""The nginx files of a site: a whole server block, or its maps and location for a shared
host name."""


class CdnConfigError(PublishError):
    """``cdn.toml`` cannot be read or lacks a setting; the message names the file."""


@dataclass(frozen=True)
class CacheRule:
    paths: tuple[str, ...]
    """Globs on the path inside the site (``pagefind/fragment/*``); ``*`` matches across
    folders too, as in fnmatch and in ``_headers``."""
    value: str

    @functools.cached_property
    def _pattern(self) -> re.Pattern[str]:
        """The globs as one expression, compiled once (the rules are asked for every file of
        every site)."""
        return re.compile("|".join(f"(?:{fnmatch.translate(glob)})" for glob in self.paths))

    def matches(self, path: str) -> bool:
        return self._pattern.match(path) is not None

    def regexes(self, base_path: str) -> list[str]:
        """The globs as nginx regexes on the URI (``^/kainuu/pagefind/fragment/``...)."""
        return [
            "^" + re.escape(base_path) + re.escape(glob).replace(r"\*", ".*") + "$"
            for glob in self.paths
        ]


@dataclass(frozen=True)
class Cdn:
    """The settings of ``cdn.toml`` and the folder of its templates."""

    folder: Path
    security: dict[str, str]
    html_cache: str
    default_cache: str
    rules: tuple[CacheRule, ...]
    compress_types: frozenset[str]
    min_bytes: int
    brotli_quality: int
    gzip_level: int
    types: dict[str, str]

    def content_type(self, path: str) -> str:
        """The Content-Type of a file of the site."""
        suffix = PurePosixPath(path).suffix
        if suffix in self.types:
            return self.types[suffix]
        guessed, _ = mimetypes.guess_type(path, strict=False)
        return guessed or "application/octet-stream"

    def cache_control(self, path: str) -> str:
        if path.endswith(".html"):
            return self.html_cache
        for rule in self.rules:
            if rule.matches(path):
                return rule.value
        return self.default_cache

    def compressible(self, path: str, size: int) -> bool:
        media = self.content_type(path).split(";")[0].strip()
        return media in self.compress_types and size >= self.min_bytes


def load_cdn(theme_dir: Path) -> Cdn:
    """Read ``<theme>/cdn/cdn.toml``; a missing file or setting is an error naming it."""
    folder = theme_dir / "cdn"
    path = folder / "cdn.toml"
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        cache, compress = data["cache"], data["compress"]
        return Cdn(
            folder=folder,
            security={str(k): str(v) for k, v in data["security"].items()},
            html_cache=str(cache["html"]),
            default_cache=str(cache["default"]),
            rules=tuple(
                CacheRule(tuple(r["paths"]), str(r["value"])) for r in cache.get("rules", [])
            ),
            compress_types=frozenset(compress["types"]),
            min_bytes=int(compress["min_bytes"]),
            brotli_quality=int(compress["brotli_quality"]),
            gzip_level=int(compress["gzip_level"]),
            types={str(k): str(v) for k, v in data["types"].items()},
        )
    except OSError as exc:
        raise CdnConfigError(f"{path}: cannot be read ({exc.strerror})") from None
    except tomllib.TOMLDecodeError as exc:
        raise CdnConfigError(f"{path}: {exc}") from None
    except KeyError as exc:
        raise CdnConfigError(f"{path}: the setting {exc.args[0]!r} is missing") from None


GZIP_WBITS = 31
"""A deflate stream in a gzip container (zlib's 16 + the largest window, 15)."""
COMPRESS_THREADS = 2
"""Files compressed at once: Brotli, zlib-ng and SHA-256 let go of the interpreter while they
work, so a second thread uses the second core (idle when one site is built)."""


def precompress(
    cdn: Cdn,
    site: Path,
    paths: Iterable[str],
    hashes: dict[str, str] | None = None,
    sizes: dict[str, int] | None = None,
) -> list[str]:
    """Write ``<file>.br`` and ``<file>.gz`` beside each compressible file; return the new
    paths. A compressed copy that is not smaller is not written (a server sends the file).
    ``hashes`` and ``sizes`` get the SHA-256 and size of each copy written (for the
    manifest)."""
    written: list[str] = []
    with ThreadPoolExecutor(max_workers=COMPRESS_THREADS) as pool:
        for copies in pool.map(partial(_compressed_copies, cdn, site), paths):
            for name, digest, size in copies:
                written.append(name)
                if hashes is not None:
                    hashes[name] = digest
                if sizes is not None:
                    sizes[name] = size
    return written


def _compressed_copies(cdn: Cdn, site: Path, rel: str) -> list[tuple[str, str, int]]:
    """The compressed copies of one file, written: each one's path, SHA-256 and size."""
    return compressed_copies(cdn, site, rel, (site / rel).read_bytes())


def compressed_copies(cdn: Cdn, site: Path, rel: str, data: bytes) -> list[tuple[str, str, int]]:
    """The compressed copies of the file ``rel`` of ``site`` whose bytes are ``data``, written
    beside it: each one's path, SHA-256 and size."""
    if not cdn.compressible(rel, len(data)):
        return []
    variants = {
        ".br": brotli.compress(data, quality=cdn.brotli_quality),
        # zlib-ng: the same size as zlib at the same level in less than half the time (a
        # county's nightly compresses some 2,500 pages). The gzip header it writes (wbits 31)
        # has no time: the same file gives the same bytes, so deploy sees no change.
        ".gz": zlib_ng.compress(data, cdn.gzip_level, wbits=GZIP_WBITS),
    }
    found = []
    for suffix, body in variants.items():
        if len(body) < len(data):
            (site / f"{rel}{suffix}").write_bytes(body)
            found.append((f"{rel}{suffix}", hashlib.sha256(body).hexdigest(), len(body)))
    return found


def _environment(cdn: Cdn) -> Environment:
    return _environment_of(cdn.folder)


@functools.lru_cache(maxsize=8)
def _environment_of(folder: Path) -> Environment:
    """One environment per folder: its templates compiled once, not for every site (Jinja
    reloads a template whose file changed)."""
    return Environment(
        loader=FileSystemLoader(folder),
        autoescape=False,  # configuration text, not HTML
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )


def _common(cdn: Cdn, site: str, base_url: str) -> dict[str, Any]:
    return {
        "site": site,
        "base_url": base_url,
        "base_path": urlsplit(base_url).path or "/",
        "version": __version__,
        "security": cdn.security,
        "html_cache": cdn.html_cache,
        "default_cache": cdn.default_cache,
    }


def headers_file(cdn: Cdn, site: str, base_url: str) -> str:
    """The ``_headers`` file (Netlify, Cloudflare Pages) of a site."""
    rules = [{"paths": r.paths, "value": r.value} for r in cdn.rules]
    return (
        _environment(cdn)
        .get_template("_headers.j2")
        .render(**_common(cdn, site, base_url), rules=rules)
    )


def server_block(
    cdn: Cdn,
    site: str,
    base_url: str,
    site_dir: Path,
    languages: Iterable[str] = ("fi", "sv", "en"),
    listen: str | None = None,
    server_name: str | None = None,
    part: str = "server",
) -> str:
    """An nginx server block serving ``site_dir`` at the base address's path, on the base
    address's port (80 when it names none) and host name.

    The site's folder must be named like the last part of that path (``build/kainuu`` for
    ``/kainuu/``), or the path must be ``/``; nginx then finds files under ``root``.
    ``part``: ``server`` (the whole block), or for sites sharing a host name ``http`` (the
    maps, for the http block) and ``location`` (for the shared server block)."""
    if part not in NGINX_PARTS:
        raise ValueError(f"part must be one of {', '.join(NGINX_PARTS)}")
    common = _common(cdn, site, base_url)
    base_path: str = common["base_path"]
    root = _nginx_root(site_dir, base_path)
    rules = [{"value": r.value, "regexes": r.regexes(base_path)} for r in cdn.rules]
    return (
        _environment(cdn)
        .get_template("nginx.conf.j2")
        .render(
            **common,
            rules=rules,
            var=re.sub(r"[^a-z0-9]", "_", site.lower()),
            languages=list(languages),
            listen=listen or str(urlsplit(base_url).port or 80),
            server_name=server_name or urlsplit(base_url).hostname or "_",
            root=root.as_posix(),
            part=part,
        )
    )


def _nginx_root(site_dir: Path, base_path: str) -> Path:
    parts = [p for p in base_path.split("/") if p]
    if not parts:
        return site_dir
    folder = site_dir
    for part in reversed(parts):
        if folder.name != part:
            raise CdnConfigError(
                f"{site_dir}: an nginx root cannot serve this folder at {base_path}; "
                f"its name must end the path ('{part}'), or serve it at '/'"
            )
        folder = folder.parent
    return folder


def file_headers(cdn: Cdn, path: str) -> Mapping[str, str]:
    """Content-Type and Cache-Control of one file of a site (what object storage is told)."""
    return {"Content-Type": cdn.content_type(path), "Cache-Control": cdn.cache_control(path)}
