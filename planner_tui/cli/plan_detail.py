"""`plans show ID`: one plan in full, as the plan workspace shows it (services/plan_view)."""

from __future__ import annotations

import argparse
import datetime as dt
from typing import TYPE_CHECKING, Any

from ..domain.vocabulary import PHASES
from ..errors import NotFoundError
from .common import EXIT_OK
from .output import plain, print_json, show, table

if TYPE_CHECKING:
    from ..domain.models import ChecklistItem
    from ..persistence.store import ProjectStore
    from ..services.plan_view import PlanView


def cmd_show(store: ProjectStore, args: argparse.Namespace, today: dt.date) -> int:
    from ..services.plan_view import load_plan_view

    view = load_plan_view(store, args.plan_id, today)
    if view is None:
        raise NotFoundError(f"no plan with id {args.plan_id} (see 'planner-tui plans list --all').")
    document = plan_document(view, store.plan_log(args.plan_id))
    if args.json:
        print_json(document)
    else:
        show(render(document))
    return EXIT_OK


def _item(item: ChecklistItem) -> dict[str, Any]:
    return {"id": item.id, "title": item.title, "done": item.done, "owner": item.owner,
            "due_date": item.due_date, "notes": item.notes, "done_at": item.done_at}


def plan_document(view: PlanView, log: list[dict[str, Any]]) -> dict[str, Any]:
    from ..domain.workspace import PHASE_FIELDS

    row, plan, schedule = view.row, view.row.plan, view.row.schedule
    windows = {w.phase: w for w in schedule.phases}
    deadline = schedule.deadline
    has_dates = deadline is not None
    done = sum(i.done for i in plan.items)
    phases = []
    for phase in PHASES:
        items = plan.items_in(phase)
        window = windows[phase]
        phases.append({
            "phase": phase.value, "title": phase.title,
            "start": window.start if has_dates else None, "due": window.due if has_dates else None,
            "done": window.done, "current": plan.is_open and phase is plan.current_phase,
            "items_done": sum(i.done for i in items), "items_total": len(items),
            "items": [_item(i) for i in items],
            "fields": {spec.key: view.fields.get(spec.key, "") for spec in PHASE_FIELDS[phase]},
        })
    return {
        "id": plan.id, "application": plan.app_name, "criticality": row.app.criticality.value,
        "model_id": plan.model_id, "model_name": row.model_name, "regions": view.regions,
        "state": plan.state_label, "open": plan.is_open, "phase": plan.current_phase.value,
        "started_on": plan.started_on, "completed_on": plan.completed_on, "closed_on": plan.closed_on,
        "closed_kind": plan.closed_kind.value if plan.closed_kind else None, "closed_reason": plan.closed_reason,
        "target_model_id": plan.target_model_id, "decision_reason": plan.decision_reason,
        "deadline": deadline.date if deadline else None,
        "deadline_basis": deadline.basis if deadline else None,
        "deadline_set_by_hand": plan.deadline_override is not None,
        "eol": view.eol, "compressed": schedule.compressed, "risk": schedule.risk.value,
        "next_due": schedule.next_due, "urgency": schedule.urgency,
        "progress": {"done": done, "total": len(plan.items), "share": round(plan.progress, 3)},
        "phases": phases,
        "results": [r.model_dump(mode="json") | {"passed": r.passed} for r in view.results],
        "stages": [s.model_dump(mode="json") for s in view.stages],
        "decisions": [d.model_dump(mode="json") for d in view.decisions],
        "candidates": [{"model_id": c.model.model_id, "name": c.model.name, "recommended": c.recommended,
                        "own_eol": c.own_eol} for c in view.candidates],
        "warnings": view.warnings,
        "code": view.code.as_json(),  # where the application's code names the model (scan --app)
        "callers": view.callers.as_json(),  # who calls the model (CloudTrail, read by sync)
        "log": [{"at": e["at"], "event": e["event"], "detail": e["detail"]} for e in log],
    }


def render(doc: dict[str, Any]) -> str:
    """The document as text for a terminal: header, phases with their checklists, records."""
    progress = doc["progress"]
    lines = [
        f"Plan {doc['id']}: {plain(doc['application'])} off {plain(doc['model_name'])} ({plain(doc['model_id'])})",
        f"  state     {doc['state']}" + (f" on {doc['closed_on']}: {plain(doc['closed_reason'])}"
                                         if doc["closed_on"] else ""),
        f"  regions   {plain(', '.join(doc['regions'])) or '–'}",
        f"  deadline  {doc['deadline'] or '–'}" + (f" ({plain(doc['deadline_basis'])})" if doc["deadline"] else "")
        + (", compressed" if doc["compressed"] else ""),
        f"  EOL       {doc['eol'] or '–'}",
        f"  risk      {doc['risk']}" + (f", next due {doc['next_due']}" if doc["next_due"] else ""),
        f"  progress  {progress['done']} of {progress['total']} items ({progress['share']:.0%})",
    ]
    if doc["target_model_id"]:
        lines.append(f"  replacement {plain(doc['target_model_id'])}: {plain(doc['decision_reason'])}")
    lines += [f"  warning: {plain(w)}" for w in doc["warnings"]]
    for phase in doc["phases"]:
        dates = f"{phase['start']} → {phase['due']}" if phase["due"] else "no dates published"
        marker = " ◀ current" if phase["current"] else (" ✓" if phase["done"] else "")
        lines += ["", f"{phase['title']} ({dates}), {phase['items_done']} of {phase['items_total']} done{marker}"]
        if phase["items"]:
            lines += ["  " + line for line in table(
                ["ID", "", "TITLE", "OWNER", "DUE", "NOTES"],
                [[i["id"], "[x]" if i["done"] else "[ ]", i["title"], i["owner"], i["due_date"] or "", i["notes"]]
                 for i in phase["items"]]).splitlines()]
        lines += [f"  {plain(key)}: {plain(value)}" for key, value in phase["fields"].items() if value]
    lines += _records(doc)
    return "\n".join(line.rstrip() for line in lines)


def _records(doc: dict[str, Any]) -> list[str]:
    lines: list[str] = []
    sections = [
        ("Test results", ["METRIC", "BASELINE", "CANDIDATE", "THRESHOLD", "BETTER", "RESULT", "NOTES"],
         [[r["metric"], "" if r["baseline"] is None else r["baseline"], r["candidate"], r["threshold"],
           "higher" if r["higher_is_better"] else "lower", "pass" if r["passed"] else "FAIL", r["notes"]]
          for r in doc["results"]]),
        ("Rollout stages", ["TRAFFIC", "FROM", "TO", "NOTES"],
         [[f"{s['traffic_percent']}%", s["start_date"] or "", s["end_date"] or "", s["notes"]]
          for s in doc["stages"]]),
        ("Decisions", ["DATE", "DECISION", "TRAFFIC", "NOTE"],
         [[d["decided_on"], d["decision"], "" if d["traffic_percent"] is None else f"{d['traffic_percent']}%",
           d["note"]] for d in doc["decisions"]]),
        ("Code (where the application's code names the model; 'scan PATH --app' records it)",
         ["WHERE", "MATCHED", "STATUS", "SEEN", "RESOLVED"],
         [[f"{c['file']}:{c['line']}:{c['column']}", c["matched"], c["status"], c["last_seen"],
           c["resolved_on"] or ""] for c in doc.get("code", {}).get("places", [])]),
        ("Callers (who calls the model, from CloudTrail; unassigned ones by their 'discovered accept' key)",
         ["ID", "ACCOUNT", "REGION", "PRINCIPAL", "CALLS", "LAST CALL", "FLAG", "APPLICATION"],
         [[c["key"] if c["application"] is None else c["id"], c["account"], c["region"], c["principal_arn"],
           f"{c['calls']:,}", c["last_seen"][:10], c["flag"],
           c["application"] or ("dismissed" if c["dismissed"] else "unassigned")]
          for c in doc.get("callers", {}).get("callers", [])]),
        ("Log", ["AT", "EVENT", "DETAIL"], [[e["at"], e["event"], e["detail"]] for e in doc["log"]]),
    ]
    for title, headers, rows in sections:
        if rows:
            lines += ["", title] + ["  " + line for line in table(headers, rows).splitlines()]
    return lines
