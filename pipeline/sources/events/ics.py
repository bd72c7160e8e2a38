"""County calendars as iCalendar (ICS) feeds: fetch and read.

Fetch. Input: the feed's address. Output: one :class:`~pipeline.sources.base.Answer` (kind
``ics``) whose body is the feed's text, for the snapshot store. An error status, an HTML page or
anything that is not a ``VCALENDAR`` is a :class:`~pipeline.sources.base.FetchError`, never an
empty calendar.

Read. Input: the feed's text. Output: :class:`~.snapshot.Candidate` items, one per ``UID``:
its dates from the build day to the horizon expanded by ``recurring-ical-events`` (``RRULE``,
``RDATE``, ``EXDATE``, moved or cancelled dates by ``RECURRENCE-ID``), in the event's own time
zone and then in Finnish time (a weekly 10.00 stays 10.00 across a daylight saving change);
floating times are Finnish time; an all-day event (``DATE``) is marked as such. The parser is
``icalendar``: a line it cannot read loses only the event holding it, which is reported with
the line number and the event's ``UID``; the other events of the feed are read.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import Any

import icalendar
import recurring_ical_events  # type: ignore[import-untyped]
import requests

from pipeline import __version__
from pipeline.sources.base import Answer, Budget, FetchError, FetchLimits
from pipeline.sources.events.model import HELSINKI
from pipeline.sources.events.snapshot import Candidate, ReadContext, reader

KIND = "ics"
USER_AGENT = f"perhekeskus/{__version__} (family centre site generator; nightly calendar copy)"
LANGS = ("fi", "sv", "en")
POSTAL_CODE = re.compile(r"\b\d{5}\b")
BEGIN = re.compile(r"^BEGIN:VEVENT\s*$", re.IGNORECASE)
END = re.compile(r"^END:VEVENT\s*$", re.IGNORECASE)


class NotCalendar(ValueError):
    """The text is not an iCalendar feed at all."""


# --- fetch --------------------------------------------------------------------------------


@dataclass
class IcsSource:
    """One county calendar over HTTP."""

    base_url: str
    """The feed's address (or a stand-in's)."""
    limits: FetchLimits = field(default_factory=FetchLimits)
    record_as: str | None = None
    api: str = "ics"
    backoff: float = 1.0
    clock: Callable[[], datetime] = field(default=lambda: datetime.now(UTC), repr=False)
    budget: Budget = field(init=False)

    def __post_init__(self) -> None:
        self.budget = Budget(self.limits)
        from pipeline.sources.http import JsonClient

        # The JSON client's session: the same retries, back-off and Retry-After rules.
        self._client = JsonClient(USER_AGENT, self.budget, self.backoff)

    def feed(self, tag: str) -> Iterator[Answer]:
        url = self.base_url
        self.budget.count_request(url)
        session = self._client.session
        try:
            response = session.get(
                url, timeout=self.budget.timeout(), headers={"Accept": "text/calendar"}
            )
            content = response.content
        except requests.RequestException as exc:
            raise FetchError(
                f"{url}: could not be fetched ({exc.__class__.__name__})", "connect"
            ) from None
        if response.status_code >= 400:
            raise FetchError(f"{url}: HTTP {response.status_code} {response.reason}", "status")
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise FetchError(f"{url}: the feed is not UTF-8 text", "format") from None
        if not looks_like_calendar(text):
            what = "an HTML page" if text.lstrip()[:1] == "<" else "something else"
            raise FetchError(f"{url}: expected an iCalendar feed (BEGIN:VCALENDAR), got {what}")
        recorded = self.record_as or url
        yield Answer(recorded, response.status_code, text, self.clock(), KIND, "items", tag)


def looks_like_calendar(text: str) -> bool:
    return text.lstrip().upper().startswith("BEGIN:VCALENDAR")


# --- read ---------------------------------------------------------------------------------


def parse(text: str) -> icalendar.Calendar:
    """The calendar of a feed; :class:`NotCalendar` when it is not one."""
    if not isinstance(text, str) or not looks_like_calendar(text):
        raise NotCalendar("not an iCalendar feed (it does not start with BEGIN:VCALENDAR)")
    try:
        calendars = icalendar.Calendar.from_ical(text, multiple=True)
    except Exception as exc:
        raise NotCalendar(f"the calendar cannot be read ({exc})") from None
    if not calendars:
        raise NotCalendar("the file holds no calendar")
    calendar: icalendar.Calendar = calendars[0]
    return calendar


def event_lines(text: str) -> list[tuple[int, list[str]]]:
    """The first line number and the lines of each ``VEVENT`` block, in order."""
    blocks: list[tuple[int, list[str]]] = []
    current: list[str] | None = None
    start = 0
    for number, line in enumerate(text.splitlines(), 1):
        if BEGIN.match(line):
            current, start = [], number
        if current is not None:
            current.append(line)
        if END.match(line) and current is not None:
            blocks.append((start, current))
            current = None
    return blocks


def _line_of(block: tuple[int, list[str]], prop: str | None, message: str) -> int:
    start, lines = block
    quoted = re.search(r"'([^']*)'", message)
    for offset, line in enumerate(lines):
        if prop and line.upper().startswith(prop.upper()):
            return start + offset
        if prop is None and quoted and quoted.group(1) and quoted.group(1) in line:
            return start + offset
    return start


def _uid(component: Any) -> str | None:
    value = component.get("UID")
    text = str(value).strip() if value is not None else ""
    return "-".join(text.split()) if text else None


def _has_start(component: Any) -> bool:
    try:
        return isinstance(component["DTSTART"].dt, date)
    except Exception:  # missing, or a value icalendar could not read
        return False


def _local(value: Any) -> tuple[datetime, bool]:
    """A DTSTART/DTEND value in Finnish time, and whether it is a whole day."""
    if isinstance(value, datetime):
        if value.tzinfo is None:
            return value.replace(tzinfo=HELSINKI), False  # floating time: Finnish time
        return value.astimezone(HELSINKI), False
    if isinstance(value, date):
        return datetime.combine(value, time(0), HELSINKI), True
    raise ValueError(f"not a date or time ({value!r})")


def _texts(component: Any, name: str, default_lang: str) -> dict[str, str]:
    found: dict[str, str] = {}
    values = component.get(name)
    for value in values if isinstance(values, list) else [values]:
        if value is None:
            continue
        lang = str(getattr(value, "params", {}).get("LANGUAGE", default_lang))[:2].lower()
        if lang in LANGS and lang not in found and str(value).strip():
            found[lang] = str(value)
    return found


def _place(component: Any, context: ReadContext, lang: str) -> tuple[dict[str, Any], str | None]:
    location = str(component.get("LOCATION") or "").strip()
    found: dict[str, Any] = {}
    municipality = None
    if location:
        parts = [p.strip() for p in location.split(",") if p.strip()]
        found["names"] = {lang: parts[0]} if len(parts) > 1 else {}
        for part in reversed(parts):
            postal = POSTAL_CODE.search(part)
            if postal:
                found["postal_code"] = postal.group(0)
            town = POSTAL_CODE.sub("", part).strip()
            municipality = municipality or context.municipalities.code(town)
            if municipality:
                found["locality"] = {lang: town}
                break
        streets = [p for p in parts[1:] if any(ch.isdigit() for ch in p) and p != parts[-1]]
        street = streets[0] if streets else (parts[0] if len(parts) > 1 else location)
        found["street"] = {lang: POSTAL_CODE.sub("", street).strip() or street}
    geo = component.get("GEO")
    if geo is not None:
        with contextlib.suppress(AttributeError, TypeError, ValueError):
            found["position"] = {"lat": float(geo.latitude), "lon": float(geo.longitude)}
    municipality = municipality or context.default_municipality
    if municipality:
        found["municipality"] = municipality
    return found, municipality


def fields_of(component: Any, context: ReadContext) -> dict[str, Any]:
    lang = str(component.get("X-LANGUAGE") or "fi")[:2].lower()
    lang = lang if lang in LANGS else "fi"
    found: dict[str, Any] = {
        "names": _texts(component, "SUMMARY", lang),
        "descriptions": _texts(component, "DESCRIPTION", lang),
        "kind": "recurring" if component.get("RRULE") or component.get("RDATE") else "event",
    }
    place, municipality = _place(component, context, lang)
    if place:
        found["place"] = place
    if municipality:
        found["municipalities"] = [municipality]
    url = component.get("URL")
    if url is not None:
        found["url"] = str(url)
    organiser = component.get("ORGANIZER")
    if organiser is not None:
        name = organiser.params.get("CN") if hasattr(organiser, "params") else None
        if name:
            found["organiser"] = {"names": {lang: str(name)}}
    rule = component.get("RRULE")
    if rule is not None:
        found["recurrence"] = {"rule": rule.to_ical().decode("ascii", "replace")}
    if str(component.get("STATUS") or "").upper() == "CANCELLED":
        found["status"] = "cancelled"
    modified = component.get("LAST-MODIFIED") or component.get("DTSTAMP")
    if modified is not None and isinstance(getattr(modified, "dt", None), datetime):
        found["modified"] = modified.dt
    return found


def _occurrence(component: Any) -> dict[str, Any]:
    start, all_day = _local(component["DTSTART"].dt)
    end_value = component.get("DTEND")
    end = _local(end_value.dt)[0] if end_value is not None else None
    if end is None and component.get("DURATION") is not None:
        end = start + component["DURATION"].dt
    status = str(component.get("STATUS") or "").upper()
    return {
        "start": start,
        "end": end,
        "all_day": all_day,
        "status": "cancelled" if status == "CANCELLED" else "scheduled",
    }


@reader(KIND)
def read(bodies: Sequence[Any], context: ReadContext) -> Iterator[Candidate]:
    """The events of a feed (the last answer: a feed is fetched whole every time)."""
    text = bodies[-1] if bodies else ""
    try:
        calendar = parse(text)
    except NotCalendar as exc:
        yield Candidate(f"{context.feed or 'feed'}", error=str(exc))
        return
    yield from read_calendar(calendar, text, context)


def read_calendar(calendar: Any, text: str, context: ReadContext) -> Iterator[Candidate]:
    blocks = event_lines(text)
    events = [c for c in calendar.subcomponents if c.name == "VEVENT"]
    bad: set[str] = set()
    good = icalendar.Calendar()
    for key, value in calendar.property_items(recursive=False)[1:-1]:
        good.add(key, value)
    for component in calendar.subcomponents:
        if component.name == "VTIMEZONE":
            good.add_component(component)
    masters: dict[str, Any] = {}
    for index, component in enumerate(events):
        uid = _uid(component)
        block = blocks[index] if index < len(blocks) else (0, [])
        where = f"{context.feed}:{uid}" if uid else f"{context.feed}:line-{block[0]}"
        problems = list(component.errors)
        if uid is None:
            problems.append(("UID", "the event has no UID"))
        if not problems and not _has_start(component):
            problems.append(("DTSTART", "the event has no start (DTSTART)"))
        if problems:
            prop, message = problems[0]
            line = _line_of(block, prop, message)
            bad.add(uid or where)
            yield Candidate(
                where, error=f"line {line}: {message} (the event is left out; the feed is read)"
            )
            continue
        assert uid is not None
        if uid in bad:
            continue
        good.add_component(component)
        if component.get("RECURRENCE-ID") is None:
            masters.setdefault(uid, component)
    dates: dict[str, list[dict[str, Any]]] = {uid: [] for uid in masters}
    if context.expand:
        try:
            found = recurring_ical_events.of(good).between(context.as_of, context.horizon)
        except Exception as exc:
            yield Candidate(context.feed or "feed", error=f"the dates cannot be expanded ({exc})")
            return
        for occurrence in found:
            uid = _uid(occurrence)
            if uid in dates:
                dates[uid].append(_occurrence(occurrence))
    for uid, component in masters.items():
        fields = fields_of(component, context)
        occurrences = sorted(dates[uid], key=lambda d: d["start"])
        fields["occurrences"] = occurrences
        if occurrences:
            fields["start"] = occurrences[0]["start"]
            fields["end"] = max(d["end"] or d["start"] for d in occurrences)
        yield Candidate(f"{context.feed}:{uid}", fields)


__all__ = ["KIND", "IcsSource", "NotCalendar", "parse", "read"]
