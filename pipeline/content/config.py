"""The national configuration, ``mkdocs.yml``.

Input: ``mkdocs.yml`` in MkDocs' shape (site name and URL, ``markdown_extensions``,
``theme.custom_dir``, ``extra``).
Output: a frozen :class:`SiteConfig`. Unknown top-level keys are warnings (as in MkDocs);
everything under ``extra`` is ours and checked strictly.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from pipeline.content.models import Lang, Localized, PhoneNumber, Strict, Url
from pipeline.content.yamlfile import line_of, parse_yaml, read_text, validation_problems
from pipeline.problems import InvalidInput, Problems


class NationalHelp(Strict):
    """A national help number shown in every site's help panel."""

    id: str
    number: PhoneNumber
    name: Localized
    note: Localized | None = None
    hours: Localized | None = None
    languages: list[Lang] = ["fi", "sv", "en"]
    """Pages in which languages show the number (a line that only serves in Finnish...)."""


class PtvSettings(Strict):
    """Where the nightly fetch asks PTV (``PERHEKESKUS_PTV_URL`` overrides ``url``)."""

    url: Url = "https://api.palvelutietovaranto.suomi.fi/api/v11/"
    snapshots: str = "snapshots/ptv"
    """Folder of the snapshots, relative to the project."""
    nationwide_probe: str = Field(default="435", pattern=r"^\d{3}$")
    """A small municipality whose query with the whole country gives the nationwide services."""
    concurrency: int = Field(default=4, ge=1, le=8)
    """How many requests at once; PTV has no published rate limit, so stay modest."""


class Authority(Strict):
    """The supervisory authority named in every accessibility statement."""

    name: Localized
    url: Url
    email: str = Field(pattern=r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$")
    phone: str = Field(pattern=r"^\+?[0-9 ]{3,20}$")


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
    accessibility: AccessibilitySettings


class Theme(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    name: str | None = None
    custom_dir: str
    language: Lang = "fi"


class SiteConfig(BaseModel):
    """``mkdocs.yml``: the keys MkDocs knows that we use, plus our ``extra``."""

    model_config = ConfigDict(extra="ignore", frozen=True)
    site_name: str
    site_description: str = ""
    site_url: Url
    docs_dir: str = "content"
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


KNOWN_MKDOCS_KEYS = {
    "site_name", "site_description", "site_url", "site_author", "copyright", "docs_dir",
    "site_dir", "theme", "markdown_extensions", "extra", "nav", "repo_url", "repo_name",
    "edit_uri", "plugins", "extra_css", "extra_javascript", "strict", "use_directory_urls",
    "validation", "watch", "exclude_docs", "not_in_nav", "hooks", "dev_addr",
}  # fmt: skip


def load_config(root: Path, problems: Problems) -> SiteConfig:
    """Read ``mkdocs.yml``; raise InvalidInput if it cannot be used."""
    path = root / "mkdocs.yml"
    text = read_text(path, "mkdocs.yml", problems)
    data = parse_yaml(text, "mkdocs.yml", problems) if text is not None else None
    if not isinstance(data, dict):
        if data is not None:
            problems.error("mkdocs.yml", 1, "the file must be a mapping of settings")
        raise InvalidInput(problems, "mkdocs.yml")
    for key in data:
        if key not in KNOWN_MKDOCS_KEYS:
            problems.warning(
                "mkdocs.yml", line_of(data, (key,)), f"Unrecognised configuration name: {key}"
            )
    try:
        config = SiteConfig.model_validate(data)
    except ValidationError as exc:
        validation_problems(exc, data, "mkdocs.yml", problems, model=SiteConfig)
        raise InvalidInput(problems, "mkdocs.yml") from None
    if not (root / config.theme.custom_dir).is_dir():
        problems.error(
            "mkdocs.yml",
            line_of(data, ("theme", "custom_dir")),
            f"theme.custom_dir: the folder '{config.theme.custom_dir}' does not exist",
        )
        raise InvalidInput(problems, "mkdocs.yml")
    return config
