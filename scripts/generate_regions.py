"""Generate ``regions/<slug>.yml`` for the 22 areas from the national classification.

Input: ``data/regions/wellbeing_areas.csv`` and ``municipalities.csv`` (Statistics Finland's
2026 classification; see ``data/README.md``).
Output: one YAML file per area. The generated keys (``code``, ``name``, ``languages``,
``municipalities``) are rewritten; every other key (the county's own settings, and comments)
is kept, so the script can be re-run when the classification changes.

Run: ``python scripts/generate_regions.py``
"""

from __future__ import annotations

import csv
import sys
from io import StringIO
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

ROOT = Path(__file__).resolve().parent.parent

# Stable, ASCII slugs: they become the site addresses, so they are chosen here, not derived.
SLUGS = {
    "01": "ita-uusimaa", "02": "keski-uusimaa", "03": "lansi-uusimaa", "04": "vantaa-kerava",
    "05": "varsinais-suomi", "06": "satakunta", "07": "kanta-hame", "08": "pirkanmaa",
    "09": "paijat-hame", "10": "kymenlaakso", "11": "etela-karjala", "12": "etela-savo",
    "13": "pohjois-savo", "14": "pohjois-karjala", "15": "keski-suomi",
    "16": "etela-pohjanmaa", "17": "pohjanmaa", "18": "keski-pohjanmaa",
    "19": "pohjois-pohjanmaa", "20": "kainuu", "21": "lappi", "90": "helsinki",
}  # fmt: skip

# The area's short name for the header, in each language.
SHORT_NAMES = {
    "01": ("Itä-Uusimaa", "Östra Nyland", "East Uusimaa"),
    "02": ("Keski-Uusimaa", "Mellersta Nyland", "Central Uusimaa"),
    "03": ("Länsi-Uusimaa", "Västra Nyland", "West Uusimaa"),
    "04": ("Vantaa ja Kerava", "Vanda och Kervo", "Vantaa and Kerava"),
    "05": ("Varsinais-Suomi", "Egentliga Finland", "Southwest Finland"),
    "06": ("Satakunta", "Satakunta", "Satakunta"),
    "07": ("Kanta-Häme", "Egentliga Tavastland", "Kanta-Häme"),
    "08": ("Pirkanmaa", "Birkaland", "Pirkanmaa"),
    "09": ("Päijät-Häme", "Päijänne-Tavastland", "Päijät-Häme"),
    "10": ("Kymenlaakso", "Kymmenedalen", "Kymenlaakso"),
    "11": ("Etelä-Karjala", "Södra Karelen", "South Karelia"),
    "12": ("Etelä-Savo", "Södra Savolax", "South Savo"),
    "13": ("Pohjois-Savo", "Norra Savolax", "North Savo"),
    "14": ("Pohjois-Karjala", "Norra Karelen", "North Karelia"),
    "15": ("Keski-Suomi", "Mellersta Finland", "Central Finland"),
    "16": ("Etelä-Pohjanmaa", "Södra Österbotten", "South Ostrobothnia"),
    "17": ("Pohjanmaa", "Österbotten", "Ostrobothnia"),
    "18": ("Keski-Pohjanmaa", "Mellersta Österbotten", "Central Ostrobothnia"),
    "19": ("Pohjois-Pohjanmaa", "Norra Österbotten", "North Ostrobothnia"),
    "20": ("Kainuu", "Kajanaland", "Kainuu"),
    "21": ("Lappi", "Lappland", "Lapland"),
    "90": ("Helsinki", "Helsingfors", "Helsinki"),
}


def _flow(mapping: dict[str, str]) -> CommentedMap:
    node = CommentedMap(mapping)
    node.fa.set_flow_style()
    return node


def _languages(status: str) -> CommentedSeq:
    # "sv+fi" is bilingual with a Swedish majority: list the majority language first.
    node = CommentedSeq(status.split("+"))
    node.fa.set_flow_style()
    return node


def generated_keys(area: dict[str, str], members: list[dict[str, str]]) -> CommentedMap:
    """The keys of a region file that come from the classification."""
    short = SHORT_NAMES[area["code"]]
    data = CommentedMap()
    data["code"] = area["code"]
    data["name"] = _flow({"fi": area["name_fi"], "sv": area["name_sv"], "en": area["name_en"]})
    data["short_name"] = _flow({"fi": short[0], "sv": short[1], "en": short[2]})
    data["languages"] = _languages(area["languages"])
    municipalities = CommentedSeq()
    for row in sorted(members, key=lambda r: r["name_fi"]):
        item = CommentedMap()
        item["code"] = row["code"]
        item["name"] = _flow({"fi": row["name_fi"], "sv": row["name_sv"]})
        item["languages"] = _languages(row["language_status"])
        item.fa.set_flow_style()
        municipalities.append(item)
    data["municipalities"] = municipalities
    return data


def render(existing: CommentedMap | None, generated: CommentedMap) -> str:
    """The file text: generated keys first, then the county's own keys as they were."""
    merged = CommentedMap()
    for key, value in generated.items():
        merged[key] = value
    if existing is not None:
        for key, value in existing.items():
            if key not in generated:
                merged[key] = value
        merged.ca.comment = existing.ca.comment
    else:
        merged["adopted"] = False
    yaml = YAML()
    yaml.width = 120
    yaml.indent(mapping=2, sequence=4, offset=2)
    out = StringIO()
    yaml.dump(merged, out)
    return out.getvalue()


def main() -> int:
    data = ROOT / "data" / "regions"
    with (data / "wellbeing_areas.csv").open(encoding="utf-8") as handle:
        areas = list(csv.DictReader(handle))
    with (data / "municipalities.csv").open(encoding="utf-8") as handle:
        municipalities = list(csv.DictReader(handle))
    out_dir = ROOT / "regions"
    out_dir.mkdir(exist_ok=True)
    yaml = YAML()
    for area in areas:
        members = [m for m in municipalities if m["area_code"] == area["code"]]
        path = out_dir / f"{SLUGS[area['code']]}.yml"
        existing = yaml.load(path.read_text(encoding="utf-8")) if path.exists() else None
        text = render(existing, generated_keys(area, members))
        if existing is None:
            text = (
                "# Generated keys (code, name, short_name, languages, municipalities) are "
                "rewritten by\n# scripts/generate_regions.py; the county's own settings below "
                "them are kept.\n" + text
            )
        path.write_text(text, encoding="utf-8")
    print(f"wrote {len(areas)} region files to {out_dir.relative_to(ROOT)}/", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
