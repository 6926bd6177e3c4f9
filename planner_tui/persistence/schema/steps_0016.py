"""Migration 0016: a discovered resource keeps the model ID as AWS wrote it, and its variant."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .audit import ACTOR_SQL, _audit_triggers
from .registry import migrations

if TYPE_CHECKING:
    from sqlite_utils import Database


@migrations(name="0016_discovered_model_variants")
def discovered_model_variants(db: Database) -> None:
    """`raw_model_id`: the model ID as AWS wrote it (`…-v1:0:200k`, or one the catalog does
    not know); `variant`: what its suffix named ("200k context"). `model_id` stays the
    catalog's base model. The audit triggers list every column: made again."""
    db.execute("ALTER TABLE discovered ADD COLUMN raw_model_id TEXT NOT NULL DEFAULT ''")
    db.execute("ALTER TABLE discovered ADD COLUMN variant TEXT NOT NULL DEFAULT ''")
    db.execute("UPDATE discovered SET raw_model_id = model_id")
    for action in ("insert", "update", "delete"):
        db.execute(f"DROP TRIGGER IF EXISTS audit_discovered_{action}")
    _audit_triggers(db, "discovered", ACTOR_SQL)
