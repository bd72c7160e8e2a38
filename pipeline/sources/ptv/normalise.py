"""Build the normalised model (:mod:`pipeline.sources.ptv.model`) from raw v11 JSON objects.

Input: JSON objects (dicts) of v11 Services, ServiceChannels and Organizations.
Output: model objects, and a problem for each item that could not be read. Each item is read on
its own, so one malformed item is skipped and reported as ``PTV service <id>: ...``, never the
whole snapshot. Pure functions apart from the coordinate transformer, which is built once.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import time
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

from pydantic import BaseModel, ValidationError
from pyproj import Transformer

from pipeline.phone import tel
from pipeline.problems import Problems
from pipeline.sources.ptv import model, v11

LANGS = ("fi", "sv", "en")
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
NATIONWIDE = {"Nationwide", "NationwideExceptAlandIslands"}
CODE_IN_URI = re.compile(r"/code/([A-Z]+[0-9][0-9.]*)$")
KIND_NAMES = {
    "service": "PTV service",
    "channel": "PTV channel",
    "organization": "PTV organisation",
}

# Finland in EPSG:3067 (ETRS-TM35FIN), with a margin: anything outside is a data error.
NORTHING = (6_600_000.0, 7_800_000.0)
EASTING = (40_000.0, 780_000.0)


# --- small readers ----------------------------------------------------------------------


def texts(
    items: Iterable[v11.LocalizedListItem | v11.LanguageItem], kind: str | None = None
) -> model.Texts:
    """The first non-empty text per site language, optionally of one ``type`` only."""
    result: model.Texts = {}
    for item in items:
        if kind is not None and getattr(item, "type", None) != kind:
            continue
        value = (item.value or "").strip()
        if value and item.language in LANGS and item.language not in result:
            result[item.language] = value
    return result


def municipality_code(code: str | None) -> str | None:
    """Statistics Finland's three-digit code; PTV sometimes drops leading zeros."""
    if code is None or not code.strip().isdigit():
        return None
    return code.strip().zfill(3)


def county_code(code: str | None) -> str | None:
    if code is None or not code.strip().isdigit():
        return None
    return code.strip().zfill(2)


def finto_code(item: v11.FintoItem) -> str | None:
    """The bare code (``P5.2``) of a classification item; legacy URN items may lack it."""
    if item.code and item.code.strip():
        return item.code.strip()
    for uri in (item.newUri, item.uri):
        match = CODE_IN_URI.search(uri or "")
        if match:
            return match.group(1)
    return None


def link(url: str | None, label: str | None = None, lang: str | None = None) -> model.Link | None:
    if not url or not url.strip():
        return None
    url = url.strip()
    parts = urlsplit(url)
    valid = parts.scheme in ("http", "https") and bool(parts.netloc) and " " not in url
    return model.Link(url, (label or "").strip() or None, lang, valid)


def phone(raw: v11.PhoneNumber) -> model.Phone | None:
    number = (raw.number or "").strip()
    digits = re.sub(r"[^0-9]", "", number)
    if not digits:
        return None
    prefix = (raw.prefixNumber or "").strip()
    if prefix in ("", "+358"):
        # Shown in the national form families dial (040 123 4567); service numbers as given.
        finnish = raw.isFinnishServiceNumber or number.startswith("0") or not prefix
        shown = number if finnish else "0" + number
        link = tel(shown)
    else:
        shown = f"{prefix} {number}"
        link = "+" + re.sub(r"[^0-9]", "", prefix) + digits
    return model.Phone(
        number=shown,
        tel=link,
        kind=raw.type or "Phone",
        info=(raw.additionalInformation or "").strip() or None,
        charge=(raw.chargeDescription or "").strip() or None,
        lang=raw.language,
    )


def _clock(value: str | None) -> time | None:
    if not value:
        return None
    try:
        return time.fromisoformat(value)
    except ValueError:
        return None


def _day(name: str | None) -> int | None:
    return DAYS.index(name) if name in DAYS else None


def hours(raw: v11.ServiceHour) -> model.Hours:
    kinds = {"Exceptional": "exceptional", "OverMidnight": "over-midnight"}
    days = []
    for entry in raw.openingHour:
        start = _day(entry.dayFrom)
        if start is None:
            continue
        days.append(model.DayHours(start, _day(entry.dayTo), _clock(entry.from_), _clock(entry.to)))
    return model.Hours(
        kind=kinds.get(raw.serviceHourType, "regular"),  # type: ignore[arg-type]
        days=tuple(days),
        valid_from=raw.validFrom.date() if raw.validFrom else None,
        valid_to=raw.validTo.date() if raw.validTo else None,
        closed=bool(raw.isClosed),
        always_open=bool(raw.isAlwaysOpen),
        reservation=bool(raw.isReservation),
        info=texts(raw.additionalInformation),
    )


@lru_cache(maxsize=1)
def _to_wgs84() -> Transformer:
    return Transformer.from_crs("EPSG:3067", "EPSG:4326", always_xy=True)


def wgs84(northing: str | None, easting: str | None) -> tuple[float, float] | None:
    """(lat, lon) from PTV's EPSG:3067 ``latitude`` (northing) and ``longitude`` (easting)."""
    try:
        north, east = float(northing or ""), float(easting or "")
    except ValueError:
        return None
    if not (NORTHING[0] <= north <= NORTHING[1] and EASTING[0] <= east <= EASTING[1]):
        return None
    lon, lat = _to_wgs84().transform(east, north)
    return round(lat, 6), round(lon, 6)


def address(raw: v11.Address) -> model.Address | None:
    kind = "postal" if raw.type == "Postal" else "visiting"
    if raw.streetAddress is not None:
        street = raw.streetAddress
        point = wgs84(street.latitude, street.longitude)
        return model.Address(
            kind=kind,  # type: ignore[arg-type]
            street=texts(street.street),
            number=(street.streetNumber or "").strip() or None,
            postal_code=(street.postalCode or "").strip() or None,
            post_office=texts(street.postOffice),
            municipality=municipality_code(
                street.municipality.code if street.municipality else None
            ),
            lat=point[0] if point else None,
            lon=point[1] if point else None,
            info=texts(street.additionalInformation),
        )
    if raw.postOfficeBoxAddress is not None:
        box = raw.postOfficeBoxAddress
        return model.Address(
            kind="postal",
            street=texts(box.postOfficeBox),
            number=None,
            postal_code=(box.postalCode or "").strip() or None,
            post_office=texts(box.postOffice),
            municipality=municipality_code(box.municipality.code if box.municipality else None),
        )
    return None


# --- objects ------------------------------------------------------------------------------


def service(raw: v11.Service) -> model.Service:
    municipalities: set[str] = set()
    counties: set[str] = set()
    for area in raw.areas:
        for m in area.municipalities:
            code = municipality_code(m.code)
            if code:
                municipalities.add(code)
        if area.type == "WellbeingServiceCounties":
            code = county_code(area.code)
            if code:
                counties.add(code)
    roles = sorted(
        (r for r in raw.organizations if r.organization is not None),
        key=lambda r: r.roleType != "Responsible",
    )
    organisations = tuple(dict.fromkeys(r.organization.id.lower() for r in roles if r.organization))
    keywords: dict[str, list[str]] = {}
    for item in raw.keywords:
        if item.value and item.value.strip() and item.language in LANGS:
            keywords.setdefault(item.language, []).append(item.value.strip())
    return model.Service(
        id=raw.id,
        names=texts(raw.serviceNames, "Name") or texts(raw.serviceNames),
        summaries=texts(raw.serviceDescriptions, "Summary"),
        descriptions=texts(raw.serviceDescriptions, "Description"),
        instructions=texts(raw.serviceDescriptions, "UserInstruction"),
        service_classes=_codes(raw.serviceClasses),
        target_groups=_codes(raw.targetGroups),
        life_events=_codes(raw.lifeEvents),
        ontology_terms=tuple(dict.fromkeys(t.uri for t in raw.ontologyTerms if t.uri)),
        keywords={lang: tuple(words) for lang, words in keywords.items()},
        scope="nationwide" if raw.areaType in NATIONWIDE else "limited",
        area_type=raw.areaType,
        municipalities=frozenset(municipalities),
        counties=frozenset(counties),
        channels=tuple(
            dict.fromkeys(
                c.serviceChannel.id.lower() for c in raw.serviceChannels if c.serviceChannel
            )
        ),
        organisations=organisations,
        charge=raw.serviceChargeType,
        modified=raw.modified,
    )


def _codes(items: Iterable[v11.FintoItem]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(code for code in map(finto_code, items) if code))


def channel(raw: v11.ServiceChannel) -> model.Channel:
    links = [link(w.url, w.value, w.language) for w in raw.webPages]
    links += [link(u.value, None, u.language) for u in raw.channelUrls]
    phones = [phone(p) for p in (*raw.phoneNumbers, *raw.supportPhones)]
    emails = [
        e.value.strip() for e in (*raw.emails, *raw.supportEmails) if e.value and e.value.strip()
    ]
    return model.Channel(
        id=raw.id,
        type=raw.serviceChannelType,
        names=texts(raw.serviceChannelNames, "Name") or texts(raw.serviceChannelNames),
        summaries=texts(raw.serviceChannelDescriptions, "Summary"),
        descriptions=texts(raw.serviceChannelDescriptions, "Description"),
        organisation=raw.organizationId.lower() if raw.organizationId else None,
        addresses=tuple(a for a in map(address, raw.addresses) if a),
        phones=tuple(p for p in phones if p),
        emails=tuple(dict.fromkeys(emails)),
        links=tuple(item for item in links if item),
        hours=tuple(hours(h) for h in raw.serviceHours),
        requires_authentication=bool(raw.requiresAuthentication),
        modified=raw.modified,
    )


def organisation(raw: v11.Organization) -> model.Organisation:
    return model.Organisation(
        id=raw.id,
        names=texts(raw.organizationNames, "Name") or texts(raw.organizationNames),
        type=raw.organizationType,
        business_code=raw.businessCode,
        municipality=municipality_code(raw.municipality.code if raw.municipality else None),
        links=tuple(x for x in (link(w.url, w.value, w.language) for w in raw.webPages) if x),
    )


# --- reading many items, skipping bad ones ----------------------------------------------------

READERS: dict[str, tuple[type[BaseModel], Any]] = {
    "service": (v11.Service, service),
    "channel": (v11.ServiceChannel, channel),
    "organization": (v11.Organization, organisation),
}


def _error_text(error: ValidationError) -> str:
    first = error.errors()[0]
    where = ".".join(str(part) for part in first["loc"])
    return f"{where}: {first['msg']}" if where else str(first["msg"])


def read_item(raw: Any, kind: str, problems: Problems) -> Any | None:
    """One normalised object, or None (and a problem) when the item cannot be read."""
    name = KIND_NAMES[kind]
    ident = raw.get("id") if isinstance(raw, dict) else None
    who = f"{name} {ident}" if ident else f"{name} without an id"
    if not isinstance(raw, dict):
        problems.warning(who, None, "skipped: not a JSON object")
        return None
    schema, normaliser = READERS[kind]
    try:
        parsed = schema.model_validate(raw)
    except ValidationError as exc:
        problems.warning(who, None, f"skipped: {_error_text(exc)}")
        return None
    result = normaliser(parsed)
    if kind == "service" and not result.names:
        problems.warning(who, None, "skipped: the service has no name in any language")
        return None
    return result
