"""Named, ordered schema migrations. Never edit a released migration: add a new one.

sqlite-utils applies them (registry.py). One module per group of steps, imported here in
order: each registers its migrations as it is imported.
"""

from __future__ import annotations

from .audit import ACTOR_SQL, AUDITED, AUDITED_BEFORE_0012, _audit_triggers
from .registry import MIGRATION_SET, MIGRATIONS, apply_migrations, known_migrations, migrations
from .steps_0001_0004 import aws_sync, calendar_exports, initial, phase_workspace
from .steps_0005_0008 import audit_log, item_counts, plan_schedules, row_versions
from .steps_0009_0011 import actor_in_meta, lifecycle_groups, plan_closure
from .steps_0012 import campaigns
from .steps_0013 import retired_without_a_date
from .steps_0014 import shared_checklists
from .steps_0015 import campaign_evaluations
from .steps_0016 import discovered_model_variants
from .steps_0017 import accounts
from .steps_0018 import late_index, overview_indexes, standings_on_read
from .steps_0020 import code_findings
from .steps_0021 import callers
from .steps_0022 import dashboard_counts
from .steps_0023 import code_findings_triage
from .steps_0024 import callers_dismissed

__all__ = [
    "ACTOR_SQL", "AUDITED", "AUDITED_BEFORE_0012", "MIGRATIONS", "MIGRATION_SET", "_audit_triggers", "actor_in_meta",
    "apply_migrations", "audit_log", "aws_sync", "calendar_exports", "campaigns", "initial", "item_counts",
    "known_migrations", "lifecycle_groups", "migrations", "phase_workspace", "plan_closure", "plan_schedules",
    "retired_without_a_date", "row_versions",
    "code_findings",
    "callers",
    "dashboard_counts",
    "code_findings_triage",
    "callers_dismissed",
    "discovered_model_variants",
    "accounts",
    "standings_on_read",
    "overview_indexes",
    "late_index",
    "shared_checklists",
    "campaign_evaluations",
]
