"""YAML reading that can say where every value came from.

Input: YAML text (a whole file, or the front matter of a Markdown file) and its path.
Output: plain Python data, plus :func:`line_of` to turn a pydantic error location into the line
a person should look at, and :func:`validation_problems` to turn a pydantic ``ValidationError``
into :class:`~pipeline.problems.Problem` objects.

Two parsers, one result. The common path is libyaml (PyYAML's ``CSafeLoader``), many times
faster than ruamel's pure-Python round-trip parser, which was most of the load stage. Line
numbers are needed only when there is a problem to report, so the parsed mapping or list keeps
its text, and :func:`line_of` parses it again with ruamel (once, on first use) to find the line.
Whatever the fast path is not sure to read exactly as ruamel does (YAML 1.1 booleans such as
``yes``, octal or sexagesimal numbers, times, merge keys, tags, duplicate keys, a syntax error)
is handed to ruamel, so values and error messages are the same as with ruamel alone.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, TypeVar

import yaml as pyyaml
from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError

from pipeline.problems import Problems, did_you_mean

M = TypeVar("M", bound=BaseModel)


class _SlowPath(Exception):
    """The fast parser met something ruamel may read differently: let ruamel read the text."""


class _FastLoader(pyyaml.CSafeLoader):  # type: ignore[misc]  # PyYAML has no types here
    """libyaml with YAML 1.2's plain scalars, the way ruamel reads them (``yes`` is a string).

    Only the common forms are resolved here; the rarer forms ruamel would read as numbers or
    times raise :class:`_SlowPath` instead of being read in YAML 1.1's way.
    """

    yaml_implicit_resolvers: dict[Any, Any] = {}

    def construct_mapping(self, node: Any, deep: bool = False) -> Any:
        keys = [key.value for key, _ in node.value if isinstance(key, pyyaml.ScalarNode)]
        if len(keys) != len(set(keys)):
            raise _SlowPath("a duplicate key (ruamel says which)")
        return super().construct_mapping(node, deep=deep)


def _slow(loader: _FastLoader, node: Any) -> Any:
    raise _SlowPath(f"{node.tag}: {node.value!r}")


SLOW_TAG = "tag:perhekeskus,2026:slow"
_FAST_RESOLVERS = (
    # Tried in this order for each first character; the first that matches wins.
    ("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    ("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
    ("tag:yaml.org,2002:int", r"^[-+]?(?:0|[1-9][0-9]*)$", "-+0123456789"),
    ("tag:yaml.org,2002:float", r"^[-+]?[0-9]+\.[0-9]+$", "-+0123456789"),
    ("tag:yaml.org,2002:timestamp", r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$", "0123456789"),
    # What ruamel (YAML 1.2) reads as an int, float, timestamp or merge key in another form:
    # its own patterns (ruamel/yaml/resolver.py), so a string is never sent the slow way.
    (
        SLOW_TAG,
        r"^(?:[-+]?0b[0-1_]+|[-+]?0o?[0-7_]+|[-+]?[0-9_]+|[-+]?0x[0-9a-fA-F_]+)$",
        "-+0123456789",
    ),
    (
        SLOW_TAG,
        r"^(?:[-+]?[0-9][0-9_]*\.[0-9_]*(?:[eE][-+]?[0-9]+)?|[-+]?[0-9][0-9_]*[eE][-+]?[0-9]+"
        r"|[-+]?\.[0-9_]+(?:[eE][-+][0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
        "-+0123456789.",
    ),
    (
        SLOW_TAG,
        r"^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}"
        r"(?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?$",
        "0123456789",
    ),
    (SLOW_TAG, r"^(?:<<|=)$", "<="),
)
for _tag, _pattern, _first in _FAST_RESOLVERS:
    _FastLoader.add_implicit_resolver(_tag, re.compile(_pattern), list(_first))
_FastLoader.add_constructor(SLOW_TAG, _slow)


class SourcedDict(dict[Any, Any]):
    """A mapping read by the fast path, with its text for :func:`line_of`."""

    yaml_text: str
    lines: Any = None
    """The same text read by ruamel, with line numbers; parsed on first use."""


class SourcedList(list[Any]):
    """A list read by the fast path, with its text for :func:`line_of`."""

    yaml_text: str
    lines: Any = None


def _fast_parse(text: str) -> Any:
    """The text read by libyaml, or :class:`_SlowPath` when ruamel should read it."""
    if text.lstrip().startswith("%"):  # a %YAML or %TAG directive changes how scalars read
        raise _SlowPath("a directive")
    try:
        data = pyyaml.load(text, Loader=_FastLoader)
    except pyyaml.YAMLError as exc:
        raise _SlowPath(str(exc)) from exc
    if isinstance(data, dict):
        data = SourcedDict(data)
    elif isinstance(data, list):
        data = SourcedList(data)
    else:
        return data
    data.yaml_text = text
    return data


def _round_trip(text: str) -> Any:
    """The text read by ruamel's round-trip parser, which keeps every value's line."""
    return YAML(typ="rt", pure=True).load(text)


def parse_yaml(text: str, path: str, problems: Problems, first_line: int = 1) -> Any:
    """Parse YAML; on a syntax error record it (``path:line: message``) and return None.

    ``first_line`` is the file line of the text's first line (front matter starts on line 2).
    """
    try:
        return _fast_parse(text)
    except _SlowPath:
        pass
    try:
        return _round_trip(text)
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
    if isinstance(data, SourcedDict | SourcedList):
        if data.lines is None:
            data.lines = _round_trip(data.yaml_text)
        data = data.lines
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


def read_model(path: Path, display: str, model: type[M], problems: Problems) -> M | None:
    """A YAML data file read and validated as ``model``; None with every problem recorded as
    ``display:line: message`` when it cannot be read, parsed or validated."""
    text = read_text(path, display, problems)
    data = parse_yaml(text, display, problems) if text is not None else None
    if data is None:
        return None
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        validation_problems(exc, data, display, problems, model=model)
        return None
