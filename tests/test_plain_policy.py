"""``content/plain-policy.yml`` (issue 16, item 4): the plain-language versions every crisis,
money, leave and youth article must have are marked MISSING in the translation status, and
``perhekeskus translations --strict`` exits 1 until they exist."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.cli import main
from tests.helpers import make_project

PLAIN_TUET = """\
---
id: tuet
title: Tuet selkokielellä
summary: Kela auttaa perheitä rahalla.
review_date: 2027-06-30
plain_language: true
---

Kela maksaa perheille tukia.
"""


def translations(root: Path, *args: str) -> int:
    return main(["--root", str(root), "translations", *args])


def test_without_a_policy_no_plain_version_is_required(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_project(tmp_path)
    assert translations(root, "--strict") == 0
    assert "0 required plain-language versions missing" in capsys.readouterr().out


def test_a_required_plain_version_that_is_missing_fails_strict_and_is_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_project(tmp_path, {"content/plain-policy.yml": "languages: [fi]\nthemes: [raha]\n"})
    assert translations(root) == 0
    assert translations(root, "--strict") == 1
    said = capsys.readouterr().out
    assert "missing: the fi plain version of content/fi/tuet.md" in said
    # neuvola has a plain version and no required theme: not named.
    assert "content/fi/neuvola.md (content" not in said
    html = (root / "build/reports/translations.html").read_text()
    assert "missing, required" in html and "1 required" in html


def test_an_article_named_by_id_is_required_and_writing_it_clears_the_failure(
    tmp_path: Path,
) -> None:
    policy = "languages: [fi]\narticles: [tuet]\n"
    root = make_project(tmp_path, {"content/plain-policy.yml": policy})
    assert translations(root, "--strict") == 1
    (root / "content/fi/tuet.selko.md").write_text(PLAIN_TUET, encoding="utf-8")
    assert translations(root, "--strict") == 0


def test_swedish_is_not_required_unless_the_policy_names_it(tmp_path: Path) -> None:
    root = make_project(
        tmp_path,
        {
            "content/plain-policy.yml": "languages: [fi]\nthemes: [raha]\n",
            "content/fi/tuet.selko.md": PLAIN_TUET,
        },
    )
    assert translations(root, "--strict") == 0
    (root / "content/plain-policy.yml").write_text("languages: [fi, sv]\nthemes: [raha]\n")
    assert translations(root, "--strict") == 1


@pytest.mark.parametrize(
    ("policy", "said"),
    [
        ("languages: [fi]\nthemes: [rahat]\n", "unknown theme 'rahat'"),
        ("languages: [fi]\narticles: [no-such]\n", "unknown article 'no-such'"),
        ("languages: [de]\n", "unknown language 'de'"),
        ("languages: [fi]\nthemes: raha: x\n", "content/plain-policy.yml:2"),
        ("langs: [fi]\n", "content/plain-policy.yml"),
    ],
)
def test_a_policy_that_cannot_be_read_is_an_error_not_an_empty_policy(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], policy: str, said: str
) -> None:
    root = make_project(tmp_path, {"content/plain-policy.yml": policy})
    assert translations(root) == 1
    assert said in capsys.readouterr().err
