"""What the command line prints: plain tables, JSON, the merged history, a closed stdout."""

from __future__ import annotations

import io
import json
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, TextIO

from ..domain.inert import lines, one_line

if TYPE_CHECKING:
    from ..persistence.store import ProjectStore

# Exit code when whoever reads our output stops early (`planner-tui models | head`): 1, as
# Python's documentation does for EPIPE.
EXIT_READER_GONE = 1

REPORT_KINDS = {"md": "a Markdown", "html": "an HTML", "csv": "a CSV", "json": "a JSON"}


# Everything printed for people goes through `say` (a message) or `show` (a table, a plan):
# text people typed or AWS sent (a newline in a title, a terminal escape, an OSC 52 clipboard
# write, a bidi override) would break a table's rows or drive the terminal, so each control
# character is shown as U+FFFD and a line break inside a value as a space (domain/inert.py).
# `--json` output escapes them instead (json.dumps, ASCII only).


def plain(value: Any) -> str:
    """A value as one line of inert text."""
    return one_line(value)


def say(message: Any = "", *, file: TextIO | None = None) -> None:
    """Print one line for people (a message that may quote names): never more than a line,
    nothing in it a terminal acts on."""
    print(one_line(message), file=file if file is not None else sys.stdout)


def show(text: str, *, file: TextIO | None = None) -> None:
    """Print a block for people (a table, a plan): its lines stay lines, each inert."""
    print(lines(text), file=file if file is not None else sys.stdout)


def table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    cells = [[str(c) for c in headers]] + [[plain(c) for c in r] for r in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    return "\n".join(
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in cells
    )


def print_json(data: Any) -> None:
    # Indented for people at a terminal; compact (and much faster) when piped to a program.
    print(json.dumps(data, indent=2 if sys.stdout.isatty() else None, default=str))


def warn(message: str) -> None:
    say(f"planner-tui: warning: {message}", file=sys.stderr)


def reader_gone() -> int:
    """stdout was closed before we finished writing: stop quietly, no traceback. Later
    writes, and the flush at exit, go to the null device instead of failing again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError, io.UnsupportedOperation):
        pass  # not a real file (a test's capture): nothing will flush it at exit
    return EXIT_READER_GONE


def history(store: ProjectStore, app_id: int | None, limit: int | None) -> list[dict[str, Any]]:
    """The audit trail, newest first; for the whole project also every change of a vendor
    date (catalog reload, sync), as the TUI's project history shows them. Dates typed by
    hand are in the audit trail with who typed them; their vendor-history twins are left
    out (older projects logged hand-typed dates there only, and keep them)."""
    from ..domain.audit import field_label
    from ..persistence.store import HAND_SOURCE

    entries = store.audit_trail(app_id=app_id, limit=limit)
    rows: list[dict[str, Any]] = [{"at": e.at, "actor": e.actor, "what": e.describe(), "table": e.table_name,
             "action": e.action, "old": e.old, "new": e.new} for e in entries]
    if app_id is not None:
        return rows
    typed = {(e.at, e.row_key) for e in entries if e.table_name == "lifecycle"}
    for change in store.vendor_changes(limit=limit):
        at = change["changed_at"].replace("+00:00", "Z")
        key = f"{change['model_id']}@{change['region']}"
        if change["source"] == HAND_SOURCE and (at, key) in typed:
            continue
        field, old, new = change["field"], change["old_value"], change["new_value"]
        rows.append({"at": at, "actor": change["source"],
                     "what": f"changed lifecycle date '{key}': {field_label(field)}: "
                             f"{old or '–'} → {new or '–'}",
                     "table": "lifecycle", "action": "update", "old": {field: old}, "new": {field: new}})
    rows.sort(key=lambda r: r["at"], reverse=True)
    return rows[:limit] if limit else rows
