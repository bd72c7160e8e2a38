"""Where activities and events come from: national settings and each county's feeds.

Input: ``extra.events`` of ``mkdocs.yml`` (:class:`EventsSettings`: the Linked Events instances,
Lähellä.fi, the snapshot folder, the horizon, fetch limits and sanity policy) and ``events:``
of ``regions/<slug>.yml`` (:class:`RegionEvents`: which instances, divisions and keywords, which
ICS feeds, whether Lähellä.fi and PTV activities are used). Output: frozen, strictly checked
models (unknown keys are errors, as everywhere in the configuration).

The addresses of every events source can be replaced at run time by ``PERHEKESKUS_EVENTS_URL``
(a local mirror or stand-in: the scheme, host and path prefix of the configured address are
swapped for it); snapshots record the configured address, never the stand-in.
"""

from __future__ import annotations

import os
from typing import Annotated
from urllib.parse import urlsplit, urlunsplit

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from pipeline.sources.base import FetchLimits
from pipeline.sources.policy import SanityPolicy

URL_VARIABLE = "PERHEKESKUS_EVENTS_URL"
Url = Annotated[str, StringConstraints(pattern=r"^https?://[^\s<>\"]+$")]
FeedId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=60)]
YsoId = Annotated[str, StringConstraints(pattern=r"^yso:p\d{1,6}$")]
MunicipalityCode = Annotated[str, StringConstraints(pattern=r"^\d{3}$")]
FAMILY_KEYWORDS = ["yso:p4354", "yso:p13050", "yso:p4363"]
"""YSO audiences for families: lapset (children), lapsiperheet (families with children),
perheet (families)."""


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class LinkedEventsInstance(Strict):
    """A Linked Events API (``https://api.hel.fi/linkedevents/v1/``)."""

    url: Url
    """The API root, ending in ``/``; ``event/`` is asked under it."""
    page_size: int = Field(default=100, ge=1, le=100)


class LahellaSettings(Strict):
    """Lähellä.fi: off until the Lähellä.fi network agrees a public feed. There is no public
    API; no credentials belong in the repository and nothing is scraped."""

    enabled: bool = False
    url: Url = "https://hallinta.lahella.fi/"


class EventsSettings(Strict):
    """``extra.events`` of ``mkdocs.yml``."""

    snapshots: str = "snapshots/events"
    """Folder of the events snapshots, relative to the project."""
    horizon_days: int = Field(default=60, ge=1, le=366)
    """How far ahead dates are shown: recurring activities are expanded up to this."""
    linked_events: dict[FeedId, LinkedEventsInstance] = {}
    """The Linked Events instances counties can name, by id (``helsinki``, ``satakunta``)."""
    lahella: LahellaSettings = LahellaSettings()
    keep: int = Field(default=3, ge=1, le=30)
    limits: FetchLimits = FetchLimits(deadline_minutes=20)
    sanity: SanityPolicy = SanityPolicy(max_drop=0.6, max_parse_failures=0.1)
    """Events come and go faster than services: a larger drop is still a normal week."""


class LinkedEventsFeed(Strict):
    """The county's events in one Linked Events instance."""

    instance: FeedId
    """An id of ``extra.events.linked_events`` in ``mkdocs.yml``."""
    divisions: list[str] = Field(min_length=1)
    """Linked Events ``division`` values: municipality names (``espoo``) or OCD ids."""
    keywords: list[YsoId] = FAMILY_KEYWORDS
    """Asked with ``keyword_OR``: events for any of these audiences."""


class IcsFeed(Strict):
    """A county's own calendar as an iCalendar (ICS) feed."""

    id: FeedId
    url: Url
    municipality: MunicipalityCode | None = None
    """Where events are held when the feed's LOCATION names no municipality of the county."""


class LahellaFeed(Strict):
    groups: list[Annotated[str, StringConstraints(pattern=r"^\d{1,20}$")]] = Field(min_length=1)
    """Lähellä.fi organisation (group) ids whose activities to read."""


class RegionEvents(Strict):
    """``events:`` of ``regions/<slug>.yml``: the county's sources of activities and events."""

    linked_events: list[LinkedEventsFeed] = []
    ics: list[IcsFeed] = []
    lahella: LahellaFeed | None = None
    """Read only when ``extra.events.lahella.enabled`` is true."""
    ptv_activities: bool = True
    """Long-term activities (family cafés, meeting places, NGO and parish services) from PTV."""

    @model_validator(mode="after")
    def _unique_ics(self) -> RegionEvents:
        ids = [feed.id for feed in self.ics]
        doubles = sorted({i for i in ids if ids.count(i) > 1})
        if doubles:
            raise ValueError(f"ics: the feed id '{doubles[0]}' is used twice")
        return self


def effective_url(url: str, override: str | None = None) -> str:
    """``url``, or the same path under ``PERHEKESKUS_EVENTS_URL`` when it is set."""
    base = override if override is not None else os.environ.get(URL_VARIABLE)
    if not base:
        return url
    parts, stand_in = urlsplit(url), urlsplit(base)
    path = stand_in.path.rstrip("/") + parts.path
    return urlunsplit((stand_in.scheme, stand_in.netloc, path, parts.query, ""))
