"""A local stand-in for the PTV open API v11, for tests and for generating the sample snapshot.

It serves a given set of v11 objects with the real paging, id-list and date rules of the
endpoints the fetch uses (see ``shared/reference/ptv-api.md``), and can inject failures: a
status sequence for a path (504 then success), a time-out on long id lists, or every request
failing after the n-th. Every request is logged with its headers.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

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
        ids = [g.lower() for g in guids.split(",") if g]
        if len(ids) > 100:
            return 500, {"errorMessage": "TooManyItems"}
        if self.timeout_over_ids is not None and len(ids) > self.timeout_over_ids:
            return 504, "<html>Gateway Time-out</html>"
        found = [i for i in items if i["id"].lower() in ids]
        if not found:
            return 404, {"errorMessage": "Services not found."}
        return 200, found

    def _area_page(self, code: str, whole_country: bool, page: int) -> dict[str, Any]:
        def offered(service: dict[str, Any]) -> bool:
            if service.get("areaType") in ("Nationwide", "NationwideExceptAlandIslands"):
                return whole_country
            for area in service.get("areas") or []:
                for m in area.get("municipalities") or []:
                    if str(m.get("code", "")).zfill(3) == code.zfill(3):
                        return True
            return False

        return _page([s for s in self.services if offered(s)], page, FULL_PAGE)

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
                status, body = fake.answer(split.path, query)
                with fake.lock:
                    fake.log.append((self.path, dict(self.headers)))
                data = (body if isinstance(body, str) else json.dumps(body)).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
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
