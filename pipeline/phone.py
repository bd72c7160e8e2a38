"""Phone numbers as links (pure): one rule for county help numbers and PTV channels.

Input: a number as people write it (``040 123 4567``, ``+46 8 123 456``, ``116 117``), or a
value from a source that may hold several numbers, text or anything else. Output: each number
as shown and as its ``tel:`` value, or, for what is not a phone number, the text and why not.

The rule, in one place:

- a value is split into numbers at the separators people write between two numbers
  (:data:`SEPARATORS`);
- a part is a phone number only if it is made of digits, the punctuation of
  :data:`PUNCTUATION` and an optional leading ``+`` (or ``00``), with as many digits as a
  number has (:data:`DIGITS`): Finnish numbers, service numbers included, 3–12 digits;
  international numbers at most 15 (E.164);
- a ``tel:`` value is ``+`` and digits, or digits only: what the HTML gate accepts
  (:data:`TEL_VALUE`, the same as ``TEL`` in :mod:`pipeline.quality.check`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

SEPARATORS = re.compile(r"\s*(?:[/,;]|\s(?:tai|or|eller)\s)\s*", re.IGNORECASE)
"""Between two numbers in one value: ``/``, ``,``, ``;``, "tai", "or", "eller"."""
PUNCTUATION = frozenset(" -.()\u00a0")
"""What may stand between the digits of a number (spaces, hyphens, dots, brackets)."""
DIGITS = {"national": (3, 12), "international": (7, 15)}
"""How many digits a number has: Finnish numbers in national form (with the leading 0, or a
service number such as 116 117), and international numbers with their country code."""
SHORT = 6
"""Finnish numbers of at most this many digits (112, 116 117) are dialled as they are."""
COUNTRY_CODE = re.compile(r"^\+?(?:00)?([0-9]{1,3})$")
FINLAND = "358"
TEL_VALUE = re.compile(r"^\+?[0-9]{3,15}$")
"""Every ``tel:`` value :func:`read` gives matches this (the gate's rule)."""

Reason = Literal["letters", "characters", "too few digits", "too many digits", "country code"]
"""Why a part is not a phone number."""


@dataclass(frozen=True)
class Number:
    """One number of a value: as shown, and its ``tel:`` value (None if it is not a number)."""

    shown: str
    tel: str | None
    reason: Reason | None = None
    """Why the part is not a phone number (None for a number)."""


def tel(number: str) -> str:
    """A ``tel:`` value: digits only, Finnish numbers in international form when long.

    ``08 6156 3150`` -> ``+358861563150``; ``080 005 005`` -> ``+35880005005``; short
    numbers (``112``, ``116 117``) stay as they are. For numbers already known to be valid
    (the counties' help numbers); :func:`read` checks a value first.
    """
    digits = "".join(ch for ch in number if ch.isdigit() or ch == "+")
    if digits.startswith("0") and len(digits) > SHORT:
        return "+" + FINLAND + digits[1:]
    return digits


def split(value: str) -> list[str]:
    """The parts of a value that may each be a number: ``"040 1 / 050 2"`` -> two parts."""
    return [part for part in (p.strip() for p in SEPARATORS.split(value)) if part]


def _not_a_number(part: str) -> Reason | None:
    body = part[1:] if part.startswith("+") else part
    if any(ch.isalpha() for ch in body):
        return "letters"
    if any(not (ch.isascii() and ch.isdigit()) and ch not in PUNCTUATION for ch in body):
        return "characters"
    return None


def _count(digits: str, kind: str) -> Reason | None:
    low, high = DIGITS[kind]
    if len(digits) < low:
        return "too few digits"
    if len(digits) > high:
        return "too many digits"
    return None


def number(part: str, prefix: str | None = None, service_number: bool = False) -> Number:
    """One part: a phone number with its ``tel:`` value, or text with the reason it is not.

    ``prefix`` is a country calling code given apart from the number (PTV's
    ``prefixNumber``, ``+358``); a Finnish number without its leading 0 gets it back, as
    families dial it (``44 123 4567`` with ``+358`` is shown ``044 123 4567``).
    """
    part = " ".join(part.split())
    country = None
    if prefix and prefix.strip():
        match = COUNTRY_CODE.match("".join(prefix.split()))
        if match is None:
            return Number(f"{prefix.strip()} {part}", None, "country code")
        country = match.group(1)
    reason = _not_a_number(part)
    if reason is not None:
        return Number(part, None, reason)
    digits = "".join(ch for ch in part if ch.isdigit())
    if part.startswith("+") or digits.startswith("00"):
        international = digits[2:] if digits.startswith("00") else digits
        reason = _count(international, "international")
        return Number(part, None if reason else "+" + international, reason)
    if country is not None and country != FINLAND:
        shown = f"+{country} {part}"
        international = country + digits.removeprefix("0")
        reason = _count(international, "international")
        return Number(shown, None if reason else "+" + international, reason)
    national = digits.startswith("0") or service_number or country is None or len(digits) <= SHORT
    shown = part if national else "0" + part
    reason = _count(digits if national else "0" + digits, "national")
    return Number(shown, None if reason else tel(shown), reason)


def read(value: str, prefix: str | None = None, service_number: bool = False) -> list[Number]:
    """The numbers of one value, each with its ``tel:`` value or the reason it has none.

    ``"0401234567 / 0507654321"`` gives two numbers. When no part is a number, the whole
    value comes back as one text (so prose with commas is not cut up).
    """
    parts = [number(part, prefix, service_number) for part in split(value)]
    if len(parts) > 1 and not any(p.tel for p in parts):
        whole = number(value, prefix, service_number)
        return [Number(whole.shown, None, parts[0].reason)]
    return parts


SERVICE_PREFIXES = (
    *("0800", "0700", "0600", "0100", "0200", "0300"),
    *("020", "029", "030", "010", "075"),
)
"""Prefixes of Finnish service numbers, longest first within a length: ``0800 12345``."""
AREA_CODES = ("013", "014", "015", "016", "017", "018", "019", "02", "03", "05", "06", "08", "09")
"""Finnish area codes of landlines: ``09 1234 5678``, ``013 123 4567``."""
MOBILE = re.compile(r"^0(?:4[0-9]|50)")
"""Finnish mobile prefixes: ``040 123 4567``, ``050 123 4567``."""


def _rest(digits: str) -> str:
    """The subscriber part as Finns group it: 123 45, 123 456, 123 4567, 1234 5678."""
    if len(digits) <= 5:
        return digits
    if len(digits) == 8:
        return f"{digits[:4]} {digits[4:]}"
    return f"{digits[:3]} {digits[3:]}"


def grouped(shown: str) -> str:
    """A Finnish number grouped as Finns write it; anything else as it came.

    ``0401234567`` -> ``040 123 4567``; ``+358 9 12345678`` -> ``09 1234 5678``;
    ``080012345`` -> ``0800 12345``; ``116117`` -> ``116 117``. Numbers of other countries,
    and values that are not numbers, are returned unchanged.
    """
    if _not_a_number(shown) is not None:
        return shown
    digits = "".join(ch for ch in shown if ch.isdigit())
    if shown.strip().startswith("+") or digits.startswith("00"):
        international = digits[2:] if digits.startswith("00") else digits
        if not international.startswith(FINLAND):
            return shown
        digits = "0" + international[len(FINLAND) :]
    if not digits.startswith("0"):
        # Short numbers: 112, 116 117, 116 111.
        return f"{digits[:3]} {digits[3:]}" if len(digits) == 6 else digits
    if _count(digits, "national") is not None:
        return shown
    mobile = digits[:3] if MOBILE.match(digits) else None
    for prefix in (*SERVICE_PREFIXES, *([mobile] if mobile else AREA_CODES)):
        if digits.startswith(prefix) and len(digits) > len(prefix) + 3:
            return f"{prefix} {_rest(digits[len(prefix) :])}"
    return shown
