"""Nothing a name, a file or a path can do harms the user (issue #20).

Outputs never replace a project; reads never need the write lock; a read-only review shows
every committed edit; a missing or empty file is never silently made a project; damage is
found before it is copied; odd input never blames the project file.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from textual.widgets import Input, Static

from planner_tui.cli import main
from planner_tui.domain.models import Phase
from planner_tui.persistence import backup as backup_module
from planner_tui.persistence.database import current_actor
from planner_tui.services.commands.checklist import add_item
from planner_tui.services.project import open_project
from planner_tui.services.schedules import ensure_current
from planner_tui.ui.app import PlannerApp

from .conftest import TODAY, settle

OPUS_41 = "anthropic.claude-opus-4-1-20250805-v1:0"
DAY = "2026-11-22"


def run(capsys, *argv: str | Path) -> tuple[int, str, str]:
    try:
        code = main([str(a) for a in argv])
    except SystemExit as exited:  # argparse refusing an argument
        code = exited.code
    out, err = capsys.readouterr()
    return code, out, err


def one_line(err: str) -> bool:
    return len(err.strip().splitlines()) == 1 and "Traceback" not in err


def make_project(capsys, path: Path, name: str = "Checkout") -> bytes:
    """A project with one application on a retiring model (so it has a plan)."""
    code, _, err = run(capsys, "apps", "add", name, "--owner", "ann", "--uses", f"{OPUS_41}@us-east-1",
                       "--today", DAY, "--db", path)
    assert code == 0, err
    return path.read_bytes()


def listing(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir()}


# -- 1. no output replaces a project ----------------------------------------------------------

OUTPUTS = {
    "report csv": ["report", "--format", "csv", "-o"],
    "report html": ["report", "--format", "html", "-o"],
    "export json": ["export", "json", "-o"],
    "export ics": ["export", "ics", "-o"],
    "backup": ["backup", "-o"],
}


def spellings(tmp_path: Path, project: Path) -> dict[str, str]:
    """Ways to name the open project other than its own path."""
    (tmp_path / "link.db").symlink_to(project)
    os.link(project, tmp_path / "hard.db")
    (tmp_path / "via").symlink_to(tmp_path, target_is_directory=True)
    return {
        "same": str(project),
        "relative": "p.db",
        "dot": "./p.db",
        "dotdot": f"../{tmp_path.name}/p.db",
        "symlink": str(tmp_path / "link.db"),
        "hard link": str(tmp_path / "hard.db"),
        "folder symlink": str(tmp_path / "via" / "p.db"),
    }


@pytest.mark.parametrize("command", OUTPUTS)
def test_no_output_replaces_the_open_project(capsys, tmp_path: Path, monkeypatch, command) -> None:
    project = tmp_path / "p.db"
    make_project(capsys, project)
    monkeypatch.chdir(tmp_path)
    for how, target in spellings(tmp_path, project).items():
        before = project.read_bytes()
        for force in ([], ["--force"]):  # never, not even with --force
            code, out, err = run(capsys, *OUTPUTS[command], target, *force, "--db", project)
            assert code == 2, (how, force, out)
            assert one_line(err) and "open project" in err, (how, err)
            assert project.read_bytes() == before, how
    code, out, _ = run(capsys, "apps", "list", "--json", "--db", project)
    assert code == 0 and "Checkout" in out
    assert not [n for n in listing(tmp_path) if n.endswith(".tmp")]


@pytest.mark.parametrize("command", OUTPUTS)
@pytest.mark.parametrize("suffix", ["-wal", "-shm", "-journal"])
def test_no_output_replaces_the_projects_side_files(capsys, tmp_path: Path, command, suffix) -> None:
    project = tmp_path / "p.db"
    make_project(capsys, project)
    target = Path(f"{project}{suffix}")
    code, _, err = run(capsys, *OUTPUTS[command], target, "--force", "--db", project)
    assert code == 2 and one_line(err) and "open project" in err
    assert not target.exists() or suffix != "-journal"


def test_side_files_beside_the_file_a_linked_project_leads_to(capsys, tmp_path: Path) -> None:
    real, link = tmp_path / "real.db", tmp_path / "link.db"
    make_project(capsys, real)
    link.symlink_to(real)
    for suffix in ("-wal", "-shm", "-journal"):
        code, _, err = run(capsys, "report", "--format", "md", "-o", f"{real}{suffix}", "--db", link)
        assert code == 2 and one_line(err) and "open project" in err


@pytest.mark.parametrize("command", OUTPUTS)
def test_another_project_is_replaced_only_with_force(capsys, tmp_path: Path, command) -> None:
    project, other = tmp_path / "p.db", tmp_path / "other.db"
    make_project(capsys, project)
    kept = make_project(capsys, other, name="Other")
    (tmp_path / "link-to-other.db").symlink_to(other)
    for target in (other, tmp_path / "link-to-other.db"):
        code, _, err = run(capsys, *OUTPUTS[command], target, "--db", project)
        assert code == 2 and one_line(err) and "planner project" in err and "--force" in err
        assert other.read_bytes() == kept
    code, _, err = run(capsys, *OUTPUTS[command], other, "--force", "--db", project)
    assert code == 0, err
    assert other.read_bytes() != kept


def test_a_side_file_of_another_project_is_refused(capsys, tmp_path: Path) -> None:
    project, other = tmp_path / "p.db", tmp_path / "other.db"
    make_project(capsys, project)
    make_project(capsys, other, name="Other")
    code, _, err = run(capsys, "report", "--format", "md", "-o", f"{other}-wal", "--db", project)
    assert code == 2 and one_line(err) and "other.db" in err
    assert not Path(f"{other}-wal").exists()


def test_outputs_still_replace_a_symlink_not_what_it_points_to(capsys, tmp_path: Path) -> None:
    project = tmp_path / "p.db"
    make_project(capsys, project)
    aside = tmp_path / "notes.txt"
    aside.write_text("mine")
    link = tmp_path / "out.csv"
    link.symlink_to(aside)
    code, _, err = run(capsys, "report", "--format", "csv", "-o", link, "--db", project)
    assert code == 0, err
    assert not link.is_symlink() and aside.read_text() == "mine"
    assert (link.stat().st_mode & 0o777) == 0o600


def test_demo_project_outputs_are_guarded_too(capsys, tmp_path: Path) -> None:
    other = tmp_path / "other.db"
    kept = make_project(capsys, other)
    code, _, err = run(capsys, "--demo", "export", "json", "-o", other)
    assert code == 2 and one_line(err)
    assert other.read_bytes() == kept


async def test_export_dialog_refuses_a_project_in_the_dialog(db_path: Path, tmp_path: Path) -> None:
    from planner_tui.ui.export_dialog import ExportCalendarDialog

    store = open_project(db_path)
    other = tmp_path / "other.db"
    open_project(other).close()
    kept = {other: other.read_bytes()}
    try:
        app = PlannerApp(store, TODAY)
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            for target in (db_path, Path(f"{db_path}-wal"), other):
                await pilot.press("ctrl+e")
                await settle(pilot)
                dialog = app.screen
                assert isinstance(dialog, ExportCalendarDialog)
                dialog.query_one("#path", Input).value = str(target)
                await pilot.press("ctrl+s")
                await settle(pilot)
                assert app.screen is dialog  # still open, saying why
                shown = str(dialog.query_one("#count", Static).render())
                assert "project" in shown and "\n" not in shown.strip()
                await pilot.press("escape")
                await settle(pilot)
    finally:
        store.close()
    assert other.read_bytes() == kept[other]
    reopened = open_project(db_path)
    assert reopened.catalog_version()  # still the project (its bytes differ: checkpointed on close)
    reopened.close()


# -- 9. a read never needs the write lock -------------------------------------------------------


def test_status_while_another_program_holds_the_write_lock(capsys, tmp_path: Path) -> None:
    project = tmp_path / "p.db"
    make_project(capsys, project)
    holder = sqlite3.connect(project, timeout=0)
    holder.execute("BEGIN IMMEDIATE")  # e.g. an import in progress
    try:
        started = time.monotonic()
        code, locked_out, err = run(capsys, "status", "--json", "--today", "2026-12-20", "--db", project)
        assert time.monotonic() - started < 5
        assert code == 1 and err == ""  # the day's answer (overdue), computed for this read
        code, tui_out, err = run(capsys, "plans", "list", "--json", "--today", "2026-12-21", "--db", project)
        assert code == 0 and err == ""
    finally:
        holder.rollback()
        holder.close()
    assert json.loads(locked_out)["plans"][0]["risk"] == "overdue"
    code, free_out, _ = run(capsys, "status", "--json", "--today", "2026-12-20", "--db", project)
    assert code == 1 and free_out == locked_out
    stored = sqlite3.connect(project).execute(
        "SELECT count(DISTINCT plan_id), count(*) - count(contradictions), (SELECT count(*) FROM plans) "
        "FROM plan_schedules").fetchone()
    assert stored[0] == stored[2] and stored[1] == 0  # timetables written once the lock was free


def test_a_new_release_catalog_waits_for_a_free_project(capsys, tmp_path: Path) -> None:
    project = tmp_path / "p.db"
    make_project(capsys, project)
    conn = sqlite3.connect(project)
    conn.execute("UPDATE planner_meta SET value = 'an older release' WHERE key = 'catalog_version'")
    conn.commit()
    conn.execute("BEGIN IMMEDIATE")
    try:
        started = time.monotonic()
        code, out, err = run(capsys, "status", "--json", "--today", "2026-12-20", "--db", project)
        assert time.monotonic() - started < 5
        assert code == 1 and err == "" and json.loads(out)["plans"][0]["risk"] == "overdue"
    finally:
        conn.rollback()
    code, _, _ = run(capsys, "status", "--today", "2026-12-20", "--db", project)
    assert code == 1
    (version,) = conn.execute("SELECT value FROM planner_meta WHERE key = 'catalog_version'").fetchone()
    conn.close()
    assert version != "an older release"  # merged once the project was free


def _schedule_rows(store) -> list[tuple]:  # noqa: ANN001
    """Every stored timetable, with its plan's contradiction count (the last column)."""
    return store.conn.execute("SELECT plan_id, valid_from, valid_until, deadline, due_assess, contradictions "
                              "FROM plan_schedules ORDER BY plan_id, valid_from").fetchall()


def test_a_busy_refresh_gives_the_same_answer_and_edits_later_are_seen(demo, tmp_path: Path) -> None:
    day = TODAY + dt.timedelta(days=40)
    reference = tmp_path / "reference.db"
    demo.store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    demo.store.conn.backup(sqlite3.connect(reference))
    expected_store = open_project(reference)
    ensure_current(expected_store, day)
    expected = _schedule_rows(expected_store)
    expected_store.close()

    store = demo.store
    holder = sqlite3.connect(demo.folder / "demo.db", timeout=0)
    holder.execute("BEGIN IMMEDIATE")
    try:
        started = time.monotonic()
        ensure_current(store, day)
        assert time.monotonic() - started < 5
        assert _schedule_rows(store) == expected
    finally:
        holder.rollback()
        holder.close()
    assert not store.read_only
    plan = store.plans(with_items=False)[0]
    add_item(store, plan.id, Phase.ASSESS, "one more thing")  # an edit on the same connection
    ensure_current(store, day)
    rows = _schedule_rows(store)
    assert rows == expected and None not in {r[-1] for r in rows}  # counted again after the edit
    main_rows = store.conn.execute("SELECT count(*) FROM main.plan_schedules WHERE contradictions IS NOT NULL"
                                   ).fetchone()[0]
    assert main_rows == len(expected)  # saved for real once it could be


def _mount_tmpfs(where: Path, options: str = "") -> bool:
    where.mkdir()
    args = ["mount", "-t", "tmpfs"] + (["-o", options] if options else []) + ["tmpfs", str(where)]
    return subprocess.run(args, capture_output=True).returncode == 0


def test_status_on_a_full_disk_still_answers(capsys, tmp_path: Path) -> None:
    media = tmp_path / "small"
    if not _mount_tmpfs(media, "size=1200k"):
        pytest.skip("this machine cannot mount a file system")
    try:
        project = media / "p.db"
        make_project(capsys, project)
        store = open_project(project)  # opened before the disk fills, as the TUI would be
        with open(media / "filler", "wb", buffering=0) as filler:
            try:
                while True:
                    filler.write(b"\0" * 4096)
            except OSError:
                pass
        try:
            ensure_current(store, dt.date(2026, 12, 20))  # no "disk is full": computed in memory
            rows = _schedule_rows(store)
            assert rows and None not in {r[-1] for r in rows}
            # Another read while the TUI keeps the project open.
            code, out, err = run(capsys, "status", "--json", "--today", "2026-12-21", "--db", project)
            assert "edit" not in err and "full" not in err
            assert code == 1 and json.loads(out)["plans"][0]["risk"] == "overdue"
        finally:
            store.close()
        # With nothing else holding it open: a read still answers, an edit says why it cannot.
        for argv, expected in ((["status", "--today", "2026-12-22"], 1), (["apps", "add", "Y", "--owner", "o"], 2)):
            done = subprocess.run([sys.executable, "-m", "planner_tui", *argv, "--db", str(project)],
                                  capture_output=True, text=True, check=False)
            assert done.returncode == expected, done.stderr
            assert done.stderr == "" if expected == 1 else "disk is full" in done.stderr
    finally:
        subprocess.run(["umount", str(media)], check=False)


def test_status_on_read_only_media_without_read_only_answers(capsys, tmp_path: Path) -> None:
    media = tmp_path / "media"
    if not _mount_tmpfs(media):
        pytest.skip("this machine cannot mount a file system")
    try:
        make_project(capsys, media / "p.db")
        subprocess.run(["mount", "-o", "remount,ro", str(media)], check=True)
        code, out, err = run(capsys, "status", "--today", "2026-12-20", "--db", media / "p.db")
        assert code == 1 and "overdue" in out and err == ""
        code, _, err = run(capsys, "apps", "add", "Y", "--owner", "o", "--db", media / "p.db")
        assert code == 2 and one_line(err) and "read-only" in err
    finally:
        subprocess.run(["umount", str(media)], check=False)


# -- 10. a read-only review shows the edits in the write-ahead log ----------------------------


def test_read_only_media_with_a_write_ahead_log_shows_every_edit(capsys, tmp_path: Path, monkeypatch) -> None:
    private_temp = tmp_path / "temp"
    private_temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(private_temp))
    source = tmp_path / "p.db"
    make_project(capsys, source)
    store = open_project(source)
    store.conn.execute("PRAGMA wal_autocheckpoint = 0")
    code = main(["apps", "add", "Only In The Log", "--owner", "bo", "--db", str(source)])
    assert code == 0
    capsys.readouterr()
    assert Path(f"{source}-wal").stat().st_size > 0
    media = tmp_path / "media"
    if not _mount_tmpfs(media):
        store.close()
        pytest.skip("this machine cannot mount a file system")
    try:
        for name in ("p.db", "p.db-wal"):
            (media / name).write_bytes((tmp_path / name).read_bytes())
        store.close()
        subprocess.run(["mount", "-o", "remount,ro", str(media)], check=True)
        code, out, err = run(capsys, "--read-only", "apps", "list", "--json", "--db", media / "p.db")
        assert code == 0, err
        assert {a["name"] for a in json.loads(out)} == {"Checkout", "Only In The Log"}
        assert not list(private_temp.iterdir())  # the copy read is removed
    finally:
        subprocess.run(["umount", str(media)], check=False)


# -- 11. nothing is silently made a project -----------------------------------------------------

READS = [
    ["status"], ["milestones"], ["models"], ["apps", "list"], ["plans", "list"], ["plans", "show", "1"],
    ["items", "list", "1"], ["history"], ["discovered"], ["report", "--format", "md", "-o", "r.md"],
    ["export", "json", "-o", "e.json"], ["export", "ics", "-o", "e.ics"], ["backup", "-o", "b.db"],
    ["check"], ["plans", "advance", "1"], ["apps", "remove", "X"],
]


@pytest.mark.parametrize("argv", READS, ids=" ".join)
def test_a_missing_project_is_not_created_by_a_read(capsys, tmp_path: Path, monkeypatch, argv) -> None:
    monkeypatch.chdir(tmp_path)
    before = listing(tmp_path)
    code, _, err = run(capsys, *argv, "--db", tmp_path / "typo" / "dir" / "p.db")
    assert code == 2 and one_line(err) and "no project" in err
    code, _, err = run(capsys, *argv, "--db", "p.db")
    assert code == 2 and one_line(err) and "no project" in err
    code, _, err = run(capsys, *argv)  # the default location, not made yet
    assert code == 2 and one_line(err)
    assert listing(tmp_path) == before


def test_the_default_project_is_created_by_a_command_that_adds(capsys, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delenv("PLANNER_TUI_DB")
    code, _, err = run(capsys, "status")
    assert code == 2 and "no project" in err
    assert not (tmp_path / "xdg-data").exists()
    code, _, err = run(capsys, "apps", "add", "First", "--owner", "o")
    assert code == 0, err
    assert (tmp_path / "xdg-data" / "planner-tui" / "project.db").is_file()
    code, out, _ = run(capsys, "apps", "list", "--json")
    assert code == 0 and [a["name"] for a in json.loads(out)] == ["First"]


CREATES = [
    ["apps", "add", "X", "--owner", "o"],
    ["lifecycle", "set", f"{OPUS_41}@us-east-1", "--eol", "2027-02-01"],
]


@pytest.mark.parametrize("argv", CREATES, ids=" ".join)
def test_a_command_that_adds_creates_only_in_an_existing_folder(capsys, tmp_path: Path, argv) -> None:
    code, _, err = run(capsys, *argv, "--db", tmp_path / "typo" / "dir" / "p.db")
    assert code == 2 and one_line(err) and "typo" in err
    assert not (tmp_path / "typo").exists()
    code, _, err = run(capsys, *argv, "--db", tmp_path / "p.db")
    assert code == 0, err
    assert (tmp_path / "p.db").stat().st_mode & 0o777 == 0o600


def _empty_sqlite(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t (x)")
    conn.execute("DROP TABLE t")
    conn.commit()
    conn.close()


@pytest.mark.parametrize("kind", ["zero bytes", "empty sqlite"])
def test_an_empty_file_is_never_silently_adopted(capsys, tmp_path: Path, monkeypatch, kind) -> None:
    path = tmp_path / "p.db"
    if kind == "zero bytes":
        path.write_bytes(b"")
    else:
        _empty_sqlite(path)
    before = path.read_bytes()
    for argv in (["status"], ["models"], ["--read-only", "apps", "list"]):
        code, _, err = run(capsys, *argv, "--db", path)
        assert code == 2 and one_line(err) and "empty" in err
        assert path.read_bytes() == before and listing(tmp_path) == {"p.db"}
    monkeypatch.setenv("PLANNER_TUI_DB", str(path))  # the default location, not named here
    code, _, err = run(capsys, "apps", "add", "X", "--owner", "o")
    assert code == 2 and one_line(err) and "empty" in err
    assert path.read_bytes() == before
    # Named explicitly by a command that adds: made a project, and it says so.
    code, _, err = run(capsys, "apps", "add", "X", "--owner", "o", "--db", path)
    assert code == 0 and "empty" in err and str(path) in err
    code, out, _ = run(capsys, "apps", "list", "--json", "--db", path)
    assert code == 0 and [a["name"] for a in json.loads(out)] == ["X"]


@pytest.mark.parametrize("argv", [["apps", "add", "X", "--owner", "o", "--uses", "no.such-model@us-east-1"],
                                  ["import", "json", "missing.json"], ["apps", "import", "missing.csv"]],
                         ids=" ".join)
def test_a_first_command_that_is_refused_leaves_no_project(capsys, tmp_path: Path, monkeypatch, argv) -> None:
    monkeypatch.chdir(tmp_path)
    code, _, err = run(capsys, *argv, "--db", "p.db")
    assert code == 2 and one_line(err)
    assert listing(tmp_path) == set()
    make_project(capsys, tmp_path / "p.db")  # an existing project stays, whatever is refused
    code, _, _ = run(capsys, *argv, "--db", "p.db")
    assert code == 2 and (tmp_path / "p.db").exists()


def test_a_project_that_fails_to_be_made_leaves_nothing(tmp_path: Path, monkeypatch) -> None:
    from planner_tui.persistence import database

    def broken(db) -> None:  # noqa: ANN001
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(database, "apply_migrations", broken)
    with pytest.raises(Exception, match="full"):
        open_project(tmp_path / "p.db")
    assert listing(tmp_path) == set()


def test_the_demo_still_shows_a_populated_planner(capsys) -> None:
    code, out, _ = run(capsys, "--demo", "apps", "list", "--json")
    assert code == 0 and len(json.loads(out)) == 10


# -- 12. damage is found, not copied ----------------------------------------------------------


def damage_an_index(path: Path) -> None:
    """Change one key in a leaf page of an index: the table and its index disagree."""
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    pages = [row[0] for row in conn.execute("SELECT pageno FROM dbstat WHERE name = 'lifecycle_groups' "
                                            "AND pagetype = 'leaf'")]
    conn.close()
    data = bytearray(path.read_bytes())
    for page in pages:  # the first live cell (not free space) that holds an Anthropic model ID
        start = (page - 1) * page_size
        cells = int.from_bytes(data[start + 3:start + 5], "big")
        pointers = [int.from_bytes(data[start + 8 + 2 * n:start + 10 + 2 * n], "big") for n in range(cells)]
        found = [at for pointer in pointers
                 if (at := data.find(b"anthropic.", start + pointer, start + pointer + 40)) >= 0]
        if found:
            break
    data[found[0]] = ord("b")
    path.write_bytes(bytes(data))
    check = sqlite3.connect(path)
    assert check.execute("PRAGMA integrity_check").fetchone()[0] != "ok"
    check.close()


def test_check_says_ok_on_a_sound_project(capsys, tmp_path: Path) -> None:
    project = tmp_path / "p.db"
    make_project(capsys, project)
    code, out, err = run(capsys, "check", "--db", project)
    assert (code, out.strip(), err) == (0, "ok", "")


def test_check_reads_a_project_of_an_older_schema_as_it_is(capsys, tmp_path: Path) -> None:
    old = tmp_path / "old.db"
    old.write_bytes((Path(__file__).parent / "fixtures" / "project-schema-0007.db").read_bytes())
    code, out, err = run(capsys, "check", "--db", old)
    assert (code, out.strip(), err) == (0, "ok", "")
    assert old.read_bytes() == (Path(__file__).parent / "fixtures" / "project-schema-0007.db").read_bytes()


def test_check_lists_a_damaged_index(capsys, tmp_path: Path) -> None:
    project = tmp_path / "p.db"
    make_project(capsys, project)
    damage_an_index(project)
    before = project.read_bytes()
    code, out, err = run(capsys, "check", "--db", project)
    assert code == 1 and "lifecycle_groups" in out + err and "ok" != out.strip()
    assert project.read_bytes() == before


def test_check_lists_broken_references(capsys, tmp_path: Path) -> None:
    project = tmp_path / "p.db"
    make_project(capsys, project)
    conn = sqlite3.connect(project)
    conn.execute("PRAGMA foreign_keys = OFF")
    conn.create_function("planner_actor", 0, lambda: "test")
    conn.execute("UPDATE dependencies SET app_id = 999")
    conn.commit()
    conn.close()
    code, out, err = run(capsys, "check", "--db", project)
    assert code == 1 and "dependencies" in out and "applications" in out


def test_backup_refuses_to_copy_a_damaged_project(capsys, tmp_path: Path) -> None:
    project = tmp_path / "p.db"
    make_project(capsys, project)
    damage_an_index(project)
    code, _, err = run(capsys, "backup", "-o", tmp_path / "copy.db", "--db", project)
    assert code == 2 and one_line(err) and "check" in err
    assert listing(tmp_path) <= {"p.db", "p.db-wal", "p.db-shm"}


def test_backup_of_a_sound_project_is_sound(capsys, tmp_path: Path) -> None:
    project = tmp_path / "p.db"
    make_project(capsys, project)
    code, _, err = run(capsys, "backup", "-o", tmp_path / "copy.db", "--db", project)
    assert code == 0, err
    code, out, _ = run(capsys, "check", "--db", tmp_path / "copy.db")
    assert (code, out.strip()) == (0, "ok")


def _backup_temps(folder: Path) -> list[str]:
    return [n for n in listing(folder) if n.startswith(".planner-tui-backup")]


@pytest.mark.parametrize("how", ["interrupt", "terminate"])
def test_a_killed_backup_leaves_no_temporary_file(capsys, tmp_path: Path, monkeypatch, how) -> None:
    project, out_dir = tmp_path / "p.db", tmp_path / "out"
    out_dir.mkdir()
    make_project(capsys, project)
    calls = []

    def stop(status: int, remaining: int, total: int) -> None:
        calls.append(remaining)
        assert _backup_temps(out_dir)  # it is being written
        if how == "interrupt":
            raise KeyboardInterrupt
        os.kill(os.getpid(), signal.SIGTERM)

    monkeypatch.setattr(backup_module, "_progress", stop)
    before = signal.getsignal(signal.SIGTERM)
    try:
        code = main(["backup", "-o", str(out_dir / "copy.db"), "--db", str(project)])
    except SystemExit as exited:
        code = exited.code
    assert code == (130 if how == "interrupt" else 128 + signal.SIGTERM)
    assert calls
    assert listing(out_dir) == set()
    assert signal.getsignal(signal.SIGTERM) == before


def test_temporary_files_of_earlier_killed_backups_are_removed(capsys, tmp_path: Path) -> None:
    project, out_dir = tmp_path / "p.db", tmp_path / "out"
    out_dir.mkdir()
    make_project(capsys, project)
    sleeper = subprocess.Popen(["sleep", "30"])
    sleeper_pid = sleeper.pid
    dead = subprocess.Popen(["true"])
    dead.wait()
    host = backup_module.host_label()
    stale = [f".planner-tui-backup.{host}.{dead.pid}.abc.tmp", f".planner-tui-backup.{host}.{dead.pid}.abc.tmp-journal"]
    live = f".planner-tui-backup.{host}.{sleeper_pid}.def.tmp"
    old_live = f".planner-tui-backup.{host}.{sleeper_pid}.ghi.tmp"
    foreign = f".planner-tui-backup.{socket.gethostname()}x.{dead.pid}.jkl.tmp"
    for name in [*stale, live, old_live, foreign]:
        (out_dir / name).write_bytes(b"x" * 100)
    long_ago = time.time() - 3 * 86400
    os.utime(out_dir / old_live, (long_ago, long_ago))
    try:
        code, _, err = run(capsys, "backup", "-o", out_dir / "copy.db", "--db", project)
    finally:
        sleeper.kill()
        sleeper.wait()
    assert code == 0, err
    assert listing(out_dir) == {"copy.db", live, foreign}


# -- 14. odd input never blames the project file ----------------------------------------------


@pytest.mark.parametrize("argv", [["history", "--limit", str(10**23)], ["plans", "show", str(10**23)],
                                  ["items", "list", str(10**23)], ["items", "done", "1", str(10**23)]],
                         ids=" ".join)
def test_a_huge_number_is_a_clean_error(capsys, tmp_path: Path, argv) -> None:
    project = tmp_path / "p.db"
    make_project(capsys, project)
    code, _, err = run(capsys, *argv, "--db", project)
    assert code == 2 and one_line(err)
    assert "project file" not in err and "cannot be used" not in err


@pytest.mark.parametrize("error", [OverflowError("Python int too large to convert to SQLite INTEGER"),
                                   sqlite3.IntegrityError("datatype mismatch")], ids=["overflow", "mismatch"])
def test_a_value_sqlite_refuses_does_not_blame_the_file(capsys, tmp_path: Path, monkeypatch, error) -> None:
    from planner_tui.cli import history

    def refused(*args) -> int:  # noqa: ANN002 - a handler passing on a value unchecked
        raise error

    project = tmp_path / "p.db"
    make_project(capsys, project)
    monkeypatch.setattr(history, "cmd_history", refused)
    code, _, err = run(capsys, "history", "--db", project)
    assert code == 2 and one_line(err)
    assert "project file" not in err and "cannot be used" not in err


@pytest.mark.parametrize("value", ["ann\x01\x1b[31m\nroot", "x" * 10_000_000, "\udcff\udcfe", " \t\u2028 "],
                         ids=["control", "10 MB", "undecodable", "blank"])
def test_any_user_name_is_recorded_cleanly(capsys, tmp_path: Path, monkeypatch, value) -> None:
    project = tmp_path / "p.db"
    monkeypatch.setenv("PLANNER_TUI_USER", value)
    actor = current_actor()
    assert actor and len(actor) <= 100 and actor.isprintable()
    assert actor.encode("utf-8")
    code, _, err = run(capsys, "apps", "add", "X", "--owner", "o", "--db", project)
    assert code == 0, err
    code, out, _ = run(capsys, "history", "--json", "--db", project)
    actors = {e["actor"] for e in json.loads(out) if e.get("table") == "applications"}
    assert code == 0 and actors == {actor}
