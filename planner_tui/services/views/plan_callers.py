"""Who calls the plan's model (CloudTrail, read by `sync`), as the plan's Assess phase and
`plans show` list them: the callers of this one model, those accepted into the plan's own
application first, then the other applications of its campaign (every application with a
plan on the model), then other applications, then the unassigned ones.

Read for this model only (the plan screen opens fast): its callers, the campaign's
applications by name, the model's lifecycle per Region; no whole-project list."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .callers import CallerLine, lines_of

if TYPE_CHECKING:
    from ...domain.models import Dependency
    from ...persistence.repos.callers import CallerScanRow
    from ...persistence.store import ProjectStore

@dataclass(frozen=True)
class PlanCallers:
    model_id: str = ""
    lines: list[CallerLine] = field(default_factory=list)  # in the order shown (see the module)
    app_id: int | None = None  # the plan's own application
    campaign_app_ids: frozenset[int] = frozenset()  # the applications with a plan on the model
    scanned: bool = False  # CloudTrail was read (for any account and Region)
    unread_regions: tuple[str, ...] = ()  # where the application calls the model and no sync read CloudTrail

    @property
    def shown(self) -> bool:
        """Nothing is said of callers until a sync has read CloudTrail (or callers exist)."""
        return self.scanned or bool(self.lines)

    def group(self, line: CallerLine) -> int:
        """0 the plan's application, 1 another of the campaign's, 2 another application, 3 none."""
        app_id = line.caller.app_id
        if app_id is None:
            return 3
        if app_id == self.app_id:
            return 0
        return 1 if app_id in self.campaign_app_ids else 2

    def in_campaign(self, line: CallerLine) -> bool:
        return self.group(line) < 2

    @property
    def unassigned(self) -> list[CallerLine]:
        """Callers no application accepted and nobody dismissed: still to be placed."""
        return [line for line in self.lines if line.caller.app_id is None and not line.caller.dismissed]

    @property
    def dismissed(self) -> list[CallerLine]:
        return [line for line in self.lines if line.caller.app_id is None and line.caller.dismissed]

    @staticmethod
    def key(line: CallerLine) -> str:
        """How `discovered accept` names the caller."""
        return line.key

    def summary(self) -> str:
        """'3 callers: 1 in this campaign's applications, 2 unassigned'."""
        count = len(self.lines)
        if not count:
            if self.unread_regions:
                return f"No caller found: CloudTrail was not read in {', '.join(self.unread_regions)} yet."
            return "No caller of this model in what CloudTrail kept (90 days)."
        ours = sum(self.in_campaign(line) for line in self.lines)
        unassigned, dismissed = len(self.unassigned), len(self.dismissed)
        parts = [f"{ours} in this campaign's applications" if ours else "none in this campaign's applications"]
        if others := count - ours - unassigned - dismissed:
            parts.append(f"{others} in other applications")
        if unassigned:
            parts.append(f"{unassigned} unassigned")
        if dismissed:
            parts.append(f"{dismissed} dismissed")
        return f"{count} caller{'s' * (count != 1)}: " + ", ".join(parts)

    def as_json(self) -> dict[str, Any]:
        return {"scanned": self.scanned, "unread_regions": list(self.unread_regions),
                "callers": [line.as_json() | {"key": self.key(line), "account": line.account, "flag": line.flag,
                                              "this_campaign": self.in_campaign(line)}
                            for line in self.lines]}


def plan_callers(store: ProjectStore, app_id: int, model_id: str, today: dt.date,
                 dependencies: list[Dependency]) -> PlanCallers:
    """The callers of `model_id` (its ID, a profile of it, or as written), ordered for the plan;
    `dependencies`: the application's on the model."""
    callers = store.callers(model_id)
    scans = store.caller_scans()
    unread = _unread_regions(dependencies, scans) if scans else ()
    if not callers:
        return PlanCallers(model_id, app_id=app_id, scanned=bool(scans), unread_regions=unread)
    campaign = {m.app_id: m.app_name for m in store.campaign_members(model_id)}
    names = dict(campaign)
    for caller in callers:  # accepted into an application without a plan on the model: rare
        if caller.app_id is not None and caller.app_id not in names:
            names[caller.app_id] = store.application(caller.app_id).name
    lines = lines_of(store, today, callers, names)
    view = PlanCallers(model_id, app_id=app_id, campaign_app_ids=frozenset(campaign), scanned=True)
    # stable: within a group, as stored (the most calls first)
    lines.sort(key=lambda line: (view.group(line), line.app_name.casefold() if line.app_name else ""))
    return PlanCallers(model_id, lines, app_id, frozenset(campaign), True, unread)


def _unread_regions(dependencies: list[Dependency], scans: list[CallerScanRow]) -> tuple[str, ...]:
    """The Regions (in an account, where the dependency names one) where the application calls
    the model and no sync has read CloudTrail: 'no caller' would claim what nobody looked at."""
    read = {(scan.account_id, scan.region) for scan in scans}
    read_regions = {region for _, region in read}
    unread = {d.region for d in dependencies
              if ((d.account_id, d.region) not in read if d.account_id else d.region not in read_regions)}
    return tuple(sorted(unread))
