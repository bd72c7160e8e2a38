"""Stage 6, index: prebuilt Pagefind search indexes, what is the same everywhere indexed once.

Input: the national render's pages (once per build), each site's pages (in its staging folder,
before it is published) and, at render time, the texts of each article and service. Output, in
every site, two Pagefind bundles, each with one index per page language (``<html lang>``,
Pagefind's Finnish and Swedish stemming), and the extra search terms rendered into each page:

- ``pagefind/national/``: the national articles (standard and plain), indexed once per build
  from the national render with the slots left empty (no county's services or events), and
  linked into every site of the run (hard links: the same bytes everywhere);
- ``pagefind/site/``: what only that site has (service, municipality, calendar and event
  pages); none when the site has no such page.

The search page (``assets/search.js``) loads Pagefind from the national bundle and merges the
site's bundle into it (``mergeIndex``), each only in the page's language (a merged index is
searched with the page's stemmer), both with the site's address as ``baseUrl``: every site has
the same article paths, so a national result opens the county's own copy of the article, with
its services. Why a copy in every site and not one shared folder on the origin: a site then
never loads an index of another run (its bundles are switched in with its pages,
:mod:`pipeline.deploy.release`), and previews (``--base-url``), ``serve``, builds of some
counties or without the national site, ``deploy`` targets, manifests and nginx blocks need
nothing new. What it saves is the indexing (Pagefind once over the articles instead of once per
site); the copies cost disk and upload, not time.

A bundle is kept in the build cache (:mod:`pipeline.cache`) under the hash of exactly what
Pagefind reads (each page's path and bytes), its version and its options: a rebuild runs
Pagefind only for a set of pages that changed, and the kept bundle is the bytes that run would
give. Its files then go into the site like any other (:mod:`pipeline.deploy.reuse`: linked
from the live release where they are the same).

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

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache, partial
from importlib import metadata
from pathlib import Path
from typing import Any, Protocol, TypeVar

import yaml

from pipeline.cache import BuildCache, digest
from pipeline.deploy import files_in
from pipeline.lifetime import die_with_parent
from pipeline.site.slots import MARKER, UNSEARCHED_PART

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
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
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
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader) or {}
    return [str(word).lower() for word in data.get(lang, [])]


BUNDLE = "pagefind"
"""The folder of a site's search bundles; the search page loads both of the folders below."""
NATIONAL_BUNDLE = f"{BUNDLE}/national"
"""The national article index, the same bytes in every site of a run."""
SITE_BUNDLE = f"{BUNDLE}/site"
"""The site's own index: its services, municipality pages, calendars and events."""

INDEXED = re.compile(r"<[a-z][^>]*\sdata-pagefind-body[\s=>]")


def indexed(html: str) -> bool:
    """A page Pagefind indexes: one with ``data-pagefind-body`` (the others drop out)."""
    return INDEXED.search(html) is not None


def national_index_pages(pages: Mapping[str, str]) -> dict[str, str]:
    """The pages of the national index, by output path: the national render's indexed pages
    (the articles, standard and plain) with their slots left empty, so no county's services
    or events are in it (they are ``data-pagefind-ignore`` in every site anyway), as Pagefind
    reads them (:func:`read_part`)."""
    return {path: read_part(MARKER.sub("", html)) for path, html in pages.items() if indexed(html)}


class PageFacts(Protocol):
    """What the index needs to know of a page without reading it
    (:class:`pipeline.deploy.page_facts.PageFacts`)."""

    @property
    def indexed(self) -> bool: ...

    @property
    def view(self) -> str | None: ...

    @property
    def lang(self) -> str | None: ...


def own_pages(facts: Mapping[str, PageFacts], national: Collection[str]) -> list[str]:
    """The pages of a site's own index: its indexed pages that are not in the national one
    (``facts``: what is known of each page, :mod:`pipeline.deploy.page_facts`)."""
    return [rel for rel in facts if rel not in national and facts[rel].indexed]


def search_view(html: str) -> str:
    """A page as Pagefind reads it: without the slots it never reads (outside every
    ``data-pagefind-body``) and the page around ``<main>`` (:func:`read_part`). The same
    index, and the same key, whatever the help panel, the menus or the footer say."""
    return read_part(UNSEARCHED_PART.sub("", html))


MAIN_START = "<main"
MAIN_END = "</main>"
PAGEFIND_ATTRIBUTE = "data-pagefind"


def read_part(html: str) -> str:
    """What Pagefind reads of an indexed page: its ``<head>`` (language, title) and its
    ``<main>``, which holds the ``data-pagefind-body`` element, in an otherwise empty body.
    Pagefind then has a third of the HTML to parse (the header, menus, help panel and footer
    are most of a page) and makes the same index. The page as it is when that could not hold:
    not exactly one ``<main>``, no ``data-pagefind-body`` in it, or a ``data-pagefind-*``
    attribute outside it and the head (Pagefind reads those anywhere)."""
    body = html.find("<body")
    start = html.find(MAIN_START, body)
    end = html.find(MAIN_END, start)
    if body < 0 or start < 0 or end < 0:
        return html
    end += len(MAIN_END)
    if html.find(MAIN_START, end) >= 0:
        return html
    head = html[:body]
    main = html[start:end]
    kept = head.count(PAGEFIND_ATTRIBUTE) + main.count(PAGEFIND_ATTRIBUTE)
    if kept != html.count(PAGEFIND_ATTRIBUTE) or not INDEXED.search(main):
        return html
    return f"{head}<body>\n{main}\n</body>\n</html>\n"


PAGEFIND = "pagefind"
"""The cache's kind for Pagefind bundles (:mod:`pipeline.cache`)."""
PAGEFIND_ARGS = ("--quiet",)
"""Pagefind's options besides the folders (part of an index's key: other options, other
output)."""


class SiteFiles(Protocol):
    """Where a site's files go (:class:`pipeline.deploy.reuse.SiteWriter`)."""

    def write(self, rel: str, data: bytes) -> None: ...

    def link(self, rel: str, source: Callable[[], Path], digest: str) -> None: ...


@dataclass(frozen=True)
class NationalIndex:
    """The national index of a run, made once, linked into every site. A file of it is
    written into the run's folder the first time a site needs it: when the live sites have
    it already (an edit changes a few of its files), it is kept, never written."""

    folder: Path | None
    """The Pagefind bundle; None when the project has no indexed national page."""
    paths: frozenset[str]
    """The output paths it holds, left out of each site's own index."""
    files: Mapping[str, str] = field(default_factory=dict)
    """The bundle's files (paths inside it) and their SHA-256."""
    data: Mapping[str, bytes] = field(default_factory=dict, repr=False, compare=False)
    """The bytes of each of its files."""
    _written: set[str] = field(default_factory=set, repr=False, compare=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def source(self, rel: str) -> Path:
        """The file ``rel`` of the bundle on the disk (written now if no site needed it yet;
        the writers of two sites may ask at once)."""
        assert self.folder is not None
        path = self.folder / rel
        with self._lock:
            if rel not in self._written:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(self.data[rel])
                self._written.add(rel)
        return path


def write_national_index(
    pages: Mapping[str, str], work: Path, cache: BuildCache | None = None
) -> NationalIndex:
    """Index the national render's articles once (``pages``: output path -> HTML, every
    national page) into ``work/bundle``: one Pagefind run per language, through scratch
    folders ``work/pages-<lang>``, joined into one bundle; a language whose articles were
    indexed before is taken from ``cache``, so an edit indexes its language only."""
    found = national_index_pages(pages)
    if not found:
        return NationalIndex(None, frozenset())
    bundles = [
        index_files(group, work / f"pages-{lang}", cache)
        for lang, group in by_language(found).items()
    ]
    joined = join_bundles(bundles)
    files = {rel: hashlib.sha256(data).hexdigest() for rel, data in joined.items()}
    return NationalIndex(work / "bundle", frozenset(found), files, joined)


HTML_LANG = re.compile(r"<html\b[^>]*?\slang=\"([^\"]+)\"")
ENTRY = "pagefind-entry.json"
"""The file of a bundle that names each language's index (the rest are per language or the
same in every bundle of a Pagefind version)."""


def page_lang(html: str) -> str | None:
    """The language Pagefind gives a page: its ``<html lang>``, lowercase."""
    found = HTML_LANG.search(html)
    return found.group(1).lower() if found else None


def by_language(pages: Mapping[str, str]) -> dict[str, dict[str, str]]:
    """Pages grouped by the language Pagefind gives them (``<html lang>``), in the order of
    :data:`LANGS`, then others by name."""
    return in_language_order(
        {rel: page_lang(pages[rel]) or UNKNOWN_LANG for rel in sorted(pages)}, pages
    )


UNKNOWN_LANG = "unknown"
V = TypeVar("V")


def in_language_order(langs: Mapping[str, str], values: Mapping[str, V]) -> dict[str, dict[str, V]]:
    """``values`` grouped by the language ``langs`` gives each path, in the order of
    :data:`LANGS`, then others by name."""
    groups: dict[str, dict[str, V]] = {}
    for rel, lang in langs.items():
        groups.setdefault(lang, {})[rel] = values[rel]
    order = {lang: i for i, lang in enumerate(LANGS)}
    return dict(sorted(groups.items(), key=lambda item: (order.get(item[0], len(LANGS)), item[0])))


def join_bundles(bundles: list[dict[str, bytes]]) -> dict[str, bytes]:
    """One Pagefind bundle of several, each of other languages: their files together and one
    ``pagefind-entry.json`` naming every language. A file two bundles have with different bytes
    is an error (a language's files are named by language, the others are Pagefind's own)."""
    if len(bundles) == 1:
        return bundles[0]
    joined: dict[str, bytes] = {}
    entries = []
    for bundle in bundles:
        for rel, data in bundle.items():
            if rel == ENTRY:
                entries.append(json.loads(data))
            elif joined.setdefault(rel, data) != data:
                raise RuntimeError(f"Pagefind bundles of two languages differ in {rel}")
    entry = dict(entries[0])
    entry["languages"] = {}
    for each in entries:
        if {**each, "languages": {}} != {**entry, "languages": {}}:
            raise RuntimeError(f"Pagefind bundles of two languages differ in {ENTRY}")
        entry["languages"].update(each["languages"])
    joined[ENTRY] = json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return joined


def index_site(
    site: SiteFiles,
    pages: Mapping[str, str],
    facts: Mapping[str, PageFacts],
    national: NationalIndex,
    scratch: Path,
    cache: BuildCache | None = None,
    ahead: OwnIndex | None = None,
) -> None:
    """A site's search bundles: the run's national index linked in as ``pagefind/national/``,
    and its own pages indexed into ``pagefind/site/`` (none when it has no page of its own;
    taken from ``cache`` when the same views of the same pages were indexed before, found by
    the pages' ``facts``: the pages are read only when Pagefind is run; taken from ``ahead``
    when it was made of the same views). ``scratch`` is an unused folder for the own pages."""
    if national.folder is not None:
        for rel, sha in sorted(national.files.items()):
            site.link(f"{NATIONAL_BUNDLE}/{rel}", partial(national.source, rel), sha)
    own = own_pages(facts, national.paths)
    if not own:
        return
    views = {rel: facts[rel].view or "" for rel in own}
    if ahead is not None and ahead.views == views:
        made = dict(ahead.files)
    else:
        langs = {rel: facts[rel].lang or UNKNOWN_LANG for rel in sorted(own)}
        made = own_index(pages, views, langs, scratch, cache)
    for rel, data in sorted(made.items()):
        site.write(f"{SITE_BUNDLE}/{rel}", data)


@dataclass(frozen=True)
class OwnIndex:
    """A site's own index made ahead, while the site is written (:func:`own_index_ahead`):
    the views of the pages it holds, and its files."""

    views: Mapping[str, str]
    files: Mapping[str, bytes]


def view_hash(html: str) -> str:
    """The SHA-256 of what Pagefind reads of a page (:func:`search_view`)."""
    return hashlib.sha256(search_view(html).encode("utf-8")).hexdigest()


def own_index_ahead(
    pages: Mapping[str, str],
    national: Collection[str],
    scratch: Path,
    cache: BuildCache | None = None,
    known: Mapping[str, PageFacts] | None = None,
) -> OwnIndex:
    """The index of the site's own pages among ``pages`` (those outside ``national``, the
    national index's paths), made before the site is written; ``known``: the facts of pages
    carried over from the live site (read only when Pagefind must index their language).
    :func:`index_site` takes it only when the pages written have the same views: when the
    writing changes one (a statement filled after the check), the index is made again from the
    pages written."""
    known = known or {}
    views: dict[str, str] = {}
    langs: dict[str, str] = {}
    for rel in pages:
        if rel in national:
            continue
        facts = known.get(rel)
        if facts is None:
            html = pages[rel]
            if indexed(html):
                views[rel], langs[rel] = view_hash(html), page_lang(html) or UNKNOWN_LANG
        elif facts.indexed:
            views[rel], langs[rel] = facts.view or "", facts.lang or UNKNOWN_LANG
    langs = {rel: langs[rel] for rel in sorted(langs)}
    return OwnIndex(views, own_index(pages, views, langs, scratch, cache) if views else {})


def own_index(
    pages: Mapping[str, str],
    views: Mapping[str, str],
    langs: Mapping[str, str],
    scratch: Path,
    cache: BuildCache | None = None,
) -> dict[str, bytes]:
    """The Pagefind bundle of a site's own pages, of the paths of ``views`` (each page's view,
    :func:`view_hash`) in the languages ``langs`` gives them: each language's index from
    ``cache`` when the same views were indexed before, else by Pagefind."""
    groups = in_language_order(langs, views)

    def bundle(lang: str) -> dict[str, bytes]:
        group = groups[lang]
        key = digest(*_versions(), *PAGEFIND_ARGS, "views", lang, *_parts(group))
        return cached_bundle(
            key, lambda: {rel: search_view(pages[rel]) for rel in group}, scratch / lang, cache
        )

    # One Pagefind per language, at once: a language is an index of its own in the bundle
    # (joined as the national one is), so a county's pages are indexed on both cores, and a
    # change to one language's pages indexes that language again only.
    with ThreadPoolExecutor(max_workers=len(groups)) as pool:
        return join_bundles(list(pool.map(bundle, groups)))


def index_key(pages: Mapping[str, str]) -> str:
    """The key of a Pagefind bundle: exactly what Pagefind reads (each page's path and bytes),
    its version and its options."""
    return digest(*_versions(), *PAGEFIND_ARGS, *_parts(pages))


def _parts(pages: Mapping[str, str]) -> list[str]:
    return [part for rel in sorted(pages) for part in (rel, pages[rel])]


def _versions() -> list[str]:
    return [f"{name}=={_version(name)}" for name in ("pagefind", "pagefind_bin")]


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "missing"


def index_files(
    pages: Mapping[str, str], scratch: Path, cache: BuildCache | None = None
) -> dict[str, bytes]:
    """The Pagefind bundle of ``pages`` (output path -> HTML): its files (paths inside it) and
    their bytes. From ``cache`` when the same pages were indexed before, else by Pagefind."""
    return cached_bundle(index_key(pages), lambda: pages, scratch, cache)


MEMORY_FOLDER = Path("/dev/shm")
"""A folder in memory, where the system has one (Linux): Pagefind's input and output are
thousands of small files written, read back at once and removed, which on a disk cost a
county's nightly about a second of file system work."""


def cached_bundle(
    key: str,
    pages: Callable[[], Mapping[str, str]],
    scratch: Path,
    cache: BuildCache | None = None,
) -> dict[str, bytes]:
    """The bundle kept in ``cache`` under ``key``, else Pagefind's of ``pages()``, which reads
    a folder: the pages and the bundle go into a folder in memory (:data:`MEMORY_FOLDER`) or,
    on a system without one, into ``scratch``, removed after."""
    if cache is not None:
        kept = cache.get(PAGEFIND, key)
        if isinstance(kept, dict) and kept:
            return kept
    with _scratch_folder(scratch) as folder:
        # In the order of their paths: Pagefind numbers the pages in the order the folder
        # lists them, which on some file systems (tmpfs) is the order they were written.
        for rel, html in sorted(pages().items()):
            path = folder / "site" / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(html, encoding="utf-8")
        bundle = folder / "bundle"
        run_pagefind(folder / "site", bundle)
        files = {
            p.relative_to(bundle).as_posix(): p.read_bytes()
            for p in sorted(bundle.rglob("*"))
            if p.is_file()
        }
    if cache is not None:
        cache.put(PAGEFIND, key, files)
    return files


@contextmanager
def _scratch_folder(scratch: Path) -> Iterator[Path]:
    """An empty folder for one Pagefind run, in memory when the system has a folder there
    (else ``scratch``), removed after."""
    if MEMORY_FOLDER.is_dir() and os.access(MEMORY_FOLDER, os.W_OK):
        _remove_left_behind(MEMORY_FOLDER)
        prefix = f"{SCRATCH_PREFIX}{os.getpid()}-"
        with tempfile.TemporaryDirectory(prefix=prefix, dir=MEMORY_FOLDER) as folder:
            yield Path(folder) / scratch.name  # named as the folder it stands for
        return
    shutil.rmtree(scratch, ignore_errors=True)
    try:
        yield scratch
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


SCRATCH_PREFIX = "perhekeskus-index-"
"""The start of the name of a Pagefind run's folder in memory, followed by the process id."""


def _remove_left_behind(parent: Path) -> None:
    """Remove the folders of Pagefind runs whose process is gone (a killed build): in memory,
    they would stay until the machine restarts."""
    for folder in parent.glob(f"{SCRATCH_PREFIX}*"):
        pid = folder.name.removeprefix(SCRATCH_PREFIX).split("-", 1)[0]
        if pid.isdigit() and not Path(f"/proc/{pid}").exists():
            shutil.rmtree(folder, ignore_errors=True)


def run_pagefind(site_dir: Path, bundle: Path) -> None:
    """Run Pagefind (the binary of the ``pagefind`` Python package) on a folder of pages."""
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pagefind",
            "--site",
            str(site_dir.absolute()),
            "--output-path",
            str(bundle.absolute()),
            *PAGEFIND_ARGS,
        ],
        capture_output=True,
        text=True,
        check=False,
        preexec_fn=die_with_parent,  # a killed build leaves no indexer behind
    )
    if done.returncode != 0:
        raise RuntimeError(
            f"Pagefind failed on {bundle}: {(done.stderr or done.stdout).strip()[:500]}"
        )


def index_size(site_dir: Path) -> int:
    """Bytes of the search bundle of a site (index, fragments and the script)."""
    folder = site_dir / BUNDLE
    return sum((folder / rel).stat().st_size for rel in files_in(folder)) if folder.is_dir() else 0
