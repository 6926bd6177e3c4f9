"""The audit trail in words: how a history line names what changed."""

from __future__ import annotations

from planner_tui.domain.audit import AuditEntry


def _entry(table: str, action: str, old: dict | None, new: dict | None) -> AuditEntry:
    return AuditEntry(id=1, at="2026-12-01T09:00:00", actor="ann", table_name=table, row_key="7",
                      action=action, old=old, new=new)


def test_a_rollout_stage_is_named_by_its_share_of_traffic_as_a_percentage() -> None:
    added = _entry("rollout_stages", "insert", None, {"id": 7, "plan_id": 1, "traffic_percent": 5})
    assert added.describe() == "added rollout stage '5%'"
    changed = _entry("rollout_stages", "update", {"traffic_percent": 25, "status": "planned"},
                     {"traffic_percent": 25, "status": "running"})
    assert changed.describe() == "changed rollout stage '25%': status: planned → running"


def test_a_change_of_traffic_reads_as_percentages() -> None:
    entry = _entry("rollout_stages", "update", {"traffic_percent": 5}, {"traffic_percent": 25})
    assert entry.describe() == "changed rollout stage '25%': traffic %: 5% → 25%"
