"""``perhekeskus lint``: every problem in every Markdown file, in the writer's language.

Input: the project folder. Output: :class:`LintMessage` objects (``path:line:col``, severity,
message and hint), printed for a terminal or as GitHub Actions annotations. Two sources:

- the load and render stages (front matter schema, unknown themes and PTV codes, links to
  missing articles, translations without a source...), whose messages are in English;
- the checks of the text itself below, on the articles' folder (``docs_dir`` of
  ``mkdocs.yml``) and ``regions/``, in Finnish for files in a ``fi`` folder, Swedish for
  ``sv`` and English otherwise: images without alt text, empty headings and skipped
  heading levels, bare web addresses as link text, sources that link a site's home page
  instead of the page on the topic, review dates past due, and for
  plain-language versions the measurable criteria of selkokieli / lättläst (sentence, word
  and paragraph length), which warn and never fail.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

from pipeline.content.config import docs_dir_of
from pipeline.content.load import FRONT_MATTER, Project, load_project
from pipeline.content.models import LANGUAGES
from pipeline.content.yamlfile import parse_yaml
from pipeline.phone import tel
from pipeline.problems import InvalidInput, Problem, Problems

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class PlainLimits:
    """Plain-language limits, after Selkokeskus's guidance (short sentences, common short
    words, short paragraphs); Finnish compounds are long, so its word limit is higher."""

    sentence_words: int = 12
    word_chars: tuple[tuple[str, int], ...] = (("fi", 18), ("sv", 16), ("en", 14))
    paragraph_sentences: int = 5

    def word_limit(self, lang: str) -> int:
        return dict(self.word_chars).get(lang, 14)


PLAIN_LIMITS = PlainLimits()

MESSAGES: dict[str, dict[str, tuple[str, str]]] = {
    "image-alt": {
        "fi": (
            "kuvalta puuttuu vaihtoehtoinen teksti",
            "kirjoita hakasulkeisiin, mitä kuvassa on: ![Vauva nukkuu selällään](kuva.jpg)",
        ),
        "sv": (
            "bilden saknar alternativ text",
            "skriv inom hakparentesen vad bilden visar: ![Babyn sover på rygg](bild.jpg)",
        ),
        "en": (
            "the image has no alternative text",
            "describe the image in the brackets: ![A baby asleep on its back](image.jpg)",
        ),
    },
    "heading-empty": {
        "fi": ("otsikossa ei ole tekstiä", "kirjoita otsikko #-merkkien jälkeen tai poista rivi"),
        "sv": ("rubriken saknar text", "skriv rubriken efter #-tecknen eller ta bort raden"),
        "en": ("the heading has no text", "write the heading after the # signs or remove the line"),
    },
    "heading-skip": {
        "fi": (
            "otsikkotaso hyppää tasolta {was} tasolle {now}",
            "käytä seuraavaksi tasoa {want} (ensimmäinen väliotsikko on ##)",
        ),
        "sv": (
            "rubriknivån hoppar från nivå {was} till nivå {now}",
            "använd nivå {want} härnäst (den första mellanrubriken är ##)",
        ),
        "en": (
            "the heading level jumps from {was} to {now}",
            "use level {want} next (the first section heading is ##)",
        ),
    },
    "bare-url": {
        "fi": (
            "linkin tekstinä on verkko-osoite",
            "kerro linkin tekstissä, minne linkki vie: [Kelan lapsilisäsivu]({url})",
        ),
        "sv": (
            "länktexten är en webbadress",
            "skriv vart länken leder: [FPA:s sida om barnbidrag]({url})",
        ),
        "en": (
            "the link text is a web address",
            "say where the link goes: [Kela's child benefit page]({url})",
        ),
    },
    "tel-mismatch": {
        "fi": (
            "puhelinlinkki {href} ei soita numeroon {text}, joka sen tekstissä näkyy",
            "kirjoita linkki kansainvälisessä muodossa: [{text}](tel:{want})",
        ),
        "sv": (
            "telefonlänken {href} ringer inte numret {text} som står i länktexten",
            "skriv länken i internationell form: [{text}](tel:{want})",
        ),
        "en": (
            "the phone link {href} does not call {text}, the number its text shows",
            "write the link in international form: [{text}](tel:{want})",
        ),
    },
    "source-home-page": {
        "fi": (
            "sources: '{url}' on sivuston etusivu; linkitä suoraan sivu, joka kertoo aiheesta",
            "",
        ),
        "sv": (
            "sources: '{url}' är sajtens startsida; länka direkt till sidan som handlar om ämnet",
            "",
        ),
        "en": ("sources: '{url}' is a home page; link the exact page on the topic", ""),
    },
    "review-due": {
        "fi": ("tarkistuspäivä {due} on mennyt", "tarkista sisältö ja päivitä review_date"),
        "sv": (
            "granskningsdatumet {due} har passerat",
            "granska innehållet och uppdatera review_date",
        ),
        "en": ("the review date {due} has passed", "check the content and update review_date"),
    },
    "long-sentence": {
        "fi": (
            "selkokielessä virke on pitkä ({count} sanaa)",
            "jaa virke kahdeksi; selkokielessä virkkeessä on yleensä enintään {limit} sanaa",
        ),
        "sv": (
            "meningen är lång för lättläst ({count} ord)",
            "dela meningen i två; i lättläst har en mening oftast högst {limit} ord",
        ),
        "en": (
            "the sentence is long for easy language ({count} words)",
            "split it; easy-language sentences have about {limit} words at most",
        ),
    },
    "long-word": {
        "fi": (
            "selkokielessä sana '{word}' on pitkä",
            "käytä lyhyempää ja tutumpaa sanaa tai selitä sana",
        ),
        "sv": (
            "ordet '{word}' är långt för lättläst",
            "använd ett kortare och vanligare ord eller förklara ordet",
        ),
        "en": (
            "the word '{word}' is long for easy language",
            "use a shorter, common word or explain it",
        ),
    },
    "long-paragraph": {
        "fi": (
            "selkokielessä kappale on pitkä ({count} virkettä)",
            "jaa kappale; selkokielessä kappaleessa on enintään {limit} virkettä",
        ),
        "sv": (
            "stycket är långt för lättläst ({count} meningar)",
            "dela stycket; i lättläst har ett stycke högst {limit} meningar",
        ),
        "en": (
            "the paragraph is long for easy language ({count} sentences)",
            "split it; keep to {limit} sentences",
        ),
    },
}

IMAGE = re.compile(r"!\[([^\]]*)\]\(([^)\s]+)[^)]*\)")
LINK = re.compile(r"(?<!!)\[([^\]]+)\]\(([^)\s]+)[^)]*\)")
HEADING = re.compile(r"^(#{1,6})(\s*)(.*?)\s*#*\s*$")
FENCE = re.compile(r"^\s*(```|~~~)")
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZÅÄÖ0-9])")
WORD = re.compile(r"[A-Za-zÅÄÖåäöÉé-]+")
LANGUAGE_PREFIX = re.compile(r"^/?([a-z]{2}/?)?$")
"""A path that is nothing, ``/`` or a language prefix (``/fi``, ``/sv/``): a site's home page."""


@dataclass(frozen=True, order=True)
class LintMessage:
    path: str
    line: int
    col: int
    severity: Severity
    message: str
    hint: str = ""

    def __str__(self) -> str:
        hint = f" ({self.hint})" if self.hint else ""
        return f"{self.path}:{self.line}:{self.col}: {self.severity}: {self.message}{hint}"

    def github(self) -> str:
        """A GitHub Actions workflow command: shown on the line in the pull request."""
        text = f"{self.message}. {self.hint}" if self.hint else self.message
        text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        return f"::{self.severity} file={self.path},line={self.line},col={self.col}::{text}"


def _say(
    code: str, lang: str, severity: Severity, path: str, line: int, col: int, **values: Any
) -> LintMessage:
    message, hint = MESSAGES[code].get(lang, MESSAGES[code]["en"])
    return LintMessage(path, line, col, severity, message.format(**values), hint.format(**values))


def _lines_outside_code(body: str) -> Iterator[tuple[int, str]]:
    fenced = False
    for index, line in enumerate(body.split("\n")):
        if FENCE.match(line):
            fenced = not fenced
            continue
        if not fenced and not line.startswith("    "):
            yield index, line


def _dials_other_number(href: str, text: str) -> bool:
    """A ``tel:`` link whose text is a number and which does not dial it as the site writes it."""
    shown = text.replace(" ", "").lstrip("+")
    return href.startswith("tel:") and shown.isdigit() and href != f"tel:{tel(text)}"


def check_text(path: str, lang: str, body: str, first_line: int) -> list[LintMessage]:
    """Images, headings and links of one Markdown body (pure)."""
    found: list[LintMessage] = []
    level = 1  # the title is the page's h1
    for index, line in _lines_outside_code(body):
        number = first_line + index
        heading = HEADING.match(line)
        if heading and (heading.group(2) or not heading.group(3)):
            depth, text = len(heading.group(1)), heading.group(3)
            if not text:
                found.append(_say("heading-empty", lang, "error", path, number, 1))
            elif depth > level + 1:
                found.append(
                    _say(
                        "heading-skip",
                        lang,
                        "error",
                        path,
                        number,
                        1,
                        was=level,
                        now=depth,
                        want=level + 1,
                    )
                )
            level = depth
        for image in IMAGE.finditer(line):
            if not image.group(1).strip():
                found.append(_say("image-alt", lang, "error", path, number, image.start() + 1))
        for link in LINK.finditer(line):
            text = link.group(1).strip()
            href = link.group(2)
            if _dials_other_number(href, text):
                found.append(
                    _say(
                        "tel-mismatch",
                        lang,
                        "error",
                        path,
                        number,
                        link.start() + 1,
                        href=href,
                        text=text,
                        want=tel(text),
                    )
                )
            if re.match(r"^(https?://|www\.)", text):
                found.append(
                    _say(
                        "bare-url", lang, "error", path, number, link.start() + 1, url=link.group(2)
                    )
                )
        for bare in re.finditer(r"(?<![(<\[])\bhttps?://\S+", line):
            if not any(m.start() <= bare.start() < m.end() for m in LINK.finditer(line)):
                found.append(
                    _say(
                        "bare-url", lang, "error", path, number, bare.start() + 1, url=bare.group(0)
                    )
                )
    return found


def is_home_page(url: str) -> bool:
    """True when the address leads to a site's (or a language version's) home page."""
    parts = urlsplit(url)
    return bool(LANGUAGE_PREFIX.match(parts.path)) and not parts.query and not parts.fragment


def check_sources(path: str, lang: str, text: str) -> list[LintMessage]:
    """Sources of one file that link a home page, on the line of their ``url`` (pure).

    A home page leaves the reader to find the fact themselves; the source must be the
    authority's page on the topic. Unreadable front matter is the load stage's to report.
    """
    data, _, _ = _front(text)
    sources = data.get("sources")
    if not isinstance(sources, list):
        return []
    urls = [s.get("url") for s in sources if isinstance(s, dict)]
    lines = text.split("\n")
    found: list[LintMessage] = []
    start = 0
    for url in urls:
        if not isinstance(url, str) or not is_home_page(url):
            continue
        line = _line_with(lines, url, start)
        found.append(_say("source-home-page", lang, "error", path, line + 1, 1, url=url))
        start = line + 1
    return found


def _line_with(lines: list[str], url: str, start: int) -> int:
    """The index of the first line from ``start`` that gives this address as a ``url``."""
    pattern = re.compile(rf"\burl:\s*[\"']?{re.escape(url)}[\"']?\s*[,}}]?\s*(#.*)?$")
    return next(
        (i for i in range(start, len(lines)) if pattern.search(lines[i])),
        start,
    )


def check_plain(path: str, lang: str, body: str, first_line: int) -> list[LintMessage]:
    """Measurable plain-language criteria (warnings)."""
    found: list[LintMessage] = []
    limit_words = PLAIN_LIMITS.sentence_words
    limit_chars = PLAIN_LIMITS.word_limit(lang)
    limit_sentences = PLAIN_LIMITS.paragraph_sentences
    paragraph: list[tuple[int, str]] = []
    lines = [*_lines_outside_code(body), (len(body.split("\n")), "")]
    for index, line in lines:
        text = line.strip()
        if text and not text.startswith(("#", "!!!", "|", "<")):
            paragraph.append((index, re.sub(r"^([-*]|\d+\.)\s+", "", text)))
            continue
        if paragraph:
            found.extend(
                _paragraph(
                    path, lang, paragraph, first_line, limit_words, limit_chars, limit_sentences
                )
            )
            paragraph = []
    return found


def _paragraph(
    path: str,
    lang: str,
    lines: list[tuple[int, str]],
    first_line: int,
    words: int,
    chars: int,
    sentences: int,
) -> list[LintMessage]:
    found: list[LintMessage] = []
    count = 0
    for index, text in lines:
        plain = LINK.sub(lambda m: m.group(1), text)
        for sentence in SENTENCE_END.split(plain):
            count += 1
            n = len(WORD.findall(sentence))
            if n > words:
                found.append(
                    _say(
                        "long-sentence",
                        lang,
                        "warning",
                        path,
                        first_line + index,
                        1,
                        count=n,
                        limit=words,
                    )
                )
        for word in WORD.findall(plain):
            if len(word) > chars and "-" not in word:
                found.append(
                    _say(
                        "long-word",
                        lang,
                        "warning",
                        path,
                        first_line + index,
                        text.find(word) + 1,
                        word=word,
                    )
                )
    if count > sentences:
        found.append(
            _say(
                "long-paragraph",
                lang,
                "warning",
                path,
                first_line + lines[0][0],
                1,
                count=count,
                limit=sentences,
            )
        )
    return found


def _front(text: str) -> tuple[dict[str, Any], str, int]:
    """Front matter, body and first body line; unreadable front matter is empty (load says why)."""
    match = FRONT_MATTER.match(text)
    if not match:
        return {}, text, 1
    data = parse_yaml(match.group(1), "", Problems()) or {}
    return (
        (data if isinstance(data, dict) else {}),
        text[match.end() :],
        text[: match.end()].count("\n") + 1,
    )


def markdown_files(root: Path, docs_dir: str) -> Iterator[tuple[Path, str]]:
    """Every Markdown file writers edit (in ``docs_dir`` and ``regions/``), with its language."""
    for folder in (root / docs_dir, root / "regions"):
        for path in sorted(folder.rglob("*.md")):
            parts = path.relative_to(folder).parts
            lang = next((p for p in parts if p in LANGUAGES), "en")
            yield path, lang


def lint(
    root: Path,
    render_problems: Callable[[Project], Iterable[Problem]],
    today: date | None = None,
) -> list[LintMessage]:
    """Every problem of every file, sorted by file and line.

    ``render_problems`` converts the Markdown (the site stage's renderer): links between
    articles are resolved only then. It is passed in so that content does not import the site.
    """
    problems: Iterable[Problem]
    try:
        project = load_project(root)
        problems = [*project.warnings, *render_problems(project)]
    except InvalidInput as exc:
        problems = exc.problems
    texts = text_messages(root, docs_dir_of(root), today)
    return sorted({*map(_from_problem, problems), *texts})


def text_messages(
    root: Path,
    docs_dir: str,
    today: date | None = None,
    memo: dict[tuple[str, str, str], list[LintMessage]] | None = None,
) -> list[LintMessage]:
    """The checks of the text itself, on every Markdown file (fast: no loading or rendering).
    ``memo`` keeps each file's messages by its text (a preview checks only what changed)."""
    today = today or date.today()
    messages: list[LintMessage] = []
    for path, lang in markdown_files(root, docs_dir):
        display = path.relative_to(root).as_posix()
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue  # the load stage reports it
        if memo is None:
            messages.extend(_text_messages(display, lang, text, today))
            continue
        key = (display, text, today.isoformat())
        if key not in memo:
            memo[key] = _text_messages(display, lang, text, today)
        messages.extend(memo[key])
    return messages


def _text_messages(display: str, lang: str, text: str, today: date) -> list[LintMessage]:
    """The text checks of one file."""
    messages: list[LintMessage] = []
    data, body, first_line = _front(text)
    messages.extend(check_text(display, lang, body, first_line))
    messages.extend(check_sources(display, lang, text))
    if data.get("plain_language"):
        messages.extend(check_plain(display, lang, body, first_line))
    due = data.get("review_date")
    if isinstance(due, date) and due < today:
        lines = text.split("\n")
        line = next((i + 1 for i, t in enumerate(lines) if t.startswith("review_date")), 1)
        messages.append(_say("review-due", lang, "warning", display, line, 1, due=due.isoformat()))
    return messages


def _from_problem(problem: Problem) -> LintMessage:
    return LintMessage(problem.path, problem.line or 1, 1, problem.severity, problem.message)


def summary(messages: Iterable[LintMessage]) -> tuple[int, int]:
    messages = list(messages)
    return sum(m.severity == "error" for m in messages), sum(
        m.severity == "warning" for m in messages
    )
