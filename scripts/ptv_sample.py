"""Build a deterministic, SYNTHETIC sample of PTV v11 Open API data for the 22 areas.

In: the files of ``data/sample/`` (texts, towns, channels, organisations, quirks: its README
says what each holds), the areas and municipalities of ``data/regions/`` and the PTV code sets
of ``data/ptv/``. Out: v11 Service, ServiceChannel and Organization objects as GET
``Service/list``, ``ServiceChannel/list`` and ``Organization/list`` return them, made with
``pipeline.testing.ptv_objects``; ``scripts/generate_ptv_snapshot.py`` makes the committed
snapshot from them.

Names, texts, tables and the places of the deliberate quirks are data; this code combines them.
What varies between areas (optional services, other names, opening hours, addresses, times) is
picked by random generators seeded with each item's stable key, and ids are
``uuid5(NAMESPACE, key)``: the same data gives the same bytes on every run.

``python scripts/ptv_sample.py`` prints the counts per area, ``--quirks`` the ids of the items
that carry each quirk.
"""

from __future__ import annotations

import csv
import random
import sys
import unicodedata
import uuid
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, NamedTuple

import yaml
from pyproj import Transformer

from pipeline.testing import ptv_objects as v11
from pipeline.testing.ptv_objects import Json, language_item, localized_item

SEED = "perhekeskus-ptv-sample-1"
NAMESPACE = uuid.UUID("5b0c64c6-2f1e-5d8a-9c1b-7e3f20a4d9b1")
LANGS = ("fi", "sv", "en")
CODE_SETS: dict[str, tuple[str, str, Json]] = {  # file in data/ptv, ontologyType, extra fields
    "class": ("ptv-service-classes.csv", "ptvserclass", {"description": []}),
    "group": ("ptv-target-groups.csv", "ptvkohderyhmat", {"override": False}),
    "event": ("ptv-life-events.csv", "ptvelti", {}),
}
LEGACY_PREFIX = "http://urn.fi/URN:NBN:fi:au:ptvl:v1"  # + the row number, if the CSV has none
PLACE = ("area", "municipality", "service", "location", "web_page")  # where a quirk can be
TEXTS = ("names", "summaries", "descriptions")  # the texts of an entry, per language
ROLES = (("Responsible", "SelfProducedServices"), ("Producer", "ProcuredServices"))  # of orgs
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


def fill(entry: Json, langs: Sequence[str], **values: Any) -> Json:
    """``entry`` with its ``TEXTS`` in those of ``langs`` it has, and the {placeholders} of
    those and of its strings filled in from ``values`` (each one for all languages, or a dict
    of one per language)."""

    def text(template: str, lang: str) -> str:
        return template.format(
            **{k: v[lang] if isinstance(v, dict) else v for k, v in values.items()}
        )

    filled: Json = {k: text(v, langs[0]) for k, v in entry.items() if isinstance(v, str)}
    for key in (key for key in TEXTS if key in entry):
        filled[key] = {lang: text(entry[key][lang], lang) for lang in langs if lang in entry[key]}
    return entry | filled


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


def place(where: Json) -> tuple[str, ...]:
    """Where a quirk is: an area, and a municipality, service, location or web page in it."""
    return tuple(str(where.get(key, "")) for key in PLACE)


@dataclass(frozen=True)
class Municipality:
    code: str
    names: dict[str, str]  # fi, sv
    languages: tuple[str, ...]  # majority language first
    text_langs: tuple[str, ...]  # the same in PTV's list order, fi first


@dataclass(frozen=True)
class Area:
    code: str
    names: dict[str, str]
    site: dict[str, str]  # its row of areas.csv: domain, english, city
    langs: list[str]  # of its services: fi, and sv where bilingual
    text_langs: list[str]  # the same, and en where the site has English
    municipalities: dict[str, Municipality]
    towns: list[dict[str, str]]  # its rows of towns.csv, the family centre's first


def read_areas(sample: Path, regions: Path) -> list[Area]:
    """The areas of ``data/regions`` with their municipalities, and their sites and towns."""
    sites = {row["area"]: row for row in read_csv(sample / "areas.csv")}
    towns, munis = read_csv(sample / "towns.csv"), read_csv(regions / "municipalities.csv")
    areas = []
    for row in read_csv(regions / "wellbeing_areas.csv"):
        code, langs = row["code"], ["fi", "sv"] if row["languages"] == "fi+sv" else ["fi"]
        municipalities = {}
        for m in (m for m in munis if m["area_code"] == code):
            spoken = tuple(m["language_status"].split("+"))
            text_langs = tuple(lang for lang in ("fi", "sv") if lang in spoken)
            names = {"fi": m["name_fi"], "sv": m["name_sv"]}
            municipalities[m["code"]] = Municipality(m["code"], names, spoken, text_langs)
        names = {lang: row[f"name_{lang}"] for lang in LANGS}
        english = ["en"] if sites[code]["english"] == "yes" else []
        own = [town for town in towns if town["area"] == code]
        areas.append(Area(code, names, sites[code], langs, langs + english, municipalities, own))
    return areas


class Data:
    """Everything the sample is made from; the entries of the YAML files stay ``dict``s."""

    def __init__(self, root: Path) -> None:
        sample, ptv, regions = (root / "data" / name for name in ("sample", "ptv", "regions"))
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
        self.codes = {kind: read_codes(ptv / file) for kind, (file, *_) in CODE_SETS.items()}
        self.terms = {row["key"]: row for row in read_csv(sample / "ontology-terms.csv")}
        self.streets = read_csv(sample / "streets.csv")
        self.areas = read_areas(sample, regions)

    def quirks_at(self, where: Json) -> dict[str, Json]:
        """The quirks at the place: their entries by name."""
        here = place(where)
        return {name: places[here] for name, places in self.quirks.items() if here in places}


# --- The items ------------------------------------------------------------------------------


def muni_ref(muni: Municipality, short: bool = False) -> Json:
    """``short``: the code without leading zeros, a quirk of real data."""
    code = muni.code.lstrip("0") if short else muni.code
    return v11.municipality_ref(code, v11.lang_items(**muni.names))


def municipality_area(muni: Municipality) -> Json:
    return v11.area_object("Municipality", None, [], [muni_ref(muni)])


class Scope(NamedTuple):
    """The areas and languages of a service or channel, and the languages of a service's texts
    (those of them it has texts in)."""

    areas: list[Json]
    langs: Sequence[str]
    text_langs: Sequence[str] = ()


class Sample:
    """The sample being built: v11 objects in the order the list endpoints return them, and
    the ids that carry each quirk. Its items are made from entries of the data files, filled in
    and completed by the code."""

    def __init__(self, data: Data) -> None:
        self.data = data
        self.services: list[Json] = []
        self.channels: list[Json] = []  # of mixed types
        self.organizations: list[Json] = []
        self.area_of: dict[str, str] = {}  # item id -> area code or "national"
        self.quirks: dict[str, set[str]] = {}
        self.phone_count = 0  # of the numbers made up so far

    def add(self, kind: str, item: Json, where: Json, legacy: bool = False) -> Json:
        """Add an item made at ``where``, noting its id under each quirk it carries."""
        getattr(self, kind).append(item)
        self.area_of[item["id"]] = where["area"]
        quirks = {*self.data.quirks_at(where), *(["legacy-uri"] if legacy else [])}
        if any(t["name"][1]["value"] is None for t in item.get("ontologyTerms", [])):
            quirks.add("null-value")  # a term without a Swedish name (ontology-terms.csv)
        for name in quirks:
            self.quirks.setdefault(name, set()).add(item["id"])
        return item

    def numbered_phones(self, infos: dict[str, str | None]) -> list[Json]:
        """A new number per language but English, in the fake "40 000 xxxx" range."""
        phones = []
        for lang, info in infos.items():
            if lang != "en":
                self.phone_count += 1
                number = f"40 000 {1000 + self.phone_count:04d}"
                price = self.data.channels["call_price"][lang]
                phones.append(v11.phone_number(number, lang, info, charge_text=price))
        return phones

    def finto(self, kind: str, code: str, legacy: bool) -> Json:
        """A service class, target group or life event; ``legacy``: with the old ptvl URNs."""
        rows, (_, ontology_type, extra) = self.data.codes[kind], CODE_SETS[kind]
        item = rows[code]  # KeyError: the code is not in data/ptv, which must not happen
        parent, uri = rows.get(item["parent_code"], {}), "legacy_uri" if legacy else "uri"
        if legacy:  # and the koodistot URIs as the new ones
            extra = extra | {"new_uri": item["uri"], "new_parent_uri": parent.get("uri")}
        names = [language_item(item[f"name_{lang}"], lang) for lang in LANGS]
        parent_id = uid(f"finto:{parent['code']}") if parent else None
        return v11.finto_item(
            code, names, ontology_type, item[uri], parent_id=parent_id, parent_uri=parent.get(uri),
            **extra,
        )  # fmt: skip

    def ontology_term(self, key: str) -> Json:
        term = self.data.terms[key]  # an empty sv name is the "null value" quirk
        names = [language_item(term[lang] or None, lang) for lang in LANGS]
        return v11.finto_item(None, names, "YSO", f"http://www.yso.fi/onto/koko/{term['number']}")

    def organization(self, key: str, org: Json, where: Json) -> Json:
        """An organisation from an entry of ``organisations.yaml``: names, type, and if given
        alternative (names), business_code, descriptions, web, areas and municipality."""
        names, other = org["names"], org.get("alternative", {})
        item = v11.organization_object(
            uid(f"org:{key}"), type_=org["type"],
            business_code=org.get("business_code") or business_code(key),
            names=v11.localized("Name", **names) + v11.localized("AlternativeName", **other),
            display_languages=list(names), areas=org.get("areas", []),
            municipality=org.get("municipality"),
            descriptions=v11.localized("Description", **org.get("descriptions", {})),
            web_pages=[v11.web_page(org["web"], names["fi"], "fi")] if "web" in org else [],
            modified=modified(f"org:{key}"),
        )  # fmt: skip
        return self.add("organizations", item, where)

    def service(self, where: Json, spec: Json, orgs: list[Json], scope: Scope) -> Json:
        """The service of ``spec`` at a place (``where``: area, municipality, service), with
        the quirks of the place; ``spec["names"]``: other names, if given; ``orgs``: the
        responsible organisation, and the producer if another."""
        key, quirks = ":".join(where.values()), self.data.quirks_at(where)
        legacy = where["area"] in self.data.legacy["areas"]
        legacy |= spec.get("organisation") in self.data.legacy["organisations"]
        texts = {lang: spec["texts"][lang] for lang in scope.text_langs if lang in spec["texts"]}
        if "no-swedish" in quirks:
            del texts["sv"]
        # Only some services fill in the user instruction, as in real data.
        instructions = where["area"] == "national" or rng_for(f"instruction:{key}").random() < 0.5
        descriptions: list[Json] = []
        for lang, t in texts.items():
            if "no-summary" not in quirks:
                descriptions.append(localized_item(t["summary"], lang, "Summary"))
            descriptions.append(localized_item("\n\n".join(t["description"]), lang, "Description"))
            if t.get("instruction") and instructions:
                descriptions.append(localized_item(t["instruction"], lang, "UserInstruction"))
            if "null-value" in quirks:
                descriptions.append(localized_item(None, lang, "ValidityTime"))
        names = {lang: t["name"] for lang, t in texts.items()} | spec.get("names", {})
        keywords = [
            language_item(w, lang) for lang in texts for w in spec["keywords"].get(lang, [])
        ]
        roles = [
            v11.organization_role(
                "organization", org["id"], v11.name_of(org, "organizationNames"), *role
            )
            for org, role in zip(orgs, ROLES, strict=False)
        ]
        if "short-municipality-code" in quirks:
            for ref in (ref for area in scope.areas for ref in area["municipalities"]):
                ref["code"] = ref["code"].lstrip("0")
        service = v11.service_object(
            uid(f"service:{key}"),
            names=[localized_item(names[lang], lang, "Name") for lang in texts],
            descriptions=descriptions, languages=list(scope.langs), areas=scope.areas,
            charge=spec["charge"],
            classes=[self.finto("class", code, legacy) for code in spec["classes"]],
            ontology_terms=[self.ontology_term(term) for term in spec["terms"]],
            target_groups=[self.finto("group", code, legacy) for code in spec["groups"]],
            life_events=[self.finto("event", code, legacy) for code in spec.get("events", [])],
            keywords=keywords, organizations=roles,
            modified=modified(f"service:{key}", old="old-modified" in quirks),
        )  # fmt: skip
        if "null-service-channels" in quirks:
            service["serviceChannels"] = None
        return self.add("services", service, where, legacy)

    def channel(self, key: str, entry: Json, where: Json, scope: Scope) -> Json:
        """A channel from a filled-in entry: a ``type``, an ``org``, ``fields`` of the type
        (named as in the API), the ``linked`` services, texts (its languages are those of the
        names), ``web_pages`` and ``hours``; ``scope.langs``: if not the names' languages."""
        names: dict[str, str] = entry["names"]
        descriptions = [
            localized_item(entry[kind][lang], lang, type_)
            for lang in names
            for kind, type_ in (("summaries", "Summary"), ("descriptions", "Description"))
            if lang in entry.get(kind, {})
        ]
        channel = v11.channel_object(
            uid(f"channel:{key}"), entry["type"], organization_id=entry["org"]["id"],
            names=v11.localized("Name", **names), descriptions=descriptions,
            specific=v11.channel_fields(entry["type"], **entry.get("fields", {})),
            areas=scope.areas, languages=list(scope.langs or names),
            web_pages=entry.get("web_pages"), hours=self.hours(entry.get("hours"), list(names)),
            modified=modified(f"channel:{key}"),
        )  # fmt: skip
        for service in entry["linked"]:
            v11.connect(service, channel, modified(f"connection:{service['id']}:{channel['id']}"))
        return self.add("channels", channel, where)

    def hours(self, table: Json | None, langs: list[str]) -> list[Json]:
        """Opening hours from data (see ``data/sample/channels.yaml``)."""
        if not table:
            return []
        week, info = [tuple(day) for day in table.get("week", [])], table.get("info", {})
        always = table.get("always_open", False)
        hours = [v11.service_hours(week, always_open=always, info=v11.lang_items(**info))]
        if table.get("closed_on_christmas_eve"):
            eve = fill(self.data.channels["christmas_eve"], langs)
            hours.append(v11.service_hours(
                type_="Exceptional", valid_from=eve["date"], closed=True, valid_for_now=False,
                info=v11.lang_items(**eve["names"]),
            ))  # fmt: skip
        return hours


# --- What an area adds ----------------------------------------------------------------------


class AreaContent:
    """What one area adds to the sample: organisations, services and channels, in this order."""

    def __init__(self, sample: Sample, area: Area) -> None:
        self.sample, self.data, self.area, self.code = sample, sample.data, area, area.code
        self.where, self.texts = {"area": area.code}, self.data.channels
        self.city = area.municipalities.get(area.site["city"])  # a city that is its own area
        self.county_org = self.county_organization()
        self.muni_orgs = {  # the city is both
            code: self.county_org if self.city else self.municipal_organization(muni)
            for code, muni in area.municipalities.items()
        }
        self.county: dict[str, Json] = {}  # its services by key
        self.municipal: dict[tuple[str, str], Json] = {}  # by municipality code and key

    def build(self) -> None:
        self.county_services()
        big = list(dict.fromkeys(town["municipality"] for town in self.area.towns))[:3]
        for muni in self.area.municipalities.values():
            for spec in self.data.specs["municipal"].values():
                if spec["towns"] == "all" or muni.code in big:
                    self.municipal_service(muni, spec)
        for index, town in enumerate(self.area.towns):
            self.clinic(index, town)
        self.day_care()
        self.phones()
        for key, service in self.county.items():
            linked = service["serviceChannels"] is not None  # else no channel links to it
            if key not in self.texts["web_pages"]["except_services"] and linked:
                self.web_page(key, service)

    def county_scope(self, text_langs: Sequence[str] = ()) -> Scope:
        """Where the county's services and channels are: the county, or the city."""
        if self.city:
            return Scope([municipality_area(self.city)], self.area.langs, text_langs)
        names = v11.lang_items(fi=self.area.names["fi"], sv=self.area.names["sv"])
        munis = [muni_ref(m) for m in self.area.municipalities.values()]
        county = v11.area_object("WellbeingServiceCounties", self.code, names, munis)
        return Scope([county], self.area.langs, text_langs)

    # -- organisations and services

    def county_organization(self) -> Json:
        names = {lang: self.area.names[lang] for lang in [*self.area.langs, "en"]}
        entry: Json = {"names": names} | self.data.organisations["city" if self.city else "county"]
        entry = fill(entry, LANGS, domain=self.area.site["domain"])
        entry["areas"] = self.county_scope().areas
        entry["municipality"] = muni_ref(self.city) if self.city else None
        return self.sample.organization(f"area:{self.code}", entry, self.where)

    def municipal_organization(self, muni: Municipality) -> Json:
        entry = self.data.organisations["municipality"] | {"names": muni.names}
        entry = fill(entry, muni.text_langs, slug=ascii_slug(muni.names["fi"]))
        entry |= {"areas": [municipality_area(muni)], "municipality": muni_ref(muni)}
        return self.sample.organization(f"muni:{muni.code}", entry, self.where)

    def county_services(self) -> None:
        """The core services and two optional ones (picked from the seed); in some areas
        (picked too) the services with other names go by them."""
        specs = self.data.specs["county"].values()
        optional = [spec["key"] for spec in specs if spec["scope"] == "optional"]
        picked = rng_for(f"set:{self.code}").sample(optional, 2)
        variants = rng_for(f"variant:{self.code}").random() < 0.4
        for spec in specs:
            key, excepted = spec["key"], self.code in spec.get("except_areas", [])
            if (key in optional and key not in picked) or excepted:
                continue
            if variants and "variants" in spec:
                spec = spec | {"names": spec["variants"]}
            where, scope = self.where | {"service": key}, self.county_scope(self.area.text_langs)
            self.county[key] = self.sample.service(where, spec, [self.county_org], scope)

    def municipal_service(self, muni: Municipality, spec: Json) -> None:
        """Named after the municipality ("Varhaiskasvatus, Kajaani"), in its own languages."""
        key, texts = spec["key"], spec["texts"]
        names = {
            lang: f"{texts[lang]['name']}, {muni.names.get(lang, muni.names['fi'])}"
            for lang in texts
        }
        where = self.where | {"municipality": muni.code, "service": key}
        scope = Scope([municipality_area(muni)], muni.languages, muni.text_langs)
        orgs = [self.muni_orgs[muni.code]]
        self.municipal[muni.code, key] = self.sample.service(
            where, spec | {"names": names}, orgs, scope
        )

    # -- channels

    def clinic(self, index: int, town: dict[str, str]) -> None:
        """The family centre (in the first town) or a clinic, offering county services, in the
        municipality's languages and English where the area has it."""
        muni, domain = self.area.municipalities[town["municipality"]], self.area.site["domain"]
        langs = [*muni.text_langs, *(["en"] if "en" in self.area.text_langs else [])]
        kind = self.texts["family_centre" if index == 0 else "clinic"] | self.texts["locations"]
        values = town | {"slug": ascii_slug(town["place"]), "lang": langs[0], "domain": domain}
        entry = fill(kind, langs, mail_domain=domain.removeprefix("www."), **values)
        entry |= {"org": self.county_org, "linked": [self.county[k] for k in entry["services"]]}
        entry["phones"] = self.sample.numbered_phones(entry["names"])  # the name as information
        self.location(
            f"{self.code}:location:{index}", entry, town, self.where | {"location": index}
        )

    def day_care(self) -> None:
        """Two day care centres (names picked from the seed) in the area's first town, run by
        its municipality, offering its services."""
        entry, town = self.texts["day_care"], self.area.towns[0]
        muni = self.area.municipalities[town["municipality"]]
        linked = [self.municipal[muni.code, k] for k in entry["services"]]
        municipality = ascii_slug(muni.names["fi"])
        for index, (fi, sv) in enumerate(
            rng_for(f"daycare:{self.code}").sample(entry["names_pool"], 2)
        ):
            filled = fill(
                entry, muni.text_langs, fi=fi, sv=sv, slug=ascii_slug(fi), municipality=municipality
            )
            filled |= {"org": self.muni_orgs[muni.code], "linked": linked}
            filled["phones"] = self.sample.numbered_phones({"fi": None})  # one, without information
            self.location(f"{self.code}:daycare:{index}", filled, town, self.where)

    def location(self, key: str, entry: Json, town: dict[str, str], where: Json) -> None:
        """A ServiceLocation in the town from a filled-in entry with its ``phones``, with an
        address near the town centre and opening hours in one of its ``hours_styles`` (both
        picked from the seed), and the quirks of ``where``."""
        muni, quirks = self.area.municipalities[town["municipality"]], self.data.quirks_at(where)
        addresses = [self.address(key, town, muni, "short-municipality-code" in quirks)]
        if postal := quirks.get("postal-address"):
            box, office = (
                v11.lang_items(fi=postal["box"]),
                v11.lang_items(fi=muni.names["fi"].upper()),
            )
            addresses.append(v11.po_box_address(box, postal["postal_code"], office, muni_ref(muni)))
        names = entry["names"]
        first = next(iter(names))
        fields = {
            "displayNameType": [{"type": "Name", "language": lang} for lang in names],
            "phoneNumbers": entry["phones"],
            "emails": [language_item(entry["email"], "fi")],
            "addresses": [] if "no-addresses" in quirks else addresses,
        }
        hours = rng_for(f"hours:{key}").choice(entry["hours_styles"])
        entry = entry | {"fields": fields, "hours": None if "no-service-hours" in quirks else hours}
        if "web_page" in entry:
            entry["web_pages"] = [v11.web_page(entry["web_page"], names[first], first)]
        self.sample.channel(key, entry, where, Scope([municipality_area(muni)], muni.languages))

    def address(self, key: str, town: dict[str, str], muni: Municipality, short: bool) -> Json:
        """A street address near the town centre (picked from the seed)."""
        rng = rng_for(f"address:{key}")
        street = rng.choice(self.data.streets)
        lat = float(town["lat"]) + rng.uniform(-0.004, 0.004)
        lon = float(town["lon"]) + rng.uniform(-0.008, 0.008)
        streets = [language_item(street[lang], lang) for lang in muni.text_langs]
        offices = [language_item(muni.names[lang].upper(), lang) for lang in muni.text_langs]
        number, code, ref = str(rng.randrange(1, 40)), town["postal_code"], muni_ref(muni, short)
        return v11.street_address(streets, number, code, offices, ref, *tm35fin(lat, lon))

    def county_channel(self, key: str, entry: Json, services: list[str], **where: str) -> None:
        """A channel of the county (or city) for its whole area, offering county services."""
        entry = entry | {"org": self.county_org, "linked": [self.county[k] for k in services]}
        self.sample.channel(f"{self.code}:{key}", entry, self.where | where, self.county_scope())

    def phones(self) -> None:
        """The advice phone and, where the area has the service, the 116117 line."""
        langs, entry = self.area.text_langs, fill(self.texts["advice_phone"], self.area.text_langs)
        entry["fields"] = {"phoneNumbers": self.sample.numbered_phones(entry["names"])}
        self.county_channel("phone", entry, entry["services"])
        line = self.texts["medical_helpline"]
        services = [key for key in line["services"] if key in self.county]
        if services:  # named and summarised as the service
            texts = self.data.specs["county"][services[0]]["texts"]
            phones = [
                v11.phone_number(**line["phone"], language=lang) for lang in langs if lang != "en"
            ]
            names = {lang: texts[lang]["name"] for lang in langs}
            summaries = {lang: texts[lang]["summary"] for lang in langs}
            entry = line | {
                "names": names,
                "summaries": summaries,
                "fields": {"phoneNumbers": phones},
            }
            self.county_channel("116117", entry, services)

    def web_page(self, key: str, service: Json) -> None:
        """A web page channel for a county service, named after it, in its languages."""
        entry, domain = self.texts["web_pages"], self.area.site["domain"]
        names = {n["language"]: n["value"] for n in service["serviceNames"]}
        site = entry["site_city" if self.city else "site"]
        pages = [
            v11.web_page(f"https://{domain}/{entry['paths'][lang]}/{ascii_slug(name)}", name, lang)
            for lang, name in names.items()
        ]
        if malformed := self.data.quirks_at(self.where | {"web_page": key}).get("malformed-url"):
            pages[0]["url"] = malformed["url"]
        entry = fill(entry, list(names), service=names, site=site) | {"web_pages": pages}
        self.county_channel(f"web:{key}", entry, [key], web_page=key)


# --- Nationwide content -----------------------------------------------------------------------


def build_national(sample: Sample) -> None:
    """Kela's family benefits and the national helplines, with their organisations and channels
    (``data/sample/national-*.yaml``)."""
    where, nationwide = {"area": "national"}, Scope([], ())
    orgs = {
        org["key"]: sample.organization(f"national:{org['key']}", org, where)
        for org in sample.data.organisations["national"]
    }
    services: dict[str, Json] = {}
    for key, spec in sample.data.specs["national"].items():
        langs = [lang for lang in LANGS if lang in spec["texts"]]
        providers = [orgs[k] for k in (spec["organisation"], spec.get("producer")) if k]
        services[key] = sample.service(
            where | {"service": key}, spec, providers, Scope([], langs, langs)
        )
    for entry in sample.data.national_channels:
        key, entry = f"national:{entry['key']}", entry | {"org": orgs[entry["organisation"]]}
        if "phones" in entry:
            entry["fields"] = {"phoneNumbers": [v11.phone_number(**p) for p in entry["phones"]]}
        if not entry.get("for_each_service"):
            entry["linked"] = [services[k] for k in entry["services"]]
            sample.channel(key, entry, where, nationwide)
            continue
        for name in entry["services"]:  # a web page for each, named after the service
            names = {n["language"]: n["value"] for n in services[name]["serviceNames"]}
            page = v11.web_page(sample.data.specs["national"][name]["web_page"], names["fi"], "fi")
            filled = fill(entry, list(names), service=names)
            sample.channel(
                f"{key}:{name}",
                filled | {"web_pages": [page], "linked": [services[name]]},
                where,
                nationwide,
            )


# --- Entry points -----------------------------------------------------------------------------


def build_sample(root: Path) -> Sample:
    """Build the whole sample from the files under ``root/data``; same output on every run."""
    sample = Sample(Data(root))
    build_national(sample)
    for area in sample.data.areas:
        AreaContent(sample, area).build()
    v11.link_derived(sample.services, sample.channels, sample.organizations)
    return sample


def quirk_ids(root: Path) -> dict[str, list[str]]:
    """The ids of the items that carry each deliberate quirk (``data/sample/quirks.yaml``)."""
    return {name: sorted(ids) for name, ids in sorted(build_sample(root).quirks.items())}


def main() -> None:
    root = Path(__file__).resolve().parent.parent
    if "--quirks" in sys.argv:
        for name, ids in quirk_ids(root).items():
            print(f"{name}: {', '.join(ids)}")
        return
    sample, kinds = build_sample(root), {"services": 9, "channels": 9, "organizations": 6}
    count = Counter(
        (sample.area_of[item["id"]], kind) for kind in kinds for item in getattr(sample, kind)
    )
    print(f"{'area':<9}{'services':>9}{'channels':>9}{'orgs':>6}")
    for area in sorted(set(sample.area_of.values())):
        print(
            f"{area:<9}" + "".join(f"{count[area, kind]:>{width}}" for kind, width in kinds.items())
        )
    print("total: " + ", ".join(f"{len(getattr(sample, kind))} {kind}" for kind in kinds))


if __name__ == "__main__":
    main()
