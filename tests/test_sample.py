"""The committed PTV snapshot is what the sample data makes: editing ``data/sample/`` (or the
generator) without regenerating ``snapshots/ptv/`` fails here."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COMMITTED = ROOT / "snapshots" / "ptv"


def files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_generator_makes_the_committed_snapshot(tmp_path: Path) -> None:
    out = tmp_path / "ptv"
    subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "generate_ptv_snapshot.py"), "--out", str(out)],
        check=True,
        capture_output=True,
    )
    made, committed = files(out), files(COMMITTED)
    assert sorted(made) == sorted(committed)
    changed = [name for name in committed if made[name] != committed[name]]
    assert not changed, (
        f"{len(changed)} files differ from snapshots/ptv/, first {changed[:3]}: run "
        "`python scripts/generate_ptv_snapshot.py` and commit the snapshot with the data"
    )
