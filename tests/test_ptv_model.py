"""Reading v11 objects as they really arrive, and the ``ptv inspect`` command."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.cli import main
from pipeline.problems import Problems
from pipeline.sources.ptv.normalise import read_item, wgs84
from tests import ptv_objects as o


def read(raw: dict, kind: str = "service"):  # type: ignore[no-untyped-def]
    problems = Problems()
    item = read_item(raw, kind, problems)
    assert item is not None, problems
    return item


def test_nulls_inside_localised_lists_are_missing_texts() -> None:
    raw = o.service("a", fi="Neuvola")
    raw["serviceNames"].append({"value": None, "language": "sv", "type": "Name"})
    raw["serviceDescriptions"].append({"value": None, "language": "fi", "type": "ValidityTime"})
    raw["serviceChannels"] = None
    service = read(raw)
    assert service.names == {"fi": "Neuvola"}
    assert service.languages == ("fi",)
    assert service.channels == ()


def test_legacy_urn_classes_are_read_by_code_or_new_uri() -> None:
    raw = o.service("a", fi="Neuvola")
    raw["serviceClasses"] = [
        {
            "name": [],
            "code": None,
            "uri": "http://urn.fi/URN:NBN:fi:au:ptvl:v1098",
            "newUri": "http://uri.suomi.fi/codelist/ptv/ptvserclass2/code/P5.2",
        },
        {"name": [], "code": "P3.2 ", "uri": "http://urn.fi/URN:NBN:fi:au:ptvl:v1001"},
    ]
    assert read(raw).service_classes == ("P5.2", "P3.2")


def test_codes_lose_no_leading_zeros_and_times_are_utc() -> None:
    raw = o.service(
        "a",
        fi="Neuvola",
        areas=[o.municipality_area("91", "5")],
        modified="2020-04-22T09:45:14.154795",
    )
    service = read(raw)
    assert service.municipalities == {"091", "005"}
    assert service.modified is not None and service.modified.utcoffset().total_seconds() == 0
    assert service.modified.hour == 9


def test_epsg3067_coordinates_become_wgs84() -> None:
    # Kajaani market square is at about 64.2245 N, 27.7335 E.
    lat, lon = wgs84("7124300", "535600") or (0, 0)
    assert 64.2 < lat < 64.26 and 27.70 < lon < 27.76
    assert wgs84("64.22", "27.73") is None  # degrees in the wrong fields are not Finland in 3067
    channel = read(o.location("c", fi="Neuvola", northing="7124300", easting="535600"), "channel")
    assert channel.addresses[0].lat == pytest.approx(lat)


@pytest.mark.parametrize(
    "kind", ["ServiceLocation", "EChannel", "WebPage", "Phone", "PrintableForm"]
)
def test_every_channel_type_is_read(kind: str) -> None:
    raw = o.location("c", fi="Kanava") | {"serviceChannelType": kind}
    if kind == "PrintableForm":
        raw["channelUrls"] = [
            {"language": "fi", "value": "https://example.fi/lomake.pdf", "type": "PDF"}
        ]
    channel = read(raw, "channel")
    assert channel.type == kind


def test_phone_numbers_are_shown_nationally_and_dialled_internationally() -> None:
    channel = read(o.location("c", fi="Neuvola", phone="44 123 4567"), "channel")
    assert channel.phones[0].number == "044 123 4567"
    assert channel.phones[0].tel == "+358441234567"


def test_malformed_links_are_kept_as_invalid() -> None:
    channel = read(o.location("c", fi="Neuvola", web="www.example.fi/neuvola"), "channel")
    assert channel.links[0].valid is False
    channel = read(o.location("c", fi="Neuvola", web="javascript:alert(1)"), "channel")
    assert channel.links[0].valid is False


def test_inspect_prints_one_json_line_per_item(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page = {
        "pageNumber": 1,
        "pageSize": 100,
        "pageCount": 1,
        "itemList": [
            o.service("a", fi="Neuvola", classes=("P5.2",), areas=[o.municipality_area("205")])
        ],
    }
    (tmp_path / "page.json").write_text(json.dumps(page))
    assert main(["ptv", "inspect", str(tmp_path / "page.json")]) == 0
    line = json.loads(capsys.readouterr().out.strip())
    assert line["kind"] == "service" and line["service_classes"] == ["P5.2"]
    assert line["municipalities"] == ["205"] and line["area_type"] == "LimitedType"

    (tmp_path / "list.json").write_text(json.dumps([o.location("c", fi="Paikka")]))
    assert main(["ptv", "inspect", str(tmp_path / "list.json")]) == 0
    channel = json.loads(capsys.readouterr().out.strip())
    assert channel["type"] == "ServiceLocation"
    assert (
        channel["addresses"][0]["postal_code"] == "87100"
        and 64 < channel["addresses"][0]["lat"] < 65
    )
    assert channel["hours"][0]["days"][0] == {
        "from": "Monday",
        "to": "Friday",
        "opens": "08:00",
        "closes": "15:30",
    }


def test_inspect_rejects_bad_input_without_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "bad.json").write_text("{not json")
    assert main(["ptv", "inspect", str(tmp_path / "bad.json")]) == 1
    (tmp_path / "odd.json").write_text(
        json.dumps([{"hello": 1}, o.service("a", fi="X") | {"id": "nope"}])
    )
    assert main(["ptv", "inspect", str(tmp_path / "odd.json")]) == 1
    err = capsys.readouterr().err
    assert "not valid JSON" in err and "not a v11" in err and "nope" in err
    assert main(["ptv", "inspect", str(tmp_path / "missing.json")]) == 1


def test_references_and_odd_nulls_are_tolerated() -> None:
    raw = o.service("a", fi="Neuvola", channels=("c",), organization="org")
    raw["serviceChannels"][0]["serviceChannel"]["id"] = o.guid("c").upper()
    raw["serviceChannels"].append({"serviceChannel": None})
    raw["organizations"][0]["organization"]["id"] = o.guid("org").upper()
    raw["areas"] = [{"type": None, "code": None, "name": None, "municipalities": None}]
    service = read(raw)
    assert service.channels == (o.guid("c"),) and service.organisations == (o.guid("org"),)
    channel = o.location("c", fi="Paikka")
    channel["phoneNumbers"].append({"number": None, "isFinnishServiceNumber": None})
    channel["serviceHours"][0]["isClosed"] = None
    assert len(read(channel, "channel").phones) == 1
