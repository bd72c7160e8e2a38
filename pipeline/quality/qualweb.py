"""QualWeb, the second accessibility engine: the one the Finnish supervisor's monitoring uses.

Input: the addresses of served pages, the folder where the pinned npm tools are installed
(``tools/a11y/package.json``, installed into ``.cache/a11y`` by :mod:`pipeline.testing.setup`)
and Debian's Chromium. Output: :class:`QualwebRun`, per page the rules that failed, each with
its WCAG success criteria as QualWeb's own report gives them, and how many rules passed and how
many only warned.

QualWeb (``@qualweb/core`` with its ACT rules and WCAG techniques modules, levels A and AA)
runs in Node (``qualweb_runner.mjs``) and drives Chromium through Puppeteer; Puppeteer's own
browser is never downloaded. The run fails closed: when Node or the packages are missing, the
runner exits with an error, prints nothing or something that is not its report, or a page could
not be loaded (no answer, or an HTTP error status where the page was meant to be), the result
is :class:`QualwebFailed` with the reason in words, never a page without failures.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Collection
from pathlib import Path
from typing import TypedDict
from urllib.parse import unquote

from pydantic import BaseModel, ConfigDict, ValidationError

RUNNER = Path(__file__).with_name("qualweb_runner.mjs")
MODULES = ("act-rules", "wcag-techniques")
"""QualWeb's modules that map to WCAG; its best practices are left out (no success criteria)."""
LEVELS = ("A", "AA")
"""The WCAG levels audited: rules and criteria of level AAA are left out."""
CHROMIUM_ARGS = ("--no-sandbox", "--disable-background-networking", "--disable-component-update")
SECONDS_PER_PAGE = 60
"""How long the runner may take per page (on top of a minute to start) before it is stopped."""


class QualwebFailed(Exception):
    """QualWeb could not audit the pages; the message says why, in words."""


class Failure(TypedDict):
    """One element (or the page, when the rule names no element) failing one rule."""

    rule: str
    """QualWeb's id: ``QW-ACT-R17`` (an ACT rule), ``QW-WCAG-T23`` (a WCAG technique)."""
    criteria: list[str]
    """The WCAG success criteria (``1.1.1``) of level A or AA that QualWeb maps the rule to."""
    description: str
    """The rule's name and what failed: "Image has accessible name: The test target ..."."""
    selector: str
    """A CSS selector of the element, or "" when the failure is the page's."""


class PageResult(TypedDict):
    url: str
    """The address as given to :func:`run_qualweb`."""
    failed: list[Failure]
    passed: int
    """Rules and techniques that passed on the page."""
    warnings: int
    """Rules and techniques QualWeb could not decide ("warning": a person should look)."""


class QualwebRun(TypedDict):
    version: str
    """The version of ``@qualweb/core`` installed in the tools folder."""
    modules: list[str]
    """The modules run, with their installed versions: ``@qualweb/act-rules 0.7.5``."""
    pages: list[PageResult]


# --- what the runner prints (validated before it is read) ------------------------------------


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _Criterion(_Model):
    name: str
    level: str


class _Result(_Model):
    description: str
    selectors: list[str]


class _Assertion(_Model):
    name: str
    outcome: str
    criteria: list[_Criterion]
    failed: list[_Result]


class _Module(_Model):
    assertions: dict[str, _Assertion]


class _Report(_Model):
    modules: dict[str, _Module]


class _Page(_Model):
    status: int | None
    report: _Report


class _Output(_Model):
    pages: dict[str, _Page]


# --- running it ------------------------------------------------------------------------------


def run_qualweb(
    urls: list[str],
    tools_dir: Path,
    chromium: str,
    *,
    not_found: Collection[str] = (),
    runner: Path = RUNNER,
) -> QualwebRun:
    """Run QualWeb on ``urls`` (served pages) in ``chromium``; raise :class:`QualwebFailed`.

    ``not_found``: the addresses meant to answer 404 (the site's 404 page); any other address
    must answer with a success status. ``runner``: the Node script (tests give a broken one).
    """
    if not urls:
        raise QualwebFailed("QualWeb was given no pages to audit")
    version, modules = installed_versions(tools_dir)
    if not Path(chromium).is_file():
        raise QualwebFailed(f"Chromium not found at {chromium}: install Debian's chromium")
    node = shutil.which("node")
    if node is None:
        raise QualwebFailed("node not found: install Debian's npm (it brings Node.js)")
    request = {
        "tools": str(tools_dir.resolve()),
        "chromium": chromium,
        "args": list(CHROMIUM_ARGS),
        "urls": urls,
        "levels": list(LEVELS),
        "modules": list(MODULES),
    }
    timeout = 60 + SECONDS_PER_PAGE * len(urls)
    try:
        done = subprocess.run(
            [node, str(runner), json.dumps(request)],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
            env={**os.environ, "PUPPETEER_SKIP_DOWNLOAD": "1"},
        )
    except subprocess.TimeoutExpired:
        raise QualwebFailed(f"QualWeb did not finish in {timeout} s on {len(urls)} pages") from None
    if done.returncode != 0:
        raise QualwebFailed(
            f"QualWeb exited with status {done.returncode}: {_tail(done.stderr) or 'no message'}"
        )
    pages = read_output(done.stdout, urls, not_found, done.stderr)
    return {"version": version, "modules": modules, "pages": pages}


def installed_versions(tools_dir: Path) -> tuple[str, list[str]]:
    """The version of ``@qualweb/core`` and ``["@qualweb/<module> <version>", ...]``."""
    core = _version(tools_dir, "@qualweb/core")
    return core, [f"@qualweb/{m} {_version(tools_dir, f'@qualweb/{m}')}" for m in MODULES]


def _version(tools_dir: Path, package: str) -> str:
    path = tools_dir / "node_modules" / package / "package.json"
    try:
        version = json.loads(path.read_text(encoding="utf-8"))["version"]
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise QualwebFailed(
            f"{path}: cannot read the version of {package} ({error}); the npm tools are "
            "installed from tools/a11y/package-lock.json (pipeline.testing.setup)"
        ) from None
    if not isinstance(version, str) or not version:
        raise QualwebFailed(f"{path}: no version of {package}")
    return version


# --- reading the runner's answer (pure) ------------------------------------------------------


def read_output(
    stdout: str, urls: list[str], not_found: Collection[str] = (), stderr: str = ""
) -> list[PageResult]:
    """The runner's JSON as one :class:`PageResult` per address, in the order of ``urls``.

    Raises :class:`QualwebFailed` when the output is empty or not the runner's report, when a
    page is missing from it (QualWeb could not load it: ``stderr`` says why), answered with the
    wrong status, or was audited without every module.
    """
    if not stdout.strip():
        raise QualwebFailed(f"QualWeb printed nothing: {_tail(stderr) or 'no message'}")
    try:
        output = _Output.model_validate_json(stdout)
    except ValidationError as error:
        raise QualwebFailed(
            f"QualWeb's output is not its report ({error.error_count()} problems, first: "
            f"{_first_problem(error)}): {stdout[:200]!r}"
        ) from None
    return [_page(output, url, url in not_found, stderr) for url in urls]


def _page(output: _Output, url: str, expect_404: bool, stderr: str) -> PageResult:
    # QualWeb keys its reports by the address percent-decoded.
    page = output.pages.get(url) or output.pages.get(unquote(url))
    if page is None:
        reason = _lines_about(stderr, unquote(url)) or _tail(stderr) or "no message"
        raise QualwebFailed(f"QualWeb could not load {url}: {reason}")
    expected = "404" if expect_404 else "a success status (2xx)"
    good = page.status == 404 if expect_404 else page.status is not None and page.status < 300
    if not good:
        raise QualwebFailed(f"{url} answered {page.status or 'nothing'}, not {expected}")
    missing = [m for m in MODULES if m not in page.report.modules]
    if missing:
        raise QualwebFailed(f"QualWeb ran no {', '.join(missing)} on {url}")
    assertions = [
        (code, a) for m in MODULES for code, a in page.report.modules[m].assertions.items()
    ]
    return {
        "url": url,
        "failed": [
            f for code, a in assertions if a.outcome == "failed" for f in _failures(code, a)
        ],
        "passed": sum(a.outcome == "passed" for _, a in assertions),
        "warnings": sum(a.outcome == "warning" for _, a in assertions),
    }


def _failures(code: str, assertion: _Assertion) -> list[Failure]:
    """One :class:`Failure` per failing element (one for the page when no element is named)."""
    criteria = sorted(
        {c.name for c in assertion.criteria if c.level in LEVELS},
        key=lambda name: [int(part) for part in name.split(".") if part.isdigit()],
    )

    def failure(description: str, selector: str) -> Failure:
        return {
            "rule": code,
            "criteria": criteria,
            "description": f"{assertion.name}: {description}",
            "selector": selector,
        }

    found = [failure(r.description, s) for r in assertion.failed for s in r.selectors or [""]]
    # A rule whose outcome is "failed" fails even if it listed no failed result.
    return found or [failure("failed", "")]


def _tail(text: str, lines: int = 3) -> str:
    kept = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return " / ".join(kept[-lines:])


def _lines_about(text: str, url: str) -> str:
    return " / ".join(line.strip() for line in text.splitlines() if url in line)


def _first_problem(error: ValidationError) -> str:
    first = error.errors()[0]
    where = ".".join(str(part) for part in first["loc"]) or "the whole output"
    return f"{where}: {first['msg']}"
