"""`status --json` writes plan by plan as SQLite finds them (issue #16), the very document one
json.dumps of it all would: compact when piped, indented at a terminal."""

from __future__ import annotations

import io
import json
import sys

import pytest

from planner_tui.cli import main
from planner_tui.cli.status import line_json
from planner_tui.persistence.store import ProjectStore
from planner_tui.services import overview
from planner_tui.services.views.discovered import outages

from .conftest import TODAY


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def _expected(store: ProjectStore, indent: int | None) -> str:
    rows = overview.plan_lines(store, TODAY, with_closed=False)
    broken = outages(store, TODAY)
    document = {
        "today": TODAY, "plans": [line_json(r) for r in rows],
        "overdue": any(r.risk.value in ("overdue", "past EOL") for r in rows) or bool(broken),
        "past_eol": any(r.risk.value == "past EOL" for r in rows) or bool(broken),
        "outages": [r.as_json() for r in broken],
    }
    return json.dumps(document, indent=indent, default=str) + "\n"


@pytest.mark.parametrize("terminal", [False, True])
def test_status_json_is_the_same_document_streamed(demo_store: ProjectStore, monkeypatch: pytest.MonkeyPatch,
                                                   terminal: bool) -> None:
    out = _Terminal() if terminal else io.StringIO()
    monkeypatch.setattr(sys, "stdout", out)
    code = main(["status", "--json", "--db", str(demo_store.path), "--today", str(TODAY)])
    assert code == 1  # the example has overdue plans
    assert out.getvalue() == _expected(demo_store, 2 if terminal else None)
    assert json.loads(out.getvalue())["plans"]
