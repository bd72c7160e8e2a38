"""How long ``perhekeskus serve`` takes to show a saved edit, in a process of its own.

Input (command line): ``ROOT OUT SLUG REPORT [--edits N]``. Output: ``REPORT``, a JSON file
with the seconds from each save of an article to the moment its page in ``OUT`` holds the
edit, as a writer sees it: the preview's own watcher (polling as ``serve`` does) notices the
save and rebuilds; and the seconds of the first build. The article is put back afterwards.
Exit status 1 with the reason on stderr when the edit never shows.
"""

from __future__ import annotations

import argparse
import json
import sys
import threading
import time
from pathlib import Path

from pipeline.preview import Preview

GIVE_UP = 120.0
"""Seconds after which an edit that has not shown is a failure."""


def _page_of(out: Path, slug: str, article: Path) -> Path:
    """The built page of a Finnish article (its folder name is the file's name)."""
    found = sorted((out / slug / "fi").glob(f"*/{article.stem}/index.html"))
    if not found:
        raise SystemExit(f"{article}: no page {slug}/fi/*/{article.stem}/index.html was built")
    return found[0]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("root", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("slug")
    parser.add_argument("report", type=Path)
    parser.add_argument("--edits", type=int, default=3)
    args = parser.parse_args(argv)
    preview = Preview(
        args.root, args.out, args.slug, "http://127.0.0.1:8000/{slug}/", lambda _: None
    )
    start = time.perf_counter()
    preview.rebuild()
    first = time.perf_counter() - start
    articles = sorted((args.root / "content" / "fi").glob("*.md"))
    article = next(a for a in articles[len(articles) // 2 :] if ".selko" not in a.name)
    page = _page_of(args.out, args.slug, article)
    stop = threading.Event()
    watcher = threading.Thread(target=preview.watch, kwargs={"stop": stop}, daemon=True)
    watcher.start()
    time.sleep(1.5)  # the watcher has taken its first look at the files
    before = article.read_bytes()
    seconds: list[float] = []
    try:
        for n in range(args.edits):
            marker = f"Tallennettu muutos {n}."
            article.write_bytes(before + f"\n{marker}\n".encode())
            saved = time.perf_counter()
            while marker not in page.read_text(encoding="utf-8"):
                if time.perf_counter() - saved > GIVE_UP:
                    print(f"the edit of {article} did not show in {GIVE_UP:.0f} s", file=sys.stderr)
                    return 1
                time.sleep(0.01)
            seconds.append(time.perf_counter() - saved)
            time.sleep(1.0)
    finally:
        article.write_bytes(before)
        stop.set()
    report = {"first build": first, "edits": seconds, "article": str(article)}
    args.report.write_text(json.dumps(report, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
