"""JSON text as the build writes it for people and tools to read (reports, site manifests),
and reads it back.

In: plain JSON data (dicts with string or number keys, lists, strings, numbers, booleans,
None). Out: UTF-8 text indented by two spaces, letters such as ä and å as they are, ending in
a newline. Made by orjson, in C: the standard library's encoder is pure Python as soon as it
indents (0.3 s for one county's PTV report of 8 MB; 7 s for the 23 counties of a build).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson

_OPTIONS = orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE | orjson.OPT_NON_STR_KEYS


def readable(data: Any) -> str:
    """``data`` as indented JSON text."""
    return orjson.dumps(data, option=_OPTIONS).decode("utf-8")


def write(path: Path, data: Any) -> None:
    """Write ``data`` to ``path`` as indented JSON text."""
    path.write_bytes(orjson.dumps(data, option=_OPTIONS))


def read(path: Path) -> Any:
    """The JSON data of the file ``path`` (OSError when it cannot be read, ValueError when it
    is not JSON): parsed in C, as a site's manifest of ten thousand files is on every build."""
    return orjson.loads(path.read_bytes())
