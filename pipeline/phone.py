"""Phone numbers as links (pure): one rule for county help numbers and PTV channels."""

from __future__ import annotations


def tel(number: str) -> str:
    """A ``tel:`` value: digits only, Finnish numbers in international form when long.

    ``08 6156 3150`` -> ``+358861563150``; ``080 005 005`` -> ``+35880005005``; short
    numbers (``112``, ``116 117``) stay as they are.
    """
    digits = "".join(ch for ch in number if ch.isdigit() or ch == "+")
    if digits.startswith("0") and len(digits) > 6:
        return "+358" + digits[1:]
    return digits
