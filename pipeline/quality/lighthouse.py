"""Lighthouse on one county, as a family's phone would load it (issue 17, item 5).

In: a county's slug, the pinned Lighthouse (``tools/lighthouse``, installed by
``pipeline/testing/setup.py`` into ``.cache/lighthouse``) and Debian's Chromium. The county is
built for ``http://127.0.0.1:<port>/<slug>/`` and served by nginx with the server block the
build wrote (:mod:`pipeline.deploy.local_nginx`), so compression and cache headers are the
production ones. Lighthouse runs with its mobile settings (a mid-range phone, simulated slow
4G) on a home page, an article, a service page and the calendar.

Out: the four category scores (performance, accessibility, best practices, SEO) per page and
the audits that cost points, printed and written to ``build/reports/<slug>/lighthouse.json``.
The goal is 100 on each; a score under it is reported, not hidden. A run that could not be
read (Lighthouse exits non-zero, prints nothing or no JSON, reports a runtime error or lacks a
category) is :class:`LighthouseFailed`, never a score.
"""

from __future__ import annotations

import json
import os
import subprocess
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from pipeline.lifetime import die_with_parent
from pipeline.quality.browser_audit import CHROMIUM_ARGS, page_types

CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
PAGES = ("home", "article", "service", "calendar")
"""The page types audited, as :func:`~pipeline.quality.browser_audit.page_types` names them."""


class LighthouseFailed(Exception):
    """Lighthouse did not give a readable result; the message says why, for a person."""


@dataclass(frozen=True)
class Lost:
    """An audit that cost points: its id, its title and its score (0–1)."""

    id: str
    title: str
    score: float


@dataclass
class PageScores:
    kind: str
    url: str
    scores: dict[str, int]
    """Per category, 0–100."""
    lost: dict[str, list[Lost]] = field(default_factory=dict)
    """Per category under 100, the weighted audits that did not pass."""


def lighthouse_command(tools: Path, url: str, chromium_flags: list[str]) -> list[str]:
    cli = tools / "node_modules" / "lighthouse" / "cli" / "index.js"
    if not cli.exists():
        raise LighthouseFailed(f"{cli} not found: run python -m pipeline.testing.setup lighthouse")
    return [
        "node",
        str(cli),
        url,
        "--output=json",
        "--output-path=stdout",
        "--quiet",
        f"--only-categories={','.join(CATEGORIES)}",
        "--chrome-flags=" + " ".join(["--headless=new", *chromium_flags]),
    ]


def run_lighthouse(url: str, tools: Path, chromium: str, timeout: float = 180) -> dict[str, Any]:
    """Lighthouse's JSON report of one page (mobile settings), or :class:`LighthouseFailed`."""
    command = lighthouse_command(tools, url, CHROMIUM_ARGS)
    try:
        done = subprocess.run(
            command,
            capture_output=True,
            text=True,
            timeout=timeout,
            env={**os.environ, "CHROME_PATH": chromium},
            preexec_fn=die_with_parent,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise LighthouseFailed(f"{url}: Lighthouse did not finish in {timeout:.0f} s") from None
    except OSError as error:
        raise LighthouseFailed(f"{url}: Lighthouse could not start ({error})") from None
    if done.returncode != 0:
        said = " / ".join(done.stderr.strip().splitlines()[-3:])
        raise LighthouseFailed(f"{url}: Lighthouse exited with status {done.returncode}: {said}")
    return parse_report(url, done.stdout)


def parse_report(url: str, output: str) -> dict[str, Any]:
    """The report, checked: JSON, no runtime error, every category with a score."""
    if not output.strip():
        raise LighthouseFailed(f"{url}: Lighthouse printed nothing")
    try:
        report = json.loads(output)
    except ValueError:
        raise LighthouseFailed(f"{url}: Lighthouse printed something that is not JSON") from None
    if not isinstance(report, dict):
        raise LighthouseFailed(f"{url}: Lighthouse's report is not an object")
    error = report.get("runtimeError")
    if isinstance(error, dict) and error.get("code"):
        raise LighthouseFailed(f"{url}: {error.get('code')}: {error.get('message', '')}")
    categories = report.get("categories")
    missing = [
        name
        for name in CATEGORIES
        if not isinstance(categories, dict)
        or not isinstance(categories.get(name), dict)
        or not isinstance(categories[name].get("score"), int | float)
    ]
    if missing:
        raise LighthouseFailed(f"{url}: the report has no score for {', '.join(missing)}")
    return report


def page_scores(kind: str, url: str, report: dict[str, Any]) -> PageScores:
    """The scores of a checked report, and what cost points in each category under 100."""
    scores = {name: round(report["categories"][name]["score"] * 100) for name in CATEGORIES}
    audits = report.get("audits", {})
    lost: dict[str, list[Lost]] = {}
    for name in CATEGORIES:
        if scores[name] == 100:
            continue
        refs = report["categories"][name].get("auditRefs", [])
        lost[name] = [
            Lost(ref["id"], str(audit.get("title", ref["id"])), float(audit["score"]))
            for ref in refs
            if ref.get("weight", 0) > 0
            and isinstance(audit := audits.get(ref["id"], {}), dict)
            and isinstance(audit.get("score"), int | float)
            and audit["score"] < 1
        ]
    return PageScores(kind, url, scores, lost)


def audited_pages(site_dir: Path, lang: str) -> dict[str, str]:
    """The home page, an article, a service page and the calendar: ``{type: relative URL}``."""
    found = page_types(site_dir, lang)
    missing = [kind for kind in PAGES if kind not in found]
    if missing:
        raise LighthouseFailed(f"{site_dir}: the site has no {', '.join(missing)} page in {lang}")
    return {kind: found[kind] for kind in PAGES}


def write_scores(report_dir: Path, slug: str, version: str, pages: list[PageScores]) -> Path:
    path = report_dir / slug / "lighthouse.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {
        "site": slug,
        "lighthouse": version,
        "settings": "mobile (Lighthouse default: emulated phone, simulated slow 4G, 4x CPU)",
        "pages": [asdict(p) for p in pages],
    }
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path


def lighthouse_version(tools: Path) -> str:
    path = tools / "node_modules" / "lighthouse" / "package.json"
    try:
        return str(json.loads(path.read_text(encoding="utf-8"))["version"])
    except (OSError, ValueError, KeyError):
        raise LighthouseFailed(
            f"{path}: cannot read Lighthouse's version: run python -m pipeline.testing.setup "
            "lighthouse"
        ) from None


def audit_site(
    root: Path, slug: str, out: Path, tools: Path, chromium: str, lang: str = "fi"
) -> list[PageScores]:
    """Build ``slug`` into ``out/lighthouse`` for a local port, serve it with nginx, run
    Lighthouse on its four page types and write ``out/reports/<slug>/lighthouse.json``; the
    scores, or :class:`LighthouseFailed` / ``NginxFailed``."""
    from pipeline.build import build
    from pipeline.deploy.local_nginx import free_port, serving

    version = lighthouse_version(tools)
    port = free_port()
    base = f"http://127.0.0.1:{port}/{slug}/"
    work = out / "lighthouse"
    build(root, work / "site", areas=[slug], national=False, base_url=base.replace(slug, "{slug}"))
    site_dir = work / "site" / slug
    pages = audited_pages(site_dir, lang)
    found: list[PageScores] = []
    with serving(site_dir, port, work / "nginx"):
        for kind, relative in pages.items():
            url = base + relative
            found.append(page_scores(kind, url, run_lighthouse(url, tools, chromium)))
    write_scores(out / "reports", slug, version, found)
    return found
