"""The code in the plan workspace: under Assess every place the application's code names
the plan's model (from `scan PATH --app APP`), resolved ones marked; under Update the files
the "swap the model ID in code" item has left to change. Read from the plan's view."""

from __future__ import annotations

from rich.text import Text
from textual.widget import Widget

from ...domain.vocabulary import Phase
from ...services.plan_view import PlanView
from ...services.views.code_findings import SWAP_ITEM_PREFIX, PlanCodeFindings
from .inert import InertStatic

SHOWN = 40  # places listed; the rest are counted ('plans show ID' lists them all)
_STATUS_STYLE = {"EOL": "bold red", "PEA": "red", "Legacy": "yellow"}


def _one(text: str) -> str:
    """A file name or matched text on one line of the list (other controls: InertStatic)."""
    return " ".join(text.splitlines()) if text else text


class CodeFindingsText(InertStatic):
    """Focusable, so that Tab brings it into view where the phase panel is taller than the
    screen (at 80×24 it starts below the fold)."""

    can_focus = True
    DEFAULT_CSS = """
    CodeFindingsText { height: auto; }
    CodeFindingsText:focus { background: $boost; }
    """


def code_widgets(view: PlanView, phase: Phase) -> list[Widget]:
    """Nothing until the application's code has been scanned."""
    if not view.code.scanned:
        return []
    if phase is Phase.ASSESS:
        return [CodeFindingsText(places_text(view.code), id="code-places")]
    if phase is Phase.UPDATE:
        return [CodeFindingsText(files_text(view), id="code-files")]
    return []


def places_text(code: PlanCodeFindings) -> Text:
    text = Text()  # (a style given to Text() would be every line's)
    text.append("Where the code names this model\n", style="bold")
    text.append(f"  {code.summary()}\n", style="dim")
    for place in code.open_places[:SHOWN]:
        ref = place.reference
        text.append(f"  {_one(code.where(place))}  ")
        text.append(_one(ref.matched))
        text.append(f"  {ref.status}\n", style=_STATUS_STYLE.get(ref.status, ""))
    hidden = len(code.open_places) - SHOWN
    if hidden > 0:
        text.append(f"  … and {hidden} more ('planner-tui plans show' lists every one)\n", style="dim")
    for place in code.resolved_places[:SHOWN]:
        text.append(f"  ✓ {_one(code.where(place))}  {_one(place.reference.matched)}  resolved {place.resolved_on}\n",
                    style="dim green")
    return text


def files_text(view: PlanView) -> Text:
    code = view.code
    item = next((i.title for i in view.row.plan.items_in(Phase.UPDATE) if i.title.startswith(SWAP_ITEM_PREFIX)),
                "Swap the model ID in code and config")
    text = Text()
    text.append(f"Files for '{item}'\n", style="bold")
    for name, count in code.files:
        text.append(f"  {_one(name)}")
        text.append(f"  {count} place{'s' * (count != 1)}\n", style="dim")
    if not code.files:
        text.append(f"  None left: the last scan ({code.last_scanned}) found this model nowhere in the code.\n",
                    style="green")
    else:
        text.append(f"  After the change, scan again: what remains shows here (last scan {code.last_scanned}).\n",
                    style="dim")
    return text
