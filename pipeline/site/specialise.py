"""Stage 3, specialise per county: fill the slots of the national pages.

Input: the :class:`~pipeline.site.render.NationalRender` (pages with slot markers), the project, and
one :class:`Site` (the national site or a county).
Output: the site's pages as ``{output path: html}``. Each national page is split at its slots
once; every site joins the parts with its own fragments, rendered from the theme's
``slots/<name>-<slug>.html`` or ``slots/<name>.html`` and cached, so one more county costs
string work, not a new render. The county's own pages are rendered in the same shell and
filled the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, MutableMapping
from dataclasses import dataclass, replace
from datetime import date
from functools import cache, partial
from typing import Any, Literal, Protocol
from urllib.parse import urlsplit

from jinja2 import Template
from markupsafe import Markup

from pipeline.content.load import Project
from pipeline.content.models import LANGUAGES, Area, HelpPhone, Lang, Region
from pipeline.match import EventRules
from pipeline.phone import tel
from pipeline.problems import Problems
from pipeline.quality.audit import criteria
from pipeline.quality.evidence import Check, Evidence, helsinki_date
from pipeline.site import urls
from pipeline.site.carry import (
    DATA_SLOTS,
    EVENT_SLOTS,
    SERVICE_SLOTS,
    Carry,
    SiteData,
    SitePages,
    events_key,
    fills_hash,
    site_key,
)
from pipeline.site.events import (
    EventPages,
    EventsRecord,
    SiteEvents,
    events_from,
    events_record,
    has_calendar,
    site_events,
)
from pipeline.site.i18n import format_date, format_hours
from pipeline.site.render import NationalRender, PageInfo, Renderer
from pipeline.site.services import (
    ServicesRecord,
    ServiceViews,
    SiteServices,
    municipality_paths,
    services_from,
    services_record,
)
from pipeline.site.slots import CompiledPage, compile_page, fill, unsearched
from pipeline.sources.events.snapshot import EventsDataset
from pipeline.sources.ptv.model import Service

NATIONAL = "national"

FragmentKey = tuple[str, str, int, str | None]
"""How a rendered fragment is cached: slot name, language, page depth and, for a slot that
depends on the page itself, the page's address."""


PageSource = tuple[PageInfo, CompiledPage] | Callable[[], tuple[PageInfo, CompiledPage]]
"""A page of a site to fill: rendered, or rendering it when it is filled."""


class PageSink(Protocol):
    """Told about a site's pages as they are made (the gate checks them meanwhile)."""

    def planned(
        self, pages: Mapping[str, str], paths: list[str], filled: Mapping[str, tuple[str, ...]]
    ) -> None:
        """Every path the site will have, before the first page is filled: ``pages`` and
        ``filled`` grow as they are."""

    def made(self, path: str) -> None:
        """The page ``path`` is in ``pages`` (and, for a national page, in ``filled``)."""


class Gettext(Protocol):
    """Interface text in one language, with ``%(name)s`` placeholders filled."""

    def __call__(self, message: str, **values: str) -> str: ...


@dataclass(frozen=True)
class Site:
    """One output site: the national site (``area`` is None) or a county's."""

    slug: str
    base_url: str
    area: Area | None = None


def site_for(project: Project, slug: str, base_override: str | None = None) -> Site:
    """The Site of a county slug or of ``national``, with its published base address."""
    extra = project.config.extra
    area = project.areas.get(slug) if slug != NATIONAL else None
    if base_override:
        base = base_override.replace("{slug}", slug)
    elif area is None:
        base = extra.national_url
    else:
        base = area.region.url or extra.region_url.replace("{slug}", slug)
    return Site(slug, base.rstrip("/") + "/", area)


class Specialiser:
    """Fills the national pages' slots for each site."""

    def __init__(
        self,
        project: Project,
        renderer: Renderer,
        national: NationalRender,
        base_override: str | None = None,
        events: Mapping[str, EventsDataset] | None = None,
        event_rules: EventRules | None = None,
    ) -> None:
        self.project = project
        self.base_override = base_override
        """Replaces the published addresses (``{slug}`` is the site), for local previews."""
        self.renderer = renderer
        self.compiled: list[tuple[PageInfo, CompiledPage]] = [
            (page.info, compile_page(page.html)) for page in national.pages
        ]
        self._templates: dict[tuple[str, str, str], Template] = {}
        self.services = ServiceViews(project, renderer)
        self.audits: dict[str, Evidence] = {}
        """The accessibility evidence per site, set by the build after the gate, for the
        statements."""
        self._site_services: dict[str, SiteServices] = {}
        self._compiled_services: dict[tuple[str, str], CompiledPage] = {}
        self.events_data: Mapping[str, EventsDataset] = events or {}
        """Each county's activities and events for the build date (load stage)."""
        self.event_rules = event_rules or EventRules()
        self.event_pages = EventPages(project, renderer)
        self._site_events: dict[str, SiteEvents] = {}
        self._cards: dict[tuple[str, str, str, str, str | None], Markup] = {}
        """Service cards made for the site specialised now (:meth:`service_card`)."""
        self._card_macros: dict[str, Callable[..., Markup]] = {}
        self._site_keys: dict[tuple[str, str], str] = {}
        self._events_keys: dict[str, str] = {}
        self._page_inputs: dict[str, dict[str, str]] = {}

    def site_key(self, project_key: str, site: Site) -> str:
        """The site's key under ``project_key`` (:func:`pipeline.site.carry.site_key`), worked
        out once per site."""
        key = (project_key, site.slug)
        if key not in self._site_keys:
            dataset = self.events_data.get(site.slug)
            # As site_events(site).shown, without matching: whether the pages link to it.
            calendar = site.area is not None and dataset is not None and has_calendar(dataset)
            self._site_keys[key] = site_key(project_key, site.slug, site.base_url, calendar)
        return self._site_keys[key]

    def settle(self, site: Site, carried: Carry) -> Carry:
        """``carried``, with the national pages whose data slots fill as in the last build
        carried too (when the site's data changed: a new day changes the activities of a few
        articles, a night's PTV changes the services of some), and the fragments made for
        the others."""
        if not carried.candidates:
            return carried
        cache: dict[FragmentKey, str] = {}
        same = set()
        for info, compiled in self.compiled:
            path = info.output_path
            if path in carried.candidates:
                texts = (
                    self.fragment(site, info, name, cache)
                    for name in compiled.slots
                    if name in DATA_SLOTS
                )
                if fills_hash(texts) == carried.candidates[path]:
                    same.add(path)
        return replace(
            carried, national=carried.national | same, candidates={}, fragments=dict(cache)
        )

    def site_data(self, site: Site) -> SiteData:
        """The keys of the site's data now (:class:`pipeline.site.carry.SiteData`)."""
        return SiteData(
            self.events_key(site), self.project.services.key or "", self.page_inputs(site)
        )

    def page_inputs(self, site: Site) -> dict[str, str]:
        """The key of what each of the site's service and municipality pages is made from
        (:meth:`~pipeline.site.services.ServiceViews.page_key`), by output path; worked out
        once per site. A page whose key is unknown is left out (it is always made again)."""
        if site.slug not in self._page_inputs:
            found = self.site_services(site)
            inputs: dict[str, str] = {}
            for service in found.pages.values():
                key = self.services.page_key(service)
                if key is not None:
                    for lang in LANGUAGES:
                        inputs[urls.service(lang, service.id) + "index.html"] = key
            if site.area is not None and found.municipal:
                inputs.update(self.services.municipality_keys(site.area, found) or {})
            self._page_inputs[site.slug] = inputs
        return self._page_inputs[site.slug]

    def events_key(self, site: Site) -> str:
        """The key of the site's activities and events (:func:`pipeline.site.carry.events_key`):
        worked out once per site (it reads every item)."""
        if site.slug not in self._events_keys:
            self._events_keys[site.slug] = events_key(self.events_data.get(site.slug))
        return self._events_keys[site.slug]

    def site_services(self, site: Site) -> SiteServices:
        """The matched services of a site, computed once per site."""
        if site.slug not in self._site_services:
            self._site_services[site.slug] = self.services.site_services(site.area)
        return self._site_services[site.slug]

    def site_events(self, site: Site) -> SiteEvents | None:
        """A county's activities and events per article, matched once per site; None for the
        national site and a county without an events dataset."""
        dataset = self.events_data.get(site.slug)
        if site.area is None or dataset is None:
            return None
        if site.slug not in self._site_events:
            articles = self.project.articles.values()
            self._site_events[site.slug] = site_events(articles, dataset, self.event_rules)
        return self._site_events[site.slug]

    def expected_pages(self, site: Site) -> int:
        """About how many pages ``site`` has, from what was matched (its national pages, its
        service pages and its calendars and event pages): what the build holds in memory
        while the site is on its way."""
        count = len(self.compiled) + len(LANGUAGES) * len(self.site_services(site).pages)
        found = self.site_events(site)
        if found is not None and site.area is not None and found.shown:
            calendars = 1 + len(site.area.region.municipalities)
            count += len(LANGUAGES) * (calendars + len(found.dataset.items))
        return count

    def service_card(self, site: Site, item: dict[str, Any], lang: Lang, root: str) -> Markup:
        """A service's card in an article's list of services (``service_card`` of the theme's
        ``partials/ptv.html``), made once per service, depth of page and detail within a site:
        a county's service is listed on dozens of articles in each language."""
        key = (site.slug, lang, root, item["url"], item["detail"])
        card = self._cards.get(key)
        if card is None:
            if lang not in self._card_macros:
                partial_ = self.renderer.envs[lang].get_template("partials/ptv.html")
                self._card_macros[lang] = partial_.module.service_card  # type: ignore[attr-defined]
            card = self._cards[key] = self._card_macros[lang](item, root, True)
        return card

    def kept_matches(self, site: Site) -> tuple[ServicesRecord, EventsRecord | None]:
        """The site's matches as the build cache keeps them (:meth:`adopt_kept`)."""
        found = self.site_events(site)
        return services_record(self.site_services(site)), (
            events_record(found) if found is not None else None
        )

    def adopt_kept(self, site: Site, kept: object) -> bool:
        """Take a site's matches from the build cache (:meth:`kept_matches` of a build whose
        site key was the same); False when ``kept`` is not such a record or names a service or
        item the data lacks."""
        if not isinstance(kept, tuple) or len(kept) != 2:
            return False
        services = services_from(kept[0], self.project.services.services)
        dataset = self.events_data.get(site.slug)
        with_events = site.area is not None and dataset is not None
        if services is None or (kept[1] is None) == with_events:
            return False
        events = events_from(kept[1], dataset) if with_events and dataset else None
        if with_events and events is None:
            return False
        self.adopt_matches(site, services, events)
        return True

    def matches_of(self, site: Site) -> tuple[SiteServices | None, SiteEvents | None]:
        """The site's matches made so far (for :meth:`adopt_matches`)."""
        return self._site_services.get(site.slug), self._site_events.get(site.slug)

    def adopt_matches(
        self, site: Site, services: SiteServices | None, events: SiteEvents | None
    ) -> None:
        """Take a site's matches from an earlier specialiser made from the same inputs (the
        preview, under an unchanged site key: :mod:`pipeline.site.carry`)."""
        if services is not None:
            self._site_services[site.slug] = services
        if events is not None:
            self._site_events[site.slug] = events

    # --- templates ------------------------------------------------------------------------

    def _template(self, name: str, lang: str, slug: str) -> Template:
        key = (name, lang, slug)
        if key not in self._templates:
            # Most specific first, as Datasette chooses templates: a county may override one.
            names = [f"slots/{name}-{slug}.html", f"slots/{name}.html"]
            self._templates[key] = self.renderer.envs[lang].select_template(names)
        return self._templates[key]

    # --- fragment contexts ----------------------------------------------------------------

    def _gettext(self, lang: str) -> Gettext:
        def gettext(message: str, **values: str) -> str:
            return self.renderer.translate(lang, message, **values)

        return gettext

    def _area_pages(self, site: Site, lang: str) -> list[dict[str, str | None]]:
        if site.area is None:
            return []
        pages = sorted(
            (p for (page_lang, _), p in site.area.pages.items() if page_lang == lang),
            key=lambda p: (p.meta.order, p.meta.title),
        )
        return [
            {
                "url": urls.area_page(lang, p.meta.slug or p.doc.slug),
                "title": p.meta.title,
                "summary": p.meta.summary,
            }
            for p in pages
        ]

    def _phone(self, phone: HelpPhone, lang: str, region: Region | None = None) -> dict[str, Any]:
        """A county number; a sample is labelled and never a ``tel:`` link. The languages it
        serves default to the county's official languages."""
        serves = phone.serves if phone.serves is not None else region.languages if region else []
        return {
            "name": phone.name.get(lang),
            "number": phone.number,
            "tel": None if phone.sample else tel(phone.number),
            "sample": phone.sample,
            "hours": [format_hours(h, lang) for h in phone.hours],
            "note": phone.note.get(lang) if phone.note else None,
            "serves": _in_order(serves),
            "source": phone.source,
            "checked": format_date(phone.checked, lang) if phone.checked else None,
        }

    def _context(self, site: Site, info: PageInfo, name: str) -> dict[str, Any]:
        """Everything a fragment template may use: the shared values and its slot's own."""
        lang = info.lang
        gettext = self._gettext(lang)  # named so that pybabel extract finds the messages
        extra = self.project.config.extra
        region = site.area.region if site.area else None
        site_name = extra.site_names.get(lang)
        context: dict[str, Any] = {
            "lang": lang,
            "root": urls.root_of(info.url),
            "base_url": site.base_url,
            # Root-relative, for the 404 page that may be served at any depth.
            "base_path": urlsplit(site.base_url).path,
            "area_name": region.short_name.get(lang) if region and region.short_name else None,
            "logo_text": region.logo_text.get(lang) if region and region.logo_text else site_name,
            "organiser": region.name.get(lang) if region else site_name,
            "organiser_heading": gettext("Services provided by") if region else None,
        }
        context.update(SLOTS[name].context(self, Fill(site, info, context)))
        return context

    def _statement_status(self, site: Site, lang: str) -> dict[str, Any]:
        """The generated parts of the accessibility statement, from the site's evidence: the
        failed criteria, the checks in error or stale, and every check with its date. Before
        the evidence is known (the first fill), nothing is claimed."""
        evidence = self.audits.get(site.slug)
        expert = self.project.config.extra.accessibility.expert_audit
        services = self.site_services(site).pages.values()
        context: dict[str, Any] = {
            "status": "full" if expert and evidence and evidence.passed else "partial",
            "expert_audit": format_date(expert, lang) if expert else None,
            "other_language": sum(1 for s in services if not s.names.get(lang)),
            "built": format_date(helsinki_date(evidence.built) if evidence else date.today(), lang),
            "verdict": evidence.verdict if evidence else "incomplete",
            "limitations": [],
            "incomplete": [],
            "checks": [],
            "not_run": [],
            "reviewed": 0,
        }
        if evidence is None:
            return context
        known = criteria(self.project.root)

        def when(check: Check) -> str | None:
            return format_date(helsinki_date(check.ran), lang) if check.ran else None

        context["limitations"] = [
            {
                "code": item.criterion,
                "title": known[item.criterion].title(lang) if item.criterion in known else "",
                "pages": len(item.pages),
                "engines": item.engines,
            }
            for item in evidence.limitations
        ]
        context["incomplete"] = [
            {
                "engine": c.engine,
                "status": c.status,
                "date": when(c),
                "pages": len(c.pages),
                "changed": c.changed_pages(),
            }
            for c in evidence.checks
            if c.status in ("error", "stale")
        ]
        context["checks"] = [
            {
                "engine": c.engine,
                "tool": c.tool,
                "version": c.version,
                "date": when(c),
                "pages": len(c.pages),
                "status": c.status,
                "findings": len(c.failures()),
            }
            for c in evidence.checks
            if c.ran is not None and c.status != "not run"
        ]
        context["not_run"] = [c.engine for c in evidence.checks if c.status == "not run"]
        context["reviewed"] = evidence.reviewed_count
        return context

    def refill_statements(self, site: Site, pages: MutableMapping[str, str]) -> list[str]:
        """Fill the statement pages again once the site's audit is known; their paths."""
        cache: dict[FragmentKey, str] = {}
        changed = []
        for info, compiled in self.compiled:
            if "statement-status" in compiled.slots:
                pages[info.output_path] = fill(
                    compiled, partial(self.fragment, site, info, cache=cache)
                )
                changed.append(info.output_path)
        return changed

    def _area_links(self, lang: str) -> list[dict[str, str]]:
        links = []
        for slug, area in sorted(self.project.areas.items(), key=lambda i: i[1].region.name.fi):
            region = area.region
            name = (region.short_name or region.name).get(lang)
            base = site_for(self.project, slug, self.base_override).base_url
            links.append({"name": name, "href": f"{base}{lang}/"})
        return links

    # --- filling ----------------------------------------------------------------------------

    def fragment(self, site: Site, info: PageInfo, name: str, cache: dict[FragmentKey, str]) -> str:
        # Most fragments depend only on the language and how deep the page is; the head
        # and the article blocks depend on the page itself.
        provider = SLOTS.get(name)
        if provider is None:
            raise ValueError(f"{info.output_path}: unknown slot '{name}' (see SLOTS)")
        key: FragmentKey = (
            name,
            info.lang,
            urls.depth(info.url),
            info.url if provider.per_page else None,
        )
        if key not in cache:
            template = self._template(name, info.lang, site.slug)
            html = template.render(self._context(site, info, name)).strip()
            cache[key] = html if provider.searched else unsearched(html)
        return cache[key]

    def _service_pages(self, site: Site) -> list[tuple[str, PageSource]]:
        """The site's service pages (shared between sites), each rendered when it is filled,
        and municipality pages."""
        found = self.site_services(site)
        pages: list[tuple[str, PageSource]] = []
        for service in found.pages.values():
            for lang in LANGUAGES:
                path = urls.service(lang, service.id) + "index.html"
                pages.append((path, partial(self._service_page, service, lang)))
        if site.area is not None and found.municipal:
            area = site.area

            @cache
            def rendered() -> dict[str, tuple[PageInfo, CompiledPage]]:
                made = self.services.municipality_pages(area, found)
                return {p.info.output_path: (p.info, compile_page(p.html)) for p in made}

            # Rendered together, when the first is filled (none when all are carried).
            for _, _, path in municipality_paths(area):
                pages.append((path, partial(_page_of, rendered, path)))
        return pages

    def _service_page(self, service: Service, lang: Lang) -> tuple[PageInfo, CompiledPage]:
        key = (service.id, lang)
        page = self.services.service_page(service, lang)
        compiled = self._compiled_services.get(key) or compile_page(page.html)
        if service.scope == "nationwide":
            # On every site: kept. A county's or a municipality's service is on one site
            # (seldom two): not kept, or every service page of the country would stay in
            # memory until the end of the build.
            self._compiled_services[key] = compiled
        return page.info, compiled

    def site_pages(
        self,
        site: Site,
        filled: dict[str, tuple[str, ...]] | None = None,
        carried: Carry | None = None,
        sink: PageSink | None = None,
    ) -> tuple[SitePages, Problems]:
        """Every page of one site, slots filled, keyed by output path. ``filled`` receives,
        for each national page the site publishes as it is and fills now, the fragments its
        slots were filled with (the gate checks the national parts once:
        ``quality.check_slots``). ``carried``: the pages that are the same as in the live
        site, read from there when asked for (:mod:`pipeline.site.carry`). ``sink`` is told
        the site's paths, then each page filled, as it is."""
        # The fragments made to settle what is carried are those of the pages made again.
        cache: dict[FragmentKey, str] = dict(carried.fragments) if carried is not None else {}
        self._cards.clear()  # those of the site before: not needed again
        out = SitePages(carried.read if carried is not None else None)
        pages: list[tuple[str, PageSource]] = [
            (info.output_path, (info, compiled)) for info, compiled in self.compiled
        ]
        feeds: Mapping[str, str | None]
        kept: set[str] = set()
        """Other pages carried while the rest is made (the activities and events changed)."""
        if carried is not None and carried.complete:
            problems = Problems(carried.problems)
            feeds = dict.fromkeys(carried.others)  # carried: read only when asked for
        else:
            problems = Problems()
            if site.area is not None:
                own, problems = self.renderer.render_area_pages(site.area)
                pages.extend(
                    (page.info.output_path, (page.info, compile_page(page.html))) for page in own
                )
            before = len(pages)
            pages.extend(self._service_pages(site))
            out.serviceful.update(path for path, _ in pages[before:])
            out.inputs.update(self.page_inputs(site))
            before = len(pages)
            feeds = self._event_pages(site, pages)
            out.eventful.update(path for path, _ in pages[before:])
            out.eventful.update(feeds)
            kept = set(carried.others) if carried is not None else set()
        national = {id(compiled) for _, compiled in self.compiled}
        # A county's own page may take a national page's path: the sink hears of the last.
        last = {path: n for n, (path, _) in enumerate(pages)}
        last.update((path, -1) for path in feeds if path in last)  # a feed takes it after
        if sink is not None:
            filled = {} if filled is None else filled
            sink.planned(out, [*last, *(path for path in feeds if path not in last)], filled)
        for n, (path, source) in enumerate(pages):
            if carried is not None and (path in carried.national or path in kept):
                out.carry(path)
                if filled is not None:
                    filled.pop(path, None)
                continue
            # A service page is rendered only now: the national pages before it are with the
            # gate meanwhile (a county's nightly renders some 1,200 of them).
            info, compiled = source() if callable(source) else source
            if info.output_path != path:
                raise RuntimeError(f"{path} was planned, {info.output_path} was rendered")
            fragment = partial(self.fragment, site, info, cache=cache)
            out[info.output_path] = fill(compiled, fragment)
            if any(name in DATA_SLOTS for name in compiled.slots):
                if any(name in EVENT_SLOTS for name in compiled.slots):
                    out.eventful.add(info.output_path)
                if any(name in SERVICE_SLOTS for name in compiled.slots):
                    out.serviceful.add(info.output_path)
                out.fills[info.output_path] = fills_hash(
                    fragment(name) for name in compiled.slots if name in DATA_SLOTS
                )
            if filled is not None:
                if id(compiled) in national:
                    filled[info.output_path] = tuple(fragment(name) for name in compiled.slots)
                else:
                    filled.pop(info.output_path, None)  # a county's own page in its place
            if sink is not None and last[info.output_path] == n:
                sink.made(info.output_path)
        for path, feed in feeds.items():
            if feed is None:
                out.carry(path)
            else:
                out[path] = feed
        if filled is not None:
            for path in feeds:
                filled.pop(path, None)
        return out, problems

    def _event_pages(self, site: Site, pages: list[tuple[str, PageSource]]) -> dict[str, str]:
        """Add a county's calendars and event pages to ``pages``; its iCalendar feeds."""
        found = self.site_events(site)
        if found is None or site.area is None or not found.shown:
            return {}
        rendered, feeds = self.event_pages.pages(site.slug, site.area.region, found, site.base_url)
        pages.extend(
            (page.info.output_path, (page.info, compile_page(page.html))) for page in rendered
        )
        return feeds


def _page_of(
    rendered: Callable[[], Mapping[str, tuple[PageInfo, CompiledPage]]], path: str
) -> tuple[PageInfo, CompiledPage]:
    """The page ``path`` of pages rendered together."""
    return rendered()[path]


# --- the slot registry ----------------------------------------------------------------------
# Each slot's own context, one function per slot. A new slot is a template
# ``slots/<name>.html`` and one function here; a page naming a slot that is not registered
# stops the build.


@dataclass(frozen=True)
class Fill:
    """What a slot's context provider is asked for: the site, the page and the shared values."""

    site: Site
    info: PageInfo
    shared: dict[str, Any]
    """The values every fragment gets (``lang``, ``root``, ``area_name``...)."""

    @property
    def lang(self) -> Lang:
        return self.info.lang

    @property
    def region(self) -> Region | None:
        return self.site.area.region if self.site.area else None


SlotContext = Callable[[Specialiser, Fill], dict[str, Any]]


@dataclass(frozen=True)
class SlotProvider:
    context: SlotContext
    per_page: bool
    """True when the fragment depends on the page itself, not only on language and depth."""
    searched: bool = True
    """False for a slot outside every ``data-pagefind-body`` of the templates: its fill is
    marked so the search index's key leaves it out (:data:`pipeline.site.slots.UNSEARCHED`)."""


SLOTS: dict[str, SlotProvider] = {}
"""Slot name -> its context provider."""


def slot(
    name: str, *, per_page: bool = False, searched: bool = True
) -> Callable[[SlotContext], SlotContext]:
    """Register the context provider of the slot ``name``."""

    def register(function: SlotContext) -> SlotContext:
        if name in SLOTS:
            raise ValueError(f"slot '{name}' is registered twice")
        SLOTS[name] = SlotProvider(function, per_page, searched)
        return function

    return register


def _no_context(spec: Specialiser, fill: Fill) -> dict[str, Any]:
    return {}


for _name in ("site-title", "base-url", "identity"):
    slot(_name)(_no_context)


@slot("head", per_page=True)
def _head(spec: Specialiser, fill: Fill) -> dict[str, Any]:
    base = fill.site.base_url
    alternates = sorted(fill.info.alternates.items(), key=lambda i: LANGUAGES.index(i[0]))
    return {
        "canonical": urls.absolute(base, fill.info.url),
        "alternates": [
            {"lang": other, "href": urls.absolute(base, url)} for other, url in alternates
        ],
        "x_default": base,
    }


def _in_order(languages: list[Lang] | list[Literal["fi", "sv"]]) -> list[str]:
    """Languages in the sites' order (fi, sv, en), for the "we answer in" notes."""
    return [lang for lang in LANGUAGES if lang in languages]


@slot("help", searched=False)
def _help(spec: Specialiser, fill: Fill) -> dict[str, Any]:
    """The help panel: the county's contacts (samples labelled), or where to find them, and the
    national numbers of the page's language, each with its source and the date it was checked."""
    lang, region = fill.lang, fill.region
    gettext = spec._gettext(lang)  # named so that pybabel extract finds the messages
    help_ = region.help if region else None
    hidden = set(help_.hide_national) if help_ else set()
    phones = [spec._phone(p, lang, region) for p in help_.phones] if help_ else []
    contact_page = help_.contact_page if help_ else None
    contacts = [*help_.phones, *help_.chats] if help_ else []
    return {
        "has_area": region is not None,
        "phones": phones,
        "chats": [
            {
                "name": chat.name.get(lang),
                "url": chat.url,
                "sample": chat.sample,
                "hours": [format_hours(h, lang) for h in chat.hours],
            }
            for chat in (help_.chats if help_ else [])
        ],
        "has_samples": any(c.sample for c in contacts),
        "has_verified_phone": any(not p["sample"] for p in phones),
        "contact_page": contact_page.url if contact_page and not contact_page.sample else None,
        "area_contacts_heading": (
            gettext("Contacts in %(area)s", area=fill.shared["area_name"]) if region else ""
        ),
        "national": [
            {
                "name": entry.name.get(lang),
                "number": entry.number,
                "tel": tel(entry.number),
                "sample": False,
                "hours": [entry.hours.get(lang)] if entry.hours else [],
                "note": entry.note.get(lang) if entry.note else None,
                "serves": _in_order(entry.serves),
                "source": entry.source,
                "checked": format_date(entry.checked, lang),
            }
            for entry in spec.project.config.extra.national_help
            if entry.id not in hidden and lang in entry.languages
        ],
    }


@slot("area-nav")
@slot("footer", searched=False)
def _area_nav(spec: Specialiser, fill: Fill) -> dict[str, Any]:
    site, lang = fill.site, fill.lang
    gettext = spec._gettext(lang)  # named so that pybabel extract finds the messages
    return {
        "area_pages": spec._area_pages(site, lang),
        "municipalities_url": (
            urls.municipalities(lang) if spec.site_services(site).municipal else None
        ),
        "calendar_url": urls.calendar(lang)
        if (found := spec.site_events(site)) and found.shown
        else None,
        "area_pages_heading": (
            gettext("Your area: %(area)s", area=fill.shared["area_name"]) if fill.region else ""
        ),
        "areas": spec._area_links(lang) if site.area is None else [],
    }


@slot("services", per_page=True)
def _services(spec: Specialiser, fill: Fill) -> dict[str, Any]:
    matches = spec.site_services(fill.site).by_article.get(fill.info.article_id or "", [])
    block = spec.services.block(matches, fill.lang, fill.region)
    root = fill.shared["root"]
    block["cards"] = [
        spec.service_card(fill.site, item, fill.lang, root) for item in block["services"]
    ]
    return block


@slot("activities", per_page=True)
def _activities(spec: Specialiser, fill: Fill) -> dict[str, Any]:
    """The county's activities and events that match the article, and its calendar link."""
    found = spec.site_events(fill.site)
    return spec.event_pages.block(found, fill.info.article_id or "", fill.lang)


@slot("statement-status")
def _statement_status_slot(spec: Specialiser, fill: Fill) -> dict[str, Any]:
    return spec._statement_status(fill.site, fill.lang)


@slot("statement-authority")
def _statement_authority(spec: Specialiser, fill: Fill) -> dict[str, Any]:
    authority = spec.project.config.extra.accessibility.authority
    return {
        "authority": authority,
        "authority_name": authority.name.get(fill.lang),
        "authority_tel": tel(authority.phone),
    }


@slot("statement-feedback")
def _statement_feedback(spec: Specialiser, fill: Fill) -> dict[str, Any]:
    return {
        "feedback": fill.region.feedback if fill.region else None,
        "national_feedback": spec.project.config.extra.feedback_email,
    }


@slot("privacy-controller")
def _privacy_controller(spec: Specialiser, fill: Fill) -> dict[str, Any]:
    """Who the privacy notice names as controller: the county on its own site, linking its
    contact page only when the county file gives a confirmed one (a sample is never linked);
    on the national site the maintainer of ``extra.maintainer``, which may not be named yet."""
    region = fill.region
    if region is not None:
        page = region.help.contact_page
        return {
            "county": True,
            "name": region.name.get(fill.lang),
            "named": True,
            "contact_url": page.url if page and not page.sample else None,
        }
    maintainer = spec.project.config.extra.maintainer
    return {
        "county": False,
        "name": maintainer.name.get(fill.lang),
        "named": maintainer.named,
        "contact_url": maintainer.url,
    }


@slot("municipality-picker")
def _municipality_picker(spec: Specialiser, fill: Fill) -> dict[str, Any]:
    """The municipalities to choose from: a county's own, linking to their pages on its site
    (or to its home when it has none); on the national site every county's, leading to the
    county's site."""
    site, lang = fill.site, fill.lang
    if site.area is not None:
        own_pages = bool(spec.site_services(site).municipal)
        sites = [(site.area, fill.shared["root"], own_pages)]
    else:
        sites = [
            (area, site_for(spec.project, slug, spec.base_override).base_url, area.region.adopted)
            for slug, area in sorted(spec.project.areas.items(), key=lambda i: i[1].region.name.fi)
        ]
    counties = []
    for area, base, own_pages in sites:
        region = area.region
        municipalities = []
        for m in region.municipalities:
            slug = urls.slugify(m.name["fi"])
            name = spec.services.municipality_name(m.code, lang)
            municipalities.append(
                {
                    "code": m.code,
                    "slug": slug,
                    "name": name,
                    # The other official name, so either finds it (Porvoo, Borgå).
                    "fi": m.name["fi"] if m.name["fi"] != name else None,
                    "sv": m.name["sv"] if m.name.get("sv", m.name["fi"]) != m.name["fi"] else None,
                    "href": base
                    + (urls.municipality(lang, slug) if own_pages else urls.home(lang)),
                }
            )
        counties.append(
            {
                "name": (region.short_name or region.name).get(lang),
                "site": base,
                "pages": own_pages,
                "municipalities": sorted(municipalities, key=lambda m: m["name"]),
            }
        )
    return {"counties": counties, "national": site.area is None}


@slot("service-fallback", searched=False)
def _service_fallback(spec: Specialiser, fill: Fill) -> dict[str, Any]:
    """The county family centre's contacts on a service page PTV gives no way to reach (see
    ``ServiceViews.reachable``); a sample contact is shown as a sample, never as a number."""
    help_ = fill.region.help if fill.region else None
    if help_ is None:
        return {"phones": [], "contact_page": None}
    page = help_.contact_page
    return {
        "phones": [
            {**spec._phone(p, fill.lang), "sample": p.sample} | ({"tel": None} if p.sample else {})
            for p in help_.phones
        ],
        "contact_page": {"url": page.url, "sample": page.sample} if page else None,
    }
