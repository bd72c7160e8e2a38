"""The national brand: colour contrast of every text and control pair, and the catalogues."""

from __future__ import annotations

import re

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from tests.helpers import REPO

THEME = REPO / "themes" / "perhekeskus"
CSS = (THEME / "assets" / "style.css").read_text(encoding="utf-8")
COLOURS = dict(re.findall(r"--([a-z-]+):\s*(#[0-9a-fA-F]{6})", CSS))
COLOURS["white"] = "#ffffff"

# (foreground, background, minimum ratio): text 4.5:1, large text and UI parts 3:1.
PAIRS = [
    ("ink", "paper", 4.5),
    ("ink-soft", "paper", 4.5),
    ("ink-soft", "sand", 4.5),
    ("ink-soft", "mist", 4.5),
    ("ink", "mist", 4.5),
    ("ink", "sand", 4.5),
    ("link", "paper", 4.5),
    ("link", "mist", 4.5),
    ("link-visited", "paper", 4.5),
    ("brand-dark", "paper", 4.5),
    ("brand-dark", "sand", 4.5),
    ("brand-dark", "mist", 4.5),
    ("white", "brand", 4.5),
    ("white", "brand-dark", 4.5),
    ("white", "help", 4.5),
    ("help-dark", "paper", 4.5),
    ("ink", "focus", 4.5),
    ("white", "ink", 4.5),
    ("brand", "paper", 3.0),
    ("help", "brand", 1.0),  # the help button sits on the header with a white border
    ("white", "brand", 3.0),
]


def luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_contrast_formula() -> None:
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)


@pytest.mark.parametrize(("fg", "bg", "minimum"), PAIRS)
def test_colour_pair_meets_wcag_aa(fg: str, bg: str, minimum: float) -> None:
    assert contrast(COLOURS[fg], COLOURS[bg]) >= minimum, (fg, bg)


def test_theme_uses_system_fonts_only() -> None:
    assert "@font-face" not in CSS and "@import" not in CSS
    assert "system-ui" in CSS


def _template_messages() -> set[str]:
    method_map = [("**.html", "jinja2")]
    options = {"**.html": {"extensions": "jinja2.ext.i18n", "trim_blocks": "true"}}
    found = set()
    for _, _, message, _, _ in extract_from_dir(str(THEME), method_map, options_map=options):
        found.add(message if isinstance(message, str) else message[0])
    return found


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_every_interface_text_is_translated(lang: str) -> None:
    with (THEME / f"locales/{lang}/LC_MESSAGES/messages.po").open("rb") as handle:
        catalog = read_po(handle, locale=lang)
    translated = {m.id for m in catalog if m.id and m.string}
    missing = _template_messages() - translated
    catalogue = f"themes/perhekeskus/locales/{lang}/LC_MESSAGES/messages.po"
    assert not missing, f"not translated to {lang}: {sorted(missing)} (add to {catalogue})"
