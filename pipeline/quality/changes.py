"""The change report of a county: what changed on its site since the last published run.

Input, per county: what this run published (:func:`site_state`: the PTV services and the
activities and events the site shows, read from the build's datasets and the county's
``ptv.json`` and ``events.json``, the quality findings, and the pages' hashes from the site's
``manifest.json``), the state the last published run recorded (``state.json`` beside the
report), the snapshots the stores refused (``<id>.refused/REFUSED.txt``) and the wording of
``reports/changes.yml`` in the theme (which fields are compared, in Finnish).
Output: ``build/reports/<slug>/changes.json`` and ``changes.html`` (Finnish, for county staff):
services and events added, removed and changed (and which fields), the articles whose service
or event lists changed, the pages changed, the refused snapshots and why, and the PTV quality
findings, new ones and recently edited services first. The nightly job writes the new
``state.json`` only once the run is published (and deployed, when asked), so a failed night is
compared again the next night.

Comparison is by content, not by PTV's modification time: a service counts as changed when a
field the sites show differs (each field is hashed), whatever PTV's ``modified`` says.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import yaml
from jinja2 import Environment, FileSystemLoader, select_autoescape
from pydantic import BaseModel

from pipeline.sources.events.model import Event
from pipeline.sources.events.snapshot import EventsDataset
from pipeline.sources.ptv.model import Channel, Service, pick
from pipeline.sources.ptv.snapshot import Dataset

FORMAT = 1
STATE = "state.json"
WORDING = "changes.yml"


class ChangesError(Exception):
    """The change report cannot be made; the message names the file and the reason."""


# --- what is compared ---------------------------------------------------------------------


@dataclass(frozen=True)
class Wording:
    """``reports/changes.yml``: the compared fields under their Finnish names."""

    services: Mapping[str, tuple[str, ...]]
    channel_label: str
    events: Mapping[str, tuple[str, ...]]
    dates_label: str

    @classmethod
    def load(cls, path: Path) -> Wording:
        """Read and check the file: every model field is compared or ignored (fail closed)."""
        try:
            data = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
            wording = cls(
                {k: tuple(v) for k, v in data["services"]["compared"].items()},
                str(data["channels"]["label"]),
                {k: tuple(v) for k, v in data["events"]["compared"].items()},
                str(data["events"]["dates"]),
            )
            ignored = {
                kind: set(data[kind]["ignored"]) for kind in ("services", "channels", "events")
            }
        except (OSError, yaml.YAMLError, KeyError, TypeError, AttributeError) as exc:
            raise ChangesError(f"{path}: cannot be read ({exc!r})") from None
        channel_fields = _dataclass_fields(Channel)
        problems = [
            *uncovered(
                "service", _dataclass_fields(Service), wording.services, ignored["services"]
            ),
            # A channel is compared whole: only the fields it ignores need to exist.
            *uncovered("channel", channel_fields, {"": channel_fields}, ignored["channels"]),
            *uncovered("event", list(Event.model_fields), wording.events, ignored["events"]),
        ]
        if problems:
            raise ChangesError(f"{path}: " + "; ".join(problems))
        return wording


def _dataclass_fields(kind: type) -> list[str]:
    return [f.name for f in dataclasses.fields(kind)]


def uncovered(
    kind: str, fields: Iterable[str], compared: Mapping[str, Iterable[str]], ignored: set[str]
) -> list[str]:
    """Why the wording does not fit the model (pure): fields neither compared nor ignored,
    and named fields the model does not have."""
    named = {f for group in compared.values() for f in group}
    fields = list(fields)
    problems = [
        f"the {kind} field '{f}' is neither compared nor ignored; add it to one of them"
        for f in fields
        if f not in named and f not in ignored
    ]
    problems += [
        f"the {kind} has no field '{f}'; remove it" for f in sorted((named | ignored) - set(fields))
    ]
    return problems


def canonical(value: Any) -> Any:
    """A value as plain JSON, the same whatever the order of sets and mappings (pure)."""
    if isinstance(value, BaseModel):
        return canonical(value.model_dump(mode="json"))
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: canonical(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Mapping):
        return {str(k): canonical(v) for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))}
    if isinstance(value, (set, frozenset)):
        return sorted((canonical(v) for v in value), key=lambda v: json.dumps(v, sort_keys=True))
    if isinstance(value, (list, tuple)):
        return [canonical(v) for v in value]
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    return value


def digest(value: Any) -> str:
    text = json.dumps(canonical(value), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _fields_digests(item: Any, groups: Mapping[str, tuple[str, ...]]) -> dict[str, str]:
    return {label: digest([getattr(item, f) for f in attrs]) for label, attrs in groups.items()}


# --- the state a published run records ----------------------------------------------------


def service_name(service: Service) -> str:
    found = pick(service.names, "fi")
    return found.value if found else service.id


def _channel_entry(ident: str, dataset: Dataset, wording: Wording) -> dict[str, str]:
    channel = dataset.channels.get(ident)
    if channel is None:
        return {"name": ident, "digest": "missing"}
    label = pick(channel.names, "fi")
    content = {f.name: getattr(channel, f.name) for f in dataclasses.fields(channel)}
    for ignored in ("id", "modified", "issues"):
        content.pop(ignored, None)
    return {
        "name": wording.channel_label.format(name=label.value if label else ident),
        "digest": digest(content),
    }


def service_entry(service: Service, dataset: Dataset, wording: Wording) -> dict[str, Any]:
    """What the state records of one service: its name, modification time and field hashes."""
    return {
        "name": service_name(service),
        "modified": service.modified.isoformat() if service.modified else None,
        "fields": _fields_digests(service, wording.services),
        "channels": {c: _channel_entry(c, dataset, wording) for c in service.channels},
    }


def event_entry(event: Event, wording: Wording) -> dict[str, Any]:
    """What the state records of one activity or event: name, dates and field hashes."""
    return {
        "name": event.name("fi")[0],
        "source": event.source,
        "start": event.start.isoformat() if event.start else None,
        "end": event.end.isoformat() if event.end else None,
        "dates": [o.start.isoformat() for o in event.occurrences],
        "fields": _fields_digests(event, wording.events),
    }


def _shown_services(ptv_report: Mapping[str, Any]) -> list[str]:
    """The services of the county report: those on an article, the county's others and
    those with a page of their own."""
    ids = [row["id"] for article in ptv_report["articles"] for row in article["services"]]
    ids += [row["id"] for row in ptv_report["unmatched"]]
    ids += list(ptv_report.get("service_pages", {}))
    return sorted(set(ids))


def site_state(
    slug: str,
    run: datetime,
    ptv_report: Mapping[str, Any],
    events_report: Mapping[str, Any] | None,
    services: Dataset,
    events: EventsDataset | None,
    manifest: Mapping[str, Any] | None,
    wording: Wording,
) -> dict[str, Any]:
    """What one county's site showed when this run published it (pure)."""
    shown = [services.services[i] for i in _shown_services(ptv_report) if i in services.services]
    modified = {s.id: s.modified.isoformat() if s.modified else None for s in shown}
    articles: dict[str, dict[str, Any]] = {
        a["id"]: {"title": a["title"], "services": [r["id"] for r in a["services"]], "events": []}
        for a in ptv_report["articles"]
    }
    for a in (events_report or {}).get("articles", []):
        articles.setdefault(a["id"], {"title": a["title"], "services": [], "events": []})
        articles[a["id"]]["events"] = [item["id"] for item in a["items"]]
    files = (manifest or {}).get("files", {})
    return {
        "format": FORMAT,
        "area": slug,
        "name": ptv_report["name"],
        "run": run.isoformat(timespec="seconds"),
        "snapshots": {
            "ptv": {"id": services.snapshot, "fetched_at": _iso(services.fetched_at)},
            "events": {
                "id": events.snapshot if events else None,
                "fetched_at": _iso(events.fetched_at) if events else None,
            },
        },
        "services": {s.id: service_entry(s, services, wording) for s in shown},
        "events": {
            e.id: event_entry(e, wording) for e in (events.items.values() if events else [])
        },
        "events_window": {
            "today": events.today.isoformat() if events else None,
            "horizon": events.horizon.isoformat() if events else None,
        },
        "articles": articles,
        "findings": [
            dict(f, modified=modified.get(f["service"])) for f in ptv_report.get("findings", [])
        ],
        "pages": {
            path: entry["sha256"] for path, entry in sorted(files.items()) if path.endswith(".html")
        },
    }


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat(timespec="seconds") if moment else None


def read_state(path: Path) -> dict[str, Any] | None:
    """The state the last published run wrote; None before the first one."""
    if not path.exists():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ChangesError(f"{path}: cannot be read ({exc})") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ChangesError(f"{path}: not a state file of format {FORMAT}")
    return data


def write_state(path: Path, state: Mapping[str, Any]) -> None:
    """Write the state in one step (a killed run leaves the old one whole)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}")
    temporary.write_text(json.dumps(state, ensure_ascii=False, indent=1) + "\n", "utf-8")
    os.replace(temporary, path)


# --- refused snapshots --------------------------------------------------------------------


def refused_snapshots(root: Path, source: str) -> list[dict[str, Any]]:
    """The snapshots a store refused and kept for inspection, with the reasons, newest first.

    A kept folder whose reasons cannot be read is listed as such, not skipped."""
    found = []
    for folder in sorted(root.glob("*.refused")) if root.is_dir() else []:
        ident = folder.name.removesuffix(".refused")
        try:
            reasons = (folder / "REFUSED.txt").read_text(encoding="utf-8").splitlines()
        except OSError as exc:
            reasons = [f"the reasons cannot be read ({exc.strerror or exc})"]
        found.append(
            {
                "source": source,
                "id": ident,
                "time": _refused_time(folder, ident),
                "reasons": [r for r in reasons if r.strip()],
            }
        )
    return sorted(found, key=lambda r: r["time"], reverse=True)


def _refused_time(folder: Path, ident: str) -> str:
    """When the refused fetch ended (its manifest), else the time in its id."""
    try:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        return datetime.fromisoformat(str(manifest["finished"]).replace("Z", "+00:00")).isoformat()
    except (OSError, ValueError, KeyError, TypeError):
        pass
    try:
        return datetime.strptime(ident[:16] + "+0000", "%Y%m%dT%H%M%SZ%z").isoformat()
    except ValueError:
        return ident


# --- the comparison -----------------------------------------------------------------------


def _named(ids: Iterable[str], entries: Mapping[str, Any]) -> list[dict[str, Any]]:
    rows = [{"id": i, "name": entries[i]["name"]} for i in ids]
    return sorted(rows, key=lambda r: (r["name"].casefold(), r["id"]))


def changed_service_fields(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[str]:
    """The Finnish names of what differs between two records of a service (pure)."""
    fields = [k for k, v in new["fields"].items() if old["fields"].get(k) != v]
    old_channels, new_channels = old.get("channels", {}), new.get("channels", {})
    fields += [
        entry["name"]
        for ident, entry in new_channels.items()
        if ident in old_channels and old_channels[ident]["digest"] != entry["digest"]
    ]
    return fields


def _window(dates: Iterable[str], first: str | None, last: str | None) -> list[str]:
    """The dates both runs show: from the later run's first day to the earlier one's horizon."""
    return [d for d in dates if (first is None or d[:10] >= first) and (last is None or d <= last)]


def changed_event_fields(
    old: Mapping[str, Any], new: Mapping[str, Any], first: str | None, last: str | None, label: str
) -> list[str]:
    """The Finnish names of what differs between two records of an item (pure); dates count
    only within the days both runs show."""
    fields = [k for k, v in new["fields"].items() if old["fields"].get(k) != v]
    if _window(old["dates"], first, last) != _window(new["dates"], first, last):
        fields.append(label)
    return fields


def _services_changes(old: Mapping[str, Any], new: Mapping[str, Any]) -> dict[str, Any]:
    before, after = old["services"], new["services"]
    changed = []
    for ident in sorted(set(before) & set(after)):
        fields = changed_service_fields(before[ident], after[ident])
        if fields:
            changed.append({"id": ident, "name": after[ident]["name"], "fields": fields})
    return {
        "added": _named(set(after) - set(before), after),
        "removed": _named(set(before) - set(after), before),
        "changed": sorted(changed, key=lambda r: r["name"].casefold()),
    }


def _events_changes(
    old: Mapping[str, Any], new: Mapping[str, Any], wording: Wording
) -> dict[str, Any]:
    before, after = old["events"], new["events"]
    first = new["events_window"]["today"]
    last = old["events_window"]["horizon"]
    changed = []
    for ident in sorted(set(before) & set(after)):
        fields = changed_event_fields(before[ident], after[ident], first, last, wording.dates_label)
        if fields:
            changed.append({"id": ident, "name": after[ident]["name"], "fields": fields})
    removed = _named(set(before) - set(after), before)
    for row in removed:
        end = before[row["id"]]["end"] or before[row["id"]]["start"]
        # An event whose last date has passed is over, not removed by its organiser.
        row["ended"] = bool(end and first and end[:10] < first)
    return {
        "added": [
            dict(row, start=after[row["id"]]["start"])
            for row in _named(set(after) - set(before), after)
        ],
        "removed": removed,
        "changed": sorted(changed, key=lambda r: r["name"].casefold()),
    }


def _articles_changes(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[dict[str, Any]]:
    rows = []
    names = {**old["services"], **new["services"]}
    event_names = {**old["events"], **new["events"]}
    for ident, article in sorted(new["articles"].items(), key=lambda kv: kv[1]["title"]):
        previous = old["articles"].get(ident, {"services": [], "events": []})
        row = {
            "id": ident,
            "title": article["title"],
            "services_added": _labelled(
                set(article["services"]) - set(previous["services"]), names
            ),
            "services_removed": _labelled(
                set(previous["services"]) - set(article["services"]), names
            ),
            "events_added": _labelled(
                set(article["events"]) - set(previous["events"]), event_names
            ),
            "events_removed": _labelled(
                set(previous["events"]) - set(article["events"]), event_names
            ),
        }
        if any(row[k] for k in row if k not in ("id", "title")):
            rows.append(row)
    return rows


def _labelled(ids: Iterable[str], names: Mapping[str, Any]) -> list[dict[str, str]]:
    rows = [{"id": i, "name": names[i]["name"] if i in names else i} for i in ids]
    return sorted(rows, key=lambda r: r["name"].casefold())


def _pages_changes(old: Mapping[str, str], new: Mapping[str, str]) -> dict[str, list[str]]:
    return {
        "added": sorted(set(new) - set(old)),
        "removed": sorted(set(old) - set(new)),
        "changed": sorted(p for p in set(old) & set(new) if old[p] != new[p]),
    }


def finding_key(finding: Mapping[str, Any]) -> str:
    return "|".join(str(finding.get(k) or "") for k in ("service", "kind", "channel", "field"))


def ordered_findings(
    findings: Iterable[Mapping[str, Any]], previous: Iterable[Mapping[str, Any]] | None
) -> list[dict[str, Any]]:
    """The quality findings, newest first: those new since the last published run, then by
    the service's last edit in PTV, most recent first (pure)."""
    known = {finding_key(f) for f in previous} if previous is not None else None
    rows = [dict(f, new=known is not None and finding_key(f) not in known) for f in findings]
    rows.sort(key=lambda f: f.get("modified") or "", reverse=True)
    rows.sort(key=lambda f: not f["new"])
    return rows


def compare(
    old: Mapping[str, Any] | None,
    new: Mapping[str, Any],
    refused: Iterable[Mapping[str, Any]],
    wording: Wording,
    note: str | None = None,
) -> dict[str, Any]:
    """The change report of one county as JSON-ready data (pure). Without ``old`` (the first
    run, or a state that could not be read: ``note`` says why) nothing is listed as changed."""
    since = old["run"] if old else None
    report: dict[str, Any] = {
        "area": new["area"],
        "name": new["name"],
        "run": new["run"],
        "previous_run": since,
        "note": note,
        "snapshots": new["snapshots"],
        "previous_snapshots": old["snapshots"] if old else None,
        "refused": [dict(r, new=since is None or r["time"] > since) for r in refused],
        "findings": ordered_findings(new["findings"], old["findings"] if old else None),
    }
    if old is None:
        empty: dict[str, list[Any]] = {"added": [], "removed": [], "changed": []}
        report |= {"services": empty, "events": empty, "articles": [], "pages": empty}
        report["nothing_changed"] = None
        return report
    report |= {
        "services": _services_changes(old, new),
        "events": _events_changes(old, new, wording),
        "articles": _articles_changes(old, new),
        "pages": _pages_changes(old["pages"], new["pages"]),
    }
    report["nothing_changed"] = (
        not any(report[part][k] for part in ("services", "events", "pages") for k in report[part])
        and not report["articles"]
    )
    return report


def pages_changed(report: Mapping[str, Any]) -> int:
    return sum(len(v) for v in report["pages"].values())


# --- writing ------------------------------------------------------------------------------


def write_change_report(report: Mapping[str, Any], folder: Path, theme_dir: Path) -> Path:
    """Write ``changes.json`` and ``changes.html`` into the county's report folder."""
    env = Environment(
        loader=FileSystemLoader(str(theme_dir / "reports")), autoescape=select_autoescape(["html"])
    )
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "changes.json").write_text(
        json.dumps(report, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    html = env.get_template("changes.html").render(data=report, when=_finnish_time)
    (folder / "changes.html").write_text(html, encoding="utf-8")
    return folder / "changes.html"


def _finnish_time(text: str | None) -> str:
    """An ISO time as county staff read it: 7.12.2026 klo 2.05 (Finnish time)."""
    if not text:
        return "ei tiedossa"
    from zoneinfo import ZoneInfo

    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return text
    if moment.tzinfo is not None:
        moment = moment.astimezone(ZoneInfo("Europe/Helsinki"))
    return f"{moment.day}.{moment.month}.{moment.year} klo {moment.hour}.{moment.minute:02d}"
