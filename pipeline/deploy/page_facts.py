"""What the writer reads in a site's pages, kept by each page's SHA-256 across builds.

In: a site's pages as they are published (the HTML of the pages written now; for a page carried
over from the live site, its SHA-256 from the live manifest) and the build cache.
Out: per page, what its sitemap entry needs from its ``<head>`` (robots, canonical, alternates)
and what Pagefind reads of it (whether it is indexed, the SHA-256 of its search view). A page
carried over has the bytes it had when its facts were kept, so it is read only when they are
not (a cache pruned, the first run): a rebuild after one edit no longer reads every page of
every site for its sitemaps and its search index's key.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from pipeline.cache import BuildCache
from pipeline.site.search import indexed, page_lang, view_hash

CANONICAL = re.compile(r'<link rel="canonical" href="([^"]+)">')
ALTERNATE = re.compile(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">')
NOINDEX = re.compile(r'<meta name="robots" content="[^"]*noindex')
KIND = "page-facts"
"""The build cache's kind for the facts of a site's pages (keyed by the site and the code)."""


@dataclass(frozen=True)
class PageFacts:
    noindex: bool
    """``<meta name="robots" content="noindex">``: not in the sitemap."""
    canonical: str | None
    alternates: tuple[tuple[str, str], ...]
    """``(hreflang, href)`` of each ``<link rel="alternate">``, in the page's order."""
    indexed: bool
    """Pagefind indexes it (``data-pagefind-body``)."""
    view: str | None
    """The SHA-256 of what Pagefind reads (:func:`pipeline.site.search.search_view`)."""
    lang: str | None = None
    """The index Pagefind puts it in: its ``<html lang>``, lowercase (None: it has none)."""


def facts_of(html: str) -> PageFacts:
    head = _head(html)
    canonical = CANONICAL.search(head)
    is_indexed = indexed(html)
    view = view_hash(html) if is_indexed else None
    return PageFacts(
        noindex=NOINDEX.search(head) is not None,
        canonical=canonical.group(1) if canonical else None,
        alternates=tuple(ALTERNATE.findall(head)),
        indexed=is_indexed,
        view=view,
        lang=page_lang(head),
    )


def _head(html: str) -> str:
    """A page's ``<head>``, where its robots, canonical and alternate tags are (the whole page
    when it has none)."""
    end = html.find("</head>")
    return html if end < 0 else html[:end]


class KeptFacts:
    """The facts of one site's pages as the last build kept them, by SHA-256; :meth:`keep`
    replaces them with this build's (only the pages the site has now: nothing piles up)."""

    def __init__(self, cache: BuildCache | None, slug: str) -> None:
        self.cache = cache if cache is not None and cache.on else None
        self.key = self.cache.key(KIND, slug) if self.cache is not None else ""
        found = self.cache.get(KIND, self.key) if self.cache is not None else None
        self.kept: dict[str, PageFacts] = found if isinstance(found, dict) else {}

    def of(self, sha256: str, read: Callable[[], str]) -> PageFacts:
        """The facts of the page whose bytes have ``sha256``; ``read`` gives its HTML when
        they were not kept."""
        kept = self.kept.get(sha256)
        return kept if isinstance(kept, PageFacts) else facts_of(read())

    def keep(self, facts: Mapping[str, PageFacts], hashes: Mapping[str, str]) -> None:
        """Keep ``facts`` (by output path) by the SHA-256 ``hashes`` gives each page."""
        if self.cache is None:
            return
        new = {hashes[rel]: f for rel, f in facts.items()}
        if new != self.kept:
            self.cache.put(KIND, self.key, new)
