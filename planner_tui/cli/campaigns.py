"""`campaigns list|show|choose|override|follow`: one migration per retiring model, across
every application that uses it (services/campaign_view, services/commands/campaigns)."""

from __future__ import annotations

import argparse
import datetime as dt
from typing import TYPE_CHECKING, Any

from .common import EXIT_OK, Parser, group, id_arg, name_arg, number_arg, text_arg
from .output import plain, print_json, say, show, table, warn

if TYPE_CHECKING:
    from ..persistence.store import ProjectStore
    from ..services.campaign_view import CampaignRow, CampaignView
    from ..services.commands import Change


def register(sub: Any, common: Parser) -> None:
    actions = group(sub, "campaigns", common, "one migration per retiring model: list, show, choose the "
                    "replacement for every application, override it for one, follow it again", "campaigns_command")
    listing = actions.add_parser("list", parents=[common], help="every campaign: applications, decision, "
                                 "overrides, deadlines per Region, worst risk")
    listing.add_argument("--json", action="store_true", help="print JSON")
    listing.set_defaults(handler=cmd_list)

    show_ = actions.add_parser("show", parents=[common], help="one campaign: lifecycle and deadline per Region, "
                               "the decision, candidates, each application's phase, progress, risk and blockers")
    show_.add_argument("model_id", metavar="MODEL_ID")
    show_.add_argument("--json", action="store_true", help="print JSON")
    show_.set_defaults(handler=cmd_show)

    choose = actions.add_parser("choose", parents=[common],
                                help="the replacement for every application without an override")
    choose.add_argument("model_id", metavar="MODEL_ID")
    choose.add_argument("target_id", metavar="TARGET_ID")
    choose.add_argument("--reason", type=text_arg, required=True, metavar="TEXT",
                        help="why this model (recorded with the decision)")
    choose.set_defaults(handler=cmd_choose)

    override = actions.add_parser("override", parents=[common],
                                  help="one application's own replacement, with why")
    override.add_argument("model_id", metavar="MODEL_ID")
    override.add_argument("app", type=name_arg, metavar="APP")
    override.add_argument("target_id", metavar="TARGET_ID")
    override.add_argument("--reason", type=text_arg, required=True, metavar="TEXT",
                          help="why this application differs (another Region, modality or cost)")
    override.set_defaults(handler=cmd_override)

    follow = actions.add_parser("follow", parents=[common],
                                help="drop an application's override: it takes the campaign's decision")
    follow.add_argument("model_id", metavar="MODEL_ID")
    follow.add_argument("app", type=name_arg, metavar="APP", nargs="?")
    follow.add_argument("--all", action="store_true", help="every application with an override (one change)")
    follow.set_defaults(handler=cmd_follow)

    evaluate = actions.add_parser("evaluate", parents=[common],
                                  help="record one metric of a candidate once for every application; each passes "
                                  "or fails it against its own threshold (its plan's test result of that metric)")
    evaluate.add_argument("model_id", metavar="MODEL_ID")
    evaluate.add_argument("candidate_id", metavar="CANDIDATE_ID")
    evaluate.add_argument("metric", type=text_arg, metavar="METRIC")
    evaluate.add_argument("value", type=number_arg, metavar="VALUE")
    evaluate.add_argument("--lower-is-better", action="store_true", help="a lower value is better (latency, cost)")
    evaluate.add_argument("--notes", type=text_arg, metavar="TEXT", help="how it was measured")
    evaluate.set_defaults(handler=cmd_evaluate)

    shift = actions.add_parser("shift", parents=[common], help="every open application's open items of its current "
                               "phase due DAYS later (negative: earlier), as one change")
    shift.add_argument("model_id", metavar="MODEL_ID")
    shift.add_argument("days", type=int_days, metavar="DAYS")
    shift.set_defaults(handler=cmd_shift)

    remove = actions.add_parser("remove-evaluation", parents=[common], help="remove one evaluation (by its id, "
                                "as 'campaigns show' lists it)")
    remove.add_argument("model_id", metavar="MODEL_ID")
    remove.add_argument("evaluation_id", type=id_arg, metavar="EVALUATION_ID")
    remove.set_defaults(handler=cmd_remove_evaluation)


def _row_json(row: CampaignRow) -> dict[str, Any]:
    return {"model_id": row.model_id, "model_name": row.model_name, "applications": row.applications,
            "open_plans": row.open_plans, "target_model_id": row.target_model_id, "target_name": row.target_name,
            "decision_reason": row.decision_reason, "decided_on": row.decided_on, "overrides": row.overrides,
            "earliest_eol": row.earliest_eol, "deadline": row.deadline,
            "deadlines": dict(sorted(row.deadlines.items())),
            "worst_risk": row.worst_risk.value if row.worst_risk else None}


def cmd_list(store: ProjectStore, args: argparse.Namespace, today: dt.date) -> int:
    from ..services.campaign_view import campaign_rows

    rows = campaign_rows(store, today)
    if args.json:
        print_json([_row_json(r) for r in rows])
        return EXIT_OK
    if not rows:
        say("No campaigns: no application uses a model with retirement dates.")
        return EXIT_OK
    show(table(
        ["MODEL", "NAME", "APPS", "OPEN", "DECISION", "OVERRIDES", "EOL", "DEADLINE PER REGION", "RISK"],
        [[r.model_id, r.model_name, r.applications, r.open_plans, r.target_name or "–", r.overrides,
          r.earliest_eol or "", r.deadline_summary, r.worst_risk.value if r.worst_risk else ""] for r in rows]))
    return EXIT_OK


def view_json(view: CampaignView) -> dict[str, Any]:
    campaign = view.campaign
    return {
        "model_id": campaign.model_id, "model_name": view.model_name,
        "decision": None if not campaign.decided else {
            "target_model_id": campaign.target_model_id, "target_name": view.target_name,
            "reason": campaign.decision_reason, "decided_on": campaign.decided_on},
        "deadline": view.deadline,
        "worst_risk": view.worst_risk.value if view.worst_risk else None,
        "regions": [{"region": r.region, "status": r.status.value, "legacy_date": r.legacy_date,
                     "pea_date": r.pea_date, "eol_date": r.eol_date, "deadline": r.deadline,
                     "applications": list(r.applications)} for r in view.regions],
        "applications": [{"plan_id": r.plan_id, "application": r.app_name, "regions": list(r.regions),
                          "state": r.state_label, "open": r.is_open, "progress": round(r.progress, 3),
                          "risk": r.risk.value, "next_due": r.next_due, "deadline": r.deadline,
                          "blockers": list(r.blockers), "target_model_id": r.target_model_id,
                          "follows": r.follows, "override_reason": r.reason or None} for r in view.rows],
        "candidates": [{"model_id": c.model.model_id, "name": c.model.name, "recommended": c.recommended,
                        "own_eol": c.own_eol} for c in view.candidates],
        "evaluations": [{"id": e.id, "candidate_model_id": e.candidate_model_id, "metric": e.metric,
                         "value": e.value, "higher_is_better": e.higher_is_better, "notes": e.notes,
                         "recorded_on": e.recorded_on,
                         "applications": {v.app_name: {"threshold": v.threshold, "result": v.label}
                                          for v in view.verdicts if v.evaluation.id == e.id}}
                        for e in view.evaluations],
        "test_results": view.test_summary,
        "shared_checklist": [{"item_id": line.item_id, "plan_id": line.plan_id, "phase": line.phase.value,
                              "title": line.title, "done": line.done, "owner": line.owner, "due_date": line.due_date,
                              "notes": line.notes, "applications": line.copies,
                              "differences": list(line.differences)} for line in view.shared],
    }


def render(doc: dict[str, Any]) -> str:
    """A campaign as text: header, Regions, decision, applications, overrides, candidates."""
    apps = doc["applications"]
    open_count = sum(a["open"] for a in apps)
    lines = [f"Campaign: {plain(doc['model_name'])} ({plain(doc['model_id'])})",
             f"  {len(apps)} application(s), {open_count} open; deadline {doc['deadline'] or '–'}"
             + (f"; worst risk: {doc['worst_risk']}" if doc["worst_risk"] else "")]
    if doc["regions"]:
        lines += ["", "Regions"] + ["  " + line for line in table(
            ["REGION", "STATUS", "LEGACY", "PEA", "EOL", "DEADLINE", "APPLICATIONS"],
            [[r["region"], r["status"], r["legacy_date"] or "", r["pea_date"] or "", r["eol_date"] or "",
              r["deadline"] or "", ", ".join(r["applications"])] for r in doc["regions"]]).splitlines()]
    decision = doc["decision"]
    followers = [a for a in apps if a["follows"]]
    if decision:
        lines += ["", f"Decision: {plain(decision['target_name'])} ({plain(decision['target_model_id'])})"
                  + (f", decided {decision['decided_on']}" if decision["decided_on"] else ""),
                  f"  {plain(decision['reason'])}",
                  f"  followed by {len(followers)} of {len(apps)} application(s)"]
    else:
        lines += ["", "Decision: none yet ('planner-tui campaigns choose' makes it for every application)"]
    lines += ["", "Applications"] + ["  " + line for line in table(
        ["PLAN", "APPLICATION", "STATE", "DONE", "RISK", "NEXT DUE", "TARGET", "BLOCKERS"],
        [[a["plan_id"], a["application"], a["state"], f"{a['progress']:.0%}", a["risk"], a["next_due"] or "",
          ("campaign" if a["follows"] else f"own: {a['target_model_id'] or '–'}"),
          f"{len(a['blockers'])} open" if a["blockers"] else ""] for a in apps]).splitlines()]
    overrides = [a for a in apps if not a["follows"]]
    if overrides:
        lines += ["", "Overrides"] + [f"  {plain(a['application'])}: {plain(a['target_model_id'] or '–')}: "
                                     f"{plain(a['override_reason'] or '')}" for a in overrides]
    if doc["candidates"]:
        lines += ["", "Candidates (Active in every Region the applications use)"]
        lines += ["  " + line for line in table(
            ["MODEL", "NAME", "OWN EOL", "NAMED BY AWS"],
            [[c["model_id"], c["name"], c["own_eol"] or "", "yes" if c["recommended"] else ""]
             for c in doc["candidates"]]).splitlines()]
    lines += _shared_lines(doc)
    lines += _evaluation_lines(doc)
    return "\n".join(line.rstrip() for line in lines)


def _shared_lines(doc: dict[str, Any]) -> list[str]:
    items = doc["shared_checklist"]
    if not items:
        return []
    done = sum(i["done"] for i in items)
    lines = ["", f"Shared checklist (Assess, Research, Test): {done}/{len(items)} done, shared by "
             f"{max(i['applications'] for i in items)} open application(s); 'items done|edit "
             f"{items[0]['plan_id']} ITEM' changes one for all"]
    lines += ["  " + line for line in table(
        ["ITEM", "PHASE", "", "TITLE", "OWNER", "DUE"],
        [[i["item_id"], i["phase"].capitalize(), "[x]" if i["done"] else "[ ]", i["title"], i["owner"],
          i["due_date"] or ""] for i in items]).splitlines()]
    lines += [f"  item {i['item_id']} differs: {plain(d)}" for i in items for d in i["differences"]]
    return lines


def _evaluation_lines(doc: dict[str, Any]) -> list[str]:
    if not doc["evaluations"]:
        return ["", "Evaluations: none yet ('planner-tui campaigns evaluate' records one for every application)"]
    lines = ["", "Evaluations (once per candidate; each application against its own threshold)"]
    lines += ["  " + line for line in table(
        ["ID", "CANDIDATE", "METRIC", "VALUE", "BETTER", "APPLICATIONS"],
        [[e["id"], e["candidate_model_id"], e["metric"], f"{e['value']:g}",
          "higher" if e["higher_is_better"] else "lower",
          "; ".join(f"{app} {r['result']}" + (f" (≥ {r['threshold']:g})" if r["threshold"] is not None
                                              and e["higher_is_better"] else
                                              f" (≤ {r['threshold']:g})" if r["threshold"] is not None else "")
                    for app, r in e["applications"].items()) or "no application has this target"]
         for e in doc["evaluations"]]).splitlines()]
    if doc["test_results"]:
        lines += ["  Per application: " + "; ".join(f"{plain(app)} {result}"
                                                    for app, result in sorted(doc["test_results"].items()))]
    return lines


def cmd_evaluate(store: ProjectStore, args: argparse.Namespace, today: dt.date) -> int:
    from ..services.campaign_view import load_campaign_view
    from ..services.commands.evaluations import record_evaluation
    from .common import apply

    saved = apply(record_evaluation, store, args.model_id, args.candidate_id, args.metric, args.value,
                  higher_is_better=not args.lower_is_better, notes=args.notes or "", today=today).result
    say(f"recorded evaluation {saved.id}: {plain(saved.metric)} of {saved.candidate_model_id} = {saved.value:g}, "
        f"once for the campaign on {args.model_id.strip()}")
    view = load_campaign_view(store, store.campaign_model_of(saved.campaign_id), today,
                              with_candidates=False)
    for verdict in (v for v in (view.verdicts if view else ()) if v.evaluation.id == saved.id):
        bound = "no threshold of its own" if verdict.threshold is None else f"its threshold {verdict.threshold:g}"
        say(f"  {plain(verdict.app_name)}: {verdict.label} ({bound})")
    return EXIT_OK


def int_days(text: str) -> int:
    try:
        return int(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of days (e.g. 7 or -7)") from None


def cmd_shift(store: ProjectStore, args: argparse.Namespace, today: dt.date) -> int:
    from ..services.commands.campaign_bulk import shift_due_dates
    from .common import apply

    change = apply(shift_due_dates, store, args.model_id, args.days, today)
    result = change.result
    say(f"campaign {result.model_id}: {result.items} open item(s) of {', '.join(result.applications)} due "
        f"{abs(result.days)} day(s) {'later' if result.days > 0 else 'earlier'}")
    for warning in result.warnings:
        warn(warning)
    return EXIT_OK


def cmd_remove_evaluation(store: ProjectStore, args: argparse.Namespace, today: dt.date) -> int:
    from ..errors import NotFoundError
    from ..services.commands.campaigns import campaign_model
    from ..services.commands.evaluations import remove_evaluation
    from .common import apply

    model_id = campaign_model(store, args.model_id)
    if args.evaluation_id not in {e.id for e in store.evaluations(model_id)}:
        raise NotFoundError(f"the campaign on {model_id} has no evaluation {args.evaluation_id} "
                            f"(see 'planner-tui campaigns show {model_id}').")
    removed = apply(remove_evaluation, store, args.evaluation_id).result
    say(f"removed evaluation {removed.id}: {plain(removed.metric)} of {removed.candidate_model_id}")
    return EXIT_OK


def cmd_show(store: ProjectStore, args: argparse.Namespace, today: dt.date) -> int:
    from ..services.campaign_view import load_campaign_view
    from ..services.commands.campaigns import campaign_model

    model_id = campaign_model(store, args.model_id)
    view = load_campaign_view(store, model_id, today)
    if view is None:  # its plans went since the name was checked
        from ..errors import NotFoundError

        raise NotFoundError(f"no application has a plan for {model_id}.")
    if args.json:
        print_json(view_json(view))
    else:
        show(render(view_json(view)))
    return EXIT_OK


def _listed(names: tuple[str, ...], limit: int = 5) -> str:
    """'A, B, C, D, E and 53 more'."""
    shown = ", ".join(names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")


def _warnings(change: Change) -> None:
    for warning in change.result.warnings:
        warn(warning)


def cmd_choose(store: ProjectStore, args: argparse.Namespace, today: dt.date) -> int:
    from ..services.commands import campaigns

    change = campaigns.choose(store, args.model_id, args.target_id, args.reason, today)
    result = change.result
    if not result.changed:
        say(f"campaign {result.model_id}: {result.target_model_id} is already its decision; nothing was changed")
    else:
        count = len(result.applied)
        say(f"campaign {result.model_id}: {result.target_model_id} chosen for {count} application"
            f"{'s' if count != 1 else ''} without an override" + (f" ({_listed(result.applied)})" if count else ""))
    for app, target in result.overrides:
        say(f"  {app} keeps its own target ({target or 'none'})")
    for app, target in result.pinned:
        say(f"  {app} is complete and keeps the replacement it moved to ({target})")
    _warnings(change)
    return EXIT_OK


def cmd_override(store: ProjectStore, args: argparse.Namespace, today: dt.date) -> int:
    from ..services.commands import campaigns

    change = campaigns.override(store, args.model_id, args.app, args.target_id, args.reason, today)
    result = change.result
    say(f"campaign {result.model_id}: {result.applied[0]} overrides the decision with {result.target_model_id}")
    campaign = store.campaign(result.model_id)
    if campaign is not None and campaign.target_model_id == result.target_model_id:
        say("  (the campaign's decision too: kept as its own, so a later decision leaves it as it is)")
    _warnings(change)
    return EXIT_OK


def cmd_follow(store: ProjectStore, args: argparse.Namespace, today: dt.date) -> int:
    from ..services.commands import campaigns

    if args.all == (args.app is not None):
        from ..errors import UserInputError

        raise UserInputError("name one application, or give --all for every application with an override.")
    if args.all:
        result = campaigns.follow_all(store, args.model_id, today).result
        say(f"campaign {result.model_id}: {', '.join(result.applied)} follow{'s' if len(result.applied) == 1 else ''}"
            f" its decision again ({result.target_model_id})")
        return EXIT_OK
    result = campaigns.follow_app(store, args.model_id, args.app, today).result
    say(f"campaign {result.model_id}: {result.applied[0]} follows its decision again "
        f"({result.target_model_id or 'none yet'})")
    return EXIT_OK
