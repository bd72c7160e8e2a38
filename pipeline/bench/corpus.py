"""The scale corpus: a complete project tree at national scale, for the benchmark.

Input: the project (``mkdocs.yml``, ``content/``, ``regions/``, ``themes/``, ``data/``,
``search/``), the words of ``data/bench/corpus.yml``, the PTV sample of
``scripts/ptv_sample.py`` and the events sample of ``scripts/generate_events_sample.py``, and
the sizes (:class:`Sizes`). Output: a folder that ``perhekeskus --root DIR build`` builds:

- the project's files copied, with its committed articles (county overrides name them);
- more articles in fi, sv and en up to ``articles`` standard articles per language, and
  plain-language versions (Finnish selkokieli, Swedish lättläst) up to ``plain`` in all. Each
  new article is made of a committed article's texts in the same language (paragraphs, lists,
  headings: realistic length and words for the search index), a link to another article, a
  table now and then; its filters are those of a committed Finnish article, so they are valid
  and match services as real ones do;
- ``snapshots/ptv/``: the PTV sample with each county's services copied (new ids, names with a
  variant) up to ``services`` per county, joined to the same channels and organisations, and
  fetched through the stand-in of the v11 API with the real fetch, like the committed snapshot;
- ``snapshots/events/``: the events sample plus a calendar (ICS feed) of ``events`` items for
  every county, in its own towns.

Everything is seeded: the same sizes give the same bytes. The corpus is never committed.
"""

from __future__ import annotations

import copy
import csv
import importlib
import random
import re
import shutil
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import yaml

from pipeline.bench.sizes import Sizes
from pipeline.content.load import FRONT_MATTER, revision_of

REPO = Path(__file__).resolve().parents[2]
WORDS = REPO / "data" / "bench" / "corpus.yml"
COPIED = ("mkdocs.yml", "content", "regions", "themes", "data", "search")
"""What the corpus takes from the project as it is (``snapshots/`` it writes itself)."""
SEED = "perhekeskus-bench-1"
NAMESPACE = uuid.UUID("8f4f0c2e-1b7a-5d3c-9e21-6a0b3c4d5e6f")
LANGS = ("fi", "sv", "en")
PLAIN_LANGS = ("fi", "sv")
"""Plain language is Finnish selkokieli and Swedish lättläst; two in three are Finnish."""
PLAIN_SUFFIX = {"fi": "selko", "sv": "lattlast"}
FETCHED_AT = datetime(2026, 11, 20, 2, 0, 0, tzinfo=UTC)
REVIEW_DATE = date(2027, 6, 30)
REVIEWED = date(2026, 11, 24)
CLASSIFICATION = ("themes", "life_stages", "audience", "services", "owner")


@dataclass(frozen=True)
class Source:
    """A committed article: what a generated one borrows."""

    id: str
    slug: str
    data: dict[str, Any]
    blocks: tuple[str, ...]
    """Paragraphs and lists of the body, without links, HTML or admonitions."""
    headings: tuple[str, ...]
    tables: tuple[str, ...]


# --- reading the committed articles -------------------------------------------------------------


def _plain(value: Any) -> Any:
    """Parsed YAML as plain dicts, lists and scalars (for yaml.safe_dump)."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, str):
        return str(value)
    return value


UNSAFE_BLOCK = re.compile(r"\]\(|<|\{|^\s*(?:!!!|\?\?\?|\*\[|\[\^|>|    )", re.M)
"""A block that links, holds HTML or attributes, is an admonition, abbreviation, footnote,
quote or indented: left out, so a copied block cannot break a link or the page's structure."""


def _split_body(body: str) -> tuple[list[str], list[str], list[str]]:
    blocks, headings, tables = [], [], []
    for block in (b.strip() for b in re.split(r"\n\s*\n", body)):
        if block.startswith("## ") and "\n" not in block:
            headings.append(block[3:].strip())
        elif block.startswith("|") and not re.search(r"\]\(|<", block):
            tables.append(block)
        elif block and not block.startswith("#") and not UNSAFE_BLOCK.search(block):
            blocks.append(block)
    return blocks, headings, tables


def read_sources(content: Path, lang: str, plain: bool) -> list[Source]:
    """The committed articles of one language (standard or plain), in file order."""
    found = []
    for path in sorted((content / lang).glob("*.md")):
        text = path.read_text(encoding="utf-8")
        match = FRONT_MATTER.match(text)
        if not match:
            continue
        data = _plain(yaml.safe_load(match.group(1)))
        if bool(data.get("plain_language")) != plain:
            continue
        blocks, headings, tables = _split_body(text[match.end() :])
        slug = path.name.split(".", 1)[0]
        found.append(
            Source(str(data["id"]), slug, data, tuple(blocks), tuple(headings), tuple(tables))
        )
    return found


# --- writing articles -----------------------------------------------------------------------


@dataclass(frozen=True)
class NewArticle:
    id: str
    slug: str
    title: str
    base: Source


def _in(words: dict[str, Any], lang: str) -> dict[str, Any]:
    """The words of one language."""
    return {key: words[key][lang] for key in ("see_also", "tables")}


class Quoted(str):
    """A string written in quotes: YAML 1.2 reads a revision such as ``123e4567`` as a number."""


class _Dumper(yaml.SafeDumper):  # type: ignore[misc]  # PyYAML has no types here
    pass


_Dumper.add_representer(
    Quoted, lambda dumper, value: dumper.represent_scalar("tag:yaml.org,2002:str", value, '"')
)


def _front(data: dict[str, Any]) -> str:
    dumped = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=10_000)
    return str(dumped)


def _table(words: dict[str, Any], rng: random.Random) -> str:
    rows = rng.sample(words["rows"], 3)
    lines = ["| " + " | ".join(words["header"]) + " |", "|" + " --- |" * 3]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def article_body(
    base: Source, pool: list[Source], link: NewArticle | None, words: dict[str, Any], key: str
) -> str:
    """A body of 3 to 6 sections of the base's (and its neighbours') blocks, with a link to
    ``link`` and, in one article in five, a table."""
    rng = random.Random(f"{SEED}:body:{key}")
    own = list(base.blocks) or [b for s in pool for b in s.blocks][:20]
    others = [b for s in rng.sample(pool, min(3, len(pool))) for b in s.blocks]
    headings = list(base.headings) + [h for s in pool[:10] for h in s.headings]
    parts = [own[0]]
    for section in range(rng.randint(3, 6)):
        parts.append("## " + headings[(section + rng.randrange(len(headings))) % len(headings)])
        parts += rng.sample(own + others, min(len(own + others), rng.randint(1, 3)))
        if section == 1 and link is not None:
            sentence = rng.choice(words["see_also"])
            parts.append(sentence.format(link=f"[{link.title}]({link.slug}.md)"))
        if section == 2 and rng.random() < 0.2:
            parts.append(_table(words["tables"], rng))
    return "\n\n".join(_unique_headings(parts)) + "\n"


def _unique_headings(parts: list[str]) -> Iterator[str]:
    """Headings as given, but a repeated one is left out with its section's first block kept."""
    seen: set[str] = set()
    for part in parts:
        if part.startswith("## "):
            if part in seen:
                continue
            seen.add(part)
        yield part


def plan_articles(
    sources: dict[str, list[Source]], count: int, words: dict[str, Any]
) -> dict[str, list[NewArticle]]:
    """The new standard articles of each language: ids shared across languages, the i-th new
    article of every language made from the same committed article where it has one."""
    plan: dict[str, list[NewArticle]] = {}
    fi = sources["fi"]
    for lang in LANGS:
        by_id = {s.id: s for s in sources[lang]}
        qualifiers = words["title_qualifiers"][lang]
        new = []
        for index in range(max(0, count - len(sources[lang]))):
            origin = fi[index % len(fi)]
            base = by_id.get(origin.id) or sources[lang][index % len(sources[lang])]
            qualifier = qualifiers[(index // len(fi)) % len(qualifiers)]
            title = f"{base.data['title']}: {qualifier}"
            new.append(NewArticle(f"bench-{index:04d}", f"{base.slug}-{index + 1}", title, base))
        plan[lang] = new
    return plan


def write_articles(root: Path, sizes: Sizes, words: dict[str, Any]) -> int:
    """Write the new articles and plain versions into ``root/content``; how many."""
    content = root / "content"
    sources = {lang: read_sources(content, lang, plain=False) for lang in LANGS}
    plan = plan_articles(sources, sizes.articles, words)
    revisions: dict[str, str] = {}
    written = 0
    for lang in LANGS:
        new = plan[lang]
        for index, article in enumerate(new):
            link = new[(index * 7 + 3) % len(new)] if len(new) > 1 else None
            body = article_body(
                article.base, sources[lang], link, _in(words, lang), f"{lang}:{index}"
            )
            summary = str(article.base.data.get("summary") or article.title)
            data: dict[str, Any] = {"id": article.id, "title": article.title, "summary": summary}
            if lang == "fi":
                data |= {k: article.base.data[k] for k in CLASSIFICATION if k in article.base.data}
                revisions[article.id] = revision_of("\n".join([article.title, summary, body]))
            data |= {"review_date": REVIEW_DATE, "reviewed": REVIEWED}
            if article.base.data.get("sources"):
                data["sources"] = article.base.data["sources"]
            if lang != "fi" and article.id in revisions:
                data["source_revision"] = Quoted(revisions[article.id])
            _write_markdown(content / lang / f"{article.slug}.md", data, body)
            written += 1
    written += _write_plain(content, sources, plan, sizes, words)
    return written


def _write_plain(
    content: Path,
    sources: dict[str, list[Source]],
    plan: dict[str, list[NewArticle]],
    sizes: Sizes,
    words: dict[str, Any],
) -> int:
    committed = sum(len(read_sources(content, lang, plain=True)) for lang in LANGS)
    wanted = max(0, sizes.plain - committed)
    # A plain version needs a new standard one of its language to go with.
    fi = min(wanted - wanted // 3, len(plan["fi"]))
    shares = {"fi": fi, "sv": min(wanted - fi, len(plan["sv"]))}
    if sum(shares.values()) < wanted:
        raise CorpusFailed(
            f"{sizes.plain} plain-language versions need more new articles: give --articles "
            f"more than {sizes.articles}, or --plain at most {committed + sum(shares.values())}"
        )
    written = 0
    for lang in PLAIN_LANGS:
        pool = read_sources(content, lang, plain=True) or sources[lang]
        for index, article in enumerate(plan[lang][: shares[lang]]):
            base = pool[index % len(pool)]
            body = article_body(base, pool, None, _in(words, lang), f"plain:{lang}:{index}")
            data = {
                "id": article.id,
                "title": article.title,
                "summary": str(base.data.get("summary") or article.title),
                "plain_language": True,
                "review_date": REVIEW_DATE,
                "reviewed": REVIEWED,
            }
            path = content / lang / f"{article.slug}.{PLAIN_SUFFIX[lang]}.md"
            _write_markdown(path, data, body)
            written += 1
    return written


def _write_markdown(path: Path, data: dict[str, Any], body: str) -> None:
    path.write_text(f"---\n{_front(data)}---\n\n{body}", encoding="utf-8")


# --- PTV ----------------------------------------------------------------------------------------


def _scripts() -> None:
    """The sample generators are scripts of the project (``scripts/``), not of the package."""
    for folder in (REPO, REPO / "scripts"):
        if str(folder) not in sys.path:
            sys.path.insert(0, str(folder))


def scaled_sample(root: Path, per_county: int, words: dict[str, Any]) -> Any:
    """The PTV sample with each county's services copied up to ``per_county``."""
    _scripts()
    ptv_sample = importlib.import_module("ptv_sample")

    from pipeline.testing import ptv_objects as v11

    sample = ptv_sample.Sample(ptv_sample.Data(root))
    ptv_sample.build_national(sample)
    for area in sample.data.areas:
        ptv_sample.AreaContent(sample, area).build()
    channels = {channel["id"]: channel for channel in sample.channels}
    by_area: dict[str, list[dict[str, Any]]] = {}
    for service in sample.services:
        by_area.setdefault(sample.area_of[service["id"]], []).append(service)
    for area, services in sorted(by_area.items()):
        if area == "national":
            continue
        originals = list(services)
        for index in range(max(0, per_county - len(originals))):
            original = originals[index % len(originals)]
            sample.services.append(
                _copy_service(original, area, index, channels, words, v11.connect)
            )
    v11.link_derived(sample.services, sample.channels, sample.organizations)
    return sample


def _copy_service(
    original: dict[str, Any],
    area: str,
    index: int,
    channels: dict[str, dict[str, Any]],
    words: dict[str, Any],
    connect: Any,
) -> dict[str, Any]:
    """A new service like ``original``: a new id, its names with a variant, the same channels."""
    service = copy.deepcopy(original)
    service["id"] = str(uuid.uuid5(NAMESPACE, f"service:{area}:{index}:{original['id']}"))
    variants = words["service_variants"]
    for name in service["serviceNames"]:
        lang = name["language"] if name["language"] in variants else "fi"
        choices = variants[lang]
        name["value"] = f"{name['value']}: {choices[index % len(choices)]} {index // 10 + 1}"
    linked = original["serviceChannels"]
    if linked is not None:
        service["serviceChannels"] = []
        for link in linked:
            channel = channels.get(link["serviceChannel"]["id"])
            if channel is not None:
                connect(service, channel, link["modified"])
    return service


def write_ptv(root: Path, per_county: int, words: dict[str, Any]) -> str:
    """Serve the scaled sample from the v11 stand-in and fetch it into ``root``'s PTV store
    with the real fetch stage and a fixed clock (``scripts/generate_ptv_snapshot.py``)."""
    from pipeline.content.config import load_config
    from pipeline.content.load import load_areas
    from pipeline.problems import Problems
    from pipeline.sources.ptv.fetch import Fetcher
    from pipeline.sources.ptv.source import V11Source
    from pipeline.testing.fake_ptv import FakePtv

    problems = Problems()
    config = load_config(root, problems)
    areas = load_areas(root, config, problems)
    if problems.errors:
        raise CorpusFailed("\n".join(map(str, problems.errors)))
    target = root / config.extra.ptv.snapshots
    sample = scaled_sample(root, per_county, words)
    fake = FakePtv(sample.services, sample.channels, sample.organizations)
    municipalities = sorted({m.code for a in areas.values() for m in a.region.municipalities})
    with fake.serve() as url:
        source = V11Source(
            url,
            clock=lambda: FETCHED_AT,
            nationwide_probe=config.extra.ptv.nationwide_probe,
            record_as=config.extra.ptv.url,
        )
        fetcher = Fetcher(source, target, clock=lambda: FETCHED_AT, workers=1, synthetic=True)
        result = fetcher.run(municipalities, "full", all_areas=True)
    (target / ".lock").unlink(missing_ok=True)
    return (
        f"{result.services} services, {result.channels} channels, "
        f"{result.organisations} organisations"
    )


# --- events -----------------------------------------------------------------------------------


def _towns(root: Path) -> dict[str, list[dict[str, str]]]:
    towns: dict[str, list[dict[str, str]]] = {}
    with open(root / "data" / "sample" / "towns.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            towns.setdefault(row["area"], []).append(row)
    return towns


def _ics_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;")


def county_calendar(
    slug: str, towns: list[dict[str, str]], count: int, words: dict[str, Any]
) -> str:
    """An iCalendar feed of ``count`` events in the county's towns, from 20 November 2026."""
    rng = random.Random(f"{SEED}:ics:{slug}")
    lines = [
        "BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:-//{slug}//Perhekeskus bench//FI",
        "CALSCALE:GREGORIAN", "X-WR-TIMEZONE:Europe/Helsinki",
    ]  # fmt: skip
    for index in range(count):
        event = words["events"][index % len(words["events"])]
        town = towns[index % len(towns)]
        day = date(2026, 11, 21) + timedelta(days=rng.randrange(55))
        start = datetime(day.year, day.month, day.day, rng.choice((9, 10, 13, 17, 18)), 0)
        end = start + timedelta(hours=rng.choice((1, 2)))
        lines += [
            "BEGIN:VEVENT",
            f"UID:bench-{index}@tapahtumat.{slug}.example",
            "DTSTAMP:20261101T080000Z",
            f"DTSTART;TZID=Europe/Helsinki:{start:%Y%m%dT%H%M%S}",
            f"DTEND;TZID=Europe/Helsinki:{end:%Y%m%dT%H%M%S}",
            *(["RRULE:FREQ=WEEKLY;COUNT=6"] if event["weekly"] else []),
            f"SUMMARY:{_ics_escape(event['summary'])}",
            f"DESCRIPTION:{_ics_escape(event['description'])}",
            "LOCATION:" + _ics_escape(
                f"{event['place']}, {event['street']}, {town['postal_code']} {town['place']}"
            ),
            f"GEO:{town['lat']};{town['lon']}",
            f"URL:https://tapahtumat.{slug}.example/bench-{index}",
            "END:VEVENT",
        ]  # fmt: skip
    lines.append("END:VCALENDAR")
    return "\r\n".join(lines) + "\r\n"


def write_events(root: Path, count: int, words: dict[str, Any]) -> str:
    """The events sample and a calendar per county, in the store's layout
    (``scripts/generate_events_sample.py``)."""
    _scripts()
    sample = importlib.import_module("generate_events_sample")

    from pipeline.sources.base import Answer
    from pipeline.sources.events.snapshot import read_raw
    from pipeline.sources.store import Store

    answers = sample.answers()
    towns = _towns(root)
    for area, slug in sorted(sample.counties().items()):
        text = county_calendar(slug, towns[area], count, words)
        url = f"https://tapahtumat.{slug}.example/bench.ics"
        answers.append(Answer(url, 200, text, FETCHED_AT, "ics", "items", f"{slug}:bench"))
    out = root / "snapshots" / "events"
    store = Store(out)
    with store.locked():
        writer = store.writer(
            source="events", base_url="(per county feed)", mode="full",
            started=FETCHED_AT, sample=True,
        )  # fmt: skip
        for answer in answers:
            writer.add(answer)
        writer.commit(FETCHED_AT, read_raw)
    (out / ".lock").unlink(missing_ok=True)
    return f"{len(answers)} feeds"


# --- the whole corpus ---------------------------------------------------------------------------


class CorpusFailed(Exception):
    """The corpus could not be written; the message says why."""


def write_corpus(target: Path, sizes: Sizes, source: Path = REPO) -> list[str]:
    """Write the corpus into the new or empty folder ``target``; one line per part written."""
    if target.exists() and any(target.iterdir()):
        raise CorpusFailed(f"{target} is not empty; give a new folder")
    words = yaml.safe_load(WORDS.read_text(encoding="utf-8"))
    target.mkdir(parents=True, exist_ok=True)
    for name in COPIED:
        if (source / name).is_dir():
            shutil.copytree(source / name, target / name)
        else:
            shutil.copy2(source / name, target / name)
    lines = [f"articles: {write_articles(target, sizes, words)} written"]
    lines.append(f"PTV: {write_ptv(target, sizes.services, words)}")
    lines.append(f"events: {write_events(target, sizes.events, words)}")
    return lines
