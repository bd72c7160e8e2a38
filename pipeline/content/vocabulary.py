"""The national vocabulary: themes, life stages, audiences and the PTV code sets.

Input: ``themes.yml`` in the articles' folder (``docs_dir`` of ``mkdocs.yml``, ``content/`` by
default) and the code lists in ``data/ptv/*.csv`` (copied from the PTV code sets, see
``data/README.md``).
Output: a frozen :class:`Vocabulary` that validation, rendering and matching look codes up in.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from pipeline.content.models import LANGUAGES, Localized
from pipeline.content.yamlfile import read_model
from pipeline.problems import InvalidInput, Problems


class ThemeText(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    name: str
    slug: str
    description: str


class Theme(BaseModel):
    """A theme: an entry point of the home page and a folder of the article URLs."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str
    icon: str = "leaf"
    fi: ThemeText
    sv: ThemeText
    en: ThemeText

    def text(self, lang: str) -> ThemeText:
        """The theme's name, address and description in ``lang``."""
        return {"fi": self.fi, "sv": self.sv, "en": self.en}[lang]


class Term(Localized):
    """A life stage or audience: an id and its name in each language."""

    id: str


class VocabularyFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    themes: list[Theme]
    life_stages: list[Term]
    audiences: list[Term]


@dataclass(frozen=True)
class Code:
    """One PTV code (service class, target group or life event) with its names."""

    code: str
    uri: str
    name: Localized
    parent: str | None = None


@dataclass(frozen=True)
class Vocabulary:
    themes: dict[str, Theme]
    life_stages: dict[str, Term]
    audiences: dict[str, Term]
    service_classes: dict[str, Code] = field(default_factory=dict)
    target_groups: dict[str, Code] = field(default_factory=dict)
    life_events: dict[str, Code] = field(default_factory=dict)


def _read_codes(path: Path) -> dict[str, Code]:
    with path.open(encoding="utf-8", newline="") as handle:
        return {
            row["code"]: Code(
                code=row["code"],
                uri=row["uri"],
                name=Localized(fi=row["name_fi"], sv=row["name_sv"], en=row["name_en"]),
                parent=row.get("parent_code") or None,
            )
            for row in csv.DictReader(handle)
            if row.get("status", "VALID") == "VALID"
        }


def load_vocabulary(root: Path, docs: Path) -> Vocabulary:
    """Read ``<docs>/themes.yml`` and the PTV code sets; raise InvalidInput on errors."""
    problems = Problems()
    path = docs / "themes.yml"
    display = path.relative_to(root).as_posix()
    parsed = read_model(path, display, VocabularyFile, problems)
    if parsed is not None:
        for theme in parsed.themes:
            for lang in LANGUAGES:
                slug = theme.text(lang).slug
                if not slug.replace("-", "").isalnum() or slug != slug.lower():
                    problems.error(display, None, f"theme '{theme.id}': bad {lang} slug '{slug}'")
    if problems.errors or parsed is None:
        raise InvalidInput(problems, display)
    codes = root / "data" / "ptv"
    return Vocabulary(
        themes={t.id: t for t in parsed.themes},
        life_stages={t.id: t for t in parsed.life_stages},
        audiences={t.id: t for t in parsed.audiences},
        service_classes=_read_codes(codes / "ptv-service-classes.csv"),
        target_groups=_read_codes(codes / "ptv-target-groups.csv"),
        life_events=_read_codes(codes / "ptv-life-events.csv"),
    )
