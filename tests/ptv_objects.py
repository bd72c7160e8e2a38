"""Builders of v11 JSON objects in the shape the real API returns, for tests."""

from __future__ import annotations

import uuid
from typing import Any

NS = uuid.UUID("6f1c1f52-8a55-4a8c-9a3b-5d0f0c0e0001")


def guid(key: str) -> str:
    return str(uuid.uuid5(NS, key))


def lang_items(**values: str | None) -> list[dict[str, Any]]:
    return [{"value": v, "language": k} for k, v in values.items()]


def localized(kind: str, **values: str | None) -> list[dict[str, Any]]:
    return [{"value": v, "language": k, "type": kind} for k, v in values.items()]


def finto(code: str, kind: str = "ptvserclass2") -> dict[str, Any]:
    lists = {
        "ptvserclass2": "ptvserclass2",
        "ptvkohderyhmat": "ptvkohderyhmat",
        "ptvelti": "ptvelti",
    }
    return {
        "name": lang_items(fi=code, sv=None, en=code),
        "code": code,
        "ontologyType": kind,
        "uri": f"http://uri.suomi.fi/codelist/ptv/{lists[kind]}/code/{code}",
        "parentId": None,
        "parentUri": None,
    }


def municipality_area(*codes: str) -> dict[str, Any]:
    return {
        "type": "Municipality",
        "code": None,
        "name": [],
        "municipalities": [{"code": c, "name": lang_items(fi=f"Kunta {c}")} for c in codes],
    }


def county_area(code: str, *municipalities: str) -> dict[str, Any]:
    return {
        "type": "WellbeingServiceCounties",
        "code": code,
        "name": lang_items(fi=f"Hyvinvointialue {code}"),
        "municipalities": [
            {"code": c, "name": lang_items(fi=f"Kunta {c}")} for c in municipalities
        ],
    }


def service(
    key: str,
    *,
    fi: str,
    sv: str | None = None,
    en: str | None = None,
    summary: str | None = "Lyhyt kuvaus.",
    description: str = "Palvelun kuvaus.",
    classes: tuple[str, ...] = ("P5.2",),
    groups: tuple[str, ...] = ("KR1.2", "KR1"),
    events: tuple[str, ...] = (),
    keywords: tuple[str, ...] = (),
    areas: list[dict[str, Any]] | None = None,
    nationwide: bool = False,
    channels: tuple[str, ...] = (),
    organization: str | None = None,
    modified: str = "2026-10-01T08:00:00.123456",
) -> dict[str, Any]:
    names = {"fi": fi, "sv": sv, "en": en}
    present = {k: v for k, v in names.items() if v}
    descriptions = localized("Description", **{k: description for k in present})
    if summary:
        descriptions += localized("Summary", **{k: summary for k in present})
    return {
        "id": guid(key),
        "sourceId": None,
        "generalDescriptionId": None,
        "type": "Service",
        "fundingType": "PubliclyFunded",
        "serviceNames": localized("Name", **present),
        "serviceChargeType": None,
        "areaType": "Nationwide" if nationwide else "LimitedType",
        "areas": [] if nationwide else (areas or []),
        "serviceDescriptions": descriptions,
        "languages": list(present),
        "serviceClasses": [finto(c) | {"description": []} for c in classes],
        "ontologyTerms": [],
        "targetGroups": [finto(g, "ptvkohderyhmat") for g in groups],
        "lifeEvents": [finto(e, "ptvelti") for e in events],
        "industrialClasses": [],
        "legislation": [],
        "keywords": [{"value": k, "language": "fi"} for k in keywords],
        "requirements": [],
        "serviceChannels": [
            {
                "serviceChannel": {"id": guid(c), "name": c},
                "serviceChargeType": None,
                "description": [],
                "extraTypes": [],
                "serviceHours": [],
                "contactDetails": None,
                "digitalAuthorizations": [],
                "modified": modified,
            }
            for c in channels
        ],
        "organizations": (
            [
                {
                    "organization": {"id": guid(organization), "name": organization},
                    "roleType": "Responsible",
                    "provisionType": "SelfProducedServices",
                    "additionalInformation": [],
                }
            ]
            if organization
            else []
        ),
        "serviceVouchersInUse": False,
        "serviceVouchers": [],
        "serviceCollections": [],
        "publishingStatus": "Published",
        "modified": modified,
        "responsibleSoteOrganization": None,
    }


def location(
    key: str,
    *,
    fi: str,
    sv: str | None = None,
    street: str = "Kauppakatu",
    number: str = "1",
    postal_code: str = "87100",
    municipality: str = "205",
    northing: str = "7124000",
    easting: str = "536000",
    phone: str | None = "40 000 1234",
    hours: bool = True,
    web: str | None = None,
) -> dict[str, Any]:
    return {
        "id": guid(key),
        "sourceId": None,
        "serviceChannelType": "ServiceLocation",
        "organizationId": None,
        "serviceChannelNames": localized("Name", fi=fi, **({"sv": sv} if sv else {})),
        "serviceChannelDescriptions": localized("Summary", fi="Toimipiste."),
        "areaType": "LimitedType",
        "areas": [],
        "languages": ["fi"],
        "webPages": [{"url": web, "value": "Verkkosivu", "language": "fi"}] if web else [],
        "serviceHours": (
            [
                {
                    "serviceHourType": "DaysOfTheWeek",
                    "validFrom": None,
                    "validTo": None,
                    "isClosed": False,
                    "validForNow": True,
                    "isAlwaysOpen": False,
                    "isReservation": False,
                    "additionalInformation": [],
                    "openingHour": [
                        {
                            "dayFrom": "Monday",
                            "dayTo": "Friday",
                            "from": "08:00:00",
                            "to": "15:30:00",
                        }
                    ],
                }
            ]
            if hours
            else []
        ),
        "oid": None,
        "displayNameType": [],
        "phoneNumbers": (
            [
                {
                    "type": "Phone",
                    "additionalInformation": "Ajanvaraus",
                    "serviceChargeType": "Chargeable",
                    "chargeDescription": None,
                    "prefixNumber": "+358",
                    "isFinnishServiceNumber": False,
                    "number": phone,
                    "language": "fi",
                }
            ]
            if phone
            else []
        ),
        "emails": [],
        "addresses": [
            {
                "type": "Location",
                "subType": "Street",
                "streetAddress": {
                    "street": lang_items(fi=street),
                    "streetNumber": number,
                    "postalCode": postal_code,
                    "postOffice": lang_items(fi="KAJAANI"),
                    "municipality": {"code": municipality, "name": lang_items(fi="Kajaani")},
                    "additionalInformation": [],
                    "latitude": northing,
                    "longitude": easting,
                    "coordinateState": "Ok",
                },
                "postOfficeBoxAddress": None,
                "otherAddress": None,
                "locationAbroad": [],
                "entrances": [],
                "country": "FI",
            }
        ],
        "services": [],
        "publishingStatus": "Published",
        "modified": "2026-10-01T08:00:00.123456",
        "responsibleSoteOrganization": None,
    }


def organization(key: str, fi: str, kind: str = "Region") -> dict[str, Any]:
    return {
        "id": guid(key),
        "oid": None,
        "sourceId": None,
        "organizationType": kind,
        "businessCode": "1234567-8",
        "organizationNames": localized("Name", fi=fi),
        "organizationDescriptions": [],
        "webPages": [],
        "publishingStatus": "Published",
        "modified": "2026-10-01T08:00:00.123456",
    }
