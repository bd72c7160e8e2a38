"""The normalised service model the pipeline uses after PTV (matching, pages, reports).

It is independent of the API version: :mod:`pipeline.sources.ptv.normalise` builds it from
v11 objects, and a v12 source would build the same objects. Texts are per language with
missing languages absent (never empty strings); codes are bare (``P5.2``, ``KR1.2``,
municipality ``091``); coordinates are WGS84; times are aware UTC datetimes. Every text is
clean (no control or invisible format characters). What could not be used as it came is left
out, or kept as plain text, and listed in the item's ``issues``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Literal

Texts = dict[str, str]
"""A text per language code; languages without a text are absent."""

FALLBACK = ("fi", "sv", "en")


@dataclass(frozen=True)
class Text:
    """A text and the language it is really in (which may differ from the page's)."""

    value: str
    lang: str


def pick(texts: Texts, lang: str) -> Text | None:
    """The text in ``lang``, else in Finnish, Swedish or English, with its real language."""
    for candidate in (lang, *FALLBACK):
        if texts.get(candidate):
            return Text(texts[candidate], candidate)
    return None


@dataclass(frozen=True)
class Issue:
    """A value of the source that could not be used as it came, and what was done instead.

    Filled by the normaliser; the build lists each as a warning (``PTV channel <id>: ...``) and
    the county's PTV report words it for the PTV maintainer.
    """

    field: str
    """Where in the source item: ``phoneNumbers[2]``, ``serviceNames[0].value``."""
    kind: str
    """A stable code: ``not-a-phone``, ``several-phones``, ``bad-email``, ``bad-link``, ..."""
    value: str
    """The value as it came (cleaned and shortened), for the reader to find it."""
    message: str
    """What is wrong and what was done, in English: "not a phone number ('soita'): shown as
    text, not as a link"."""
    detail: str = ""
    """A machine-readable detail the message words (a reason code, a count)."""

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


@dataclass(frozen=True)
class Address:
    kind: Literal["visiting", "postal"]
    street: Texts
    number: str | None
    postal_code: str | None
    post_office: Texts
    municipality: str | None
    """Municipality code (three digits)."""
    lat: float | None = None
    lon: float | None = None
    info: Texts = field(default_factory=dict)
    entrances: tuple[Entrance, ...] = ()
    """The entrances of a visiting address, main entrance first."""


@dataclass(frozen=True)
class AccessibilityGroup:
    """One group of accessibility sentences of an entrance ("Pääsisäänkäynti": "Ovi avautuu
    automaattisesti", ...), per language."""

    title: Texts
    sentences: tuple[Texts, ...]


@dataclass(frozen=True)
class Entrance:
    main: bool
    lat: float | None = None
    lon: float | None = None
    accessibility: tuple[AccessibilityGroup, ...] = ()


@dataclass(frozen=True)
class Phone:
    number: str
    """As shown: national form for Finnish numbers (``040 123 4567``, ``116 117``)."""
    tel: str | None
    """The ``tel:`` value (``+358401234567``); None when the value is not a phone number, so
    it is shown as text, not as a link."""
    kind: str = "Phone"
    info: str | None = None
    charge: str | None = None
    """PTV's ``chargeDescription``: what a call costs, in words."""
    lang: str | None = None
    charge_type: Literal["Chargeable", "FreeOfCharge", "Other"] | None = None
    """PTV's ``serviceChargeType`` of the number; None when PTV does not say."""
    service_number: bool = False
    """PTV's ``isFinnishServiceNumber``: a service number, charged by the operator's tariff."""


@dataclass(frozen=True)
class Link:
    url: str
    label: str | None
    lang: str | None
    valid: bool
    """False for a malformed address (no http/https scheme or host): reported, not linked."""


@dataclass(frozen=True)
class Email:
    address: str
    valid: bool
    """False for what is not an e-mail address: shown as text, not as a ``mailto:`` link."""


@dataclass(frozen=True)
class DayHours:
    day_from: int
    """0 = Monday."""
    day_to: int | None
    opens: time | None
    closes: time | None


HourKind = Literal["regular", "exceptional", "over-midnight"]


@dataclass(frozen=True)
class Hours:
    kind: HourKind
    days: tuple[DayHours, ...] = ()
    valid_from: date | None = None
    valid_to: date | None = None
    closed: bool = False
    always_open: bool = False
    reservation: bool = False
    info: Texts = field(default_factory=dict)


ChannelType = Literal["ServiceLocation", "EChannel", "WebPage", "Phone", "PrintableForm", "Other"]
"""PTV's five channel types, and ``Other`` for a type the normaliser does not know."""


@dataclass(frozen=True)
class Channel:
    id: str
    type: ChannelType
    names: Texts
    summaries: Texts
    descriptions: Texts
    organisation: str | None
    addresses: tuple[Address, ...] = ()
    phones: tuple[Phone, ...] = ()
    emails: tuple[Email, ...] = ()
    links: tuple[Link, ...] = ()
    hours: tuple[Hours, ...] = ()
    requires_authentication: bool = False
    modified: datetime | None = None
    issues: tuple[Issue, ...] = ()
    served_languages: tuple[str, ...] = ()
    """PTV's ``languages``: the languages the channel serves in (ISO 639-1 codes)."""


AreaScope = Literal["nationwide", "limited"]


@dataclass(frozen=True)
class Service:
    id: str
    names: Texts
    summaries: Texts
    descriptions: Texts
    instructions: Texts
    service_classes: tuple[str, ...]
    target_groups: tuple[str, ...]
    life_events: tuple[str, ...]
    ontology_terms: tuple[str, ...]
    """Ontology term URIs."""
    keywords: dict[str, tuple[str, ...]]
    scope: AreaScope
    area_type: str | None
    """PTV's own value: ``Nationwide``, ``NationwideExceptAlandIslands`` or ``LimitedType``."""
    municipalities: frozenset[str]
    """Municipality codes the service is offered in (directly or through a larger area)."""
    counties: frozenset[str]
    """Wellbeing services county codes the service names as its area."""
    channels: tuple[str, ...]
    organisations: tuple[str, ...]
    """Organisation ids, the responsible one first."""
    charge: str | None = None
    modified: datetime | None = None
    issues: tuple[Issue, ...] = ()
    requirements: Texts = field(default_factory=dict)
    """PTV's ``requirements``: who may use the service and what is needed."""
    served_languages: tuple[str, ...] = ()
    """PTV's ``languages``: the languages the service is provided in (ISO 639-1 codes)."""
    producers: tuple[Producer, ...] = ()
    """The organisations in the ``Producer`` role, as the service names them."""

    @property
    def languages(self) -> tuple[str, ...]:
        """The languages the service has a name in, i.e. the published language versions."""
        return tuple(lang for lang in FALLBACK if self.names.get(lang))


@dataclass(frozen=True)
class Producer:
    """An organisation that produces the service: its id and name as the service gives them
    (``organization.name`` is in one language the server chose), and the free text of
    ``additionalInformation`` (a purchased service's producer is often named only there)."""

    organisation: str | None
    name: str | None
    info: Texts = field(default_factory=dict)


@dataclass(frozen=True)
class Organisation:
    id: str
    names: Texts
    type: str | None
    business_code: str | None
    municipality: str | None
    links: tuple[Link, ...] = ()
    issues: tuple[Issue, ...] = ()
