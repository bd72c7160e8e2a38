"""The set-up of a fresh machine (pipeline/testing/setup.py): what is missing is installed with
apt-get when the session may, or named in one line with the command to run; the npm tools are
installed from the committed lock once, and again only when it changes."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from pipeline.testing.setup import (
    NPM_SOURCE,
    REPO,
    STAMP,
    SetupFailed,
    Tool,
    apt_prefix,
    ensure_npm_tools,
    ensure_system,
    is_present,
    load,
    npm_tool_versions,
)

TOOLS, SESSIONS = load()


def on_path(path: Path) -> Any:
    """The machine's check with ``path`` as PATH; Voikko (a library, not a command) is there."""
    return lambda tool: is_present(tool, path=str(path)) if tool.commands else True


class Recorder:
    """A stand-in for subprocess.run that records the commands and returns ``status``."""

    def __init__(self, status: int = 0, stderr: bytes = b"") -> None:
        self.commands: list[list[str]] = []
        self.status = status
        self.stderr = stderr

    def __call__(self, command: list[str], **options: Any) -> subprocess.CompletedProcess[bytes]:
        self.commands.append(command)
        return subprocess.CompletedProcess(command, self.status, b"", self.stderr)


# --- Debian packages ---------------------------------------------------------------------------


def test_without_root_the_tests_stop_with_one_line_naming_the_command(tmp_path: Path) -> None:
    run = Recorder()
    outcome = ensure_system(
        SESSIONS["tests"], TOOLS, present=on_path(tmp_path), prefix=lambda: None, run=run
    )
    assert not outcome.go_on
    assert outcome.message == (
        "nox -s tests needs Debian's "
        "chromium (Playwright and QualWeb drive Debian's Chromium (a browser is never "
        "downloaded)), default-jre-headless (the Nu Html Checker (vnu.jar) runs in Java), "
        "npm (axe-core, vnu-jar and QualWeb come from npm; QualWeb runs in Node.js), "
        "nginx libnginx-mod-http-brotli-static (tests/test_nginx.py serves a built county with "
        "the generated server block): "
        "run: sudo apt-get update && sudo apt-get install -y --no-install-recommends "
        "chromium default-jre-headless npm nginx libnginx-mod-http-brotli-static."
    )
    assert "\n" not in outcome.message
    assert run.commands == []


def test_the_build_goes_on_without_voikko_and_says_how_to_get_it() -> None:
    outcome = ensure_system(
        SESSIONS["build"], TOOLS, present=lambda tool: False, prefix=lambda: None, run=Recorder()
    )
    assert outcome.go_on
    assert outcome.message == (
        "nox -s build needs Debian's libvoikko1 voikko-fi (Finnish compound words and base "
        "forms in the search index): run: sudo apt-get update && sudo apt-get install -y "
        "--no-install-recommends libvoikko1 voikko-fi. The session goes on without them."
    )


def test_nothing_missing_nothing_said() -> None:
    run = Recorder()
    outcome = ensure_system(
        SESSIONS["tests"], TOOLS, present=lambda tool: True, prefix=lambda: [], run=run
    )
    assert (outcome.go_on, outcome.message, run.commands) == (True, "", [])


def test_with_sudo_the_missing_packages_are_installed() -> None:
    installed: set[str] = set()
    run = Recorder()

    def present(tool: Tool) -> bool:
        return tool.name in installed or tool.name == "voikko"

    def apt(command: list[str], **options: Any) -> subprocess.CompletedProcess[bytes]:
        if "install" in command:
            installed.update(("chromium", "java", "node", "nginx"))
        return run(command, **options)

    outcome = ensure_system(
        SESSIONS["tests"], TOOLS, present=present, prefix=lambda: ["sudo"], run=apt
    )
    assert (outcome.go_on, outcome.message) == (True, "")
    env = ["env", "DEBIAN_FRONTEND=noninteractive"]
    assert run.commands == [
        ["sudo", *env, "apt-get", "update", "-qq"],
        ["sudo", *env, "apt-get", "install", "-y", "-qq", "--no-install-recommends",
         "chromium", "default-jre-headless", "npm", "nginx", "libnginx-mod-http-brotli-static"],
    ]  # fmt: skip


def test_a_failed_apt_get_as_root_is_said_with_the_command_without_sudo() -> None:
    outcome = ensure_system(
        SESSIONS["a11y"], TOOLS, present=lambda t: t.name != "java", prefix=lambda: [],
        run=Recorder(status=100),
    )  # fmt: skip
    assert not outcome.go_on
    assert outcome.message.endswith(
        ": apt-get could not install them (exit status 100); run: apt-get update && "
        "apt-get install -y --no-install-recommends default-jre-headless."
    )


def test_an_apt_get_that_cannot_start_is_a_failure() -> None:
    def run(command: list[str], **options: Any) -> subprocess.CompletedProcess[bytes]:
        raise FileNotFoundError(command[0])

    outcome = ensure_system(
        SESSIONS["a11y"], TOOLS, present=lambda t: t.name != "java", prefix=lambda: [], run=run
    )
    assert not outcome.go_on
    assert "apt-get could not install them (exit status 127)" in outcome.message


def test_who_may_run_apt_get() -> None:
    assert apt_prefix(euid=0, sudo_works=lambda: False) == []
    assert apt_prefix(euid=1000, sudo_works=lambda: True) == ["sudo"]
    assert apt_prefix(euid=1000, sudo_works=lambda: False) is None


def test_a_command_is_found_only_on_path(tmp_path: Path) -> None:
    java = next(t for t in TOOLS.values() if t.commands == ("java",))
    assert not is_present(java, path=str(tmp_path))
    (tmp_path / "java").write_text("#!/bin/sh\n")
    (tmp_path / "java").chmod(0o755)
    assert is_present(java, path=str(tmp_path))


def _python_for(user: str | None) -> str | None:
    """A Python 3.11+ that ``user`` may run (only the standard library is needed)."""
    if user is None:
        return sys.executable
    python = shutil.which("python3", path="/usr/bin:/usr/local/bin")
    if python is None:
        return None
    # The user must also reach the checkout (a clone in a private folder, such as mktemp -d
    # makes, is out of nobody's reach).
    check = subprocess.run(
        [python, "-c", "import tomllib, pipeline.testing.setup"],
        cwd=REPO,
        user=user,
        capture_output=True,
        check=False,
    )
    return python if check.returncode == 0 else None


def test_the_command_line_stops_a_user_without_the_tools_with_one_line(tmp_path: Path) -> None:
    # As root, the check runs as "nobody" (who may not use apt-get); as anyone else, as is.
    user = "nobody" if os.geteuid() == 0 else None
    python = _python_for(user)
    if python is None:
        pytest.skip("no Python 3.11 that the user nobody may run on this checkout")
    done = subprocess.run(
        [python, "-m", "pipeline.testing.setup", "tests"],
        cwd=REPO,
        env={"PATH": "/nonexistent"},
        user=user,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1
    assert done.stdout == ""
    lines = done.stderr.splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("nox -s tests needs Debian's chromium (")
    command = re.search(r"run: (sudo apt-get update && sudo apt-get install .*)\.$", lines[0])
    assert command, lines[0]
    assert {"chromium", "default-jre-headless", "npm"} <= set(command.group(1).split())


def test_the_packages_file_is_checked(tmp_path: Path) -> None:
    path = tmp_path / "debian-packages.toml"
    path.write_text('[tools.java]\npackages = ["default-jre-headless"]\npurpose = "x"\n')
    with pytest.raises(SetupFailed, match=rf"^{re.escape(str(path))}: KeyError: 'sessions'"):
        load(path)
    path.write_text(
        path.read_text() + '[sessions.a11y]\nneeds = ["java", "chromium"]\nwhen_missing = "stop"\n'
    )
    with pytest.raises(SetupFailed, match="sessions need tools it does not define: chromium"):
        load(path)


# --- npm tools ---------------------------------------------------------------------------------


@pytest.fixture
def npm_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A package.json and lock, and an ``npm`` on PATH that the recorder stands in for."""
    source = tmp_path / "a11y"
    source.mkdir()
    (source / "package.json").write_text('{"dependencies": {"axe-core": "4.11.0"}}')
    (source / "package-lock.json").write_text('{"lockfileVersion": 3}')
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "npm").write_text("#!/bin/sh\n")
    (bin_dir / "npm").chmod(0o755)
    monkeypatch.setenv("PATH", str(bin_dir))
    return source


class NpmCi(Recorder):
    def __call__(self, command: list[str], **options: Any) -> subprocess.CompletedProcess[bytes]:
        if self.status == 0:
            (Path(options["cwd"]) / "node_modules").mkdir(exist_ok=True)
        return super().__call__(command, **options)


def test_npm_tools_are_installed_once_per_lock(npm_project: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    run = NpmCi()
    assert ensure_npm_tools(npm_project, cache, run=run) == cache
    assert [c[1:] for c in run.commands] == [
        ["ci", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error"]
    ]
    assert (cache / "package-lock.json").read_text() == '{"lockfileVersion": 3}'
    ensure_npm_tools(npm_project, cache, run=run)
    assert len(run.commands) == 1  # the stamp matches: nothing to do
    (npm_project / "package-lock.json").write_text('{"lockfileVersion": 3, "x": 1}')
    ensure_npm_tools(npm_project, cache, run=run)
    assert len(run.commands) == 2


def test_a_failed_npm_ci_leaves_no_stamp(npm_project: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    with pytest.raises(
        SetupFailed, match=r"npm ci in .* failed \(exit status 1\): npm ERR! / E404 Not Found"
    ):
        ensure_npm_tools(
            npm_project, cache, run=NpmCi(status=1, stderr=b"npm ERR!\nE404 Not Found")
        )
    assert not (cache / STAMP).exists()


def test_no_npm_is_said(npm_project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "nowhere"))
    with pytest.raises(SetupFailed, match="npm not found: install Debian's npm"):
        ensure_npm_tools(npm_project, tmp_path / "cache", run=NpmCi())


def test_the_npm_tools_are_pinned_exactly_and_locked() -> None:
    pins = npm_tool_versions()
    assert {"axe-core", "vnu-jar", "@qualweb/core", "@qualweb/act-rules"} <= pins.keys()
    assert all(re.fullmatch(r"\d+\.\d+\.\d+", v) for v in pins.values()), pins
    lock = json.loads((NPM_SOURCE / "package-lock.json").read_text())
    assert lock["packages"][""]["dependencies"] == pins
    locked = {name: lock["packages"][f"node_modules/{name}"]["version"] for name in pins}
    assert locked == pins
