"""Every state of the TUI worth a picture: the snapshot tests and scripts/screenshots.py both
take their list from here, so the README's pictures are of what the tests check.

Each state starts from the example project's dashboard (today fixed) and says what to press.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.pilot import Pilot

if TYPE_CHECKING:
    from planner_tui.persistence.store import ProjectStore


async def settle(pilot: Pilot) -> None:
    """Let the app finish its workers, and those their results start (a screen's read, then
    the phase panel it rebuilds), and repaint (as tests/conftest.py's)."""
    await pilot.pause()
    for _ in range(100):
        running = [worker for worker in pilot.app.workers if not worker.is_finished]
        if not running:
            break
        await asyncio.gather(*(worker.wait() for worker in running), return_exceptions=True)
        await pilot.pause()
    await pilot.pause()


Steps = Callable[[Pilot], Awaitable[None]]


def keys(*pressed: str) -> Steps:
    async def run(pilot: Pilot) -> None:
        await settle(pilot)
        for key in pressed:
            await pilot.press(key)
            await settle(pilot)

    return run


def plan(app_name: str, model_part: str, *pressed: str) -> Steps:
    async def run(pilot: Pilot) -> None:
        await settle(pilot)
        found = next(p for p in pilot.app.store.plans()
                     if p.app_name == app_name and model_part in p.model_id)
        pilot.app.open_plan(found.id)
        await keys(*pressed)(pilot)

    return run


def frozen_history(app_name: str, model_part: str, *pressed: str) -> Steps:
    """The audit trail records real clock times and the OS user: pin both for a picture."""
    async def run(pilot: Pilot) -> None:
        if not pilot.app.store.read_only:
            with pilot.app.store.batch() as db:  # workers may be writing too: take the store's turn
                db.execute("UPDATE audit_log SET at = '2026-11-22T08:00:00Z', actor = 'maria.okafor'")
                db.execute("UPDATE plan_log SET at = '2026-11-22T08:00:00+00:00'")
        await plan(app_name, model_part, *pressed)(pilot)

    return run


SONNET_45 = "anthropic.claude-sonnet-4-5-20250929-v1:0"


def scanned(app_name: str, model_part: str, *pressed: str) -> Steps:
    """The application's code scanned twice (`scan PATH --app`): the places of the plan's model,
    one gone by the second scan (resolved), then the plan."""
    async def run(pilot: Pilot) -> None:
        import datetime as dt

        from planner_tui.persistence.repos.code_findings import FoundReference
        from planner_tui.services.commands.code_findings import record_code_scan

        await settle(pilot)
        store = pilot.app.store
        found = next(p for p in store.plans() if p.app_name == app_name and model_part in p.model_id)
        model, profile = found.model_id, f"us.{found.model_id}"
        places = [FoundReference("a", "src/chat/handler.py", 42, 31, model, model, None, True, "Legacy", "note"),
                  FoundReference("b", "src/chat/handler.py", 88, 17, profile, model, profile, True, "Legacy", "note"),
                  FoundReference("c", "infra/bedrock.tf", 12, 9, model, model, None, True, "Legacy", "note"),
                  FoundReference("d", "config/prod.env", 3, 18, model, model, None, True, "Legacy", "note")]
        root = "/srv/support-copilot"
        record_code_scan(store, found.app_id, root, dt.date(2026, 11, 20), 412, "project", places)
        record_code_scan(store, found.app_id, root, dt.date(2026, 11, 22), 415, "project", places[:3])
        await plan(app_name, model_part, *pressed)(pilot)

    return run


def forget_callers(store: ProjectStore) -> None:
    """The example project without its CloudTrail callers: for a state or test about something
    else (its columns and counts), or about callers of its own."""
    with store.batch():
        store.conn.execute("DELETE FROM callers")
        store.conn.execute("DELETE FROM caller_scans")


def code_for_triage(*pressed: str) -> Steps:
    """A scan recorded for no application (`scan PATH --record`): four places in code, one
    on a model the catalog does not know, waiting in Discovered beside the AWS resources."""
    async def run(pilot: Pilot) -> None:
        import datetime as dt

        from planner_tui.persistence.repos.code_findings import FoundReference
        from planner_tui.services.commands.code_findings import record_code_scan

        await settle(pilot)
        forget_callers(pilot.app.store)
        haiku, typo = "anthropic.claude-3-haiku-20240307-v1:0", "anthropic.claude-3-haiku-20240307-v9:0"
        arn = f"arn:aws:bedrock:us-west-2::foundation-model/{SONNET_45}"
        places = [
            FoundReference("t1", "src/triage/router.py", 12, 27, haiku, haiku, None, True, "EOL", "error", "python"),
            FoundReference("t2", "infra/iam.tf", 8, 15, arn, SONNET_45, None, True, "Legacy", "note", "terraform"),
            FoundReference("t3", "src/summarise.ts", 40, 21, f"us.{SONNET_45}", SONNET_45, f"us.{SONNET_45}", True,
                           "Legacy", "note", "typescript"),
            FoundReference("t4", "config/batch.yaml", 3, 10, typo, typo, None, False, "unknown", "warning", "yaml")]
        record_code_scan(pilot.app.store, None, "/srv/ops-scripts", dt.date(2026, 11, 21), 230, "project", places)
        await keys("a", "u", *pressed)(pilot)

    return run


def callers(model_id: str) -> Steps:
    """Callers of `model_id` in three accounts as a CloudTrail scan recorded them (one idle in
    its DR account), then the model's detail scrolled to 'Who calls this model'."""
    async def run(pilot: Pilot) -> None:
        import datetime as dt

        from textual.containers import VerticalScroll

        from planner_tui.domain.callers import CallerCount
        from planner_tui.integrations.aws.cloudtrail import CallerScan
        from planner_tui.services.commands.callers import record_caller_scan
        from planner_tui.ui.screens.models import ModelDetailScreen

        await settle(pilot)
        forget_callers(pilot.app.store)
        end = dt.datetime(2026, 11, 22, 6, tzinfo=dt.UTC)
        start = end - dt.timedelta(days=90)
        for account, name, region, principal, written, calls, last in (
            ("111122223333", "prod-payments", "us-east-1", "arn:aws:iam::111122223333:role/contract-review-api",
             f"us.{model_id}", 18420, dt.datetime(2026, 11, 21, 17, 4, tzinfo=dt.UTC)),
            ("444455556666", "dr", "us-west-2", "arn:aws:iam::444455556666:role/contract-review-dr",
             model_id, 12, dt.datetime(2026, 10, 30, 2, 0, tzinfo=dt.UTC)),
            ("777788889999", "analytics", "us-east-2", "arn:aws:iam::777788889999:user/ana",
             model_id, 5, dt.datetime(2026, 11, 18, 9, 30, tzinfo=dt.UTC)),
        ):
            count = CallerCount(account, name, region, principal, written, calls, start + dt.timedelta(days=3), last)
            record_caller_scan(pilot.app.store, CallerScan(account, name, region, start, end, callers=[count]), end)
        pilot.app.push_screen(ModelDetailScreen(model_id))
        await settle(pilot)
        pilot.app.screen.query_one(VerticalScroll).scroll_end(animate=False)
        await settle(pilot)

    return run


def campaign(model_id: str, *pressed: str) -> Steps:
    """The campaigns list, then the campaign of `model_id` (Enter on its row)."""
    async def run(pilot: Pilot) -> None:
        await keys("g")(pilot)
        table = pilot.app.screen.query_one("#campaigns")
        table.move_cursor(row=table.get_row_index(model_id))
        await keys("enter", *pressed)(pilot)

    return run


def plan_callers(app_name: str, model_part: str, *pressed: str) -> Steps:
    """Who calls the plan's model (CloudTrail), as a scan recorded it alone: one caller the
    application took as its own, two unassigned (one idle in its DR account); then the plan,
    its Assess panel scrolled to 'Who calls this model'."""
    async def run(pilot: Pilot) -> None:
        import datetime as dt

        from planner_tui.domain.callers import CallerCount
        from planner_tui.integrations.aws.cloudtrail import CallerScan
        from planner_tui.services.commands.callers import accept_caller, record_caller_scan

        await settle(pilot)
        store = pilot.app.store
        found = next(p for p in store.plans() if p.app_name == app_name and model_part in p.model_id)
        with store.batch() as db:  # the picture is of these callers alone
            db.execute("DELETE FROM callers")
            db.execute("DELETE FROM caller_scans")
        end = dt.datetime(2026, 11, 22, 6, tzinfo=dt.UTC)
        start = end - dt.timedelta(days=90)
        own = "arn:aws:iam::111122223333:role/contract-review-api"
        for account, name, region, principal, calls, last in (
            ("111122223333", "prod-payments", "us-east-1", own, 18420, dt.datetime(2026, 11, 21, 17, tzinfo=dt.UTC)),
            ("444455556666", "dr", "us-west-2", "arn:aws:iam::444455556666:role/service-role/legal/contract-review-dr",
             12, dt.datetime(2026, 10, 30, 2, tzinfo=dt.UTC)),
            ("777788889999", "analytics", "us-east-2", "arn:aws:iam::777788889999:user/ana", 5,
             dt.datetime(2026, 11, 18, 9, 30, tzinfo=dt.UTC)),
        ):
            count = CallerCount(account, name, region, principal, found.model_id, calls, start + dt.timedelta(days=3),
                                last)
            record_caller_scan(store, CallerScan(account, name, region, start, end, callers=[count]), end)
        caller_id = next(c.id for c in store.callers(found.model_id) if c.principal_arn == own)
        accept_caller(store, caller_id, found.app_id, dt.date(2026, 11, 22))
        await plan(app_name, model_part, *pressed)(pilot)
        pilot.app.screen.query_one("#plan-callers").focus()  # scrolled into view
        await settle(pilot)

    return run


@dataclass(frozen=True)
class State:
    steps: Steps
    read_only: bool = False
    readme: bool = False  # also rendered for the README by scripts/screenshots.py


ASSESS = ("SQL Assistant", "llama3-3", "left_square_bracket")  # in Research, viewing Assess
RESEARCH = ("Contract Review", "opus-4-1", "left_square_bracket")
TEST = ("Support Copilot", "sonnet-4-5")
UPDATE = ("Support Copilot", "sonnet-4-5", "right_square_bracket")
ROLLOUT = ("Legal Summaries", "jamba")

STATES: dict[str, State] = {
    # screens
    "dashboard": State(keys(), readme=True),
    "models": State(keys("m"), readme=True),
    "model-detail": State(keys("m", "slash", *"opus", "enter", "enter"), readme=True),
    "model-detail-callers": State(callers("anthropic.claude-opus-4-1-20250805-v1:0")),
    "applications": State(keys("a"), readme=True),
    "application-detail": State(keys("a", "enter"), readme=True),
    "plans": State(keys("p"), readme=True),
    "campaigns": State(keys("g")),
    "campaign": State(campaign(SONNET_45), readme=True),
    "discovered": State(keys("a", "u"), readme=True),
    "discovered-code": State(code_for_triage("end")),
    "help": State(keys("f1"), readme=True),
    "history": State(frozen_history("Legal Summaries", "jamba", "h"), readme=True),
    # the plan workspace, each phase
    "plan-assess": State(plan(*ASSESS), readme=True),
    "plan-research": State(plan(*RESEARCH), readme=True),
    "plan-test": State(plan(*TEST), readme=True),
    "plan-update": State(plan(*UPDATE)),
    "plan-assess-code": State(scanned(*TEST, "left_square_bracket", "left_square_bracket")),
    "plan-update-code": State(scanned(*UPDATE)),
    "plan-assess-callers": State(plan_callers(*RESEARCH, "left_square_bracket")),
    "plan-rollout": State(plan(*ROLLOUT), readme=True),
    "plan-rollout-stages": State(plan(*ROLLOUT, "tab", "tab")),
    # dialogs
    "form-assess": State(plan(*ASSESS, "f")),
    "form-research": State(plan(*RESEARCH, "f")),
    "form-test": State(plan(*TEST, "f")),
    "form-update": State(plan(*UPDATE, "f")),
    "form-rollout": State(plan(*ROLLOUT, "f")),
    "new-item": State(plan(*TEST, "n")),
    "edit-item": State(plan(*TEST, "e")),
    "confirm-delete": State(plan(*TEST, "delete")),
    "choose": State(plan(*RESEARCH, "c")),
    "add-test-result": State(plan(*TEST, "t")),
    "add-stage": State(plan(*ROLLOUT, "s")),
    "decision": State(plan(*ROLLOUT, "o")),
    "complete-with-open-items": State(plan(*ROLLOUT, "p")),
    "cancel-plan": State(plan(*TEST, "w")),
    "new-application": State(keys("a", "n")),
    "add-dependency": State(keys("a", "enter", "n")),
    "export": State(keys("ctrl+e")),
    "sync": State(keys("a", "s")),
    # read-only review
    "read-only-dashboard": State(keys(), read_only=True),
    "read-only-plan": State(plan(*ROLLOUT), read_only=True),
}
