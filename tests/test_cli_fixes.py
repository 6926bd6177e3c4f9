"""Issue 14: the command line's defects (3, 8 and 13), each as a person meets it."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from planner_tui.cli import main
from planner_tui.persistence.store import ProjectStore
from planner_tui.services.project import open_project

OPUS_41 = "anthropic.claude-opus-4-1-20250805-v1:0"
HAIKU_3 = "anthropic.claude-3-haiku-20240307-v1:0"
SONNET_45 = "anthropic.claude-sonnet-4-5-20250929-v1:0"
TODAY = "2026-11-22"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def project(db_path: Path) -> Path:
    open_project(db_path).close()
    return db_path


# -- defect 13: a read-only review leaves the folder as it found it -------------------------


def _listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_a_read_only_command_leaves_no_file_beside_the_project(capsys, project: Path, tmp_path_factory) -> None:
    assert main(["apps", "add", "Bot", "--owner", "ann", "--uses", f"{OPUS_41}@us-east-1",
                 "--today", TODAY, "--db", str(project)]) == 0
    before, data = _listing(project.parent), project.read_bytes()
    report = tmp_path_factory.mktemp("out") / "report.md"
    commands = (["status"], ["models", "--json"], ["history"], ["report", "--format", "md", "-o", str(report)])
    for command in commands:
        main([*command, "--read-only", "--today", TODAY, "--db", str(project)])
        assert _listing(project.parent) == before, command
    assert project.read_bytes() == data
    capsys.readouterr()


def test_opening_and_closing_a_read_only_store_leaves_the_folder_as_it_was(project: Path) -> None:
    before = _listing(project.parent)
    store = ProjectStore.open(project, read_only=True)
    store.applications()
    store.close()
    assert _listing(project.parent) == before


def test_a_read_only_look_leaves_another_programs_files_alone(capsys, project: Path) -> None:
    """The TUI has the project open: its -wal/-shm stay, and it keeps working."""
    writer = open_project(project)
    writer.applications()
    during = _listing(project.parent)
    assert {f"{project.name}-wal", f"{project.name}-shm"} <= set(during)
    assert main(["status", "--read-only", "--today", TODAY, "--db", str(project)]) == 0
    assert _listing(project.parent) == during
    assert main(["apps", "add", "Bot", "--owner", "ann", "--uses", f"{OPUS_41}@us-east-1",
                 "--today", TODAY, "--db", str(project)]) == 0
    assert [a.name for a in writer.applications()] == ["Bot"]
    writer.close()
    assert _listing(project.parent) == [project.name]
    capsys.readouterr()


def test_a_refused_read_only_open_leaves_nothing_behind(tmp_path: Path) -> None:
    import sqlite3

    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("CREATE TABLE t (x)")
    conn.close()
    assert main(["status", "--read-only", "--db", str(other)]) == 2
    assert _listing(tmp_path) == ["other.db"]


# -- defect 13: a reader that stops early ------------------------------------------------------


class _ClosedPipe(io.StringIO):
    def write(self, text: str) -> int:
        raise BrokenPipeError(32, "Broken pipe")

    def flush(self) -> None:
        raise BrokenPipeError(32, "Broken pipe")


def test_a_closed_stdout_ends_quietly(project: Path, monkeypatch, capsys) -> None:
    for command in (["models", "--json"], ["status"], ["milestones"], ["apps", "list"]):
        monkeypatch.setattr(sys, "stdout", _ClosedPipe())
        assert main([*command, "--today", TODAY, "--db", str(project)]) == 1
        monkeypatch.undo()
        assert capsys.readouterr().err == ""


def test_models_into_a_closed_pipe_prints_no_traceback(project: Path) -> None:
    read_end, write_end = os.pipe()
    os.close(read_end)  # `| head` that has already gone
    try:
        result = subprocess.run(
            [sys.executable, "-m", "planner_tui", "models", "--json", "--db", str(project)],
            stdout=write_end, stderr=subprocess.PIPE, timeout=60, check=False)
    finally:
        os.close(write_end)
    assert result.stderr.decode() == ""
    assert result.returncode == 1


# -- defect 13: models --region and --status ---------------------------------------------------


def test_an_unknown_region_is_refused_with_the_known_ones(capsys, project: Path) -> None:
    code, out, err = run(capsys, "models", "--region", "xx-nowhere-1", "--db", str(project))
    assert code == 2 and out == ""
    assert err.count("\n") == 1
    assert "xx-nowhere-1" in err and "us-east-1" in err and "eu-central-2" in err


def test_status_and_region_in_any_case(capsys, project: Path) -> None:
    code, out, _ = run(capsys, "models", "--status", "Legacy", "--json", "--today", TODAY, "--db", str(project))
    assert code == 0
    expected = json.loads(out)
    assert expected
    for spelling in ("legacy", "LEGACY", "lEgAcY"):
        code, out, _ = run(capsys, "models", "--status", spelling, "--json", "--today", TODAY,
                           "--db", str(project))
        assert code == 0 and json.loads(out) == expected
    code, out, _ = run(capsys, "models", "--status", "eol", "--region", "EU-Central-2", "--json",
                       "--today", TODAY, "--db", str(project))
    assert code == 0 and json.loads(out)
    with pytest.raises(SystemExit) as refused:  # argparse's own refusal, in one line
        main(["models", "--status", "retired", "--db", str(project)])
    assert refused.value.code == 2
    err = capsys.readouterr().err
    assert "invalid status 'retired': choose from Active, Legacy, PEA, EOL" in err and err.count("\n") == 1


def test_criticality_in_any_case(capsys, project: Path) -> None:
    code, _, _ = run(capsys, "apps", "add", "Bot", "--owner", "ann", "--criticality", "HIGH",
                     "--db", str(project))
    assert code == 0
    code, out, _ = run(capsys, "apps", "list", "--json", "--db", str(project))
    assert json.loads(out)[0]["criticality"] == "high"


# -- defect 13: grammar ------------------------------------------------------------------------


@pytest.mark.parametrize(("fmt", "words"), [("html", "wrote an HTML report"), ("md", "wrote a Markdown report"),
                                            ("csv", "wrote a CSV report"), ("json", "wrote a JSON report")])
def test_report_says_what_it_wrote(capsys, project: Path, tmp_path: Path, fmt: str, words: str) -> None:
    code, out, _ = run(capsys, "report", "--format", fmt, "-o", str(tmp_path / f"r.{fmt}"),
                       "--today", TODAY, "--db", str(project))
    assert code == 0 and out.startswith(words)


# -- defect 3: a model past its EOL; dates that contradict each other --------------------------


def test_apps_add_warns_of_a_model_past_eol(capsys, project: Path) -> None:
    code, out, err = run(capsys, "apps", "add", "X", "--owner", "o", "--uses", f"{HAIKU_3}@us-east-1",
                         "--today", "2026-12-01", "--db", str(project))
    assert code == 0 and "added X" in out and "1 migration plan" in out
    assert err.startswith("planner-tui: warning: ") and err.count("\n") == 1
    assert f"{HAIKU_3} is past its EOL in us-east-1" in err
    code, out, _ = run(capsys, "status", "--json", "--today", "2026-12-01", "--db", str(project))
    assert code == 1
    (plan,) = json.loads(out)["plans"]
    assert plan["risk"] == "past EOL"


def test_apps_add_before_eol_does_not_warn(capsys, project: Path) -> None:
    code, _, err = run(capsys, "apps", "add", "X", "--owner", "o", "--uses", f"{HAIKU_3}@us-east-1",
                       "--today", "2026-09-09", "--db", str(project))
    assert code == 0 and err == ""


def test_an_eol_before_the_legacy_and_pea_starts_is_refused(capsys, project: Path) -> None:
    code, out, err = run(capsys, "lifecycle", "set", f"{OPUS_41}@us-east-1", "--eol", "2026-01-01",
                         "--db", str(project))
    assert code == 2 and out == ""
    assert err.count("\n") == 1
    assert "EOL 2026-01-01" in err and "Legacy start 2026-07-08" in err and "PEA start 2026-10-08" in err
    assert "Nothing was saved" in err
    code, out, _ = run(capsys, "milestones", "--json", "--today", TODAY, "--db", str(project))
    eol = next(m for m in json.loads(out) if m["model_id"] == OPUS_41 and m["kind"] == "eol")
    assert eol["date"] == "2027-01-08"
    code, out, _ = run(capsys, "history", "--json", "--db", str(project))
    assert json.loads(out) == []


def test_several_dates_move_together_or_not_at_all(capsys, project: Path) -> None:
    # A PEA start before the Legacy start, given with a valid EOL: neither is saved.
    code, _, err = run(capsys, "lifecycle", "set", f"{OPUS_41}@us-east-1", "--pea", "2026-06-01",
                       "--eol", "2027-03-01", "--db", str(project))
    assert code == 2 and "PEA start 2026-06-01 is before the Legacy start 2026-07-08" in err
    store = ProjectStore.open(project, read_only=True)
    (group,) = [lc for lc in store.lifecycles(OPUS_41) if "us-east-1" in lc.regions]
    assert str(group.eol_date) == "2027-01-08" and str(group.pea_date) == "2026-10-08"
    store.close()
    # Moved together, consistent: saved.
    code, _, _ = run(capsys, "lifecycle", "set", f"{OPUS_41}@us-east-1", "--legacy", "2026-05-01",
                     "--pea", "2026-08-01", "--eol", "2026-12-01", "--db", str(project))
    assert code == 0


def test_other_policy_findings_are_warned_after_saving(capsys, project: Path) -> None:
    code, out, err = run(capsys, "lifecycle", "set", f"{OPUS_41}@us-east-1", "--eol", "2026-12-01",
                         "--today", TODAY, "--db", str(project))
    assert code == 0 and out.startswith("set eol of")
    assert "warning" in err and "the policy promises at least 6 months" in err
    assert "later than 3 months before EOL 2026-12-01" in err


def test_status_and_milestones_follow_a_new_eol(capsys, project: Path) -> None:
    assert main(["apps", "add", "Bot", "--owner", "ann", "--uses", f"{OPUS_41}@us-east-1",
                 "--today", TODAY, "--db", str(project)]) == 0
    capsys.readouterr()
    code, out, _ = run(capsys, "status", "--json", "--today", TODAY, "--db", str(project))
    (plan,) = json.loads(out)["plans"]
    assert plan["deadline"] == "2026-12-25"  # EOL 2027-01-08 minus the 14-day margin
    code, out, err = run(capsys, "lifecycle", "set", f"{OPUS_41}@us-east-1", "--eol", "2027-03-01",
                         "--today", TODAY, "--db", str(project))
    assert code == 0
    code, out, _ = run(capsys, "status", "--json", "--today", TODAY, "--db", str(project))
    (plan,) = json.loads(out)["plans"]
    assert plan["deadline"] == "2027-02-15" and "2027-03-01" in plan["deadline_basis"]
    code, out, _ = run(capsys, "milestones", "--json", "--today", TODAY, "--db", str(project))
    eols = {tuple(m["regions"]): m for m in json.loads(out) if m["model_id"] == OPUS_41 and m["kind"] == "eol"}
    assert eols[("us-east-1",)]["date"] == "2027-03-01"
    assert eols[("us-east-1",)]["affected_applications"] == ["Bot"]
    assert eols[("us-east-2", "us-west-2")]["date"] == "2027-01-08"


# -- defect 8: the history has the dates typed by hand, with who and when ----------------------


def test_history_lists_hand_entered_dates_with_who_and_when(capsys, project: Path, monkeypatch) -> None:
    monkeypatch.setenv("PLANNER_TUI_USER", "dana")
    assert main(["lifecycle", "set", f"{OPUS_41}@us-east-1", "--eol", "2027-03-01",
                 "--today", TODAY, "--db", str(project)]) == 0
    monkeypatch.setenv("PLANNER_TUI_USER", "ann")
    assert main(["apps", "add", "Bot", "--owner", "ann", "--db", str(project)]) == 0
    capsys.readouterr()
    code, out, _ = run(capsys, "history", "--json", "--db", str(project))
    assert code == 0
    entries = json.loads(out)
    typed = [e for e in entries if e["table"] == "lifecycle"]
    assert len(typed) == 1  # once, not again from the vendor-date history
    (entry,) = typed
    assert entry["actor"] == "dana" and entry["at"].endswith("Z")
    assert entry["old"] == {"eol_date": "2027-01-08"} and entry["new"] == {"eol_date": "2027-03-01"}
    assert OPUS_41 in entry["what"] and "us-east-1" in entry["what"] and "2027-03-01" in entry["what"]
    assert entries[0]["what"] == "added application 'Bot'"  # newest first
    code, out, _ = run(capsys, "history", "--db", str(project))
    line = next(line for line in out.splitlines() if "2027-03-01" in line)
    assert "dana" in line and "eol date: 2027-01-08 → 2027-03-01" in line
    code, out, _ = run(capsys, "history", "--app", "Bot", "--json", "--db", str(project))
    assert all(e["table"] != "lifecycle" for e in json.loads(out))


def test_history_lists_synced_date_changes_by_their_source(capsys, project: Path) -> None:
    store = open_project(project)
    with store.batch() as db:  # as a sync records a changed date
        store._log_date_change(db, OPUS_41, "us-east-2", "eol_date", "2027-01-08", "2027-02-01",
                               "2026-11-23T08:00:00+00:00", "AWS API, us-east-2, at 2026-11-23T08:00:00+00:00")
    store.close()
    code, out, _ = run(capsys, "history", "--json", "--db", str(project))
    (entry,) = json.loads(out)
    assert entry["actor"].startswith("AWS API, us-east-2") and entry["at"] == "2026-11-23T08:00:00Z"
    assert "eol date: 2027-01-08 → 2027-02-01" in entry["what"]
