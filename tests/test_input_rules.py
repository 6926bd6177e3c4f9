"""Issue 20, the input side: nothing a person types (a name, a note, a date, a number, an id)
gets in unchecked, by any way in (CLI, TUI forms, CSV, JSON), and every refusal is one line.

The rules live once in the domain (domain/validation.py, applied by domain/fields.py); these
tests meet them from each way in. Input is checked by `model_validate` and by the use cases;
a model's constructor (rows read back from a project) checks types only.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
from pathlib import Path

import pytest
from pydantic import ValidationError

from planner_tui.cli import build_parser, main
from planner_tui.cli.common import Parser
from planner_tui.domain import validation
from planner_tui.domain.dates import parse_date
from planner_tui.domain.models import Application, ChecklistItem, Dependency
from planner_tui.domain.project_document import ProjectDocument
from planner_tui.domain.vocabulary import Phase
from planner_tui.domain.workspace import PHASE_FIELDS, RolloutDecision, RolloutStage, TestResult, check_field
from planner_tui.errors import UserInputError
from planner_tui.services.commands import checklist, plans, workspace
from planner_tui.services.commands.lifecycle import set_dates
from planner_tui.services.project import open_project
from planner_tui.ui import plan_forms

OPUS_41 = "anthropic.claude-opus-4-1-20250805-v1:0"
SONNET_45 = "anthropic.claude-sonnet-4-5-20250929-v1:0"
NOVA_PRO = "amazon.nova-pro-v1:0"  # no lifecycle dates in us-east-1
TODAY = "2026-11-22"
DAY = dt.date(2026, 11, 22)

# Each refused in every text field; the names say what they are.
REFUSED = {
    "NUL": "\x00", "BEL": "\x07", "ESC": "\x1b", "CR": "\r", "DEL": "\x7f", "NEL": "\x85", "CSI": "\x9b",
    "LRE": "\u202a", "RLO": "\u202e", "LRI": "\u2066", "PDI": "\u2069",
}


def run(capsys, *argv: str) -> tuple[int, str, str]:
    """Run the CLI; argument errors exit through SystemExit, which counts as the code."""
    try:
        code = main(list(argv))
    except SystemExit as exited:
        code = exited.code
    out, err = capsys.readouterr()
    return code, out, err


def one_line(err: str) -> str:
    lines = err.splitlines()
    assert len(lines) == 1, err
    return lines[0]


@pytest.fixture
def project(db_path: Path, capsys) -> Path:
    assert main(["apps", "add", "Bot", "--owner", "ann", "--uses", f"{OPUS_41}@us-east-1",
                 "--today", TODAY, "--db", str(db_path)]) == 0
    capsys.readouterr()
    return db_path


def cli(capsys, project: Path, *argv: str) -> tuple[int, str, str]:
    return run(capsys, *argv, "--today", TODAY, "--db", str(project))


def plan_id(project: Path) -> int:
    store = open_project(project)
    try:
        return store.plans()[0].id
    finally:
        store.close()


# -- 2: control characters ---------------------------------------------------------------------


@pytest.mark.parametrize("name", REFUSED)
def test_a_name_with_a_control_character_is_refused_naming_field_and_rule(name: str) -> None:
    with pytest.raises(ValidationError) as refused:
        Application.model_validate({"name": f"a{REFUSED[name]}b"})
    message = str(refused.value.errors()[0]["msg"])
    assert "control character" in message and refused.value.errors()[0]["loc"] == ("name",)
    assert not message.startswith("Value error")


@pytest.mark.parametrize("char", ["\n", "\t"])
def test_a_name_has_no_line_break_or_tab(char: str) -> None:
    with pytest.raises(ValidationError, match="control character"):
        Application.model_validate({"name": f"a{char}b"})
    with pytest.raises(ValidationError, match="control character"):
        ChecklistItem.model_validate({"phase": Phase.ASSESS, "title": f"a{char}b"})


def test_notes_keep_line_breaks_and_tabs_only() -> None:
    assert Application.model_validate({"name": "a", "notes": "one\n\ttwo"}).notes == "one\n\ttwo"
    windows = Application.model_validate({"name": "a", "notes": "one\r\ntwo"})
    assert windows.notes == "one\ntwo"  # a Windows line end
    for char in REFUSED.values():
        with pytest.raises(ValidationError, match="control character"):
            Application.model_validate({"name": "a", "notes": f"x{char}y"})


def test_rows_read_back_are_built_as_they_are() -> None:
    """A project written before the rules (or by hand) still opens: the constructor, which
    the persistence layer uses, checks types only."""
    assert Application(name="a\x1b[31m", notes="x" * 20_000).name == "a\x1b[31m"
    assert ChecklistItem(phase=Phase.ASSESS, title="t", due_date=dt.date(1999, 1, 1)).due_date.year == 1999
    assert Application(name="\x85").name == "\x85"  # blank once stripped (NEL is a space to Python)


TEXT_FIELDS = [
    (Application, {"name": "a"}, ["name", "owner", "team", "notes"]),
    (Dependency, {"app_id": 1, "model_id": OPUS_41, "region": "us-east-1"},
     ["model_id", "region", "resource_id", "environment", "notes"]),
    (ChecklistItem, {"phase": Phase.ASSESS, "title": "t"}, ["title", "owner", "notes"]),
    (TestResult, {"metric": "m", "candidate": 1, "threshold": 1}, ["metric", "notes"]),
    (RolloutStage, {"traffic_percent": 5}, ["notes"]),
    (RolloutDecision, {"decided_on": DAY, "decision": "hold"}, ["note"]),
]


@pytest.mark.parametrize(("model", "base", "field"),
                         [(m, b, f) for m, b, fields in TEXT_FIELDS for f in fields])
def test_every_text_field_refuses_an_escape_and_its_over_limit_length(model, base, field) -> None:  # noqa: ANN001
    with pytest.raises(ValidationError) as refused:
        model.model_validate({**base, field: "x\x1b[31my"})
    assert refused.value.errors()[0]["loc"] == (field,)
    with pytest.raises(ValidationError, match=r"at most [\d,]+ characters") as refused:
        model.model_validate({**base, field: "x" * (validation.NOTES_MAX + 1)})
    assert refused.value.errors()[0]["loc"] == (field,)


def test_environments_are_names_too() -> None:
    with pytest.raises(ValidationError, match="control character"):
        Application.model_validate({"name": "a", "environments": ("pr\x1bod",)})


def test_square_brackets_are_text() -> None:
    app = Application.model_validate({"name": "a[/]b [bold]x[/bold]", "owner": "[/]"})
    assert app.name == "a[/]b [bold]x[/bold]"


def test_cli_refuses_a_control_character_in_one_line(capsys, project: Path) -> None:
    code, _, err = cli(capsys, project, "apps", "add", "bad\x1b[31mname", "--owner", "me")
    line = one_line(err)
    assert code == 2 and "name" in line and "control character" in line
    assert "\x1b" not in err
    code, _, err = cli(capsys, project, "apps", "add", "Other", "--owner", "me\u202e")
    assert code == 2 and "owner" in one_line(err) and "control character" in err
    code, _, err = cli(capsys, project, "deps", "add", "Bot", "--uses", f"{SONNET_45}@us-east-1",
                       "--notes", "x\x07")
    assert code == 2 and "notes" in one_line(err)
    pid = plan_id(project)
    code, _, err = cli(capsys, project, "items", "add", str(pid), "--phase", "assess", "ti\x9btle")
    assert code == 2 and "control character" in one_line(err)
    code, _, err = cli(capsys, project, "plans", "cancel", str(pid), "--reason", "because\x1b]0;x\x07")
    assert code == 2 and "reason" in one_line(err) and "control character" in err
    code, out, _ = cli(capsys, project, "apps", "list", "--json")
    assert [a["name"] for a in json.loads(out)] == ["Bot"]


def test_cli_accepts_brackets_in_a_name(capsys, project: Path) -> None:
    code, _, err = cli(capsys, project, "apps", "add", "a[/]b", "--owner", "[red]me[/red]")
    assert code == 0, err
    code, out, _ = cli(capsys, project, "apps", "list", "--json")
    assert {a["name"]: a["owner"] for a in json.loads(out)}["a[/]b"] == "[red]me[/red]"


def test_use_cases_refuse_text_that_skipped_the_models(project: Path) -> None:
    """A model built by its constructor or copied with an update is not checked: the use case
    checks it."""
    from planner_tui.services.commands import onboarding, portfolio

    store = open_project(project)
    try:
        pid = store.plans()[0].id
        with pytest.raises(UserInputError, match="name: must not contain control characters"):
            portfolio.add_application(store, Application(name="x\x1b"), [], DAY)
        with pytest.raises(UserInputError, match="environment"):
            onboarding.add_applications(store, [(Application(name="y"), [Dependency(
                app_id=0, model_id=OPUS_41, region="us-east-1", environment="a\nb")])], DAY)
        (app,) = store.applications()
        with pytest.raises(UserInputError, match="notes: must be at most 10,000 characters"):
            portfolio.edit_application(store, app.model_copy(update={"notes": "n" * 10_001}))
        with pytest.raises(UserInputError, match="monthly volume"):
            portfolio.add_dependency(store, Dependency(app_id=app.id, model_id=SONNET_45, region="us-east-1",
                                                       monthly_volume=10**13), DAY)
        with pytest.raises(UserInputError, match="2000-01-01"):
            workspace.add_stage(store, RolloutStage(plan_id=pid, traffic_percent=5,
                                                    start_date=dt.date(1999, 1, 1)), DAY)
        with pytest.raises(UserInputError, match="note"):
            workspace.record_decision(store, RolloutDecision(plan_id=pid, decided_on=DAY, decision="hold",
                                                             note="\u202e"))
        with pytest.raises(UserInputError, match="metric"):
            workspace.add_test_result(store, TestResult(plan_id=pid, metric="m\x1b", candidate=1, threshold=1))
        with pytest.raises(UserInputError, match="control character"):
            workspace.set_phase_fields(store, pid, Phase.ASSESS, {"baseline.behaviours": "\x1b[2J"})
        assert [a.name for a in store.applications()] == ["Bot"]
        with pytest.raises(UserInputError, match="control character"):
            plans.cancel(store, pid, "x\x1b", DAY)
        with pytest.raises(UserInputError, match="control character"):
            plans.advance(store, pid, DAY, "open items\x1b")
        with pytest.raises(UserInputError, match="control character"):
            workspace.choose_replacement(store, pid, SONNET_45, "r\x7f")
        with pytest.raises(UserInputError, match="title.*control character"):
            checklist.add_item(store, pid, Phase.ASSESS, "t\x1b")
        item = store.plans()[0].items[0]
        with pytest.raises(UserInputError, match="owner.*control character"):
            checklist.edit_item(store, item.model_copy(update={"owner": "x\x1b"}))
        with pytest.raises(UserInputError, match="200"):
            checklist.edit_item(store, item.model_copy(update={"owner": "x" * 201}))
        assert store.item(item.id).owner == item.owner
        assert store.plans()[0].is_open
    finally:
        store.close()


def _document(**app: object) -> dict:
    return {"format": "planner-tui-project", "schema_version": 1,
            "applications": [{"name": "Imported", **app}]}


def test_json_import_refuses_control_characters_and_long_text(capsys, project: Path, tmp_path: Path) -> None:
    for app, field in (({"owner": "x\x1b[2J"}, "owner"), ({"team": "t" * 201}, "team"),
                       ({"dependencies": [{"model_id": OPUS_41, "region": "us-east-1",
                                           "notes": "\u202e"}]}, "notes")):
        path = tmp_path / "doc.json"
        path.write_text(json.dumps(_document(**app)))
        code, _, err = cli(capsys, project, "import", "json", str(path))
        assert code == 2, err
        assert f"applications.0.{'dependencies.0.' if field == 'notes' else ''}{field}" in err
        assert "\x1b" not in err and "Traceback" not in err
    with pytest.raises(ValidationError):
        ProjectDocument.model_validate(_document(name="a\nb"))


def test_csv_import_refuses_control_characters_and_long_text(capsys, project: Path, tmp_path: Path) -> None:
    path = tmp_path / "apps.csv"
    for bad, field in ((f"Bad\x1b[31m,ann,{OPUS_41},us-east-1,", "name: must not contain control characters"),
                       (f"Long,{'o' * 201},{OPUS_41},us-east-1,", "owner: must be at most 200 characters"),
                       (f"Note,ann,{OPUS_41},us-east-1,a\u202eb", "notes: must not contain control characters")):
        path.write_text(f"name,owner,model_id,region,notes\nGood,ann,{OPUS_41},us-east-1,fine\n{bad}\n")
        code, _, err = cli(capsys, project, "apps", "import", str(path))
        assert code == 2 and "Traceback" not in err, err
        assert field in err and "\x1b" not in err
    code, out, _ = cli(capsys, project, "apps", "list", "--json")
    assert [a["name"] for a in json.loads(out)] == ["Bot"]  # all or nothing


def test_tui_forms_refuse_control_characters_and_long_text() -> None:
    check = plan_forms.phase_form_check(Phase.ASSESS, frozenset())
    errors = check({spec.key: "" for spec in PHASE_FIELDS[Phase.ASSESS]} | {"baseline.behaviours": "a\x1bb"})
    assert "control character" in errors["baseline.behaviours"]
    errors = check({spec.key: "" for spec in PHASE_FIELDS[Phase.ASSESS]}
                   | {"baseline.behaviours": "x" * (validation.NOTES_MAX + 1)})
    assert "10,000" in errors["baseline.behaviours"]
    result = {"metric": "m\x1b", "baseline": "", "candidate": "1", "threshold": "1", "direction": "higher",
              "notes": "n" * 10_001}
    errors = plan_forms.test_result_check(result)
    assert "control character" in errors["metric"] and "10,000" in errors["notes"]
    assert plan_forms.test_result_check(result | {"metric": "ok", "notes": "a[/]b\nc"}) == {}
    assert "finite" in plan_forms.test_result_check(result | {"metric": "ok", "notes": "", "candidate": "nan"})[
        "candidate"]
    decision = {"decision": "hold", "traffic": "", "date": TODAY, "note": "\u2066"}
    assert "control character" in plan_forms.decision_check(decision)["note"]
    stage = {"traffic": "5", "start": "", "end": "", "notes": "\x9b2J"}
    assert "control character" in plan_forms.stage_check(stage)["notes"]
    item = {"title": "t" * 501, "owner": "o\x1b", "due_date": "", "notes": ""}
    errors = plan_forms.item_check(item)
    assert "500" in errors["title"] and "control character" in errors["owner"]


@pytest.mark.parametrize("text", ["nan", "inf", "-inf", "1e999"])
def test_phase_form_numbers_are_finite(text: str) -> None:
    spec = next(s for s in PHASE_FIELDS[Phase.ASSESS] if s.kind == "float")
    with pytest.raises(ValueError, match="finite"):
        check_field(spec, text)


def test_test_results_are_finite() -> None:
    with pytest.raises(ValidationError):
        TestResult.model_validate({"metric": "m", "candidate": float("nan"), "threshold": 1})
    with pytest.raises(ValidationError):
        TestResult.model_validate({"metric": "m", "candidate": 1, "threshold": float("inf")})


# -- 5: dates outside 2000-01-01 … 2100-12-31 ----------------------------------------------------


@pytest.mark.parametrize("text", ["0001-01-01", "1999-12-31", "2101-01-01", "9999-12-31"])
def test_a_date_outside_the_sane_range_is_refused_where_typed(text: str) -> None:
    with pytest.raises(ValueError, match="2000-01-01"):
        parse_date(text)
    day = dt.date.fromisoformat(text)
    with pytest.raises(ValidationError, match="2100-12-31"):
        ChecklistItem.model_validate({"phase": Phase.ASSESS, "title": "t", "due_date": day})
    with pytest.raises(ValidationError, match="2100-12-31"):
        RolloutStage.model_validate({"traffic_percent": 5, "end_date": day})
    with pytest.raises(ValidationError, match="2100-12-31"):
        RolloutDecision.model_validate({"decided_on": day, "decision": "hold"})


def test_the_ends_of_the_range_are_dates() -> None:
    assert parse_date("2000-01-01") == dt.date(2000, 1, 1)
    assert parse_date("2100-12-31") == dt.date(2100, 12, 31)


def test_cli_refuses_an_insane_today_in_one_line(capsys, project: Path) -> None:
    for command in (["status"], ["milestones"], ["plans", "list"]):
        code, _, err = run(capsys, *command, "--today", "0001-01-01", "--db", str(project))
        assert code == 2 and "2000-01-01" in one_line(err), err


def test_cli_refuses_insane_dates_where_typed(capsys, project: Path) -> None:
    pid = str(plan_id(project))
    for argv in (["lifecycle", "set", f"{SONNET_45}@us-east-1", "--eol", "2200-01-01"],
                 ["items", "add", pid, "--phase", "assess", "title", "--due", "1900-01-01"],
                 ["stages", "add", pid, "--traffic", "5", "--to", "3000-01-01"],
                 ["decisions", "add", pid, "--decision", "hold", "--note", "n", "--date", "1970-01-01"]):
        code, _, err = cli(capsys, project, *argv)
        assert code == 2 and "2100-12-31" in one_line(err), (argv, err)


def test_lifecycle_use_case_refuses_an_insane_date(store) -> None:
    with pytest.raises(UserInputError, match="2000-01-01"):
        set_dates(store, SONNET_45, "us-east-1", {"eol_date": dt.date(1, 1, 1)}, DAY)


def test_json_import_refuses_insane_dates(capsys, project: Path, tmp_path: Path) -> None:
    path = tmp_path / "doc.json"
    path.write_text(json.dumps(_document(plans=[{"model_id": OPUS_41, "started_on": "1066-10-14"}])))
    code, _, err = cli(capsys, project, "import", "json", str(path))
    assert code == 2 and "applications.0.plans.0.started_on" in err and "2000-01-01" in err
    doc = _document()
    doc["manual_dates"] = [{"model_id": OPUS_41, "region": "us-east-1", "field": "eol_date",
                            "value": "2999-01-01"}]
    with pytest.raises(ValidationError, match="2100-12-31"):
        ProjectDocument.model_validate(doc)


# -- 6: lifecycle dates in the wrong order ---------------------------------------------------------


def test_lifecycle_dates_out_of_order_are_refused_in_one_line(capsys, project: Path) -> None:
    code, _, err = cli(capsys, project, "lifecycle", "set", f"{NOVA_PRO}@us-east-1",
                       "--legacy", "2030-01-01", "--eol", "2020-01-01")
    line = one_line(err)
    assert code == 2 and "EOL 2020-01-01 is not after the Legacy start 2030-01-01" in line
    assert "Legacy start ≤ PEA start < EOL" in line and "Nothing was saved" in line


def test_lifecycle_order_counts_the_stored_dates(capsys, project: Path) -> None:
    # Opus 4.1 in us-east-1: Legacy 2026-07-08, PEA 2026-10-08, EOL 2027-01-08 in the catalog.
    code, _, err = cli(capsys, project, "lifecycle", "set", f"{OPUS_41}@us-east-1", "--eol", "2026-09-01")
    assert code == 2 and "PEA start 2026-10-08 is not before EOL 2026-09-01" in one_line(err)
    code, _, err = cli(capsys, project, "lifecycle", "set", f"{OPUS_41}@us-east-1", "--pea", "2027-02-01")
    assert code == 2 and "not before EOL 2027-01-08" in one_line(err)
    code, _, err = cli(capsys, project, "lifecycle", "set", f"{OPUS_41}@us-east-1", "--legacy", "2026-11-01")
    assert code == 2 and "before the Legacy start 2026-11-01" in one_line(err)
    code, out, _ = cli(capsys, project, "models", "--json", "--region", "us-east-1")
    row = next(r for r in json.loads(out) if r["model_id"] == OPUS_41)
    assert (row["legacy_date"], row["pea_date"], row["eol_date"]) == ("2026-07-08", "2026-10-08", "2027-01-08")


def test_an_eol_in_the_past_is_legal_and_flagged(capsys, project: Path) -> None:
    code, out, err = cli(capsys, project, "lifecycle", "set", f"{NOVA_PRO}@us-east-1",
                         "--legacy", "2025-01-01", "--eol", "2026-01-01")
    assert code == 0, err
    assert "EOL 2026-01-01 is in the past" in err
    code, out, err = cli(capsys, project, "lifecycle", "set", f"{NOVA_PRO}@us-east-1", "--legacy", "2025-02-01")
    assert code == 0 and "in the past" not in err  # the EOL did not move: said once


# -- 7: tracebacks that become one line and exit 2 ----------------------------------------------


def test_invalid_utf8_in_an_argument_is_refused_in_one_line(capsys, project: Path) -> None:
    bad = b"x\xff".decode("utf-8", "surrogateescape")
    for argv in (["apps", "add", bad, "--owner", "me"], ["apps", "add", "ok", "--owner", bad],
                 ["plans", "cancel", "1", "--reason", bad], ["history", "--app", bad]):
        code, _, err = cli(capsys, project, *argv)
        assert code == 2 and "UTF-8" in one_line(err), (argv, err)


def test_an_id_beyond_sqlite_is_refused(capsys, project: Path) -> None:
    for argv in (["discovered", "accept", "99999999999999999999999", "--app", "Bot"],
                 ["discovered", "dismiss", str(2**63)], ["plans", "show", str(2**63)]):
        code, _, err = cli(capsys, project, *argv)
        assert code == 2 and "id" in one_line(err) and "Traceback" not in err, (argv, err)
    code, _, err = cli(capsys, project, "plans", "show", str(2**63 - 1))
    assert code == 2 and "no plan" in one_line(err)


def test_history_limit_is_bounded(capsys, project: Path) -> None:
    code, _, err = cli(capsys, project, "history", "--limit", str(10**23))
    line = one_line(err)
    assert code == 2 and "--limit" in line and "project file" not in line
    code, _, err = cli(capsys, project, "history", "--limit", "0")
    assert code == 2


def test_a_monthly_volume_beyond_the_limit_is_refused_naming_it(capsys, project: Path, tmp_path: Path) -> None:
    limit = f"{validation.VOLUME_MAX:,}"
    code, _, err = cli(capsys, project, "deps", "add", "Bot", "--uses", f"{SONNET_45}@us-east-1",
                       "--volume", str(10**30))
    assert code == 2 and limit in one_line(err)
    with pytest.raises(ValidationError, match="monthly_volume"):
        Dependency.model_validate({"app_id": 1, "model_id": OPUS_41, "region": "us-east-1",
                                   "monthly_volume": 10**30})
    path = tmp_path / "doc.json"
    dependency = f'{{"model_id": "{OPUS_41}", "region": "us-east-1", "monthly_volume": 1e30}}'
    path.write_text('{"format": "planner-tui-project", "schema_version": 1, '
                    f'"applications": [{{"name": "I", "dependencies": [{dependency}]}}]}}')
    code, _, err = cli(capsys, project, "import", "json", str(path))
    assert code == 2 and "monthly_volume" in err and "Traceback" not in err


def test_csv_volume_beyond_the_limit_is_a_problem_not_a_traceback(capsys, project: Path, tmp_path: Path) -> None:
    path = tmp_path / "apps.csv"
    path.write_text(f"name,owner,model_id,region,monthly_volume\nBig,ann,{OPUS_41},us-east-1,1e30\n"
                    f"Bigger,ann,{OPUS_41},us-east-1,{10**30}\n")
    code, _, err = cli(capsys, project, "apps", "import", str(path))
    assert code == 2 and "Traceback" not in err, err
    assert "row 2: monthly_volume" in err  # not a whole number
    path.write_text(f"name,owner,model_id,region,monthly_volume\nBigger,ann,{OPUS_41},us-east-1,{10**30}\n")
    code, _, err = cli(capsys, project, "apps", "import", str(path))
    assert code == 2 and "Traceback" not in err and "monthly" in err and "1,000,000,000,000" in err


# -- 8: limits on every text field --------------------------------------------------------------


def test_limits_are_named_in_the_refusal(capsys, project: Path) -> None:
    code, _, err = cli(capsys, project, "apps", "add", "n" * 201, "--owner", "me")
    assert code == 2 and "name" in one_line(err) and "200" in err
    pid = str(plan_id(project))
    code, _, err = cli(capsys, project, "items", "add", pid, "--phase", "assess", "t" * 501)
    assert code == 2 and "title" in one_line(err) and "500" in err
    code, _, err = cli(capsys, project, "results", "add", pid, "--metric", "m", "--candidate", "1",
                       "--threshold", "1", "--notes", "n" * 10_001)
    assert code == 2 and "notes" in one_line(err) and "10,000" in err
    code, _, err = cli(capsys, project, "plans", "cancel", pid, "--reason", "r" * 10_001)
    assert code == 2 and "10,000" in one_line(err)
    code, _, err = cli(capsys, project, "apps", "add", "n" * 200, "--owner", "o" * 200, "--notes", "x" * 10_000)
    assert code == 0, err


def test_limits_live_in_one_module() -> None:
    assert validation.NAME_MAX == 200 and validation.TITLE_MAX == 500 and validation.NOTES_MAX == 10_000
    assert validation.FIRST_DAY == dt.date(2000, 1, 1) and validation.LAST_DAY == dt.date(2100, 12, 31)


# -- 14: exits and one-line errors ----------------------------------------------------------------


def test_dismissing_a_resource_that_is_not_there_is_an_error(capsys, project: Path) -> None:
    code, out, err = cli(capsys, project, "discovered", "dismiss", "999")
    assert code == 2 and "dismissed" not in out and "999" in one_line(err)
    code, out, err = cli(capsys, project, "discovered", "accept", "999", "--app", "Bot")
    assert code == 2 and "999" in one_line(err)


def test_an_unknown_region_is_refused(capsys, project: Path) -> None:
    code, _, err = cli(capsys, project, "models", "--region", "mars-1")
    assert code == 2 and "us-east-1" in one_line(err)
    code, out, _ = cli(capsys, project, "models", "--region", "US-EAST-1", "--json")
    assert code == 0 and json.loads(out)


def test_an_empty_app_filter_is_refused(capsys, project: Path) -> None:
    code, out, err = cli(capsys, project, "history", "--app", "")
    assert code == 2 and not out and "--app" in one_line(err)
    code, out, err = cli(capsys, project, "history", "--app", "  ")
    assert code == 2 and "--app" in one_line(err)


@pytest.mark.parametrize("argv", [["items", "done"], ["plans", "show"], ["items"], ["lifecycle", "set"],
                                  ["discovered", "accept"], ["export"], ["results", "add"], ["apps", "add"],
                                  ["deps", "add", "x"], ["history", "--limit"], ["models", "--nope"]])
def test_argument_errors_are_one_line_with_a_hint(capsys, argv: list[str]) -> None:
    code, out, err = run(capsys, *argv)
    line = one_line(err)
    assert code == 2 and not out and "--help" in line and "usage" not in line


def test_every_parser_is_the_one_line_parser() -> None:
    def walk(parser: argparse.ArgumentParser):  # noqa: ANN202
        yield parser
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for child in action.choices.values():
                    yield from walk(child)

    parsers = list(walk(build_parser()))
    assert len(parsers) > 40
    assert all(isinstance(p, Parser) for p in parsers), [p.prog for p in parsers if not isinstance(p, Parser)]
