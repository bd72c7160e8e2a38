"""Where PTV data comes from: the ``PtvSource`` interface and its v11 implementation.

Input: questions about PTV (the services of a municipality, the nationwide services, objects by
id, what changed since a time). Output: :class:`Answer` objects, each one raw HTTP response with
the request that produced it and when, ready to be stored in a snapshot as is.

``V11Source`` talks to the v11 open API with ``requests``: one session per worker thread with
urllib3 retries and exponential back-off on 429 and 5xx (honouring ``Retry-After``), connect
and read time-outs, a descriptive User-Agent and no ``Authorization`` header (a malformed one
makes public reads fail). Paging reads ``pageCount`` from page 1 and treats ``itemList: null``
as an empty page; id lists go in chunks of at most 100, halved when the server times out. A
v12 source can implement the same methods and write its own answers.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal, Protocol
from urllib.parse import urlencode, urljoin

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from pipeline import __version__

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


class FetchError(Exception):
    """The source could not answer; the message says what failed, for the county's staff."""


@dataclass(frozen=True)
class Answer:
    """One raw response and what it is, as stored in a snapshot."""

    url: str
    status: int
    body: Any
    fetched_at: datetime
    kind: Kind
    role: Role
    """``items``: objects of ``kind``; ``changed``/``removed``: a GUID page of ids."""
    tag: str = ""
    """What the answer is for (``municipality:205``, ``nationwide``), so a partial refresh can
    replace the answers of one county."""
    requested: tuple[str, ...] = ()
    """For ``list?guids=``: the ids asked for; ids missing from the answer are gone from PTV."""


class PtvSource(Protocol):
    """What the fetch stage needs from PTV, whatever the API version."""

    api: str
    base_url: str

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
    timeout: tuple[float, float] = (10.0, 90.0)
    """Connect and read time-outs in seconds; v11 list calls can take a minute."""
    retries: int = 4
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
    _local: threading.local = field(default_factory=threading.local, repr=False)

    def __post_init__(self) -> None:
        self.base_url = self.base_url.rstrip("/") + "/"

    # --- HTTP -----------------------------------------------------------------------------

    @property
    def session(self) -> requests.Session:
        """One session per thread: requests sessions are not guaranteed thread-safe."""
        session = getattr(self._local, "session", None)
        if session is None:
            session = requests.Session()
            retry = Retry(
                total=self.retries,
                connect=self.retries,
                read=self.retries,
                status=self.retries,
                backoff_factor=self.backoff,
                status_forcelist=(429, 500, 502, 503, 504),
                allowed_methods=frozenset({"GET"}),
                respect_retry_after_header=True,
                raise_on_status=False,
            )
            adapter = HTTPAdapter(max_retries=retry)
            session.mount("http://", adapter)
            session.mount("https://", adapter)
            session.headers.update({"User-Agent": USER_AGENT, "Accept": "application/json"})
            self._local.session = session
        return session

    def url(self, path: str, params: dict[str, Any] | None = None, base: str | None = None) -> str:
        query = urlencode(params or {}, safe=",:")
        return urljoin(base or self.base_url, path) + (f"?{query}" if query else "")

    def get(self, path: str, params: dict[str, Any] | None = None) -> tuple[str, int, Any]:
        """Returns (the address to record, status, parsed JSON)."""
        url = self.url(path, params)
        recorded = self.url(path, params, self.record_as) if self.record_as else url
        try:
            response = self.session.get(url, timeout=self.timeout)
        except requests.RequestException as exc:
            raise FetchError(f"{url}: {_reason(exc)}") from None
        if response.status_code == 404:
            # v11 answers "not found" for an empty id list; that is an empty answer, not an error.
            return recorded, 404, None
        if response.status_code >= 400:
            raise FetchError(f"{url}: HTTP {response.status_code} {response.reason}")
        try:
            return recorded, response.status_code, response.json()
        except ValueError:
            raise FetchError(f"{url}: the answer is not JSON") from None

    def pages(
        self, path: str, params: dict[str, Any], kind: Kind, role: Role, tag: str
    ) -> Iterator[Answer]:
        """Every page of a paged answer: page 1 says how many pages there are."""
        page, count = 1, 1
        while page <= count:
            url, status, body = self.get(path, {**params, "page": page})
            if not isinstance(body, dict) or "pageCount" not in body:
                raise FetchError(f"{url}: expected a page with pageCount, got something else")
            count = int(body.get("pageCount") or 0)
            yield Answer(url, status, body, self.clock(), kind, role, tag)
            page += 1

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
                url, status, body = self.get(f"{PATHS[kind]}/list", {"guids": ",".join(chunk)})
            except FetchError as exc:
                # v11 times out on long id lists (504 on ServiceChannel/list); try halves.
                if len(chunk) > 1 and _timed_out(exc):
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


def _timed_out(exc: FetchError) -> bool:
    text = str(exc)
    return "HTTP 504" in text or "timed out" in text or "too many 504" in text


def _reason(exc: requests.RequestException) -> str:
    if isinstance(exc, requests.Timeout):
        return "timed out"
    if isinstance(exc, requests.exceptions.RetryError):
        cause = str(exc)
        return "too many 504 error responses" if "504" in cause else "gave up after retries"
    if isinstance(exc, requests.ConnectionError):
        return "could not connect"
    return exc.__class__.__name__
