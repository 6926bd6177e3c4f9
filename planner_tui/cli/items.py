"""`items list|add|done|undone|edit|move|delete`: a plan's checklists, phase by phase."""

from __future__ import annotations

import argparse
import datetime as dt
from typing import TYPE_CHECKING, Any

from ..domain.ids import saved_id
from ..domain.vocabulary import PHASES, Phase
from ..errors import UserInputError
from .common import (
    EXIT_OK,
    Parser,
    apply,
    choice_arg,
    count_arg,
    date_arg,
    find_item,
    find_plan,
    group,
    id_arg,
    metavar,
    validated,
)
from .output import plain, print_json, say, show, table

if TYPE_CHECKING:
    from ..persistence.store import ProjectStore

_phase = choice_arg("phase", Phase)


def register(sub: Any, common: Parser) -> None:
    actions = group(sub, "items", common, "a plan's checklist items", "items_command")

    def action(name: str, help: str, handler: Any, item: bool = True) -> Parser:  # noqa: A002
        parser = actions.add_parser(name, parents=[common], help=help)
        parser.add_argument("plan_id", type=id_arg, metavar="PLAN_ID")
        if item:
            parser.add_argument("item_id", type=id_arg, metavar="ITEM_ID")
        parser.set_defaults(handler=handler)
        return parser

    listing = action("list", "a plan's checklist, phase by phase", cmd_list, item=False)
    listing.add_argument("--phase", type=_phase, metavar=metavar(Phase), help="only this phase (any case)")
    listing.add_argument("--json", action="store_true", help="print JSON")

    add = action("add", "add an item to a phase's checklist", cmd_add, item=False)
    add.add_argument("--phase", type=_phase, required=True, metavar=metavar(Phase))
    add.add_argument("title", metavar="TITLE")
    add.add_argument("--owner", default="")
    add.add_argument("--due", type=date_arg, metavar="DATE")
    add.add_argument("--notes", default="", help="notes or evidence")

    action("done", "tick an item", cmd_done)
    action("undone", "untick an item", cmd_undone)

    edit = action("edit", "change an item's title, owner, due date or notes", cmd_edit)
    edit.add_argument("--title")
    edit.add_argument("--owner")
    due = edit.add_mutually_exclusive_group()
    due.add_argument("--due", type=date_arg, metavar="DATE")
    due.add_argument("--no-due", action="store_true", help="clear the due date")
    edit.add_argument("--notes")

    move = action("move", "move an item up or down its phase's checklist", cmd_move)
    direction = move.add_mutually_exclusive_group(required=True)
    direction.add_argument("--up", type=count_arg, nargs="?", const=1, metavar="N", help="N places up (1)")
    direction.add_argument("--down", type=count_arg, nargs="?", const=1, metavar="N", help="N places down (1)")

    action("delete", "delete an item", cmd_delete)


def cmd_list(store: ProjectStore, args: argparse.Namespace, today: dt.date) -> int:
    plan = find_plan(store, args.plan_id)
    phases = [args.phase] if args.phase else list(PHASES)
    from ..domain.checklists import differences, is_shared_phase

    shared = store.shared_checklist(saved_id(plan)) if plan.is_open else None
    copies = shared.copies if shared else {}
    if args.json:
        print_json([{"id": i.id, "phase": i.phase.value, "position": position, "title": i.title, "done": i.done,
                     "owner": i.owner, "due_date": i.due_date, "notes": i.notes, "done_at": i.done_at,
                     "shared": i.id in copies,
                     "shared_by": shared.applications if shared and i.id in copies else 0,
                     "differences": differences(copies.get(i.id or 0, []))}
                    for phase in phases for position, i in enumerate(plan.items_in(phase), start=1)])
        return EXIT_OK
    rows = [[f"{i.id}{'*' if i.id in copies and shared and shared.applications > 1 else ''}", phase.title,
             "[x]" if i.done else "[ ]", i.title, i.owner, i.due_date or "", i.notes]
            for phase in phases for i in plan.items_in(phase)]
    where = f" in {args.phase.title}" if args.phase else ""
    show(table(["ID", "PHASE", "", "TITLE", "OWNER", "DUE", "NOTES"], rows) if rows
          else f"Plan {plan.id} has no checklist items{where}.")
    if shared and shared.applications > 1 and any(is_shared_phase(p) for p in phases) and copies:
        say(f"* shared by the {shared.applications} open plans of the campaign for {plan.model_id}: "
            "ticking, editing, moving or deleting one changes it in all of them (undone as one).")
        for item_id, found in copies.items():
            for line in differences(found):
                say(f"  item {item_id} was recorded differently: {plain(line)}")
    if Phase.UPDATE in phases:
        from .scan_record import files_line

        line = files_line(store, plan.app_id, plan.model_id)
        if line:
            say(line)
    return EXIT_OK


def cmd_add(store: ProjectStore, args: argparse.Namespace, today: dt.date) -> int:
    from ..domain.models import ChecklistItem
    from ..services.commands import checklist

    plan = find_plan(store, args.plan_id)
    item = validated(ChecklistItem, {"plan_id": plan.id, "phase": args.phase, "title": args.title,
                                     "owner": args.owner.strip(), "due_date": args.due, "notes": args.notes})
    saved = apply(checklist.add_item, store, plan.id, args.phase, item.title, owner=item.owner,
                  due_date=item.due_date, notes=item.notes, today=today).result
    say(f"added item {saved.id} '{plain(saved.title)}' to {args.phase.title} of plan {plan.id}")
    return EXIT_OK


def _tick(store: ProjectStore, args: argparse.Namespace, done: bool) -> int:
    from ..services.commands import checklist

    item = find_item(store, args.plan_id, args.item_id)
    title = plain(item.title)
    if item.done == done:
        say(f"item {item.id} '{title}' is {'done' if done else 'not done'} already; nothing changed")
        return EXIT_OK
    others = len(store.copies(saved_id(item)))
    apply(checklist.toggle_item, store, item.id)
    say(f"item {item.id} '{title}': {'done' if done else 'not done'}" + _also(others))
    return EXIT_OK


def _also(others: int) -> str:
    """What a change of a shared item did elsewhere."""
    if not others:
        return ""
    return f" (shared: also in the {others} other open plan{'s' if others != 1 else ''} of its campaign)"


def cmd_done(store: ProjectStore, args: argparse.Namespace, today: dt.date) -> int:
    return _tick(store, args, True)


def cmd_undone(store: ProjectStore, args: argparse.Namespace, today: dt.date) -> int:
    return _tick(store, args, False)


def cmd_edit(store: ProjectStore, args: argparse.Namespace, today: dt.date) -> int:
    from ..domain.models import ChecklistItem
    from ..services.commands import checklist

    item = find_item(store, args.plan_id, args.item_id)
    updates: dict[str, Any] = {key: value for key, value in (
        ("title", args.title), ("owner", args.owner and args.owner.strip()), ("notes", args.notes),
        ("due_date", args.due)) if value is not None}
    if args.no_due:
        updates["due_date"] = None
    if not updates:
        raise UserInputError("nothing to change: give --title, --owner, --due, --no-due or --notes.")
    edited = validated(ChecklistItem, {**item.model_dump(), **updates})
    others = len(store.copies(saved_id(item)))
    saved = apply(checklist.edit_item, store, edited, today).result
    changed = [key.removesuffix("_date") for key in updates if getattr(saved, key) != getattr(item, key)]
    say(f"item {saved.id} '{plain(saved.title)}': " + (", ".join(changed) + " changed" + _also(others) if changed
                                                         else "nothing changed"))
    return EXIT_OK


def cmd_move(store: ProjectStore, args: argparse.Namespace, today: dt.date) -> int:
    from ..services.commands import checklist

    item = find_item(store, args.plan_id, args.item_id)
    offset = -args.up if args.up else args.down
    moved = apply(checklist.move_item, store, item.id, offset).result
    siblings = [i.id for i in find_plan(store, args.plan_id).items_in(item.phase)]
    place = f"now {siblings.index(item.id) + 1} of {len(siblings)} in {item.phase.title}"
    if moved == 0:
        say(f"item {item.id} '{plain(item.title)}' is at the {'top' if offset < 0 else 'bottom'} already ({place})")
    else:
        say(f"moved item {item.id} '{plain(item.title)}' {'up' if moved < 0 else 'down'} {abs(moved)} "
              f"place{'s' if abs(moved) > 1 else ''} ({place})")
    return EXIT_OK


def cmd_delete(store: ProjectStore, args: argparse.Namespace, today: dt.date) -> int:
    from ..services.commands import checklist

    item = find_item(store, args.plan_id, args.item_id)
    others = len(store.copies(saved_id(item)))
    apply(checklist.delete_item, store, item.id)
    say(f"deleted item {item.id} '{plain(item.title)}' from {item.phase.title} of plan {args.plan_id}"
        + _also(others))
    return EXIT_OK
