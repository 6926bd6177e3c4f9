"""What the plan workspace shows under the checklist for the phase in view: the phase form's
fields, then the phase's own records (usage and who calls the model for Assess, candidates
for Research, test results for Test, stages and decisions for Rollout), built afresh from
the plan's view."""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual.widget import Widget
from textual.widgets import Label, Sparkline, Static

from ...domain.vocabulary import Phase
from ...domain.workspace import PHASE_FIELDS, Decision
from ...services.plan_view import PlanView
from .code_findings import code_widgets
from .inert import InertStatic
from .plan_callers import callers_widgets
from .plan_panels import CandidatesTable, DecisionsTable, ResultsTable, StagesTable


def phase_widgets(view: PlanView, phase: Phase) -> list[Widget]:
    widgets: list[Widget] = [InertStatic(fields_text(view, phase), classes="phase-fields")]
    builder = _BUILDERS.get(phase)
    if builder:
        widgets.extend(builder(view))
    widgets.extend(code_widgets(view, phase))  # where the code names the model (Assess, Update)
    return widgets


def fields_text(view: PlanView, phase: Phase) -> Text:
    text = Text()
    for spec in PHASE_FIELDS[phase]:
        text.append(f"{spec.label}: ", style="bold")
        text.append(view.fields.get(spec.key, "–") + "\n")
    text.append("f edits these fields", style="dim")
    return text


def usage_text(view: PlanView) -> Text:
    """The application's dependencies on the model: the heading bold, the lines plain."""
    text = Text()  # (a style given to Text() would be every line's)
    text.append("Usage of this model\n", style="bold")
    for dependency in view.dependencies:
        text.append(f"  {dependency.region} · {dependency.access_path.value}"
                    f"{' ' + dependency.resource_id if dependency.resource_id else ''}"
                    f" · {dependency.environment} · {dependency.monthly_volume:,} calls/month\n")
    if not view.dependencies:
        text.append("  The application no longer uses this model.\n", style="dim")
    return text


def _assess(view: PlanView) -> list[Widget]:
    daily, legacy = view.usage, view.legacy_usage
    widgets: list[Widget] = [InertStatic(usage_text(view))]
    if daily:
        widgets.append(Static(
            f"CloudWatch, last {len(daily)} days: {sum(daily.values()):,.0f} invocations, "
            f"{sum(legacy.values()):,.0f} counted as Legacy (daily, oldest first):", classes="muted"))
        widgets.append(Sparkline(list(daily.values()), summary_function=max, id="usage-sparkline"))
    else:
        widgets.append(Static("No CloudWatch usage yet: 'aws: sync' reads 30 days of invocations.",
                              classes="muted"))
    return widgets + callers_widgets(view)  # who calls the model (CloudTrail)


def _research(view: PlanView) -> list[Widget]:
    plan = view.row.plan
    table = CandidatesTable(id="candidates", cursor_type="row")
    table.add_columns("", "Candidate", "Provider", "Input", "Output", "Stream", "Via profile in", "Own EOL")
    for candidate in view.candidates:
        model = candidate.model
        table.add_row(
            Text("★", style="yellow") if candidate.recommended else "",
            Text(model.name, style="bold green" if model.model_id == plan.target_model_id else ""),
            model.provider, ", ".join(model.input_modalities), ", ".join(model.output_modalities),
            "yes" if model.streaming else "no", ", ".join(candidate.via_profile_only) or "–",
            str(candidate.own_eol or "–"), key=model.model_id,
        )
    decision = Text()
    if plan.target_model_id:
        decision.append(f"Chosen: {plan.target_model_id}\n", style="bold green")
        decision.append(f"Reason: {plan.decision_reason}\n")
    count = len(view.candidates)
    decision.append(f"{count} candidate{'' if count == 1 else 's'} Active in every Region this application "
                    "uses, with the modalities and streaming it needs, not within 90 days of their own "
                    "EOL (★ named by AWS). c chooses the highlighted one.", style="dim")
    return [InertStatic(decision), table]


def _test(view: PlanView) -> list[Widget]:
    table = ResultsTable(id="results", cursor_type="row")
    table.add_columns("Metric", "Baseline", "Candidate", "Threshold", "Better", "Result")
    for result in view.results:
        table.add_row(
            result.metric, "–" if result.baseline is None else f"{result.baseline:g}",
            f"{result.candidate:g}", f"{result.threshold:g}",
            "higher" if result.higher_is_better else "lower",
            Text("pass", style="green bold") if result.passed else Text("FAIL", style="red bold"),
            key=str(result.id),
        )
    passed = sum(r.passed for r in view.results)
    summary = Text(f"{passed}/{len(view.results)} metrics pass. t adds a result.", style="dim")
    return [Static(summary), table]


def _rollout(view: PlanView) -> list[Widget]:
    eol = view.eol
    stages = StagesTable(id="stages", cursor_type="row")
    stages.add_columns("Traffic", "From", "To", "Notes")
    for stage in view.stages:
        late = eol is not None and any(d and d >= eol for d in (stage.start_date, stage.end_date))
        stages.add_row(f"{stage.traffic_percent}%", str(stage.start_date or "–"),
                       Text(f"{stage.end_date or '–'}" + (" ⚠ after EOL" if late else ""),
                            style="bold yellow" if late else ""), stage.notes, key=str(stage.id))
    decisions = DecisionsTable(id="decisions", cursor_type="row")
    decisions.add_columns("Date", "Decision", "Traffic", "Note")
    style = {Decision.ADVANCE: "green", Decision.HOLD: "yellow", Decision.ROLL_BACK: "red bold"}
    for decision in view.decisions:
        decisions.add_row(str(decision.decided_on), Text(decision.decision.value, style=style[decision.decision]),
                          "–" if decision.traffic_percent is None else f"{decision.traffic_percent}%",
                          decision.note, key=str(decision.id))
    return [Label("Stages (s adds; e.g. 5% → 25% → 100%)", classes="muted"), stages,
            Label("Decision log (o records advance / hold / roll back)", classes="muted"), decisions]


_BUILDERS: dict[Phase, Callable[[PlanView], list[Widget]]] = {
    Phase.ASSESS: _assess, Phase.RESEARCH: _research, Phase.TEST: _test, Phase.ROLLOUT: _rollout,
}
