"""``perhekeskus search-quality`` (``nox -s search-quality``): how well the search finds things.

Input: the query set ``search/queries.yml`` (query, expected article or service, per language),
two built counties (Kainuu for Finnish and English, Itä-Uusimaa for Swedish), Debian's Chromium.
Output: hit@1 and hit@3 per language (the expected page first, or among the first three), the
queries that missed, for each crisis query (``crisis: true``) whether a crisis page (an article
of the crisis groups its words match in ``search/crisis.yml``) is among the first three, the
size of each site's search bundle, and the bytes a query downloads
from a cold cache (median and largest). The queries run through Pagefind's own JavaScript API
in the real browser, as on the site: on the national article index merged with the county's
own (:mod:`pipeline.site.search`); the bytes count both bundles (``pagefind/``).
"""

from __future__ import annotations

import gzip
import statistics
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, NotRequired, TypedDict

import yaml

from pipeline.content.load import load_project
from pipeline.content.models import Lang
from pipeline.quality.browser_audit import CHROMIUM_ARGS, chromium_path, serving
from pipeline.site.render import Renderer
from pipeline.site.search import CrisisVocabulary, index_size

if TYPE_CHECKING:  # Playwright comes with the test extra; it is imported where it is used.
    from playwright.sync_api import Browser, Response

SITES = {"fi": "kainuu", "sv": "ita-uusimaa", "en": "kainuu"}
SEARCH = """async (query) => {
  const found = await window.perhekeskusSearch(query, "");
  return found.data.slice(0, 3).map(d => ({ url: d.url, title: d.meta.title }));
}"""
SEARCH_PAGE = {"fi": "haku", "sv": "sok", "en": "search"}


class Query(TypedDict):
    """One entry of ``search/queries.yml``: the query and the page it should find first."""

    q: str
    article: NotRequired[str]
    """The expected article's id..."""
    service: NotRequired[str]
    """...or the expected service's name."""
    crisis: NotRequired[bool]
    """A query of a person in crisis: a crisis page must be among the first three."""


class Hit(TypedDict):
    """One search result, as the search page's script gives it."""

    url: str
    title: str


@dataclass
class LanguageResult:
    lang: str
    queries: int = 0
    hit1: int = 0
    hit3: int = 0
    misses: list[str] = field(default_factory=list)
    bytes: list[int] = field(default_factory=list)
    crisis: list[tuple[str, bool]] = field(default_factory=list)
    """Each crisis query, and whether a crisis page was among its first three results."""


def run(
    root: Path, out_dir: Path, queries_file: Path
) -> tuple[dict[str, LanguageResult], dict[str, int]]:
    """Run every query of the set against the built sites in ``out_dir``."""
    from playwright.sync_api import sync_playwright

    queries: dict[Lang, list[Query]] = yaml.load(
        queries_file.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader
    )
    project = load_project(root, [])
    renderer = Renderer(project)
    vocabulary = CrisisVocabulary.load(root / "search" / "crisis.yml")

    def urls_of(ids: Iterable[str], lang: Lang) -> set[str | None]:
        groups = [project.articles[i] for i in ids if i in project.articles]
        return {renderer.article_url(g, lang, plain) for g in groups for plain in (False, True)}

    results: dict[str, LanguageResult] = {lang: LanguageResult(lang) for lang in queries}
    with serving(out_dir) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        try:
            for lang, items in queries.items():
                site = SITES[lang]
                for item in items:
                    found, size = _query(browser, base, site, lang, item["q"])
                    result = results[lang]
                    result.queries += 1
                    result.bytes.append(size)
                    urls = [f["url"].removeprefix(f"/{site}/") for f in found]
                    if "article" in item:
                        wanted = urls_of([item["article"]], lang)
                        hits = [u in wanted for u in urls]
                    else:
                        hits = [f["title"] == item["service"] for f in found]
                    result.hit1 += bool(hits[:1] and hits[0])
                    result.hit3 += any(hits)
                    if not any(hits):
                        result.misses.append(f"{item['q']!r} -> {[f['title'] for f in found]}")
                    if item.get("crisis"):
                        crisis = vocabulary.match(item["q"], lang) or vocabulary.articles()
                        helped = bool(urls_of(crisis, lang) & set(urls))
                        result.crisis.append((item["q"], helped))
        finally:
            browser.close()
    sizes = {site: index_size(out_dir / site) for site in sorted(set(SITES.values()))}
    return results, sizes


def _query(browser: Browser, base: str, site: str, lang: str, query: str) -> tuple[list[Hit], int]:
    """One query from a cold cache, on the site's own search page: its first three results and
    the bytes the search downloaded."""
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{base}{site}/{lang}/{SEARCH_PAGE[lang]}/")
    page.wait_for_function("() => !!window.perhekeskusSearch")
    responses: list[Response] = []
    page.on("response", lambda r: responses.append(r) if "/pagefind/" in r.url else None)
    found = page.evaluate(SEARCH, query)
    size = sum(transfer_size(r.url, r.body()) for r in responses)
    context.close()
    return list(found), size


def transfer_size(url: str, body: bytes) -> int:
    """Bytes over the network: text (the script, JSON) gzip-compressed as a CDN serves it;
    Pagefind's index, fragments and WebAssembly are compressed already."""
    path = url.split("?", 1)[0]
    if path.endswith((".js", ".json", ".css")):
        return len(gzip.compress(body, 6))
    return len(body)


def report(
    results: dict[str, LanguageResult], sizes: dict[str, int], say: Callable[[str], None]
) -> None:
    for result in results.values():
        n = result.queries or 1
        say(
            f"{result.lang}: {result.queries} queries, hit@1 {result.hit1 / n:.0%}, "
            f"hit@3 {result.hit3 / n:.0%}; downloaded per query: median "
            f"{statistics.median(result.bytes) / 1024:.0f} KiB, "
            f"largest {max(result.bytes) / 1024:.0f} KiB"
        )
        for miss in result.misses:
            say(f"  missed {miss}")
        if result.crisis:
            helped = sum(ok for _, ok in result.crisis)
            say(f"  crisis queries with a crisis page in the top 3: {helped}/{len(result.crisis)}")
            for query, ok in result.crisis:
                say(f"    {'yes' if ok else 'NO '} {query!r}")
    for site, size in sizes.items():
        say(f"search bundle of {site}: {size / 1024 / 1024:.1f} MiB (a query loads only its parts)")
