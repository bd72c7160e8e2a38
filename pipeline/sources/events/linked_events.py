"""Linked Events (Helsinki's open event API, also run by Satakunta): fetch and read.

Fetch. Input: a Linked Events instance's address, the county's divisions and family keywords,
the build date and horizon, or the time of the last fetch. Output: one
:class:`~pipeline.sources.base.Answer` per page of ``event/`` (kind ``linked-events``), raw, for
the snapshot store. Pages are followed by ``meta.next`` until it is null (at most
``max_pages``); ``include=location,keywords`` expands places and keywords. An incremental run
asks ``last_modified_since`` with ``show_deleted=true``. A 404, an error status, an HTML page or
a body that is not an event page is a :class:`~pipeline.sources.base.FetchError`, never "no
events".

Read. Input: the raw pages of one feed, in order (a list page ``{"meta", "data"}``, or a single
event as ``event/<id>/`` returns it). Output: :class:`~.snapshot.Candidate` items: a later
version of an event replaces an earlier one, a deleted (or replaced) event is removed, the sub
events of a recurring super event are folded into it as its dates, dates before the build day
and after the horizon are left out, cancelled and postponed events keep their status. Times
arrive in UTC and become Finnish time. Forks differ (Turku adds ``is_virtualevent`` and
``enrolment_*``): every field is read defensively.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import urlencode, urljoin, urlsplit, urlunsplit

from pipeline import __version__
from pipeline.sources.base import Answer, Budget, FetchError, FetchLimits
from pipeline.sources.events.model import Issue
from pipeline.sources.events.snapshot import Candidate, ReadContext, reader
from pipeline.sources.http import JsonClient
from pipeline.sources.ptv.normalise import quoted

KIND = "linked-events"
USER_AGENT = f"perhekeskus/{__version__} (family centre site generator; nightly snapshot of events)"
STATUS = {
    "EventScheduled": "scheduled",
    "EventRescheduled": "rescheduled",
    "EventPostponed": "postponed",
    "EventCancelled": "cancelled",
}
YSO_ID = re.compile(r"(?:^|/)(yso):(p\d{1,6})/?$")
LANGUAGE_ID = re.compile(r"(?:^|/)([a-z]{2,3}(?:_[a-z]+)?)/?$")


# --- fetch --------------------------------------------------------------------------------


@dataclass
class LinkedEventsSource:
    """One Linked Events instance over HTTP."""

    base_url: str
    """The API root (``https://api.hel.fi/linkedevents/v1/``), or a stand-in for it."""
    limits: FetchLimits = field(default_factory=FetchLimits)
    record_as: str | None = None
    """The configured address, written into snapshots instead of a stand-in's."""
    page_size: int = 100
    backoff: float = 1.0
    api: str = "linked-events-v1"
    clock: Callable[[], datetime] = field(default=lambda: datetime.now(UTC), repr=False)
    budget: Budget = field(init=False)
    client: JsonClient = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.base_url = self.base_url.rstrip("/") + "/"
        self.budget = Budget(self.limits)
        self.client = JsonClient(USER_AGENT, self.budget, self.backoff)

    def events(
        self,
        tag: str,
        divisions: Sequence[str],
        keywords: Sequence[str],
        *,
        start: date,
        end: date,
        since: datetime | None = None,
    ) -> Iterator[Answer]:
        """Every page of the county's family events between ``start`` and ``end``, or of the
        events changed (or deleted) since ``since``."""
        params: dict[str, Any] = {
            "division": ",".join(divisions),
            "keyword_OR": ",".join(keywords),
            "include": "location,keywords",
            "page_size": self.page_size,
        }
        if since is None:
            params |= {"start": start.isoformat(), "end": end.isoformat()}
        else:
            since_utc = since.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
            params |= {"last_modified_since": since_utc, "show_deleted": "true"}
        url: str | None = self.base_url + "event/?" + urlencode(params, safe=",:")
        pages = 0
        while url is not None:
            pages += 1
            if pages > self.limits.max_pages:
                raise FetchError(
                    f"{url}: more than {self.limits.max_pages} pages (max_pages); "
                    "the answer looks broken",
                    "limit",
                )
            status, body = self.client.get(url)
            following = next_page(url, body)
            yield Answer(self._recorded(url), status, body, self.clock(), KIND, "items", tag)
            url = self._ours(following) if following else None

    def _ours(self, url: str) -> str:
        """A ``next`` address on our base (a mirror or stand-in answers with the real host)."""
        base, page = urlsplit(self.base_url), urlsplit(url)
        if page.netloc == base.netloc and page.scheme == base.scheme:
            return url
        path = page.path
        return urlunsplit((base.scheme, base.netloc, path, page.query, ""))

    def _recorded(self, url: str) -> str:
        if not self.record_as:
            return url
        base, record = urlsplit(self.base_url), urlsplit(self.record_as)
        page = urlsplit(url)
        path = record.path.rstrip("/") + page.path.removeprefix(base.path.rstrip("/"))
        return urlunsplit((record.scheme, record.netloc, path, page.query, ""))


def next_page(url: str, body: Any) -> str | None:
    """The next page's address, or None at the last page; FetchError when the body is not an
    event list page."""
    if not isinstance(body, dict) or not isinstance(body.get("meta"), dict):
        raise FetchError(f"{url}: expected a Linked Events page with meta and data", "format")
    if not isinstance(body.get("data"), list):
        raise FetchError(f"{url}: the page has no data list", "format")
    following = body["meta"].get("next")
    if following is None:
        return None
    if not isinstance(following, str) or not following.strip():
        raise FetchError(f"{url}: meta.next {following!r} is not an address", "format")
    return urljoin(url, following.strip())


# --- read ---------------------------------------------------------------------------------


def items_of(body: Any) -> list[Any]:
    """The events of one answer: a list page, or one event."""
    if isinstance(body, dict) and isinstance(body.get("data"), list):
        return list(body["data"])
    if isinstance(body, dict) and "id" in body:
        return [body]
    return []


def is_answer(body: Any) -> bool:
    """Whether a JSON value looks like a Linked Events list page or event."""
    if isinstance(body, dict) and isinstance(body.get("data"), list) and "meta" in body:
        return True
    return isinstance(body, dict) and "id" in body and ("start_time" in body or "name" in body)


def ident_of(raw: Any) -> str | None:
    if not isinstance(raw, dict):
        return None
    value = raw.get("id")
    if isinstance(value, str) and value.strip() and " " not in value.strip():
        return value.strip()
    at = raw.get("@id")
    if isinstance(at, str):
        tail = at.rstrip("/").rsplit("/", 1)[-1]
        return tail or None
    return None


def ref_id(value: Any) -> str | None:
    """The id of a reference (``{"@id": ".../event/helsinki:abc/"}``) or of an expanded
    object."""
    if isinstance(value, dict):
        if isinstance(value.get("id"), str):
            return str(value["id"])
        value = value.get("@id")
    if isinstance(value, str) and value.strip():
        return value.rstrip("/").rsplit("/", 1)[-1]
    return None


def texts(value: Any) -> dict[str, Any]:
    """A per-language object as it came (the model keeps fi, sv and en and cleans them)."""
    if isinstance(value, dict):
        return {k: v for k, v in value.items() if isinstance(v, str) and v.strip()}
    return {}


def first_text(value: Any) -> str | None:
    found = texts(value)
    for lang in ("fi", "sv", "en", *found):
        if lang in found:
            return str(found[lang]).strip()
    return None


def parse_time(value: Any) -> datetime | None:
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def keyword(raw: Any) -> dict[str, Any] | None:
    ident = ref_id(raw)
    match = YSO_ID.search(ident or "")
    if match is None:
        return None
    found: dict[str, Any] = {"uri": f"http://www.yso.fi/onto/yso/{match.group(2)}"}
    if isinstance(raw, dict) and isinstance(raw.get("name"), dict):
        found["names"] = texts(raw["name"])
    return found


def place(raw: Any, context: ReadContext, issues: list[Issue]) -> dict[str, Any] | None:
    if not isinstance(raw, dict):
        return None
    found: dict[str, Any] = {
        "id": ref_id(raw),
        "names": texts(raw.get("name")),
        "street": texts(raw.get("street_address")),
        "locality": texts(raw.get("address_locality")),
    }
    if isinstance(raw.get("postal_code"), str):
        found["postal_code"] = raw["postal_code"]
    position = raw.get("position")
    coordinates = position.get("coordinates") if isinstance(position, dict) else None
    if isinstance(coordinates, list) and len(coordinates) == 2:
        found["position"] = {"lon": coordinates[0], "lat": coordinates[1]}  # GeoJSON: lon, lat
    municipality = _municipality(raw, context)
    if municipality:
        found["municipality"] = municipality
    elif raw.get("divisions") or found["locality"]:
        named = first_text(raw.get("address_locality")) or "?"
        issues.append(
            Issue(
                field="location.divisions",
                message=f"no municipality of Finland is named ('{named}'): shown without one",
            )
        )
    accessibility = raw.get("accessibility_sentences") or raw.get("accessibility")
    if isinstance(accessibility, dict):
        found["accessibility"] = texts(accessibility)
    if not (found["names"] or found["street"] or "position" in found or municipality):
        return None  # a bare reference (asked without include=location): nothing to show
    return found


def _municipality(raw: dict[str, Any], context: ReadContext) -> str | None:
    for division in raw.get("divisions") or []:
        if isinstance(division, dict) and division.get("type") == "muni":
            code = context.municipalities.code(str(division.get("ocd_id") or ""))
            code = code or context.municipalities.code(first_text(division.get("name")))
            if code:
                return code
    return context.municipalities.code(first_text(raw.get("address_locality")))


def offers(raw: Any) -> dict[str, Any] | None:
    if not isinstance(raw, list) or not raw or not isinstance(raw[0], dict):
        return None
    offer = raw[0]
    found: dict[str, Any] = {"description": texts(offer.get("price"))}
    if isinstance(offer.get("is_free"), bool):
        found["free"] = offer["is_free"]
    url = first_text(offer.get("info_url"))
    if url:
        found["url"] = url
    return found


def registration(raw: dict[str, Any], as_of: datetime) -> dict[str, Any] | None:
    opens = parse_time(raw.get("enrolment_start_time"))
    closes = parse_time(raw.get("enrolment_end_time"))
    url = raw.get("enrolment_url") if isinstance(raw.get("enrolment_url"), str) else None
    if opens is None and closes is None and not url:
        return None
    found: dict[str, Any] = {"required": True, "opens": opens, "closes": closes, "url": url}
    if opens is not None or closes is not None:
        found["open"] = (opens is None or opens <= as_of) and (closes is None or as_of < closes)
    return found


def occurrence(raw: dict[str, Any], ident: str) -> dict[str, Any] | None:
    start = parse_time(raw.get("start_time"))
    if start is None:
        return None
    return {
        "start": start,
        "end": parse_time(raw.get("end_time")),
        "status": STATUS.get(str(raw.get("event_status")), "scheduled"),
        "source_id": ident,
    }


def _in_window(found: dict[str, Any], context: ReadContext) -> bool:
    start, end = found["start"], found.get("end") or found["start"]
    return bool(end >= context.as_of and start < context.horizon)


def fields_of(raw: dict[str, Any], ident: str, context: ReadContext) -> Candidate:
    """The event fields of one Linked Events event (dates are added by the caller)."""
    issues: list[Issue] = []
    location = raw.get("location")
    online = ref_id(location) is not None and str(ref_id(location)).endswith(":internet")
    online = online or raw.get("is_virtualevent") is True
    found: dict[str, Any] = {
        "names": texts(raw.get("name")),
        "summaries": texts(raw.get("short_description")),
        "descriptions": texts(raw.get("description")),
        "keywords": [
            k
            for k in (
                keyword(r) for r in [*(raw.get("keywords") or []), *(raw.get("audience") or [])]
            )
            if k is not None
        ],
        "audience_min_age": raw.get("audience_min_age"),
        "audience_max_age": raw.get("audience_max_age"),
        "status": STATUS.get(str(raw.get("event_status")), "scheduled"),
        "in_languages": [
            lang for lang in (_language(r) for r in raw.get("in_language") or []) if lang
        ],
        "url": first_text(raw.get("info_url")),
        "modified": parse_time(raw.get("last_modified_time")),
        "mode": "online" if online else "in-person",
    }
    if online and isinstance(raw.get("virtualevent_url"), str):
        found["online_url"] = raw["virtualevent_url"]
    provider = texts(raw.get("provider"))
    if provider:
        found["organiser"] = {"names": provider}
    if not online:
        where = place(location, context, issues)
        if where is not None:
            found["place"] = where
            if where.get("municipality"):
                found["municipalities"] = [where["municipality"]]
        extra = texts(raw.get("location_extra_info"))
        if extra and "place" in found:
            found["place"]["info"] = extra
    price = offers(raw.get("offers"))
    if price is not None:
        found["price"] = price
    enrol = registration(raw, context.as_of)
    if enrol is not None:
        found["registration"] = enrol
    contact = raw.get("provider_contact_info")
    if isinstance(contact, str) and contact.strip():
        found["contacts"] = [{"name": contact}]
    # Keep the keywords the model can read; the others would only be reported as noise.
    found["keywords"] = _unique(found["keywords"])
    return Candidate(ident, found, issues)


def _language(raw: Any) -> str | None:
    match = LANGUAGE_ID.search(ref_id(raw) or "")
    return match.group(1) if match else None


def _unique(keywords: list[dict[str, Any]]) -> list[dict[str, Any]]:
    seen: set[str] = set()
    result = []
    for item in keywords:
        if item["uri"] not in seen:
            seen.add(item["uri"])
            result.append(item)
    return result


def _gone(raw: dict[str, Any]) -> bool:
    return raw.get("deleted") is True or bool(raw.get("replaced_by"))


@reader(KIND)
def read(bodies: Sequence[Any], context: ReadContext) -> Iterator[Candidate]:
    """The events of a feed's answers (see the module docstring)."""
    latest: dict[str, dict[str, Any]] = {}
    gone: list[str] = []
    for body in bodies:
        for index, raw in enumerate(items_of(body)):
            ident = ident_of(raw)
            if ident is None:
                yield Candidate(f"without an id (item {index + 1})", error="no id")
                continue
            assert isinstance(raw, dict)
            latest.pop(ident, None)  # a later version goes to the end, as it came
            if _gone(raw):
                gone.append(ident)
                continue
            latest[ident] = raw
    for ident in gone:
        if ident not in latest:
            yield Candidate(ident, deleted=True)
    children: dict[str, list[dict[str, Any]]] = {}
    for raw in latest.values():
        parent = ref_id(raw.get("super_event"))
        if parent and parent in latest and _recurring(latest[parent]):
            children.setdefault(parent, []).append(raw)
        elif parent and parent not in latest and parent not in gone:
            # The division filter may match the dates but not their series: fold them anyway.
            children.setdefault(parent, []).append(raw)
    folded = {ident_of(r) for rs in children.values() for r in rs}
    for ident, raw in latest.items():
        if ident in folded:
            continue
        yield _one(ident, raw, children.get(ident, []), context)
    for parent, raws in children.items():
        if parent in latest:
            continue
        if len({first_text(r.get("name")) for r in raws}) == 1:
            yield _one(parent, raws[0], raws, context)
        else:  # dates of an umbrella event (a festival): each is its own event
            for raw in raws:
                yield _one(ident_of(raw) or parent, raw, [], context)


def _recurring(raw: dict[str, Any]) -> bool:
    return raw.get("super_event_type") in ("recurring", None) and bool(raw.get("sub_events"))


def _one(
    ident: str, raw: dict[str, Any], children: list[dict[str, Any]], context: ReadContext
) -> Candidate:
    candidate = fields_of(raw, ident, context)
    dated = children or [raw]
    dates = [d for d in (occurrence(r, ident_of(r) or ident) for r in dated) if d is not None]
    if not dates and raw.get("event_status") != "EventPostponed":
        value = raw.get("start_time")
        candidate.error = (
            "no start time" if value is None else f"start_time is not a time ({quoted(value)})"
        )
        return candidate
    dates = sorted((d for d in dates if _in_window(d, context)), key=lambda d: d["start"])
    candidate.fields["occurrences"] = dates
    candidate.fields["kind"] = "recurring" if len(children) > 1 else "event"
    if dates:
        candidate.fields["start"] = dates[0]["start"]
        ends = [d.get("end") or d["start"] for d in dates]
        candidate.fields["end"] = max(ends)
    if children and len(children) > 1:
        candidate.fields["recurrence"] = {"description": {}}
    return candidate


__all__ = ["KIND", "LinkedEventsSource", "is_answer", "next_page", "read"]
