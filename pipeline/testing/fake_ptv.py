"""A local stand-in for the PTV open API v11, for tests and for generating the sample snapshot.

It serves a given set of v11 objects with the real paging, id-list and date rules of the
endpoints the fetch uses, and can inject the failures a county meets on a bad night: a status
sequence for a path (504 then success), a time-out on long id lists, every request failing after
the n-th, every item changed (schema drift), an HTML page where JSON belongs, a body cut off, a
server that hangs, ``Retry-After`` of a day, an absurd ``pageCount``, ids dropped from the
detail answers, and a UTF-8 byte order mark. Every request is logged with its headers.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

__all__ = ["DATE", "FULL_PAGE", "FakePtv"]

FULL_PAGE = 100
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$")


@dataclass
class FakePtv:
    services: list[dict[str, Any]] = field(default_factory=list)
    channels: list[dict[str, Any]] = field(default_factory=list)
    organizations: list[dict[str, Any]] = field(default_factory=list)
    archived: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    """Per kind path (``Service``): GUID items ``{id, name, modified}`` archived."""
    withdrawn: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    guid_page_size: int = 1000
    fail_sequence: dict[str, list[int]] = field(default_factory=dict)
    """Path prefix -> statuses to answer first, one per request (then normal answers)."""
    timeout_over_ids: int | None = None
    """Answer 504 to ``list?guids=`` with more ids than this."""
    fail_after: int | None = None
    """Answer ``fail_status`` to every request after this many."""
    fail_status: int = 500
    mutate: Callable[[dict[str, Any]], Any] | None = None
    """Applied to every item served (schema drift, wrong types)."""
    html_for: str | None = None
    """Path prefix answered with an HTML page and status 200."""
    truncate_for: str | None = None
    """Path prefix whose body is cut off half-way (the connection closes)."""
    truncate_times: int = 1_000_000
    """How many answers are cut off before the body comes whole."""
    hang_for: str | None = None
    """Path prefix where the server waits ``hang_seconds`` before answering."""
    hang_seconds: float = 0.0
    hang_over_ids: int | None = None
    """Wait ``hang_seconds`` on ``list?guids=`` with more ids than this (a read time-out)."""
    retry_after: dict[str, int] = field(default_factory=dict)
    """Path prefix -> seconds: answered 429 with that ``Retry-After`` (every time)."""
    page_count: int | None = None
    """A ``pageCount`` to claim on every page instead of the real one."""
    drop_ids: set[str] = field(default_factory=set)
    """Ids never returned by ``list?guids=`` (as if unpublished)."""
    bom: bool = False
    """Start every JSON body with a UTF-8 byte order mark."""
    log: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    # --- dispatch -------------------------------------------------------------------------

    def answer(self, path: str, query: dict[str, str]) -> tuple[int, Any]:
        with self.lock:
            count = len(self.log)
            for prefix, statuses in self.fail_sequence.items():
                if path.startswith(prefix) and statuses:
                    return statuses.pop(0), {"errorMessage": "injected failure"}
        if self.fail_after is not None and count > self.fail_after:
            return self.fail_status, {"errorMessage": "injected failure"}
        parts = path.strip("/").split("/")
        if parts[:2] != ["api", "v11"]:
            return 404, {"errorMessage": "not found"}
        parts = parts[2:]
        page = int(query.get("page", "1"))
        kind = parts[0] if parts else ""
        store = {
            "Service": self.services,
            "ServiceChannel": self.channels,
            "Organization": self.organizations,
        }
        if kind not in store:
            return 404, {"errorMessage": "not found"}
        if parts[1:2] == ["list"] and len(parts) == 2:
            return self._by_ids(store[kind], query.get("guids", ""))
        if parts[1:5] == ["list", "area", "Municipality", "code"] and len(parts) == 6:
            return 200, self._area_page(parts[5], query.get("includeWholeCountry") == "true", page)
        if len(parts) == 1:
            return self._guid_page(kind, store[kind], query, page)
        return 404, {"errorMessage": "not found"}

    def _by_ids(self, items: list[dict[str, Any]], guids: str) -> tuple[int, Any]:
        ids = [g.lower() for g in guids.split(",") if g and g.lower() not in self.drop_ids]
        if len(ids) > 100:
            return 500, {"errorMessage": "TooManyItems"}
        if self.timeout_over_ids is not None and len(ids) > self.timeout_over_ids:
            return 504, "<html>Gateway Time-out</html>"
        found = [i for i in items if i["id"].lower() in ids]
        if not found:
            return 404, {"errorMessage": "Services not found."}
        return 200, [self._served(i) for i in found]

    def _served(self, item: dict[str, Any]) -> Any:
        return self.mutate(json.loads(json.dumps(item))) if self.mutate else item

    def _area_page(self, code: str, whole_country: bool, page: int) -> dict[str, Any]:
        def offered(service: dict[str, Any]) -> bool:
            if service.get("areaType") in ("Nationwide", "NationwideExceptAlandIslands"):
                return whole_country
            for area in service.get("areas") or []:
                for m in area.get("municipalities") or []:
                    if str(m.get("code", "")).zfill(3) == code.zfill(3):
                        return True
            return False

        served = [self._served(s) for s in self.services if offered(s)]
        body = _page(served, page, FULL_PAGE)
        if self.page_count is not None:
            body["pageCount"] = self.page_count
        return body

    def _guid_page(
        self, kind: str, items: list[dict[str, Any]], query: dict[str, str], page: int
    ) -> tuple[int, Any]:
        date = query.get("date")
        if date is not None and not DATE.match(date):
            return 400, {"date": [f"The value '{date}' is not valid."]}
        status = query.get("status", "Published")
        pool = {
            "Published": items,
            "Archived": self.archived.get(kind, []),
            "Withdrawn": self.withdrawn.get(kind, []),
        }.get(status)
        if pool is None:
            return 400, {"status": ["invalid"]}
        if date is not None:
            since = datetime.fromisoformat(date)
            pool = [i for i in pool if datetime.fromisoformat(i["modified"][:19]) > since]
        names = [{"id": i["id"], "name": _name(i)} for i in pool]
        return 200, _page(names, page, self.guid_page_size)

    # --- server ---------------------------------------------------------------------------

    @contextmanager
    def serve(self) -> Iterator[str]:
        """Run on a free localhost port; yields the v11 base URL."""
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                split = urlsplit(self.path)
                query = {k: v[0] for k, v in parse_qs(split.query).items()}
                path = split.path
                with fake.lock:
                    fake.log.append((self.path, dict(self.headers)))
                ids = len([g for g in query.get("guids", "").split(",") if g])
                long_list = fake.hang_over_ids is not None and ids > fake.hang_over_ids
                if long_list or (fake.hang_for and path.startswith(fake.hang_for)):
                    time.sleep(fake.hang_seconds)
                for prefix, seconds in fake.retry_after.items():
                    if path.startswith(prefix):
                        self._send(429, b'{"errorMessage": "slow down"}', {"Retry-After": seconds})
                        return
                if fake.html_for and path.startswith(fake.html_for):
                    page = b"<!DOCTYPE html><html><body>Service unavailable</body></html>"
                    self._send(200, page, {"Content-Type": "text/html"})
                    return
                status, body = fake.answer(path, query)
                data = (body if isinstance(body, str) else json.dumps(body)).encode()
                if fake.bom:
                    data = b"\xef\xbb\xbf" + data
                if fake.truncate_for and path.startswith(fake.truncate_for):
                    with fake.lock:
                        cut = fake.truncate_times > 0
                        fake.truncate_times -= 1
                    if cut:
                        self.send_response(status)
                        self.send_header("Content-Type", "application/json; charset=utf-8")
                        self.send_header("Content-Length", str(len(data)))
                        self.end_headers()
                        self.wfile.write(data[: len(data) // 2])
                        self.close_connection = True
                        return
                self._send(status, data)

            def _send(
                self, status: int, data: bytes, headers: dict[str, Any] | None = None
            ) -> None:
                headers = {"Content-Type": "application/json; charset=utf-8", **(headers or {})}
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, str(value))
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        class Server(ThreadingHTTPServer):
            def handle_error(self, request: Any, client_address: Any) -> None:
                # A client that gave up (a time-out test) closes its end: not our error.
                pass

        server = Server(("127.0.0.1", 0), Handler)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield f"http://127.0.0.1:{server.server_address[1]}/api/v11/"
        finally:
            server.shutdown()
            server.server_close()


def _name(item: dict[str, Any]) -> str | None:
    for key in ("serviceNames", "serviceChannelNames", "organizationNames"):
        for entry in item.get(key) or []:
            if entry.get("value"):
                return str(entry["value"])
    return item.get("name")


def _page(items: list[Any], page: int, size: int) -> dict[str, Any]:
    count = (len(items) + size - 1) // size
    chunk = items[(page - 1) * size : page * size] if 1 <= page <= count else []
    # v11 answers an empty or out-of-range page with itemList null, not [].
    return {"pageNumber": page, "pageSize": size, "pageCount": count, "itemList": chunk or None}
