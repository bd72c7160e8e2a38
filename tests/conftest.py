"""Shared fixtures: what the slow tests need outside Python, set up once before the first test.

When the selection holds a slow test (the browser, the audit, Voikko), the Debian packages and
the pinned npm tools of the ``tests`` session (``tools/debian-packages.toml``) are checked and,
where allowed, installed by :mod:`pipeline.testing.setup`; when they cannot be, the run stops
before any test with one line naming the command to run. Quick runs (``-m "not slow"``) need
none of them and check nothing.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.quality.browser_audit import tool_paths
from pipeline.testing import setup


@pytest.fixture(scope="session", autouse=True)
def system_tools(request: pytest.FixtureRequest) -> None:
    if not any(item.get_closest_marker("slow") for item in request.session.items):
        return
    try:
        outcome = setup.prepare("tests")
    except setup.SetupFailed as error:
        pytest.exit(str(error), returncode=1)
    if not outcome.go_on:
        pytest.exit(outcome.message, returncode=1)


@pytest.fixture(scope="session")
def npm_tools(system_tools: None) -> Path:
    """The folder the pinned npm tools (axe-core, vnu-jar, QualWeb) are installed in."""
    return setup.ensure_npm_tools()


@pytest.fixture(scope="session")
def tools(npm_tools: Path) -> tuple[Path, Path]:
    """axe-core's script and the Nu Html Checker's ``vnu.jar``."""
    return tool_paths(npm_tools)


@pytest.fixture(scope="session")
def lighthouse_tools(system_tools: None) -> Path:
    """The folder the pinned Lighthouse is installed in."""
    return setup.ensure_npm_tools(*setup.npm_folders("lighthouse"))
