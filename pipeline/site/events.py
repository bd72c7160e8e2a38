"""Activities and events on the county sites: the article block, calendars, event pages, feeds.

Input: a county's :class:`~pipeline.sources.events.snapshot.EventsDataset` for the build date
(its upcoming items, each once, with provenance), the articles' filters, the matching rules
(``data/events/article-matching.yml``, :func:`load_rules`) and the renderer (page shell and
catalogues). Output:

- per article, the items it shows and why (:func:`site_events`, matched by
  :func:`pipeline.match.match_events`), and the context of its ``activities`` slot;
- the calendar per language, of the county and of each of its municipalities: the items by day
  (Babel dates in the page's language), the ongoing activities after them, the municipalities
  as links (filtering needs no JavaScript) and the iCalendar feed of the same items;
- one page per item and language;
- the feeds themselves (:func:`ics_feed`, written with ``icalendar``).

Every time is shown in Finnish time (Europe/Helsinki). Text from the sources is untrusted: plain
texts reach HTML only through autoescaping, descriptions were sanitised by the model (a few
harmless tags, :data:`~pipeline.sources.events.model.DESCRIPTION_TAGS`) and are the only text
marked safe, links are only the model's http(s) addresses, and a sample contact is never a
link. A text in another language than the page's carries its ``lang``; sample items say so.
Everything here is pure apart from :func:`load_rules` (reads the rules file) and the
rendering of templates.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from babel import Locale
from babel.dates import format_date as babel_format_date
from babel.dates import format_time
from icalendar import Calendar
from icalendar import Event as CalendarEvent
from markupsafe import Markup
from pydantic import ValidationError

from pipeline.content.load import Project
from pipeline.content.models import LANGUAGES, ArticleGroup, Lang, Region
from pipeline.content.vocabulary import Vocabulary
from pipeline.content.yamlfile import line_of, parse_yaml, read_text, validation_problems
from pipeline.match import (
    EventFilters,
    EventMatch,
    EventReason,
    EventRules,
    EventTopics,
    match_events,
)
from pipeline.phone import read as read_phone
from pipeline.problems import InvalidInput, Problems, did_you_mean
from pipeline.site import urls
from pipeline.site.i18n import LOCALES
from pipeline.site.render import PageInfo, RenderedPage, Renderer
from pipeline.sources.events.model import HELSINKI, Event, Occurrence, Place
from pipeline.sources.events.snapshot import EventsDataset

RULES_FILE = "data/events/article-matching.yml"
DATES_ON_PAGE = 30
"""An item's page lists at most this many of its coming dates."""
Translate = Callable[..., str]
"""``renderer.translate``: (language, message, **values) -> text in that language."""


# --- the matching rules (read once per build) ----------------------------------------------


def load_rules(root: Path, vocabulary: Vocabulary) -> EventRules:
    """The rules of ``data/events/article-matching.yml``; InvalidInput with every problem as
    ``path:line: message`` (a theme or life stage the vocabulary does not know is one)."""
    problems = Problems()
    text = read_text(root / RULES_FILE, RULES_FILE, problems)
    data = parse_yaml(text, RULES_FILE, problems) if text is not None else None
    rules = None
    if text is not None and data is None and not problems:
        problems.error(RULES_FILE, 1, "the file is empty")
    if data is not None:
        try:
            rules = EventRules.model_validate(data)
        except ValidationError as exc:
            validation_problems(exc, data, RULES_FILE, problems, model=EventRules)
    if rules is not None:
        for kind, known, used in (
            ("theme", vocabulary.themes, rules.themes),
            ("life stage", vocabulary.life_stages, rules.life_stages),
        ):
            key = "themes" if kind == "theme" else "life_stages"
            for name in used:
                if name not in known:
                    problems.error(
                        RULES_FILE,
                        line_of(data, (key, name)),
                        f"{key}: no {kind} has the id '{name}' in content/themes.yml."
                        + did_you_mean(name, known),
                    )
    if problems.errors or rules is None:
        raise InvalidInput(problems, RULES_FILE)
    return rules


def filters_of(group: ArticleGroup) -> EventFilters:
    """What of an article decides its activities: the Finnish source's classification. Only
    its first theme (the one its address is under) counts: the crisis numbers are also about
    everyday life, but a family café does not belong on them."""
    meta = group.source.meta
    services = meta.services
    return EventFilters(
        themes=tuple(meta.themes[:1] if meta.themes else ()),
        life_stages=tuple(meta.life_stages or ()),
        ontology_terms=tuple(services.ontology_terms) if services else (),
        keywords=tuple(services.keywords) if services else (),
    )


@dataclass(frozen=True)
class SiteEvents:
    """What one county site shows of its activities and events."""

    dataset: EventsDataset
    by_article: dict[str, list[EventMatch]] = field(default_factory=dict)

    @property
    def items(self) -> list[Event]:
        return list(self.dataset.items.values())

    @property
    def shown(self) -> bool:
        """Whether the site has a calendar (:func:`has_calendar`)."""
        return has_calendar(self.dataset)


def has_calendar(dataset: EventsDataset) -> bool:
    """Whether a county with this dataset has a calendar: it has items, or a source that could
    have some."""
    return bool(dataset.items) or bool(dataset.sources)


EventsRecord = dict[str, list[tuple[str, tuple[EventReason, ...]]]]
"""A site's :class:`SiteEvents` matches by item id (kept in the build cache: the items are the
dataset's)."""


def events_record(found: SiteEvents) -> EventsRecord:
    return {
        article: [(m.event.id, m.reasons) for m in matches]
        for article, matches in found.by_article.items()
    }


def events_from(record: EventsRecord, dataset: EventsDataset) -> SiteEvents | None:
    """The :class:`SiteEvents` of a record, with the dataset's items; None when the dataset
    lacks one of them."""
    items = dataset.items
    try:
        return SiteEvents(
            dataset,
            {
                article: [EventMatch(items[i], reasons) for i, reasons in matches]
                for article, matches in record.items()
            },
        )
    except KeyError:
        return None


def site_events(
    articles: Iterable[ArticleGroup], dataset: EventsDataset, rules: EventRules
) -> SiteEvents:
    """Every article's activities and events on one county site, with their reasons (pure)."""
    items = [EventTopics(item, rules) for item in dataset.items.values()]
    return SiteEvents(
        dataset,
        {group.id: match_events(filters_of(group), items, rules) for group in articles},
    )


# --- formatting ---------------------------------------------------------------------------


def _locale(lang: str) -> Locale:
    return Locale.parse(LOCALES[lang])


def local(moment: datetime) -> datetime:
    """The moment in Finnish time."""
    return moment.astimezone(HELSINKI)


def day_text(day: date, lang: str) -> str:
    """A whole date with its weekday: "tiistai 24. maaliskuuta 2026"."""
    return babel_format_date(day, format="full", locale=_locale(lang))


def time_text(moment: datetime, lang: str) -> str:
    """A time of day in Finnish time: "10.00" (fi), "10:00" (sv, en)."""
    return format_time(local(moment), format="short", locale=_locale(lang))


def hours_text(occurrence: Occurrence, lang: str, translate: Translate) -> str:
    """The time of a date within its day: "10.00–11.30", or "all day"."""
    if occurrence.all_day:
        return translate(lang, "all day")
    start = time_text(occurrence.start, lang)
    end = occurrence.end
    if end is None or local(end).date() != local(occurrence.start).date():
        return start
    return f"{start}–{time_text(end, lang)}"


def when_text(occurrence: Occurrence, lang: str, translate: Translate) -> str:
    """One date in full, in Finnish time: "tiistai 24. maaliskuuta 2026 klo 10.00–11.30"."""
    start, end = local(occurrence.start), occurrence.end and local(occurrence.end)
    if occurrence.all_day:
        last = end.date() - timedelta(days=1) if end and end.date() > start.date() else None
        if last and last > start.date():
            return f"{day_text(start.date(), lang)} – {day_text(last, lang)}"
        return day_text(start.date(), lang)
    if end is not None and end.date() != start.date():
        first = translate(
            lang,
            "%(date)s at %(time)s",
            date=day_text(start.date(), lang),
            time=time_text(start, lang),
        )
        until = translate(
            lang, "%(date)s at %(time)s", date=day_text(end.date(), lang), time=time_text(end, lang)
        )
        return f"{first} – {until}"
    return translate(
        lang,
        "%(date)s at %(time)s",
        date=day_text(start.date(), lang),
        time=hours_text(occurrence, lang, translate),
    )


def iso(occurrence: Occurrence) -> str:
    """The ``datetime`` attribute of a date: a day, or a moment with its UTC offset."""
    start = local(occurrence.start)
    return start.date().isoformat() if occurrence.all_day else start.isoformat(timespec="minutes")


def text(texts: Mapping[str, str], lang: str) -> dict[str, Any] | None:
    """A text in the page's language, else in Finnish, Swedish or English, with the language
    to mark when it is not the page's (``{"value": ..., "lang": "fi" or None}``)."""
    for candidate in (lang, *LANGUAGES):
        value = texts.get(candidate)
        if value:
            return {"value": value, "lang": candidate if candidate != lang else None}
    return None


def html_text(texts: Mapping[str, str], lang: str) -> dict[str, Any] | None:
    """A description: sanitised by the model (a few harmless tags), so it is marked safe."""
    found = text(texts, lang)
    if found is None:
        return None
    return {"html": Markup(found["value"]), "lang": found["lang"]}  # sanitised by nh3 in the model


def language_names(codes: Iterable[str], lang: str) -> list[str]:
    """Languages by their names in the page's language: ``["fi", "ar"]`` -> "suomi, arabia"."""
    names = _locale(lang).languages
    return [names.get(code, code) for code in codes]


def host(url: str) -> str:
    """``https://www.kajaani.fi/tapahtumat`` -> ``kajaani.fi``."""
    return (urlsplit(url).hostname or "").removeprefix("www.")


# --- view data ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Places:
    """Names of the municipalities the sites know, by code, in every language."""

    names: Mapping[str, Mapping[str, str]]

    @classmethod
    def of(cls, project: Project) -> Places:
        names: dict[str, dict[str, str]] = {}
        for area in project.areas.values():
            for m in area.region.municipalities:
                names[m.code] = {str(code): value for code, value in m.name.items()}
        return cls(names)

    def name(self, code: str, lang: str) -> str | None:
        names = self.names.get(code)
        if names is None:
            return None  # a code the county list does not know is not shown raw
        return names.get(lang) or names.get("fi")


def place_view(event: Event, lang: str, places: Places) -> dict[str, Any] | None:
    """The place of an item: its name, address lines, municipality, a map link, directions and
    accessibility, each text with its language."""
    place: Place | None = event.place
    municipality = next(
        (found for code in event.municipalities if (found := places.name(code, lang))), None
    )
    if place is None:
        if municipality is None:
            return None
        return {
            "name": None,
            "lines": [],
            "lang": None,
            "municipality": municipality,
            "map_url": None,
            "info": None,
            "accessibility": None,
        }
    name = text(place.names, lang)
    street = text(place.street, lang)
    if street and name and street["value"].casefold() == name["value"].casefold():
        street = None  # a calendar's LOCATION with a name only: say it once
    locality = text(place.locality, lang)
    line2 = " ".join(
        x for x in (place.postal_code, locality["value"].upper() if locality else None) if x
    )
    position = place.position
    return {
        "name": name,
        "lines": [x for x in (street["value"] if street else None, line2) if x],
        "lang": (street or locality or {}).get("lang"),
        "municipality": municipality,
        "map_url": (
            f"https://www.openstreetmap.org/?mlat={position.lat}&mlon={position.lon}"
            f"#map=17/{position.lat}/{position.lon}"
            if position
            else None
        ),
        "info": text(place.info, lang),
        "accessibility": text(place.accessibility, lang),
    }


def where_text(view: dict[str, Any] | None, item_name: str = "") -> dict[str, Any] | None:
    """A place in one line for lists: "Kirjasto, Kajaani", with the language of its name; a
    place named as the item itself (a PTV family café) is its municipality only."""
    if view is None:
        return None
    name = view.get("name")
    if name and name["value"].casefold() == item_name.casefold():
        name = None
    parts = [name["value"]] if name else []
    if view.get("municipality") and view["municipality"] not in parts:
        parts.append(view["municipality"])
    if not parts:
        return None
    return {"value": ", ".join(parts), "lang": name["lang"] if name else None}


def contact_view(contact: Any, lang: str) -> dict[str, Any]:
    """A contact; a sample contact's number and address are shown as text, never as links."""
    phones = []
    if contact.phone:
        for number in read_phone(contact.phone):
            phones.append({"number": number.shown, "tel": None if contact.sample else number.tel})
    return {
        "name": contact.name,
        "phones": phones,
        "email": contact.email,
        "url": None if contact.sample else contact.url,
        "description": text(contact.description, lang),
        "sample": contact.sample,
    }


def event_item(
    event: Event, lang: str, places: Places, translate: Translate, calendar_root: str = ""
) -> dict[str, Any]:
    """An item in a list (the article block): its name, its next date or schedule, its place,
    and its municipalities and position for the municipality picker."""
    first = event.occurrences[0] if event.occurrences else None
    place = place_view(event, lang, places)
    position = event.place.position if event.place else None
    when = when_text(first, lang, translate) if first else None
    name = text(event.names, lang)
    return {
        "url": urls.event(lang, event.id),
        "name": name,
        "detail": None,
        "kind": event.kind,
        "when": when,
        "datetime": iso(first) if first else None,
        "more_dates": max(len(event.occurrences) - 1, 0),
        "schedule": text(event.recurrence.description, lang) if event.recurrence else None,
        "where": where_text(place, name["value"] if name else ""),
        "mode": event.mode,
        "free": event.price.free if event.price else None,
        "status": event.status,
        "sample": event.sample,
        "municipalities": " ".join(event.municipalities),
        "lat": position.lat if position else None,
        "lon": position.lon if position else None,
    }


def distinguish(items: list[dict[str, Any]], *keys: str) -> list[dict[str, Any]]:
    """Number the items of one list that read the same (name and ``keys``: place, time) but
    are different items (``detail`` 2, 3, ...), so each link says where it goes (WCAG 2.4.4;
    the gate checks it). Returns the items."""
    seen: dict[tuple[str, ...], list[str]] = {}
    for item in items:
        where = item.get("where") or {}
        key = (
            " ".join(item["name"]["value"].casefold().split()),
            *(str(where.get("value", "")) if k == "where" else str(item.get(k)) for k in keys),
        )
        targets = seen.setdefault(key, [])
        if item["url"] not in targets:
            targets.append(item["url"])
        number = targets.index(item["url"]) + 1
        item["detail"] = str(number) if number > 1 else None
    return items


def data_note(events: Iterable[Event], lang: str) -> dict[str, Any]:
    """The date of the data shown (the oldest fetch among these items) and whether any of it is
    sample data, which the page must then say."""
    events = list(events)
    fetched = [e.fetched_at for e in events if e.fetched_at is not None]
    oldest = min(fetched) if fetched else None
    return {
        "fetched": (
            babel_format_date(local(oldest).date(), format="long", locale=_locale(lang))
            if oldest
            else None
        ),
        "sample": any(e.sample for e in events),
    }


def registration_view(event: Event, lang: str) -> dict[str, Any] | None:
    registration = event.registration
    if registration is None:
        return None
    return {
        "required": registration.required,
        "open": registration.open,
        "url": registration.url,
        "email": registration.email,
        "opens": (
            babel_format_date(local(registration.opens).date(), "long", locale=_locale(lang))
            if registration.opens
            else None
        ),
        "closes": (
            babel_format_date(local(registration.closes).date(), "long", locale=_locale(lang))
            if registration.closes
            else None
        ),
        "description": text(registration.description, lang),
    }


def event_view(event: Event, lang: str, places: Places, translate: Translate) -> dict[str, Any]:
    """Everything the page of one item shows."""
    place = place_view(event, lang, places)
    price = event.price
    ages = (event.audience_min_age, event.audience_max_age)
    organiser = event.organiser
    return {
        "id": event.id,
        "name": text(event.names, lang) or {"value": event.id, "lang": None},
        "summary": text(event.summaries, lang),
        "description": html_text(event.descriptions, lang),
        "kind": event.kind,
        "status": event.status,
        "dates": [
            {
                "text": when_text(o, lang, translate),
                "datetime": iso(o),
                "status": o.status,
            }
            for o in event.occurrences[:DATES_ON_PAGE]
        ],
        "more_dates": max(len(event.occurrences) - DATES_ON_PAGE, 0),
        "schedule": text(event.recurrence.description, lang) if event.recurrence else None,
        "mode": event.mode,
        "online_url": event.online_url,
        "place": place,
        "price": (
            {
                "free": price.free,
                "text": text(price.description, lang),
                "url": price.url,
            }
            if price is not None
            else None
        ),
        "registration": registration_view(event, lang),
        "organiser": (
            {"name": text(organiser.names, lang), "url": organiser.url}
            if organiser is not None and (organiser.names or organiser.url)
            else None
        ),
        "contacts": [contact_view(c, lang) for c in event.contacts],
        "languages": language_names(event.in_languages, lang),
        "ages": (
            {"low": str(ages[0] or 0), "high": str(ages[1]) if ages[1] is not None else None}
            if ages != (None, None)
            else None
        ),
        "source": event.source,
        "source_url": event.url,
        "source_host": host(event.url) if event.url else None,
        "municipalities": " ".join(event.municipalities),
        **data_note([event], lang),
    }


# --- calendars ----------------------------------------------------------------------------


def in_municipality(event: Event, code: str | None) -> bool:
    """Whether an item belongs to a municipality's calendar: held there, or online only (a
    family anywhere can join); every item belongs to the county's calendar (``code`` None)."""
    if code is None:
        return True
    if event.municipalities:
        return code in event.municipalities
    return event.mode == "online"


def calendar_days(
    events: Iterable[Event], today: date, last: date
) -> list[tuple[date, list[tuple[Event, Occurrence]]]]:
    """The dated items by day, from ``today`` to ``last``, each day in time order (an item
    that lasts several days is listed on the day it starts)."""
    days: dict[date, list[tuple[Event, Occurrence]]] = {}
    for event in events:
        for occurrence in event.occurrences:
            day = local(occurrence.start).date()
            if today <= day <= last:
                days.setdefault(day, []).append((event, occurrence))
    return [
        (
            day,
            sorted(
                days[day],
                key=lambda pair: (
                    not pair[1].all_day,
                    local(pair[1].start),
                    pair[0].name("fi")[0].casefold(),
                ),
            ),
        )
        for day in sorted(days)
    ]


def long_term(events: Iterable[Event]) -> list[Event]:
    """The ongoing activities (no dates), by name."""
    return sorted(
        (e for e in events if e.kind == "long-term" and not e.occurrences),
        key=lambda e: e.name("fi")[0].casefold(),
    )


# --- iCalendar feeds ----------------------------------------------------------------------

ICS_STATUS = {
    "scheduled": "CONFIRMED",
    "rescheduled": "CONFIRMED",
    "postponed": "TENTATIVE",
    "cancelled": "CANCELLED",
}


def uid(event: Event, occurrence: Occurrence, domain: str) -> str:
    """A stable UID of one date of an item: the same between builds while the item's id and
    the date's own id (or its start) stay the same."""
    key = occurrence.source_id or local(occurrence.start).strftime("%Y%m%dT%H%M")
    digest = hashlib.sha256(f"{event.id}|{key}".encode()).hexdigest()[:32]
    return f"{digest}@{domain}"


def _location(event: Event, lang: str, places: Places) -> str | None:
    view = place_view(event, lang, places)
    if view is None:
        return None
    name = view.get("name")
    parts = [name["value"]] if name else []
    parts += view["lines"]
    if view.get("municipality") and not any(
        view["municipality"].casefold() in line.casefold() for line in parts
    ):
        parts.append(view["municipality"])
    return ", ".join(parts) or None


def ics_feed(
    events: Iterable[Event],
    title: str,
    lang: str,
    base_url: str,
    places: Places,
) -> str:
    """An iCalendar feed of the dated items: one VEVENT per date, DTSTART with
    TZID=Europe/Helsinki (all-day dates as dates) and the time zone's VTIMEZONE, a stable UID,
    the item's page as URL and DTSTAMP from the item's data (so an unchanged item gives the
    same text every night)."""
    calendar = Calendar()
    calendar.add("prodid", "-//Perhekeskus//Tapahtumat//FI")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", title)
    calendar.add("x-wr-timezone", "Europe/Helsinki")
    domain = urlsplit(base_url).hostname or "perhekeskus"
    dates = [(event, occurrence) for event in events for occurrence in event.occurrences]
    for event, occurrence in dates:
        calendar.add_component(_vevent(event, occurrence, lang, base_url, domain, places))
    if dates:
        # The time zone's rules around the dates only, not from 1970 on.
        moments = [local(o.start) for _, o in dates] + [local(o.end) for _, o in dates if o.end]
        calendar.add_missing_timezones(
            first_date=min(moments).date() - timedelta(days=366),
            last_date=max(moments).date() + timedelta(days=366),
        )
    return str(calendar.to_ical().decode("utf-8"))


def _vevent(
    event: Event,
    occurrence: Occurrence,
    lang: str,
    base_url: str,
    domain: str,
    places: Places,
) -> CalendarEvent:
    item = CalendarEvent()
    item.add("uid", uid(event, occurrence, domain))
    stamp = event.modified or event.fetched_at or occurrence.start
    item.add("dtstamp", stamp)
    if occurrence.all_day:
        first = local(occurrence.start).date()
        end = local(occurrence.end).date() if occurrence.end else None
        item.add("dtstart", first)
        item.add("dtend", end if end and end > first else first + timedelta(days=1))
    else:
        item.add("dtstart", local(occurrence.start))
        if occurrence.end is not None:
            item.add("dtend", local(occurrence.end))
    name, name_lang = event.name(lang)
    if name_lang != lang:
        item.add("summary", name, parameters={"LANGUAGE": name_lang})
    else:
        item.add("summary", name)
    page = urls.absolute(base_url, urls.event(lang, event.id))
    summary = text(event.summaries, lang)
    item.add("description", f"{summary['value']}\n\n{page}" if summary else page)
    location = _location(event, lang, places)
    if location:
        item.add("location", location)
    if event.place is not None and event.place.position is not None:
        item.add("geo", (event.place.position.lat, event.place.position.lon))
    item.add("url", page)
    status = occurrence.status if occurrence.status != "scheduled" else event.status
    item.add("status", ICS_STATUS[status])
    if event.modified is not None:
        item.add("last-modified", event.modified)
    return item


# --- pages --------------------------------------------------------------------------------


@dataclass(frozen=True)
class CalendarScope:
    """One calendar of a site: the county's (``code`` None) or a municipality's."""

    slug: str
    """The county's slug, or the municipality's (from its Finnish name): the feed's name."""
    code: str | None
    """The municipality's code, None for the county."""


class EventPages:
    """Renders a county's calendars, item pages and feeds in every language."""

    def __init__(self, project: Project, renderer: Renderer) -> None:
        self.project = project
        self.renderer = renderer
        self.places = Places.of(project)

    def translate(self, lang: str, message: str, **values: str) -> str:
        return self.renderer.translate(lang, message, **values)

    def area_name(self, region: Region, lang: str) -> str:
        return (region.short_name or region.name).get(lang)

    def block(self, found: SiteEvents | None, article: str, lang: str) -> dict[str, Any]:
        """The context of an article's ``activities`` slot: its items (at most a handful, the
        nearest first), the link to the calendar and the date of the data."""
        if found is None or not found.shown:
            return {"activities": [], "calendar_url": None}
        matches = found.by_article.get(article, [])
        events = [m.event for m in matches]
        return {
            "activities": distinguish(
                [event_item(e, lang, self.places, self.translate) for e in events], "where"
            ),
            "calendar_url": urls.calendar(lang),
            **data_note(events, lang),
        }

    def pages(
        self, slug: str, region: Region, found: SiteEvents, base_url: str
    ) -> tuple[list[RenderedPage], dict[str, str]]:
        """Every calendar and item page of a county in every language, and the feeds."""
        pages: list[RenderedPage] = []
        feeds: dict[str, str] = {}
        calendars = [CalendarScope(slug=slug, code=None)] + [
            CalendarScope(urls.slugify(m.name["fi"]), m.code) for m in region.municipalities
        ]
        for lang in LANGUAGES:
            for calendar in calendars:
                page, feed_path, feed = self.calendar_page(region, found, calendar, lang, base_url)
                pages.append(page)
                feeds[feed_path] = feed
            calendar_title = self.calendar_title(region, lang)
            pages.extend(self.event_page(event, lang, calendar_title) for event in found.items)
        return pages, feeds

    def _calendar_url(self, lang: str, calendar: CalendarScope) -> str:
        if calendar.code is None:
            return urls.calendar(lang)
        return urls.calendar_municipality(lang, calendar.slug)

    def calendar_page(
        self,
        region: Region,
        found: SiteEvents,
        calendar: CalendarScope,
        lang: Lang,
        base_url: str,
    ) -> tuple[RenderedPage, str, str]:
        url = self._calendar_url(lang, calendar)
        alternates = {other: self._calendar_url(other, calendar) for other in LANGUAGES}
        area = self.area_name(region, lang)
        place = self.places.name(calendar.code, lang) if calendar.code else area
        title = self.translate(lang, "Activities and events: %(place)s", place=place or area)
        county_title = self.calendar_title(region, lang)
        context = self.renderer.context(url, lang, "calendar", title, alternates)
        dataset = found.dataset
        events = [e for e in found.items if in_municipality(e, calendar.code)]
        last = dataset.horizon.astimezone(HELSINKI).date() - timedelta(days=1)
        feed_path = urls.feed(url, calendar.slug)
        counts = {
            m.code: sum(1 for e in found.items if in_municipality(e, m.code))
            for m in region.municipalities
        }
        days = [
            (day, [self.entry(event, occurrence, lang) for event, occurrence in entries])
            for day, entries in calendar_days(events, dataset.today, last)
        ]
        ongoing = [event_item(e, lang, self.places, self.translate) for e in long_term(events)]
        # One page: items that read alike anywhere on it are told apart.
        distinguish([entry for _, entries in days for entry in entries] + ongoing, "where")
        context.update(
            description=self.translate(
                lang,
                "Activities and events for families in the next %(days)s days, day by day. "
                "Times are in Finnish time.",
                days=str((last - dataset.today).days),
            ),
            area_name=area,
            municipality=place if calendar.code else None,
            days=[
                {"date": day.isoformat(), "heading": day_text(day, lang), "entries": entries}
                for day, entries in days
            ],
            ongoing=ongoing,
            municipalities=[
                {
                    "name": self.places.name(m.code, lang) or m.name["fi"],
                    "url": urls.calendar_municipality(lang, urls.slugify(m.name["fi"])),
                    "count": counts[m.code],
                    "current": m.code == calendar.code,
                    "code": m.code,
                }
                for m in sorted(
                    region.municipalities,
                    key=lambda m: (self.places.name(m.code, lang) or m.name["fi"]).casefold(),
                )
            ],
            county_url=urls.calendar(lang),
            feed_url=feed_path,
            feed_absolute=urls.absolute(base_url, feed_path),
            crumbs=[{"url": urls.calendar(lang), "title": county_title}] if calendar.code else [],
            **data_note(events, lang),
        )
        html = self.renderer.envs[lang].get_template("calendar.html").render(context)
        feed = ics_feed(events, title, lang, base_url, self.places)
        return (
            RenderedPage(PageInfo(url, lang, "calendar", title, alternates), html),
            feed_path,
            feed,
        )

    def entry(self, event: Event, occurrence: Occurrence, lang: str) -> dict[str, Any]:
        """One date of an item under its day: the item, the time within the day and the
        date's own status (a cancelled date of a weekly club)."""
        return {
            **event_item(event, lang, self.places, self.translate),
            # A calendar is in time order: no "nearest first" there (municipality.js offers it
            # wherever items have a position); the chosen municipality still comes first.
            "lat": None,
            "lon": None,
            "hours": hours_text(occurrence, lang, self.translate),
            "datetime": iso(occurrence),
            "status": occurrence.status if occurrence.status != "scheduled" else event.status,
        }

    def calendar_title(self, region: Region, lang: str) -> str:
        return self.translate(
            lang, "Activities and events: %(place)s", place=self.area_name(region, lang)
        )

    def event_page(self, event: Event, lang: Lang, calendar_title: str) -> RenderedPage:
        url = urls.event(lang, event.id)
        alternates = {other: urls.event(other, event.id) for other in LANGUAGES}
        view = event_view(event, lang, self.places, self.translate)
        title = view["name"]["value"]
        context = self.renderer.context(url, lang, "event", title, alternates)
        context.update(
            event=view,
            description=view["summary"]["value"]
            if view["summary"] and not view["summary"]["lang"]
            else "",
            crumbs=[{"url": urls.calendar(lang), "title": calendar_title}],
        )
        html = self.renderer.envs[lang].get_template("event.html").render(context)
        return RenderedPage(PageInfo(url, lang, "event", title, alternates), html)
