"""Migration 0015: evaluations recorded once per candidate at campaign level."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .audit import ACTOR_SQL, _audit_triggers
from .registry import migrations

if TYPE_CHECKING:
    from sqlite_utils import Database


@migrations(name="0015_campaign_evaluations")
def campaign_evaluations(db: Database) -> None:
    """One row per candidate and metric of a campaign, measured once for all its applications
    (each reads it against its own thresholds: domain/evaluations.py). Plans' own test
    results stay as they are. Audited like every table of user data."""
    db.execute(
        """
        CREATE TABLE campaign_evaluations (
            id INTEGER PRIMARY KEY,
            campaign_id INTEGER NOT NULL REFERENCES campaigns(id),
            candidate_model_id TEXT NOT NULL,
            metric TEXT NOT NULL,
            value REAL NOT NULL,
            higher_is_better INTEGER NOT NULL DEFAULT 1,
            notes TEXT NOT NULL DEFAULT '',
            recorded_on TEXT,
            version INTEGER NOT NULL DEFAULT 0
        )"""
    )
    db.execute("CREATE INDEX campaign_evaluations_campaign ON campaign_evaluations(campaign_id, candidate_model_id)")
    _audit_triggers(db, "campaign_evaluations", ACTOR_SQL)
