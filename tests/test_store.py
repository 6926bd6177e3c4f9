"""The SQLite project: catalog loading, file safety, edits and their transactions."""

from __future__ import annotations

import csv
import datetime as dt
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from planner_tui.catalog.bundled import load_catalog
from planner_tui.domain.models import AccessPath, Application, Dependency, Phase
from planner_tui.errors import ProjectFileError, ReadOnlyError, UserInputError
from planner_tui.persistence.store import ProjectStore
from planner_tui.services.project import open_project

REFERENCE = Path(__file__).parents[1] / "planner_tui" / "catalog" / "data" / "bedrock_lifecycle.csv"
OPUS_41 = "anthropic.claude-opus-4-1-20250805-v1:0"
NOVA_PRO = "amazon.nova-pro-v1:0"


def test_a_new_project_holds_every_reference_row_with_its_source(store: ProjectStore) -> None:
    with REFERENCE.open() as handle:
        reference = list(csv.DictReader(handle))
    stored = {(r["model_id"], r["region"]): r for r in store._rows("SELECT * FROM lifecycle")}
    for ref in reference:
        for region in ref["regions"].split(";"):
            got = stored[(ref["model_id"], region)]
            assert got["legacy_date"] == ref["legacy_date"]
            assert got["pea_date"] == (ref["public_extended_access_date"] or None)
            assert got["eol_date"] == ref["eol_date"]
            assert got["source"].startswith("https://docs.aws.amazon.com/bedrock/")
            assert got["as_of"]
    # Active models a user would migrate to are there too.
    assert "us-east-1" in store.offered_regions("anthropic.claude-opus-4-5-20251101-v1:0")


def test_project_file_is_private_and_in_wal_mode(store: ProjectStore, db_path: Path) -> None:
    assert os.stat(db_path).st_mode & 0o777 == 0o600
    assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def _untouched(path: Path) -> bytes:
    return path.read_bytes()


def test_a_file_that_is_not_a_database_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_bytes(b"meeting notes\n" * 100)
    before = _untouched(path)
    with pytest.raises(ProjectFileError, match="not a planner project"):
        open_project(path)
    assert path.read_bytes() == before


def test_another_sqlite_database_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE todo (x)")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(ProjectFileError, match="not a planner project"):
        open_project(path)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other.db"]


def test_a_project_from_a_newer_release_is_refused_untouched(db_path: Path) -> None:
    open_project(db_path).close()
    conn = sqlite3.connect(db_path)
    conn.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
        "VALUES ('planner-tui', '9999_from_the_future', '2030-01-01')"
    )
    conn.commit()
    conn.close()
    before = db_path.read_bytes()
    with pytest.raises(ProjectFileError, match="newer planner-tui"):
        open_project(db_path)
    assert db_path.read_bytes() == before


def test_read_only_never_writes(db_path: Path, today: dt.date) -> None:
    open_project(db_path).close()
    before = db_path.read_bytes()
    store = open_project(db_path, read_only=True)
    assert store.applications() == []
    with pytest.raises(ReadOnlyError):
        store.add_application(Application(name="x"), today=today)
    store.close()
    assert db_path.read_bytes() == before
    with pytest.raises(ProjectFileError, match="no project"):
        open_project(db_path.with_name("missing.db"), read_only=True)


def test_reload_keeps_hand_entered_dates_and_records_changes(store: ProjectStore) -> None:
    store.set_lifecycle_date(OPUS_41, "us-east-1", "eol_date", dt.date(2027, 2, 1))
    assert store.load_catalog(load_catalog()) == 0  # merging again changes nothing
    rows = {r["region"]: r for r in store._rows("SELECT * FROM lifecycle WHERE model_id = ?", [OPUS_41])}
    assert rows["us-east-1"]["eol_date"] == "2027-02-01"
    assert rows["us-west-2"]["eol_date"] == "2027-01-08"
    history = store.lifecycle_history(OPUS_41)
    assert [(h["region"], h["old_value"], h["new_value"], h["source"]) for h in history] == [
        ("us-east-1", "2027-01-08", "2027-02-01", "entered by hand")]

    # A newer catalog moving a date is applied where nobody typed one, and logged.
    catalog = load_catalog()
    moved = [lc.model_copy(update={"eol_date": dt.date(2027, 3, 1)}) if lc.model_id == OPUS_41 else lc
             for lc in catalog.lifecycles]
    changed = store.load_catalog(catalog.__class__(catalog.models, tuple(moved), catalog.profiles),
                                 source_label="catalog update")
    assert changed == 2  # us-east-2 and us-west-2; us-east-1 is kept as typed
    history = store.lifecycle_history(OPUS_41)
    assert {(h["region"], h["new_value"], h["source"]) for h in history[1:]} == {
        ("us-east-2", "2027-03-01", "catalog update"), ("us-west-2", "2027-03-01", "catalog update")}


def test_a_legacy_dependency_gets_a_plan_and_an_active_one_does_not(store, today) -> None:
    app = store.add_application(
        Application(name="Checkout", owner="ann"),
        [Dependency(app_id=0, model_id=OPUS_41, region="us-east-1"),
         Dependency(app_id=0, model_id=NOVA_PRO, region="us-east-1")],
        today=today,
    )
    plans = store.plans()
    assert [(p.app_id, p.model_id, p.started_on) for p in plans] == [(app.id, OPUS_41, today)]
    assert len(plans[0].items_in(Phase.ASSESS)) == 7


def test_inference_profile_ids_resolve_to_their_model(store, today) -> None:
    app = store.add_application(Application(name="Bot"), today=today)
    store.add_dependency(Dependency(app_id=app.id, model_id=f"us.{OPUS_41}", region="us-east-1"), today)
    (dep,) = store.dependencies(app.id)
    assert (dep.model_id, dep.access_path, dep.resource_id) == (
        OPUS_41, AccessPath.INFERENCE_PROFILE, f"us.{OPUS_41}")


@pytest.mark.parametrize(
    ("model_id", "region", "message"),
    [
        ("anthropic.claude-opus-4-1", "us-east-1", "unknown model ID"),
        (OPUS_41, "eu-west-1", "not offered in eu-west-1"),
        (OPUS_41, "Virginia", "invalid Region"),
    ],
)
def test_bad_dependencies_are_refused_and_nothing_is_saved(store, today, model_id, region, message):
    with pytest.raises(UserInputError, match=message):
        store.add_application(Application(name="Half"),
                              [Dependency(app_id=0, model_id=model_id, region=region)], today=today)
    assert store.applications() == []


def test_checklist_items_can_be_added_edited_reordered_deleted_and_restored(store, today) -> None:
    store.add_application(Application(name="A"), [Dependency(app_id=0, model_id=OPUS_41,
                                                              region="us-east-1")], today=today)
    plan = store.plans()[0]
    added = store.add_item(plan.id, Phase.TEST, "Check JSON mode", owner="ann")
    assert store.plan(plan.id).items_in(Phase.TEST)[-1].title == "Check JSON mode"
    store.update_item(added.model_copy(update={"notes": "see ticket 42", "due_date": today}))
    assert store.item(added.id).notes == "see ticket 42"
    store.move_item(added.id, -10)
    assert store.plan(plan.id).items_in(Phase.TEST)[0].id == added.id
    toggled = store.toggle_item(added.id)
    assert toggled.done and toggled.done_at is not None
    deleted = store.delete_item(added.id)
    assert all(i.id != added.id for i in store.plan(plan.id).items)
    store.restore_item(deleted)
    restored = store.item(added.id)
    assert restored.model_copy(update={"version": deleted.version}) == deleted
    assert restored.version > deleted.version  # an editor still holding the old one must reload


def test_advancing_with_open_items_is_recorded(store, today) -> None:
    store.add_application(Application(name="A"), [Dependency(app_id=0, model_id=OPUS_41,
                                                              region="us-east-1")], today=today)
    plan = store.plans()[0]
    assert store.advance_phase(plan.id, today, note="baseline later") is Phase.RESEARCH
    log = store.plan_log(plan.id)
    assert log[-1]["event"] == "phase advanced"
    assert "7 open item(s), confirmed: baseline later" in log[-1]["detail"]


EDITOR = """
import sys, datetime as dt
from planner_tui.services.project import open_project
from planner_tui.domain.models import Application
store = open_project(sys.argv[1])
for n in range(100000):
    store.add_application(Application(name=f"app-{n}"), today=dt.date(2026, 11, 22))
    print(n, flush=True)
"""


def test_a_killed_process_loses_no_committed_edit(db_path: Path) -> None:
    open_project(db_path).close()
    editor = subprocess.Popen([sys.executable, "-c", EDITOR, str(db_path)],
                              stdout=subprocess.PIPE, text=True)
    acknowledged = -1
    deadline = time.monotonic() + 60
    while acknowledged < 30 and time.monotonic() < deadline:
        acknowledged = int(editor.stdout.readline())
    os.kill(editor.pid, signal.SIGKILL)
    editor.wait()
    store = open_project(db_path)
    assert store.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    names = {a.name for a in store.applications()}
    assert {f"app-{n}" for n in range(acknowledged + 1)} <= names
    store.close()


def test_a_newer_release_merges_its_catalog_into_an_existing_project(db_path: Path) -> None:
    store = open_project(db_path)
    store.set_lifecycle_date(OPUS_41, "us-east-1", "eol_date", dt.date(2027, 2, 1))
    # Pretend the project was last merged by an older release with other dates.
    store.db.execute("UPDATE lifecycle SET eol_date = '2026-12-31' WHERE model_id = ? AND region = 'us-west-2'",
                     [OPUS_41])
    store.set_catalog_version("older-release")
    store.close()
    store = open_project(db_path)
    rows = {r["region"]: r for r in store._rows("SELECT * FROM lifecycle WHERE model_id = ?", [OPUS_41])}
    assert rows["us-west-2"]["eol_date"] == "2027-01-08"
    assert rows["us-east-1"]["eol_date"] == "2027-02-01"  # typed by hand: kept
    latest = store.lifecycle_history(OPUS_41)[-1]
    assert (latest["region"], latest["old_value"], latest["new_value"]) == ("us-west-2", "2026-12-31", "2027-01-08")
    assert latest["source"].startswith("bundled catalog ")
    store.close()


def test_the_repositories_of_the_store_define_no_name_twice() -> None:
    """ProjectStore lists its repositories in the order their inheritance needs (store.py):
    the order must decide nothing else, so no two of them may define the same name."""
    owners: dict[str, list[str]] = {}
    for repo in ProjectStore.__mro__[1:]:
        for name in vars(repo):
            if not (name.startswith("__") and name.endswith("__")):
                owners.setdefault(name, []).append(repo.__name__)
    assert {name: repos for name, repos in owners.items() if len(repos) > 1} == {}
