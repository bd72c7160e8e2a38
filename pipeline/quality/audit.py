"""Audit results of a site, as the accessibility statement and the auditors' report use them.

Input: the findings of the HTML gate (:mod:`pipeline.quality.check`) from this build, the results of
the last browser audit (``build/reports/<slug>/browser-audit.json``, written by
``nox -s a11y``) if there is one, and the WCAG success criteria (``data/wcag/criteria.csv``).
Output: :class:`AuditSummary` per site: what was tested, when, and which criteria failed on how
many pages. Pure apart from reading those two files.
"""

from __future__ import annotations

import csv
import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import TypedDict, cast

from pipeline.quality.browser_audit import BrowserAudit
from pipeline.quality.check import Finding

AXE_TAG = re.compile(r"^wcag(\d)(\d)(\d{1,2})$")


@dataclass(frozen=True)
class Criterion:
    code: str
    level: str
    titles: dict[str, str]

    def title(self, lang: str) -> str:
        return self.titles.get(lang) or self.titles["en"]


@cache
def criteria(root: Path) -> dict[str, Criterion]:
    """The WCAG success criteria the audits can name, with their titles in fi, sv and en."""
    with (root / "data" / "wcag" / "criteria.csv").open(encoding="utf-8") as f:
        return {
            row["code"]: Criterion(
                row["code"], row["level"], {k: row[k] for k in ("fi", "sv", "en")}
            )
            for row in csv.DictReader(f)
        }


def criterion_of_axe(tags: list[str]) -> list[str]:
    """Success criteria of axe-core rule tags: ``wcag143`` is 1.4.3, ``wcag1410`` is 1.4.10."""
    found = []
    for tag in tags:
        match = AXE_TAG.match(tag)
        if match:
            found.append(".".join(match.groups()))
    return found


class Limitation(TypedDict):
    """A failed success criterion, as the statement and the report list it."""

    code: str
    title: str
    pages: int
    """On how many pages (or page types) it failed."""


@dataclass
class AuditSummary:
    site: str
    built: date
    checked_pages: int
    gate: list[Finding] = field(default_factory=list)
    browser: BrowserAudit | None = None
    """The last browser audit of this site (axe-core, keyboard, Nu Html Checker), if any."""

    @property
    def browser_date(self) -> date | None:
        if not self.browser or not self.browser.get("date"):
            return None
        return date.fromisoformat(str(self.browser["date"])[:10])

    def failures(self) -> dict[str, set[str]]:
        """Failed success criteria -> the pages (or page types) where they failed."""
        pages: dict[str, set[str]] = defaultdict(set)
        for finding in self.gate:
            pages[finding.criterion].add(finding.page)
        browser = self.browser
        for result in browser.get("pages", []) if browser else []:
            for violation in result.get("violations", []):
                for code in criterion_of_axe(violation.get("tags", [])) or ["best-practice"]:
                    pages[code].add(result.get("url", "?"))
        for journey in browser.get("keyboard", []) if browser else []:
            if not journey.get("passed", True):
                pages[journey.get("criterion", "2.1.1")].add(journey.get("url", "?"))
        return dict(pages)

    def limitations(self, root: Path, lang: str) -> list[Limitation]:
        """What is not accessible, per failed criterion, for the statement and the report."""
        known = criteria(root)
        items: list[Limitation] = []
        for code, pages in sorted(self.failures().items()):
            criterion = known.get(code)
            items.append(
                {
                    "code": code,
                    "title": criterion.title(lang) if criterion else "",
                    "pages": len(pages),
                }
            )
        return items


def read_browser_audit(out_dir: Path, slug: str) -> BrowserAudit | None:
    path = out_dir / "reports" / slug / "browser-audit.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    # Written by the browser audit; readers use .get where an older file may lack a key.
    return cast("BrowserAudit", data) if isinstance(data, dict) else None
