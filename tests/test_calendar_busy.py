"""Exporting the calendar while another program holds the project's write lock: the file is
written, and the export says its history was not updated (never 'your edit was not saved')."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from planner_tui.integrations.calendar.events import ExportScope
from planner_tui.integrations.calendar.ics import export_calendar
from planner_tui.services.project import open_project

from .conftest import TODAY


def test_export_while_the_project_is_busy_writes_the_file(demo, tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    from planner_tui.persistence import database, db

    for module in (database, db):
        monkeypatch.setattr(module, "BUSY_TIMEOUT_SECONDS", 0.05)  # not the 10 s a person waits
    path = demo.folder / "demo.db"
    demo.store.close()
    store = open_project(path)
    other = sqlite3.connect(path)
    try:
        other.execute("BEGIN IMMEDIATE")  # an import in another program
        result = export_calendar(store, tmp_path / "c.ics", TODAY, ExportScope())
    finally:
        other.rollback()
        other.close()
        store.close()
    assert (tmp_path / "c.ics").read_bytes() == result.data and result.events
    assert not result.recorded and "could not be written" in result.unrecorded
