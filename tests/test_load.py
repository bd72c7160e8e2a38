"""Loading collects every problem of every file and reports it as path:line: message."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from pipeline.content.load import load_project
from tests.helpers import ARTICLE_FI, ARTICLE_SV, make_project, problems_of


def test_valid_fixture_loads(tmp_path: Path) -> None:
    project = load_project(make_project(tmp_path))
    group = project.articles["neuvola"]
    assert set(group.versions) == {("fi", False), ("fi", True), ("sv", False), ("en", False)}
    assert project.areas["kainuu"].region.short_name.fi == "Kainuu"


def test_unknown_theme_with_suggestion(tmp_path: Path) -> None:
    text = ARTICLE_FI.replace("themes: [raskaus]", "themes: [raskus]")
    root = make_project(tmp_path, {"content/fi/neuvola.md": text})
    assert problems_of(root) == [
        "content/fi/neuvola.md:5: themes: unknown theme 'raskus'. Did you mean 'raskaus'?"
    ]


def test_unknown_field_with_suggestion(tmp_path: Path) -> None:
    text = ARTICLE_FI.replace("owner: Testitiimi", "ownr: Testitiimi")
    root = make_project(tmp_path, {"content/fi/neuvola.md": text})
    assert "content/fi/neuvola.md:12: unknown field 'ownr'. Did you mean 'owner'?" in (
        problems_of(root)
    )


def test_every_bad_code_is_reported_on_its_line(tmp_path: Path) -> None:
    text = ARTICLE_FI.replace("[P5.2]", "[P5.2, P99.9, X1]").replace(
        "target_groups: [KR1.2]", "target_groups:\n    - KR1.2\n    - KR9"
    )
    root = make_project(tmp_path, {"content/fi/neuvola.md": text})
    assert problems_of(root) == [
        "content/fi/neuvola.md:9: services.service_classes[2]: unknown PTV service class "
        "code 'P99.9'. Did you mean 'P9.6'?",
        "content/fi/neuvola.md:9: services.service_classes[3]: 'X1' is not a PTV service "
        "class code",
        "content/fi/neuvola.md:12: services.target_groups[2]: unknown PTV target group code "
        "'KR9'. Did you mean 'KR3'?",
    ]


def test_duplicate_id(tmp_path: Path) -> None:
    copy = ARTICLE_FI.replace("id: neuvola", "id: tuet")
    root = make_project(tmp_path, {"content/fi/kopio.md": copy})
    assert problems_of(root) == [
        "content/fi/tuet.md:2: duplicate id 'tuet': content/fi/kopio.md already uses it "
        "for the same language"
    ]


def test_translation_of_missing_source(tmp_path: Path) -> None:
    orphan = ARTICLE_SV.replace("id: neuvola", "id: neuvla")
    root = make_project(tmp_path, {"content/sv/radgivning.md": orphan})
    assert problems_of(root) == [
        "content/sv/radgivning.md:2: translation of a missing source: no Finnish article has "
        "the id 'neuvla'. Did you mean 'neuvola'?"
    ]


def test_translation_must_not_repeat_classification(tmp_path: Path) -> None:
    text = ARTICLE_SV.replace("review_date:", "themes: [raskaus]\nreview_date:")
    root = make_project(tmp_path, {"content/sv/radgivning.md": text})
    assert problems_of(root) == [
        "content/sv/radgivning.md:5: 'themes' is set only in the Finnish article "
        "(content/fi/neuvola.md); remove it here, it is taken from there"
    ]


def test_source_needs_its_classification(tmp_path: Path) -> None:
    text = ARTICLE_FI.replace("life_stages: [pregnancy]\n", "")
    root = make_project(tmp_path, {"content/fi/neuvola.md": text})
    assert problems_of(root) == [
        "content/fi/neuvola.md:2: the required field 'life_stages' is missing"
    ]


def test_plain_language_needs_standard_version(tmp_path: Path) -> None:
    plain_sv = ARTICLE_SV.replace("review_date:", "plain_language: true\nreview_date:")
    root = make_project(
        tmp_path, {"content/sv/radgivning.md": None, "content/sv/radgivning.lattlast.md": plain_sv}
    )
    assert problems_of(root) == [
        "content/sv/radgivning.lattlast.md:5: this plain-language version has no standard "
        "version in 'sv' with the id 'neuvola'"
    ]


def test_yaml_syntax_error_points_at_line(tmp_path: Path) -> None:
    text = ARTICLE_FI.replace("title: Neuvola", "title: [Neuvola")
    root = make_project(tmp_path, {"content/fi/neuvola.md": text})
    (problem,) = problems_of(root)
    assert problem.startswith("content/fi/neuvola.md:4: the YAML cannot be read")


def test_level_one_heading_in_text(tmp_path: Path) -> None:
    text = ARTICLE_FI + "\n# Toinen otsikko\n"
    root = make_project(tmp_path, {"content/fi/neuvola.md": text})
    assert problems_of(root) == [
        "content/fi/neuvola.md:19: the text has a level-1 heading; the title is the page's "
        "main heading, so start sections with '##'"
    ]


def test_missing_front_matter(tmp_path: Path) -> None:
    root = make_project(tmp_path, {"content/fi/tyhja.md": "Pelkkää tekstiä.\n"})
    assert problems_of(root) == [
        "content/fi/tyhja.md:1: the file must start with front matter between two '---' lines"
    ]


def test_all_problems_of_all_files_in_one_run(tmp_path: Path) -> None:
    root = make_project(
        tmp_path,
        {
            "content/fi/neuvola.md": ARTICLE_FI.replace("[raskaus]", "[x]"),
            "content/fi/tuet.md": ARTICLE_FI.replace("id: neuvola", "id: tuet").replace(
                "review_date: 2027-06-30", "review_date: kesäkuu"
            ),
            "regions/kainuu.yml": "code: 20\n",
        },
    )
    paths = {problem.split(":")[0] for problem in problems_of(root)}
    assert paths == {"content/fi/neuvola.md", "content/fi/tuet.md", "regions/kainuu.yml"}


def test_check_command_exits_non_zero_without_traceback(tmp_path: Path) -> None:
    text = ARTICLE_FI.replace("themes: [raskaus]", "themes: [raskus]")
    root = make_project(tmp_path, {"content/fi/neuvola.md": text})
    for command in ("check", "build"):
        result = subprocess.run(
            [sys.executable, "-m", "pipeline", "--root", str(root), command],
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 1
        assert "Traceback" not in result.stderr
        assert "content/fi/neuvola.md:5: themes: unknown theme 'raskus'" in result.stderr
    assert not (root / "build").exists()
