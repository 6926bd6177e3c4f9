"""What every command module shares: argument types, exit codes, finding plans and items,
and applying a use case (its warning on stderr).

Nothing here imports pydantic or the use cases at load time: `status` and the TUI's start
read stored rows only.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
from collections.abc import Iterable
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar, overload

from ..domain import validation
from ..domain.dates import parse_date
from ..errors import NotFoundError, UserInputError
from ..persistence.locations import DB_ENV
from .output import warn

if TYPE_CHECKING:
    from pydantic import BaseModel

    from ..domain.models import ChecklistItem, MigrationPlan
    from ..persistence.store import ProjectStore
    from ..services.commands import Change

EXIT_OK, EXIT_OVERDUE, EXIT_USER_ERROR = 0, 1, 2

_N = TypeVar("_N")
M = TypeVar("M", bound="BaseModel")


class Parser(argparse.ArgumentParser):
    """argparse, refusing bad input in one line (no usage block) with exit code 2.

    An argument that was not UTF-8 (Python keeps its bytes as lone surrogates) is refused as
    it comes in, whichever argument it is: nothing downstream could store or print it. What
    text may hold (control characters, lengths) the domain's models and the use cases check.
    Subparsers made by `add_subparsers` are of the parser's own class, so nested commands
    refuse the same way."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USER_ERROR, f"{self.prog}: error: {message} (see '{self.prog} --help')\n")

    # argparse's own overloads: the namespace given, or a new Namespace.
    @overload
    def parse_known_args(self, args: Iterable[str] | None = None,
                         namespace: None = None) -> tuple[argparse.Namespace, list[str]]: ...
    @overload
    def parse_known_args(self, args: Iterable[str] | None, namespace: _N) -> tuple[_N, list[str]]: ...
    @overload
    def parse_known_args(self, *, namespace: _N) -> tuple[_N, list[str]]: ...

    def parse_known_args(self, args: Iterable[str] | None = None, namespace: Any = None) -> tuple[Any, list[str]]:
        parsed, extras = super().parse_known_args(args, namespace)
        for action in self._actions:
            value = getattr(parsed, action.dest, None)
            if any(_not_utf8(v) for v in (value if isinstance(value, list) else [value])):
                name = action.option_strings[0] if action.option_strings else action.metavar or action.dest
                self.error(f"argument {name}: is not valid UTF-8")
        return parsed, extras


def _not_utf8(value: object) -> bool:
    return isinstance(value, str | Path) and any("\ud800" <= c <= "\udfff" for c in str(value))


# -- argument types: each refuses in words argparse prints as its one line ------------------


def date_arg(text: str) -> dt.date:
    """YYYY-MM-DD within validation.FIRST_DAY … LAST_DAY."""
    try:
        return parse_date(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _whole(text: str, what: str) -> int:
    try:
        return int(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid {what} {_shown(text)}: expected a whole number") from None


def _shown(text: str) -> str:
    """What was typed, quoted, cut short if it is long (a refusal stays one readable line)."""
    return repr(text if len(text) <= 40 else text[:40] + "…")


def days_arg(text: str) -> int:
    value = _whole(text, "number of days")
    if not 0 <= value <= validation.DAYS_MAX:
        raise argparse.ArgumentTypeError(
            f"invalid number of days {_shown(text)}: must be between 0 and {validation.DAYS_MAX:,}")
    return value


def count_arg(text: str) -> int:
    """A whole number of at least one (places to move, a limit), at most COUNT_MAX."""
    value = _whole(text, "number")
    if value < 1:
        raise argparse.ArgumentTypeError(f"invalid number {_shown(text)}: must be 1 or more")
    if value > validation.COUNT_MAX:
        raise argparse.ArgumentTypeError(f"invalid number {_shown(text)}: must be at most {validation.COUNT_MAX:,}")
    return value


def id_arg(text: str) -> int:
    value = _whole(text, "id")
    if value < 1:
        raise argparse.ArgumentTypeError(f"invalid id {_shown(text)}: ids start at 1")
    if value > validation.ID_VALUE_MAX:
        raise argparse.ArgumentTypeError(
            f"invalid id {_shown(text)}: ids go up to {validation.ID_VALUE_MAX:,}")
    return value


def volume_arg(text: str) -> int:
    value = _whole(text.replace(",", "").replace("_", ""), "volume")
    if value < 0:
        raise argparse.ArgumentTypeError(f"invalid volume {_shown(text)}: must not be negative")
    if value > validation.VOLUME_MAX:
        raise argparse.ArgumentTypeError(
            f"invalid volume {_shown(text)}: must be at most {validation.VOLUME_MAX:,} requests per month")
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
    """Free text that must say something (a reason, a note): lines of at most NOTES_MAX."""
    return _said(text, validation.TextKind.NOTES)


def name_arg(text: str) -> str:
    """A name that must say something (an application to look for): one line."""
    return _said(text, validation.TextKind.NAME)


def _said(text: str, kind: validation.TextKind) -> str:
    problem = validation.text_problem(text, kind)
    if problem:
        raise argparse.ArgumentTypeError(problem)
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


first_error = validation.first_error  # pydantic's first complaint, as a sentence naming its field


def validated(model: type[M], values: dict[str, Any]) -> M:
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
