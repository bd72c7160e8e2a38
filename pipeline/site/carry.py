"""Carry unchanged pages over from the live site instead of making them again.

In: the build cache, a site, the hash of each national page as rendered now, and the record the
site's last build left (its key, the folder it wrote, the hash of each national page it
published, the paths of its other pages and the problems of its own pages). Out: a
:class:`Carry` saying which pages are the same as in the live site and reading them from there,
or None when everything must be made again.

Why this is exact. A site's pages are made from the national pages and from what the site key
holds: the render's shared inputs (theme, settings, vocabulary, every article's front matter:
:attr:`~pipeline.site.render.Renderer.shared_key`), every county file and county page, the data
code lists, the PTV dataset (by its content key), whether the site has a calendar, the site's
address and the generator's code. When the key is the one of the live site's build, a national
page whose HTML has the same hash fills to the same page, and every other page (services, the
county's own pages, municipalities) is the same: it is read from the live site's folder, which
the record names and which is never written again. The site's activities and events are keyed
apart (:func:`events_key`: their items as the build date leaves them): when they changed (a
new day drops the past ones), the pages made from them (the calendars, event pages and feeds:
the record's ``eventful``) are made again, an article whose activities slot now fills with
other text than the record's (``fills``, by hash) is made again, and the rest is carried.
Statement pages (filled from this build's evidence) and 404 pages (rewritten when published)
are always made again. Without the build cache, a dataset read without it, or a live site
other than the recorded one (a rollback, another output folder), nothing is carried.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator, Mapping, MutableMapping
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from pipeline.cache import BuildCache, digest, digest_tree
from pipeline.content.load import Project
from pipeline.deploy import live_file_lost
from pipeline.problems import Problem
from pipeline.site.render import NationalRender, Renderer

ALWAYS_MADE = ("statement-status",)
"""Slots filled from this build's own results: a page with one is always made again."""
EVENT_SLOTS = ("activities",)
"""Slots filled from the site's activities and events: a page with one is made again when
they changed (:func:`events_key`)."""


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
    """Of its national pages with an activities slot: the hash of what the slots were filled
    with (:func:`fills_hash`)."""


@dataclass(frozen=True)
class Carry:
    """What of a site is the same as in its last build, and how to read it."""

    national: frozenset[str]
    others: tuple[str, ...]
    problems: tuple[Problem, ...]
    read: Callable[[str], str]
    """A page as the last build made it."""
    complete: bool = True
    """False when the site's activities and events changed: its other pages are made again,
    but ``others`` (those not made from them) are taken as they are."""
    eventful: frozenset[str] = frozenset()
    """The pages carried that were made from the activities and events."""
    fills: dict[str, str] = field(default_factory=dict)
    """Of those, the national pages with an activities slot, and the hash of its fill."""
    candidates: dict[str, str] = field(default_factory=dict)
    """When the activities and events changed: the national pages with an activities slot
    that may still be carried, if their fill's hash is still this one (decided by
    :meth:`~pipeline.site.specialise.Specialiser.settle`)."""


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
        self.fills: dict[str, str] = {}
        """Of those with an activities slot, the hash of its fill (:func:`fills_hash`)."""

    def carry(self, path: str) -> None:
        """``path`` is the live site's page as it is."""
        assert self._read is not None
        self._pages[path] = None

    @property
    def made(self) -> int:
        """The pages made now, held in memory (not those carried over)."""
        return sum(1 for html in self._pages.values() if html is not None)

    def held(self) -> dict[str, str]:
        """The pages made now, by path (those carried over left out: they are not read)."""
        return {path: html for path, html in self._pages.items() if html is not None}

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
    """What every site's key holds; None when the PTV dataset has no content key. Not the
    build date: only the activities and events depend on it (:func:`events_key`)."""
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
        project.services.key,
        digest_tree(root / "data") if (root / "data").is_dir() else "no data/",
        base_override or "",
        *counties,
    )


def site_key(project: str, slug: str, base_url: str, calendar: bool) -> str:
    """One site's key: the project's, the site's address and whether it has a calendar (every
    page's navigation links to it)."""
    return digest(project, slug, base_url, str(calendar))


def fills_hash(texts: Iterable[str]) -> str:
    """The hash of what a page's activities slots were filled with."""
    return digest(*texts)


def events_key(events: object) -> str:
    """The key of a site's activities and events from the build date on (their representation
    holds every field, and the date)."""
    return digest(repr(events))


def carry(
    record: SiteRecord | None,
    live: Path | None,
    hashes: Mapping[str, str],
    always: Iterable[str],
    events: str,
) -> Carry | None:
    """The pages of a site to carry over from its live folder ``live``, or None."""
    if record is None or live is None or str(live.resolve()) != record.folder:
        return None
    return carried(record, hashes, always, partial(read_page, live.resolve()), events)


def carried(
    record: SiteRecord,
    hashes: Mapping[str, str],
    always: Iterable[str],
    read: Callable[[str], str],
    events: str,
) -> Carry | None:
    """The pages of a site that are the same as when ``record`` was made (under the same site
    key, with activities and events whose key is ``events``), read with ``read``; None when
    nothing can be carried."""
    skip = set(always)
    same = frozenset(
        path
        for path, h in record.national.items()
        if hashes.get(path) == h and path not in skip and not path.endswith("404.html")
    )
    if any(p.endswith("404.html") for p in record.others):
        return None  # a county's own 404 page: made again with the rest
    if record.events == events:
        eventful = record.eventful & (same | set(record.others))
        fills = {path: h for path, h in record.fills.items() if path in same}
        return Carry(same, record.others, record.problems, read, True, eventful, fills)
    candidates = {path: h for path, h in record.fills.items() if path in same}
    others = tuple(path for path in record.others if path not in record.eventful)
    national = same - record.eventful
    return Carry(national, others, record.problems, read, False, candidates=candidates)


def record_of(
    folder: str,
    hashes: Mapping[str, str],
    pages: SitePages,
    filled: Iterable[str],
    carried: Carry | None,
    problems: Iterable[Problem],
    events: str,
) -> SiteRecord:
    """What a later build of the site needs to carry its pages: ``filled`` are the national
    pages filled now, ``carried`` what was carried, ``events`` the key of the site's
    activities and events."""
    national = set(filled) | (carried.national if carried else set())
    return SiteRecord(
        folder,
        {path: hashes[path] for path in national},
        tuple(path for path in pages if path not in national),
        tuple(problems),
        events,
        frozenset(pages.eventful) | (carried.eventful if carried else frozenset()),
        {**(carried.fills if carried else {}), **pages.fills},
    )
