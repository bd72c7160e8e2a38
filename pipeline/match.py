"""Stage 3, match: which PTV services belong on which article of which site.

Input: the normalised services (:mod:`pipeline.sources.ptv.model`), an article's filters
(:class:`~pipeline.content.models.ServiceFilters`), the site's area (or None for the national
site) and the county's overrides. Output: ranked :class:`Match` objects, each with its reasons, so a
county can see why a service appears. Pure functions; no I/O.

A service matches an article when

1. it is **offered** on the site: nationwide, or (on an adopted county's site) in one of the
   county's municipalities or in the county as a whole;
2. it shares a **topic** with the article: a service class (or one of its subclasses), an
   ontology term, or a keyword. Life events count as a topic only for an article that names no
   service classes and no ontology terms: in PTV they are optional and set loosely, so on their
   own they would pull every "having a child" service onto every family article;
3. it serves the article's **target groups**, if the article names any. A service for all
   citizens (``KR1``) serves every citizen group (families ``KR1.2``, ...): its reason says
   so (``target group KR1.2 via KR1``); a county that does not want it hides it.

County pins add a service whatever its classification; hides remove it from one article or the
whole site. The order is: pinned, then the county's and municipalities' own services, then
nationwide services; within each, more shared topics first, then by name.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from pipeline.content.models import Region, ServiceFilters, ServiceOverrides
from pipeline.sources.ptv.model import Service

EVERYONE = "KR1"
"""PTV's target group "Kansalaiset" (citizens): a service for everyone, families included."""

Scope = Literal["county", "municipal", "nationwide"]
SCOPE_ORDER: dict[Scope, int] = {"county": 0, "municipal": 0, "nationwide": 1}


@dataclass(frozen=True)
class Reason:
    """One reason a service is on an article, in terms a PTV maintainer knows."""

    criterion: Literal[
        "service class", "ontology term", "keyword", "life event", "target group", "pinned"
    ]
    value: str
    """The code, term or word that matched (the article's, or the county file's)."""
    via: str | None = None
    """The service's own code when it matched through a parent class (``P5.2`` via ``P5``), or
    the service's ``KR1`` (for all citizens) when it serves a citizen group through it."""


@dataclass(frozen=True)
class Offer:
    """Where on the site's area a service is offered."""

    scope: Scope
    municipalities: tuple[str, ...] = ()
    """For municipal services: the codes of the county's municipalities it names."""


@dataclass(frozen=True)
class Match:
    service: Service
    offer: Offer
    reasons: tuple[Reason, ...]

    @property
    def pinned(self) -> bool:
        return any(r.criterion == "pinned" for r in self.reasons)


def offer_on(service: Service, region: Region | None) -> Offer | None:
    """Whether (and how) a service is offered on a site: ``region`` None is the national site,
    and a county that has not adopted the service shows what the national site shows."""
    if service.scope == "nationwide":
        return Offer("nationwide")
    if region is None or not region.adopted:
        return None
    if region.code in service.counties:
        return Offer("county")
    codes = {m.code for m in region.municipalities}
    mine = service.municipalities & codes
    if not mine:
        return None
    if mine == codes and len(codes) > 1:
        return Offer("county")
    return Offer("municipal", tuple(sorted(mine)))


def _class_reasons(service: Service, wanted: Iterable[str]) -> list[Reason]:
    reasons = []
    for code in wanted:
        for own in service.service_classes:
            if own == code or own.startswith(code + "."):
                reasons.append(Reason("service class", code, own if own != code else None))
                break
    return reasons


def topic_reasons(service: Service, filters: ServiceFilters) -> list[Reason]:
    """What the service and the article have in common, strongest evidence first."""
    reasons = _class_reasons(service, filters.service_classes)
    terms = set(service.ontology_terms)
    reasons += [Reason("ontology term", t) for t in filters.ontology_terms if t in terms]
    own_words = {w.casefold() for words in service.keywords.values() for w in words}
    reasons += [Reason("keyword", w) for w in filters.keywords if w.casefold() in own_words]
    if not filters.service_classes and not filters.ontology_terms:
        events = set(service.life_events)
        reasons += [Reason("life event", e) for e in filters.life_events if e in events]
    return reasons


def audience_reason(service: Service, filters: ServiceFilters) -> Reason | bool | None:
    """The target group the service shares with the article; True if the article names none."""
    if not filters.target_groups:
        return True
    groups = set(service.target_groups)
    for code in filters.target_groups:
        if code in groups:
            return Reason("target group", code)
    if EVERYONE in groups:
        for code in filters.target_groups:
            if code.startswith(EVERYONE + "."):
                return Reason("target group", code, EVERYONE)
    return None


def _hidden(overrides: ServiceOverrides, article: str) -> set[str]:
    return {h.service for h in overrides.hide if h.article in (None, article)}


def match_article(
    article: str,
    filters: ServiceFilters | None,
    services: Iterable[Service],
    region: Region | None,
) -> list[Match]:
    """The ranked services of one article on one site (``region`` None: the national site)."""
    overrides = region.services if region is not None and region.adopted else ServiceOverrides()
    hidden = _hidden(overrides, article)
    pins = [p.service for p in overrides.pin if p.article == article]
    by_id = {s.id: s for s in services}
    matches: list[Match] = []
    for service in by_id.values():
        if service.id in hidden or service.id in pins:
            continue
        offer = offer_on(service, region)
        if offer is None or filters is None:
            continue
        topics = topic_reasons(service, filters)
        audience = audience_reason(service, filters)
        if not topics or audience is None:
            continue
        extra = (audience,) if isinstance(audience, Reason) else ()
        matches.append(Match(service, offer, (*topics, *extra)))
    matches.sort(
        key=lambda m: (
            SCOPE_ORDER[m.offer.scope],
            -sum(r.criterion != "target group" for r in m.reasons),
            m.service.names.get("fi") or next(iter(m.service.names.values()), ""),
        )
    )
    pinned = []
    for ident in dict.fromkeys(pins):
        if ident in by_id and ident not in hidden:
            # A pinned service is shown even where its area would not be: the county asked.
            offer = offer_on(by_id[ident], region) or Offer("county")
            pinned.append(Match(by_id[ident], offer, (Reason("pinned", "regions file"),)))
    return pinned + matches


def site_hidden(region: Region | None) -> set[str]:
    """Services a county hides from its whole site."""
    if region is None or not region.adopted:
        return set()
    return {h.service for h in region.services.hide if h.article is None}
