"""The data models passed between stages.

Front matter of articles and pages, county (region) files, and the loaded objects built from
them. Models read from files forbid unknown keys, so a misspelt field is an error and not a
silent no-op. Checks that need the national vocabulary (themes, PTV codes) read it from the
validation context: ``Model.model_validate(data, context={"vocabulary": vocabulary})``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, time
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
    model_validator,
)

from pipeline.problems import did_you_mean
from pipeline.sources.events.config import RegionEvents

if TYPE_CHECKING:
    from pipeline.content.vocabulary import Vocabulary

Lang = Literal["fi", "sv", "en"]
LANGUAGES: tuple[Lang, ...] = ("fi", "sv", "en")

Id = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=80)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Url = Annotated[str, StringConstraints(pattern=r"^https?://[^\s<>\"]+$")]

PTV_CODE_PATTERNS = {
    "service_classes": r"^P\d+(\.\d+)*$",
    "target_groups": r"^KR\d+(\.\d+)*$",
    "life_events": r"^KE\d+(\.\d+)*$",
}
ONTOLOGY_URI = re.compile(r"^http://www\.yso\.fi/onto/[a-z]+/p\d{1,5}$")


class Strict(BaseModel):
    """Base of every model read from a file: unknown keys are errors, values are frozen."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Localized(Strict):
    """A text in each of the site languages."""

    fi: Text
    sv: Text
    en: Text

    def get(self, lang: str) -> str:
        return str(getattr(self, lang))


def _vocabulary(info: ValidationInfo) -> Vocabulary | None:
    return (info.context or {}).get("vocabulary")


def _check_known(values: list[str], known: dict[str, Any], what: str) -> list[str]:
    for value in values:
        if value not in known:
            raise ValueError(f"unknown {what} '{value}'.{did_you_mean(value, known)}")
    return values


# --- Articles ------------------------------------------------------------------------------


CODE_KINDS = {
    "service_classes": "service class",
    "target_groups": "target group",
    "life_events": "life event",
}


def _known_code(field_name: str) -> Any:
    """An item validator: the value is a code of the PTV code set named by ``field_name``."""
    what = f"PTV {CODE_KINDS[field_name]} code"

    def check(value: str, info: ValidationInfo) -> str:
        if not re.match(PTV_CODE_PATTERNS[field_name], value):
            raise ValueError(f"'{value}' is not a {what}")
        vocabulary = _vocabulary(info)
        if vocabulary is not None:
            _check_known([value], getattr(vocabulary, field_name), what)
        return value

    return AfterValidator(check)


class ServiceFilters(Strict):
    """Which PTV services and activities belong on an article (used by the match stage)."""

    service_classes: list[Annotated[str, _known_code("service_classes")]] = []
    """PTV service class codes (``P5.2``); a service in a subclass matches too."""
    target_groups: list[Annotated[str, _known_code("target_groups")]] = []
    """PTV target group codes (``KR1.2``)."""
    life_events: list[Annotated[str, _known_code("life_events")]] = []
    """PTV life event codes (``KE1``)."""
    ontology_terms: list[Annotated[str, StringConstraints(pattern=ONTOLOGY_URI.pattern)]] = []
    """Ontology term URIs (``http://www.yso.fi/onto/koko/p12345``)."""
    keywords: list[Text] = []
    """Words that also find services and help search (Finnish compounds, synonyms)."""


class SourceLink(Strict):
    """A source of the facts in an article, on the authority's own site."""

    title: Text
    url: Url


class ArticleMeta(Strict):
    """The front matter of an article.

    The Finnish standard version is the source: it holds the classification (themes, life
    stages, audience, services, owner). Translations and plain-language versions share its
    ``id`` and inherit the classification.
    """

    id: Id
    """Stable id shared by every language and plain-language version of the article."""
    title: Text
    summary: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
    themes: list[str] | None = None
    life_stages: list[str] | None = None
    audience: list[str] | None = None
    services: ServiceFilters | None = None
    review_date: date
    """When the content must next be checked by its owner."""
    reviewed: date | None = None
    """When the text was last checked or updated (optional; the page says "Updated")."""
    owner: Text | None = None
    """The team responsible for the article."""
    sources: list[SourceLink] = []
    plain_language: bool = False
    """True for the plain-language (selkokieli / lättläst / easy language) version."""
    source_revision: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{7,64}$")] | None = None
    """In a translation: the revision of the Finnish source it was translated from."""
    quick_exit: bool = False
    """Show the "leave this page quickly" button (violence and crisis articles)."""
    search_keywords: list[Text] = []
    """Words families search with, in this version's language (synonyms, everyday words,
    compounds the text writes apart): they find the page but are not shown."""

    @field_validator("themes")
    @classmethod
    def _known_themes(cls, values: list[str] | None, info: ValidationInfo) -> list[str] | None:
        vocabulary = _vocabulary(info)
        if values is not None and not values:
            raise ValueError("give at least one theme")
        if values and vocabulary is not None:
            _check_known(values, vocabulary.themes, "theme")
        return values

    @field_validator("life_stages")
    @classmethod
    def _known_stages(cls, values: list[str] | None, info: ValidationInfo) -> list[str] | None:
        vocabulary = _vocabulary(info)
        if values and vocabulary is not None:
            _check_known(values, vocabulary.life_stages, "life stage")
        return values

    @field_validator("audience")
    @classmethod
    def _known_audience(cls, values: list[str] | None, info: ValidationInfo) -> list[str] | None:
        vocabulary = _vocabulary(info)
        if values and vocabulary is not None:
            _check_known(values, vocabulary.audiences, "audience")
        return values


CLASSIFICATION_FIELDS = ("themes", "life_stages", "audience", "services", "owner")


class PageMeta(Strict):
    """The front matter of a simple page: a national info page or a county's own page."""

    id: Id
    title: Text
    summary: Text | None = None
    review_date: date | None = None
    layout: Literal["page", "statement", "privacy"] = "page"
    """Which template renders the page; ``statement`` adds the county's feedback channel,
    ``privacy`` the site's controller (the county, or the national maintainer)."""
    order: int = 100
    """Position in lists of pages (smaller first)."""
    slug: Id | None = None


@dataclass(frozen=True)
class Document:
    """A Markdown file after loading: its front matter, body and where it came from."""

    path: str
    """Path relative to the project root, as shown in messages."""
    lang: Lang
    slug: str
    body: str
    body_line: int
    """File line of the first body line, so render problems can point at the file."""
    revision: str
    """Short hash of the title, summary and text (the revision translations refer to)."""


@dataclass(frozen=True)
class Article:
    """One language version (standard or plain language) of an article."""

    meta: ArticleMeta
    doc: Document

    @property
    def lang(self) -> Lang:
        return self.doc.lang

    @property
    def plain(self) -> bool:
        return self.meta.plain_language


@dataclass(frozen=True)
class ArticleGroup:
    """Every version of one article, linked by their shared id (as Pelican's translations)."""

    id: str
    source: Article
    """The Finnish standard version: it holds the classification."""
    versions: dict[tuple[Lang, bool], Article] = field(default_factory=dict)
    """Keyed by (language, plain language)."""

    @property
    def themes(self) -> list[str]:
        return self.source.meta.themes or []

    @property
    def primary_theme(self) -> str:
        return self.themes[0]

    def version(self, lang: str, plain: bool = False) -> Article | None:
        """The version in ``lang`` (the plain-language one if ``plain``), or None."""
        known = next((code for code in LANGUAGES if code == lang), None)  # a Lang, for the key
        return self.versions.get((known, plain)) if known is not None else None


@dataclass(frozen=True)
class Page:
    """A simple page (national info page or a county's own page) in one language."""

    meta: PageMeta
    doc: Document


# --- Counties --------------------------------------------------------------------------------

Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
WEEKDAYS: tuple[Weekday, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
PhoneNumber = Annotated[str, StringConstraints(pattern=r"^\+?[0-9][0-9 ]{1,18}[0-9]$")]


class OpeningHours(Strict):
    """Opening hours on some weekdays; rendered per language with Babel."""

    days: list[Weekday] = Field(min_length=1)
    opens: time
    closes: time

    @field_validator("opens", "closes", mode="before")
    @classmethod
    def _read_time(cls, value: Any) -> Any:
        # YAML 1.1 readers turn 8:00 into a number of minutes; accept "8:00" and "08.00" too.
        if isinstance(value, int):
            return time(value // 60, value % 60)
        if isinstance(value, str) and re.fullmatch(r"\d{1,2}[:.]\d{2}", value):
            hours, minutes = re.split(r"[:.]", value)
            return time(int(hours), int(minutes))
        return value

    @model_validator(mode="after")
    def _opens_before_closes(self) -> OpeningHours:
        if self.closes <= self.opens:
            raise ValueError("closes must be later than opens")
        return self


class Verified(Strict):
    """Where a county contact was confirmed; every contact needs both, or ``sample: true``."""

    source: Url | None = None
    """The page where the contact was confirmed (the county's own page, for example)."""
    checked: date | None = None
    """When someone last confirmed the contact there."""
    sample: bool = False
    """An example for a demonstration site: shown as an example, never as a number to call."""

    def _label(self) -> str:
        raise NotImplementedError

    @model_validator(mode="after")
    def _verified_or_sample(self) -> Verified:
        if self.sample or (self.source and self.checked):
            return self
        if not self.source and not self.checked:
            missing, pronoun = "no source and no date it was checked", "them"
        else:
            missing = "no source" if not self.source else "no date it was checked"
            pronoun = "it"
        raise ValueError(f"{self._label()} has {missing}; add {pronoun}, or mark it sample: true")


class HelpPhone(Verified):
    """A phone number of the county for the help panel."""

    name: Localized
    number: PhoneNumber
    hours: list[OpeningHours] = []
    """Empty means the line is always open."""
    note: Localized | None = None
    serves: list[Lang] | None = None
    """Languages the line answers in; by default the county's official languages."""

    def _label(self) -> str:
        return f"the number {self.number}"


HttpsUrl = Annotated[str, StringConstraints(pattern=r"^https://[^\s<>\"]+$")]


class HelpChat(Verified):
    """A chat service of the county for the help panel."""

    name: Localized
    url: HttpsUrl
    hours: list[OpeningHours] = []

    def _label(self) -> str:
        return f"the chat {self.url}"


class HelpContactPage(Verified):
    """The county's own page of contacts, linked when it has no verified number of its own."""

    url: HttpsUrl

    def _label(self) -> str:
        return f"the contact page {self.url}"


class RegionHelp(Strict):
    """What the "Pyydä apua / Be om hjälp / Get help" panel shows besides the national numbers."""

    phones: list[HelpPhone] = []
    chats: list[HelpChat] = []
    contact_page: HelpContactPage | None = None
    """Linked in the panel when the county has no verified phone number of its own."""
    hide_national: list[str] = []
    """National numbers (by id in ``mkdocs.yml``) that do not serve this area."""


class Feedback(Strict):
    """The county's accessibility feedback channel, shown in the accessibility statement."""

    email: Annotated[str, StringConstraints(pattern=r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$")]
    form_url: Url | None = None
    reply_days: int = Field(default=14, ge=1, le=14)


Guid = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True,
        to_lower=True,
        pattern=r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$",
    ),
]


class ServicePin(Strict):
    """Show a PTV service on an article even if its classification does not match."""

    article: Id
    service: Guid
    """The service's PTV id, as in its address on Suomi.fi."""


class ServiceHide(Strict):
    """Hide a PTV service from one article, or from the whole site without ``article``."""

    service: Guid
    article: Id | None = None


class ServiceOverrides(Strict):
    """The county's corrections to matching, in ``services:`` of ``regions/<slug>.yml``."""

    pin: list[ServicePin] = []
    hide: list[ServiceHide] = []


class Municipality(Strict):
    code: Annotated[str, StringConstraints(pattern=r"^\d{3}$")]
    name: dict[Literal["fi", "sv"], Text]
    languages: list[Literal["fi", "sv"]]


class Region(Strict):
    """A county (wellbeing services county, or the City of Helsinki): ``regions/<slug>.yml``.

    ``code``, ``name``, ``languages`` and ``municipalities`` are generated from the national
    classification (``scripts/generate_regions.py``); the rest are the county's own settings.
    """

    code: Annotated[str, StringConstraints(pattern=r"^\d{2}$")]
    name: Localized
    languages: list[Literal["fi", "sv"]]
    """Official languages of the county (bilingual if any municipality is)."""
    municipalities: list[Municipality] = Field(min_length=1)
    adopted: bool = False
    """Whether the county has adopted the service; if not, its site shows national services."""
    short_name: Localized | None = None
    """The area's name in the header ("Kainuu"); defaults to the full name."""
    logo_text: Localized | None = None
    """Text of the logo in the header; defaults to the national site name."""
    help: RegionHelp = RegionHelp()
    feedback: Feedback | None = None
    url: Url | None = None
    """Where the site is published, if not at the national default address."""
    services: ServiceOverrides = ServiceOverrides()
    """Pins and hides of PTV services on this county's site."""
    events: RegionEvents = RegionEvents()
    """The county's sources of activities and events (Linked Events, ICS feeds, Lähellä.fi,
    PTV activities); see :mod:`pipeline.sources.events.config`."""

    @property
    def bilingual(self) -> bool:
        return "sv" in self.languages


@dataclass(frozen=True)
class Area:
    """A loaded county with its own pages; the slug comes from the file name."""

    slug: str
    region: Region
    pages: dict[tuple[Lang, str], Page] = field(default_factory=dict)
    """The county's own pages, keyed by (language, page id)."""
