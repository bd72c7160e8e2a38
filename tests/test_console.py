"""What the command line prints: every message as written (never read as rich markup), and
the values PTV sent that were shown as text or left out as one count, not a flood."""

from __future__ import annotations

import pytest

from pipeline import cli
from pipeline.problems import Problem


def test_messages_quoting_brackets_are_printed_as_written(
    capsys: pytest.CaptureFixture[str],
) -> None:
    cli._print_problems(
        [
            Problem("content/fi/a.md", 3, "link [neuvola](neuvola.md) goes nowhere", "error"),
            Problem("PTV service 1", None, "skipped: the name '[/bold][red]x' is empty", "warning"),
        ]
    )
    err = capsys.readouterr().err
    assert "content/fi/a.md:3: link [neuvola](neuvola.md) goes nowhere" in err
    assert "'[/bold][red]x'" in err


def test_ptv_values_to_fix_are_counted_not_listed(capsys: pytest.CaptureFixture[str]) -> None:
    values = [
        Problem(f"PTV channel {i}", None, f"phoneNumbers[0]: not a phone number ('x{i}')")
        for i in range(40)
    ]
    cli._print_problems(values)
    err = " ".join(capsys.readouterr().err.split())
    assert "40 PTV values were shown as text or left out" in err
    assert "build/reports/<county>/ptv.html" in err
    assert "x7" not in err
