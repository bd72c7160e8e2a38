"""The browser audit (``perhekeskus audit``, ``nox -s a11y``): what only a real browser shows.

Input: built sites (served from a local folder), Debian's Chromium driven by Playwright,
axe-core and the Nu Html Checker (``vnu.jar``) from npm. Output: per site, a result dict saved as
``build/reports/<slug>/browser-audit.json``, and the auditors' report
(:mod:`pipeline.quality.a11y_report`).

For every page type in every language, at 320 px and 1280 px wide, axe-core runs with the
WCAG 2.0/2.1/2.2 A and AA rules and best practices, in the light colour scheme and (at 320 px)
the dark one; the page must not scroll sideways at 320 px, when text is 200 % at 1280 px, nor
with text at 150 % and 200 % on 320 px and 390 px phones. Keyboard journeys start from the top
of a page: the first Tab reaches the skip link, further Tabs reach the language switch and the
help button, Enter opens the help, and every focused element shows a visible focus indicator.
On one page of each type (Finnish, 390 px, text at 150 %), every focus stop is walked and none
may end hidden under a sticky or fixed bar (WCAG 2.4.11). Where the features exist: the exit
bar leaves the page on Shift pressed three times, and a crisis query on the search page finds
a crisis page in its first three results. The Nu Html Checker validates every page of the site.
"""

from __future__ import annotations

import contextlib
import functools
import json
import subprocess
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, NotRequired, TypedDict

from pipeline.serve import SiteHandler
from pipeline.site.urls import SEARCH_FOLDER

if TYPE_CHECKING:  # Playwright comes with the test extra; it is imported where it is used.
    from playwright.sync_api import Browser, Page

NPM_TOOLS = ("axe-core@4.11.0", "vnu-jar@24.10.17")
"""The npm packages of the audit, pinned; ``nox -s a11y`` installs the same (noxfile.py)."""
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


class BrowserAudit(TypedDict):
    """The browser audit of one site, as saved in ``build/reports/<slug>/browser-audit.json``."""

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


def page_types(site_dir: Path, lang: str) -> dict[str, str]:
    """One page of each type in a language: ``{type: site-relative URL}``."""
    root = site_dir / lang
    found: dict[str, str] = {"home": f"{lang}/", "help": f"{lang}/"}

    def first(paths: Iterator[Path]) -> str | None:
        for path in sorted(paths):
            return path.parent.relative_to(site_dir).as_posix() + "/"
        return None

    folders = {p.name for p in root.iterdir() if p.is_dir()}
    special = set(SERVICES) | set(MUNICIPALITIES) | set(AREA) | set(STATEMENT.values())
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
        return {
            "url": url,
            "type": kind,
            "lang": lang,
            "width": width,
            "scheme": scheme,
            "violations": violations,
        }
    finally:
        page.close()


def chromium_path() -> str:
    for candidate in ("/usr/bin/chromium", "/usr/bin/chromium-browser"):
        if Path(candidate).exists():
            return candidate
    raise AuditError("Chromium not found: install Debian's chromium (apt-get install chromium)")


def validate_html(site_dir: Path, vnu_jar: Path) -> VnuResult:
    """The Nu Html Checker on every page of a site: errors only."""
    if not vnu_jar.is_file():
        raise AuditError(f"vnu.jar not found at {vnu_jar} (run nox -s a11y, which installs it)")
    pages = sorted(str(p) for p in site_dir.rglob("*.html"))
    done = subprocess.run(
        ["java", "-jar", str(vnu_jar), "--errors-only", "--format", "json", *pages],
        capture_output=True,
        text=True,
        check=False,
    )
    try:
        messages = json.loads(done.stderr or done.stdout or "{}").get("messages", [])
    except ValueError:
        raise AuditError(f"the Nu Html Checker failed: {done.stderr[:300]}") from None
    root = str(site_dir.resolve())
    errors: list[VnuError] = [
        {
            "page": m.get("url", "").removeprefix("file:").removeprefix(root).lstrip("/"),
            "line": m.get("lastLine"),
            "message": m.get("message"),
        }
        for m in messages
        if m.get("type") == "error"
    ]
    version = subprocess.run(
        ["java", "-jar", str(vnu_jar), "--version"], capture_output=True, text=True, check=False
    )
    return {"pages": len(pages), "errors": errors, "version": version.stdout.strip()}


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


def run_audit(
    build_sites: Callable[[], object],
    out_dir: Path,
    regions: list[str],
    tools: Path,
    say: Callable[[str], None],
) -> int:
    """Build the counties (``build_sites``), audit them in the browser, and build them again so
    the statements and the auditors' reports carry the results. Status 1 on any failure."""
    axe, vnu = tool_paths(tools)
    build_sites()
    failed = 0
    for slug in regions:
        results = audit_site(out_dir / slug, slug, axe)
        results["vnu"] = validate_html(out_dir / slug, vnu)
        target = out_dir / "reports" / slug / "browser-audit.json"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(
            json.dumps(results, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )
        problems = failures_of(results)
        failed += len(problems)
        for line in problems:
            say(f"[red]{slug}/{line}[/]")
        say(
            f"{slug}: {len(results['pages'])} page checks, {len(results['keyboard'])} keyboard "
            f"journeys, {results['vnu']['pages']} pages validated; {len(problems)} failures"
        )
    build_sites()
    for slug in regions:
        say(f"Report: {out_dir / 'reports' / slug / 'accessibility.html'}")
    return 1 if failed else 0
