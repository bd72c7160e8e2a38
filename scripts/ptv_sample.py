"""Build a deterministic, SYNTHETIC sample of PTV v11 Open API data for the 22 areas.

Input: the texts, towns, channels, organisations and quirks in ``data/sample/`` (its README says
what each file holds), the areas and municipalities in ``data/regions/`` and the PTV code sets
in ``data/ptv/``. Output: v11 Service, ServiceChannel and Organization objects as GET
``Service/list``, ``ServiceChannel/list`` and ``Organization/list`` return them, built with
``pipeline.testing.ptv_objects``; ``scripts/generate_ptv_snapshot.py`` makes the committed
snapshot from them.

What varies between areas (the optional services, names, opening hours, addresses, times)
comes from random generators seeded by each item's stable key, and ids are
``uuid5(NAMESPACE, key)``: the same data gives the same bytes on every run.

Run ``python scripts/ptv_sample.py`` for the counts per area, ``--quirks`` for the ids of the
items that carry each deliberate quirk (``data/sample/quirks.yaml``).
"""

from __future__ import annotations

import csv
import random
import sys
import unicodedata
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import yaml
from pyproj import Transformer

from pipeline.testing import ptv_objects as v11
from pipeline.testing.ptv_objects import Json, language_item, localized_item

SEED = "perhekeskus-ptv-sample-1"
NAMESPACE = uuid.UUID("5b0c64c6-2f1e-5d8a-9c1b-7e3f20a4d9b1")
LANGS = ("fi", "sv", "en")
LEGACY_PREFIX = "http://urn.fi/URN:NBN:fi:au:ptvl:v1"  # + the row number in the class CSV
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


def read_codes(path: Path, legacy_prefix: str = "") -> dict[str, dict[str, str]]:
    """A PTV code CSV. The class CSV has no legacy URNs, so synthetic ones are numbered."""
    rows = read_csv(path)
    for index, row in enumerate(rows, start=1):
        row["legacy_uri"] = row.get("old_uri") or f"{legacy_prefix}{index:03d}"
    return {row["code"]: row for row in rows}


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
class Town:
    """A clinic location (``data/sample/towns.csv``): place names, WGS84 centre, postal code."""

    area: str
    municipality: str
    place: str
    genitive: str
    place_sv: str
    lat: float
    lon: float
    postal_code: str


@dataclass(frozen=True)
class Area:
    code: str
    names: dict[str, str]
    bilingual: bool
    english: bool
    domain: str
    municipalities: dict[str, Municipality]
    towns: list[Town]

    @property
    def text_langs(self) -> tuple[str, ...]:
        return ("fi",) + (("sv",) if self.bilingual else ()) + (("en",) if self.english else ())

    @property
    def service_langs(self) -> list[str]:
        return ["fi", "sv"] if self.bilingual else ["fi"]


@dataclass(frozen=True)
class Texts:
    name: str
    summary: str
    description: list[str]  # paragraphs
    instruction: str | None = None


@dataclass(frozen=True)
class Spec:
    """One kind of service: an entry of ``data/sample/*-services.yaml``."""

    key: str
    texts: dict[str, Texts]
    classes: list[str]
    groups: list[str]
    terms: list[str]
    charge: str | None
    keywords: dict[str, list[str]]
    events: list[str] = field(default_factory=list)
    variants: dict[str, str] = field(default_factory=dict)
    scope: str = "core"  # county services: core or optional
    except_areas: list[str] = field(default_factory=list)
    towns: str = "all"  # municipal services: all or biggest
    organisation: str = ""  # national services
    producer: str | None = None
    web_page: str = ""


def read_specs(entries: list[dict[str, Any]]) -> dict[str, Spec]:
    specs = {}
    for entry in entries:
        texts = {lang: Texts(**t) for lang, t in entry.pop("texts").items()}
        specs[entry["key"]] = Spec(texts=texts, **entry)
    return specs


class Quirks:
    """Where the deliberate quirks are (``data/sample/quirks.yaml``)."""

    def __init__(self, table: dict[str, Any]) -> None:
        self.legacy: dict[str, list[str]] = table.pop("legacy-uri")
        self.places = {
            name: {self.place(**{k: str(v) for k, v in e.items()}): e for e in entries}
            for name, entries in table.items()
        }

    @staticmethod
    def place(area: str, municipality: str = "", service: str = "", **more: str) -> str:
        """area[:municipality][:service][:location index][:web:service]."""
        web = f"web:{more['web_page']}" if "web_page" in more else ""
        parts = (area, municipality, service, more.get("location", ""), web)
        return ":".join(part for part in parts if part)

    def at(self, name: str, area: str, **where: str | int) -> dict[str, Any] | None:
        """The entry of quirk ``name`` at the place, or None."""
        return self.places[name].get(self.place(area, **{k: str(v) for k, v in where.items()}))


class Data:
    """Everything the sample is made from."""

    def __init__(self, root: Path) -> None:
        sample, ptv, regions = (root / "data" / name for name in ("sample", "ptv", "regions"))
        self.codes = {
            "class": read_codes(ptv / "ptv-service-classes.csv", LEGACY_PREFIX),
            "group": read_codes(ptv / "ptv-target-groups.csv"),
            "event": read_codes(ptv / "ptv-life-events.csv"),
        }
        yml = {p.stem: yaml.load(p.read_bytes(), Loader) for p in sample.glob("*.yaml")}
        self.county_specs = read_specs(yml["county-services"])
        self.municipal_specs = read_specs(yml["municipal-services"])
        self.national_specs = read_specs(yml["national-services"])
        self.organisations: dict[str, Any] = yml["organisations"]
        self.channels: dict[str, Any] = yml["channels"]
        self.national_channels: list[dict[str, Any]] = yml["national-channels"]
        self.quirks = Quirks(yml["quirks"])
        self.terms = {row["key"]: row for row in read_csv(sample / "ontology-terms.csv")}
        self.streets = [(row["fi"], row["sv"]) for row in read_csv(sample / "streets.csv")]
        towns = [
            Town(**(row | {"lat": float(row["lat"]), "lon": float(row["lon"])}))  # type: ignore[arg-type]
            for row in read_csv(sample / "towns.csv")
        ]
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
                towns=[t for t in towns if t.area == row["code"]],
            )
            for row in read_csv(regions / "wellbeing_areas.csv")
        ]


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


def phone(entry: dict[str, Any]) -> Json:
    """A phone number from data: free ones are service numbers, the others carry a price."""
    number, lang, info = entry["number"], entry["language"], entry.get("info")
    if entry.get("free"):
        return v11.phone_number(number, lang, info, charge="FreeOfCharge", service_number=True)
    return v11.phone_number(number, lang, info, charge_text=entry["price"])


def type_fields(type_: str, phones: list[Json] | None = None, authentication: bool = False) -> Json:
    """The fields of a Phone, WebPage or EChannel channel."""
    if type_ == "Phone":
        return {"phoneNumbers": phones or [], "supportEmails": []}
    fields: Json = {"supportPhones": [], "supportEmails": []}
    if type_ == "EChannel":
        fields |= {
            "requiresAuthentication": authentication, "requiresSignature": False,
            "signatureQuantity": None, "attachments": [],
        }  # fmt: skip
    return fields | {"accessibilityClassification": []}


class Builder:
    """Collects services, channels and organisations; ``_build`` links them both ways."""

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

    def quirk(self, name: str, item_id: str) -> None:
        self.quirks.setdefault(name, []).append(item_id)

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
            {"class": "ptvserclass", "group": "ptvkohderyhmat", "event": "ptvelti"}[kind],
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
        self, key: str, names: dict[str, str], type_: str, area: str, **kw: Any
    ) -> Json:
        """An organisation; ``kw``: alternative (names), business_code, areas, municipality,
        description, web."""
        org = v11.organization_object(
            uid(f"org:{key}"),
            type_=type_,
            business_code=kw.get("business_code") or business_code(key),
            names=v11.localized("Name", **names)
            + v11.localized("AlternativeName", **kw.get("alternative", {})),
            display_languages=list(names),
            areas=kw.get("areas", []),
            municipality=kw.get("municipality"),
            descriptions=v11.localized("Description", **kw.get("description", {})),
            web_pages=[v11.web_page(kw["web"], names["fi"], "fi")] if kw.get("web") else [],
            modified=modified(f"org:{key}"),
        )
        return self.add("organizations", org, area)

    def service(
        self, key: str, spec: Spec, langs: tuple[str, ...], area: str, org: Json, **kw: Any
    ) -> Json:
        """A service in the languages of ``langs`` it has texts in; ``kw``: service_langs,
        areas, legacy, summary, validity_null, old, producer, names (other names)."""
        texts = {lang: spec.texts[lang] for lang in langs if lang in spec.texts}
        # Only some services fill in the user instruction, as in real data.
        instructions = area == "national" or rng_for(f"instruction:{key}").random() < 0.5
        descriptions: list[Json] = []
        for lang, t in texts.items():
            if kw.get("summary", True):
                descriptions.append(localized_item(t.summary, lang, "Summary"))
            descriptions.append(localized_item("\n\n".join(t.description), lang, "Description"))
            if t.instruction and instructions:
                descriptions.append(localized_item(t.instruction, lang, "UserInstruction"))
            if kw.get("validity_null"):
                descriptions.append(localized_item(None, lang, "ValidityTime"))
        roles = [(org, "Responsible", "SelfProducedServices")]
        if kw.get("producer"):
            roles.append((kw["producer"], "Producer", "ProcuredServices"))
        legacy, names = kw.get("legacy", False), kw.get("names") or {}
        service = v11.service_object(
            uid(f"service:{key}"),
            names=[
                localized_item(names.get(lang, t.name), lang, "Name") for lang, t in texts.items()
            ],
            descriptions=descriptions,
            languages=kw["service_langs"],
            areas=kw["areas"],
            charge=spec.charge,
            classes=[self.finto(c, "class", legacy) for c in spec.classes],
            ontology_terms=[self.ontology_term(t) for t in spec.terms],
            target_groups=[self.finto(c, "group", legacy) for c in spec.groups],
            life_events=[self.finto(c, "event", legacy) for c in spec.events],
            keywords=[
                language_item(w, lang) for lang in texts for w in spec.keywords.get(lang, [])
            ],
            organizations=[
                v11.organization_role(
                    "organization", o["id"], v11.name_of(o, "organizationNames"), *rp
                )
                for o, *rp in roles
            ],
            modified=modified(f"service:{key}", old=kw.get("old", False)),
        )
        return self.add("services", service, area)

    def channel(
        self, key: str, type_: str, org: Json, area: str, texts: dict[str, Any], **kw: Any
    ) -> Json:
        """A channel in the languages of ``texts["names"]``, with the summaries and descriptions
        of ``texts`` in those; ``kw``: fields (of its type), areas, langs, web_pages, hours."""
        names: dict[str, str] = texts["names"]
        descriptions = [
            localized_item(texts[kind][lang], lang, type_name)
            for lang in names
            for kind, type_name in (("summaries", "Summary"), ("descriptions", "Description"))
            if lang in texts.get(kind, {})
        ]
        channel = v11.channel_object(
            uid(f"channel:{key}"),
            type_,
            organization_id=org["id"],
            names=[localized_item(v, lang, "Name") for lang, v in names.items()],
            descriptions=descriptions,
            specific=kw["fields"],
            areas=kw.get("areas", []),
            languages=kw.get("langs", list(names)),
            web_pages=kw.get("web_pages"),
            hours=self.hours(kw.get("hours"), tuple(names)),
            modified=modified(f"channel:{key}"),
        )
        for service in kw.get("services", []):
            v11.connect(service, channel, modified(f"connection:{service['id']}:{channel['id']}"))
        return self.add("channels", channel, area)

    def hours(self, table: dict[str, Any] | None, langs: tuple[str, ...]) -> list[Json]:
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
        self.legacy = area.code in self.data.quirks.legacy["areas"]
        self.county_org = self.county_organization()
        self.muni_orgs = {  # the City of Helsinki is both
            m.code: self.county_org if area.code == "90" else self.municipal_org(m)
            for m in area.municipalities.values()
        }
        self.county_services: dict[str, Json] = {}

    def build(self) -> None:
        self.build_county_services()
        big = list(dict.fromkeys(t.municipality for t in self.area.towns))[:3]
        for muni in self.area.municipalities.values():
            for spec in self.data.municipal_specs.values():
                if spec.towns == "all" or muni.code in big:
                    self.municipal_service(muni, spec)
        for index, town in enumerate(self.area.towns):
            self.clinic_location(index, town)
        self.build_day_care()
        self.build_phones()
        for key, service in self.county_services.items():
            if key != "paivystysapu" and service["serviceChannels"] is not None:
                self.county_web_page(key, service)

    def quirk(self, name: str, **where: str | int) -> dict[str, Any] | None:
        return self.data.quirks.at(name, self.code, **where)

    def record_quirks(self, item: Json, **where: str | int) -> None:
        for name in self.data.quirks.places:
            if self.quirk(name, **where):
                self.b.quirk(name, item["id"])
        if self.legacy and "service" in where:
            self.b.quirk("legacy-uri", item["id"])
        if any(t["name"][1]["value"] is None for t in item.get("ontologyTerms", [])):
            self.b.quirk("null-value", item["id"])

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
        return self.b.organization(
            f"area:{self.code}",
            texts["names"] if helsinki else names,
            "Municipality" if helsinki else "Region",
            self.code,
            areas=self.county_areas(),
            municipality=muni_ref(area.municipalities["091"]) if helsinki else None,
            description=texts["description"],
            web=f"https://{area.domain}/",
        )

    def municipal_org(self, muni: Municipality) -> Json:
        description = self.data.organisations["municipality"]["description"]
        return self.b.organization(
            f"muni:{muni.code}",
            {lang: getattr(muni, lang) for lang in muni.text_langs},
            "Municipality",
            self.code,
            areas=[municipality_area(muni)],
            municipality=muni_ref(muni),
            description={lang: description[lang] for lang in muni.text_langs},
            web=f"https://www.{ascii_slug(muni.fi)}.example/",
        )

    def build_county_services(self) -> None:
        specs = self.data.county_specs.values()
        optional = rng_for(f"set:{self.code}").sample(
            [s.key for s in specs if s.scope == "optional"], 2
        )
        use_variant = rng_for(f"variant:{self.code}").random() < 0.4
        for spec in specs:
            if (
                spec.scope == "optional" and spec.key not in optional
            ) or self.code in spec.except_areas:
                continue
            langs = self.area.text_langs
            if self.quirk("no-swedish", service=spec.key):
                langs = tuple(lang for lang in langs if lang != "sv")
            short = self.quirk("short-municipality-code", service=spec.key)
            service = self.b.service(
                f"{self.code}:{spec.key}",
                spec,
                langs,
                self.code,
                self.county_org,
                service_langs=self.area.service_langs,
                areas=self.county_areas(short["code"] if short else None),
                legacy=self.legacy,
                summary=not self.quirk("no-summary", service=spec.key),
                validity_null=bool(self.quirk("null-value", service=spec.key)),
                old=bool(self.quirk("old-modified", service=spec.key)),
                names=spec.variants if use_variant else None,
            )
            if self.quirk("null-service-channels", service=spec.key):
                service["serviceChannels"] = None
            self.county_services[spec.key] = service
            self.record_quirks(service, service=spec.key)

    def municipal_service(self, muni: Municipality, spec: Spec) -> None:
        """A municipal service named after the municipality ("Varhaiskasvatus, Kajaani"), in
        the municipality's own languages only."""
        where = {"municipality": muni.code, "service": spec.key}
        short = self.quirk("short-municipality-code", **where)
        texts = {
            lang: Texts(
                f"{t.name}, {muni.sv if lang == 'sv' else muni.fi}", t.summary, t.description
            )
            for lang, t in spec.texts.items()
        }
        service = self.b.service(
            f"{self.code}:{muni.code}:{spec.key}",
            Spec(
                spec.key, texts, spec.classes, spec.groups, spec.terms, spec.charge, spec.keywords
            ),
            muni.text_langs,
            self.code,
            self.muni_orgs[muni.code],
            service_langs=list(muni.languages),
            areas=[municipality_area(muni, short["code"] if short else None)],
            legacy=self.legacy,
            old=bool(self.quirk("old-modified", **where)),
        )
        self.record_quirks(service, **where)

    # -- channels

    def address(self, key: str, town: Town, code: str | None = None) -> Json:
        """A street address near the town centre; ``code`` for the municipality, if not its own."""
        muni, rng = self.area.municipalities[town.municipality], rng_for(f"address:{key}")
        street = dict(zip(("fi", "sv"), rng.choice(self.data.streets), strict=True))
        north, east = tm35fin(
            town.lat + rng.uniform(-0.004, 0.004), town.lon + rng.uniform(-0.008, 0.008)
        )
        return v11.street_address(
            [language_item(street[lang], lang) for lang in muni.text_langs],
            str(rng.randrange(1, 40)),
            town.postal_code,
            [language_item(getattr(muni, lang).upper(), lang) for lang in muni.text_langs],
            muni_ref(muni, code),
            north,
            east,
        )

    def location(self, key: str, org: Json, town: Town, texts: dict[str, Any], **kw: Any) -> Json:
        """A ServiceLocation in the town; ``kw``: phones, email, addresses, and as for
        ``Builder.channel``."""
        muni = self.area.municipalities[town.municipality]
        fields = {
            "oid": None,
            "displayNameType": [{"type": "Name", "language": lang} for lang in texts["names"]],
            "phoneNumbers": kw.pop("phones"),
            "emails": [language_item(kw.pop("email"), "fi")],
            "addresses": kw.pop("addresses"),
        }
        return self.b.channel(
            key, "ServiceLocation", org, self.code, texts,
            fields=fields, areas=[municipality_area(muni)], langs=list(muni.languages), **kw,
        )  # fmt: skip

    def clinic_location(self, index: int, town: Town) -> None:
        """The family centre (in the first town) or a clinic, with its services."""
        key, muni = f"{self.code}:location:{index}", self.area.municipalities[town.municipality]
        texts = self.texts["family_centre" if index == 0 else "clinic"]
        langs = muni.text_langs + (("en",) if self.area.english else ())
        names = {lang: texts["names"][lang].format(**vars(town)) for lang in langs}
        slug, first = ascii_slug(town.place), langs[0]
        short = self.quirk("short-municipality-code", location=index)
        addresses = [self.address(key, town, short["code"] if short else None)]
        if postal := self.quirk("postal-address", location=index):
            office = [language_item(muni.fi.upper(), "fi")]
            box, postal_code = [language_item(postal["box"], "fi")], town.postal_code[:3] + "01"
            addresses.append(v11.po_box_address(box, postal_code, office, muni_ref(muni)))
        if self.quirk("no-addresses", location=index):
            addresses = []
        pages = []
        if "web_path" in texts:
            url = f"https://{self.area.domain}/{first}/" + texts["web_path"].format(slug=slug)
            pages.append(v11.web_page(url, names[first], first))
        styles = self.texts["clinic_hours"]
        hours = styles[rng_for(f"hours:{key}").randrange(len(styles))]
        channel = self.location(
            key,
            self.county_org,
            town,
            texts | self.texts["locations"] | {"names": names},
            phones=self.b.numbered_phones(names),
            email=self.texts["locations"]["email"].format(slug=slug) + "@" + self.area.domain[4:],
            addresses=addresses,
            web_pages=pages,
            hours=None if self.quirk("no-service-hours", location=index) else hours,
            services=[self.county_services[k] for k in texts["services"]],
        )
        self.record_quirks(channel, location=index)

    def build_day_care(self) -> None:
        """Two day care centres in the area's first town, run by its municipality."""
        texts, town = self.texts["day_care"], self.area.towns[0]
        muni = self.area.municipalities[town.municipality]
        services = [
            self.b.by_id[uid(f"service:{self.code}:{muni.code}:{k}")] for k in texts["services"]
        ]
        for index, (fi, sv) in enumerate(
            rng_for(f"daycare:{self.code}").sample(texts["names_pool"], 2)
        ):
            key = f"{self.code}:daycare:{index}"
            self.location(
                key,
                self.muni_orgs[muni.code],
                town,
                texts
                | {
                    "names": {
                        lang: texts["names"][lang].format(fi=fi, sv=sv) for lang in muni.text_langs
                    }
                },
                phones=self.b.numbered_phones({"fi": None}),
                email=texts["email"].format(slug=ascii_slug(fi))
                + f"@{ascii_slug(muni.fi)}.example",
                addresses=[self.address(key, town)],
                hours=texts["hours"],
                services=services,
            )

    def county_channel(self, key: str, type_: str, texts: dict[str, Any], **kw: Any) -> Json:
        """A channel of the county (or city) for its whole area."""
        return self.b.channel(
            f"{self.code}:{key}", type_, self.county_org, self.code, texts,
            areas=self.county_areas(), langs=self.area.service_langs, **kw,
        )  # fmt: skip

    def build_phones(self) -> None:
        """The advice phone and, where the area has paivystysapu, the 116117 line."""
        texts, langs = self.texts["advice_phone"], self.area.text_langs
        names = {lang: texts["names"][lang] for lang in langs}
        self.county_channel(
            "phone",
            "Phone",
            texts | {"names": names},
            fields=type_fields("Phone", self.b.numbered_phones(names)),
            hours=texts["hours"],
            services=[self.county_services[k] for k in texts["services"]],
        )
        line = self.texts["medical_helpline"]
        services = [self.county_services[k] for k in line["services"] if k in self.county_services]
        if services:
            spec = self.data.county_specs[line["services"][0]].texts
            phones = [
                v11.phone_number(line["number"], lang, charge=line["charge"], service_number=True)
                for lang in langs
                if lang != "en"
            ]
            self.county_channel(
                "116117",
                "Phone",
                {
                    "names": {lang: spec[lang].name for lang in langs},
                    "summaries": {lang: spec[lang].summary for lang in langs},
                },
                fields=type_fields("Phone", phones),
                hours=line["hours"],
                services=services,
            )

    def county_web_page(self, key: str, service: Json) -> None:
        """A web page channel for a county service, in the service's languages."""
        texts = self.texts["web_pages"]
        site = texts["site_helsinki" if self.code == "90" else "site"]
        names = {n["language"]: n["value"] for n in service["serviceNames"]}
        pages = [
            v11.web_page(
                f"https://{self.area.domain}/{texts['paths'][lang]}/{ascii_slug(name)}", name, lang
            )
            for lang, name in names.items()
        ]
        if malformed := self.quirk("malformed-url", web_page=key):
            pages[0]["url"] = malformed["url"]
        channel = self.county_channel(
            f"web:{key}",
            "WebPage",
            {
                "names": {
                    lang: texts["names"][lang].format(service=v) for lang, v in names.items()
                },
                "summaries": {
                    lang: t.format(site=site[lang]) for lang, t in texts["summaries"].items()
                },
            },
            fields=type_fields("WebPage"),
            web_pages=pages,
            services=[service],
        )
        self.record_quirks(channel, web_page=key)


# --- Nationwide content -----------------------------------------------------------------------


def build_national(b: Builder) -> None:
    """Kela's family benefits and the national helplines, with their organisations and channels
    (``data/sample/national-*.yaml``)."""
    orgs: dict[str, Json] = {}
    for org in b.data.organisations["national"]:
        extra = {k: org[k] for k in ("alternative", "business_code", "web") if k in org}
        key = org["key"]
        orgs[key] = b.organization(
            f"national:{key}", org["names"], org["type"], "national", **extra
        )
    services: dict[str, Json] = {}
    for key, spec in b.data.national_specs.items():
        langs = tuple(lang for lang in LANGS if lang in spec.texts)
        legacy = spec.organisation in b.data.quirks.legacy["organisations"]
        null_value = b.data.quirks.at("null-value", "national", service=key)
        services[key] = service = b.service(
            f"national:{key}",
            spec,
            langs,
            "national",
            orgs[spec.organisation],
            service_langs=list(langs),
            areas=[],
            legacy=legacy,
            validity_null=bool(null_value),
            producer=orgs[spec.producer] if spec.producer else None,
        )
        if legacy:
            b.quirk("legacy-uri", service["id"])
        if null_value or any(t["name"][1]["value"] is None for t in service["ontologyTerms"]):
            b.quirk("null-value", service["id"])

    def channel(key: str, entry: dict[str, Any], linked: list[Json]) -> None:
        phones = [phone(p) for p in entry.get("phones", [])]
        b.channel(
            f"national:{key}",
            entry["type"],
            orgs[entry["organisation"]],
            "national",
            entry,
            fields=type_fields(entry["type"], phones, entry.get("requires_authentication", False)),
            web_pages=entry.get("web_pages"),
            hours=entry.get("hours"),
            services=linked,
        )

    for entry in b.data.national_channels:
        if not entry.get("for_each_service"):
            channel(entry["key"], entry, [services[k] for k in entry["services"]])
            continue
        for key in entry["services"]:  # a web page for each, named after the service
            names = {n["language"]: n["value"] for n in services[key]["serviceNames"]}
            page = v11.web_page(b.data.national_specs[key].web_page, names["fi"], "fi")
            suffixed = {lang: name + entry["name_suffix"] for lang, name in names.items()}
            texts = entry | {"names": suffixed, "web_pages": [page]}
            channel(f"{entry['key']}:{key}", texts, [services[key]])


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
    builder = _build(Path(__file__).resolve().parent.parent)
    if "--quirks" in sys.argv:
        for name, ids in sorted(builder.quirks.items()):
            print(f"{name}: {', '.join(sorted(set(ids)))}")
        return
    counts: dict[str, list[int]] = {}
    for index, kind in enumerate(("services", "channels", "organizations")):
        for item in getattr(builder, kind):
            counts.setdefault(builder.area_of[item["id"]], [0, 0, 0])[index] += 1
    print(f"{'area':<9}{'services':>9}{'channels':>9}{'orgs':>6}")
    for area, (services, channels, orgs) in sorted(counts.items()):
        print(f"{area:<9}{services:>9}{channels:>9}{orgs:>6}")
    print(f"total: {len(builder.services)} services, {len(builder.channels)} channels, "
          f"{len(builder.organizations)} organizations")  # fmt: skip


if __name__ == "__main__":
    main()
