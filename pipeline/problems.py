"""Problems found in the input, collected and reported together.

Loading never stops at the first problem: every stage appends :class:`Problem` objects to a
:class:`Problems` list, and the build aborts once, after all of them are known, with
:class:`InvalidInput`. A problem points at what a person can fix: a file and line, or a PTV
service id.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the input, in words the person who can fix it understands."""

    path: str
    line: int | None
    message: str
    severity: Severity = "error"

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        prefix = "warning: " if self.severity == "warning" else ""
        return f"{where}: {prefix}{self.message}"


class Problems(list[Problem]):
    """A list of problems with the counts the console summary needs."""

    def error(self, path: str, line: int | None, message: str) -> None:
        self.append(Problem(path, line, message, "error"))

    def warning(self, path: str, line: int | None, message: str) -> None:
        self.append(Problem(path, line, message, "warning"))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self if p.severity == "warning"]


class InvalidInput(Exception):
    """Raised once, after loading, when the input has errors; nothing has been written."""

    def __init__(self, problems: Iterable[Problem], what: str = "the input") -> None:
        self.problems = sorted(problems)
        errors = sum(1 for p in self.problems if p.severity == "error")
        noun = "error" if errors == 1 else "errors"
        super().__init__(f"{errors} {noun} in {what}; nothing was built")


def did_you_mean(value: str, choices: Iterable[str]) -> str:
    """Return " Did you mean 'x'?" for the closest choice, or an empty string."""
    close = difflib.get_close_matches(value, list(choices), n=1, cutoff=0.6)
    return f" Did you mean '{close[0]}'?" if close else ""
