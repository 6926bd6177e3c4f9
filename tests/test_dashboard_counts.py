"""What the dashboard reads as the app starts, kept counted by triggers (schema 0022) and read
from a few index entries, gives what counting everything again gives: the dependencies per
lifecycle state, and the soonest milestones with how many are upcoming. Checked on generated
projects on many days, and after every kind of change to dependencies and lifecycle rows
(added, removed, moved, replaced, a model removed, a bulk import)."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections import Counter
from pathlib import Path

import pytest

from planner_tui.domain.lifecycle import status_from
from planner_tui.domain.vocabulary import Status
from planner_tui.persistence.repos.bulk import BulkRows
from planner_tui.persistence.store import ProjectStore
from planner_tui.services import dashboard, overview
from planner_tui.services.project import open_project

from .test_standings_sql import _days, _generated, _vary


def _counted_again(conn: sqlite3.Connection, day: dt.date) -> Counter[Status]:
    """Every dependency rated on `day` from its own lifecycle row: the rule, row by row."""
    counts: Counter[Status] = Counter({status: 0 for status in Status})
    date = dt.date.fromisoformat
    for declared, legacy, pea, eol in conn.execute(
            """SELECT l.declared_status, l.legacy_date, l.pea_date, l.eol_date FROM dependencies d
               LEFT JOIN lifecycle l ON l.model_id = d.model_id AND l.region = d.region"""):
        counts[Status.ACTIVE if declared is None else status_from(
            Status(declared), legacy and date(legacy), pea and date(pea), eol and date(eol), day)] += 1
    return counts


def _groups_again(conn: sqlite3.Connection) -> list[tuple]:
    return sorted(conn.execute(
        """SELECT model_id, declared_status, coalesce(legacy_date, ''), coalesce(pea_date, ''),
                  coalesce(eol_date, ''), policy, source, count(*)
           FROM lifecycle GROUP BY model_id, declared_status, legacy_date, pea_date, eol_date, policy, source"""))


def _assert_counts_agree(store: ProjectStore, days: list[dt.date]) -> None:
    conn = store.conn
    kept = sorted(conn.execute("SELECT * FROM lifecycle_group_sizes"))
    assert kept == _groups_again(conn)
    for day in days:
        assert overview.dependency_status_counts(store, day) == _counted_again(conn, day), day


def _assert_milestones_agree(store: ProjectStore, day: dt.date) -> None:
    every = overview.milestone_rows(store, day)
    for limit in (1, 3, 40):
        soonest, total = overview.soonest_milestone_rows(store, day, limit)
        assert soonest == every[:limit], (day, limit)
        assert total == len(every), day


@pytest.fixture(scope="module", params=[7, 11])
def generated(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = _generated(tmp_path_factory.mktemp("generated"), request.param)
    store = open_project(path)
    _vary(store, request.param)
    store.close()
    return path


def test_soonest_milestones_and_counts_agree_on_many_days(generated: Path) -> None:
    store = open_project(generated, read_only=True)
    days = _days(store)
    assert len(days) > 40
    for day in days:
        _assert_milestones_agree(store, day)
    _assert_counts_agree(store, days)
    assert {status for day in days for status, n in overview.dependency_status_counts(store, day).items() if n} == set(
        Status)  # every state was compared on some day
    store.close()


def test_dashboard_reads_the_same_as_counting_everything(generated: Path) -> None:
    store = open_project(generated, read_only=True)
    day = dt.date(2026, 11, 22)
    data = dashboard.load_dashboard(store, day)
    every = overview.milestone_rows(store, day)
    assert data.milestones == every[: dashboard.DASHBOARD_MILESTONES]
    assert data.total_milestones == len(every)
    assert data.counts == dict(_counted_again(store.conn, day))
    store.close()


def test_counts_follow_every_change(generated: Path, tmp_path: Path) -> None:
    copy = tmp_path / "changed.db"
    copy.write_bytes(generated.read_bytes())
    store = open_project(copy)
    conn = store.conn
    days = [dt.date(2025, 1, 1), dt.date(2026, 11, 22), dt.date(2027, 6, 1), dt.date(2030, 1, 1)]
    model, region = conn.execute("SELECT model_id, region FROM lifecycle WHERE eol_date IS NOT NULL").fetchone()
    app_id = conn.execute("SELECT min(id) FROM applications").fetchone()[0]
    changes = [
        # dependencies: added on a retiring model, on one without a lifecycle row, moved, replaced, removed
        ("INSERT INTO dependencies (app_id, model_id, region, access_path, resource_id) "
         "VALUES (?, ?, ?, 'on-demand', 'counted-1')",
         [app_id, model, region]),
        ("INSERT INTO dependencies (app_id, model_id, region, access_path, resource_id) "
         "VALUES (?, 'x.unknown-v1', 'us-east-1', 'on-demand', 'counted-2')", [app_id]),
        ("UPDATE dependencies SET region = 'ap-south-2' WHERE id = (SELECT max(id) FROM dependencies)", []),
        ("UPDATE dependencies SET model_id = ?, region = ?, resource_id = 'counted-3' "
         "WHERE id = (SELECT min(id) FROM dependencies)",
         [model, region]),
        ("INSERT OR REPLACE INTO dependencies (id, app_id, model_id, region, access_path) "
         "SELECT id, app_id, 'x.unknown-v1', region, access_path FROM dependencies WHERE id = 7", []),
        ("DELETE FROM dependencies WHERE id % 7 = 0", []),
        # lifecycle rows: dates moved (a group split off), a row added, one removed, a model removed
        ("UPDATE lifecycle SET eol_date = '2027-03-01', pea_date = NULL WHERE model_id = ? AND region = ?",
         [model, region]),
        ("UPDATE lifecycle SET declared_status = 'EOL', as_of = 'x' WHERE model_id = ?", [model]),
        ("INSERT INTO lifecycle (model_id, region, declared_status, legacy_date, pea_date, eol_date, policy) "
         "SELECT model_id, 'ap-south-2', 'Legacy', '2026-12-01', NULL, '2027-12-01', policy FROM lifecycle "
         "WHERE model_id = ? AND region = ?", [model, region]),
        ("INSERT OR REPLACE INTO lifecycle (model_id, region, declared_status, legacy_date, pea_date, eol_date, "
         "policy) SELECT model_id, region, 'Active', NULL, NULL, NULL, policy FROM lifecycle "
         "WHERE model_id = ? AND region = ?", [model, region]),
        ("DELETE FROM lifecycle WHERE model_id = ? AND region = 'ap-south-2'", [model]),
        ("DELETE FROM models WHERE model_id = (SELECT max(model_id) FROM lifecycle)", []),
    ]
    for sql, params in changes:
        with conn:
            conn.execute(sql, params)
        _assert_counts_agree(store, days)
        _assert_milestones_agree(store, days[1])
    store.close()


def test_a_bulk_import_counts_its_dependencies_set_based(generated: Path, tmp_path: Path) -> None:
    copy = tmp_path / "bulk.db"
    copy.write_bytes(generated.read_bytes())
    store = open_project(copy)
    conn = store.conn
    pairs = conn.execute("SELECT model_id, region FROM lifecycle ORDER BY model_id, region").fetchall()
    app_id = conn.execute("SELECT min(id) FROM applications").fetchone()[0]
    with conn:
        bulk = BulkRows(conn)
        for n in range(2500):  # over SET_BASED_ROWS: the insert trigger is replaced by one statement
            model, region = pairs[n % len(pairs)] if n % 5 else ("x.unknown-v1", "us-east-1")
            bulk.add("dependencies", (app_id, model, region, "on-demand", f"r{n}", "prod", 0, "", "", ""))
        bulk.flush()
    names = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
    assert "dependency_uses_insert" in names  # put back after the import
    _assert_counts_agree(store, [dt.date(2026, 11, 22), dt.date(2028, 1, 1)])
    store.close()
