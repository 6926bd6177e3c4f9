"""Checklist items: add, edit, tick, move, delete (and put back).

An item of a checklist its campaign shares (Assess, Research, Test) is changed in every open
plan of the campaign (persistence/repos/checklist.py); undo puts each copy back as it was,
so copies that differed before keep what they had."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from ...domain.eol_checks import item_after_eol
from ...domain.ids import saved_id
from . import Change, checked
from .plans import plan_eol

if TYPE_CHECKING:
    from ...domain.models import ChecklistItem
    from ...domain.vocabulary import Phase
    from ...persistence.repos.checklist import SharedCopy
    from ...persistence.store import ProjectStore


def _eol_note(store: ProjectStore, item: ChecklistItem, today: dt.date | None) -> str:
    if today is None or item.done or item.plan_id is None:
        return ""
    warning = item_after_eol(item.due_date, plan_eol(store, item.plan_id, today))
    return f"'{item.title}' is {warning}." if warning else ""


def add_item(store: ProjectStore, plan_id: int, phase: Phase, title: str, *, owner: str = "",
             due_date: dt.date | None = None, notes: str = "", today: dt.date | None = None) -> Change:
    from ...domain.models import ChecklistItem

    wanted = checked(ChecklistItem.model_construct(
        plan_id=plan_id, phase=phase, title=title, owner=owner, due_date=due_date, notes=notes))
    title, owner, due_date, notes = wanted.title, wanted.owner, wanted.due_date, wanted.notes
    item = store.add_item(plan_id, phase, title, owner=owner, due_date=due_date, notes=notes)
    return Change(f"adding '{item.title}'", item, lambda: delete_item(store, saved_id(item)),
                  _eol_note(store, item, today))


_EDITED = ("title", "owner", "due_date", "notes", "done")


def edit_item(store: ProjectStore, edited: ChecklistItem, today: dt.date | None = None, *,
              check: bool = True) -> Change:
    """Save `edited` (as read, with its version); refused if the item changed since. Taking
    it back (or redoing it) saves what was there, checked once already or read back."""
    edited = checked(edited) if check else edited
    ids = [saved_id(edited), *store.copies(saved_id(edited))]
    if len(ids) > 1:
        before_all = store.items_by_id(ids)
        saved = store.update_item(edited)
        return Change(f"editing '{before_all[0].title}'{_shared(ids)}", saved,
                      lambda: _set_all(store, store.items_by_id(ids), before_all, today),
                      _eol_note(store, saved, today))
    before = store.item(saved_id(edited))
    saved = store.update_item(edited)
    return Change(f"editing '{before.title}'", saved, lambda: _put_back(store, saved, before, today),
                  _eol_note(store, saved, today))


def _shared(ids: list[int]) -> str:
    return f" (shared by {len(ids)} applications)" if len(ids) > 1 else ""


def _set_all(store: ProjectStore, expected: list[ChecklistItem], wanted: list[ChecklistItem],
             today: dt.date | None) -> Change:
    """Undo or redo of a change to a shared item: each copy must still read as the change
    left it; then each is put back as it was."""
    from ...errors import ConflictError

    for item in expected:
        current = store.item(saved_id(item))
        if any(getattr(current, name) != getattr(item, name) for name in _EDITED):
            raise ConflictError(f"checklist item '{current.title}' was changed since; it was left as it is.")
    store.put_items(wanted)
    return Change(f"putting back '{wanted[0].title}'{_shared([saved_id(i) for i in wanted])}", wanted[0],
                  lambda: _set_all(store, store.items_by_id([saved_id(i) for i in wanted]), expected, today))


def _put_back(store: ProjectStore, expected: ChecklistItem, wanted: ChecklistItem,
              today: dt.date | None) -> Change:
    """Undo or redo of an edit: the item must still read as the edit left it (undo and redo
    of other changes may have put it back meanwhile, with a new version, and that is fine)."""
    current = store.item(saved_id(expected))
    if any(getattr(current, name) != getattr(expected, name) for name in _EDITED):
        from ...errors import ConflictError

        raise ConflictError(f"checklist item '{current.title}' was changed since; it was left as it is.")
    return edit_item(store, wanted.model_copy(update={"version": current.version}), today, check=False)


def toggle_item(store: ProjectStore, item_id: int) -> Change:
    ids = [item_id, *store.copies(item_id)]
    before = store.items_by_id(ids) if len(ids) > 1 else []
    saved = store.toggle_item(item_id)
    verb = "ticking" if saved.done else "unticking"
    if before:
        return Change(f"{verb} '{saved.title}'{_shared(ids)}", saved,
                      lambda: _set_all(store, store.items_by_id(ids), before, None))
    return Change(f"{verb} '{saved.title}'", saved, lambda: toggle_item(store, item_id))


def delete_item(store: ProjectStore, item_id: int) -> Change:
    """Delete an item (a shared one from every open plan of its campaign)."""
    copies = store.delete_shared(item_id)
    item = copies[0].item
    return Change(f"deleting '{item.title}'{_shared([c.item.id or 0 for c in copies])}", item,
                  lambda: _restore_copies(store, copies))


def _restore_copies(store: ProjectStore, copies: list[SharedCopy]) -> Change:
    store.restore_shared(copies)
    item = copies[0].item
    return Change(f"restoring '{item.title}'{_shared([c.item.id or 0 for c in copies])}", item,
                  lambda: delete_item(store, saved_id(item)))


def restore_item(store: ProjectStore, item: ChecklistItem) -> Change:
    """Put a deleted item back as it was, with its id and place."""
    store.restore_item(item)
    return Change(f"restoring '{item.title}'", item, lambda: delete_item(store, saved_id(item)))


def move_item(store: ProjectStore, item_id: int, offset: int) -> Change:
    """Move an item up (negative) or down within its phase; at an end it stays put."""
    moved = store.move_item(item_id, offset)
    title = store.item(item_id).title
    return Change(f"moving '{title}' {'up' if offset < 0 else 'down'}", moved,
                  lambda: move_item(store, item_id, -moved))
