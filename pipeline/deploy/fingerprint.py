"""Fingerprinted asset addresses: each file of the theme's ``assets/`` also published under a
folder named by its content hash (``static/3f2a1b9c0d/style.css``), which pages load.

Input: the theme's assets folder. Output: ``{"style.css": "static/3f2a1b9c0d/style.css"}``
(:func:`fingerprints`, for the templates' ``asset()``) and those copies in a site
(:func:`write_fingerprinted`). A changed file gets a new address, so these files are cached
for a year (``cdn.toml``) while ``assets/`` keeps the plain names for anything linking there.
"""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Mapping
from pathlib import Path

FOLDER = "static"
DIGITS = 10
"""Hex digits of the SHA-256 kept: a collision between two versions of a file is unlikely."""


def fingerprints(assets_dir: Path) -> dict[str, str]:
    """Each asset's path inside ``assets/`` -> its fingerprinted path inside the site."""
    names = {}
    for path in sorted(p for p in assets_dir.rglob("*") if p.is_file()):
        rel = path.relative_to(assets_dir).as_posix()
        digest = hashlib.sha256(path.read_bytes()).hexdigest()[:DIGITS]
        names[rel] = f"{FOLDER}/{digest}/{rel}"
    return names


def write_fingerprinted(assets_dir: Path, site_dir: Path, names: Mapping[str, str]) -> None:
    """Copy each asset to its fingerprinted path in a site folder."""
    for rel, published in names.items():
        target = site_dir / published
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(assets_dir / rel, target)
