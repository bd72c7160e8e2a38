"""What every source shares: the answers it yields, its errors and the limits of one fetch.

Input: nothing (definitions only). Output: :class:`Answer` (one raw response, stored in a
snapshot as is), the :class:`Source` protocol the fetch stages program against,
:class:`FetchError` and :class:`Budget`, the time and request allowance of one fetch, shared by
its worker threads so that the first fatal error stops the queued work.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field

FailureKind = Literal["timeout", "connect", "status", "format", "limit", "deadline", "cancelled"]


class FetchError(Exception):
    """The source could not answer; the message says what failed, for the county's staff."""

    def __init__(self, message: str, kind: FailureKind = "status") -> None:
        super().__init__(message)
        self.kind: FailureKind = kind

    @property
    def timed_out(self) -> bool:
        """A read time-out or a gateway time-out: a smaller request may still succeed."""
        return self.kind == "timeout"


@dataclass(frozen=True)
class Answer:
    """One raw response and what it is, as stored in a snapshot."""

    url: str
    status: int
    body: Any
    fetched_at: datetime
    kind: str
    """What the items are (PTV: ``service``, ``channel``, ``organization``)."""
    role: str
    """``items``: objects of ``kind``; ``changed``/``removed``: a page of ids."""
    tag: str = ""
    """What the answer is for (``municipality:205``, ``nationwide``), so a partial refresh can
    replace the answers of one county."""
    requested: tuple[str, ...] = ()
    """For an id list: the ids asked for; ids missing from the answer are gone from the
    source."""


class Source(Protocol):
    """What the snapshot store needs to know of a source, whatever it fetches."""

    api: str
    """The API and its version, recorded in every snapshot (``ptv-v11``)."""
    base_url: str


class FetchLimits(BaseModel):
    """Bounds of one fetch, so an unattended nightly job ends in bounded time."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    deadline_minutes: float = Field(default=45.0, gt=0)
    """The whole fetch of one source must finish within this; then it fails."""
    connect_timeout: float = Field(default=10.0, gt=0)
    read_timeout: float = Field(default=45.0, gt=0)
    """Seconds without an answer before a request is given up. PTV's gateway gives up on slow
    id lists with a 504 sooner; a hanging server must not hold a nightly job for long."""
    retries: int = Field(default=4, ge=0, le=10)
    """Retries of a request that failed with 429 or 5xx, or whose connection broke."""
    retry_after_cap: float = Field(default=120.0, ge=0)
    """The longest ``Retry-After`` obeyed, in seconds (a server asking for a day is capped)."""
    max_pages: int = Field(default=500, ge=1)
    """The most pages one listing may have; a larger ``pageCount`` is an error."""
    max_requests: int = Field(default=20_000, ge=1)
    """The most requests one fetch may send."""


@dataclass
class Budget:
    """The time and requests left to one fetch; shared by its threads.

    ``check`` is called before every request and every wait: it raises when the deadline has
    passed, the request allowance is used up, or another thread has failed (fail fast).
    """

    limits: FetchLimits = field(default_factory=FetchLimits)
    clock: Callable[[], float] = time.monotonic
    started: float = field(default=-1.0)
    requests: int = 0
    _cancelled: str | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _wake: threading.Event = field(default_factory=threading.Event, repr=False)

    def __post_init__(self) -> None:
        if self.started < 0:
            self.started = self.clock()

    @property
    def remaining(self) -> float:
        return self.limits.deadline_minutes * 60 - (self.clock() - self.started)

    def cancel(self, reason: str) -> None:
        """Stop every queued request and wait of this fetch."""
        with self._lock:
            if self._cancelled is None:
                self._cancelled = reason
        self._wake.set()

    def check(self) -> None:
        if self._cancelled is not None:
            raise FetchError(f"stopped: {self._cancelled}", "cancelled")
        if self.remaining <= 0:
            minutes = f"{self.limits.deadline_minutes:g}"
            raise FetchError(f"the fetch did not finish within {minutes} minutes", "deadline")

    def count_request(self, url: str) -> None:
        self.check()
        with self._lock:
            self.requests += 1
            if self.requests > self.limits.max_requests:
                raise FetchError(
                    f"{url}: more than {self.limits.max_requests} requests in one fetch "
                    "(the limit max_requests)",
                    "limit",
                )

    def timeout(self) -> tuple[float, float]:
        """Connect and read time-outs, never beyond the deadline."""
        left = max(0.1, self.remaining)
        return min(self.limits.connect_timeout, left), min(self.limits.read_timeout, left)

    def wait(self, seconds: float, why: str) -> None:
        """Sleep before a retry; fails at once if the wait would pass the deadline."""
        self.check()
        if seconds >= self.remaining:
            raise FetchError(
                f"{why}: waiting {seconds:.0f} s would pass the deadline of the fetch", "deadline"
            )
        if seconds > 0:
            self._wake.wait(seconds)
        self.check()
