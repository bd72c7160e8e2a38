"""Municipality names as sources write them, to Statistics Finland's municipality codes.

Input: ``data/regions/municipalities.csv`` (every municipality's code and Finnish and Swedish
names) and ``data/events/municipality-aliases.csv`` (names sources use that the list does not
have: old names of merged municipalities, other spellings). Output: :class:`Municipalities`,
which reads a name (``Espoo``, ``Esbo``, ``city/FI/Pedersöre``, ``kunta:espoo``) as a code.

Linked Events and Lähellä.fi name municipalities, they never give codes; the county's items are
those held in its municipalities, so the name must be read right, and one that cannot be read
is reported, not guessed.
"""

from __future__ import annotations

import csv
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

SUFFIXES = (" kunta", " stad", " kommun", " kaupunki")


def key(name: str) -> str:
    """A name as compared: case and accents of foreign letters kept apart from å, ä and ö,
    ``-`` and ``_`` as spaces, the word for municipality or town left out."""
    text = unicodedata.normalize("NFC", name).casefold().replace("_", " ").replace("-", " ")
    text = " ".join(text.split())
    for suffix in SUFFIXES:
        text = text.removesuffix(suffix)
    return text


@dataclass(frozen=True)
class Municipalities:
    codes: dict[str, str]
    """Name key (:func:`key`) to code."""
    names: dict[str, str]
    """Code to Finnish name."""

    def code(self, name: str | None) -> str | None:
        """The code of a municipality name, an OCD id (``ocd-division/country:fi/kunta:espoo``)
        or a Lähellä.fi region (``city/FI/Espoo``); None when it is none of them."""
        if not name:
            return None
        text = name.strip()
        if text.isdigit() and len(text) <= 3:
            code = text.zfill(3)
            return code if code in self.names else None
        for marker in ("kunta:", "city/fi/"):
            at = text.casefold().rfind(marker)
            if at >= 0:
                text = text[at + len(marker) :].split("/")[0]
                break
        return self.codes.get(key(text))


@lru_cache(maxsize=4)
def load_municipalities(root: Path) -> Municipalities:
    """Every municipality of ``data/regions/`` and the aliases of ``data/events/``."""
    codes: dict[str, str] = {}
    names: dict[str, str] = {}
    with open(root / "data" / "regions" / "municipalities.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            names[row["code"]] = row["name_fi"]
            for name in (row["name_fi"], row["name_sv"]):
                codes[key(name)] = row["code"]
    with open(root / "data" / "events" / "municipality-aliases.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            codes.setdefault(key(row["alias"]), row["code"])
            names.setdefault(row["code"], row["alias"])
    return Municipalities(codes, names)
