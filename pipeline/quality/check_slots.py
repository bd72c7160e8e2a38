"""The gate, once for what is the same everywhere: each national page is checked once, and each
site only for what its slots add.

In: the national pages split at their slots (:class:`~pipeline.site.slots.CompiledPage`, by
output path) and, per site, the fragments that fill each of them, the site's other pages (its
own pages, services, calendar: checked in full), its base path and published files.
Out: the same :class:`~pipeline.quality.check.Finding` objects as
:func:`~pipeline.quality.check.check_site` on the filled pages, which stays the reference.

How. A national page is parsed once with its slot markers: the *skeleton*. A marker becomes a
position (parent element, previous sibling, offset in the text); a marker inside ``<title>``
is text. What an element of the skeleton is found to break is computed once when it cannot
depend on a slot: its attributes always, its name, text alternative and table headers when no
slot is inside it (it is not *open*) and it names nothing by id. A fragment is parsed once per
distinct (fragment, ancestors of its slot): inside a copy of the ancestors, followed by a
sentinel that must be the last child of the innermost one, so the fragment parses as it does
in the page and leaves the parser where it found it (otherwise the page is checked in full).
Per page of a site, the fragments are grafted into the skeleton at their positions, and the
rules that look across the page (ids and references, duplicate ids, headings, landmarks, focus
order, labels, link names and targets, files) run on lists of the page's elements of each kind
made by splicing the skeleton's lists with the fragments' at the slots; the open elements are
checked again in place; then the skeleton is restored. Line numbers are the skeleton's shifted
by the newlines of the fragments before, as in the filled page.

Anything this cannot model (a marker in an attribute or script, a fragment that does not close
what it opens, text in a title fragment that is not plain) falls back to the full check of the
filled page: never a pass by omission.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, fields
from pathlib import Path

from lxml import etree

from pipeline.cache import BuildCache
from pipeline.lifetime import die_with_parent
from pipeline.quality.check import (
    CONTEXT,
    ID_REFERENCES,
    RESOURCES,
    RULED,
    Element,
    Fail,
    Finding,
    PendingAnchor,
    SiteChecker,
    _focusable,
    attribute_rules,
    describe,
    document_rules,
    element_rules,
    link_key,
    link_name,
    links_named_alike,
    reference_rules,
    structure_rules,
)
from pipeline.site.slots import MARKER, CompiledPage, fill

_KEEP = etree.HTMLParser(remove_comments=False)
_DROP = etree.HTMLParser(remove_comments=True)
STRUCTURE = {"html", "title", "body", "main", "nav", "header", "footer"} | {
    f"h{n}" for n in range(1, 7)
}
FIELDS = {"input", "select", "textarea"}
SENTINEL = "data-gate-slot-end"


class Unsupported(Exception):
    """A page or fragment the composed check cannot model: the page is checked in full."""


@dataclass
class Kinds:
    """Elements of one part or fragment by what the page-wide rules look at, in order."""

    structure: list[Element] = field(default_factory=list)
    ids: list[Element] = field(default_factory=list)
    labels_for: list[Element] = field(default_factory=list)
    references: list[Element] = field(default_factory=list)
    resources: list[Element] = field(default_factory=list)
    links: list[Element] = field(default_factory=list)
    open: list[Element] = field(default_factory=list)
    """Elements whose element rules depend on the page around them: checked in each page."""

    def add(self, element: Element, is_open: bool, keys: Sequence[str]) -> None:
        """``keys``: the element's attribute names (most elements have none a kind needs)."""
        tag = element.tag
        if tag in STRUCTURE or _focusable(element):
            self.structure.append(element)
        if keys:
            if element.get("id"):
                self.ids.append(element)
            if tag == "label" and "for" in keys:
                self.labels_for.append(element)
            if not ID_REFERENCES.keys().isdisjoint(keys):
                self.references.append(element)
            if tag == "a" and "href" in keys:
                self.links.append(element)
        if tag in RESOURCES:
            self.resources.append(element)
        if is_open:
            self.open.append(element)


def _analyse_element(kinds: Kinds, element: Element, is_open: bool, fail: Fail) -> None:
    """Put an element in its kinds and run the rules that need nothing else of the page
    (``is_open``: its element rules do; they run in each page)."""
    keys = element.keys()
    kinds.add(element, is_open, keys)
    if keys:
        attribute_rules(element, fail)
    if not is_open and (element.tag in RULED or "role" in keys):
        element_rules(element, {}, {}, fail)


KINDS = tuple(f.name for f in fields(Kinds))


@dataclass(frozen=True)
class Analysis:
    """What the rules find in a skeleton that no slot can change, its elements named by their
    place in document order. Kept in the build cache under the page's text: a later build
    parses the page again (libxml2: fast) and takes this instead of running the rules on each
    element again (Python: most of a skeleton's cost)."""

    elements: int
    kinds: tuple[dict[str, tuple[int, ...]], ...]
    """Per part of the page, per kind (:class:`Kinds`), its elements."""
    static: tuple[tuple[int, str, str], ...]
    keys: tuple[tuple[int, str, str], ...]
    """The links whose name and context no slot can change: element, name, context."""
    ids: frozenset[str]
    titles: tuple[tuple[int, int, int], ...]
    """The slots in a title's text: slot, the title's element, which of its markers."""


Static = tuple[Element, str, str]
"""A finding computed once: the element, the message and the criterion."""


def _collect(fail_list: list[Static]) -> Fail:
    def fail(element: Element | None, message: str, criterion: str) -> None:
        assert element is not None  # element and attribute rules always name the element
        fail_list.append((element, message, criterion))

    return fail


def _needs_page(element: Element) -> bool:
    """Whether an element's own rules read other elements of the page (labels, ids)."""
    return element.tag in FIELDS or "aria-labelledby" in element.attrib


def _static_key(element: Element, outside: set[Element] | None) -> tuple[str, str] | None:
    """A link's name and context when they cannot depend on a slot (``outside``: elements
    whose text may change in a page: the skeleton's open ones; None for a fragment, whose
    ancestors beyond itself are the slot's)."""
    if "aria-labelledby" in element.attrib or (outside is not None and element in outside):
        return None  # its name comes from elsewhere, or a slot is inside it
    for ancestor in element.iterancestors():
        if ancestor.tag in CONTEXT:
            if outside is None and ancestor.get(SENTINEL + "-wrap") is not None:
                return None
            if outside is not None and ancestor in outside:
                return None
            break
    return link_key(element, {})


@dataclass
class _Position:
    """Where a slot's fragment goes: after ``prev`` (or first in ``parent``), at ``offset``
    in the text there."""

    parent: Element
    prev: Element | None
    offset: int
    stack: tuple[str, ...]


class Skeleton:
    """A national page parsed once, its slot markers taken out and remembered as positions.
    ``analysis``: what an earlier build's rules found in the same page (:class:`Analysis`),
    taken instead of running them again; :attr:`analysis` is what they found now."""

    def __init__(self, compiled: CompiledPage, analysis: Analysis | None = None) -> None:
        self.compiled = compiled
        html = compiled.parts[0] + "".join(
            f"<!--slot:{name}-->{part}"
            for name, part in zip(compiled.slots, compiled.parts[1:], strict=True)
        )
        if not html.strip():
            raise Unsupported("empty page")
        self._parse(html)
        try:
            self._walk(analysis)
        except Unsupported:
            if analysis is None:
                raise
            analysis = None  # not the page it is the analysis of: walked anew
            self._parse(html)
            self._walk(None)
        # Lines: the filled page has each fragment's newlines before what follows its slot.
        self.newlines = [part.count("\n") for part in compiled.parts]
        open_: set[Element] = set()
        for position in self.positions.values():
            open_.add(position.parent)
            open_.update(position.parent.iterancestors())
        for title, _ in self.titles.values():
            open_.add(title)
            open_.update(title.iterancestors())
        self.open = open_
        if analysis is not None:
            self._restore(analysis)
            self.analysis = analysis
        else:
            self.analysis = self._analyse()

    def _parse(self, html: str) -> None:
        root = etree.fromstring(html, _KEEP)
        self.root = root
        self.doctype: bool = root.getroottree().docinfo.doctype.lower() == "<!doctype html>"
        self.positions: dict[int, _Position] = {}
        self.titles: dict[int, tuple[Element, int]] = {}
        """Slots inside a title's text: the title and which of its markers."""
        self.elements: list[Element] = []
        self.part_of: dict[Element, int] = {}

    def _walk(self, known: Analysis | None) -> None:
        """Take the comments out, the markers as positions, checking where each marker is;
        those in a title's text are where ``known`` (an earlier build's walk of the same
        page) saw them, when given."""
        in_title: dict[int, list[tuple[int, int]]] = {}
        for slot, index, marker in known.titles if known is not None else ():
            in_title.setdefault(index, []).append((slot, marker))
        slots = self.compiled.slots
        slot = 0
        for node in list(self.root.iter()):
            if isinstance(node.tag, str):
                self.part_of[node] = slot
                index = len(self.elements)
                self.elements.append(node)
                if known is None:
                    slot = self._text_markers(node, slot)
                for title_slot, marker in in_title.get(index, ()):
                    self.titles[title_slot] = (node, marker)
                    slot += 1
            elif node.tag is etree.Comment:
                match = MARKER.fullmatch(f"<!--{node.text}-->")
                if match:
                    if slot >= len(slots) or slots[slot] != match.group(1):
                        raise Unsupported("slot markers out of order")
                    self.positions[slot] = self._remove(node, keep=True)
                    slot += 1
                else:
                    self._remove(node, keep=False)
            else:
                raise Unsupported("a node that is neither an element nor a comment")
        if slot != len(slots):
            raise Unsupported("a slot marker in an attribute or a script")
        if known is not None and len(self.elements) != known.elements:
            raise Unsupported("not the elements the analysis is of")

    def _analyse(self) -> Analysis:
        """Run the rules that no slot can change, on each element."""
        open_ = self.open
        self.kinds = [Kinds() for _ in self.compiled.parts]
        self.static: list[Static] = []
        fail = _collect(self.static)
        self.keys: dict[Element, tuple[str, str]] = {}
        for element in self.elements:
            is_open = element in open_ or _needs_page(element)
            _analyse_element(self.kinds[self.part_of[element]], element, is_open, fail)
            if element.tag == "a" and "href" in element.attrib:
                key = _static_key(element, open_)
                if key is not None:
                    self.keys[element] = key
        self.ids = {e.attrib["id"] for e in self.elements if e.attrib.get("id")}
        place = {element: n for n, element in enumerate(self.elements)}
        return Analysis(
            elements=len(self.elements),
            kinds=tuple(
                {kind: tuple(place[e] for e in getattr(part, kind)) for kind in KINDS}
                for part in self.kinds
            ),
            static=tuple((place[e], message, criterion) for e, message, criterion in self.static),
            keys=tuple((place[e], name, context) for e, (name, context) in self.keys.items()),
            ids=frozenset(self.ids),
            titles=tuple(
                (slot, place[title], marker) for slot, (title, marker) in self.titles.items()
            ),
        )

    def _restore(self, analysis: Analysis) -> None:
        elements = self.elements
        self.kinds = [
            Kinds(**{kind: [elements[n] for n in part[kind]] for kind in KINDS})
            for part in analysis.kinds
        ]
        self.static = [
            (elements[n], message, criterion) for n, message, criterion in analysis.static
        ]
        self.keys = {elements[n]: (name, context) for n, name, context in analysis.keys}
        self.ids = set(analysis.ids)

    def _text_markers(self, element: Element, slot: int) -> int:
        """Count markers in a title's text (slots); a marker in other text or in an attribute
        is not modelled."""
        text = element.text or ""
        if element.tag == "title":
            for index in range(len(MARKER.findall(text))):
                self.titles[slot] = (element, index)
                slot += 1
        elif "<!--slot:" in text:
            raise Unsupported("a slot marker in text")
        if "<!--slot:" in (element.tail or "") or any(
            "<!--slot:" in v for v in element.attrib.values()
        ):
            raise Unsupported("a slot marker in text or an attribute")
        return slot

    @staticmethod
    def _remove(node: Element, keep: bool) -> _Position:
        """Take a comment out, joining the text around it as the parser would without it."""
        parent = node.getparent()
        if parent is None:
            raise Unsupported("a slot outside the document element")
        prev = node.getprevious()
        if prev is not None and not isinstance(prev.tag, str):
            raise Unsupported("a comment next to a slot")
        before = (prev.tail if prev is not None else parent.text) or ""
        joined = before + (node.tail or "")
        node.tail = None
        parent.remove(node)
        if prev is not None:
            prev.tail = joined or None
        else:
            parent.text = joined or None
        stack = tuple(a.tag for a in reversed([parent, *parent.iterancestors()]))
        return _Position(parent, prev, len(before), stack if keep else ())


class Fragment:
    """A fragment parsed in the ancestors of its slot, with its findings that are its own."""

    def __init__(self, stack: tuple[str, ...], html: str) -> None:
        if "\r" in html or not stack or stack[0] != "html":
            raise Unsupported("fragment context")
        sentinel = f"<meta {SENTINEL}>" if stack[-1] == "head" else f"<span {SENTINEL}></span>"
        opening = "".join(f"<{tag} {SENTINEL}-wrap>" for tag in stack)
        closing = "".join(f"</{tag}>" for tag in reversed(stack))
        root = etree.fromstring(opening + html + sentinel + closing, _DROP)
        inner = root
        for depth, tag in enumerate(stack):
            if inner.tag != tag or inner.get(SENTINEL + "-wrap") is None:
                raise Unsupported("the fragment changes its ancestors")
            children = [c for c in inner if isinstance(c.tag, str)]
            if depth + 1 < len(stack):
                wrapped = [c for c in children if c.get(SENTINEL + "-wrap") is not None]
                if len(children) != 1 or len(wrapped) != 1 or (inner.text or "").strip():
                    raise Unsupported("the fragment leaves its slot")
                if (children[0].tail or "").strip():
                    raise Unsupported("the fragment leaves its slot")
                inner = children[0]
        children = list(inner)
        if not children or children[-1].get(SENTINEL) is None or children[-1].tail:
            raise Unsupported("the fragment does not close what it opens")
        if any(not isinstance(c.tag, str) for c in children):
            raise Unsupported("a comment in a fragment")
        end = children[-1]
        self.lead = inner.text or ""
        inner.text = None
        self.nodes: list[Element] = children[:-1]
        inner.remove(end)
        self.trail = self.nodes[-1].tail if self.nodes else None
        self.html = html
        self.newlines = html.count("\n")
        self.elements = [e for node in self.nodes for e in node.iter()]
        if any(not isinstance(e.tag, str) for e in self.elements):
            raise Unsupported("a comment in a fragment")
        self.lines = {e: (e.sourceline or 1) - 1 for e in self.elements}
        self.kinds = Kinds()
        self.static: list[Static] = []
        fail = _collect(self.static)
        self._names: dict[Element, str | None] = {}
        self._keys: dict[Element, tuple[str, str] | None] = {}
        for element in self.elements:
            _analyse_element(self.kinds, element, _needs_page(element), fail)
        self.ids = {e.attrib["id"] for e in self.elements if e.attrib.get("id")}
        # Detached from the wrapper: grafted into a page while it is checked, then taken out.
        for node in self.nodes:
            inner.remove(node)
        self.in_use = False

    # A link's name and context, worked out when a page first needs them (grafted in it) and
    # kept for the fragment's other pages, unless they depend on the page: a name given by
    # aria-labelledby, a context from outside the fragment.

    def name(self, element: Element) -> str | None:
        if element not in self._names:
            fixed = "aria-labelledby" not in element.attrib
            self._names[element] = link_name(element, {}) if fixed else None
        return self._names[element]

    def key(self, element: Element) -> tuple[str, str] | None:
        if element not in self._keys:
            around = next((a for a in element.iterancestors() if a.tag in CONTEXT), None)
            inside = around is None or around in self.lines
            fixed = inside and "aria-labelledby" not in element.attrib
            self._keys[element] = link_key(element, {}) if fixed else None
        return self._keys[element]


def _title_text(fragment: str) -> str:
    """A title fragment as the title's text: plain text only (no markup, no references)."""
    if "<" in fragment or "&" in fragment or "\r" in fragment:
        raise Unsupported("markup in a title fragment")
    return fragment


class ComposedSite:
    """Checks one site's national pages from their skeletons and the site's fragments."""

    def __init__(
        self,
        site: str,
        base_path: str,
        skeletons: Mapping[str, Skeleton | CompiledPage],
        filled: Mapping[str, Sequence[str]],
        others: Mapping[str, str],
        published: Iterable[str],
        fragments: dict[tuple[tuple[str, ...], str], Fragment | None],
        known_ids: Mapping[str, set[str]] | None = None,
        deferred: Collection[str] = (),
    ) -> None:
        """``published``: the site's files not given here (assets, pages checked before),
        and ``known_ids`` the ids of those pages, so that links to them resolve."""
        self.site = site
        self.cache = fragments
        composed: dict[str, tuple[Skeleton, list[Fragment | str]]] = {}
        full = dict(others)
        for path, texts in filled.items():
            skeleton = skeletons[path]
            if not path.endswith(".html"):
                full[path] = ""  # not a page: a file links may name
                continue
            pieces = self._pieces(skeleton, texts) if isinstance(skeleton, Skeleton) else None
            if pieces is None:
                compiled = skeleton.compiled if isinstance(skeleton, Skeleton) else skeleton
                full[path] = _filled(compiled, texts)
            else:
                assert isinstance(skeleton, Skeleton)
                composed[path] = (skeleton, pieces)
        self.composed = composed
        ids = dict(known_ids or {})
        ids.update(
            (path, skeleton.ids.union(*(p.ids for p in pieces if isinstance(p, Fragment))))
            for path, (skeleton, pieces) in composed.items()
        )
        self.checker = SiteChecker(
            site, full, base_path, published=[*published, *composed], known_ids=ids,
            deferred=deferred,
        )  # fmt: skip

    def _fragment(self, stack: tuple[str, ...], text: str) -> Fragment | None:
        key = (stack, text)
        if key not in self.cache:
            try:
                self.cache[key] = Fragment(stack, text)
            except Unsupported:
                self.cache[key] = None
        return self.cache[key]

    def _pieces(self, skeleton: Skeleton, texts: Sequence[str]) -> list[Fragment | str] | None:
        pieces: list[Fragment | str] = []
        for slot, text in enumerate(texts):
            if slot in skeleton.titles:
                try:
                    pieces.append(_title_text(text))
                except Unsupported:
                    return None
                continue
            fragment = self._fragment(skeleton.positions[slot].stack, text)
            if fragment is None:
                return None
            pieces.append(fragment)
        return pieces

    def run(self) -> list[Finding]:
        findings = self.checker.run()
        for path, (skeleton, pieces) in self.composed.items():
            expected = path.split("/")[0]
            findings.extend(
                self.check_page(path, skeleton, pieces, expected if len(expected) == 2 else None)
            )
        return findings

    # --- one page ---------------------------------------------------------------------------

    def check_page(
        self, path: str, skeleton: Skeleton, pieces: list[Fragment | str], lang: str | None
    ) -> list[Finding]:
        # A fragment twice in one page needs its own copy of the nodes.
        used: list[Fragment | str] = []
        for slot, piece in enumerate(pieces):
            if isinstance(piece, Fragment) and piece.in_use:
                piece = Fragment(skeleton.positions[slot].stack, piece.html)
            if isinstance(piece, Fragment):
                piece.in_use = True
            used.append(piece)
        undo = _graft(skeleton, used)
        try:
            return self._check_grafted(path, skeleton, used, lang)
        finally:
            _ungraft(undo)
            for piece in used:
                if isinstance(piece, Fragment):
                    piece.in_use = False

    def _check_grafted(
        self, path: str, skeleton: Skeleton, pieces: list[Fragment | str], lang: str | None
    ) -> list[Finding]:
        found: list[Finding] = []
        # Lines in the filled page: each part moves down by the newlines of the fragments
        # before it; a fragment starts on its slot's line.
        shift = [0]
        for piece in pieces:
            newlines = piece.newlines if isinstance(piece, Fragment) else piece.count("\n")
            shift.append(shift[-1] + newlines)
        starts: list[tuple[Fragment, int]] = []
        line = 1
        for slot, piece in enumerate(pieces):
            line += skeleton.newlines[slot]
            if isinstance(piece, Fragment):
                starts.append((piece, line))
                line += piece.newlines
            elif piece:
                line += piece.count("\n")

        def line_of(element: Element) -> int | None:
            part = skeleton.part_of.get(element)
            if part is not None:
                return (element.sourceline or 0) + shift[part]
            for fragment, start in starts:
                if element in fragment.lines:
                    return start + fragment.lines[element]
            return element.sourceline

        def fail(element: Element | None, message: str, criterion: str) -> None:
            where = describe(element, line_of(element)) if element is not None else "page"
            found.append(Finding(self.site, path, where, message, criterion))

        def spliced(kind: str) -> list[Element]:
            out: list[Element] = list(getattr(skeleton.kinds[0], kind))
            for slot, piece in enumerate(pieces):
                if isinstance(piece, Fragment):
                    out.extend(getattr(piece.kinds, kind))
                out.extend(getattr(skeleton.kinds[slot + 1], kind))
            return out

        fragments = [p for p in pieces if isinstance(p, Fragment)]
        ids = spliced("ids")
        by_id = {e.attrib["id"]: e for e in ids}
        labels_for: dict[str, list[Element]] = {}
        for label in spliced("labels_for"):
            labels_for.setdefault(label.attrib["for"], []).append(label)

        structure = spliced("structure")
        document_rules(skeleton.doctype, structure, lang, fail)
        structure_rules(structure, fail)
        for element, message, criterion in skeleton.static:
            fail(element, message, criterion)
        for fragment in fragments:
            for element, message, criterion in fragment.static:
                fail(element, message, criterion)
        for element in spliced("open"):
            element_rules(element, by_id, labels_for, fail)
        for element in spliced("references"):
            reference_rules(element, by_id, fail)
        seen: set[str] = set()
        for element in ids:
            ident = element.attrib["id"]
            if ident in seen:
                fail(element, f"the id '{ident}' is used twice", "4.1.1")
            seen.add(ident)
        for element in spliced("resources"):
            self.checker._resource(path, element, fail)
        targets: list[tuple[Element, str]] = []
        for element in spliced("links"):
            resolved = self.checker.link_target(path, element, fail)
            if resolved is not None:
                targets.append((element, resolved))
        links_named_alike(targets, by_id, fail, _PageLinks(skeleton, fragments))
        return found


class _PageLinks:
    """The names and keys of a page's links known from its skeleton and fragments."""

    def __init__(self, skeleton: Skeleton, fragments: Sequence[Fragment]) -> None:
        self.skeleton = skeleton
        self.fragments = fragments

    def _fragment(self, element: Element) -> Fragment | None:
        return next((f for f in self.fragments if element in f.lines), None)

    def name(self, element: Element) -> str | None:
        key = self.skeleton.keys.get(element)
        if key is not None:
            return key[0]
        fragment = self._fragment(element)
        return fragment.name(element) if fragment is not None else None

    def key(self, element: Element) -> tuple[str, str] | None:
        key = self.skeleton.keys.get(element)
        if key is not None:
            return key
        fragment = self._fragment(element)
        return fragment.key(element) if fragment is not None else None


Undo = list[tuple[Element, bool, str | None, list[Element], str | None]]


def _graft(skeleton: Skeleton, pieces: Sequence[Fragment | str]) -> Undo:
    """Put each fragment in its place in the skeleton (last slot first, so that positions
    sharing a text stay valid); what to do to take them out again."""
    undo: Undo = []
    titles: dict[Element, list[str]] = {}
    for slot in reversed(range(len(pieces))):
        piece = pieces[slot]
        if isinstance(piece, str):
            title, _ = skeleton.titles[slot]
            titles.setdefault(title, [])
            titles[title].insert(0, piece)
            continue
        position = skeleton.positions[slot]
        holder = position.prev if position.prev is not None else position.parent
        in_tail = position.prev is not None
        saved = holder.tail if in_tail else holder.text
        text = saved or ""
        before, after = text[: position.offset], text[position.offset :]
        if not piece.nodes:
            _set(holder, in_tail, before + piece.lead + after)
        else:
            _set(holder, in_tail, before + piece.lead)
            anchor = position.prev
            for index, node in enumerate(piece.nodes):
                if anchor is None:
                    position.parent.insert(index, node)
                else:
                    anchor.addnext(node)
                    anchor = node
            piece.nodes[-1].tail = (piece.trail or "") + after or None
        undo.append((holder, in_tail, saved, piece.nodes, piece.trail))
    for title, texts in titles.items():
        saved_text = title.text
        parts = MARKER.split(saved_text or "")
        joined = parts[0] + "".join(t + rest for t, rest in zip(texts, parts[2::2], strict=True))
        title.text = joined or None
        undo.append((title, False, saved_text, [], None))
    return undo


def _set(holder: Element, in_tail: bool, text: str) -> None:
    if in_tail:
        holder.tail = text or None
    else:
        holder.text = text or None


def _ungraft(undo: Undo) -> None:
    for holder, in_tail, saved, nodes, trail in reversed(undo):
        for node in nodes:
            parent = node.getparent()
            if parent is not None:
                parent.remove(node)
        if nodes:
            nodes[-1].tail = trail
        if in_tail:
            holder.tail = saved
        else:
            holder.text = saved


def _filled(compiled: CompiledPage, texts: Sequence[str]) -> str:
    """The page as published: the national parts joined with the fragments."""
    pieces = iter(texts)
    return fill(compiled, lambda _: next(pieces))


def skeleton_of(compiled: CompiledPage, cache: BuildCache | None = None) -> Skeleton | CompiledPage:
    """The page's skeleton, or the page itself when it can only be checked in full. With the
    build cache, the rules' findings in its elements are those an earlier build kept for the
    same page (:class:`Analysis`), and kept for the next."""
    key = None
    analysis = None
    if cache is not None:
        key = cache.key("skeleton", str(len(compiled.slots)), *compiled.slots, *compiled.parts)
        kept = cache.get("skeleton", key)
        analysis = kept if isinstance(kept, Analysis) else None
    try:
        skeleton = Skeleton(compiled, analysis)
    except Unsupported:
        return compiled
    if cache is not None and key is not None and skeleton.analysis is not analysis:
        cache.put("skeleton", key, skeleton.analysis)
    return skeleton


# --- many sites -----------------------------------------------------------------------------

SiteJob = tuple[str, str, Mapping[str, str], Mapping[str, tuple[str, ...]], tuple[str, ...]]
"""One site to check: slug, base path, the pages checked in full (and other files), the
fragments of each national page it publishes, and the files every site publishes."""

_NATIONAL: dict[str, CompiledPage] = {}
_CACHE: list[BuildCache] = []
"""The build cache of this process's builds (none: every skeleton is analysed anew)."""
_SKELETONS: dict[str, Skeleton | CompiledPage] = {}
_FRAGMENTS: dict[str, dict[tuple[tuple[str, ...], str], Fragment | None]] = {}


def _fragments(slug: str) -> dict[tuple[tuple[str, ...], str], Fragment | None]:
    """The parsed fragments of the site checked last in this process (a site checked in
    parts parses its header, help and footer once): fragments repeat within a site, seldom
    across sites, so only one site's are kept and memory does not grow with the sites."""
    if slug not in _FRAGMENTS:
        _FRAGMENTS.clear()
        _FRAGMENTS[slug] = {}
    return _FRAGMENTS[slug]


def start_process(national: Mapping[str, CompiledPage], cache_root: Path | None = None) -> None:
    """Give a process the national pages (once, not with every site), and the project whose
    build cache keeps what the skeletons' rules found (``cache_root``; None: no cache)."""
    die_with_parent()
    _use(national)
    _CACHE[:] = [BuildCache(cache_root, on=True)] if cache_root is not None else []


def _use(national: Mapping[str, CompiledPage]) -> None:
    _NATIONAL.clear()
    _NATIONAL.update(national)
    _SKELETONS.clear()
    _FRAGMENTS.clear()


class _Skeletons(Mapping[str, "Skeleton | CompiledPage"]):
    """The skeletons of this process, each made on first use."""

    def __getitem__(self, path: str) -> Skeleton | CompiledPage:
        if path not in _SKELETONS:
            _SKELETONS[path] = skeleton_of(_NATIONAL[path], _CACHE[0] if _CACHE else None)
        return _SKELETONS[path]

    def __iter__(self) -> Iterator[str]:
        return iter(_NATIONAL)

    def __len__(self) -> int:
        return len(_NATIONAL)


def warm(paths: Iterable[str]) -> None:
    """Make the skeletons of these national pages now (in a process started with
    :func:`start_process`), before the pages that need them come."""
    skeletons = _Skeletons()
    for path in paths:
        skeletons[path]  # made on first use, and kept for the pages that need it


def start_worker(national: Mapping[str, CompiledPage]) -> None:
    """Initialise a gate process that checks sites one at a time with
    :func:`check_filled_site` (``national``: the national pages by output path); a pool's
    initializer calls it after :func:`~pipeline.lifetime.die_with_parent`."""
    _use(national)


def check_filled_site(
    slug: str,
    pages: Mapping[str, str],
    base_path: str,
    filled: Mapping[str, tuple[str, ...]],
    published: Iterable[str] = (),
) -> list[Finding]:
    """One site's findings, as :func:`~pipeline.quality.check.check_site` finds them, in a
    process started with :func:`start_worker`: the national pages are parsed once per process,
    and ``filled`` (from :meth:`~pipeline.site.specialise.Specialiser.site_pages`) gives the
    fragments of each national page the site publishes."""
    others = {path: html for path, html in pages.items() if path not in filled}
    return check_job((slug, base_path, others, filled, tuple(published)))


def check_job(job: SiteJob) -> list[Finding]:
    """One site's findings in a process started with :func:`start_process` or
    :func:`start_worker`: ``(slug, base path, pages checked in full, fragments of each national
    page, published files)``."""
    return check_job_facts(job)[0]


PageFacts = dict[str, tuple[frozenset[str], frozenset[str]]]
"""Per page checked: its ids, and the paths in the site it links to or loads."""


def check_job_facts(
    job: SiteJob, known_ids: Mapping[str, set[str]] | None = None
) -> tuple[list[Finding], PageFacts]:
    """:func:`check_job`, and the facts of each page checked that the pages of a later build
    depend on (:mod:`pipeline.quality.gate_cache`). ``known_ids``: the ids of the site's pages
    not in the job (their paths are among the published files)."""
    findings, facts, pending = check_part(job, known_ids)
    assert not pending  # nothing deferred, nothing pending
    return findings, facts


def check_part(
    job: SiteJob, known_ids: Mapping[str, set[str]] | None = None, deferred: Collection[str] = ()
) -> tuple[list[Finding], PageFacts, set[PendingAnchor]]:
    """:func:`check_job_facts` of a part of a site, while ``deferred`` (the rest of its pages,
    among the published files) is checked by another process: its links to their anchors are
    findings until :func:`~pipeline.quality.check.taken_back` with the ids that process found
    (the pending anchors, third)."""
    slug, base, others, filled, published = job
    site = ComposedSite(
        slug, base, _Skeletons(), filled, others, published, _fragments(slug), known_ids, deferred
    )
    findings = site.run()
    checker = site.checker
    ids = {path: checker.ids[path] for path in checker.checked}
    ids.update((path, checker.ids[path]) for path in site.composed)
    # One string object per path and id: pickled (back to the build, into the site's gate
    # record), each is written once and named after that, not again on every page (a record
    # of the scale corpus's biggest site: 8.8 MB -> 1.4 MB).
    facts = {
        path: (
            frozenset(map(sys.intern, found)),
            frozenset(map(sys.intern, checker.refs.get(path, ()))),
        )
        for path, found in ids.items()
    }
    return findings, facts, checker.pending


CheckedPart = tuple[list[Finding], PageFacts, set[PendingAnchor], float]


def check_one(
    job: SiteJob, known_ids: Mapping[str, set[str]] | None = None, deferred: Collection[str] = ()
) -> CheckedPart:
    """5. Check, one site or a part of it (in a gate process). In: its slug and base path, the
    pages to check in full, the fragments of each national page to check, the files of the
    site (the other pages among them), the ids of the pages not checked now and the pages
    checked at the same time in another process. Out: the gate's findings, the facts a later
    build's check depends on, the links to anchors of those other pages, and the seconds.
    Here, not in :mod:`pipeline.build`: a gate process imports what it runs, and needs none
    of the build's other stages."""
    start = time.perf_counter()
    findings, facts, pending = check_part(job, known_ids, deferred)
    return findings, facts, pending, time.perf_counter() - start


def check_filled_sites(
    sites: Mapping[str, tuple[Mapping[str, str], str]],
    national: Mapping[str, CompiledPage],
    filled: Mapping[str, Mapping[str, tuple[str, ...]]],
    workers: int | None = None,
    published: Iterable[str] = (),
    cache: BuildCache | None = None,
) -> dict[str, list[Finding]]:
    """What :func:`~pipeline.quality.check.check_sites` finds, checking each national page
    (``national``: by output path) once per process and each site's fragments of it
    (``filled``: per site, the fragments of each national page it publishes as it is).
    ``cache``: where the skeletons' analyses are kept across builds."""
    files = tuple(published)
    jobs: list[SiteJob] = []
    for slug, (pages, base) in sites.items():
        own = filled.get(slug, {})
        others = {path: html for path, html in pages.items() if path not in own}
        jobs.append((slug, base, others, own, files))
    workers = workers or min(len(jobs), os.cpu_count() or 1)
    if workers <= 1 or len(jobs) <= 1:
        _use(national)
        _CACHE[:] = [cache] if cache is not None else []
        return {job[0]: check_job(job) for job in jobs}
    root = cache.root if cache is not None else None
    with ProcessPoolExecutor(
        max_workers=workers, initializer=start_process, initargs=(dict(national), root)
    ) as pool:
        return dict(zip((job[0] for job in jobs), pool.map(check_job, jobs), strict=True))
