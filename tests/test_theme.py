"""The national brand: colour contrast of every text and control pair, and the catalogues."""

from __future__ import annotations

import re

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from tests.helpers import REPO

THEME = REPO / "themes" / "perhekeskus"
CSS = (THEME / "assets" / "style.css").read_text(encoding="utf-8")
VARIABLE = r"--([a-z-]+):\s*(#[0-9a-fA-F]{6})"
DARK_BLOCK = re.search(r"@media \(prefers-color-scheme: dark\) \{(.*?)\n\}", CSS, re.S)
assert DARK_BLOCK, "style.css has no dark colour scheme"
PRINT_BLOCK = re.search(r"@media print \{(.*?)\n\}", CSS[DARK_BLOCK.end() :], re.S)
# The light scheme: every colour variable outside the dark scheme and print; the dark scheme:
# the light values overridden by the dark block.
LIGHT_CSS = CSS[: DARK_BLOCK.start()]
ALIAS = r"--([a-z-]+):\s*var\(--([a-z-]+)\)"


def _scheme(*blocks: str) -> dict[str, str]:
    """The colour variables of the blocks, later blocks winning, ``var(--other)`` resolved."""
    found: dict[str, str] = {"white": "#ffffff"}
    aliases: dict[str, str] = {}
    for block in blocks:
        for name, value in re.findall(VARIABLE, block):
            found[name] = value
            aliases.pop(name, None)
        aliases.update(re.findall(ALIAS, block))
    for name, other in aliases.items():
        found[name] = found[other]
    return found


COLOURS = _scheme(LIGHT_CSS)
DARK = _scheme(LIGHT_CSS, DARK_BLOCK.group(1))

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


# Light and dark alike: the heading colour is a variable of its own, as is the text on the
# yellow focus background and the tinted backgrounds of callouts and notes.
BOTH_SCHEMES = [
    ("heading", "paper", 4.5),
    ("heading", "sand", 4.5),
    ("heading", "mist", 4.5),
    ("on-focus", "focus", 4.5),
    ("ink", "admonition-tip", 4.5),
    ("ink", "admonition-warning", 4.5),
    ("ink", "admonition-danger", 4.5),
    ("help-dark", "admonition-danger", 4.5),
    ("ink", "stale", 4.5),
    ("link", "sand", 4.5),
]
# In the dark scheme, text colours are light and the surfaces dark: the header, footer and
# buttons keep their brand colours with white text; brand-dark is only a background there (the
# headings have their own colour, outlined buttons the link colour) and ink is never a
# background.
DARK_PAIRS = [
    (fg, bg, minimum)
    for fg, bg, minimum in PAIRS + BOTH_SCHEMES
    if fg not in ("brand", "brand-dark") and (fg, bg) not in {("ink", "focus"), ("white", "ink")}
]


@pytest.mark.parametrize(("fg", "bg", "minimum"), PAIRS + BOTH_SCHEMES)
def test_colour_pair_meets_wcag_aa(fg: str, bg: str, minimum: float) -> None:
    assert contrast(COLOURS[fg], COLOURS[bg]) >= minimum, (fg, bg)


@pytest.mark.parametrize(("fg", "bg", "minimum"), DARK_PAIRS)
def test_colour_pair_meets_wcag_aa_in_the_dark_scheme(fg: str, bg: str, minimum: float) -> None:
    assert contrast(DARK[fg], DARK[bg]) >= minimum, (fg, bg)


def _without_blocks(css: str, opening: str) -> str:
    """The CSS with every block that starts with ``opening`` (an at-rule) taken out."""
    while (start := css.find(opening)) >= 0:
        depth, end = 0, css.index("{", start)
        while True:
            depth += {"{": 1, "}": -1}.get(css[end], 0)
            if depth == 0:
                break
            end += 1
        css = css[:start] + css[end + 1 :]
    return css


def _declared(css: str, selector: str, *properties: str) -> list[str]:
    """The values every rule for ``selector`` (alone or in a selector list) gives the
    properties, in the order of the style sheet."""
    plain = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    values = []
    for selectors, body in re.findall(r"([^{}]+)\{([^{}]*)\}", plain):
        if selector in (s.strip() for s in selectors.split(",")):
            for name, value in re.findall(r"([a-z-]+)\s*:\s*([^;]+)", body):
                if name in properties:
                    values.append(value.strip())
    return values


def _colour(value: str, scheme: dict[str, str]) -> str:
    """The colour in a declaration (``2px solid #fff``, ``var(--help)``) as ``#rrggbb``."""
    found = re.search(r"var\(--([a-z-]+)\)|#([0-9a-fA-F]{6}|[0-9a-fA-F]{3})\b|\b(white)\b", value)
    assert found, f"no colour in '{value}'"
    variable, hex_digits, white = found.groups()
    if variable:
        return scheme[variable]
    if white:
        return "#ffffff"
    return "#" + (hex_digits if len(hex_digits) == 6 else "".join(c * 2 for c in hex_digits))


# On the screen (print hides the header's controls); the light scheme without the dark rules.
SCREEN_CSS = _without_blocks(CSS, "@media print")
LIGHT_SCREEN_CSS = _without_blocks(SCREEN_CSS, "@media (prefers-color-scheme: dark)")


@pytest.mark.parametrize(
    ("css", "scheme"), [(LIGHT_SCREEN_CSS, COLOURS), (SCREEN_CSS, DARK)], ids=["light", "dark"]
)
def test_the_help_button_is_set_off_from_the_header(css: str, scheme: dict[str, str]) -> None:
    """WCAG 1.4.11: the red help button's fill is as dark as the teal header (about 1.1:1), so
    its border is what shows where the button is; that border needs 3:1 against the header."""
    header = [_colour(v, scheme) for v in _declared(css, ".site-header", "background")]
    borders = [_colour(v, scheme) for v in _declared(css, ".help-button", "border", "border-color")]
    assert header, "style.css gives .site-header no background"
    assert borders, "the help button has no border: nothing sets it off from the header"
    for border in borders:
        for background in header:
            assert contrast(border, background) >= 3.0, (border, background)


def test_both_schemes_and_print_use_the_same_variables() -> None:
    assert DARK_BLOCK
    dark = {name for name, _ in re.findall(VARIABLE, DARK_BLOCK.group(1))}
    assert dark <= set(COLOURS), "a dark colour with no light value"
    assert PRINT_BLOCK and "color-scheme: light" in PRINT_BLOCK.group(1)
    assert "--sticky-bottom" in LIGHT_CSS and "scroll-padding-bottom" in LIGHT_CSS


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
