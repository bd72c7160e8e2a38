"""Stage 7, check: the HTML and accessibility gate every page of every site passes.

Input: one site's pages (``{output path: html}``), its slug and the language of each page.
Output: :class:`Finding` objects naming the site, page and element, each with the WCAG 2.2
success criterion it concerns. The build stops on any of them unless told to only report.

The checks are the ones a machine can decide from the HTML alone, cheap enough to run on every
page of every site: document structure and language, one ``h1`` and no skipped heading levels,
text alternatives, accessible names of links, buttons and elements with the role of one, links
with the same text to different places, landmarks, the skip link, form labels (a ``<select>``'s
options and a ``<textarea>``'s text are not labels), table headers, links and anchors that
resolve inside the site, images, stylesheets and scripts that are files of the site itself, id
references (``aria-labelledby``, ``for``...) that name an element of the page, well-formed
``tel:`` and ``mailto:`` links, duplicate ids and inline event handlers. What needs a browser
(contrast as rendered, focus, reflow) is the browser audit's job (``nox -s a11y``).

Besides its pages a site publishes other files (the theme's ``assets/``); the caller lists them
as ``published`` output paths. A page may load only those and other pages: a file that is not
there is a finding, and so is one from another site (no third-party requests).
"""

from __future__ import annotations

import functools
import os
import posixpath
import re
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import Protocol, overload
from urllib.parse import unquote, urlsplit

from lxml import etree

from pipeline.lifetime import die_with_parent

LANG = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
TEL = re.compile(r"^tel:\+?[0-9]{3,15}$")
MAILTO = re.compile(r"^mailto:[^@\s?]+@[^@\s?]+\.[A-Za-z]{2,}(\?.*)?$")
ANCHORED = "#"
"""After a path in a page's refs (:attr:`SiteChecker.refs`): the page links to an anchor of
that page, so its findings depend on that page's ids too, not only on whether it exists."""
FOCUSABLE = {"a", "button", "input", "select", "textarea", "summary"}
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
CONTEXT = {"li", "p", "td", "th", "dd", "dt"}
# Input types named by their value, alt text or nothing: no label needed.
UNLABELLED_INPUTS = {"hidden", "submit", "button", "reset", "image"}
# Attributes naming other elements of the page by id, and the criterion a dangling one fails:
# the name, description or relation they give is lost.
ID_REFERENCES = {
    "aria-labelledby": "4.1.2",
    "aria-describedby": "4.1.2",
    "aria-controls": "4.1.2",
    "aria-owns": "4.1.2",
    "aria-activedescendant": "4.1.2",
    "aria-errormessage": "3.3.1",
    "aria-details": "1.3.1",
    "for": "1.3.1",
    "headers": "1.3.1",
    "list": "4.1.2",
}
# Files a page loads, by tag: (attribute, criterion, kind). The criterion is what the page as
# audited loses when the file is missing: the image its text alternative stands for (1.1.1),
# the behaviour of the controls the script drives (4.1.2), the layout audited for reflow at
# 320 px (1.4.10).
RULED = {"img", "a", "button", "input", "select", "textarea", "table"}
"""The elements :func:`element_rules` has a rule for (besides those with a role)."""
RESOURCES = {
    "img": ("src", "1.1.1", "image"),
    "script": ("src", "4.1.2", "script"),
    "link": ("href", "1.4.10", "stylesheet"),
}


@dataclass(frozen=True)
class Finding:
    """One failure: where (site, page, element) and what, with the success criterion."""

    site: str
    page: str
    element: str
    message: str
    criterion: str

    def __str__(self) -> str:
        return f"{self.site}/{self.page}: {self.element}: {self.message} (WCAG {self.criterion})"


class Element(Protocol):
    """The part of lxml's ``etree._Element`` the checks use (lxml ships no type information).

    Comments and processing instructions have a factory function as ``tag``: the parser drops
    comments, :class:`_Tree` keeps only elements, and :func:`_text` skips the rest.
    """

    tag: str
    text: str | None
    tail: str | None
    sourceline: int | None

    @property
    def attrib(self) -> Mapping[str, str]: ...

    @overload
    def get(self, key: str) -> str | None: ...
    @overload
    def get(self, key: str, default: str) -> str: ...

    def __iter__(self) -> Iterator[Element]: ...

    def iter(self, tag: str = ...) -> Iterator[Element]: ...

    def iterancestors(self) -> Iterator[Element]: ...

    def keys(self) -> list[str]: ...

    # What the composed check (:mod:`pipeline.quality.check_slots`) grafts fragments with.
    def getparent(self) -> Element | None: ...

    def getprevious(self) -> Element | None: ...

    def insert(self, index: int, element: Element) -> None: ...

    def addnext(self, element: Element) -> None: ...

    def remove(self, element: Element) -> None: ...


Fail = Callable[[Element | None, str, str], None]
"""Records a finding on an element (None: the page): ``fail(element, message, criterion)``."""


def _text(element: Element, skip: Element | None = None) -> str:
    """Text content with image alternatives, skipping aria-hidden parts (and ``skip``)."""
    parts = [element.text or ""]
    for child in element:
        if isinstance(child.tag, str) and child.get("aria-hidden") != "true" and child is not skip:
            parts.append(child.get("alt", "") if child.tag == "img" else _text(child, skip))
        parts.append(child.tail or "")
    return " ".join(" ".join(parts).split())


def describe(element: Element, line: int | None = None) -> str:
    """How a finding names the element: ``<a href="..."> "text"`` and its line (``line``: the
    line in the page as published, when the element was parsed from a part of it)."""
    keys = [k for k in ("id", "class", "href", "src", "name") if k in element.attrib]
    attrs = "".join(f' {k}="{element.get(k, "")[:60]}"' for k in keys[:2])
    text = _text(element)[:50]
    where = element.sourceline if line is None else line
    return f"<{element.tag}{attrs}>" + (f' "{text}"' if text else "") + f" (line {where})"


_PARSER = etree.HTMLParser(remove_comments=True)


class _Tree:
    """A parsed page: its elements in document order and whether it has ``<!doctype html>``."""

    def __init__(self, html: str) -> None:
        # The plain libxml2 HTML parser: fast, and it keeps the source line of each element.
        root = etree.fromstring(html, _PARSER) if html.strip() else etree.Element("html")
        self.doctype: bool = root.getroottree().docinfo.doctype.lower() == "<!doctype html>"
        self.elements: list[Element] = [e for e in root.iter() if isinstance(e.tag, str)]


def element_ids(tree: _Tree) -> set[str]:
    return {e.attrib["id"] for e in tree.elements if e.attrib.get("id")}


def page_ids(html: str) -> set[str]:
    """The ids of a page, as the checker resolves links to its anchors."""
    return element_ids(_Tree(html))


@dataclass
class ParsedPage:
    path: str
    tree: _Tree
    ids: set[str]


def accessible_name(element: Element, by_id: Mapping[str, Element]) -> str:
    """The accessible name, in the order of the accname spec for links and buttons."""
    label = element.attrib.get("aria-label", "").strip()
    if label:
        return label
    labelled = element.attrib.get("aria-labelledby", "").split()
    if labelled:
        return " ".join(_text(by_id[i]) for i in labelled if i in by_id).strip()
    return _text(element) or element.attrib.get("title", "").strip()


def field_label(
    field: Element, by_id: Mapping[str, Element], labels_for: Mapping[str, list[Element]]
) -> str:
    """The label of a form field: ``aria-label``, the text of ``aria-labelledby``'s elements,
    a wrapping ``<label>`` or a ``<label for>``. Never the field's own content: a
    ``<select>``'s first option or a ``<textarea>``'s text is a value, not a label."""
    label = field.attrib.get("aria-label", "").strip()
    if label:
        return label
    labelled = field.attrib.get("aria-labelledby", "").split()
    if labelled:
        return " ".join(_text(by_id[i], skip=field) for i in labelled if i in by_id).strip()
    labels = [a for a in field.iterancestors() if a.tag == "label"]
    labels += labels_for.get(field.attrib.get("id", ""), [])
    return " ".join(_text(label, skip=field) for label in labels).strip()


def _role(element: Element) -> str:
    """The element's explicit role (the first token: the others are fallbacks)."""
    return next(iter(element.attrib.get("role", "").split()), "")


def _page_url(path: str) -> str:
    """The folder URL of an output path: ``fi/raskaus/index.html`` -> ``/fi/raskaus/``."""
    folder = posixpath.dirname(path)
    return "/" + (folder + "/" if folder else "")


@dataclass(frozen=True)
class PendingAnchor:
    """A link of ``page`` to an anchor of a page checked elsewhere at the same time
    (:class:`SiteChecker` ``deferred``): its finding stands unless ``target`` has the id."""

    page: str
    href: str
    target: str
    fragment: str


def taken_back(
    findings: list[Finding], pending: Iterable[PendingAnchor], ids: Mapping[str, Collection[str]]
) -> list[Finding]:
    """``findings`` without those of the pending anchors that ``ids`` (by page) show exist.
    A page's links with one address go to one target, so (page, message) names them all."""
    found = {
        (p.page, f"link to a missing anchor: {p.href}")
        for p in pending
        if p.fragment in ids.get(p.target, ())
    }
    return [f for f in findings if (f.page, f.message) not in found]


class SiteChecker:
    """Checks every page of one site; links are resolved against the site's own pages."""

    def __init__(
        self,
        site: str,
        pages: Mapping[str, str],
        base_path: str = "/",
        only: Iterable[str] | None = None,
        published: Iterable[str] = (),
        known_ids: Mapping[str, set[str]] | None = None,
        deferred: Collection[str] = (),
    ) -> None:
        """``known_ids``: the ids of pages of the site checked elsewhere (their paths are in
        ``published``), so that links to their anchors resolve. ``deferred``: pages checked
        at the same time elsewhere, whose ids are not known yet: a link to an anchor of one is
        found missing for now and listed in :attr:`pending`, to be taken back by whoever
        learns that page's ids (:func:`taken_back`)."""
        self.site = site
        self.deferred = frozenset(deferred)
        self.pending: set[PendingAnchor] = set()
        self.base_path = base_path if base_path.endswith("/") else base_path + "/"
        self.pages = pages
        wanted = set(only) if only is not None else None
        self.checked: list[str] = [
            path for path in pages if path.endswith(".html") and (wanted is None or path in wanted)
        ]
        """The pages to check, in order (read and parsed one at a time, when checked)."""
        self.files = set(pages) | set(published)
        self.ids: dict[str, set[str]] = dict(known_ids or {})
        self._later: set[str] = set(self.checked)
        """Pages to check whose ids are not known yet: a link to an anchor of one is a finding
        until that page is parsed (:attr:`_pending_here`)."""
        self._pending_here: set[PendingAnchor] = set()
        self.refs: dict[str, set[str]] = {}
        """The paths in the site each checked page links to or loads, and ``path#`` for a page
        it links to an anchor of: its findings depend on whether they exist and on those
        pages' ids, and on nothing else outside it."""

    def run(self, lang_of: Mapping[str, str] | None = None) -> list[Finding]:
        """Check the pages one by one, holding one parsed page at a time: a link to an anchor
        of a page checked later is settled when every page's ids are known."""
        findings: list[Finding] = []
        for path in self.checked:
            tree = _Tree(self.pages[path])  # a page carried over is read only now
            page = ParsedPage(path, tree, element_ids(tree))
            self.ids[path] = page.ids
            self._later.discard(path)
            expected = (lang_of or {}).get(path) or path.split("/")[0]
            findings.extend(self.check_page(page, expected if len(expected) == 2 else None))
        return taken_back(findings, self._pending_here, self.ids)

    # --- one page -------------------------------------------------------------------------

    def check_page(self, page: ParsedPage, lang: str | None) -> list[Finding]:
        found: list[Finding] = []
        tree = page.tree
        by_id = {e.attrib["id"]: e for e in tree.elements if e.attrib.get("id")}
        labels_for: dict[str, list[Element]] = {}
        for label in (e for e in tree.elements if e.tag == "label" and "for" in e.attrib):
            labels_for.setdefault(label.attrib["for"], []).append(label)

        def fail(element: Element | None, message: str, criterion: str) -> None:
            where = describe(element) if element is not None else "page"
            found.append(Finding(self.site, page.path, where, message, criterion))

        document_rules(tree.doctype, tree.elements, lang, fail)
        structure_rules(tree.elements, fail)
        seen_ids: set[str] = set()
        for element in tree.elements:
            tag = element.tag
            # Most elements have no attribute a rule reads and are of no kind a rule is for:
            # they are passed over without calling each rule.
            keys = element.keys()
            if keys:
                attribute_rules(element, fail)
                reference_rules(element, by_id, fail)
                ident = element.get("id")
                if ident:
                    if ident in seen_ids:
                        fail(element, f"the id '{ident}' is used twice", "4.1.1")
                    seen_ids.add(ident)
            if tag in RULED or "role" in keys:
                element_rules(element, by_id, labels_for, fail)
            if tag in RESOURCES:
                self._resource(page.path, element, fail)
        self._links(page, by_id, fail)
        return found

    def _resource(self, page_path: str, element: Element, fail: Fail) -> None:
        """An image, script or stylesheet is a file of this site: a missing one breaks the page
        as audited, and one from elsewhere is a request to a third party."""
        attribute, criterion, kind = RESOURCES[element.tag]
        if element.tag == "link" and "stylesheet" not in element.attrib.get("rel", "").split():
            return
        if attribute not in element.attrib:
            if element.tag == "img":
                fail(element, "image without src", criterion)
            return
        url = element.attrib[attribute].strip()
        if not url:
            fail(element, f"{kind} with an empty {attribute}", criterion)
            return
        if element.tag == "img" and url.lower().startswith("data:"):
            return  # inside the page itself: no request
        target = self._resolve(page_path, url)
        if target is None or target[0] is None:
            fail(element, f"{kind} loaded from outside the site: {url}", criterion)
            return
        self.refs.setdefault(page_path, set()).add(target[0])
        if target[0] not in self.files:
            fail(element, f"{kind} that is not a file of the site: {url}", criterion)

    # --- links ----------------------------------------------------------------------------

    def _links(self, page: ParsedPage, by_id: Mapping[str, Element], fail: Fail) -> None:
        targets: list[tuple[Element, str]] = []
        for element in page.tree.elements:
            if element.tag != "a" or element.get("href") is None:
                continue
            resolved = self.link_target(page.path, element, fail)
            if resolved is not None:
                targets.append((element, resolved))
        links_named_alike(targets, by_id, fail)

    def link_target(self, page_path: str, element: Element, fail: Fail) -> str | None:
        """Check where a link goes; what it resolves to, to compare links named alike (None
        for ``tel:``, ``mailto:`` and ``javascript:``, which are checked for their form)."""
        href = element.attrib["href"].strip()
        if href.startswith("tel:"):
            if not TEL.match(href):
                fail(element, f"malformed phone link '{href}'", "4.1.2")
            return None
        if href.startswith("mailto:"):
            if not MAILTO.match(href):
                fail(element, f"malformed e-mail link '{href}'", "4.1.2")
            return None
        if href.lower().startswith("javascript:"):
            fail(element, "javascript: link", "4.1.2")
            return None
        target = self._resolve(page_path, href)
        if target is not None and (path := target[0]) is not None:
            fragment = target[1]
            refs = self.refs.setdefault(page_path, set())
            refs.add(path)
            if fragment:
                refs.add(path + ANCHORED)
            if path not in self.files:
                fail(element, f"link to a page that does not exist: {href}", "2.4.4")
            elif fragment and path in self.ids and fragment not in self.ids[path]:
                fail(element, f"link to a missing anchor: {href}", "2.4.4")
            elif fragment and path in self.deferred:
                fail(element, f"link to a missing anchor: {href}", "2.4.4")
                self.pending.add(PendingAnchor(page_path, href, path, fragment))
            elif fragment and path in self._later:
                fail(element, f"link to a missing anchor: {href}", "2.4.4")
                self._pending_here.add(PendingAnchor(page_path, href, path, fragment))
        return (target[0] or "") + "#" + (target[1] or "") if target else href

    def _resolve(self, page_path: str, href: str) -> tuple[str | None, str | None] | None:
        """(output path, fragment) of a link inside the site; None for other sites."""
        # Only a root-relative address depends on where the site is published: the others
        # resolve the same in every site, once.
        return resolve(self.base_path if href.startswith("/") else "", page_path, href)


def resolve(base_path: str, page_path: str, href: str) -> tuple[str | None, str | None] | None:
    """(output path, fragment) of ``href`` on the page ``page_path`` of a site published at
    ``base_path``; None for an address outside the site."""
    split = _split(href)
    if split is None:
        return None
    path, fragment = split
    if not path:
        return page_path, fragment
    if path.startswith("/"):
        return _rooted(base_path, path, fragment)
    # Relative: the only part that depends on the page (and the pages are many, each in its
    # own folder), so the rest is worked out once per address.
    return _relative(page_path, path), fragment


def _relative(page_path: str, path: str) -> str:
    """The output path of the relative address ``path`` on the page ``page_path``."""
    rest = path
    up = 0
    while rest.startswith("../"):
        rest = rest[3:]
        up += 1
    folder = page_path.split("/")[:-1]
    if up <= len(folder) and not _UNUSUAL.search(rest) and rest not in (".", ".."):
        # The common case, ``../../fi/kasvu/``: no segment to normalise but the leading ones.
        joined = "/".join([*folder[: len(folder) - up], rest])
        return _output_path(joined)
    absolute = posixpath.normpath(posixpath.join(_page_url(page_path), path))
    if path.endswith("/"):
        absolute += "/"
    return _output_path(absolute)


_UNUSUAL = re.compile(r"(^|/)\.\.?(/|$)|//|^/")
"""What only :func:`posixpath.normpath` resolves: ``.`` or ``..`` segments past the leading
ones, empty segments."""


@functools.lru_cache(maxsize=1 << 16)
def _split(href: str) -> tuple[str, str | None] | None:
    """The path and the fragment of an address, None for one with a scheme or a host."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc:
        return None
    return parts.path, unquote(parts.fragment) or None


@functools.lru_cache(maxsize=1 << 14)
def _rooted(base_path: str, path: str, fragment: str | None) -> tuple[str, str | None] | None:
    if not path.startswith(base_path):
        return None
    return _output_path("/" + path[len(base_path) :]), fragment


def _output_path(absolute: str) -> str:
    rel = absolute.lstrip("/")
    if "%" in rel:
        rel = unquote(rel)
    if rel == "" or rel.endswith("/"):
        rel += "index.html"
    return rel


def document_rules(
    doctype: bool, elements: Sequence[Element], lang: str | None, fail: Fail
) -> None:
    """The doctype, the page's language and its title (``elements``: at least every html and
    title element, in document order)."""
    html = next((e for e in elements if e.tag == "html"), None)
    if not doctype:
        fail(None, "the page does not start with <!doctype html>", "4.1.1")
    if html is None or not LANG.match(html.attrib.get("lang", "")):
        fail(html, "<html> has no valid lang attribute", "3.1.1")
    elif lang and html.attrib["lang"] != lang:
        fail(html, f"<html lang> is '{html.attrib['lang']}' on a page in '{lang}'", "3.1.1")
    if not any(e.tag == "title" and _text(e) for e in elements):
        fail(None, "the page has no title", "2.4.2")


def structure_rules(elements: Sequence[Element], fail: Fail) -> None:
    """Headings, landmarks and focus order (``elements``: at least every heading, landmark
    and focusable element, in document order)."""
    _headings(elements, fail)
    _landmarks(elements, fail)
    _focus_order(elements, fail)


def _headings(elements: Sequence[Element], fail: Fail) -> None:
    headings = [e for e in elements if e.tag in HEADINGS]
    h1 = [h for h in headings if h.tag == "h1"]
    if len(h1) != 1:
        fail(
            h1[1] if len(h1) > 1 else None,
            f"{len(h1)} h1 headings; a page needs exactly one",
            "1.3.1",
        )
    level = 0
    for heading in headings:
        current = int(heading.tag[1])
        if level and current > level + 1:
            fail(heading, f"heading level skips from h{level} to h{current}", "1.3.1")
        if not _text(heading):
            fail(heading, "empty heading", "2.4.6")
        level = current


def _landmarks(elements: Sequence[Element], fail: Fail) -> None:
    body = next((e for e in elements if e.tag == "body"), None)
    if body is None:
        fail(None, "the page has no body", "4.1.1")
        return
    navs = [e for e in elements if e.tag == "nav"]
    if len([e for e in elements if e.tag == "main"]) != 1:
        fail(None, "a page needs exactly one <main>", "1.3.1")
    # A page with navigation has the site shell around it: banner and content info too.
    # (The language choice at the root and the 404 page are one block each.)
    for tag in ("header", "footer") if navs else ():
        if not any(e.tag == tag and not _in_sectioning(e) for e in elements):
            fail(None, f"no <{tag}> landmark", "1.3.1")
    if len(navs) > 1:
        for nav in navs:
            if not (nav.attrib.get("aria-label") or nav.attrib.get("aria-labelledby")):
                fail(nav, "one of several <nav> landmarks has no name", "1.3.1")


def _focus_order(elements: Sequence[Element], fail: Fail) -> None:
    focusable = [e for e in elements if _focusable(e)]
    if not focusable:
        return
    first = focusable[0]
    before_main = not any(a.tag == "main" for a in first.iterancestors())
    # Bypass blocks: only needed when something focusable comes before the main content.
    if before_main and not (first.tag == "a" and first.attrib.get("href") == "#main"):
        fail(first, "the first focusable element is not the skip link to #main", "2.4.1")
    for element in focusable:
        if (
            element.attrib.get("tabindex", "0").strip().lstrip("-").isdigit()
            and int(element.attrib.get("tabindex", "0")) > 0
        ):
            fail(element, "positive tabindex changes the focus order", "2.4.3")


def attribute_rules(element: Element, fail: Fail) -> None:
    """What an element's own attributes may not be: a bad language code, an event handler."""
    attrs = element.attrib
    if "lang" in attrs and not LANG.match(attrs["lang"]):
        fail(element, f"lang '{attrs['lang']}' is not a language code", "3.1.2")
    handlers = [k for k in attrs if k.startswith("on")]
    if handlers:
        fail(element, f"inline event handler {handlers[0]}", "4.1.2")


def reference_rules(element: Element, by_id: Mapping[str, Element], fail: Fail) -> None:
    """Every id an attribute names (``aria-labelledby``, ``for``...) is an element of the page."""
    attrs = element.attrib
    for ref in (k for k in attrs if k in ID_REFERENCES):
        for target in attrs[ref].split():
            if target not in by_id:
                fail(element, f"{ref} names the missing id '{target}'", ID_REFERENCES[ref])


def element_rules(
    element: Element,
    by_id: Mapping[str, Element],
    labels_for: Mapping[str, list[Element]],
    fail: Fail,
) -> None:
    """The rules on one element by its kind: text alternatives, names, labels, table headers."""
    attrs = element.attrib
    if element.tag == "img" and "alt" not in attrs:
        fail(element, 'image without alt (use alt="" if decorative)', "1.1.1")
    elif element.tag in ("a", "button") and (element.tag == "button" or "href" in attrs):
        if not accessible_name(element, by_id):
            fail(element, f"{element.tag} without an accessible name", "4.1.2")
    elif element.tag in ("input", "select", "textarea"):
        _labelled(element, by_id, labels_for, fail)
    elif element.tag == "table" and not any(True for _ in element.iter("th")):
        fail(element, "table without header cells", "1.3.1")
    elif _role(element) in ("button", "link"):
        _named(element, by_id, fail)


def link_key(element: Element, by_id: Mapping[str, Element]) -> tuple[str, str]:
    """What tells links apart: the name, and the text of the paragraph, list item or cell
    around it (the same text in different list items is fine)."""
    name = link_name(element, by_id)
    context = next((_text(a) for a in element.iterancestors() if a.tag in CONTEXT), "").casefold()
    return name, context


class KnownLinks(Protocol):
    """Links' names and keys (:func:`link_key`) worked out before, for a part of a page that
    is the same in many pages; None for a link whose name or context depends on the page."""

    def name(self, element: Element) -> str | None: ...

    def key(self, element: Element) -> tuple[str, str] | None: ...


def links_named_alike(
    targets: Sequence[tuple[Element, str]],
    by_id: Mapping[str, Element],
    fail: Fail,
    known: KnownLinks | None = None,
) -> None:
    """:func:`same_names` of a page's links (each with where it goes), in document order.
    A link's context is read only when a link of the same name goes elsewhere: otherwise no
    context can tell them apart wrongly."""
    names: list[str] = []
    by_plain: dict[str, set[str]] = {}
    for element, target in targets:
        name = known.name(element) if known is not None else None
        if name is None:
            name = link_name(element, by_id)
        names.append(name)
        by_plain.setdefault(name, set()).add(target)
    by_name: dict[tuple[str, str], set[str]] = {}
    for (element, target), name in zip(targets, names, strict=True):
        if name and len(by_plain[name]) > 1:
            key = known.key(element) if known is not None else None
            by_name.setdefault(key or link_key(element, by_id), set()).add(target)
    same_names(by_name, fail)


def link_name(element: Element, by_id: Mapping[str, Element]) -> str:
    """A link's name as :func:`link_key` compares it."""
    return " ".join(accessible_name(element, by_id).casefold().split())


def same_names(by_name: Mapping[tuple[str, str], set[str]], fail: Fail) -> None:
    """Links with the same name (and context) must go to the same place."""
    for (name, _), targets in by_name.items():
        if name and len(targets) > 1:
            fail(None, f"links named '{name}' go to {len(targets)} different places", "2.4.4")


def _labelled(
    field: Element,
    by_id: Mapping[str, Element],
    labels_for: Mapping[str, list[Element]],
    fail: Fail,
) -> None:
    if field.attrib.get("type") not in UNLABELLED_INPUTS and not field_label(
        field, by_id, labels_for
    ):
        fail(field, "form field without a label", "1.3.1")


def _named(element: Element, by_id: Mapping[str, Element], fail: Fail) -> None:
    """Something with the role of a button or link needs a name, like a real one."""
    if not accessible_name(element, by_id):
        fail(element, f'role="{_role(element)}" without an accessible name', "4.1.2")


def _in_sectioning(element: Element) -> bool:
    """A header or footer inside article/section/aside/nav/main is not a page landmark."""
    return any(
        a.tag in ("article", "section", "aside", "nav", "main") for a in element.iterancestors()
    )


def _focusable(element: Element) -> bool:
    tag = element.tag
    tabindex = element.get("tabindex")
    if tag not in FOCUSABLE:  # most elements: focusable only by a tabindex
        return tabindex is not None and tabindex != "-1" and element.get("disabled") is None
    if tabindex == "-1" or element.get("disabled") is not None:
        return False
    if tag == "a":
        return element.get("href") is not None
    if tag == "input":
        return element.get("type") != "hidden"
    return True


def check_site(
    site: str,
    pages: Mapping[str, str],
    base_path: str = "/",
    only: Iterable[str] | None = None,
    published: Iterable[str] = (),
) -> list[Finding]:
    """Every finding on every page of one site (or on the pages ``only`` names); ``published``
    lists the site's other files (``assets/style.css``) that pages may load."""
    return SiteChecker(site, pages, base_path, only, published).run()


def _check_one(job: tuple[str, Mapping[str, str], str, tuple[str, ...]]) -> list[Finding]:
    site, pages, base, published = job
    return check_site(site, pages, base, published=published)


def check_sites(
    sites: Mapping[str, tuple[Mapping[str, str], str]],
    workers: int | None = None,
    published: Iterable[str] = (),
) -> dict[str, list[Finding]]:
    """Check many sites, one process per core: parsing HTML is CPU work (``{slug: (pages,
    base path)}`` and the files every site publishes besides its pages in, ``{slug:
    findings}`` out)."""
    files = tuple(published)
    jobs = [(slug, pages, base, files) for slug, (pages, base) in sites.items()]
    workers = workers or min(len(jobs), os.cpu_count() or 1)
    if workers <= 1 or len(jobs) <= 1:
        return {job[0]: _check_one(job) for job in jobs}
    with ProcessPoolExecutor(max_workers=workers, initializer=die_with_parent) as pool:
        return dict(zip((job[0] for job in jobs), pool.map(_check_one, jobs), strict=True))
