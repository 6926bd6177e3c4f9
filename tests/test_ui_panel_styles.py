"""The plan's panels bold their headings only: a style given to `Text()` itself is every
line's, and the usage, places and files under the headings read as headings too."""

from __future__ import annotations

from rich.text import Text

from planner_tui.services.plan_view import load_plan_view
from planner_tui.ui.widgets.code_findings import files_text, places_text
from planner_tui.ui.widgets.phase_panel import usage_text

from .conftest import TODAY

SONNET_45 = "anthropic.claude-sonnet-4-5-20250929-v1:0"


def bold_lines(text: Text) -> list[str]:
    """The lines any part of which is bold."""
    lines, start = [], 0
    for line in text.plain.split("\n"):
        end = start + len(line)
        if text.style and "bold" in str(text.style) or any(
                "bold" in str(span.style) and span.start < end and span.end > start for span in text.spans):
            lines.append(line)
        start = end + 1
    return lines


def test_only_the_headings_are_bold(demo_store) -> None:  # noqa: ANN001
    plan = next(p for p in demo_store.plans() if p.app_name == "Support Copilot" and p.model_id == SONNET_45)
    view = load_plan_view(demo_store, plan.id, TODAY)
    assert view is not None and view.dependencies
    usage = usage_text(view)
    assert bold_lines(usage) == ["Usage of this model"]
    assert "us-east-1" in usage.plain
    assert bold_lines(places_text(view.code)) == ["Where the code names this model"]
    files = files_text(view)
    assert bold_lines(files) == [files.plain.split("\n")[0]] and files.plain.startswith("Files for '")
