"""The accessibility evidence of a site in a build.

Input: a site's pages as built (``{output path: html}``) and its address, the gate's findings
of this build (:mod:`pipeline.quality.check`), the style sheets and scripts it publishes, the
browser run that ``perhekeskus audit`` saved (``build/reports/<slug>/browser-audit.json``),
the WCAG success criteria (``data/wcag/criteria.csv``) and the gate's rules
(``data/wcag/gate-rules.csv``).
Output: the site's :class:`~pipeline.quality.evidence.Evidence`: the gate's check of this
build, and each saved browser check compared with the pages as built (stale where they
changed), with the reviewed false positives of ``data/wcag/reviewed-findings.yml`` marked.
Hashing the pages is the only work, so the build stays fast.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path

from pipeline import __version__
from pipeline.publish import is_404, served_anywhere
from pipeline.quality import check as gate
from pipeline.quality.evidence import (
    AuditedPage,
    Check,
    Evidence,
    Finding,
    apply_reviews,
    assets_sha256,
    page_sha256,
    read_browser_run,
    read_reviews,
    status_of,
    verify,
)

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


@cache
def gate_rules(root: Path) -> list[tuple[str, str]]:
    """The gate's rules as the auditors' report describes them: (criterion, rule in Finnish)."""
    with (root / "data" / "wcag" / "gate-rules.csv").open(encoding="utf-8") as f:
        return [(row["criterion"], row["rule"]) for row in csv.DictReader(f)]


def criterion_of_axe(tags: list[str]) -> list[str]:
    """Success criteria of axe-core rule tags: ``wcag143`` is 1.4.3, ``wcag1410`` is 1.4.10."""
    found = []
    for tag in tags:
        match = AXE_TAG.match(tag)
        if match:
            found.append(".".join(match.groups()))
    return found


def built_hashes(
    pages: Mapping[str, str],
    base_url: str,
    known: Mapping[str, str] | None = None,
    made: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """The hash of every HTML page as it will be written (a 404 page gets root-relative links
    when it is published: :func:`pipeline.publish.write_site`). ``known``: the SHA-256 of pages
    carried over from the live site, as its manifest has them (no statement is carried: they
    are the pages' :func:`page_sha256`). ``made``: the SHA-256 of pages made now and published
    as they are (:attr:`pipeline.publish.SiteInput.made`: no statement, no 404 page)."""
    given = {**(made or {}), **(known or {})}
    return {
        path: given.get(path) or _built_hash(pages[path], base_url, path)
        for path in pages
        if path.endswith(".html")
    }


def _built_hash(html: str, base_url: str, path: str) -> str:
    return page_sha256(served_anywhere(html, base_url, path) if is_404(path) else html)


def gate_check(
    findings: list[gate.Finding],
    hashes: Mapping[str, str],
    assets: str,
    built: datetime,
    rules: list[str],
) -> Check:
    """The gate of this build as a check: every page, its findings, now. It records the hash
    of the assets built with the pages, which a browser run of this build then records too."""
    found = [
        Finding(
            criterion=f.criterion,
            rule="gate",
            page=f.page,
            element=f.element,
            message=f.message,
        )
        for f in findings
    ]
    return Check(
        engine="gate",
        tool="perhekeskus",
        version=__version__,
        rules=rules,
        pages=[AuditedPage(url=path, path=path, sha256=sha) for path, sha in hashes.items()],
        every_page=True,
        assets_sha256=assets,
        ran=built,
        status=status_of(found),
        findings=found,
    )


def site_evidence(
    slug: str,
    pages: Mapping[str, str],
    base_url: str,
    findings: list[gate.Finding],
    assets_dir: Path,
    out_dir: Path,
    root: Path,
    built: datetime,
    known: Mapping[str, str] | None = None,
    made: Mapping[str, str] | None = None,
) -> Evidence:
    """The evidence of one site as built now: the gate's check, and the saved browser checks
    compared with these pages and assets (``known`` and ``made``: :func:`built_hashes`)."""
    hashes = built_hashes(pages, base_url, known, made)
    assets = assets_sha256(assets_dir)
    rules = sorted({code for code, _ in gate_rules(root)}, key=_order)
    checks = [
        gate_check(findings, hashes, assets, built, rules),
        *(verify(saved, hashes, assets) for saved in read_browser_run(out_dir, slug)),
    ]
    evidence = Evidence(site=slug, built=built, pages=len(hashes), checks=checks)
    return apply_reviews(evidence, read_reviews(root))


def _order(code: str) -> tuple[int, ...]:
    return tuple(int(n) for n in code.split("."))
