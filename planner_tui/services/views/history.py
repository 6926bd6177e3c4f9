"""The History screen's reads: every change, by whom and when; for one plan or the whole
project, where it also lists changes of vendor dates."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from ...domain.audit import AuditEntry, field_label
from ...persistence.store import HAND_SOURCE, ProjectStore

PAGE = 2000  # the newest entries of each kind

# What a line records: an edit in the audit trail, a step in the plan's own log (advanced,
# reopened …), or a change of a vendor date (catalog, sync, typed by hand).
Kind = Literal["change", "plan-log", "vendor"]


@dataclass(frozen=True, slots=True)
class HistoryLine:
    at: str  # ISO, UTC
    who: str
    place: str  # the application or plan it belongs to, in words (project history only)
    what: str
    kind: Kind


@dataclass(frozen=True)
class HistoryView:
    title: str
    lines: list[HistoryLine]  # newest first


def load_history(store: ProjectStore, plan_id: int | None = None) -> HistoryView:
    entries = store.audit_trail(plan_id=plan_id, limit=PAGE)
    if plan_id is None:
        where = _Places(store, entries)
        lines = [HistoryLine(e.at, e.actor, where.of(e), e.describe(), "change") for e in entries]
        lines += _vendor_lines(store, entries)
        title = "Project history"
    else:
        lines = [HistoryLine(e.at, e.actor, "", e.describe(), "change") for e in entries]
        plan = store.plan(plan_id)
        title = f"History of {plan.app_name} × {plan.model_id}"
        lines += [HistoryLine(event["at"], "", "", f"{event['event']}: {event['detail']}", "plan-log")
                  for event in store.plan_log(plan_id)]
    lines.sort(key=lambda line: line.at.replace("+00:00", "Z"), reverse=True)
    return HistoryView(title, lines)


def _vendor_lines(store: ProjectStore, entries: list[AuditEntry]) -> list[HistoryLine]:
    """Changes of vendor dates: catalog reloads, syncs, dates typed by hand. A date typed by
    hand is in the audit trail with who typed it; its twin here (same moment, same model and
    Region) is not listed again."""
    names = store.model_names()
    typed = {(e.at, e.row_key) for e in entries if e.table_name == "lifecycle"}
    lines = []
    for change in store.vendor_changes(limit=PAGE):
        at = change["changed_at"].replace("+00:00", "Z")
        if change["source"] == HAND_SOURCE and (at, f"{change['model_id']}@{change['region']}") in typed:
            continue
        who, how = _who_changed_a_date(change)
        what = (f"{field_label(change['field'])} of {change['model_id']} in {change['region']}: "
                f"{change['old_value'] or '–'} → {change['new_value'] or '–'}{how}")
        lines.append(HistoryLine(at, who, names.get(change["model_id"], change["model_id"]), what, "vendor"))
    return lines


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

    def __init__(self, store: ProjectStore, entries: list[AuditEntry]) -> None:
        self.apps: dict[int, str] = {app.id: app.name for app in store.applications() if app.id is not None}
        self.models = store.model_names()
        plan_ids = {e.plan_id for e in entries if e.plan_id is not None}
        self.plans: dict[int, tuple[int, str]] = {
            plan.id: (plan.app_id, plan.model_id)
            for plan in (store.plans(with_items=False, plan_ids=plan_ids) if plan_ids else [])
            if plan.id is not None
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
