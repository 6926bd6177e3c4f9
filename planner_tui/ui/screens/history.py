"""The audit trail: every change, by whom and when; for one plan or the whole project."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Header, Static

from ...domain.audit import AuditEntry, field_label
from ..widgets.footer import Footer
from ..widgets.inert import InertStatic
from ..widgets.table import Table
from .base import PlannerScreen

PAGE = 2000
HAND_SOURCE = "entered by hand"  # persistence/store.py's source of a date typed by a person


class HistoryScreen(PlannerScreen):
    AUTO_FOCUS = "#history"  # arrows move through the list, not a text field
    HELP_TITLE = "History"
    HELP_TEXT = (
        "Every change to applications, dependencies, plans, checklists, phase forms, test results "
        "and rollout records, newest first: when (UTC), who (PLANNER_TUI_USER or your login) and "
        "what changed from what to what. The project-wide view says which application or plan "
        "each change belongs to, and also lists changes of vendor dates from the catalog, a "
        "sync, or typed by hand."
    )
    BINDINGS = [Binding("escape", "app.pop_screen", "Back", id="history.back")]

    def __init__(self, plan_id: int | None = None) -> None:
        super().__init__()
        self.plan_id = plan_id

    def compose(self) -> ComposeResult:
        yield Header()
        yield InertStatic(id="history-title", classes="detail")
        yield Table(id="history", cursor_type="row", zebra_stripes=True, classes="list",
                    keep=("When (UTC)",), cut_first=("Application / plan",))
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#history", DataTable)
        if self.plan_id is None:
            table.add_columns("When (UTC)", "Who", "Application / plan", "What")
        else:
            table.add_columns("When (UTC)", "Who", "What")
        table.focus()

    def refresh_data(self) -> None:
        store = self.planner.store
        entries = store.audit_trail(plan_id=self.plan_id, limit=PAGE)
        if self.plan_id is None:
            where = _Places(store, entries)
            rows = [(e.at, e.actor, where.of(e), Text(e.describe())) for e in entries]
            rows += _vendor_rows(store, entries)
            title = "Project history"
        else:
            rows = [(e.at, e.actor, "", Text(e.describe())) for e in entries]
            plan = store.plan(self.plan_id)
            title = f"History of {plan.app_name} × {plan.model_id}"
            for event in store.plan_log(self.plan_id):
                rows.append((event["at"], "", "", Text(f"{event['event']}: {event['detail']}", style="cyan")))
        rows.sort(key=lambda r: r[0].replace("+00:00", "Z"), reverse=True)
        self.query_one("#history-title", Static).update(Text(f"{title} · {len(rows)} entries"))  # names as written
        table = self.query_one("#history", DataTable)
        table.clear()
        for when, who, place, what in rows:
            if self.plan_id is None:
                table.add_row(when.replace("T", " ")[:19], who, place, what)
            else:
                table.add_row(when.replace("T", " ")[:19], who, what)


def _vendor_rows(store: Any, entries: list[AuditEntry]) -> list[tuple[str, str, str, Text]]:
    """Changes of vendor dates: catalog reloads, syncs, dates typed by hand. A date typed by
    hand is in the audit trail with who typed it; its twin here (same moment, same model and
    Region) is not listed again."""
    names = store.model_names()
    typed = {(e.at, e.row_key) for e in entries if e.table_name == "lifecycle"}
    rows = []
    for change in store.vendor_changes(limit=PAGE):
        at = change["changed_at"].replace("+00:00", "Z")
        if change["source"] == HAND_SOURCE and (at, f"{change['model_id']}@{change['region']}") in typed:
            continue
        who, how = _who_changed_a_date(change)
        what = (f"{field_label(change['field'])} of {change['model_id']} in {change['region']}: "
                f"{change['old_value'] or '–'} → {change['new_value'] or '–'}{how}")
        model = names.get(change["model_id"], change["model_id"])
        rows.append((at, who, model, Text(what, style="yellow")))
    return rows


def _who_changed_a_date(change: dict[str, Any]) -> tuple[str, str]:
    """(who, how) for a vendor date change: where the date came from ('bundled catalog', 'AWS
    sync'). A date typed by hand names its typist in the audit trail; one logged before the
    project recorded typists (no twin there) says it was typed by hand, not by whom."""
    source = change["source"]
    person = change.get("actor") or ""
    if source == HAND_SOURCE:
        return person or "–", " (entered by hand)"
    return person or source, ""


class _Places:
    """Which application or plan an audit entry belongs to, in words: 'Support Copilot' or
    'Support Copilot × Claude Sonnet 4.5'. Names of deleted applications and plans come
    from the trail itself."""

    def __init__(self, store: Any, entries: list[AuditEntry]) -> None:
        self.apps: dict[int, str] = {app.id: app.name for app in store.applications()}
        self.models = store.model_names()
        plan_ids = {e.plan_id for e in entries if e.plan_id is not None}
        self.plans: dict[int, tuple[int, str]] = {
            plan.id: (plan.app_id, plan.model_id)
            for plan in (store.plans(with_items=False, plan_ids=plan_ids) if plan_ids else [])
        }
        for entry in reversed(entries):  # oldest first: the newest name wins
            row = entry.new or entry.old or {}
            if entry.table_name == "applications" and row.get("name"):
                self.apps.setdefault(int(row["id"]), str(row["name"]))
            elif entry.table_name == "plans" and row.get("model_id"):
                self.plans.setdefault(int(row["id"]), (int(row["app_id"]), str(row["model_id"])))

    def of(self, entry: AuditEntry) -> str:
        if entry.table_name == "lifecycle":  # a date typed by hand: 'model@region'
            model_id = entry.row_key.rsplit("@", 1)[0]
            return self.models.get(model_id, model_id)
        if entry.plan_id is not None and entry.plan_id in self.plans:
            app_id, model_id = self.plans[entry.plan_id]
            return f"{self.apps.get(app_id, '?')} × {self.models.get(model_id, model_id)}"
        if entry.app_id is not None:
            return self.apps.get(entry.app_id, "")
        return ""
