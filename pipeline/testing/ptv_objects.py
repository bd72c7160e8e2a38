"""Builders of PTV v11 JSON objects, in the shape and key order the real API returns.

The ``*_object`` builders make whole Service, ServiceChannel and Organization objects (as
GET ``Service/list``, ``ServiceChannel/list`` and ``Organization/list`` return them); the
others make their parts. ``scripts/ptv_sample.py`` builds the committed sample with them.

The short helpers at the end (``service``, ``location``, ``organization``,
``municipality_area``, ``county_area``) fill in test defaults: a test names only what it checks.
"""

from __future__ import annotations

import copy
import uuid
from collections.abc import Sequence
from typing import Any

Json = dict[str, Any]

NS = uuid.UUID("6f1c1f52-8a55-4a8c-9a3b-5d0f0c0e0001")
"""The namespace of the tests' GUIDs; the sample has its own."""

__all__ = [
    "NS",
    "Json",
    "accessibility_group",
    "area_object",
    "channel_fields",
    "channel_object",
    "connect",
    "connection",
    "county_area",
    "entrance",
    "finto",
    "finto_item",
    "guid",
    "lang_items",
    "language_item",
    "link_derived",
    "localized",
    "localized_item",
    "location",
    "municipality_area",
    "municipality_ref",
    "name_of",
    "organization",
    "organization_object",
    "organization_role",
    "phone_number",
    "po_box_address",
    "service",
    "service_hours",
    "service_object",
    "street_address",
    "web_page",
]


# --- GUIDs and language items -------------------------------------------------------------


def guid(key: str, namespace: uuid.UUID = NS) -> str:
    """A stable GUID for a key: ``uuid5(namespace, key)``."""
    return str(uuid.uuid5(namespace, key))


def language_item(value: str | None, language: str) -> Json:
    """A LanguageItem."""
    return {"value": value, "language": language}


def localized_item(value: str | None, language: str, type_: str) -> Json:
    """A LocalizedListItem (a name or description of one type in one language)."""
    return {"language": language, "value": value, "type": type_}


def lang_items(**values: str | None) -> list[Json]:
    """LanguageItems from ``fi=..., sv=...``."""
    return [language_item(v, k) for k, v in values.items()]


def localized(kind: str, **values: str | None) -> list[Json]:
    """LocalizedListItems of one type from ``fi=..., sv=...``."""
    return [localized_item(v, k, kind) for k, v in values.items()]


def name_of(item: Json, field: str) -> str:
    """The single-language name of an item, for ``{id, name}`` references: fi if there is one."""
    names = [n for n in item[field] if n["type"] == "Name"]
    return str(next((n["value"] for n in names if n["language"] == "fi"), names[0]["value"]))


# --- Parts --------------------------------------------------------------------------------


def finto_item(
    code: str | None,
    names: list[Json],
    ontology_type: str,
    uri: str,
    *,
    parent_id: str | None = None,
    parent_uri: str | None = None,
    description: list[Json] | None = None,
    new_uri: str | None = None,
    new_parent_uri: str | None = None,
    override: bool | None = None,
) -> Json:
    """A FintoItem: service class, target group, life event or ontology term.

    ``description`` is only on service classes, ``override`` only on target groups; legacy
    items (``uri`` a ``ptvl`` URN) carry the koodistot URI in ``new_uri``.
    """
    item: Json = {"name": names}
    if description is not None:
        item["description"] = description
    item |= {
        "code": code,
        "ontologyType": ontology_type,
        "uri": uri,
        "parentId": parent_id,
        "parentUri": parent_uri,
    }
    if new_uri is not None:
        item |= {"newUri": new_uri, "newParentUri": new_parent_uri}
    if override is not None:
        item["override"] = override
    return item


def municipality_ref(code: str, names: list[Json]) -> Json:
    return {"code": code, "name": names}


def area_object(
    type_: str, code: str | None, names: list[Json], municipalities: list[Json]
) -> Json:
    """An Area: ``Municipality`` (code None, no names) or ``WellbeingServiceCounties``."""
    return {"type": type_, "code": code, "name": names, "municipalities": municipalities}


def service_hours(
    entries: list[tuple[str, str, str, str]] | None = None,
    *,
    type_: str = "DaysOfTheWeek",
    valid_from: str | None = None,
    closed: bool = False,
    valid_for_now: bool = True,
    always_open: bool = False,
    info: list[Json] | None = None,
) -> Json:
    """A ServiceHour; each entry is (dayFrom, dayTo, from, to), dayTo "" if unused."""
    return {
        "serviceHourType": type_,
        "validFrom": valid_from,
        "validTo": None,
        "isClosed": closed,
        "validForNow": valid_for_now,
        "isAlwaysOpen": always_open,
        "isReservation": False,
        "additionalInformation": info or [],
        "openingHour": [
            {"dayFrom": d1, "dayTo": d2, "from": t1, "to": t2} for d1, d2, t1, t2 in entries or []
        ],
    }


def phone_number(
    number: str,
    language: str,
    info: str | None = None,
    *,
    charge: str = "Chargeable",
    charge_text: str | None = None,
    service_number: bool = False,
) -> Json:
    """A phone number; Finnish service numbers (0800, 116xxx) carry no country prefix."""
    return {
        "type": "Phone",
        "additionalInformation": info,
        "serviceChargeType": charge,
        "chargeDescription": charge_text,
        "prefixNumber": None if service_number else "+358",
        "isFinnishServiceNumber": service_number,
        "number": number,
        "language": language,
    }


def web_page(url: str, value: str, language: str) -> Json:
    return {"url": url, "value": value, "language": language}


CHANNEL_FIELDS: dict[str, Json] = {
    "ServiceLocation": {
        "oid": None, "displayNameType": [], "phoneNumbers": [], "emails": [], "addresses": [],
    },
    "Phone": {"phoneNumbers": [], "supportEmails": []},
    "WebPage": {"supportPhones": [], "supportEmails": [], "accessibilityClassification": []},
    "EChannel": {
        "supportPhones": [], "supportEmails": [], "requiresAuthentication": False,
        "requiresSignature": False, "signatureQuantity": None, "attachments": [],
        "accessibilityClassification": [],
    },
}  # fmt: skip
"""The fields of each channel type, in the API's order, with the values of an empty channel."""


def channel_fields(type_: str, **values: Any) -> Json:
    """The fields of a channel type (``channel_object``'s ``specific``): those of an empty
    channel but ``values``, which are named as in the API (``phoneNumbers=[...]``)."""
    defaults = CHANNEL_FIELDS[type_]
    unknown = values.keys() - defaults.keys()
    if unknown:
        raise ValueError(f"{type_} channels have no {', '.join(sorted(unknown))}")
    return {name: values.get(name, copy.deepcopy(value)) for name, value in defaults.items()}


def _address(type_: str, sub_type: str, street: Json | None, po_box: Json | None) -> Json:
    return {
        "type": type_,
        "subType": sub_type,
        "streetAddress": street,
        "postOfficeBoxAddress": po_box,
        "otherAddress": None,
        "locationAbroad": [],
        "entrances": [],
        "country": "FI",
    }


def street_address(
    street: list[Json],
    number: str,
    postal_code: str,
    post_office: list[Json],
    municipality: Json,
    northing: str,
    easting: str,
) -> Json:
    """A visiting address; PTV's ``latitude`` and ``longitude`` are EPSG:3067 metres."""
    return _address(
        "Location",
        "Street",
        {
            "street": street,
            "streetNumber": number,
            "postalCode": postal_code,
            "postOffice": post_office,
            "municipality": municipality,
            "additionalInformation": [],
            "latitude": northing,
            "longitude": easting,
            "coordinateState": "Ok",
        },
        None,
    )


def po_box_address(
    box: list[Json], postal_code: str, post_office: list[Json], municipality: Json
) -> Json:
    """A postal address with a post office box."""
    return _address(
        "Postal",
        "PostOfficeBox",
        None,
        {
            "postOfficeBox": box,
            "postalCode": postal_code,
            "postOffice": post_office,
            "municipality": municipality,
            "additionalInformation": [],
        },
    )


def accessibility_group(group: list[Json], sentences: list[list[Json]]) -> Json:
    """A group of accessibility sentences of an entrance: its name (``sentenceGroup``, as
    LanguageItems) and its sentences (each a list of LanguageItems)."""
    return {"sentenceGroup": group, "sentences": [{"sentence": s} for s in sentences]}


def entrance(
    northing: str | None, easting: str | None, groups: list[Json], *, main: bool = True
) -> Json:
    """An entrance of a visiting address (in ``entrances``), EPSG:3067 like the address."""
    return {
        "isMainEntrance": main,
        "coordinates": {"latitude": northing, "longitude": easting},
        "accessibilitySentences": groups,
    }


def organization_role(key: str, id_: str, name: str, role: str, provision: str) -> Json:
    """An organisation's role in a service, seen from the service (``key`` "organization")
    or from the organisation (``key`` "service")."""
    return {
        key: {"id": id_, "name": name},
        "roleType": role,
        "provisionType": provision,
        "additionalInformation": [],
    }


# --- Whole objects ------------------------------------------------------------------------


def service_object(
    id_: str,
    *,
    names: list[Json],
    descriptions: list[Json],
    languages: list[str],
    areas: list[Json],
    area_type: str | None = None,
    charge: str | None = None,
    classes: Sequence[Json] = (),
    ontology_terms: Sequence[Json] = (),
    target_groups: Sequence[Json] = (),
    life_events: Sequence[Json] = (),
    keywords: Sequence[Json] = (),
    channels: list[Json] | None = None,
    organizations: Sequence[Json] = (),
    modified: str,
) -> Json:
    """A Service; ``area_type`` defaults to Nationwide without areas, LimitedType with."""
    return {
        "id": id_,
        "sourceId": None,
        "generalDescriptionId": None,
        "subType": None,
        "type": "Service",
        "fundingType": "PubliclyFunded",
        "serviceNames": names,
        "serviceChargeType": charge,
        "areaType": area_type or ("LimitedType" if areas else "Nationwide"),
        "areas": areas,
        "serviceDescriptions": descriptions,
        "languages": languages,
        "serviceClasses": list(classes),
        "ontologyTerms": list(ontology_terms),
        "targetGroups": list(target_groups),
        "lifeEvents": list(life_events),
        "industrialClasses": [],
        "legislation": [],
        "keywords": list(keywords),
        "requirements": [],
        "serviceChannels": [] if channels is None else channels,
        "organizations": list(organizations),
        "serviceVouchersInUse": False,
        "serviceVouchers": [],
        "serviceCollections": [],
        "publishingStatus": "Published",
        "modified": modified,
        "responsibleSoteOrganization": None,
    }


def channel_object(
    id_: str,
    type_: str,
    *,
    organization_id: str | None,
    names: list[Json],
    descriptions: list[Json],
    specific: Json,
    areas: list[Json],
    area_type: str | None = None,
    languages: list[str],
    web_pages: list[Json] | None = None,
    hours: list[Json] | None = None,
    modified: str,
) -> Json:
    """A ServiceChannel; ``specific`` holds the fields of its type (``phoneNumbers``...)."""
    return {
        "id": id_,
        "sourceId": None,
        "serviceChannelType": type_,
        "organizationId": organization_id,
        "serviceChannelNames": names,
        "serviceChannelDescriptions": descriptions,
        **specific,
        "areaType": area_type or ("LimitedType" if areas else "Nationwide"),
        "areas": areas,
        "languages": languages,
        "webPages": web_pages or [],
        "serviceHours": hours or [],
        "services": [],
        "ontologyTerms": [],
        "publishingStatus": "Published",
        "modified": modified,
        "responsibleSoteOrganization": None,
    }


def organization_object(
    id_: str,
    *,
    type_: str,
    business_code: str,
    names: list[Json],
    display_languages: list[str],
    areas: list[Json],
    municipality: Json | None = None,
    descriptions: list[Json] | None = None,
    web_pages: list[Json] | None = None,
    modified: str,
) -> Json:
    """An Organization, a root organisation without sub-organisations."""
    return {
        "id": id_,
        "oid": None,
        "sourceId": None,
        "parentOrganizationId": None,
        "organizationRootId": id_,
        "organizationType": type_,
        "businessCode": business_code,
        "businessName": None,
        "organizationNames": names,
        "displayNameType": [{"type": "Name", "language": lang} for lang in display_languages],
        "areaType": "LimitedType" if areas else "Nationwide",
        "areas": areas,
        "areaMunicipalities": [],
        "municipality": municipality,
        "organizationDescriptions": descriptions or [],
        "emails": [],
        "phoneNumbers": [],
        "webPages": web_pages or [],
        "addresses": [],
        "electronicInvoicings": [],
        "publishingStatus": "Published",
        "services": [],
        "subOrganizations": [],
        "modified": modified,
    }


# --- Links between objects ----------------------------------------------------------------


def connect(service: Json, channel: Json, modified: str) -> None:
    """Connect a service and a channel on both sides, with the same modification time.

    A service whose ``serviceChannels`` is null (a real quirk) keeps it null.
    """
    if service["serviceChannels"] is not None:
        name = name_of(channel, "serviceChannelNames")
        service["serviceChannels"].append(
            connection("serviceChannel", channel["id"], name, modified)
        )
    name = name_of(service, "serviceNames")
    channel["services"].append(connection("service", service["id"], name, modified))


def connection(key: str, id_: str, name: str, modified: str) -> Json:
    """One side of a service-channel connection; ``key`` is "service" or "serviceChannel"."""
    return {
        key: {"id": id_, "name": name},
        "serviceChargeType": None,
        "description": [],
        "extraTypes": [],
        "serviceHours": [],
        "contactDetails": None,
        "digitalAuthorizations": [],
        "modified": modified,
    }


def link_derived(services: list[Json], channels: list[Json], organizations: list[Json]) -> None:
    """Fill the derived lists: channel ontology terms (the union of its services') and the
    services of each organisation (from the services' organisation roles)."""
    by_id = {item["id"]: item for item in [*services, *organizations]}
    for channel in channels:
        seen: dict[str, Json] = {}
        for conn in channel["services"]:
            for term in by_id[conn["service"]["id"]]["ontologyTerms"]:
                seen.setdefault(term["uri"], term)
        channel["ontologyTerms"] = list(seen.values())
    for service in services:
        for role in service["organizations"]:
            organization = by_id[role["organization"]["id"]]
            name = name_of(service, "serviceNames")
            organization["services"].append(
                organization_role(
                    "service", service["id"], name, role["roleType"], role["provisionType"]
                )
            )


# --- Short helpers for tests --------------------------------------------------------------


def finto(code: str, kind: str = "ptvserclass2") -> Json:
    """A finto item whose names are its code, in one of the koodistot code lists."""
    return finto_item(
        code,
        lang_items(fi=code, sv=None, en=code),
        kind,
        f"http://uri.suomi.fi/codelist/ptv/{kind}/code/{code}",
        description=[] if kind == "ptvserclass2" else None,
    )


_RESPONSIBLE = ("Responsible", "SelfProducedServices")


def _municipality(code: str) -> Json:
    return municipality_ref(code, lang_items(fi=f"Kunta {code}"))


def municipality_area(*codes: str) -> Json:
    return area_object("Municipality", None, [], [_municipality(c) for c in codes])


def county_area(code: str, *municipalities: str) -> Json:
    names = lang_items(fi=f"Hyvinvointialue {code}")
    return area_object(
        "WellbeingServiceCounties", code, names, [_municipality(c) for c in municipalities]
    )


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
    areas: list[Json] | None = None,
    nationwide: bool = False,
    channels: tuple[str, ...] = (),
    organization: str | None = None,
    modified: str = "2026-10-01T08:00:00.123456",
) -> Json:
    """A service with the given names (languages are the names given), linked by key."""
    present = {k: v for k, v in {"fi": fi, "sv": sv, "en": en}.items() if v}
    descriptions = localized("Description", **{k: description for k in present})
    if summary:
        descriptions += localized("Summary", **{k: summary for k in present})
    return service_object(
        guid(key),
        names=localized("Name", **present),
        descriptions=descriptions,
        languages=list(present),
        areas=[] if nationwide else (areas or []),
        area_type="Nationwide" if nationwide else "LimitedType",
        classes=[finto(c) for c in classes],
        target_groups=[finto(g, "ptvkohderyhmat") for g in groups],
        life_events=[finto(e, "ptvelti") for e in events],
        keywords=[language_item(k, "fi") for k in keywords],
        channels=[connection("serviceChannel", guid(c), c, modified) for c in channels],
        organizations=(
            [organization_role("organization", guid(organization), organization, *_RESPONSIBLE)]
            if organization
            else []
        ),
        modified=modified,
    )


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
) -> Json:
    """A ServiceLocation in Kajaani (by default) with a phone and weekday opening hours."""
    address = street_address(
        lang_items(fi=street),
        number,
        postal_code,
        lang_items(fi="KAJAANI"),
        municipality_ref(municipality, lang_items(fi="Kajaani")),
        northing,
        easting,
    )
    return channel_object(
        guid(key),
        "ServiceLocation",
        organization_id=None,
        names=localized("Name", fi=fi, **({"sv": sv} if sv else {})),
        descriptions=localized("Summary", fi="Toimipiste."),
        specific={
            "oid": None,
            "displayNameType": [],
            "phoneNumbers": [phone_number(phone, "fi", "Ajanvaraus")] if phone else [],
            "emails": [],
            "addresses": [address],
        },
        areas=[],
        area_type="LimitedType",
        languages=["fi"],
        web_pages=[web_page(web, "Verkkosivu", "fi")] if web else [],
        hours=[service_hours([("Monday", "Friday", "08:00:00", "15:30:00")])] if hours else [],
        modified="2026-10-01T08:00:00.123456",
    )


def organization(key: str, fi: str, kind: str = "Region") -> Json:
    """An organisation with a Finnish name and no areas."""
    return organization_object(
        guid(key),
        type_=kind,
        business_code="1234567-8",
        names=localized("Name", fi=fi),
        display_languages=["fi"],
        areas=[],
        modified="2026-10-01T08:00:00.123456",
    )
