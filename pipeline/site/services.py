"""PTV services on the sites: the services block of articles, service pages, municipality pages.

Input: the project (with its PTV dataset), the renderer (page shell and catalogues), and a
site's area. Output: the view data of the ``services`` slot of each article, and the rendered
service and municipality pages of a site (slots still to fill, like every other page).

A service page depends only on the service and the language, so it is rendered once and
shared by every site that shows it. Text from PTV is untrusted: it arrives clean of control and
invisible characters (:mod:`pipeline.sources.ptv.normalise`), reaches HTML only through
Jinja2's autoescaping, links only when they are http(s) web addresses, ``tel:`` links only as
digits that are a phone number, and ``mailto:`` links only for e-mail addresses; anything else
is shown as text. Links that would read the same but go to different places (two services with
the same name, two web pages both called "Verkkosivu") get a detail in their text, so no value
from PTV can trip the gate's rule on link purpose. A text shown in another language than the
page's carries its own ``lang`` and a note.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from functools import cached_property
from typing import Any
from urllib.parse import urlsplit

from babel import Locale

from pipeline.cache import digest
from pipeline.content.load import Project
from pipeline.content.models import LANGUAGES, Area, Lang, Region
from pipeline.match import (
    Match,
    Offer,
    Reason,
    audience_reason,
    match_article,
    offer_on,
    offered_on,
    site_hidden,
    topic_reasons,
)
from pipeline.site import urls
from pipeline.site.i18n import format_date, format_day_range, format_short_date, format_time_range
from pipeline.site.render import PageInfo, RenderedPage, Renderer
from pipeline.site.search import search_terms
from pipeline.sources.ptv.model import (
    Address,
    Channel,
    DayHours,
    Hours,
    Link,
    Service,
    Texts,
    pick,
)
from pipeline.sources.ptv.snapshot import Dataset

CHANNEL_ORDER = ("ServiceLocation", "Phone", "EChannel", "WebPage", "PrintableForm", "Other")
BULLET = re.compile(r"^\s*[•\-\*–]\s+")
FAMILY_GROUPS = {"KR1.2", "KR1.3"}
COMPACT_AFTER = 4
"""More municipal services than this on one article are listed compactly by municipality."""
REACH_TYPES = ("EChannel", "PrintableForm")
"""Channels whose links are a way to get the service (an e-service, booking, a form)."""
SUOMI_FI = {
    "fi": "https://www.suomi.fi/palvelut/{id}",
    "sv": "https://www.suomi.fi/tjanster/{id}",
    "en": "https://www.suomi.fi/services/{id}",
}


def blocks(text: str) -> list[dict[str, Any]]:
    """Paragraphs and bullet lists of a PTV text (plain text with blank lines and "• ")."""
    result: list[dict[str, Any]] = []
    for chunk in re.split(r"\n\s*\n", text.replace("\r\n", "\n").strip()):
        lines = [line.strip() for line in chunk.split("\n") if line.strip()]
        paragraph: list[str] = []
        items: list[str] = []
        for line in lines:
            if BULLET.match(line):
                if paragraph:
                    result.append({"kind": "p", "lines": paragraph})
                    paragraph = []
                items.append(BULLET.sub("", line))
            else:
                if items:
                    result.append({"kind": "ul", "items": items})
                    items = []
                paragraph.append(line)
        if paragraph:
            result.append({"kind": "p", "lines": paragraph})
        if items:
            result.append({"kind": "ul", "items": items})
    return result


def merge_days(days: Iterable[DayHours]) -> list[DayHours]:
    """Join consecutive days with the same hours: Mon 8-16, Tue 8-16, Wed 8-16 -> Mon-Wed 8-16."""
    merged: list[DayHours] = []
    for day in days:
        last = merged[-1] if merged else None
        if (
            last is not None
            and (last.opens, last.closes) == (day.opens, day.closes)
            and (last.day_to if last.day_to is not None else last.day_from) + 1 == day.day_from
        ):
            merged[-1] = replace(
                last, day_to=day.day_to if day.day_to is not None else day.day_from
            )
        else:
            merged.append(day)
    return merged


def links_in(links: Iterable[Link], lang: str) -> list[Link]:
    """The valid links of the page's language, else of the first fallback language that has
    some (PTV lists a channel's web page once per language), each address once."""
    valid = [link for link in links if link.valid]
    chosen = [link for link in valid if link.lang not in LANGUAGES]
    for candidate in (lang, "fi", "sv", "en"):
        in_language = [link for link in valid if link.lang == candidate]
        if in_language:
            chosen = in_language
            break
    return list({link.url: link for link in chosen}.values())


def _folded(text: str) -> str:
    """Text as the gate compares link names: case and spacing ignored."""
    return " ".join(text.casefold().split())


def distinguish(items: list[dict[str, Any]]) -> None:
    """Number the services of one page that have the same name and place but are different
    services (``detail`` 2, 3, ...), so each link says where it goes (WCAG 2.4.4; the gate
    checks it). Lists show the place next to each name, so the same name alone is told apart.
    """
    groups: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for item in items:
        key = (_folded(item["name"]["value"]), _folded(item["where"]))
        groups.setdefault(key, []).append(item)
    for group in groups.values():
        urls_seen: list[str] = []
        for item in group:
            if item["url"] not in urls_seen:
                urls_seen.append(item["url"])
            number = urls_seen.index(item["url"]) + 1
            item["detail"] = str(number) if number > 1 else None


def _link_name(channel: dict[str, Any], link: dict[str, Any]) -> str:
    """What the gate compares of a channel link: its text and the host shown after it."""
    if channel["type"] == "EChannel":
        return "e-service: " + _folded(channel["name"]["value"] if channel["name"] else "")
    return _folded(f"{link['label'] or link['url']} {link['host'] or ''}")


def distinct_links(channels: list[dict[str, Any]]) -> None:
    """On one service page: links that would read the same but go to different places get
    their address in the text, and addresses that read the same share one map link."""
    targets: dict[str, set[str]] = {}
    for channel in channels:
        for link in channel["links"]:
            targets.setdefault(_link_name(channel, link), set()).add(link["url"])
    for channel in channels:
        for link in channel["links"]:
            if len(targets[_link_name(channel, link)]) > 1:
                link["detail"] = link["url"]
    maps: dict[str, str] = {}
    for channel in channels:
        for address in channel["addresses"]:
            if address["map_url"]:
                key = _folded(", ".join(address["lines"]))
                address["map_url"] = maps.setdefault(key, address["map_url"])


@dataclass(frozen=True)
class SiteServices:
    """The services one site shows: per article, and everything with a page."""

    by_article: dict[str, list[Match]]
    pages: dict[str, Service]
    """Services that get a page on the site, by id."""
    municipal: dict[str, list[Service]]
    """For an adopted county: the family services offered in each municipality, by code."""


ServicesRecord = tuple[
    dict[str, list[tuple[str, Offer, tuple[Reason, ...]]]], list[str], dict[str, list[str]]
]
"""A site's :class:`SiteServices` by service id (kept in the build cache: the services
themselves are the dataset's)."""


def services_record(found: SiteServices) -> ServicesRecord:
    return (
        {
            article: [(m.service.id, m.offer, m.reasons) for m in matches]
            for article, matches in found.by_article.items()
        },
        list(found.pages),
        {code: [s.id for s in services] for code, services in found.municipal.items()},
    )


def services_from(record: ServicesRecord, services: Mapping[str, Service]) -> SiteServices | None:
    """The :class:`SiteServices` of a record, with the dataset's services; None when the
    dataset lacks one of them."""
    by_article, pages, municipal = record
    try:
        return SiteServices(
            {
                article: [Match(services[i], offer, reasons) for i, offer, reasons in matches]
                for article, matches in by_article.items()
            },
            {i: services[i] for i in pages},
            {code: [services[i] for i in ids] for code, ids in municipal.items()},
        )
    except KeyError:
        return None


def site_services(project: Project, area: Area | None) -> SiteServices:
    """The services one site shows: matched per article, and for an adopted county also the
    family services of each municipality (pure)."""
    region = area.region if area else None
    hidden = site_hidden(region)
    services = [s for s in project.services.services.values() if s.id not in hidden]
    offered = offered_on(services, region)
    by_article = {
        group.id: match_article(group.id, group.source.meta.services, offered, region)
        for group in project.articles.values()
    }
    pages = {m.service.id: m.service for matches in by_article.values() for m in matches}
    municipal: dict[str, list[Service]] = {}
    if region is not None and region.adopted:
        matched = set(pages)
        for m in region.municipalities:
            municipal[m.code] = []
        for service in services:
            offer = offered.offers.get(service.id)
            if offer is None or offer.scope == "nationwide":
                continue
            if service.id not in matched and not (set(service.target_groups) & FAMILY_GROUPS):
                continue
            codes = offer.municipalities or tuple(municipal)
            for code in codes:
                municipal.setdefault(code, []).append(service)
            pages[service.id] = service
    return SiteServices(by_article, pages, municipal)


class ServiceViews:
    """Builds the services' view data and pages for every site of one build."""

    def __init__(self, project: Project, renderer: Renderer) -> None:
        self.project = project
        self.renderer = renderer
        self.dataset = project.services
        self._pages: dict[tuple[str, str], RenderedPage] = {}
        self._items: dict[tuple[str, str], dict[str, Any]] = {}
        self._items_of: str | None = None
        """The county whose services' list items :attr:`_items` holds."""
        self._page_keys: dict[str, str | None] = {}
        """Each service's :func:`page_key` (a service is listed on many municipality pages)."""

    @cached_property
    def sensitive_themes(self) -> set[str]:
        """Themes whose every article has quick exit (violence and crises), as the theme pages
        decide it."""
        exits: dict[str, list[bool]] = {}
        for group in self.project.articles.values():
            for theme in group.themes:
                exits.setdefault(theme, []).append(group.source.meta.quick_exit)
        return {theme for theme, flags in exits.items() if all(flags)}

    # --- names of places ----------------------------------------------------------------------

    @cached_property
    def municipality_names(self) -> dict[str, dict[str, str]]:
        names: dict[str, dict[str, str]] = {}
        for area in self.project.areas.values():
            for m in area.region.municipalities:
                names[m.code] = {str(code): text for code, text in m.name.items()}
        return names

    @cached_property
    def county_names(self) -> dict[str, Region]:
        return {area.region.code: area.region for area in self.project.areas.values()}

    def known(self, code: str) -> bool:
        """Whether a municipality code is in the county list."""
        return code in self.municipality_names

    def municipality_name(self, code: str, lang: str) -> str:
        names = self.municipality_names.get(code, {})
        return names.get(lang) or names.get("fi") or code

    def where(self, service: Service, lang: str, region: Region | None = None) -> str:
        """Where a service is offered, in the page's language."""
        if service.scope == "nationwide":
            return self.renderer.translate(lang, "All of Finland")
        counties = [
            self.county_names[c] for c in sorted(service.counties) if c in self.county_names
        ]
        if region is not None and region.code in service.counties:
            counties = [region]
        if counties:
            return ", ".join((r.short_name or r.name).get(lang) for r in counties)
        codes = sorted(service.municipalities)
        if region is not None:
            mine = {m.code for m in region.municipalities}
            codes = [c for c in codes if c in mine] or codes
        # A code the county list does not know is reported (county report), never shown raw.
        names = sorted(self.municipality_name(c, lang) for c in codes if self.known(c))
        if len(names) > 6:
            return self.renderer.translate(
                lang,
                "%(places)s and %(count)s other municipalities",
                places=", ".join(names[:5]),
                count=str(len(names) - 5),
            )
        return ", ".join(names)

    # --- matching per site --------------------------------------------------------------------

    def site_services(self, area: Area | None) -> SiteServices:
        return site_services(self.project, area)

    # --- view data ----------------------------------------------------------------------------

    def text(self, texts: Texts, lang: str) -> dict[str, Any] | None:
        found = pick(texts, lang)
        if found is None:
            return None
        return {"value": found.value, "lang": found.lang if found.lang != lang else None}

    def gloss(self, service: Service, lang: str) -> str | None:
        """The name of the service's class in the page's language, for a service whose name is
        not in it (a Finnish-only name on a Swedish page): "Äitiysneuvola (Mödrarådgivning)"."""
        if lang in service.names:
            return None
        labels = self.renderer.class_labels(service.service_classes, lang)
        return next((label.strip() for label in labels if label and label.strip()), None)

    def item(self, service: Service, lang: str, region: Region | None) -> dict[str, Any]:
        """One service in a list (article block, municipality page): its name, place, the
        first phone and the address of its location in the area, and the municipalities it
        is for (``data-municipality``, for the municipality picker)."""
        offer = offer_on(service, region)
        codes = list(offer.municipalities) if offer else []
        reach = self.reach(service, lang, region)
        if not codes and reach["municipality"]:
            codes = [reach["municipality"]]
        return {
            "url": urls.service(lang, service.id),
            "name": self.text(service.names, lang),
            "gloss": self.gloss(service, lang),
            "summary": self.text(service.summaries, lang),
            "where": self.where(service, lang, region),
            "detail": None,
            "phone": reach["phone"],
            "address": reach["address"],
            "municipalities": " ".join(c for c in codes if self.known(c)),
        }

    def reach(self, service: Service, lang: str, region: Region | None) -> dict[str, Any]:
        """The first phone and visiting address of a service for a card: of its location in
        the site's area first, else of any of its channels."""
        found = [self.dataset.channels[c] for c in service.channels if c in self.dataset.channels]
        mine = {m.code for m in region.municipalities} if region else set()
        located = [
            (channel, address)
            for channel in found
            for address in channel.addresses
            if address.kind == "visiting"
        ]
        located.sort(key=lambda pair: pair[1].municipality not in mine)
        channel, address = located[0] if located else (None, None)
        phones = [p for c in ([channel] if channel else []) + found for p in c.phones]
        phone = next((p for p in phones if p.kind != "Fax"), None)
        return {
            "phone": (
                {"number": phone.number, "tel": phone.tel, "lang": phone.lang} if phone else None
            ),
            "address": self.address(address, lang) if address else None,
            "municipality": address.municipality if address else None,
        }

    def block(self, matches: Iterable[Match], lang: str, region: Region | None) -> dict[str, Any]:
        """The context of an article's ``services`` slot.

        When many municipalities each have their own service (early childhood education in
        every municipality), those go in a compact list by municipality after the county's and
        nationwide services, so a phone user does not scroll past twenty similar cards.
        """
        matches = list(matches)
        municipal = [m for m in matches if m.offer.scope == "municipal" and not m.pinned]
        if len(municipal) <= COMPACT_AFTER:
            municipal = []
        # By identity: comparing matches field by field, each with each, was a second per site.
        compacted = {id(m) for m in municipal}
        cards = [self._item(m.service, lang, region) for m in matches if id(m) not in compacted]
        compact = sorted(
            (self._item(m.service, lang, region) for m in municipal),
            key=lambda item: (item["where"].casefold(), item["name"]["value"].casefold()),
        )
        distinguish(cards + compact)
        note = self.data_note(lang, (m.service for m in matches))
        return {"services": cards, "by_municipality": compact, **note}

    def _item(self, service: Service, lang: str, region: Region | None) -> dict[str, Any]:
        """:meth:`item`, made once per service and language for the county of the site
        specialised now; a copy, whose ``detail`` the page's list may set."""
        county = region.code if region else None
        if county != self._items_of:
            self._items.clear()
            self._items_of = county
        key = (service.id, lang)
        if key not in self._items:
            self._items[key] = self.item(service, lang, region)
        return dict(self._items[key])

    def data_note(self, lang: str, services: Iterable[Service]) -> dict[str, Any]:
        """The date of the data shown (the oldest fetch among these services and their
        channels) and whether any of it is sample data, which the page must then say."""
        ids = [i for s in services for i in (s.id, *s.channels, *s.organisations)]
        fetched = self.dataset.oldest_among(ids)
        return {
            "fetched": format_date(fetched.date(), lang) if fetched else None,
            "synthetic": self.dataset.sample_among(ids),
        }

    def hours(self, hours: Hours, lang: str) -> list[str]:
        """Opening hours as lines: "ma–pe 8.00–16.00", "24.12.2026: suljettu"."""
        translate = self.renderer.translate
        prefix = ""
        if hours.valid_from and hours.kind == "exceptional":
            prefix = format_short_date(hours.valid_from, lang)
            if hours.valid_to and hours.valid_to != hours.valid_from:
                prefix += "–" + format_short_date(hours.valid_to, lang)
            prefix += ": "
        if hours.always_open:
            lines = [translate(lang, "always open")]
        elif hours.closed or not hours.days:
            lines = [translate(lang, "closed")]
        else:
            lines = [
                format_day_range(d.day_from, d.day_to, lang)
                + " "
                + (
                    format_time_range(d.opens, d.closes, lang)
                    if d.opens and d.closes
                    else translate(lang, "closed")
                )
                for d in merge_days(hours.days)
            ]
        lines[0] = prefix + lines[0]
        if hours.reservation:
            lines[-1] += " " + translate(lang, "(by appointment)")
        info = pick(hours.info, lang)
        if info and info.lang == lang:
            lines[-1] += f" – {info.value}"
        return lines

    def address(self, address: Address, lang: str) -> dict[str, Any]:
        """An address as lines, with a map link (OpenStreetMap, a plain https link that loads
        nothing until followed) and a ``geo:`` link that opens the phone's own map app."""
        street = pick(address.street, lang)
        office = pick(address.post_office, lang)
        line1 = " ".join(x for x in (street.value if street else None, address.number) if x)
        line2 = " ".join(
            x for x in (address.postal_code, office.value.upper() if office else None) if x
        )
        lat, lon = address.lat, address.lon
        point = lat is not None and lon is not None
        return {
            "postal": address.kind == "postal",
            "lines": [x for x in (line1, line2) if x],
            "lang": street.lang if street and street.lang != lang else None,
            "map_url": (
                f"https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map=17/{lat}/{lon}"
                if point
                else None
            ),
            "geo": f"geo:{lat},{lon}" if point else None,
            "lat": lat,
            "lon": lon,
            "municipality": (
                address.municipality
                if address.municipality and self.known(address.municipality)
                else None
            ),
            "entrances": [
                {
                    "main": entrance.main,
                    "groups": [
                        {
                            "title": self.text(group.title, lang),
                            "sentences": [
                                found for t in group.sentences if (found := self.text(t, lang))
                            ],
                        }
                        for group in entrance.accessibility
                    ],
                }
                for entrance in address.entrances
                if entrance.accessibility
            ],
        }

    def language_names(self, codes: Iterable[str], lang: str) -> list[str]:
        """Languages by their names in the page's language: ``["fi", "sv"]`` -> "suomi,
        ruotsi"."""
        names = Locale.parse(lang).languages
        return [names.get(code, code) for code in codes]

    def channel(self, channel: Channel, lang: str) -> dict[str, Any]:
        addresses = [self.address(a, lang) for a in channel.addresses]
        visiting = next((a for a in addresses if not a["postal"]), None)
        summary = self.text(channel.summaries, lang)
        description = self.description(channel.descriptions, lang)
        if (
            description
            and summary
            and channel.descriptions.get(description["lang"] or lang)
            == channel.summaries.get(summary["lang"] or lang)
        ):
            description = None
        served = {p.lang for p in channel.phones if p.lang}
        regular = [h for h in channel.hours if h.kind != "exceptional"]
        exceptional = [h for h in channel.hours if h.kind == "exceptional"]
        return {
            "type": channel.type,
            "name": self.text(channel.names, lang),
            "summary": summary,
            "description": description,
            "languages": self.language_names(channel.served_languages, lang),
            "addresses": addresses,
            "municipality": visiting["municipality"] if visiting else None,
            "lat": visiting["lat"] if visiting else None,
            "lon": visiting["lon"] if visiting else None,
            "phones": [
                {
                    "number": p.number,
                    "tel": p.tel,
                    "info": p.info,
                    "charge": p.charge,
                    "charge_type": p.charge_type,
                    "service_number": p.service_number,
                    "lang": p.lang if p.lang and p.lang != lang else None,
                    # Which language the line serves: said when it is not the page's, or
                    # when the channel has lines in several languages.
                    "serves": p.lang if p.lang and (p.lang != lang or len(served) > 1) else None,
                }
                for p in channel.phones
                if p.kind != "Fax"
            ],
            "emails": [{"address": e.address, "valid": e.valid} for e in channel.emails],
            "links": [
                {
                    "url": link.url,
                    "label": link.label,
                    "host": _host(link.url) if link.label else None,
                    "lang": link.lang if link.lang and link.lang != lang else None,
                    "detail": None,
                }
                for link in links_in(channel.links, lang)
            ],
            "hours": [line for h in regular for line in self.hours(h, lang)],
            "exceptional": [line for h in exceptional for line in self.hours(h, lang)],
            "requires_authentication": channel.requires_authentication,
        }

    def producers(self, service: Service, lang: str) -> list[dict[str, Any]]:
        """The producing organisations, other than the responsible one already shown (its
        name from the organisation itself when it was fetched, in the page's language)."""
        organisations = self.dataset.organisations
        found = []
        for producer in service.producers:
            if producer.organisation in service.organisations[:1] and not producer.info:
                continue
            known = organisations.get(producer.organisation or "")
            name = self.text(known.names, lang) if known else None
            if name is None and producer.name:
                name = {"value": producer.name, "lang": None}
            found.append({"name": name, "info": self.text(producer.info, lang)})
        return found

    def reachable(self, service: Service) -> bool:
        """Whether PTV gives a way to reach the service: a phone, a visiting address, opening
        hours, or an e-service, booking or form link."""
        for ident in service.channels:
            channel = self.dataset.channels.get(ident)
            if channel is None:
                continue
            if any(p.kind != "Fax" for p in channel.phones) or channel.hours:
                return True
            if any(a.kind == "visiting" for a in channel.addresses):
                return True
            if channel.type in REACH_TYPES and any(link.valid for link in channel.links):
                return True
        return False

    def channels(self, service: Service, lang: str) -> list[dict[str, Any]]:
        found = [self.dataset.channels[c] for c in service.channels if c in self.dataset.channels]
        found.sort(key=lambda c: CHANNEL_ORDER.index(c.type))
        views = [self.channel(c, lang) for c in found]
        distinct_links(views)
        return views

    def description(self, texts: Texts, lang: str) -> dict[str, Any] | None:
        found = pick(texts, lang)
        if found is None:
            return None
        return {
            "blocks": blocks(found.value),
            "lang": found.lang if found.lang != lang else None,
        }

    # --- what a page is made from ---------------------------------------------------------------

    def page_key(self, service: Service) -> str | None:
        """:func:`page_key` in this build's dataset, worked out once per service."""
        if service.id not in self._page_keys:
            self._page_keys[service.id] = page_key(self.dataset, service)
        return self._page_keys[service.id]

    def municipality_keys(self, area: Area, site: SiteServices) -> dict[str, str] | None:
        """The key of what each municipality page of ``area`` is made from (the keys of the
        services it lists, :meth:`page_key`; for the list of municipalities, how many each
        has), by output path; None when a service's key is unknown."""
        keys: dict[str, str] = {}
        counts = digest(*(f"{code}:{len(found)}" for code, found in sorted(site.municipal.items())))
        for _, code, path in municipality_paths(area):
            if code is None:
                keys[path] = counts
                continue
            parts = [self.page_key(s) for s in site.municipal.get(code, [])]
            if None in parts:
                return None
            keys[path] = digest(code, *(part or "" for part in parts))
        return keys

    # --- pages --------------------------------------------------------------------------------

    def service_page(self, service: Service, lang: Lang) -> RenderedPage:
        key = (service.id, lang)
        if key in self._pages:
            return self._pages[key]
        page = self._render_service(service, lang)
        if service.scope == "nationwide":  # on every site; the others on one (see above)
            self._pages[key] = page
        return page

    def _render_service(self, service: Service, lang: Lang) -> RenderedPage:
        url = urls.service(lang, service.id)
        alternates = {other: urls.service(other, service.id) for other in LANGUAGES}
        name = self.text(service.names, lang) or {"value": service.id, "lang": None}
        renderer = self.renderer
        context = renderer.context(url, lang, "service", name["value"], alternates)
        organisation = next(
            (
                self.project.services.organisations[o]
                for o in service.organisations
                if o in self.project.services.organisations
            ),
            None,
        )
        context.update(
            name=name,
            summary=self.text(service.summaries, lang),
            description_text=self.description(service.descriptions, lang),
            instructions=self.description(service.instructions, lang),
            where=self.where(service, lang),
            gloss=self.gloss(service, lang),
            organisation=self.text(organisation.names, lang) if organisation else None,
            producers=self.producers(service, lang),
            requirements=self.description(service.requirements, lang),
            service_languages=self.language_names(service.served_languages, lang),
            reachable=self.reachable(service),
            channels=self.channels(service, lang),
            suomi_fi=SUOMI_FI[lang].format(id=service.id),
            modified=format_date(service.modified.date(), lang) if service.modified else None,
            **self.data_note(lang, [service]),
        )
        summary = context["summary"]
        context["description"] = summary["value"] if summary and not summary["lang"] else ""
        # The exit bar where the service matches (or a county pins it to) an article of the
        # sensitive themes (violence and crises: themes of quick exit articles only), on any
        # site: the page is shared by every site that shows it. Broader quick exit articles
        # (bullying, a teenager's mental health) match clinics that are not sensitive.
        sensitive = self.sensitive_themes
        exits = {
            g.id: g.source.meta.services
            for g in self.project.articles.values()
            if g.source.meta.quick_exit and g.primary_theme in sensitive
        }
        context["quick_exit"] = any(
            filters is not None
            and bool(topic_reasons(service, filters))
            and audience_reason(service, filters) is not None
            for filters in exits.values()
        ) or any(
            pin.service == service.id and pin.article in exits
            for area in self.project.areas.values()
            for pin in area.region.services.pin
        )
        context["search_terms"] = search_terms(
            [
                service.names.get(lang, ""),
                service.summaries.get(lang, ""),
                service.descriptions.get(lang, ""),
            ],
            lang,
            renderer.splitter,
            [
                *service.keywords.get(lang, ()),
                *renderer.class_labels(service.service_classes, lang),
            ],
        )
        # Municipal services can be filtered by municipality in the search.
        context["search_municipalities"] = (
            sorted(self.municipality_name(c, lang) for c in service.municipalities)
            if service.scope == "limited"
            and not service.counties
            and len(service.municipalities) <= 6
            else []
        )
        html = renderer.envs[lang].get_template("service.html").render(context)
        return RenderedPage(PageInfo(url, lang, "service", name["value"], alternates), html)

    def municipality_pages(self, area: Area, site: SiteServices) -> list[RenderedPage]:
        region = area.region
        pages = []
        by_slug = {m.code: urls.slugify(m.name["fi"]) for m in region.municipalities}
        for lang in LANGUAGES:
            index_url = urls.municipalities(lang)
            alternates = {other: urls.municipalities(other) for other in LANGUAGES}
            title = self.renderer.translate(lang, "Services by municipality")
            context = self.renderer.context(index_url, lang, "municipalities", title, alternates)
            context["municipalities"] = [
                {
                    "url": urls.municipality(lang, by_slug[m.code]),
                    "code": m.code,
                    "name": self.municipality_name(m.code, lang),
                    "count": len(site.municipal.get(m.code, [])),
                }
                for m in sorted(
                    region.municipalities, key=lambda m: self.municipality_name(m.code, lang)
                )
            ]
            context["description"] = self.renderer.translate(
                lang, "Choose a municipality to see its family services."
            )
            html = self.renderer.envs[lang].get_template("municipalities.html").render(context)
            pages.append(
                RenderedPage(PageInfo(index_url, lang, "municipalities", title, alternates), html)
            )
            for m in region.municipalities:
                url = urls.municipality(lang, by_slug[m.code])
                name = self.municipality_name(m.code, lang)
                alternates = {
                    other: urls.municipality(other, by_slug[m.code]) for other in LANGUAGES
                }
                context = self.renderer.context(url, lang, "municipality", name, alternates)
                services = site.municipal.get(m.code, [])
                own = [
                    s
                    for s in services
                    if (offer := offer_on(s, region)) is not None and offer.scope == "municipal"
                ]
                mine = {id(s) for s in own}
                shared = [s for s in services if id(s) not in mine]
                own_items = [self.item(s, lang, region) for s in _by_name(own, lang)]
                shared_items = [self.item(s, lang, region) for s in _by_name(shared, lang)]
                distinguish(own_items + shared_items)
                context.update(
                    municipality=name,
                    own=own_items,
                    shared=shared_items,
                    area_name=(region.short_name or region.name).get(lang),
                    crumbs=[{"url": index_url, "title": title}],
                    **self.data_note(lang, services),
                )
                html = self.renderer.envs[lang].get_template("municipality.html").render(context)
                pages.append(
                    RenderedPage(PageInfo(url, lang, "municipality", name, alternates), html)
                )
        return pages


def page_key(dataset: Dataset, service: Service) -> str | None:
    """The key of the PTV items a service's page and list items are made from: the service,
    its channels and organisations, each by the hash of the raw item it was read from, and the
    date and kind of their data; None when one of them was read without the build cache
    (nothing then tells whether it changed)."""
    organisations = [*service.organisations, *(p.organisation for p in service.producers)]
    wanted = [
        ("service", service.id),
        *(("channel", c) for c in service.channels),
        *(("organization", o) for o in organisations if o),
    ]
    parts = []
    for kind, ident in wanted:
        raw = dataset.read_from.get((kind, ident))
        if raw is None and ident in dataset.store(kind):
            return None
        parts.append(f"{kind}\0{ident}\0{raw or 'missing'}")
    ids = [service.id, *service.channels, *service.organisations]
    return digest(*parts, str(dataset.oldest_among(ids)), str(dataset.sample_among(ids)))


def municipality_paths(area: Area) -> list[tuple[Lang, str | None, str]]:
    """The municipality pages of ``area`` in the order :meth:`ServiceViews.municipality_pages`
    makes them: language, municipality code (None for the list of municipalities) and output
    path."""
    found: list[tuple[Lang, str | None, str]] = []
    for lang in LANGUAGES:
        found.append((lang, None, urls.municipalities(lang) + "index.html"))
        for m in area.region.municipalities:
            url = urls.municipality(lang, urls.slugify(m.name["fi"]))
            found.append((lang, m.code, url + "index.html"))
    return found


def _host(url: str) -> str:
    """``https://www.kajaani.fi/neuvola`` -> ``kajaani.fi``: where a link goes, in short."""
    host = urlsplit(url).hostname or ""
    return host.removeprefix("www.")


def _by_name(services: list[Service], lang: str) -> list[Service]:
    def key(service: Service) -> str:
        found = pick(service.names, lang)
        return found.value.casefold() if found else ""

    return sorted(services, key=key)
