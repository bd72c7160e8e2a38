"""The YAML reader: libyaml on the common path reads every value as ruamel does, and problems
still point at their lines (ruamel reads the text again only then)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from pipeline.content import yamlfile
from pipeline.content.load import FRONT_MATTER
from pipeline.content.yamlfile import line_of, parse_yaml
from pipeline.problems import Problems

ROOT = Path(__file__).resolve().parents[1]


def _plain(value: Any) -> Any:
    """The value with ruamel's and our container and scalar subclasses made plain, types kept."""
    if isinstance(value, dict):
        return {_plain(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    for kind in (bool, int, float, str):
        if isinstance(value, kind):
            return (kind.__name__, kind(value))
    if value is None or hasattr(value, "isoformat"):
        return (type(value).__name__, value)
    return (type(value).__name__, repr(value))  # ruamel's TaggedScalar has no equality


def _committed_yaml() -> list[tuple[str, str]]:
    texts = [(p.relative_to(ROOT).as_posix(), p.read_text()) for p in _yaml_files()]
    for path in sorted((ROOT / "content").rglob("*.md")) + sorted(ROOT.glob("regions/*/*/*.md")):
        match = FRONT_MATTER.match(path.read_text(encoding="utf-8"))
        if match:
            texts.append((path.relative_to(ROOT).as_posix(), match.group(1)))
    return texts


def _yaml_files() -> list[Path]:
    top = [ROOT / "mkdocs.yml", *ROOT.glob("regions/*.yml"), *ROOT.glob("content/*.yml")]
    return sorted([*top, *(ROOT / "data").rglob("*.yml")])


def test_every_committed_file_reads_the_same_on_the_fast_path() -> None:
    texts = _committed_yaml()
    assert len(texts) > 100  # the articles' front matter, the regions, mkdocs.yml
    slow, different = [], []
    for path, text in texts:
        try:
            fast = yamlfile._fast_parse(text)
        except yamlfile._SlowPath:
            slow.append(path)
            continue
        if _plain(fast) != _plain(yamlfile._round_trip(text)):
            different.append(path)
    assert different == []
    assert slow == []  # the committed files are the common case the fast path is for


@pytest.mark.parametrize(
    "scalar",
    [
        "yes", "no", "on", "off", "y", "True", "false", "~", "null", "",
        "8:30", "12:30:15", "017", "0o17", "0x1F", "0b101", "1_000", "007",
        "1e3", "1.5e-3", ".5", "1.", ".inf", "-.inf", ".nan", "3.25", "-2", "+7", "0",
        "2026-01-31", "2026-1-31 10:00:00", "2026-01-31T10:00:00Z", "=", "08 6156 3150",
        "091", "12345678", "+358 40 123 4567", "1.2.3", "v1", "2026-13-45x",
    ],
)  # fmt: skip
def test_scalars_read_as_ruamel_reads_them(scalar: str) -> None:
    text = f"value: {scalar}\nlist: [{scalar or 'x'}]\n"
    expected = yamlfile._round_trip(text)
    got = parse_yaml(text, "x.yml", Problems())
    assert _plain(got) == _plain(expected)


def test_phone_numbers_and_codes_stay_on_the_fast_path() -> None:
    text = "phone: 08 6156 3150\ncode: '091'\narea: 20\nreview_date: 2027-06-30\nok: true\n"
    assert yamlfile._fast_parse(text) == yamlfile._round_trip(text)


def test_merge_keys_are_read_by_ruamel() -> None:
    text = "base: &b {a: 1}\nmore:\n  <<: *b\n  c: 2\n"
    with pytest.raises(yamlfile._SlowPath):
        yamlfile._fast_parse(text)
    assert _plain(parse_yaml(text, "x.yml", Problems())) == _plain(yamlfile._round_trip(text))


def test_a_duplicate_key_is_the_error_ruamel_gives() -> None:
    problems = Problems()
    assert parse_yaml("title: A\nid: a\ntitle: B\n", "x.yml", problems, first_line=2) is None
    [problem] = problems
    assert problem.path == "x.yml"
    assert "the YAML cannot be read" in problem.message
    assert "duplicate key" in problem.message


def test_a_syntax_error_names_its_line() -> None:
    problems = Problems()
    assert parse_yaml("title: A\nthemes: [a, b\nid: x\n", "x.md", problems, first_line=2) is None
    [problem] = problems
    assert (problem.path, problem.line) == ("x.md", 4)  # the line after the open list
    assert problem.message.startswith("the YAML cannot be read: ")


def test_lines_of_fast_data_come_from_the_text() -> None:
    text = "title: A\nfilters:\n  keywords:\n    - one\n    - two\nid: a\n"
    data = parse_yaml(text, "x.md", Problems(), first_line=2)
    assert isinstance(data, yamlfile.SourcedDict)
    assert data.lines is None  # nothing asked for a line yet: ruamel has not read it
    assert line_of(data, ("id",), 2) == 7
    assert line_of(data, ("filters", "keywords", 1), 2) == 6
    assert line_of(data, ("missing",), 2) == 2
    top_list = parse_yaml("- a\n- b\n", "x.yml", Problems())
    assert line_of(top_list, (1,)) == 2
