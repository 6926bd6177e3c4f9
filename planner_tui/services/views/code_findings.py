"""What the plan shows of the code: every place the application's code names the plan's
model (recorded by `scan PATH --app APP`), open ones first, resolved ones marked; and the
files the Update phase's "swap the model ID in code" item has left to change."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import TYPE_CHECKING, Any

from ...persistence.repos.code_findings import CodeFindingRow, CodeScanRow

if TYPE_CHECKING:
    from ...persistence.store import ProjectStore

# The Update item the files belong to (domain/checklists.py's default Update checklist).
SWAP_ITEM_PREFIX = "Swap the model ID"


@dataclass(frozen=True)
class PlanCodeFindings:
    places: list[CodeFindingRow] = field(default_factory=list)  # open first, then resolved
    scans: list[CodeScanRow] = field(default_factory=list)  # the application's scanned folders

    @property
    def scanned(self) -> bool:
        return bool(self.scans)

    @property
    def open_places(self) -> list[CodeFindingRow]:
        return [p for p in self.places if not p.resolved]

    @property
    def resolved_places(self) -> list[CodeFindingRow]:
        return [p for p in self.places if p.resolved]

    def path(self, place: CodeFindingRow) -> str:
        """The file as shown: relative to its folder, the folder's name first when the
        application has several scanned folders."""
        if len({s.root for s in self.scans} | {place.root}) > 1:
            return f"{PurePath(place.root).name}/{place.reference.file}"
        return place.reference.file

    def where(self, place: CodeFindingRow) -> str:
        return f"{self.path(place)}:{place.reference.line}:{place.reference.column}"

    @property
    def files(self) -> list[tuple[str, int]]:
        """Files with places still to change, with how many each."""
        counts = Counter(self.path(p) for p in self.open_places)
        return sorted(counts.items())

    @property
    def last_scanned(self) -> dt.date | None:
        return max((s.scanned_on for s in self.scans), default=None)

    def summary(self) -> str:
        """One line: how many places in how many files, how many resolved, when scanned."""
        if not self.scanned:
            return "Not scanned yet: 'planner-tui scan PATH --app NAME' records where the code names this model."
        open_count, files = len(self.open_places), len(self.files)
        text = (f"{open_count} place{'s' * (open_count != 1)} in {files} file{'s' * (files != 1)} "
                if open_count else "No place left in the code ")
        resolved = len(self.resolved_places)
        if resolved:
            text += f"({resolved} resolved) "
        return text + f"· last scan {self.last_scanned}"

    def as_json(self) -> dict[str, Any]:
        return {
            "scanned": [{"root": s.root, "scanned_on": s.scanned_on.isoformat(), "files_read": s.files_read,
                         "source": s.source} for s in self.scans],
            "files_to_change": [{"file": name, "places": count} for name, count in self.files],
            "places": [{"root": p.root, "file": p.reference.file, "line": p.reference.line,
                        "column": p.reference.column, "matched": p.reference.matched,
                        "model_id": p.reference.model_id, "profile_id": p.reference.profile_id,
                        "status": p.reference.status, "severity": p.reference.severity,
                        "first_seen": p.first_seen.isoformat(), "last_seen": p.last_seen.isoformat(),
                        "resolved_on": p.resolved_on.isoformat() if p.resolved_on else None}
                       for p in self.places],
        }


def plan_code_findings(store: ProjectStore, app_id: int, model_id: str) -> PlanCodeFindings:
    """The application's recorded places naming `model_id` (a profile counts for its model)."""
    return PlanCodeFindings(store.code_findings(app_id, model_id), store.code_scans(app_id))
