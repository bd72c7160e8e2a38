"""JSON over HTTP for every source: bounded retries, time-outs and answers that fail closed.

Input: an address and a :class:`~pipeline.sources.base.Budget`. Output: the parsed JSON and the
status, or a :class:`~pipeline.sources.base.FetchError` that names what failed (a time-out, a
refused connection, an HTTP status, an HTML page or a cut-off body where JSON was expected).

One ``requests`` session per thread with urllib3 retries on 429 and 5xx, ``Retry-After``
obeyed up to a cap and counted against the fetch's deadline. A connection closed in the middle
of a body is retried here (urllib3 retries only until the headers arrive). A UTF-8 byte order
mark is accepted. A 404 is an error unless the caller says that a 404 means "none of these".
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Self

import requests
from requests.adapters import HTTPAdapter
from urllib3.exceptions import MaxRetryError, ProtocolError, ReadTimeoutError
from urllib3.response import BaseHTTPResponse
from urllib3.util.retry import Retry

from pipeline.sources.base import Budget, FailureKind, FetchError

RETRY_STATUSES = (429, 500, 502, 503, 504)


class BoundedRetry(Retry):
    """urllib3's retry, with every wait capped and checked against the fetch's budget."""

    budget: Budget | None = None

    def new(self, **kw: Any) -> Self:
        retry = super().new(**kw)
        retry.budget = self.budget
        return retry

    def sleep(self, response: BaseHTTPResponse | None = None) -> None:
        if self.budget is None:
            super().sleep(response)
            return
        wait = self.get_backoff_time()
        asked = self.get_retry_after(response) if response is not None else None
        status = f"HTTP {response.status}" if response is not None else "a failed connection"
        url = getattr(response, "url", None) if response is not None else None
        if url:
            status = f"{url}: {status}"
        if asked is not None:
            cap = self.budget.limits.retry_after_cap
            if asked > cap:
                # A server that wants us gone for longer than we wait will not answer sooner.
                raise FetchError(
                    f"{status}: the server asks to wait {asked:.0f} s before trying again "
                    f"(Retry-After), more than the {cap:.0f} s a fetch waits "
                    "(limits.retry_after_cap); try again later",
                    "status",
                )
            wait = asked
        self.budget.wait(wait, f"retry after {status}")


@dataclass
class JsonClient:
    """Sends GET requests and returns parsed JSON; one per source."""

    user_agent: str
    budget: Budget
    backoff: float = 1.0
    """Seconds; waits grow 1, 2, 4, 8... between retries."""
    _local: threading.local = field(default_factory=threading.local, repr=False)

    @property
    def session(self) -> requests.Session:
        """One session per thread: requests sessions are not guaranteed thread-safe."""
        session: requests.Session | None = getattr(self._local, "session", None)
        if session is None:
            retries = self.budget.limits.retries
            retry = BoundedRetry(
                total=retries,
                connect=retries,
                # A server that does not answer in time rarely answers the second time: a
                # read time-out is not retried as it is; the caller may ask for less instead
                # (id lists are halved), so a hanging server is reported within a minute.
                read=0,
                status=retries,
                backoff_factor=self.backoff,
                status_forcelist=RETRY_STATUSES,
                allowed_methods=frozenset({"GET"}),
                respect_retry_after_header=True,
                # Read the server's wish as it is; our own cap decides what to do with it.
                retry_after_max=10**9,
                raise_on_status=False,
            )
            retry.budget = self.budget
            adapter = HTTPAdapter(max_retries=retry)
            session = requests.Session()
            session.mount("http://", adapter)
            session.mount("https://", adapter)
            # No Authorization header: a malformed one makes public reads fail.
            session.headers.update({"User-Agent": self.user_agent, "Accept": "application/json"})
            self._local.session = session
        return session

    def get(self, url: str, *, empty_404: Callable[[Any], bool] | None = None) -> tuple[int, Any]:
        """(status, parsed JSON) of ``url``; a 404 is ``(404, None)`` only if ``empty_404``
        accepts its body, otherwise an error like every other failure."""
        attempts = self.budget.limits.retries + 1
        for attempt in range(attempts):
            self.budget.count_request(url)
            try:
                response = self.session.get(url, timeout=self.budget.timeout())
                content = response.content
            except (requests.exceptions.ChunkedEncodingError, requests.ConnectionError) as exc:
                if _cut_off(exc) and attempt + 1 < attempts:
                    self.budget.wait(self.backoff * 2**attempt, f"{url}: the answer was cut off")
                    continue
                raise FetchError(f"{url}: {_reason(exc)}", _kind(exc)) from None
            except requests.RequestException as exc:
                raise FetchError(f"{url}: {_reason(exc)}", _kind(exc)) from None
            return self._parse(url, response, content, empty_404)
        raise AssertionError("unreachable: the loop returns or raises")

    def _parse(
        self,
        url: str,
        response: requests.Response,
        content: bytes,
        empty_404: Callable[[Any], bool] | None,
    ) -> tuple[int, Any]:
        status = response.status_code
        body = _json(content)
        if status == 404 and empty_404 is not None and body is not _NOT_JSON and empty_404(body):
            return 404, None
        if status >= 400:
            kind: FailureKind = "timeout" if status == 504 else "status"
            raise FetchError(f"{url}: HTTP {status} {response.reason}{_hint(content)}", kind)
        if body is _NOT_JSON:
            what = "an HTML page" if _looks_html(response, content) else "something else"
            raise FetchError(f"{url}: expected JSON, got {what} (HTTP {status})", "format")
        return status, body


_NOT_JSON = object()


def _json(content: bytes) -> Any:
    try:
        return json.loads(content.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError):
        return _NOT_JSON


def _looks_html(response: requests.Response, content: bytes) -> bool:
    kind = response.headers.get("Content-Type", "")
    return "html" in kind or content.lstrip()[:1] == b"<"


def _hint(content: bytes) -> str:
    return " (an HTML page)" if content.lstrip()[:1] == b"<" else ""


def _cut_off(exc: Exception) -> bool:
    """The server closed the connection before the whole body arrived."""
    if isinstance(exc, requests.exceptions.ChunkedEncodingError):
        return True
    cause = exc.args[0] if exc.args else None
    return isinstance(cause, ProtocolError)


def _timed_out(exc: Exception) -> bool:
    if isinstance(exc, requests.Timeout):
        return True
    cause = exc.args[0] if exc.args else None
    return isinstance(cause, MaxRetryError) and isinstance(cause.reason, ReadTimeoutError)


def _kind(exc: Exception) -> FailureKind:
    if _timed_out(exc):
        return "timeout"
    if isinstance(exc, requests.exceptions.RetryError):
        return "timeout" if "504" in str(exc) else "status"
    return "connect"


def _reason(exc: Exception) -> str:
    if _timed_out(exc):
        return "timed out (no answer within the read time-out, limits.read_timeout)"
    if isinstance(exc, requests.exceptions.RetryError):
        cause = str(exc)
        return "too many 504 error responses" if "504" in cause else "gave up after retries"
    if _cut_off(exc):
        return "the connection closed before the answer was complete"
    if isinstance(exc, requests.ConnectionError):
        return "could not connect"
    return exc.__class__.__name__
