"""Checklist items of plans: add, edit, tick, move, delete and restore (for undo).

Assess, Research and Test items a campaign shares (`shared_key`, domain/checklists.py) are
kept as one copy per plan: adding one adds it to every open plan of the campaign, and an
edit, tick, move or deletion of one copy is made to the copies of every open plan, in the
same transaction. A plan that has ended keeps its checklist as it ended."""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ...domain.ids import plan_of, saved_id
from ...domain.vocabulary import Phase
from ...errors import NotFoundError
from ..db import DatabaseCore, _date, _inserted_id, _iso, _stamp

if TYPE_CHECKING:
    from sqlite_utils import Database

    from ...domain.models import ChecklistItem


def item_row(plan_id: int, phase: Phase, position: int, title: str, *, done: bool = False, owner: str = "",
             due_date: dt.date | None = None, notes: str = "", done_at: dt.datetime | None = None,
             id: int | None = None, version: int = 0) -> tuple:  # noqa: A002
    """A `checklist_items` row as `ChecklistRepo._insert_item` writes it."""
    return (id, plan_id, phase.value, position, title, int(done), owner, _iso(due_date), notes,
            _stamp(done_at), version)


# The other copies of a shared item, in the open plans of its campaign (none when the item
# is its application's own, or its plan has ended).
_COPIES = """SELECT c.id FROM checklist_items i JOIN plans p ON p.id = i.plan_id
             JOIN plans q ON q.campaign_id = p.campaign_id AND q.completed_on IS NULL AND q.closed_on IS NULL
             JOIN checklist_items c ON c.plan_id = q.id AND c.phase = i.phase AND c.shared_key = i.shared_key
             WHERE i.id = ? AND i.shared_key IS NOT NULL AND c.id != i.id
               AND p.completed_on IS NULL AND p.closed_on IS NULL ORDER BY q.id"""


@dataclass(frozen=True)
class SharedChecklist:
    """What a plan's campaign shares of its checklist: how many open plans share it, and for
    each shared item of the plan, every open plan's copy (application, done, owner, due
    date, notes)."""

    applications: int = 0
    copies: dict[int, list[tuple[str, bool, str, str, str]]] = field(default_factory=dict)


@dataclass(frozen=True)
class SharedCopy:
    """A copy of a checklist item as deleted, to be put back with its mark."""

    item: ChecklistItem
    shared_key: str | None


class ChecklistRepo(DatabaseCore):
    @staticmethod
    def _insert_item(db: Database, row: tuple) -> int:
        """The one write of a new `checklist_items` row (see `item_row`); returns its id."""
        return _inserted_id(db.conn.execute(
            """INSERT INTO checklist_items (id, plan_id, phase, position, title, done, owner,
                   due_date, notes, done_at, version) VALUES (?,?,?,?,?,?,?,?,?,?,?)""", row))

    @staticmethod
    def _item(row: dict[str, Any]) -> ChecklistItem:
        from ...domain.models import ChecklistItem

        return ChecklistItem(
            id=row["id"], plan_id=row["plan_id"], phase=Phase(row["phase"]),
            position=row["position"], title=row["title"], done=bool(row["done"]),
            owner=row["owner"], due_date=_date(row["due_date"]), notes=row["notes"],
            done_at=dt.datetime.fromisoformat(row["done_at"]) if row["done_at"] else None,
            version=row["version"],
        )

    def item(self, item_id: int) -> ChecklistItem:
        rows = self._rows("SELECT * FROM checklist_items WHERE id = ?", [item_id])
        if not rows:
            raise NotFoundError(f"checklist item {item_id} no longer exists.")
        return self._item(rows[0])

    def add_item(self, plan_id: int, phase: Phase, title: str, **fields: Any) -> ChecklistItem:
        """Add an item at the end of the phase; in a phase the plan's campaign shares (and the
        plan open), to every open plan of the campaign, all marked as one shared item."""
        from ...domain.checklists import is_shared_phase, own_key
        from ...domain.models import ChecklistItem

        item = ChecklistItem(plan_id=plan_id, phase=phase, title=title, **fields)
        with self._edit() as db:
            plan_ids = [plan_id]
            if is_shared_phase(phase):
                plan_ids += [row[0] for row in db.execute(
                    """SELECT q.id FROM plans p JOIN plans q ON q.campaign_id = p.campaign_id AND q.id != p.id
                       AND q.completed_on IS NULL AND q.closed_on IS NULL
                       WHERE p.id = ? AND p.completed_on IS NULL AND p.closed_on IS NULL ORDER BY q.id""",
                    [plan_id])]
            ids = []
            for plan in plan_ids:
                position = db.execute(
                    "SELECT COALESCE(MAX(position) + 1, 0) FROM checklist_items WHERE plan_id = ? AND phase = ?",
                    [plan, phase.value],
                ).fetchone()[0]
                ids.append(self._insert_item(db, item_row(
                    plan, phase, position, item.title, owner=item.owner, due_date=item.due_date, notes=item.notes)))
            if self._in_campaign(db, plan_id, phase):
                db.conn.executemany("UPDATE checklist_items SET shared_key = ? WHERE id = ?",
                                    [(own_key(ids[0]), item_id) for item_id in ids])
        return self.item(ids[0])

    @staticmethod
    def _in_campaign(db: Database, plan_id: int, phase: Phase) -> bool:
        """An open plan of a campaign, in a phase the campaign shares (it may be its only plan)."""
        from ...domain.checklists import is_shared_phase

        return is_shared_phase(phase) and db.execute(
            """SELECT 1 FROM plans WHERE id = ? AND campaign_id IS NOT NULL AND completed_on IS NULL
               AND closed_on IS NULL""", [plan_id]).fetchone() is not None

    def copies(self, item_id: int) -> list[int]:
        """The ids of the other copies of a shared item that an edit of it changes."""
        return [row[0] for row in self.conn.execute(_COPIES, [item_id])]

    def shared_checklist(self, plan_id: int) -> SharedChecklist:
        """Which of the plan's items its campaign shares, with its other open plans' copies."""
        row = self.conn.execute(
            """SELECT count(q.id) FROM plans p JOIN plans q ON q.campaign_id = p.campaign_id
               AND q.completed_on IS NULL AND q.closed_on IS NULL
               WHERE p.id = ? AND p.completed_on IS NULL AND p.closed_on IS NULL""", [plan_id]).fetchone()
        copies: dict[int, list[tuple[str, bool, str, str, str]]] = {}
        for item_id, app, done, owner, due, notes in self.conn.execute(
                """SELECT i.id, a.name, c.done, c.owner, coalesce(c.due_date, ''), c.notes
                   FROM checklist_items i JOIN plans p ON p.id = i.plan_id
                   JOIN plans q ON q.campaign_id = p.campaign_id AND q.completed_on IS NULL AND q.closed_on IS NULL
                   JOIN checklist_items c ON c.plan_id = q.id AND c.phase = i.phase AND c.shared_key = i.shared_key
                   JOIN applications a ON a.id = q.app_id
                   WHERE i.plan_id = ? AND i.shared_key IS NOT NULL
                     AND p.completed_on IS NULL AND p.closed_on IS NULL ORDER BY i.id, a.name""", [plan_id]):
            copies.setdefault(item_id, []).append((app, bool(done), owner, due, notes))
        return SharedChecklist(row[0] if row else 0, copies)

    def items_by_id(self, item_ids: list[int]) -> list[ChecklistItem]:
        return [self.item(item_id) for item_id in item_ids]

    def put_items(self, items: list[ChecklistItem]) -> None:
        """Write each item's fields as given (undo and redo of a shared edit: each copy as it
        was), its version bumped."""
        with self._edit() as db:
            db.conn.executemany(
                """UPDATE checklist_items SET title=?, owner=?, due_date=?, notes=?, done=?, done_at=?,
                       version = version + 1 WHERE id = ?""",
                [(i.title, i.owner, _iso(i.due_date), i.notes, int(i.done), _stamp(i.done_at), saved_id(i))
                 for i in items])

    def delete_shared(self, item_id: int) -> list[SharedCopy]:
        """Delete an item and its copies in the campaign's open plans; returns them all (the
        item first) for `restore_shared`."""
        ids = [item_id, *self.copies(item_id)]
        found = [SharedCopy(self.item(i), self.conn.execute(
            "SELECT shared_key FROM checklist_items WHERE id = ?", [i]).fetchone()[0]) for i in ids]
        with self._edit() as db:
            db.conn.executemany("DELETE FROM checklist_items WHERE id = ?", [(i,) for i in ids])
        return found

    def restore_shared(self, copies: list[SharedCopy]) -> None:
        with self._edit() as db:
            for copy in copies:
                item = copy.item
                self._insert_item(db, item_row(
                    plan_of(item), item.phase, item.position, item.title, done=item.done, owner=item.owner,
                    due_date=item.due_date, notes=item.notes, done_at=item.done_at, id=item.id,
                    version=item.version + 1))
                if copy.shared_key is not None:
                    db.execute("UPDATE checklist_items SET shared_key = ? WHERE id = ?", [copy.shared_key, item.id])

    def update_item(self, item: ChecklistItem) -> ChecklistItem:
        """Save an edit made to `item` as read (its version); refuse if it changed since."""
        item_id = saved_id(item)
        with self._edit() as db:
            cursor = db.execute(
                """UPDATE checklist_items SET title=?, owner=?, due_date=?, notes=?, done=?, done_at=?,
                       version = version + 1
                   WHERE id = ? AND version = ?""",
                [item.title, item.owner, _iso(item.due_date), item.notes, int(item.done),
                 _stamp(item.done_at), item_id,
                 item.version],
            )
            if cursor.rowcount == 0:
                self._explain_lost_update("checklist_items", item_id, f"checklist item {item.title!r}")
            copies = [row[0] for row in db.execute(_COPIES, [item_id])]
            if copies:
                db.conn.executemany(
                    """UPDATE checklist_items SET title=?, owner=?, due_date=?, notes=?, done=?, done_at=?,
                           version = version + 1 WHERE id = ?""",
                    [(item.title, item.owner, _iso(item.due_date), item.notes, int(item.done),
                      _stamp(item.done_at), copy) for copy in copies])
        return self.item(item_id)

    def toggle_item(self, item_id: int) -> ChecklistItem:
        item = self.item(item_id)
        done = not item.done
        updated = item.model_copy(update={
            "done": done,
            "done_at": dt.datetime.now(dt.UTC).replace(microsecond=0) if done else None,
        })
        return self.update_item(updated)

    def delete_item(self, item_id: int) -> ChecklistItem:
        """Delete and return the item, so the caller can offer undo via restore_item."""
        item = self.item(item_id)
        with self._edit() as db:
            db.execute("DELETE FROM checklist_items WHERE id = ?", [item_id])
        return item

    def restore_item(self, item: ChecklistItem) -> None:
        with self._edit() as db:
            self._insert_item(db, item_row(
                plan_of(item), item.phase, item.position, item.title, done=item.done, owner=item.owner,
                due_date=item.due_date, notes=item.notes, done_at=item.done_at, id=item.id,
                version=item.version + 1))

    def move_item(self, item_id: int, offset: int) -> int:
        """Move an item up (negative) or down within its phase, its copies in the campaign's
        open plans as far in theirs; returns how far it moved (less than asked at either end
        of the list)."""
        with self._edit():
            copies = self.copies(item_id)
            moved = self._move_one(item_id, offset)
            for copy in copies:
                self._move_one(copy, moved)
        return moved

    def _move_one(self, item_id: int, offset: int) -> int:
        item = self.item(item_id)
        siblings = [
            row[0]
            for row in self.conn.execute(
                "SELECT id FROM checklist_items WHERE plan_id = ? AND phase = ? ORDER BY position, id",
                [item.plan_id, item.phase.value],
            )
        ]
        index = siblings.index(item_id)
        target = min(max(index + offset, 0), len(siblings) - 1)
        if target == index:
            return 0
        siblings.insert(target, siblings.pop(index))
        with self._edit() as db:
            db.conn.executemany(
                "UPDATE checklist_items SET position = ? WHERE id = ?",
                [(position, sibling) for position, sibling in enumerate(siblings)],
            )
        return target - index


def share_items(db: Database, campaign_id: int) -> int:
    """Inside an edit, after plans joined a campaign with checklists of their own (an import):
    an Assess, Research or Test item of an open plan joins the campaign's shared item of the
    same phase and title its plan has no copy of, and items every open plan has one of (by
    phase and title) become shared (domain/checklists.shared_keys). Nothing else changes;
    copies that recorded different things keep them. Returns how many items were marked."""
    from ...domain.checklists import SHARED_PHASES, shared_keys

    phases = [phase.value for phase in SHARED_PHASES]
    rows = db.execute(
        f"""SELECT i.id, i.plan_id, i.phase, i.title, i.shared_key FROM checklist_items i
            JOIN plans p ON p.id = i.plan_id
            WHERE p.campaign_id = ? AND p.completed_on IS NULL AND p.closed_on IS NULL
              AND i.phase IN ({", ".join("?" for _ in phases)}) ORDER BY i.id""", [campaign_id, *phases]).fetchall()
    plan_ids = {row[0] for row in db.execute(
        "SELECT id FROM plans WHERE campaign_id = ? AND completed_on IS NULL AND closed_on IS NULL", [campaign_id])}
    groups: dict[tuple[str, str], str] = {}  # (phase, title) of a shared item -> its key
    has: set[tuple[int, str, str]] = set()  # (plan, phase, key)
    for _, plan_id, phase, title, key in rows:
        if key is not None:
            groups.setdefault((phase, title), key)
            has.add((plan_id, phase, key))
    keys: dict[int, str] = {}
    for item_id, plan_id, phase, title, key in rows:
        found = groups.get((phase, title))
        if key is None and found is not None and (plan_id, phase, found) not in has:
            keys[item_id] = found
            has.add((plan_id, phase, found))
    keys.update(shared_keys([(r[0], r[1], r[2], r[3]) for r in rows if r[4] is None and r[0] not in keys],
                            plan_ids))
    marks = [(key, item_id) for item_id, key in sorted(keys.items())]
    # Marking items shared is no change a person made (as in migration 0014): an import of
    # thousands of plans marks them without an audit row each (their insert is audited).
    trigger = db.execute("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?",
                         ["audit_checklist_items_update"]).fetchone() if len(marks) > SHARE_QUIETLY else None
    if trigger is not None:
        db.execute("DROP TRIGGER audit_checklist_items_update")
    try:
        db.conn.executemany("UPDATE checklist_items SET shared_key = ? WHERE id = ?", marks)
    finally:
        if trigger is not None:
            db.execute(trigger[0])
    return len(keys)


SHARE_QUIETLY = 1000  # marks beyond which share_items writes no audit row per item


def join_shared_checklists(conn: sqlite3.Connection, before: int) -> None:
    """Inside an edit, once plans after id `before` are made with the default checklist:
    those joining a campaign that has open plans already take its shared checklist as it is
    (owners, dates, notes, what is ticked in Research and Test; items it added; none it
    deleted), copied from its first open plan. Assess items start open for the newcomer: the
    campaign's assessment has yet to cover it (its callers, its baseline); the other plans
    keep theirs, shown as differing until an item is ticked for all. One statement per
    table and campaign, only for campaigns that had plans."""
    for campaign_id, source in conn.execute(
            """SELECT c.id, (SELECT min(q.id) FROM plans q WHERE q.campaign_id = c.id AND q.id <= ?
                             AND q.completed_on IS NULL AND q.closed_on IS NULL)
               FROM campaigns c WHERE c.id IN (SELECT DISTINCT campaign_id FROM plans WHERE id > ?)""",
            [before, before]).fetchall():
        if source is None:
            continue
        joining = "SELECT id FROM plans WHERE campaign_id = ? AND id > ?"
        copy = "FROM checklist_items c WHERE c.plan_id = ? AND c.phase = n.phase AND c.shared_key = n.shared_key"
        conn.execute(
            f"""DELETE FROM checklist_items AS n WHERE n.plan_id IN ({joining}) AND n.shared_key IS NOT NULL
                AND NOT EXISTS (SELECT 1 {copy})""", [campaign_id, before, source])
        conn.execute(
            f"""UPDATE checklist_items AS n SET (title, done, owner, due_date, notes, done_at, position) =
                    (SELECT c.title, c.done AND c.phase != ?, c.owner, c.due_date, c.notes,
                            CASE WHEN c.phase != ? THEN c.done_at END, c.position {copy})
                WHERE n.plan_id IN ({joining}) AND n.shared_key IS NOT NULL""",
            [Phase.ASSESS.value, Phase.ASSESS.value, source, campaign_id, before])
        conn.execute(
            f"""INSERT INTO checklist_items (plan_id, phase, position, title, done, owner, due_date, notes,
                    done_at, version, shared_key)
                SELECT p.id, c.phase, c.position, c.title, c.done AND c.phase != ?, c.owner, c.due_date, c.notes,
                       CASE WHEN c.phase != ? THEN c.done_at END, 0, c.shared_key
                FROM ({joining}) p CROSS JOIN checklist_items c
                WHERE c.plan_id = ? AND c.shared_key IS NOT NULL AND NOT EXISTS (
                    SELECT 1 FROM checklist_items n WHERE n.plan_id = p.id AND n.phase = c.phase
                    AND n.shared_key = c.shared_key)
                ORDER BY p.id, c.phase, c.position""",
            [Phase.ASSESS.value, Phase.ASSESS.value, campaign_id, before, source])
