"""YAML reading that remembers where every value came from.

Input: YAML text (a whole file, or the front matter of a Markdown file) and its path.
Output: plain Python data, plus :func:`line_of` to turn a pydantic error location into the line
a person should look at, and :func:`validation_problems` to turn a pydantic ``ValidationError``
into :class:`~pipeline.problems.Problem` objects.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError

from pipeline.problems import Problems, did_you_mean


def parse_yaml(text: str, path: str, problems: Problems, first_line: int = 1) -> Any:
    """Parse YAML keeping line information; on a syntax error record it and return None.

    ``first_line`` is the file line of the text's first line (front matter starts on line 2).
    """
    yaml = YAML(typ="rt", pure=True)
    try:
        return yaml.load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + first_line if mark is not None else first_line
        reason = exc.problem or exc.context or "invalid YAML"
        problems.error(path, line, f"the YAML cannot be read: {reason}")
    except Exception as exc:  # ruamel raises a few non-marked errors (duplicate keys, tabs)
        problems.error(path, first_line, f"the YAML cannot be read: {exc}")
    return None


def line_of(data: Any, loc: tuple[int | str, ...], first_line: int = 1) -> int:
    """The file line of the value at ``loc`` in data parsed by :func:`parse_yaml`.

    Walks as deep as the data goes; a missing key points at its parent.
    """
    line = 0
    node = data
    for part in loc:
        if isinstance(node, CommentedMap) and part in node:
            line = node.lc.key(part)[0]
            node = node[part]
        elif isinstance(node, CommentedSeq) and isinstance(part, int) and part < len(node):
            line = node.lc.item(part)[0]
            node = node[part]
        else:
            if isinstance(node, CommentedMap | CommentedSeq) and part == loc[0] and not line:
                line = node.lc.line
            break
    return line + first_line


def _field_path(loc: tuple[int | str, ...]) -> str:
    parts: list[str] = []
    for part in loc:
        if isinstance(part, int):
            parts[-1:] = [f"{parts[-1]}[{part + 1}]" if parts else f"item {part + 1}"]
        else:
            parts.append(str(part))
    return ".".join(parts)


PATTERN_HINTS = {
    "[a-z0-9]+(-[a-z0-9]+)*": "lowercase letters a-z, digits and hyphens, e.g. 'lastenneuvola'",
    "[0-9][0-9 ]": "a phone number of digits and spaces, e.g. '08 6156 3150'",
    "https?://": "a web address starting with https://",
    "https://": "a web address starting with https://",
    "@": "an email address",
    r"\d{3}": "a three-digit municipality code, e.g. '091'",
    r"\d{2}": "a two-digit area code, e.g. '01'",
    "{slug}": "an address with {slug} in it",
    "[0-9a-f]": "a revision: 7 to 64 characters 0-9 and a-f",
}
"""What a person should write instead, by a fragment of the pattern that failed."""


def _known_fields(model: type[BaseModel] | None, loc: tuple[int | str, ...]) -> list[str]:
    """The field names of the (nested) model at ``loc``, for "Did you mean" hints."""
    for part in loc:
        if model is None:
            return []
        if isinstance(part, int):
            continue
        field = model.model_fields.get(str(part))
        annotation = field.annotation if field else None
        candidates = [annotation, *getattr(annotation, "__args__", ())]
        model = next(
            (c for c in candidates if isinstance(c, type) and issubclass(c, BaseModel)), None
        )
        if model is None:
            for c in candidates:  # list[Model]
                inner = getattr(c, "__args__", ())
                model = next(
                    (i for i in inner if isinstance(i, type) and issubclass(i, BaseModel)), None
                )
                if model:
                    break
    return list(model.model_fields) if model else []


def _message(error: ErrorDetails, model: type[BaseModel] | None) -> str:
    loc = tuple(p for p in error["loc"] if not isinstance(p, str) or not p.startswith("function-"))
    field = _field_path(loc)
    kind = error["type"]
    if kind == "extra_forbidden":
        hint = did_you_mean(str(loc[-1]), _known_fields(model, loc[:-1]))
        return f"unknown field '{field}'.{hint}"
    if kind == "missing":
        return f"the required field '{field}' is missing"
    if kind == "string_pattern_mismatch":
        pattern = str(error.get("ctx", {}).get("pattern", ""))
        hint = next((text for key, text in PATTERN_HINTS.items() if key in pattern), "")
        value = error.get("input")
        return f"{field}: '{value}' is not valid here" + (f"; write {hint}" if hint else "")
    msg = str(error["msg"])
    for prefix in ("Value error, ", "Assertion failed, "):
        msg = msg.removeprefix(prefix)
    return f"{field}: {msg}" if field else msg


def validation_problems(
    exc: ValidationError,
    data: Any,
    path: str,
    problems: Problems,
    first_line: int = 1,
    model: type[BaseModel] | None = None,
) -> None:
    """Record every error of a pydantic validation as ``path:line: message``."""
    for error in exc.errors(include_url=False):
        loc = tuple(error["loc"])
        problems.error(path, line_of(data, loc, first_line), _message(error, model))


def read_text(path: Path, display: str, problems: Problems) -> str | None:
    """Read a UTF-8 file, recording an unreadable or badly encoded file as a problem."""
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        problems.error(display, None, f"the file is not UTF-8 text ({exc.reason})")
    except OSError as exc:
        problems.error(display, None, f"the file cannot be read: {exc.strerror}")
    return None
