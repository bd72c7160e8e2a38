"""``perhekeskus ptv inspect FILE.json``: what the pipeline reads from a raw v11 answer.

Input: one Service, ServiceChannel or Organization object, a paged envelope (``itemList``), or
a bare array as ``list?guids=`` returns. Output: one JSON line per normalised item (id, kind,
names, the fields matching and the pages use, and the issues: values that could not be used as
they came), and a message per issue and per item that cannot be read.
For PTV maintainers checking a description, and for debugging the matcher.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.problems import Problems
from pipeline.sources.ptv import model
from pipeline.sources.ptv.normalise import DAYS, read_item
from pipeline.sources.ptv.v11 import kind_of


class InspectError(Exception):
    """The file cannot be inspected at all (missing, not JSON, not a v11 answer)."""


@dataclass
class Inspection:
    lines: list[dict[str, Any]]
    problems: Problems


def _items(data: Any) -> list[Any]:
    if isinstance(data, list):
        return data
    if isinstance(data, dict) and "itemList" in data:
        return data.get("itemList") or []
    if isinstance(data, dict):
        return [data]
    raise InspectError("expected a v11 object, a page with itemList, or an array of objects")


def _clock(value: Any) -> str | None:
    return value.strftime("%H:%M") if value is not None else None


def _hours(hours: model.Hours) -> dict[str, Any]:
    return {
        "kind": hours.kind,
        "valid_from": hours.valid_from.isoformat() if hours.valid_from else None,
        "valid_to": hours.valid_to.isoformat() if hours.valid_to else None,
        "closed": hours.closed,
        "always_open": hours.always_open,
        "days": [
            {
                "from": DAYS[d.day_from],
                "to": DAYS[d.day_to] if d.day_to is not None else None,
                "opens": _clock(d.opens),
                "closes": _clock(d.closes),
            }
            for d in hours.days
        ],
    }


def describe(item: model.Service | model.Channel | model.Organisation) -> dict[str, Any]:
    """The inspection line of one normalised item."""
    if isinstance(item, model.Service):
        return {
            "id": item.id,
            "kind": "service",
            "names": item.names,
            "service_classes": list(item.service_classes),
            "target_groups": list(item.target_groups),
            "life_events": list(item.life_events),
            "area_type": item.area_type,
            "municipalities": sorted(item.municipalities),
            "counties": sorted(item.counties),
            "channels": list(item.channels),
            "issues": [str(issue) for issue in item.issues],
        }
    if isinstance(item, model.Channel):
        return {
            "id": item.id,
            "kind": "channel",
            "names": item.names,
            "type": item.type,
            "addresses": [
                {
                    "kind": a.kind,
                    "street": a.street,
                    "number": a.number,
                    "postal_code": a.postal_code,
                    "post_office": a.post_office,
                    "municipality": a.municipality,
                    "lat": a.lat,
                    "lon": a.lon,
                }
                for a in item.addresses
            ],
            "phones": [{"number": p.number, "tel": p.tel, "kind": p.kind} for p in item.phones],
            "emails": [{"address": e.address, "valid": e.valid} for e in item.emails],
            "hours": [_hours(h) for h in item.hours],
            "links": [{"url": link.url, "valid": link.valid} for link in item.links],
            "issues": [str(issue) for issue in item.issues],
        }
    return {
        "id": item.id,
        "kind": "organization",
        "names": item.names,
        "type": item.type,
        "business_code": item.business_code,
        "municipality": item.municipality,
        "issues": [str(issue) for issue in item.issues],
    }


def inspect_file(path: Path) -> Inspection:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InspectError(f"cannot read the file ({exc.strerror or exc})") from None
    except ValueError as exc:
        raise InspectError(f"not valid JSON ({exc})") from None
    problems = Problems()
    lines = []
    for index, raw in enumerate(_items(data)):
        kind = kind_of(raw) if isinstance(raw, dict) else None
        if kind is None:
            problems.error(
                f"{path.name} item {index + 1}",
                None,
                "not a v11 Service, ServiceChannel or Organization",
            )
            continue
        item = read_item(raw, kind, problems)
        if item is not None:
            lines.append(describe(item))
    return Inspection(lines, problems)
