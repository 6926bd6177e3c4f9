"""Sync dialog: choose profile and Regions, then watch each Region's progress."""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, ProgressBar, Static

from ..errors import PlannerError


class SyncDialog(ModalScreen[bool]):
    """Returns True when a sync ran (so screens reload)."""

    BINDINGS = [Binding("escape", "close", "Close", id="sync.close")]

    def __init__(self) -> None:
        super().__init__()
        self.ran = False
        self.running = False

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog form", id="sync-dialog"):
            yield Label("Sync with AWS (read-only calls)", classes="dialog-title")
            yield Label("AWS profile (empty: the standard configuration)", classes="field-label")
            yield Input(id="profile")
            yield Label("Regions (comma-separated; empty: the ones your applications use)",
                        classes="field-label")
            yield Input(id="regions")
            with Horizontal(classes="toolbar"):
                yield Checkbox("Discovery", True, id="discovery")
                yield Checkbox("Usage", True, id="usage")
                yield Checkbox("Health", True, id="health")
            yield VerticalScroll(id="progress")
            yield Static("", id="sync-summary")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Start", id="start", variant="primary")
                yield Button("Close", id="close")

    @on(Button.Pressed, "#start")
    def _start(self) -> None:
        from ..integrations.aws.clients import make_session
        from ..integrations.aws.sync import choose_regions

        summary = self.query_one("#sync-summary", Static)
        try:
            session = make_session(self.query_one("#profile", Input).value.strip() or None)
            regions = choose_regions(self.app.store, session,
                                     self.query_one("#regions", Input).value.strip() or None, False)
        except PlannerError as error:
            summary.update(Text(str(error), style="red"))  # may quote what was typed
            return
        skip = frozenset(s for s in ("discovery", "usage", "health")
                         if not self.query_one(f"#{s}", Checkbox).value)
        progress = self.query_one("#progress", VerticalScroll)
        progress.remove_children()
        for region in regions:
            progress.mount(Horizontal(
                Label(region.ljust(16), classes="region-name"),
                ProgressBar(total=100, show_eta=False, id=f"bar-{region}"),
                Label("waiting", id=f"state-{region}", classes="muted"),
                classes="region-progress",
            ))
        self.query_one("#start", Button).disabled = True
        summary.update(f"Syncing {len(regions)} Region(s)…")
        self.running = True
        self.sync(session, regions, skip)

    def _progress(self, region: str, fraction: float, message: str) -> None:
        """Called from worker threads: hand the update to the UI thread."""
        self.app.call_from_thread(self._show_progress, region, fraction, message)

    def _show_progress(self, region: str, fraction: float, message: str) -> None:
        self.query_one(f"#bar-{region}", ProgressBar).update(progress=fraction * 100)
        self.query_one(f"#state-{region}", Label).update(message)

    @work(thread=True, exclusive=True, exit_on_error=False, group="sync")
    def sync(self, session, regions: list[str], skip: frozenset[str]) -> None:  # noqa: ANN001
        from ..integrations.aws.sync import run_sync

        try:
            report = run_sync(self.app.store, session, regions, self.app.today, skip, self._progress)
        except PlannerError as error:
            self.app.call_from_thread(self._finished, f"[red]Sync failed: {error}[/red]")
            return
        lines = [f"Sync {report.outcome}: {sum(r.state != 'failed' for r in report.regions)} of "
                 f"{len(report.regions)} Region(s)."]
        for region in report.regions:
            if region.state == "failed":
                lines.append(f"[red]{region.region}: {region.error}[/red]")
            else:
                lines.append(f"{region.region}: {region.models} models, {region.changed_dates} dates "
                             f"changed, {region.discovered} resources found ({region.new_discovered} new)")
                lines += [f"  [yellow]{w}[/yellow]" for w in region.warnings]
        if report.health_note:
            lines.append(report.health_note)
        self.app.call_from_thread(self._finished, "\n".join(lines))

    def _finished(self, text: str) -> None:
        self.running = False
        self.ran = True
        self.query_one("#sync-summary", Static).update(text)
        self.query_one("#start", Button).disabled = False

    @on(Button.Pressed, "#close")
    def action_close(self) -> None:
        if self.running:
            self.notify("The sync is still running; it keeps what each Region brought.")
            return
        self.dismiss(self.ran)
