"""A stand-in build for tests/test_publish_atomic.py: publishes sites of many small pages
through the real release code, every page marked with the run's generation.

Run as ``python -m tests.publish_writer OUT GENERATION [SITES] [PAGES]``."""

from __future__ import annotations

import sys
from pathlib import Path

from pipeline.deploy.release import Release, output_lock


def page(site: str, generation: int, number: int) -> str:
    return f"<!doctype html><title>{site} {number}</title><p>generation {generation}</p>\n"


def main(out: Path, generation: int, sites: int, pages: int) -> None:
    with output_lock(out, wait=60):
        release = Release(out)
        for s in range(sites):
            slug = f"site{s}"
            folder = release.site_folder(slug)
            for n in range(pages):
                (folder / f"p{n}").mkdir()
                (folder / f"p{n}/index.html").write_text(page(slug, generation, n))
            (folder / "index.html").write_text(page(slug, generation, -1))
            release.finish_site(slug)
        release.switch(lambda slugs: f"<p>{' '.join(slugs)} generation {generation}</p>\n")


if __name__ == "__main__":
    args = [*sys.argv[1:], "3", "400"][:4]
    main(Path(args[0]), int(args[1]), int(args[2]), int(args[3]))
