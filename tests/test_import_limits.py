"""Imports refuse what they cannot take in one line with exit 2, never a traceback, never a
hang or all of memory (#20): devices, FIFOs and folders, files over the size limit, JSON
nested too deep or with numbers no project can hold, CSV headers naming a column twice.
Large imports stay all or nothing, with the stored counts, audit rows and triggers exactly
as row-by-row inserts leave them."""

from __future__ import annotations

import csv
import json
import multiprocessing
import os
import random
import resource
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from planner_tui.cli import main
from planner_tui.domain.models import Application
from planner_tui.integrations.input_files import CSV_LIMIT, JSON_LIMIT
from planner_tui.persistence.store import ProjectStore
from planner_tui.services.project import open_project

from .conftest import TODAY

ROOT = Path(__file__).resolve().parents[1]
OPUS_41 = "anthropic.claude-opus-4-1-20250805-v1:0"  # Legacy: a plan opens for it
NOVA_PRO = "amazon.nova-pro-v1:0"
HEADER = "name,owner,model_id,region,monthly_volume\n"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _limited() -> None:
    """In the child: at most 1.5 GB of address space (an unbounded read fails there, not in
    the machine) and no core file."""
    resource.setrlimit(resource.RLIMIT_AS, (1_500_000_000, 1_500_000_000))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def run_isolated(tmp_path: Path, *argv: str, timeout: float = 60) -> tuple[int, str]:
    """The CLI in a child process with bounded memory and time: what the old code did with
    /dev/zero (read until memory ran out) or a FIFO (wait for a writer forever) stays there."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    try:
        done = subprocess.run([sys.executable, "-m", "planner_tui", *argv, "--db", str(tmp_path / "p.db")],
                              capture_output=True, text=True, timeout=timeout, preexec_fn=_limited,
                              cwd=tmp_path, env=env)
    except subprocess.TimeoutExpired:
        pytest.fail(f"{argv} still running after {timeout} s")
    return done.returncode, done.stderr


def assert_one_line_refusal(code: int, err: str, *words: str) -> None:
    assert code == 2, err[-2000:]
    assert "Traceback" not in err and "MemoryError" not in err, err[-2000:]
    first = err.strip().splitlines()[0]
    for word in words:
        assert word in first, first


# -- what the file is ----------------------------------------------------------------------


@pytest.mark.parametrize("command", [["apps", "import"], ["import", "json"]])
@pytest.mark.parametrize("source", ["/dev/zero", "/dev/urandom", "fifo", "folder"])
def test_only_regular_files_are_read(tmp_path: Path, command: list[str], source: str) -> None:
    if source == "fifo":
        path = tmp_path / "pipe"
        os.mkfifo(path)  # nobody ever writes to it
    elif source == "folder":
        path = tmp_path / "a-folder"
        path.mkdir()
    else:
        path = Path(source)
    started = time.monotonic()
    code, err = run_isolated(tmp_path, *command, str(path))
    assert_one_line_refusal(code, err, str(path))
    assert "regular file" in err or "folder" in err
    assert time.monotonic() - started < 30


@pytest.mark.parametrize(("command", "limit", "named"), [
    (["apps", "import"], CSV_LIMIT, "50 MB"), (["import", "json"], JSON_LIMIT, "300 MB")])
def test_a_file_over_the_limit_is_refused_naming_the_limit(tmp_path: Path, command, limit, named) -> None:
    path = tmp_path / "big"
    with open(path, "wb") as handle:
        handle.truncate(limit + 1)  # sparse: nothing is written
    code, err = run_isolated(tmp_path, *command, str(path))
    assert_one_line_refusal(code, err, f"over the {named} limit")


def test_the_limits_are_what_the_readme_says() -> None:
    assert (CSV_LIMIT, JSON_LIMIT) == (50_000_000, 300_000_000)


def test_a_file_that_grows_past_the_limit_while_read_is_refused(tmp_path: Path, monkeypatch) -> None:
    from planner_tui.errors import UserInputError
    from planner_tui.integrations import input_files

    path = tmp_path / "apps.csv"
    path.write_text(HEADER + "x" * 2000)
    monkeypatch.setattr(input_files.os, "fstat", lambda fd: os.stat_result((0o100644, 0, 0, 1, 0, 0, 10,
                                                                            0, 0, 0)))
    with pytest.raises(UserInputError, match="over the 1,000 bytes limit"):
        input_files.read_text(path, 1000, "a test")


# -- JSON that used to crash ----------------------------------------------------------------


def _document(applications: list | str) -> str:
    body = applications if isinstance(applications, str) else json.dumps(applications)
    return f'{{"format": "planner-tui-project", "schema_version": 1, "applications": {body}}}'


def _dependency(volume: str) -> str:
    return _document(f'[{{"name": "Big", "dependencies": [{{"model_id": "{OPUS_41}", "region": "us-east-1", '
                     f'"monthly_volume": {volume}}}]}}]')


@pytest.mark.parametrize("volume", ["1e30", "1000000000000000000000000000000", "1e400", "9" * 5000])
def test_json_numbers_no_project_can_hold_are_refused(capsys, tmp_path: Path, db_path: Path, volume: str) -> None:
    path = tmp_path / "doc.json"
    path.write_text(_dependency(volume))
    code, _, err = run(capsys, "import", "json", str(path), "--db", str(db_path))
    assert_one_line_refusal(code, err)
    assert "monthly_volume" in err or "digits" in err
    if volume in ("1e30", "1000000000000000000000000000000"):
        assert "at most 1,000,000,000,000" in err
    assert not db_path.exists() or not _app_names(db_path)


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_json_nan_and_infinity_are_not_numbers(capsys, tmp_path: Path, db_path: Path, constant: str) -> None:
    plan = {"model_id": OPUS_41, "started_on": "2026-01-05", "test_results": [
        {"metric": "accuracy", "candidate": 0.5, "threshold": 0.4}]}
    text = _document([{"name": "A", "plans": [plan]}]).replace("0.5", constant)
    path = tmp_path / "doc.json"
    path.write_text(text)
    code, _, err = run(capsys, "import", "json", str(path), "--db", str(db_path))
    assert_one_line_refusal(code, err, "not valid JSON")


@pytest.mark.parametrize("opening", ["[", "{\"a\": "])
def test_json_nested_100000_deep_is_refused(capsys, tmp_path: Path, db_path: Path, opening: str) -> None:
    closing = "]" if opening == "[" else "}"
    path = tmp_path / "deep.json"
    path.write_text(_document(opening * 100_000 + "1" + closing * 100_000))
    code, _, err = run(capsys, "import", "json", str(path), "--db", str(db_path))
    assert_one_line_refusal(code, err, "nested")
    path.write_text(opening * 100_000 + "1" + closing * 100_000)  # the whole document
    code, _, err = run(capsys, "import", "json", str(path), "--db", str(db_path))
    assert_one_line_refusal(code, err)


@pytest.mark.parametrize(("text", "words"), [
    ("", "not valid JSON (line 1, column 1"),
    ("[1, 2]", "not a planner-tui project export"),
    ('{"format": "planner-tui-project", "schema_version": 1, "applications": [{"name": "A"}', "not valid JSON"),
    ('{"format": "planner-tui-project", "schema_version": 1, "applications": [], "applications": []}',
     "twice"),
    ('{"applications": [{"name": "A"}], "schema_version": 1, "format": "nope"}',
     "not a planner-tui project export"),
    ('{"format": "planner-tui-project", "schema_version": 1, "applications": {"name": "A"}}',
     "does not match the project format"),
])
def test_broken_documents_are_one_line(capsys, tmp_path: Path, db_path: Path, text: str, words: str) -> None:
    path = tmp_path / "doc.json"
    path.write_text(text)
    code, _, err = run(capsys, "import", "json", str(path), "--db", str(db_path))
    assert_one_line_refusal(code, err, words)


def test_a_document_is_read_in_any_key_order_and_with_a_byte_order_mark(capsys, tmp_path, db_path) -> None:
    path = tmp_path / "doc.json"
    apps = [{"name": "First", "dependencies": [{"model_id": OPUS_41, "region": "us-east-1"}]}, {"name": "Second"}]
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(
        {"applications": apps, "schema_version": 1, "format": "planner-tui-project"}).encode())
    code, out, err = run(capsys, "import", "json", str(path), "--db", str(db_path), "--today", "2026-11-22")
    assert code == 0, err
    assert "imported 2 application(s)" in out
    assert _app_names(db_path) == {"First", "Second"}


def test_duplicate_dependencies_and_plans_in_a_document_are_problems(capsys, tmp_path, db_path) -> None:
    dependency = {"model_id": OPUS_41, "region": "us-east-1"}
    plan = {"model_id": OPUS_41, "started_on": "2026-01-05"}
    path = tmp_path / "doc.json"
    path.write_text(_document([{"name": "A", "dependencies": [dependency, dependency], "plans": [plan, plan]}]))
    code, _, err = run(capsys, "import", "json", str(path), "--db", str(db_path))
    assert_one_line_refusal(code, err, "2 problem(s)")
    assert "applications.0 (A).dependencies.1: listed twice" in err
    assert "applications.0 (A).plans.1: a second plan for" in err


# -- CSV ------------------------------------------------------------------------------------


def test_a_csv_header_naming_a_column_twice_is_refused(capsys, tmp_path: Path, db_path: Path) -> None:
    path = tmp_path / "apps.csv"
    path.write_text(f"name,owner,model_id,region,owner\nA,ann,{OPUS_41},us-east-1,bob\n")
    code, _, err = run(capsys, "apps", "import", str(path), "--db", str(db_path))
    assert code == 2 and "Traceback" not in err
    assert "header does not match" in err
    assert "duplicate column 'owner' (columns 2, 5)" in err


def test_a_csv_volume_no_project_can_hold_is_refused(capsys, tmp_path: Path, db_path: Path) -> None:
    path = tmp_path / "apps.csv"
    path.write_text(HEADER + f"A,ann,{OPUS_41},us-east-1,1{'0' * 30}\n")
    code, _, err = run(capsys, "apps", "import", str(path), "--db", str(db_path))
    assert code == 2 and "Traceback" not in err
    assert "row 2: monthly_volume: must be at most 1,000,000,000,000" in err


def test_csv_lines_end_as_a_spreadsheet_writes_them(capsys, tmp_path: Path, db_path: Path) -> None:
    path = tmp_path / "apps.csv"
    rows = [f'A,ann,{OPUS_41},us-east-1,"1,000"', f"B,bob,{NOVA_PRO},us-east-1,5"]
    path.write_bytes(("\r".join([HEADER.strip(), *rows]) + "\r").encode())  # old Mac line ends
    code, out, err = run(capsys, "apps", "import", str(path), "--db", str(db_path), "--today", "2026-11-22")
    assert code == 0, err
    assert _app_names(db_path) == {"A", "B"}


# -- large imports: the same rows as one by one, all or nothing -----------------------------


def _write_csv(path: Path, apps: int, seed: int = 3) -> None:
    rng = random.Random(seed)
    store = open_project(path.parent / "catalog.db")
    pairs = sorted(store.conn.execute(
        "SELECT model_id, region FROM model_regions WHERE access = 'in-region'").fetchall())
    store.close()
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["name", "owner", "model_id", "region", "monthly_volume"])
        for n in range(apps):
            for model_id, region in rng.sample(pairs, 3):
                writer.writerow([f"app-{n:05d}", f"owner-{n % 7}", model_id, region, rng.randint(0, 1000)])


def _app_names(db_path: Path) -> set[str]:
    conn = sqlite3.connect(db_path)
    try:
        return {row[0] for row in conn.execute("SELECT name FROM applications")}
    finally:
        conn.close()


def _triggers(conn: sqlite3.Connection) -> dict[str, str]:
    return dict(conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'"))


def test_a_large_import_leaves_what_row_by_row_inserts_leave(capsys, tmp_path: Path, db_path: Path) -> None:
    source = tmp_path / "apps.csv"
    _write_csv(source, 600)
    store = open_project(db_path)
    triggers = _triggers(store.conn)
    store.close()
    code, out, err = run(capsys, "apps", "import", str(source), "--db", str(db_path), "--today", "2026-11-22")
    assert code == 0, err
    conn = sqlite3.connect(db_path)
    assert _triggers(conn) == triggers
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert not conn.execute("PRAGMA foreign_key_check").fetchall()
    counts = conn.execute("SELECT plan_id, phase, done, total FROM plan_item_counts ORDER BY 1, 2").fetchall()
    assert counts == conn.execute("""SELECT plan_id, phase, sum(done), count(*) FROM checklist_items
                                     GROUP BY plan_id, phase ORDER BY 1, 2""").fetchall()
    plans = conn.execute("SELECT count(*) FROM plans").fetchone()[0]
    assert plans > 100
    for table in ("applications", "dependencies", "plans", "checklist_items"):
        rows = conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        audited = conn.execute("SELECT count(*) FROM audit_log WHERE table_name = ? AND action = 'insert'",
                               [table]).fetchone()[0]
        assert audited == rows, table
    # An audit row as the trigger writes it: the whole row, the plan's application, the actor.
    item_id, plan_id = conn.execute("SELECT max(id), plan_id FROM checklist_items").fetchone()
    new, actor, app_id, row_plan = conn.execute(
        "SELECT new, actor, app_id, plan_id FROM audit_log WHERE table_name = 'checklist_items' AND row_key = ?",
        [str(item_id)]).fetchone()
    assert json.loads(new)["id"] == item_id and row_plan == plan_id and actor
    assert app_id == conn.execute("SELECT app_id FROM plans WHERE id = ?", [plan_id]).fetchone()[0]
    assert conn.execute("SELECT count(*) FROM plan_log WHERE event = 'created'").fetchone()[0] == plans
    conn.close()
    # Afterwards, edits run the triggers row by row as before.
    store = ProjectStore.open(db_path)
    plan = store.plans(with_items=False)[0]
    store.add_item(plan.id, plan.current_phase, "one more")
    assert store.plans(plan_id=plan.id, with_items=False)[0].counts(plan.current_phase)[1] == \
        plan.counts(plan.current_phase)[1] + 1
    store.close()


def _import_in_child(argv: list[str]) -> None:  # runs in a forked child
    os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
    os.dup2(os.open(os.devnull, os.O_WRONLY), 2)
    main(argv)


def _wal_size(db_path: Path) -> int:
    try:
        return os.path.getsize(f"{db_path}-wal")
    except OSError:
        return 0


@pytest.mark.parametrize("kind", ["csv", "json"])
def test_a_killed_import_leaves_the_project_as_it_was(capsys, tmp_path: Path, db_path: Path, kind: str) -> None:
    """SIGKILL while the import's transaction is writing (its write-ahead log growing past
    each threshold): the project is as before; let run, it has every application."""
    csv_source = tmp_path / "apps.csv"
    _write_csv(csv_source, 3000)
    source = csv_source
    if kind == "json":
        scratch = tmp_path / "scratch.db"
        assert run(capsys, "apps", "import", str(csv_source), "--db", str(scratch), "--today", "2026-11-22")[0] == 0
        source = tmp_path / "doc.json"
        assert run(capsys, "export", "json", "-o", str(source), "--db", str(scratch))[0] == 0
    store = open_project(db_path)
    store.add_application(Application(name="Before"), today=TODAY)
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    argv = (["apps", "import"] if kind == "csv" else ["import", "json"]) + [
        str(source), "--db", str(db_path), "--today", "2026-11-22"]
    context = multiprocessing.get_context("fork")
    kills = 0
    for threshold in (1_000_000, 4_000_000, 8_000_000, None):
        child = context.Process(target=_import_in_child, args=(argv,))
        child.start()
        deadline = time.monotonic() + 120
        while threshold is not None and child.is_alive() and _wal_size(db_path) < threshold:
            assert time.monotonic() < deadline
            time.sleep(0.005)
        killed = child.is_alive() and threshold is not None
        if killed:
            os.kill(child.pid, signal.SIGKILL)
        child.join()
        store = open_project(db_path)
        assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        names = {a.name for a in store.applications()}
        assert len(_triggers(store.conn)) > 20
        store.close()
        if killed:
            kills += 1
            assert names == {"Before"}, len(names)
        else:
            assert len(names) == 3001
            break
    assert kills == 3


# -- reading in pieces ------------------------------------------------------------------------


def test_a_document_read_in_pieces_of_any_size_is_the_document() -> None:
    from planner_tui.integrations.json_stream import DocumentReader

    items = [{"phase": "assess", "title": f"Step {n} — “quoted” ✓", "done": n % 2 == 0, "owner": "",
              "due_date": None, "notes": "line\nbreak\ttab \\ back", "done_at": None} for n in range(5)]
    document = {"format": "planner-tui-project", "schema_version": 1, "project_id": "p-1",
                "applications": [{"name": f"App {n}", "environments": ["prod", "dr"], "dependencies": [
                    {"model_id": OPUS_41, "region": "us-east-1", "monthly_volume": 10 ** n}],
                    "plans": [{"model_id": OPUS_41, "started_on": "2026-01-05", "items": items,
                               "test_results": [{"metric": "p95", "candidate": 1.25e-3 * n, "threshold": -0.5}]}]}
                                 for n in range(12)],
                "manual_dates": []}
    text = json.dumps(document, indent=2, ensure_ascii=False)
    expected = json.loads(text)
    for size in (1, 2, 3, 7, 64, 4096):
        pieces = (text[i:i + size] for i in range(0, len(text), size))
        found: dict = {}
        for key, index, value in DocumentReader(pieces).members(frozenset({"applications"})):
            if index is None:
                found[key] = value
            else:
                assert index == len(found.setdefault(key, []))
                found[key].append(value)
        assert found == expected, size
    numbers = '{"a": 12345678901234567890, "b": [1.5e3, -7, 0.25]}'
    for size in (1, 2, 5):
        pieces = (numbers[i:i + size] for i in range(0, len(numbers), size))
        assert dict((k, v) for k, _, v in DocumentReader(pieces).members()) == json.loads(numbers)


def test_a_syntax_error_is_placed_in_the_whole_document() -> None:
    from planner_tui.integrations.json_stream import DocumentReader, JsonProblem

    text = '{\n  "format": "planner-tui-project",\n  "applications": [\n    {"name": "A"},\n    {"name" "B"}\n  ]\n}'
    for size in (1, 3, 1000):
        pieces = (text[i:i + size] for i in range(0, len(text), size))
        with pytest.raises(JsonProblem) as problem:
            list(DocumentReader(pieces).members(frozenset({"applications"})))
        assert (problem.value.line, problem.value.column) == (5, 13), size  # as json.loads
        assert "Expecting ':' delimiter" in str(problem.value)


def test_a_file_that_is_not_utf8_names_the_byte(capsys, tmp_path: Path, db_path: Path) -> None:
    path = tmp_path / "apps.csv"
    path.write_bytes(HEADER.encode() + b"Caf\xe9,ann,x,us-east-1,1\n")
    code, _, err = run(capsys, "apps", "import", str(path), "--db", str(db_path))
    assert_one_line_refusal(code, err, f"is not UTF-8 text (byte {len(HEADER) + 4} cannot be decoded)")
