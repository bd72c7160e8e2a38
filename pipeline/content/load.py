"""Stage 1, load: read everything, validate it, and report every problem at once.

Input: ``mkdocs.yml``, its ``docs_dir`` (``content/`` by default: articles in
``<docs_dir>/<lang>/``, info pages in ``<docs_dir>/pages/<lang>/``, the vocabulary in
``<docs_dir>/themes.yml``) and ``regions/`` (``<slug>.yml`` and the county's own pages in
``<slug>/<lang>/``).
Output: a frozen :class:`Project`, or :class:`~pipeline.problems.InvalidInput` listing every
problem as ``path:line: message``. Nothing is rendered from invalid input.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from pipeline.cache import BuildCache, digest
from pipeline.content.config import SiteConfig, load_config
from pipeline.content.models import (
    CLASSIFICATION_FIELDS,
    LANGUAGES,
    Area,
    Article,
    ArticleGroup,
    ArticleMeta,
    Document,
    Lang,
    Page,
    PageMeta,
    Region,
)
from pipeline.content.vocabulary import Vocabulary, load_vocabulary
from pipeline.content.yamlfile import line_of, parse_yaml, read_text, validation_problems
from pipeline.problems import InvalidInput, Problem, Problems, did_you_mean
from pipeline.sources.ptv.snapshot import Dataset, SnapshotError, load_current

M = TypeVar("M", bound=BaseModel)

FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)^---[ \t]*$\r?\n?", re.S | re.M)
SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
FENCE = re.compile(r"^\s*(```|~~~)")


@dataclass(frozen=True)
class Project:
    """Everything the later stages need, validated."""

    root: Path
    config: SiteConfig
    vocabulary: Vocabulary
    articles: dict[str, ArticleGroup]
    pages: dict[tuple[Lang, str], Page]
    """National info pages (accessibility statement, privacy...), by (language, id)."""
    areas: dict[str, Area]
    warnings: list[Any] = field(default_factory=list)
    services: Dataset = field(default_factory=Dataset)
    """The PTV services of the current snapshot (empty if there is none)."""

    @property
    def docs(self) -> Path:
        """The articles' folder, ``docs_dir`` of ``mkdocs.yml``."""
        return self.root / self.config.docs_dir


def revision_of(text: str) -> str:
    """A short, stable revision of a file's text (what translations refer to)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def _display(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def _split_front_matter(text: str, display: str, problems: Problems) -> tuple[Any, str, int] | None:
    """Return (front matter data, body, first body line) or record why not."""
    match = FRONT_MATTER.match(text)
    if not match:
        problems.error(display, 1, "the file must start with front matter between two '---' lines")
        return None
    data = parse_yaml(match.group(1), display, problems, first_line=2)
    if data is None:
        if not problems or problems[-1].path != display:
            problems.error(display, 2, "the front matter is empty")
        return None
    if not isinstance(data, dict):
        problems.error(display, 2, "the front matter must be a list of 'field: value' lines")
        return None
    body_line = text[: match.end()].count("\n") + 1
    return data, text[match.end() :], body_line


def _validate(
    model: type[M], data: Any, display: str, problems: Problems, context: dict[str, Any]
) -> M | None:
    try:
        return model.model_validate(data, context=context)
    except ValidationError as exc:
        validation_problems(exc, data, display, problems, first_line=2, model=model)
        return None


def _check_headings(body: str, body_line: int, display: str, problems: Problems) -> None:
    """The title is the page's only h1, so the text must not have a level-1 heading."""
    in_fence = False
    lines = body.splitlines()
    for number, line in enumerate(lines):
        if FENCE.match(line):
            in_fence = not in_fence
        if in_fence:
            continue
        setext = number + 1 < len(lines) and re.fullmatch(r"=+\s*", lines[number + 1] or "-")
        if re.match(r"^#(\s|$)", line) or (line.strip() and setext):
            problems.error(
                display,
                body_line + number,
                "the text has a level-1 heading; the title is the page's main heading, "
                "so start sections with '##'",
            )


def _read_document(
    path: Path, root: Path, lang: Lang, problems: Problems
) -> tuple[Any, Document] | None:
    display = _display(path, root)
    text = read_text(path, display, problems)
    if text is None:
        return None
    split = _split_front_matter(text, display, problems)
    if split is None:
        return None
    data, body, body_line = split
    slug = path.name.split(".", 1)[0]
    if not SLUG.match(slug):
        problems.error(
            display,
            None,
            f"the file name '{path.name}' must be lowercase letters a-z, digits and hyphens "
            "(it becomes the address of the page)",
        )
    _check_headings(body, body_line, display, problems)
    # The revision covers what a translator translates, so a new review date in the source
    # does not make its translations stale.
    translatable = "\n".join([str(data.get("title", "")), str(data.get("summary", "")), body])
    doc = Document(display, lang, slug, body, body_line, revision_of(translatable))
    return data, doc


def _raw_id(path: Path) -> str | None:
    """The id of a file whose front matter cannot be read, to spare its translations."""
    try:
        match = re.search(r"^id:\s*([a-z0-9-]+)\s*$", path.read_text("utf-8"), re.M)
    except (OSError, UnicodeDecodeError):
        return None
    return match.group(1) if match else None


def _text_or_empty(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return ""  # read again, and reported, by _read_document


def _read_article(
    path: Path, root: Path, lang: Lang, vocabulary: Vocabulary, problems: Problems
) -> tuple[Any, Article | None]:
    """One article file: its front matter data (None: unreadable) and the article (None:
    invalid)."""
    read = _read_document(path, root, lang, problems)
    if read is None:
        return None, None
    data, doc = read
    meta = _validate(ArticleMeta, data, doc.path, problems, {"vocabulary": vocabulary})
    return data, Article(meta, doc) if meta is not None else None


def _markdown_files(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.md")) if folder.is_dir() else []


ArticleMemo = dict[tuple[str, str, str], tuple[Any, "Article | None", tuple[Problem, ...]]]
"""What reading one article file gave, by (path, the SHA-256 of its text, vocabulary): its
front matter data, the article (None: invalid) and its problems. The preview keeps one between
saves; a build keeps one in the build cache (:func:`load_project`)."""
MEMO_KIND = "articles"
"""The build cache's kind for the articles read by the last build."""


def load_articles(
    content: Path,
    root: Path,
    vocabulary: Vocabulary,
    problems: Problems,
    memo: ArticleMemo | None = None,
) -> dict[str, ArticleGroup]:
    """Read ``<content>/<lang>/**/*.md`` and link the versions of each article by id. With
    ``memo``, a file whose text is the same as at an earlier load is not parsed again."""
    loaded: list[tuple[Article, Any]] = []
    invalid_sources: set[str] = set()
    words = digest(repr(vocabulary)) if memo is not None else ""
    used: set[tuple[str, str, str]] = set()
    for lang in LANGUAGES:
        for path in _markdown_files(content / lang):
            key = (path.as_posix(), digest(_text_or_empty(path)), words)
            used.add(key)
            if memo is not None and key in memo:
                data, article, found = memo[key]
                problems.extend(found)
            else:
                own = Problems()
                data, article = _read_article(path, root, lang, vocabulary, own)
                problems.extend(own)
                if memo is not None:
                    memo[key] = data, article, tuple(own)
            if article is not None:
                loaded.append((article, data))
            elif data is None:
                if lang == "fi" and (found_id := _raw_id(path)):
                    invalid_sources.add(found_id)
            elif lang == "fi" and not data.get("plain_language"):
                # Its translations are not orphans: the source is there, only invalid.
                invalid_sources.add(str(data.get("id")))
    if memo is not None:
        for gone in memo.keys() - used:  # files changed or removed since: not kept
            del memo[gone]
    where = _display(content, root)
    for folder in sorted(p for p in content.iterdir() if p.is_dir()) if content.is_dir() else []:
        if folder.name not in (*LANGUAGES, "pages"):
            problems.error(
                _display(folder, root),
                None,
                f"unknown language folder '{folder.name}'; articles go in {where}/fi, "
                f"{where}/sv or {where}/en",
            )
    return group_translations(loaded, problems, invalid_sources)


def group_translations(
    loaded: Iterable[tuple[Article, Any]],
    problems: Problems,
    invalid_sources: set[str] | None = None,
) -> dict[str, ArticleGroup]:
    """Link every version to its Finnish source by the shared id, checking the links."""
    loaded = list(loaded)
    versions: dict[str, dict[tuple[Lang, bool], Article]] = {}
    data_of: dict[str, Any] = {}
    for article, data in loaded:
        data_of[article.doc.path] = data
        key = (article.lang, article.plain)
        group = versions.setdefault(article.meta.id, {})
        if key in group:
            problems.error(
                article.doc.path,
                line_of(data, ("id",), 2),
                f"duplicate id '{article.meta.id}': {group[key].doc.path} already uses it "
                f"for the same language{' (plain language)' if article.plain else ''}",
            )
            continue
        group[key] = article
    sources = {gid for gid, group in versions.items() if ("fi", False) in group}
    groups: dict[str, ArticleGroup] = {}
    for gid, group in sorted(versions.items()):
        source = group.get(("fi", False))
        for (lang, plain), article in sorted(group.items()):
            data = data_of[article.doc.path]
            is_source = article is source
            if source is None and gid in (invalid_sources or set()):
                continue
            if source is None:
                problems.error(
                    article.doc.path,
                    line_of(data, ("id",), 2),
                    f"translation of a missing source: no Finnish article has the id "
                    f"'{gid}'.{did_you_mean(gid, sources)}",
                )
            elif plain and (lang, False) not in group:
                problems.error(
                    article.doc.path,
                    line_of(data, ("plain_language",), 2),
                    f"this plain-language version has no standard version in '{lang}' "
                    f"with the id '{gid}'",
                )
            for name in CLASSIFICATION_FIELDS:
                value = getattr(article.meta, name)
                if is_source and value in (None, []) and name != "services":
                    problems.error(
                        article.doc.path,
                        line_of(data, (name,), 2),
                        f"the required field '{name}' is missing",
                    )
                elif not is_source and name in data and source is not None:
                    problems.error(
                        article.doc.path,
                        line_of(data, (name,), 2),
                        f"'{name}' is set only in the Finnish article ({source.doc.path}); "
                        "remove it here, it is taken from there",
                    )
        if source is not None:
            groups[gid] = ArticleGroup(gid, source, dict(group))
    _check_unique_urls(groups, problems)
    return groups


def _check_unique_urls(groups: dict[str, ArticleGroup], problems: Problems) -> None:
    seen: dict[tuple[str, str, str], str] = {}
    for group in groups.values():
        for (lang, plain), article in group.versions.items():
            if plain:
                continue
            key = (lang, group.primary_theme, article.doc.slug)
            if key in seen:
                problems.error(
                    article.doc.path,
                    None,
                    f"the file name gives the same address as {seen[key]}; rename one of them",
                )
            seen[key] = article.doc.path


def load_pages(folder: Path, root: Path, problems: Problems) -> dict[tuple[Lang, str], Page]:
    """Read simple pages from ``<folder>/<lang>/*.md``."""
    pages: dict[tuple[Lang, str], Page] = {}
    if not folder.is_dir():
        return pages
    for sub in sorted(p for p in folder.iterdir() if p.is_dir()):
        if sub.name not in LANGUAGES:
            problems.error(
                _display(sub, root), None, f"unknown language folder '{sub.name}' (fi, sv or en)"
            )
    for lang in LANGUAGES:
        for path in _markdown_files(folder / lang):
            read = _read_document(path, root, lang, problems)
            if read is None:
                continue
            data, doc = read
            meta = _validate(PageMeta, data, doc.path, problems, {})
            if meta is None:
                continue
            if (lang, meta.id) in pages:
                problems.error(
                    doc.path,
                    line_of(data, ("id",), 2),
                    f"duplicate id '{meta.id}': {pages[(lang, meta.id)].doc.path} already uses it",
                )
                continue
            pages[(lang, meta.id)] = Page(meta, doc)
    return pages


def load_areas(
    root: Path, config: SiteConfig, problems: Problems, only: Iterable[str] | None = None
) -> dict[str, Area]:
    """Read ``regions/<slug>.yml`` and the county's pages in ``regions/<slug>/<lang>/``."""
    folder = root / "regions"
    files = sorted(folder.glob("*.yml")) if folder.is_dir() else []
    slugs = [p.stem for p in files]
    wanted = set(only) if only is not None else None
    if wanted is not None:
        for slug in sorted(wanted - set(slugs)):
            problems.error(
                f"regions/{slug}.yml", None, f"no such area '{slug}'.{did_you_mean(slug, slugs)}"
            )
    national_ids = {entry.id for entry in config.extra.national_help}
    areas: dict[str, Area] = {}
    for path in files:
        slug = path.stem
        if wanted is not None and slug not in wanted:
            continue
        display = _display(path, root)
        if not SLUG.match(slug):
            problems.error(display, None, "the file name must be lowercase a-z, 0-9 and hyphens")
        text = read_text(path, display, problems)
        data = parse_yaml(text, display, problems) if text is not None else None
        if data is None:
            continue
        try:
            region = Region.model_validate(data)
        except ValidationError as exc:
            validation_problems(exc, data, display, problems, model=Region)
            continue
        for index, hidden in enumerate(region.help.hide_national):
            if hidden not in national_ids:
                problems.error(
                    display,
                    line_of(data, ("help", "hide_national", index)),
                    f"help.hide_national: no national help number has the id '{hidden}'."
                    f"{did_you_mean(hidden, national_ids)}",
                )
        pages = load_pages(folder / slug, root, problems)
        areas[slug] = Area(slug, region, pages)
    if folder.is_dir():
        for sub in sorted(p for p in folder.iterdir() if p.is_dir()):
            if sub.name not in slugs:
                problems.error(
                    _display(sub, root),
                    None,
                    f"pages for an unknown area: there is no regions/{sub.name}.yml",
                )
    return areas


def load_project(
    root: Path,
    only_areas: Iterable[str] | None = None,
    services: Dataset | None = None,
    memo: ArticleMemo | None = None,
) -> Project:
    """Load and validate everything; raise InvalidInput with all problems if any is an error.

    ``services`` reuses an already loaded PTV dataset and ``memo`` the articles read before
    (the preview reloads content on every save).
    """
    problems = Problems()
    config = load_config(root, problems)
    docs = root / config.docs_dir
    vocabulary = load_vocabulary(root, docs)
    cache = BuildCache(root)
    kept = _kept_memo(cache) if memo is None else None
    articles = load_articles(docs, root, vocabulary, problems, memo if kept is None else kept[0])
    if kept is not None and kept[0] != kept[1]:
        cache.put(MEMO_KIND, cache.key(MEMO_KIND), kept[0])
    pages = load_pages(docs / "pages", root, problems)
    areas = load_areas(root, config, problems, only_areas)
    if not articles and not problems.errors:
        problems.error(_display(docs / "fi", root), None, "there are no Finnish articles to build")
    if services is None:
        services = load_services(root, config, problems, cache)
    check_overrides(root, areas, articles, services, problems)
    if problems.errors:
        raise InvalidInput(problems, "the input")
    return Project(
        root, config, vocabulary, articles, pages, areas, list(problems.warnings), services
    )


def _kept_memo(cache: BuildCache) -> tuple[ArticleMemo, ArticleMemo] | None:
    """The articles the last build read, from the build cache (None without it): the memo to
    read with, and a copy as it was (kept again only when reading changed it)."""
    if not cache.on:
        return None
    found = cache.get(MEMO_KIND, cache.key(MEMO_KIND))
    memo: ArticleMemo = found if isinstance(found, dict) else {}
    return memo, dict(memo)


def load_services(
    root: Path, config: SiteConfig, problems: Problems, cache: BuildCache | None = None
) -> Dataset:
    """The current PTV snapshot (or the newest good one, with a warning, if the current one
    cannot be read); without any the sites build without services, with a warning. With a
    build ``cache``, a snapshot read before is not read again."""
    folder = root / config.extra.ptv.snapshots
    try:
        dataset = load_current(folder, cache)
    except SnapshotError as exc:
        # Publishing every site without its services would look like a night of closures.
        problems.error(
            config.extra.ptv.snapshots,
            None,
            f"no PTV snapshot can be read: {exc}; nothing was built (the sites stay as they were)",
        )
        return Dataset()
    if dataset is not None and dataset.fallback:
        problems.warning(config.extra.ptv.snapshots, None, f"PTV: {dataset.fallback}")
    if dataset is None:
        problems.warning(
            config.extra.ptv.snapshots,
            None,
            "no PTV snapshot: the sites show no services (run 'perhekeskus fetch ptv --all')",
        )
        return Dataset()
    problems.extend(dataset.problems)
    return dataset


def check_overrides(
    root: Path,
    areas: dict[str, Area],
    articles: dict[str, ArticleGroup],
    services: Dataset,
    problems: Problems,
) -> None:
    """Pins and hides in ``regions/<slug>.yml`` name real articles and (warning) known services."""
    for slug, area in areas.items():
        display = f"regions/{slug}.yml"
        overrides = area.region.services
        entries: list[tuple[str, int, str | None, str]] = [
            ("pin", i, p.article, p.service) for i, p in enumerate(overrides.pin)
        ]
        entries += [("hide", i, h.article, h.service) for i, h in enumerate(overrides.hide)]
        if not entries:
            continue
        data = parse_yaml(read_text(root / display, display, Problems()) or "", display, Problems())
        for kind, index, article, service in entries:
            if article is not None and article not in articles:
                problems.error(
                    display,
                    line_of(data, ("services", kind, index, "article")),
                    f"services.{kind}: no article has the id '{article}'."
                    f"{did_you_mean(article, articles)}",
                )
            if services.snapshot and service not in services.services:
                problems.warning(
                    display,
                    line_of(data, ("services", kind, index, "service")),
                    f"services.{kind}: PTV service {service} is not in the current snapshot "
                    "(removed from PTV, or a typo in the id)",
                )
