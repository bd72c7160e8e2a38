"""Where PTV data comes from: the ``PtvSource`` interface and its v11 implementation.

Input: questions about PTV (the services of a municipality, the nationwide services, objects by
id, what changed since a time) and the fetch's :class:`~pipeline.sources.base.Budget`. Output:
:class:`~pipeline.sources.base.Answer` objects, each one raw HTTP response with the request
that produced it and when, ready to be stored in a snapshot as is.

``V11Source`` talks to the v11 open API through :class:`~pipeline.sources.http.JsonClient`
(retries with back-off on 429 and 5xx, ``Retry-After`` capped, time-outs bounded by the
deadline, a descriptive User-Agent and no ``Authorization`` header). Paging reads ``pageCount``
from page 1 (capped by ``max_pages``) and treats ``itemList: null`` as an empty page; id lists
go in chunks of at most 100, halved when the server times out (a read time-out or a 504). A 404
is "none of these ids" only for an id list answering PTV's own "not found" message; anywhere
else it is an error. A v12 source can implement the same methods and write its own answers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal, Protocol
from urllib.parse import urlencode, urljoin

from pipeline import __version__
from pipeline.sources.base import Answer, Budget, FetchError, FetchLimits, Source
from pipeline.sources.http import JsonClient

Kind = Literal["service", "channel", "organization"]
Role = Literal["items", "changed", "removed"]

USER_AGENT = (
    f"perhekeskus/{__version__} (family centre site generator; nightly snapshot of PTV open API)"
)
PATHS: dict[Kind, str] = {
    "service": "Service",
    "channel": "ServiceChannel",
    "organization": "Organization",
}
MAX_IDS = 100
"""The v11 ``list?guids=`` limit; more is a server error."""


class PtvSource(Source, Protocol):
    """What the fetch stage needs from PTV, whatever the API version."""

    budget: Budget
    """The time and requests left to this fetch, shared by its threads."""

    def municipality_services(self, code: str) -> Iterator[Answer]: ...

    def nationwide_services(self) -> Iterator[Answer]: ...

    def objects(self, kind: Kind, ids: Sequence[str], tag: str = "") -> Iterator[Answer]: ...

    def changes(self, kind: Kind, since: datetime, role: Role) -> Iterator[Answer]: ...


def ptv_date(moment: datetime) -> str:
    """The exact ``yyyy-MM-ddTHH:mm:ss`` UTC form v11 accepts (no zone, no fractions)."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment.strftime("%Y-%m-%dT%H:%M:%S")


@dataclass
class V11Source:
    """The PTV open API v11 over HTTP."""

    base_url: str
    limits: FetchLimits = field(default_factory=FetchLimits)
    backoff: float = 1.0
    """Seconds; waits grow 1, 2, 4, 8... between retries."""
    nationwide_probe: str = "435"
    """A small municipality whose query with ``includeWholeCountry`` yields the nationwide
    services with little else (Luhanka, the smallest on the mainland)."""
    api: str = "ptv-v11"
    record_as: str | None = None
    """Base address written into snapshots instead of ``base_url`` (a local mirror or stand-in
    answers for the real API)."""
    clock: Callable[[], datetime] = field(default=lambda: datetime.now(UTC), repr=False)
    budget: Budget = field(init=False)
    client: JsonClient = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.base_url = self.base_url.rstrip("/") + "/"
        self.budget = Budget(self.limits)
        self.client = JsonClient(USER_AGENT, self.budget, self.backoff)

    # --- HTTP -----------------------------------------------------------------------------

    def url(self, path: str, params: dict[str, Any] | None = None, base: str | None = None) -> str:
        query = urlencode(params or {}, safe=",:")
        return urljoin(base or self.base_url, path) + (f"?{query}" if query else "")

    def get(
        self, path: str, params: dict[str, Any] | None = None, *, id_list: bool = False
    ) -> tuple[str, int, Any]:
        """Returns (the address to record, status, parsed JSON)."""
        url = self.url(path, params)
        recorded = self.url(path, params, self.record_as) if self.record_as else url
        # v11 answers 404 "... not found." when none of the ids asked for is published.
        status, body = self.client.get(url, empty_404=_not_found if id_list else None)
        return recorded, status, body

    def pages(
        self, path: str, params: dict[str, Any], kind: Kind, role: Role, tag: str
    ) -> Iterator[Answer]:
        """Every page of a paged answer: page 1 says how many pages there are."""
        page, count = 1, 1
        while page <= count:
            url, status, body = self.get(path, {**params, "page": page})
            count = self._page_count(url, body)
            yield Answer(url, status, body, self.clock(), kind, role, tag)
            page += 1

    def _page_count(self, url: str, body: Any) -> int:
        if not isinstance(body, dict) or "pageCount" not in body:
            raise FetchError(f"{url}: expected a page with pageCount, got something else", "format")
        count = body.get("pageCount")
        if count is None:
            return 0
        if not isinstance(count, int) or isinstance(count, bool) or count < 0:
            raise FetchError(f"{url}: pageCount {count!r} is not a number of pages", "format")
        if count > self.limits.max_pages:
            raise FetchError(
                f"{url}: pageCount {count} is more than the limit of {self.limits.max_pages} "
                "pages (max_pages); the answer looks broken",
                "limit",
            )
        return count

    # --- questions ------------------------------------------------------------------------

    def municipality_services(self, code: str) -> Iterator[Answer]:
        # Services of the municipality and of every larger area containing it.
        path = f"Service/list/area/Municipality/code/{code}"
        yield from self.pages(path, {}, "service", "items", f"municipality:{code}")

    def nationwide_services(self) -> Iterator[Answer]:
        path = f"Service/list/area/Municipality/code/{self.nationwide_probe}"
        params = {"includeWholeCountry": "true"}
        yield from self.pages(path, params, "service", "items", "nationwide")

    def objects(self, kind: Kind, ids: Sequence[str], tag: str = "") -> Iterator[Answer]:
        pending = [list(ids[i : i + MAX_IDS]) for i in range(0, len(ids), MAX_IDS)]
        while pending:
            chunk = pending.pop(0)
            try:
                url, status, body = self.get(
                    f"{PATHS[kind]}/list", {"guids": ",".join(chunk)}, id_list=True
                )
            except FetchError as exc:
                # v11 times out on long id lists (504 on ServiceChannel/list); try halves.
                if len(chunk) > 1 and exc.timed_out:
                    half = len(chunk) // 2
                    pending[:0] = [chunk[:half], chunk[half:]]
                    continue
                raise
            yield Answer(url, status, body, self.clock(), kind, "items", tag, tuple(chunk))

    def changes(self, kind: Kind, since: datetime, role: Role) -> Iterator[Answer]:
        params: dict[str, Any] = {"date": ptv_date(since)}
        if role == "removed":
            for status in ("Archived", "Withdrawn"):
                yield from self.pages(PATHS[kind], {**params, "status": status}, kind, role, status)
        else:
            yield from self.pages(PATHS[kind], params, kind, role, "changed")


def _not_found(body: Any) -> bool:
    """PTV's own answer to an id list of which nothing is published."""
    message = body.get("errorMessage") if isinstance(body, dict) else None
    return isinstance(message, str) and "not found" in message.lower()
