"""``perhekeskus events inspect FILE``: what the pipeline reads from a raw answer of a source.

Input: a file saved from a source: a Linked Events list page (``{"meta", "data"}``) or single
event, an iCalendar feed (``.ics``), or a Lähellä.fi page (``{"items", "hasMore"}``) or item.
Output: one normalised :class:`~.model.Event` per item as a JSON object, and the problems: a
value left out (with the item's id) or an item skipped. A file that is none of these is an
:class:`InspectError` with a message saying what was expected.

Dates are read from a year before to a year after ``today``, so that a saved answer shows its
dates whenever it was saved.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from pipeline.problems import Problems
from pipeline.sources.events import ics, lahella, linked_events
from pipeline.sources.events import snapshot as snap
from pipeline.sources.events.places import load_municipalities

WINDOW = timedelta(days=366)


class InspectError(Exception):
    """The file cannot be inspected at all (missing, unreadable, not a known answer)."""


@dataclass
class Inspection:
    lines: list[dict[str, Any]]
    problems: Problems
    kind: str


def kind_of(path: Path) -> tuple[str, Any]:
    """The source kind of a file and its parsed body."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise InspectError(f"cannot read the file ({exc.strerror or exc})") from None
    except UnicodeDecodeError:
        raise InspectError("not UTF-8 text (expected JSON or an iCalendar feed)") from None
    if ics.looks_like_calendar(text):
        return ics.KIND, text
    try:
        body = json.loads(text)
    except ValueError as exc:
        raise InspectError(
            f"neither JSON nor an iCalendar feed ({exc}); expected a Linked Events page or "
            "event, an .ics file or a Lähellä.fi item"
        ) from None
    if linked_events.is_answer(body):
        return linked_events.KIND, body
    if lahella.is_answer(body):
        return lahella.KIND, body
    raise InspectError(
        "JSON, but not a Linked Events page ({meta, data}) or event (id, name, start_time), "
        "nor a Lähellä.fi page ({items, hasMore}) or item (_key, traits)"
    )


def inspect_file(path: Path, root: Path, today: date) -> Inspection:
    kind, body = kind_of(path)
    start = snap.start_of(today)
    context = snap.ReadContext(
        start - WINDOW, start + WINDOW, load_municipalities(root), feed=path.stem
    )
    problems = Problems()
    items, _, _ = snap.read_answers(
        [snap.RawAnswer({"kind": kind, "tag": f"inspect:{path.stem}"}, body, start, False)],
        lambda answer: context,
        problems,
    )
    lines = [
        event.model_dump(mode="json", exclude={"fetched_at", "sample"}) for event in items.values()
    ]
    return Inspection(lines, problems, kind)
