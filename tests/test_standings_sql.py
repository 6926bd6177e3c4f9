"""A plan's standing is worked out twice: by domain/schedule.py (the rules) and by SQLite when
an overview reads it (persistence/queries.py, with the day as a parameter). Both give the same
answer for every plan of generated projects, on many days: around today, on each Legacy, PEA
and EOL date the plans' models have (the day before, the day, the day after), far before and
far after; read-only as well as not."""

from __future__ import annotations

import datetime as dt
import json
import random
import sys
from pathlib import Path

import pytest

from planner_tui.domain.schedule import urgency
from planner_tui.domain.vocabulary import Criticality
from planner_tui.persistence.store import ProjectStore
from planner_tui.services import overview
from planner_tui.services.project import open_project

from .test_stored_schedules import assert_agree

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"
TODAY = dt.date(2026, 11, 22)  # the generator's day


def _generated(folder: Path, seed: int) -> Path:
    sys.path.insert(0, str(BENCHMARKS))
    try:
        from generate import generate
    finally:
        sys.path.remove(str(BENCHMARKS))
    path = folder / f"generated-{seed}.db"
    generate(path, seed=seed, scale=0.02)  # 100 applications, 400 plans, 6 models in 30 Regions
    return path


def _vary(store: ProjectStore, seed: int) -> None:
    """What the generator does not make: plans closed, cancelled, with a deadline set by hand,
    with items due after EOL, failing test results past Test, applications of every
    criticality, items ticked."""
    rng = random.Random(seed)
    conn = store.conn
    plans = [row[0] for row in conn.execute("SELECT id FROM plans ORDER BY id")]
    with conn:
        for plan_id in rng.sample(plans, 20):
            conn.execute("UPDATE plans SET closed_on = ?, closed_kind = 'no longer needed' WHERE id = ?",
                         [TODAY.isoformat(), plan_id])
        for plan_id in rng.sample(plans, 20):
            conn.execute("UPDATE plans SET deadline_override = ? WHERE id = ?",
                         [(TODAY + dt.timedelta(days=rng.randint(-30, 200))).isoformat(), plan_id])
        for plan_id in rng.sample(plans, 40):
            conn.execute("UPDATE checklist_items SET due_date = ? WHERE id = (SELECT min(id) FROM checklist_items "
                         "WHERE plan_id = ? AND done = 0)",
                         [(TODAY + dt.timedelta(days=rng.randint(0, 600))).isoformat(), plan_id])
        for plan_id in rng.sample(plans, 30):
            conn.execute("INSERT INTO test_results (plan_id, metric, baseline, candidate, threshold, "
                         "higher_is_better, notes) VALUES (?, 'accuracy', 0.9, ?, 0.88, 1, '')",
                         [plan_id, rng.choice([0.8, 0.95])])
        for plan_id in rng.sample(plans, 60):
            conn.execute("UPDATE checklist_items SET done = 1 WHERE plan_id = ? AND id % ? = 0",
                         [plan_id, rng.randint(1, 4)])


def _days(store: ProjectStore) -> list[dt.date]:
    days = {TODAY + dt.timedelta(days=n) for n in (-1000, -200, -1, 0, 1, 2, 30, 90, 365, 1000)}
    for legacy, pea, eol in store.conn.execute("SELECT DISTINCT legacy_date, pea_date, eol_date FROM lifecycle"):
        for boundary in (legacy, pea, eol):
            if boundary:
                day = dt.date.fromisoformat(boundary)
                days |= {day - dt.timedelta(days=1), day, day + dt.timedelta(days=1)}
    return sorted(days)


@pytest.fixture(scope="module", params=[7, 11])
def generated(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = _generated(tmp_path_factory.mktemp("generated"), request.param)
    store = open_project(path)
    _vary(store, request.param)
    store.close()
    return path


def test_sql_and_domain_agree_on_every_plan_on_many_days(generated: Path) -> None:
    store = open_project(generated)
    days = _days(store)
    assert len(days) > 40
    risks = set()
    for day in days:
        assert_agree(store, day)
        risks |= {line.risk for line in overview.plan_lines(store, day)}
    assert len(risks) == 7  # every kind of standing was compared, each on some day
    store.close()


def test_read_only_on_any_day_needs_no_copy_and_agrees(generated: Path) -> None:
    writer = open_project(generated)
    overview.plan_lines(writer, TODAY)  # stored once, as any first read does
    writer.close()
    reader = open_project(generated, read_only=True)
    for day in _days(reader)[::5]:
        assert_agree(reader, day)
        assert reader.stale_schedules() == ([], [])
    temp = reader.conn.execute("SELECT count(*) FROM temp.sqlite_master WHERE name = 'plan_schedules'").fetchone()
    assert temp == (0,)  # no in-memory copy: nothing depends on the day
    reader.close()


def test_urgency_in_sql_is_the_domains_bit_for_bit() -> None:
    """The rounding is where floating point could differ: compare over a grid, with halves."""
    import sqlite3

    from planner_tui.domain.schedule import CRITICALITY_WEIGHT
    from planner_tui.persistence.queries import _HUNDREDTHS

    conn = sqlite3.connect(":memory:")
    ahead = _HUNDREDTHS.format("(1.0 - :p) * 100 / max(:d, 1) * :w")
    behind = _HUNDREDTHS.format("(1000.0 + (0 - :d) + (1.0 - :p) * 100) * :w")
    cases = []
    for done in range(0, 27):
        for total in (1, 3, 7, 15, 26, 40):
            if done > total:
                continue
            for days in (-400, -3, -1, 0, 1, 2, 3, 7, 8, 30, 64, 365):
                for criticality, weight in CRITICALITY_WEIGHT.items():
                    cases.append((done / total, days, criticality, weight))
    for progress, days, criticality, weight in cases:
        sql = behind if days < 0 else ahead
        (got,) = conn.execute(f"SELECT {sql}", {"p": progress, "d": days, "w": weight}).fetchone()
        expected = urgency(progress, TODAY + dt.timedelta(days=days), TODAY, Criticality(criticality))
        assert got == expected, (progress, days, criticality)
    assert json.dumps(urgency(0.5, TODAY + dt.timedelta(days=8), TODAY, Criticality.MEDIUM)) == "6.25"
