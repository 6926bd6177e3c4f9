"""The domain and persistence layers must not pull in the UI or AWS libraries."""

import subprocess
import sys

import pytest


@pytest.mark.parametrize(
    "module",
    [
        "planner_tui.domain.models",
        "planner_tui.domain.lifecycle",
        "planner_tui.domain.schedule",
        "planner_tui.domain.checklists",
        "planner_tui.domain.validation",
        "planner_tui.catalog.bundled",
        "planner_tui.persistence.store",
        "planner_tui.services.overview",
    ],
)
def test_layer_imports_neither_textual_nor_boto3(module: str) -> None:
    code = (
        f"import sys, {module}\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in {'textual', 'boto3', 'botocore'})\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""


def test_reading_a_current_project_loads_neither_pydantic_nor_sqlite_utils(tmp_path) -> None:
    """Start-up and `status` read stored rows only: the libraries that validate input and run
    migrations (a third of a second each to import) load when an edit or a refresh needs them."""
    code = f"""
import datetime as dt, sys
from pathlib import Path
from planner_tui.services.demo import build_demo
from planner_tui.services.project import open_project
from planner_tui.services import schedules
today = dt.date(2026, 11, 22)
store = open_project(Path({str(tmp_path / 'p.db')!r}))
build_demo(store, today)
schedules.ensure_current(store, today)
store.close()
for name in [m for m in sys.modules if m.split('.')[0] in ('planner_tui', 'pydantic', 'pydantic_core', 'sqlite_utils')]:
    del sys.modules[name]

import planner_tui.cli, planner_tui.ui.app
from planner_tui.services.dashboard import load_dashboard
from planner_tui.services import overview
from planner_tui.services.project import open_project
store = open_project(Path({str(tmp_path / 'p.db')!r}))
data = load_dashboard(store, today)
lines = overview.plan_lines(store, today)
assert data.plans and lines, "nothing read"
print(','.join(sorted(m for m in sys.modules if m.split('.')[0] in ('pydantic', 'sqlite_utils'))))
"""
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == ""


def test_status_loads_no_pydantic_when_no_resource_was_discovered(tmp_path) -> None:
    """`status` looks for outages among the discovered resources on every run: with none, it
    reads no row it must validate, and the view modules it passes through name pydantic
    models only for type checking (0.2 s of every `status`)."""
    code = f"""
import contextlib, datetime as dt, io, sys
from pathlib import Path
from planner_tui.services.demo import build_demo
from planner_tui.services.project import open_project
from planner_tui.services import schedules
store = open_project(Path({str(tmp_path / 'p.db')!r}))
build_demo(store, dt.date(2026, 11, 22))
schedules.ensure_current(store, dt.date(2026, 11, 22))
with store.batch():
    store.conn.execute("DELETE FROM discovered")
store.close()
for name in [m for m in sys.modules if m.split('.')[0] in ('planner_tui', 'pydantic', 'pydantic_core', 'sqlite_utils')]:
    del sys.modules[name]

from planner_tui import cli
with contextlib.redirect_stdout(io.StringIO()) as out:
    cli.main(["status", "--json", "--db", {str(tmp_path / 'p.db')!r}, "--today", "2026-11-22"])
assert '"plans"' in out.getvalue(), out.getvalue()[:200]
print(','.join(sorted(m for m in sys.modules if m.split('.')[0] in ('pydantic', 'sqlite_utils'))))
"""
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == ""
