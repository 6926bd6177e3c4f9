"""Sync dialog: choose profile and Regions, then watch each Region's progress; Escape or
Cancel stops a running sync within a moment, keeping the Regions that finished."""

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

    def __init__(self) -> None:
        super().__init__()
        self.ran = False
        self.running = False
        self.regions: list[str] = []
        self.finished_regions: set[str] = set()
        self.cancel = threading.Event()  # set: the running sync stops waiting for AWS

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog form", id="sync-dialog"):
            yield Label("Sync with AWS (read-only calls)", classes="dialog-title")
            with FieldsScroll(classes="form-fields"):
                yield Label("AWS profile (empty: the standard configuration)", classes="field-label")
                yield Input(id="profile")
                yield Label("Regions (comma-separated; empty: the ones your applications use)",
                            classes="field-label")
                yield Input(id="regions")
                with Horizontal(classes="toolbar"):
                    yield Checkbox("Discovery", True, id="discovery")
                    yield Checkbox("Usage", True, id="usage")
                    yield Checkbox("Health", True, id="health")
                # Rows only, never a focus stop of its own: Tab goes from Health to Start.
                yield Vertical(id="progress")
                yield Static("", id="sync-summary")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Start", id="start", variant="primary")
                yield Button("Close", id="close")

    def on_mount(self) -> None:
        focus_first_field(self)

    @on(Button.Pressed, "#start")
    def action_start(self) -> None:
        from ..integrations.aws.clients import make_session
        from ..integrations.aws.sync import choose_regions

        if self.running:
            return
        summary = self.query_one("#sync-summary", Static)
        try:
            session = make_session(self.query_one("#profile", Input).value.strip() or None)
            regions = choose_regions(planner_of(self).store, session,
                                     self.query_one("#regions", Input).value.strip() or None, False)
        except PlannerError as error:
            summary.update(inert_text(Text(str(error), style="red"), one_line=True))  # may quote what was typed
            return
        skip = frozenset(s for s in ("discovery", "usage", "health")
                         if not self.query_one(f"#{s}", Checkbox).value)
        progress = self.query_one("#progress", Vertical)
        progress.remove_children()
        self.regions = list(regions)
        self.finished_regions = set()
        progress.mount_all(
            Horizontal(
                Label(inert_text(region.ljust(16), one_line=True), classes="region-name"),
                ProgressBar(total=100, show_eta=False, id=f"bar-{region}"),
                Label("waiting", id=f"state-{region}", classes="muted"),
                classes="region-progress",
            )
            for region in regions
        )
        self.query_one("#start", Button).disabled = True
        self.query_one("#close", Button).label = "Cancel"
        summary.update(f"Syncing {len(regions)} Region(s)… (Escape cancels)")
        self.running = True
        self.cancel = threading.Event()
        self.sync(session, regions, skip, self.cancel)

    def _progress(self, region: str, fraction: float, message: str) -> None:
        """Called from worker threads: hand the update to the UI thread."""
        try:
            self.app.call_from_thread(self._show_progress, region, fraction, message)
        except RuntimeError:  # the app has closed meanwhile
            pass

    def _show_progress(self, region: str, fraction: float, message: str) -> None:
        if region in self.finished_regions:
            return
        for bar in self.query(f"#bar-{region}").results(ProgressBar):
            bar.update(progress=fraction * 100)
        for state in self.query(f"#state-{region}").results(Label):
            state.update(inert_text(Text(message, style="red" if message == "failed" else ""), one_line=True))
            state.remove_class("muted")

    def _show_final(self, region: str, state: str) -> None:
        """A Region the sync is done with: done, done with warnings or failed, never 'waiting'."""
        self.finished_regions.add(region)
        label, style = FINAL_STATES.get(state, ("failed", "red"))
        for bar in self.query(f"#bar-{region}").results(ProgressBar):
            bar.update(progress=100)
            if bar.parent is not None:
                bar.parent.set_class(label == "failed", "-failed")  # a full bar, in red
        for widget in self.query(f"#state-{region}").results(Label):
            widget.update(Text(label, style=style))
            widget.remove_class("muted")

    @work(thread=True, exclusive=True, exit_on_error=False, group="sync")
    def sync(self, session, regions: list[str], skip: frozenset[str], cancel: threading.Event) -> None:  # noqa: ANN001
        from ..integrations.aws.sync import run_sync

        try:
            planner = planner_of(self)
            report = run_sync(planner.store, session, regions, planner.today, skip, self._progress, cancel=cancel)
        except PlannerError as error:
            self.app.call_from_thread(self._failed, f"Sync failed: {error}")
            return
        except Exception as error:  # noqa: BLE001 - shown in the dialog, never a traceback
            self.app.call_from_thread(self._failed, f"Sync failed: {type(error).__name__}: {error}")
            return
        lines = Text(f"Sync {report.outcome}: {report.synced} of {len(report.regions)} Region(s)"
                     + (" kept.\n" if report.cancelled else ".\n"))
        for region in report.regions:
            if region.state == "failed":
                lines.append(f"{region.region}: {region.error}\n", style="red")
            elif region.state == "cancelled":
                lines.append(f"{region.region}: {region.error}\n", style="yellow")
            else:
                lines.append(f"{region.region}: {region.models} models, {region.changed_dates} dates "
                             f"changed, {region.discovered} resources found ({region.new_discovered} new)\n")
                for warning in region.warnings:
                    lines.append(f"  {warning}\n", style="yellow")
        if report.health_note:
            lines.append(report.health_note)
        lines.rstrip()
        states = {region.region: region.state for region in report.regions}
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
