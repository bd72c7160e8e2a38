"""Build a deterministic, SYNTHETIC sample of PTV v11 Open API data for the 22 areas.

The data is realistic in shape and kind, not real services: organisation business codes (except
Kela's), phone numbers (``+358 40 000 xxxx``), e-mail addresses and web addresses
(``*.example``) are made up, and so are street numbers, KOKO ontology term numbers and the legacy
``ptvl:v1xxx`` service class URNs. Town centre coordinates and postal codes are close to the real
ones. The only real contact details are the national ones from
``/work/shared/reference/family-facts-2026.md`` (Nollalinja, MLL, MIELI, 116117, kela.fi pages).

What it makes (see ``build_sample``): for each of the 22 areas a county (or Helsinki city)
organisation, nine county-wide family services (eight in Lapland, which has no 116117),
municipal services (early childhood education everywhere; pre-primary education and youth work
in the three biggest towns), one organisation per municipality, and channels (family centre and
clinic locations, an advice phone, 116117, a web page per county service, day care locations);
plus nationwide Kela benefits and helplines.
The JSON shapes follow GET ``Service/list``, ``ServiceChannel/list`` and ``Organization/list``
(v11), see ``/work/shared/reference/ptv-api.md`` section 6.

Helsinki (90) is not a county: its "county" services name municipality 091 (area type
``Municipality``), and the city is both the county and the municipal organisation.

Deliberate real-world quirks. ``quirk_ids(root)`` returns the ids per quirk; the ids are
``uuid5(NAMESPACE, key)`` of the stable keys shown, so they never change:

* ``null-value``: ``ValidityTime`` descriptions with ``"value": null`` on
  ``service:08:lastenvalvoja`` 40513d5f-95b8-52c3-a47a-122cb136e86a,
  ``service:16:aitiysneuvola`` 95e75110-966a-55b1-b146-bb19e1624360 and
  ``service:national:elatustuki`` 5aefdcc4-3b76-5093-a9ef-c752ee96b125; and a null sv name in
  the ontology terms ``perheneuvolat`` (koko/p4711) and ``lähisuhdeväkivalta`` (koko/p9050), on
  every service that carries them (and on channels, whose ontologyTerms are the union).
* ``legacy-uri``: on all services of areas 06, 12, 14 and 20 and on Kela's, finto items carry the
  legacy ``http://urn.fi/URN:NBN:fi:au:ptvl:v…`` URN in ``uri`` and the koodistot URI in
  ``newUri`` (``newParentUri`` too); everywhere else ``uri`` is the ``ptvserclass2``,
  ``ptvkohderyhmat`` or ``ptvelti`` URI and there is no ``newUri``.
* ``short-municipality-code``: ``"91"`` for Helsinki in ``service:90:lastenneuvola``
  d0bff5ff-025e-584f-b7ad-51912673d4b5 (area) and ``channel:90:location:1``
  a4dbe2b8-34af-5d88-b48b-5dab024f3a9d (address); ``"5"`` for Alajärvi in
  ``service:16:005:varhaiskasvatus`` 752b268a-821e-52e5-834f-648d79afac48 (area) and
  ``channel:16:location:3`` 86234940-668d-5a6b-9399-0c51a5cd5b76 (address).
* ``no-swedish``: ``service:01:kouluterveydenhuolto`` ec562530-58ec-557f-9c57-ebaa46dc554d in
  bilingual Itä-Uusimaa has no sv name, description or keyword, though ``languages`` says fi, sv.
* ``no-summary``: ``service:02:sosiaalityo`` 3578cc86-1b5a-58b2-a8bc-e293278db668,
  ``service:13:lastenneuvola`` 2780e6ea-bac5-535b-a044-5c8dbce85547,
  ``service:19:perheneuvola`` f4f12983-a97e-50f9-bfcd-e1948c5aa46e.
* ``no-service-hours``: ServiceLocation ``channel:18:location:1``
  3395c293-3f51-5c34-b0bf-c4a247228320.
* ``no-addresses``: ServiceLocation ``channel:12:location:3``
  b682f33b-4058-5338-8e45-f2e314713f6b.
* ``postal-address``: ServiceLocation ``channel:20:location:0``
  05f02cff-7765-546f-8cbc-077c27d29c9b also has a ``Postal``/``PostOfficeBox`` address.
* ``malformed-url``: WebPage ``channel:11:web:lastenneuvola``
  0ea7f18e-b65b-57f3-ba2c-6d34b24d9be6 has the url ``www.example.fi/neuvola`` (no scheme).
* ``old-modified`` (before 2025-11-20): ``service:07:perheneuvola``
  aa91e986-4002-5022-81eb-215f9363cf59, ``service:12:sosiaalityo``
  c541bb5e-39ad-539b-85a4-85fe9e1b04b1, ``service:21:lastenvalvoja``
  c059a176-91db-53a3-8420-42798abc16cb, ``service:05:304:varhaiskasvatus``
  05dccbdf-08a5-5bca-80c6-6ccbb80c390b.
* ``null-service-channels``: ``service:15:lastenvalvoja``
  985c4cca-17c0-5c1d-8357-7e3b1bfa2a30 has ``"serviceChannels": null``.
* ``lifeEvents: []`` on most services (not listed: it is the norm).

Run ``python scripts/ptv_sample.py`` to print the counts per area and the JSON size.
"""

from __future__ import annotations

import csv
import json
import math
import random
import sys
import unicodedata
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

Json = dict[str, Any]

SEED = "perhekeskus-ptv-sample-1"
NAMESPACE = uuid.UUID("5b0c64c6-2f1e-5d8a-9c1b-7e3f20a4d9b1")
LANGS = ("fi", "sv", "en")

# Areas whose county texts also have English (about half, for the language fallback paths).
EN_AREAS = frozenset({"01", "03", "04", "05", "08", "11", "13", "15", "19", "21", "90"})
# Areas (and Kela) whose finto items still use the legacy URN form, as in 2020-2022 responses.
LEGACY_AREAS = frozenset({"06", "12", "14", "20", "kela"})

# Same slugs as scripts/generate_regions.py: they become the synthetic web domains.
SLUGS = {
    "01": "ita-uusimaa", "02": "keski-uusimaa", "03": "lansi-uusimaa", "04": "vantaa-kerava",
    "05": "varsinais-suomi", "06": "satakunta", "07": "kanta-hame", "08": "pirkanmaa",
    "09": "paijat-hame", "10": "kymenlaakso", "11": "etela-karjala", "12": "etela-savo",
    "13": "pohjois-savo", "14": "pohjois-karjala", "15": "keski-suomi",
    "16": "etela-pohjanmaa", "17": "pohjanmaa", "18": "keski-pohjanmaa",
    "19": "pohjois-pohjanmaa", "20": "kainuu", "21": "lappi", "90": "helsinki",
}  # fmt: skip


# --- Stable randomness, ids and timestamps -------------------------------------------------


def rng_for(key: str) -> random.Random:
    """A generator seeded by the key, so one item's values do not depend on build order."""
    return random.Random(f"{SEED}:{key}")


def uid(key: str) -> str:
    return str(uuid.uuid5(NAMESPACE, key))


def modified(key: str, *, old: bool = False) -> str:
    """Naive UTC with microseconds, like PTV; ``old`` is more than a year before 2026-11-20."""
    rng = rng_for(f"modified:{key}")
    start, days = (datetime(2024, 2, 1), 380) if old else (datetime(2025, 12, 1), 350)
    moment = start + timedelta(
        seconds=rng.randrange(days * 86400), microseconds=rng.randrange(1, 1_000_000)
    )
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%f")


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


# --- Small JSON shapes ------------------------------------------------------------------------


def li(value: str | None, language: str) -> Json:
    """LanguageItem."""
    return {"value": value, "language": language}


def lli(value: str | None, language: str, type_: str) -> Json:
    """LocalizedListItem."""
    return {"language": language, "value": value, "type": type_}


# --- Code sets and regions --------------------------------------------------------------------


@dataclass(frozen=True)
class Code:
    code: str
    uri: str
    parent: str | None
    names: dict[str, str]
    old_uri: str


def read_codes(path: Path, *, legacy_prefix: str | None = None) -> dict[str, Code]:
    """Read a PTV code CSV. The class CSV has no legacy URNs, so synthetic ones are numbered."""
    codes: dict[str, Code] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for index, row in enumerate(csv.DictReader(handle), start=1):
            old = row.get("old_uri") or f"{legacy_prefix}{index:03d}"
            codes[row["code"]] = Code(
                code=row["code"],
                uri=row["uri"],
                parent=row["parent_code"] or None,
                names={lang: row[f"name_{lang}"] for lang in LANGS},
                old_uri=old,
            )
    return codes


@dataclass(frozen=True)
class CodeSets:
    classes: dict[str, Code]
    groups: dict[str, Code]
    events: dict[str, Code]


@dataclass(frozen=True)
class Municipality:
    code: str
    fi: str
    sv: str
    area: str
    languages: tuple[str, ...]

    @property
    def text_langs(self) -> tuple[str, ...]:
        """Text languages in PTV's list order (fi first), whatever the majority language."""
        return tuple(lang for lang in ("fi", "sv") if lang in self.languages)


@dataclass(frozen=True)
class Area:
    code: str
    names: dict[str, str]
    bilingual: bool
    municipalities: tuple[Municipality, ...]

    @property
    def text_langs(self) -> tuple[str, ...]:
        langs = ["fi"] + (["sv"] if self.bilingual else [])
        return tuple(langs + (["en"] if self.code in EN_AREAS else []))

    @property
    def service_langs(self) -> list[str]:
        return ["fi", "sv"] if self.bilingual else ["fi"]

    @property
    def domain(self) -> str:
        if self.code == "90":
            return "www.helsinki-kaupunki.example"
        return f"www.{SLUGS[self.code]}-hyvinvointialue.example"


def read_areas(root: Path) -> list[Area]:
    regions = root / "data" / "regions"
    with (regions / "municipalities.csv").open(encoding="utf-8", newline="") as handle:
        munis = [
            Municipality(
                r["code"],
                r["name_fi"],
                r["name_sv"],
                r["area_code"],
                tuple(r["language_status"].split("+")),
            )
            for r in csv.DictReader(handle)
        ]
    with (regions / "wellbeing_areas.csv").open(encoding="utf-8", newline="") as handle:
        return [
            Area(
                code=r["code"],
                names={lang: r[f"name_{lang}"] for lang in LANGS},
                bilingual=r["languages"] == "fi+sv",
                municipalities=tuple(m for m in munis if m.area == r["code"]),
            )
            for r in csv.DictReader(handle)
        ]


# --- Towns: where the clinics are ----------------------------------------------------------


@dataclass(frozen=True)
class Town:
    """A clinic location: municipality, place names (nominative, genitive, sv), WGS84, postcode."""

    municipality: str
    place: str
    genitive: str
    place_sv: str
    lat: float
    lon: float
    postal: str


def _t(m: str, place: str, gen: str, sv: str, lat: float, lon: float, postal: str) -> Town:
    return Town(m, place, gen, sv, lat, lon, postal)


# The first town of each area holds the family centre; the municipalities listed here are also
# "the biggest" ones that get pre-primary education and youth work services.
TOWNS: dict[str, list[Town]] = {
    "01": [
        _t("638", "Porvoo", "Porvoon", "Borgå", 60.3932, 25.6649, "06100"),
        _t("434", "Loviisa", "Loviisan", "Lovisa", 60.4566, 26.2251, "07900"),
        _t("753", "Nikkilä", "Nikkilän", "Nickby", 60.3772, 25.2683, "04130"),
    ],
    "02": [
        _t("106", "Hyvinkää", "Hyvinkään", "Hyvinge", 60.6320, 24.8610, "05800"),
        _t("186", "Järvenpää", "Järvenpään", "Träskända", 60.4737, 25.0900, "04400"),
        _t("858", "Hyrylä", "Hyrylän", "Hyrylä", 60.4043, 25.0260, "04300"),
        _t("543", "Nurmijärvi", "Nurmijärven", "Nurmijärvi", 60.4640, 24.8080, "01900"),
    ],
    "03": [
        _t("049", "Leppävaara", "Leppävaaran", "Alberga", 60.2190, 24.8130, "02600"),
        _t("049", "Espoon keskus", "Espoon keskuksen", "Esbo centrum", 60.2053, 24.6560, "02770"),
        _t("444", "Lohja", "Lohjan", "Lojo", 60.2487, 24.0650, "08100"),
        _t("257", "Kirkkonummi", "Kirkkonummen", "Kyrkslätt", 60.1235, 24.4390, "02400"),
    ],
    "04": [
        _t("092", "Tikkurila", "Tikkurilan", "Dickursby", 60.2920, 25.0440, "01300"),
        _t("092", "Myyrmäki", "Myyrmäen", "Myrbacka", 60.2610, 24.8540, "01600"),
        _t("092", "Korso", "Korson", "Korso", 60.3510, 25.0760, "01450"),
        _t("245", "Kerava", "Keravan", "Kervo", 60.4030, 25.1050, "04200"),
    ],
    "05": [
        _t("853", "Turku", "Turun", "Åbo", 60.4518, 22.2666, "20100"),
        _t("734", "Salo", "Salon", "Salo", 60.3845, 23.1280, "24100"),
        _t("202", "Kaarina", "Kaarinan", "S:t Karins", 60.4070, 22.3700, "20780"),
        _t("895", "Uusikaupunki", "Uudenkaupungin", "Nystad", 60.8000, 21.4080, "23500"),
    ],
    "06": [
        _t("609", "Pori", "Porin", "Björneborg", 61.4850, 21.7970, "28100"),
        _t("684", "Rauma", "Rauman", "Raumo", 61.1280, 21.5110, "26100"),
        _t("886", "Ulvila", "Ulvilan", "Ulvsby", 61.4290, 21.8700, "28400"),
        _t("214", "Kankaanpää", "Kankaanpään", "Kankaanpää", 61.8030, 22.3940, "38700"),
    ],
    "07": [
        _t("109", "Hämeenlinna", "Hämeenlinnan", "Tavastehus", 60.9960, 24.4640, "13100"),
        _t("694", "Riihimäki", "Riihimäen", "Riihimäki", 60.7390, 24.7720, "11100"),
        _t("061", "Forssa", "Forssan", "Forssa", 60.8150, 23.6210, "30100"),
    ],
    "08": [
        _t("837", "Tampere", "Tampereen", "Tammerfors", 61.4980, 23.7610, "33100"),
        _t("536", "Nokia", "Nokian", "Nokia", 61.4780, 23.5090, "37100"),
        _t("980", "Ylöjärvi", "Ylöjärven", "Ylöjärvi", 61.5560, 23.5960, "33470"),
        _t("211", "Kangasala", "Kangasalan", "Kangasala", 61.4640, 24.0650, "36200"),
    ],
    "09": [
        _t("398", "Lahti", "Lahden", "Lahtis", 60.9830, 25.6550, "15100"),
        _t("098", "Hollola", "Hollolan", "Hollola", 60.9880, 25.5150, "15880"),
        _t("111", "Heinola", "Heinolan", "Heinola", 61.2050, 26.0380, "18100"),
        _t("560", "Orimattila", "Orimattilan", "Orimattila", 60.8040, 25.7300, "16300"),
    ],
    "10": [
        _t("285", "Kotka", "Kotkan", "Kotka", 60.4670, 26.9450, "48100"),
        _t("286", "Kouvola", "Kouvolan", "Kouvola", 60.8680, 26.7040, "45100"),
        _t("075", "Hamina", "Haminan", "Fredrikshamn", 60.5700, 27.1980, "49400"),
    ],
    "11": [
        _t("405", "Lappeenranta", "Lappeenrannan", "Villmanstrand", 61.0580, 28.1880, "53100"),
        _t("153", "Imatra", "Imatran", "Imatra", 61.1930, 28.7770, "55100"),
        _t("580", "Parikkala", "Parikkalan", "Parikkala", 61.5500, 29.5000, "59100"),
    ],
    "12": [
        _t("491", "Mikkeli", "Mikkelin", "S:t Michel", 61.6880, 27.2720, "50100"),
        _t("740", "Savonlinna", "Savonlinnan", "Nyslott", 61.8690, 28.8790, "57100"),
        _t("593", "Pieksämäki", "Pieksämäen", "Pieksämäki", 62.3000, 27.1600, "76100"),
        _t("178", "Juva", "Juvan", "Juva", 61.8970, 27.8560, "51900"),
    ],
    "13": [
        _t("297", "Kuopio", "Kuopion", "Kuopio", 62.8920, 27.6780, "70100"),
        _t("140", "Iisalmi", "Iisalmen", "Idensalmi", 63.5590, 27.1900, "74100"),
        _t("915", "Varkaus", "Varkauden", "Varkaus", 62.3150, 27.8730, "78200"),
        _t("749", "Siilinjärvi", "Siilinjärven", "Siilinjärvi", 63.0750, 27.6600, "71800"),
    ],
    "14": [
        _t("167", "Joensuu", "Joensuun", "Joensuu", 62.6010, 29.7630, "80100"),
        _t("260", "Kitee", "Kiteen", "Kides", 62.0990, 30.1370, "82500"),
        _t("422", "Lieksa", "Lieksan", "Lieksa", 63.3170, 30.0210, "81700"),
        _t("541", "Nurmes", "Nurmeksen", "Nurmes", 63.5440, 29.1390, "75500"),
    ],
    "15": [
        _t("179", "Jyväskylä", "Jyväskylän", "Jyväskylä", 62.2420, 25.7470, "40100"),
        _t("182", "Jämsä", "Jämsän", "Jämsä", 61.8640, 25.1900, "42100"),
        _t("992", "Äänekoski", "Äänekosken", "Äänekoski", 62.6040, 25.7260, "44100"),
        _t("410", "Laukaa", "Laukaan", "Laukas", 62.4140, 25.9520, "41340"),
    ],
    "16": [
        _t("743", "Seinäjoki", "Seinäjoen", "Seinäjoki", 62.7900, 22.8400, "60100"),
        _t("408", "Lapua", "Lapuan", "Lappo", 62.9700, 23.0080, "62100"),
        _t("232", "Kauhajoki", "Kauhajoen", "Kauhajoki", 62.4310, 22.1790, "61800"),
        _t("005", "Alajärvi", "Alajärven", "Alajärvi", 63.0000, 23.8170, "62900"),
    ],
    "17": [
        _t("905", "Vaasa", "Vaasan", "Vasa", 63.0960, 21.6160, "65100"),
        _t("499", "Sepänkylä", "Sepänkylän", "Smedsby", 63.1080, 21.6800, "65610"),
        _t("598", "Pietarsaari", "Pietarsaaren", "Jakobstad", 63.6750, 22.7030, "68600"),
        _t("545", "Närpiö", "Närpiön", "Närpes", 62.4740, 21.3370, "64200"),
        _t("287", "Kristiinankaupunki", "Kristiinankaupungin", "Kristinestad",
           62.2740, 21.3760, "64100"),
    ],
    "18": [
        _t("272", "Kokkola", "Kokkolan", "Karleby", 63.8380, 23.1310, "67100"),
        _t("217", "Kannus", "Kannuksen", "Kannus", 63.9000, 23.9160, "69100"),
        _t("236", "Kaustinen", "Kaustisen", "Kaustby", 63.5480, 23.6970, "69600"),
    ],
    "19": [
        _t("564", "Oulu", "Oulun", "Uleåborg", 65.0120, 25.4680, "90100"),
        _t("678", "Raahe", "Raahen", "Brahestad", 64.6840, 24.4790, "92100"),
        _t("977", "Ylivieska", "Ylivieskan", "Ylivieska", 64.0720, 24.5380, "84100"),
        _t("305", "Kuusamo", "Kuusamon", "Kuusamo", 65.9640, 29.1890, "93600"),
    ],
    "20": [
        _t("205", "Kajaani", "Kajaanin", "Kajana", 64.2270, 27.7280, "87100"),
        _t("765", "Sotkamo", "Sotkamon", "Sotkamo", 64.1300, 28.3900, "88600"),
        _t("777", "Suomussalmi", "Suomussalmen", "Suomussalmi", 64.8870, 28.9080, "89600"),
        _t("290", "Kuhmo", "Kuhmon", "Kuhmo", 64.1260, 29.5200, "88900"),
    ],
    "21": [
        _t("698", "Rovaniemi", "Rovaniemen", "Rovaniemi", 66.5030, 25.7290, "96100"),
        _t("240", "Kemi", "Kemin", "Kemi", 65.7360, 24.5640, "94100"),
        _t("851", "Tornio", "Tornion", "Torneå", 65.8480, 24.1460, "95400"),
        _t("758", "Sodankylä", "Sodankylän", "Sodankylä", 67.4150, 26.5900, "99600"),
    ],
    "90": [
        _t("091", "Kalasatama", "Kalasataman", "Fiskehamnen", 60.1870, 24.9770, "00580"),
        _t("091", "Itäkeskus", "Itäkeskuksen", "Östra centrum", 60.2100, 25.0810, "00930"),
        _t("091", "Malmi", "Malmin", "Malm", 60.2510, 25.0110, "00700"),
        _t("091", "Vuosaari", "Vuosaaren", "Nordsjö", 60.2090, 25.1440, "00980"),
    ],
}  # fmt: skip

# Plausible street names found in most Finnish towns (fi, sv).
STREETS = [
    ("Sairaalakatu", "Sjukhusgatan"), ("Kauppakatu", "Handelsgatan"),
    ("Koulukatu", "Skolgatan"), ("Rantakatu", "Strandgatan"), ("Keskuskatu", "Centralgatan"),
    ("Kirkkokatu", "Kyrkogatan"), ("Asemakatu", "Stationsgatan"), ("Terveystie", "Hälsovägen"),
]  # fmt: skip


def tm35fin(lat: float, lon: float) -> tuple[int, int]:
    """WGS84/ETRS89 degrees to EPSG:3067 (northing, easting), Krüger series as in JHS 154.

    Done here, not with pyproj, so the script needs nothing beyond the standard library.
    """
    a, f = 6378137.0, 1 / 298.257222101
    n = f / (2 - f)
    e = math.sqrt(f * (2 - f))
    a1 = a / (1 + n) * (1 + n**2 / 4 + n**4 / 64)
    h = (
        n / 2 - 2 / 3 * n**2 + 5 / 16 * n**3 + 41 / 180 * n**4,
        13 / 48 * n**2 - 3 / 5 * n**3 + 557 / 1440 * n**4,
        61 / 240 * n**3 - 103 / 140 * n**4,
        49561 / 161280 * n**4,
    )
    phi, dlon = math.radians(lat), math.radians(lon - 27.0)
    q = math.asinh(math.tan(phi)) - e * math.atanh(e * math.sin(phi))
    beta = math.atan(math.sinh(q))
    eta0 = math.atanh(math.cos(beta) * math.sin(dlon))
    xi0 = math.asin(math.sin(beta) * math.cosh(eta0))
    xi = xi0 + sum(c * math.sin(2 * k * xi0) * math.cosh(2 * k * eta0) for k, c in enumerate(h, 1))
    eta = eta0 + sum(
        c * math.cos(2 * k * xi0) * math.sinh(2 * k * eta0) for k, c in enumerate(h, 1)
    )
    return round(a1 * xi * 0.9996), round(a1 * eta * 0.9996 + 500000)


# --- Service texts ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Texts:
    name: str
    summary: str
    description: tuple[str, ...]  # paragraphs
    instruction: str | None = None


@dataclass(frozen=True)
class Spec:
    """One kind of service: texts per language and its classification."""

    key: str
    texts: dict[str, Texts]
    classes: tuple[str, ...]
    groups: tuple[str, ...]
    events: tuple[str, ...] = ()
    keywords: dict[str, tuple[str, ...]] = field(default_factory=dict)
    terms: tuple[str, ...] = ()
    charge: str | None = "FreeOfCharge"
    variants: dict[str, str] = field(default_factory=dict)  # other names, used in some areas


# KOKO-style ontology terms: (number, fi, sv, en). The numbers are synthetic; a None sv name is
# the "null value" quirk of real ontology terms.
TERMS: dict[str, tuple[str, str, str | None, str]] = {
    "aitiysneuvolat": ("p35201", "äitiysneuvolat", "mödrarådgivningsbyråer", "maternity clinics"),
    "lastenneuvolat": ("p35202", "lastenneuvolat", "barnrådgivningsbyråer", "child health clinics"),
    "raskaus": ("p1834", "raskaus", "graviditet", "pregnancy"),
    "rokotukset": ("p2981", "rokotukset", "vaccinationer", "vaccinations"),
    "perheneuvolat": ("p4711", "perheneuvolat", None, "family counselling clinics"),
    "kasvatusneuvonta": ("p4710", "kasvatusneuvonta", "uppfostringsrådgivning", "child guidance"),
    "perhetyo": ("p5402", "perhetyö", "familjearbete", "family work"),
    "lapsiperheet": ("p2113", "lapsiperheet", "barnfamiljer", "families with children"),
    "kotipalvelut": ("p1765", "kotipalvelut", "hemservice", "home help services"),
    "kouluterveydenhuolto": ("p6180", "kouluterveydenhuolto", "skolhälsovård", "school health"),
    "suunterveydenhuolto": ("p7290", "suun terveydenhuolto", "munhälsovård", "oral health care"),
    "elatusapu": ("p3306", "elatusapu", "underhållsbidrag", "child support"),
    "huolto": ("p2470", "lapsen huolto", "vårdnad om barn", "child custody"),
    "sovittelu": ("p8155", "perheasioiden sovittelu", "familjemedling", "family mediation"),
    "lahisuhdevakivalta": ("p9050", "lähisuhdeväkivalta", None, "domestic violence"),
    "lastensuojelu": ("p2205", "lastensuojelu", "barnskydd", "child welfare"),
    "paivystys": ("p1401", "päivystys", "jour", "emergency services"),
    "varhaiskasvatus": ("p4005", "varhaiskasvatus", "småbarnspedagogik", "early education"),
    "esiopetus": ("p4650", "esiopetus", "förskoleundervisning", "pre-primary education"),
    "nuorisotyo": ("p1927", "nuorisotyö", "ungdomsarbete", "youth work"),
    "perhe-etuudet": ("p6620", "perhe-etuudet", "familjeförmåner", "family benefits"),
    "kriisiapu": ("p3920", "kriisiapu", "krishjälp", "crisis help"),
    "auttavat-puhelimet": ("p9361", "auttavat puhelimet", "hjälptelefoner", "helplines"),
}


def spec(key: str, texts: dict[str, Texts], **kwargs: Any) -> Spec:
    return Spec(key=key, texts=texts, **kwargs)


COUNTY_SPECS: list[Spec] = [
    spec(
        "aitiysneuvola",
        {
            "fi": Texts(
                "Äitiysneuvola",
                "Äitiysneuvola seuraa raskauden kulkua ja tukee koko perhettä raskauden aikana "
                "ja vauvan syntymän jälkeen.",
                (
                    "Äitiysneuvolassa terveydenhoitaja tai kätilö seuraa odottajan ja sikiön "
                    "vointia. Ensimmäistä lastaan odottavalle tarjotaan vähintään yhdeksän "
                    "käyntiä, joihin kuuluu laaja terveystarkastus ja kaksi lääkärintarkastusta.",
                    "Neuvolasta saat myös tietoa synnytyksestä, imetyksestä ja vauvaperheen "
                    "arjesta. Palvelu on maksuton.",
                ),
                "Varaa ensimmäinen neuvolakäynti, kun raskaustesti on positiivinen. Soita "
                "neuvolan ajanvaraukseen tai käytä sähköistä asiointia.",
            ),
            "sv": Texts(
                "Mödrarådgivning",
                "Mödrarådgivningen följer graviditetens förlopp och stöder hela familjen under "
                "väntetiden och efter att barnet har fötts.",
                (
                    "På mödrarådgivningen följer en hälsovårdare eller barnmorska hur den gravida "
                    "och fostret mår. Den som väntar sitt första barn erbjuds minst nio besök, "
                    "bland dem en omfattande hälsoundersökning och två läkarundersökningar.",
                    "På rådgivningen får du också information om förlossning, amning och "
                    "vardagen i en babyfamilj. Tjänsten är avgiftsfri.",
                ),
                "Boka det första besöket när graviditetstestet är positivt. Ring rådgivningens "
                "tidsbokning eller använd e-tjänsten.",
            ),
            "en": Texts(
                "Maternity clinic",
                "The maternity clinic monitors the pregnancy and supports the whole family "
                "during pregnancy and after the baby is born.",
                (
                    "At the maternity clinic, a public health nurse or midwife monitors the "
                    "health of the expectant parent and the baby. Those expecting their first "
                    "child are offered at least nine visits, including one extensive health "
                    "examination and two check-ups by a doctor.",
                    "The clinic also gives information about childbirth, breastfeeding and "
                    "everyday life with a baby. The service is free of charge.",
                ),
                "Book your first appointment when your pregnancy test is positive. Call the "
                "clinic's appointment line or use the online service.",
            ),
        },
        classes=("P5.2", "P3.2"),
        groups=("KR1.2", "KR1"),
        events=("KE1",),
        keywords={
            "fi": ("neuvola", "raskaus", "odottava äiti"),
            "sv": ("rådgivning", "graviditet"),
        },
        terms=("aitiysneuvolat", "raskaus"),
    ),
    spec(
        "lastenneuvola",
        {
            "fi": Texts(
                "Lastenneuvola",
                "Lastenneuvola seuraa lapsen kasvua ja kehitystä syntymästä kouluikään ja antaa "
                "rokotusohjelman mukaiset rokotukset.",
                (
                    "Lastenneuvolassa käydään säännöllisesti ennen kouluikää. Määräaikaisia "
                    "tarkastuksia on vähintään 15, ja laajat tarkastukset tehdään 4 kuukauden, "
                    "18 kuukauden ja 4 vuoden iässä.",
                    "Tarkastuksissa seurataan lapsen kasvua, kehitystä ja hyvinvointia ja "
                    "keskustellaan koko perheen jaksamisesta. Lapsi saa neuvolassa kansallisen "
                    "rokotusohjelman rokotukset maksutta.",
                ),
            ),
            "sv": Texts(
                "Barnrådgivning",
                "Barnrådgivningen följer barnets tillväxt och utveckling från födseln till "
                "skolåldern och ger de vaccinationer som ingår i vaccinationsprogrammet.",
                (
                    "Före skolåldern går barnet regelbundet på barnrådgivningen, på minst 15 "
                    "periodiska hälsoundersökningar. Omfattande hälsoundersökningar görs när "
                    "barnet är 4 månader, 18 månader och 4 år.",
                    "Vid undersökningarna följer man barnets tillväxt, utveckling och "
                    "välbefinnande och diskuterar hur hela familjen orkar. Barnet får de "
                    "vaccinationer som ingår i det nationella vaccinationsprogrammet avgiftsfritt "
                    "på rådgivningen.",
                ),
            ),
            "en": Texts(
                "Child health clinic",
                "The child health clinic monitors the child's growth and development from birth "
                "to school age and gives the vaccinations in the national programme.",
                (
                    "Children visit the child health clinic regularly before school age. There "
                    "are at least 15 regular check-ups, and extensive health examinations are "
                    "done at 4 months, 18 months and 4 years.",
                    "The check-ups follow the child's growth, development and wellbeing, and the "
                    "whole family's coping is discussed too. The child gets the vaccinations in "
                    "the national vaccination programme free of charge.",
                ),
            ),
        },
        classes=("P5.2", "P5.3"),
        groups=("KR1.2",),
        keywords={"fi": ("neuvola", "lastenneuvola", "rokotukset"), "sv": ("barnrådgivning",)},
        terms=("lastenneuvolat", "rokotukset"),
    ),
    spec(
        "perheneuvola",
        {
            "fi": Texts(
                "Perheneuvola",
                "Perheneuvola auttaa, kun perhe tarvitsee tukea lapsen kasvatukseen, "
                "kehitykseen tai perheen vuorovaikutukseen liittyvissä asioissa.",
                (
                    "Perheneuvolan psykologit ja sosiaalityöntekijät tukevat lapsiperheitä "
                    "erilaisissa elämäntilanteissa. Voitte hakeutua perheneuvolaan esimerkiksi "
                    "silloin, kun olette huolissanne lapsen tunne-elämästä tai käyttäytymisestä "
                    "tai kun perheessä on ristiriitoja.",
                    "Palvelu on maksuton, eikä siihen tarvita lähetettä.",
                ),
                "Ottakaa yhteyttä perheneuvolan puhelinneuvontaan. Työntekijä arvioi yhdessä "
                "kanssanne, millaisesta tuesta teille olisi apua.",
            ),
            "sv": Texts(
                "Familjerådgivning",
                "Familjerådgivningen hjälper när familjen behöver stöd i frågor om barnets "
                "uppfostran, utveckling eller familjens samspel.",
                (
                    "Familjerådgivningens psykologer och socialarbetare stöder barnfamiljer i "
                    "olika livssituationer. Ni kan vända er till familjerådgivningen till exempel "
                    "när ni är oroliga för barnets känsloliv eller beteende eller när det finns "
                    "konflikter i familjen.",
                    "Tjänsten är avgiftsfri och det behövs ingen remiss.",
                ),
                "Kontakta familjerådgivningens telefonrådgivning. En yrkesperson bedömer "
                "tillsammans med er vilket slags stöd ni kan ha nytta av.",
            ),
            "en": Texts(
                "Family counselling clinic",
                "The family counselling clinic helps when a family needs support with a child's "
                "upbringing, development or family relationships.",
                (
                    "Psychologists and social workers at the clinic support families with "
                    "children in different situations. You can contact the clinic, for example, "
                    "if you are worried about your child's emotions or behaviour or if there are "
                    "conflicts in the family.",
                    "The service is free of charge and you do not need a referral.",
                ),
                "Call the clinic's advice line. A professional will assess with you what kind of "
                "support would help.",
            ),
        },
        classes=("P3.7",),
        groups=("KR1.2",),
        keywords={"fi": ("perheneuvola", "kasvatusneuvonta"), "sv": ("familjerådgivning",)},
        terms=("perheneuvolat", "kasvatusneuvonta"),
        variants={
            "fi": "Kasvatus- ja perheneuvonta",
            "sv": "Uppfostrings- och familjerådgivning",
            "en": "Child guidance and family counselling",
        },
    ),
    spec(
        "sosiaalityo",
        {
            "fi": Texts(
                "Lapsiperheiden sosiaalityö",
                "Lapsiperheiden sosiaalityö tukee perheitä, kun arjessa on vaikeuksia esimerkiksi "
                "jaksamisessa, taloudessa tai ihmissuhteissa.",
                (
                    "Sosiaalityöntekijä arvioi yhdessä perheen kanssa, millaista tukea perhe "
                    "tarvitsee. Tukena voi olla esimerkiksi perhetyö, lapsiperheiden kotipalvelu "
                    "tai vertaistuki.",
                    "Voit ottaa yhteyttä itse, tai joku muu voi ottaa yhteyttä yhdessä kanssasi. "
                    "Palvelu on maksuton.",
                ),
            ),
            "sv": Texts(
                "Socialt arbete för barnfamiljer",
                "Det sociala arbetet för barnfamiljer stöder familjer när vardagen är svår, till "
                "exempel när det gäller ork, ekonomi eller relationer.",
                (
                    "Socialarbetaren bedömer tillsammans med familjen vilket stöd familjen "
                    "behöver. Stödet kan till exempel vara familjearbete, hemservice för "
                    "barnfamiljer eller kamratstöd.",
                    "Du kan ta kontakt själv, eller någon annan kan ta kontakt tillsammans med "
                    "dig. Tjänsten är avgiftsfri.",
                ),
            ),
            "en": Texts(
                "Social work for families with children",
                "Social work supports families with children when everyday life is difficult, "
                "for example with coping, finances or relationships.",
                (
                    "A social worker assesses together with the family what kind of support the "
                    "family needs. The support can be, for example, family work, home help or "
                    "peer support.",
                    "You can get in touch yourself, or someone else can contact the service "
                    "together with you. The service is free of charge.",
                ),
            ),
        },
        classes=("P3.6",),
        groups=("KR1.2",),
        keywords={"fi": ("perhetyö", "sosiaalityö"), "sv": ("familjearbete",)},
        terms=("perhetyo", "lapsiperheet"),
    ),
    spec(
        "kotipalvelu",
        {
            "fi": Texts(
                "Lapsiperheiden kotipalvelu",
                "Kotipalvelu auttaa lapsiperhettä arjen askareissa ja lastenhoidossa, kun perheen "
                "omat voimat eivät hetkellisesti riitä.",
                (
                    "Kotipalvelua voi saada esimerkiksi raskauden, synnytyksen, sairauden tai "
                    "perheen muun vaikean tilanteen vuoksi. Työntekijä tulee kotiin sovittuina "
                    "aikoina ja auttaa lastenhoidossa ja kodin arjessa.",
                    "Palvelun tarve arvioidaan ennen kuin palvelu alkaa. Kotipalvelu on "
                    "maksullista, ja maksusta kerrotaan palvelutarpeen arvioinnin yhteydessä.",
                ),
            ),
            "sv": Texts(
                "Hemservice för barnfamiljer",
                "Hemservicen hjälper barnfamiljer med vardagssysslor och barnskötsel när "
                "familjens egna krafter tillfälligt inte räcker till.",
                (
                    "Hemservice kan beviljas till exempel på grund av graviditet, förlossning, "
                    "sjukdom eller en annan svår situation i familjen. En medarbetare från "
                    "hemservicen kommer hem till familjen vid överenskomna tider och hjälper "
                    "till med barnskötseln och vardagen.",
                    "Behovet av tjänsten bedöms innan den inleds. Hemservicen är avgiftsbelagd, "
                    "och du får veta avgiften i samband med bedömningen av servicebehovet.",
                ),
            ),
            "en": Texts(
                "Home help for families with children",
                "Home help assists a family with children with daily chores and childcare when "
                "the family temporarily cannot cope on its own.",
                (
                    "Home help can be provided, for example, because of pregnancy, childbirth, "
                    "illness or another difficult situation in the family. A worker comes to "
                    "your home at agreed times and helps with childcare and everyday chores.",
                    "The need for the service is assessed before it starts. Home help is subject "
                    "to a fee, which is explained during the assessment.",
                ),
            ),
        },
        classes=("P3.6",),
        groups=("KR1.2",),
        keywords={"fi": ("kotipalvelu", "lastenhoito"), "sv": ("hemservice",)},
        terms=("kotipalvelut", "lapsiperheet"),
        charge="Chargeable",
    ),
    spec(
        "kouluterveydenhuolto",
        {
            "fi": Texts(
                "Kouluterveydenhuolto",
                "Kouluterveydenhuolto seuraa oppilaan kasvua, kehitystä ja hyvinvointia koko "
                "perusopetuksen ajan.",
                (
                    "Jokaisella koululla on oma terveydenhoitaja, ja tarkastuksia tekee myös "
                    "koululääkäri. Oppilas käy terveystarkastuksessa joka vuosiluokalla. "
                    "Laajat terveystarkastukset tehdään 1., 5. ja 8. luokalla, ja niihin "
                    "kutsutaan myös huoltajat.",
                    "Terveydenhoitajan vastaanotolle voi mennä myös ilman ajanvarausta, jos "
                    "jokin asia painaa mieltä.",
                ),
            ),
            "sv": Texts(
                "Skolhälsovård",
                "Skolhälsovården följer elevens tillväxt, utveckling och välbefinnande under hela "
                "den grundläggande utbildningen.",
                (
                    "Varje skola har en egen hälsovårdare, och också skolläkaren gör "
                    "hälsoundersökningar. Eleven går på hälsoundersökning i varje årskurs. "
                    "Omfattande hälsoundersökningar görs i årskurs 1, 5 och 8, och "
                    "vårdnadshavarna bjuds också in till dem.",
                    "Eleven kan också gå till hälsovårdaren utan tidsbokning om något "
                    "bekymrar hen.",
                ),
            ),
            "en": Texts(
                "School health care",
                "School health care monitors pupils' growth, development and wellbeing "
                "throughout basic education.",
                (
                    "Every school has its own public health nurse, and the school doctor carries "
                    "out check-ups as agreed. Pupils have a health check-up in every grade. "
                    "Extensive health examinations are done in grades 1, 5 and 8, and parents "
                    "are invited to them too.",
                    "Pupils can also see the nurse without an appointment when something is on "
                    "their mind.",
                ),
            ),
        },
        classes=("P5.9",),
        groups=("KR1.2", "KR1.3"),
        keywords={"fi": ("kouluterveydenhoitaja", "koululääkäri"), "sv": ("skolhälsovårdare",)},
        terms=("kouluterveydenhuolto",),
    ),
    spec(
        "suun-terveydenhuolto",
        {
            "fi": Texts(
                "Lasten ja nuorten suun terveydenhuolto",
                "Lapset ja nuoret kutsutaan suun terveystarkastuksiin säännöllisesti. Hoito on "
                "alle 18-vuotiaille maksutonta.",
                (
                    "Suun terveydenhuolto seuraa lapsen hampaiden ja suun kehitystä ja neuvoo "
                    "perhettä hampaiden hoidossa. Lapsi kutsutaan tarkastukseen yksilöllisen "
                    "tarpeen mukaan.",
                    "Jos lapsen hammasta särkee tai hammas vahingoittuu, ota yhteyttä suun "
                    "terveydenhuollon ajanvaraukseen mahdollisimman pian.",
                ),
            ),
            "sv": Texts(
                "Munhälsovård för barn och unga",
                "Barn och unga kallas regelbundet till munhälsoundersökningar. Vården är "
                "avgiftsfri för personer under 18 år.",
                (
                    "Munhälsovården följer hur barnets tänder och mun utvecklas och ger familjen "
                    "råd om tandskötsel. Barnet kallas till undersökning enligt sitt individuella "
                    "behov.",
                    "Om barnet har tandvärk eller skadar en tand, kontakta munhälsovårdens "
                    "tidsbokning så snart som möjligt.",
                ),
            ),
            "en": Texts(
                "Oral health care for children and young people",
                "Children and young people are invited to regular oral health check-ups. Care is "
                "free of charge for under-18s.",
                (
                    "Oral health care monitors the development of the child's teeth and mouth and "
                    "advises the family on dental care. The child is invited to check-ups "
                    "according to individual need.",
                    "If your child has toothache or injures a tooth, contact the dental "
                    "appointment service as soon as possible.",
                ),
            ),
        },
        classes=("P5.10",),
        groups=("KR1.2", "KR1.3"),
        keywords={"fi": ("hammashoito", "hammaslääkäri"), "sv": ("tandvård",)},
        terms=("suunterveydenhuolto",),
    ),
    spec(
        "lastenvalvoja",
        {
            "fi": Texts(
                "Lastenvalvoja",
                "Lastenvalvoja vahvistaa vanhempien sopimukset lapsen huollosta, asumisesta, "
                "tapaamisoikeudesta ja elatusavusta.",
                (
                    "Kun vanhemmat eroavat tai eivät asu yhdessä, he voivat sopia lapsen asioista "
                    "lastenvalvojan luona. Lastenvalvojan vahvistama sopimus on yhtä pätevä kuin "
                    "tuomioistuimen päätös.",
                    "Lastenvalvoja neuvoo myös elatusavun määrän laskemisessa. Jos elatusapu jää "
                    "maksamatta, Kela voi maksaa elatustukea.",
                ),
                "Varaa aika lastenvalvojalle puhelimitse tai sähköisesti. Jos aiotte sopia "
                "elatusavusta, ottakaa mukaan molempien vanhempien tulotiedot.",
            ),
            "sv": Texts(
                "Barnatillsyningsman",
                "Barnatillsyningsmannen fastställer föräldrarnas avtal om barnets vårdnad, "
                "boende, umgängesrätt och underhållsbidrag.",
                (
                    "När föräldrarna separerar eller inte bor tillsammans kan de avtala om "
                    "barnets angelägenheter hos barnatillsyningsmannen. Ett avtal som "
                    "barnatillsyningsmannen har fastställt gäller på samma sätt som ett "
                    "domstolsbeslut.",
                    "Barnatillsyningsmannen ger också råd om hur underhållsbidraget räknas ut. "
                    "Om underhållsbidraget inte betalas kan FPA betala underhållsstöd.",
                ),
                "Boka tid hos barnatillsyningsmannen per telefon eller elektroniskt. Ta med båda "
                "föräldrarnas inkomstuppgifter om ni ska avtala om underhållsbidrag.",
            ),
            "en": Texts(
                "Child welfare supervisor",
                "The child welfare supervisor confirms parents' agreements on a child's custody, "
                "residence, visiting rights and maintenance.",
                (
                    "When parents separate or do not live together, they can agree on matters "
                    "concerning their child with the child welfare supervisor. An agreement "
                    "confirmed by the supervisor is as valid as a court decision.",
                    "The supervisor can also advise on calculating child maintenance. If "
                    "maintenance is not paid, Kela may pay child maintenance allowance.",
                ),
                "Book an appointment by phone or online. Bring both parents' income details if "
                "you are agreeing on maintenance.",
            ),
        },
        classes=("P3.5", "P3.9"),
        groups=("KR1.2",),
        events=("KE7",),
        keywords={"fi": ("elatusapu", "huoltajuus", "ero"), "sv": ("underhållsbidrag", "vårdnad")},
        terms=("elatusapu", "huolto"),
    ),
    spec(
        "sovittelu",
        {
            "fi": Texts(
                "Perheasioiden sovittelu",
                "Perheasioiden sovittelussa eroa harkitsevat tai eroavat vanhemmat etsivät "
                "sovittelijan kanssa ratkaisuja lasten asioihin.",
                (
                    "Sovittelija on puolueeton ammattilainen, joka auttaa vanhempia keskustelemaan "
                    "ja sopimaan esimerkiksi lapsen asumisesta ja tapaamisista. Sovittelu on "
                    "vapaaehtoista ja luottamuksellista.",
                    "Lastenvalvoja voi vahvistaa sovittelussa tehdyt sopimukset. Palvelu on "
                    "maksuton.",
                ),
            ),
            "sv": Texts(
                "Medling i familjeärenden",
                "Föräldrar som funderar på att separera eller håller på att separera söker "
                "tillsammans med en medlare lösningar i frågor som gäller barnen.",
                (
                    "Medlaren är en opartisk yrkesperson som hjälper föräldrarna att diskutera "
                    "och komma överens om till exempel barnets boende och umgänge. Medlingen är "
                    "frivillig och konfidentiell.",
                    "Avtal som ni gör i medlingen kan fastställas hos barnatillsyningsmannen. "
                    "Tjänsten är avgiftsfri.",
                ),
            ),
            "en": Texts(
                "Family mediation",
                "In family mediation, parents who are considering separation or separating look "
                "for solutions for their children with a mediator.",
                (
                    "The mediator is an impartial professional who helps parents discuss and "
                    "agree on matters such as where the child lives and visiting arrangements. "
                    "Mediation is voluntary and confidential.",
                    "Agreements made in mediation can be confirmed by the child welfare "
                    "supervisor. The service is free of charge.",
                ),
            ),
        },
        classes=("P3.5",),
        groups=("KR1.2", "KR1"),
        events=("KE7",),
        keywords={"fi": ("sovittelu", "ero"), "sv": ("medling", "skilsmässa")},
        terms=("sovittelu",),
    ),
    spec(
        "vakivaltatyo",
        {
            "fi": Texts(
                "Lähisuhdeväkivaltatyö",
                "Saat apua, jos olet kokenut tai käyttänyt väkivaltaa lähisuhteessa tai pelkäät "
                "sitä. Myös lapset ja läheiset saavat tukea.",
                (
                    "Väkivaltatyön ammattilaiset auttavat arvioimaan tilanteen ja suunnittelemaan, "
                    "miten turvallisuutta voidaan parantaa. Apua saavat:",
                    "• väkivaltaa kokeneet aikuiset ja lapset\n"
                    "• väkivaltaa käyttäneet, jotka haluavat lopettaa\n"
                    "• läheiset, jotka ovat huolissaan",
                    "Akuutissa vaaratilanteessa soita hätänumeroon 112. Ympäri vuorokauden voit "
                    "soittaa myös Nollalinjalle 080 005 005.",
                ),
            ),
            "sv": Texts(
                "Arbete mot våld i nära relationer",
                "Du får hjälp om du har upplevt eller använt våld i en nära relation eller är "
                "rädd för det. Också barn och närstående får stöd.",
                (
                    "Yrkespersoner inom arbetet mot våld hjälper till att bedöma situationen och "
                    "planera hur säkerheten kan förbättras. Hjälp finns för:",
                    "• vuxna och barn som har upplevt våld\n"
                    "• personer som har använt våld och vill sluta\n"
                    "• närstående som är oroliga",
                    "Ring nödnumret 112 vid akut fara. Du kan också ringa Nollinjen på numret "
                    "080 005 005 dygnet runt.",
                ),
            ),
            "en": Texts(
                "Support for violence in close relationships",
                "Help is available if you have experienced or used violence in a close "
                "relationship or fear it. Children and loved ones get support too.",
                (
                    "Professionals help you assess the situation and plan how to make it safer. "
                    "Help is available for:",
                    "• adults and children who have experienced violence\n"
                    "• people who have used violence and want to stop\n"
                    "• family members and friends who are worried",
                    "If you are in immediate danger, call the emergency number 112. You can also "
                    "call Nollalinja on 080 005 005 at any time of day or night.",
                ),
            ),
        },
        classes=("P4.13", "P3.6"),
        groups=("KR1.2",),
        keywords={
            "fi": ("lähisuhdeväkivalta", "perheväkivalta"),
            "sv": ("våld i nära relationer",),
        },
        terms=("lahisuhdevakivalta",),
        variants={
            "fi": "Väkivaltatyön palvelut",
            "sv": "Tjänster inom arbetet mot våld",
            "en": "Services for domestic violence",
        },
    ),
    spec(
        "lastensuojelu",
        {
            "fi": Texts(
                "Lastensuojelu",
                "Lastensuojelu tukee lasta ja perhettä, kun lapsen kasvuolot tai oma käytös "
                "vaarantavat hänen terveytensä tai kehityksensä.",
                (
                    "Jos olet huolissasi lapsesta, voit tehdä lastensuojeluilmoituksen tai pyytää "
                    "yhteydenottoa. Sosiaalityöntekijä selvittää lapsen ja perheen tilanteen ja "
                    "tuen tarpeen.",
                    "Lastensuojelun avohuollon tukitoimia ovat esimerkiksi perhetyö ja "
                    "tukihenkilö. Kiireellisissä tilanteissa virka-ajan ulkopuolella saat "
                    "yhteyden sosiaalipäivystykseen hätänumerosta 112.",
                ),
            ),
            "sv": Texts(
                "Barnskydd",
                "Barnskyddet stöder barnet och familjen när barnets uppväxtförhållanden eller "
                "eget beteende äventyrar barnets hälsa eller utveckling.",
                (
                    "Om du är orolig för ett barn kan du göra en barnskyddsanmälan eller be att "
                    "bli kontaktad. En socialarbetare utreder barnets och familjens situation och "
                    "behovet av stöd.",
                    "Stödåtgärder inom barnskyddets öppenvård är till exempel familjearbete och "
                    "stödperson. I brådskande fall utanför tjänstetid når du socialjouren via "
                    "nödnumret 112.",
                ),
            ),
            "en": Texts(
                "Child welfare",
                "Child welfare supports the child and the family when the child's living "
                "conditions or own behaviour endanger their health or development.",
                (
                    "If you are worried about a child, you can file a child welfare notification "
                    "or ask to be contacted. A social worker assesses the situation of the child "
                    "and the family and their need for support.",
                    "Community-based child welfare support includes family work and a support "
                    "person, for example. In urgent situations outside office hours, contact the "
                    "emergency social services through the emergency number 112.",
                ),
            ),
        },
        classes=("P3.8",),
        groups=("KR1.2", "KR1.3"),
        keywords={"fi": ("lastensuojeluilmoitus", "perhetyö"), "sv": ("barnskyddsanmälan",)},
        terms=("lastensuojelu", "perhetyo"),
    ),
]

# Present in every area; two of the optional ones are picked per area so the sets vary.
CORE_KEYS = (
    "aitiysneuvola",
    "lastenneuvola",
    "perheneuvola",
    "sosiaalityo",
    "kouluterveydenhuolto",
    "lastenvalvoja",
)
OPTIONAL_KEYS = (
    "kotipalvelu",
    "suun-terveydenhuolto",
    "sovittelu",
    "vakivaltatyo",
    "lastensuojelu",
)

PAIVYSTYSAPU = spec(
    "paivystysapu",
    {
        "fi": Texts(
            "Päivystysapu 116117",
            "Päivystysavusta saat neuvoja äkilliseen sairastumiseen tai tapaturmaan ympäri "
            "vuorokauden. Soita ennen kuin lähdet päivystykseen.",
            (
                "Päivystysavun numerosta 116117 saat ohjeita, kun tarvitset kiireellistä hoitoa "
                "etkä voi odottaa oman terveysaseman aukeamista. Terveydenhuollon ammattilainen "
                "arvioi tilanteesi ja ohjaa sinut tarvittaessa oikeaan paikkaan.",
                "Hengenvaarallisessa tilanteessa soita aina hätänumeroon 112.",
            ),
        ),
        "sv": Texts(
            "Jourhjälpen 116117",
            "Jourhjälpen ger råd dygnet runt vid plötslig sjukdom eller olycksfall. Ring innan "
            "du åker till jouren.",
            (
                "Jourhjälpen på numret 116117 ger dig råd när du behöver brådskande vård och "
                "inte kan vänta tills din egen hälsostation öppnar. En yrkesperson inom hälso- "
                "och sjukvården bedömer din situation och hänvisar dig vid behov till rätt "
                "ställe.",
                "Ring alltid nödnumret 112 i livshotande situationer.",
            ),
        ),
        "en": Texts(
            "Medical helpline 116117",
            "The medical helpline gives advice on sudden illness or injury around the clock. "
            "Call before you go to the emergency department.",
            (
                "Call 116117 when you need urgent care and cannot wait until your own health "
                "centre opens. A healthcare professional assesses your situation and directs you "
                "to the right place if needed.",
                "In a life-threatening situation, always call the emergency number 112.",
            ),
        ),
    },
    classes=("P5.5",),
    groups=("KR1", "KR1.2"),
    keywords={"fi": ("päivystys", "116117"), "sv": ("jour",)},
    terms=("paivystys",),
    charge=None,
)


def municipal_spec(key: str, muni: Municipality) -> Spec:
    """A municipal service named after the municipality, e.g. "Varhaiskasvatus, Kajaani"."""
    base = MUNICIPAL_SPECS[key]
    texts = {
        lang: Texts(f"{t.name}, {muni.sv if lang == 'sv' else muni.fi}", t.summary, t.description)
        for lang, t in base.texts.items()
    }
    return Spec(
        key=key,
        texts=texts,
        classes=base.classes,
        groups=base.groups,
        keywords=base.keywords,
        terms=base.terms,
        charge=base.charge,
    )


MUNICIPAL_SPECS: dict[str, Spec] = {
    "varhaiskasvatus": spec(
        "varhaiskasvatus",
        {
            "fi": Texts(
                "Varhaiskasvatus",
                "Varhaiskasvatusta järjestetään päiväkodeissa ja perhepäivähoidossa alle "
                "kouluikäisille lapsille.",
                (
                    "Lapsella on oikeus varhaiskasvatukseen vanhempainrahakauden päättymisestä "
                    "perusopetuksen alkuun. Hae paikkaa viimeistään neljä kuukautta ennen kuin "
                    "lapsi aloittaa varhaiskasvatuksessa.",
                    "Varhaiskasvatus on maksullista. Maksu riippuu perheen koosta, tuloista ja "
                    "hoitoajasta.",
                ),
            ),
            "sv": Texts(
                "Småbarnspedagogik",
                "Småbarnspedagogik ordnas i daghem och familjedagvård för barn under skolåldern.",
                (
                    "Barnet har rätt till småbarnspedagogik från det att föräldrapenningperioden "
                    "upphör tills den grundläggande utbildningen börjar. Ansök om plats senast "
                    "fyra månader innan barnet ska börja i småbarnspedagogiken.",
                    "Småbarnspedagogiken är avgiftsbelagd. Avgiften beror på familjens storlek "
                    "och inkomster och på barnets vårdtid.",
                ),
            ),
            "en": Texts(
                "Early childhood education",
                "Early childhood education is provided in day care centres and family day care "
                "for children under school age.",
                (
                    "A child has the right to early childhood education from the end of the "
                    "parental allowance period until basic education begins. Apply at least four "
                    "months before you need a place.",
                    "Early childhood education is subject to a fee, which depends on the family "
                    "size, income and hours of care.",
                ),
            ),
        },
        classes=("P3.4",),
        groups=("KR1.2",),
        keywords={"fi": ("päiväkoti", "päivähoito"), "sv": ("daghem", "dagvård")},
        terms=("varhaiskasvatus",),
        charge="Chargeable",
    ),
    "esiopetus": spec(
        "esiopetus",
        {
            "fi": Texts(
                "Esiopetus",
                "Esiopetus on maksutonta ja pakollista koulun alkua edeltävänä vuonna.",
                (
                    "Lapsi osallistuu esiopetukseen perusopetuksen alkua edeltävänä vuonna. "
                    "Esiopetusta on vähintään 700 tuntia vuodessa, yleensä noin neljä tuntia "
                    "päivässä.",
                    "Jos lapsi tarvitsee hoitoa esiopetuksen lisäksi, voit hakea hänelle "
                    "täydentävää varhaiskasvatusta.",
                ),
            ),
            "sv": Texts(
                "Förskoleundervisning",
                "Förskoleundervisningen är avgiftsfri och obligatorisk året innan skolan börjar.",
                (
                    "Barnet deltar i förskoleundervisning året innan den grundläggande "
                    "utbildningen börjar. Förskoleundervisningen omfattar minst 700 timmar per "
                    "år, i regel cirka fyra timmar per dag.",
                    "Om barnet behöver vård utöver förskoleundervisningen kan du ansöka om "
                    "kompletterande småbarnspedagogik.",
                ),
            ),
            "en": Texts(
                "Pre-primary education",
                "Pre-primary education is free and compulsory in the year before school starts.",
                (
                    "Children take part in pre-primary education in the year before basic "
                    "education begins. It covers at least 700 hours a year, usually about four "
                    "hours a day.",
                    "If your child needs care in addition to the pre-primary day, you can apply "
                    "for supplementary early childhood education.",
                ),
            ),
        },
        classes=("P6.1",),
        groups=("KR1.2",),
        keywords={"fi": ("esikoulu",), "sv": ("förskola",)},
        terms=("esiopetus",),
    ),
    "nuorisotyo": spec(
        "nuorisotyo",
        {
            "fi": Texts(
                "Avoin nuorisotyö",
                "Nuorisotiloilla nuoret voivat viettää vapaa-aikaa turvallisten aikuisten "
                "seurassa, tavata kavereita ja harrastaa.",
                (
                    "Nuorisotyöntekijät ovat tavattavissa nuorisotiloilla, kouluissa ja verkossa. "
                    "Heiltä saa neuvoja ja tukea arjen asioihin.",
                    "Toiminta on maksutonta.",
                ),
            ),
            "sv": Texts(
                "Öppet ungdomsarbete",
                "På ungdomsgårdarna kan unga tillbringa fritid tillsammans med trygga vuxna, "
                "träffa kompisar och ägna sig åt sina intressen.",
                (
                    "Ungdomsarbetarna finns på ungdomsgårdarna, i skolorna och på nätet. De ger "
                    "råd och stöd i vardagliga frågor.",
                    "Verksamheten är avgiftsfri.",
                ),
            ),
            "en": Texts(
                "Open youth work",
                "At youth centres, young people can spend free time with trusted adults, meet "
                "friends and take up hobbies.",
                (
                    "Youth workers can be met at youth centres, at schools and online. They give "
                    "advice and support with everyday matters.",
                    "The activities are free of charge.",
                ),
            ),
        },
        classes=("P28.1",),
        groups=("KR1.3",),
        keywords={"fi": ("nuorisotila", "nuorisotalo"), "sv": ("ungdomsgård",)},
        terms=("nuorisotyo",),
    ),
}


# --- Nationwide services ------------------------------------------------------------------


@dataclass(frozen=True)
class Org:
    key: str
    names: dict[str, str]
    type_: str
    code: str | None = None  # business code; None means a fake one is generated
    alternative: dict[str, str] = field(default_factory=dict)
    web: str | None = None


NATIONAL_ORGS = [
    Org(
        "kela",
        {
            "fi": "Kansaneläkelaitos",
            "sv": "Folkpensionsanstalten",
            "en": "The Social Insurance Institution of Finland",
        },
        "State",
        code="0246246-0",
        alternative={"fi": "Kela", "sv": "FPA", "en": "Kela"},
        web="https://www.kela.fi",
    ),
    Org(
        "thl",
        {
            "fi": "Terveyden ja hyvinvoinnin laitos",
            "sv": "Institutet för hälsa och välfärd",
            "en": "Finnish Institute for Health and Welfare",
        },
        "State",
        alternative={"fi": "THL", "sv": "THL", "en": "THL"},
    ),
    Org("setlementti-tampere", {"fi": "Setlementti Tampere ry"}, "Organization"),
    Org(
        "mieli",
        {"fi": "MIELI Suomen Mielenterveys ry", "sv": "MIELI Psykisk Hälsa Finland rf"},
        "Organization",
    ),
    Org(
        "mll",
        {"fi": "Mannerheimin Lastensuojeluliitto ry", "sv": "Mannerheims Barnskyddsförbund rf"},
        "Organization",
        alternative={"fi": "MLL"},
    ),
]


@dataclass(frozen=True)
class National:
    spec: Spec
    org: str
    producer: str | None = None


def _kela(key: str, texts: dict[str, Texts], **kwargs: Any) -> National:
    return National(spec(key, texts, **kwargs), "kela")


NATIONAL: list[National] = [
    _kela(
        "aitiysavustus",
        {
            "fi": Texts(
                "Äitiysavustus",
                "Äitiysavustuksena voit valita äitiyspakkauksen tai rahana maksettavan "
                "avustuksen. Avustusta haetaan raskauden aikana.",
                (
                    "Jos laskettu aika on 1.4.2026 tai myöhemmin, rahana maksettava äitiysavustus "
                    "on 210 euroa. Avustus on verotonta.",
                    "Avustuksen saaminen edellyttää, että odottaja käy raskauden alkuvaiheessa "
                    "terveystarkastuksessa neuvolassa tai lääkärissä.",
                ),
                "Hae äitiysavustusta OmaKelassa. Tarvitset raskaustodistuksen neuvolasta tai "
                "lääkäriltä.",
            ),
            "sv": Texts(
                "Moderskapsunderstöd",
                "Som moderskapsunderstöd kan du välja moderskapsförpackningen eller ett "
                "penningbelopp. Understödet söks under graviditeten.",
                (
                    "Om den beräknade tiden för förlossningen är 1.4.2026 eller senare är "
                    "moderskapsunderstödet som betalas i pengar 210 euro. Understödet är "
                    "skattefritt.",
                    "För att få understödet ska den gravida gå på hälsoundersökning på "
                    "rådgivningen eller hos läkare i början av graviditeten.",
                ),
                "Ansök om moderskapsunderstöd i MittFPA. Du behöver ett graviditetsintyg från "
                "rådgivningen eller av en läkare.",
            ),
            "en": Texts(
                "Maternity grant",
                "As the maternity grant, you can choose the maternity package or a cash payment. "
                "The grant is applied for during pregnancy.",
                (
                    "If the due date is 1 April 2026 or later, the cash grant is EUR 210. The "
                    "grant is tax-free.",
                    "To get the grant, the expectant parent must have a health check at a "
                    "maternity clinic or with a doctor early in the pregnancy.",
                ),
                "Apply for the maternity grant in OmaKela. You need a certificate of pregnancy "
                "from the maternity clinic or a doctor.",
            ),
        },
        classes=("P3.2",),
        groups=("KR1.2",),
        events=("KE1",),
        keywords={"fi": ("äitiyspakkaus",), "sv": ("moderskapsförpackning",), "en": ("baby box",)},
        terms=("perhe-etuudet", "raskaus"),
    ),
    _kela(
        "lapsilisa",
        {
            "fi": Texts(
                "Lapsilisä",
                "Kela maksaa lapsilisää lapsen hoitoa ja kasvatusta varten, kunnes lapsi "
                "täyttää 17 vuotta. Lapsilisä on verotonta.",
                (
                    "Lapsilisää maksetaan lapsen syntymää seuraavan kuukauden alusta sen kuukauden "
                    "loppuun, jolloin lapsi täyttää 17 vuotta. Se maksetaan kuukauden 26. päivänä.",
                    "Lapsilisän määrä riippuu perheen lasten lukumäärästä, ja alle 3-vuotiaasta "
                    "lapsesta maksetaan korotettua lapsilisää. Yksinhuoltaja saa lisäksi "
                    "yksinhuoltajakorotuksen.",
                ),
            ),
            "sv": Texts(
                "Barnbidrag",
                "FPA betalar barnbidrag för barnets vård och fostran tills barnet fyller 17 år. "
                "Barnbidraget är skattefritt.",
                (
                    "Barnbidrag betalas från början av månaden efter barnets födelse till slutet "
                    "av den månad då barnet fyller 17 år. Det betalas den 26 i månaden.",
                    "Barnbidragets belopp beror på antalet barn i familjen, och för barn under "
                    "3 år betalas förhöjt barnbidrag. En ensamförsörjare får dessutom "
                    "ensamförsörjartillägg.",
                ),
            ),
            "en": Texts(
                "Child benefit",
                "Kela pays child benefit for the care and upbringing of a child until the child "
                "turns 17. Child benefit is tax-free.",
                (
                    "Child benefit is paid from the beginning of the month after the child's "
                    "birth until the end of the month in which the child turns 17. It is paid on "
                    "the 26th of each month.",
                    "The amount depends on the number of children in the family, and a higher "
                    "amount is paid for children under 3. Single parents also get a single-"
                    "parent supplement.",
                ),
            ),
        },
        classes=("P3.2",),
        groups=("KR1.2",),
        keywords={"fi": ("lapsilisä",), "sv": ("barnbidrag",)},
        terms=("perhe-etuudet",),
    ),
    _kela(
        "vanhempainpaivarahat",
        {
            "fi": Texts(
                "Vanhempainpäivärahat",
                "Vanhempainpäivärahoja ovat raskausraha ja vanhempainraha. Ne turvaavat "
                "toimeentuloa raskauden ja lapsen hoidon aikana.",
                (
                    "Raskausrahaa maksetaan synnyttävälle vanhemmalle 40 arkipäivältä. "
                    "Vanhempainrahaa maksetaan lasta kohden 320 arkipäivältä. Kun perheessä on "
                    "kaksi vanhempaa, kummankin osuus on 160 päivää.",
                    "Vanhempi voi luovuttaa omista päivistään enintään 63 päivää toiselle "
                    "vanhemmalle, puolisolle tai muulle huoltajalle. Vanhempainrahapäiviä voi "
                    "käyttää, kunnes lapsi täyttää kaksi vuotta.",
                ),
                "Hae päivärahaa OmaKelassa. Raskausrahan hakemukseen tarvitaan "
                "raskaustodistus. Kerro vapaasta työnantajalle viimeistään kaksi kuukautta "
                "ennen sen alkua.",
            ),
            "sv": Texts(
                "Föräldradagpenningar",
                "Föräldradagpenningarna är graviditetspenning och föräldrapenning. De tryggar "
                "utkomsten under graviditeten och medan föräldern sköter barnet.",
                (
                    "Graviditetspenning betalas till den födande föräldern för 40 vardagar. "
                    "Föräldrapenning betalas för 320 vardagar per barn. Om familjen har två "
                    "föräldrar har vardera föräldern 160 dagar.",
                    "En förälder kan överlåta högst 63 av sina egna dagar till den andra "
                    "föräldern, en make eller en annan vårdnadshavare. Dagarna kan användas tills "
                    "barnet fyller två år.",
                ),
                "Ansök om dagpenning i MittFPA. Till ansökan om graviditetspenning behövs ett "
                "graviditetsintyg. Meddela arbetsgivaren om ledigheten senast två månader "
                "innan den börjar.",
            ),
            "en": Texts(
                "Parental allowances",
                "Parental allowances are the pregnancy allowance and the parental allowance. They "
                "compensate for loss of income during pregnancy and childcare.",
                (
                    "Pregnancy allowance is paid to the birthing parent for 40 working days. "
                    "Parental allowance is paid for 320 working days per child. When a family "
                    "has two parents, each parent's share is 160 days.",
                    "A parent can transfer up to 63 of their own days to the other parent, a "
                    "spouse or another guardian. The days can be used until the child turns two.",
                ),
                "Apply in OmaKela using your certificate of pregnancy. Tell your employer about "
                "your leave two months before it starts.",
            ),
        },
        classes=("P3.2",),
        groups=("KR1.2", "KR1"),
        events=("KE1",),
        keywords={"fi": ("vanhempainvapaa", "raskausraha"), "sv": ("föräldraledighet",)},
        terms=("perhe-etuudet",),
    ),
    _kela(
        "kotihoidon-tuki",
        {
            "fi": Texts(
                "Lasten kotihoidon tuki",
                "Kotihoidon tukea voi saada, kun alle 3-vuotias lapsi hoidetaan kotona eikä "
                "hänellä ole kunnallista varhaiskasvatuspaikkaa.",
                (
                    "Tukea voi saada vanhempainrahakauden jälkeen, kunnes perheen nuorin lapsi "
                    "täyttää 3 vuotta. Tukea maksetaan myös perheen muista alle kouluikäisistä "
                    "lapsista.",
                    "Kotihoidon tuki koostuu hoitorahasta ja tulojen mukaan määräytyvästä "
                    "hoitolisästä. Osa kunnista maksaa lisäksi kuntalisää.",
                ),
            ),
            "sv": Texts(
                "Stöd för hemvård av barn",
                "Du kan få stöd för hemvård när ett barn under 3 år vårdas hemma och inte har en "
                "kommunal plats inom småbarnspedagogiken.",
                (
                    "Stödet kan betalas efter föräldrapenningperioden tills familjens yngsta barn "
                    "fyller 3 år. Stödet betalas också för familjens andra barn under "
                    "skolåldern.",
                    "Stödet består av vårdpenning och ett inkomstprövat vårdtillägg. En del "
                    "kommuner betalar dessutom ett kommuntillägg.",
                ),
            ),
            "en": Texts(
                "Child home care allowance",
                "You can get child home care allowance when a child under 3 is cared for at home "
                "and does not have a municipal early childhood education place.",
                (
                    "The allowance can be paid after the parental allowance period until the "
                    "youngest child in the family turns 3. It is also paid for the family's "
                    "other children under school age.",
                    "It consists of a care allowance and an income-tested care supplement. Some "
                    "municipalities also pay a municipal supplement.",
                ),
            ),
        },
        classes=("P3.4", "P3.2"),
        groups=("KR1.2",),
        keywords={"fi": ("kotihoidon tuki", "kuntalisä"), "sv": ("hemvårdsstöd",)},
        terms=("perhe-etuudet",),
    ),
    _kela(
        "elatustuki",
        {
            "fi": Texts(
                "Elatustuki",
                "Kela voi maksaa lapselle elatustukea, jos elatusvelvollinen vanhempi ei maksa "
                "elatusapua tai elatusapu on elatustukea pienempi.",
                (
                    "Elatustuki edellyttää yleensä lastenvalvojan vahvistamaa sopimusta tai "
                    "tuomioistuimen päätöstä elatusavusta. Täysi elatustuki on 1.1.2026 alkaen "
                    "197,71 euroa kuukaudessa lasta kohden.",
                    "Elatustukea maksetaan, kunnes lapsi täyttää 18 vuotta. Myös yksin asuva "
                    "15 vuotta täyttänyt lapsi voi saada elatustukea.",
                ),
            ),
            "sv": Texts(
                "Underhållsstöd",
                "FPA kan betala underhållsstöd till ett barn om underhållsbidraget inte betalas "
                "eller är lägre än underhållsstödet.",
                (
                    "För underhållsstöd krävs i regel ett avtal om underhållsbidrag som "
                    "barnatillsyningsmannen har fastställt eller ett domstolsbeslut. Från "
                    "1.1.2026 är det fulla underhållsstödet 197,71 euro i månaden per barn.",
                    "Underhållsstöd betalas tills barnet fyller 18 år. Också ett barn som har "
                    "fyllt 15 år och bor på egen hand kan få underhållsstöd.",
                ),
            ),
            "en": Texts(
                "Child maintenance allowance",
                "Kela may pay child maintenance allowance if the parent liable for maintenance "
                "does not pay it or the maintenance is small.",
                (
                    "It usually requires a maintenance agreement confirmed by the child welfare "
                    "supervisor or a court decision. From 1 January 2026 the allowance is "
                    "EUR 197.71 a month per child.",
                    "The allowance is paid until the child turns 18. A child aged 15 or over who "
                    "lives alone can also get it.",
                ),
            ),
        },
        classes=("P3.9",),
        groups=("KR1.2",),
        events=("KE7",),
        keywords={"fi": ("elatusapu",), "sv": ("underhållsbidrag",)},
        terms=("elatusapu", "perhe-etuudet"),
    ),
    _kela(
        "erityishoitoraha",
        {
            "fi": Texts(
                "Erityishoitoraha",
                "Erityishoitorahaa voi saada alle 16-vuotiaan sairaan tai vammaisen lapsen "
                "vanhempi, joka on poissa työstä lapsen hoidon vuoksi.",
                (
                    "Erityishoitorahaa maksetaan, kun vanhempi osallistuu lapsen hoitoon tai "
                    "kuntoutukseen ja on sen vuoksi poissa palkkatyöstä. Sitä maksetaan vain "
                    "palkattomilta päiviltä, ja hakemukseen tarvitaan lääkärinlausunto D.",
                    "Vuoden 2026 alusta edellytyksenä on erikoissairaanhoidon tasoinen hoito, "
                    "jota voidaan antaa myös sairaalan ulkopuolella.",
                ),
            ),
            "sv": Texts(
                "Specialvårdpenning",
                "En förälder som är borta från arbetet för att vårda ett barn under 16 år som är "
                "sjukt eller har en funktionsnedsättning kan få specialvårdpenning.",
                (
                    "Specialvårdpenning betalas när föräldern deltar i barnets vård eller "
                    "rehabilitering och därför är borta från förvärvsarbete. Den betalas bara "
                    "för oavlönade dagar, och till ansökan behövs läkarutlåtande D.",
                    "Från början av 2026 förutsätts vård på specialsjukvårdsnivå, som också kan "
                    "ges utanför sjukhus.",
                ),
            ),
            "en": Texts(
                "Special care allowance",
                "A parent of a sick or disabled child under 16 who is absent from work to care "
                "for the child may get special care allowance.",
                (
                    "The allowance is paid when a parent takes part in the child's treatment or "
                    "rehabilitation and therefore misses paid work. It is paid only for unpaid "
                    "days, and the application needs medical statement D.",
                    "From the beginning of 2026, the requirement is treatment at the level of "
                    "specialised medical care, which can also be given outside hospital.",
                ),
            ),
        },
        classes=("P5.13",),
        groups=("KR1.2",),
        keywords={"fi": ("sairas lapsi",), "sv": ("sjukt barn",)},
        terms=("perhe-etuudet",),
    ),
    National(
        spec(
            "nollalinja",
            {
                "fi": Texts(
                    "Nollalinja",
                    "Nollalinja on maksuton auttava puhelin lähisuhdeväkivaltaa tai naisiin "
                    "kohdistuvaa väkivaltaa kokeneille ja heidän läheisilleen.",
                    (
                        "Nollalinjalle voi soittaa nimettömänä ympäri vuorokauden numeroon "
                        "080 005 005 tai 116 016. Puhelu on maksuton. Päivystäjät ovat sosiaali- "
                        "ja terveysalan ammattilaisia.",
                        "Palvelua saa suomeksi, ruotsiksi ja englanniksi sekä tulkin avulla "
                        "muilla kielillä.",
                    ),
                ),
                "sv": Texts(
                    "Nollinjen",
                    "Nollinjen är en avgiftsfri hjälptelefon för dem som har upplevt våld i nära "
                    "relationer eller våld mot kvinnor och för deras närstående.",
                    (
                        "Du kan ringa Nollinjen anonymt dygnet runt på numret 080 005 005 eller "
                        "116 016. Samtalet är avgiftsfritt. De som svarar är yrkespersoner inom "
                        "social- och hälsovården.",
                        "Tjänsten finns på finska, svenska och engelska och med hjälp av tolk "
                        "på andra språk.",
                    ),
                ),
                "en": Texts(
                    "Nollalinja helpline",
                    "Nollalinja is a free helpline for people who have experienced violence in "
                    "close relationships or violence against women, and for their loved ones.",
                    (
                        "You can call Nollalinja anonymously at any time of day or night on "
                        "080 005 005 or 116 016. Calls are free. The helpline is staffed by "
                        "social and health care professionals.",
                        "Help is available in Finnish, Swedish and English, and in other "
                        "languages through an interpreter.",
                    ),
                ),
            },
            classes=("P4.13", "P5.7"),
            groups=("KR1.2", "KR1"),
            keywords={"fi": ("auttava puhelin", "väkivalta"), "sv": ("hjälptelefon",)},
            terms=("lahisuhdevakivalta", "auttavat-puhelimet"),
        ),
        org="thl",
        producer="setlementti-tampere",
    ),
    National(
        spec(
            "mll-puhelin",
            {
                "fi": Texts(
                    "Lasten ja nuorten puhelin",
                    "Lasten ja nuorten puhelimeen voi soittaa maksutta ja nimettömänä mistä "
                    "tahansa mieltä painavasta asiasta.",
                    (
                        "Puhelimeen vastataan joka päivä, ja soitto numeroon 116 111 on "
                        "maksuton. Chatissa voi keskustella joka päivä kello 17–20 osoitteessa "
                        "nuortennetti.fi.",
                        "Ruotsinkielinen Barn- och ungdomstelefonen palvelee numerossa "
                        "0800 96 116.",
                    ),
                ),
                "sv": Texts(
                    "Barn- och ungdomstelefonen",
                    "Till Barn- och ungdomstelefonen kan barn och unga ringa avgiftsfritt och "
                    "anonymt om vad som helst som tynger dem.",
                    (
                        "Barn- och ungdomstelefonen svarar på numret 0800 96 116 måndag och "
                        "tisdag kl. 14–17 och onsdag och torsdag kl. 14–20.",
                        "På finska svarar Lasten ja nuorten puhelin varje dag på numret 116 111.",
                    ),
                ),
                "en": Texts(
                    "Helpline for children and young people",
                    "Children and young people can call the helpline free of charge and "
                    "anonymously about anything that is on their mind.",
                    (
                        "The Finnish-language line 116 111 is open every day, and calls are free. "
                        "The chat at nuortennetti.fi is open every day from 17 to 20.",
                        "The Swedish-language line is 0800 96 116.",
                    ),
                ),
            },
            classes=("P28.5", "P4.13"),
            groups=("KR1.3", "KR1.2"),
            keywords={"fi": ("auttava puhelin", "chat"), "sv": ("hjälptelefon",)},
            terms=("auttavat-puhelimet",),
        ),
        org="mll",
    ),
    National(
        spec(
            "kriisipuhelin",
            {
                "fi": Texts(
                    "MIELI Kriisipuhelin",
                    "Kriisipuhelimeen voit soittaa, kun elämässä on vaikeaa ja tarvitset "
                    "kuuntelijaa. Suomenkielinen linja päivystää ympäri vuorokauden.",
                    (
                        "Kriisipuhelimessa saat keskusteluapua nimettömänä. Voit soittaa, kun "
                        "olet itse kriisissä tai olet huolissasi läheisestäsi.",
                        "Suomenkielinen numero on 09 2525 0111 ja ruotsinkielinen 09 2525 0112. "
                        "Puhelusta peritään tavallinen puhelumaksu.",
                    ),
                ),
                "sv": Texts(
                    "Kristelefonen",
                    "Du kan ringa Kristelefonen när livet känns svårt och du behöver någon som "
                    "lyssnar.",
                    (
                        "Kristelefonen ger anonymt samtalsstöd. Du kan ringa när du själv är i "
                        "kris eller är orolig för en närstående.",
                        "Det svenskspråkiga numret är 09 2525 0112. Samtalet kostar som ett "
                        "vanligt samtal.",
                    ),
                ),
            },
            classes=("P5.7", "P4.13"),
            groups=("KR1",),
            keywords={"fi": ("kriisiapu", "auttava puhelin"), "sv": ("krishjälp",)},
            terms=("kriisiapu", "auttavat-puhelimet"),
            charge="Chargeable",
        ),
        org="mieli",
    ),
]

# Where Kela's benefits are described: only kela.fi addresses given in family-facts-2026.md.
KELA_PAGES = {
    "aitiysavustus": "https://www.kela.fi/raskausaikana",
    "lapsilisa": "https://www.kela.fi",
    "vanhempainpaivarahat": "https://www.kela.fi/vanhempainvapaalla",
    "kotihoidon-tuki": "https://www.kela.fi/kotihoidontuki",
    "elatustuki": "https://www.kela.fi/elatustuki",
    "erityishoitoraha": "https://www.kela.fi/erityishoitoraha-maara-ja-maksaminen",
}

# --- Quirk placement (stable keys) -----------------------------------------------------------

NO_SUMMARY = {("02", "sosiaalityo"), ("13", "lastenneuvola"), ("19", "perheneuvola")}
NULL_VALIDITY = {("08", "lastenvalvoja"), ("16", "aitiysneuvola"), ("kela", "elatustuki")}
OLD_MODIFIED = {("07", "perheneuvola"), ("12", "sosiaalityo"), ("21", "lastenvalvoja")}
NULL_CHANNELS = ("15", "lastenvalvoja")
NO_SWEDISH = ("01", "kouluterveydenhuolto")
MALFORMED_URL = ("11", "lastenneuvola")
NO_HOURS_LOCATION = ("18", 1)
NO_ADDRESS_LOCATION = ("12", 3)
POSTAL_LOCATION = ("20", 0)
OLD_MUNICIPAL = "304"  # Kustavi's early childhood education


# --- The builder ----------------------------------------------------------------------------


@dataclass
class Sample:
    services: list[dict]  # v11 Service objects, exactly as GET /api/v11/Service/list returns them
    channels: list[dict]  # v11 ServiceChannel objects (mixed types), as ServiceChannel/list returns
    organizations: list[dict]  # v11 Organization objects, as Organization/list returns


def name_of(item: Json, field_: str) -> str:
    """The single-language name of an ``{id, name}`` reference: fi if there is one."""
    names = [n for n in item[field_] if n["type"] == "Name"]
    return next((n["value"] for n in names if n["language"] == "fi"), names[0]["value"])


def muni_ref(muni: Municipality, code: str | None = None) -> Json:
    return {"code": code or muni.code, "name": [li(muni.fi, "fi"), li(muni.sv, "sv")]}


def municipality_area(muni: Municipality, code: str | None = None) -> Json:
    return {
        "type": "Municipality",
        "code": None,
        "name": [],
        "municipalities": [muni_ref(muni, code)],
    }


def county_area(area: Area) -> Json:
    return {
        "type": "WellbeingServiceCounties",
        "code": area.code,
        "name": [li(area.names["fi"], "fi"), li(area.names["sv"], "sv")],
        "municipalities": [muni_ref(m) for m in area.municipalities],
    }


def weekly_hours(entries: list[tuple[str, str, str, str]], info: list[Json] | None = None) -> Json:
    """A DaysOfTheWeek entry; each entry is (dayFrom, dayTo, from, to), dayTo "" if unused."""
    return {
        "serviceHourType": "DaysOfTheWeek",
        "validFrom": None,
        "validTo": None,
        "isClosed": False,
        "validForNow": True,
        "isAlwaysOpen": False,
        "isReservation": False,
        "additionalInformation": info or [],
        "openingHour": [
            {"dayFrom": d1, "dayTo": d2, "from": t1, "to": t2} for d1, d2, t1, t2 in entries
        ],
    }


def always_open() -> Json:
    hours = weekly_hours([])
    hours["isAlwaysOpen"] = True
    return hours


def christmas_eve(langs: tuple[str, ...]) -> Json:
    label = {"fi": "Jouluaatto", "sv": "Julafton", "en": "Christmas Eve"}
    return {
        "serviceHourType": "Exceptional",
        "validFrom": "2026-12-24T00:00:00",
        "validTo": None,
        "isClosed": True,
        "validForNow": False,
        "isAlwaysOpen": False,
        "isReservation": False,
        "additionalInformation": [li(label[lang], lang) for lang in langs],
        "openingHour": [],
    }


WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")


def clinic_hours(key: str, langs: tuple[str, ...]) -> list[Json]:
    """Varied opening hours: one Mon-Fri range, per-day entries, a short Friday, Christmas Eve."""
    style = rng_for(f"hours:{key}").randrange(4)
    if style == 0:
        return [weekly_hours([("Monday", "Friday", "08:00:00", "15:30:00")])]
    if style == 1:
        days = [(d, "", "08:00:00", "16:00:00") for d in WEEKDAYS[:4]]
        return [weekly_hours([*days, ("Friday", "", "08:00:00", "14:00:00")])]
    if style == 2:
        week = weekly_hours([("Monday", "Friday", "08:00:00", "16:00:00")])
        return [week, christmas_eve(langs)]
    days = [(d, "", "08:00:00", "18:00:00" if d == "Tuesday" else "15:00:00") for d in WEEKDAYS]
    return [weekly_hours(days), christmas_eve(langs)]


def phone(
    number: str,
    lang: str,
    info: str | None,
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
        "language": lang,
    }


def free_phone(number: str, lang: str, info: str | None = None) -> Json:
    return phone(number, lang, info, charge="FreeOfCharge", service_number=True)


CALL_PRICE = {
    "fi": "Puhelun hinta määräytyy operaattorisi hinnaston mukaan.",
    "sv": "Samtalet kostar enligt din operatörs prislista.",
    "en": "The call is charged at your operator's rates.",
}


class Builder:
    """Collects services, channels and organisations, then links them both ways."""

    def __init__(self, root: Path) -> None:
        data = root / "data" / "ptv"
        self.codes = CodeSets(
            classes=read_codes(
                data / "ptv-service-classes.csv",
                legacy_prefix="http://urn.fi/URN:NBN:fi:au:ptvl:v1",
            ),
            groups=read_codes(data / "ptv-target-groups.csv"),
            events=read_codes(data / "ptv-life-events.csv"),
        )
        self.areas = read_areas(root)
        self.services: list[Json] = []
        self.channels: list[Json] = []
        self.organizations: list[Json] = []
        self.by_id: dict[str, Json] = {}
        self.area_of: dict[str, str] = {}  # item id -> area code or "national"
        self.quirks: dict[str, list[str]] = {}
        self.phone_counter = 0

    # -- bookkeeping

    def add(self, kind: str, item: Json, area: str) -> Json:
        getattr(self, kind).append(item)
        self.by_id[item["id"]] = item
        self.area_of[item["id"]] = area
        return item

    def quirk(self, name: str, item_id: str) -> None:
        self.quirks.setdefault(name, []).append(item_id)

    def next_phone(self) -> str:
        """A number in the fake "40 000 xxxx" range, unique within the sample."""
        self.phone_counter += 1
        return f"40 000 {1000 + self.phone_counter:04d}"

    # -- finto items

    def finto(self, code: str, kind: str, legacy: bool) -> Json:
        table = {
            "class": self.codes.classes,
            "group": self.codes.groups,
            "event": self.codes.events,
        }
        codes = table[kind]
        item_code = codes[code]  # KeyError: the code is not in data/ptv, which must not happen
        parent = codes[item_code.parent] if item_code.parent else None
        item: Json = {"name": [li(item_code.names[lang], lang) for lang in LANGS]}
        if kind == "class":
            item["description"] = []
        item["code"] = code
        item["ontologyType"] = {"class": "ptvserclass", "group": "ptvkohderyhmat"}.get(
            kind, "ptvelti"
        )
        item["uri"] = item_code.old_uri if legacy else item_code.uri
        item["parentId"] = uid(f"finto:{parent.code}") if parent else None
        item["parentUri"] = (parent.old_uri if legacy else parent.uri) if parent else None
        if legacy:
            item["newUri"] = item_code.uri
            item["newParentUri"] = parent.uri if parent else None
        if kind == "group":
            item["override"] = False
        return item

    @staticmethod
    def ontology_term(key: str) -> Json:
        number, fi, sv, en = TERMS[key]
        return {
            "name": [li(fi, "fi"), li(sv, "sv"), li(en, "en")],
            "code": None,
            "ontologyType": "YSO",
            "uri": f"http://www.yso.fi/onto/koko/{number}",
            "parentId": None,
            "parentUri": None,
        }

    # -- organisations

    def organization(
        self,
        key: str,
        *,
        names: dict[str, str],
        type_: str,
        area: str,
        areas: list[Json],
        municipality: Json | None = None,
        code: str | None = None,
        alternative: dict[str, str] | None = None,
        description: dict[str, str] | None = None,
        web: str | None = None,
    ) -> Json:
        org_id = uid(f"org:{key}")
        org_names = [lli(v, lang, "Name") for lang, v in names.items()]
        org_names += [lli(v, lang, "AlternativeName") for lang, v in (alternative or {}).items()]
        org: Json = {
            "id": org_id,
            "oid": None,
            "sourceId": None,
            "parentOrganizationId": None,
            "organizationRootId": org_id,
            "organizationType": type_,
            "businessCode": code or business_code(key),
            "businessName": None,
            "organizationNames": org_names,
            "displayNameType": [{"type": "Name", "language": lang} for lang in names],
            "areaType": "Nationwide" if not areas else "LimitedType",
            "areas": areas,
            "areaMunicipalities": [],
            "municipality": municipality,
            "organizationDescriptions": [
                lli(v, lang, "Description") for lang, v in (description or {}).items()
            ],
            "emails": [],
            "phoneNumbers": [],
            "webPages": [{"url": web, "value": names["fi"], "language": "fi"}] if web else [],
            "addresses": [],
            "electronicInvoicings": [],
            "publishingStatus": "Published",
            "services": [],
            "subOrganizations": [],
            "modified": modified(f"org:{key}"),
        }
        return self.add("organizations", org, area)

    def county_organization(self, area: Area) -> Json:
        if area.code == "90":
            helsinki = area.municipalities[0]
            return self.organization(
                "area:90",
                names={
                    "fi": "Helsingin kaupunki",
                    "sv": "Helsingfors stad",
                    "en": "City of Helsinki",
                },
                type_="Municipality",
                area="90",
                areas=[municipality_area(helsinki)],
                municipality=muni_ref(helsinki),
                description={
                    "fi": "Helsingin kaupunki järjestää asukkailleen myös sosiaali- ja "
                    "terveyspalvelut sekä pelastustoimen.",
                    "sv": "Helsingfors stad ordnar också social- och hälsovårdstjänster samt "
                    "räddningsväsendet för sina invånare.",
                    "en": "The City of Helsinki also organises social, health and rescue "
                    "services for its residents.",
                },
                web=f"https://{area.domain}/",
            )
        names = {
            lang: area.names[lang] for lang in ("fi", "sv", "en") if lang != "sv" or area.bilingual
        }
        return self.organization(
            f"area:{area.code}",
            names=names,
            type_="Region",
            area=area.code,
            areas=[county_area(area)],
            description={
                "fi": "Hyvinvointialue järjestää alueensa asukkaiden sosiaali- ja terveyspalvelut "
                "sekä pelastustoimen.",
                "sv": "Välfärdsområdet ordnar social- och hälsovårdstjänster samt "
                "räddningsväsendet för invånarna i området.",
                "en": "The wellbeing services county organises social, health and rescue "
                "services for its residents.",
            },
            web=f"https://{area.domain}/",
        )

    def municipal_organization(self, muni: Municipality) -> Json:
        names = {"fi": muni.fi, "sv": muni.sv} if "sv" in muni.languages else {"fi": muni.fi}
        return self.organization(
            f"muni:{muni.code}",
            names=names,
            type_="Municipality",
            area=muni.area,
            areas=[municipality_area(muni)],
            municipality=muni_ref(muni),
            description={
                "fi": "Kunta järjestää asukkailleen muun muassa varhaiskasvatuksen, "
                "perusopetuksen ja nuorisopalvelut.",
                **(
                    {
                        "sv": "Kommunen ordnar bland annat småbarnspedagogik, grundläggande "
                        "utbildning och ungdomstjänster för sina invånare."
                    }
                    if "sv" in muni.languages
                    else {}
                ),
            },
            web=f"https://www.{ascii_slug(muni.fi)}.example/",
        )

    # -- services

    def service(
        self,
        key: str,
        spec_: Spec,
        *,
        langs: tuple[str, ...],
        service_langs: list[str],
        area: str,
        areas: list[Json],
        org: Json,
        legacy: bool = False,
        summary: bool = True,
        validity_null: bool = False,
        old: bool = False,
        producer: Json | None = None,
        names: dict[str, str] | None = None,
    ) -> Json:
        texts = {lang: spec_.texts[lang] for lang in langs if lang in spec_.texts}
        # Only some services fill in the user instruction, as in real data.
        instructions = area == "national" or rng_for(f"instruction:{key}").random() < 0.5
        descriptions: list[Json] = []
        for lang, t in texts.items():
            if summary:
                descriptions.append(lli(t.summary, lang, "Summary"))
            descriptions.append(lli("\n\n".join(t.description), lang, "Description"))
            if t.instruction and instructions:
                descriptions.append(lli(t.instruction, lang, "UserInstruction"))
            if validity_null:
                descriptions.append(lli(None, lang, "ValidityTime"))
        organizations = [self.org_role(org, "Responsible", "SelfProducedServices")]
        if producer:
            organizations.append(self.org_role(producer, "Producer", "ProcuredServices"))
        service: Json = {
            "id": uid(f"service:{key}"),
            "sourceId": None,
            "generalDescriptionId": None,
            "subType": None,
            "type": "Service",
            "fundingType": "PubliclyFunded",
            "serviceNames": [
                lli((names or {}).get(lang, t.name), lang, "Name") for lang, t in texts.items()
            ],
            "serviceChargeType": spec_.charge,
            "areaType": "LimitedType" if areas else "Nationwide",
            "areas": areas,
            "serviceDescriptions": descriptions,
            "languages": service_langs,
            "serviceClasses": [self.finto(c, "class", legacy) for c in spec_.classes],
            "ontologyTerms": [self.ontology_term(t) for t in spec_.terms],
            "targetGroups": [self.finto(c, "group", legacy) for c in spec_.groups],
            "lifeEvents": [self.finto(c, "event", legacy) for c in spec_.events],
            "industrialClasses": [],
            "legislation": [],
            "keywords": [li(word, lang) for lang in texts for word in spec_.keywords.get(lang, ())],
            "requirements": [],
            "serviceChannels": [],
            "organizations": organizations,
            "serviceVouchersInUse": False,
            "serviceVouchers": [],
            "serviceCollections": [],
            "publishingStatus": "Published",
            "modified": modified(f"service:{key}", old=old),
            "responsibleSoteOrganization": None,
        }
        return self.add("services", service, area)

    @staticmethod
    def org_role(org: Json, role: str, provision: str) -> Json:
        return {
            "organization": {"id": org["id"], "name": name_of(org, "organizationNames")},
            "roleType": role,
            "provisionType": provision,
            "additionalInformation": [],
        }

    # -- channels

    def channel(
        self,
        key: str,
        type_: str,
        *,
        org: Json,
        names: dict[str, str],
        summaries: dict[str, str],
        descriptions: dict[str, str],
        area: str,
        areas: list[Json],
        langs: list[str],
        specific: Json,
        web_pages: list[Json] | None = None,
        hours: list[Json] | None = None,
    ) -> Json:
        texts: list[Json] = []
        for lang in names:
            if lang in summaries:
                texts.append(lli(summaries[lang], lang, "Summary"))
            if lang in descriptions:
                texts.append(lli(descriptions[lang], lang, "Description"))
        channel: Json = {
            "id": uid(f"channel:{key}"),
            "sourceId": None,
            "serviceChannelType": type_,
            "organizationId": org["id"],
            "serviceChannelNames": [lli(v, lang, "Name") for lang, v in names.items()],
            "serviceChannelDescriptions": texts,
            **specific,
            "areaType": "LimitedType" if areas else "Nationwide",
            "areas": areas,
            "languages": langs,
            "webPages": web_pages or [],
            "serviceHours": hours or [],
            "services": [],
            "ontologyTerms": [],
            "publishingStatus": "Published",
            "modified": modified(f"channel:{key}"),
            "responsibleSoteOrganization": None,
        }
        return self.add("channels", channel, area)

    def connect(self, service: Json, channel: Json) -> None:
        """Add the connection on both sides, with the same modification time."""
        stamp = modified(f"connection:{service['id']}:{channel['id']}")
        extra: Json = {
            "serviceChargeType": None,
            "description": [],
            "extraTypes": [],
            "serviceHours": [],
            "contactDetails": None,
            "digitalAuthorizations": [],
            "modified": stamp,
        }
        if service["serviceChannels"] is not None:
            ref = {"id": channel["id"], "name": name_of(channel, "serviceChannelNames")}
            service["serviceChannels"].append({"serviceChannel": ref, **extra})
        ref = {"id": service["id"], "name": name_of(service, "serviceNames")}
        channel["services"].append({"service": ref, **extra})

    def finish(self) -> None:
        """Fill the derived lists: channel ontology terms and organisation services."""
        for channel in self.channels:
            seen: dict[str, Json] = {}
            for conn in channel["services"]:
                for term in self.by_id[conn["service"]["id"]]["ontologyTerms"]:
                    seen.setdefault(term["uri"], term)
            channel["ontologyTerms"] = list(seen.values())
        for service in self.services:
            for role in service["organizations"]:
                org = self.by_id[role["organization"]["id"]]
                org["services"].append(
                    {
                        "service": {"id": service["id"], "name": name_of(service, "serviceNames")},
                        "roleType": role["roleType"],
                        "provisionType": role["provisionType"],
                        "additionalInformation": [],
                    }
                )


# --- Per-area content -------------------------------------------------------------------------


def location_address(town: Town, muni: Municipality, key: str, code: str | None) -> Json:
    rng = rng_for(f"address:{key}")
    street_fi, street_sv = STREETS[rng.randrange(len(STREETS))]
    bilingual = "sv" in muni.languages
    north, east = tm35fin(
        town.lat + rng.uniform(-0.004, 0.004), town.lon + rng.uniform(-0.008, 0.008)
    )
    office = [li(muni.fi.upper(), "fi")] + ([li(muni.sv.upper(), "sv")] if bilingual else [])
    return {
        "type": "Location",
        "subType": "Street",
        "streetAddress": {
            "street": [li(street_fi, "fi")] + ([li(street_sv, "sv")] if bilingual else []),
            "streetNumber": str(rng.randrange(1, 40)),
            "postalCode": town.postal,
            "postOffice": office,
            "municipality": muni_ref(muni, code),
            "additionalInformation": [],
            "latitude": str(north),
            "longitude": str(east),
            "coordinateState": "Ok",
        },
        "postOfficeBoxAddress": None,
        "otherAddress": None,
        "locationAbroad": [],
        "entrances": [],
        "country": "FI",
    }


def po_box_address(town: Town, muni: Municipality) -> Json:
    return {
        "type": "Postal",
        "subType": "PostOfficeBox",
        "streetAddress": None,
        "postOfficeBoxAddress": {
            "postOfficeBox": [li("PL 40", "fi")],
            "postalCode": town.postal[:3] + "01",
            "postOffice": [li(muni.fi.upper(), "fi")],
            "municipality": muni_ref(muni),
            "additionalInformation": [],
        },
        "otherAddress": None,
        "locationAbroad": [],
        "entrances": [],
        "country": "FI",
    }


class AreaContent:
    """Everything one area contributes: organisations, services and channels."""

    def __init__(self, builder: Builder, area: Area) -> None:
        self.b = builder
        self.area = area
        self.munis = {m.code: m for m in area.municipalities}
        self.legacy = area.code in LEGACY_AREAS
        self.county_org = builder.county_organization(area)
        self.muni_orgs: dict[str, Json] = {}
        self.county_services: dict[str, Json] = {}

    def build(self) -> None:
        self.build_municipal_orgs()
        self.build_county_services()
        self.build_municipal_services()
        self.build_locations()
        self.build_phone()
        self.build_web_pages()

    # -- organisations and services

    def build_municipal_orgs(self) -> None:
        for muni in self.area.municipalities:
            if self.area.code == "90":
                self.muni_orgs[muni.code] = self.county_org  # the city is both
            else:
                self.muni_orgs[muni.code] = self.b.municipal_organization(muni)

    def county_specs(self) -> list[Spec]:
        optional = sorted(rng_for(f"set:{self.area.code}").sample(OPTIONAL_KEYS, 2))
        keys = set(CORE_KEYS) | set(optional)
        chosen = [s for s in COUNTY_SPECS if s.key in keys]
        # Lapland was not covered by 116117 in 2023 (family-facts-2026.md): leave it out there.
        return chosen + ([PAIVYSTYSAPU] if self.area.code != "21" else [])

    def county_service_area(self, spec_key: str) -> list[Json]:
        if self.area.code != "90":
            return [county_area(self.area)]
        helsinki = self.area.municipalities[0]
        # Helsinki is not a county: its services name the municipality; one drops the zero.
        return [municipality_area(helsinki, "91" if spec_key == "lastenneuvola" else None)]

    def build_county_services(self) -> None:
        code = self.area.code
        use_variant = rng_for(f"variant:{code}").random() < 0.4
        for spec_ in self.county_specs():
            pair = (code, spec_.key)
            langs = self.area.text_langs
            if pair == NO_SWEDISH:
                langs = tuple(lang for lang in langs if lang != "sv")
            service = self.b.service(
                f"{code}:{spec_.key}",
                spec_,
                langs=langs,
                service_langs=self.area.service_langs,
                area=code,
                areas=self.county_service_area(spec_.key),
                org=self.county_org,
                legacy=self.legacy,
                summary=pair not in NO_SUMMARY,
                validity_null=pair in NULL_VALIDITY,
                old=pair in OLD_MODIFIED,
                names=spec_.variants if use_variant else None,
            )
            self.county_services[spec_.key] = service
            self.record_quirks(pair, service)

    def record_quirks(self, pair: tuple[str, str], service: Json) -> None:
        b = self.b
        checks = {
            "no-summary": pair in NO_SUMMARY,
            "null-value": pair in NULL_VALIDITY,
            "old-modified": pair in OLD_MODIFIED,
            "no-swedish": pair == NO_SWEDISH,
        }
        for name, hit in checks.items():
            if hit:
                b.quirk(name, service["id"])
        if pair == NULL_CHANNELS:
            service["serviceChannels"] = None
            b.quirk("null-service-channels", service["id"])
        if self.legacy:
            b.quirk("legacy-uri", service["id"])
        if any(t["name"][1]["value"] is None for t in service["ontologyTerms"]):
            b.quirk("null-value", service["id"])
        if self.area.code == "90" and pair[1] == "lastenneuvola":
            b.quirk("short-municipality-code", service["id"])

    def big_towns(self) -> list[str]:
        """The area's three biggest municipalities: the first towns with clinics."""
        codes = list(dict.fromkeys(t.municipality for t in TOWNS[self.area.code]))
        return codes[:3]

    def build_municipal_services(self) -> None:
        big = self.big_towns()
        for muni in self.area.municipalities:
            keys = ["varhaiskasvatus"] + (["esiopetus", "nuorisotyo"] if muni.code in big else [])
            for key in keys:
                self.municipal_service(muni, key, big)

    def municipal_service(self, muni: Municipality, key: str, big: list[str]) -> Json:
        langs = muni.text_langs  # municipal texts in the municipality's own languages only
        short = muni.code == "005" and key == "varhaiskasvatus"  # Alajärvi as "5"
        old = muni.code == OLD_MUNICIPAL and key == "varhaiskasvatus"
        service = self.b.service(
            f"{self.area.code}:{muni.code}:{key}",
            municipal_spec(key, muni),
            langs=langs,
            service_langs=list(muni.languages),
            area=self.area.code,
            areas=[municipality_area(muni, "5" if short else None)],
            org=self.muni_orgs[muni.code],
            legacy=self.legacy,
            old=old,
        )
        if short:
            self.b.quirk("short-municipality-code", service["id"])
        if old:
            self.b.quirk("old-modified", service["id"])
        if self.legacy:
            self.b.quirk("legacy-uri", service["id"])
        return service

    # -- channels

    def location_langs(self, muni: Municipality) -> tuple[str, ...]:
        """A location speaks its municipality's languages, plus English where the area has it."""
        return muni.text_langs + (("en",) if self.area.code in EN_AREAS else ())

    def build_locations(self) -> None:
        for index, town in enumerate(TOWNS[self.area.code]):
            channel = self.clinic_location(index, town)
            for key in ("aitiysneuvola", "lastenneuvola") + (
                ("perheneuvola",) if index == 0 else ()
            ):
                self.b.connect(self.county_services[key], channel)
        self.build_day_care()

    def clinic_location(self, index: int, town: Town) -> Json:
        code, muni = self.area.code, self.munis[town.municipality]
        key = f"{code}:location:{index}"
        langs = self.location_langs(muni)
        main = index == 0
        names = {
            "fi": f"{town.genitive} {'perhekeskus' if main else 'neuvola'}",
            "sv": f"{'Familjecentret' if main else 'Rådgivningen'} i {town.place_sv}",
            "en": f"{town.place} {'family centre' if main else 'child health clinic'}",
        }
        summaries = {
            "fi": "Äitiys- ja lastenneuvolan sekä perheneuvolan palvelut samassa paikassa."
            if main
            else "Äitiys- ja lastenneuvolan palvelut.",
            "sv": "Mödra- och barnrådgivningens samt familjerådgivningens tjänster på samma ställe."
            if main
            else "Mödra- och barnrådgivningens tjänster.",
            "en": "Maternity and child health clinic and family counselling services in one place."
            if main
            else "Maternity and child health clinic services.",
        }
        descriptions = {
            "fi": "Neuvolaan tullaan ajanvarauksella. Rakennuksessa on esteetön sisäänkäynti ja "
            "katettu paikka lastenvaunuille.",
            "sv": "Rådgivningen tar emot enligt tidsbokning. Byggnaden har en tillgänglig "
            "ingång och en täckt plats för barnvagnar.",
            "en": "Visits are by appointment. The building has an accessible entrance and a "
            "covered place for prams.",
        }
        short_code = (
            "91" if code == "90" and index == 1 else "5" if town.municipality == "005" else None
        )
        addresses = [location_address(town, muni, key, short_code)]
        if (code, index) == POSTAL_LOCATION:
            addresses.append(po_box_address(town, muni))
        if (code, index) == NO_ADDRESS_LOCATION:
            addresses = []
        hours = clinic_hours(key, langs)
        if (code, index) == NO_HOURS_LOCATION:
            hours = []
        slug = ascii_slug(town.place)
        channel = self.b.channel(
            key,
            "ServiceLocation",
            org=self.county_org,
            names={lang: names[lang] for lang in langs},
            summaries=summaries,
            descriptions=descriptions,
            area=code,
            areas=[municipality_area(muni)],
            langs=list(muni.languages if "sv" in muni.languages else ("fi",)),
            specific={
                "oid": None,
                "displayNameType": [{"type": "Name", "language": lang} for lang in langs],
                "phoneNumbers": [
                    phone(self.b.next_phone(), lang, names[lang], charge_text=CALL_PRICE[lang])
                    for lang in langs
                    if lang != "en"
                ],
                "emails": [li(f"neuvola.{slug}@{self.area.domain[4:]}", "fi")],
                "addresses": addresses,
            },
            web_pages=[self.web_page(f"neuvolat/{slug}", names, langs)] if main else [],
            hours=hours,
        )
        self.location_quirks(channel, index, short_code)
        return channel

    def location_quirks(self, channel: Json, index: int, short_code: str | None) -> None:
        pair = (self.area.code, index)
        for name, hit in (
            ("no-service-hours", pair == NO_HOURS_LOCATION),
            ("no-addresses", pair == NO_ADDRESS_LOCATION),
            ("postal-address", pair == POSTAL_LOCATION),
            ("short-municipality-code", short_code is not None and pair != NO_ADDRESS_LOCATION),
        ):
            if hit:
                self.b.quirk(name, channel["id"])

    def web_page(self, path: str, names: dict[str, str], langs: tuple[str, ...]) -> Json:
        """The first language's web page entry (PTV lists one per language; one is enough here)."""
        lang = langs[0]
        return {
            "url": f"https://{self.area.domain}/{lang}/{path}",
            "value": names[lang],
            "language": lang,
        }

    def build_day_care(self) -> None:
        """Two day care centres in the area's biggest municipality, on its ECEC service."""
        main = TOWNS[self.area.code][0]
        muni = self.munis[main.municipality]
        ecec = self.b.by_id[uid(f"service:{self.area.code}:{muni.code}:varhaiskasvatus")]
        pool = [
            ("Satakieli", "Näktergalen"),
            ("Pikkukarhu", "Lillbjörn"),
            ("Tähtitarha", "Stjärnan"),
            ("Kielo", "Liljekonvaljen"),
            ("Metsätähti", "Skogsstjärnan"),
        ]
        picks = rng_for(f"daycare:{self.area.code}").sample(pool, 2)
        for index, (fi, sv) in enumerate(picks):
            channel = self.day_care(index, main, muni, fi, sv)
            self.b.connect(ecec, channel)

    def day_care(self, index: int, town: Town, muni: Municipality, fi: str, sv: str) -> Json:
        key = f"{self.area.code}:daycare:{index}"
        langs = muni.text_langs
        names = {"fi": f"Päiväkoti {fi}", "sv": f"Daghemmet {sv}"}
        muni_domain = f"{ascii_slug(muni.fi)}.example"
        return self.b.channel(
            key,
            "ServiceLocation",
            org=self.muni_orgs[muni.code],
            names={lang: names[lang] for lang in langs},
            summaries={
                "fi": "Päiväkodissa on ryhmiä 1–5-vuotiaille lapsille.",
                "sv": "Daghemmet har grupper för barn i åldern 1–5 år.",
            },
            descriptions={
                "fi": "Päiväkoti on auki arkisin. Vuorohoitoa ei ole.",
                "sv": "Daghemmet är öppet på vardagar. Skiftvård erbjuds inte.",
            },
            area=self.area.code,
            areas=[municipality_area(muni)],
            langs=list(muni.languages),
            specific={
                "oid": None,
                "displayNameType": [{"type": "Name", "language": lang} for lang in langs],
                "phoneNumbers": [
                    phone(self.b.next_phone(), "fi", None, charge_text=CALL_PRICE["fi"])
                ],
                "emails": [li(f"paivakoti.{ascii_slug(fi)}@{muni_domain}", "fi")],
                "addresses": [location_address(town, muni, key, None)],
            },
            hours=[weekly_hours([("Monday", "Friday", "06:30:00", "17:00:00")])],
        )

    def build_phone(self) -> None:
        code = self.area.code
        langs = tuple(lang for lang in self.area.text_langs)
        names = {
            "fi": "Lapsiperheiden palveluneuvonta",
            "sv": "Servicerådgivning för barnfamiljer",
            "en": "Service advice for families with children",
        }
        channel = self.b.channel(
            f"{code}:phone",
            "Phone",
            org=self.county_org,
            names={lang: names[lang] for lang in langs},
            summaries={
                "fi": "Neuvontaa neuvola-, perheneuvola- ja sosiaalipalveluista lapsiperheille.",
                "sv": "Information om rådgivningen, familjerådgivningen och socialtjänsterna för "
                "barnfamiljer.",
                "en": "Advice on clinic, family counselling and social services for families.",
            },
            descriptions={
                "fi": "Puhelinneuvonnasta saat tietoa perheiden palveluista ja apua "
                "ajanvaraukseen. Jos emme voi vastata heti, voit jättää takaisinsoittopyynnön.",
                "sv": "Telefonrådgivningen ger information om tjänster för familjer och hjälp "
                "med tidsbokning. Om vi inte kan svara genast kan du be att bli uppringd.",
                "en": "The advice line gives information about family services and helps you "
                "book appointments. If we cannot answer straight away, you can ask for a call "
                "back.",
            },
            area=code,
            areas=[county_area(self.area)] if code != "90" else self.county_service_area(""),
            langs=self.area.service_langs,
            specific={
                "phoneNumbers": [
                    phone(self.b.next_phone(), lang, names[lang], charge_text=CALL_PRICE[lang])
                    for lang in langs
                    if lang != "en"
                ],
                "supportEmails": [],
            },
            hours=[weekly_hours([("Monday", "Friday", "09:00:00", "15:00:00")])],
        )
        for key in ("aitiysneuvola", "lastenneuvola", "perheneuvola", "sosiaalityo"):
            self.b.connect(self.county_services[key], channel)
        if "paivystysapu" in self.county_services:
            self.build_116117()

    def build_116117(self) -> None:
        code = self.area.code
        langs = self.area.text_langs
        texts = PAIVYSTYSAPU.texts
        channel = self.b.channel(
            f"{code}:116117",
            "Phone",
            org=self.county_org,
            names={lang: texts[lang].name for lang in langs},
            summaries={lang: texts[lang].summary for lang in langs},
            descriptions={},
            area=code,
            areas=self.county_service_area(""),
            langs=self.area.service_langs,
            specific={
                "phoneNumbers": [
                    phone("116117", lang, None, charge="Other", service_number=True)
                    for lang in langs
                    if lang != "en"
                ],
                "supportEmails": [],
            },
            hours=[always_open()],
        )
        self.b.connect(self.county_services["paivystysapu"], channel)

    def build_web_pages(self) -> None:
        for key, service in self.county_services.items():
            if key == "paivystysapu" or service["serviceChannels"] is None:
                continue
            self.county_web_page(key, service)

    def county_web_page(self, key: str, service: Json) -> Json:
        code = self.area.code
        names = {n["language"]: n["value"] for n in service["serviceNames"]}
        suffix = {"fi": "verkossa", "sv": "på webben", "en": "online"}
        paths = {"fi": "fi/palvelut", "sv": "sv/tjanster", "en": "en/services"}
        site = {"fi": "hyvinvointialueen", "sv": "välfärdsområdets", "en": "the county's"}
        if code == "90":
            site = {"fi": "kaupungin", "sv": "stadens", "en": "the city's"}
        pages = [
            {
                "url": f"https://{self.area.domain}/{paths[lang]}/{ascii_slug(names[lang])}",
                "value": names[lang],
                "language": lang,
            }
            for lang in names
        ]
        if (code, key) == MALFORMED_URL:
            pages[0]["url"] = "www.example.fi/neuvola"
        channel = self.b.channel(
            f"{code}:web:{key}",
            "WebPage",
            org=self.county_org,
            names={lang: f"{v} {suffix[lang]}" for lang, v in names.items()},
            summaries={
                "fi": f"Tietoa palvelusta {site['fi']} verkkosivuilla.",
                "sv": f"Information om tjänsten på {site['sv']} webbplats.",
                "en": f"Information about the service on {site['en']} website.",
            },
            descriptions={},  # web page channels often have a summary only
            area=code,
            areas=self.county_service_area("") if code == "90" else [county_area(self.area)],
            langs=self.area.service_langs,
            specific={"supportPhones": [], "supportEmails": [], "accessibilityClassification": []},
            web_pages=pages,
        )
        if (code, key) == MALFORMED_URL:
            self.b.quirk("malformed-url", channel["id"])
        self.b.connect(service, channel)
        return channel


# --- Nationwide content -----------------------------------------------------------------------


class NationalContent:
    """Kela's family benefits and the national helplines, with their channels."""

    def __init__(self, builder: Builder) -> None:
        self.b = builder
        self.orgs: dict[str, Json] = {}
        self.services: dict[str, Json] = {}

    def build(self) -> None:
        for org in NATIONAL_ORGS:
            self.orgs[org.key] = self.b.organization(
                f"national:{org.key}",
                names=org.names,
                type_=org.type_,
                area="national",
                areas=[],
                code=org.code,
                alternative=org.alternative,
                web=org.web,
            )
        for item in NATIONAL:
            self.add_service(item)
        self.kela_channels()
        self.helpline_channels()

    def add_service(self, item: National) -> None:
        key = item.spec.key
        kela = item.org == "kela"
        langs = tuple(lang for lang in LANGS if lang in item.spec.texts)
        service = self.b.service(
            f"national:{key}",
            item.spec,
            langs=langs,
            service_langs=["fi", "sv", "en"] if kela else list(langs),
            area="national",
            areas=[],
            org=self.orgs[item.org],
            legacy=kela,
            validity_null=("kela", key) in NULL_VALIDITY,
            producer=self.orgs[item.producer] if item.producer else None,
        )
        self.services[key] = service
        if kela:
            self.b.quirk("legacy-uri", service["id"])
        if ("kela", key) in NULL_VALIDITY:
            self.b.quirk("null-value", service["id"])
        if any(t["name"][1]["value"] is None for t in service["ontologyTerms"]):
            self.b.quirk("null-value", service["id"])

    def national_channel(
        self,
        key: str,
        type_: str,
        org: str,
        names: dict[str, str],
        summaries: dict[str, str],
        specific: Json,
        web_pages: list[Json] | None = None,
        hours: list[Json] | None = None,
    ) -> Json:
        return self.b.channel(
            f"national:{key}",
            type_,
            org=self.orgs[org],
            names=names,
            summaries=summaries,
            descriptions={},
            area="national",
            areas=[],
            langs=list(names),
            specific=specific,
            web_pages=web_pages,
            hours=hours,
        )

    def kela_channels(self) -> None:
        omakela = self.national_channel(
            "omakela",
            "EChannel",
            "kela",
            {"fi": "OmaKela", "sv": "MittFPA", "en": "OmaKela"},
            {
                "fi": "Hae Kelan etuuksia ja seuraa hakemustesi käsittelyä verkossa.",
                "sv": "Ansök om FPA:s förmåner och följ behandlingen av dina ansökningar på nätet.",
                "en": "Apply for Kela benefits and follow the processing of your applications "
                "online.",
            },
            {
                "supportPhones": [],
                "supportEmails": [],
                "requiresAuthentication": True,
                "requiresSignature": False,
                "signatureQuantity": None,
                "attachments": [],
                "accessibilityClassification": [],
            },
            # The brief allows the kela.fi front page where the OmaKela address is not sourced.
            web_pages=[{"url": "https://www.kela.fi", "value": "OmaKela", "language": "fi"}],
        )
        for key, url in KELA_PAGES.items():
            service = self.services[key]
            self.b.connect(service, omakela)
            names = {n["language"]: n["value"] for n in service["serviceNames"]}
            page = self.national_channel(
                f"kela-web:{key}",
                "WebPage",
                "kela",
                {lang: f"{v} – kela.fi" for lang, v in names.items()},
                {
                    "fi": "Tietoa etuudesta Kelan verkkosivuilla.",
                    "sv": "Information om förmånen på FPA:s webbplats.",
                    "en": "Information about the benefit on Kela's website.",
                },
                {"supportPhones": [], "supportEmails": [], "accessibilityClassification": []},
                web_pages=[{"url": url, "value": names["fi"], "language": "fi"}],
            )
            self.b.connect(service, page)

    def helpline_channels(self) -> None:
        self.nollalinja_channels()
        self.mll_channels()
        self.mieli_channel()

    def nollalinja_channels(self) -> None:
        service = self.services["nollalinja"]
        numbers = [free_phone("080 005 005", lang) for lang in LANGS]
        numbers.append(free_phone("116 016", "fi", "Eurooppalainen numero"))
        line = self.national_channel(
            "nollalinja-phone",
            "Phone",
            "thl",
            {"fi": "Nollalinja", "sv": "Nollinjen", "en": "Nollalinja helpline"},
            {
                "fi": "Maksuton auttava puhelin, avoinna ympäri vuorokauden.",
                "sv": "Avgiftsfri hjälptelefon, öppen dygnet runt.",
                "en": "Free helpline, open around the clock.",
            },
            {"phoneNumbers": numbers, "supportEmails": []},
            hours=[always_open()],
        )
        web = self.national_channel(
            "nollalinja-web",
            "WebPage",
            "thl",
            {"fi": "Nollalinja verkossa", "en": "Nollalinja online"},
            {
                "fi": "Tietoa Nollalinjasta ja chat.",
                "en": "Information about Nollalinja, and chat.",
            },
            {"supportPhones": [], "supportEmails": [], "accessibilityClassification": []},
            web_pages=[
                {"url": "https://www.nollalinja.fi", "value": "Nollalinja", "language": "fi"},
                {"url": "https://www.nollalinja.fi/en", "value": "Nollalinja", "language": "en"},
            ],
        )
        self.b.connect(service, line)
        self.b.connect(service, web)

    def mll_channels(self) -> None:
        service = self.services["mll-puhelin"]
        finnish = self.national_channel(
            "mll-phone-fi",
            "Phone",
            "mll",
            {"fi": "Lasten ja nuorten puhelin 116 111"},
            {"fi": "Maksuton ja nimetön auttava puhelin lapsille ja nuorille, avoinna joka päivä."},
            {"phoneNumbers": [free_phone("116 111", "fi")], "supportEmails": []},
        )
        swedish = self.national_channel(
            "mll-phone-sv",
            "Phone",
            "mll",
            {"sv": "Barn- och ungdomstelefonen"},
            {"sv": "Avgiftsfri och anonym hjälptelefon för barn och unga."},
            {"phoneNumbers": [free_phone("0800 96 116", "sv")], "supportEmails": []},
            hours=[
                weekly_hours(
                    [
                        ("Monday", "", "14:00:00", "17:00:00"),
                        ("Tuesday", "", "14:00:00", "17:00:00"),
                        ("Wednesday", "", "14:00:00", "20:00:00"),
                        ("Thursday", "", "14:00:00", "20:00:00"),
                    ]
                )
            ],
        )
        chat = self.national_channel(
            "mll-chat",
            "WebPage",
            "mll",
            {"fi": "Nuortennetti – chat"},
            {"fi": "Chat lapsille ja nuorille joka päivä kello 17–20."},
            {"supportPhones": [], "supportEmails": [], "accessibilityClassification": []},
            web_pages=[
                {"url": "https://www.nuortennetti.fi", "value": "Nuortennetti", "language": "fi"}
            ],
            hours=[weekly_hours([("Monday", "Sunday", "17:00:00", "20:00:00")])],
        )
        for channel in (finnish, swedish, chat):
            self.b.connect(service, channel)

    def mieli_channel(self) -> None:
        price = {"fi": "Normaali puhelumaksu.", "sv": "Vanlig samtalsavgift."}
        line = self.national_channel(
            "mieli-phone",
            "Phone",
            "mieli",
            {"fi": "MIELI Kriisipuhelin", "sv": "Kristelefonen"},
            {
                "fi": "Keskusteluapua kriisissä. Suomenkielinen linja päivystää ympäri "
                "vuorokauden.",
                "sv": "Samtalsstöd i kris på svenska.",
            },
            {
                "phoneNumbers": [
                    phone("9 2525 0111", "fi", "Suomeksi", charge_text=price["fi"]),
                    phone("9 2525 0112", "sv", "På svenska", charge_text=price["sv"]),
                ],
                "supportEmails": [],
            },
            # The fact sheet knows only that the Swedish line is open on weekdays.
            hours=[
                always_open()
                | {
                    "additionalInformation": [
                        li("Suomenkielinen linja", "fi"),
                        li(
                            "Gäller den finska linjen. Den svenska linjen har jour på vardagar.",
                            "sv",
                        ),
                    ]
                }
            ],
        )
        self.b.connect(self.services["kriisipuhelin"], line)


# --- Entry points -----------------------------------------------------------------------------


def _build(root: Path) -> Builder:
    builder = Builder(root)
    NationalContent(builder).build()
    for area in builder.areas:
        AreaContent(builder, area).build()
    builder.finish()
    return builder


def build_sample(root: Path) -> Sample:
    """Build the whole sample from the CSVs under ``root/data``; same output on every run."""
    builder = _build(root)
    return Sample(builder.services, builder.channels, builder.organizations)


def quirk_ids(root: Path) -> dict[str, list[str]]:
    """The ids of the items that carry each deliberate quirk (see the module docstring)."""
    return {name: sorted(set(ids)) for name, ids in sorted(_build(root).quirks.items())}


def main() -> None:
    root = Path(__file__).resolve().parent.parent
    builder = _build(root)
    counts: dict[str, list[int]] = {}
    for kind_index, kind in enumerate(("services", "channels", "organizations")):
        for item in getattr(builder, kind):
            area = builder.area_of[item["id"]]
            counts.setdefault(area, [0, 0, 0])[kind_index] += 1
    print(f"{'area':<9}{'services':>9}{'channels':>9}{'orgs':>6}")
    for area, (services, channels, orgs) in sorted(counts.items()):
        print(f"{area:<9}{services:>9}{channels:>9}{orgs:>6}")
    sample = Sample(builder.services, builder.channels, builder.organizations)
    total = json.dumps(
        {
            "services": sample.services,
            "channels": sample.channels,
            "organizations": sample.organizations,
        },
        ensure_ascii=False,
        separators=(",", ":"),
    )
    escaped = json.dumps(
        {"services": sample.services, "channels": sample.channels,
         "organizations": sample.organizations},
        separators=(",", ":"),
    )  # fmt: skip
    print(
        f"total: {len(sample.services)} services, {len(sample.channels)} channels, "
        f"{len(sample.organizations)} organizations; compact JSON {len(total.encode())} bytes "
        f"UTF-8 ({len(total)} characters), {len(escaped)} characters with json.dumps defaults "
        "(non-ASCII escaped)"
    )
    if "--quirks" in sys.argv:
        for name, ids in sorted(builder.quirks.items()):
            print(f"{name}: {', '.join(sorted(set(ids)))}")


if __name__ == "__main__":
    main()
