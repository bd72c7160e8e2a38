"""The sessions people run: ``nox -s build``, ``tests``, ``serve``, ``lint``, ``lint-content``,
``i18n``, ``a11y``, ``search-quality``, ``bench``.

Each session sets up what it needs outside Python before it starts (``setup`` below): the
Debian packages of ``tools/debian-packages.toml``, installed with apt-get when the session may
(as root, or with sudo that asks no password), else one line naming the command to run; and
the npm tools pinned in ``tools/a11y/package-lock.json``, installed into ``.cache/a11y``.
"""

from __future__ import annotations

import shutil

import nox

nox.options.sessions = ["lint", "tests"]
nox.options.reuse_existing_virtualenvs = True
# virtualenv (a dependency of nox) brings its own pip: Debian's python3 has no ensurepip
# unless python3-venv is installed, and a fresh machine may not have it.
nox.options.default_venv_backend = "virtualenv"


def setup(session: nox.Session, name: str) -> None:
    """What session ``name`` needs outside Python (pipeline/testing/setup.py); it stops the
    session with one line when something is missing that it cannot install."""
    session.run("python", "-m", "pipeline.testing.setup", name)


@nox.session
def build(session: nox.Session) -> None:
    """Build the national site and all 22 county sites into build/ (no network)."""
    session.install("-e", ".")
    setup(session, "build")  # Voikko; without it the build goes on and says so
    session.run("perhekeskus", "build", *session.posargs)


@nox.session
def tests(session: nox.Session) -> None:
    """Run the test suite (pass pytest options after --, e.g. -- -m "not slow").

    tests/conftest.py sets up the Debian packages and npm tools before the first test, and only
    when slow tests are selected: the quick ones need none of them."""
    session.install("-e", ".[test]")
    session.run("pytest", *session.posargs)


@nox.session
def serve(session: nox.Session) -> None:
    """Preview one site on http://127.0.0.1:8000/, rebuilt on every save (options after --,
    e.g. ``-- --region kainuu --lang sv``)."""
    session.install("-e", ".")
    session.run("perhekeskus", "serve", *session.posargs)


@nox.session
def lint(session: nox.Session) -> None:
    """ruff and mypy (strict, on pipeline/) on the code, and the lint of the content and the
    regions."""
    # The test extra too: mypy reads Playwright's types (the browser audit, the search quality).
    session.install("-e", ".[lint,test]")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")
    session.run("mypy")
    session.run("perhekeskus", "lint")


@nox.session
def i18n(session: nox.Session) -> None:
    """Extract the interface texts into messages.pot and merge it into the fi/sv/en catalogues.

    Translations are written in the ``.po`` files (the site compiles them when it builds). A new
    or changed text comes out untranslated, not fuzzy: a fuzzy translation would look done but
    the site would not show it, and tests/test_theme.py names the untranslated ones. Texts that
    are gone stay at the end of the ``.po`` files as obsolete ``#~`` entries, to copy or delete.
    """
    session.install("-e", ".")
    locales = "themes/perhekeskus/locales"
    session.run(
        "pybabel", "extract", "-F", "babel.cfg", "-k", "translate:2", "--no-location",
        "--sort-output", "--project", "perhekeskus", "--copyright-holder", "Perhekeskus",
        "-o", f"{locales}/messages.pot", ".",
    )  # fmt: skip
    session.run(
        "pybabel", "update", "-i", f"{locales}/messages.pot", "-d", locales, "-D", "messages",
        "--width", "100", "--no-fuzzy-matching",
    )  # fmt: skip


@nox.session
def a11y(session: nox.Session) -> None:
    """Browser audit of a Finnish and a bilingual county: axe-core at 320 and 1280 px,
    keyboard journeys, QualWeb and the Nu Html Checker (Debian's chromium, Java and npm; the
    npm tools pinned in tools/a11y)."""
    session.install("-e", ".[test]")
    setup(session, "a11y")
    session.run("perhekeskus", "audit", *session.posargs)


@nox.session(name="lint-content")
def lint_content(session: nox.Session) -> None:
    """Check every Markdown file: path:line:col: message, in the writer's language."""
    session.install("-e", ".")
    session.run("perhekeskus", "lint", *session.posargs)


@nox.session(name="search-quality")
def search_quality(session: nox.Session) -> None:
    """Build two counties and run the search query set in Chromium: hit@1, hit@3, bytes."""
    session.install("-e", ".[test]")
    setup(session, "search-quality")
    session.run("perhekeskus", "search-quality", *session.posargs)


@nox.session
def bench(session: nox.Session) -> None:
    """Write the scale corpus into build/bench/corpus (300 articles per language, 400 services
    per county; other sizes after --, e.g. ``-- --articles 100 --services 150``) and time our
    national build next to Hugo + Pagefind on it, in one run: seconds and ratios in a table,
    and build/reports/bench.json (Debian's hugo and chromium)."""
    session.install("-e", ".[test]")  # Playwright measures the bytes of a search
    setup(session, "bench")
    corpus = "build/bench/corpus"
    shutil.rmtree(corpus, ignore_errors=True)  # a new corpus of the sizes asked for
    session.run("perhekeskus", "bench", "corpus", corpus, *session.posargs)
    session.run("perhekeskus", "bench", "run", corpus)


@nox.session
def lighthouse(session: nox.Session) -> None:
    """Lighthouse (mobile) on a home page, an article, a service page and the calendar of one
    county served by nginx: the four scores per page and what cost points (goal: 100 each).
    Another county or language after --, e.g. ``-- --region pirkanmaa --lang sv``."""
    session.install("-e", ".")
    setup(session, "lighthouse")
    session.run("perhekeskus", "lighthouse", *session.posargs)
