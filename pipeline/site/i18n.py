"""Interface text and formatting in the page's language.

Input: the theme's message catalogues (``themes/<theme>/locales/<lang>/LC_MESSAGES/
messages.po``, English message ids) and values to format (dates, opening hours).
Output: a gettext-style :class:`babel.support.Translations` per language, and Babel-formatted
dates and opening hours ("ma–pe 8.00–16.00", "mån–fre 08:00–16:00", "Mon–Fri 08:00–16:00").
"""

from __future__ import annotations

from datetime import date, time
from functools import cache
from io import BytesIO
from pathlib import Path

from babel import Locale
from babel.dates import format_date as babel_format_date
from babel.dates import format_time, get_day_names
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

from pipeline.content.models import WEEKDAYS, OpeningHours

LOCALES = {"fi": "fi_FI", "sv": "sv_FI", "en": "en_GB"}


def load_translations(theme_dir: Path, lang: str) -> NullTranslations:
    """The catalogue of a language, compiled in memory from its ``.po`` file."""
    po = theme_dir / "locales" / lang / "LC_MESSAGES" / "messages.po"
    if not po.exists():
        return NullTranslations()
    with po.open("rb") as handle:
        catalog = read_po(handle, locale=lang)
    buffer = BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(fp=buffer)


@cache
def _locale(lang: str) -> Locale:
    return Locale.parse(LOCALES[lang])


def format_date(value: date, lang: str) -> str:
    return babel_format_date(value, format="long", locale=_locale(lang))


def _time(value: time, lang: str) -> str:
    return format_time(value, format="short", locale=_locale(lang))


def _day_ranges(days: list[str]) -> list[tuple[int, int]]:
    indexes = sorted({WEEKDAYS.index(day) for day in days})
    ranges: list[tuple[int, int]] = []
    for index in indexes:
        if ranges and ranges[-1][1] == index - 1:
            ranges[-1] = (ranges[-1][0], index)
        else:
            ranges.append((index, index))
    return ranges


def format_days(days: list[str], lang: str) -> str:
    """Weekdays as short names, consecutive days joined with a dash ("ma–pe, su")."""
    names = get_day_names("abbreviated", context="format", locale=_locale(lang))
    parts = []
    for first, last in _day_ranges(days):
        # Babel numbers days from Monday = 0, as WEEKDAYS does.
        start, end = names[first].rstrip("."), names[last].rstrip(".")
        if first == last:
            parts.append(start)
        elif last == first + 1:
            parts.append(f"{start}, {end}")
        else:
            parts.append(f"{start}–{end}")
    return ", ".join(parts)


def format_hours(hours: OpeningHours, lang: str) -> str:
    """One opening-hours line: "ma–pe 8.00–16.00"."""
    return (
        f"{format_days(list(hours.days), lang)} "
        f"{_time(hours.opens, lang)}–{_time(hours.closes, lang)}"
    )


def format_day_range(first: int, last: int | None, lang: str) -> str:
    names = get_day_names("abbreviated", context="format", locale=_locale(lang))
    start: str = names[first].rstrip(".")
    if last is None or last == first:
        return start
    return f"{start}–{names[last].rstrip('.')}"


def format_short_date(value: date, lang: str) -> str:
    return babel_format_date(
        value, format="short" if lang == "en" else "medium", locale=_locale(lang)
    )


def format_time_range(opens: time, closes: time, lang: str) -> str:
    return f"{_time(opens, lang)}–{_time(closes, lang)}"
