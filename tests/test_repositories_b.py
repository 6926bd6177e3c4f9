"""Every write method of the persistence layer is reached only from the use cases.

A write method is one that opens a transaction (`_edit()` or `batch()`), or calls one that
does on the same object; they are found by reading the source of planner_tui/persistence.
Their call sites are found by reading every module of planner_tui/: an edit made from a
screen or a CLI command must go through services/commands (one transaction, one inverse for
undo), so that the TUI and the shell behave the same.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "planner_tui"
PERSISTENCE = PACKAGE / "persistence"

# The repositories the store hands out, by the attribute that reaches them.
COMPOSED = {"PlanRepository": "plan_records", "PortfolioRepository": "portfolio"}

# Modules besides services/commands/ and persistence/ that may write, each with its reason.
ALLOWED_CALLERS = {
    "services/schedules.py": "stored schedules are a cache of domain/schedule.py, rewritten on read",
    "services/demo.py": "builds the example project from nothing (no user edit to undo)",
    "integrations/aws/sync.py": "an AWS sync records what it fetched (listings, usage, health, runs)",
    "integrations/aws/sync_health.py": "the sync's AWS Health part, split out of sync.py: records the events",
    "integrations/calendar/ics.py": "remembers what was exported, for the next export's SEQUENCE",
    "services/project.py": "opening a project merges the catalog of a newer release (no user edit)",
}

# Write calls found outside the use cases that are not fixed yet: (module, method) -> why it
# is listed. The test fails when one of these goes away, so the list stays true.
KNOWN_VIOLATIONS: dict[tuple[str, str], str] = {
    ("integrations/project_file.py", "import_document"):
        "`import-json` (cli/transfer.py) imports through integrations.project_file, not a use case",
    ("integrations/csv_import.py", "add_applications"):
        "import_applications writes directly; nothing calls it (commands/onboarding parses and adds)",
}


def _opens_transaction(node: ast.AST) -> bool:
    return any(
        isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute)
        and call.func.attr in {"_edit", "batch"}
        for call in ast.walk(node)
    )


def _self_calls(node: ast.AST) -> set[str]:
    """Methods called on `self` or `self.store` inside a function."""
    found = set()
    for call in ast.walk(node):
        if isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute):
            receiver = call.func.value
            if (isinstance(receiver, ast.Name) and receiver.id == "self") or (
                    isinstance(receiver, ast.Attribute) and receiver.attr == "store"):
                found.add(call.func.attr)
    return found


def write_methods() -> dict[str, set[str]]:
    """Per class of the persistence layer (the store's mixins under "ProjectStore"), the
    names of its methods that write."""
    functions: dict[str, dict[str, ast.FunctionDef]] = {}
    for path in PERSISTENCE.rglob("*.py"):
        for node in ast.parse(path.read_text()).body:
            if isinstance(node, ast.ClassDef):
                owner = node.name if node.name in COMPOSED else "ProjectStore"
                for item in node.body:
                    if isinstance(item, ast.FunctionDef) and item.name not in {"_edit", "batch"}:
                        functions.setdefault(owner, {})[item.name] = item
    writes = {owner: {name for name, fn in fns.items() if _opens_transaction(fn)}
              for owner, fns in functions.items()}
    store_writes = writes["ProjectStore"] | {"batch"}
    changed = True
    while changed:  # a method calling a write method writes too
        changed = False
        for owner, fns in functions.items():
            for name, fn in fns.items():
                if name not in writes[owner] and _self_calls(fn) & (writes[owner] | store_writes):
                    writes[owner].add(name)
                    changed = True
    writes["ProjectStore"].add("batch")
    return writes


def _receiver_matches(call: ast.Call, owner: str) -> bool:
    if owner == "ProjectStore":
        return True
    receiver = call.func.value
    return isinstance(receiver, ast.Attribute) and receiver.attr == COMPOSED[owner]


def write_calls() -> dict[tuple[str, str], list[int]]:
    """(module relative to planner_tui/, method) -> lines, for every call of a write method."""
    writes = write_methods()
    found: dict[tuple[str, str], list[int]] = {}
    for path in PACKAGE.rglob("*.py"):
        module = path.relative_to(PACKAGE).as_posix()
        for call in ast.walk(ast.parse(path.read_text())):
            if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute)):
                continue
            for owner, names in writes.items():
                if call.func.attr in names and _receiver_matches(call, owner):
                    found.setdefault((module, call.func.attr), []).append(call.lineno)
    return found


def _allowed(module: str) -> bool:
    return module.startswith(("services/commands/", "persistence/")) or module in ALLOWED_CALLERS


def test_write_methods_are_found() -> None:
    writes = write_methods()
    # A few of each kind, so that a change in how transactions are opened fails loudly here.
    assert {"add_application", "toggle_item", "save_timetables", "import_document", "record_sync_run",
            "set_project_id", "batch"} <= writes["ProjectStore"]
    assert {"close", "reopen", "add_stage"} <= writes["PlanRepository"]
    assert {"switch_model", "restore"} <= writes["PortfolioRepository"]
    assert not {"plans", "models", "plan_line_rows", "item"} & writes["ProjectStore"]


def test_write_methods_are_called_only_from_use_cases() -> None:
    outside = {key: lines for key, lines in write_calls().items() if not _allowed(key[0])}
    unexpected = {key: lines for key, lines in outside.items() if key not in KNOWN_VIOLATIONS}
    assert not unexpected, "write methods called outside services/commands: " + ", ".join(
        f"{module}:{lines} {method}" for (module, method), lines in sorted(unexpected.items()))
    fixed = set(KNOWN_VIOLATIONS) - set(outside)
    assert not fixed, f"no longer called there; remove from KNOWN_VIOLATIONS: {sorted(fixed)}"


def test_allowed_callers_exist() -> None:
    for module in ALLOWED_CALLERS:
        assert (PACKAGE / module).is_file(), module
