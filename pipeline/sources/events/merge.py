"""One activity, once: records of the same activity from different sources are folded together.

Input: the county's items of every source. Output: the items with each duplicate folded into
the richest record of its group, and a :class:`Merge` per fold for the county report. Pure.

Two records are the same activity when they come from different sources (one source lists
different dates of one event as different items on purpose) and share

- the organiser: the same business ID (Y-tunnus), or, when either lacks one, the same organiser
  name;
- the name, normalised (case, punctuation, spaces and the words for a municipality's name left
  out: "Perhekahvila, Kajaani" and "perhekahvila" are one);
- the place: the same municipality, and the same street address or positions within
  :data:`NEAR_METRES`, when both give one.

The richer record (the one with more of the fields the pages show, :func:`richness`) wins; its
empty fields are filled from the others, and it lists their ids in ``merged``.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from pipeline.sources.events.model import Event

NEAR_METRES = 250.0
PRIORITY = {"linked-events": 0, "ics": 1, "lahella": 2, "ptv": 3}
"""On equal richness: a source with dates first, PTV last."""
NOT_A_WORD = re.compile(r"[^\w]+")
FILLABLE = (
    "summaries",
    "descriptions",
    "organiser",
    "keywords",
    "audience_min_age",
    "audience_max_age",
    "place",
    "online_url",
    "price",
    "registration",
    "contacts",
    "in_languages",
    "url",
)


@dataclass(frozen=True)
class Merge:
    """One record folded into another, and why (for the county report)."""

    kept: str
    """The id of the record shown."""
    dropped: str
    """The id of the record folded into it."""
    reason: str
    """In English, for the county's staff: "same organiser (business ID 0201256-6), name and
    place; the Linked Events record has more details"."""


def words(text: str) -> str:
    """A name as compared: lower case, no accents but å, ä and ö, no punctuation."""
    text = unicodedata.normalize("NFC", text).casefold()
    return " ".join(NOT_A_WORD.sub(" ", text).split())


def name_key(event: Event, drop: frozenset[str] = frozenset()) -> frozenset[str]:
    """The words of every name of the item, without the words in ``drop`` (municipality
    names: "Perhekahvila, Kajaani" is "perhekahvila")."""
    keys = set()
    for name in event.names.values():
        kept = [w for w in words(name).split() if w not in drop]
        keys.add(" ".join(kept))
    return frozenset(k for k in keys if k)


def organiser_key(event: Event) -> tuple[str, str] | None:
    organiser = event.organiser
    if organiser is None:
        return None
    if organiser.business_id:
        return ("id", organiser.business_id)
    names = sorted(words(n) for n in organiser.names.values() if n)
    return ("name", names[0]) if names else None


def _distance(a: Any, b: Any) -> float:
    """Metres between two WGS84 positions (equirectangular; fine within a town)."""
    lat = math.radians((a.lat + b.lat) / 2)
    dx = math.radians(b.lon - a.lon) * math.cos(lat)
    dy = math.radians(b.lat - a.lat)
    return 6_371_000 * math.hypot(dx, dy)


def same_place(a: Event, b: Event) -> bool:
    if a.municipalities and b.municipalities and a.municipalities[0] != b.municipalities[0]:
        return False
    pa, pb = a.place, b.place
    if pa is None or pb is None:
        return True
    if pa.position is not None and pb.position is not None:
        return _distance(pa.position, pb.position) <= NEAR_METRES
    streets_a = {words(s) for s in pa.street.values()}
    streets_b = {words(s) for s in pb.street.values()}
    if streets_a and streets_b:
        return bool(streets_a & streets_b)
    return True


def same_organiser(a: Event, b: Event) -> str | None:
    """How the organisers are the same (for the reason), or None."""
    ka, kb = organiser_key(a), organiser_key(b)
    if ka is None or kb is None:
        return None
    if ka[0] == "id" and kb[0] == "id":
        return f"business ID {ka[1]}" if ka == kb else None
    names_a = {words(n) for n in a.organiser.names.values()} if a.organiser else set()
    names_b = {words(n) for n in b.organiser.names.values()} if b.organiser else set()
    shared = names_a & names_b
    return f"name '{sorted(shared)[0]}'" if shared else None


def richness(event: Event) -> int:
    """How much of what the pages show the record has."""
    score = len(event.names) + len(event.summaries) + 2 * len(event.descriptions)
    score += 3 * bool(event.occurrences) + len(event.keywords)
    if event.place is not None:
        score += 1 + bool(event.place.street) + bool(event.place.position)
        score += bool(event.place.accessibility)
    score += 2 * (event.price is not None) + 2 * (event.registration is not None)
    score += len(event.contacts) + bool(event.url) + bool(event.organiser)
    score += (event.audience_min_age is not None) + (event.audience_max_age is not None)
    return score


def _empty(value: Any) -> bool:
    return value is None or value == () or value == {}


DATES = ("kind", "occurrences", "start", "end", "recurrence", "status")
"""Taken together from a dated record when the winner has no dates (a PTV activity whose
calendar gives its dates)."""


def fold(winner: Event, others: list[Event]) -> Event:
    """The winner with its empty fields filled from the others and their ids in ``merged``;
    a winner without dates takes the dates of the first other record that has them."""
    update: dict[str, Any] = {}
    if not winner.occurrences:
        dated = next((other for other in others if other.occurrences), None)
        if dated is not None:
            update |= {name: getattr(dated, name) for name in DATES}
    for name in FILLABLE:
        if _empty(getattr(winner, name)):
            for other in others:
                if not _empty(getattr(other, name)):
                    update[name] = getattr(other, name)
                    break
    merged = tuple(sorted({*winner.merged, *(o.id for o in others)}))
    return winner.model_copy(update={**update, "merged": merged})


def _rank(event: Event) -> tuple[int, int, str]:
    return (-richness(event), PRIORITY.get(event.source, 9), event.id)


def merge(
    events: Iterable[Event], municipality_names: Iterable[str] = ()
) -> tuple[list[Event], list[Merge]]:
    """Fold duplicates across sources; returns the items and what was folded into what.
    Words of ``municipality_names`` are left out of the names compared."""
    drop = frozenset(words(n) for n in municipality_names)
    items = sorted(events, key=_rank)
    keys = {event.id: name_key(event, drop) for event in items}
    groups: list[list[Event]] = []
    reasons: dict[str, str] = {}
    for event in items:
        for group in groups:
            head = group[0]
            if any(member.source == event.source for member in group):
                continue
            organiser = same_organiser(head, event)
            if organiser and keys[head.id] & keys[event.id] and same_place(head, event):
                group.append(event)
                reasons[event.id] = f"same organiser ({organiser}), name and place"
                break
        else:
            groups.append([event])
    result: list[Event] = []
    merges: list[Merge] = []
    for group in groups:
        head, rest = group[0], group[1:]
        result.append(fold(head, rest) if rest else head)
        for other in rest:
            merges.append(
                Merge(
                    head.id,
                    other.id,
                    f"{reasons[other.id]}; the {head.source} record has more details",
                )
            )
    return result, merges
