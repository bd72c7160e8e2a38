"""Stage 6, index: a prebuilt Pagefind search index per site and language.

Input: the finished pages of a site (in its staging folder, before it is published) and, at
render time, the texts of each article and service. Output: ``<site>/pagefind/``, one index per
page language (``<html lang>``), with Pagefind's Finnish and Swedish stemming, and the extra
search terms rendered into each page.

Finnish compounds defeat a stemmer: "lastenneuvola" is one word to it, so a search for
"neuvola" would miss it. At render time every Finnish word is analysed with Voikko (Debian's
``libvoikko1`` and ``voikko-fi``); the parts of compounds and the base forms are added to the
page as index-only terms (``data-pagefind-index-attrs``), together with the article's keywords
and the names of its PTV service classes. Derived forms are added the same way: a page that
says "imetys" (from the verb "imettää") also gets "imettää" and "imettäminen", the noun families
type, because the browser has no Voikko to bring a query to its base form. Without Voikko the
build goes on without compound parts and says so once.

The crisis vocabulary (``search/crisis.yml``) is read here too: its entries go into the search
page (the script matches queries against them), its terms into the crisis articles' index.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from pipeline.lifetime import die_with_parent

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
        """Parts, base forms and derived forms of a word: "lastenneuvolaan" -> (lasten, neuvola,
        lapsi, ...); "imetys" -> (imettää, imettäminen)."""
        if self.voikko is None or len(word) < 6:
            return ()
        found: list[str] = []
        for analysis in self.voikko.analyze(word)[:2]:
            base = analysis.get("BASEFORM", "")
            wordbases = analysis.get("WORDBASES", "")
            parts = compound_parts(wordbases)
            if len(parts) >= 2:
                found += [p for p in parts if len(p) >= MIN_PART]
            if base and base.lower() != word.lower():
                found.append(base)
            verbs = [base] if analysis.get("CLASS") == "teonsana" else []
            verbs += [b for b in derivation_bases(wordbases) if self.is_verb(b)]
            for verb in dict.fromkeys(verbs):
                if verb.lower() != word.lower():
                    found.append(verb)
                found += [f for f in self.derived_nouns(verb) if f != word.lower()]
        return tuple(dict.fromkeys(found))

    @lru_cache(maxsize=50_000)  # noqa: B019
    def is_verb(self, word: str) -> bool:
        return any(a.get("CLASS") == "teonsana" for a in self.voikko.analyze(word))

    @lru_cache(maxsize=50_000)  # noqa: B019
    def derived_nouns(self, verb: str) -> tuple[str, ...]:
        """The "-minen" noun of a verb ("imettää" -> "imettäminen", "kiusata" -> "kiusaaminen"),
        when Voikko knows the form as that verb's; none otherwise (consonant gradation, which
        these rules do not make, leaves "hakata" without one)."""
        if self.voikko is None:
            return ()
        return tuple(
            form
            for form in minen_candidates(verb.lower())
            if any(a.get("BASEFORM") == verb for a in self.voikko.analyze(form))
        )


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


def derivation_bases(wordbases: str) -> list[str]:
    """The base words a Voikko WORDBASES string derives from: ``+imet(imettää)+ys(+ys)`` ->
    [imettää]; a word that is its own base gives none."""
    return [
        base
        for surface, base in re.findall(r"\+([^+(]*)\(([^)]*)\)", wordbases)
        if base and not base.startswith("+") and base != surface
    ]


def minen_candidates(verb: str) -> list[str]:
    """Spellings the "-minen" noun of a verb may have, by its infinitive ending (Voikko then
    keeps the real one): "hoitaa" -> hoitaminen, "syödä" -> syöminen, "nousta" -> nouseminen,
    "kiusata" -> kiusaaminen, "tarvita" -> tarvitseminen, "vanheta" -> vanheneminen."""
    if len(verb) < 4 or verb[-1] not in "aä":
        return []
    a = verb[-1]
    found: list[str] = []
    if verb[-2] in "aäeioöuy":  # type 1: hoitaa, lukea, sairastua, imettää
        found.append(verb[:-1] + "minen")
    if verb[-2] == "d":  # type 2: syödä, juoda
        found.append(verb[:-2] + "minen")
    if (verb[-2] in "lnr" and verb[-3] == verb[-2]) or verb.endswith(("sta", "stä")):
        found.append(verb[:-2] + "eminen")  # type 3: tulla, mennä, purra, nousta
    if verb[-2] == "t" and verb[-3] in "aäeioöuy":
        found.append(verb[:-2] + a + "minen")  # type 4: kiusata, erota, haluta
        if verb[-3] == "i":
            found.append(verb[:-1] + "seminen")  # type 5: tarvita
        if verb[-3] == "e":
            found.append(verb[:-2] + "neminen")  # type 6: vanheta
    return found


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


NORDIC = str.maketrans("åäö", "aao")


@dataclass(frozen=True)
class CrisisGroup:
    """One kind of crisis (violence, suicide, poisoning...): the articles that help, and per
    language the entries a query is matched against and the terms added to the index."""

    name: str
    articles: tuple[str, ...]
    entries: dict[str, tuple[str, ...]]
    terms: dict[str, tuple[str, ...]]

    def matches(self, query: str, lang: str) -> bool:
        words = query_words(query)
        typed_plain = all(w == w.translate(NORDIC) for w in words)
        plain = [w.translate(NORDIC) for w in words] if typed_plain else []
        for entry in self.entries.get(lang, ()):
            if entry_matches(entry.lower().split(), words):
                return True
            if plain and entry_matches(entry.lower().translate(NORDIC).split(), plain):
                return True
        return False


def query_words(query: str) -> list[str]:
    """The words of a query, lowercased, without punctuation ("I'm scared!" -> i'm, scared)."""
    return re.sub(r"[^\w'’-]+", " ", query.lower()).replace("’", "'").split()


def entry_matches(entry: list[str], words: list[str]) -> bool:
    """Each word of the entry begins a word of the query; short ones ("ei") must be whole."""
    return bool(entry) and all(
        any(w == e if len(e) < 3 else w.startswith(e) for w in words) for e in entry
    )


@dataclass(frozen=True)
class CrisisVocabulary:
    """``search/crisis.yml``: the crisis groups and the emergency number."""

    emergency: str
    groups: tuple[CrisisGroup, ...]
    help_article: str | None = None
    """The article with the help numbers, linked when a query finds nothing."""

    @classmethod
    def load(cls, path: Path) -> CrisisVocabulary:
        """The vocabulary in ``path``; none (no crisis box) when the project has no such file."""
        if not path.is_file():
            return cls("112", ())
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        groups = tuple(
            CrisisGroup(
                name,
                tuple(group["articles"]),
                {lang: tuple(map(str, group[lang].get("entries", []))) for lang in LANGS},
                {lang: tuple(map(str, group[lang].get("terms", []))) for lang in LANGS},
            )
            for name, group in data["groups"].items()
        )
        return cls(str(data["emergency"]), groups, data.get("help_article"))

    def articles(self) -> set[str]:
        found = {a for g in self.groups for a in g.articles}
        return found | {self.help_article} if self.help_article else found

    def match(self, query: str, lang: str) -> list[str]:
        """The articles of every group the query matches, in the vocabulary's order."""
        found = [a for g in self.groups if g.matches(query, lang) for a in g.articles]
        return list(dict.fromkeys(found))

    def terms_of(self, article: str, lang: str) -> list[str]:
        """The index-only terms of an article: the terms of the groups it helps with."""
        return [t for g in self.groups if article in g.articles for t in g.terms.get(lang, ())]

    def for_page(self, lang: str, article_pages: dict[str, dict[str, str]]) -> dict[str, Any]:
        """What the search page's script needs, in one language: the entries of each group and
        its articles' addresses and titles (``article_pages``: id -> url, title; an article
        without a version in the language is left out)."""
        return {
            "emergency": self.emergency,
            "help": article_pages.get(self.help_article or ""),
            "groups": [
                {
                    "entries": list(g.entries.get(lang, ())),
                    "articles": [article_pages[a] for a in g.articles if a in article_pages],
                }
                for g in self.groups
            ],
        }


LANGS = ("fi", "sv", "en")


def load_abbreviations(path: Path, lang: str) -> list[str]:
    """A language's list of words in a file of lists per language: the short words searched by
    their beginning (``search/abbreviations.yml``), the words left out of a query
    (``search/stopwords.yml``); none when the project has no such file."""
    if not path.is_file():
        return []
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return [str(word).lower() for word in data.get(lang, [])]


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
        preexec_fn=die_with_parent,  # a killed build leaves no indexer behind
    )
    if done.returncode != 0:
        raise RuntimeError(
            f"Pagefind failed on {site_dir.name}: {(done.stderr or done.stdout).strip()[:500]}"
        )


def index_size(site_dir: Path) -> int:
    """Bytes of the search bundle of a site (index, fragments and the script)."""
    folder = site_dir / "pagefind"
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) if folder.is_dir() else 0
