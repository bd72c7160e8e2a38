"""The address of every page, in one place (pure functions).

Pages live at ``<lang>/...`` folders with an ``index.html``; links inside a site are relative,
so the same national output works for every county whatever its base address, and a site can
be browsed from a local folder. Absolute addresses (canonical, ``hreflang``) are filled in per
county by the specialise stage.
"""

from __future__ import annotations

import hashlib

from pipeline.content.models import ArticleGroup, Lang
from pipeline.content.vocabulary import Theme, Vocabulary
from pipeline.slug import slugify as slugify

PLAIN_SUFFIX: dict[str, str] = {"fi": "selkokieli", "sv": "lattlast", "en": "easy-language"}
AREA_FOLDER: dict[str, str] = {"fi": "alue", "sv": "omrade", "en": "area"}


def home(lang: str) -> str:
    return f"{lang}/"


def theme(lang: str, item: Theme) -> str:
    return f"{lang}/{item.text(lang).slug}/"


def article(
    lang: Lang, group: ArticleGroup, vocabulary: Vocabulary, plain: bool = False
) -> str | None:
    """The address of a version of an article, or None if that version does not exist."""
    standard = group.version(lang)
    if standard is None or (plain and group.version(lang, True) is None):
        return None
    base = f"{theme(lang, vocabulary.themes[group.primary_theme])}{standard.doc.slug}/"
    return f"{base}{PLAIN_SUFFIX[lang]}/" if plain else base


def plain_index(lang: str) -> str:
    """The list of easy language versions ("fi/selkokieli/"): one folder deep, so it cannot meet
    an article's plain version ("fi/<theme>/<article>/selkokieli/")."""
    return f"{lang}/{PLAIN_SUFFIX[lang]}/"


def info_page(lang: str, slug: str) -> str:
    return f"{lang}/{slug}/"


def area_page(lang: str, slug: str) -> str:
    return f"{lang}/{AREA_FOLDER[lang]}/{slug}/"


def depth(url: str) -> int:
    """How many folders deep a page is ("fi/raskaus/" is 2; the root "" is 0)."""
    return len([part for part in url.split("/") if part])


def root_of(url: str) -> str:
    """The relative prefix from a page back to the root of its site."""
    return "../" * depth(url)


def absolute(base_url: str, url: str) -> str:
    return base_url.rstrip("/") + "/" + url


SERVICE_FOLDER: dict[str, str] = {"fi": "palvelut", "sv": "tjanster", "en": "services"}
MUNICIPALITY_FOLDER: dict[str, str] = {"fi": "kunnat", "sv": "kommuner", "en": "municipalities"}


def service(lang: str, service_id: str) -> str:
    """A PTV service's page; the PTV id keeps the address stable when the name changes."""
    return f"{lang}/{SERVICE_FOLDER[lang]}/{service_id}/"


def municipalities(lang: str) -> str:
    return f"{lang}/{MUNICIPALITY_FOLDER[lang]}/"


def municipality(lang: str, slug: str) -> str:
    return f"{municipalities(lang)}{slug}/"


SEARCH_FOLDER: dict[str, str] = {"fi": "haku", "sv": "sok", "en": "search"}


def search(lang: str) -> str:
    return f"{lang}/{SEARCH_FOLDER[lang]}/"


CALENDAR_FOLDER: dict[str, str] = {"fi": "tapahtumat", "sv": "evenemang", "en": "events"}
CALENDAR_MUNICIPALITY: dict[str, str] = {"fi": "kunta", "sv": "kommun", "en": "municipality"}


def calendar(lang: str) -> str:
    """A county's calendar of activities and events."""
    return f"{lang}/{CALENDAR_FOLDER[lang]}/"


def calendar_municipality(lang: str, slug: str) -> str:
    """The calendar of one municipality (its slug from the Finnish name, as ``municipality``)."""
    return f"{calendar(lang)}{CALENDAR_MUNICIPALITY[lang]}/{slug}/"


def event(lang: str, event_id: str) -> str:
    """An activity's or event's page; made from its id, so it stays when its name changes."""
    return f"{calendar(lang)}{event_slug(event_id)}/"


def event_slug(event_id: str) -> str:
    """A folder name from an event id (``ics:perhekeskus:perhekahvila@kainuu.example``): the
    id in address letters, cut to a readable length, and a short hash of the whole id, so two
    ids that read alike never share a page."""
    digest = hashlib.sha256(event_id.encode("utf-8")).hexdigest()[:8]
    readable = slugify(event_id)[:48].strip("-")
    return f"{readable}-{digest}" if readable else digest


def feed(folder: str, name: str) -> str:
    """An iCalendar feed in a calendar's folder (``fi/tapahtumat/kainuu.ics``)."""
    return f"{folder}{name}.ics"
