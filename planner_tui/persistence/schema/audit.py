"""The audit log's triggers: every change to user data, with its whole row, who and when."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlite_utils import Database

# Tables whose every change is kept in the audit log, with how a row finds its plan and app.
AUDITED = {
    "applications": ("NULL", "{r}.id"),
    "dependencies": ("NULL", "{r}.app_id"),
    "plans": ("{r}.id", "{r}.app_id"),
    "checklist_items": ("{r}.plan_id", "(SELECT app_id FROM plans WHERE id = {r}.plan_id)"),
    "plan_fields": ("{r}.plan_id", "(SELECT app_id FROM plans WHERE id = {r}.plan_id)"),
    "test_results": ("{r}.plan_id", "(SELECT app_id FROM plans WHERE id = {r}.plan_id)"),
    "rollout_stages": ("{r}.plan_id", "(SELECT app_id FROM plans WHERE id = {r}.plan_id)"),
    "rollout_decisions": ("{r}.plan_id", "(SELECT app_id FROM plans WHERE id = {r}.plan_id)"),
    "discovered": ("NULL", "{r}.app_id"),
    "campaigns": ("NULL", "NULL"),  # a decision concerns every plan of the campaign (migration 0012)
    "campaign_evaluations": ("NULL", "NULL"),  # one for every application of the campaign (migration 0015)
}


# The tables audited when migrations 0005 and 0011 ran (each made or remade their triggers).
AUDITED_BEFORE_0012 = ("applications", "dependencies", "plans", "checklist_items", "plan_fields", "test_results",
                       "rollout_stages", "rollout_decisions", "discovered")

# Who makes an edit: written into planner_meta by each edit's transaction (persistence/db.py).
# Triggers read it there; calling a Python function from a trigger could deadlock a worker
# thread reading the same connection (it holds the GIL waiting for SQLite, which waits for it).
ACTOR_SQL = "(SELECT value FROM planner_meta WHERE key = 'actor')"


def _audit_triggers(db: Database, table: str, actor: str = "planner_actor()") -> None:
    """Triggers that log every insert, update and delete of `table` with its whole row."""
    plan_expr, app_expr = AUDITED[table]
    columns = [row[1] for row in db.execute(f"PRAGMA table_info({table})").fetchall()]
    has_id = "id" in columns

    def row_json(ref: str) -> str:
        return "json_object(" + ", ".join(f"'{c}', {ref}.{c}" for c in columns) + ")"

    def key(ref: str) -> str:
        if has_id:
            return f"{ref}.id"
        return f"{ref}.plan_id || ':' || {ref}.key"  # plan_fields

    stamp = "strftime('%Y-%m-%dT%H:%M:%SZ', 'now')"
    for action, ref, old, new in (
        ("insert", "NEW", "NULL", row_json("NEW")),
        ("update", "NEW", row_json("OLD"), row_json("NEW")),
        ("delete", "OLD", row_json("OLD"), "NULL"),
    ):
        when = f"WHEN {old} IS NOT {new}" if action == "update" else ""
        db.execute(
            f"""CREATE TRIGGER audit_{table}_{action} AFTER {action.upper()} ON {table}
                {when}
                BEGIN
                    INSERT INTO audit_log (at, actor, table_name, row_key, plan_id, app_id,
                                           action, old, new)
                    VALUES ({stamp}, {actor}, '{table}', {key(ref)},
                            {plan_expr.format(r=ref)}, {app_expr.format(r=ref)},
                            '{action}', {old}, {new});
                END"""
        )

