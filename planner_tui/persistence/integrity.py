"""Is a project sound? SQLite's integrity check and the foreign keys, as lines for people."""

from __future__ import annotations

import sqlite3

MAX_PROBLEMS = 100


def problems(conn: sqlite3.Connection) -> list[str]:
    """What is wrong with the database (empty when it is sound): every page, index and
    constraint SQLite checks, and every row that refers to a row that does not exist."""
    found = [line for (line,) in conn.execute(f"PRAGMA integrity_check({MAX_PROBLEMS})") if line != "ok"]
    columns: dict[tuple[str, int], list[str]] = {}
    for table, rowid, parent, key in conn.execute("PRAGMA foreign_key_check"):
        if len(found) >= MAX_PROBLEMS:
            break
        if (table, key) not in columns:
            columns[(table, key)] = [row[3] for row in conn.execute(
                f"PRAGMA foreign_key_list({_quoted(table)})") if row[0] == key]
        names = columns[(table, key)]
        try:
            values = conn.execute(f"SELECT {', '.join(map(_quoted, names))} FROM {_quoted(table)} "
                                  "WHERE rowid = ?", [rowid]).fetchone() or ()
        except sqlite3.Error:
            values = ()
        said = ", ".join(f"{name} = {value!r}" for name, value in zip(names, values, strict=False))
        found.append(f"{table} row {rowid}: {said or ', '.join(names)}, but {parent} has no such row")
    return found


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'
