"""The national configuration, ``mkdocs.yml``.

Input: ``mkdocs.yml`` in MkDocs' shape (site name and URL, ``markdown_extensions``,
``theme.custom_dir``, ``extra``).
Output: a frozen :class:`SiteConfig`, or :class:`~pipeline.problems.InvalidInput` with every
problem as ``mkdocs.yml:<line>: <key>: message``. No key is silently ignored: the MkDocs keys
we do not honour (``nav``, ``plugins``, ``extra_css``...) are refused with what we do instead
(:data:`NOT_HONOURED`), unknown keys are warnings (as in MkDocs), and everything under
``extra`` is ours and checked strictly.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path, PurePosixPath
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from pipeline.content.models import Lang, Localized, PhoneNumber, Strict, Url
from pipeline.content.yamlfile import line_of, parse_yaml, read_text, validation_problems
from pipeline.problems import InvalidInput, Problems, Severity, did_you_mean
from pipeline.sources.base import FetchLimits
from pipeline.sources.events.config import EventsSettings
from pipeline.sources.policy import SanityPolicy


class NationalHelp(Strict):
    """A national help number shown in every site's help panel."""

    id: str
    number: PhoneNumber
    name: Localized
    note: Localized | None = None
    hours: Localized | None = None
    languages: list[Lang] = ["fi", "sv", "en"]
    """Pages in which languages show the number (a line that only serves in Finnish...)."""
    serves: list[Lang] = []
    """Languages the line answers in, said on pages of other languages; empty: not stated."""
    source: Url
    """The page where the number, its hours and languages were confirmed."""
    checked: date
    """When they were last confirmed there; shown beside the number."""


class PtvSettings(Strict):
    """Where the nightly fetch asks PTV (``PERHEKESKUS_PTV_URL`` overrides ``url``)."""

    url: Url = "https://api.palvelutietovaranto.suomi.fi/api/v11/"
    snapshots: str = "snapshots/ptv"
    """Folder of the snapshots, relative to the project."""
    nationwide_probe: str = Field(default="435", pattern=r"^\d{3}$")
    """A small municipality whose query with the whole country gives the nationwide services."""
    concurrency: int = Field(default=4, ge=1, le=8)
    """How many requests at once; PTV has no published rate limit, so stay modest."""
    keep: int = Field(default=3, ge=1, le=30)
    """How many good snapshots to keep (the current one and the newest others)."""
    limits: FetchLimits = FetchLimits()
    """Deadline, time-outs, retries and caps of one fetch."""
    sanity: SanityPolicy = SanityPolicy()
    """When a new snapshot is refused (drop per county, unreadable items, missing ids)."""


Weekday = Literal["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]


class NightlySettings(Strict):
    """The nightly job, ``perhekeskus nightly`` (:mod:`pipeline.nightly`)."""

    full_refresh: Weekday = "sunday"
    """The day of the week (Finnish time) on which every source is fetched whole again; on
    other nights only the changes are asked for."""
    max_age_days: float = Field(default=3.0, gt=0)
    """Data older than this when the sites are published makes the run end with a warning
    (exit status 1): the fetch has failed for days and someone should look."""
    log: str = "reports/nightly.jsonl"
    """The run log, one JSON line per step, relative to the output folder (or absolute)."""


class Authority(Strict):
    """The supervisory authority named in every accessibility statement."""

    name: Localized
    url: Url
    email: str = Field(pattern=r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$")
    phone: str = Field(pattern=r"^\+?[0-9 ]{3,20}$")


class Maintainer(Strict):
    """The organisation that runs the national site: the controller its privacy notice names.

    Until the organisation is decided, ``named`` is false and ``name`` describes the role
    ("the national maintainer of the service"): the notice then says that it has not been
    named, so that no page ever names an invented organisation.
    """

    named: bool
    """True once ``name`` is the real organisation."""
    name: Localized
    url: Url | None = None
    """The organisation's data-protection or contact page, linked from the notice."""

    @model_validator(mode="after")
    def _page_of_a_named_maintainer(self) -> Maintainer:
        if self.url and not self.named:
            raise ValueError(
                "a page (url) is given for a maintainer that is not named; set named: true "
                "with the organisation's name, or remove url"
            )
        return self


class AccessibilitySettings(Strict):
    expert_audit: date | None = None
    """When an accessibility expert last evaluated the sites; None until one has."""
    authority: Authority


class Extra(Strict):
    site_names: Localized
    national_url: Url
    region_url: str = Field(pattern=r"^https?://\S*\{slug\}\S*$")
    languages: list[Lang] = ["fi", "sv", "en"]
    quick_exit_url: Url
    feedback_email: str = Field(pattern=r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$")
    """Accessibility feedback address of the national site (counties set their own)."""
    national_help: list[NationalHelp] = []
    ptv: PtvSettings = PtvSettings()
    events: EventsSettings = EventsSettings()
    """Activities and events: Linked Events instances, Lähellä.fi (off), snapshots, horizon."""
    accessibility: AccessibilitySettings
    maintainer: Maintainer
    """The national site's controller, named on its privacy notice."""
    nightly: NightlySettings = NightlySettings()
    """The nightly job: the weekday of the full refresh, the data age that warns, the log."""


class Theme(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    name: str | None = None
    custom_dir: str
    language: Lang = "fi"


DEFAULT_DOCS_DIR = "content"


class SiteConfig(BaseModel):
    """``mkdocs.yml``: the keys MkDocs knows that we honour, plus our ``extra``.

    Every other key MkDocs knows is refused by :data:`NOT_HONOURED` before validation, so no
    setting is silently ignored.
    """

    model_config = ConfigDict(extra="ignore", frozen=True)
    site_name: str
    """The national site's Finnish name; must be ``extra.site_names.fi`` (checked)."""
    site_url: Url
    """The national site's address; must be ``extra.national_url`` (checked)."""
    docs_dir: str = DEFAULT_DOCS_DIR
    """The folder of the national articles (``<docs_dir>/<lang>/``), the info pages
    (``<docs_dir>/pages/<lang>/``) and the themes (``<docs_dir>/themes.yml``), relative to
    ``mkdocs.yml``."""
    theme: Theme
    markdown_extensions: list[str | dict[str, Any]] = []
    extra: Extra

    def extension_names_and_configs(self) -> tuple[list[str], dict[str, dict[str, Any]]]:
        """The Markdown extensions as Python-Markdown wants them: names and their settings."""
        names: list[str] = []
        configs: dict[str, dict[str, Any]] = {}
        for item in self.markdown_extensions:
            if isinstance(item, str):
                names.append(item)
            else:
                for name, settings in item.items():
                    names.append(name)
                    configs[name] = dict(settings or {})
        return names, configs


HONOURED = frozenset(SiteConfig.model_fields)
"""The top-level keys read into :class:`SiteConfig`."""

NOT_HONOURED: dict[str, tuple[Severity, str]] = {
    # Keys that would change what is built, or how: errors, so that nobody relies on them.
    "nav": ("error", "the navigation is made from the themes in {docs_dir}/themes.yml and "
            "each article's 'themes'; remove this key"),
    "not_in_nav": ("error", "there is no nav: every article is listed under its themes "
                   "({docs_dir}/themes.yml); remove this key"),
    "exclude_docs": ("error", "every Markdown file in {docs_dir}/ is built; keep drafts "
                     "outside that folder and remove this key"),
    "draft_docs": ("error", "every Markdown file in {docs_dir}/ is published; keep drafts "
                   "outside that folder and remove this key"),
    "plugins": ("error", "MkDocs plugins do not run here; search (Pagefind), the sitemap and "
                "the county sites are part of the build; remove this key"),
    "hooks": ("error", "MkDocs hooks do not run here; the build is the Python package "
              "pipeline/ (see the README, Architecture); remove this key"),
    "extra_css": ("error", "the styles are {custom_dir}/assets/style.css; add your rules "
                  "there and remove this key"),
    "extra_javascript": ("error", "the scripts are in {custom_dir}/assets/ and the templates "
                         "load them; add yours there and remove this key"),
    "extra_templates": ("error", "the templates are the files in {custom_dir}/; add yours "
                        "there and remove this key"),
    "site_dir": ("error", "the sites are written to build/<slug>/ ('perhekeskus build --out "
                 "FOLDER' writes them elsewhere); remove this key"),
    "strict": ("error", "the build is always strict: any error stops it and nothing is "
               "written; remove this key"),
    "validation": ("error", "links are always checked: a link to a missing article is an "
                   "error, and the build's gate checks every internal link and anchor; "
                   "remove this key"),
    "use_directory_urls": ("error", "addresses are always folders, such as "
                           "/fi/raskaus/aitiysneuvola/; remove this key"),
    "watch": ("error", "'perhekeskus serve' watches {docs_dir}/, regions/, themes/ and "
              "mkdocs.yml; remove this key"),
    "dev_addr": ("error", "the preview's address is given on the command line "
                 "('perhekeskus serve --host 127.0.0.1 --port 8000'); remove this key"),
    "remote_branch": ("error", "the sites are published from build/, not by 'mkdocs "
                      "gh-deploy'; remove this key"),
    "remote_name": ("error", "the sites are published from build/, not by 'mkdocs "
                    "gh-deploy'; remove this key"),
    "INHERIT": ("error", "the whole configuration is in this one file (the counties are in "
                "regions/); move the inherited settings here and remove this key"),
    # Keys that only describe the project: warnings, as the theme shows none of them.
    "site_description": ("warning", "not shown on the sites; the home page's text is in the "
                         "theme's message catalogues ({custom_dir}/locales/); remove this key"),
    "site_author": ("warning", "not shown on the sites; each article names its owner in its "
                    "front matter ('owner'); remove this key"),
    "copyright": ("warning", "not shown on the sites; the footer is "
                  "{custom_dir}/slots/footer.html; remove this key"),
    "repo_url": ("warning", "the sites do not link to the repository; remove this key"),
    "repo_name": ("warning", "the sites do not link to the repository; remove this key"),
    "edit_uri": ("warning", "the sites have no 'edit this page' links; remove this key"),
    "edit_uri_template": ("warning", "the sites have no 'edit this page' links; remove this "
                          "key"),
}  # fmt: skip
"""The MkDocs settings we do not honour, and what we do instead. A key that would change what
is built, or how, is an error, so that nobody relies on it; a key that only describes the
project is a warning. ``{docs_dir}`` and ``{custom_dir}`` are filled in from the file."""

KNOWN_MKDOCS_KEYS = HONOURED | NOT_HONOURED.keys()

RESERVED_FOLDERS = {
    "regions": "the counties' folder",
    "build": "the output folder",
    "data": "the code lists' folder",
    "snapshots": "the PTV snapshots' folder",
    "pipeline": "the Python package",
    "docs": "the writers' guide, which is not published",
}
"""Top-level folders that cannot hold the articles (``theme.custom_dir`` is checked too)."""


def _custom_dir(data: dict[str, Any]) -> str:
    """``theme.custom_dir`` as written, before validation ("" if it is missing)."""
    theme = data.get("theme")
    custom_dir = theme.get("custom_dir") if isinstance(theme, dict) else None
    return str(custom_dir or "").rstrip("/")


def _unhonoured_keys(data: dict[str, Any], problems: Problems) -> None:
    """Record every top-level key we do not use, with what to do instead."""
    names = {
        "docs_dir": str(data.get("docs_dir") or DEFAULT_DOCS_DIR),
        "custom_dir": _custom_dir(data) or "<theme.custom_dir>",
    }
    for key in data:
        # The line only when there is something to say: finding it parses the file again.
        if key in NOT_HONOURED:
            severity, message = NOT_HONOURED[key]
            record = problems.error if severity == "error" else problems.warning
            record("mkdocs.yml", line_of(data, (key,)), f"{key}: {message.format(**names)}")
        elif key not in HONOURED:
            hint = did_you_mean(str(key), KNOWN_MKDOCS_KEYS)
            message = f"Unrecognised configuration name: {key}"
            line = line_of(data, (key,))
            problems.warning("mkdocs.yml", line, f"{message}.{hint}" if hint else message)


def docs_dir_problem(value: str, custom_dir: str = "") -> str | None:
    """Why ``value`` cannot be the articles' folder, or None (pure; the folder may not exist)."""
    path = PurePosixPath(value)
    if path.is_absolute() or ".." in path.parts or "\\" in value:
        return f"'{value}' must be a folder inside the project, relative to mkdocs.yml"
    if not path.parts:
        return "the articles need a folder of their own, not the project's root"
    reserved = {**RESERVED_FOLDERS, **({custom_dir: "the theme's folder"} if custom_dir else {})}
    for folder, what in reserved.items():
        other = PurePosixPath(folder)
        if path == other or other in path.parents or path in other.parents:
            return f"'{value}' overlaps {folder}/ ({what}); choose a folder of its own"
    return None


def _post_validation(config: SiteConfig, data: Any, root: Path, problems: Problems) -> None:
    """Checks across keys and against the project folder, once every key is valid."""
    custom_dir = config.theme.custom_dir
    if not (root / custom_dir).is_dir():
        problems.error(
            "mkdocs.yml",
            line_of(data, ("theme", "custom_dir")),
            f"theme.custom_dir: the folder '{custom_dir}' does not exist",
        )
    reason = docs_dir_problem(config.docs_dir, custom_dir.rstrip("/"))
    if reason is None and not (root / config.docs_dir).is_dir():
        reason = f"the folder '{config.docs_dir}' does not exist"
    if reason is not None:
        # Lines are found only for a problem: finding one parses the file again.
        problems.error("mkdocs.yml", line_of(data, ("docs_dir",)), f"docs_dir: {reason}")
    extra = config.extra
    if config.site_name != extra.site_names.fi:
        problems.error(
            "mkdocs.yml",
            line_of(data, ("site_name",)),
            f"site_name: '{config.site_name}' is not the Finnish name in extra.site_names "
            f"('{extra.site_names.fi}'); the sites are named from extra.site_names, so make "
            "the two the same",
        )
    if config.site_url.rstrip("/") != extra.national_url.rstrip("/"):
        problems.error(
            "mkdocs.yml",
            line_of(data, ("site_url",)),
            f"site_url: '{config.site_url}' is not extra.national_url "
            f"('{extra.national_url}'); the national site is published at "
            "extra.national_url, so make the two the same",
        )


def _read(root: Path, problems: Problems) -> Any:
    """The parsed ``mkdocs.yml`` (None, with the reason recorded, if it cannot be read)."""
    text = read_text(root / "mkdocs.yml", "mkdocs.yml", problems)
    return parse_yaml(text, "mkdocs.yml", problems) if text is not None else None


def load_config(root: Path, problems: Problems) -> SiteConfig:
    """Read ``mkdocs.yml``; raise InvalidInput if it cannot be used."""
    data = _read(root, problems)
    if not isinstance(data, dict):
        if data is not None:
            problems.error("mkdocs.yml", 1, "the file must be a mapping of settings")
        raise InvalidInput(problems, "mkdocs.yml")
    _unhonoured_keys(data, problems)
    try:
        config = SiteConfig.model_validate(data)
    except ValidationError as exc:
        validation_problems(exc, data, "mkdocs.yml", problems, model=SiteConfig)
        raise InvalidInput(problems, "mkdocs.yml") from None
    _post_validation(config, data, root, problems)
    if problems.errors:
        raise InvalidInput(problems, "mkdocs.yml")
    return config


def docs_dir_of(root: Path) -> str:
    """The articles' folder named in ``mkdocs.yml``, read without validating anything else.

    For the tools that check files even when the project does not load (lint, the preview);
    if ``docs_dir`` cannot be used, the default, as loading reports why.
    """
    data = _read(root, Problems())
    if not isinstance(data, dict):
        return DEFAULT_DOCS_DIR
    value = data.get("docs_dir", DEFAULT_DOCS_DIR)
    if isinstance(value, str) and docs_dir_problem(value, _custom_dir(data)) is None:
        return value
    return DEFAULT_DOCS_DIR
