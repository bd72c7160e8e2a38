"""Stage 3, match: which PTV services, activities and events belong on which article.

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

Activities and events (:func:`match_events`, at the end) are matched the same way from the
county's items (:mod:`pipeline.sources.events`): a shared topic and a fitting audience, each
match with its reasons; the rules are data (``data/events/article-matching.yml``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from pipeline.content.models import ONTOLOGY_URI, Region, ServiceFilters, ServiceOverrides
from pipeline.sources.events.model import Event
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


@dataclass(frozen=True)
class Offered:
    """The services of one site, each with where it is offered (services not offered there
    are kept for pins), indexed by what an article can share with them: every class code and
    each of its parents (``P5.2.1`` under ``P5.2`` and ``P5``), ontology term, keyword (case
    folded) and life event. Built once per site, so matching an article looks only at the
    services that share a topic with it, not at every service of the country."""

    region: Region | None
    services: dict[str, Service]
    offers: dict[str, Offer]
    order: dict[str, int]
    by_class: dict[str, list[str]]
    by_term: dict[str, list[str]]
    by_word: dict[str, list[str]]
    by_event: dict[str, list[str]]

    def candidates(self, filters: ServiceFilters) -> list[Service]:
        """The offered services sharing at least one topic with ``filters``, in the order they
        were given (a superset of the matches: :func:`topic_reasons` decides)."""
        found: set[str] = set()
        for code in filters.service_classes:
            found.update(self.by_class.get(code, ()))
        for term in filters.ontology_terms:
            found.update(self.by_term.get(term, ()))
        for word in filters.keywords:
            found.update(self.by_word.get(word.casefold(), ()))
        if not filters.service_classes and not filters.ontology_terms:
            for event in filters.life_events:
                found.update(self.by_event.get(event, ()))
        return [self.services[i] for i in sorted(found, key=self.order.__getitem__)]


def offered_on(services: Iterable[Service], region: Region | None) -> Offered:
    """Index ``services`` for matching the articles of one site (``region`` None: national)."""
    every: dict[str, Service] = {}
    offers: dict[str, Offer] = {}
    indexes: tuple[dict[str, list[str]], ...] = ({}, {}, {}, {})
    by_class, by_term, by_word, by_event = indexes
    for service in services:
        if service.id in every:
            continue
        every[service.id] = service
        offer = offer_on(service, region)
        if offer is None:
            continue
        offers[service.id] = offer
        classes = {
            ".".join(parts[:n])
            for code in service.service_classes
            for parts in [code.split(".")]
            for n in range(1, len(parts) + 1)
        }
        words = {w.casefold() for values in service.keywords.values() for w in values}
        for index, keys in zip(
            indexes,
            (classes, set(service.ontology_terms), words, set(service.life_events)),
            strict=True,
        ):
            for key in keys:
                index.setdefault(key, []).append(service.id)
    order = {ident: n for n, ident in enumerate(every)}
    return Offered(region, every, offers, order, by_class, by_term, by_word, by_event)


def _topic_matches(offered: Offered, filters: ServiceFilters, skipped: set[str]) -> list[Match]:
    """The offered services that share a topic and the audience with the article."""
    matches = []
    for service in offered.candidates(filters):
        if service.id in skipped:
            continue
        topics = topic_reasons(service, filters)
        audience = audience_reason(service, filters)
        if not topics or audience is None:
            continue
        extra = (audience,) if isinstance(audience, Reason) else ()
        matches.append(Match(service, offered.offers[service.id], (*topics, *extra)))
    return matches


def match_article(
    article: str,
    filters: ServiceFilters | None,
    services: Iterable[Service] | Offered,
    region: Region | None,
) -> list[Match]:
    """The ranked services of one article on one site (``region`` None: the national site).
    ``services`` may be indexed once per site with :func:`offered_on` (for the same region)."""
    offered = services if isinstance(services, Offered) else offered_on(services, region)
    overrides = region.services if region is not None and region.adopted else ServiceOverrides()
    hidden = _hidden(overrides, article)
    pins = [p.service for p in overrides.pin if p.article == article]
    matches = [] if filters is None else _topic_matches(offered, filters, hidden | set(pins))
    matches.sort(
        key=lambda m: (
            SCOPE_ORDER[m.offer.scope],
            -sum(r.criterion != "target group" for r in m.reasons),
            m.service.names.get("fi") or next(iter(m.service.names.values()), ""),
        )
    )
    pinned = []
    by_id = offered.services
    for ident in dict.fromkeys(pins):
        if ident in by_id and ident not in hidden:
            # A pinned service is shown even where its area would not be: the county asked.
            offer = offered.offers.get(ident) or Offer("county")
            pinned.append(Match(by_id[ident], offer, (Reason("pinned", "regions file"),)))
    return pinned + matches


def site_hidden(region: Region | None) -> set[str]:
    """Services a county hides from its whole site."""
    if region is None or not region.adopted:
        return set()
    return {h.service for h in region.services.hide if h.article is None}


# --- activities and events ----------------------------------------------------------------
# Which of the county's activities and events an article shows. The rules are data
# (``data/events/article-matching.yml``, read by :func:`pipeline.site.events.load_rules`):
# an item is shown when it shares a topic with the article (an ontology term, a concept or a
# word of one of its themes, one of its keywords) and fits its audience (the ages or the
# audience concepts of its life stages). Every match carries its reasons, as service matches
# do, for the county report.

EventCriterion = Literal["ontology term", "theme", "keyword", "age", "audience"]


@dataclass(frozen=True)
class EventReason:
    """One reason an activity or event is on an article."""

    criterion: EventCriterion
    value: str
    """The article's term, theme, keyword, or the ages or concept of the item that fit."""
    via: str | None = None
    """How: the item's concept or the rule's word found in its name or summary (a theme), or
    the article's life stage (ages and audience concepts; ``families`` for a concept of every
    family)."""
    lang: str | None = None
    """For a word: the language of the text it was found in."""


class StageRule(BaseModel):
    """The ages and audience concepts of one life stage."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    ages: tuple[int, int] | None = None
    concepts: tuple[str, ...] = ()

    @field_validator("concepts")
    @classmethod
    def _uris(cls, values: tuple[str, ...]) -> tuple[str, ...]:
        return _concepts(values)

    @field_validator("ages")
    @classmethod
    def _ordered(cls, ages: tuple[int, int] | None) -> tuple[int, int] | None:
        if ages is not None and not 0 <= ages[0] <= ages[1] <= 120:
            raise ValueError("give the youngest and the oldest age, youngest first (0-120)")
        return ages


class ThemeRule(BaseModel):
    """The concepts and words of one theme."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    concepts: tuple[str, ...] = ()
    words: dict[Literal["fi", "sv", "en"], tuple[str, ...]] = {}

    @field_validator("concepts")
    @classmethod
    def _uris(cls, values: tuple[str, ...]) -> tuple[str, ...]:
        return _concepts(values)

    @field_validator("words")
    @classmethod
    def _not_empty(
        cls, words: dict[Literal["fi", "sv", "en"], tuple[str, ...]]
    ) -> dict[Literal["fi", "sv", "en"], tuple[str, ...]]:
        for word in (w for values in words.values() for w in values):
            if not WORD_SEPARATOR.sub("", word.rstrip("*")):
                raise ValueError(f"'{word}' has no letters to look for")
        return words


class EventRules(BaseModel):
    """``data/events/article-matching.yml``: how articles and activities are matched."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    per_article: int = Field(default=5, ge=1, le=20)
    families: tuple[str, ...] = ()
    """Audience concepts that fit an article of any life stage (families with children)."""
    life_stages: dict[str, StageRule] = {}
    themes: dict[str, ThemeRule] = {}

    @field_validator("families")
    @classmethod
    def _uris(cls, values: tuple[str, ...]) -> tuple[str, ...]:
        return _concepts(values)


def _concepts(values: tuple[str, ...]) -> tuple[str, ...]:
    for value in values:
        if not ONTOLOGY_URI.match(value):
            raise ValueError(f"'{value}' is not a YSO concept URI (http://www.yso.fi/onto/yso/p…)")
    return values


@dataclass(frozen=True)
class EventFilters:
    """What of an article decides its activities (from the Finnish source's front matter)."""

    themes: tuple[str, ...] = ()
    life_stages: tuple[str, ...] = ()
    ontology_terms: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    """Finnish words (``services.keywords``)."""


@dataclass(frozen=True)
class EventMatch:
    event: Event
    reasons: tuple[EventReason, ...]


WORD_SEPARATOR = re.compile(r"[^\w*]+")


def _words(text: str) -> str:
    """Lower case words separated by single spaces, with a space before and after."""
    return " " + " ".join(WORD_SEPARATOR.sub(" ", text.casefold().replace("*", " ")).split()) + " "


def word_found(word: str, text: str) -> bool:
    """Whether a rule word (``vauva*``, ``ero``, ``family caf*``) is in ``text`` (already
    through :func:`_words`): a whole word or phrase, or with ``*`` the start of one."""
    prefix = word.endswith("*")
    wanted = " ".join(WORD_SEPARATOR.sub(" ", word.casefold().rstrip("*")).split())
    if not wanted:
        return False
    return f" {wanted}{'' if prefix else ' '}" in text


def _texts_of(event: Event) -> dict[str, str]:
    """The item's name and summary per language, as compared."""
    return {
        lang: _words(f"{event.names.get(lang, '')} {event.summaries.get(lang, '')}")
        for lang in ("fi", "sv", "en")
        if lang in event.names or lang in event.summaries
    }


class EventTopics:
    """One item's side of :func:`event_topic_reasons`, worked out once for all the articles of
    a site: its concepts and texts, and each theme's and keyword's answer the first time an
    article asks (a county's items are compared with every article: the same themes and
    keywords come back again and again)."""

    def __init__(self, event: Event, rules: EventRules) -> None:
        self.event = event
        self.rules = rules
        self.concepts = {k.uri for k in event.keywords}
        self.texts = _texts_of(event)
        self._themes: dict[str, EventReason | None] = {}
        self._keywords: dict[str, bool] = {}

    def theme(self, theme: str) -> EventReason | None:
        if theme not in self._themes:
            self._themes[theme] = self._theme_reason(theme)
        return self._themes[theme]

    def keyword(self, word: str) -> bool:
        if word not in self._keywords:
            # An article's keywords are Finnish base forms: they match inflected words too
            # ("neuvola" finds "neuvolan").
            self._keywords[word] = word_found(word.rstrip("*") + "*", self.texts.get("fi", ""))
        return self._keywords[word]

    def _theme_reason(self, theme: str) -> EventReason | None:
        rule = self.rules.themes.get(theme)
        if rule is None:
            return None
        shared = [c for c in rule.concepts if c in self.concepts]
        if shared:
            return EventReason("theme", theme, shared[0])
        texts = self.texts
        for lang, words in rule.words.items():
            if lang in texts:
                for word in words:
                    if word_found(word, texts[lang]):
                        return EventReason("theme", theme, word, lang)
        return None


def event_topic_reasons(
    event: Event | EventTopics, filters: EventFilters, rules: EventRules
) -> list[EventReason]:
    """What the item and the article have in common, strongest evidence first."""
    topics = event if isinstance(event, EventTopics) else EventTopics(event, rules)
    reasons = [
        EventReason("ontology term", t) for t in filters.ontology_terms if t in topics.concepts
    ]
    reasons += [r for theme in filters.themes if (r := topics.theme(theme)) is not None]
    reasons += [EventReason("keyword", w, lang="fi") for w in filters.keywords if topics.keyword(w)]
    return reasons


def _ages(event: Event) -> tuple[int, int] | None:
    if event.audience_min_age is None and event.audience_max_age is None:
        return None
    low = event.audience_min_age if event.audience_min_age is not None else 0
    high = event.audience_max_age if event.audience_max_age is not None else 120
    return low, high


def event_audience_reason(
    event: Event, filters: EventFilters, rules: EventRules
) -> EventReason | bool | None:
    """How the item fits the article's life stages: a reason, True when the article is for
    every age or the item does not say its audience, None when it does not fit."""
    stages = [s for s in filters.life_stages if s != "all-ages"]
    if not stages or len(stages) < len(filters.life_stages):
        return True
    known = [(s, rules.life_stages[s]) for s in stages if s in rules.life_stages]
    ages = _ages(event)
    aged = [(s, rule) for s, rule in known if rule.ages is not None]
    if ages is not None and aged:
        # The source said its ages: they decide.
        for stage, rule in aged:
            assert rule.ages is not None
            if ages[0] <= rule.ages[1] and rule.ages[0] <= ages[1]:
                return EventReason("age", f"{ages[0]}–{ages[1]}", stage)
        return None
    concepts = {k.uri for k in event.keywords}
    for stage, rule in known:
        shared = [c for c in rule.concepts if c in concepts]
        if shared:
            return EventReason("audience", shared[0], stage)
    shared = [c for c in rules.families if c in concepts]
    if shared:
        return EventReason("audience", shared[0], "families")
    audience = {c for _, rule in rules.life_stages.items() for c in rule.concepts}
    if ages is None and not concepts & audience:
        return True  # the source does not say who it is for
    return None


def _when(event: Event) -> tuple[int, datetime, str]:
    """Nearest first; long-term activities (no dates) after the dated ones, by name."""
    if event.start is None:
        return (1, datetime.max.replace(tzinfo=UTC), event.name("fi")[0].casefold())
    return (0, event.start, event.name("fi")[0].casefold())


def match_events(
    filters: EventFilters | None, events: Iterable[Event | EventTopics], rules: EventRules
) -> list[EventMatch]:
    """The activities and events one article shows: those that share a topic with it and fit
    its audience, not cancelled, the nearest first, at most ``rules.per_article``. Give the
    items as :class:`EventTopics` when many articles are matched with the same items."""
    if filters is None:
        return []
    matches = []
    for item in events:
        event = item.event if isinstance(item, EventTopics) else item
        if event.status == "cancelled" or not event.upcoming:
            continue
        topics = event_topic_reasons(item, filters, rules)
        audience = event_audience_reason(event, filters, rules)
        if not topics or audience is None:
            continue
        extra = (audience,) if isinstance(audience, EventReason) else ()
        matches.append(EventMatch(event, (*topics, *extra)))
    matches.sort(key=lambda m: _when(m.event))
    return matches[: rules.per_article]
