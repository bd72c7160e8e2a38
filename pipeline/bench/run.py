"""``perhekeskus bench run`` (``nox -s bench``): our national build next to Hugo plus Pagefind.

Input: a scale corpus (:mod:`pipeline.bench.corpus`), a work folder, the budgets of
``data/bench/budgets.yml``, Debian's ``hugo``, the ``pagefind`` binary of the Python package
and, for the bytes of a search, Debian's Chromium. Output: one table printed (seconds and
ratios) and ``build/reports/bench.json`` with:

- the full national build of the corpus in a process of its own, cold (the corpus's build
  cache emptied first): wall time, pages, peak RSS (that process's ``ru_maxrss``, Pagefind's
  processes included), seconds per stage from the build's own report;
- Hugo building the same article pages with a minimal theme (``data/bench/hugo/``) plus
  Pagefind indexing Hugo's output, once per site of our build, timed in the same run;
- the naive reference: one county built from scratch on its own, without the build cache
  (with ``--naive``, every site so, one after the other: no page rendered once for all);
- the incremental cases, each the command as a writer or the nightly job runs it after the
  national build (its build cache and live sites there): nothing changed, one article edited
  and every site rebuilt, one county's contacts changed (its help phone, on every page), one
  county the next night with the same data (a new build date: past activities drop out), and
  a county's nightly as the nightly job runs it (a new PTV snapshot, fetched a day later, in
  which :data:`NIGHTLY_CHANGES` of the county's services changed, and a new build date: the
  changes fetched, as on six nights a week, and everything fetched again, as on the
  seventh); each
  :data:`REPEATS` times, the median reported;
- ``serve``: the seconds from saving an article to its page rebuilt by the preview's own
  watcher (:mod:`pipeline.bench.serve_child`);
- page weight: brotli-compressed bytes of the HTML, CSS, JS and fonts a first view of a home
  page, an article and a service page loads, and the bytes of a first and a second search;
- each budget of issue 17 as met or not met (never asserted in tests).

The corpus is edited for the incremental cases and put back after each one.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, replace
from datetime import date, timedelta
from functools import partial
from pathlib import Path
from typing import Any

import brotli
import yaml

REPO = Path(__file__).resolve().parents[2]
HUGO_THEME = REPO / "data" / "bench" / "hugo" / "layouts"
BUDGETS = REPO / "data" / "bench" / "budgets.yml"
TODAY = "2026-12-07"
"""The build date of every run: the corpus's events are around it, so runs compare."""
COUNTY = "kainuu"
"""The county of the single-county cases and of the page weights."""
SEARCHES = ("neuvola", "perhekahvila")
"""A first and a second search on the same page."""
BROTLI_QUALITY = 5
"""As the CDN compresses (``themes/perhekeskus/cdn/cdn.toml``)."""


class BenchFailed(Exception):
    """A step of the benchmark could not run; the message says which and why."""


@dataclass
class Run:
    """One timed process."""

    seconds: float
    peak_rss: int
    """Bytes: the process's peak resident set, its waited-for children included."""
    report: dict[str, Any] = field(default_factory=dict)
    """The build's own report (:mod:`pipeline.bench.child`), when it was a build."""
    runs: list[float] = field(default_factory=list)
    """The seconds of each run of a case measured more than once (this is the median one)."""


# --- running and timing ---------------------------------------------------------------------------


def timed(command: list[str], what: str, log: Path, cache: bool = True) -> Run:
    """Run ``command`` (its output to ``log``), its wall time and peak RSS (from ``wait4``:
    this child's own usage, what ``getrusage(RUSAGE_CHILDREN)`` adds up over children);
    :class:`BenchFailed` with the end of its output when it fails."""
    with open(log, "wb") as output:
        start = time.perf_counter()
        env = {**os.environ, "PERHEKESKUS_CACHE": "on" if cache else "off"}
        process = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT, env=env)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
    process.returncode = code = os.waitstatus_to_exitcode(status)
    if code != 0:
        tail = log.read_text(encoding="utf-8", errors="replace").strip()[-800:]
        raise BenchFailed(f"{what} failed (exit {code}), see {log}:\n{tail}")
    return Run(seconds, usage.ru_maxrss * 1024)


def build_ours(
    corpus: Path,
    out: Path,
    work: Path,
    what: str,
    regions: tuple[str, ...] = (),
    cache: bool = True,
    today: str = TODAY,
) -> Run:
    """Our build of ``corpus`` into ``out`` in a process of its own, with its report (with
    the corpus's build cache, or without any), on the build date ``today``."""
    report = work / "build-report.json"
    report.unlink(missing_ok=True)
    command = [sys.executable, "-m", "pipeline.bench.child", str(corpus), str(out), str(report)]
    command += ["--today", today, *(a for r in regions for a in ("--region", r))]
    run = timed(command, what, work / "build.log", cache)
    try:
        run.report = json.loads(report.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BenchFailed(f"{what}: the build's report could not be read: {exc}") from None
    return run


# --- Hugo plus Pagefind -----------------------------------------------------------------------


def hugo_source(corpus: Path, work: Path) -> Path:
    """A Hugo site of the corpus's articles in fi, sv and en, with the minimal theme."""
    source = work / "hugo-source"
    shutil.rmtree(source, ignore_errors=True)
    shutil.copytree(HUGO_THEME, source / "layouts")
    languages = "".join(
        f'[languages.{lang}]\ncontentDir = "{corpus / "content" / lang}"\nweight = {weight}\n'
        for weight, lang in enumerate(("fi", "sv", "en"), start=1)
    )
    (source / "hugo.toml").write_text(
        'baseURL = "https://perhekeskus.fi/"\ntitle = "Perhekeskus"\n'
        'defaultContentLanguage = "fi"\ndefaultContentLanguageInSubdir = true\n'
        'disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404"]\n' + languages,
        encoding="utf-8",
    )
    return source


def hugo_and_pagefind(corpus: Path, work: Path, sites: list[str]) -> dict[str, Any]:
    """Hugo builds the article pages once per site and Pagefind indexes each output."""
    if shutil.which("hugo") is None:
        raise BenchFailed("hugo is not installed: apt-get install hugo (nox -s bench does it)")
    source = hugo_source(corpus, work)
    out = work / "hugo"
    shutil.rmtree(out, ignore_errors=True)
    hugo = pagefind = 0.0
    log = work / "hugo.log"
    for site in sites:
        target = out / site
        command = ["hugo", "--quiet", "--source", str(source), "--destination", str(target)]
        hugo += timed(command, f"hugo ({site})", log).seconds
        index = [sys.executable, "-m", "pagefind", "--site", str(target), "--quiet"]
        pagefind += timed(index, f"pagefind on Hugo's {site}", log).seconds
    pages = sum(1 for _ in (out / sites[0]).rglob("index.html"))
    return {"sites": len(sites), "pages_per_site": pages, "hugo": hugo, "pagefind": pagefind}


# --- the incremental cases ------------------------------------------------------------------------


@contextmanager
def edited(path: Path, change: Callable[[str], str]) -> Iterator[None]:
    """``path`` changed for the time of the block, then put back as it was."""
    before = path.read_bytes()
    after = change(before.decode("utf-8"))
    if after == before.decode("utf-8"):
        raise BenchFailed(f"{path}: the edit changed nothing")
    path.write_text(after, encoding="utf-8")
    try:
        yield
    finally:
        path.write_bytes(before)


def _an_article(corpus: Path) -> Path:
    found = sorted((corpus / "content" / "fi").glob("*.md"))
    if not found:
        raise BenchFailed(f"{corpus}/content/fi has no articles")
    return found[len(found) // 2]


def _later_closing(text: str, times: int = 1) -> str:
    """The county's first help phone closes ``times`` quarters of an hour later: a data-only
    change."""
    return re.sub(
        r'closes: "(\d\d):(\d\d)"',
        lambda m: f'closes: "{m.group(1)}:{(int(m.group(2)) + 15 * times) % 60:02d}"',
        text,
        count=1,
    )


NIGHTLY_CHANGES = 10
"""Services of the county whose text changes from one night's PTV snapshot to the next (of
some 500: PTV changes slowly)."""


@contextmanager
def next_night_ptv(
    corpus: Path, nights: int, changed: int = NIGHTLY_CHANGES, full: bool = False
) -> Iterator[None]:
    """For the time of the block, the corpus's PTV snapshot as the nightly fetch would write it
    ``nights`` days later, in which ``changed`` of the county's services have a sentence of
    that night added to their summary. As the fetch of six nights a week does
    (``incremental``, :mod:`pipeline.sources.ptv.fetch`): the answers before carried over as
    they are, and the changed services in one answer fetched that night; with ``full`` (the
    weekly refresh), every answer fetched again that night. Written by the store's own writer
    and made current; the snapshot before is current again after, and the new one gone."""
    from pipeline.sources.base import Answer
    from pipeline.sources.ptv import snapshot as ptv_snapshot
    from pipeline.sources.store import Store

    store = Store(corpus / "snapshots" / "ptv")
    before = store.current()
    if before is None:
        raise BenchFailed(f"{store.root} has no current PTV snapshot")
    moment = before.fetched_at + timedelta(days=nights)
    ids = _county_service_ids(before, _county_codes(corpus))[:changed]
    if len(ids) < changed:
        raise BenchFailed(f"{before.path}: {COUNTY} has fewer than {changed} services")
    sentence = f" Päivitetty {moment.date().isoformat()}."
    manifest = before.manifest
    base_url = str(manifest["base_url"])
    with store.locked():
        writer = store.writer(
            source=str(manifest["source"]), base_url=base_url,
            mode="full" if full else "incremental", started=moment, sample=before.sample,
            since=None if full else before.watermark,
        )  # fmt: skip
        if full:
            for entry in before.entries:
                body = before.body(entry)
                if entry.get("kind") == "service":
                    _add_to_summaries(body, set(ids), sentence)
                writer.add(
                    Answer(str(entry["url"]), int(entry["status"]), body, moment,
                           str(entry.get("kind", "")), str(entry.get("role", "")),
                           str(entry.get("tag") or ""))
                )  # fmt: skip
        else:
            writer.copy_from(before, lambda entry: True)
            body = {"pageNumber": 1, "pageSize": 100, "pageCount": 1,
                    "itemList": _service_items(before, ids)}  # fmt: skip
            _add_to_summaries(body, set(ids), sentence)
            url = f"{base_url}Service/list?guids={','.join(ids)}"
            writer.add(Answer(url, 200, body, moment, "service", "items", "changed"))
        written, _ = writer.commit(moment, ptv_snapshot.load)
    try:
        yield
    finally:
        store.set_current(before.id)
        shutil.rmtree(written.path, ignore_errors=True)


def _service_items(snap: Any, ids: list[str]) -> list[Any]:
    """The raw items of the services ``ids`` as the snapshot last holds them, in that order."""
    found: dict[str, Any] = {}
    for entry in snap.entries:
        if entry.get("kind") == "service" and entry.get("role") == "items":
            for item in (snap.body(entry) or {}).get("itemList") or []:
                if isinstance(item, dict) and item.get("id") in ids:
                    found[item["id"]] = item
    return [found[i] for i in ids if i in found]


def _county_codes(corpus: Path) -> set[str]:
    region = yaml.safe_load((corpus / "regions" / f"{COUNTY}.yml").read_text(encoding="utf-8"))
    return {str(m["code"]) for m in region["municipalities"]}


def _county_service_ids(snap: Any, codes: set[str]) -> list[str]:
    """The ids of the services the answers for the county's municipalities hold, in order."""
    found: dict[str, None] = {}
    for entry in snap.entries:
        tag = str(entry.get("tag") or "")
        if entry.get("kind") == "service" and tag.split(":")[-1] in codes:
            for item in (snap.body(entry) or {}).get("itemList") or []:
                if isinstance(item, dict) and isinstance(item.get("id"), str):
                    found.setdefault(item["id"], None)
    return list(found)


def _add_to_summaries(body: Any, ids: set[str], sentence: str) -> None:
    """Add ``sentence`` to the summary of each service of ``ids`` in an answer's body."""
    items = body.get("itemList") if isinstance(body, dict) else None
    for item in items or []:
        if not isinstance(item, dict) or item.get("id") not in ids:
            continue
        for text in item.get("serviceDescriptions") or []:
            if text.get("type") == "Summary":
                text["value"] = str(text.get("value", "")) + sentence


def _edited_article(text: str, n: int) -> str:
    """An article with a sentence of its own added at the end (the ``n``th edit)."""
    return text.rstrip("\n") + f"\n\nMuokattu {n}.\n"


REPEATS = 3
"""Runs of each incremental case: a machine shared with others is seconds slower now and then,
so the median is reported, with every run."""


def incremental(corpus: Path, out: Path, work: Path, repeats: int = REPEATS) -> dict[str, Run]:
    """Each case as the command a writer or the nightly job runs, after the national build:
    with the build cache it left and its sites live in ``out``. Each run of a case makes a
    change of its own (another edit, another closing time), so that each has something to do."""
    county = corpus / "regions" / f"{COUNTY}.yml"
    runs: dict[str, list[Run]] = {}
    for _ in range(repeats):
        runs.setdefault("nothing changed", []).append(
            build_ours(corpus, out, work, "build with nothing changed")
        )
    for n in range(repeats):
        with edited(_an_article(corpus), partial(_edited_article, n=n)):
            runs.setdefault("one article edited", []).append(
                build_ours(corpus, out, work, "build after one edit")
            )
    for n in range(repeats):
        with edited(county, partial(_later_closing, times=n + 1)):
            runs.setdefault(CONTACTS_CASE, []).append(
                build_ours(corpus, out, work, f"{COUNTY}'s build after its contacts changed",
                           (COUNTY,))
            )  # fmt: skip
    # The live county as the corpus is, then each night one day later with the same data: the
    # past activities and events drop out, nothing else changes.
    build_ours(corpus, out, work, f"{COUNTY}'s build before the next nights", (COUNTY,))
    for n in range(repeats):
        day = (date.fromisoformat(TODAY) + timedelta(days=n + 1)).isoformat()
        runs.setdefault("one county, the next night, the same data", []).append(
            build_ours(corpus, out, work, f"{COUNTY}'s build on {day}", (COUNTY,), today=day)
        )
    # The nightly job: each night a new PTV snapshot (a few services changed) and a new date,
    # after the nights above; six nights a week the changes are fetched, on the seventh all.
    nights = repeats
    for case, full in ((NIGHTLY_CASE, False), (WEEKLY_CASE, True)):
        for _ in range(repeats):
            nights += 1
            day = (date.fromisoformat(TODAY) + timedelta(days=nights)).isoformat()
            with next_night_ptv(corpus, nights, full=full):
                runs.setdefault(case, []).append(
                    build_ours(corpus, out, work, f"{COUNTY}'s nightly on {day}", (COUNTY,),
                               today=day)
                )  # fmt: skip
    return {case: median_run(found) for case, found in runs.items()}


CONTACTS_CASE = "one county's contacts changed (every page)"
NIGHTLY_CASE = "one county's nightly: PTV changes fetched, a new day"
"""The case of the nightly budget: what the nightly job builds six nights a week."""
WEEKLY_CASE = "one county's weekly refresh: all of PTV fetched again, a new day"
"""The seventh night: every answer is fetched again, so every service shows a new date."""


def median_run(runs: list[Run]) -> Run:
    """The run of median seconds, with the seconds of every run."""
    ordered = sorted(runs, key=lambda run: run.seconds)
    return replace(ordered[(len(ordered) - 1) // 2], runs=[run.seconds for run in runs])


def serve_edit(corpus: Path, work: Path) -> dict[str, Any]:
    """Seconds from saving an article to ``serve`` having its page rebuilt with the edit
    (:mod:`pipeline.bench.serve_child`: the preview's own watcher, three edits)."""
    report = work / "serve-report.json"
    report.unlink(missing_ok=True)
    out = work / "serve"
    shutil.rmtree(out, ignore_errors=True)
    command = [sys.executable, "-m", "pipeline.bench.serve_child", str(corpus), str(out), COUNTY]
    run = timed([*command, str(report)], "serve after a saved edit", work / "serve.log")
    try:
        found: dict[str, Any] = json.loads(report.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BenchFailed(f"serve: the report could not be read: {exc}") from None
    return {**found, "peak_rss": run.peak_rss}


# --- page weight --------------------------------------------------------------------------------


ASSET = re.compile(r'<(?:link[^>]*rel="(?:stylesheet|preload)"[^>]*href|script[^>]*src)="([^"]+)"')
FONT = re.compile(r"url\(['\"]?([^'\")]+\.(?:woff2?|ttf|otf))")


def compressed(path: Path) -> int:
    """Bytes over the wire: the published ``.br`` copy, else brotli as the CDN does it."""
    ready = path.with_name(path.name + ".br")
    if ready.is_file():
        return ready.stat().st_size
    return len(brotli.compress(path.read_bytes(), quality=BROTLI_QUALITY))


def first_view(page: Path, site: Path) -> dict[str, int]:
    """Compressed bytes of a page and the CSS, JS and fonts it loads (fonts: those its style
    sheets name; a browser fetches only those a text uses, so this is the most)."""
    html = page.read_text(encoding="utf-8")
    sizes = {"html": compressed(page), "css": 0, "js": 0, "fonts": 0}
    for href in ASSET.findall(html):
        # Normalised as an address is, not resolved: a folder a rebuilt site shares with an
        # earlier one is a symbolic link out of the site's own folder.
        asset = Path(os.path.normpath(page.parent / href.split("?", 1)[0]))
        if not asset.is_file() or site not in asset.parents:
            continue
        kind = {".css": "css", ".js": "js"}.get(asset.suffix, "fonts")
        sizes[kind] += compressed(asset)
        if kind == "css":
            for font in set(FONT.findall(asset.read_text(encoding="utf-8"))):
                file = Path(os.path.normpath(asset.parent / font))
                if file.is_file():
                    sizes["fonts"] += file.stat().st_size  # woff2 is compressed already
    sizes["total"] = sum(sizes.values())
    return sizes


def sample_pages(site: Path) -> dict[str, Path]:
    """A home page, an article and a service page of a built county site (Finnish)."""
    fi = site / "fi"
    article = next(
        (p for p in sorted(fi.glob("*/*/index.html"))
         if 'data-pagefind-filter="type:article"' in p.read_text(encoding="utf-8")),
        None,
    )  # fmt: skip
    service = next(iter(sorted(fi.glob("palvelut/*/index.html"))), None)
    pages = {"home page": fi / "index.html", "article": article, "service page": service}
    missing = [name for name, path in pages.items() if path is None or not path.is_file()]
    if missing:
        raise BenchFailed(f"{site}: no {', '.join(missing)} to weigh")
    return {name: path for name, path in pages.items() if path is not None}


def search_bytes(out: Path, site: str) -> dict[str, Any]:
    """Bytes a first search (cold cache) and a second one (on the same page) download, in
    Chromium on the site's search page, as ``search-quality`` measures them."""
    try:
        from playwright.sync_api import sync_playwright

        from pipeline.quality.browser_audit import CHROMIUM_ARGS, chromium_path, serving
        from pipeline.quality.search_quality import SEARCH, transfer_size

        executable = chromium_path()
    except Exception as exc:  # Playwright or Chromium missing: say so, measure nothing
        return {"not measured": str(exc)}
    sizes: list[int] = []
    with serving(out) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            page = browser.new_context().new_page()
            page.goto(f"{base}{site}/fi/haku/")
            page.wait_for_function("() => !!window.perhekeskusSearch")
            current: list[Any] = []
            page.on("response", lambda r: current.append(r) if "/pagefind/" in r.url else None)
            for query in SEARCHES:
                current.clear()
                page.evaluate(SEARCH, query)
                sizes.append(sum(transfer_size(r.url, r.body()) for r in current))
        finally:
            browser.close()
    return {"first search": sizes[0], "second search": sizes[1], "queries": list(SEARCHES)}


# --- the whole run ----------------------------------------------------------------------------


def naive(corpus: Path, work: Path, sites: list[str], every: bool) -> dict[str, Any]:
    """Counties built from scratch, each on its own: nothing rendered once for all of them.
    Without ``every`` only :data:`COUNTY`; the line then says the rest is not measured."""
    counties = [s for s in sites if s != "national"] if every else [COUNTY]
    seconds = 0.0
    for slug in counties:
        out = work / "naive" / slug
        shutil.rmtree(out, ignore_errors=True)
        run = build_ours(corpus, out, work, f"{slug} built alone", (slug,), cache=False)
        seconds += run.seconds
    return {"counties": counties, "seconds": seconds}


def measures(result: dict[str, Any]) -> dict[str, float | None]:
    """The numbers the budgets name (None: not measured in this run)."""
    ours, hugo = result["national build"], result["hugo and pagefind"]
    article = result["page weight"]["article"]["total"]
    search = result["search"].get("first search")
    return {
        "ratio_to_hugo_and_pagefind": ours["seconds"] / (hugo["hugo"] + hugo["pagefind"]),
        "one_article_edited_seconds": result["incremental"]["one article edited"]["seconds"],
        "county_data_changed_seconds": result["incremental"][NIGHTLY_CASE]["seconds"],
        "serve_edit_seconds": max(result["serve"]["edits"]),
        "peak_rss_bytes": ours["peak_rss"],
        "article_first_view_bytes": article,
        "first_search_bytes": search,
    }


def budgets(values: dict[str, float | None]) -> list[dict[str, Any]]:
    """Each budget with its value and whether it is met (None: not measured)."""
    rows = []
    for budget in yaml.safe_load(BUDGETS.read_text(encoding="utf-8")):
        value = values.get(budget["measure"])
        met = None if value is None else value <= budget["at_most"]
        rows.append({**budget, "value": value, "met": met})
    return rows


def run_bench(corpus: Path, work: Path, every_naive: bool = False) -> dict[str, Any]:
    """Every measurement, in one run, as the JSON the report holds."""
    if not (corpus / "mkdocs.yml").is_file():
        raise BenchFailed(f"{corpus} is not a corpus: write one with perhekeskus bench corpus")
    work.mkdir(parents=True, exist_ok=True)
    out = work / "ours"
    shutil.rmtree(out, ignore_errors=True)
    # Cold: nothing of an earlier build (the cache the corpus's loads and builds keep).
    shutil.rmtree(corpus / ".cache", ignore_errors=True)
    full = build_ours(corpus, out, work, "the national build")
    sites = sorted(full.report["sites"])
    result: dict[str, Any] = {"corpus": str(corpus), "today": TODAY}
    result["national build"] = asdict(full)
    result["hugo and pagefind"] = hugo_and_pagefind(corpus, work, sites)
    result["naive"] = naive(corpus, work, sites, every_naive)
    result["incremental"] = {k: asdict(v) for k, v in incremental(corpus, out, work).items()}
    result["serve"] = serve_edit(corpus, work)
    site = out / COUNTY
    result["page weight"] = {k: first_view(p, site) for k, p in sample_pages(site).items()}
    result["search"] = search_bytes(out, COUNTY)
    result["budgets"] = budgets(measures(result))
    return result


# --- the table ------------------------------------------------------------------------------------


def _mb(size: float) -> str:
    return f"{size / 2**20:.0f} MiB"


def _kb(size: float) -> str:
    return f"{size / 1000:.1f} KB"


def rows(result: dict[str, Any]) -> list[tuple[str, str, str]]:
    """The printed table: what, the measurement, and a ratio or verdict."""
    ours, hugo = result["national build"], result["hugo and pagefind"]
    full = ours["seconds"]
    pair = hugo["hugo"] + hugo["pagefind"]
    report = ours["report"]
    lines = [
        (
            "national build (ours)",
            f"{full:.1f} s, {report['pages']} pages, {len(report['sites'])} sites, "
            f"peak RSS {_mb(ours['peak_rss'])}",
            f"{full / pair:.2f} × Hugo + Pagefind",
        ),
    ]
    lines += [(f"  {stage}", f"{seconds:.2f} s", f"{seconds / full:.0%}")
              for stage, seconds in report["stages"].items()]  # fmt: skip
    lines.append((
        "Hugo + Pagefind, once per site",
        f"{pair:.1f} s ({hugo['hugo']:.1f} + {hugo['pagefind']:.1f}), {hugo['sites']} sites × "
        f"{hugo['pages_per_site']} pages",
        f"{pair / full:.2f} × ours",
    ))  # fmt: skip
    naive = result["naive"]
    alone = naive["seconds"]
    if len(naive["counties"]) == 1:
        lines.append((f"naive: {naive['counties'][0]} from scratch, alone", f"{alone:.1f} s",
                      "other sites not measured (--naive)"))  # fmt: skip
    else:
        lines.append((f"naive: {len(naive['counties'])} counties from scratch", f"{alone:.1f} s",
                      f"{alone / full:.2f} × ours"))  # fmt: skip
    for case, run in result["incremental"].items():
        every = ", ".join(f"{s:.1f}" for s in run.get("runs", ()))
        measured = f"{run['seconds']:.1f} s" + (f" (median of {every})" if every else "")
        lines.append((f"incremental: {case}", measured,
                      f"{run['seconds'] / full:.2f} × full build"))  # fmt: skip
    serve = result["serve"]
    edits = ", ".join(f"{s:.2f}" for s in serve["edits"])
    first = f"first build {serve['first build']:.1f} s"
    lines.append(("serve: a saved edit shown", f"{edits} s ({first})",
                  f"{COUNTY}, the preview's own watcher"))  # fmt: skip
    for page, sizes in result["page weight"].items():
        parts = ", ".join(f"{k} {_kb(v)}" for k, v in sizes.items() if k != "total")
        lines.append((f"first view: {page}", f"{_kb(sizes['total'])} ({parts})", "brotli"))
    search = result["search"]
    if "not measured" in search:
        lines.append(("search", "not measured", search["not measured"]))
    else:
        lines.append(("search: first, second", f"{_kb(search['first search'])}, "
                      f"{_kb(search['second search'])}", "in Chromium"))  # fmt: skip
    for budget in result["budgets"]:
        verdict = {True: "met", False: "NOT MET", None: "not measured"}[budget["met"]]
        lines.append((f"budget: {budget['text']}", _value(budget), verdict))
    return lines


def _value(budget: dict[str, Any]) -> str:
    value = budget["value"]
    if value is None:
        return "-"
    if budget["measure"].endswith("_bytes"):
        return _mb(value) if value > 2**24 else _kb(value)
    if budget["measure"].startswith("ratio"):
        return f"{value:.2f}"
    return f"{value:.1f} s"
