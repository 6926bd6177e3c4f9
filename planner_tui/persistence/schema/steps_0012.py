"""Migration 0012: campaigns, one migration per retiring model across its applications."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import TYPE_CHECKING

from .audit import ACTOR_SQL, _audit_triggers
from .registry import migrations

if TYPE_CHECKING:
    from sqlite_utils import Database

    from ...domain.campaigns import Decision, TargetState

MIGRATION_ACTOR = "planner-tui (schema 0012: campaigns)"


@migrations(name="0012_campaigns")
def campaigns(db: Database) -> None:
    """A campaign per model with plans owns the replacement decision; each plan follows it
    or overrides it (`target_overridden`, its own target and reason). `plans.target_model_id`
    and `decision_reason` stay the plan's effective target, so every reader keeps working.

    Existing plans join their model's campaign: its decision is the most common target of its
    plans (domain/campaigns.derive_decision); a plan with another target keeps it as an
    override, a plan with none (or the same) follows. Each change is in the audit log (actor
    MIGRATION_ACTOR) and the plan's log; nothing else is touched."""
    from ...domain.campaigns import Choice, Decision, Member, TargetState, day_of, derive_decision, reconcile

    db.execute(
        """
        CREATE TABLE campaigns (
            id INTEGER PRIMARY KEY,
            model_id TEXT NOT NULL UNIQUE,
            target_model_id TEXT,
            decision_reason TEXT NOT NULL DEFAULT '',
            decided_on TEXT,
            created_on TEXT NOT NULL,
            version INTEGER NOT NULL DEFAULT 0
        )"""
    )
    db.execute("ALTER TABLE plans ADD COLUMN campaign_id INTEGER REFERENCES campaigns(id)")
    db.execute("ALTER TABLE plans ADD COLUMN target_overridden INTEGER NOT NULL DEFAULT 0")
    db.execute("CREATE INDEX plans_campaign ON plans(campaign_id)")
    conn = db.conn
    actor = conn.execute("SELECT value FROM planner_meta WHERE key = 'actor'").fetchone()
    conn.execute("INSERT OR REPLACE INTO planner_meta (key, value) VALUES ('actor', ?)", [MIGRATION_ACTOR])
    _audit_triggers(db, "campaigns", ACTOR_SQL)

    decided_at: dict[int, str] = {}  # when each plan's current target was chosen (its last log entry)
    for plan_id, at in conn.execute("SELECT plan_id, at FROM plan_log WHERE event = 'target chosen' ORDER BY id"):
        decided_at[plan_id] = at
    by_model: dict[str, list[tuple]] = defaultdict(list)
    for row in conn.execute("""SELECT p.id, p.app_id, a.name, p.model_id, p.target_model_id, p.decision_reason,
                                      p.started_on, p.completed_on, p.closed_on
                               FROM plans p JOIN applications a ON a.id = p.app_id ORDER BY p.id"""):
        by_model[row[3]].append(row)
    decisions: dict[str, Decision | None] = {}
    for model_id, rows in sorted(by_model.items()):
        chosen = derive_decision(Choice(r[0], r[4], r[5], decided_at.get(r[0])) for r in rows if r[4])
        decision = None if chosen is None else Decision(chosen.target_model_id, chosen.reason,
                                                        day_of(chosen.decided_at))
        decisions[model_id] = decision
        conn.execute(
            """INSERT INTO campaigns (model_id, target_model_id, decision_reason, decided_on, created_on)
               VALUES (?, ?, ?, ?, ?)""",
            [model_id, decision and decision.target_model_id, decision.reason if decision else "",
             decision and decision.decided_on and decision.decided_on.isoformat(), min(r[6] for r in rows)])
    # Joining the campaign is no change a person made: the plans' audit triggers (which list
    # the table's columns, now two more) are made again once every plan has joined.
    for action in ("insert", "update", "delete"):
        db.execute(f"DROP TRIGGER audit_plans_{action}")
    conn.execute("UPDATE plans SET campaign_id = (SELECT c.id FROM campaigns c WHERE c.model_id = plans.model_id)")
    _audit_triggers(db, "plans", ACTOR_SQL)

    now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    updates, log = [], []
    for model_id, rows in by_model.items():
        members = [Member(r[0], r[1], r[2], TargetState(r[4], r[5], False), r[7] is not None, r[8] is not None)
                   for r in rows]
        before = {m.plan_id: m.state for m in members}
        for plan_id, state in reconcile(members, decisions[model_id]).items():
            updates.append((state.target_model_id, state.reason, int(state.overridden), plan_id))
            log.append((plan_id, now, *_joined(model_id, before[plan_id], state, decisions[model_id])))
    conn.executemany("UPDATE plans SET target_model_id = ?, decision_reason = ?, target_overridden = ? WHERE id = ?",
                     updates)
    conn.executemany("INSERT INTO plan_log (plan_id, at, event, detail) VALUES (?, ?, ?, ?)", log)
    if actor is None:
        conn.execute("DELETE FROM planner_meta WHERE key = 'actor'")
    else:
        conn.execute("UPDATE planner_meta SET value = ? WHERE key = 'actor'", [actor[0]])


def _joined(model_id: str, before: TargetState, after: TargetState, decision: Decision | None) -> tuple[str, str]:
    """The plan log's entry for a plan whose target changed as it joined its campaign."""
    if after.overridden:
        return ("target overridden", f"{after.target_model_id}: {after.reason} (kept: the campaign for {model_id} "
                f"chose {decision.target_model_id if decision else 'nothing yet'})")
    if before.target_model_id == after.target_model_id:
        return ("target chosen", f"{after.target_model_id}: {after.reason} (the campaign's decision; "
                f"this plan's reason was: {before.reason or '–'})")
    return "target chosen", f"{after.target_model_id}: {after.reason} (the campaign's decision)"
