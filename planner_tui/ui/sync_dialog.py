"""Sync dialog: choose the profile (several, comma-separated: one account each) or every account
of the organization, the Regions, and what to read (Discovery, Usage, Health, CloudTrail's
callers); then watch each Region's progress (each account's, for several accounts). Escape or
Cancel stops a running sync within a moment, keeping what finished."""

from __future__ import annotations

import threading

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, ProgressBar, Static

from ..errors import PlannerError
from .dialogs import FieldsScroll, focus_first_field
from .formatting import inert_text
from .typed import planner_of

# How a Region's row reads when the sync has finished with it.
FINAL_STATES = {"ok": ("done", ""), "partial": ("done with warnings", "yellow"), "failed": ("failed", "red"),
                "cancelled": ("cancelled", "yellow")}


class SyncDialog(ModalScreen[bool]):
    """Returns True when a sync ran (so screens reload)."""

    BINDINGS = [
        Binding("escape", "close", "Close", id="sync.close",
                tooltip="Close the dialog; while a sync runs, cancel it (finished Regions are kept)"),
        Binding("ctrl+s", "start", "Start", id="sync.start"),
    ]
    AUTO_FOCUS = ""  # the first field, in on_mount
    # The four parts on one line of the dialog, at 80 columns too.
    DEFAULT_CSS = """
    SyncDialog #parts { height: auto; }
    SyncDialog #parts Checkbox { padding: 0; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.ran = False
        self.running = False
        self.regions: list[str] = []  # the rows: Regions, or accounts for a sync of several
        self.finished_regions: set[str] = set()
        self.parts: dict[str, dict[str, float]] = {}  # account row -> Region -> fraction done
        self.row_ids: dict[str, str] = {}  # row (Region or account) -> its widgets' id
        self.cancel = threading.Event()  # set: the running sync stops waiting for AWS

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog form", id="sync-dialog"):
            yield Label("Sync with AWS (read-only calls)", classes="dialog-title")
            with FieldsScroll(classes="form-fields"):
                yield Label("AWS profile (a,b,c: several accounts; empty: default)", classes="field-label")
                yield Input(id="profile")
                yield Checkbox("Every account of the organization", False, id="org")
                yield Label("Role (empty: OrganizationAccountAccessRole), external ID", classes="field-label")
                with Horizontal(classes="toolbar"):
                    yield Input(placeholder="role name", id="role-name")
                    yield Input(placeholder="external ID", id="external-id")
                yield Label("Regions (comma-separated; empty: the ones your applications use)",
                            classes="field-label")
                yield Input(id="regions")
                with Horizontal(id="parts"):
                    yield Checkbox("Discovery", True, id="discovery")
                    yield Checkbox("Usage", True, id="usage")
                    yield Checkbox("Health", True, id="health")
                    yield Checkbox("Callers (CloudTrail)", True, id="callers",
                                   tooltip="Who calls each model: CloudTrail's LookupEvents (90 days)")
                # Rows only, never a focus stop of its own: Tab goes from Callers to Start.
                yield Vertical(id="progress")
                yield Static("", id="sync-summary")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Start", id="start", variant="primary")
                yield Button("Close", id="close")

    def on_mount(self) -> None:
        focus_first_field(self)

    @on(Button.Pressed, "#start")
    def action_start(self) -> None:
        from ..integrations.aws import accounts as aws_accounts
        from ..integrations.aws.clients import make_session
        from ..integrations.aws.sync import choose_regions

        if self.running:
            return
        summary = self.query_one("#sync-summary", Static)
        profile = self.query_one("#profile", Input).value.strip()
        org = self.query_one("#org", Checkbox).value
        try:
            if org and profile:
                raise PlannerError("choose a profile or every account of the organization, not both.")
            several = "," in profile
            session = make_session(None if several else profile or None)
            accounts = aws_accounts.from_profiles(profile) if several else None
            regions = choose_regions(planner_of(self).store, session,
                                     self.query_one("#regions", Input).value.strip() or None, False)
        except PlannerError as error:
            summary.update(inert_text(Text(str(error), style="red"), one_line=True))  # may quote what was typed
            return
        skip = frozenset(s for s in ("discovery", "usage", "health", "callers")
                         if not self.query_one(f"#{s}", Checkbox).value)
        self.query_one("#start", Button).disabled = True
        self.query_one("#close", Button).label = "Cancel"
        self.running = True
        self.cancel = threading.Event()
        if org:
            summary.update("Listing the organization's accounts… (Escape cancels)")
        else:
            self._rows(regions if accounts is None else [a.title for a in accounts], regions,
                       several=accounts is not None)
        options = (self.query_one("#role-name", Input).value.strip() or None,
                   self.query_one("#external-id", Input).value.strip() or None)
        self.sync(session, regions, skip, self.cancel, accounts, org, options)

    def _rows(self, rows: list[str], regions: list[str], several: bool) -> None:
        """One progress row per Region, or per account for a sync of several accounts."""
        progress = self.query_one("#progress", Vertical)
        progress.remove_children()
        self.regions = list(rows)
        self.finished_regions = set()
        self.parts = {row: dict.fromkeys(regions, 0.0) for row in rows} if several else {}
        # A Region's widgets are named after it; an account's (any text) by its place.
        self.row_ids = {row: f"account-{n}" if several else row for n, row in enumerate(rows)}
        progress.mount_all(
            Horizontal(
                # An account's row: its name (the ID when it has none), cut to fit beside the bar.
                Label(inert_text((row.split(" (")[0][:20].ljust(20) if several else row.ljust(16)), one_line=True),
                      classes="region-name"),
                ProgressBar(total=100, show_eta=False, id=f"bar-{self.row_ids[row]}"),
                Label("waiting", id=f"state-{self.row_ids[row]}", classes="muted"),
                classes="region-progress",
            )
            for row in rows
        )
        what = f"{len(rows)} account(s) × {len(regions)} Region(s)" if several else f"{len(rows)} Region(s)"
        self.query_one("#sync-summary", Static).update(f"Syncing {what}… (Escape cancels)")

    def _progress(self, region: str, fraction: float, message: str) -> None:
        """Called from worker threads: hand the update to the UI thread."""
        try:
            self.app.call_from_thread(self._show_progress, region, fraction, message)
        except RuntimeError:  # the app has closed meanwhile
            pass

    def _show_progress(self, where: str, fraction: float, message: str) -> None:
        from ..integrations.aws.sync import ACROSS

        region = where
        if self.parts:  # 'account · Region': the account's row shows the share of its Regions done
            region, _, in_region = where.rpartition(ACROSS)
            if region not in self.parts:
                return
            self.parts[region][in_region] = fraction
            done = self.parts[region]
            fraction = sum(done.values()) / max(1, len(done))
            finished = sum(value >= 1.0 for value in done.values())
            message = f"{finished} of {len(done)} Region(s) done" if message != "failed" or finished < len(done) \
                else "failed"
        if region in self.finished_regions or region not in self.row_ids:
            return
        row_id = self.row_ids[region]
        for bar in self.query(f"#bar-{row_id}").results(ProgressBar):
            bar.update(progress=fraction * 100)
        for state in self.query(f"#state-{row_id}").results(Label):
            state.update(inert_text(Text(message, style="red" if message == "failed" else ""), one_line=True))
            state.remove_class("muted")

    def _show_final(self, region: str, state: str) -> None:
        """A Region the sync is done with: done, done with warnings or failed, never 'waiting'."""
        self.finished_regions.add(region)
        label, style = FINAL_STATES.get(state, ("failed", "red"))
        row_id = self.row_ids.get(region, "")
        for bar in self.query(f"#bar-{row_id}").results(ProgressBar):
            bar.update(progress=100)
            if bar.parent is not None:
                bar.parent.set_class(label == "failed", "-failed")  # a full bar, in red
        for widget in self.query(f"#state-{row_id}").results(Label):
            widget.update(Text(label, style=style))
            widget.remove_class("muted")

    @work(thread=True, exclusive=True, exit_on_error=False, group="sync")
    def sync(self, session, regions: list[str], skip: frozenset[str], cancel: threading.Event,  # noqa: ANN001
             accounts: list | None = None, org: bool = False, options: tuple = (None, None)) -> None:
        from ..integrations.aws import accounts as aws_accounts
        from ..integrations.aws.clients import client_config
        from ..integrations.aws.sync import run_sync

        try:
            planner = planner_of(self)
            if org:  # ListAccounts: a call to AWS, here off the UI thread
                try:
                    accounts = aws_accounts.from_organization(session, client_config(session), *options)
                except aws_accounts.AccountsFailed as error:
                    self.app.call_from_thread(self._failed, f"Sync failed: {error}")
                    return
                labels = [a.title for a in accounts]
                self.app.call_from_thread(self._rows, labels, regions, True)
            report = run_sync(planner.store, session, regions, planner.today, skip, self._progress, cancel=cancel,
                              accounts=accounts, organization=session if org else None)
        except PlannerError as error:
            self.app.call_from_thread(self._failed, f"Sync failed: {error}")
            return
        except Exception as error:  # noqa: BLE001 - shown in the dialog, never a traceback
            self.app.call_from_thread(self._failed, f"Sync failed: {type(error).__name__}: {error}")
            return
        several = bool(self.parts)
        scope = (f"{report.accounts - len(report.failed_accounts)} of {report.accounts} account(s), "
                 if several else "")
        lines = Text(f"Sync {report.outcome}: {scope}{report.synced} of {len(report.regions)} Region(s)"
                     + (" kept.\n" if report.cancelled else ".\n"))
        for line in report.failed_accounts:  # an account whose role cannot be assumed: one line
            lines.append(f"{line}\n", style="red")
        for region in report.regions:
            if region.error in report.failed_accounts:
                continue
            # With several accounts, every message already names its account.
            where = "" if several else f"{region.region}: "
            if region.state == "failed":
                lines.append(f"{where}{region.error}\n", style="red")
            elif region.state == "cancelled":
                lines.append(f"{where}{region.error}\n", style="yellow")
            elif not several:
                lines.append(f"{where}{region.models} models, {region.changed_dates} dates "
                             f"changed, {region.discovered} resources found ({region.new_discovered} new)\n")
            for warning in region.warnings:
                lines.append(f"{'' if several else '  '}{warning}\n", style="yellow")
            for outage in region.outages:
                lines.append(f"{'' if several else '  '}{outage}\n", style="bold red")
        if several:
            found = sum(r.discovered for r in report.regions)
            lines.append(f"{found} resource(s) found in all.\n")
        if "callers" not in skip and not report.cancelled and report.synced:
            callers = sum(r.callers for r in report.regions)
            lines.append(f"CloudTrail: {callers} new caller(s) of Bedrock models"
                         + (": the Discovered screen (Applications, u) lists them to accept.\n" if callers else ".\n"))
        if report.health_note:
            lines.append(report.health_note)
        lines.rstrip()
        states: dict[str, str] = {}
        for number, region in enumerate(report.regions):
            row = self.regions[number // max(1, len(report.regions) // max(1, len(self.regions)))] \
                if several else region.region
            before = states.get(row)
            states[row] = region.state if before in (None, region.state) else "partial"
        self.app.call_from_thread(self._finished, inert_text(lines), states)  # AWS text is data

    def _failed(self, message: str) -> None:
        """Nothing synced: every Region not yet finished failed with it."""
        self._finished(inert_text(Text(message, style="red")), {})

    def _finished(self, text: Text, states: dict[str, str]) -> None:
        self.running = False
        self.ran = True
        for region in self.regions:
            if region not in self.finished_regions:
                self._show_final(region, states.get(region, "failed"))
        self.query_one("#sync-summary", Static).update(text)  # AWS messages: never markup
        self.query_one("#start", Button).disabled = False
        self.query_one("#close", Button).label = "Close"
        fields = self.query_one(FieldsScroll)
        self.call_after_refresh(fields.scroll_end, animate=False)  # the outcome, in sight

    @on(Button.Pressed, "#close")
    def action_close(self) -> None:
        if self.running:  # Cancel: the sync stops waiting for AWS; the dialog shows what it kept
            if not self.cancel.is_set():
                self.cancel.set()
                self.query_one("#sync-summary", Static).update("Cancelling… Regions that finished are kept.")
            return
        self.dismiss(self.ran)

    def on_unmount(self) -> None:
        self.cancel.set()  # the app is closing: a sync still running stops
