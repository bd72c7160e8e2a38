"""The scale corpus: a tiny one is a project ``load_project`` accepts, with the articles,
plain versions, services and events asked for, and the same sizes give the same bytes."""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import pytest

from pipeline.bench.corpus import Sizes, read_sources, write_corpus
from pipeline.bench.run import TODAY, Run, _later_closing, budgets, first_view, median_run
from pipeline.content.load import load_project
from pipeline.sources.events.snapshot import read_raw
from pipeline.sources.store import Store
from tests.helpers import REPO

ROOT = Path(__file__).resolve().parents[1]
EXTRA = 6
"""Articles per language beyond the committed ones: a tiny corpus."""


def _committed(lang: str) -> int:
    return len(read_sources(ROOT / "content", lang, plain=False))


def _sizes() -> Sizes:
    most = max(_committed(lang) for lang in ("fi", "sv", "en"))
    committed_plain = sum(len(read_sources(ROOT / "content", x, True)) for x in ("fi", "sv", "en"))
    return Sizes(articles=most + EXTRA, plain=committed_plain + 3, services=35, events=4)


def _digest(folder: Path) -> dict[str, str]:
    """The corpus's files; the build cache (``.cache/``) a load of it leaves is not the corpus."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.relative_to(folder).parts[0] != ".cache"
    }


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("bench") / "corpus"
    write_corpus(target, _sizes(), ROOT)
    return target


def test_the_corpus_loads_with_the_sizes_asked_for(corpus: Path) -> None:
    project = load_project(corpus)
    sizes = _sizes()
    for lang in ("fi", "sv", "en"):
        standard = [g for g in project.articles.values() if (lang, False) in g.versions]
        assert len(standard) == sizes.articles, lang
    plain = [key for g in project.articles.values() for key in g.versions if key[1]]
    assert len(plain) == sizes.plain
    new = project.articles["bench-0000"]
    assert set(new.versions) >= {("fi", False), ("sv", False), ("en", False)}
    body = new.versions[("fi", False)].doc.body
    assert "## " in body and "](" in body  # sections, and a link to another article
    assert len(project.services.services) >= 22 * sizes.services
    assert not [w for w in project.warnings if "bench" in str(w)]


def test_every_county_has_its_calendar(corpus: Path) -> None:
    snapshot = Store(corpus / "snapshots" / "events").current()
    assert snapshot is not None
    raw = read_raw(snapshot)
    feeds = {str(a.entry.get("tag")) for a in raw.answers if a.entry.get("kind") == "ics"}
    counties = {p.stem for p in (corpus / "regions").glob("*.yml")}
    assert {f"{slug}:bench" for slug in counties} <= feeds


def test_the_same_sizes_give_the_same_bytes(corpus: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    write_corpus(again, _sizes(), ROOT)
    assert _digest(again) == _digest(corpus)


def test_a_corpus_is_never_written_over(corpus: Path) -> None:
    from pipeline.bench.corpus import CorpusFailed

    with pytest.raises(CorpusFailed, match="is not empty"):
        write_corpus(corpus, _sizes(), ROOT)


@pytest.mark.parametrize("shared", [False, True])
def test_first_view_counts_the_page_and_what_it_loads(tmp_path: Path, shared: bool) -> None:
    """``shared``: the assets' folder is one a rebuilt site shares with an earlier build (a
    symbolic link out of its folder): they count all the same."""
    site = tmp_path / "site"
    if shared:
        (tmp_path / "earlier" / "static").mkdir(parents=True)
        site.mkdir()
        (site / "static").symlink_to(tmp_path / "earlier" / "static")
    else:
        (site / "static").mkdir(parents=True)
    (site / "static" / "style.css").write_text("body{color:red}" * 50)
    (site / "static" / "style.css.br").write_bytes(b"x" * 40)  # the published copy counts
    (site / "static" / "app.js").write_text("let a = 1;\n" * 30)
    page = site / "fi" / "index.html"
    page.parent.mkdir()
    page.write_text(
        '<link rel="stylesheet" href="../static/style.css"><script src="../static/app.js">'
        '</script><script src="https://elsewhere.example/x.js"></script>'
    )
    sizes = first_view(page, site)
    assert sizes["css"] == 40
    assert 0 < sizes["js"] < 330
    assert sizes["total"] == sizes["html"] + sizes["css"] + sizes["js"] + sizes["fonts"]


def test_budgets_say_met_not_met_or_not_measured() -> None:
    rows = {
        row["measure"]: row["met"]
        for row in budgets(
            {"peak_rss_bytes": 2 * 2**30, "first_search_bytes": 1000, "serve_edit_seconds": None}
        )
    }
    assert rows["peak_rss_bytes"] is False
    assert rows["first_search_bytes"] is True
    assert rows["serve_edit_seconds"] is None


def test_a_revision_that_looks_like_a_number_stays_a_string() -> None:
    from pipeline.bench.corpus import Quoted, _front
    from pipeline.content.yamlfile import parse_yaml
    from pipeline.problems import Problems

    data = parse_yaml(_front({"source_revision": Quoted("123e4567")}), "x.md", Problems())
    assert data == {"source_revision": "123e4567"}


def test_more_plain_versions_than_new_articles_is_refused(tmp_path: Path) -> None:
    from pipeline.bench.corpus import CorpusFailed

    sizes = _sizes()
    too_many = Sizes(articles=sizes.articles, plain=sizes.plain + 3 * EXTRA, services=1)
    with pytest.raises(CorpusFailed, match="plain-language versions need more new articles"):
        write_corpus(tmp_path / "corpus", too_many, ROOT)


@pytest.mark.slow
def test_serve_shows_a_saved_edit_and_puts_the_article_back(corpus: Path, tmp_path: Path) -> None:
    from pipeline.bench import serve_child

    texts = {p: p.read_bytes() for p in (corpus / "content" / "fi").glob("*.md")}
    report = tmp_path / "serve.json"
    argv = [str(corpus), str(tmp_path / "out"), "kainuu", str(report), "--edits", "1"]
    assert serve_child.main(argv) == 0
    found = json.loads(report.read_text(encoding="utf-8"))
    assert len(found["edits"]) == 1 and found["edits"][0] > 0
    assert {p: p.read_bytes() for p in texts} == texts


def test_an_incremental_case_reports_the_median_of_its_runs() -> None:
    found = median_run([Run(14.0, 1), Run(11.0, 2), Run(12.5, 3)])
    assert (found.seconds, found.peak_rss, found.runs) == (12.5, 3, [14.0, 11.0, 12.5])


def test_each_run_of_the_county_case_changes_its_data_anew() -> None:
    """Every run has a change to build: the file is put back between runs, and each run
    moves the closing time by another quarter of an hour."""
    text = 'phones:\n  - closes: "16:00"\n  - closes: "16:00"\n'
    changed = [_later_closing(text, n) for n in (1, 2, 3)]
    assert [c.split("\n")[1] for c in changed] == [
        '  - closes: "16:15"',
        '  - closes: "16:30"',
        '  - closes: "16:45"',
    ]
    assert all(c.split("\n")[2] == '  - closes: "16:00"' for c in changed)


def test_the_next_night_case_builds_the_county_once_as_it_is_then_on_each_later_day(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pipeline.bench import run as bench_run

    builds: list[tuple[str, str]] = []

    def build_ours(*_: object, today: str = TODAY, **__: object) -> Run:
        county = (tmp_path / "regions" / "kainuu.yml").read_text(encoding="utf-8")
        builds.append((today, county))
        return Run(float(len(builds)), 1)

    nightly: list[int] = []

    @contextmanager
    def next_night_ptv(_: Path, nights: int, full: bool = False) -> Iterator[None]:
        nightly.append(-nights if full else nights)
        yield

    monkeypatch.setattr(bench_run, "build_ours", build_ours)
    monkeypatch.setattr(bench_run, "next_night_ptv", next_night_ptv)
    (tmp_path / "content" / "fi").mkdir(parents=True)
    (tmp_path / "content" / "fi" / "a.md").write_text("# A\n", encoding="utf-8")
    (tmp_path / "regions").mkdir()
    (tmp_path / "regions" / "kainuu.yml").write_text('closes: "16:00"\n', encoding="utf-8")
    found = bench_run.incremental(tmp_path, tmp_path / "out", tmp_path / "work", repeats=2)
    # The nightly job's nights come after them, each with the PTV snapshot of its night: the
    # changes fetched, then everything fetched again (negative: a full fetch).
    assert [today for today, _ in builds[-4:]] == [
        "2026-12-10",
        "2026-12-11",
        "2026-12-12",
        "2026-12-13",
    ]
    assert nightly == [3, 4, -5, -6]
    assert len(found[bench_run.NIGHTLY_CASE].runs) == len(found[bench_run.WEEKLY_CASE].runs) == 2
    nights = builds[-7:-4]
    # Once on the bench's date with the county as it is, then a day later each time.
    assert [today for today, _ in nights] == [TODAY, "2026-12-08", "2026-12-09"]
    assert all(county == 'closes: "16:00"\n' for _, county in nights)
    assert found["one county, the next night, the same data"].runs == [
        float(len(builds) - 5),
        float(len(builds) - 4),
    ]


def test_the_nightly_case_writes_the_next_nights_ptv_snapshot_and_puts_the_last_one_back(
    tmp_path: Path,
) -> None:
    from pipeline.bench import run as bench_run
    from pipeline.sources.ptv.snapshot import load

    shutil.copytree(REPO / "snapshots" / "ptv", tmp_path / "snapshots" / "ptv")
    (tmp_path / "regions").mkdir()
    shutil.copy(REPO / "regions" / "kainuu.yml", tmp_path / "regions" / "kainuu.yml")
    store = Store(tmp_path / "snapshots" / "ptv")
    before = store.current()
    assert before is not None
    ids = bench_run._county_service_ids(before, bench_run._county_codes(tmp_path))
    assert len(ids) > 2
    last = load(before)
    sentence = " Päivitetty 2026-11-23."
    for full in (False, True):
        with bench_run.next_night_ptv(tmp_path, 3, changed=2, full=full):
            night = store.current()
            assert night is not None and night.id != before.id
            assert night.fetched_at == before.fetched_at + timedelta(days=3)
            times = [e["fetched_at"] for e in night.entries]
            if full:  # every answer fetched again
                assert set(times) == {"2026-11-23T02:00:00Z"}
            else:  # the answers before as they were, and one of that night
                assert times[:-1] == [e["fetched_at"] for e in before.entries]
                assert times[-1] == "2026-11-23T02:00:00Z"
            new = load(night)
            changed = {
                i for i, s in new.services.items() if s.summaries != last.services[i].summaries
            }
            assert changed == set(ids[:2])
            assert all(new.services[i].summaries["fi"].endswith(sentence) for i in changed)
            assert new.services.keys() == last.services.keys()
            fresh = {i for i, o in new.origins.items() if o.fetched_at == night.fetched_at}
            assert fresh == (set(new.origins) if full else set(ids[:2]))
        assert store.current_id() == before.id and not night.path.exists()
