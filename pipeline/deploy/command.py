"""``perhekeskus deploy``: the live sites of an output folder to a destination, or a rollback.

Input: the output folder (``build/``), a destination (folder or ``s3://bucket/prefix``), the
sites to deploy (default: every site of the live release) and whether to roll back first.
Output: per site, what was uploaded, deleted and left; :class:`~pipeline.deploy.PublishError`
(in words) when a site, its manifest or the destination cannot be read or written.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from pipeline.deploy import PublishError
from pipeline.deploy.manifest import MANIFEST, read_manifest
from pipeline.deploy.release import live_release, output_lock, rollback
from pipeline.deploy.targets import Deployed, deploy_site, target_for


def live_sites(out_dir: Path) -> list[str]:
    """The sites of the live release."""
    release = live_release(out_dir)
    if release is None:
        raise PublishError(f"{out_dir}: nothing is published there yet (run perhekeskus build)")
    return sorted(p.name for p in release.iterdir() if p.is_symlink())


def deploy(
    out_dir: Path,
    dest: str | None,
    regions: Iterable[str] = (),
    roll_back: bool = False,
    wait: float = 30.0,
) -> tuple[str | None, list[Deployed]]:
    """Roll back (when asked) and deploy; return the release rolled back to and each site's
    result. The output folder stays locked meanwhile, so no build switches it underneath."""
    if not out_dir.is_dir():
        raise PublishError(f"{out_dir}: no such folder (run perhekeskus build, or give --out)")
    with output_lock(out_dir, wait):
        restored = rollback(out_dir).name if roll_back else None
        if dest is None:
            return restored, []
        release = live_release(out_dir)
        available = live_sites(out_dir)
        wanted = list(regions) or available
        unknown = [slug for slug in wanted if slug not in available]
        if unknown:
            raise PublishError(
                f"{out_dir}: no site {', '.join(unknown)} in the live release "
                f"(it has {', '.join(available)})"
            )
        assert release is not None  # live_sites() raised otherwise
        results = []
        for slug in wanted:
            site_dir = (release / slug).resolve()
            manifest = read_manifest(site_dir / MANIFEST)
            results.append(deploy_site(site_dir, manifest, target_for(dest, slug)))
        return restored, results
