"""The scripting CLI, run as a user would (in-process for speed, one real subprocess)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from planner_tui.cli import main
from planner_tui.services.project import open_project

OPUS_41 = "anthropic.claude-opus-4-1-20250805-v1:0"
SONNET_45 = "anthropic.claude-sonnet-4-5-20250929-v1:0"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_milestones_on_a_new_project(capsys, db_path: Path, store) -> None:
    code, out, _ = run(capsys, "milestones", "--json", "--today", "2026-11-22", "--db", str(db_path))
    assert code == 0
    found = {(m["model_id"], m["kind"]): m for m in json.loads(out)}
    assert found[(OPUS_41, "eol")]["date"] == "2027-01-08"
    assert found[(SONNET_45, "pea")]["date"] == "2027-01-08"
    assert found[(SONNET_45, "eol")]["date"] == "2027-04-08"
    assert found[(SONNET_45, "eol")]["days_left"] == 137
    dates = [m["date"] for m in json.loads(out)]
    assert dates == sorted(dates)


def test_milestones_within(capsys, db_path: Path, store) -> None:
    code, out, _ = run(capsys, "milestones", "--within", "5", "--today", "2026-11-22", "--db", str(db_path))
    assert code == 0
    assert "Jamba 1.5 Large" in out and "Marengo" not in out


def test_models_filters_by_status_and_region(capsys, db_path: Path, store) -> None:
    code, out, _ = run(capsys, "models", "--status", "EOL", "--region", "eu-central-2",
                       "--today", "2026-11-22", "--json", "--db", str(db_path))
    assert code == 0
    rows = json.loads(out)
    assert {r["model_id"] for r in rows} >= {"anthropic.claude-3-5-sonnet-20240620-v1:0"}
    assert all(r["status"] == "EOL" and "eu-central-2" in r["regions"] for r in rows)


def test_apps_add_then_status(capsys, db_path: Path) -> None:
    code, out, _ = run(capsys, "apps", "add", "Checkout", "--owner", "ann",
                       "--uses", f"{SONNET_45}@us-east-1", "--uses", "amazon.nova-pro-v1:0@us-east-1",
                       "--today", "2026-11-22", "--db", str(db_path))
    assert code == 0 and "1 migration plan" in out
    code, out, _ = run(capsys, "status", "--json", "--today", "2026-11-22", "--db", str(db_path))
    assert code == 0
    (plan,) = json.loads(out)["plans"]
    assert (plan["application"], plan["phase"], plan["risk"]) == ("Checkout", "assess", "on track")
    assert plan["deadline"] == "2027-01-08"
    # Weeks later nothing has moved: the assess phase is overdue, and CI pipelines see exit 1.
    code, out, _ = run(capsys, "status", "--today", "2026-12-20", "--db", str(db_path))
    assert code == 1 and "overdue" in out


def test_demo_status_reports_overdue_plans(capsys) -> None:
    code, out, _ = run(capsys, "--demo", "status", "--json", "--today", "2026-11-22")
    assert code == 1
    risks = {p["risk"] for p in json.loads(out)["plans"]}
    assert risks == {"overdue", "compressed", "on track", "done"}


def test_demo_never_touches_the_users_project(capsys, tmp_path: Path, monkeypatch) -> None:
    user_db = tmp_path / "mine.db"
    monkeypatch.setenv("PLANNER_TUI_DB", str(user_db))
    run(capsys, "--demo", "apps", "list")
    assert not user_db.exists()


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["apps", "add", "X", "--owner", "o", "--uses", "nope.model@us-east-1"], "unknown model ID"),
        (["apps", "add", "X", "--owner", "o", "--uses", f"{OPUS_41}"], "expected MODEL_ID@REGION"),
        (["apps", "add", "  ", "--owner", "o"], "must not be empty"),
        (["--read-only", "apps", "add", "X", "--owner", "o"], "read-only"),
    ],
)
def test_user_errors_are_one_line_and_exit_2(capsys, db_path: Path, argv, message) -> None:
    main(["models", "--db", str(db_path)])  # create the project first
    capsys.readouterr()
    code, out, err = run(capsys, *argv, "--db", str(db_path))
    assert code == 2
    assert message in err
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in err


def test_bad_today_and_bad_file_exit_2(capsys, tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["status", "--today", "2026-02-30"])
    assert exited.value.code == 2
    assert "invalid date" in capsys.readouterr().err
    junk = tmp_path / "junk.db"
    junk.write_text("not sqlite")
    code, _, err = run(capsys, "status", "--db", str(junk))
    assert code == 2 and "not a planner project" in err


def test_python_dash_m_runs_the_cli(tmp_path: Path) -> None:
    open_project(tmp_path / "p.db").close()  # reads need a project
    result = subprocess.run(
        [sys.executable, "-m", "planner_tui", "milestones", "--within", "10",
         "--today", "2026-11-22", "--db", str(tmp_path / "p.db")],
        capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "Marengo Embed v2.7" in result.stdout


def test_lifecycle_dates_entered_by_hand(capsys, db_path: Path) -> None:
    code, out, _ = run(capsys, "lifecycle", "set", f"{OPUS_41}@us-east-1", "--eol", "2027-02-15",
                       "--db", str(db_path))
    assert code == 0 and "kept over catalog reloads" in out
    code, out, _ = run(capsys, "milestones", "--json", "--today", "2026-11-22", "--db", str(db_path))
    eols = {tuple(m["regions"]): m["date"] for m in json.loads(out)
            if m["model_id"] == OPUS_41 and m["kind"] == "eol"}
    assert eols[("us-east-1",)] == "2027-02-15" and eols[("us-east-2", "us-west-2")] == "2027-01-08"
    code, _, err = run(capsys, "lifecycle", "set", f"{OPUS_41}@us-east-1", "--db", str(db_path))
    assert code == 2 and "at least one" in err
