"""Every migration plan of the project in one list, most urgent first, with a filter."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import DataTable, Header, Input, Static

from ...services import overview
from ...services.campaign_view import CampaignHeader, group_by_campaign
from ...services.views.plans import PlansView, load_plans
from ..formatting import progress_bar, risk_text
from ..widgets.footer import Footer
from ..widgets.table import Table
from .base import PlannerScreen
from .campaigns import CampaignScreen, campaign_header_cells

# Rows handed to the table at a time. DataTable measures every cell it is given, which for
# 20,000 plans took seconds; the next page is added as the cursor or the view nears the end.
PAGE = 500


class PlansScreen(PlannerScreen[PlansView]):
    AUTO_FOCUS = "#all-plans"  # arrows move through the list, not a text field
    HELP_TITLE = "Plans"
    HELP_TEXT = (
        "All migration plans, most urgent first (overdue, compressed, at risk, on track, done). "
        "Type to filter by application, owner, team, model or risk; Down goes to the list, "
        "Enter opens the highlighted plan (the first one from the filter). b groups the plans by "
        "campaign (one per retiring model, the most urgent first) under a heading whose Enter "
        "opens the campaign; b again lists them all by urgency."
    )
    BINDINGS = [
        Binding("slash", "search", "Filter", id="plans.search"),
        Binding("escape", "clear", "Clear", show=False, id="plans.clear"),
        Binding("down", "to_list", "To the list", show=False, id="plans.to-list"),
        Binding("ctrl+end,end", "last", "Last plan", show=False, priority=True, id="plans.last"),
        Binding("b", "by_campaign", "By campaign", id="plans.by-campaign",
                tooltip="Group the plans by campaign (one per retiring model), or list them all by urgency"),
    ]
    by_campaign = False  # grouped under a heading per campaign
    TEXT_FIELD_KEEPS = PlannerScreen.TEXT_FIELD_KEEPS | {"last"}  # (ctrl+)end within the filter

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(classes="toolbar"):
            yield Input(placeholder="Filter by application, owner, model or risk… ( / )", id="plan-filter")
        yield Static(id="plans-count", classes="detail")
        yield Table(id="all-plans", cursor_type="row", zebra_stripes=True, classes="list",
                    keep=("Risk", "Next due", "Progress"))
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#all-plans", DataTable)
        table.add_columns("Application", "Model", "Risk", "Next due", "Phase", "Progress")
        table.loading = True  # until the first read arrives
        table.focus()
        self.rows: list[overview.PlanLine] = []
        self.owners: dict[int, str] = {}  # application id → its owner and team, for the filter
        self._shown: list[overview.PlanLine | CampaignHeader] = []
        self.watch(table, "scroll_y", self._scrolled, init=False)

    def load(self) -> PlansView:
        return load_plans(self.planner.store, self.planner.today)

    def show(self, data: PlansView) -> None:
        self.rows, self.owners = data.lines, data.owners
        self._filter_rows(keep_place=True)

    def _filter_rows(self, *, keep_place: bool = False) -> None:
        """The rows the filter matches, from the first; after a reload (`keep_place`) the
        cursor stays on the plan it was on and the view where it was."""
        query = self.query_one("#plan-filter", Input).value.strip().lower()
        table = self.query_one("#all-plans", Table)
        row, scrolled = table.cursor_row, table.scroll_y
        was = _key(self._shown[row]) if keep_place and table.row_count and 0 <= row < len(self._shown) else None
        table.clear()
        owners = self.owners
        shown = [
            r for r in self.rows
            if not query or all(w in f"{r.app_name} {owners.get(r.app_id, '')} {r.model_name} "
                                f"{r.model_id} {r.risk.value}".lower() for w in query.split())
        ]
        self._shown = group_by_campaign(shown) if self.by_campaign else list(shown)
        if was is not None:
            row = next((i for i, r in enumerate(self._shown) if _key(r) == was), row)
        self._add_rows(max(PAGE, row + 1) if keep_place else PAGE)  # the pages down to that row
        count = len(shown)
        self.query_one("#plans-count", Static).update(
            f"{count:,} of {len(self.rows):,} plans" + (f" in {len(self._shown) - count:,} campaigns"
                                                        if self.by_campaign else ""))
        table.loading = False
        if keep_place and table.row_count:
            table.measure_now()
            table.scroll_to(y=scrolled, animate=False, immediate=True)
            table.move_cursor(row=min(row, table.row_count - 1))

    def _add_rows(self, count: int) -> None:
        table = self.query_one("#all-plans", DataTable)
        start = table.row_count
        table.add_rows(
            campaign_header_cells(r, 6) if isinstance(r, CampaignHeader) else
            (r.app_name, r.model_name, risk_text(r.risk), str(r.next_due or ""), r.phase_label,
             progress_bar(r.progress, 8))
            for r in self._shown[start:start + count]
        )

    def _more_if_near_end(self, row: int) -> None:
        table = self.query_one("#all-plans", DataTable)
        if table.row_count < len(self._shown) and row >= table.row_count - PAGE // 5:
            self._add_rows(PAGE)

    @on(DataTable.RowHighlighted, "#all-plans")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._more_if_near_end(event.cursor_row)

    def _scrolled(self, _before: float, after: float) -> None:
        table = self.query_one("#all-plans", DataTable)
        self._more_if_near_end(int(after) + table.size.height)

    def action_last(self) -> None:  # (ctrl+)end, as the list binds it (to its last row)
        table = self.query_one("#all-plans", DataTable)
        self._add_rows(len(self._shown) - table.row_count)  # all of them: asked for the end
        if table.row_count:
            table.move_cursor(row=table.row_count - 1)

    @on(Input.Changed, "#plan-filter")
    def _filter(self) -> None:
        self._filter_rows()

    @on(Input.Submitted, "#plan-filter")
    def _filter_done(self) -> None:
        """Enter in the filter opens the highlighted plan: the first that matches."""
        table = self.query_one("#all-plans", DataTable)
        table.focus()
        if table.row_count and 0 <= table.cursor_row < len(self._shown):
            self._open(self._shown[table.cursor_row])

    def action_to_list(self) -> None:
        """Down in the filter goes to the list (the table handles its own Down)."""
        self.query_one("#all-plans", DataTable).focus()

    def action_search(self) -> None:
        self.query_one("#plan-filter", Input).focus()

    def action_clear(self) -> None:
        self.query_one("#plan-filter", Input).value = ""
        self.query_one("#all-plans", DataTable).focus()

    @on(DataTable.RowSelected, "#all-plans")
    def _selected(self, event: DataTable.RowSelected) -> None:
        self._open(self._shown[event.cursor_row])

    def _open(self, row: overview.PlanLine | CampaignHeader) -> None:
        """A plan opens its plan; a campaign's heading, its campaign."""
        if isinstance(row, CampaignHeader):
            self.app.push_screen(CampaignScreen(row.model_id))
        else:
            self.planner.open_plan(row.plan_id)

    def action_by_campaign(self) -> None:
        self.by_campaign = not self.by_campaign
        self._filter_rows(keep_place=True)


def _key(row: overview.PlanLine | CampaignHeader) -> str:
    return f"campaign:{row.model_id}" if isinstance(row, CampaignHeader) else str(row.plan_id)
