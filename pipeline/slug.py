"""Address parts from names (pure), shared by the content scaffold and the site's URLs."""

from __future__ import annotations

import unicodedata


def slugify(name: str) -> str:
    """An address part from a place name: "Närpiö" -> "narpio", "Pedersöre" -> "pedersore"."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return "-".join("".join(c if c.isalnum() else " " for c in ascii_name.lower()).split())
