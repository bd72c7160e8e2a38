"""The browser audit in the real Chromium on a small fixture site: it passes, and it fails
when the theme breaks contrast or hides the focus."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.build import build
from pipeline.quality.browser_audit import audit_site, failures_of, validate_html
from tests.helpers import make_project

pytestmark = pytest.mark.slow
# The tools fixture (axe-core and vnu.jar, installed from tools/a11y) is in conftest.py.


def built(root: Path, css: str = "") -> Path:
    if css:
        style = root / "themes/perhekeskus/assets/style.css"
        style.write_text(style.read_text() + css)
    build(root, root / "build", areas=["kainuu", "ita-uusimaa"], national=False)
    return root / "build"


def test_fixture_sites_pass_axe_keyboard_and_validation(
    tmp_path: Path, tools: tuple[Path, Path]
) -> None:
    out = built(make_project(tmp_path))
    axe, vnu = tools
    for slug in ("kainuu", "ita-uusimaa"):
        results = audit_site(out / slug, slug, axe)
        results["vnu"] = validate_html(out / slug, vnu)
        assert failures_of(results) == []
        types = {p["type"] for p in results["pages"]}
        assert {
            "home",
            "help",
            "theme",
            "article",
            "accessibility statement",
            "search",
            "search results",
            "404",
        } <= types
        assert {p["width"] for p in results["pages"]} == {320, 1280}
        assert {p["scheme"] for p in results["pages"]} == {"light", "dark"}
        walked = {j["name"] for j in results.get("journeys", [])}
        assert "focus not obscured" in walked
        assert results["vnu"]["pages"] > 20


def test_the_audit_fails_on_low_contrast_and_hidden_focus(
    tmp_path: Path, tools: tuple[Path, Path]
) -> None:
    css = (
        "\n.lead { color: #b0b0b0 !important; }"
        "\n:focus-visible { outline: none !important; box-shadow: none !important; }\n"
    )
    out = built(make_project(tmp_path), css)
    results = audit_site(out / "kainuu", "kainuu", tools[0], languages=("fi",))
    lines = failures_of(results)
    assert any("color-contrast" in line for line in lines)
    assert any("focus not visible" in line for line in lines)


def test_the_audit_fails_on_sideways_scrolling_with_large_text_and_hidden_focus(
    tmp_path: Path, tools: tuple[Path, Path]
) -> None:
    # A box as wide as a phone at 150 % text, and a fixed bar over the lower half of the window
    # with no scroll padding: focused links end under it.
    css = (
        "\n.lead { min-width: 14rem; }"
        "\nhtml { scroll-padding: 0 !important; }"
        "\n.site-footer { position: fixed; left: 0; right: 0; bottom: 0; height: 50vh; }\n"
    )
    out = built(make_project(tmp_path), css)
    results = audit_site(out / "kainuu", "kainuu", tools[0], languages=("fi",))
    lines = failures_of(results)
    assert any("text 200% at 320 px" in line for line in lines)
    assert any("focus not obscured" in line and "2.4.11" in line for line in lines)
