"""The nightly job end to end on a small project, against the local PTV stand-in: the exit
status a scheduler reads, the sites it leaves live, the change report and the run log."""

from __future__ import annotations

import configparser
import json
import os
import socket
import subprocess
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml

from pipeline.cli import main
from pipeline.content.config import NightlySettings
from pipeline.deploy.release import live_release
from pipeline.nightly import Options, Result, age_problem, fetch_mode, run
from pipeline.quality.evidence import helsinki_date
from tests import ptv_objects as o
from tests.fake_events import FakeEvents
from tests.fake_ptv import FakePtv
from tests.helpers import REPO, make_project

# No retries and a short connection time-out: a server that is not there fails at once.
QUICK_PTV = "    snapshots: snapshots/ptv\n    limits: {retries: 0, connect_timeout: 2}\n"


def kajaani(key: str, name: str, **kw: Any) -> dict[str, Any]:
    """A maternity clinic service in Kajaani: it shows on the article 'neuvola'."""
    return o.service(key, fi=name, areas=[o.municipality_area("205")], **kw)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = make_project(tmp_path / "project") if (tmp_path / "project").mkdir() is None else None
    assert root is not None
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("    snapshots: snapshots/ptv\n", QUICK_PTV, 1), "utf-8")
    return root


def nightly(root: Path, ptv_url: str, monkeypatch: pytest.MonkeyPatch, **kw: Any) -> Result:
    monkeypatch.setenv("PERHEKESKUS_PTV_URL", ptv_url)
    options = Options(root, root / "build", regions=("kainuu",), search=False, **kw)
    return run(options)


def unreachable() -> str:
    """The address of a local port nothing listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/api/v11/"


def manifest(root: Path) -> dict[str, Any]:
    return json.loads((root / "build" / "kainuu" / "manifest.json").read_text(encoding="utf-8"))


def change_report(root: Path) -> dict[str, Any]:
    path = root / "build" / "reports" / "kainuu" / "changes.json"
    return json.loads(path.read_text(encoding="utf-8"))


def log_lines(root: Path) -> list[dict[str, Any]]:
    text = (root / "build" / "reports" / "nightly.jsonl").read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines()]


def test_ptv_unreachable_publishes_from_the_last_good_snapshot(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    fake = FakePtv(services=[kajaani("s1", "Kajaanin äitiysneuvola")])
    with fake.serve() as url:
        first = nightly(project, url, monkeypatch, full=True)
    assert first.exit_status == 0, [s.message for s in first.warnings]
    snapshot = manifest(project)["snapshots"]["ptv"]["id"]
    release = live_release(project / "build")

    monkeypatch.setenv("PERHEKESKUS_PTV_URL", unreachable())
    code = main(["--root", str(project), "nightly", "--region", "kainuu", "--no-search"])
    captured = capsys.readouterr()
    assert code == 1
    assert "Traceback" not in captured.err + captured.out
    assert "fetch failed; the last good snapshot is used" in captured.err
    assert "published with 1 warnings" in captured.out
    # Published again, from the snapshot the first night fetched.
    assert live_release(project / "build") != release
    assert manifest(project)["snapshots"]["ptv"]["id"] == snapshot
    service_page = project / "build" / "kainuu" / "fi" / "palvelut" / o.guid("s1") / "index.html"
    assert "Kajaanin äitiysneuvola" in service_page.read_text(encoding="utf-8")

    # The log: one JSON line per step of both runs, each naming its step.
    lines = log_lines(project)
    assert all({"time", "run", "step", "status", "message"} <= set(line) for line in lines)
    second = [line for line in lines if line["run"] == lines[-1]["run"]]
    steps = [line["step"] for line in second]
    for step in ("config", "fetch ptv", "fetch events", "data age ptv", "check", "publish"):
        assert step in steps
    assert steps[-4:] == ["build", "changes", "state", "end"]
    statuses = {line["step"]: line["status"] for line in second}
    assert statuses["fetch ptv"] == "warning" and statuses["fetch events"] == "skipped"
    assert second[-1]["data"]["exit_status"] == 1


def test_a_build_error_publishes_nothing_and_the_previous_site_stays(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    fake = FakePtv(services=[kajaani("s1", "Kajaanin äitiysneuvola")])
    with fake.serve() as url:
        assert nightly(project, url, monkeypatch, full=True).exit_status == 0
        before = manifest(project)
        release = live_release(project / "build")
        state = project / "build" / "reports" / "kainuu" / "state.json"
        recorded = state.read_text(encoding="utf-8")
        broken = project / "content" / "fi" / "rikki.md"
        broken.write_text("---\nid: rikki\nsummary: Ei otsikkoa.\n---\n\nTeksti.\n", "utf-8")
        monkeypatch.setenv("PERHEKESKUS_PTV_URL", url)
        code = main(["--root", str(project), "nightly", "--region", "kainuu", "--no-search"])
    captured = capsys.readouterr()
    assert code == 2
    assert "Traceback" not in captured.err + captured.out
    assert "nothing was published; the previous sites stay live" in captured.out
    assert "content/fi/rikki.md:" in captured.err
    assert live_release(project / "build") == release
    assert manifest(project) == before
    assert state.read_text(encoding="utf-8") == recorded
    build_line = [line for line in log_lines(project) if line["step"] == "build"][-1]
    assert build_line["status"] == "error" and "content/fi/rikki.md:" in build_line["message"]


def test_unchanged_data_nothing_changed_and_nothing_uploaded(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dest = tmp_path / "www"
    fake = FakePtv(services=[kajaani("s1", "Kajaanin äitiysneuvola")])
    with fake.serve() as url:
        first = nightly(project, url, monkeypatch, full=True, deploy_to=str(dest))
        second = nightly(project, url, monkeypatch, deploy_to=str(dest))
    assert (first.exit_status, second.exit_status) == (0, 0)
    assert (dest / "kainuu" / "fi" / "index.html").is_file()
    report = change_report(project)
    assert report["previous_run"] is not None and report["nothing_changed"] is True
    html = (project / "build" / "reports" / "kainuu" / "changes.html").read_text("utf-8")
    assert "Edellisen julkaisun jälkeen mikään ei muuttunut" in html
    deployed = next(step for step in second.steps if step.step == "deploy")
    assert deployed.data == {"kainuu": {"uploaded": 0, "deleted": 0}}
    assert second.pages_changed == {"kainuu": 0}


def test_a_changed_service_is_in_the_report_and_only_in_the_pages_that_show_it(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    services = [kajaani("s1", "Kajaanin äitiysneuvola"), kajaani("s2", "Kajaanin perheneuvola")]
    with FakePtv(services=services).serve() as url:
        assert nightly(project, url, monkeypatch, full=True).exit_status == 0
    # Edited in PTV after the first fetch: the incremental fetch of the next night asks for it.
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.000000")
    renamed = kajaani("s1", "Kajaanin neuvola", modified=now)
    with FakePtv(services=[renamed, services[1]]).serve() as url:
        result = nightly(project, url, monkeypatch)
    assert result.exit_status == 0, [s.message for s in result.warnings]
    fetched = next(s for s in result.steps if s.step == "fetch ptv")
    assert fetched.data == {"mode": "incremental"}
    report = change_report(project)
    assert report["services"]["changed"] == [
        {"id": o.guid("s1"), "name": "Kajaanin neuvola", "fields": ["nimi"]}
    ]
    assert report["services"]["added"] == report["services"]["removed"] == []
    changed = report["pages"]["changed"]
    assert f"fi/palvelut/{o.guid('s1')}/index.html" in changed
    assert "fi/raskaus/neuvola/index.html" in changed
    site = project / "build" / "kainuu"
    for page in changed:
        assert "Kajaanin neuvola" in (site / page).read_text(encoding="utf-8"), page
    assert not any("tuet" in page or o.guid("s2") in page for page in changed)
    html = (project / "build" / "reports" / "kainuu" / "changes.html").read_text("utf-8")
    assert "Kajaanin neuvola" in html and "nimi" in html


@pytest.mark.parametrize(
    ("moment", "mode"),
    [
        # Saturday 23:30 UTC is Sunday 01:30 in Finland: the weekly full refresh.
        (datetime(2026, 12, 5, 23, 30, tzinfo=UTC), "full"),
        (datetime(2026, 12, 5, 21, 30, tzinfo=UTC), "incremental"),
        (datetime(2026, 12, 7, 1, 0, tzinfo=UTC), "incremental"),
    ],
)
def test_the_full_refresh_is_on_the_configured_weekday_in_finland(
    moment: datetime, mode: str
) -> None:
    assert fetch_mode(moment, NightlySettings(full_refresh="sunday")) == mode
    assert fetch_mode(moment, NightlySettings(full_refresh="sunday"), full=True) == "full"


def test_data_older_than_the_configured_age_is_a_warning() -> None:
    assert age_problem("ptv", 71.0, 3) is None
    assert age_problem("ptv", 73.0, 3) == (
        "ptv: the data is 3.0 days old (fetched more than 3 days ago); the fetch has failed for "
        "days"
    )
    assert age_problem("events", None, 3) == (
        "events: there is no snapshot; the sites are built without its data"
    )


def test_old_data_makes_the_run_end_with_a_warning(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The project's own snapshot is from 20 November: far older than three days.
    result = nightly(project, unreachable(), monkeypatch)
    assert result.exit_status == 1 and result.published
    ages = [s for s in result.warnings if s.step == "data age ptv"]
    assert ages and "days old" in ages[0].message
    assert os.path.exists(project / "build" / "reports" / "kainuu" / "changes.html")


def test_a_refused_snapshot_is_a_warning_and_in_the_change_report(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    services = [kajaani(f"s{i}", f"Palvelu {i}") for i in range(5)]
    with FakePtv(services=services).serve() as url:
        assert nightly(project, url, monkeypatch, full=True).exit_status == 0
    # The next night PTV answers with almost nothing: the sanity policy refuses the snapshot.
    with FakePtv(services=services[:1]).serve() as url:
        result = nightly(project, url, monkeypatch, full=True)
    assert result.exit_status == 1 and result.published
    fetched = next(s for s in result.steps if s.step == "fetch ptv")
    assert fetched.status == "warning" and "refused" in fetched.message
    report = change_report(project)
    assert [r["source"] for r in report["refused"]] == ["ptv"]
    assert report["refused"][0]["new"] is True
    assert any("refused" in reason for reason in report["refused"][0]["reasons"])
    # The sites were built from the last good snapshot: nothing changed on them.
    assert report["nothing_changed"] is True


def ics_feed(*events: tuple[str, str, date]) -> str:
    rows = []
    for uid, summary, day in events:
        rows += [
            "BEGIN:VEVENT",
            f"UID:{uid}",
            f"DTSTART;TZID=Europe/Helsinki:{day:%Y%m%d}T100000",
            f"DTEND;TZID=Europe/Helsinki:{day:%Y%m%d}T113000",
            f"SUMMARY:{summary}",
            "LOCATION:Seurakuntakeskus, Kirkkokatu 3, 87100 Kajaani",
            "END:VEVENT",
        ]
    body = "\n".join(rows)
    return (
        f"BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//Kainuu//Perhekeskus//FI\n{body}\nEND:VCALENDAR\n"
    )


def test_events_added_and_moved_are_in_the_change_report(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    region = project / "regions" / "kainuu.yml"
    region.write_text(
        region.read_text(encoding="utf-8")
        + 'events:\n  ics:\n    - {id: perhekeskus, url: "https://kalenteri.kainuu.example/'
        'perhekeskus.ics", municipality: "205"}\n',
        encoding="utf-8",
    )
    today = helsinki_date(datetime.now(UTC))
    cafe = ("perhekahvila@kainuu.example", "Perhekahvila", today + timedelta(days=10))
    stand_in = FakeEvents(feeds={"/perhekeskus.ics": ics_feed(cafe)})
    ptv = FakePtv(services=[kajaani("s1", "Kajaanin äitiysneuvola")])
    with ptv.serve() as url, stand_in.serve() as events_url:
        monkeypatch.setenv("PERHEKESKUS_EVENTS_URL", events_url)
        first = nightly(project, url, monkeypatch, full=True)
        assert first.exit_status == 0, [s.message for s in first.warnings]
        moved = (*cafe[:2], today + timedelta(days=11))
        story = ("satutunti@kainuu.example", "Satutunti", today + timedelta(days=12))
        stand_in.feeds["/perhekeskus.ics"] = ics_feed(moved, story)
        second = nightly(project, url, monkeypatch)
    assert second.exit_status == 0, [s.message for s in second.warnings]
    assert next(s for s in second.steps if s.step == "fetch events").status == "ok"
    events = change_report(project)["events"]
    assert [row["name"] for row in events["added"]] == ["Satutunti"]
    assert events["changed"] == [
        {"id": "ics:perhekeskus:perhekahvila@kainuu.example", "name": "Perhekahvila",
         "fields": ["ajankohdat"]}
    ]  # fmt: skip
    assert events["removed"] == []


# --- scheduling: the shell script and the systemd units -------------------------------------


def test_the_shell_script_runs_the_nightly_job_and_keeps_its_status(tmp_path: Path) -> None:
    stand_in = tmp_path / "perhekeskus"
    stand_in.write_text('#!/bin/sh\nprintf "%s\\n" "$@"\nexit 1\n', encoding="utf-8")
    stand_in.chmod(0o755)
    env = {
        "PATH": os.environ["PATH"],
        "PERHEKESKUS": str(stand_in),
        "PERHEKESKUS_HOME": str(tmp_path),
        "PERHEKESKUS_DEPLOY_TO": "s3://perhekeskus-sites/prod",
    }
    done = subprocess.run(
        ["sh", str(REPO / "scripts" / "nightly.sh"), "kainuu", "--national"],
        env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 1
    assert done.stdout.splitlines() == [
        "--root", str(tmp_path), "nightly", "--out", str(tmp_path / "build"),
        "--region", "kainuu", "--national", "--deploy-to", "s3://perhekeskus-sites/prod",
    ]  # fmt: skip
    without = subprocess.run(
        ["sh", str(REPO / "scripts" / "nightly.sh")],
        env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert without.returncode == 2 and "usage:" in without.stderr


def unit(name: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(REPO / "scripts" / "systemd" / name, encoding="utf-8")
    return parser


def test_the_systemd_units_run_the_script_for_one_county_every_night() -> None:
    service, timer = unit("perhekeskus-nightly@.service"), unit("perhekeskus-nightly@.timer")
    assert service["Service"]["Type"] == "oneshot"
    assert service["Service"]["ExecStart"] == "/opt/perhekeskus/scripts/nightly.sh %i"
    assert service["Service"]["EnvironmentFile"] == "-/etc/perhekeskus/%i.env"
    assert service["Service"]["KillMode"] == "control-group"
    assert timer["Timer"]["OnCalendar"].endswith("Europe/Helsinki")
    assert timer["Timer"]["Persistent"] == "true"
    assert timer["Install"]["WantedBy"] == "timers.target"
    assert os.access(REPO / "scripts" / "nightly.sh", os.X_OK)


def test_the_workflow_runs_one_job_per_site_with_the_script_and_a_cache_per_site() -> None:
    workflow = yaml.safe_load((REPO / ".github" / "workflows" / "nightly.yml").read_text("utf-8"))
    job = workflow["jobs"]["nightly"]
    assert job["strategy"]["matrix"]["site"] == "${{ fromJSON(needs.sites.outputs.list) }}"
    steps = {step.get("name"): step for step in job["steps"]}
    restore = steps["Restore the snapshots and the last published state"]
    assert restore["uses"].startswith("actions/cache/restore@")
    assert restore["with"]["key"] == "nightly-${{ matrix.site }}-${{ github.run_id }}"
    assert "snapshots/ptv" in restore["with"]["path"]
    assert "build/reports/${{ matrix.site }}/state.json" in restore["with"]["path"]
    run = steps["Nightly run"]
    assert "scripts/nightly.sh" in run["run"]
    # Credentials come from the repository's secrets, never from the file.
    assert run["env"]["AWS_SECRET_ACCESS_KEY"] == "${{ secrets.AWS_SECRET_ACCESS_KEY }}"
    assert steps["Upload the site and its reports"]["uses"].startswith("actions/upload-artifact@")


def test_changes_are_never_fetched_on_top_of_the_committed_sample(project: Path) -> None:
    from pipeline.nightly import _mode_over

    assert _mode_over(REPO / "snapshots" / "ptv", "incremental") == "full"
    assert _mode_over(REPO / "snapshots" / "events", "incremental") == "full"
    assert _mode_over(project / "snapshots" / "ptv", "incremental") == "incremental"


def test_a_failed_deploy_is_nothing_published_and_the_state_stays(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocked = tmp_path / "www"
    blocked.write_text("a file where the folder should be", encoding="utf-8")
    result = nightly(project, unreachable(), monkeypatch, deploy_to=str(blocked))
    assert result.exit_status == 2 and not result.published
    deployed = next(s for s in result.steps if s.step == "deploy")
    assert deployed.status == "error" and str(blocked) in deployed.message
    # Not recorded as published: the next night compares with the last run that was.
    assert not (project / "build" / "reports" / "kainuu" / "state.json").exists()


def test_the_command_asks_which_sites(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--root", str(project), "nightly"]) == 2
    assert "Say which sites: --region SLUG (repeatable), --national or --all." in (
        capsys.readouterr().err
    )
    assert not (project / "build").exists()
