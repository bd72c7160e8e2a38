"""Carry unchanged pages over from the live site instead of making them again.

In: the build cache, a site, the hash of each national page as rendered now, and the record the
site's last build left (its key, the folder it wrote, the hash of each national page it
published, the paths of its other pages and the problems of its own pages). Out: a
:class:`Carry` saying which pages are the same as in the live site and reading them from there,
or None when everything must be made again.

Why this is exact. A site's pages are made from the national pages and from what the site key
holds: the render's shared inputs (theme, settings, vocabulary, every article's front matter:
:attr:`~pipeline.site.render.Renderer.shared_key`), every county file and county page, the data
code lists, the site's address, whether the site has a calendar and the generator's code. When
the key is the one of the live site's build, a national page whose HTML has the same hash fills
to the same page, and every other page (the county's own pages, service pages, municipalities)
is the same: it is read from the live site's folder, which the record names and which is never
written again. The site's data is keyed apart, as the record notes which pages are made from
it:

- its activities and events (:func:`events_key`: their items as the build date leaves them).
  When they changed (a new day drops the past ones), the calendars, event pages and feeds are
  made again (the record's ``eventful``);
- the PTV dataset (its content key). When it changed (every night brings a new snapshot), a
  service or municipality page is made again unless the PTV items it is made from are the same
  (the record's ``inputs``: :meth:`~pipeline.site.services.ServiceViews.page_key`), and the
  rest of ``serviceful`` is made again.

A national page with a data slot (:data:`DATA_SLOTS`) is carried when its slots fill with the
same text as the record notes (``fills``, by hash), and made again otherwise. Statement pages
(filled from this build's evidence) and 404 pages (rewritten when published) are always made
again. Without the build cache, a dataset read without it, or a live site other than the
recorded one (a rollback, another output folder), nothing is carried.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator, Mapping, MutableMapping
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from pipeline.cache import BuildCache, digest, digest_tree
from pipeline.content.load import Project
from pipeline.deploy import live_file_lost
from pipeline.problems import Problem
from pipeline.site.render import NationalRender, Renderer

ALWAYS_MADE = ("statement-status",)
"""Slots filled from this build's own results: a page with one is always made again."""
EVENT_SLOTS = ("activities",)
"""Slots filled from the site's activities and events (:func:`events_key`)."""
SERVICE_SLOTS = ("services",)
"""Slots filled from the site's PTV services (the dataset's content key)."""
DATA_SLOTS = (*EVENT_SLOTS, *SERVICE_SLOTS)
"""Slots filled from the site's data: when that changed, a page with one is made again unless
its slots fill as before (:func:`fills_hash`)."""


@dataclass(frozen=True)
class SiteRecord:
    folder: str
    """The site's folder as that build wrote it (resolved)."""
    national: dict[str, str]
    """The national pages it published as filled, with the hash of their national HTML."""
    others: tuple[str, ...]
    """Its other pages and files, in the order they were made."""
    problems: tuple[Problem, ...]
    """The problems of the county's own pages (reported again when they are carried)."""
    events: str = ""
    """The key of the site's activities and events at that build (:func:`events_key`)."""
    eventful: frozenset[str] = frozenset()
    """Its pages made from them: calendars, event pages, feeds, pages with an activities slot."""
    fills: dict[str, str] = field(default_factory=dict)
    """Of its pages with a data slot (:data:`DATA_SLOTS`): the hash of what those slots were
    filled with (:func:`fills_hash`)."""
    services: str = ""
    """The content key of the PTV dataset at that build."""
    serviceful: frozenset[str] = frozenset()
    """Its pages made from the dataset: service and municipality pages, pages with a services
    slot."""
    inputs: dict[str, str] = field(default_factory=dict)
    """Of its service and municipality pages: the key of the PTV items each was made from
    (:meth:`~pipeline.site.specialise.Specialiser.page_inputs`)."""


@dataclass(frozen=True)
class Carry:
    """What of a site is the same as in its last build, and how to read it."""

    national: frozenset[str]
    others: tuple[str, ...]
    problems: tuple[Problem, ...]
    read: Callable[[str], str]
    record: SiteRecord
    """The record of the build carried from."""
    complete: bool = True
    """False when the site's data changed: its other pages are made again, but ``others``
    (those not made from what changed) are taken as they are."""
    candidates: dict[str, str] = field(default_factory=dict)
    """When the site's data changed: the national pages with a data slot that may still be
    carried, if their fill's hash is still this one (decided by
    :meth:`~pipeline.site.specialise.Specialiser.settle`)."""
    fragments: dict[Any, str] = field(default_factory=dict)
    """The fragments :meth:`~pipeline.site.specialise.Specialiser.settle` made, for the pages
    that are made again."""

    @property
    def paths(self) -> frozenset[str]:
        """Every page carried."""
        return self.national | frozenset(self.others)


class SitePages(MutableMapping[str, str]):
    """A site's pages in order: those made now, held, and those carried over from the live
    site, read from there only when one is asked for (most never are: their hashes come from
    the live manifest, and the writer links them)."""

    def __init__(self, read: Callable[[str], str] | None = None) -> None:
        self._pages: dict[str, str | None] = {}
        self._read = read
        self.eventful: set[str] = set()
        """The pages made now from the site's activities and events (:data:`EVENT_SLOTS`,
        calendars, event pages, feeds)."""
        self.serviceful: set[str] = set()
        """The pages made now from the PTV dataset (service and municipality pages, pages with
        a services slot)."""
        self.fills: dict[str, str] = {}
        """Of the pages made now with a data slot, the hash of its fill (:func:`fills_hash`)."""
        self.inputs: dict[str, str] = {}
        """Of the service and municipality pages made now, the key of what they are made from."""

    def carry(self, path: str) -> None:
        """``path`` is the live site's page as it is."""
        assert self._read is not None
        self._pages[path] = None

    @property
    def made(self) -> int:
        """The pages made now, held in memory (not those carried over)."""
        return sum(1 for html in self._pages.values() if html is not None)

    def frozen(self) -> SitePages:
        """The pages as they are now (those filled again later, such as the statements, keep
        their HTML of now in it)."""
        copy = SitePages(self._read)
        copy._pages = dict(self._pages)
        return copy

    def __getitem__(self, path: str) -> str:
        html = self._pages[path]
        if html is not None:
            return html
        assert self._read is not None
        try:
            return self._read(path)
        except OSError as exc:
            raise live_file_lost(path, f"could not be read ({exc.strerror})") from None

    def __setitem__(self, path: str, html: str) -> None:
        self._pages[path] = html

    def __delitem__(self, path: str) -> None:
        del self._pages[path]

    def __iter__(self) -> Iterator[str]:
        return iter(self._pages)

    def __len__(self) -> int:
        return len(self._pages)

    def __contains__(self, path: object) -> bool:
        return path in self._pages


def read_page(folder: Path, path: str) -> str:
    """A page as a site's folder has it (bytes as written: no newline translation)."""
    return (folder / path).read_bytes().decode("utf-8")


def page_hash(html: str) -> str:
    return hashlib.sha1(html.encode("utf-8"), usedforsecurity=False).hexdigest()


def national_hashes(rendered: NationalRender) -> dict[str, str]:
    """The hash of each national page's HTML (with its slot markers)."""
    return {page.info.output_path: page_hash(page.html) for page in rendered.pages}


def project_key(
    cache: BuildCache, renderer: Renderer, project: Project, base_override: str | None
) -> str | None:
    """What every site's key holds; None when the PTV dataset has no content key (its pages
    could not be told apart). Neither the build date nor the dataset: the pages made from the
    site's data are keyed apart (:class:`SiteData`)."""
    if project.services.key is None:
        return None
    root = project.root
    counties = [
        part
        for slug, area in sorted(project.areas.items())
        for part in (
            slug,
            area.region.model_dump_json(),
            *(
                f"{p.doc.path}\0{p.meta.model_dump_json()}\0{p.doc.body}"
                for p in area.pages.values()
            ),
        )
    ]
    return cache.key(
        "site",
        renderer.shared_key,
        digest_tree(root / "data") if (root / "data").is_dir() else "no data/",
        base_override or "",
        *counties,
    )


def site_key(project: str, slug: str, base_url: str, calendar: bool) -> str:
    """One site's key: the project's, the site's address and whether it has a calendar (every
    page's navigation links to it)."""
    return digest(project, slug, base_url, str(calendar))


def fills_hash(texts: Iterable[str]) -> str:
    """The hash of what a page's data slots were filled with."""
    return digest(*texts)


def events_key(events: object) -> str:
    """The key of a site's activities and events from the build date on (their representation
    holds every field, and the date)."""
    return digest(repr(events))


@dataclass(frozen=True)
class SiteData:
    """The keys of a site's data now, to compare with its record's."""

    events: str
    """Of its activities and events (:func:`events_key`)."""
    services: str
    """Of the PTV dataset (its content key)."""
    inputs: Mapping[str, str]
    """Of each service and municipality page, what it is made from."""


def carry(
    record: SiteRecord | None,
    live: Path | None,
    hashes: Mapping[str, str],
    always: Iterable[str],
    data: SiteData,
) -> Carry | None:
    """The pages of a site to carry over from its live folder ``live``, or None."""
    if record is None or live is None or str(live.resolve()) != record.folder:
        return None
    return carried(record, hashes, always, partial(read_page, live.resolve()), data)


def carried(
    record: SiteRecord,
    hashes: Mapping[str, str],
    always: Iterable[str],
    read: Callable[[str], str],
    data: SiteData,
) -> Carry | None:
    """The pages of a site that are the same as when ``record`` was made (under the same site
    key, with the site's data now ``data``), read with ``read``; None when nothing can be
    carried."""
    skip = set(always)
    same = frozenset(
        path
        for path, h in record.national.items()
        if hashes.get(path) == h and path not in skip and not path.endswith("404.html")
    )
    if any(p.endswith("404.html") for p in record.others):
        return None  # a county's own 404 page: made again with the rest
    if record.events == data.events and record.services == data.services:
        return Carry(same, record.others, record.problems, read, record)
    stale: set[str] = set()
    if record.events != data.events:
        stale |= record.eventful
    if record.services != data.services:
        made_from = record.inputs
        stale |= {
            path
            for path in record.serviceful
            if path not in made_from or data.inputs.get(path) != made_from[path]
        }
    candidates = {path: h for path, h in record.fills.items() if path in same and path in stale}
    others = tuple(path for path in record.others if path not in stale)
    return Carry(same - stale, others, record.problems, read, record, False, candidates)


def record_of(
    folder: str,
    hashes: Mapping[str, str],
    pages: SitePages,
    filled: Iterable[str],
    carried: Carry | None,
    problems: Iterable[Problem],
    data: SiteData,
) -> SiteRecord:
    """What a later build of the site needs to carry its pages: ``filled`` are the national
    pages filled now, ``carried`` what was carried, ``data`` the keys of the site's data."""
    national = set(filled) | (carried.national if carried else set())
    kept = carried.paths if carried else frozenset()
    last = carried.record if carried else None

    def of_kept(found: Mapping[str, str]) -> dict[str, str]:
        return {path: value for path, value in found.items() if path in kept}

    return SiteRecord(
        folder,
        {path: hashes[path] for path in national},
        tuple(path for path in pages if path not in national),
        tuple(problems),
        data.events,
        frozenset(pages.eventful) | (last.eventful & kept if last else frozenset()),
        {**(of_kept(last.fills) if last else {}), **pages.fills},
        data.services,
        frozenset(pages.serviceful) | (last.serviceful & kept if last else frozenset()),
        {**(of_kept(last.inputs) if last else {}), **pages.inputs},
    )
