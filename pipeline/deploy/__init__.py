"""Publishing and deployment: the output folder's releases (:mod:`.release`), the CDN files
and headers (:mod:`.cdn`), the manifest of file hashes (:mod:`.manifest`) and the targets a
site is deployed to, a folder or S3-compatible storage (:mod:`.targets`)."""

from __future__ import annotations

import os
from pathlib import Path


class PublishError(Exception):
    """Publishing or deploying cannot go on; the message says why in words (a file, a
    setting, another build) and the live sites stay as they were."""


def live_file_lost(rel: str, problem: str) -> PublishError:
    """A file of the live site that the build counted on is ``problem`` (missing, unreadable):
    the output folder was changed by hand, and the error says how to build anew."""
    what = "page" if rel.endswith(".html") else "file"
    return PublishError(
        f"{rel}: this {what} of the live site {problem}; was the output folder changed by "
        f"hand? PERHEKESKUS_CACHE=off makes every page anew."
    )


def files_in(folder: Path) -> list[str]:
    """Every file in ``folder`` by its path in it, through the folders a site folder shares
    with an earlier one (symbolic links: :func:`pipeline.deploy.reuse.share_tree`), which
    :meth:`pathlib.Path.rglob` does not enter."""
    return [
        Path(parent, name).relative_to(folder).as_posix()
        for parent, _, names in os.walk(folder, followlinks=True)
        for name in names
    ]
