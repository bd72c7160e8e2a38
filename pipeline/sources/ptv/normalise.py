"""Build the normalised model (:mod:`pipeline.sources.ptv.model`) from raw v11 JSON objects.

Input: JSON objects (dicts) of v11 Services, ServiceChannels and Organizations.
Output: model objects, each with the issues found in it, and a problem (a warning) per issue
and per item that cannot be read. Data from PTV is untrusted; it is read in three steps, each
in one place:

1. :func:`clean`: every text of the item loses its control and invisible format characters
   (NUL, bidirectional overrides, ...) and is cut if it is absurdly long;
2. :func:`v11.read`: the shape; a value of the wrong type is left out, the rest is read;
3. the readers below: a value is checked for what it claims to be (a phone number, an e-mail
   or web address, a code, coordinates, opening hours); what is not is shown as text or left
   out.

Every step records a :class:`~pipeline.sources.ptv.model.Issue` with the place of the value in
the item. An item is skipped only when it has no usable id, or (a service) no name in any
language. Pure functions apart from the coordinate transformer, which is built once.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterable, Iterator
from datetime import time
from functools import lru_cache
from typing import Any, Literal, TypeVar
from urllib.parse import urlsplit

from pydantic import BaseModel
from pyproj import Transformer

from pipeline import phone as phones
from pipeline.problems import Problems
from pipeline.sources.ptv import model, v11

T = TypeVar("T")

LANGS = ("fi", "sv", "en")
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
NATIONWIDE = {"Nationwide", "NationwideExceptAlandIslands"}
CHANNEL_TYPES: tuple[model.ChannelType, ...] = (
    "ServiceLocation",
    "EChannel",
    "WebPage",
    "Phone",
    "PrintableForm",
)
HOUR_KINDS: dict[str, model.HourKind] = {
    "Exceptional": "exceptional",
    "OverMidnight": "over-midnight",
}
PHONE_KINDS = ("Phone", "Sms", "Fax")
CHARGE_TYPES: tuple[Literal["Chargeable", "FreeOfCharge", "Other"], ...] = (
    "Chargeable",
    "FreeOfCharge",
    "Other",
)
LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}$")
"""An ISO 639 language code as PTV gives the languages served (``fi``, ``sv``, ``se``)."""
CODE_IN_URI = re.compile(r"/code/([A-Z]+[0-9][0-9.]*)$")
MUNICIPALITY_CODE = re.compile(r"^[0-9]{1,3}$")
COUNTY_CODE = re.compile(r"^[0-9]{1,2}$")
EMAIL = re.compile(r"^[\w.+'-]+@(?:[\w-]+\.)+[A-Za-z]{2,}$")
"""An e-mail address a ``mailto:`` link can carry (no spaces, ``?``, ``<`` or quotes)."""
KIND_NAMES = {
    "service": "PTV service",
    "channel": "PTV channel",
    "organization": "PTV organisation",
}

INVISIBLE = re.compile(
    "["
    "\x00-\x08\x0b-\x1f\x7f"  # C0 controls except tab and newline, and DEL
    "\x80-\x9f"  # C1 controls
    "\u00ad\u061c\u180e"  # soft hyphen, Arabic letter mark, Mongolian vowel separator
    "\u200b\u200c\u200e\u200f"  # zero-width space and non-joiner, LRM, RLM (ZWJ is kept: emoji)
    "\u202a-\u202e"  # bidirectional embeddings and overrides
    "\u2060-\u2064"  # word joiner and invisible operators
    "\u2066-\u206f"  # bidirectional isolates and deprecated format characters
    "\ufeff\ufff9-\ufffb"  # byte order mark, interlinear annotation
    "\ufdd0-\ufdef\ufffe\uffff"  # noncharacters
    "\ud800-\udfff"  # lone surrogates (JSON can carry them; UTF-8 cannot)
    "\U000e0000-\U000e007f"  # tag characters (hidden ASCII)
    "]"
)
"""Characters removed from every text of the source: they cannot be seen, and can hide or
reorder what is shown (U+202E shows "gpj.exe" as "exe.jpg")."""
LINE_BREAKS = re.compile("\r\n?|[\u2028\u2029]")
SUSPECT = re.compile(f"{INVISIBLE.pattern}|[\r\u2028\u2029]")
MAX_TEXT = 5000
"""Longer texts are cut (PTV's longest field, a description, allows 2 500 characters)."""
MAX_URL = 2000
MAX_DEPTH = 32
"""Deeper nesting than any v11 object has is left out, unread."""
NUMBER_WORDS = {2: "two", 3: "three", 4: "four", 5: "five"}

# Finland in EPSG:3067 (ETRS-TM35FIN), with a margin: anything outside is a data error.
NORTHING = (6_600_000.0, 7_800_000.0)
EASTING = (40_000.0, 780_000.0)


# --- issues -------------------------------------------------------------------------------


class Notes:
    """The issues found in one item, in the order found."""

    def __init__(self) -> None:
        self.issues: list[model.Issue] = []

    def add(self, field: str, kind: str, value: Any, message: str, detail: str = "") -> None:
        self.issues.append(model.Issue(field, kind, shown(value), message, detail))


def shown(value: Any, limit: int = 80) -> str:
    """A value as a message quotes it: one line, clean and short."""
    if isinstance(value, str):
        text = " ".join(INVISIBLE.sub("", value).split())
        return text if len(text) <= limit else text[: limit - 1] + "…"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, dict):
        return "an object"
    return "a list" if isinstance(value, list) else type(value).__name__


def quoted(value: Any) -> str:
    """``'text'`` for a text, ``12``, ``null`` or ``an object`` for anything else."""
    return f"'{shown(value)}'" if isinstance(value, str) else shown(value)


def present(items: Iterable[T | None]) -> Iterator[tuple[int, T]]:
    """The entries of a list with their positions in the source, skipping nulls."""
    return ((index, item) for index, item in enumerate(items) if item is not None)


# --- step 1: clean texts ------------------------------------------------------------------


def clean_text(text: str) -> tuple[str, list[str]]:
    """The text without invisible and control characters, and the code points removed."""
    text = LINE_BREAKS.sub("\n", text)
    removed = INVISIBLE.findall(text)
    return (INVISIBLE.sub("", text) if removed else text), removed


def clean(data: Any, notes: Notes, path: v11.Path = ()) -> Any:
    """A copy of a JSON value with every text cleaned (:func:`clean_text`) and cut to
    :data:`MAX_TEXT` characters; each change is noted with its place."""
    if isinstance(data, str):
        return _clean_string(data, notes, path) if _suspect(data) else data
    if isinstance(data, dict | list) and len(path) >= MAX_DEPTH:
        notes.add(v11.path_text(path), "dropped", data, "nested too deep: left out")
        return None
    # Every item passes here: values that need nothing are kept without a call.
    if isinstance(data, dict):
        return {
            key: clean(value, notes, (*path, str(key))) if _suspect(value) else value
            for key, value in data.items()
        }
    if isinstance(data, list):
        return [
            clean(value, notes, (*path, index)) if _suspect(value) else value
            for index, value in enumerate(data)
        ]
    return data


def _suspect(value: Any) -> bool:
    """Whether :func:`clean` must look at a value: a container, or a text to change."""
    if isinstance(value, str):
        return len(value) > MAX_TEXT or SUSPECT.search(value) is not None
    return isinstance(value, dict | list)


def _clean_string(data: str, notes: Notes, path: v11.Path) -> str:
    text, removed = clean_text(data)
    where = v11.path_text(path)
    if removed:
        codes = ", ".join(sorted({f"U+{ord(ch):04X}" for ch in removed}))
        count = len(removed)
        notes.add(
            where,
            "characters",
            text,
            f"{count} invisible or control character{'s' if count > 1 else ''} removed ({codes})",
            codes,
        )
    if len(text) > MAX_TEXT:
        notes.add(
            where,
            "too-long",
            text,
            f"a text of {len(text)} characters, cut to {MAX_TEXT}",
            str(len(text)),
        )
        head = text[:MAX_TEXT]
        text = (head.rsplit(None, 1)[0] if " " in head else head).rstrip() + " …"
    return text


# --- step 2: the shape --------------------------------------------------------------------


def note_dropped(dropped: Iterable[v11.Dropped], notes: Notes) -> None:
    for item in dropped:
        notes.add(
            v11.path_text(item.path),
            "dropped",
            item.value,
            f"{item.reason}, got {quoted(item.value)}: left out",
            item.reason,
        )


# --- step 3: values -----------------------------------------------------------------------


def texts(items: Iterable[v11.LanguageItem | None], kind: str | None = None) -> model.Texts:
    """The first non-empty text per site language, optionally of one ``type`` only."""
    result: model.Texts = {}
    for _, item in present(items):
        if kind is not None and getattr(item, "type", None) != kind:
            continue
        value = (item.value or "").strip()
        if value and item.language in LANGS and item.language not in result:
            result[item.language] = value
    return result


def site_lang(lang: str | None) -> str | None:
    """A language the pages can mark (``lang`` attributes): a site language, else None."""
    return lang if lang in LANGS else None


def municipality_code(code: str | None, field: str = "", notes: Notes | None = None) -> str | None:
    """Statistics Finland's three-digit code; PTV sometimes drops leading zeros."""
    return _code(code, MUNICIPALITY_CODE, 3, "municipality", field, notes)


def county_code(code: str | None, field: str = "", notes: Notes | None = None) -> str | None:
    """A wellbeing services county's two-digit code."""
    return _code(code, COUNTY_CODE, 2, "wellbeing services county", field, notes)


def _code(
    code: str | None, form: re.Pattern[str], width: int, what: str, field: str, notes: Notes | None
) -> str | None:
    if code is None or not code.strip():
        return None
    if form.match(code.strip()):
        return code.strip().zfill(width)
    if notes is not None:
        notes.add(field, "bad-code", code, f"not a {what} code ({quoted(code)}): ignored", what)
    return None


def finto_code(item: v11.FintoItem) -> str | None:
    """The bare code (``P5.2``) of a classification item; legacy URN items may lack it."""
    if item.code and item.code.strip():
        return item.code.strip()
    for uri in (item.newUri, item.uri):
        match = CODE_IN_URI.search(uri or "")
        if match:
            return match.group(1)
    return None


def web_address(url: str) -> bool:
    """Whether a link may go to ``url``: http or https with a host, nothing else."""
    if len(url) > MAX_URL or any(ch.isspace() for ch in url):
        return False
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)


def link(
    url: str | None,
    label: str | None = None,
    lang: str | None = None,
    field: str = "",
    notes: Notes | None = None,
) -> model.Link | None:
    if not url or not url.strip():
        return None
    url = url.strip()
    valid = web_address(url)
    if not valid and notes is not None:
        notes.add(field, "bad-link", url, f"not a web address ({quoted(url)}): left out")
    return model.Link(url, (label or "").strip() or None, site_lang(lang), valid)


def phone(raw: v11.PhoneNumber, field: str = "", notes: Notes | None = None) -> list[model.Phone]:
    """The phones of one PTV phone number: several if it holds several numbers, and text
    (no ``tel:``) for what is not a number."""
    value = (raw.number or "").strip()
    if not value:
        return []
    numbers = phones.read(value, raw.prefixNumber, bool(raw.isFinnishServiceNumber))
    if notes is not None:
        dialled = sum(1 for n in numbers if n.tel)
        if dialled > 1:
            count = NUMBER_WORDS.get(dialled, str(dialled))
            notes.add(
                field,
                "several-phones",
                value,
                f"phone {quoted(value)} holds {count} numbers: shown as {count} links",
                str(dialled),
            )
        for n in numbers:
            if n.tel is None:
                notes.add(
                    field,
                    "not-a-phone",
                    n.shown,
                    f"not a phone number ({quoted(n.shown)}, {n.reason}): "
                    "shown as text, not as a link",
                    n.reason or "",
                )
    charge_type = next((c for c in CHARGE_TYPES if c == raw.serviceChargeType), None)
    if raw.serviceChargeType and charge_type is None and notes is not None:
        notes.add(
            f"{field.rsplit('.', 1)[0]}.serviceChargeType",
            "unknown-value",
            raw.serviceChargeType,
            f"unknown charge type ({quoted(raw.serviceChargeType)}): not shown",
            "charge type",
        )
    return [
        model.Phone(
            number=phones.grouped(n.shown) if n.tel else n.shown,
            tel=n.tel,
            kind=raw.type if raw.type in PHONE_KINDS else "Phone",
            info=(raw.additionalInformation or "").strip() or None,
            charge=(raw.chargeDescription or "").strip() or None,
            lang=site_lang(raw.language),
            charge_type=charge_type,
            service_number=bool(raw.isFinnishServiceNumber),
        )
        for n in numbers
    ]


def languages(items: Iterable[str | None], field: str, notes: Notes) -> tuple[str, ...]:
    """The languages served (``fi``, ``sv``, ``se``...), each once; what is not a language
    code is noted and left out."""
    found: list[str] = []
    for index, value in present(items):
        code = value.strip().lower()
        if not LANGUAGE_CODE.match(code):
            notes.add(
                f"{field}[{index}]",
                "unknown-value",
                value,
                f"not a language code ({quoted(value)}): left out",
                "language",
            )
        elif code not in found:
            found.append(code)
    return tuple(found)


def entrance(raw: v11.Entrance, field: str, notes: Notes) -> model.Entrance | None:
    """An entrance with its accessibility sentences; None when it has neither usable
    coordinates nor sentences."""
    point = None
    if raw.coordinates is not None and (raw.coordinates.latitude or raw.coordinates.longitude):
        point = wgs84(raw.coordinates.latitude, raw.coordinates.longitude)
        if point is None:
            value = f"{raw.coordinates.latitude}, {raw.coordinates.longitude}"
            notes.add(
                f"{field}.coordinates",
                "bad-coordinates",
                value,
                f"coordinates ({quoted(value)}) are not in Finland (EPSG:3067): no map link",
            )
    groups = []
    for _, group in present(raw.accessibilitySentences):
        sentences = tuple(
            found for _, item in present(group.sentences) if (found := texts(item.sentence))
        )
        if sentences:
            groups.append(model.AccessibilityGroup(texts(group.sentenceGroup), sentences))
    if point is None and not groups:
        return None
    return model.Entrance(
        main=bool(raw.isMainEntrance),
        lat=point[0] if point else None,
        lon=point[1] if point else None,
        accessibility=tuple(groups),
    )


def email(value: str | None, field: str = "", notes: Notes | None = None) -> model.Email | None:
    address = (value or "").strip()
    if not address:
        return None
    valid = len(address) <= 254 and bool(EMAIL.match(address))
    if not valid and notes is not None:
        notes.add(
            field,
            "bad-email",
            address,
            f"not an e-mail address ({quoted(address)}): shown as text, not as a link",
        )
    return model.Email(address, valid)


def _clock(value: str | None) -> time | None:
    if not value:
        return None
    try:
        return time.fromisoformat(value)
    except ValueError:
        return None


def _day(name: str | None) -> int | None:
    return DAYS.index(name) if name in DAYS else None


def hours(raw: v11.ServiceHour, field: str = "", notes: Notes | None = None) -> model.Hours | None:
    """Opening hours; a line with an unknown day or time is left out (not shown as closed),
    and so are hours with nothing usable left after that, and exceptional hours without a
    date."""
    kind: model.HourKind = HOUR_KINDS.get(raw.serviceHourType or "", "regular")
    notes = notes if notes is not None else Notes()
    days = []
    left_out = 0
    for index, entry in present(raw.openingHour):
        where = f"{field}.openingHour[{index}]"
        if not entry.dayFrom:
            continue
        bad = [
            (f"{where}.{key}", value, "bad-day", "not a day of the week")
            for key, value in (("dayFrom", entry.dayFrom), ("dayTo", entry.dayTo))
            if value and _day(value) is None
        ] + [
            (f"{where}.{key}", value, "bad-time", "not a time of day")
            for key, value in (("from", entry.from_), ("to", entry.to))
            if value and _clock(value) is None
        ]
        for place, value, code, what in bad:
            notes.add(
                place,
                code,
                value,
                f"{what} ({quoted(value)}): that line of opening hours is left out",
            )
        if bad:
            left_out += 1
            continue
        start = _day(entry.dayFrom)
        assert start is not None  # checked above
        days.append(model.DayHours(start, _day(entry.dayTo), _clock(entry.from_), _clock(entry.to)))
    closed, always_open = bool(raw.isClosed), bool(raw.isAlwaysOpen)
    damaged = left_out or any(i.field.startswith(f"{field}.") for i in notes.issues)
    if damaged and not days and not closed and not always_open:
        # Nothing usable is left; shown, it would read "closed".
        return None
    if kind == "exceptional" and raw.validFrom is None:
        notes.add(field, "no-date", "", "exceptional opening hours without a date: left out")
        return None
    return model.Hours(
        kind=kind,
        days=tuple(days),
        valid_from=raw.validFrom.date() if raw.validFrom else None,
        valid_to=raw.validTo.date() if raw.validTo else None,
        closed=closed,
        always_open=always_open,
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


def address(raw: v11.Address, field: str = "", notes: Notes | None = None) -> model.Address | None:
    kind: Literal["visiting", "postal"] = "postal" if raw.type == "Postal" else "visiting"
    if raw.streetAddress is not None:
        street = raw.streetAddress
        where = f"{field}.streetAddress"
        point = wgs84(street.latitude, street.longitude)
        if point is None and (street.latitude or street.longitude) and notes is not None:
            value = f"{street.latitude}, {street.longitude}"
            notes.add(
                where,
                "bad-coordinates",
                value,
                f"coordinates ({quoted(value)}) are not in Finland (EPSG:3067): no map link",
            )
        return model.Address(
            kind=kind,
            street=texts(street.street),
            number=(street.streetNumber or "").strip() or None,
            postal_code=(street.postalCode or "").strip() or None,
            post_office=texts(street.postOffice),
            municipality=municipality_code(
                street.municipality.code if street.municipality else None,
                f"{where}.municipality.code",
                notes,
            ),
            lat=point[0] if point else None,
            lon=point[1] if point else None,
            info=texts(street.additionalInformation),
            entrances=_entrances(raw, field, notes),
        )
    if raw.postOfficeBoxAddress is not None:
        box = raw.postOfficeBoxAddress
        return model.Address(
            kind="postal",
            street=texts(box.postOfficeBox),
            number=None,
            postal_code=(box.postalCode or "").strip() or None,
            post_office=texts(box.postOffice),
            municipality=municipality_code(
                box.municipality.code if box.municipality else None,
                f"{field}.postOfficeBoxAddress.municipality.code",
                notes,
            ),
        )
    return None


def _entrances(raw: v11.Address, field: str, notes: Notes | None) -> tuple[model.Entrance, ...]:
    notes = notes if notes is not None else Notes()
    found = [entrance(e, f"{field}.entrances[{i}]", notes) for i, e in present(raw.entrances)]
    return tuple(sorted((e for e in found if e), key=lambda e: not e.main))


# --- objects ------------------------------------------------------------------------------


def service(raw: v11.Service, notes: Notes | None = None) -> model.Service:
    notes = notes if notes is not None else Notes()
    municipalities: set[str] = set()
    counties: set[str] = set()
    for a, area in present(raw.areas):
        for m, ref in present(area.municipalities):
            code = municipality_code(ref.code, f"areas[{a}].municipalities[{m}].code", notes)
            if code:
                municipalities.add(code)
        if area.type == "WellbeingServiceCounties":
            code = county_code(area.code, f"areas[{a}].code", notes)
            if code:
                counties.add(code)
    roles = sorted(
        (r for _, r in present(raw.organizations) if r.organization and r.organization.id),
        key=lambda r: r.roleType != "Responsible",
    )
    organisations = tuple(
        dict.fromkeys(r.organization.id for r in roles if r.organization and r.organization.id)
    )
    keywords: dict[str, list[str]] = {}
    for _, item in present(raw.keywords):
        if item.value and item.value.strip() and item.language in LANGS:
            keywords.setdefault(item.language, []).append(item.value.strip())
    channels = (c.serviceChannel.id for _, c in present(raw.serviceChannels) if c.serviceChannel)
    producers = tuple(
        model.Producer(
            organisation=r.organization.id if r.organization else None,
            name=(r.organization.name or "").strip() or None if r.organization else None,
            info=texts(r.additionalInformation),
        )
        for _, r in present(raw.organizations)
        if r.roleType == "Producer"
    )
    return model.Service(
        id=raw.id,
        names=texts(raw.serviceNames, "Name") or texts(raw.serviceNames),
        summaries=texts(raw.serviceDescriptions, "Summary"),
        descriptions=texts(raw.serviceDescriptions, "Description"),
        instructions=texts(raw.serviceDescriptions, "UserInstruction"),
        service_classes=_codes(raw.serviceClasses),
        target_groups=_codes(raw.targetGroups),
        life_events=_codes(raw.lifeEvents),
        ontology_terms=tuple(dict.fromkeys(t.uri for _, t in present(raw.ontologyTerms) if t.uri)),
        keywords={lang: tuple(words) for lang, words in keywords.items()},
        scope="nationwide" if raw.areaType in NATIONWIDE else "limited",
        area_type=raw.areaType,
        municipalities=frozenset(municipalities),
        counties=frozenset(counties),
        channels=tuple(dict.fromkeys(ident for ident in channels if ident)),
        organisations=organisations,
        charge=raw.serviceChargeType,
        modified=raw.modified,
        requirements=texts(raw.requirements),
        served_languages=languages(raw.languages, "languages", notes),
        producers=tuple(p for p in producers if p.name or p.info),
        issues=tuple(notes.issues),
    )


def _codes(items: Iterable[v11.FintoItem | None]) -> tuple[str, ...]:
    codes = (finto_code(item) for _, item in present(items))
    return tuple(dict.fromkeys(code for code in codes if code))


def channel_type(raw: v11.ServiceChannel, notes: Notes) -> model.ChannelType:
    """One of PTV's five channel types, or ``Other`` (noted) for a missing or unknown one."""
    value = raw.serviceChannelType
    for known in CHANNEL_TYPES:
        if value == known:
            return known
    if value is not None:
        notes.add(
            "serviceChannelType",
            "channel-type",
            value,
            f"unknown channel type ({quoted(value)}): shown as other contact details",
        )
    elif not any(issue.field == "serviceChannelType" for issue in notes.issues):
        notes.add(
            "serviceChannelType",
            "no-channel-type",
            "",
            "no channel type: shown as other contact details",
        )
    return "Other"


def channel(raw: v11.ServiceChannel, notes: Notes | None = None) -> model.Channel:
    notes = notes if notes is not None else Notes()
    kind = channel_type(raw, notes)
    links = [
        link(w.url, w.value, w.language, f"webPages[{i}].url", notes)
        for i, w in present(raw.webPages)
    ]
    links += [
        link(u.value, None, u.language, f"channelUrls[{i}].value", notes)
        for i, u in present(raw.channelUrls)
    ]
    numbers = [
        p
        for key in ("phoneNumbers", "supportPhones")
        for i, entry in present(getattr(raw, key))
        for p in phone(entry, f"{key}[{i}].number", notes)
    ]
    emails = [
        email(entry.value, f"{key}[{i}].value", notes)
        for key in ("emails", "supportEmails")
        for i, entry in present(getattr(raw, key))
    ]
    hours_ = [hours(h, f"serviceHours[{i}]", notes) for i, h in present(raw.serviceHours)]
    addresses = [address(a, f"addresses[{i}]", notes) for i, a in present(raw.addresses)]
    return model.Channel(
        id=raw.id,
        type=kind,
        names=texts(raw.serviceChannelNames, "Name") or texts(raw.serviceChannelNames),
        summaries=texts(raw.serviceChannelDescriptions, "Summary"),
        descriptions=texts(raw.serviceChannelDescriptions, "Description"),
        organisation=raw.organizationId,
        addresses=tuple(a for a in addresses if a),
        phones=tuple(numbers),
        emails=tuple({e.address: e for e in emails if e}.values()),
        links=tuple(item for item in links if item),
        hours=tuple(h for h in hours_ if h),
        requires_authentication=bool(raw.requiresAuthentication),
        modified=raw.modified,
        served_languages=languages(raw.languages, "languages", notes),
        issues=tuple(notes.issues),
    )


def organisation(raw: v11.Organization, notes: Notes | None = None) -> model.Organisation:
    notes = notes if notes is not None else Notes()
    links = [
        link(w.url, w.value, w.language, f"webPages[{i}].url", notes)
        for i, w in present(raw.webPages)
    ]
    return model.Organisation(
        id=raw.id,
        names=texts(raw.organizationNames, "Name") or texts(raw.organizationNames),
        type=raw.organizationType,
        business_code=raw.businessCode,
        municipality=municipality_code(
            raw.municipality.code if raw.municipality else None, "municipality.code", notes
        ),
        links=tuple(x for x in links if x),
        issues=tuple(notes.issues),
    )


# --- reading one item ---------------------------------------------------------------------

Reader = tuple[type[BaseModel], Callable[[Any, Notes], Any]]
READERS: dict[str, Reader] = {
    "service": (v11.Service, service),
    "channel": (v11.ServiceChannel, channel),
    "organization": (v11.Organization, organisation),
}


def guid(value: Any) -> str | None:
    """A usable PTV id (a GUID, lowercased), or None."""
    if not isinstance(value, str):
        return None
    try:
        return str(uuid.UUID(INVISIBLE.sub("", value).strip()))
    except ValueError:
        return None


def read_item(raw: Any, kind: str, problems: Problems) -> Any | None:
    """One normalised object, or None (and a problem) when the item cannot be read.

    Every issue of the item is also a warning, ``PTV channel <id>: phoneNumbers[2]: ...``.
    """
    name = KIND_NAMES[kind]
    if not isinstance(raw, dict):
        problems.warning(f"{name} without an id", None, "skipped: not a JSON object")
        return None
    ident = guid(raw.get("id"))
    if ident is None:
        if raw.get("id") is None:
            problems.warning(f"{name} without an id", None, "skipped: no id")
        else:
            problems.warning(f"{name} {shown(raw['id'])}", None, "skipped: the id is not a GUID")
        return None
    who = f"{name} {ident}"
    notes = Notes()
    schema, normaliser = READERS[kind]
    parsed, dropped = v11.read(schema, {**clean(raw, notes), "id": ident})
    if parsed is None:
        problems.warning(who, None, "skipped: the item cannot be read")
        return None
    note_dropped(dropped, notes)
    result = normaliser(parsed, notes)
    if kind == "service" and not result.names:
        problems.warning(who, None, "skipped: the service has no name in any language")
        return None
    for issue in result.issues:
        problems.warning(who, None, str(issue))
    return result
