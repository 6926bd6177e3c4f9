"""What the command line prints: plain tables, JSON, the merged history, a closed stdout."""

from __future__ import annotations

import io
import json
import os
import re
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..persistence.store import ProjectStore

# Exit code when whoever reads our output stops early (`planner-tui models | head`): 1, as
# Python's documentation does for EPIPE.
EXIT_READER_GONE = 1

REPORT_KINDS = {"md": "a Markdown", "html": "an HTML", "csv": "a CSV", "json": "a JSON"}


# Control characters in text people typed (a newline in a title, a terminal escape) would
# break a table's rows or drive the terminal: shown as a space and as U+FFFD instead.
_BREAKS = re.compile(r"[\t\n\r\v\f]+")
_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def plain(value: Any) -> str:
    """A value as one line of inert text."""
    text = "" if value is None else str(value)
    return _CONTROLS.sub("\ufffd", _BREAKS.sub(" ", text))


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
    print(f"planner-tui: warning: {plain(message)}", file=sys.stderr)


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
    rows = [{"at": e.at, "actor": e.actor, "what": e.describe(), "table": e.table_name,
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
