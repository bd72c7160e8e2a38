"""Translation status: which articles lack a version, and which translations are stale.

Input: the loaded project. Each translation (and plain-language version) may record in
``source_revision`` the revision of the Finnish source it was made from; the revision is a
short hash of the source's title, summary and text (:func:`pipeline.content.load.revision_of`).
Output: :class:`ArticleStatus` per article (pure), the console table and
``build/reports/translations.html``, and :func:`stamp` to record the current revision in a
translation's front matter (used by ``perhekeskus new translation`` and
``perhekeskus translations --mark-current``).
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from jinja2 import Environment, FileSystemLoader, select_autoescape
from ruamel.yaml import YAML

from pipeline.content.load import FRONT_MATTER, Project
from pipeline.content.models import Article, ArticleGroup

State = Literal["current", "stale", "unknown", "missing"]
EXPECTED: tuple[tuple[str, bool], ...] = (("sv", False), ("en", False), ("fi", True), ("sv", True))
"""The versions every article should have: Swedish, English, and plain Finnish and Swedish."""


@dataclass(frozen=True)
class VersionStatus:
    lang: str
    plain: bool
    state: State
    path: str | None = None
    recorded: str | None = None

    @property
    def label(self) -> str:
        return f"{self.lang}{' plain' if self.plain else ''}"


@dataclass(frozen=True)
class ArticleStatus:
    id: str
    title: str
    path: str
    revision: str
    versions: tuple[VersionStatus, ...]

    @property
    def stale(self) -> list[VersionStatus]:
        return [v for v in self.versions if v.state == "stale"]

    @property
    def missing(self) -> list[VersionStatus]:
        return [v for v in self.versions if v.state == "missing"]


def version_state(group: ArticleGroup, article: Article) -> State:
    """Whether a translation was made from the Finnish source as it is now."""
    recorded = article.meta.source_revision
    if recorded is None:
        return "unknown"
    return "current" if group.source.doc.revision.startswith(recorded) else "stale"


def is_stale(group: ArticleGroup, article: Article) -> bool:
    return article is not group.source and version_state(group, article) == "stale"


def article_status(group: ArticleGroup) -> ArticleStatus:
    versions = []
    for lang, plain in EXPECTED:
        article = group.version(lang, plain)
        if article is None:
            versions.append(VersionStatus(lang, plain, "missing"))
        else:
            versions.append(
                VersionStatus(
                    lang, plain, version_state(group, article), article.doc.path,
                    article.meta.source_revision,
                )
            )  # fmt: skip
    source = group.source
    return ArticleStatus(
        group.id, source.meta.title, source.doc.path, source.doc.revision, tuple(versions)
    )


def project_status(project: Project) -> list[ArticleStatus]:
    return [article_status(g) for g in sorted(project.articles.values(), key=lambda g: g.id)]


def stamp(path: Path, revision: str) -> None:
    """Record ``source_revision: <revision>`` in a file's front matter, keeping its layout."""
    text = path.read_text(encoding="utf-8")
    match = FRONT_MATTER.match(text)
    if match is None:
        raise ValueError(f"{path}: no front matter")
    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    data = yaml.load(match.group(1))
    data["source_revision"] = revision
    buffer = io.StringIO()
    yaml.dump(data, buffer)
    rest = text[match.end() :]
    path.write_text(f"---\n{buffer.getvalue()}---\n{rest}", encoding="utf-8")


def write_report(statuses: list[ArticleStatus], out_dir: Path, theme_dir: Path) -> Path:
    env = Environment(
        loader=FileSystemLoader(str(theme_dir / "reports")), autoescape=select_autoescape(["html"])
    )
    html = env.get_template("translations.html").render(
        statuses=statuses,
        expected=[f"{lang}{' plain' if plain else ''}" for lang, plain in EXPECTED],
    )
    target = out_dir / "reports" / "translations.html"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(html, encoding="utf-8")
    return target


def short(revision: str | None) -> str:
    return re.sub(r"^(.{7}).*$", r"\1", revision or "")
