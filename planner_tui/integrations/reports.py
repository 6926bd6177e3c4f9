"""Offline reports of the project: Markdown, self-contained HTML (inline SVG), CSV, JSON."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..domain.ids import saved_id
from ..domain.inert import lines as inert_lines
from ..domain.inert import one_line
from ..domain.lifecycle import index_by_region, status_on
from ..domain.models import PHASES, Status
from ..errors import UserInputError
from ..persistence.store import ProjectStore
from ..services import overview
from .files import atomic_write_bytes
from .report_timeline import RISK_COLOURS, text, timeline_svg

__all__ = ["FORMATS", "RISK_COLOURS", "ReportData", "collect", "render_report", "timeline_svg", "write_report"]

FORMATS = ("md", "html", "csv", "json")


@dataclass
class PlanReport:
    row: overview.PlanRow
    fields: dict[str, str]
    tests: list
    stages: list
    decisions: list
    log: list[dict[str, Any]]


@dataclass
class ReportData:
    today: dt.date
    counts: dict[Status, int]
    milestones: list[overview.MilestoneRow]
    timeline: list[overview.TimelineRow]
    plans: list[PlanReport]
    applications: int
    campaigns: list[dict[str, Any]] = field(default_factory=list)  # a section per campaign (_campaigns)


def _plan_report(store: ProjectStore, row: overview.PlanRow) -> PlanReport:
    plan_id = saved_id(row.plan)
    return PlanReport(row=row, fields=store.plan_fields(plan_id), tests=store.test_results(plan_id),
                      stages=store.rollout_stages(plan_id), decisions=store.rollout_decisions(plan_id),
                      log=store.plan_log(plan_id))


def collect(store: ProjectStore, today: dt.date, apps: tuple[str, ...] = (),
            models: tuple[str, ...] = ()) -> ReportData:
    """The report's content. With `apps` and/or `models`, all of it (summary counts,
    milestones and the applications they affect, timeline, plans) is of that selection only:
    the selected applications' dependencies on the selected models."""
    applications = store.applications()
    names = {a.name.lower() for a in applications}
    for app in apps:
        if app.lower() not in names:
            raise UserInputError(f"no application named {app!r}.")
    known = store.model_ids()
    for model in models:
        if model not in known:
            raise UserInputError(f"unknown model ID {model!r}; see 'planner-tui models'.")
    wanted_apps = {a.lower() for a in apps}

    def in_scope(app_name: str, model_id: str) -> bool:
        return (not wanted_apps or app_name.lower() in wanted_apps) and (not models or model_id in models)

    rows = [r for r in overview.plan_rows(store, today, with_items=True)
            if in_scope(r.app.name, r.plan.model_id)]
    milestones = []
    for m in overview.milestone_rows(store, today):
        affected = tuple(a for a in m.affected_apps if in_scope(a, m.milestone.model_id))
        if affected:
            milestones.append(m if affected == m.affected_apps else
                              overview.MilestoneRow(m.milestone, m.model_name, m.days_left, affected))
    selected = bool(apps or models)
    if selected:
        app_names = {a.id: a.name for a in applications}
        uses = [d for d in store.dependencies() if in_scope(app_names[d.app_id], d.model_id)]
        counts = _status_counts(store, uses, today)
        # The named applications, or (for --model alone) those that use one of the models.
        applications = [a for a in applications if a.name.lower() in wanted_apps] if apps else \
            [a for a in applications if any(d.app_id == a.id for d in uses)]
    else:
        counts = dict(overview.dependency_status_counts(store, today))
    return ReportData(
        today=today,
        counts=counts,
        milestones=milestones,
        timeline=overview.timeline_rows(store, today, plans=rows),
        plans=[_plan_report(store, r) for r in rows],
        applications=len(applications),
        campaigns=_campaigns(store, today, rows),
    )


def _campaigns(store: ProjectStore, today: dt.date, rows: list[overview.PlanRow]) -> list[dict[str, Any]]:
    """A section per campaign with plans in the report: its decision, deadline per Region,
    and each application's part (phase, risk, progress, its target and any override)."""
    from ..domain.campaigns import deadline_summary
    from ..services.campaign_view import campaign_rows

    by_model: dict[str, list[overview.PlanRow]] = {}
    for row in rows:
        by_model.setdefault(row.plan.model_id, []).append(row)
    overridden = store.overridden_plans()
    sections = []
    for c in campaign_rows(store, today):
        plans = by_model.get(c.model_id)
        if not plans:
            continue
        sections.append({
            "model_id": c.model_id, "model_name": c.model_name,
            "target_model_id": c.target_model_id, "target_name": c.target_name,
            "decision_reason": c.decision_reason, "decided_on": c.decided_on and c.decided_on.isoformat(),
            "deadlines": {region: day.isoformat() for region, day in sorted(c.deadlines.items())},
            "deadline_summary": deadline_summary(c.deadlines),
            "applications": [
                {"application": r.app.name, "phase": r.plan.current_phase.value if r.plan.is_open
                 else "complete" if r.plan.completed_on else "closed",
                 "risk": r.schedule.risk.value, "progress": round(r.plan.progress, 3),
                 "target_model_id": r.plan.target_model_id,
                 "override_reason": r.plan.decision_reason if saved_id(r.plan) in overridden else None}
                for r in plans],
        })
    return sections


def _campaigns_markdown(data: ReportData) -> list[str]:
    if not data.campaigns:
        return []
    lines = ["", "## Campaigns"]
    for c in data.campaigns:
        decision = (f"{_md(c['target_name'] or c['target_model_id'])} — {_md(c['decision_reason'])}"
                    if c["target_model_id"] else "not decided")
        lines += ["", f"### {_md(c['model_name'])} ({len(c['applications'])} application(s))", "",
                  f"- Decision: {decision}", f"- Deadline per Region: {_md(c['deadline_summary'])}", "",
                  "| Application | Phase | Risk | Done | Replacement |", "|---|---|---|---|---|"]
        lines += [f"| {_md(a['application'])} | {a['phase']} | {a['risk']} | {round(a['progress'] * 100)}% | "
                  f"{_md(a['target_model_id'])}"
                  f"{' (override: ' + _md(a['override_reason']) + ')' if a['override_reason'] is not None else ''} |"
                  for a in c["applications"]]
    return lines


def _status_counts(store: ProjectStore, dependencies: list, today: dt.date) -> dict[Status, int]:
    """Dependencies by their model's status in their Region today (no lifecycle row: Active)."""
    lifecycles = index_by_region(store.lifecycles())
    counts = dict.fromkeys(Status, 0)
    for dependency in dependencies:
        lifecycle = lifecycles.get((dependency.model_id, dependency.region))
        counts[status_on(lifecycle, today) if lifecycle else Status.ACTIVE] += 1
    return counts


# -- JSON ----------------------------------------------------------------------------------


def as_dict(data: ReportData) -> dict[str, Any]:
    return {
        "generated_for": data.today.isoformat(),
        "applications": data.applications,
        "dependencies_by_status": {s.value: n for s, n in data.counts.items()},
        "milestones": [
            {"date": m.milestone.date.isoformat(), "days_left": m.days_left,
             "milestone": m.milestone.kind.label, "model_id": m.milestone.model_id,
             "model_name": m.model_name, "regions": list(m.milestone.regions),
             "applications": list(m.affected_apps), "consequences": list(m.milestone.consequences)}
            for m in data.milestones
        ],
        "plans": [_plan_dict(p) for p in data.plans],
        "campaigns": data.campaigns,
    }


def _plan_dict(report: PlanReport) -> dict[str, Any]:
    row = report.row
    schedule = row.schedule
    return {
        "application": row.app.name, "owner": row.app.owner, "model_id": row.plan.model_id,
        "model_name": row.model_name, "risk": schedule.risk.value,
        "phase": "complete" if row.plan.completed_on else
                 row.plan.closed_kind.value if row.plan.closed_kind else row.plan.current_phase.value,
        "deadline": schedule.deadline.date.isoformat() if schedule.deadline else None,
        "deadline_basis": schedule.deadline.basis if schedule.deadline else None,
        "next_due": schedule.next_due.isoformat() if schedule.next_due else None,
        "progress": round(row.plan.progress, 3),
        "target_model_id": row.plan.target_model_id, "decision_reason": row.plan.decision_reason,
        "phases": [
            {"phase": w.phase.value, "due": w.due.isoformat(), "done": w.done,
             "items": [{"title": i.title, "done": i.done, "owner": i.owner,
                        "due": (i.due_date or w.due).isoformat(), "notes": i.notes}
                       for i in row.plan.items_in(w.phase)]}
            for w in schedule.phases
        ],
        "fields": report.fields,
        "test_results": [{**t.model_dump(exclude={"id", "plan_id"}), "passed": t.passed} for t in report.tests],
        "rollout_stages": [s.model_dump(mode="json", exclude={"id", "plan_id"}) for s in report.stages],
        "decisions": [d.model_dump(mode="json", exclude={"id", "plan_id"}) for d in report.decisions],
        "log": [{k: e[k] for k in ("at", "event", "detail")} for e in report.log],
    }


# -- CSV -----------------------------------------------------------------------------------

CSV_COLUMNS = ["application", "owner", "model_id", "model_name", "phase", "risk", "deadline",
               "deadline_basis", "next_due", "progress_pct", "target_model_id", "decision_reason",
               *[f"{p.value}_due" for p in PHASES], "open_items"]


# A cell a spreadsheet would read as a formula (=, +, -, @, their full-width forms, or a tab
# or carriage return before them): OWASP's advice, as spreadsheet-safe exporters do it. The
# cell starts with a single quote instead, and every text cell is quoted.
FORMULA_START = tuple("=+-@\uff1d\uff0b\uff0d\uff20")


def spreadsheet_cell(value: Any) -> Any:
    """A value for a CSV cell: numbers as they are; text on one line, inert, never a formula."""
    if value is None or isinstance(value, bool):
        return "" if value is None else str(value)
    if isinstance(value, int | float):
        return value
    raw = str(value)
    cell = one_line(raw)
    if cell.lstrip(" ").startswith(FORMULA_START) or raw.startswith(("\t", "\r")):
        cell = "'" + cell
    return cell


def as_csv(data: ReportData) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerow(CSV_COLUMNS)
    writer = csv.DictWriter(out, CSV_COLUMNS, lineterminator="\r\n", quoting=csv.QUOTE_NONNUMERIC)
    for report in data.plans:
        plan = _plan_dict(report)
        writer.writerow({key: spreadsheet_cell(value) for key, value in {
            **{k: plan[k] for k in ("application", "owner", "model_id", "model_name", "phase", "risk",
                                    "deadline", "deadline_basis", "next_due", "target_model_id",
                                    "decision_reason")},
            "progress_pct": round(plan["progress"] * 100),
            **{f"{p['phase']}_due": p["due"] for p in plan["phases"]},
            "open_items": sum(not i["done"] for p in plan["phases"] for i in p["items"]),
        }.items()})
    return out.getvalue()


# -- Markdown ------------------------------------------------------------------------------


# In Markdown, text people typed must stay text: no raw HTML ('<img onerror>'), no link or
# image ('[x](javascript:…)', '![](http://tracker)'), no autolink (URLs, 'www.', e-mail
# addresses), no row split by '|' or a line break. Every character with a meaning inline is
# escaped with a backslash (CommonMark renders it as itself), ':' and '@' included (they make
# autolinks), and the dot of 'www.'.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>!|~#&:@])")
_MD_WWW = re.compile(r"(?i)(w{3})\.")


def _md(value: Any) -> str:
    if value is None or value == "":
        return "–"
    return _MD_WWW.sub(r"\1\\.", _MD_SPECIAL.sub(r"\\\1", one_line(value)))


def as_markdown(data: ReportData) -> str:
    lines = [f"# Bedrock migration report — {data.today}", "",
             f"{data.applications} application(s); dependencies by model status today: "
             + ", ".join(f"{s.value} {n}" for s, n in data.counts.items()) + ".", "",
             "## Upcoming milestones", "", "| Date | Days | Milestone | Model | Applications |",
             "|---|---|---|---|---|"]
    lines += [f"| {m.milestone.date} | {m.days_left} | {m.milestone.kind.label} | {_md(m.model_name)} | "
              f"{_md(', '.join(m.affected_apps))} |" for m in data.milestones]
    lines += ["", "## Plans", "", "| Application | Model | Phase | Risk | Next due | Deadline | Done |",
              "|---|---|---|---|---|---|---|"]
    for report in data.plans:
        p = _plan_dict(report)
        lines.append(f"| {_md(p['application'])} | {_md(p['model_name'])} | {p['phase']} | {p['risk']} | "
                     f"{_md(p['next_due'])} | {_md(p['deadline'])} | {round(p['progress'] * 100)}% |")
    for report in data.plans:
        p = _plan_dict(report)
        lines += ["", f"### {_md(p['application'])} × {_md(p['model_name'])}", "",
                  f"- Deadline: {_md(p['deadline'])} ({_md(p['deadline_basis'])})",
                  f"- Risk: {p['risk']}; progress {round(p['progress'] * 100)}%",
                  f"- Replacement: {_md(p['target_model_id'])} — {_md(p['decision_reason'])}"]
        for phase in p["phases"]:
            lines += ["", f"**{phase['phase'].capitalize()}** — due {phase['due']}"
                      f"{' (done)' if phase['done'] else ''}", ""]
            lines += [f"- [{'x' if i['done'] else ' '}] {_md(i['title'])}"
                      f"{' — ' + _md(i['owner']) if i['owner'] else ''}"
                      f"{' — ' + _md(i['notes']) if i['notes'] else ''}" for i in phase["items"]]
        if p["fields"]:
            lines += ["", "Details:", ""] + [f"- {_md(k)}: {_md(v)}" for k, v in p["fields"].items()]
        if p["test_results"]:
            lines += ["", "| Metric | Baseline | Candidate | Threshold | Result |", "|---|---|---|---|---|"]
            lines += [f"| {_md(t['metric'])} | {_md(t['baseline'])} | {t['candidate']:g} | {t['threshold']:g} | "
                      f"{'pass' if t['passed'] else 'FAIL'} |" for t in p["test_results"]]
        if p["decisions"]:
            lines += ["", "Rollout decisions:", ""]
            lines += [f"- {d['decided_on']}: {d['decision']} at {_md(d['traffic_percent'])}% — {_md(d['note'])}"
                      for d in p["decisions"]]
    lines += _campaigns_markdown(data)
    return inert_lines("\n".join(lines)) + "\n"


# -- HTML ----------------------------------------------------------------------------------


def _campaigns_html(data: ReportData) -> list[str]:
    if not data.campaigns:
        return []
    e = text
    out = ["<h2>Campaigns</h2>"]
    for c in data.campaigns:
        decision = (f"{e(c['target_name'] or c['target_model_id'])} — {e(c['decision_reason'])}"
                    if c["target_model_id"] else "not decided")
        out += [f"<section class='plan'><h3>{e(c['model_name'])} ({len(c['applications'])} application(s))</h3>",
                f"<p>Decision: {decision}<br>Deadline per Region: {e(c['deadline_summary'])}</p>",
                "<table><tr><th>Application</th><th>Phase</th><th>Risk</th><th>Done</th><th>Replacement</th></tr>"]
        out += [f"<tr><td>{e(a['application'])}</td><td>{e(a['phase'])}</td><td>{e(a['risk'])}</td>"
                f"<td>{round(a['progress'] * 100)}%</td><td>{e(a['target_model_id'] or '–')}"
                f"{' (override: ' + e(a['override_reason']) + ')' if a['override_reason'] is not None else ''}"
                "</td></tr>" for a in c["applications"]]
        out.append("</table></section>")
    return out

def _share(percent: int | None) -> str:
    return "" if percent is None else f"{percent}%"


CSS = """
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1d232a;margin:2rem auto;
max-width:1000px;padding:0 1rem}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{border-bottom:2px solid #d8dee4;padding-bottom:.2rem;margin-top:2rem}
h3{margin:1.6rem 0 .3rem}.muted{color:#57606a}.cards{display:flex;gap:.8rem;flex-wrap:wrap}
.card{border:1px solid #d8dee4;border-radius:8px;padding:.5rem 1rem;min-width:8rem}
.card b{font-size:1.4rem;display:block}table{border-collapse:collapse;width:100%;margin:.4rem 0}
th,td{border-bottom:1px solid #e4e8ec;text-align:left;padding:.25rem .5rem;vertical-align:top}
th{background:#f3f5f7}td.d{white-space:nowrap}.risk{font-weight:600}.done{color:#57606a;text-decoration:line-through}
.pass{color:#2e7d4f;font-weight:600}.fail{color:#b03a48;font-weight:600}
svg.timeline{width:100%;height:auto}svg .label{font-size:12px;fill:#1d232a}svg .axis{font-size:11px;fill:#57606a}
svg .grid{stroke:#e4e8ec}svg .today{stroke:#1d232a;stroke-width:2}
.plan{break-inside:avoid-page;border-top:1px solid #d8dee4}
@media print{body{margin:0;max-width:none;font-size:11px}h2{break-after:avoid}.plan{break-before:auto}
a{color:inherit;text-decoration:none}}
"""


def _num(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


def as_html(data: ReportData) -> str:
    e = text  # escaped, and inert
    out = [f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
           f"<meta name='viewport' content='width=device-width,initial-scale=1'>"
           f"<title>Bedrock migration report {data.today}</title><style>{CSS}</style></head><body>",
           f"<h1>Bedrock migration report</h1><p class='muted'>As of {data.today} · "
           f"{data.applications} application(s) · {len(data.plans)} plan(s)</p>",
           "<div class='cards'>"]
    out += [f"<div class='card'><b>{n}</b>{e(s.value)} dependencies</div>" for s, n in data.counts.items()]
    risks: dict[str, int] = {}
    for report in data.plans:
        risks[report.row.schedule.risk.value] = risks.get(report.row.schedule.risk.value, 0) + 1
    out += [f"<div class='card'><b style='color:{RISK_COLOURS[r]}'>{n}</b>{e(r)}</div>" for r, n in risks.items()]
    out += ["</div>", "<h2>Timeline</h2>", timeline_svg(data), "<h2>Upcoming milestones</h2>",
            "<table><tr><th>Date</th><th>Days</th><th>Milestone</th><th>Model</th><th>Applications</th></tr>"]
    out += [f"<tr><td>{m.milestone.date}</td><td>{m.days_left}</td><td>{e(m.milestone.kind.label)}</td>"
            f"<td>{e(m.model_name)}</td><td>{e(', '.join(m.affected_apps))}</td></tr>" for m in data.milestones]
    out += ["</table>", "<h2>Plans</h2>",
            "<table><tr><th>Application</th><th>Model</th><th>Phase</th><th>Risk</th><th>Next due</th>"
            "<th>Deadline</th><th>Done</th></tr>"]
    for report in data.plans:
        p = _plan_dict(report)
        out.append(f"<tr><td>{e(p['application'])}</td><td>{e(p['model_name'])}</td><td>{e(p['phase'])}</td>"
                   f"<td class='risk' style='color:{RISK_COLOURS[p['risk']]}'>{e(p['risk'])}</td>"
                   f"<td>{p['next_due'] or '–'}</td><td>{p['deadline'] or '–'}</td>"
                   f"<td>{round(p['progress'] * 100)}%</td></tr>")
    out.append("</table>")
    for report in data.plans:
        p = _plan_dict(report)
        out += [f"<section class='plan'><h3>{e(p['application'])} × {e(p['model_name'])}</h3>",
                f"<p class='muted'>{e(p['model_id'])} · owner {e(p['owner'] or '–')} · deadline "
                f"{p['deadline'] or '–'} ({e(p['deadline_basis'] or 'no published dates')}) · "
                f"<span style='color:{RISK_COLOURS[p['risk']]}'>{e(p['risk'])}</span></p>",
                f"<p><b>Replacement:</b> {e(p['target_model_id'] or 'not chosen yet')}"
                f"{' — ' + e(p['decision_reason']) if p['decision_reason'] else ''}</p>",
                "<table><tr><th>Phase</th><th>Item</th><th>Owner</th><th>Due</th><th>Evidence / notes</th></tr>"]
        for phase in p["phases"]:
            for index, item in enumerate(phase["items"]):
                head = (f"<td rowspan='{len(phase['items'])}'>{e(phase['phase'].capitalize())}<br>"
                        f"<span class='muted'>due {phase['due']}</span></td>") if index == 0 else ""
                out.append(f"<tr>{head}<td class='{'done' if item['done'] else ''}'>"
                           f"{'☑' if item['done'] else '☐'} {e(item['title'])}</td><td>{e(item['owner'])}</td>"
                           f"<td class='d'>{item['due']}</td><td>{e(item['notes'])}</td></tr>")
        out.append("</table>")
        if p["fields"]:
            out.append("<table><tr><th>Detail</th><th>Value</th></tr>")
            out += [f"<tr><td>{e(k)}</td><td>{e(v)}</td></tr>" for k, v in p["fields"].items()]
            out.append("</table>")
        if p["test_results"]:
            out.append("<table><tr><th>Metric</th><th>Baseline</th><th>Candidate</th><th>Threshold</th>"
                       "<th>Result</th></tr>")
            out += [f"<tr><td>{e(t['metric'])}</td><td>{_num(t['baseline'])}</td>"
                    f"<td>{t['candidate']:g}</td><td>{t['threshold']:g} ({'≥' if t['higher_is_better'] else '≤'})</td>"
                    f"<td class='{'pass' if t['passed'] else 'fail'}'>{'pass' if t['passed'] else 'FAIL'}</td></tr>"
                    for t in p["test_results"]]
            out.append("</table>")
        if p["rollout_stages"] or p["decisions"]:
            out.append("<table><tr><th>Rollout</th><th>Traffic</th><th>When</th><th>Note</th></tr>")
            out += [f"<tr><td>stage</td><td>{s['traffic_percent']}%</td><td>{s['start_date'] or '–'} → "
                    f"{s['end_date'] or '–'}</td><td>{e(s['notes'])}</td></tr>" for s in p["rollout_stages"]]
            out += [f"<tr><td>{e(d['decision'])}</td><td>{_share(d['traffic_percent'])}"
                    f"</td><td>{d['decided_on']}</td><td>{e(d['note'])}</td></tr>" for d in p["decisions"]]
            out.append("</table>")
        if p["log"]:
            out.append("<details><summary>Decision log</summary><ul>")
            out += [f"<li>{e(entry['at'][:16])} — {e(entry['event'])}: {e(entry['detail'])}</li>"
                    for entry in p["log"]]
            out.append("</ul></details>")
        out.append("</section>")
    out += _campaigns_html(data)
    out.append("<p class='muted'>Lifecycle dates: Amazon Bedrock User Guide (model-lifecycle.html, "
               "model-lifecycle-legacy.html) and your AWS account where synced.</p></body></html>")
    return inert_lines("\n".join(out))


def render_report(data: ReportData, fmt: str) -> str:
    if fmt == "json":
        return json.dumps(as_dict(data), indent=2) + "\n"
    if fmt == "csv":
        return as_csv(data)
    if fmt == "md":
        return as_markdown(data)
    if fmt == "html":
        return as_html(data)
    raise UserInputError(f"unknown report format {fmt!r}: choose from {', '.join(FORMATS)}.")


def write_report(store: ProjectStore, path: Path, fmt: str, today: dt.date,
                 apps: tuple[str, ...] = (), models: tuple[str, ...] = ()) -> int:
    data = collect(store, today, apps, models)
    atomic_write_bytes(path, render_report(data, fmt).encode("utf-8"))
    return len(data.plans)
