"""Test helpers: tiny projects written file by file (as MkDocs' ``@tempdir(files=...)``) and
a small HTML reader for inspecting built pages."""

from __future__ import annotations

import hashlib
import shutil
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from textwrap import dedent

import pytest

from pipeline.deploy import files_in
from pipeline.deploy.release import SHARED

REPO = Path(__file__).resolve().parent.parent

ARTICLE_FI = """\
---
id: neuvola
title: Neuvola
summary: Neuvola tukee raskauden aikana.
themes: [raskaus]
life_stages: [pregnancy]
audience: [expecting]
services:
  service_classes: [P5.2]
  target_groups: [KR1.2]
review_date: 2027-06-30
owner: Testitiimi
---

## Mitä neuvolassa tehdään

Neuvolassa seurataan raskautta. Katso myös [tuet](tuet.md).
"""

ARTICLE_SV = """\
---
id: neuvola
title: Rådgivningen
summary: Rådgivningen stöder under graviditeten.
review_date: 2027-06-30
---

## Vad görs på rådgivningen

Graviditeten följs upp.
"""

ARTICLE_EN = """\
---
id: neuvola
title: Maternity clinic
summary: The clinic supports you during pregnancy.
review_date: 2027-06-30
---

## What happens at the clinic

Your pregnancy is followed.
"""

PLAIN_FI = """\
---
id: neuvola
title: Neuvola selkokielellä
summary: Neuvola auttaa sinua.
review_date: 2027-06-30
plain_language: true
---

Neuvola auttaa sinua, kun odotat vauvaa.
"""

SECOND_FI = """\
---
id: tuet
title: Tuet
summary: Kelan tuet lapsiperheille.
themes: [raha]
life_stages: [baby]
audience: [parents]
review_date: 2027-06-30
owner: Testitiimi
quick_exit: true
---

Lue lisää [Kelan sivuilta](https://www.kela.fi/).
"""

AREA_FI = """\
code: '20'
name: {fi: Kainuun hyvinvointialue, sv: Kajanalands välfärdsområde, en: Kainuu wellbeing services county}
short_name: {fi: Kainuu, sv: Kajanaland, en: Kainuu}
languages: [fi]
municipalities:
  - {code: '205', name: {fi: Kajaani, sv: Kajana}, languages: [fi]}
adopted: true
logo_text: {fi: Kainuun perhekeskus, sv: Familjecentret i Kajanaland, en: Kainuu Family Centre}
help:
  phones:
    - {name: {fi: Perheneuvola, sv: Familjerådgivningen, en: Family counselling},
       number: "08 1111 2222", source: "https://kainuu.example/perheneuvola", checked: 2026-11-20,
       hours: [
         {days: [mon, tue, wed, thu, fri], opens: "08:00", closes: "15:00"}]}
"""

AREA_BILINGUAL = """\
code: '01'
name: {fi: Itä-Uudenmaan hyvinvointialue, sv: Östra Nylands välfärdsområde, en: East Uusimaa wellbeing services county}
short_name: {fi: Itä-Uusimaa, sv: Östra Nyland, en: East Uusimaa}
languages: [fi, sv]
municipalities:
  - {code: '638', name: {fi: Porvoo, sv: Borgå}, languages: [fi, sv]}
adopted: true
help:
  phones:
    - name: {fi: Neuvonta, sv: Rådgivning, en: Advice}
      number: "019 333 4444"
      sample: true
feedback:
  email: saavutettavuus@example.fi
"""

AREA_PAGE = """\
---
id: perhekeskus
title: Kainuun perhekeskus
summary: Perhekeskus kokoaa palvelut.
---

Perhekeskus kokoaa lapsiperheiden palvelut.
"""

INFO_PAGE = """\
---
id: accessibility
title: Saavutettavuusseloste
layout: statement
---

Sivusto on osittain saavutettava.
"""

BASE_FILES = {
    "content/fi/neuvola.md": ARTICLE_FI,
    "content/fi/neuvola.selko.md": PLAIN_FI,
    "content/fi/tuet.md": SECOND_FI,
    "content/sv/radgivning.md": ARTICLE_SV,
    "content/en/maternity-clinic.md": ARTICLE_EN,
    "content/pages/fi/saavutettavuusseloste.md": INFO_PAGE,
    "regions/kainuu.yml": AREA_FI,
    "regions/kainuu/fi/perhekeskus.md": AREA_PAGE,
    "regions/ita-uusimaa.yml": AREA_BILINGUAL,
}


def make_project(root: Path, files: dict[str, str | None] | None = None) -> Path:
    """A small project: the real configuration, theme and code lists, and test content.

    ``files`` adds or replaces files; a value of None removes one of the base files.
    """
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(REPO / "themes", root / "themes")
    shutil.copytree(REPO / "data", root / "data")
    (root / "content").mkdir()
    shutil.copy(REPO / "content" / "themes.yml", root / "content" / "themes.yml")
    merged: dict[str, str | None] = {**BASE_FILES, **(files or {})}
    for rel, text in merged.items():
        if text is None:
            continue
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(dedent(text), encoding="utf-8")
    if not (root / "snapshots" / "ptv").exists():
        empty_snapshot(root / "snapshots" / "ptv")
    return root


def empty_snapshot(folder: Path) -> None:
    """A complete PTV snapshot without services (tests that need services fetch their own)."""
    from datetime import UTC, datetime

    from pipeline.sources.ptv.snapshot import load
    from pipeline.sources.store import Store

    moment = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)
    store = Store(folder)
    with store.locked():
        writer = store.writer(source="ptv-v11", base_url="", mode="full", started=moment)
        writer.commit(moment, load)


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    text: str = ""
    children_text: list[str] = field(default_factory=list)


class Page(HTMLParser):
    """Every element of an HTML page with its attributes and text, in document order."""

    VOID = {"meta", "link", "img", "br", "hr", "input", "source", "area", "base", "col", "wbr"}

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[Element] = []
        self._open: list[Element] = []
        self.comments: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {k: v or "" for k, v in attrs})
        self.elements.append(element)
        if tag not in self.VOID:
            self._open.append(element)

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self._open) - 1, -1, -1):
            if self._open[index].tag == tag:
                del self._open[index:]
                break

    def handle_data(self, data: str) -> None:
        for element in self._open:
            element.text += data

    def handle_comment(self, data: str) -> None:
        self.comments.append(data)

    def find_all(self, tag: str, **attrs: str) -> list[Element]:
        return [
            e
            for e in self.elements
            if e.tag == tag and all(e.attrs.get(k.rstrip("_")) == v for k, v in attrs.items())
        ]

    def find(self, tag: str, **attrs: str) -> Element:
        found = self.find_all(tag, **attrs)
        assert found, f"no <{tag} {attrs}> in page"
        return found[0]

    def by_class(self, name: str) -> list[Element]:
        return [e for e in self.elements if name in e.attrs.get("class", "").split()]


def read_page(path: Path) -> Page:
    return Page(path.read_text(encoding="utf-8"))


def problems_of(root: Path) -> list[str]:
    """The problems loading ``root`` reports, as the console prints them."""
    from pipeline.content.load import load_project
    from pipeline.problems import InvalidInput

    with pytest.raises(InvalidInput) as caught:
        load_project(root)
    return [str(p) for p in caught.value.problems]


def sha256_of(path: Path) -> str:
    """A file's SHA-256, read from the disk (to check a manifest against the files)."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def site_files(site: Path) -> list[str]:
    """Every file of a site folder (paths inside it, ``/``-separated), the manifest aside."""
    return sorted(rel for rel in site_paths(site) if rel != "manifest.json")


def site_paths(site: Path) -> dict[str, Path]:
    """Every file a site folder publishes, by its path in the site: through the folders it
    shares with an earlier build (:func:`pipeline.deploy.reuse.share_tree`), without the note
    of those (``.shared``)."""
    return {rel: site / rel for rel in sorted(files_in(site)) if rel != SHARED}
