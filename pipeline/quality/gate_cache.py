"""The gate across builds: a page is checked again only when it, or what it links to, changed.

In: one site's pages (output path -> HTML) and the record of its last check (per page: the
hash of its HTML, its findings, its ids, and the paths in the site it links to or loads).
Out: a :class:`Plan` (the pages to check, and what the checker must know of the others: their
paths and ids), then, from the check's findings and facts
(:func:`~pipeline.quality.check_slots.check_job_facts`), the site's findings and its new record.

Why this is exact. What the gate finds on a page depends on the page's own HTML and, through
its links and the files it loads, on whether each target exists and which ids it has; on
nothing else (the site's address and the published assets are part of the record's key). So a
page is checked again when its HTML changed, when a page or file it names was added or removed,
or when a page it links to an anchor of now has other ids; every other page keeps its findings.
A page with no record is checked. (An article edited in its text keeps its ids: the pages that
link to it are not checked again. A calendar whose days moved has other ids: only the pages
linking to one of its days are checked again, not every page whose menu links to it.)
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from pipeline.cache import BuildCache, digest
from pipeline.quality.check import ANCHORED, Finding, page_ids
from pipeline.quality.check_slots import PageFacts


@dataclass(frozen=True)
class PageRecord:
    hash: str
    findings: tuple[Finding, ...]
    ids: frozenset[str]
    refs: frozenset[str]


@dataclass(frozen=True)
class SiteRecord:
    files: frozenset[str]
    """Every path the site had (pages and other files: a link may name either)."""
    pages: dict[str, PageRecord]


@dataclass
class Plan:
    check: set[str]
    """The pages to check now."""
    hashes: dict[str, str]
    """Every page's hash."""
    files: frozenset[str]
    known_ids: dict[str, set[str]] = field(default_factory=dict)
    """The ids of the pages not checked now, so that links to their anchors resolve."""


def page_hash(html: str) -> str:
    """The SHA-256 of a page's bytes: the hash a site's manifest has of it, so that a page
    carried over from the live site is not hashed again (``known`` of :func:`plan`)."""
    return hashlib.sha256(html.encode("utf-8")).hexdigest()


def record_key(cache: BuildCache, slug: str, base_path: str, published: Iterable[str]) -> str:
    """The key of a site's record: its address and the files every site publishes."""
    return cache.key("gate", slug, base_path, digest(*sorted(published)))


def plan(
    pages: Mapping[str, str], record: SiteRecord | None, known: Mapping[str, str] | None = None
) -> Plan:
    """What to check of ``pages``, given the site's last record. ``known``: the hashes of
    pages known without hashing them (carried over from the live site: its manifest's)."""
    given = known or {}
    hashes = {
        path: given.get(path) or page_hash(pages[path]) for path in pages if path.endswith(".html")
    }
    files = frozenset(pages)
    if record is None:
        return Plan(set(hashes), hashes, files)
    old = record.pages
    changed = {path for path, h in hashes.items() if path not in old or old[path].hash != h}
    kept = [path for path in hashes if path not in changed]
    named = set().union(*(old[path].refs for path in kept))
    # A changed page that others link to an anchor of matters to them only if its ids changed
    # (it is parsed for them here, and once more when it is checked: one page per edit, as a
    # rule).
    touched = (files ^ record.files) | {
        path + ANCHORED
        for path in changed
        if path + ANCHORED in named and (path not in old or page_ids(pages[path]) != old[path].ids)
    }
    check = changed | {path for path in kept if not old[path].refs.isdisjoint(touched)}
    ids = {path: set(old[path].ids) for path in hashes if path not in check}
    return Plan(check, hashes, files, ids)


def merge(
    plan: Plan,
    record: SiteRecord | None,
    findings: list[Finding],
    facts: PageFacts,
    order: Mapping[str, int],
) -> tuple[list[Finding], SiteRecord]:
    """The site's findings (those of the pages checked now and those kept), in page order
    (``order``: path -> position), and the record of this check."""
    found: dict[str, list[Finding]] = {}
    for finding in findings:
        found.setdefault(finding.page, []).append(finding)
    pages: dict[str, PageRecord] = {}
    for path, h in plan.hashes.items():
        if path in plan.check:
            ids, refs = facts.get(path, (frozenset(), frozenset()))
            pages[path] = PageRecord(h, tuple(found.get(path, ())), ids, refs)
        else:
            assert record is not None  # a page is kept only from a record
            pages[path] = record.pages[path]
    every = [f for page in pages.values() for f in page.findings]
    # Findings of a page that is not one of the hashed ones (none today) are kept too.
    every += [f for path, fs in found.items() if path not in plan.hashes for f in fs]
    every.sort(key=lambda f: order.get(f.page, len(order)))
    return every, SiteRecord(plan.files, pages)
