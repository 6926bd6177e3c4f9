"""Ids of saved records.

A record of the domain (application, dependency, plan, checklist item, workspace record)
has `id` None until its row is saved; everything read from a project has one. Code that
needs the id of a record it read asks `saved_id`, which says so plainly when the record was
never saved instead of passing None on to a query that would match nothing. Records that
belong to a plan are placed in it by `plan_of` the same way.
"""

from __future__ import annotations

from typing import Protocol


class _Saved(Protocol):
    @property
    def id(self) -> int | None: ...


class _OfPlan(Protocol):
    @property
    def plan_id(self) -> int | None: ...


class UnsavedError(ValueError):
    """A record that has no row yet was used where only a saved one will do (a bug, never
    something a user did)."""


def saved_id(record: _Saved) -> int:
    """The id of a record read from the project."""
    if record.id is None:
        raise UnsavedError(f"this {type(record).__name__} has not been saved: it has no id yet.")
    return record.id


def plan_of(record: _OfPlan) -> int:
    """The plan a checklist item or workspace record belongs to."""
    if record.plan_id is None:
        raise UnsavedError(f"this {type(record).__name__} belongs to no plan yet.")
    return record.plan_id
