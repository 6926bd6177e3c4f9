"""What every command module shares: argument types, exit codes, finding plans and items,
and applying a use case (its warning on stderr).

Nothing here imports pydantic or the use cases at load time: `status` and the TUI's start
read stored rows only.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from ..domain.dates import parse_date
from ..errors import NotFoundError, UserInputError
from ..persistence.locations import DB_ENV
from .output import warn

if TYPE_CHECKING:
    from ..domain.models import ChecklistItem, MigrationPlan
    from ..persistence.store import ProjectStore
    from ..services.commands import Change

EXIT_OK, EXIT_OVERDUE, EXIT_USER_ERROR = 0, 1, 2


class Parser(argparse.ArgumentParser):
    """argparse, refusing bad input in one line (no usage block) with exit code 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USER_ERROR, f"{self.prog}: error: {message} (see '{self.prog} --help')\n")


# -- argument types: each refuses in words argparse prints as its one line ------------------


def date_arg(text: str) -> dt.date:
    try:
        return parse_date(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def days_arg(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid number of days {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError("days must be zero or more")
    return value


def count_arg(text: str) -> int:
    """A whole number of at least one (places to move, a limit)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid number {text!r}: expected a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"invalid number {text!r}: must be 1 or more")
    return value


def id_arg(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid id {text!r}: expected a number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"invalid id {text!r}: ids start at 1")
    return value


def volume_arg(text: str) -> int:
    try:
        value = int(text.replace(",", "").replace("_", ""))
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid volume {text!r}: expected a whole number") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"invalid volume {text!r}: must not be negative")
    return value


def percent_arg(text: str) -> int:
    try:
        value = int(text.strip().removesuffix("%"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid percentage {text!r}: expected a whole number") from None
    if not 0 <= value <= 100:
        raise argparse.ArgumentTypeError(f"invalid percentage {text!r}: must be between 0 and 100")
    return value


def number_arg(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid number {text!r}") from None
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"invalid number {text!r}: must be finite")
    return value


def text_arg(text: str) -> str:
    """Free text that must say something (a reason, a note)."""
    if not text.strip():
        raise argparse.ArgumentTypeError("must not be empty")
    return text.strip()


def choice_arg(kind: str, choices: type[StrEnum]):  # noqa: ANN201
    """A choice typed in any case: 'legacy', 'Legacy' and 'LEGACY' are one status; spaces,
    hyphens and underscores count as one ('roll back', 'roll-back', 'rollback')."""
    by_key = {_key(choice.value): choice for choice in choices}

    def parse(text: str) -> StrEnum:
        try:
            return by_key[_key(text)]
        except KeyError:
            raise argparse.ArgumentTypeError(
                f"invalid {kind} {text!r}: choose from {', '.join(c.value for c in choices)}") from None

    return parse


def _key(text: str) -> str:
    return "".join(text.split()).replace("-", "").replace("_", "").lower()


def metavar(choices: type[StrEnum]) -> str:
    return "{" + ",".join(c.value for c in choices) + "}"


def common_options() -> Parser:
    common = Parser(add_help=False)
    common.add_argument("--db", type=Path, default=argparse.SUPPRESS,
                        help=f"project file (default: ${DB_ENV} or the user data folder)")
    common.add_argument("--today", type=date_arg, default=argparse.SUPPRESS,
                        help="evaluate as of this date, YYYY-MM-DD (default: today)")
    common.add_argument("--read-only", action="store_true", default=argparse.SUPPRESS,
                        help="open the project without ever writing to it")
    common.add_argument("--demo", action="store_true", default=argparse.SUPPRESS,
                        help="use a fresh copy of the example project")
    return common


def group(sub: Any, name: str, common: Parser, help: str, dest: str) -> Any:  # noqa: A002
    """A command with actions (`plans list`, `plans show` …): returns their subparsers."""
    parser = sub.add_parser(name, parents=[common], help=help)
    return parser.add_subparsers(dest=dest, metavar="ACTION", required=True)


# -- input -----------------------------------------------------------------------------------


def parse_uses(spec: str) -> tuple[str, str]:
    model_id, sep, region = spec.strip().rpartition("@")
    if not sep or not model_id or not region:
        raise UserInputError(f"invalid {spec!r}: expected MODEL_ID@REGION.")
    return model_id, region


def first_error(error: Exception) -> str:
    """pydantic's first complaint, as a sentence; any other error as it is."""
    errors = getattr(error, "errors", None)
    if callable(errors):
        first = errors()[0]
        field = ".".join(str(p) for p in first.get("loc", ()))
        message = str(first.get("msg", error)).removeprefix("Value error, ")
        named = field.replace("_", " ") in message
        return f"{field.replace('_', ' ')}: {message}" if field and not named else message
    return str(error)


def validated(model: type, values: dict[str, Any]) -> Any:
    """Build a domain model from input; its refusal is a user error."""
    try:
        return model.model_validate(values)
    except ValueError as error:
        raise UserInputError(first_error(error)) from None


def find_plan(store: ProjectStore, plan_id: int) -> MigrationPlan:
    found = store.plans(plan_id)
    if not found:
        raise NotFoundError(f"no plan with id {plan_id} (see 'planner-tui plans list --all').")
    return found[0]


def find_item(store: ProjectStore, plan_id: int, item_id: int) -> ChecklistItem:
    plan = find_plan(store, plan_id)
    item = next((i for i in plan.items if i.id == item_id), None)
    if item is not None:
        return item
    try:
        other = store.item(item_id)
    except NotFoundError:
        raise NotFoundError(f"plan {plan_id} has no checklist item {item_id} "
                            f"(see 'planner-tui items list {plan_id}').") from None
    raise UserInputError(f"checklist item {item_id} belongs to plan {other.plan_id}, not plan {plan_id}.")


def plan_label(plan: MigrationPlan) -> str:
    return f"plan {plan.id} ({plan.app_name} on {plan.model_id})"


def apply(use_case: Any, *args: Any, **kwargs: Any) -> Change:
    """Run a use case; its note (a warning worth showing once saved) goes to stderr."""
    change = use_case(*args, **kwargs)
    if change.note:
        warn(change.note)
    return change
