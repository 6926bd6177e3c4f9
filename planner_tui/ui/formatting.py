"""How values look on screen: colours for urgency and risk, text progress bars."""

from __future__ import annotations

from rich.text import Text

from ..domain.schedule import Risk
from ..domain.vocabulary import Status

RISK_STYLE = {
    Risk.PAST_EOL: "bold reverse red",
    Risk.OVERDUE: "bold red",
    Risk.COMPRESSED: "bold magenta",
    Risk.AT_RISK: "yellow",
    Risk.ON_TRACK: "green",
    Risk.DONE: "dim",
    Risk.CLOSED: "dim italic",
}

STATUS_STYLE = {
    Status.ACTIVE: "green",
    Status.LEGACY: "yellow",
    Status.PEA: "dark_orange",
    Status.EOL: "bold red",
}


def days_style(days: int) -> str:
    if days < 0:
        return "bold red"
    if days <= 14:
        return "red"
    if days <= 60:
        return "yellow"
    return "green"


def days_text(days: int) -> Text:
    label = f"{days} d" if days >= 0 else f"{-days} d ago"
    return Text(label, style=days_style(days), justify="right")


def risk_text(risk: Risk) -> Text:
    return Text(risk.value, style=RISK_STYLE[risk])


def status_text(status: Status) -> Text:
    return Text(status.value, style=STATUS_STYLE[status])


def progress_bar(fraction: float, width: int = 10) -> Text:
    filled = round(max(0.0, min(1.0, fraction)) * width)
    bar = Text("━" * filled, style="green")
    bar.append("━" * (width - filled), style="grey30")
    bar.append(f" {fraction:>4.0%}")
    return bar
