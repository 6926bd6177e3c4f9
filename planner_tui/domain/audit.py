"""Reading the audit trail: which fields changed, from what to what, in words."""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel, ConfigDict

TABLE_NOUNS = {
    "applications": "application",
    "dependencies": "dependency",
    "plans": "plan",
    "checklist_items": "checklist item",
    "plan_fields": "phase field",
    "test_results": "test result",
    "rollout_stages": "rollout stage",
    "rollout_decisions": "rollout decision",
    "discovered": "discovered resource",
    "callers": "caller",  # only its dismissal (migration 0024)
    "campaigns": "campaign",
    "campaign_evaluations": "campaign evaluation",
    "lifecycle": "lifecycle date",
}
# Columns that identify a row in words, per table.
LABEL_COLUMNS = ("title", "name", "metric", "key", "principal_arn", "model_id", "decision", "traffic_percent")
# Columns holding a share of traffic: shown as '5%', the way the plan screen shows them.
PERCENT_COLUMNS = {"traffic_percent"}
HIDDEN = {"id", "plan_id", "app_id", "position", "created_at", "version", "campaign_id",
          "shared_key"}  # which copies of a campaign's checklist are one item (schema 0014)
# Column names as people say them; others read with spaces for underscores.
FIELD_LABELS = {
    "done_at": "done on",
    "due_date": "due date",
    "current_phase": "phase",
    "target_model_id": "target model",
    "target_overridden": "own target (overrides the campaign)",
    "created_on": "created on",
    "decision_reason": "reason",
    "deadline_override": "deadline set by hand",
    "started_on": "started on",
    "completed_on": "completed on",
    "closed_on": "closed on",
    "closed_kind": "closed as",
    "closed_reason": "reason for closing",
    "model_id": "model",
    "resource_id": "resource",
    "access_path": "access",
    "monthly_volume": "monthly calls",
    "traffic_percent": "traffic %",
    "start_date": "from",
    "end_date": "to",
    "decided_on": "decided on",
    "higher_is_better": "higher is better",
    "first_seen": "first seen",
    "last_seen": "last seen",
}


def field_label(column: str) -> str:
    """A column as a person names it: 'done_at' reads 'done on'."""
    return FIELD_LABELS.get(column, column.replace("_", " "))


class AuditEntry(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: int
    at: str
    actor: str
    table_name: str
    row_key: str
    plan_id: int | None = None
    app_id: int | None = None
    action: str
    old: dict[str, Any] | None = None
    new: dict[str, Any] | None = None

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> AuditEntry:
        return cls(**{**row, "old": json.loads(row["old"]) if row["old"] else None,
                      "new": json.loads(row["new"]) if row["new"] else None})

    @property
    def noun(self) -> str:
        return TABLE_NOUNS.get(self.table_name, self.table_name)

    @property
    def label(self) -> str:
        row = self.new or self.old or {}
        for column in LABEL_COLUMNS:
            if row.get(column) not in (None, ""):
                value = str(row[column])
                # A phase field's key ('baseline.monthly_requests') reads 'baseline: monthly requests'.
                if column == "key":
                    return value.replace(".", ": ").replace("_", " ")
                return f"{value}%" if column in PERCENT_COLUMNS else value
        return self.row_key

    def changes(self) -> list[tuple[str, Any, Any]]:
        """(field, old, new) for each visible field that differs."""
        old, new = self.old or {}, self.new or {}
        fields = [k for k in {**old, **new} if k not in HIDDEN]
        return [(k, old.get(k), new.get(k)) for k in fields if old.get(k) != new.get(k)]

    def describe(self) -> str:
        if self.action == "insert":
            return f"added {self.noun} '{self.label}'"
        if self.action == "delete":
            return f"deleted {self.noun} '{self.label}'"
        parts = [f"{field_label(field)}: {_show(before, field)} → {_show(after, field)}"
                 for field, before, after in self.changes()]
        if parts:
            return f"changed {self.noun} '{self.label}': " + "; ".join(parts)
        moved = self._moved()
        if moved:
            return f"moved {self.noun} '{self.label}' {moved}"
        return f"changed {self.noun} '{self.label}'"

    def _moved(self) -> str:
        """'up' or 'down' when only the row's place in its list changed (a reorder)."""
        before, after = (self.old or {}).get("position"), (self.new or {}).get("position")
        if before is None or after is None or before == after:
            return ""
        return "up" if after < before else "down"


def _show(value: Any, column: str = "") -> str:
    if value is None or value == "":
        return "–"
    if column in PERCENT_COLUMNS:
        return f"{value}%"
    if value in (0, 1) and isinstance(value, int):
        return str(value)
    text = str(value)
    if len(text) >= 19 and text[4] == "-" and text[10] == "T":  # a timestamp: to the minute
        return text[:16].replace("T", " ")
    return text if len(text) <= 60 else text[:57] + "…"
