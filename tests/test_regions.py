"""County files: generated from the national classification, and validated with line numbers."""

from __future__ import annotations

import csv
import importlib.util
from pathlib import Path

from ruamel.yaml import YAML

from pipeline.content.load import load_project
from tests.helpers import AREA_FI, REPO, make_project, problems_of


def test_every_area_has_a_region_file_matching_the_classification() -> None:
    with (REPO / "data/regions/wellbeing_areas.csv").open(encoding="utf-8") as handle:
        areas = {row["code"]: row for row in csv.DictReader(handle)}
    with (REPO / "data/regions/municipalities.csv").open(encoding="utf-8") as handle:
        municipalities = list(csv.DictReader(handle))
    project = load_project(REPO)
    assert len(project.areas) == 22
    by_code = {area.region.code: area.region for area in project.areas.values()}
    assert set(by_code) == set(areas)
    for code, region in by_code.items():
        assert region.name.fi == areas[code]["name_fi"]
        assert region.name.sv == areas[code]["name_sv"]
        members = {m["code"] for m in municipalities if m["area_code"] == code}
        assert {m.code for m in region.municipalities} == members
        assert region.bilingual == (areas[code]["languages"] == "fi+sv")


def test_generator_keeps_county_settings() -> None:
    spec = importlib.util.spec_from_file_location("gen", REPO / "scripts/generate_regions.py")
    assert spec and spec.loader
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    path = REPO / "regions/kainuu.yml"
    text = path.read_text(encoding="utf-8")
    existing = YAML().load(text)
    with (REPO / "data/regions/wellbeing_areas.csv").open(encoding="utf-8") as handle:
        area = next(row for row in csv.DictReader(handle) if row["code"] == "20")
    with (REPO / "data/regions/municipalities.csv").open(encoding="utf-8") as handle:
        members = [m for m in csv.DictReader(handle) if m["area_code"] == "20"]
    regenerated = gen.render(existing, gen.generated_keys(area, members))
    assert YAML().load(regenerated) == existing
    assert "help" in existing and "logo_text" in existing


def test_bad_region_values_point_at_lines(tmp_path: Path) -> None:
    text = (
        AREA_FI.replace('"08 1111 2222"', '"08-1111"').replace('closes: "15:00"', 'closes: "07:00"')
        + "colour: red\n"
    )
    root = make_project(tmp_path, {"regions/kainuu.yml": text})
    assert problems_of(root) == [
        "regions/kainuu.yml:12: help.phones[1].number: '08-1111' is not valid here; write a "
        "phone number of digits and spaces, e.g. '08 6156 3150'",
        "regions/kainuu.yml:14: help.phones[1].hours[1]: closes must be later than opens",
        "regions/kainuu.yml:15: unknown field 'colour'.",
    ]


def test_unknown_national_number_to_hide(tmp_path: Path) -> None:
    text = AREA_FI + "  hide_national: [medical-helpine]\n"
    root = make_project(tmp_path, {"regions/kainuu.yml": text})
    assert problems_of(root) == [
        "regions/kainuu.yml:15: help.hide_national: no national help number has the id "
        "'medical-helpine'. Did you mean 'medical-helpline'?"
    ]


def test_pages_of_unknown_area(tmp_path: Path) -> None:
    root = make_project(tmp_path, {"regions/kainu/fi/sivu.md": "---\nid: a\ntitle: A\n---\n"})
    assert problems_of(root) == [
        "regions/kainu: pages for an unknown area: there is no regions/kainu.yml"
    ]
