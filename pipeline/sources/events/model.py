"""The normalised model of activities and events, whatever source they come from.

Input: the fields a source reader (:mod:`.linked_events`, :mod:`.ics`, :mod:`.lahella`,
:mod:`.ptv_activities`) found in one raw item, as plain Python values. Output: one frozen
:class:`Event` and the :class:`Issue` list of what could not be used as it came.

Every value is untrusted. Each text loses its invisible and control characters (as PTV's do);
names, summaries and every other plain text lose their HTML too; descriptions keep only a small
set of harmless tags (:data:`DESCRIPTION_TAGS`, cleaned by ``nh3``). Links are http or https
with a host; business IDs carry a valid check digit; coordinates are WGS84 inside Finland;
times are aware and in Europe/Helsinki. :func:`build_event` validates the item field by field:
a field that fails is dropped (its default is used) and reported with the item's id; the item
is skipped only when its id, source, kind or every name is unusable.

Texts are per language (``fi``, ``sv``, ``en``); a language without a text is absent, never an
empty string. Keywords are YSO URIs (``http://www.yso.fi/onto/yso/p4354``), the form the
articles' ``ontology_terms`` use, so matching compares them as they are.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from datetime import datetime
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo

import nh3
from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
)

from pipeline.sources.ptv.normalise import clean_text, quoted, shown, web_address

HELSINKI = ZoneInfo("Europe/Helsinki")
LANGS = ("fi", "sv", "en")
MAX_TEXT = 5000
"""Longer texts are cut: no description of an event needs more."""
DESCRIPTION_TAGS = {"p", "br", "ul", "ol", "li", "strong", "em", "b", "i", "a"}
"""The HTML a description keeps; everything else is taken out and its text kept."""
YSO_URI = re.compile(r"^http://www\.yso\.fi/onto/[a-z]+/p\d{1,6}$")
MUNICIPALITY_CODE = re.compile(r"^\d{3}$")
POSTAL_CODE = re.compile(r"^\d{5}$")
EMAIL = re.compile(r"^[\w.+'-]+@(?:[\w-]+\.)+[A-Za-z]{2,}$")
"""An e-mail address a ``mailto:`` link can carry (no spaces, ``?``, ``<`` or quotes)."""
BUSINESS_ID = re.compile(r"^(\d{7})-(\d)$")
BUSINESS_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2)
# Finland with a margin; a swapped longitude and latitude falls outside.
LATITUDE = (59.0, 70.5)
LONGITUDE = (19.0, 32.0)

SourceName = Literal["linked-events", "ics", "lahella", "ptv"]
Kind = Literal["event", "recurring", "long-term"]
"""``event``: one-off (one or a few dates); ``recurring``: a series of dates (a weekly club, a
Linked Events super event with its sub events, an RRULE); ``long-term``: ongoing activity
without dates in the source (a family café open on weekdays, a PTV service)."""
Status = Literal["scheduled", "rescheduled", "postponed", "cancelled"]
Mode = Literal["in-person", "online", "hybrid"]


# --- cleaning -----------------------------------------------------------------------------


def _clean(value: str) -> str:
    text, _ = clean_text(value)
    text = text.strip()
    if len(text) > MAX_TEXT:
        head = text[:MAX_TEXT]
        text = (head.rsplit(None, 1)[0] if " " in head else head).rstrip() + " …"
    return text


def plain(value: str) -> str:
    """A text without markup: tags taken out (their text kept), entities decoded, spaces
    collapsed. The pages escape it again when they show it."""
    stripped = nh3.clean(_clean(value), tags=set(), strip_comments=True)
    return " ".join(html.unescape(stripped).split())


def safe_html(value: str) -> str:
    """A description with only :data:`DESCRIPTION_TAGS`; links http, https or mailto, and
    ``rel="noopener nofollow"`` (nh3's default) on every link."""
    text = _clean(value)
    if "<" not in text:
        # A plain-text description: keep its paragraphs.
        paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n", text)]
        text = "".join(f"<p>{html.escape(p, quote=False)}</p>" for p in paragraphs if p)
    return nh3.clean(
        text,
        tags=DESCRIPTION_TAGS,
        attributes={"a": {"href"}},
        url_schemes={"http", "https", "mailto"},
        strip_comments=True,
    ).strip()


def _nonempty(value: str) -> str:
    if not value:
        raise ValueError("empty after cleaning")
    return value


def _texts(cleaner: Any) -> Any:
    def check(value: dict[str, str]) -> dict[str, str]:
        result = {}
        for lang, text in value.items():
            if lang not in LANGS:
                continue  # the sites are in fi, sv and en; other languages are not shown
            cleaned = cleaner(text)
            if cleaned:
                result[lang] = cleaned
        return result

    return check


def _link(value: str) -> str:
    value = value.strip()
    if not web_address(value):
        raise ValueError(f"not a web address ('{shown(value)}')")
    return value


def _business_id(value: str) -> str:
    value = value.strip()
    match = BUSINESS_ID.match(value)
    if match is None:
        raise ValueError(f"not a business ID ('{shown(value)}'; expected 1234567-8)")
    total = sum(int(d) * w for d, w in zip(match.group(1), BUSINESS_ID_WEIGHTS, strict=True))
    rest = total % 11
    if rest == 1 or (0 if rest == 0 else 11 - rest) != int(match.group(2)):
        raise ValueError(f"business ID '{value}' has a wrong check digit")
    return value


def _municipality(value: str) -> str:
    value = value.strip()
    if value.isdigit() and len(value) < 3:
        value = value.zfill(3)
    if not MUNICIPALITY_CODE.match(value):
        raise ValueError(f"not a municipality code ('{shown(value)}')")
    return value


def _yso(value: str) -> str:
    value = value.strip()
    if not YSO_URI.match(value):
        raise ValueError(f"not a YSO concept URI ('{shown(value)}')")
    return value


def _email(value: str) -> str:
    value = value.strip()
    if len(value) > 254 or not EMAIL.match(value):
        raise ValueError(f"not an e-mail address ('{shown(value)}')")
    return value


def _postal_code(value: str) -> str:
    value = value.strip()
    if not POSTAL_CODE.match(value):
        raise ValueError(f"not a Finnish postal code ('{shown(value)}')")
    return value


def _local(value: datetime) -> datetime:
    """Europe/Helsinki: the pages show Finnish time."""
    return value.astimezone(HELSINKI)


PlainText = Annotated[str, AfterValidator(plain)]
Name = Annotated[str, AfterValidator(plain), AfterValidator(_nonempty)]
Texts = Annotated[dict[str, str], AfterValidator(_texts(plain))]
"""Plain text per site language; languages without a text are absent."""
HtmlTexts = Annotated[dict[str, str], AfterValidator(_texts(safe_html))]
"""Sanitised HTML per site language (:data:`DESCRIPTION_TAGS` only)."""
Link = Annotated[str, AfterValidator(_link)]
Email = Annotated[str, AfterValidator(_email)]
PostalCode = Annotated[str, AfterValidator(_postal_code)]
BusinessId = Annotated[str, AfterValidator(_business_id)]
MunicipalityCode = Annotated[str, AfterValidator(_municipality)]
YsoUri = Annotated[str, AfterValidator(_yso)]
LocalTime = Annotated[AwareDatetime, AfterValidator(_local)]
"""An aware datetime, converted to Europe/Helsinki (a naive one is refused)."""


class Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# --- parts --------------------------------------------------------------------------------


class Issue(Frozen):
    """A value of the source that could not be used as it came, and what was done instead."""

    field: str
    """Where in the normalised item (``place.position``, ``registration.url``) or the source
    item (``offers[0].info_url``)."""
    message: str
    """What is wrong and what was done, in English: "not a web address ('www'): left out"."""

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


class Organiser(Frozen):
    names: Texts = {}
    business_id: BusinessId | None = None
    """The Finnish business ID (Y-tunnus), check digit verified; the key of deduplication."""
    url: Link | None = None


def _latitude(value: float) -> float:
    if not LATITUDE[0] <= value <= LATITUDE[1]:
        raise ValueError(f"latitude {value} is not in Finland (longitude and latitude swapped?)")
    return value


def _longitude(value: float) -> float:
    if not LONGITUDE[0] <= value <= LONGITUDE[1]:
        raise ValueError(f"longitude {value} is not in Finland (longitude and latitude swapped?)")
    return value


class Position(Frozen):
    """WGS84 degrees, inside Finland."""

    lat: Annotated[float, AfterValidator(_latitude)]
    lon: Annotated[float, AfterValidator(_longitude)]


class Place(Frozen):
    id: str | None = None
    """The source's id of the place (``tprek:8310``), if it has one."""
    names: Texts = {}
    street: Texts = {}
    """Street address per language (``Kauppakatu 12``)."""
    postal_code: PostalCode | None = None
    locality: Texts = {}
    """Post office or town per language."""
    municipality: MunicipalityCode | None = None
    position: Position | None = None
    accessibility: Texts = {}
    """What the source says of the place's accessibility, per language."""
    info: Texts = {}
    """More about finding the place (``2. kerros, sisäänkäynti pihalta``)."""


class Occurrence(Frozen):
    """One date of an event or recurring activity, in Finnish time."""

    start: LocalTime
    end: LocalTime | None = None
    all_day: bool = False
    """A whole day (an ICS ``DATE`` value): the pages show the date without a time."""
    status: Status = "scheduled"
    source_id: str | None = None
    """The id of this date in the source (a Linked Events sub event), if it has one."""

    @field_validator("end")
    @classmethod
    def _end_after_start(cls, end: datetime | None, info: ValidationInfo) -> datetime | None:
        start = info.data.get("start")
        if end is not None and start is not None and end < start:
            raise ValueError("the end is before the start")
        return end


class Recurrence(Frozen):
    """How a recurring activity repeats; its dates within the horizon are ``occurrences``."""

    rule: str | None = None
    """The iCalendar RRULE as the source gave it (``FREQ=WEEKLY;BYDAY=TU``), if it has one."""
    description: Texts = {}
    """The source's own words for the schedule (``Tiistaisin klo 9.30–11.30``)."""


class Price(Frozen):
    free: bool | None = None
    """True: free of charge; False: charged; None: the source does not say."""
    description: Texts = {}
    """The price in words per language (``5 €/perhe``)."""
    url: Link | None = None
    """Where to buy tickets or read about the price."""


class Registration(Frozen):
    required: bool | None = None
    url: Link | None = None
    email: Email | None = None
    opens: LocalTime | None = None
    closes: LocalTime | None = None
    open: bool | None = None
    """Whether registration is open at the build: from the source's own flag, or from
    ``opens``/``closes`` compared with the build date; None when unknown."""
    description: Texts = {}


class Contact(Frozen):
    name: PlainText | None = None
    phone: PlainText | None = None
    """As the source gave it; sample data carries made-up numbers and ``sample: true``."""
    email: Email | None = None
    url: Link | None = None
    description: Texts = {}
    sample: bool = False
    """A made-up contact of the sample data: shown as an example, never as a link."""


class Keyword(Frozen):
    uri: YsoUri
    names: Texts = {}


# --- the item -----------------------------------------------------------------------------


class Event(Frozen):
    """One activity or event as the site shows it.

    Filled by a source reader; ``occurrences`` holds only the dates from the build date to the
    end of the horizon (past dates are gone); ``merged`` is filled by :mod:`.merge`.
    """

    id: str = Field(pattern=r"^[a-z-]+:\S+$", max_length=300)
    """Unique across sources and stable between builds: ``<source>:<source id>``
    (``linked-events:helsinki:agdjd4x4ka``); event pages and ICS UIDs are made from it."""
    source: SourceName
    source_id: str = Field(min_length=1, max_length=250)
    """The item's id in its source."""
    kind: Kind
    names: Texts = Field(min_length=1)
    summaries: Texts = {}
    descriptions: HtmlTexts = {}
    organiser: Organiser | None = None
    keywords: tuple[Keyword, ...] = ()
    """YSO concepts of the item (topics and audiences)."""
    audience_min_age: int | None = Field(default=None, ge=0, le=120)
    audience_max_age: int | None = Field(default=None, ge=0, le=120)
    municipalities: tuple[MunicipalityCode, ...] = ()
    """Where it is held, the place's municipality first; empty when it is only online or the
    source does not say (such an item is shown only where its source is configured)."""
    place: Place | None = None
    mode: Mode = "in-person"
    online_url: Link | None = None
    start: LocalTime | None = None
    """The first upcoming date (of ``occurrences``); None for a long-term activity."""
    end: LocalTime | None = None
    """The end of the last upcoming date."""
    occurrences: tuple[Occurrence, ...] = ()
    """Every date from the build date to the end of the horizon, in order."""
    recurrence: Recurrence | None = None
    status: Status = "scheduled"
    price: Price | None = None
    registration: Registration | None = None
    contacts: tuple[Contact, ...] = ()
    in_languages: tuple[str, ...] = ()
    """Languages the activity is held in (ISO 639 codes: ``fi``, ``sv``, ``ar``...)."""
    url: Link | None = None
    """The item's page at the source (or the organiser's page), for "more at the source"."""
    modified: LocalTime | None = None
    """When the source last changed the item."""
    fetched_at: LocalTime | None = None
    """When the answer holding it was fetched (set by the loader)."""
    sample: bool = False
    """Sample data committed with the project, not a real event (set by the loader)."""
    issues: tuple[Issue, ...] = ()
    merged: tuple[str, ...] = ()
    """Ids of records of the same activity from other sources folded into this one."""

    @field_validator("names")
    @classmethod
    def _has_name(cls, names: dict[str, str]) -> dict[str, str]:
        if not names:
            raise ValueError("no name in Finnish, Swedish or English")
        return names

    @field_validator("audience_max_age")
    @classmethod
    def _ages_in_order(cls, high: int | None, info: ValidationInfo) -> int | None:
        low = info.data.get("audience_min_age")
        if low is not None and high is not None and high < low:
            raise ValueError(f"the highest age {high} is below the lowest age {low}")
        return high

    @field_validator("end")
    @classmethod
    def _end_after_start(cls, end: datetime | None, info: ValidationInfo) -> datetime | None:
        start = info.data.get("start")
        if end is not None and start is not None and end < start:
            raise ValueError("the end is before the start")
        return end

    def name(self, lang: str) -> tuple[str, str]:
        """The name in ``lang``, else in Finnish, Swedish or English, with its language."""
        for candidate in (lang, *LANGS):
            if self.names.get(candidate):
                return self.names[candidate], candidate
        raise AssertionError("an event always has a name")  # names has min_length=1

    @property
    def upcoming(self) -> bool:
        """Whether the item has a date left in the horizon or is a long-term activity."""
        return self.kind == "long-term" or bool(self.occurrences)


# --- building an item field by field ------------------------------------------------------

REQUIRED = ("id", "source", "source_id", "kind", "names")
"""Fields without which an item is skipped (a bad name in one language only loses that
language)."""


class Unusable(ValueError):
    """An item without a usable id, source, kind or name: it is skipped and reported."""


def _location(loc: tuple[int | str, ...]) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _drop(data: Any, loc: tuple[int | str, ...]) -> bool:
    """Remove the value at ``loc`` (the deepest dict key or list entry); False if absent."""
    *parents, last = loc
    node = data
    for part in parents:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return False
    if isinstance(node, dict) and last in node:
        del node[last]
        return True
    if isinstance(node, list) and isinstance(last, int) and 0 <= last < len(node):
        del node[last]
        return True
    return False


def _copy(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_copy(v) for v in value]
    return value


def build_event(fields: Mapping[str, Any], issues: list[Issue] | None = None) -> Event:
    """The event of ``fields``, each bad value dropped and added to its ``issues``.

    Validation runs on the whole item; each value that fails is removed at its own place (a
    bad ``place.position`` loses only the position, a bad Swedish name only the Swedish name)
    and validation runs again until it passes. Raises :class:`Unusable` when a required field
    (:data:`REQUIRED`) fails as a whole or no name is left.
    """
    data = _copy(dict(fields))
    found: list[Issue] = list(issues or [])
    while True:
        try:
            return Event.model_validate({**data, "issues": found})
        except ValidationError as exc:
            errors = exc.errors()
        dropped: list[tuple[int | str, ...]] = []
        # Where to drop is decided before anything is dropped: a drop moves what follows.
        for loc, message in [_place_of(data, error) for error in errors]:
            if any(loc[: len(done)] == done for done in dropped):
                continue  # inside a value this round has already left out
            where = _location(loc)
            if not loc or loc[0] == "issues" or (loc[0] in REQUIRED and len(loc) == 1):
                raise Unusable(f"{where or 'the item'}: {message}")
            if not _drop(data, loc):
                raise Unusable(f"{where}: {message}")
            dropped.append(loc)
            found.append(Issue(field=where, message=f"{message}: left out"))
        if not data.get("names"):
            raise Unusable("names: no name in Finnish, Swedish or English")


def _place_of(data: Any, error: Any) -> tuple[tuple[int | str, ...], str]:
    """Where to drop for a validation error, and what to say: a missing part makes its
    whole object unusable (a position without a latitude)."""
    raw = tuple(error["loc"])
    if error["type"] == "missing":
        return _trim(data, raw[:-1]), f"no {raw[-1]}" if raw else "missing"
    return _trim(data, raw), _message(error)


def _trim(data: Any, loc: tuple[int | str, ...]) -> tuple[int | str, ...]:
    """The place to drop for an error at ``loc``: pydantic may point inside a value
    (``start``, then a type name); drop the deepest part that really exists."""
    node = data
    for depth, part in enumerate(loc):
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return loc[:depth] if depth else loc
    return loc


def _message(error: Any) -> str:
    message = str(error.get("msg", "invalid"))
    message = message.removeprefix("Value error, ")
    value = error.get("input")
    if error.get("type") in ("value_error", "assertion_error") or value is None:
        return message
    return f"{message} (got {quoted(value)})"
