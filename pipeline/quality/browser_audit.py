"""The browser audit (``perhekeskus audit``, ``nox -s a11y``): what only a real browser shows.

Input: built sites (served from a local folder), Debian's Chromium driven by Playwright,
axe-core, QualWeb and the Nu Html Checker (``vnu.jar``) from npm. Output: per site, the browser
checks of the accessibility evidence (:mod:`pipeline.quality.evidence`), with the hash of every
page audited, saved as ``build/reports/<slug>/browser-audit.json`` for later builds; then the
sites are built again, so their statements and the auditors' reports carry the results.

For every page type in every language, at 320 px and 1280 px wide, axe-core runs with the
WCAG 2.0/2.1/2.2 A and AA rules and best practices, in the light colour scheme and (at 320 px)
the dark one; the page must not scroll sideways at 320 px, when text is 200 % at 1280 px, nor
with text at 150 % and 200 % on 320 px and 390 px phones. QualWeb (ACT rules and WCAG
techniques) runs on the same pages. Keyboard journeys start from the top
of a page: the first Tab reaches the skip link, further Tabs reach the language switch and the
help button, Enter opens the help, and every focused element shows a visible focus indicator.
On one page of each type (Finnish, 390 px, text at 150 %), every focus stop is walked and none
may end hidden under a sticky or fixed bar (WCAG 2.4.11). Where the features exist: the exit
bar leaves the page on Shift pressed three times, and a crisis query on the search page finds
a crisis page in its first three results. The Nu Html Checker validates every page of the site.

Fail closed: a tool that crashes, exits with an unexpected status, prints nothing, prints
something unreadable or reports that it could not read a page gives its check the status
"error", with the reason; the run is saved all the same, and ``perhekeskus audit`` exits 1.
"""

from __future__ import annotations

import contextlib
import functools
import json
import shutil
import subprocess
import threading
from collections.abc import Callable, Iterator, Mapping
from datetime import UTC, datetime
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any, NotRequired, TypedDict
from urllib.parse import unquote, urlsplit

from rich.markup import escape

from pipeline.quality.audit import criterion_of_axe
from pipeline.quality.evidence import (
    TOOL_NAMES,
    AuditedPage,
    BrowserRun,
    Check,
    Engine,
    Evidence,
    Finding,
    error_check,
    files_sha256,
    html_pages,
    problem_lines,
    status_of,
    summary_line,
    write_browser_run,
)
from pipeline.serve import SiteHandler
from pipeline.site.urls import CALENDAR_FOLDER, CALENDAR_MUNICIPALITY, SEARCH_FOLDER

if TYPE_CHECKING:  # Playwright comes with the test extra; it is imported where it is used.
    from playwright.sync_api import Browser, Page

    from pipeline.quality.qualweb import QualwebRun

WIDTHS = (320, 1280)
TEXT_SIZES = ("150%", "200%")
"""Larger text on phones (``PHONES``): the page must still fit without sideways scrolling."""
PHONES = (320, 390)
SCHEMES = ("light", "dark")
"""axe-core runs in both colour schemes; the dark one at the narrowest width and in the first
language only (the colours do not depend on the language), to keep the audit short."""
FOCUS_STOPS = 120
"""At most this many Tabs per page in the focus-not-obscured journey."""
CRISIS_QUERY = {"fi": "mieheni lyö minua", "sv": "min man slår mig", "en": "my husband hits me"}
CRISIS_PAGES = ("vakivalta", "kriisi", "vald", "kris", "violence", "crisis")
"""Words in the address of a crisis page (the violence and crises theme)."""
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
CHROMIUM_ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-component-update"]
STATEMENT = {
    "fi": "saavutettavuusseloste",
    "sv": "tillganglighetsutlatande",
    "en": "accessibility-statement",
}
PLAIN = ("selkokieli", "lattlast", "easy-language")
SERVICES = ("palvelut", "tjanster", "services")
MUNICIPALITIES = ("kunnat", "kommuner", "municipalities")
AREA = ("alue", "omrade", "area")
SEARCH_WORD = {"fi": "neuvola", "sv": "rådgivning", "en": "clinic"}

# The focused element and the sticky or fixed boxes that hide it entirely (not its ancestors).
FOCUS_OBSCURED = """() => {
  const e = document.activeElement;
  if (!e || e === document.body) return null;
  if (e.dataset.auditSeen) return {seen: true};
  e.dataset.auditSeen = '1';
  const r = e.getBoundingClientRect();
  if (r.width === 0 && r.height === 0) return null;
  const covers = [];
  for (const bar of document.querySelectorAll('body *')) {
    const pos = getComputedStyle(bar).position;
    if ((pos !== 'sticky' && pos !== 'fixed') || bar.contains(e)) continue;
    const b = bar.getBoundingClientRect();
    if (b.left <= r.left && b.right >= r.right && b.top <= r.top && b.bottom >= r.bottom)
      covers.push((bar.className || bar.tagName).toString());
  }
  const off = r.bottom <= 0 || r.top >= innerHeight;
  return {tag: e.tagName.toLowerCase(), text: (e.innerText || e.value || '').trim().slice(0, 40),
          covered_by: covers, off_screen: off};
}"""

# What a visible focus indicator is: an outline or a box shadow on the focused element.
FOCUS_VISIBLE = """() => {
  const e = document.activeElement;
  if (!e || e === document.body) return null;
  const s = getComputedStyle(e);
  const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0;
  const shadow = s.boxShadow && s.boxShadow !== 'none';
  return {tag: e.tagName.toLowerCase(), cls: e.className || '',
          text: (e.innerText || '').trim().slice(0, 40), visible: outline || shadow};
}"""


class AuditError(Exception):
    """A tool is missing (Chromium, axe-core, Java or vnu.jar); the message says which."""


class ToolFailed(Exception):
    """A tool ran but could not audit: it crashed, exited with an unexpected status, printed
    nothing or something unreadable, or could not read a page. The message says which."""


# --- the results (``browser-audit.json``) ---------------------------------------------------


class Violation(TypedDict):
    """A failed axe-core rule on a page, or a failed reflow check (``id`` "reflow")."""

    id: str
    impact: str | None
    help: str
    helpUrl: NotRequired[str]
    """Only axe-core's rules have one."""
    tags: list[str]
    """axe-core's rule tags (``wcag1410``), from which the success criteria are read."""
    nodes: int
    """How many elements fail."""
    targets: list[str]
    """CSS selectors of the first three."""


class PageResult(TypedDict):
    """One page type in one language at one width."""

    url: str
    type: str
    lang: str
    width: int
    scheme: str
    violations: list[Violation]
    """axe-core's violations, and the failed reflow checks (also in ``reflow``)."""
    reflow: NotRequired[dict[str, bool]]
    """The reflow checks in the light scheme (``text 200% at 320 px``): True when the page fits
    without sideways scrolling."""


class FocusStep(TypedDict):
    """The element one Tab focused (``FOCUS_VISIBLE``)."""

    tag: str
    cls: str
    text: str
    visible: bool | str
    """Truthy when an outline or a box shadow shows (JavaScript's ``outline || shadow``)."""


class KeyboardJourney(TypedDict):
    """Tabbing from the top of a home page at one width."""

    url: str
    width: int
    reached: dict[str, bool]
    """Skip link (on the first Tab), language switch, help button, help opens with Enter."""
    focus_not_visible: list[FocusStep]
    passed: bool
    criterion: str


class Journey(TypedDict):
    """Another journey on one page: focus not obscured, the exit shortcut, a crisis search."""

    name: str
    url: str
    width: int
    passed: bool
    detail: str
    """What failed, in words ("" when passed)."""
    criterion: str


class VnuError(TypedDict):
    page: str
    line: int | None
    message: str | None


class VnuResult(TypedDict):
    """The Nu Html Checker on every page of a site."""

    pages: int
    errors: list[VnuError]
    version: str


class Settings(TypedDict):
    """What the run was set to test, recorded with its results."""

    axe_tags: list[str]
    widths: list[int]
    schemes: list[str]
    phones: list[int]
    text_sizes: list[str]


class BrowserAudit(TypedDict):
    """The raw results of the browser run of one site; :func:`browser_checks` makes the
    evidence's checks of them."""

    site: str
    date: str
    """When the audit started, ISO 8601 in UTC."""
    pages: list[PageResult]
    keyboard: list[KeyboardJourney]
    journeys: NotRequired[list[Journey]]
    """Focus not obscured per page type, the exit shortcut and a crisis search."""
    tools: dict[str, str]
    """Tool versions: Chromium, axe-core."""
    vnu: NotRequired[VnuResult]
    """Added by :func:`run_audit` after the browser checks."""
    settings: NotRequired[Settings]


def page_types(site_dir: Path, lang: str) -> dict[str, str]:
    """One page of each type in a language: ``{type: site-relative URL}``."""
    root = site_dir / lang
    found: dict[str, str] = {"home": f"{lang}/", "help": f"{lang}/"}

    def first(paths: Iterator[Path]) -> str | None:
        for path in sorted(paths):
            return path.parent.relative_to(site_dir).as_posix() + "/"
        return None

    folders = {p.name for p in root.iterdir() if p.is_dir()}
    calendar = root / CALENDAR_FOLDER[lang]
    special = set(SERVICES) | set(MUNICIPALITIES) | set(AREA) | set(STATEMENT.values())
    special |= {CALENDAR_FOLDER[lang]}
    themes = sorted(f for f in folders if f not in special and (root / f / "index.html").exists())
    articles = [p for t in themes for p in (root / t).glob("*/index.html")]
    candidates = {
        "theme": (root / t / "index.html" for t in themes[:1]),
        "article": iter(articles),
        "article with quick exit": (p for p in articles if "data-quick-exit" in p.read_text()),
        "plain-language article": (
            p for t in themes for n in PLAIN for p in (root / t).glob(f"*/{n}/index.html")
        ),
        "service": (p for n in SERVICES for p in (root / n).glob("*/index.html")),
        "municipality": (p for n in MUNICIPALITIES for p in (root / n).glob("*/index.html")),
        "county page": (p for n in AREA for p in (root / n).glob("*/index.html")),
        "accessibility statement": iter([root / STATEMENT[lang] / "index.html"]),
        "calendar": iter([calendar / "index.html"]),
        "municipality calendar": (calendar / CALENDAR_MUNICIPALITY[lang]).glob("*/index.html"),
        "event": (
            p for p in calendar.glob("*/index.html") if p.parent.name != CALENDAR_MUNICIPALITY[lang]
        ),
    }
    for kind, paths in candidates.items():
        url = first(p for p in paths if p.exists())
        if url:
            found[kind] = url
    search = f"{lang}/{SEARCH_FOLDER[lang]}/"
    if (site_dir / search / "index.html").exists():
        found["search"] = search
        found["search results"] = f"{search}?q={SEARCH_WORD[lang]}"
    found["404"] = f"{lang}/no-such-page/"
    return found


@contextlib.contextmanager
def serving(directory: Path) -> Iterator[str]:
    """Serve ``directory`` on a free localhost port (missing pages get the site's 404)."""
    handler = functools.partial(SiteHandler, directory=str(directory))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def _axe(page: Page, axe_path: Path) -> list[Violation]:
    page.add_script_tag(path=str(axe_path))
    result = page.evaluate(
        """async (tags) => {
          const r = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
          return r.violations.map(v => ({
            id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl, tags: v.tags,
            nodes: v.nodes.length, targets: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
        }""",
        AXE_TAGS,
    )
    return list(result)


def _reflow(page: Page, width: int) -> bool:
    """No sideways scrolling: the content fits the viewport."""
    return bool(page.evaluate(f"() => document.documentElement.scrollWidth <= {width} + 1"))


def keyboard_journey(page: Page, url: str, width: int) -> KeyboardJourney:
    """Tab from the top: skip link first, then the language switch and the help button, each
    with a visible focus; Enter opens the help panel."""
    steps: list[FocusStep] = []
    reached = {"skip link": False, "language switch": False, "help button": False}
    for _ in range(14):
        page.keyboard.press("Tab")
        focus = page.evaluate(FOCUS_VISIBLE)
        if focus is None:
            continue
        steps.append(focus)
        if "skip-link" in focus["cls"]:
            reached["skip link"] = reached["skip link"] or len(steps) == 1
        if focus["tag"] == "a" and page.evaluate(
            "() => !!document.activeElement.closest('.lang-switch')"
        ):
            reached["language switch"] = True
        if focus["tag"] == "summary":
            reached["help button"] = True
            page.keyboard.press("Enter")
            opened = page.evaluate("() => document.querySelector('details.help').open")
            reached["help opens with Enter"] = bool(opened)
            break
    invisible = [s for s in steps if not s["visible"]]
    passed = all(reached.values()) and not invisible and reached.get("help opens with Enter", False)
    return {
        "url": url,
        "width": width,
        "reached": reached,
        "focus_not_visible": invisible,
        "passed": passed,
        "criterion": "2.4.7" if invisible else "2.1.1",
    }


def _journey(name: str, url: str, width: int, detail: str, criterion: str) -> Journey:
    return {
        "name": name,
        "url": url,
        "width": width,
        "passed": not detail,
        "detail": detail,
        "criterion": criterion,
    }


def focus_not_obscured(page: Page, url: str, width: int) -> Journey:
    """Tab through every focus stop of a page with text at 150 %: none may end entirely hidden
    under a sticky or fixed bar, nor outside the window (WCAG 2.4.11)."""
    page.evaluate("() => { document.documentElement.style.fontSize = '150%'; }")
    hidden: list[str] = []
    for _ in range(FOCUS_STOPS):
        page.keyboard.press("Tab")
        focus = page.evaluate(FOCUS_OBSCURED)
        if focus and focus.get("seen"):  # round the page once
            break
        if focus and (focus["covered_by"] or focus["off_screen"]):
            where = ", ".join(focus["covered_by"]) or "outside the window"
            hidden.append(f"{focus['text'] or focus['tag']} (under {where})")
    detail = f"focus hidden on {hidden}" if hidden else ""
    return _journey("focus not obscured", url, width, detail, "2.4.11")


def exit_shortcut(page: Page, base: str, url: str, width: int) -> Journey:
    """Shift pressed three times leaves a page with the exit bar (the address outside the site
    is answered locally: no request leaves the machine)."""
    page.route(
        lambda address: not address.startswith(base),
        lambda route: route.fulfill(body="<title>exit</title>", content_type="text/html"),
    )
    page.goto(f"{base}{url}")
    page.locator("body").click(position={"x": 1, "y": 1})
    for _ in range(3):
        page.keyboard.press("Shift")
    try:
        page.wait_for_url(lambda address: not address.startswith(base), timeout=5000)
        detail = ""
    except Exception:  # Playwright's TimeoutError: the page stayed
        detail = "Shift pressed three times did not leave the page"
    return _journey("exit shortcut", url, width, detail, "2.1.1")


def crisis_search(page: Page, url: str, lang: str, width: int) -> Journey:
    """A first-person crisis query on the search page: a crisis page among the first three
    links after the search form (a crisis box or the results), phone links aside."""
    page.wait_for_function(
        """() => { const s = document.getElementById('search-status').textContent;
                   const f = document.querySelector('[data-search]');
                   return s && s !== f.dataset.searching; }""",
        timeout=10000,
    )
    links = page.evaluate(
        """() => { const form = document.querySelector('[data-search]');
          return [...document.querySelectorAll('main a[href]')]
            .filter(a => form.compareDocumentPosition(a) & Node.DOCUMENT_POSITION_FOLLOWING)
            .map(a => a.getAttribute('href'))
            .filter(h => !h.startsWith('tel:') && !h.startsWith('#'))
            .slice(0, 3); }"""
    )
    found = any(word in (link or "") for link in links for word in CRISIS_PAGES)
    detail = "" if found else f"'{CRISIS_QUERY[lang]}': no crisis page in the top 3 ({links})"
    return _journey("crisis search", url, width, detail, "3.3.5")


def municipality_picker(page: Page, url: str, width: int) -> Journey:
    """Choose the county's last municipality with the keyboard only (Tab to the field, type,
    Enter), reload: the choice is remembered and its places come first with their badge."""
    chosen = page.evaluate(
        """() => {
          const links = document.querySelectorAll('[data-municipality-picker] a[data-code]');
          const last = links[links.length - 1];
          return last ? {code: last.dataset.code, name: last.textContent.trim()} : null; }"""
    )
    if not chosen:
        return _journey("municipality picker", url, width, "no municipality links", "2.1.1")
    reached = False
    for _ in range(FOCUS_STOPS):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.id === 'municipality-input'"):
            reached = True
            break
    if not reached:
        detail = "the municipality field was not reached with Tab"
        return _journey("municipality picker", url, width, detail, "2.1.1")
    page.keyboard.type(chosen["name"])
    page.keyboard.press("Enter")
    page.reload()
    problems = page.evaluate(
        r"""(code) => {
          const problems = [];
          const input = document.getElementById('municipality-input');
          if (!input || !input.value) problems.push('the choice was not remembered');
          for (const item of document.querySelectorAll('[data-municipality]')) {
            const mine = item.getAttribute('data-municipality').split(/[\s,]+/).includes(code);
            const list = item.parentElement;
            if (!mine || !list) continue;
            const first = [...list.children].find(c => c.hasAttribute('data-municipality'));
            if (first && !first.getAttribute('data-municipality').split(/[\s,]+/).includes(code))
              problems.push('a place of the chosen municipality is not first in its list');
            break;
          }
          return problems; }""",
        chosen["code"],
    )
    detail = f"{chosen['name']}: {'; '.join(problems)}" if problems else ""
    return _journey("municipality picker", url, width, detail, "2.1.1")


def journeys(
    browser: Browser, base: str, site_dir: Path, slug: str, languages: tuple[str, ...]
) -> list[Journey]:
    """Focus not obscured on one page of each type and the municipality picker with the
    keyboard (first language), and where the features exist, the exit shortcut and a crisis
    search in each language."""
    found: list[Journey] = []
    width = 390
    for kind, url in page_types(site_dir, languages[0]).items():
        if kind in ("help", "search results"):
            continue
        page = browser.new_page(viewport={"width": width, "height": 800})
        try:
            page.goto(f"{base}{slug}/{url}")
            found.append(focus_not_obscured(page, url, width))
        finally:
            page.close()
    article = page_types(site_dir, languages[0]).get("article")
    if article and "data-municipality-picker" in (site_dir / article / "index.html").read_text():
        page = browser.new_page(viewport={"width": width, "height": 800})
        try:
            page.goto(f"{base}{slug}/{article}")
            found.append(municipality_picker(page, article, width))
        finally:
            page.close()
    for lang in languages:
        types = page_types(site_dir, lang)
        exit_page = types.get("article with quick exit")
        if exit_page and "data-quick-exit-bar" in (site_dir / exit_page / "index.html").read_text():
            page = browser.new_page(viewport={"width": width, "height": 800})
            try:
                found.append(exit_shortcut(page, f"{base}{slug}/", exit_page, width))
            finally:
                page.close()
        search = types.get("search")
        # Only a site with articles in its crisis theme can answer a crisis query with one.
        crisis_pages = any(
            next((site_dir / lang).glob(f"*{word}*/*/index.html"), None) for word in CRISIS_PAGES
        )
        if search and crisis_pages and "crisis" in (site_dir / search / "index.html").read_text():
            query = f"{search}?q={CRISIS_QUERY[lang]}"
            page = browser.new_page(viewport={"width": width, "height": 800})
            try:
                page.goto(f"{base}{slug}/{query}")
                found.append(crisis_search(page, query, lang, width))
            finally:
                page.close()
    return found


def audit_site(
    site_dir: Path, slug: str, axe_path: Path, languages: tuple[str, ...] = ("fi", "sv", "en")
) -> BrowserAudit:
    """Run axe, reflow and keyboard checks on every page type of one built site."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        raise AuditError("Playwright is not installed (pip install -e '.[test]')") from None
    if not axe_path.is_file():
        raise AuditError(f"axe-core not found at {axe_path} (run nox -s a11y, which installs it)")
    chromium = chromium_path()
    started = datetime.now(UTC).isoformat(timespec="seconds")
    pages: list[PageResult] = []
    keyboard: list[KeyboardJourney] = []
    walked: list[Journey] = []
    with serving(site_dir.parent) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        tools = {"chromium": browser.version}
        try:
            for lang in languages:
                for kind, url in page_types(site_dir, lang).items():
                    for width in WIDTHS:
                        address = f"{base}{slug}/{url}"
                        dark = lang == languages[0]
                        pages.extend(
                            _audit_page(browser, address, url, kind, lang, width, axe_path, dark)
                        )
                for width in WIDTHS:
                    page = browser.new_page(viewport={"width": width, "height": 900})
                    page.goto(f"{base}{slug}/{lang}/")
                    keyboard.append(keyboard_journey(page, f"{lang}/", width))
                    page.close()
            walked = journeys(browser, base, site_dir, slug, languages)
            page = browser.new_page()
            page.goto(f"{base}{slug}/fi/")
            page.add_script_tag(path=str(axe_path))
            tools["axe-core"] = page.evaluate("() => axe.version")
            page.close()
        finally:
            browser.close()
    return {
        "site": slug,
        "date": started,
        "pages": pages,
        "keyboard": keyboard,
        "journeys": walked,
        "tools": tools,
        "settings": {
            "axe_tags": list(AXE_TAGS),
            "widths": list(WIDTHS),
            "schemes": list(SCHEMES),
            "phones": list(PHONES),
            "text_sizes": list(TEXT_SIZES),
        },
    }


def _text_on_phones(page: Page) -> dict[str, bool]:
    """Text at 150 % and 200 % on each phone width: no sideways scrolling (1.4.4, 1.4.10)."""
    checks = {}
    for phone in PHONES:
        page.set_viewport_size({"width": phone, "height": 900})
        for size in TEXT_SIZES:
            page.evaluate(f"() => {{ document.documentElement.style.fontSize = '{size}'; }}")
            checks[f"text {size} at {phone} px"] = _reflow(page, phone)
    page.evaluate("() => { document.documentElement.style.fontSize = ''; }")
    return checks


def _audit_page(
    browser: Browser,
    address: str,
    url: str,
    kind: str,
    lang: str,
    width: int,
    axe_path: Path,
    dark: bool = True,
) -> list[PageResult]:
    """The page in the light scheme, and (``dark``) at the narrowest width in the dark one."""
    schemes = SCHEMES if dark and width == min(WIDTHS) else SCHEMES[:1]
    return [
        _audit_page_in(browser, address, url, kind, lang, width, axe_path, scheme)
        for scheme in schemes
    ]


def _audit_page_in(
    browser: Browser,
    address: str,
    url: str,
    kind: str,
    lang: str,
    width: int,
    axe_path: Path,
    scheme: str,
) -> PageResult:
    page = browser.new_page(
        viewport={"width": width, "height": 900},
        color_scheme="dark" if scheme == "dark" else "light",
    )
    try:
        page.goto(address)
        if kind == "help":
            page.evaluate("() => { document.querySelector('details.help').open = true; }")
        if kind == "search results":
            # The results are written by the script after Pagefind answers.
            page.wait_for_function(
                "() => document.getElementById('search-status').textContent", timeout=10000
            )
        violations = _axe(page, axe_path)
        checks: dict[str, bool] = {}
        if scheme == "light":
            checks["reflow"] = _reflow(page, width)
            if width > max(PHONES):
                # Text at 200 %: the layout must still fit without sideways scrolling (1.4.4).
                page.evaluate("() => { document.documentElement.style.fontSize = '200%'; }")
                checks["text 200%"] = _reflow(page, width)
            else:
                checks |= _text_on_phones(page)
        for name, ok in checks.items():
            if not ok:
                violations.append(
                    {
                        "id": name,
                        "impact": "serious",
                        "help": f"the page scrolls sideways ({name})",
                        "tags": ["wcag1410" if name == "reflow" else "wcag144"],
                        "nodes": 1,
                        "targets": [],
                    }
                )
        result: PageResult = {
            "url": url,
            "type": kind,
            "lang": lang,
            "width": width,
            "scheme": scheme,
            "violations": violations,
        }
        if checks:
            result["reflow"] = checks
        return result
    finally:
        page.close()


def chromium_path() -> str:
    for candidate in ("/usr/bin/chromium", "/usr/bin/chromium-browser"):
        if Path(candidate).exists():
            return candidate
    raise AuditError("Chromium not found: install Debian's chromium (apt-get install chromium)")


VNU_EXIT = {0: "no errors", 1: "errors found"}
"""The Nu Html Checker's exit statuses; any other is a crash."""


def vnu_command(vnu: Path) -> list[str]:
    """How to run the checker: ``java -jar vnu.jar``, or a program standing in for it."""
    return ["java", "-jar", str(vnu)] if vnu.suffix == ".jar" else [str(vnu)]


def _run(command: list[str]) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(command, capture_output=True, text=True, check=False)
    except OSError as exc:
        raise ToolFailed(f"the Nu Html Checker could not be started ({exc})") from None


def validate_html(site_dir: Path, vnu: Path) -> VnuResult:
    """The Nu Html Checker on every page of a site: errors only.

    ``vnu`` is ``vnu.jar`` (run with Java) or a program that stands in for it. Raises
    :class:`ToolFailed` unless the checker told its version and answered with its JSON report.
    """
    if not vnu.is_file():
        raise AuditError(f"vnu.jar not found at {vnu} (run nox -s a11y, which installs it)")
    command = vnu_command(vnu)
    asked = _run([*command, "--version"])
    version = asked.stdout.strip()
    if asked.returncode != 0 or not version:
        raise ToolFailed(
            f"the Nu Html Checker did not tell its version (status {asked.returncode}): "
            f"{_excerpt(asked.stderr) or 'no message'}"
        )
    pages = html_pages(site_dir)
    done = _run(
        [*command, "--errors-only", "--format", "json", *(str(site_dir / p) for p in pages)]
    )
    messages = read_vnu(done.returncode, done.stdout, done.stderr)
    # The checker names a page by its file URL, through the site's symlink or not.
    page_of = {str(site_dir.absolute() / p): p for p in pages}
    page_of |= {str((site_dir / p).resolve()): p for p in pages}
    errors: list[VnuError] = [
        {
            "page": _vnu_page(str(m.get("url", "")), page_of),
            "line": m.get("lastLine"),
            "message": m.get("message"),
        }
        for m in messages
        if m.get("type") == "error"
    ]
    return {"pages": len(pages), "errors": errors, "version": version}


def _vnu_page(url: str, page_of: Mapping[str, str]) -> str:
    path = "/" + unquote(url.removeprefix("file:")).lstrip("/")  # file:/x and file:///x
    return page_of.get(path) or path


def read_vnu(status: int, stdout: str, stderr: str) -> list[dict[str, Any]]:
    """The messages of the checker's JSON report (on stderr, or stdout), or :class:`ToolFailed`
    when it crashed, printed nothing or something else, could not read a page (a
    "non-document-error"), or exited 1 without naming an error."""
    if status not in VNU_EXIT:
        raise ToolFailed(
            f"the Nu Html Checker exited with status {status}: "
            f"{_excerpt(stderr or stdout) or 'no message'}"
        )
    text = stderr.strip() or stdout.strip()
    if not text:
        raise ToolFailed(f"the Nu Html Checker printed nothing (exit status {status})")
    try:
        report = json.loads(text)
    except ValueError:
        report = None
    messages = report.get("messages") if isinstance(report, dict) else None
    if not isinstance(messages, list) or not all(isinstance(m, dict) for m in messages):
        raise ToolFailed(
            f"the Nu Html Checker printed something that is not its JSON report: {_excerpt(text)}"
        )
    unread = [m for m in messages if m.get("type") == "non-document-error"]
    if unread:
        where = unread[0].get("url") or "a page"
        raise ToolFailed(
            f"the Nu Html Checker could not check {len(unread)} pages, first {where}: "
            f"{unread[0].get('message') or 'no message'}"
        )
    if status == 1 and not any(m.get("type") == "error" for m in messages):
        raise ToolFailed("the Nu Html Checker exited with status 1 but named no error")
    return messages


def _excerpt(text: str, limit: int = 300) -> str:
    flat = " ".join(text.split())
    return flat[:limit] + ("..." if len(flat) > limit else "")


def tool_paths(tools: Path) -> tuple[Path, Path]:
    """Where ``npm install --prefix <tools> axe-core vnu-jar`` puts axe-core and vnu.jar."""
    modules = tools / "node_modules"
    return modules / "axe-core" / "axe.min.js", modules / "vnu-jar" / "build" / "dist" / "vnu.jar"


def failures_of(results: BrowserAudit) -> list[str]:
    """Every failure of a browser audit, one line each, for the console."""
    lines = []
    for page in results.get("pages", []):
        for v in page.get("violations", []):
            lines.append(
                f"{page['url']} ({page['lang']}, {page['width']} px): {v['help']} [{v['id']}]"
            )
    for journey in results.get("keyboard", []):
        if not journey.get("passed"):
            missing = [k for k, ok in journey["reached"].items() if not ok]
            unseen = [s["text"] or s["tag"] for s in journey.get("focus_not_visible", [])]
            lines.append(
                f"{journey['url']} ({journey['width']} px) keyboard: not reached {missing}"
                + (f", focus not visible on {unseen}" if unseen else "")
            )
    for walk in results.get("journeys", []):
        if not walk["passed"]:
            lines.append(
                f"{walk['url']} ({walk['width']} px) {walk['name']}: {walk['detail']}"
                f" (WCAG {walk['criterion']})"
            )
    vnu = results.get("vnu")
    for error in vnu.get("errors", []) if vnu else []:
        lines.append(f"{error['page']}:{error['line']}: {error['message']} [Nu Html Checker]")
    return lines


# --- the evidence of a run ---------------------------------------------------------------


def served_path(site_dir: Path, url: str) -> str:
    """The HTML file the local server answers ``url`` with (the site's 404 page when none)."""
    path = urlsplit(url).path.strip("/")
    for candidate in (f"{path}/index.html" if path else "index.html", path):
        if candidate and (site_dir / candidate).is_file():
            return candidate
    return "404.html"


def audited(
    site_dir: Path, hashes: Mapping[str, str], url: str, kind: str = "", lang: str = ""
) -> AuditedPage:
    """A page as the run saw it; a page without a hash ("") is stale in every later build."""
    path = served_path(site_dir, url)
    return AuditedPage(url=url, path=path, sha256=hashes.get(path, ""), kind=kind, lang=lang)


def browser_checks(
    raw: BrowserAudit, site_dir: Path, hashes: Mapping[str, str], assets: str
) -> list[Check]:
    """The axe-core, reflow and keyboard checks of a run's results."""
    return [
        axe_check(raw, site_dir, hashes, assets),
        reflow_check(raw, site_dir, hashes, assets),
        keyboard_check(raw, site_dir, hashes, assets),
    ]


def _pages_of(raw: BrowserAudit, site_dir: Path, hashes: Mapping[str, str]) -> list[AuditedPage]:
    pages: dict[str, AuditedPage] = {}
    for result in raw["pages"]:
        url = result["url"]
        pages.setdefault(url, audited(site_dir, hashes, url, result["type"], result["lang"]))
    return list(pages.values())


def axe_check(raw: BrowserAudit, site_dir: Path, hashes: Mapping[str, str], assets: str) -> Check:
    # dict.fromkeys: the home page and the home page with its help open are one address.
    findings = dict.fromkeys(
        Finding(
            criterion=code,
            rule=v["id"],
            page=result["url"],
            element=", ".join(v["targets"]),
            message=f"{v['help']} ({v['nodes']} elements)",
            width=result["width"],
            scheme=result["scheme"],
        )
        for result in raw["pages"]
        for v in result["violations"]
        if v["id"] not in result.get("reflow", {})
        for code in criterion_of_axe(v["tags"]) or [""]
    )
    settings = raw["settings"]
    return Check(
        engine="axe-core",
        tool="axe-core",
        version=raw["tools"].get("axe-core", ""),
        rules=settings["axe_tags"],
        widths=settings["widths"],
        schemes=sorted({r["scheme"] for r in raw["pages"]}, key=settings["schemes"].index),
        pages=_pages_of(raw, site_dir, hashes),
        assets_sha256=assets,
        ran=datetime.fromisoformat(raw["date"]),
        status=status_of(list(findings)),
        findings=list(findings),
    )


def reflow_check(
    raw: BrowserAudit, site_dir: Path, hashes: Mapping[str, str], assets: str
) -> Check:
    """No sideways scrolling at each width, and with larger text (1.4.10 and 1.4.4)."""
    results = [r for r in raw["pages"] if "reflow" in r]
    findings = [
        Finding(
            criterion="1.4.10" if name == "reflow" else "1.4.4",
            rule=name,
            page=r["url"],
            message=f"the page scrolls sideways ({name})",
            width=r["width"],
            scheme=r["scheme"],
        )
        for r in results
        for name, fits in r.get("reflow", {}).items()
        if not fits
    ]
    settings = raw["settings"]
    return Check(
        engine="reflow",
        tool="Chromium",
        version=raw["tools"].get("chromium", ""),
        rules=sorted({name for r in results for name in r.get("reflow", {})}),
        widths=sorted({*settings["widths"], *settings["phones"]}),
        schemes=sorted({r["scheme"] for r in results}),
        text_sizes=settings["text_sizes"],
        pages=[
            p for p in _pages_of(raw, site_dir, hashes) if any(r["url"] == p.url for r in results)
        ],
        assets_sha256=assets,
        ran=datetime.fromisoformat(raw["date"]),
        status=status_of(findings),
        findings=findings,
    )


KEYBOARD_FROM_THE_TOP = "keyboard from the top"


def keyboard_check(
    raw: BrowserAudit, site_dir: Path, hashes: Mapping[str, str], assets: str
) -> Check:
    """The keyboard journey from the top of each home page, and the other journeys."""
    findings = [
        Finding(
            criterion=j["criterion"],
            rule=KEYBOARD_FROM_THE_TOP,
            page=j["url"],
            message=_keyboard_problem(j),
            width=j["width"],
        )
        for j in raw["keyboard"]
        if not j["passed"]
    ]
    walked = raw.get("journeys", [])
    findings += [
        Finding(criterion=w["criterion"], rule=w["name"], page=w["url"], message=w["detail"],
                width=w["width"])
        for w in walked
        if not w["passed"]
    ]  # fmt: skip
    urls = dict.fromkeys([*(j["url"] for j in raw["keyboard"]), *(w["url"] for w in walked)])
    return Check(
        engine="keyboard",
        tool="Chromium",
        version=raw["tools"].get("chromium", ""),
        rules=[KEYBOARD_FROM_THE_TOP, *sorted({w["name"] for w in walked})],
        widths=sorted({j["width"] for j in raw["keyboard"]} | {w["width"] for w in walked}),
        pages=[audited(site_dir, hashes, url) for url in urls],
        assets_sha256=assets,
        ran=datetime.fromisoformat(raw["date"]),
        status=status_of(findings),
        findings=findings,
    )


def _keyboard_problem(journey: KeyboardJourney) -> str:
    missing = [name for name, ok in journey["reached"].items() if not ok]
    reached = journey["reached"]
    if reached.get("help button") and "help opens with Enter" not in reached:
        missing.append("help opens with Enter")
    unseen = [s["text"] or s["tag"] for s in journey["focus_not_visible"]]
    parts = [f"not reached: {', '.join(missing)}" if missing else ""]
    parts.append(f"focus not visible on: {', '.join(unseen)}" if unseen else "")
    return "; ".join(p for p in parts if p) or "the journey failed"


def vnu_check(result: VnuResult, hashes: Mapping[str, str], ran: datetime) -> Check:
    """The Nu Html Checker's errors on every page (WCAG 4.1.1 Parsing)."""
    findings = [
        Finding(
            criterion="4.1.1",
            rule="html",
            page=error["page"],
            element=f"line {error['line']}" if error["line"] else "",
            message=error["message"] or "(no message)",
        )
        for error in result["errors"]
    ]
    return Check(
        engine="nu-html-checker",
        tool="Nu Html Checker",
        version=result["version"],
        rules=["HTML (errors only)"],
        pages=[AuditedPage(url=path, path=path, sha256=sha) for path, sha in hashes.items()],
        every_page=True,
        ran=ran,
        status=status_of(findings),
        findings=findings,
    )


def qualweb_check(
    run: QualwebRun,
    base: str,
    sample: Mapping[str, tuple[str, str]],
    site_dir: Path,
    hashes: Mapping[str, str],
    assets: str,
    ran: datetime,
) -> Check:
    """QualWeb's failures on the page sample (``sample``: address -> page type, language)."""
    findings = [
        Finding(
            criterion=code,
            rule=failure["rule"],
            page=page["url"].removeprefix(base),
            element=failure["selector"],
            message=failure["description"],
        )
        for page in run["pages"]
        for failure in page["failed"]
        for code in failure["criteria"] or [""]
    ]
    return Check(
        engine="qualweb",
        tool="QualWeb",
        version=run["version"],
        rules=run["modules"],
        pages=[audited(site_dir, hashes, url, *sample[url]) for url in sample],
        assets_sha256=assets,
        ran=ran,
        status=status_of(findings),
        findings=findings,
    )


def page_sample(site_dir: Path, languages: tuple[str, ...]) -> dict[str, tuple[str, str]]:
    """The pages axe-core audits, one of each type per language: address -> (type, language)."""
    sample: dict[str, tuple[str, str]] = {}
    for lang in languages:
        for kind, url in page_types(site_dir, lang).items():
            sample.setdefault(url, (kind, lang))
    return sample


def run_qualweb_on(
    site_dir: Path, slug: str, tools: Path, languages: tuple[str, ...], hashes: Mapping[str, str],
    assets: str,
) -> Check:  # fmt: skip
    """QualWeb on the same pages as axe-core; an error check when it could not audit."""
    from pipeline.quality.qualweb import QualwebFailed, run_qualweb

    started = datetime.now(UTC)
    sample = page_sample(site_dir, languages)
    with serving(site_dir.parent) as root:
        base = f"{root}{slug}/"
        missing = [f"{base}{url}" for url, (kind, _) in sample.items() if kind == "404"]
        try:
            run = run_qualweb(
                [f"{base}{url}" for url in sample], tools, chromium_path(), not_found=missing
            )
        except QualwebFailed as exc:
            return error_check("qualweb", "QualWeb", str(exc), started)
    return qualweb_check(run, base, sample, site_dir, hashes, assets, started)


def browser_run(
    site_dir: Path,
    slug: str,
    tools: Path,
    assets: str,
    languages: tuple[str, ...] = ("fi", "sv", "en"),
) -> BrowserRun:
    """Every browser check of one built site. ``assets``: the hash of the style sheets and
    scripts the site was built with (its evidence's gate check), which later builds compare.
    A check whose tool failed is recorded as an error with the reason, never left out."""
    started = datetime.now(UTC)
    hashes = files_sha256(site_dir)
    axe, vnu = tool_paths(tools)
    checks: list[Check]
    try:
        checks = browser_checks(
            audit_site(site_dir, slug, axe, languages), site_dir, hashes, assets
        )
    except AuditError:
        raise
    except Exception as exc:  # Playwright's errors, a page that did not load: no result
        reason = f"the browser run stopped: {type(exc).__name__}: {_excerpt(str(exc))}"
        checks = [error_check(e, TOOL_NAMES[e], reason, started) for e in BROWSER_RUN_ENGINES]
    checks.append(run_qualweb_on(site_dir, slug, tools, languages, hashes, assets))
    checks.append(validation_check(site_dir, vnu, hashes))
    return BrowserRun(site=slug, started=started, checks=checks)


def validation_check(site_dir: Path, vnu: Path, hashes: Mapping[str, str]) -> Check:
    """The Nu Html Checker on every page as a check; an error check when it could not check."""
    started = datetime.now(UTC)
    try:
        return vnu_check(validate_html(site_dir, vnu), hashes, started)
    except ToolFailed as exc:
        return error_check("nu-html-checker", "Nu Html Checker", str(exc), started)


BROWSER_RUN_ENGINES: tuple[Engine, ...] = ("axe-core", "reflow", "keyboard")
"""The checks of one Playwright session: when it stops, all three are in error."""


def preflight(tools: Path) -> None:
    """Every tool the audit needs is there, or :class:`AuditError` saying what to install."""
    axe, vnu = tool_paths(tools)
    for path in (axe, vnu):
        if not path.is_file():
            raise AuditError(f"{path} not found (run nox -s a11y, which installs the npm tools)")
    chromium_path()
    if shutil.which("java") is None:
        raise AuditError("Java not found: install Debian's default-jre-headless")


def run_audit(
    build_sites: Callable[[], Mapping[str, Evidence]],
    out_dir: Path,
    regions: list[str],
    tools: Path,
    say: Callable[[str], None],
) -> int:
    """Build the counties (``build_sites`` returns their evidence), run the browser checks and
    save them, and build again so the statements and the auditors' reports carry the results.
    Status 1 when a site did not pass: a check failed, is in error or stale."""
    preflight(tools)
    built = build_sites()
    for slug in regions:
        assets = built[slug].check("gate").assets_sha256
        write_browser_run(out_dir, browser_run(out_dir / slug, slug, tools, assets))
    evidence = build_sites()
    failed = 0
    for slug in regions:
        for line in problem_lines(evidence[slug]):
            say(f"[red]{escape(line)}[/]")
        say(escape(summary_line(evidence[slug])))
        say(f"Report: {out_dir / 'reports' / slug / 'accessibility.html'}")
        failed += not evidence[slug].passed
    return 1 if failed else 0
