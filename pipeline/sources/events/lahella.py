"""Lähellä.fi activities: read from the known data shape, fetched only when turned on.

**Off by default.** Lähellä.fi has no public API; the only one known is the authenticated admin
API, known from reverse engineering (``shared/reference/lahella.md``). A public feed needs an
agreement with the Lähellä.fi network, so the nightly fetch asks it only when
``extra.events.lahella.enabled`` is true and a county names its organisations; no credentials
are kept in the repository and nothing is scraped. A 401 or 403 is reported as such (reading
needs access), never as "no activities".

Fetch. Input: the organisation (group) ids of a county. Output: one
:class:`~pipeline.sources.base.Answer` (kind ``lahella``) per page of
``v1/activities?groups[0]=<id>&skip=&limit=``, paged until ``hasMore`` is false.

Read. Input: pages ``{"items": [...], "total", "hasMore"}`` or one activity object. Output:
:class:`~.snapshot.Candidate` items (``lahella:<_key>``): texts per language (HTML, sanitised by
the model), municipalities from ``traits.region`` (``city/FI/<name>``) and the channel's
address, the channel's place and map position (GeoJSON ``[lon, lat]``), ages from
``ageGroup/range:A-B``, price, registration, contacts, and dates: epoch milliseconds in
Europe/Helsinki, weekly ``daySpecificTimes`` and ``P1D``/``P1W``/``P2W``/``P1M`` periods expanded
up to the horizon with ``exclude`` left out. An activity without dates is long-term.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import Any
from urllib.parse import urlencode

import yaml

from pipeline import __version__
from pipeline.sources.base import Answer, Budget, FetchError, FetchLimits
from pipeline.sources.events.model import HELSINKI
from pipeline.sources.events.snapshot import LAHELLA_CODES, Candidate, ReadContext, reader
from pipeline.sources.http import JsonClient

KIND = "lahella"
USER_AGENT = f"perhekeskus/{__version__} (family centre site generator; agreed activity feed)"
LANGS = ("fi", "sv", "en")
AGE_RANGE = re.compile(r"^ageGroup/range:(\d{1,3})-(\d{1,3})$")
PERIODS = {"P1D": timedelta(days=1), "P1W": timedelta(weeks=1), "P2W": timedelta(weeks=2)}
PUBLIC_PAGE = "https://www.lahella.fi/fi-FI/organisation/{group}"
"""The organisation's public page (the one public address seen; activities have none)."""
MAX_DATES = 500


# --- fetch --------------------------------------------------------------------------------


@dataclass
class LahellaSource:
    base_url: str
    limits: FetchLimits = field(default_factory=FetchLimits)
    record_as: str | None = None
    api: str = "lahella-v1"
    page_size: int = 100
    backoff: float = 1.0
    clock: Callable[[], datetime] = field(default=lambda: datetime.now(UTC), repr=False)
    budget: Budget = field(init=False)
    client: JsonClient = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.base_url = self.base_url.rstrip("/") + "/"
        self.budget = Budget(self.limits)
        self.client = JsonClient(USER_AGENT, self.budget, self.backoff)

    def activities(self, tag: str, group: str) -> Iterator[Answer]:
        skip, pages = 0, 0
        while True:
            pages += 1
            if pages > self.limits.max_pages:
                raise FetchError(
                    f"Lähellä.fi group {group}: more than {self.limits.max_pages} pages"
                )
            query = {
                "groups[0]": group, "links[groups]": "true", "total": "true",
                "limit": self.page_size, "skip": skip, "text": "",
            }  # fmt: skip
            path = "v1/activities?" + urlencode(query)
            url = self.base_url + path
            try:
                status, body = self.client.get(url)
            except FetchError as exc:
                if " 401 " in str(exc) or " 403 " in str(exc):
                    raise FetchError(
                        f"{exc}: Lähellä.fi asks for a login; reading needs an agreement and "
                        "access from the Lähellä.fi network (no credentials are used)",
                        "status",
                    ) from None
                raise
            if not isinstance(body, dict) or not isinstance(body.get("items"), list):
                raise FetchError(f"{url}: expected a page with items and hasMore", "format")
            recorded = (self.record_as.rstrip("/") + "/" + path) if self.record_as else url
            yield Answer(recorded, status, body, self.clock(), KIND, "items", tag)
            if body.get("hasMore") is not True or not body["items"]:
                return
            skip += len(body["items"])


# --- read ---------------------------------------------------------------------------------


CODES = LAHELLA_CODES
"""Lähellä.fi's codes of themes and audiences (the generator's own data, not the project's)."""


@lru_cache(maxsize=1)
def codes() -> dict[str, Any]:
    data: dict[str, Any] = yaml.load(CODES.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    return data


def items_of(body: Any) -> list[Any]:
    if isinstance(body, dict) and isinstance(body.get("items"), list):
        return list(body["items"])
    if isinstance(body, dict) and "_key" in body:
        return [body]
    return []


def is_answer(body: Any) -> bool:
    if isinstance(body, dict) and isinstance(body.get("items"), list) and "hasMore" in body:
        return True
    return isinstance(body, dict) and "_key" in body and isinstance(body.get("traits"), dict)


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _translations(traits: dict[str, Any], key: str) -> dict[str, Any]:
    found = {}
    for lang, values in _dict(traits.get("translations")).items():
        value = _dict(values).get(key)
        if lang in LANGS and isinstance(value, str) and value.strip():
            found[lang] = value
    return found


def _moment(value: Any) -> datetime | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        return datetime.fromtimestamp(value / 1000, UTC).astimezone(HELSINKI)
    except (OverflowError, OSError, ValueError):
        return None


def _clock(value: Any) -> time | None:
    if not isinstance(value, str):
        return None
    try:
        return time.fromisoformat(value.strip())
    except ValueError:
        return None


def _at(day: date, clock: time) -> datetime:
    return datetime.combine(day, clock, HELSINKI)


def dates(entry: dict[str, Any], context: ReadContext) -> tuple[list[dict[str, Any]], bool]:
    """The dates of one ``events[]`` entry within the window, and whether it recurs."""
    start = _moment(entry.get("start"))
    if start is None:
        return [], False
    recurrence = _dict(entry.get("recurrence"))
    end = _moment(recurrence.get("end"))
    excluded = {m.date() for m in map(_moment, _list(recurrence.get("exclude"))) if m}
    found: list[dict[str, Any]] = []
    times = [_dict(t) for t in _list(recurrence.get("daySpecificTimes"))]
    period = PERIODS.get(str(recurrence.get("period")))
    if str(recurrence.get("period")) == "P1M":
        period = None
    if not recurrence:
        return [{"start": start}], False
    last = min(end or context.horizon, context.horizon)
    if not context.expand:
        return [], True
    if times:
        day = max(start.date(), context.as_of.date())
        while _at(day, time(0)) < last and len(found) < MAX_DATES:
            for spec in times:
                weekday, opens = spec.get("weekday"), _clock(spec.get("startTime"))
                if weekday == day.isoweekday() and opens is not None and day not in excluded:
                    closes = _clock(spec.get("endTime"))
                    found.append(
                        {"start": _at(day, opens), "end": _at(day, closes) if closes else None}
                    )
            day += timedelta(days=1)
    else:
        moment, step = start, 0
        while moment < last and len(found) < MAX_DATES:
            if moment >= context.as_of and moment.date() not in excluded:
                found.append({"start": moment})
            step += 1
            if period is not None:
                local = start.replace(tzinfo=None) + step * period
            else:  # P1M: the same day of the month
                month = start.month - 1 + step
                local = start.replace(
                    tzinfo=None, year=start.year + month // 12, month=month % 12 + 1
                )
            moment = local.replace(tzinfo=HELSINKI)
    return [d for d in found if d["start"] >= context.as_of], True


def _ages(traits: dict[str, Any]) -> tuple[int | None, int | None]:
    ranges = [AGE_RANGE.match(str(d)) for d in _list(traits.get("demographic"))]
    found = [(int(m.group(1)), int(m.group(2))) for m in ranges if m]
    if not found:
        return None, None
    return min(a for a, _ in found), max(b for _, b in found)


def _channel(channel: dict[str, Any], context: ReadContext, fields: dict[str, Any]) -> str | None:
    kinds = channel.get("type")
    kinds = kinds if isinstance(kinds, list) else [kinds]
    if "online" in kinds:
        fields["mode"] = "online"
    elif "hybrid" in kinds:
        fields["mode"] = "hybrid"
    translations = _dict(channel.get("translations"))
    street, postal, city, summary, registration = {}, None, {}, {}, {}
    for lang, values in translations.items():
        if lang not in LANGS:
            continue
        address = _dict(_dict(values).get("address"))
        if address.get("street"):
            street[lang] = address["street"]
        if address.get("city"):
            city[lang] = address["city"]
        postal = postal or address.get("postalCode")
        if _dict(values).get("summary"):
            summary[lang] = _dict(values)["summary"]
        if _dict(values).get("registration"):
            registration[lang] = _dict(values)["registration"]
    municipality = None
    for name in city.values():
        municipality = municipality or context.municipalities.code(str(name))
    place: dict[str, Any] = {"street": street, "locality": city, "info": summary}
    if postal is not None:
        place["postal_code"] = str(postal)
    if municipality:
        place["municipality"] = municipality
    coordinates = _dict(_dict(channel.get("map")).get("center")).get("coordinates")
    if isinstance(coordinates, list) and len(coordinates) == 2:
        place["position"] = {"lon": coordinates[0], "lat": coordinates[1]}
    accessibility: dict[str, list[str]] = {}
    for code in _list(channel.get("accessibility")):
        for lang, text in _dict(codes()["accessibility"].get(code)).items():
            accessibility.setdefault(lang, []).append(text)
    place["accessibility"] = {lang: " ".join(t) for lang, t in accessibility.items()}
    if fields.get("mode") != "online" and (street or city or "position" in place):
        fields["place"] = place
    required = channel.get("registrationRequired")
    if required is not None or channel.get("registrationUrl") or channel.get("registrationEmail"):
        fields["registration"] = {
            "required": required if isinstance(required, bool) else None,
            "url": channel.get("registrationUrl") or None,
            "email": channel.get("registrationEmail") or None,
            "description": registration,
        }
    return municipality


def fields_of(raw: dict[str, Any], context: ReadContext) -> dict[str, Any]:
    traits = _dict(raw.get("traits"))
    low, high = _ages(traits)
    fields: dict[str, Any] = {
        "names": _translations(traits, "name"),
        "summaries": _translations(traits, "summary"),
        "descriptions": _translations(traits, "description"),
        "audience_min_age": low,
        "audience_max_age": high,
        "in_languages": [str(lang)[:2] for lang in _list(traits.get("locale")) if lang],
    }
    pricing = _list(traits.get("pricing"))
    if pricing:
        fields["price"] = {
            "free": "free" in pricing if ("free" in pricing or "paid" in pricing) else None,
            "description": _translations(traits, "pricing"),
        }
    municipalities: list[str] = []
    occurrences: list[dict[str, Any]] = []
    recurring = False
    channels = [_dict(c) for c in _list(traits.get("channels"))]
    for index, channel in enumerate(channels):
        municipality = _channel(channel, context, fields) if index == 0 else None
        if municipality:
            municipalities.append(municipality)
        for entry in _list(channel.get("events")):
            found, recurs = dates(_dict(entry), context)
            occurrences += found
            recurring = recurring or recurs
    for region in _list(traits.get("region")):
        code = context.municipalities.code(str(region)) if "city/" in str(region) else None
        if code and code not in municipalities:
            municipalities.append(code)
    fields["municipalities"] = municipalities
    contacts = []
    for contact in map(_dict, _list(traits.get("contacts"))):
        kind, value = contact.get("type"), contact.get("value")
        if kind in ("email", "phone", "www") and isinstance(value, str):
            key = {"www": "url"}.get(kind, kind)
            description = {
                lang: _dict(v).get("description")
                for lang, v in _dict(contact.get("translations")).items()
                if lang in LANGS and _dict(v).get("description")
            }
            contacts.append({key: value, "description": description})
    fields["contacts"] = contacts
    group = _group(raw)
    if group:
        fields["organiser"] = group
    key = str(raw.get("group") or "").strip()
    if key.isdigit():
        fields["url"] = PUBLIC_PAGE.format(group=key)
    if any(_dict(c).get("events") for c in channels):
        occurrences.sort(key=lambda d: d["start"])
        fields["kind"] = "recurring" if recurring else "event"
        fields["occurrences"] = occurrences
        if occurrences:
            fields["start"] = occurrences[0]["start"]
            fields["end"] = max(d.get("end") or d["start"] for d in occurrences)
    else:
        fields["kind"] = "long-term"
    return fields


def _group(raw: dict[str, Any]) -> dict[str, Any] | None:
    """The organiser from ``links[groups]`` (its shape is unverified: read what is there)."""
    groups = _list(_dict(raw.get("links")).get("groups"))
    group = _dict(groups[0]) if groups else {}
    name = group.get("name")
    names = (
        {"fi": name} if isinstance(name, str) else _translations(_dict(group.get("traits")), "name")
    )
    business = group.get("businessId") or _dict(group.get("traits")).get("businessId")
    if not names and not business:
        return None
    return {"names": names, "business_id": business if isinstance(business, str) else None}


@reader(KIND)
def read(bodies: Sequence[Any], context: ReadContext) -> Iterator[Candidate]:
    for body in bodies:
        for index, raw in enumerate(items_of(body)):
            key = _dict(raw).get("_key")
            if not isinstance(key, str) or not key.strip() or " " in key.strip():
                yield Candidate(f"without an id (item {index + 1})", error="no _key")
                continue
            if raw.get("status") not in ("published", None):
                yield Candidate(key.strip(), deleted=True)
                continue
            yield Candidate(key.strip(), fields_of(raw, context))


__all__ = ["KIND", "LahellaSource", "is_answer", "read"]
