"""Translation status: which articles lack a version, and which translations are stale.

Input: the loaded project, and ``content/plain-policy.yml``: which articles must have a
plain-language version, in which languages (:class:`PlainPolicy`). Each translation (and
plain-language version) may record in ``source_revision`` the revision of the Finnish source
it was made from; the revision is a short hash of the source's title, summary and text
(:func:`pipeline.content.load.revision_of`).
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
from pydantic import BaseModel, ConfigDict
from ruamel.yaml import YAML

from pipeline.content.load import FRONT_MATTER, Project
from pipeline.content.models import Article, ArticleGroup
from pipeline.content.yamlfile import read_model
from pipeline.problems import InvalidInput, Problems

State = Literal["current", "stale", "unknown", "missing"]
EXPECTED: tuple[tuple[str, bool], ...] = (
    ("sv", False),
    ("en", False),
    ("fi", True),
    ("sv", True),
    ("en", True),
)
"""The versions every article should have: Swedish, English, and plain Finnish, Swedish and
English."""
POLICY_FILE = "plain-policy.yml"
"""In the docs folder (``content/``)."""


class PlainPolicy(BaseModel):
    """Which articles must have a plain-language version, and in which languages."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    languages: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    articles: tuple[str, ...] = ()

    def requires(self, group: ArticleGroup, lang: str) -> bool:
        if lang not in self.languages:
            return False
        meta = group.source.meta
        return group.id in self.articles or any(t in self.themes for t in meta.themes or ())


def load_plain_policy(project: Project) -> PlainPolicy:
    """``content/plain-policy.yml`` (no file: nothing required); InvalidInput when it cannot be
    read, is not valid, or names a theme, article or language the project does not have."""
    docs = project.root / project.config.docs_dir
    path = docs / POLICY_FILE
    if not path.exists():
        return PlainPolicy()
    display = path.relative_to(project.root).as_posix()
    problems = Problems()
    policy = read_model(path, display, PlainPolicy, problems)
    if policy is not None:
        unknown = [
            *(f"theme '{t}'" for t in policy.themes if t not in project.vocabulary.themes),
            *(f"article '{a}'" for a in policy.articles if a not in project.articles),
            *(f"language '{lang}'" for lang in policy.languages if lang not in ("fi", "sv", "en")),
        ]
        for name in unknown:
            problems.error(display, None, f"unknown {name}")
    if problems.errors or policy is None:
        raise InvalidInput(problems, display)
    return policy


@dataclass(frozen=True)
class VersionStatus:
    lang: str
    plain: bool
    state: State
    path: str | None = None
    recorded: str | None = None
    required: bool = False
    """A plain-language version the policy requires (``content/plain-policy.yml``)."""

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

    @property
    def required_missing(self) -> list[VersionStatus]:
        return [v for v in self.missing if v.required]


def version_state(group: ArticleGroup, article: Article) -> State:
    """Whether a translation was made from the Finnish source as it is now."""
    recorded = article.meta.source_revision
    if recorded is None:
        return "unknown"
    return "current" if group.source.doc.revision.startswith(recorded) else "stale"


def is_stale(group: ArticleGroup, article: Article) -> bool:
    return article is not group.source and version_state(group, article) == "stale"


def article_status(group: ArticleGroup, policy: PlainPolicy | None = None) -> ArticleStatus:
    versions = []
    for lang, plain in EXPECTED:
        article = group.version(lang, plain)
        required = plain and policy is not None and policy.requires(group, lang)
        if article is None:
            versions.append(VersionStatus(lang, plain, "missing", required=required))
        else:
            versions.append(
                VersionStatus(
                    lang, plain, version_state(group, article), article.doc.path,
                    article.meta.source_revision, required,
                )
            )  # fmt: skip
    source = group.source
    return ArticleStatus(
        group.id, source.meta.title, source.doc.path, source.doc.revision, tuple(versions)
    )


def project_status(project: Project) -> list[ArticleStatus]:
    policy = load_plain_policy(project)
    groups = sorted(project.articles.values(), key=lambda g: g.id)
    return [article_status(g, policy) for g in groups]


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
