"""What the sessions need outside Python: Debian packages, and the pinned npm tools.

Input: a session's name (``build``, ``tests``, ``a11y``, ``search-quality``) and what it needs,
from ``tools/debian-packages.toml``; the machine (the commands on ``PATH``, whether libvoikko
opens its Finnish dictionary, whether this process is root or may use sudo without a
password); ``tools/a11y/package.json`` and its ``package-lock.json``.
Output: the missing Debian packages installed with apt-get when the session may do so, or else
one line naming the command to run (:class:`Outcome`); the npm tools installed with ``npm ci``
into ``.cache/a11y``, skipped when the stamp there says this lock is installed already.

``python -m pipeline.testing.setup SESSION`` is what ``noxfile.py`` runs; ``tests/conftest.py``
calls :func:`prepare` before the first test when slow tests are selected. Only the standard
library is used (libvoikko, a project dependency, is tried where it is needed), so the checks
run before anything else is set up.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tomllib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PACKAGES_FILE = REPO / "tools" / "debian-packages.toml"
NPM_SOURCE = REPO / "tools" / "a11y"
"""``package.json`` and ``package-lock.json`` of the audit's npm tools: the one place they are
pinned. Other sets of npm tools (``tools/lighthouse``) sit beside it, one folder each."""
NPM_CACHE = REPO / ".cache" / "a11y"
"""Where ``npm ci`` installs them (git-ignored); the audit's ``--tools`` folder."""


def npm_folders(name: str) -> tuple[Path, Path]:
    """The pinned source (``tools/<name>``) and the install folder (``.cache/<name>``) of a set
    of npm tools."""
    return REPO / "tools" / name, REPO / ".cache" / name


STAMP = "installed.sha256"
"""In ``NPM_CACHE``: the hash of the ``package.json`` and lock that were installed there."""


class SetupFailed(Exception):
    """The set-up could not be read or done; the message says what, for a person to fix."""


@dataclass(frozen=True)
class Tool:
    """Something from Debian: its packages and how to tell it is installed."""

    name: str
    packages: tuple[str, ...]
    commands: tuple[str, ...]
    """Found on ``PATH``."""
    voikko: str | None
    """A language whose dictionary libvoikko must open."""
    purpose: str


@dataclass(frozen=True)
class Session:
    name: str
    needs: tuple[str, ...]
    npm_tools: tuple[str, ...]
    """The sets of npm tools it installs (``tools/<name>`` into ``.cache/<name>``)."""
    stop: bool
    """Stop when something is missing (else go on without it, with the line as a warning)."""


@dataclass(frozen=True)
class Outcome:
    go_on: bool
    """The session may run: everything it needs is there, or it can do without what is not."""
    message: str
    """One line for the person running the session ("" when there is nothing to say)."""


# --- reading tools/debian-packages.toml --------------------------------------------------------


def load(path: Path = PACKAGES_FILE) -> tuple[dict[str, Tool], dict[str, Session]]:
    """The tools and the sessions; :class:`SetupFailed` with ``path: message`` when unreadable."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        tools = {name: _tool(name, t) for name, t in data["tools"].items()}
        sessions = {name: _session(name, s) for name, s in data["sessions"].items()}
    except (OSError, tomllib.TOMLDecodeError, KeyError, TypeError, ValueError) as error:
        raise SetupFailed(f"{path}: {type(error).__name__}: {error}") from None
    unknown = sorted({n for s in sessions.values() for n in s.needs} - tools.keys())
    if unknown:
        raise SetupFailed(f"{path}: sessions need tools it does not define: {', '.join(unknown)}")
    return tools, sessions


def _strings(value: object) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError(f"expected a list of strings, not {value!r}")
    return tuple(value)


def _tool(name: str, data: Mapping[str, object]) -> Tool:
    voikko = data.get("voikko")
    if voikko is not None and not isinstance(voikko, str):
        raise ValueError(f"tools.{name}.voikko: expected a language code, not {voikko!r}")
    return Tool(
        name=name,
        packages=_strings(data["packages"]),
        commands=_strings(data.get("commands", [])),
        voikko=voikko,
        purpose=str(data["purpose"]),
    )


def _npm_tools(value: object) -> tuple[str, ...]:
    """``npm_tools = true`` (the audit's tools, as before) or a list of tool folder names."""
    if value is True:
        return ("a11y",)
    if value is False:
        return ()
    return _strings(value)


def _session(name: str, data: Mapping[str, object]) -> Session:
    when = data.get("when_missing")
    if when not in ("stop", "continue"):
        raise ValueError(f"sessions.{name}.when_missing: 'stop' or 'continue', not {when!r}")
    return Session(
        name=name,
        needs=_strings(data["needs"]),
        npm_tools=_npm_tools(data.get("npm_tools", [])),
        stop=when == "stop",
    )


# --- the machine -------------------------------------------------------------------------------


def is_present(tool: Tool, path: str | None = None) -> bool:
    """The tool's commands are on ``path`` (default ``PATH``) and its dictionary opens."""
    commands = all(shutil.which(c, path=path) for c in tool.commands)
    return commands and (tool.voikko is None or voikko_opens(tool.voikko))


def voikko_opens(language: str) -> bool:
    """libvoikko opens the dictionary of ``language``. Its Python binding is a project
    dependency, in every session's environment; where it is not, Voikko counts as missing."""
    try:
        import libvoikko  # a project dependency, but not there before the session installs it

        libvoikko.Voikko(language).terminate()
    except Exception:  # ImportError, OSError (no libvoikko1), VoikkoException (no dictionary)
        return False
    return True


def apt_prefix(
    euid: int | None = None, sudo_works: Callable[[], bool] | None = None
) -> list[str] | None:
    """How this process may run apt-get: ``[]`` as root, ``["sudo"]`` when sudo needs no
    password, ``None`` when it may not."""
    if (os.geteuid() if euid is None else euid) == 0:
        return []
    return ["sudo"] if (sudo_works or _sudo_works)() else None


def _sudo_works() -> bool:
    if shutil.which("sudo") is None:
        return False
    done = subprocess.run(["sudo", "-n", "true"], capture_output=True, check=False)
    return done.returncode == 0


# --- Debian packages ---------------------------------------------------------------------------


def install_command(packages: Sequence[str], sudo: bool = True) -> str:
    """The command a person runs to install ``packages``."""
    s = "sudo " if sudo else ""
    return (
        f"{s}apt-get update && {s}apt-get install -y --no-install-recommends {' '.join(packages)}"
    )


Runner = Callable[..., "subprocess.CompletedProcess[bytes]"]


def ensure_system(
    session: Session,
    tools: Mapping[str, Tool],
    *,
    present: Callable[[Tool], bool] = is_present,
    prefix: Callable[[], list[str] | None] = apt_prefix,
    run: Runner = subprocess.run,
) -> Outcome:
    """Install what ``session`` needs and lacks, when allowed; otherwise the line to print."""
    missing = [tools[name] for name in session.needs if not present(tools[name])]
    if not missing:
        return Outcome(True, "")
    apt = prefix()
    failed = ""
    if apt is not None:
        packages = [p for t in missing for p in t.packages]
        print(f"nox -s {session.name}: installing {' '.join(packages)} with apt-get", flush=True)
        env = ["env", "DEBIAN_FRONTEND=noninteractive"]  # sudo leaves the environment behind
        update = _status(run, [*apt, *env, "apt-get", "update", "-qq"])
        install = _status(
            run,
            [*apt, *env, "apt-get", "install", "-y", "-qq", "--no-install-recommends", *packages],
        )
        missing = [t for t in missing if not present(t)]
        if not missing:
            return Outcome(True, "")
        status = install or update
        failed = (
            f"apt-get could not install them (exit status {status}); "
            if status
            else "apt-get installed them, yet they are not found; "
        )
    packages = [p for t in missing for p in t.packages]
    what = ", ".join(f"{' '.join(t.packages)} ({t.purpose})" for t in missing)
    then = "" if session.stop else " The session goes on without them."
    command = install_command(packages, sudo=apt != [])
    line = f"nox -s {session.name} needs Debian's {what}: {failed}run: {command}.{then}"
    return Outcome(not session.stop, line)


def _status(run: Runner, command: list[str]) -> int:
    """The exit status of ``command``; 127 (as a shell says) when it cannot be started."""
    try:
        return run(command, check=False).returncode
    except OSError:
        return 127


# --- npm tools ---------------------------------------------------------------------------------


def npm_tool_versions(source: Path = NPM_SOURCE) -> dict[str, str]:
    """The pinned npm packages of the audit: ``{"axe-core": "4.11.0", ...}``."""
    path = source / "package.json"
    try:
        pins = json.loads(path.read_text(encoding="utf-8"))["dependencies"]
    except (OSError, ValueError, KeyError) as error:
        raise SetupFailed(f"{path}: cannot read the dependencies ({error})") from None
    if not isinstance(pins, dict) or not all(isinstance(v, str) for v in pins.values()):
        raise SetupFailed(f"{path}: dependencies must map package names to versions")
    return dict(pins)


def lock_digest(source: Path = NPM_SOURCE) -> str:
    digest = hashlib.sha256()
    for name in ("package.json", "package-lock.json"):
        try:
            digest.update((source / name).read_bytes())
        except OSError as error:
            raise SetupFailed(f"{source / name}: {error.strerror}") from None
    return digest.hexdigest()


def _installed(stamp: Path) -> str:
    try:
        return stamp.read_text(encoding="utf-8").strip()
    except OSError:
        return ""


def ensure_npm_tools(
    source: Path = NPM_SOURCE, cache: Path = NPM_CACHE, run: Runner = subprocess.run
) -> Path:
    """``npm ci`` of ``source``'s lock into ``cache``, unless its stamp says it is there; the
    folder. Puppeteer's browser is never downloaded: install scripts do not run."""
    digest = lock_digest(source)
    stamp = cache / STAMP
    if _installed(stamp) == digest and (cache / "node_modules").is_dir():
        return cache
    npm = shutil.which("npm")
    if npm is None:
        raise SetupFailed("npm not found: install Debian's npm (" + install_command(["npm"]) + ")")
    cache.mkdir(parents=True, exist_ok=True)
    stamp.unlink(missing_ok=True)
    for name in ("package.json", "package-lock.json"):
        shutil.copyfile(source / name, cache / name)
    print(f"installing the npm tools of {source / 'package-lock.json'} into {cache}", flush=True)
    done = run(
        [npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error"],
        cwd=cache,
        env={**os.environ, "PUPPETEER_SKIP_DOWNLOAD": "1"},
        capture_output=True,
        check=False,
    )
    if done.returncode != 0:
        error = done.stderr.decode(errors="replace").strip().splitlines()[-3:]
        raise SetupFailed(
            f"npm ci in {cache} failed (exit status {done.returncode}): {' / '.join(error)}"
        )
    stamp.write_text(digest + "\n")
    return cache


# --- a session ---------------------------------------------------------------------------------


def prepare(name: str, packages_file: Path = PACKAGES_FILE) -> Outcome:
    """Everything session ``name`` needs: the Debian packages, then the npm tools."""
    tools, sessions = load(packages_file)
    if name not in sessions:
        raise SetupFailed(f"{packages_file}: no session '{name}' ({', '.join(sorted(sessions))})")
    session = sessions[name]
    outcome = ensure_system(session, tools)
    if outcome.go_on:
        for tools_name in session.npm_tools:
            ensure_npm_tools(*npm_folders(tools_name))
    return outcome


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m pipeline.testing.setup SESSION``: exit status 1 when the session must stop."""
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) != 1:
        print("usage: python -m pipeline.testing.setup SESSION", file=sys.stderr)
        return 2
    try:
        outcome = prepare(args[0])
    except SetupFailed as error:
        print(error, file=sys.stderr)
        return 1
    if outcome.message:
        print(outcome.message, file=sys.stderr)
    return 0 if outcome.go_on else 1


if __name__ == "__main__":
    sys.exit(main())
