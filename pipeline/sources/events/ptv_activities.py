"""Long-term activities from PTV: family cafés, meeting places, NGO and parish services.

Input: a PTV dataset (:class:`~pipeline.sources.ptv.snapshot.Dataset`: the current PTV
snapshot, or PTV v11 objects stored in the events snapshot, as the sample does), the rules of
``data/events/ptv-activities.yml`` (which services are activities) and the build date. Output:
:class:`~.model.Event` items of kind ``long-term`` (``ptv:<service id>``), with their
provenance.

Lähellä.fi copies the long-term "Tukea ja apua" and "Harrastukset ja vapaa-aika" activities of
organisations with a business ID into PTV, so this is where most NGO activities arrive. A
service is an activity when it is offered in a limited area and has an activity service class
(peer and voluntary activities, NGO activities) or an activity word in its name. Its first
service location gives the place (address, position, accessibility of the entrance); its
organisation gives the organiser and business ID.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

import yaml

from pipeline.cache import BuildCache
from pipeline.problems import Problems
from pipeline.sources.events.model import Event, Issue, Unusable, build_event
from pipeline.sources.events.provenance import Origin, mark_sample
from pipeline.sources.ptv import model as ptv
from pipeline.sources.ptv.normalise import read_item
from pipeline.sources.ptv.snapshot import Dataset, load_current
from pipeline.sources.store import SnapshotError

LANGS = ("fi", "sv", "en")


@dataclass(frozen=True)
class Rules:
    service_classes: tuple[str, ...]
    name_words: dict[str, tuple[str, ...]]

    def is_activity(self, service: ptv.Service) -> bool:
        if service.scope != "limited":
            return False
        for code in service.service_classes:
            if any(code == c or code.startswith(c + ".") for c in self.service_classes):
                return True
        for lang, name in service.names.items():
            pattern = self.name_patterns.get(lang)
            if pattern is not None and pattern.search(name.casefold()):
                return True
        return False

    @cached_property
    def name_patterns(self) -> dict[str, re.Pattern[str]]:
        """Per language, one pattern of every word at the start of a word (every service of
        the national snapshot is tried against every county's rules)."""
        return {
            lang: re.compile(r"(?<!\w)(?:" + "|".join(re.escape(w.casefold()) for w in words) + ")")
            for lang, words in self.name_words.items()
            if words
        }


@lru_cache(maxsize=4)
def load_rules(root: Path) -> Rules:
    path = root / "data" / "events" / "ptv-activities.yml"
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    return Rules(
        tuple(str(c) for c in data["service_classes"]),
        {lang: tuple(str(w) for w in words) for lang, words in data["name_words"].items()},
    )


def _street(address: ptv.Address) -> dict[str, str]:
    number = f" {address.number}" if address.number else ""
    return {lang: f"{street}{number}" for lang, street in address.street.items()}


def _accessibility(address: ptv.Address) -> dict[str, str]:
    """The entrances' accessibility sentences joined per language."""
    texts: dict[str, list[str]] = {}
    for entrance in address.entrances:
        for group in entrance.accessibility:
            for sentence in group.sentences:
                for lang, text in sentence.items():
                    texts.setdefault(lang, []).append(text.rstrip(".") + ".")
    return {lang: " ".join(parts) for lang, parts in texts.items()}


def _place(channel: ptv.Channel) -> tuple[dict[str, Any], str | None]:
    visiting = [a for a in channel.addresses if a.kind == "visiting"]
    if not visiting:
        return {"names": channel.names}, None
    address = visiting[0]
    place: dict[str, Any] = {
        "id": f"ptv-channel:{channel.id}",
        "names": channel.names,
        "street": _street(address),
        "postal_code": address.postal_code,
        "locality": address.post_office,
        "municipality": address.municipality,
        "accessibility": _accessibility(address),
        "info": address.info,
    }
    if address.lat is not None and address.lon is not None:
        place["position"] = {"lat": address.lat, "lon": address.lon}
    return place, address.municipality


def _contacts(channels: Iterable[ptv.Channel]) -> list[dict[str, Any]]:
    contacts: list[dict[str, Any]] = []
    for channel in channels:
        for phone in channel.phones[:2]:
            contacts.append({"phone": phone.number, "name": phone.info})
        for email in channel.emails[:1]:
            if email.valid:
                contacts.append({"email": email.address})
    return contacts[:4]


def _url(service: ptv.Service, channels: Iterable[ptv.Channel], data: Dataset) -> str | None:
    for channel in channels:
        for link in channel.links:
            if link.valid:
                return link.url
    for ident in service.organisations[:1]:
        organisation = data.organisations.get(ident)
        for link in organisation.links if organisation else ():
            if link.valid:
                return link.url
    return None


def fields_of(service: ptv.Service, data: Dataset) -> dict[str, Any]:
    """The event fields of one PTV activity service."""
    channels = [data.channels[c] for c in service.channels if c in data.channels]
    locations = [c for c in channels if c.type == "ServiceLocation"]
    fields: dict[str, Any] = {
        "kind": "long-term",
        "names": service.names,
        "summaries": service.summaries,
        "descriptions": service.descriptions,
        "keywords": [{"uri": uri} for uri in service.ontology_terms],
        "in_languages": list(service.served_languages),
        "modified": service.modified,
        "url": _url(service, channels, data),
        "contacts": _contacts(channels),
    }
    municipalities = sorted(service.municipalities)
    if locations:
        place, municipality = _place(locations[0])
        fields["place"] = place
        if municipality:
            municipalities = [municipality, *(m for m in municipalities if m != municipality)]
    fields["municipalities"] = municipalities
    if any(c.type in ("EChannel", "WebPage") for c in channels) and not locations:
        fields["mode"] = "online"
    if service.charge == "Free":
        fields["price"] = {"free": True}
    elif service.charge == "Charged":
        fields["price"] = {"free": False}
    organisation = (
        data.organisations.get(service.organisations[0]) if service.organisations else None
    )
    if organisation is not None:
        fields["organiser"] = {
            "names": organisation.names,
            "business_id": organisation.business_code,
        }
    return fields


def read_activities(
    data: Dataset, rules: Rules, problems: Problems, fetched: datetime | None, sample: bool
) -> Iterator[Event]:
    """Every activity of a PTV dataset as an event, each bad value reported."""
    for service in data.services.values():
        if not rules.is_activity(service):
            continue
        origin = data.origins.get(service.id)
        fields = {
            **fields_of(service, data),
            "id": f"ptv:{service.id}",
            "source": "ptv",
            "source_id": service.id,
            "fetched_at": origin.fetched_at if origin else fetched,
            "sample": origin.sample if origin else sample,
        }
        where = f"PTV activity {service.id}"
        try:
            event = build_event(fields, [])
        except Unusable as exc:
            problems.warning(where, None, f"skipped: {exc}")
            continue
        for issue in event.issues:
            problems.warning(where, None, str(issue))
        yield mark_sample(event)


def bundled(raw: Any, county: str, problems: Problems) -> Dataset:
    """A PTV dataset of the v11 objects the events snapshot holds for ``county``."""
    data = Dataset()
    for answer in raw.answers:
        if answer.entry.get("kind") != "ptv" or answer.county != county:
            continue
        body = answer.body if isinstance(answer.body, dict) else {}
        for key, kind in (
            ("services", "service"),
            ("channels", "channel"),
            ("organizations", "organization"),
        ):
            for item in body.get(key) or []:
                read = read_item(item, kind, problems)
                if read is not None:
                    data.store(kind)[read.id] = read
                    data.origins[read.id] = _origin(answer)
    return data


def _origin(answer: Any) -> Any:
    from pipeline.sources.ptv.snapshot import Origin

    return Origin(answer.fetched_at, answer.sample)


def activities(
    root: Path,
    ptv_data: Dataset | None,
    problems: Problems,
    as_of: datetime,
    events_raw: Any,
    county: str,
) -> tuple[dict[str, Event], dict[str, Any]]:
    """The PTV activities of the current PTV snapshot and of the events snapshot (sample)."""
    del as_of  # long-term activities have no dates to drop
    rules = load_rules(root)
    datasets: list[tuple[Dataset, str | None]] = []
    if ptv_data is None:
        ptv_data = current_ptv(root, problems)
    if ptv_data is not None:
        datasets.append((ptv_data, ptv_data.snapshot))
    if events_raw is not None:
        datasets.append((bundled(events_raw, county, problems), events_raw.snapshot.id))
    items: dict[str, Event] = {}
    origins: dict[str, Origin] = {}
    for data, snapshot in datasets:
        for event in read_activities(data, rules, problems, data.fetched_at, False):
            items[event.id] = event
            when = event.fetched_at or data.fetched_at
            if when is not None:
                origins[event.id] = Origin("ptv", "ptv", when, event.sample, snapshot)
    return items, origins


@lru_cache(maxsize=2)
def _cached_ptv(root: Path, folder: Path, ident: str) -> Dataset | None:
    return load_current(folder, BuildCache(root))


def current_ptv(root: Path, problems: Problems) -> Dataset | None:
    """The current PTV dataset of the project at ``root`` (read once per process, through the
    build cache), or None with a warning."""
    from pipeline.content.config import load_config

    folder = root / load_config(root, Problems()).extra.ptv.snapshots
    try:
        ident = (folder / "CURRENT").read_text(encoding="utf-8").strip()
        return _cached_ptv(root, folder.resolve(), ident)
    except (OSError, SnapshotError) as exc:
        problems.warning(str(folder), None, f"PTV activities: no PTV snapshot can be read ({exc})")
        return None


__all__ = ["Issue", "activities", "current_ptv", "fields_of", "load_rules", "read_activities"]
