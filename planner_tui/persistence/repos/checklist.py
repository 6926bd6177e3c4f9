"""Checklist items of plans: add, edit, tick, move, delete and restore (for undo)."""

from __future__ import annotations

import datetime as dt
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
        from ...domain.models import ChecklistItem

        item = ChecklistItem(plan_id=plan_id, phase=phase, title=title, **fields)
        with self._edit() as db:
            position = db.execute(
                "SELECT COALESCE(MAX(position) + 1, 0) FROM checklist_items WHERE plan_id = ? AND phase = ?",
                [plan_id, phase.value],
            ).fetchone()[0]
            item_id = self._insert_item(db, item_row(
                plan_id, phase, position, item.title, owner=item.owner, due_date=item.due_date, notes=item.notes))
        return self.item(item_id)

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
        """Move an item up (negative) or down within its phase; returns how far it moved
        (less than asked at either end of the list)."""
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
