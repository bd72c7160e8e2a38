"""The build cache: a result is found again under the same inputs, never under other ones."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.cache import BuildCache, digest, digest_files


def test_a_value_is_found_under_its_key_only(tmp_path: Path) -> None:
    cache = BuildCache(tmp_path, on=True)
    key = cache.key("article", "body one")
    cache.put("render", key, {"html": "<p>one</p>"})
    assert cache.get("render", key) == {"html": "<p>one</p>"}
    assert cache.get("render", cache.key("article", "body two")) is None
    assert cache.get("gate", key) is None  # kinds do not share keys


def test_parts_are_length_prefixed() -> None:
    assert digest("ab", "c") != digest("a", "bc")


def test_a_broken_entry_is_a_miss_and_is_removed(tmp_path: Path) -> None:
    cache = BuildCache(tmp_path, on=True)
    key = cache.key("x")
    cache.put("render", key, [1, 2])
    entry = next((tmp_path / ".cache" / "build" / "render").rglob(key))
    entry.write_bytes(b"not a pickle")
    assert cache.get("render", key) is None
    assert not entry.exists()


def test_off_stores_and_finds_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PERHEKESKUS_CACHE", "off")
    cache = BuildCache(tmp_path)
    cache.put("render", "k", 1)
    assert cache.get("render", "k") is None
    assert not (tmp_path / ".cache").exists()


def test_a_new_or_changed_file_changes_the_hash(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("one", encoding="utf-8")
    before = digest_files(tmp_path.glob("*.md"), tmp_path)
    (tmp_path / "a.md").write_text("two", encoding="utf-8")
    changed = digest_files(tmp_path.glob("*.md"), tmp_path)
    (tmp_path / "b.md").write_text("", encoding="utf-8")
    added = digest_files(tmp_path.glob("*.md"), tmp_path)
    assert len({before, changed, added}) == 3


def test_prune_removes_the_entries_used_longest_ago(tmp_path: Path) -> None:
    import os

    cache = BuildCache(tmp_path, on=True)
    for n, when in ((1, 1000), (2, 2000), (3, 3000)):
        key = cache.key(str(n))
        cache.put_bytes("x", key, b"0" * 100)
        path = next((tmp_path / ".cache").rglob(key))
        os.utime(path, (when, when))
    assert cache.prune(keep_bytes=150) == 200
    assert cache.get_bytes("x", cache.key("3")) is not None
    assert cache.get_bytes("x", cache.key("1")) is None
