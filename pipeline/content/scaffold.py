"""``perhekeskus new``: start an article or a translation from a valid file.

Input: the project (its vocabulary and articles) and what the writer asks for. Output: a new
Markdown file whose front matter already passes the checks: a fresh id, the theme, a review
date a year ahead, and for a translation the source's revision, so the translation status
knows what it was made from. Nothing existing is overwritten.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

from pipeline.content.load import Project
from pipeline.slug import slugify

PLAIN_FILE = {"fi": "selko", "sv": "lattlast", "en": "easy"}
PLACEHOLDER = {
    "fi": (
        "Kirjoita tähän yhden tai kahden virkkeen tiivistelmä.",
        "Väliotsikko",
        "Kirjoita teksti tähän.",
    ),
    "sv": (
        "Skriv en sammanfattning på en eller två meningar här.",
        "Mellanrubrik",
        "Skriv texten här.",
    ),
    "en": (
        "Write a summary of one or two sentences here.",
        "Section heading",
        "Write the text here.",
    ),
}


class ScaffoldError(Exception):
    """The request cannot be met (unknown theme or article, file exists); says why."""


def fresh_id(title: str, taken: set[str]) -> str:
    base = slugify(title)[:60].strip("-") or "artikkeli"
    candidate, number = base, 2
    while candidate in taken:
        candidate, number = f"{base}-{number}", number + 1
    return candidate


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def new_article(
    project: Project,
    title: str,
    theme: str,
    life_stages: list[str] | None = None,
    audience: list[str] | None = None,
    owner: str = "Kansallinen sisältötiimi",
    today: date | None = None,
) -> Path:
    """A new Finnish source article; returns its path."""
    vocabulary = project.vocabulary
    if theme not in vocabulary.themes:
        known = ", ".join(vocabulary.themes)
        raise ScaffoldError(f"unknown theme '{theme}'; choose one of: {known}")
    for stage in life_stages or []:
        if stage not in vocabulary.life_stages:
            raise ScaffoldError(
                f"unknown life stage '{stage}'; choose from: {', '.join(vocabulary.life_stages)}"
            )
    ident = fresh_id(title, set(project.articles))
    path = project.docs / "fi" / f"{ident}.md"
    if path.exists():
        raise ScaffoldError(f"{path.relative_to(project.root)} already exists")
    summary, heading, text = PLACEHOLDER["fi"]
    review = (today or date.today()) + timedelta(days=365)
    lines = [
        "---",
        f"id: {ident}",
        f"title: {_quote(title)}",
        f"summary: {summary}",
        f"themes: [{theme}]",
        f"life_stages: [{', '.join(life_stages or ['all-ages'])}]",
        f"audience: [{', '.join(audience or ['parents'])}]",
        "services:",
        "  service_classes: []   # data/ptv/ptv-service-classes.csv, e.g. P5.2",
        "  target_groups: [KR1.2]",
        "  keywords: []",
        f"review_date: {review.isoformat()}",
        f"owner: {owner}",
        'sources: []              # - title: "THL: ..."  url: https://thl.fi/...',
        "---",
        "",
        f"## {heading}",
        "",
        text,
        "",
    ]
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def new_translation(
    project: Project, article_id: str, lang: str, plain: bool = False, name: str | None = None
) -> Path:
    """A translation (or plain-language version) of an article, linked to its source."""
    group = project.articles.get(article_id)
    if group is None:
        raise ScaffoldError(f"no article has the id '{article_id}'")
    existing = group.version(lang, plain)
    if existing is not None:
        raise ScaffoldError(f"{existing.doc.path} already is that version")
    if lang == "fi" and not plain:
        raise ScaffoldError("the Finnish standard version is the source; choose sv, en or --plain")
    source = group.source
    standard = group.version(lang)
    # A plain-language version takes the file name of the standard one in its language.
    named_after = standard if plain and standard is not None else source
    slug = slugify(name) if name else named_after.doc.slug
    suffix = f".{PLAIN_FILE[lang]}" if plain else ""
    path = project.docs / lang / f"{slug}{suffix}.md"
    if path.exists():
        raise ScaffoldError(f"{path.relative_to(project.root)} already exists; give another --name")
    summary, _, _ = PLACEHOLDER[lang]
    lines = [
        "---",
        f"id: {group.id}",
        f"title: {_quote(source.meta.title)}   # translate",
        f"summary: {_quote(summary)}",
        *(["plain_language: true"] if plain else []),
        f"review_date: {source.meta.review_date.isoformat()}",
        f"source_revision: {source.doc.revision}",
        "sources:",
        *(f"  - title: {_quote(s.title)}\n    url: {s.url}" for s in source.meta.sources),
        "---",
        "",
        *_structure(source.doc.body),
    ]
    if not source.meta.sources:
        lines[lines.index("sources:")] = "sources: []"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _structure(body: str) -> list[str]:
    """The source's headings and callouts, with each paragraph as a comment to translate."""
    out: list[str] = []
    for block in re.split(r"\n\s*\n", body.strip()):
        first = block.split("\n", 1)[0]
        if first.startswith("#"):
            out += [first, ""]
        elif first.startswith("!!!"):
            out += [
                first,
                "    <!-- " + " ".join(block.split("\n")[1:]).strip().replace("--", "–") + " -->",
                "",
            ]
        else:
            out += ["<!-- " + " ".join(block.split()).replace("--", "–") + " -->", ""]
    return out


__all__ = ["ScaffoldError", "new_article", "new_translation"]
