"""Build a deterministic, SYNTHETIC sample of PTV v11 Open API data for the 22 areas.

In: the texts, towns, channels, organisations and quirks in ``data/sample/`` (its README says
what each file holds), the areas and municipalities in ``data/regions/`` and the PTV code sets
in ``data/ptv/``. Out: v11 Service, ServiceChannel and Organization objects as GET
``Service/list``, ``ServiceChannel/list`` and ``Organization/list`` return them, made with the
builders of ``pipeline.testing.ptv_objects``; ``scripts/generate_ptv_snapshot.py`` makes the
committed snapshot from them.

The code only combines what the data says: names, texts, tables and where the deliberate
quirks are all live in the data files. What varies between areas (the optional services, other
names, opening hours, addresses, times) comes from random generators seeded by each item's
stable key, and ids are ``uuid5(NAMESPACE, key)``: the same data gives the same bytes on every
run.

Run ``python scripts/ptv_sample.py`` for the counts per area, ``--quirks`` for the ids of the
items that carry each deliberate quirk (``data/sample/quirks.yaml``).
"""

from __future__ import annotations

import csv
import random
import sys
import unicodedata
import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import yaml
from pyproj import Transformer

from pipeline.testing import ptv_objects as v11
from pipeline.testing.ptv_objects import Json, language_item, localized_item

ROOT = Path(__file__).resolve().parent.parent
SEED = "perhekeskus-ptv-sample-1"
NAMESPACE = uuid.UUID("5b0c64c6-2f1e-5d8a-9c1b-7e3f20a4d9b1")
LANGS = ("fi", "sv", "en")
CODE_SETS = {  # kind: the file in data/ptv, the ontologyType of its finto items
    "class": ("ptv-service-classes.csv", "ptvserclass"),
    "group": ("ptv-target-groups.csv", "ptvkohderyhmat"),
    "event": ("ptv-life-events.csv", "ptvelti"),
}
LEGACY_PREFIX = "http://urn.fi/URN:NBN:fi:au:ptvl:v1"  # + the row number in the class CSV
PLACE = ("area", "municipality", "service", "location", "web_page")  # where a quirk can be
TO_TM35FIN = Transformer.from_crs("EPSG:4326", "EPSG:3067", always_xy=True)
Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


# --- Stable randomness, ids and values ------------------------------------------------------


def rng_for(key: str) -> random.Random:
    """A generator seeded by the key, so one item's values do not depend on build order."""
    return random.Random(f"{SEED}:{key}")


def uid(key: str) -> str:
    return v11.guid(key, NAMESPACE)


def modified(key: str, *, old: bool = False) -> str:
    """Naive UTC with microseconds, like PTV; ``old`` is more than a year before 2026-11-20."""
    rng = rng_for(f"modified:{key}")
    start, days = (datetime(2024, 2, 1), 380) if old else (datetime(2025, 12, 1), 350)
    seconds, micro = rng.randrange(days * 86400), rng.randrange(1, 1_000_000)
    return (start + timedelta(seconds=seconds, microseconds=micro)).strftime("%Y-%m-%dT%H:%M:%S.%f")


def ascii_slug(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "-".join("".join(c if c.isalnum() else " " for c in plain.lower()).split())


def business_code(key: str) -> str:
    """A well-formed, fake Y-tunnus: seven digits and the official check digit."""
    number = int(uuid.uuid5(NAMESPACE, f"y:{key}").hex[:8], 16) % 400000 + 3100000
    while True:
        digits = f"{number:07d}"
        rest = sum(int(d) * w for d, w in zip(digits, (7, 9, 10, 5, 8, 4, 2), strict=True)) % 11
        if rest != 1:  # remainder 1 has no valid check digit: such numbers are never issued
            return f"{digits}-{0 if rest == 0 else 11 - rest}"
        number += 1


def tm35fin(lat: float, lon: float) -> tuple[str, str]:
    """WGS84 degrees to EPSG:3067 (northing, easting) in whole metres, as PTV gives them."""
    east, north = TO_TM35FIN.transform(lon, lat)
    return str(round(north)), str(round(east))


# --- The data -------------------------------------------------------------------------------


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def read_codes(path: Path) -> dict[str, dict[str, str]]:
    """A PTV code set by code. The class CSV has no legacy URNs, so synthetic ones are numbered."""
    rows = read_csv(path)
    for index, row in enumerate(rows, start=1):
        row["legacy_uri"] = row.get("old_uri") or f"{LEGACY_PREFIX}{index:03d}"
    return {row["code"]: row for row in rows}


def place(where: dict[str, Any]) -> tuple[str, ...]:
    """Where a quirk is: an area, and a municipality, service, location or web page in it."""
    return tuple(str(where.get(key, "")) for key in PLACE)


@dataclass(frozen=True)
class Municipality:
    code: str
    fi: str
    sv: str
    languages: tuple[str, ...]  # majority language first

    @property
    def text_langs(self) -> tuple[str, ...]:
        """Text languages in PTV's list order (fi first), whatever the majority language."""
        return tuple(lang for lang in ("fi", "sv") if lang in self.languages)


@dataclass(frozen=True)
class Area:
    code: str
    names: dict[str, str]
    bilingual: bool
    english: bool
    domain: str
    municipalities: dict[str, Municipality]
    towns: list[dict[str, str]]  # rows of towns.csv

    @property
    def text_langs(self) -> tuple[str, ...]:
        return ("fi",) + (("sv",) if self.bilingual else ()) + (("en",) if self.english else ())

    @property
    def service_langs(self) -> list[str]:
        return ["fi", "sv"] if self.bilingual else ["fi"]


class Data:
    """Everything the sample is made from; the entries of the YAML files stay ``dict``s."""

    def __init__(self, root: Path) -> None:
        sample, ptv, regions = (root / "data" / name for name in ("sample", "ptv", "regions"))
        self.codes = {kind: read_codes(ptv / file) for kind, (file, _) in CODE_SETS.items()}
        yml = {p.stem: yaml.load(p.read_bytes(), Loader) for p in sample.glob("*.yaml")}
        self.specs: dict[str, dict[str, Json]] = {
            scope: {spec["key"]: spec for spec in yml[f"{scope}-services"]}
            for scope in ("county", "municipal", "national")
        }
        self.organisations: Json = yml["organisations"]
        self.channels: Json = yml["channels"]
        self.national_channels: list[Json] = yml["national-channels"]
        self.legacy: dict[str, list[str]] = yml["quirks"].pop("legacy-uri")
        self.quirks: dict[str, dict[tuple[str, ...], Json]] = {
            name: {place(entry): entry for entry in entries}
            for name, entries in yml["quirks"].items()
        }
        self.terms = {row["key"]: row for row in read_csv(sample / "ontology-terms.csv")}
        self.streets = read_csv(sample / "streets.csv")
        towns = read_csv(sample / "towns.csv")
        munis = read_csv(regions / "municipalities.csv")
        extra = {row["area"]: row for row in read_csv(sample / "areas.csv")}
        self.areas = [
            Area(
                code=row["code"],
                names={lang: row[f"name_{lang}"] for lang in LANGS},
                bilingual=row["languages"] == "fi+sv",
                english=extra[row["code"]]["english"] == "yes",
                domain=extra[row["code"]]["domain"],
                municipalities={
                    m["code"]: Municipality(
                        m["code"],
                        m["name_fi"],
                        m["name_sv"],
                        tuple(m["language_status"].split("+")),
                    )
                    for m in munis
                    if m["area_code"] == row["code"]
                },
                towns=[town for town in towns if town["area"] == row["code"]],
            )
            for row in read_csv(regions / "wellbeing_areas.csv")
        ]

    def quirk(self, name: str, where: dict[str, Any]) -> Json | None:
        """The entry of quirk ``name`` at the place, or None."""
        return self.quirks[name].get(place(where))


# --- The builder ----------------------------------------------------------------------------


@dataclass
class Sample:
    services: list[Json]  # v11 Service objects, as GET /api/v11/Service/list returns them
    channels: list[Json]  # v11 ServiceChannel objects (mixed types), as ServiceChannel/list does
    organizations: list[Json]  # v11 Organization objects, as Organization/list returns them


def muni_ref(muni: Municipality, code: str | None = None) -> Json:
    names = [language_item(muni.fi, "fi"), language_item(muni.sv, "sv")]
    return v11.municipality_ref(code or muni.code, names)


def municipality_area(muni: Municipality, code: str | None = None) -> Json:
    return v11.area_object("Municipality", None, [], [muni_ref(muni, code)])


def county_area(area: Area) -> Json:
    names = [language_item(area.names[lang], lang) for lang in ("fi", "sv")]
    municipalities = [muni_ref(m) for m in area.municipalities.values()]
    return v11.area_object("WellbeingServiceCounties", area.code, names, municipalities)


def phone(entry: Json) -> Json:
    """A phone number from data: free ones are service numbers, the others carry a price."""
    number, lang, info = entry["number"], entry["language"], entry.get("info")
    if entry.get("free"):
        return v11.phone_number(number, lang, info, charge="FreeOfCharge", service_number=True)
    return v11.phone_number(number, lang, info, charge_text=entry["price"])


def type_fields(entry: Json) -> Json:
    """The fields of the channel's type, from ``entry``: phones (v11 objects), and for a
    ServiceLocation email and addresses, for an EChannel requires_authentication."""
    type_, phones = entry["type"], entry.get("phones", [])
    if type_ == "ServiceLocation":
        return {
            "oid": None,
            "displayNameType": [{"type": "Name", "language": lang} for lang in entry["names"]],
            "phoneNumbers": phones,
            "emails": [language_item(entry["email"], "fi")],
            "addresses": entry["addresses"],
        }
    if type_ == "Phone":
        return {"phoneNumbers": phones, "supportEmails": []}
    fields: Json = {"supportPhones": [], "supportEmails": []}
    if type_ == "EChannel":
        fields |= {
            "requiresAuthentication": entry.get("requires_authentication", False),
            "requiresSignature": False, "signatureQuantity": None, "attachments": [],
        }  # fmt: skip
    return fields | {"accessibilityClassification": []}


class Builder:
    """Collects services, channels and organisations, and the ids that carry each quirk."""

    def __init__(self, data: Data) -> None:
        self.data = data
        self.services: list[Json] = []
        self.channels: list[Json] = []
        self.organizations: list[Json] = []
        self.by_id: dict[str, Json] = {}
        self.area_of: dict[str, str] = {}  # item id -> area code or "national"
        self.quirks: dict[str, list[str]] = {}
        self.phone_counter = 0

    def add(self, kind: str, item: Json, area: str) -> Json:
        getattr(self, kind).append(item)
        self.by_id[item["id"]] = item
        self.area_of[item["id"]] = area
        return item

    def record_quirks(self, item: Json, where: dict[str, Any], legacy: bool = False) -> None:
        """Note the item's id under each quirk it carries, for ``--quirks``."""
        names = [name for name in self.data.quirks if self.data.quirk(name, where)]
        names += ["legacy-uri"] if legacy else []
        if any(t["name"][1]["value"] is None for t in item.get("ontologyTerms", [])):
            names.append("null-value")  # an ontology term without a Swedish name
        for name in names:
            self.quirks.setdefault(name, []).append(item["id"])

    def numbered_phones(self, infos: dict[str, str | None]) -> list[Json]:
        """A new number per language but English, in the fake "40 000 xxxx" range."""
        phones = []
        for lang, info in infos.items():
            if lang != "en":
                self.phone_counter += 1
                number = f"40 000 {1000 + self.phone_counter:04d}"
                price = self.data.channels["call_price"][lang]
                phones.append(v11.phone_number(number, lang, info, charge_text=price))
        return phones

    def finto(self, code: str, kind: str, legacy: bool) -> Json:
        codes = self.data.codes[kind]
        item = codes[code]  # KeyError: the code is not in data/ptv, which must not happen
        parent = codes[item["parent_code"]] if item["parent_code"] else None
        uri = "legacy_uri" if legacy else "uri"
        return v11.finto_item(
            code,
            [language_item(item[f"name_{lang}"], lang) for lang in LANGS],
            CODE_SETS[kind][1],
            item[uri],
            parent_id=uid(f"finto:{parent['code']}") if parent else None,
            parent_uri=parent[uri] if parent else None,
            description=[] if kind == "class" else None,
            new_uri=item["uri"] if legacy else None,
            new_parent_uri=parent["uri"] if legacy and parent else None,
            override=False if kind == "group" else None,
        )

    def ontology_term(self, key: str) -> Json:
        term = self.data.terms[key]  # an empty sv name is the "null value" quirk
        names = [language_item(term[lang] or None, lang) for lang in LANGS]
        return v11.finto_item(None, names, "YSO", f"http://www.yso.fi/onto/koko/{term['number']}")

    def organization(
        self, key: str, org: Json, area: str, areas: list[Json], municipality: Json | None = None
    ) -> Json:
        """An organisation from an entry like those of ``organisations.yaml``: names, type,
        and if given alternative (names), business_code, description, web."""
        names = org["names"]
        item = v11.organization_object(
            uid(f"org:{key}"),
            type_=org["type"],
            business_code=org.get("business_code") or business_code(key),
            names=v11.localized("Name", **names)
            + v11.localized("AlternativeName", **org.get("alternative", {})),
            display_languages=list(names),
            areas=areas,
            municipality=municipality,
            descriptions=v11.localized("Description", **org.get("description", {})),
            web_pages=[v11.web_page(org["web"], names["fi"], "fi")] if org.get("web") else [],
            modified=modified(f"org:{key}"),
        )
        return self.add("organizations", item, area)

    def service(self, where: dict[str, Any], spec: Json, org: Json, **kw: Any) -> Json:
        """The service of ``spec`` at a place (``where``: area, municipality, service), with
        the quirks of that place; ``kw``: langs (of the texts, if it has them), service_langs,
        areas, legacy, names (other names), producer (an organisation)."""
        key = ":".join(where.values())
        langs = kw["langs"]
        if self.data.quirk("no-swedish", where):
            langs = [lang for lang in langs if lang != "sv"]
        texts = {lang: spec["texts"][lang] for lang in langs if lang in spec["texts"]}
        # Only some services fill in the user instruction, as in real data.
        instructions = where["area"] == "national" or rng_for(f"instruction:{key}").random() < 0.5
        summary = not self.data.quirk("no-summary", where)
        validity_null = self.data.quirk("null-value", where)
        descriptions: list[Json] = []
        for lang, t in texts.items():
            if summary:
                descriptions.append(localized_item(t["summary"], lang, "Summary"))
            descriptions.append(localized_item("\n\n".join(t["description"]), lang, "Description"))
            if t.get("instruction") and instructions:
                descriptions.append(localized_item(t["instruction"], lang, "UserInstruction"))
            if validity_null:
                descriptions.append(localized_item(None, lang, "ValidityTime"))
        roles = [(org, "Responsible", "SelfProducedServices")]
        if kw.get("producer"):
            roles.append((kw["producer"], "Producer", "ProcuredServices"))
        legacy, names = kw["legacy"], kw.get("names") or {}
        service = v11.service_object(
            uid(f"service:{key}"),
            names=[
                localized_item(names.get(lang, t["name"]), lang, "Name")
                for lang, t in texts.items()
            ],
            descriptions=descriptions,
            languages=kw["service_langs"],
            areas=kw["areas"],
            charge=spec["charge"],
            classes=[self.finto(c, "class", legacy) for c in spec["classes"]],
            ontology_terms=[self.ontology_term(t) for t in spec["terms"]],
            target_groups=[self.finto(c, "group", legacy) for c in spec["groups"]],
            life_events=[self.finto(c, "event", legacy) for c in spec.get("events", [])],
            keywords=[
                language_item(w, lang) for lang in texts for w in spec["keywords"].get(lang, [])
            ],
            organizations=[
                v11.organization_role(
                    "organization", o["id"], v11.name_of(o, "organizationNames"), *rp
                )
                for o, *rp in roles
            ],
            modified=modified(f"service:{key}", old=bool(self.data.quirk("old-modified", where))),
        )
        if self.data.quirk("null-service-channels", where):
            service["serviceChannels"] = None
        self.record_quirks(service, where, legacy)
        return self.add("services", service, where["area"])

    def channel(
        self, key: str, entry: Json, org: Json, area: str, services: list[Json], **kw: Any
    ) -> Json:
        """A channel of ``entry["type"]`` in the languages of ``entry["names"]``, with the
        summaries, descriptions, web pages and hours of ``entry`` in those, connected to the
        services; ``kw``: areas, langs (if not those of the names)."""
        names: dict[str, str] = entry["names"]
        descriptions = [
            localized_item(entry[kind][lang], lang, type_name)
            for lang in names
            for kind, type_name in (("summaries", "Summary"), ("descriptions", "Description"))
            if lang in entry.get(kind, {})
        ]
        channel = v11.channel_object(
            uid(f"channel:{key}"),
            entry["type"],
            organization_id=org["id"],
            names=[localized_item(v, lang, "Name") for lang, v in names.items()],
            descriptions=descriptions,
            specific=type_fields(entry),
            areas=kw.get("areas", []),
            languages=kw.get("langs", list(names)),
            web_pages=entry.get("web_pages"),
            hours=self.hours(entry.get("hours"), tuple(names)),
            modified=modified(f"channel:{key}"),
        )
        for service in services:
            v11.connect(service, channel, modified(f"connection:{service['id']}:{channel['id']}"))
        return self.add("channels", channel, area)

    def hours(self, table: Json | None, langs: tuple[str, ...]) -> list[Json]:
        """Opening hours from data (see ``data/sample/channels.yaml``)."""
        if not table:
            return []
        info = [language_item(text, lang) for lang, text in table.get("info", {}).items()]
        week = [tuple(entry) for entry in table.get("week", [])]
        result = [v11.service_hours(week, always_open=table.get("always_open", False), info=info)]
        if table.get("closed_on_christmas_eve"):
            closing = self.data.channels["christmas_eve"]
            labels = [language_item(closing["names"][lang], lang) for lang in langs]
            result.append(
                v11.service_hours(
                    type_="Exceptional", valid_from=closing["date"], closed=True,
                    valid_for_now=False, info=labels,
                )
            )  # fmt: skip
        return result


# --- Per-area content -------------------------------------------------------------------------


class AreaContent:
    """Everything one area contributes: organisations, services and channels."""

    def __init__(self, builder: Builder, area: Area) -> None:
        self.b, self.data, self.area, self.code = builder, builder.data, area, area.code
        self.texts = self.data.channels
        self.legacy = area.code in self.data.legacy["areas"]
        self.county_org = self.county_organization()
        self.muni_orgs = {  # the City of Helsinki is both
            m.code: self.county_org if area.code == "90" else self.municipal_org(m)
            for m in area.municipalities.values()
        }
        self.county_services: dict[str, Json] = {}

    def build(self) -> None:
        self.build_county_services()
        big = list(dict.fromkeys(t["municipality"] for t in self.area.towns))[:3]
        for muni in self.area.municipalities.values():
            for spec in self.data.specs["municipal"].values():
                if spec["towns"] == "all" or muni.code in big:
                    self.municipal_service(muni, spec)
        for index, town in enumerate(self.area.towns):
            self.clinic_location(index, town)
        self.build_day_care()
        self.build_phones()
        for key, service in self.county_services.items():
            if key != "paivystysapu" and service["serviceChannels"] is not None:
                self.county_web_page(key, service)

    def short_code(self, **where: Any) -> str | None:
        """The municipality code without leading zeros, where that quirk is."""
        quirk = self.data.quirk("short-municipality-code", {"area": self.code, **where})
        return quirk["code"] if quirk else None

    def county_areas(self, short_code: str | None = None) -> list[Json]:
        """The areas of county services; Helsinki is not a county: its name the municipality."""
        if self.code != "90":
            return [county_area(self.area)]
        return [municipality_area(self.area.municipalities["091"], short_code)]

    # -- organisations and services

    def county_organization(self) -> Json:
        area, helsinki = self.area, self.code == "90"
        names = {lang: area.names[lang] for lang in LANGS if lang != "sv" or area.bilingual}
        texts = self.data.organisations["helsinki" if helsinki else "county"]
        entry = {
            "names": texts["names"] if helsinki else names,
            "type": "Municipality" if helsinki else "Region",
            "description": texts["description"],
            "web": f"https://{area.domain}/",
        }
        city = muni_ref(area.municipalities["091"]) if helsinki else None
        return self.b.organization(f"area:{self.code}", entry, self.code, self.county_areas(), city)

    def municipal_org(self, muni: Municipality) -> Json:
        description = self.data.organisations["municipality"]["description"]
        entry = {
            "names": {lang: getattr(muni, lang) for lang in muni.text_langs},
            "type": "Municipality",
            "description": {lang: description[lang] for lang in muni.text_langs},
            "web": f"https://www.{ascii_slug(muni.fi)}.example/",
        }
        areas = [municipality_area(muni)]
        return self.b.organization(f"muni:{muni.code}", entry, self.code, areas, muni_ref(muni))

    def build_county_services(self) -> None:
        """The core services and two optional ones (picked from the seed); in some areas
        (picked too) the services with other names use them."""
        specs = self.data.specs["county"].values()
        optional = rng_for(f"set:{self.code}").sample(
            [s["key"] for s in specs if s["scope"] == "optional"], 2
        )
        use_variant = rng_for(f"variant:{self.code}").random() < 0.4
        for spec in specs:
            key = spec["key"]
            if (spec["scope"] == "optional" and key not in optional) or self.code in spec.get(
                "except_areas", []
            ):
                continue
            self.county_services[key] = self.b.service(
                {"area": self.code, "service": key},
                spec,
                self.county_org,
                langs=self.area.text_langs,
                service_langs=self.area.service_langs,
                areas=self.county_areas(self.short_code(service=key)),
                legacy=self.legacy,
                names=spec.get("variants") if use_variant else None,
            )

    def municipal_service(self, muni: Municipality, spec: Json) -> None:
        """A municipal service named after the municipality ("Varhaiskasvatus, Kajaani"), in
        the municipality's own languages only."""
        where = {"area": self.code, "municipality": muni.code, "service": spec["key"]}
        names = {
            lang: f"{t['name']}, {muni.sv if lang == 'sv' else muni.fi}"
            for lang, t in spec["texts"].items()
        }
        short = self.short_code(municipality=muni.code, service=spec["key"])
        self.b.service(
            where,
            spec,
            self.muni_orgs[muni.code],
            langs=muni.text_langs,
            service_langs=list(muni.languages),
            areas=[municipality_area(muni, short)],
            legacy=self.legacy,
            names=names,
        )

    # -- channels

    def address(self, key: str, town: dict[str, str], code: str | None = None) -> Json:
        """A street address near the town centre; ``code`` for the municipality, if not its own."""
        muni, rng = self.area.municipalities[town["municipality"]], rng_for(f"address:{key}")
        street = rng.choice(self.data.streets)
        north, east = tm35fin(
            float(town["lat"]) + rng.uniform(-0.004, 0.004),
            float(town["lon"]) + rng.uniform(-0.008, 0.008),
        )
        return v11.street_address(
            [language_item(street[lang], lang) for lang in muni.text_langs],
            str(rng.randrange(1, 40)),
            town["postal_code"],
            [language_item(getattr(muni, lang).upper(), lang) for lang in muni.text_langs],
            muni_ref(muni, code),
            north,
            east,
        )

    def location(self, key: str, entry: Json, org: Json, town: dict[str, str], **kw: Any) -> Json:
        """A ServiceLocation in the town; ``kw`` as for ``Builder.channel``."""
        muni = self.area.municipalities[town["municipality"]]
        return self.b.channel(
            key, entry | {"type": "ServiceLocation"}, org, self.code, kw.pop("services"),
            areas=[municipality_area(muni)], langs=list(muni.languages),
        )  # fmt: skip

    def clinic_location(self, index: int, town: dict[str, str]) -> None:
        """The family centre (in the first town) or a clinic, with its services."""
        key, where = f"{self.code}:location:{index}", {"area": self.code, "location": index}
        muni = self.area.municipalities[town["municipality"]]
        texts = self.texts["family_centre" if index == 0 else "clinic"]
        langs = muni.text_langs + (("en",) if self.area.english else ())
        names = {lang: texts["names"][lang].format(**town) for lang in langs}
        slug, first = ascii_slug(town["place"]), langs[0]
        addresses = [self.address(key, town, self.short_code(location=index))]
        if postal := self.data.quirk("postal-address", where):
            office = [language_item(muni.fi.upper(), "fi")]
            box, postal_code = [language_item(postal["box"], "fi")], town["postal_code"][:3] + "01"
            addresses.append(v11.po_box_address(box, postal_code, office, muni_ref(muni)))
        if self.data.quirk("no-addresses", where):
            addresses = []
        pages = []
        if "web_path" in texts:
            url = f"https://{self.area.domain}/{first}/" + texts["web_path"].format(slug=slug)
            pages.append(v11.web_page(url, names[first], first))
        styles = self.texts["clinic_hours"]
        hours = styles[rng_for(f"hours:{key}").randrange(len(styles))]
        channel = self.location(
            key,
            texts
            | self.texts["locations"]
            | {
                "names": names,
                "phones": self.b.numbered_phones(names),
                "email": self.texts["locations"]["email"].format(slug=slug)
                + "@"
                + self.area.domain[4:],
                "addresses": addresses,
                "web_pages": pages,
                "hours": None if self.data.quirk("no-service-hours", where) else hours,
            },
            self.county_org,
            town,
            services=[self.county_services[k] for k in texts["services"]],
        )
        self.b.record_quirks(channel, where)

    def build_day_care(self) -> None:
        """Two day care centres in the area's first town, run by its municipality."""
        texts, town = self.texts["day_care"], self.area.towns[0]
        muni = self.area.municipalities[town["municipality"]]
        services = [
            self.b.by_id[uid(f"service:{self.code}:{muni.code}:{k}")] for k in texts["services"]
        ]
        for index, (fi, sv) in enumerate(
            rng_for(f"daycare:{self.code}").sample(texts["names_pool"], 2)
        ):
            key = f"{self.code}:daycare:{index}"
            self.location(
                key,
                texts
                | {
                    "names": {
                        lang: texts["names"][lang].format(fi=fi, sv=sv) for lang in muni.text_langs
                    },
                    "phones": self.b.numbered_phones({"fi": None}),
                    "email": texts["email"].format(slug=ascii_slug(fi))
                    + f"@{ascii_slug(muni.fi)}.example",
                    "addresses": [self.address(key, town)],
                },
                self.muni_orgs[muni.code],
                town,
                services=services,
            )

    def county_channel(self, key: str, entry: Json, services: list[str]) -> Json:
        """A channel of the county (or city) for its whole area."""
        return self.b.channel(
            f"{self.code}:{key}", entry, self.county_org, self.code,
            [self.county_services[k] for k in services],
            areas=self.county_areas(), langs=self.area.service_langs,
        )  # fmt: skip

    def build_phones(self) -> None:
        """The advice phone and, where the area has paivystysapu, the 116117 line."""
        texts, langs = self.texts["advice_phone"], self.area.text_langs
        names = {lang: texts["names"][lang] for lang in langs}
        phones = self.b.numbered_phones(names)
        entry = texts | {"type": "Phone", "names": names, "phones": phones}
        self.county_channel("phone", entry, texts["services"])
        line = self.texts["medical_helpline"]
        services = [k for k in line["services"] if k in self.county_services]
        if services:
            spec = self.data.specs["county"][line["services"][0]]["texts"]
            phones = [
                v11.phone_number(line["number"], lang, charge=line["charge"], service_number=True)
                for lang in langs
                if lang != "en"
            ]
            entry = {
                "type": "Phone",
                "names": {lang: spec[lang]["name"] for lang in langs},
                "summaries": {lang: spec[lang]["summary"] for lang in langs},
                "phones": phones,
                "hours": line["hours"],
            }
            self.county_channel("116117", entry, services)

    def county_web_page(self, key: str, service: Json) -> None:
        """A web page channel for a county service, in the service's languages."""
        where = {"area": self.code, "web_page": key}
        texts = self.texts["web_pages"]
        site = texts["site_helsinki" if self.code == "90" else "site"]
        names = {n["language"]: n["value"] for n in service["serviceNames"]}
        pages = [
            v11.web_page(
                f"https://{self.area.domain}/{texts['paths'][lang]}/{ascii_slug(name)}", name, lang
            )
            for lang, name in names.items()
        ]
        if malformed := self.data.quirk("malformed-url", where):
            pages[0]["url"] = malformed["url"]
        entry = {
            "type": "WebPage",
            "names": {lang: texts["names"][lang].format(service=v) for lang, v in names.items()},
            "summaries": {
                lang: t.format(site=site[lang]) for lang, t in texts["summaries"].items()
            },
            "web_pages": pages,
        }
        channel = self.county_channel(f"web:{key}", entry, [key])
        self.b.record_quirks(channel, where)


# --- Nationwide content -----------------------------------------------------------------------


def build_national(b: Builder) -> None:
    """Kela's family benefits and the national helplines, with their organisations and channels
    (``data/sample/national-*.yaml``)."""
    orgs = {
        org["key"]: b.organization(f"national:{org['key']}", org, "national", [])
        for org in b.data.organisations["national"]
    }
    services: dict[str, Json] = {}
    for key, spec in b.data.specs["national"].items():
        langs = [lang for lang in LANGS if lang in spec["texts"]]
        services[key] = b.service(
            {"area": "national", "service": key},
            spec,
            orgs[spec["organisation"]],
            langs=langs,
            service_langs=langs,
            areas=[],
            legacy=spec["organisation"] in b.data.legacy["organisations"],
            producer=orgs[spec["producer"]] if "producer" in spec else None,
        )
    for entry in b.data.national_channels:
        org = orgs[entry["organisation"]]
        entry = entry | {"phones": [phone(p) for p in entry.get("phones", [])]}
        if not entry.get("for_each_service"):
            linked = [services[k] for k in entry["services"]]
            b.channel(f"national:{entry['key']}", entry, org, "national", linked)
            continue
        for key in entry["services"]:  # a web page for each, named after the service
            names = {n["language"]: n["value"] for n in services[key]["serviceNames"]}
            page = v11.web_page(b.data.specs["national"][key]["web_page"], names["fi"], "fi")
            suffixed = {lang: name + entry["name_suffix"] for lang, name in names.items()}
            texts = entry | {"names": suffixed, "web_pages": [page]}
            b.channel(f"national:{entry['key']}:{key}", texts, org, "national", [services[key]])


# --- Entry points -----------------------------------------------------------------------------


def _build(root: Path) -> Builder:
    builder = Builder(Data(root))
    build_national(builder)
    for area in builder.data.areas:
        AreaContent(builder, area).build()
    v11.link_derived(builder.services, builder.channels, builder.organizations)
    return builder


def build_sample(root: Path) -> Sample:
    """Build the whole sample from the files under ``root/data``; same output on every run."""
    builder = _build(root)
    return Sample(builder.services, builder.channels, builder.organizations)


def quirk_ids(root: Path) -> dict[str, list[str]]:
    """The ids of the items that carry each deliberate quirk (``data/sample/quirks.yaml``)."""
    return {name: sorted(set(ids)) for name, ids in sorted(_build(root).quirks.items())}


def main() -> None:
    if "--quirks" in sys.argv:
        for name, ids in quirk_ids(ROOT).items():
            print(f"{name}: {', '.join(ids)}")
        return
    builder = _build(ROOT)
    kinds = ("services", "channels", "organizations")
    counts = {
        kind: Counter(builder.area_of[i["id"]] for i in getattr(builder, kind)) for kind in kinds
    }
    print(f"{'area':<9}{'services':>9}{'channels':>9}{'orgs':>6}")
    for area in sorted(set(builder.area_of.values())):
        services, channels, orgs = (counts[kind][area] for kind in kinds)
        print(f"{area:<9}{services:>9}{channels:>9}{orgs:>6}")
    print(f"total: {len(builder.services)} services, {len(builder.channels)} channels, "
          f"{len(builder.organizations)} organizations")  # fmt: skip


if __name__ == "__main__":
    main()
