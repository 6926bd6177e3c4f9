"""Migration 0014: Assess, Research and Test checklists shared by each campaign."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from .audit import ACTOR_SQL, _audit_triggers
from .registry import migrations

if TYPE_CHECKING:
    from sqlite_utils import Database


@migrations(name="0014_shared_checklists")
def shared_checklists(db: Database) -> None:
    """A campaign's Assess, Research and Test checklists are one checklist for all its
    applications: each plan keeps its copy of a shared item, marked with the same
    `shared_key`, and an edit of one is made to the copies of every open plan
    (domain/checklists.py).

    Existing items are shared under their title when every open plan of the campaign has one
    of that phase and title (the default checklist, in every plan); the others stay their
    application's own. No item is changed: copies that recorded different things (one ticked,
    another with notes) keep them, shown side by side, until an edit sets them alike. Marking
    an item shared is no change a person made: the items' audit triggers (which list the
    table's columns, now one more) are made again once the items are marked."""
    from ...domain.checklists import SHARED_PHASES, shared_keys

    db.execute("ALTER TABLE checklist_items ADD COLUMN shared_key TEXT")
    conn = db.conn
    for action in ("insert", "update", "delete"):
        conn.execute(f"DROP TRIGGER IF EXISTS audit_checklist_items_{action}")
    open_plans: dict[int, set[int]] = defaultdict(set)
    for plan_id, campaign_id in conn.execute(
            """SELECT id, campaign_id FROM plans WHERE campaign_id IS NOT NULL
               AND completed_on IS NULL AND closed_on IS NULL"""):
        open_plans[campaign_id].add(plan_id)
    items: dict[int, list[tuple[int, int, str, str]]] = defaultdict(list)
    phases = [phase.value for phase in SHARED_PHASES]
    for item_id, plan_id, phase, title, campaign_id in conn.execute(
            f"""SELECT i.id, i.plan_id, i.phase, i.title, p.campaign_id FROM checklist_items i
                JOIN plans p ON p.id = i.plan_id
                WHERE p.campaign_id IS NOT NULL AND i.phase IN ({", ".join("?" for _ in phases)})
                ORDER BY i.id""", phases):
        items[campaign_id].append((item_id, plan_id, phase, title))
    keys: dict[int, str] = {}
    for campaign_id, found in items.items():
        shared = shared_keys(found, open_plans.get(campaign_id, set()))
        keys.update(shared)
        # A plan that has ended keeps its items as they are, marked like the open plans'.
        titles = {(phase, title) for item_id, _, phase, title in found if item_id in shared}
        keys.update({item_id: title for item_id, plan_id, phase, title in found
                     if item_id not in shared and (phase, title) in titles
                     and plan_id not in open_plans.get(campaign_id, set())})
    conn.executemany("UPDATE checklist_items SET shared_key = ? WHERE id = ?",
                     [(key, item_id) for item_id, key in sorted(keys.items())])
    _audit_triggers(db, "checklist_items", ACTOR_SQL)
