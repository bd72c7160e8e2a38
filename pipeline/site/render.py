"""Stage 2, render once: Markdown to HTML once per language, each national page once.

Input: a loaded :class:`~pipeline.content.load.Project`.
Output: a :class:`NationalRender`, the list of every national page as HTML with slot markers
(``<!--slot:help-->``...) wherever a county differs, plus the problems found while rendering
(a link to an article that does not exist). The county's own pages are rendered here too, on
request of the specialise stage, in the same page shell.
"""

from __future__ import annotations

import functools
import posixpath
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from html import unescape
from pathlib import Path
from typing import Any

import markdown
import nh3
from babel.support import NullTranslations
from jinja2 import (
    BytecodeCache,
    Environment,
    FileSystemBytecodeCache,
    FileSystemLoader,
    StrictUndefined,
    UndefinedError,
    select_autoescape,
)
from jinja2.bccache import Bucket
from markdown.extensions.nl2br import BR_RE
from markdown.inlinepatterns import SubstituteTagInlineProcessor
from markupsafe import Markup

from pipeline.cache import BuildCache, code, digest, digest_tree
from pipeline.cache import enabled as cache_enabled
from pipeline.content.load import Project
from pipeline.content.models import LANGUAGES, Area, Article, ArticleGroup, Document, Lang, Page
from pipeline.content.translations import is_stale
from pipeline.deploy.fingerprint import fingerprints
from pipeline.problems import InvalidInput, Problem, Problems
from pipeline.site import urls
from pipeline.site.i18n import format_date, load_translations
from pipeline.site.search import (
    CompoundSplitter,
    CrisisVocabulary,
    load_abbreviations,
    search_terms,
)
from pipeline.site.slots import marker

LANGUAGE_NAMES = {"fi": "Suomeksi", "sv": "På svenska", "en": "In English"}
COVER_TRACKS = "cover-your-tracks"
"""The id of the info page on covering your tracks, linked from the exit bar (and exited from)."""
MD_LINK = re.compile(r'href="(?![a-z][a-z0-9+.-]*:|/|#)([^"#?]+\.md)(#[^"]*)?"')
CONTENTS_FROM = 4
"""An article with this many ``##`` sections or more gets a contents list after its summary."""


# What the Markdown dialect produces (admonitions, details, tables, footnotes, abbreviations,
# definition lists, task lists, highlighted code). Raw HTML in a file is cut back to this, so
# a pasted snippet cannot bring scripts, styles, frames or event handlers onto a page.
ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "dd", "del", "details", "div",
    "dl", "dt", "em", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "input", "ins", "kbd",
    "li", "mark", "ol", "p", "pre", "s", "small", "span", "strong", "sub", "summary", "sup",
    "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "*": {"class", "id", "lang", "title", "dir"},
    "a": {"href", "hreflang"},
    "img": {"src", "alt", "width", "height"},
    "td": {"data-label", "colspan", "rowspan", "align"},
    "th": {"scope", "colspan", "rowspan", "align"},
    "input": {"type", "checked", "disabled"},
    "details": {"open"},
    "ol": {"start"},
}


def sanitise(html: str) -> str:
    """Keep only the HTML the Markdown dialect makes (see ``ALLOWED_TAGS``)."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto", "tel"},
        link_rel=None,
        strip_comments=True,
    )


@dataclass(frozen=True)
class PageInfo:
    """What the specialise and publish stages need to know of a rendered page."""

    url: str
    """Folder of the page inside a site ("fi/raskaus/aitiysneuvola/"); "" for the root."""
    lang: Lang
    kind: str
    """home, theme, article, info, area, root or 404."""
    title: str
    alternates: dict[Lang, str] = field(default_factory=dict)
    """The same page in each language that has it (for ``hreflang``), itself included."""
    article_id: str | None = None

    @property
    def output_path(self) -> str:
        # A 404 page lies in its folder ("fi/404.html"; "404.html" at the root of the site).
        return f"{self.url}404.html" if self.kind == "404" else f"{self.url}index.html"


@dataclass(frozen=True)
class RenderedPage:
    info: PageInfo
    html: str


@dataclass
class NationalRender:
    pages: list[RenderedPage]
    problems: Problems


def create_environment(
    theme_dir: str,
    translations: NullTranslations,
    assets: Mapping[str, str] | None = None,
    bytecode_cache: BytecodeCache | None = None,
) -> Environment:
    """The Jinja2 environment of one language: the theme's templates and its catalogue.
    ``asset('style.css')`` gives an asset's fingerprinted path in the site (``assets``, from
    :func:`pipeline.deploy.fingerprint.fingerprints`)."""
    env = Environment(
        loader=FileSystemLoader(theme_dir),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.i18n"],
        bytecode_cache=bytecode_cache,
    )
    env.install_gettext_translations(translations, newstyle=True)  # type: ignore[attr-defined]  # added by jinja2.ext.i18n
    env.globals["slot"] = marker
    env.globals["asset"] = functools.partial(_asset, dict(assets or {}))
    return env


class _InMemory(BytecodeCache):
    """Compiled templates kept for this process only."""

    def __init__(self) -> None:
        self.data: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        if bucket.key in self.data:
            bucket.bytecode_from_string(self.data[bucket.key])

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.data[bucket.key] = bucket.bytecode_to_string()


def bytecode_cache(root: Path) -> BytecodeCache:
    """Templates compiled once and shared by the environments of every language: on disk in
    the build cache (Jinja checks each template's source; the folder is per version of the
    generator, which sets the environments' options), or for this process when it is off."""
    if not cache_enabled():
        return _InMemory()
    folder = root / ".cache" / "build" / f"jinja-{code()[:16]}"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return _InMemory()
    return FileSystemBytecodeCache(str(folder))


def _asset(names: Mapping[str, str], name: str) -> str:
    """The published path of a file of the theme's ``assets/``; a name that is not there is a
    mistake in the template, said in words."""
    if name not in names:
        raise UndefinedError(f"asset({name!r}): no such file in the theme's assets/")
    return names[name]


class Renderer:
    """Renders the national pages once, and a county's own pages in the same shell."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self.vocabulary = project.vocabulary
        theme_dir = str(project.root / project.config.theme.custom_dir)
        self.theme_dir = theme_dir
        assets = fingerprints(Path(theme_dir) / "assets")
        # Keyed by language code: the other stages look them up with the page's language.
        self.translations: dict[str, NullTranslations] = {
            lang: load_translations(Path(theme_dir), lang) for lang in LANGUAGES
        }
        compiled = bytecode_cache(project.root)
        self.envs: dict[str, Environment] = {
            lang: create_environment(theme_dir, self.translations[lang], assets, compiled)
            for lang in LANGUAGES
        }
        names, configs = project.config.extension_names_and_configs()
        problems = Problems()
        try:
            self.md = markdown.Markdown(extensions=names, extension_configs=configs)
        except Exception as exc:  # an unknown extension or bad setting in mkdocs.yml
            problems.error("mkdocs.yml", None, f"markdown_extensions: {exc}")
            raise InvalidInput(problems, "mkdocs.yml") from None
        self._doc_urls = self._urls_of_documents()
        self._plain_urls = self._plain_urls_of_documents()

    @cached_property
    def splitter(self) -> CompoundSplitter:
        return CompoundSplitter()

    @cached_property
    def crisis(self) -> CrisisVocabulary:
        return CrisisVocabulary.load(self.project.root / "search" / "crisis.yml")

    def class_labels(self, codes: Iterable[str], lang: str) -> list[str]:
        """The names of PTV service classes in a language (search terms of a page)."""
        known = self.vocabulary.service_classes
        return [known[c].name.get(lang) for c in codes if c in known]

    def search_terms_of(self, group: ArticleGroup, article: Article) -> str:
        """Index-only terms: the service class names in the page's language, and for Finnish
        pages the article's keywords (written in Finnish) and compound parts."""
        filters = group.source.meta.services
        extra = self.class_labels(filters.service_classes if filters else [], article.lang)
        if article.lang == "fi" and filters:
            extra += filters.keywords
        extra += article.meta.search_keywords
        extra += self.crisis.terms_of(group.id, article.lang)
        texts = [article.meta.title, article.meta.summary, article.doc.body]
        return search_terms(texts, article.lang, self.splitter, extra)

    def translate(self, lang: str, message: str, **values: str) -> str:
        """Interface text in a language, with %(name)s placeholders filled."""
        text = self.translations[lang].gettext(message)
        return text % values if values else text

    # --- addresses ----------------------------------------------------------------------

    def article_url(self, group: ArticleGroup, lang: Lang, plain: bool = False) -> str | None:
        return urls.article(lang, group, self.vocabulary, plain)

    def page_url(self, page: Page) -> str:
        return urls.info_page(page.doc.lang, page.meta.slug or page.doc.slug)

    def _urls_of_documents(self) -> dict[str, str]:
        """The address of every article file, to resolve writers' links to ``other.md``."""
        found: dict[str, str] = {}
        for group in self.project.articles.values():
            for (lang, plain), article in group.versions.items():
                url = self.article_url(group, lang, plain)
                if url:
                    found[article.doc.path] = url
        for page in self.project.pages.values():
            found[page.doc.path] = self.page_url(page)
        return found

    def _plain_urls_of_documents(self) -> dict[str, str]:
        """The easy language version of every standard article that has one, by the standard
        file's path: a link from a plain page to ``other.md`` goes to its plain version."""
        found: dict[str, str] = {}
        for group in self.project.articles.values():
            for (lang, plain), article in group.versions.items():
                url = self.article_url(group, lang, plain=True)
                if not plain and url:
                    found[article.doc.path] = url
        return found

    # --- Markdown -------------------------------------------------------------------------

    def markdown(
        self, doc: Document, page_url: str, problems: Problems, plain: bool = False
    ) -> Markup:
        """Convert a document's body once, resolving links to other Markdown files.

        In an easy language version (``plain``) each line the writer started is kept as a line
        (``<br>``, Python-Markdown's nl2br), and links to articles go to their plain versions
        where those exist."""
        self.md.reset()
        if plain:
            self.md.inlinePatterns.register(SubstituteTagInlineProcessor(BR_RE, "br"), "nl", 5)
        try:
            html = self.md.convert(doc.body)
        finally:
            if plain:
                self.md.inlinePatterns.deregister("nl")
        folder = posixpath.dirname(doc.path)

        def resolve(match: re.Match[str]) -> str:
            target = posixpath.normpath(posixpath.join(folder, match.group(1)))
            url = (plain and self._plain_urls.get(target)) or self._doc_urls.get(target)
            if url is None:
                line = _line_of_link(doc, match.group(1))
                problems.error(
                    doc.path,
                    line,
                    f"the link '{match.group(1)}' points to a file that does not exist",
                )
                return match.group(0)
            return f'href="{urls.root_of(page_url)}{url}{match.group(2) or ""}"'

        return Markup(sanitise(MD_LINK.sub(resolve, html)))

    def contents(self) -> list[dict[str, str]]:
        """The ``##`` sections of the document converted last (the toc extension's ids), when
        there are at least ``CONTENTS_FROM`` of them; otherwise none."""
        tokens = getattr(self.md, "toc_tokens", [])
        sections = [
            {"id": t["id"], "title": unescape(nh3.clean(t["name"], tags=set()))}
            for t in tokens
            if t["level"] == 2
        ]
        return sections if len(sections) >= CONTENTS_FROM else []

    # --- shared page context --------------------------------------------------------------

    @cached_property
    def _theme_items(self) -> dict[str, list[dict[str, str]]]:
        return {
            lang: [
                {
                    "id": theme.id,
                    "url": urls.theme(lang, theme),
                    "name": theme.text(lang).name,
                    "description": theme.text(lang).description,
                }
                for theme in self.vocabulary.themes.values()
            ]
            for lang in LANGUAGES
        }

    @cached_property
    def _info_links(self) -> dict[str, list[dict[str, str]]]:
        pages = sorted(self.project.pages.values(), key=lambda p: (p.meta.order, p.meta.title))
        return {
            lang: [
                {"url": self.page_url(p), "title": p.meta.title}
                for p in pages
                if p.doc.lang == lang
            ]
            for lang in LANGUAGES
        }

    @cached_property
    def _cover_tracks_urls(self) -> dict[str, str]:
        """The page on covering your tracks in each language that has one."""
        return {
            p.doc.lang: self.page_url(p)
            for p in self.project.pages.values()
            if p.meta.id == COVER_TRACKS
        }

    def context(
        self, url: str, lang: str, kind: str, title: str, switch: Mapping[Lang, str]
    ) -> dict[str, Any]:
        return {
            "lang": lang,
            "root": urls.root_of(url),
            "kind": kind,
            "page_title": title,
            "description": "",
            "themes": self._theme_items[lang],
            "info_links": self._info_links[lang],
            "languages": [
                {
                    "lang": other,
                    "label": LANGUAGE_NAMES[other],
                    "url": switch.get(other, urls.home(other)),
                    "current": other == lang,
                }
                for other in LANGUAGES
            ],
            "quick_exit": False,
            "quick_exit_url": self.project.config.extra.quick_exit_url,
            "cover_tracks_url": self._cover_tracks_urls.get(lang),
            "plain_index_url": urls.plain_index(lang),
            "title_note": "",
            "search_url": urls.search(lang),
            "crumbs": [],
        }

    def _render(self, template: str, lang: str, context: dict[str, Any]) -> str:
        return self.envs[lang].get_template(template).render(context)

    # --- national pages -------------------------------------------------------------------

    def render_national(self, cache: BuildCache | None = None) -> NationalRender:
        """Every national page. With ``cache``, an article's pages are taken from an earlier
        build when nothing they are made from has changed (:meth:`article_key`)."""
        problems = Problems()
        pages: list[RenderedPage] = []
        for lang in LANGUAGES:
            pages.append(self._home(lang))
            pages.extend(self._theme_page(lang, theme) for theme in self.vocabulary.themes)
        for group in self.project.articles.values():
            pages.extend(self._cached_article_pages(group, problems, cache))
        pages.extend(self._info_pages(self.project.pages.values(), "info", problems))
        pages.extend(self._search_page(lang) for lang in LANGUAGES)
        pages.extend(self._plain_index(lang) for lang in LANGUAGES)
        pages.append(self._root())
        pages.append(self._not_found(None))
        pages.extend(self._not_found(lang) for lang in LANGUAGES)
        return NationalRender(pages, problems)

    def _home(self, lang: Lang) -> RenderedPage:
        url = urls.home(lang)
        alternates = {other: urls.home(other) for other in LANGUAGES}
        title = self.project.config.extra.site_names.get(lang)
        context = self.context(url, lang, "home", title, alternates)
        context["description"] = self.translate(
            lang, "Reliable information and services for families with children."
        )
        html = self._render("home.html", lang, context)
        return RenderedPage(PageInfo(url, lang, "home", title, alternates), html)

    def _theme_page(self, lang: Lang, theme_id: str) -> RenderedPage:
        theme = self.vocabulary.themes[theme_id]
        url = urls.theme(lang, theme)
        alternates = {other: urls.theme(other, theme) for other in LANGUAGES}
        text = theme.text(lang)
        context = self.context(url, lang, "theme", text.name, alternates)
        context["description"] = text.description
        items = []
        exits = []
        for group in self.project.articles.values():
            article = group.version(lang)
            if theme_id not in group.themes or article is None:
                continue
            exits.append(group.source.meta.quick_exit)
            items.append(
                {
                    "url": self.article_url(group, lang),
                    "title": article.meta.title,
                    "summary": article.meta.summary,
                    "plain_url": self.article_url(group, lang, plain=True),
                }
            )
        context["articles"] = sorted(items, key=lambda item: item["title"])
        # A theme of quick exit articles only (violence and crises) is as sensitive as they are.
        context["quick_exit"] = bool(exits) and all(exits)
        html = self._render("theme.html", lang, context)
        return RenderedPage(PageInfo(url, lang, "theme", text.name, alternates), html)

    # --- the render cache -------------------------------------------------------------------

    @cached_property
    def shared_key(self) -> str:
        """The hash of everything an article page is made from besides its own group: the
        theme (templates, catalogues, assets), the settings, the vocabulary, the search word
        lists, the Finnish word splitter, and every article's and page's path and front matter
        (titles, themes and addresses appear on other pages: related articles, links). A body
        is not part of it: editing one article's text changes only that article's key."""
        root = self.project.root
        structure = [
            f"{article.doc.path}\0{article.meta.model_dump_json()}"
            for group in self.project.articles.values()
            for article in group.versions.values()
        ]
        structure += [
            f"{p.doc.path}\0{p.meta.model_dump_json()}" for p in self.project.pages.values()
        ]
        return digest(
            digest_tree(Path(self.theme_dir)),
            digest_tree(root / "search") if (root / "search").is_dir() else "no search/",
            self.project.config.model_dump_json(),
            repr(self.vocabulary),
            _splitter_identity(self.splitter),
            *structure,
        )

    def article_key(self, group: ArticleGroup) -> str:
        """The hash of what one article's pages are made from: :attr:`shared_key` and the text
        of every version of the article (a stale translation notice compares versions)."""
        texts = [
            f"{lang}\0{plain}\0{article.doc.path}\0{article.doc.body_line}\0{article.doc.body}"
            for (lang, plain), article in sorted(group.versions.items())
        ]
        return digest(self.shared_key, group.id, *texts)

    def _cached_article_pages(
        self, group: ArticleGroup, problems: Problems, cache: BuildCache | None
    ) -> list[RenderedPage]:
        if cache is None:
            return list(self._article_pages(group, problems))
        key = cache.key(self.article_key(group))
        found = cache.get("render", key)
        if found is not None:
            pages, kept = found
            problems.extend(kept)  # a warning of an unchanged article is still a warning
            return list(pages)
        own = Problems()
        pages = list(self._article_pages(group, own))
        problems.extend(own)
        if not own.errors:
            cache.put("render", key, (pages, list(own)))
        return pages

    def _article_pages(self, group: ArticleGroup, problems: Problems) -> Iterable[RenderedPage]:
        for (lang, plain), article in sorted(group.versions.items()):
            url = self.article_url(group, lang, plain)
            if url is None:
                continue
            alternates = {
                other: found
                for other in LANGUAGES
                if (found := self.article_url(group, other, plain)) is not None
            }
            switch = {
                other: alternates.get(other) or self.article_url(group, other) or ""
                for other in LANGUAGES
            }
            switch = {k: v for k, v in switch.items() if v}
            yield RenderedPage(
                PageInfo(url, lang, "article", article.meta.title, alternates, group.id),
                self._article_html(group, article, url, switch, problems),
            )

    def _article_html(
        self,
        group: ArticleGroup,
        article: Article,
        url: str,
        switch: Mapping[Lang, str],
        problems: Problems,
    ) -> str:
        lang, plain = article.lang, article.plain
        theme = self.vocabulary.themes[group.primary_theme]
        context = self.context(url, lang, "article", article.meta.title, switch)
        other_url = self.article_url(group, lang, not plain)
        related = [
            {"url": self.article_url(other, lang), "title": version.meta.title}
            for other in self.project.articles.values()
            if other.id != group.id
            and other.primary_theme == group.primary_theme
            and (version := other.version(lang)) is not None
        ]
        body = self.markdown(article.doc, url, problems, plain)
        context.update(
            description=article.meta.summary,
            contents=self.contents(),  # of the body just converted
            plain=plain,
            plain_switch={
                "url": other_url,
                "label": self.translate(lang, "Standard language")
                if plain
                else self.translate(lang, "Easy language"),
            }
            if other_url
            else None,
            body=body,
            sources=article.meta.sources,
            review_date=article.meta.review_date,
            review_date_text=format_date(article.meta.review_date, lang),
            reviewed=article.meta.reviewed,
            owner=group.source.meta.owner,  # written in Finnish, in the source
            reviewed_text=format_date(article.meta.reviewed, lang) if article.meta.reviewed else "",
            quick_exit=group.source.meta.quick_exit,
            title_note=self.translate(lang, "(easy language)") if plain else "",
            related=sorted(related, key=lambda item: item["title"] or ""),
            crumbs=[{"url": urls.theme(lang, theme), "title": theme.text(lang).name}],
            stale=(
                {"url": self.article_url(group, "fi"), "title": group.source.meta.title}
                if is_stale(group, article)
                else None
            ),
            search_terms=self.search_terms_of(group, article),
        )
        if plain:
            standard = group.version(lang)
            assert standard is not None  # load guarantees a standard sibling
            context["crumbs"].append({"url": other_url, "title": standard.meta.title})
        return self._render("article.html", lang, context)

    def _info_pages(
        self, pages: Iterable[Page], kind: str, problems: Problems, area: Area | None = None
    ) -> list[RenderedPage]:
        pages = list(pages)
        url_of = (
            (lambda p: urls.area_page(p.doc.lang, p.meta.slug or p.doc.slug))
            if area
            else self.page_url
        )
        by_id: dict[str, dict[Lang, str]] = {}
        for page in pages:
            by_id.setdefault(page.meta.id, {})[page.doc.lang] = url_of(page)
        rendered = []
        for page in pages:
            url = url_of(page)
            alternates = by_id[page.meta.id]
            context = self.context(url, page.doc.lang, kind, page.meta.title, alternates)
            context.update(
                description=page.meta.summary or "",
                body=self.markdown(page.doc, url, problems),
                quick_exit=area is None and page.meta.id == COVER_TRACKS,
            )
            html = self._render(f"{page.meta.layout}.html", page.doc.lang, context)
            info = PageInfo(url, page.doc.lang, kind, page.meta.title, alternates)
            rendered.append(RenderedPage(info, html))
        return rendered

    def render_area_pages(self, area: Area) -> tuple[list[RenderedPage], Problems]:
        """A county's own pages, in the national page shell (slots still to fill)."""
        problems = Problems()
        return self._info_pages(area.pages.values(), "area", problems, area), problems

    def _plain_index(self, lang: Lang) -> RenderedPage:
        """The easy language versions of a language, by theme (linked from every header)."""
        url = urls.plain_index(lang)
        alternates = {other: urls.plain_index(other) for other in LANGUAGES}
        title = self.translate(lang, "Texts in easy language")
        context = self.context(url, lang, "plain-index", title, alternates)
        context["description"] = self.translate(
            lang, "These texts are written in easy language. They are short and easy to read."
        )
        sections: list[dict[str, Any]] = []
        for theme_id, theme in self.vocabulary.themes.items():
            items: list[dict[str, str]] = []
            for group in self.project.articles.values():
                article = group.version(lang, True)
                plain_url = self.article_url(group, lang, plain=True)
                if group.primary_theme == theme_id and article and plain_url:
                    meta = article.meta
                    items.append({"url": plain_url, "title": meta.title, "summary": meta.summary})
            if items:
                sections.append(
                    {
                        "id": theme.text(lang).slug,
                        "name": theme.text(lang).name,
                        "articles": sorted(items, key=lambda item: item["title"]),
                    }
                )
        context["sections"] = sections
        html = self._render("plain-index.html", lang, context)
        return RenderedPage(PageInfo(url, lang, "plain-index", title, alternates), html)

    def _search_page(self, lang: Lang) -> RenderedPage:
        url = urls.search(lang)
        alternates = {other: urls.search(other) for other in LANGUAGES}
        title = self.translate(lang, "Search")
        context = self.context(url, lang, "search", title, alternates)
        context["quick_exit"] = True  # people search for help with violence: the exit bar
        # The crisis vocabulary of the language, for the script (no extra request).
        pages = {
            group.id: {"url": urls.root_of(url) + page_url, "title": version.meta.title}
            for group in self.project.articles.values()
            if group.id in self.crisis.articles()
            and (version := group.version(lang))
            and (page_url := self.article_url(group, lang))
        }
        context["crisis"] = self.crisis.for_page(lang, pages)
        context["abbreviations"] = load_abbreviations(
            self.project.root / "search" / "abbreviations.yml", lang
        )
        context["stopwords"] = load_abbreviations(
            self.project.root / "search" / "stopwords.yml", lang
        )
        html = self._render("search.html", lang, context)
        return RenderedPage(PageInfo(url, lang, "search", title, alternates), html)

    def _root(self) -> RenderedPage:
        names = self.project.config.extra.site_names
        html = self._render("root.html", "fi", {"names": names})
        alternates = {lang: urls.home(lang) for lang in LANGUAGES}
        return RenderedPage(PageInfo("", "fi", "root", names.fi, alternates), html)

    def _not_found(self, lang: Lang | None) -> RenderedPage:
        """The 404 page of a language (``fi/404.html``) in the page shell, or with ``None`` the
        site's own (``404.html``): Finnish, with the Swedish and English texts below. Publishing
        makes its links root-relative, as a server sends it for a missing page at any depth."""
        url = urls.home(lang) if lang else ""
        page_lang: Lang = lang or "fi"
        alternates = {other: f"{urls.home(other)}404.html" for other in LANGUAGES}
        title = self.translate(page_lang, "Page not found")
        context = self.context(url, page_lang, "404", title, alternates)
        context["other_languages"] = [
            {
                "lang": other,
                "title": self.translate(other, "Page not found"),
                "text": self.translate(other, "The page may have been moved or removed."),
                "home_url": urls.home(other),
                "home": self.translate(other, "Go to the home page"),
                "search_url": urls.search(other),
                "search": self.translate(other, "Search the site"),
            }
            for other in LANGUAGES
            if lang is None and other != page_lang
        ]
        html = self._render("404.html", page_lang, context)
        return RenderedPage(PageInfo(url, page_lang, "404", title, alternates), html)


def _splitter_identity(splitter: CompoundSplitter) -> str:
    """What splits Finnish words for the index: Voikko's version and dictionaries, or why
    there is none (a page's index-only terms depend on it)."""
    if splitter.voikko is None:
        return f"no splitter: {splitter.problem}"
    import libvoikko

    dicts = [f"{d.language}/{d.variant}/{d.description}" for d in libvoikko.Voikko.listDicts()]
    return f"voikko {libvoikko.Voikko.getVersion()} {dicts}"


def _line_of_link(doc: Document, target: str) -> int | None:
    for number, line in enumerate(doc.body.splitlines()):
        if f"({target}" in line:
            return doc.body_line + number
    return None


def render_problems(project: Project) -> list[Problem]:
    """The problems found while converting every article once (links to missing articles...)."""
    return list(Renderer(project).render_national().problems)
