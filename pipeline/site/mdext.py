"""Python-Markdown extensions of the project (named in ``mkdocs.yml`` like any other).

``pipeline.site.mdext:ResponsiveTables``: tables that stack into one card per row on a phone. Each
cell gets its column's heading as ``data-label`` (shown before the cell by the theme's CSS on
narrow screens), and header cells get ``scope="col"``.

Explicit ARIA roles on rows and cells (a common fix for browsers that drop table semantics
under ``display: block``) are not added: the Nu Html Checker rejects them on a real table, and
current Chromium, Firefox and WebKit keep the semantics of a table restyled this way.
"""

from __future__ import annotations

import xml.etree.ElementTree as etree
from typing import Any

from markdown import Extension, Markdown
from markdown.treeprocessors import Treeprocessor


class _TableLabels(Treeprocessor):  # type: ignore[misc]  # Markdown has no type information
    def run(self, root: etree.Element) -> None:
        for table in root.iter("table"):
            headings = ["".join(th.itertext()).strip() for th in table.iter("th")]
            for th in table.iter("th"):
                th.set("scope", "col")
            for row in table.iter("tr"):
                for index, cell in enumerate(row.findall("td")):
                    if index < len(headings) and headings[index]:
                        cell.set("data-label", headings[index])


class ResponsiveTables(Extension):  # type: ignore[misc]  # Markdown has no type information
    def extendMarkdown(self, md: Markdown) -> None:
        md.treeprocessors.register(_TableLabels(md), "responsive_tables", 0)


def makeExtension(**kwargs: Any) -> ResponsiveTables:
    return ResponsiveTables(**kwargs)
