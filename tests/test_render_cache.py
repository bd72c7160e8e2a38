"""The render cache: an article is rendered again only when something it is made from changed,
and what the cache gives is what a fresh render gives."""

from __future__ import annotations

from pathlib import Path

from pipeline.cache import BuildCache
from pipeline.content.load import load_project
from pipeline.site.render import Renderer
from tests.helpers import make_project


def render(root: Path, cache: BuildCache | None) -> dict[str, str]:
    rendered = Renderer(load_project(root, [])).render_national(cache)
    return {page.info.output_path: page.html for page in rendered.pages}


def articles(pages: dict[str, str]) -> set[str]:
    return {path for path, html in pages.items() if 'data-pagefind-filter="type:article"' in html}


def test_cached_pages_equal_fresh_pages_and_only_the_edited_article_is_rendered_again(
    tmp_path: Path,
) -> None:
    root = make_project(tmp_path)
    cache = BuildCache(root, on=True)
    first = render(root, cache)
    assert cache.hits == 0 and cache.misses > 0
    groups = cache.misses

    cache = BuildCache(root, on=True)
    assert render(root, cache) == first
    assert (cache.hits, cache.misses) == (groups, 0)

    article = root / "content" / "fi" / "neuvola.md"
    article.write_text(article.read_text(encoding="utf-8") + "\nUusi kappale.\n", "utf-8")
    cache = BuildCache(root, on=True)
    edited = render(root, cache)
    assert (cache.hits, cache.misses) == (groups - 1, 1)
    assert edited == render(root, None)
    changed = {path for path in first if first[path] != edited[path]}
    assert changed and changed <= articles(first)
    assert any("Uusi kappale." in edited[path] for path in changed)


def test_a_title_or_template_change_renders_every_article_again(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    render(root, BuildCache(root, on=True))
    article = root / "content" / "fi" / "neuvola.md"
    article.write_text(
        article.read_text(encoding="utf-8").replace("title: ", "title: Uusi ", 1), "utf-8"
    )
    cache = BuildCache(root, on=True)
    assert render(root, cache) == render(root, None)
    assert cache.hits == 0

    template = root / "themes" / "perhekeskus" / "article.html"
    template.write_text(template.read_text(encoding="utf-8") + "\n", "utf-8")
    cache = BuildCache(root, on=True)
    assert render(root, cache) == render(root, None)
    assert cache.hits == 0
