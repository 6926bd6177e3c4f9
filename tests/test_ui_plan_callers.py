"""The plan's Assess phase says who calls its model (#17): the callers CloudTrail recorded,
those accepted into the campaign's applications first (the plan's own marked), the
unassigned ones with their `discovered accept` key and how to accept one, the idle flag from
the bundled catalog's dates; a principal's ARN shown as data. `plans show` lists them too."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from textual.widgets import Static

from planner_tui.domain.callers import CallerCount
from planner_tui.integrations.aws.cloudtrail import CallerScan
from planner_tui.services.commands.callers import accept_caller, record_caller_scan
from planner_tui.services.plan_view import load_plan_view
from planner_tui.ui.app import PlannerApp
from planner_tui.ui.widgets.plan_callers import SHOWN, callers_text, cut_arn

from .conftest import TODAY
from .screen_states import settle

OPUS_41 = "anthropic.claude-opus-4-1-20250805-v1:0"
END = dt.datetime(2026, 11, 22, 6, tzinfo=dt.UTC)
MARKUP = "arn:aws:iam::777788889999:role/[bold]batch[/bold]"


def record(store, *callers: tuple[str, str, str, str, int, dt.datetime]) -> None:  # noqa: ANN001
    """(account, name, Region, principal, calls, last call) of OPUS_41, each its own scan."""
    for account, name, region, principal, calls, last in callers:
        count = CallerCount(account, name, region, principal, OPUS_41, calls, END - dt.timedelta(days=80), last)
        record_caller_scan(store, CallerScan(account, name, region, END - dt.timedelta(days=90), END,
                                             callers=[count]), END)


def caller_id(store, principal: str) -> int:  # noqa: ANN001
    return next(c.id for c in store.callers(OPUS_41) if c.principal_arn == principal)


def plan_of(store, app_name: str) -> int:  # noqa: ANN001
    return next(p.id for p in store.plans() if p.app_name == app_name and p.model_id == OPUS_41)


def without_callers(store) -> None:  # noqa: ANN001
    """The example project as it was before a sync read CloudTrail."""
    with store.batch() as db:
        db.execute("DELETE FROM callers")
        db.execute("DELETE FROM caller_scans")


async def assess_panel(app: PlannerApp, pilot, plan_id: int) -> str | None:  # noqa: ANN001
    """The plan opened on its Assess phase: the callers panel's text (None: no panel)."""
    await settle(pilot)
    app.open_plan(plan_id)
    await settle(pilot)
    for _ in range(5):
        if app.screen.viewing.value == "assess":
            break
        await pilot.press("left_square_bracket")
        await settle(pilot)
    panels = app.screen.query("#plan-callers")
    return str(panels.first(Static).render()) if panels else None


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_assess_lists_the_models_callers_accepted_first(demo_store, size) -> None:  # noqa: ANN001
    without_callers(demo_store)
    record(demo_store,
           ("111122223333", "prod-payments", "us-east-1", "arn:aws:iam::111122223333:role/contract-review-api", 18420,
            dt.datetime(2026, 11, 21, 17, tzinfo=dt.UTC)),
           ("444455556666", "dr", "us-west-2", "arn:aws:iam::444455556666:role/ops-chatbot-dr", 12,
            dt.datetime(2026, 10, 30, 2, tzinfo=dt.UTC)),
           ("777788889999", "", "us-east-1", MARKUP, 5, dt.datetime(2026, 11, 18, 9, tzinfo=dt.UTC)))
    accept_caller(demo_store, caller_id(demo_store, "arn:aws:iam::111122223333:role/contract-review-api"),
                  demo_store.application("Contract Review").id, TODAY)
    app = PlannerApp(demo_store, TODAY, label="demo")
    async with app.run_test(size=size) as pilot:
        text = await assess_panel(app, pilot, plan_of(demo_store, "Contract Review"))
    assert text is not None
    lines = text.splitlines()
    assert lines[:2] == ["Who calls this model (CloudTrail)",
                         "  3 callers: 1 in this campaign's applications, 2 unassigned"]
    # the plan's own application first, its caller's account, Region, calls, last call and
    # status there (Opus 4.1 is in public extended access in us-east-1 on 2026-11-22)
    assert lines[2:5] == ["  Contract Review (this plan)",
                          "    arn:aws:iam::111122223333:role/contract-review-api",
                          "      prod-payments · us-east-1 · 18,420 calls, last 2026-11-21 · PEA"]
    assert lines[5] == "  Unassigned"
    dr, markup = caller_id(demo_store, "arn:aws:iam::444455556666:role/ops-chatbot-dr"), caller_id(demo_store, MARKUP)
    # the most calls first; last called 23 days ago on a PEA model: idle. The ARN's markup is text.
    assert lines[6:10] == [f"    t{dr} arn:aws:iam::444455556666:role/ops-chatbot-dr",
                           "      dr · us-west-2 · 12 calls, last 2026-10-30 · idle PEA",
                           f"    t{markup} {MARKUP}",
                           "      777788889999 · us-east-1 · 5 calls, last 2026-11-18 · PEA"]
    assert "'planner-tui discovered accept tID --app APP'" in text and "Discovered screen" in text


async def test_another_plan_of_the_campaign_shows_the_callers_its_applications_took(demo_store) -> None:  # noqa: ANN001
    without_callers(demo_store)
    record(demo_store, ("444455556666", "dr", "us-west-2", "arn:aws:iam::444455556666:role/ops-chatbot-dr", 12,
                        dt.datetime(2026, 10, 30, 2, tzinfo=dt.UTC)))
    accept_caller(demo_store, caller_id(demo_store, "arn:aws:iam::444455556666:role/ops-chatbot-dr"),
                  demo_store.application("Ops Chatbot").id, TODAY, "dr")
    view = load_plan_view(demo_store, plan_of(demo_store, "Contract Review"), TODAY)
    assert view is not None
    text = callers_text(view.callers).plain
    assert "1 caller: 1 in this campaign's applications\n" in text
    assert "\n  Ops Chatbot\n" in text  # not 'this plan'
    assert "Unassigned" not in text and "discovered accept" not in text


async def test_nothing_is_said_of_callers_before_a_sync_read_cloudtrail(demo_store) -> None:  # noqa: ANN001
    without_callers(demo_store)
    app = PlannerApp(demo_store, TODAY, label="demo")
    async with app.run_test(size=(120, 40)) as pilot:
        assert await assess_panel(app, pilot, plan_of(demo_store, "Contract Review")) is None
        # once CloudTrail was read (here: another account's Region, with no call of the model)
        record_caller_scan(demo_store, CallerScan("444455556666", "dr", "eu-west-1", END - dt.timedelta(days=90),
                                                  END), END)
        text = await assess_panel(app, pilot, plan_of(demo_store, "Ops Chatbot"))
    # Ops Chatbot calls it in us-east-2 and us-west-2, where CloudTrail was not read: no claim there
    assert text == ("Who calls this model (CloudTrail)\n"
                    "  No caller found: CloudTrail was not read in us-east-2, us-west-2 yet.")


def test_the_list_is_capped_and_says_where_every_one_is(demo_store) -> None:  # noqa: ANN001
    without_callers(demo_store)
    record(demo_store, *[("111122223333", "prod", "us-east-1", f"arn:aws:iam::111122223333:role/r{n}", 100 + n,
                          dt.datetime(2026, 11, 20, tzinfo=dt.UTC)) for n in range(SHOWN + 3)])
    view = load_plan_view(demo_store, plan_of(demo_store, "Contract Review"), TODAY)
    assert view is not None
    text = callers_text(view.callers).plain
    assert text.count("arn:aws:iam::") == SHOWN
    assert f"… and 3 more ('planner-tui callers {OPUS_41}' lists every one)" in text


def test_long_arns_keep_their_account_and_name_on_one_line() -> None:
    role = "arn:aws:iam::111122223333:role/service-role/team/payments/checkout-api"
    assert cut_arn(role, 60) == "arn:aws:iam::111122223333:role/…/checkout-api"
    session = "arn:aws:sts::111122223333:assumed-role/checkout-api/i-0123456789abcdef0-with-a-long-session"
    assert cut_arn(session, 60) == "arn:aws:sts::111122223333:assumed-role/checkout-api/i-01234…"
    name = "arn:aws:iam::111122223333:role/" + "x" * 60 + "-api"
    assert cut_arn(name, 50) == "arn:aws:iam::111122223333:role/…" + "x" * 14 + "-api"
    assert cut_arn("arn:aws:iam::1:user/ana\nb", 60) == "arn:aws:iam::1:user/ana b"


def test_plans_show_lists_the_callers(demo_store, capsys) -> None:  # noqa: ANN001
    from planner_tui.cli import main

    without_callers(demo_store)
    record(demo_store,
           ("111122223333", "prod-payments", "us-east-1", "arn:aws:iam::111122223333:role/contract-review-api", 18420,
            dt.datetime(2026, 11, 21, 17, tzinfo=dt.UTC)),
           ("444455556666", "dr", "us-west-2", "arn:aws:iam::444455556666:role/ops-chatbot-dr", 12,
            dt.datetime(2026, 10, 30, 2, tzinfo=dt.UTC)))
    accepted = caller_id(demo_store, "arn:aws:iam::111122223333:role/contract-review-api")
    accept_caller(demo_store, accepted, demo_store.application("Contract Review").id, TODAY)
    dr = caller_id(demo_store, "arn:aws:iam::444455556666:role/ops-chatbot-dr")
    plan_id = plan_of(demo_store, "Contract Review")
    path = str(demo_store.path)
    assert main(["plans", "show", str(plan_id), "--db", path, "--today", TODAY.isoformat()]) == 0
    out = capsys.readouterr().out
    assert "\nCallers (" in out
    rows = out.split("\nCallers (")[1].splitlines()
    assert rows[2].split() == [str(accepted), "prod-payments", "(111122223333)", "us-east-1",
                               "arn:aws:iam::111122223333:role/contract-review-api", "18,420", "2026-11-21", "PEA",
                               "Contract", "Review"]
    assert rows[3].split() == [f"t{dr}", "dr", "(444455556666)", "us-west-2",
                               "arn:aws:iam::444455556666:role/ops-chatbot-dr", "12", "2026-10-30", "idle", "PEA",
                               "unassigned"]
    assert main(["plans", "show", str(plan_id), "--json", "--db", path, "--today", TODAY.isoformat()]) == 0
    document = json.loads(capsys.readouterr().out)
    callers = document["callers"]
    assert callers["scanned"] is True
    assert [(c["key"], c["application"], c["this_campaign"], c["flag"]) for c in callers["callers"]] == [
        (f"t{accepted}", "Contract Review", True, "PEA"), (f"t{dr}", None, False, "idle PEA")]


def test_a_dismissed_caller_is_still_listed_as_dismissed_without_a_key(demo_store, capsys) -> None:  # noqa: ANN001
    from planner_tui.cli import main
    from planner_tui.services.commands.callers import dismiss_caller

    without_callers(demo_store)
    record(demo_store, ("111122223333", "prod", "us-east-1", "arn:aws:iam::111122223333:role/load-test", 40,
                        dt.datetime(2026, 11, 20, tzinfo=dt.UTC)),
           ("111122223333", "prod", "us-east-1", "arn:aws:iam::111122223333:role/report-job", 90,
            dt.datetime(2026, 11, 21, tzinfo=dt.UTC)))
    load_test = caller_id(demo_store, "arn:aws:iam::111122223333:role/load-test")
    report_job = caller_id(demo_store, "arn:aws:iam::111122223333:role/report-job")
    dismiss_caller(demo_store, load_test)
    plan_id = plan_of(demo_store, "Contract Review")
    view = load_plan_view(demo_store, plan_id, TODAY)
    assert view is not None
    text = callers_text(view.callers).plain
    assert "2 callers: none in this campaign's applications, 1 unassigned, 1 dismissed" in text
    assert "dismissed arn:aws:iam::111122223333:role/load-test" in text
    assert f"t{report_job} arn:aws:iam::111122223333:role/report-job" in text
    assert f"t{load_test}" not in text
    path = str(demo_store.path)
    assert main(["plans", "show", str(plan_id), "--db", path, "--today", TODAY.isoformat()]) == 0
    rows = capsys.readouterr().out.split("\nCallers (")[1].splitlines()
    assert [row.split()[-1] for row in rows[2:4]] == ["unassigned", "dismissed"]


def test_no_caller_is_claimed_where_cloudtrail_was_not_read(demo_store, capsys) -> None:  # noqa: ANN001
    """SQL Assistant calls Llama 3.3 in us-east-2, where the example project's sync read no
    CloudTrail: the panel says so instead of 'no caller'."""
    from planner_tui.cli import main

    llama = "meta.llama3-3-70b-instruct-v1:0"
    plan_id = next(p.id for p in demo_store.plans() if p.app_name == "SQL Assistant" and p.model_id == llama)
    view = load_plan_view(demo_store, plan_id, TODAY)
    assert view is not None
    text = callers_text(view.callers).plain
    assert "No caller found: CloudTrail was not read in us-east-2 yet." in text
    assert "No caller of this model in what CloudTrail kept" not in text
    path = str(demo_store.path)
    assert main(["plans", "show", str(plan_id), "--json", "--db", path, "--today", TODAY.isoformat()]) == 0
    assert json.loads(capsys.readouterr().out)["callers"]["unread_regions"] == ["us-east-2"]
    record_caller_scan(demo_store, CallerScan("111122223333", "fernhill-prod", "us-east-2", END - dt.timedelta(days=90),
                                              END, callers=[]), END)
    view = load_plan_view(demo_store, plan_id, TODAY)
    assert view is not None
    assert "No caller of this model in what CloudTrail kept (90 days)." in callers_text(view.callers).plain


def test_callers_listed_elsewhere_say_which_regions_were_not_read(demo_store) -> None:  # noqa: ANN001
    without_callers(demo_store)
    record(demo_store, ("111122223333", "prod", "us-west-2", "arn:aws:iam::111122223333:role/batch", 5,
                        dt.datetime(2026, 11, 20, tzinfo=dt.UTC)))
    contract = next(p for p in demo_store.plans() if p.app_name == "Contract Review" and p.model_id == OPUS_41)
    regions = sorted({d.region for d in demo_store.dependencies(contract.app_id) if d.model_id == OPUS_41})
    view = load_plan_view(demo_store, contract.id, TODAY)
    assert view is not None and regions == ["us-east-1", "us-west-2"]
    text = callers_text(view.callers).plain
    assert "1 caller: none in this campaign's applications, 1 unassigned\n" in text
    assert "  CloudTrail was not read in us-east-1 yet: callers there are not listed.\n" in text
