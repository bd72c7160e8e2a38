"""One timed build in a process of its own, for the benchmark's peak memory.

Input (command line): ``ROOT OUT REPORT [--region SLUG ...] [--today DATE]``. Output: the
build of ``ROOT`` into ``OUT``, as ``perhekeskus build`` does it, and ``REPORT``, a JSON file
with the build's own report: pages per site, pages rendered once, pages carried over and
checked anew per site, seconds per stage, warnings.
Exit status 1 with the reason on stderr when the build fails.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path

from pipeline.problems import InvalidInput


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("root", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("report", type=Path)
    parser.add_argument("--region", action="append", default=[])
    parser.add_argument("--today", type=date.fromisoformat)
    args = parser.parse_args(argv)
    # Here, not above: the build's gate processes import this module again (spawn).
    from pipeline.build import build

    try:
        report = build(
            args.root,
            args.out,
            areas=args.region or None,
            national=not args.region,
            progress=False,
            today=args.today,
        )
    except InvalidInput as exc:
        print("\n".join(map(str, exc.problems)), file=sys.stderr)
        print(exc, file=sys.stderr)
        return 1
    summary = {
        "sites": report.sites,
        "pages": report.pages,
        "national_pages": report.national_pages,
        "carried": report.carried,
        "rechecked": report.rechecked,
        "stages": report.timings,
        "warnings": len(report.warnings),
    }
    args.report.write_text(json.dumps(summary, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
