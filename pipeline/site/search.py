"""Stage 6, index: a prebuilt Pagefind search index per site and language.

Input: the finished pages of a site (in its staging folder, before it is published) and, at
render time, the texts of each article and service. Output: ``<site>/pagefind/``, one index per
page language (``<html lang>``), with Pagefind's Finnish and Swedish stemming, and the extra
search terms rendered into each page.

Finnish compounds defeat a stemmer: "lastenneuvola" is one word to it, so a search for
"neuvola" would miss it. At render time every Finnish word is analysed with Voikko (Debian's
``libvoikko1`` and ``voikko-fi``); the parts of compounds and the base forms are added to the
page as index-only terms (``data-pagefind-index-attrs``), together with the article's keywords
and the names of its PTV service classes. Without Voikko the build goes on without compound
parts and says so once.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

WORD = re.compile(r"[A-Za-zÅÄÖåäöÉéÜü]+(?:-[A-Za-zÅÄÖåäöÉéÜü]+)*")
MIN_PART = 3
"""Shorter parts ("ja", "yö") would only add noise to the index."""


class CompoundSplitter:
    """Finnish compound parts and base forms, from Voikko's morphological analysis."""

    def __init__(self) -> None:
        self.voikko: Any = None
        self.problem: str | None = None
        try:
            import libvoikko

            self.voikko = libvoikko.Voikko("fi")
        except (ImportError, OSError) as exc:
            self.problem = (
                f"Finnish compound words are not split for search ({exc.__class__.__name__}: "
                "install Debian's libvoikko1 and voikko-fi)"
            )

    @property
    def available(self) -> bool:
        return self.voikko is not None

    @lru_cache(maxsize=200_000)  # noqa: B019 (one splitter per build; words repeat across pages)
    def terms(self, word: str) -> tuple[str, ...]:
        """Parts and base forms of a word: "lastenneuvolaan" -> (lasten, neuvola, lapsi, ...)."""
        if self.voikko is None or len(word) < 6:
            return ()
        found: list[str] = []
        for analysis in self.voikko.analyze(word)[:2]:
            base = analysis.get("BASEFORM", "")
            parts = compound_parts(analysis.get("WORDBASES", ""))
            if len(parts) >= 2:
                found += [p for p in parts if len(p) >= MIN_PART]
            if base and base.lower() != word.lower():
                found.append(base)
        return tuple(dict.fromkeys(found))


def compound_parts(wordbases: str) -> list[str]:
    """The words of a Voikko WORDBASES string; derivational suffixes stay with their stem.

    ``+äitiys(äitiys)+avust(avustaa)+us(+us)`` -> [äitiys, avustus];
    ``+lasten(lapsi)+neuvola(neuvola)`` -> [lasten, neuvola, lapsi].
    """
    parts: list[str] = []
    bases: list[str] = []
    for surface, base in re.findall(r"\+([^+(]*)\(([^)]*)\)", wordbases):
        if base.startswith("+") and parts:
            parts[-1] += surface
        elif surface:
            parts.append(surface)
            if base and base != surface:
                bases.append(base)
    if len(parts) < 2:
        return parts
    return parts + [b for b in bases if b not in parts]


def search_terms(
    texts: Iterable[str], lang: str, splitter: CompoundSplitter | None, extra: Iterable[str] = ()
) -> str:
    """The index-only terms of a page: its keywords and the parts of its Finnish compounds."""
    terms: list[str] = [t for t in extra if t]
    if lang == "fi" and splitter is not None and splitter.available:
        for text in texts:
            for word in WORD.findall(text):
                terms += splitter.terms(word.lower())
    return " ".join(dict.fromkeys(t.lower() for t in terms))


def index_site(site_dir: Path) -> None:
    """Run Pagefind (the binary of the ``pagefind`` Python package) on a finished site."""
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pagefind",
            "--site",
            str(site_dir),
            "--output-subdir",
            "pagefind",
            "--quiet",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(
            f"Pagefind failed on {site_dir.name}: {(done.stderr or done.stdout).strip()[:500]}"
        )


def index_size(site_dir: Path) -> int:
    """Bytes of the search bundle of a site (index, fragments and the script)."""
    folder = site_dir / "pagefind"
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) if folder.is_dir() else 0
