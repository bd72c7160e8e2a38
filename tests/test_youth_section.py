"""Issue 16, item 3: the youth section. Its own entry (the theme ``nuoret``) on every home page
in fi/sv/en, its articles written to 13–17-year-olds (audience ``youth``) in all three
languages, and their services block filtered to services for young people (PTV ``KR1.3``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.content.load import Project, load_project
from pipeline.content.models import ArticleGroup
from pipeline.match import EVERYONE, match_article
from pipeline.site.render import Renderer
from tests.helpers import REPO, Page, make_project

YOUTH_THEME = "nuoret"
YOUTH_AUDIENCE = "youth"
YOUTH_GROUP = "KR1.3"
"""PTV's target group "Nuoret" (young people)."""
LANGUAGES = ("fi", "sv", "en")
SECTION_SIZE = 15
"""Issue 16 asks for at least 15 youth articles per language."""

YOUTH_FI = """\
---
id: kenelle-puhua
title: Kenelle voin puhua?
summary: Koulun terveydenhoitaja ja kuraattori kuuntelevat.
themes: [nuoret]
life_stages: [teens]
audience: [youth]
services:
  service_classes: [P5.9]
  target_groups: [KR1.3]
review_date: 2027-06-30
owner: Testitiimi
---

Voit puhua kenelle tahansa aikuiselle, johon luotat.
"""


@pytest.fixture(scope="module")
def project() -> Project:
    """The real content and the committed PTV snapshot, with one county to match against."""
    return load_project(REPO, only_areas=["kainuu"])


def youth_groups(project: Project) -> list[ArticleGroup]:
    return [g for g in project.articles.values() if YOUTH_THEME in g.themes]


def test_every_home_page_has_the_youth_entry(tmp_path: Path) -> None:
    root = make_project(tmp_path, {"content/fi/kenelle-puhua.md": YOUTH_FI})
    project = load_project(root)
    theme = project.vocabulary.themes[YOUTH_THEME]
    pages = Renderer(project).render_national().pages
    homes = {p.info.lang: p for p in pages if p.info.kind == "home"}
    assert set(homes) == set(LANGUAGES)
    for lang, home in homes.items():
        text = theme.text(lang)
        page = Page(home.html)
        # The entry is one of the home page's topics, not only a link in the menus.
        topics = page.find("section", class_="themes")
        assert text.name in topics.text and text.description in topics.text, lang
        links = {a.text.strip(): a.attrs["href"] for a in page.find_all("a")}
        assert links.get(text.name, "").endswith(f"{lang}/{text.slug}/"), (lang, links)
    section = next(
        p for p in pages if p.info.kind == "theme" and p.info.url == f"fi/{theme.text('fi').slug}/"
    )
    titles = [a.text.strip() for a in Page(section.html).find_all("a")]
    assert "Kenelle voin puhua?" in titles


def test_youth_articles_are_for_young_people_in_every_language(project: Project) -> None:
    groups = youth_groups(project)
    assert len(groups) >= SECTION_SIZE
    for group in groups:
        meta = group.source.meta
        assert meta.audience == [YOUTH_AUDIENCE], group.id
        assert meta.life_stages == ["teens"], group.id
        missing = [lang for lang in LANGUAGES if group.version(lang) is None]
        assert not missing, f"{group.id}: no version in {missing}"
    # Articles written to young people belong to the section, so none is left out of it.
    strays = [
        g.id
        for g in project.articles.values()
        if YOUTH_AUDIENCE in (g.source.meta.audience or []) and YOUTH_THEME not in g.themes
    ]
    assert not strays


def test_youth_articles_ask_for_youth_services_only(project: Project) -> None:
    for group in youth_groups(project):
        services = group.source.meta.services
        assert services is not None and services.service_classes, group.id
        assert services.target_groups == [YOUTH_GROUP], group.id


def test_youth_services_block_shows_services_for_young_people(project: Project) -> None:
    region = project.areas["kainuu"].region
    catalogue = list(project.services.services.values())
    for group in youth_groups(project):
        matches = match_article(group.id, group.source.meta.services, catalogue, region)
        assert matches, f"{group.id}: no services in Kainuu"
        for match in matches:
            groups = set(match.service.target_groups)
            # A service for every citizen (KR1) serves young people too; nothing else may come.
            assert YOUTH_GROUP in groups or EVERYONE in groups, (group.id, match.service.id)
        assert any(YOUTH_GROUP in m.service.target_groups for m in matches), group.id
