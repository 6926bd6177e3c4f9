"""How values look on screen: colours for urgency and risk, text progress bars, and text
from people and AWS shown as data."""

from __future__ import annotations

from typing import Any

from rich.text import Text

from ..domain.inert import one_line, same_length, same_length_lines
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


# -- text from people and from AWS ---------------------------------------------------------
# Names, notes, model names: shown as written, never read as Rich or Textual markup ('[/]'
# raised, '[@click=app.quit]' was a live action) and never with a control character in them
# (an ESC sequence, OSC 52, a bidi override would reach the terminal): each becomes U+FFFD
# (domain/inert.py). Build widgets' content as Text, and pass it through these.


def shown(value: Any) -> str:
    """A value as one line of inert text, for a title, a label, an option, a field."""
    return one_line(value)


def inert_text(content: Any, *, one_line: bool = False) -> Any:
    """`content` (a str, taken as plain text, or a Text with its styles) with every control
    character replaced, character for character, so its styles stay where they were; line
    breaks kept (as spaces with `one_line`). Other renderables are returned as they are."""
    clean = same_length if one_line else same_length_lines
    if isinstance(content, str):
        return Text(clean(content))
    if isinstance(content, Text):
        plain = content.plain
        cleaned = clean(plain)
        if cleaned == plain:
            return content
        copy = content.copy()
        copy.plain = cleaned
        return copy
    return content


def read_error(error: BaseException | None) -> str:
    """A read that failed, in one line: the error's own sentence, never a traceback."""
    text = one_line(str(error)).strip() if error is not None else ""
    return text or f"{type(error).__name__} while reading the project."
