"""Is a project sound? SQLite's integrity check and the foreign keys, as lines for people."""

from __future__ import annotations

import sqlite3

MAX_PROBLEMS = 100


def problems(conn: sqlite3.Connection, schema: str = "main") -> list[str]:
    """What is wrong with the database (empty when it is sound): every page, index and
    constraint SQLite checks, and every row that refers to a row that does not exist."""
    found = [line for (line,) in conn.execute(f"PRAGMA {schema}.integrity_check({MAX_PROBLEMS})")
             if line != "ok"]
    targets: dict[tuple[str, int], tuple[str, str]] = {}
    for table, rowid, parent, key in conn.execute(f"PRAGMA {schema}.foreign_key_check"):
        if (table, key) not in targets:
            columns = [(row[3], row[4]) for row in conn.execute(
                f"PRAGMA {schema}.foreign_key_list({_quoted(table)})") if row[0] == key]
            targets[(table, key)] = (", ".join(c for c, _ in columns),
                                     ", ".join(str(c) for _, c in columns if c))
        column, parent_column = targets[(table, key)]
        found.append(f"{table} row {rowid}: {column} refers to a {parent} row that does not exist"
                     + (f" (no {parent}.{parent_column} of that value)" if parent_column else ""))
        if len(found) >= MAX_PROBLEMS:
            break
    return found


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'
