"""`planner-tui scan`: output, SARIF for code scanning, exit codes, Regions, applications,
with a project and without one."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
from pathlib import Path

import jsonschema
import pytest

from planner_tui import cli
from planner_tui.cli import scan as scan_command
from planner_tui.domain.models import Application
from planner_tui.integrations.scan import reference_cache
from planner_tui.integrations.scan.reference import LIFECYCLE_PAGE
from planner_tui.integrations.scan.sarif import FINGERPRINT_KEY, RULES
from planner_tui.services.project import open_project

FIXTURE = Path(__file__).parent / "fixtures" / "scan" / "repo"
SCHEMA = json.loads((Path(__file__).parent / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
HAIKU = "anthropic.claude-3-haiku-20240307-v1:0"  # Legacy in 2026, EOL before 2030 in the catalog


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """`planner-tui scan …` through the real entry point."""
    try:
        code = cli.main(["scan", *argv])
    except SystemExit as stop:  # argparse refuses the arguments
        code = int(stop.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(autouse=True)
def _cache_elsewhere(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """The scanned folders are under tmp_path, like the user cache (HOME): keep them apart."""
    cache = tmp_path_factory.mktemp("scan-cache") / "scan-reference.json"
    monkeypatch.setattr(reference_cache, "cache_path", lambda: cache)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    shutil.copytree(FIXTURE, root)
    return root


@pytest.fixture
def haiku_only(tmp_path: Path) -> Path:
    root = tmp_path / "one"
    root.mkdir()
    (root / "app.py").write_text(f'client.converse(modelId="{HAIKU}")\n')
    return root


def test_table_worst_first_with_a_summary(capsys, repo: Path) -> None:  # noqa: ANN001
    code, out, err = run(capsys, str(repo), "--today", "2026-11-22")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0].split() == ["SEVERITY", "STATUS", "EOL", "DAYS", "WHERE", "MODEL", "REPLACEMENT"]
    severities = [line.split()[0] for line in lines[1:-1]]
    order = ["error", "warning", "note", "none"]
    assert severities == sorted(severities, key=order.index)
    assert "did you mean anthropic.claude-3-haiku-20240307-v1:0" in out
    assert lines[-1] == ("49 model references in 27 files (1 binary or unreadable skipped); "
                         "lifecycle dates from the bundled catalog of 2026-11-22.")


def test_json_has_every_field(capsys, haiku_only: Path) -> None:  # noqa: ANN001
    code, out, _ = run(capsys, str(haiku_only), "--json", "--today", "2026-11-22")
    (finding,) = json.loads(out)
    assert code == 0
    assert {"file", "line", "column", "model_id", "matched", "status", "regions", "days_left", "replacements",
            "severity", "rule", "legacy_date", "pea_date", "eol_date", "fingerprint", "did_you_mean",
            "application"} <= finding.keys()
    assert (finding["file"], finding["line"], finding["column"], finding["via"]) == ("app.py", 1, 26, "boto3")
    region = finding["regions"][0]
    assert {"region", "status", "legacy_date", "pea_date", "eol_date", "days_left"} == region.keys()


def test_sarif_is_valid_for_code_scanning(capsys, repo: Path, tmp_path: Path,  # noqa: ANN001
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(repo)
    target = tmp_path / "scan.sarif"
    code, _, _ = run(capsys, ".", "--sarif", str(target), "--today", "2026-11-22")
    document = json.loads(target.read_text())
    jsonschema.Draft4Validator(SCHEMA).validate(document)
    run_ = document["runs"][0]
    rules = run_["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == [f"bedrock-model-{r}" for r in RULES]
    assert {r["id"]: r["defaultConfiguration"]["level"] for r in rules} == {
        "bedrock-model-eol": "error", "bedrock-model-eol-soon": "error", "bedrock-model-pea": "warning",
        "bedrock-model-not-offered": "warning", "bedrock-model-unknown": "warning",
        "bedrock-model-legacy": "note", "bedrock-model-dated": "note"}
    assert rules[0]["helpUri"] == LIFECYCLE_PAGE
    results = run_["results"]
    assert code == 0 and results
    assert all(r["level"] in ("error", "warning", "note") for r in results)
    assert all(len(r["partialFingerprints"][FINGERPRINT_KEY]) == 32 for r in results)
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results}
    assert "python/boto3_app.py" in uris and "config/.env" in uris  # relative to the current folder
    unknown = next(r for r in results if r["ruleId"] == "bedrock-model-unknown")
    assert "Did you mean" in unknown["message"]["text"]


def test_sarif_fingerprints_survive_inserted_lines(capsys, haiku_only: Path, tmp_path: Path) -> None:  # noqa: ANN001
    def fingerprints() -> list[str]:
        run(capsys, str(haiku_only), "--sarif", str(tmp_path / "s.sarif"), "--today", "2026-11-22")
        results = json.loads((tmp_path / "s.sarif").read_text())["runs"][0]["results"]
        return [r["partialFingerprints"][FINGERPRINT_KEY] for r in results]

    before = fingerprints()
    source = haiku_only / "app.py"
    source.write_text("import boto3\n\n" + source.read_text())
    assert fingerprints() == before


@pytest.mark.parametrize(("today", "fail_on", "code"), [
    ("2020-01-01", "legacy", 0),  # Active then
    ("2026-11-22", "legacy", 1),
    ("2026-11-22", "EOL", 1),  # any case
    ("2030-01-01", "pea", 1),
    ("2030-01-01", "eol", 1),
])
def test_fail_on(capsys, haiku_only: Path, today: str, fail_on: str, code: int) -> None:  # noqa: ANN001
    assert run(capsys, str(haiku_only), "--today", today, "--fail-on", fail_on)[0] == code


def test_fail_on_counts_only_lifecycle_stages(capsys, tmp_path: Path) -> None:  # noqa: ANN001
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "typo.py").write_text('m = "anthropic.claude-3-haiku-20240307-v9:0"\n')
    assert run(capsys, str(tmp_path / "src"), "--fail-on", "legacy")[0] == 0


def test_user_errors_exit_2_in_one_line(capsys, haiku_only: Path) -> None:  # noqa: ANN001
    for argv, message in [
        ((str(haiku_only / "missing"),), "no such file or folder"),
        ((str(haiku_only), "--region", "mars-1"), "unknown Region 'mars-1'"),
        ((str(haiku_only), "--fail-on", "soon"), "invalid stage 'soon'"),
        ((), "the following arguments are required: PATH"),
    ]:
        code, out, err = run(capsys, *argv)
        assert (code, out) == (2, "")
        assert message in err and len(err.strip().splitlines()) == 1


def test_region_option(capsys, haiku_only: Path) -> None:  # noqa: ANN001
    code, out, _ = run(capsys, str(haiku_only), "--json", "--region", "EU-West-1", "--region", "us-east-1,ap-south-1")
    (finding,) = json.loads(out)
    assert [r["region"] for r in finding["regions"]] == ["eu-west-1", "us-east-1", "ap-south-1"]


def test_without_a_project_the_bundled_catalog_is_used(capsys, haiku_only: Path) -> None:  # noqa: ANN001
    assert not Path(os.environ["PLANNER_TUI_DB"]).exists()
    code, out, _ = run(capsys, str(haiku_only), "--today", "2026-11-22")
    assert code == 0 and "bundled catalog" in out
    assert not Path(os.environ["PLANNER_TUI_DB"]).exists()  # and no project was made


def test_the_projects_dates_win_and_app_is_attached(capsys, haiku_only: Path, db_path: Path) -> None:  # noqa: ANN001
    store = open_project(db_path)
    store.add_application(Application(name="Support Chat", owner="ops"), today=dt.date(2026, 11, 22))
    store.set_lifecycle_date("amazon.nova-pro-v1:0", "us-east-1", "eol_date", dt.date(2026, 12, 1))
    store.close()
    (haiku_only / "nova.py").write_text('model = "amazon.nova-pro-v1:0"\n')
    code, out, _ = run(capsys, str(haiku_only / "nova.py"), "--db", str(db_path), "--app", "Support Chat",
                       "--region", "us-east-1", "--json", "--today", "2026-11-22")
    (finding,) = json.loads(out)
    assert (code, finding["application"], finding["rule"], finding["days_left"]) == (0, "Support Chat", "eol-soon", 9)
    code, _, err = run(capsys, str(haiku_only), "--db", str(db_path), "--app", "Nobody")
    assert code == 2 and "no application named 'Nobody'" in err


def test_file_names_and_text_are_shown_inert(capsys, tmp_path: Path) -> None:  # noqa: ANN001
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "evil\x1b[31m\nname.py").write_text(f'm = "{HAIKU}"\n')
    code, out, _ = run(capsys, str(tmp_path / "src"), "--today", "2026-11-22")
    assert "\x1b" not in out and "evil\ufffd[31m name.py:1:6" in out
    code, out, _ = run(capsys, str(tmp_path / "src"), "--json")
    assert json.loads(out)[0]["file"] == "evil\x1b[31m\nname.py"  # JSON keeps it exactly


def test_opens_project_only_when_named_or_existing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    args = argparse.Namespace(app=None)
    assert scan_command.opens_project(args) is False
    Path(os.environ["PLANNER_TUI_DB"]).write_bytes(b"")
    assert scan_command.opens_project(args) is True
    assert scan_command.opens_project(argparse.Namespace(app=None, db=tmp_path / "x.db")) is True


def test_a_scan_does_not_count_its_own_sarif_report_next_time(capsys, tmp_path: Path) -> None:  # noqa: ANN001
    (tmp_path / "app.py").write_text(f'client.converse(modelId="{HAIKU}")\n')
    first = run(capsys, str(tmp_path), "--sarif", str(tmp_path / "bedrock-models.sarif"), "--json")
    again = run(capsys, str(tmp_path), "--json")
    assert (tmp_path / "bedrock-models.sarif").read_text().count(HAIKU)  # the report quotes it
    assert [f["file"] for f in json.loads(again[1])] == ["app.py"] == [f["file"] for f in json.loads(first[1])]
