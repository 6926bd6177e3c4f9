"""The Discovered screen lists places in code a scan recorded for no application (#18):
a Source column, `s` to show one source, Enter/a to assign one (asking the Region; the
model becomes a dependency and the place the application's evidence), Ctrl+Z to take it
back, x to dismiss; an unknown model is refused in one line with "did you mean"."""

from __future__ import annotations

from textual.widgets import DataTable, Select, Static

from planner_tui.ui.app import PlannerApp
from planner_tui.ui.screens.discovered import DiscoveredScreen

from .conftest import TODAY, settle
from .screen_states import SONNET_45, code_for_triage, forget_callers

APP = "Ops Chatbot"


def rows(app: PlannerApp) -> list[list[str]]:
    table = app.screen.query_one("#discovered", DataTable)
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


async def highlight(pilot, name_part: str) -> None:  # noqa: ANN001
    table = pilot.app.screen.query_one("#discovered", DataTable)
    index = next(i for i, row in enumerate(rows(pilot.app)) if name_part in row[5])
    table.move_cursor(row=index)
    await settle(pilot)


async def test_code_rows_beside_the_aws_resources_and_the_source_filter(demo_store) -> None:  # noqa: ANN001
    app = PlannerApp(demo_store, TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await code_for_triage()(pilot)
        screen = app.screen
        assert isinstance(screen, DiscoveredScreen)
        table = screen.query_one("#discovered", DataTable)
        assert [str(c.label) for c in table.ordered_columns][:2] == ["Source", "Region"]
        shown = rows(app)
        assert {r[0] for r in shown} == {"aws", "code"}
        tf = next(r for r in shown if r[5] == "infra/iam.tf:8")
        assert tf[1:5] == ["us-west-2", "terraform", SONNET_45, "Legacy"]
        assert tf[6].startswith("arn:aws:bedrock:us-west-2::foundation-model/")
        typo = next(r for r in shown if r[5] == "config/batch.yaml:3")
        assert typo[4] == "unknown model" and "did you mean anthropic.claude-3-haiku-20240307-v1:0?" in typo[3]
        note = str(screen.query_one("#discovered-note", Static).render())
        assert "4 places in code recorded by 'scan --record' wait for an application" in note
        assert screen.check_action("filter_source", ()) is True
        await pilot.press("s")
        await settle(pilot)
        assert {r[0] for r in rows(app)} == {"aws"}
        await pilot.press("s")
        await settle(pilot)
        assert {r[0] for r in rows(app)} == {"code"} and len(rows(app)) == 4
        assert "Showing places in code only (4); s shows every source." in str(
            screen.query_one("#discovered-note", Static).render())
        await highlight(pilot, "router.py")
        detail = str(screen.query_one("#discovered-detail", Static).render())
        assert "/srv/ops-scripts/src/triage/router.py:12:27: anthropic.claude-3-haiku-20240307-v1:0; EOL" in detail
        await pilot.press("s")
        await settle(pilot)
        assert {r[0] for r in rows(app)} == {"aws", "code"}


async def test_no_source_column_or_filter_without_code(demo_store) -> None:  # noqa: ANN001
    forget_callers(demo_store)  # the sync's resources alone
    app = PlannerApp(demo_store, TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.push_screen(DiscoveredScreen())
        await settle(pilot)
        assert app.screen.check_action("filter_source", ()) is False
        assert "Source" not in [str(c.label) for c in app.screen.query_one("#discovered", DataTable).ordered_columns]


async def test_assign_a_place_asks_the_region_and_ctrl_z_takes_it_back(demo_store) -> None:  # noqa: ANN001
    app_id = demo_store.application(APP).id
    before = {(d.model_id, d.region) for d in demo_store.dependencies(app_id)}
    assert (SONNET_45, "us-west-2") not in before
    def open_plans() -> int:
        return sum(p.is_open for p in demo_store.plans(with_items=False))

    plans = open_plans()
    app = PlannerApp(demo_store, TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await code_for_triage()(pilot)
        await highlight(pilot, "infra/iam.tf")
        await pilot.press("enter")
        await settle(pilot)
        dialog = app.screen
        assert dialog.query_one("#field-region", Select).value == "us-west-2"  # the ARN's Region
        dialog.query_one("#field-app", Select).value = str(app_id)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, DiscoveredScreen)
        assert (SONNET_45, "us-west-2") in {(d.model_id, d.region) for d in demo_store.dependencies(app_id)}
        assert open_plans() == plans + 1  # a plan opened for the retiring model
        assert "infra/iam.tf:8" not in [r[5] for r in rows(app)]
        assert [f.reference.file for f in demo_store.code_findings(app_id)] == ["infra/iam.tf"]  # its evidence
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert {(d.model_id, d.region) for d in demo_store.dependencies(app_id)} == before
        assert demo_store.code_findings(app_id) == []
        assert open_plans() == plans  # closed again, as removing the dependency does
        assert "infra/iam.tf:8" in [r[5] for r in rows(app)]


async def test_an_unknown_model_is_refused_and_x_dismisses_undoably(demo_store) -> None:  # noqa: ANN001
    app = PlannerApp(demo_store, TODAY)
    notes: list[str] = []
    async with app.run_test(size=(120, 40)) as pilot:
        await code_for_triage()(pilot)
        original = app.notify
        app.notify = lambda message, **kw: (notes.append(str(message)), original(message, **kw))[1]  # type: ignore[method-assign]
        await highlight(pilot, "config/batch.yaml")
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, DiscoveredScreen)  # no dialog: nothing to choose
        (refusal,) = [n for n in notes if "unknown model" in n]
        assert "did you mean anthropic.claude-3-haiku-20240307-v1:0?" in refusal and "\n" not in refusal
        await pilot.press("x")
        await settle(pilot)
        assert "config/batch.yaml:3" not in [r[5] for r in rows(app)]
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert "config/batch.yaml:3" in [r[5] for r in rows(app)]


async def test_file_names_and_matched_text_show_as_data(demo_store) -> None:  # noqa: ANN001
    import datetime as dt

    from planner_tui.persistence.repos.code_findings import FoundReference
    from planner_tui.services.commands.code_findings import record_code_scan

    forget_callers(demo_store)  # the place in code is the list's last row
    evil = "src/a\nb\x1b[31m[bold]x.py"
    record_code_scan(demo_store, None, "/srv/x", dt.date(2026, 11, 22), 1, "project", [
        FoundReference("e", evil, 1, 1, f"[red]{SONNET_45}", SONNET_45, None, True, "Legacy", "note", "python")])
    app = PlannerApp(demo_store, TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.push_screen(DiscoveredScreen())
        await settle(pilot)
        await pilot.press("end")
        await settle(pilot)
        (row,) = [r for r in rows(app) if r[0] == "code"]
        assert "\x1b" not in "".join(row) and "\n" not in row[5] and "[bold]x.py:1" in row[5]
        assert row[6] == f"[red]{SONNET_45}"  # shown as written, never as markup
        detail = str(app.screen.query_one("#discovered-detail", Static).render())
        assert "\x1b" not in detail and "[red]" in detail


async def test_assigning_to_an_application_using_the_model_there_keeps_the_place_as_evidence(demo_store) -> None:  # noqa: ANN001
    app_id = demo_store.application("Support Copilot").id  # uses Sonnet 4.5 in us-west-2 already
    deps = sorted((d.model_id, d.region) for d in demo_store.dependencies(app_id))
    app = PlannerApp(demo_store, TODAY)
    notes: list[str] = []
    async with app.run_test(size=(120, 40)) as pilot:
        await code_for_triage()(pilot)
        original = app.notify
        app.notify = lambda message, **kw: (notes.append(str(message)), original(message, **kw))[1]  # type: ignore[method-assign]
        await highlight(pilot, "infra/iam.tf")
        await pilot.press("a")
        await settle(pilot)
        app.screen.query_one("#field-app", Select).value = str(app_id)
        await pilot.press("ctrl+s")
        await settle(pilot)
    assert any(n.startswith("Support Copilot uses ") and " already; " in n
               and n.endswith("is Support Copilot's evidence now.") for n in notes), notes
    assert sorted((d.model_id, d.region) for d in demo_store.dependencies(app_id)) == deps
    assert "infra/iam.tf" in [f.reference.file for f in demo_store.code_findings(app_id)]
