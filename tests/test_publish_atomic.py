"""Publishing is locked and atomic (issue 15, item 2): every site of a run is switched in
together, a run killed at any moment leaves the previous sites whole, the next run removes what
it left, and workers die with the build."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from pipeline.deploy import PublishError
from pipeline.deploy.release import (
    PRUNED,
    RELEASES,
    Release,
    live_release,
    output_lock,
    releases,
    rollback,
)
from tests.helpers import REPO

WRITER = [sys.executable, "-m", "tests.publish_writer"]
GENERATION = re.compile(r"generation (\d+)")


def publish(out: Path, sites: dict[str, str]) -> Release:
    """One run: each site a single index.html with the given text."""
    with output_lock(out):
        release = Release(out)
        for slug, text in sites.items():
            (release.site_folder(slug) / "index.html").write_text(text)
            release.finish_site(slug)
        release.switch(lambda slugs: " ".join(slugs))
    return release


def leftovers(out: Path) -> list[str]:
    return sorted(
        p.relative_to(out).as_posix() for p in out.rglob("*") if p.name.startswith(".staging-")
    )


def test_sites_are_reached_at_stable_paths_through_one_link(tmp_path: Path) -> None:
    out = tmp_path / "build"
    publish(out, {"kainuu": "a1", "lappi": "b1"})
    assert (out / "kainuu/index.html").read_text() == "a1"
    assert os.readlink(out / "kainuu") == f"{RELEASES}/current/kainuu"
    assert (out / "index.html").read_text() == "kainuu lappi"
    publish(out, {"kainuu": "a2", "lappi": "b2"})
    assert [(out / s / "index.html").read_text() for s in ("kainuu", "lappi")] == ["a2", "b2"]


def test_a_run_of_one_site_keeps_the_others_as_they_were(tmp_path: Path) -> None:
    out = tmp_path / "build"
    publish(out, {"kainuu": "a1", "lappi": "b1"})
    lappi = (out / "lappi").resolve()
    publish(out, {"kainuu": "a2"})
    assert (out / "kainuu/index.html").read_text() == "a2"
    assert (out / "lappi").resolve() == lappi  # carried over, not copied
    assert (out / "index.html").read_text() == "kainuu lappi"


def test_two_releases_are_kept_and_older_sites_pruned(tmp_path: Path) -> None:
    out = tmp_path / "build"
    for n in range(4):
        publish(out, {"kainuu": f"a{n}"})
    assert len(releases(out)) == 2
    assert len(list((out / RELEASES / "sites/kainuu").iterdir())) == 2


def test_what_a_run_prunes_is_set_aside_and_deleted_by_the_next_run(tmp_path: Path) -> None:
    out = tmp_path / "build"
    for n in range(3):
        publish(out, {"kainuu": f"a{n}"})
    first = out / RELEASES / "sites/kainuu"
    pruned = list((out / RELEASES).glob(f"{PRUNED}*"))
    # The first run's release and site are out of the releases, whole, until the next run.
    assert len(pruned) == 1 and len(releases(out)) == 2 and len(list(first.iterdir())) == 2
    assert [p.read_text() for p in pruned[0].glob("*-kainuu-*/index.html")] == ["a0"]
    with output_lock(out):
        release = Release(out)
        release.switch()  # waits for the deletion
    assert not pruned[0].exists()
    assert (out / "kainuu/index.html").read_text() == "a2"


def test_old_releases_that_cannot_be_deleted_stop_the_next_switch_in_words(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pipeline.deploy import release as release_module

    out = tmp_path / "build"
    for n in range(3):
        publish(out, {"kainuu": f"a{n}"})

    def refused(folders: list[Path]) -> None:
        raise PermissionError(f"{folders[0]}: Permission denied")

    monkeypatch.setattr(release_module, "remove_folders", refused)
    with output_lock(out):
        release = Release(out)
        with pytest.raises(PublishError, match="old releases could not be removed"):
            release.switch()
    assert (out / "kainuu/index.html").read_text() == "a2"  # the live sites stay


def test_rollback_makes_the_previous_release_live(tmp_path: Path) -> None:
    out = tmp_path / "build"
    publish(out, {"kainuu": "old"})
    with pytest.raises(PublishError, match="no earlier release is kept"):
        rollback(out)
    publish(out, {"kainuu": "new"})
    rollback(out)
    assert (out / "kainuu/index.html").read_text() == "old"
    # The release rolled back from is no leftover: the next run keeps its choice.
    with output_lock(out):
        Release(out)
    assert (out / "kainuu/index.html").read_text() == "old"
    rollback(out)
    assert (out / "kainuu/index.html").read_text() == "new"
    # After a rollback and a new build, the one to go back to is what was live before it.
    rollback(out)
    publish(out, {"kainuu": "fixed"})
    rollback(out)
    assert (out / "kainuu/index.html").read_text() == "old"


def test_a_failed_run_leaves_nothing_and_the_live_sites_stay(tmp_path: Path) -> None:
    out = tmp_path / "build"
    publish(out, {"kainuu": "live"})
    with output_lock(out):
        release = Release(out)
        (release.site_folder("kainuu") / "index.html").write_text("done")
        release.finish_site("kainuu")
        (release.site_folder("lappi") / "index.html").write_text("half")
        release.discard()
    assert leftovers(out) == []
    assert len(list((out / RELEASES / "sites/kainuu").iterdir())) == 1
    assert (out / "kainuu/index.html").read_text() == "live"


def test_a_site_folder_from_before_releases_is_replaced_by_its_link(tmp_path: Path) -> None:
    out = tmp_path / "build"
    (out / "kainuu").mkdir(parents=True)
    (out / "kainuu/index.html").write_text("before")
    publish(out, {"kainuu": "after"})
    assert (out / "kainuu").is_symlink()
    assert (out / "kainuu/index.html").read_text() == "after"


def test_a_second_build_waits_then_stops_with_a_message(tmp_path: Path) -> None:
    out = tmp_path / "build"
    with output_lock(out), pytest.raises(PublishError) as caught, output_lock(out, wait=0.3):
        pass
    message = str(caught.value)
    assert f"another build is writing this folder (pid {os.getpid()}, since" in message
    assert "waited 0.3 s" in message


def test_a_killed_build_does_not_keep_the_folder_locked(tmp_path: Path) -> None:
    out = tmp_path / "build"
    holder = subprocess.Popen(
        [
            sys.executable, "-c",
            "import sys, time; from pathlib import Path; "
            "from pipeline.deploy.release import output_lock\n"
            "with output_lock(Path(sys.argv[1])):\n print('locked', flush=True); time.sleep(60)",
            str(out),
        ],
        stdout=subprocess.PIPE, text=True, cwd=REPO,
    )  # fmt: skip
    assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
    with pytest.raises(PublishError), output_lock(out, wait=0.2):
        pass
    holder.kill()
    holder.wait()
    with output_lock(out, wait=5):
        pass


def test_a_worker_dies_with_its_build(tmp_path: Path) -> None:
    """A gate worker or Pagefind run started with die_with_parent() ends when the build is
    killed, instead of living on for minutes."""
    script = (
        "import subprocess, sys, time\n"
        "from pipeline.lifetime import die_with_parent\n"
        "child = subprocess.Popen(['sleep', '60'], preexec_fn=die_with_parent)\n"
        "print(child.pid, flush=True)\n"
        "time.sleep(60)\n"
    )
    build = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, cwd=REPO)
    assert build.stdout is not None
    worker = int(build.stdout.readline())
    build.send_signal(signal.SIGKILL)
    build.wait()
    assert _gone(worker, within=10.0), f"worker {worker} outlived its build"


def _gone(pid: int, within: float) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().split(") ")[1][0]
        except (FileNotFoundError, IndexError):
            return True
        if state == "Z":  # killed, waiting for init to reap it
            return True
        time.sleep(0.1)
    return False


class Reader(threading.Thread):
    """Reads the live sites over and over while runs are killed. Runs complete in order of
    their generation, so reading site0, then the others, then site0 again must give
    generations that never go down: a site missing, half-written or from another run than
    its neighbours is caught."""

    def __init__(self, out: Path, sites: int, pages: int) -> None:
        super().__init__(daemon=True)
        self.out, self.sites, self.pages = out, sites, pages
        self.stop = threading.Event()
        self.reads = 0
        self.seen: set[int] = set()
        self.errors: list[str] = []

    def generation(self, rel: str) -> int:
        try:
            text = (self.out / rel).read_text()
        except OSError as exc:
            raise AssertionError(f"{rel}: {exc.strerror}") from None
        found = GENERATION.search(text)
        if found is None:
            raise AssertionError(f"{rel}: half-written ({text!r})")
        return int(found.group(1))

    def run(self) -> None:
        n = 0
        while not self.stop.is_set() and len(self.errors) < 5:
            n += 1
            try:
                first = self.generation("site0/index.html")
                middle = [
                    self.generation(f"site{s}/p{(n * 7 + s) % self.pages}/index.html")
                    for s in range(1, self.sites)
                ]
                last = self.generation("site0/index.html")
                listed = self.generation("index.html")
                seq = [first, *middle, last]
                if seq != sorted(seq):
                    self.errors.append(f"sites from different runs at once: {seq}")
                self.seen.update([*seq, listed])
                self.reads += 1
            except AssertionError as exc:
                self.errors.append(str(exc))


def test_killed_at_any_moment_the_previous_sites_stay_whole(tmp_path: Path) -> None:
    out = tmp_path / "build"
    sites, pages = 3, 400
    subprocess.run([*WRITER, str(out), "1", str(sites), str(pages)], cwd=REPO, check=True)
    start = time.monotonic()
    subprocess.run([*WRITER, str(out), "2", str(sites), str(pages)], cwd=REPO, check=True)
    duration = time.monotonic() - start
    reader = Reader(out, sites, pages)
    reader.start()
    generation = 2
    kills = 12
    try:
        for k in range(1, kills + 1):
            generation += 1
            run = subprocess.Popen([*WRITER, str(out), str(generation), str(sites), str(pages)],
                                   cwd=REPO)  # fmt: skip
            # Kill points spread over a whole run: writing, finishing sites, switching.
            time.sleep(duration * k / (kills + 1))
            run.kill()
            run.wait()
            if k % 4 == 0:
                generation += 1
                subprocess.run([*WRITER, str(out), str(generation), str(sites), str(pages)],
                               cwd=REPO, check=True)  # fmt: skip
    finally:
        reader.stop.set()
        reader.join()
    assert reader.errors == []
    assert reader.reads > 20 and len(reader.seen) >= 3
    # The next complete run removes what the killed ones left and keeps two releases.
    generation += 1
    subprocess.run([*WRITER, str(out), str(generation), str(sites), str(pages)], cwd=REPO,
                   check=True)  # fmt: skip
    assert leftovers(out) == []
    assert len(releases(out)) == 2
    for s in range(sites):
        assert len(list((out / RELEASES / "sites" / f"site{s}").iterdir())) <= 2
    live = live_release(out)
    assert live is not None
    assert json.loads((live / "release.json").read_text())["built"] == ["site0", "site1", "site2"]
    assert f"generation {generation}" in (out / "site2/p5/index.html").read_text()


def _descendants(pid: int) -> set[int]:
    """Every process below ``pid`` (children of its threads too), from /proc."""
    found: set[int] = set()
    todo = [pid]
    while todo:
        parent = todo.pop()
        for task in Path(f"/proc/{parent}/task").glob("*"):
            try:
                children = (task / "children").read_text().split()
            except OSError:
                continue
            for child in map(int, children):
                if child not in found:
                    found.add(child)
                    todo.append(child)
    return found


class SiteReader(threading.Thread):
    """Polls a real built site: its home page and manifest are always there and whole, and
    the files the manifest lists are there too."""

    def __init__(self, site: Path) -> None:
        super().__init__(daemon=True)
        self.site = site
        self.stop = threading.Event()
        self.reads = 0
        self.errors: list[str] = []

    def run(self) -> None:
        while not self.stop.is_set() and len(self.errors) < 5:
            try:
                home = (self.site / "fi/index.html").read_text(encoding="utf-8")
                manifest = json.loads((self.site / "manifest.json").read_text(encoding="utf-8"))
                if not home.rstrip().endswith("</html>"):
                    self.errors.append("fi/index.html is half-written")
                for rel in list(manifest["files"])[:: max(1, len(manifest["files"]) // 20)]:
                    (self.site / rel).stat()
                self.reads += 1
            except (OSError, ValueError) as exc:
                self.errors.append(f"{type(exc).__name__}: {exc}")


@pytest.mark.slow
def test_the_real_build_killed_at_several_points_leaves_the_site_whole(tmp_path: Path) -> None:
    from tests.helpers import make_project

    root = make_project(tmp_path)
    out = root / "build"
    command = [sys.executable, "-m", "pipeline", "--root", str(root), "build",
               "--region", "kainuu", "--out", str(out)]  # fmt: skip
    start = time.monotonic()
    subprocess.run(command, check=True, capture_output=True)
    duration = time.monotonic() - start
    reader = SiteReader(out / "kainuu")
    reader.start()
    orphans: set[int] = set()
    try:
        for fraction in (0.3, 0.6, 0.8, 0.95):
            run = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(duration * fraction)
            below = _descendants(run.pid)
            run.kill()
            run.wait()
            orphans |= {pid for pid in below if not _gone(pid, within=10.0)}
    finally:
        reader.stop.set()
        reader.join()
    assert reader.errors == []
    assert reader.reads > 10
    assert orphans == set(), "workers outlived the killed build"
    subprocess.run(command, check=True, capture_output=True)
    assert leftovers(out) == []
    assert len(releases(out)) == 2


def test_a_build_that_fails_while_publishing_leaves_the_live_site(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pipeline import build as build_module
    from tests.helpers import make_project

    root = make_project(tmp_path)
    out = root / "build"
    build_module.build(root, out, areas=["kainuu"], search=False)
    before = {p: (out / p / "fi/index.html").read_text() for p in ("national", "kainuu")}

    def broken_index(*args: object) -> None:
        raise RuntimeError("Pagefind failed on the site")

    monkeypatch.setattr(build_module, "index_site", broken_index)
    with pytest.raises(RuntimeError, match="Pagefind failed"):
        build_module.build(root, out, areas=["kainuu"], search=True)
    assert {p: (out / p / "fi/index.html").read_text() for p in before} == before
    assert leftovers(out) == []
    assert len(releases(out)) == 1
    assert [p.name for p in (out / RELEASES / "sites/kainuu").iterdir()] == [
        live_release(out).name  # type: ignore[union-attr]
    ]
