"""Pydantic models of PTV open API v11 objects, as they really arrive.

Input: parsed JSON of one Service, ServiceChannel (five types) or Organization.
Output: validated models. They are deliberately lenient where the real API is loose and strict
where the rest of the pipeline relies on a value:

- unknown keys are ignored (the API adds fields over time);
- any list may be ``null`` instead of ``[]`` and is read as empty;
- localised entries may carry ``"value": null`` (kept; the normaliser treats it as missing);
- ``modified`` is naive UTC with microseconds and is read as an aware UTC datetime;
- codes may lose their leading zeros (``"91"`` for Helsinki ``091``); the normaliser pads them;
- coordinates are EPSG:3067 strings in ``latitude`` (northing) and ``longitude`` (easting).
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field


def _none_to_list(value: Any) -> Any:
    return [] if value is None else value


def _utc(value: Any) -> Any:
    if isinstance(value, str):
        value = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if isinstance(value, datetime) and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


def _check_guid(value: str) -> str:
    try:
        return str(uuid.UUID(value))
    except ValueError:
        raise ValueError(f"'{value}' is not a GUID") from None


NullableList = BeforeValidator(_none_to_list)
Guid = Annotated[str, AfterValidator(_check_guid)]
"""A GUID, lowercased: PTV ids are compared as text across answers."""
UtcDatetime = Annotated[datetime, BeforeValidator(_utc)]


class Loose(BaseModel):
    """Base of the v11 models: extra keys are ignored, values are frozen."""

    model_config = ConfigDict(extra="ignore", frozen=True)


class LanguageItem(Loose):
    value: str | None = None
    language: str | None = None


class LocalizedListItem(Loose):
    value: str | None = None
    language: str | None = None
    type: str | None = None


class Reference(Loose):
    """``{id, name}``: a link to another object; ``name`` is in a language the server chose."""

    id: str
    name: str | None = None


class FintoItem(Loose):
    """A code of a classification (service class, target group, life event, ontology term)."""

    name: Annotated[list[LanguageItem], NullableList] = []
    code: str | None = None
    ontologyType: str | None = None
    uri: str | None = None
    parentUri: str | None = None
    newUri: str | None = None


class MunicipalityRef(Loose):
    code: str
    name: Annotated[list[LanguageItem], NullableList] = []


class Area(Loose):
    type: str | None = None
    code: str | None = None
    name: Annotated[list[LanguageItem], NullableList] = []
    municipalities: Annotated[list[MunicipalityRef], NullableList] = []


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
    additionalInformation: Annotated[list[LanguageItem], NullableList] = []
    openingHour: Annotated[list[OpeningHour], NullableList] = []


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
    street: Annotated[list[LanguageItem], NullableList] = []
    streetNumber: str | None = None
    postalCode: str | None = None
    postOffice: Annotated[list[LanguageItem], NullableList] = []
    municipality: MunicipalityRef | None = None
    additionalInformation: Annotated[list[LanguageItem], NullableList] = []
    latitude: str | None = None
    longitude: str | None = None


class PostOfficeBoxAddress(Loose):
    postOfficeBox: Annotated[list[LanguageItem], NullableList] = []
    postalCode: str | None = None
    postOffice: Annotated[list[LanguageItem], NullableList] = []
    municipality: MunicipalityRef | None = None


class Address(Loose):
    type: str | None = None
    subType: str | None = None
    streetAddress: StreetAddress | None = None
    postOfficeBoxAddress: PostOfficeBoxAddress | None = None
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


class Service(Loose):
    id: Guid
    type: str | None = None
    fundingType: str | None = None
    serviceNames: Annotated[list[LocalizedListItem], NullableList] = []
    serviceChargeType: str | None = None
    areaType: str | None = None
    areas: Annotated[list[Area], NullableList] = []
    serviceDescriptions: Annotated[list[LocalizedListItem], NullableList] = []
    languages: Annotated[list[str], NullableList] = []
    serviceClasses: Annotated[list[FintoItem], NullableList] = []
    ontologyTerms: Annotated[list[FintoItem], NullableList] = []
    targetGroups: Annotated[list[FintoItem], NullableList] = []
    lifeEvents: Annotated[list[FintoItem], NullableList] = []
    keywords: Annotated[list[LanguageItem], NullableList] = []
    serviceChannels: Annotated[list[Connection], NullableList] = []
    organizations: Annotated[list[OrganizationRole], NullableList] = []
    publishingStatus: str | None = None
    modified: UtcDatetime | None = None


ChannelType = Literal["ServiceLocation", "EChannel", "WebPage", "Phone", "PrintableForm"]


class ServiceChannel(Loose):
    """Any of the five channel types; the type-specific fields are optional on all of them."""

    id: Guid
    serviceChannelType: ChannelType
    organizationId: str | None = None
    serviceChannelNames: Annotated[list[LocalizedListItem], NullableList] = []
    serviceChannelDescriptions: Annotated[list[LocalizedListItem], NullableList] = []
    areaType: str | None = None
    areas: Annotated[list[Area], NullableList] = []
    languages: Annotated[list[str], NullableList] = []
    webPages: Annotated[list[WebPage], NullableList] = []
    serviceHours: Annotated[list[ServiceHour], NullableList] = []
    services: Annotated[list[ServiceRef], NullableList] = []
    phoneNumbers: Annotated[list[PhoneNumber], NullableList] = []
    supportPhones: Annotated[list[PhoneNumber], NullableList] = []
    emails: Annotated[list[LanguageItem], NullableList] = []
    supportEmails: Annotated[list[LanguageItem], NullableList] = []
    addresses: Annotated[list[Address], NullableList] = []
    channelUrls: Annotated[list[LocalizedListItem], NullableList] = []
    requiresAuthentication: bool | None = None
    publishingStatus: str | None = None
    modified: UtcDatetime | None = None


class Organization(Loose):
    id: Guid
    organizationType: str | None = None
    businessCode: str | None = None
    organizationNames: Annotated[list[LocalizedListItem], NullableList] = []
    organizationDescriptions: Annotated[list[LocalizedListItem], NullableList] = []
    municipality: MunicipalityRef | None = None
    webPages: Annotated[list[WebPage], NullableList] = []
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
