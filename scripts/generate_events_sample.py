"""Write the committed SAMPLE events snapshot, ``snapshots/events/``, from ``data/events/sample/``.

In: ``data/events/sample/linked-events/<slug>.json`` (Linked Events list pages, as
``include=location,keywords`` returns them), ``data/events/sample/ics/<slug>.ics`` (county
calendars), ``data/events/sample/ptv-activities.yml`` (templates of PTV activities, made into
v11 objects for every county in the first town of ``data/sample/towns.csv``), and the counties
of ``regions/``. Out: a snapshot in the store's layout, fetched at 2026-11-20T02:00:00Z, marked
``synthetic``, each answer tagged ``<county>:<feed>``; the same files give the same bytes.

The dates in the raw files are around 20 November 2026. The build does not show them as they
are: it reads the sample as if the build date were whole weeks earlier and moves every time
forward by as many weeks (``pipeline/sources/events/snapshot.py``), so the sample never goes
stale and weekdays and times stay.

``python scripts/generate_events_sample.py [--out DIR]`` (default ``snapshots/events``).
"""

from __future__ import annotations

import argparse
import csv
import shutil
import sys
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml
from pyproj import Transformer

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.sources.base import Answer  # noqa: E402
from pipeline.sources.events.snapshot import read_raw  # noqa: E402
from pipeline.sources.store import Store  # noqa: E402
from pipeline.testing import ptv_objects as v11  # noqa: E402

SAMPLE = ROOT / "data" / "events" / "sample"
FETCHED = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)
NAMESPACE = uuid.UUID("0c7f6c3e-58a4-5b8e-9d0a-3f1e5b7a2c91")
LE_URL = "https://api.hel.fi/linkedevents/v1/event/"
PTV_URL = "https://api.palvelutietovaranto.suomi.fi/api/v11/Service/list/area/Municipality/code/"
TO_TM35FIN = Transformer.from_crs("EPSG:4326", "EPSG:3067", always_xy=True)
MODIFIED = "2026-10-15T08:00:00"
WEIGHTS = (7, 9, 10, 5, 8, 4, 2)


def guid(key: str) -> str:
    return str(uuid.uuid5(NAMESPACE, key))


def business_id(seed: int) -> str:
    """A made-up business ID with a valid check digit."""
    while True:
        digits = f"{seed:07d}"
        rest = sum(int(d) * w for d, w in zip(digits, WEIGHTS, strict=True)) % 11
        if rest != 1:
            return f"{digits}-{0 if rest == 0 else 11 - rest}"
        seed += 1


def counties() -> dict[str, str]:
    """Area code -> county slug, from regions/."""
    found = {}
    for path in sorted((ROOT / "regions").glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        found[str(data["code"])] = path.stem
    return found


def first_towns() -> dict[str, dict[str, str]]:
    towns: dict[str, dict[str, str]] = {}
    with open(ROOT / "data" / "sample" / "towns.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            towns.setdefault(row["area"], row)
    return towns


def area_languages() -> dict[str, list[str]]:
    """The languages of each area's sample texts: Finnish, Swedish where bilingual, English
    where the PTV sample has English."""
    english = {}
    with open(ROOT / "data" / "sample" / "areas.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            english[row["area"]] = row["english"] == "yes"
    languages = {}
    with open(ROOT / "data" / "regions" / "wellbeing_areas.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            langs = ["fi", *(["sv"] if "sv" in row["languages"] else [])]
            languages[row["code"]] = langs + (["en"] if english.get(row["code"]) else [])
    languages.setdefault("90", ["fi", "sv", "en"])
    return languages


def activity(spec: dict[str, Any], area: str, town: dict[str, str], langs: list[str],
             genitive: str, index: int) -> dict[str, list[Any]]:  # fmt: skip
    """The v11 service, location and organisation of one activity in one county."""
    key = f"{spec['key']}:{area}"
    fill = {"genitive": genitive, "place": town["place"], "place_sv": town["place_sv"]}
    texts = {lang: spec["names"][lang] for lang in langs}
    org_name = spec["organisation"]["fi"].format(**fill)
    organisation = v11.organization_object(
        guid(f"org:{key}"), type_="Organization", business_code=business_id(3_100_000 + index),
        names=v11.localized("Name", fi=org_name), display_languages=["fi"], areas=[],
        web_pages=[v11.web_page(f"https://{spec['key']}-{area}.example/", org_name, "fi")],
        modified=MODIFIED,
    )  # fmt: skip
    east, north = TO_TM35FIN.transform(float(town["lon"]), float(town["lat"]))
    municipality = v11.municipality_ref(town["municipality"], v11.lang_items(fi=town["place"]))
    address = v11.street_address(
        v11.lang_items(**{lang: spec["street"][lang] for lang in langs if lang in spec["street"]}),
        spec["number"], town["postal_code"],
        v11.lang_items(fi=town["place"].upper(), **({"sv": town["place_sv"].upper()}
                                                     if "sv" in langs else {})),
        municipality, f"{north:.0f}", f"{east:.0f}",
    )  # fmt: skip
    location = v11.channel_object(
        guid(f"location:{key}"), "ServiceLocation", organization_id=guid(f"org:{key}"),
        names=v11.localized("Name", **texts),
        descriptions=v11.localized("Summary", **{lang: spec["summaries"][lang] for lang in langs}),
        specific={
            "oid": None, "displayNameType": [],
            "phoneNumbers": [v11.phone_number(f"40 000 {9000 + index:04d}", "fi", "Esimerkki")],
            "emails": [{"value": f"{spec['key']}@{area}.example", "language": "fi"}],
            "addresses": [address],
        },
        areas=[], area_type="LimitedType", languages=langs, modified=MODIFIED,
    )  # fmt: skip
    service = v11.service_object(
        guid(f"service:{key}"), names=v11.localized("Name", **texts),
        descriptions=(
            v11.localized("Description", **{lang: spec["descriptions"][lang] for lang in langs})
            + v11.localized("Summary", **{lang: spec["summaries"][lang] for lang in langs})
        ),
        languages=langs, areas=[v11.municipality_area(town["municipality"])],
        area_type="LimitedType", charge=spec.get("charge"),
        classes=[v11.finto(c) for c in spec["classes"]],
        target_groups=[v11.finto("KR1.2", "ptvkohderyhmat")],
        channels=[v11.connection("serviceChannel", guid(f"location:{key}"), key, MODIFIED)],
        organizations=[v11.organization_role("organization", guid(f"org:{key}"), org_name,
                                             "Responsible", "SelfProducedServices")],
        modified=MODIFIED,
    )  # fmt: skip
    return {"services": [service], "channels": [location], "organizations": [organisation]}


def answers() -> list[Answer]:
    slugs = counties()
    towns = first_towns()
    languages = area_languages()
    spec = yaml.safe_load((SAMPLE / "ptv-activities.yml").read_text(encoding="utf-8"))
    found: list[Answer] = []
    for path in sorted((SAMPLE / "linked-events").glob("*.json")):
        body = yaml.safe_load(path.read_text(encoding="utf-8"))
        url = f"{LE_URL}?division=sample&include=location,keywords&page_size=100"
        found.append(Answer(url, 200, body, FETCHED, "linked-events", "items",
                            f"{path.stem}:helsinki"))  # fmt: skip
    for path in sorted((SAMPLE / "ics").glob("*.ics")):
        text = path.read_text(encoding="utf-8")
        url = f"https://tapahtumat.{path.stem}.example/perhekeskus.ics"
        found.append(Answer(url, 200, text, FETCHED, "ics", "items", f"{path.stem}:{path.stem}"))
    index = 0
    for area, slug in sorted(counties().items()):
        town = towns[area]
        genitive = spec["organiser_genitive"].get(area, town["genitive"])
        body: dict[str, list[Any]] = {"services": [], "channels": [], "organizations": []}
        for template in spec["activities"]:
            index += 1
            made = activity(template, area, town, languages[area], genitive, index)
            for part, items in made.items():
                body[part] += items
        url = f"{PTV_URL}{town['municipality']}"
        found.append(Answer(url, 200, body, FETCHED, "ptv", "items", f"{slug}:ptv"))
    del slugs
    return found


def write(out: Path) -> str:
    if out.exists():
        shutil.rmtree(out)
    store = Store(out)
    with store.locked():
        writer = store.writer(source="events", base_url="(per county feed)", mode="full",
                              started=FETCHED, sample=True)  # fmt: skip
        for answer in answers():
            writer.add(answer)
        snapshot, _ = writer.commit(FETCHED, read_raw)
    (out / ".lock").unlink(missing_ok=True)
    return snapshot.id


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "snapshots" / "events")
    args = parser.parse_args()
    print(f"wrote {args.out / write(args.out)}")


if __name__ == "__main__":
    main()
