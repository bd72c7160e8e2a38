"""Slots: the marked places where a county's page differs from the national one.

The render stage writes a marker ``<!--slot:NAME-->`` wherever a county differs (identity,
help contacts, services, canonical addresses...). The specialise stage splits each page at its
markers once (:func:`compile_page`) and joins the parts with each county's fragments
(:func:`fill`): string work, no template rendering of national pages per county.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from markupsafe import Markup

NAME = re.compile(r"[a-z][a-z0-9-]*")
MARKER = re.compile(r"<!--slot:([a-z][a-z0-9-]*)-->")


def marker(name: str) -> Markup:
    """The marker the templates write with ``{{ slot('help') }}``.

    Which names exist is decided by the slot registry of the specialise stage
    (:data:`pipeline.site.specialise.SLOTS`); filling a page with an unregistered slot fails.
    """
    if not NAME.fullmatch(name):
        raise ValueError(f"'{name}' is not a slot name (lowercase letters, digits, hyphens)")
    return Markup(f"<!--slot:{name}-->")


UNSEARCHED = ("<!--unsearched-->", "<!--/unsearched-->")
"""Around the fill of a slot that is outside every ``data-pagefind-body`` (the help panel, the
footer): Pagefind never reads it, so the search index's key leaves it out
(:func:`pipeline.site.search.search_view`) and a new help phone is not a new index."""
UNSEARCHED_PART = re.compile(f"{UNSEARCHED[0]}.*?{UNSEARCHED[1]}", re.DOTALL)


def unsearched(html: str) -> str:
    """A slot's fill marked as one Pagefind never reads."""
    return f"{UNSEARCHED[0]}{html}{UNSEARCHED[1]}"


@dataclass(frozen=True)
class CompiledPage:
    """A page split at its slots: parts[0], slot[0], parts[1], slot[1], ..., parts[-1]."""

    parts: tuple[str, ...]
    slots: tuple[str, ...]


def compile_page(html: str) -> CompiledPage:
    pieces = MARKER.split(html)
    return CompiledPage(parts=tuple(pieces[0::2]), slots=tuple(pieces[1::2]))


def fill(page: CompiledPage, fragment: Callable[[str], str]) -> str:
    """Join the page with the fragment of each of its slots."""
    out = [page.parts[0]]
    for name, part in zip(page.slots, page.parts[1:], strict=True):
        out.append(fragment(name))
        out.append(part)
    return "".join(out)
