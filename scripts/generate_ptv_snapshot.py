"""Make the embedded PTV snapshot (``snapshots/ptv/``) from the synthetic sample.

The sample (``scripts/ptv_sample.py``, from the files in ``data/sample/``) is served by the
local stand-in for the v11 API (``pipeline/testing/fake_ptv.py``) and fetched with the real
client and fetch stage, so the committed snapshot has exactly the layout and raw answers a
nightly fetch writes. The clock is fixed, so running this again gives the same bytes. The
snapshot is marked synthetic: the sites say the services are sample data.

Run: ``python scripts/generate_ptv_snapshot.py`` (replaces ``snapshots/ptv/``), or
``--out DIR`` to write into a new folder instead, for example to compare:
``python scripts/generate_ptv_snapshot.py --out /tmp/ptv && diff -r /tmp/ptv snapshots/ptv``.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "scripts")]

from ptv_sample import build_sample  # noqa: E402

from pipeline.content.config import load_config  # noqa: E402
from pipeline.content.load import load_areas  # noqa: E402
from pipeline.problems import Problems  # noqa: E402
from pipeline.sources.ptv.fetch import Fetcher  # noqa: E402
from pipeline.sources.ptv.source import V11Source  # noqa: E402
from pipeline.testing.fake_ptv import FakePtv  # noqa: E402

FETCHED_AT = datetime(2026, 11, 20, 2, 0, 0, tzinfo=UTC)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--out", type=Path, help="a new folder to write to (default: replace the snapshot store)"
    )
    args = parser.parse_args(argv)
    problems = Problems()
    config = load_config(ROOT, problems)
    areas = load_areas(ROOT, config, problems)
    if problems.errors:
        print("\n".join(map(str, problems.errors)))
        return 1
    target = args.out or ROOT / config.extra.ptv.snapshots
    if args.out and args.out.exists() and any(args.out.iterdir()):
        print(f"{args.out} is not empty; give a new folder")
        return 1
    if target.exists():
        shutil.rmtree(target)
    sample = build_sample(ROOT)
    fake = FakePtv(sample.services, sample.channels, sample.organizations)
    municipalities = sorted({m.code for a in areas.values() for m in a.region.municipalities})
    with fake.serve() as url:
        source = V11Source(
            url,
            clock=lambda: FETCHED_AT,
            nationwide_probe=config.extra.ptv.nationwide_probe,
            record_as=config.extra.ptv.url,
        )
        fetcher = Fetcher(source, target, clock=lambda: FETCHED_AT, workers=1, synthetic=True)
        result = fetcher.run(municipalities, "full", all_areas=True)
    (target / ".lock").unlink(missing_ok=True)  # the store's lock file: not part of a snapshot
    print(
        f"{result.snapshot.id}: {result.services} services, {result.channels} channels, "
        f"{result.organisations} organisations in {result.answers} answers; "
        f"{len(result.warnings)} items skipped"
    )
    for warning in result.warnings:
        print(" ", warning)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
