"""``mkdocs.yml``: the keys we honour, the MkDocs keys we refuse (with what to do instead) and
``docs_dir``, the articles' folder, honoured by every tool."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from textwrap import dedent

import pytest

from pipeline.content.config import NOT_HONOURED, docs_dir_of, load_config
from pipeline.content.lint import lint
from pipeline.content.load import load_project
from pipeline.problems import InvalidInput, Problems
from pipeline.site.render import render_problems
from tests.helpers import ARTICLE_FI, ARTICLE_SV, REPO, make_project, problems_of


def move_docs(root: Path, docs_dir: str) -> Path:
    """Move a project's ``content/`` to ``docs_dir`` and name that folder in ``mkdocs.yml``."""
    (root / "content").rename(root / docs_dir)
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(re.sub(r"(?m)^docs_dir: .*$", f"docs_dir: {docs_dir}", text), "utf-8")
    return root


def add_to_config(root: Path, text: str) -> int:
    """Append top-level keys to a project's ``mkdocs.yml``; return the line of the first one."""
    config = root / "mkdocs.yml"
    before = config.read_text(encoding="utf-8").rstrip("\n") + "\n"
    config.write_text(before + dedent(text), encoding="utf-8")
    return before.count("\n") + 1


def config_only(root: Path) -> Path:
    """The real ``mkdocs.yml`` with the folders it names, and nothing else (quick)."""
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    (root / "themes" / "perhekeskus").mkdir(parents=True)
    (root / "content").mkdir()
    return root


def config_problems(root: Path) -> list[str]:
    problems = Problems()
    try:
        load_config(root, problems)
    except InvalidInput as exc:
        return [str(p) for p in exc.problems]
    return [str(p) for p in problems]


def test_the_repositorys_configuration_loads_without_a_word() -> None:
    problems = Problems()
    config = load_config(REPO, problems)
    assert problems == []
    assert config.docs_dir == "content"


# --- MkDocs keys we do not honour -----------------------------------------------------------


def test_nav_is_refused_with_what_we_do_instead(tmp_path: Path) -> None:
    line = add_to_config(config_only(tmp_path), "nav:\n  - Etusivu: index.md\n")
    assert config_problems(tmp_path) == [
        f"mkdocs.yml:{line}: nav: the navigation is made from the themes in "
        "content/themes.yml and each article's 'themes'; remove this key"
    ]


def test_build_settings_are_refused_with_the_reason(tmp_path: Path) -> None:
    first = add_to_config(
        config_only(tmp_path),
        """\
        strict: true
        use_directory_urls: false
        extra_css: [extra.css]
        plugins: [search]
        """,
    )
    assert config_problems(tmp_path) == [
        f"mkdocs.yml:{first}: strict: the build is always strict: any error stops it and "
        "nothing is written; remove this key",
        f"mkdocs.yml:{first + 1}: use_directory_urls: addresses are always folders, such as "
        "/fi/raskaus/aitiysneuvola/; remove this key",
        f"mkdocs.yml:{first + 2}: extra_css: the styles are "
        "themes/perhekeskus/assets/style.css; add your rules there and remove this key",
        f"mkdocs.yml:{first + 3}: plugins: MkDocs plugins do not run here; search (Pagefind), "
        "the sitemap and the county sites are part of the build; remove this key",
    ]


def test_metadata_keys_warn_and_the_project_still_loads(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    line = add_to_config(root, "site_author: Sisältötiimi\nrepo_url: https://example.org/\n")
    project = load_project(root)
    assert [str(p) for p in project.warnings if p.path == "mkdocs.yml"] == [
        f"mkdocs.yml:{line}: warning: site_author: not shown on the sites; each article names "
        "its owner in its front matter ('owner'); remove this key",
        f"mkdocs.yml:{line + 1}: warning: repo_url: the sites do not link to the repository; "
        "remove this key",
    ]


def test_unknown_key_warns_with_a_suggestion(tmp_path: Path) -> None:
    line = add_to_config(config_only(tmp_path), "site_autor: X\nfoo: 1\n")
    assert config_problems(tmp_path) == [
        f"mkdocs.yml:{line}: warning: Unrecognised configuration name: site_autor. "
        "Did you mean 'site_author'?",
        f"mkdocs.yml:{line + 1}: warning: Unrecognised configuration name: foo",
    ]


@pytest.mark.parametrize("key", sorted(NOT_HONOURED))
def test_every_refused_key_is_reported_on_its_line(tmp_path: Path, key: str) -> None:
    line = add_to_config(config_only(tmp_path), f"{key}: x\n")
    severity, _ = NOT_HONOURED[key]
    found = config_problems(tmp_path)
    prefix = "warning: " if severity == "warning" else ""
    assert len(found) == 1
    assert found[0].startswith(f"mkdocs.yml:{line}: {prefix}{key}: ")
    assert found[0].endswith("remove this key")
    assert "{" not in found[0]


def test_site_name_and_url_must_agree_with_extra(tmp_path: Path) -> None:
    config = config_only(tmp_path) / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    text = text.replace("site_name: Perhekeskus", "site_name: Perhekeskus.fi")
    text = text.replace("site_url: https://perhekeskus.fi/", "site_url: https://example.fi/")
    config.write_text(text, encoding="utf-8")
    lines = text.splitlines()
    name = lines.index("site_name: Perhekeskus.fi") + 1
    url = lines.index("site_url: https://example.fi/") + 1
    assert config_problems(tmp_path) == [
        f"mkdocs.yml:{name}: site_name: 'Perhekeskus.fi' is not the Finnish name in "
        "extra.site_names ('Perhekeskus'); the sites are named from extra.site_names, so make "
        "the two the same",
        f"mkdocs.yml:{url}: site_url: 'https://example.fi/' is not extra.national_url "
        "('https://perhekeskus.fi/'); the national site is published at extra.national_url, so "
        "make the two the same",
    ]


# --- docs_dir -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("../elsewhere", "'../elsewhere' must be a folder inside the project, relative to "
         "mkdocs.yml"),
        (".", "the articles need a folder of their own, not the project's root"),
        ("regions", "'regions' overlaps regions/ (the counties' folder); choose a folder of "
         "its own"),
        ("docs", "'docs' overlaps docs/ (the writers' guide, which is not published); choose a "
         "folder of its own"),
        ("themes", "'themes' overlaps themes/perhekeskus/ (the theme's folder); choose a folder "
         "of its own"),
        ("articles", "the folder 'articles' does not exist"),
    ],
)  # fmt: skip
def test_docs_dir_must_be_a_folder_of_its_own(tmp_path: Path, value: str, reason: str) -> None:
    config = config_only(tmp_path) / "mkdocs.yml"
    text = config.read_text(encoding="utf-8").replace("docs_dir: content", f"docs_dir: {value}")
    config.write_text(text, encoding="utf-8")
    line = text.splitlines().index(f"docs_dir: {value}") + 1
    assert config_problems(tmp_path) == [f"mkdocs.yml:{line}: docs_dir: {reason}"]
    assert docs_dir_of(tmp_path) == ("articles" if value == "articles" else "content")


def test_messages_name_the_real_articles_folder(tmp_path: Path) -> None:
    root = move_docs(make_project(tmp_path), "articles")
    text = ARTICLE_FI.replace("themes: [raskaus]", "themes: [raskus]")
    (root / "articles" / "fi" / "neuvola.md").write_text(text, encoding="utf-8")
    (root / "articles" / "de").mkdir()
    assert problems_of(root) == [
        "articles/de: unknown language folder 'de'; articles go in articles/fi, articles/sv or "
        "articles/en",
        "articles/fi/neuvola.md:5: themes: unknown theme 'raskus'. Did you mean 'raskaus'?",
    ]
    line = add_to_config(root, "nav: []\n")
    assert problems_of(root) == [
        f"mkdocs.yml:{line}: nav: the navigation is made from the themes in "
        "articles/themes.yml and each article's 'themes'; remove this key",
    ]


def test_a_project_with_docs_dir_builds_and_lints_from_it(tmp_path: Path) -> None:
    from pipeline.build import build

    root = move_docs(make_project(tmp_path), "articles")
    # A stray content/ folder is not read: only docs_dir is.
    (root / "content" / "fi").mkdir(parents=True)
    (root / "content" / "fi" / "vanha.md").write_text("no front matter\n", encoding="utf-8")
    project = load_project(root)
    assert project.docs == root / "articles"
    assert project.articles["neuvola"].source.doc.path == "articles/fi/neuvola.md"
    assert project.pages[("fi", "accessibility")].doc.path.startswith("articles/pages/fi/")

    out = tmp_path / "out"
    build(root, out, areas=["kainuu"], search=False)
    assert (out / "kainuu" / "fi" / "index.html").is_file()
    assert any((out / "kainuu" / "fi").rglob("neuvola/index.html"))

    sv = root / "articles" / "sv" / "radgivning.md"
    sv.write_text(ARTICLE_SV + "\n![](bild.png)\n", encoding="utf-8")
    messages = [str(m) for m in lint(root, render_problems)]
    assert any(
        m.startswith("articles/sv/radgivning.md:") and "bilden saknar alternativ text" in m
        for m in messages
    )
    assert not any(m.startswith("content/") for m in messages)


def test_the_preview_watches_and_checks_docs_dir(tmp_path: Path) -> None:
    from pipeline.preview import Preview, snapshot_times, watched

    root = move_docs(make_project(tmp_path), "articles")
    preview = Preview(root, root / "build", "kainuu", "http://127.0.0.1:1/{slug}/", print)
    assert preview.docs_dir == "articles"
    times = snapshot_times(root, watched(preview.docs_dir))
    assert root / "articles" / "fi" / "neuvola.md" in times
    article = root / "articles" / "fi" / "neuvola.md"
    article.write_text(ARTICLE_FI + "\n![](kuva.png)\n", encoding="utf-8")
    preview.rebuild()
    assert any(p.startswith("articles/fi/neuvola.md:") and "kuvalta" in p for p in preview.problems)
