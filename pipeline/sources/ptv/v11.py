"""Pydantic models of PTV open API v11 objects, as they really arrive, and a lenient reader.

Input: parsed JSON of one Service, ServiceChannel (five types) or Organization.
Output: validated models, and the values that had to be left out to get them.

The models state the shape the pipeline relies on. Real data breaks it in small ways, and one
bad value must not cost the whole item, so reading is lenient value by value:

- unknown keys are ignored (the API adds fields over time);
- any list may be ``null`` instead of ``[]`` and is read as empty; a ``null`` inside a list
  stays ``None`` in its place, so positions are those of the source (readers skip them);
- localised entries may carry ``"value": null`` (kept; the normaliser treats it as missing);
- every field except the top-level ``id`` is optional, and :func:`read` leaves out each value
  of the wrong type or form (a text where a list belongs, an object where a text belongs, a
  date that is not one) and reads the rest, returning what it left out and where;
- ``modified`` is naive UTC with microseconds and is read as an aware UTC datetime;
- codes may lose their leading zeros (``"91"`` for Helsinki ``091``); the normaliser pads them;
- coordinates are EPSG:3067 strings in ``latitude`` (northing) and ``longitude`` (easting).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated, Any, Literal, TypeVar

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

T = TypeVar("T")
M = TypeVar("M", bound=BaseModel)


def _none_to_list(value: Any) -> Any:
    return [] if value is None else value


def _utc(value: Any) -> datetime:
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            raise ValueError("not a date and time (yyyy-mm-ddThh:mm:ss)") from None
    if not isinstance(value, datetime):
        raise ValueError("not a date and time (yyyy-mm-ddThh:mm:ss)")
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


def _check_guid(value: str) -> str:
    try:
        return str(uuid.UUID(value))
    except ValueError:
        raise ValueError("not a GUID") from None


NullableList = BeforeValidator(_none_to_list)
Items = Annotated[list[T | None], NullableList]
"""A list that may be ``null``, with ``null`` entries kept as None in their place."""
Guid = Annotated[str, AfterValidator(_check_guid)]
"""A GUID, lowercased: PTV ids are compared as text across answers."""
UtcDatetime = Annotated[datetime, BeforeValidator(_utc)]


class Loose(BaseModel):
    """Base of the v11 models: extra keys are ignored, values are frozen."""

    model_config = ConfigDict(extra="ignore", frozen=True)


class LanguageItem(Loose):
    value: str | None = None
    language: str | None = None


class LocalizedListItem(LanguageItem):
    type: str | None = None


class Reference(Loose):
    """``{id, name}``: a link to another object; ``name`` is in a language the server chose."""

    id: Guid | None = None
    name: str | None = None


class FintoItem(Loose):
    """A code of a classification (service class, target group, life event, ontology term)."""

    name: Items[LanguageItem] = []
    code: str | None = None
    ontologyType: str | None = None
    uri: str | None = None
    parentUri: str | None = None
    newUri: str | None = None


class MunicipalityRef(Loose):
    code: str | None = None
    name: Items[LanguageItem] = []


class Area(Loose):
    type: str | None = None
    code: str | None = None
    name: Items[LanguageItem] = []
    municipalities: Items[MunicipalityRef] = []


class WebPage(Loose):
    url: str | None = None
    value: str | None = None
    language: str | None = None


class OpeningHour(Loose):
    dayFrom: str | None = None
    dayTo: str | None = None
    # "from" is a Python keyword; the JSON key is kept through the alias.
    from_: str | None = Field(default=None, alias="from")
    to: str | None = None


class ServiceHour(Loose):
    serviceHourType: str | None = None
    validFrom: UtcDatetime | None = None
    validTo: UtcDatetime | None = None
    isClosed: bool | None = False
    validForNow: bool | None = False
    isAlwaysOpen: bool | None = False
    isReservation: bool | None = False
    additionalInformation: Items[LanguageItem] = []
    openingHour: Items[OpeningHour] = []


class PhoneNumber(Loose):
    type: str | None = None
    additionalInformation: str | None = None
    serviceChargeType: str | None = None
    chargeDescription: str | None = None
    prefixNumber: str | None = None
    isFinnishServiceNumber: bool | None = False
    number: str | None = None
    language: str | None = None


class StreetAddress(Loose):
    street: Items[LanguageItem] = []
    streetNumber: str | None = None
    postalCode: str | None = None
    postOffice: Items[LanguageItem] = []
    municipality: MunicipalityRef | None = None
    additionalInformation: Items[LanguageItem] = []
    latitude: str | None = None
    longitude: str | None = None


class PostOfficeBoxAddress(Loose):
    postOfficeBox: Items[LanguageItem] = []
    postalCode: str | None = None
    postOffice: Items[LanguageItem] = []
    municipality: MunicipalityRef | None = None


class Coordinates(Loose):
    latitude: str | None = None
    longitude: str | None = None


class Sentence(Loose):
    sentence: Items[LanguageItem] = []


class AccessibilitySentence(Loose):
    """A group of accessibility sentences: ``sentenceGroup`` names it, per language."""

    sentenceGroup: Items[LanguageItem] = []
    sentences: Items[Sentence] = []


class Entrance(Loose):
    """An entrance of a service location, with its accessibility (from the accessibility
    register, through PTV)."""

    isMainEntrance: bool | None = False
    coordinates: Coordinates | None = None
    accessibilitySentences: Items[AccessibilitySentence] = []


class Address(Loose):
    type: str | None = None
    subType: str | None = None
    streetAddress: StreetAddress | None = None
    postOfficeBoxAddress: PostOfficeBoxAddress | None = None
    entrances: Items[Entrance] = []
    country: str | None = None


class Connection(Loose):
    """A service–channel connection as seen from the service."""

    serviceChannel: Reference | None = None


class ServiceRef(Loose):
    """A service–channel connection as seen from the channel."""

    service: Reference | None = None


class OrganizationRole(Loose):
    organization: Reference | None = None
    roleType: str | None = None
    provisionType: str | None = None
    additionalInformation: Items[LanguageItem] = []


class Service(Loose):
    id: Guid
    type: str | None = None
    fundingType: str | None = None
    serviceNames: Items[LocalizedListItem] = []
    serviceChargeType: str | None = None
    areaType: str | None = None
    areas: Items[Area] = []
    serviceDescriptions: Items[LocalizedListItem] = []
    languages: Items[str] = []
    serviceClasses: Items[FintoItem] = []
    ontologyTerms: Items[FintoItem] = []
    targetGroups: Items[FintoItem] = []
    lifeEvents: Items[FintoItem] = []
    keywords: Items[LanguageItem] = []
    requirements: Items[LanguageItem] = []
    serviceChannels: Items[Connection] = []
    organizations: Items[OrganizationRole] = []
    publishingStatus: str | None = None
    modified: UtcDatetime | None = None


class ServiceChannel(Loose):
    """Any of the five channel types; the type-specific fields are optional on all of them.

    ``serviceChannelType`` is read as text: the normaliser knows the five types and says what
    it does with another.
    """

    id: Guid
    serviceChannelType: str | None = None
    organizationId: Guid | None = None
    serviceChannelNames: Items[LocalizedListItem] = []
    serviceChannelDescriptions: Items[LocalizedListItem] = []
    areaType: str | None = None
    areas: Items[Area] = []
    languages: Items[str] = []
    webPages: Items[WebPage] = []
    serviceHours: Items[ServiceHour] = []
    services: Items[ServiceRef] = []
    phoneNumbers: Items[PhoneNumber] = []
    supportPhones: Items[PhoneNumber] = []
    emails: Items[LanguageItem] = []
    supportEmails: Items[LanguageItem] = []
    addresses: Items[Address] = []
    channelUrls: Items[LocalizedListItem] = []
    requiresAuthentication: bool | None = None
    publishingStatus: str | None = None
    modified: UtcDatetime | None = None


class Organization(Loose):
    id: Guid
    organizationType: str | None = None
    businessCode: str | None = None
    organizationNames: Items[LocalizedListItem] = []
    organizationDescriptions: Items[LocalizedListItem] = []
    municipality: MunicipalityRef | None = None
    webPages: Items[WebPage] = []
    publishingStatus: str | None = None
    modified: UtcDatetime | None = None


class GuidItem(Loose):
    """An item of a GUID page: ``{id, name}``, where ``name`` may be null."""

    id: str
    name: str | None = None


class Page(Loose):
    """The paging envelope; ``itemList`` is ``null`` on an empty or out-of-range page."""

    pageNumber: int = 1
    pageSize: int | None = None
    pageCount: int = 0
    itemList: Annotated[list[Any], NullableList] = []


def kind_of(item: dict[str, Any]) -> Literal["service", "channel", "organization"] | None:
    """Which v11 object a JSON object is, from the keys only that kind has."""
    if "serviceChannelType" in item:
        return "channel"
    if "serviceNames" in item:
        return "service"
    if "organizationNames" in item or "businessCode" in item or "organizationType" in item:
        return "organization"
    return None


# --- reading leniently ----------------------------------------------------------------------

Path = tuple[str | int, ...]
EXPECTED = {
    "string_type": "a text",
    "list_type": "a list",
    "dict_type": "an object",
    "model_type": "an object",
    "model_attributes_type": "an object",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "int_type": "a whole number",
    "int_parsing": "a whole number",
    "datetime_type": "a date and time",
    "datetime_parsing": "a date and time",
}
"""What a value should have been, by pydantic's error type, for the messages."""


@dataclass(frozen=True)
class Dropped:
    """A value :func:`read` left out: where it was, what it was and why it did not fit."""

    path: Path
    value: Any
    reason: str
    """Why, in words: "expected a list", "not a GUID"."""


def path_text(path: Path) -> str:
    """``("areas", 0, "code")`` -> ``areas[0].code``."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


def _place(data: Any, loc: tuple[str | int, ...]) -> Path:
    """The deepest place of ``loc`` that exists in ``data`` (pydantic may add union tags)."""
    path: list[str | int] = []
    node = data
    for part in loc:
        if isinstance(node, dict):
            found = isinstance(part, str) and part in node
        else:
            found = isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)
        if not found:
            break
        node = node[part]
        path.append(part)
    return tuple(path)


def _reason(kind: str, message: str) -> str:
    if kind in EXPECTED:
        return f"expected {EXPECTED[kind]}"
    message = message.removeprefix("Value error, ")
    return message[:1].lower() + message[1:]


def _get(data: Any, path: Path) -> Any:
    for part in path:
        data = data[part]
    return data


def read(schema: type[M], data: dict[str, Any]) -> tuple[M | None, list[Dropped]]:
    """The model of ``data``, leaving out every value that does not fit, and those values.

    Validation finds every misfit at once with its place; each is left out (a key is removed,
    so its default applies; a list entry becomes None, so the others keep their positions)
    and the rest is validated again. A place that still does not fit takes its container with
    it, so every round leaves out more and the loop ends. Returns None for the model only when
    the top level itself does not fit (no usable ``id``). ``data`` is changed: pass a copy.
    """
    dropped: list[Dropped] = []
    done: set[Path] = set()
    while True:
        try:
            return schema.model_validate(data), dropped
        except ValidationError as exc:
            places: dict[Path, str] = {}
            for error in exc.errors():
                path = _place(data, tuple(error["loc"]))
                while path in done:
                    path = path[:-1]
                places.setdefault(path, _reason(error["type"], str(error["msg"])))
        if () in places or ("id",) in places:
            reason = places.get(("id",)) or places[()]
            return None, [*dropped, Dropped(("id",), data.get("id"), reason)]
        # Only the outermost places: an inner misfit goes with its container.
        for path in [p for p in places if not any(p[: len(q)] == q != p for q in places)]:
            container, key = _get(data, path[:-1]), path[-1]
            dropped.append(Dropped(path, container[key], places[path]))
            done.add(path)
            if isinstance(container, list) and isinstance(key, int):
                container[key] = None
            else:
                del container[key]
