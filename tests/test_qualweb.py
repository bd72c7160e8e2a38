"""QualWeb, the second engine: it finds a known failure and passes a clean page in Debian's
Chromium (slow), and it fails closed: a runner that exits with an error, prints nothing or
prints something else, a page it did not load or that answered an error, no Node."""

from __future__ import annotations

import contextlib
import functools
import json
import shutil
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from pipeline.quality.qualweb import QualwebFailed, read_output, run_qualweb

CHROMIUM = "/usr/bin/chromium"

IMAGE_WITHOUT_ALT = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>A photo</title></head>
<body><a href="#main">Skip to content</a>
<main id="main"><h1>A photo</h1><img src="photo.png"></main></body></html>
"""
CLEAN = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Clean</title></head>
<body><a href="#main">Skip to content</a>
<main id="main"><h1>Clean</h1><p>Nothing wrong here.</p></main></body></html>
"""
# A 1×1 PNG, so the image loads and only its missing text alternative fails.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082"
)


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextlib.contextmanager
def served(folder: Path) -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def pages(tmp_path: Path) -> Path:
    (tmp_path / "photo.html").write_text(IMAGE_WITHOUT_ALT)
    (tmp_path / "clean.html").write_text(CLEAN)
    (tmp_path / "photo.png").write_bytes(PNG)
    return tmp_path


# --- in Chromium ------------------------------------------------------------------------------


@pytest.mark.slow
def test_qualweb_finds_an_image_without_alt_and_passes_a_clean_page(
    pages: Path, npm_tools: Path
) -> None:
    with served(pages) as base:
        run = run_qualweb([base + "photo.html", base + "clean.html"], npm_tools, CHROMIUM)
    photo, clean = run["pages"]
    assert photo["url"].endswith("photo.html")
    assert [(f["rule"], f["criteria"]) for f in photo["failed"]] == [("QW-ACT-R17", ["1.1.1"])]
    assert photo["failed"][0]["selector"].endswith("img:nth-child(2)")
    assert "accessible name" in photo["failed"][0]["description"]
    assert clean["failed"] == []
    assert clean["passed"] > 5
    assert run["version"] == _installed(npm_tools, "@qualweb/core")
    assert run["modules"] == [
        f"@qualweb/act-rules {_installed(npm_tools, '@qualweb/act-rules')}",
        f"@qualweb/wcag-techniques {_installed(npm_tools, '@qualweb/wcag-techniques')}",
    ]


@pytest.mark.slow
def test_qualweb_fails_on_a_page_that_is_not_there_unless_it_is_the_404_page(
    pages: Path, npm_tools: Path
) -> None:
    with served(pages) as base:
        missing = base + "no-such-page/"
        with pytest.raises(QualwebFailed, match=r"no-such-page/ answered 404, not a success"):
            run_qualweb([base + "clean.html", missing], npm_tools, CHROMIUM)
        run = run_qualweb([missing], npm_tools, CHROMIUM, not_found=[missing])
        port = base.rsplit(":", 1)[1].rstrip("/")
    assert run["pages"][0]["url"] == missing
    # The server is gone: nothing answers.
    with pytest.raises(QualwebFailed, match=rf"could not load http://127.0.0.1:{port}/clean"):
        run_qualweb([f"http://127.0.0.1:{port}/clean.html"], npm_tools, CHROMIUM)


def _installed(tools: Path, package: str) -> str:
    data = json.loads((tools / "node_modules" / package / "package.json").read_text())
    return str(data["version"])


# --- failing closed (a stand-in runner; needs Node, not Chromium) -----------------------------

needs_node = pytest.mark.skipif(shutil.which("node") is None, reason="needs Node.js")


@pytest.fixture
def fake_tools(tmp_path: Path) -> Path:
    """A tools folder with QualWeb's package files only (for the versions)."""
    for package in ("core", "act-rules", "wcag-techniques"):
        folder = tmp_path / "tools" / "node_modules" / "@qualweb" / package
        folder.mkdir(parents=True)
        (folder / "package.json").write_text(json.dumps({"version": "9.9.9"}))
    return tmp_path / "tools"


@pytest.fixture
def chromium(tmp_path: Path) -> str:
    """A file where Chromium would be: the stand-in runner never starts it."""
    (tmp_path / "chromium").touch()
    return str(tmp_path / "chromium")


def runner(tmp_path: Path, body: str) -> Path:
    script = tmp_path / "runner.mjs"
    script.write_text(body)
    return script


def report(status: int | None = 200, outcome: str = "passed") -> dict[str, Any]:
    """The runner's report of one page, with one ACT rule and one WCAG technique."""
    criterion = [{"name": "1.1.1", "level": "A"}, {"name": "1.4.6", "level": "AAA"}]
    failed = [{"description": "No name.", "selectors": ["main > img", "main > img + img"]}]
    rule = {
        "name": "Image has accessible name",
        "outcome": outcome,
        "criteria": criterion,
        "failed": failed if outcome == "failed" else [],
    }
    technique = {"name": "Skip link", "outcome": "warning", "criteria": [], "failed": []}
    return {
        "status": status,
        "report": {
            "modules": {
                "act-rules": {"assertions": {"QW-ACT-R17": rule}},
                "wcag-techniques": {"assertions": {"QW-WCAG-T23": technique}},
            }
        },
    }


URL = "http://127.0.0.1:9/a/"


@needs_node
@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("process.exit(3);", "exited with status 3"),
        ("console.error('Chromium crashed'); process.exit(1);", "Chromium crashed"),
        ("", "printed nothing"),
        ("console.log('Evaluation done');", "not its report"),
        ("console.log(JSON.stringify({pages: {}}));", f"could not load {URL}"),
        ('console.log(\'{"pages": {"x": 1}}\');', "not its report"),
    ],
)
def test_a_runner_that_fails_is_a_failed_audit(
    tmp_path: Path, fake_tools: Path, chromium: str, body: str, message: str
) -> None:
    with pytest.raises(QualwebFailed, match=message):
        run_qualweb([URL], fake_tools, chromium, runner=runner(tmp_path, body))


@needs_node
def test_the_runners_report_is_read(tmp_path: Path, fake_tools: Path, chromium: str) -> None:
    body = f"console.log(JSON.stringify({json.dumps({'pages': {URL: report()}})}));"
    run = run_qualweb([URL], fake_tools, chromium, runner=runner(tmp_path, body))
    assert run == {
        "version": "9.9.9",
        "modules": ["@qualweb/act-rules 9.9.9", "@qualweb/wcag-techniques 9.9.9"],
        "pages": [{"url": URL, "failed": [], "passed": 1, "warnings": 1}],
    }


def test_no_node_or_chromium_is_a_failed_audit(
    tmp_path: Path, fake_tools: Path, chromium: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    script = runner(tmp_path, "process.exit(0);")
    with pytest.raises(QualwebFailed, match="Chromium not found at /nowhere/chromium"):
        run_qualweb([URL], fake_tools, "/nowhere/chromium", runner=script)
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(QualwebFailed, match="node not found"):
        run_qualweb([URL], fake_tools, chromium, runner=script)


def test_no_qualweb_installed_is_a_failed_audit(tmp_path: Path, chromium: str) -> None:
    with pytest.raises(QualwebFailed, match=r"@qualweb/core/package.json: cannot read"):
        run_qualweb([URL], tmp_path, chromium)


# --- reading the report ----------------------------------------------------------------------


def test_each_failing_element_is_a_failure_with_its_level_a_and_aa_criteria() -> None:
    page = read_output(json.dumps({"pages": {URL: report(outcome="failed")}}), [URL])[0]
    assert page["failed"] == [
        {
            "rule": "QW-ACT-R17",
            "criteria": ["1.1.1"],
            "description": "Image has accessible name: No name.",
            "selector": selector,
        }
        for selector in ("main > img", "main > img + img")
    ]
    assert (page["passed"], page["warnings"]) == (0, 1)


def test_an_error_status_or_no_answer_is_a_failure_and_404_only_where_expected() -> None:
    for status in (500, 404, None):
        output = json.dumps({"pages": {URL: report(status=status)}})
        with pytest.raises(QualwebFailed, match=f"{URL} answered {status or 'nothing'}"):
            read_output(output, [URL])
    output = json.dumps({"pages": {URL: report(status=404)}})
    assert read_output(output, [URL], not_found=[URL])[0]["url"] == URL
    with pytest.raises(QualwebFailed, match="answered 200, not 404"):
        read_output(json.dumps({"pages": {URL: report()}}), [URL], not_found=[URL])


def test_a_page_audited_without_a_module_is_a_failure() -> None:
    page = report()
    del page["report"]["modules"]["wcag-techniques"]
    with pytest.raises(QualwebFailed, match="ran no wcag-techniques"):
        read_output(json.dumps({"pages": {URL: page}}), [URL])


def test_a_failed_outcome_without_results_still_fails() -> None:
    page = report(outcome="failed")
    page["report"]["modules"]["act-rules"]["assertions"]["QW-ACT-R17"]["failed"] = []
    failed = read_output(json.dumps({"pages": {URL: page}}), [URL])[0]["failed"]
    assert [(f["rule"], f["selector"]) for f in failed] == [("QW-ACT-R17", "")]
