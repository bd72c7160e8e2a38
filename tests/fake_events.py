"""A local stand-in for the event sources: Linked Events, ICS feeds and Lähellä.fi.

It serves given Linked Events events with the real paging (``page``, ``page_size``, an absolute
``meta.next``), the ``start``/``end``, ``last_modified_since`` and ``show_deleted`` rules, and
``division``/``keyword_OR`` recorded for the test to check; ICS feeds by path; Lähellä.fi pages
by ``skip``/``limit``; and the faults of a bad night: a status for a path (404, 500), an HTML
page where JSON belongs, garbage, a server that is not there. Every request is logged.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

LE_PATH = "/linkedevents/v1/"
LE_URL = "https://api.hel.fi/linkedevents/v1/"
"""The configured address the stand-in replaces (the path is kept)."""


def _time(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


@dataclass
class FakeEvents:
    events: list[dict[str, Any]] = field(default_factory=list)
    """Linked Events events (with ``last_modified_time``; ``deleted: true`` for removed ones,
    served only with ``show_deleted``)."""
    feeds: dict[str, str] = field(default_factory=dict)
    """Path (``/calendars/kainuu.ics``) -> ICS text."""
    lahella: list[dict[str, Any]] = field(default_factory=list)
    status_for: dict[str, int] = field(default_factory=dict)
    """Path prefix -> status answered every time (with a JSON error body)."""
    html_for: str | None = None
    garbage_for: str | None = None
    log: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    base: str = ""

    # --- answers --------------------------------------------------------------------------

    def linked_events(self, query: dict[str, list[str]]) -> dict[str, Any]:
        page = int(query.get("page", ["1"])[0])
        size = int(query.get("page_size", ["20"])[0])
        chosen = [e for e in self.events if self._wanted(e, query)]
        chunk = chosen[(page - 1) * size : page * size]
        following = None
        if page * size < len(chosen):
            params = {k: v[0] for k, v in query.items()} | {"page": str(page + 1)}
            following = f"{self.base}{LE_PATH}event/?{urlencode(params, safe=',:')}"
        return {
            "meta": {"count": len(chosen), "next": following, "previous": None},
            "data": chunk,
        }

    def _wanted(self, event: dict[str, Any], query: dict[str, list[str]]) -> bool:
        try:
            return self._filter(event, query)
        except (TypeError, ValueError, KeyError):
            return True  # a malformed event is served as it is, as a real server would

    def _filter(self, event: dict[str, Any], query: dict[str, list[str]]) -> bool:
        if event.get("deleted") and query.get("show_deleted", [""])[0] != "true":
            return False
        if "last_modified_since" in query:
            since = _time(query["last_modified_since"][0])
            return _time(event["last_modified_time"]) >= since
        if event.get("deleted"):
            return False
        end = event.get("end_time") or event.get("start_time")
        if "start" in query and end and _time(end).date().isoformat() < query["start"][0]:
            return False
        start = event.get("start_time")
        return not ("end" in query and start and _time(start).date().isoformat() > query["end"][0])

    def lahella_page(self, query: dict[str, list[str]]) -> dict[str, Any]:
        skip = int(query.get("skip", ["0"])[0])
        limit = int(query.get("limit", ["100"])[0])
        items = self.lahella[skip : skip + limit]
        return {
            "items": items,
            "total": len(self.lahella),
            "hasMore": skip + limit < len(self.lahella),
        }

    # --- serving --------------------------------------------------------------------------

    def answer(self, path: str, query: dict[str, list[str]]) -> tuple[int, str, bytes]:
        for prefix, status in self.status_for.items():
            if path.startswith(prefix):
                return status, "application/json", b'{"detail": "error"}'
        if self.html_for and path.startswith(self.html_for):
            return 200, "text/html", b"<!doctype html><title>Maintenance</title><p>Huolto"
        if self.garbage_for and path.startswith(self.garbage_for):
            return 200, "application/json", b'{"meta": {"count": 3}, "dat'
        if path == f"{LE_PATH}event/":
            return 200, "application/json", json.dumps(self.linked_events(query)).encode()
        if path == "/v1/activities":
            return 200, "application/json", json.dumps(self.lahella_page(query)).encode()
        if path in self.feeds:
            return 200, "text/calendar; charset=utf-8", self.feeds[path].encode("utf-8")
        return 404, "application/json", b'{"detail": "Not found."}'

    @contextmanager
    def serve(self) -> Iterator[str]:
        """Serve on a free local port; yields the base address (``http://127.0.0.1:port``)."""
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                with fake.lock:
                    fake.log.append(self.path)
                status, kind, body = fake.answer(parts.path, parse_qs(parts.query))
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{server.server_address[1]}"
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield self.base
        finally:
            server.shutdown()
            server.server_close()


def le_event(
    ident: str,
    name: str,
    start: str,
    end: str | None = None,
    *,
    modified: str = "2026-11-01T08:00:00Z",
    municipality: str = "helsinki",
    **extra: Any,
) -> dict[str, Any]:
    """A Linked Events event as ``include=location,keywords`` returns it."""
    return {
        "id": ident,
        "@id": f"{LE_URL}event/{ident}/",
        "name": {"fi": name},
        "short_description": {"fi": f"{name}: lyhyesti"},
        "description": {"fi": f"<p>{name}.</p>"},
        "start_time": start,
        "end_time": end,
        "event_status": "EventScheduled",
        "location": {
            "id": "tprek:8310",
            "@id": f"{LE_URL}place/tprek:8310/",
            "name": {"fi": "Kirjasto"},
            "street_address": {"fi": "Kirjastonkatu 1"},
            "address_locality": {"fi": municipality.capitalize()},
            "postal_code": "00100",
            "position": {"type": "Point", "coordinates": [24.94, 60.17]},
            "divisions": [
                {"type": "muni", "ocd_id": f"ocd-division/country:fi/kunta:{municipality}"}
            ],
        },
        "keywords": [{"id": "yso:p4354", "@id": f"{LE_URL}keyword/yso:p4354/",
                      "name": {"fi": "lapset"}}],
        "offers": [{"is_free": True, "price": None, "info_url": None}],
        "last_modified_time": modified,
        "super_event": None,
        "sub_events": [],
        **extra,
    }  # fmt: skip
