"""The audit trail of user data and the history of vendor dates (read only)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..db import DatabaseCore

if TYPE_CHECKING:
    from ...domain.audit import AuditEntry


class HistoryRepo(DatabaseCore):
    def audit_trail(self, plan_id: int | None = None, app_id: int | None = None,
                    limit: int | None = None) -> list[AuditEntry]:
        """Changes to user data, newest first; for a plan, its own rows only."""
        from ...domain.audit import AuditEntry

        clauses, params = [], []
        if plan_id is not None:
            clauses.append("plan_id = ?")
            params.append(plan_id)
        if app_id is not None:
            clauses.append("app_id = ?")
            params.append(app_id)
        where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
        tail = f"LIMIT {int(limit)}" if limit else ""
        return [AuditEntry.from_row(r) for r in self._rows(
            f"SELECT * FROM audit_log {where} ORDER BY id DESC {tail}", params)]

    def vendor_changes(self, limit: int | None = None) -> list[dict[str, Any]]:
        tail = f"LIMIT {int(limit)}" if limit else ""
        return self._rows(f"SELECT * FROM lifecycle_history ORDER BY id DESC {tail}")
