"""The README and the guides name only files that are in the repository."""

from __future__ import annotations

import re

import pytest

from tests.helpers import REPO

DOCS = ["README.md", *sorted(p.relative_to(REPO).as_posix() for p in REPO.glob("docs/**/*.md"))]
CODE_PATH = re.compile(r"`((?:\.?[\w-]+/)+(?:[\w.-]+\.\w+)?)`")
"""A path in backticks: folders and maybe a file, without placeholders (``<slug>``...)."""
LINK = re.compile(r"\]\(([^)#\s]+)(?:#[^)]*)?\)")
EXAMPLES = ("build/", ".cache/", "fi/", "sv/", "en/", "pagefind/", "content/")
"""Paths the build writes (the site, the build cache) or inside a built site, and example
articles: not in a clone."""
CODE = re.compile(r"```.*?```|`[^`]*`", re.S)
PROJECT_DOC = re.compile(r"`([A-Z][A-Z_-]*\.md)`")
"""A project document by name (``DESIGN.md``, ``CONTRIBUTING.md``): it must be at the root."""


@pytest.mark.parametrize("doc", DOCS)
def test_every_path_named_exists(doc: str) -> None:
    text = (REPO / doc).read_text(encoding="utf-8")
    named = {m.group(1) for m in CODE_PATH.finditer(text)}
    named = {p for p in named if not p.startswith(EXAMPLES) and "/" in p.rstrip("/")}
    named |= set(PROJECT_DOC.findall(text))
    assert sorted(p for p in named if not (REPO / p).exists()) == []


@pytest.mark.parametrize("doc", DOCS)
def test_every_link_resolves_inside_the_repository(doc: str) -> None:
    path = REPO / doc
    prose = CODE.sub("", path.read_text(encoding="utf-8"))  # examples in code are not links
    targets = [m.group(1) for m in LINK.finditer(prose) if not re.match(r"^[a-z]+:", m.group(1))]
    resolved = {t: (path.parent / t).resolve() for t in targets}
    outside = [t for t, p in resolved.items() if not p.is_relative_to(REPO) or not p.exists()]
    assert outside == []
