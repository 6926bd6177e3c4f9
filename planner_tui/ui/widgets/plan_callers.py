"""Who calls the plan's model, under Assess (issue #17): the principals CloudTrail saw calling
it, per application they were accepted into (the plan's own first, then its campaign's),
then the unassigned ones with how to accept one. Read from the plan's view; nothing is said
until a sync has read CloudTrail, as the code panel says nothing until a scan."""

from __future__ import annotations

from rich.text import Text
from textual.widget import Widget

from ...services.plan_view import PlanView
from ...services.views.callers import CallerLine
from ...services.views.plan_callers import PlanCallers
from .code_findings import CodeFindingsText

SHOWN = 40  # callers listed; the rest are counted ('planner-tui callers MODEL' lists them all)
LINE = 76  # a caller's lines fit 80 columns (the panel's padding and scroll bar)
ACCOUNT_WIDTH = 24
_FLAG_STYLE = {"EOL": "bold red", "PEA": "yellow", "Legacy": "yellow"}


class CallersText(CodeFindingsText):
    """Focusable like the code panel's: Tab brings it into view below the fold."""


def callers_widgets(view: PlanView) -> list[Widget]:
    if not view.callers.shown:
        return []
    return [CallersText(callers_text(view.callers), id="plan-callers")]


def cut(text: str, width: int) -> str:
    """On one line, at most `width` characters: the middle gives way."""
    text = " ".join(text.split())
    if len(text) <= width:
        return text
    head = (width - 1) * 2 // 5
    return f"{text[:head]}…{text[len(text) - (width - 1 - head):]}"


def cut_arn(arn: str, width: int) -> str:
    """A principal's ARN in at most `width` characters, its account kept: an assumed role's
    session gives way first (…:assumed-role/ROLE/sess…); a role's or user's path, then the
    start of its name (…:role/…/NAME, …:role/…ME)."""
    arn = " ".join(arn.split())
    if len(arn) <= width:
        return arn
    parts = arn.split(":", 5)
    if len(parts) < 6 or "/" not in parts[5]:
        return cut(arn, width)
    head, (kind, *path) = ":".join(parts[:5]) + ":", parts[5].split("/")
    if kind == "assumed-role":
        return arn[:width - 1] + "…"
    shown = f"{head}{kind}/…/{path[-1]}"
    if len(path) > 1 and len(shown) <= width:
        return shown
    room = width - len(head) - len(kind) - 2
    return f"{head}{kind}/…{path[-1][-room:]}" if room >= 8 else cut(arn, width)


def _account(line: CallerLine) -> str:
    """The account's name (its ID is in the ARN below), or its label when the ARN does not name it."""
    caller = line.caller
    if caller.account_name and caller.account_id and caller.account_id in caller.principal_arn:
        return cut(caller.account_name, ACCOUNT_WIDTH)
    return cut(line.account, ACCOUNT_WIDTH + 15)


def callers_text(callers: PlanCallers) -> Text:
    """Two lines per caller: who (the principal's ARN, as data) and where, how much, when."""
    text = Text()  # (a style given to Text() would be every line's)
    text.append("Who calls this model (CloudTrail)\n", style="bold")
    text.append(f"  {callers.summary()}\n", style="dim")
    if callers.lines and callers.unread_regions:
        text.append(f"  CloudTrail was not read in {', '.join(callers.unread_regions)} yet: callers there are "
                    "not listed.\n", style="dim")
    heading: tuple[int, str] | None = None
    for line in callers.lines[:SHOWN]:
        group = callers.group(line)
        if (group, line.app_name) != heading:
            heading = (group, line.app_name)
            text.append(f"  {_heading(line, group)}\n", style="bold")
        caller = line.caller
        text.append("    ")
        key = "" if group != 3 else "dismissed " if caller.dismissed else f"{callers.key(line)} "
        text.append(key, style="bold")
        text.append(cut_arn(caller.principal_arn, LINE - 4 - len(key)) + "\n")
        text.append(f"      {_account(line)} · {caller.region} · {caller.calls:,} calls, "
                    f"last {caller.last_seen:%Y-%m-%d}", style="dim")
        if line.flag:
            style = "bold yellow" if line.idle else _FLAG_STYLE.get(line.status.value if line.status else "", "")
            text.append(f" · {line.flag}", style=style)
        text.append("\n")
    hidden = len(callers.lines) - SHOWN
    if hidden > 0:
        text.append(f"  … and {hidden} more ('planner-tui callers {callers.model_id}' lists every one)\n",
                    style="dim")
    if callers.unassigned:
        # two short lines: one long one wraps without its indent
        text.append("  Accept an unassigned one in the Discovered screen (Applications, u)\n"
                    "  or with 'planner-tui discovered accept tID --app APP'.", style="dim")
    text.rstrip()
    return text


def _heading(line: CallerLine, group: int) -> str:
    if group == 0:
        return f"{cut(line.app_name, 60)} (this plan)"
    if group == 1:
        return cut(line.app_name, 60)
    if group == 2:
        return f"{cut(line.app_name, 40)} (no plan on this model)"
    return "Unassigned"
