"""Modal dialogs: confirmation, a generic validated form, and help."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult, ScreenError
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.suggester import SuggestFromList
from textual.widgets import Button, Input, Label, Select, Static
from textual.worker import Worker, WorkerState

from ..domain.dates import parse_date
from ..domain.validation import TextKind, text_problem
from ..errors import PlannerError
from .formatting import inert_text, read_error, shown


class FieldsScroll(VerticalScroll, can_focus=False):
    """A dialog's fields, scrolling when the terminal is short. Not a focus stop of its own:
    Tab goes from field to field, and the field in focus is scrolled into view."""


def focus_first_field(dialog: ModalScreen) -> None:
    """Focus a dialog's first field as it opens, so what is typed at once lands in it. Not
    scrolled into view: the fields are not laid out yet, and the form opens at its top."""
    for widget in dialog.query(".form-fields Input, .form-fields Select, .form-fields Checkbox"):
        if widget.focusable:
            dialog.set_focus(widget, scroll_visible=False)
            return


def show_error(widget: Static, message: str) -> None:
    """An error line takes room only while it has something to say."""
    widget.update(inert_text(message))  # messages quote input: never markup, no control codes
    widget.set_class(bool(message), "-shown")


class ConfirmDialog(ModalScreen[bool]):
    """Yes/no question guarding a destructive or unusual step."""

    BINDINGS = [
        Binding("escape", "answer(False)", "Cancel", id="confirm.cancel"),
        Binding("y", "answer(True)", "Yes", id="confirm.yes"),
    ]

    def __init__(self, question: str, confirm_label: str = "Yes", danger: bool = True) -> None:
        super().__init__()
        self.question = question
        self.confirm_label = confirm_label
        self.danger = danger

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            with FieldsScroll(classes="form-fields"):
                # The question quotes names ("Delete the item '[draft]'?"): never markup,
                # no control character.
                yield Static(inert_text(self.question), classes="dialog-question")
            with Horizontal(classes="dialog-buttons"):
                yield Button(self.confirm_label, id="yes", variant="error" if self.danger else "primary")
                yield Button("Cancel", id="no")

    def on_mount(self) -> None:
        self.query_one("#no" if self.danger else "#yes", Button).focus()  # Enter never destroys

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)


@dataclass
class FormField:
    name: str
    label: str
    value: str = ""
    kind: str = "text"  # text | date | int | number | select
    required: bool = False
    options: Sequence[tuple[str, str]] = ()
    placeholder: str = ""
    suggestions: Sequence[str] = field(default_factory=tuple)
    # What a text field holds (its length limit; no field takes control characters): the
    # form refuses what the use case would, so nothing typed is lost to a "Not saved".
    text: TextKind = TextKind.NOTES


Validator = Callable[[dict[str, str]], dict[str, str]]


def field_id(name: str) -> str:
    """A widget id for a field name: names may hold dots ('baseline.latency_p50_ms'), ids may not."""
    return "".join(c if c.isalnum() or c in "_-" else "_" for c in name)


class FormDialog(ModalScreen[dict[str, str] | None]):
    """A form that validates inline and only closes on valid input or cancel.

    `validate` returns {field name: error}; an exception with a user message is shown at
    the top of the form. Nothing is lost on an error: the values stay as typed.
    """

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="form.cancel"),
        Binding("ctrl+s", "submit", "Save", id="form.save"),
    ]
    AUTO_FOCUS = ""  # not Textual's: it scrolls the first field to the top; see on_mount

    def __init__(self, title: str, fields: Sequence[FormField], validate: Validator | None = None,
                 submit_label: str = "Save", warn: Validator | None = None, *, reads: bool = False) -> None:
        super().__init__()
        self.form_title = title
        self.fields = list(fields)
        self.validate = validate
        self.submit_label = submit_label
        self.warn = warn  # {field: warning}: shown as typed, never stops the form
        # `validate` and `warn` read the project (the catalog, lifecycles): they run in a
        # worker thread, never on the UI thread; the form answers when they have.
        self.reads = reads
        self._verdicts = 0  # how many times the form has said why it refused (show_errors)

    @on(Input.Changed)
    @on(Select.Changed)
    def _show_warnings(self) -> None:
        if self.warn is None or not self.is_mounted:
            return
        if self.reads:
            self._warn_apart(self.values(), self._verdicts)
        else:
            self._put_warnings(self.warn(self.values()))

    def _put_warnings(self, warnings: dict[str, str]) -> None:
        for spec in self.fields:
            label = self.query_one(f"#error-{field_id(spec.name)}", Static)
            label.set_class(spec.name in warnings, "field-warning")
            show_error(label, warnings.get(spec.name, ""))

    @work(thread=True, exclusive=True, exit_on_error=False, group="form-warn")
    def _warn_apart(self, values: dict[str, str], verdicts: int) -> tuple[int, dict[str, str]]:
        return verdicts, self.warn(values) if self.warn is not None else {}

    @work(thread=True, exclusive=True, exit_on_error=False, group="form-check")
    def _check_apart(self, values: dict[str, str]) -> tuple[dict[str, str], dict[str, str], str]:
        return (values, *self._checked(values))

    @on(Worker.StateChanged)
    def _apart_done(self, event: Worker.StateChanged) -> None:
        worker = event.worker
        if worker.group not in ("form-warn", "form-check") or not self.is_current:
            return  # another worker's news, or the form has closed meanwhile
        if event.state is WorkerState.SUCCESS and worker.result is not None:
            if worker.group == "form-warn":
                verdicts, warnings = worker.result
                if verdicts == self._verdicts:  # not for what was typed before the form said why it refused
                    self._put_warnings(warnings)
            else:
                self._finish(*worker.result)
        elif event.state is WorkerState.ERROR and worker.group == "form-check":
            self.show_errors({}, read_error(worker.error))  # the form stays, with what was typed

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog form"):
            with Vertical(classes="dialog-head"):
                yield Label(inert_text(self.form_title, one_line=True), classes="dialog-title")  # may hold a name
                yield Static("", id="form-error", classes="field-error form-error")
            with FieldsScroll(classes="form-fields"):
                for spec in self.fields:
                    yield Label(Text(spec.label + (" *" if spec.required else "")), classes="field-label")
                    if spec.kind == "select":
                        # Options may be names (an application to assign to): shown as data.
                        options = [(Text(shown(prompt)), value) for prompt, value in spec.options]
                        # A required choice among several with no default starts blank: one
                        # Enter must not pick the first (the wrong application) for you.
                        must_pick = spec.required and not spec.value and len(options) > 1
                        yield Select(options, value=spec.value or Select.NULL,
                                     allow_blank=must_pick or not spec.required, id=f"field-{field_id(spec.name)}")
                    else:
                        # What a field shows is what it saves: a stored value with a control
                        # character in it (an older project, AWS) is offered made inert.
                        suggester = (SuggestFromList([shown(s) for s in spec.suggestions], case_sensitive=False)
                                     if spec.suggestions else None)
                        placeholder = spec.placeholder or ("YYYY-MM-DD" if spec.kind == "date" else "")
                        yield Input(shown(spec.value), placeholder=placeholder, id=f"field-{field_id(spec.name)}",
                                    suggester=suggester)
                    yield Static("", id=f"error-{field_id(spec.name)}", classes="field-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button(self.submit_label, id="submit", variant="primary")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        focus_first_field(self)

    def values(self) -> dict[str, str]:
        result: dict[str, str] = {}
        for spec in self.fields:
            widget = self.query_one(f"#field-{field_id(spec.name)}")
            if isinstance(widget, Select):
                result[spec.name] = "" if widget.value is Select.NULL else str(widget.value)
            elif isinstance(widget, Input):
                result[spec.name] = widget.value.strip()
        return result

    def _basic_errors(self, values: dict[str, str]) -> dict[str, str]:
        errors = {}
        for spec in self.fields:
            value = values[spec.name]
            problem = text_problem(value, spec.text) if spec.kind == "text" else None
            if spec.required and not value:
                errors[spec.name] = f"{spec.label} is required."
            elif problem:
                errors[spec.name] = f"{spec.label} {problem}."
            elif value and spec.kind == "date":
                try:
                    parse_date(value)
                except ValueError as error:
                    errors[spec.name] = str(error)
            elif value and spec.kind == "int":
                try:
                    if int(value.replace(",", "").replace("_", "")) < 0:
                        errors[spec.name] = "must not be negative"
                except ValueError:
                    errors[spec.name] = "expected a whole number"
            elif value and spec.kind == "number":
                try:
                    float(value)
                except ValueError:
                    errors[spec.name] = "expected a number"
        return errors

    def show_errors(self, errors: dict[str, str], general: str = "") -> None:
        self._verdicts += 1
        show_error(self.query_one("#form-error", Static), general)
        for spec in self.fields:
            show_error(self.query_one(f"#error-{field_id(spec.name)}", Static), errors.get(spec.name, ""))
        if errors:
            first = next(s for s in self.fields if s.name in errors)
            self.query_one(f"#field-{field_id(first.name)}").focus()

    def action_submit(self) -> None:
        values = self.values()
        errors = self._basic_errors(values)
        if errors or not self.validate:
            self._finish(values, errors, "")
        elif self.reads:
            self._check_apart(values)  # answered in _apart_done
        else:
            self._finish(values, *self._checked(values))

    def _checked(self, values: dict[str, str]) -> tuple[dict[str, str], str]:
        """`validate`'s verdict: errors by field, and one for the whole form."""
        if self.validate is None:
            return {}, ""
        try:
            return self.validate(values), ""
        except (PlannerError, ValueError) as error:
            return {}, str(error)

    def _finish(self, values: dict[str, str], errors: dict[str, str], general: str) -> None:
        if errors or general:
            self.show_errors(errors, general)
            return
        self.dismiss(values)

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#submit")
    def _submit(self) -> None:
        self.action_submit()

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.action_cancel()

    @on(Input.Submitted)
    def _enter(self, event: Input.Submitted) -> None:
        event.stop()
        inputs = list(self.query(Input))
        if event.input is inputs[-1]:
            self.action_submit()
        else:
            self.focus_next()


def help_keys(screen: Screen) -> list[tuple[str, str]]:
    """The keys in force on `screen` as its footer names them: one key per action, the one the
    footer shows (Textual's App also binds ctrl+q to quit, hidden: the footer says 'q', and so
    does help), then the keys the footer does not show that say what they do ('enter')."""
    shown: dict[str, tuple[str, str]] = {}
    hidden: dict[str, tuple[str, str]] = {}
    for active in screen.active_bindings.values():
        binding = active.binding
        if not binding.description:
            continue
        entry = (screen.app.get_key_display(binding), binding.description)
        if binding.show:
            shown.setdefault(binding.action, entry)
        else:
            hidden.setdefault(binding.action, entry)
    return [*shown.values(), *(entry for action, entry in hidden.items() if action not in shown)]


class HelpScreen(ModalScreen[None]):
    """Help for the screen it was opened from: its text and its keys."""

    BINDINGS = [Binding("escape,f1,q", "dismiss", "Close", id="help.close")]

    def __init__(self, title: str, text: str, keys: Sequence[tuple[str, str]] = ()) -> None:
        super().__init__()
        self.help_title = title
        self.text = text
        # The keys of the screen it opens over, as that screen's footer names them; read
        # now, while that screen is the app's (with a dialog up, the app's keys step back).
        try:
            self.keys = help_keys(self.app.screen)
        except (RuntimeError, ScreenError):  # made outside a running app: the keys given
            self.keys = list(keys)

    def compose(self) -> ComposeResult:
        body = f"# {self.help_title}\n\n{self.text}\n"
        if self.keys:
            table = "\n".join(f"| `{key}` | {description} |" for key, description in self.keys)
            body += f"\n| key | does |\n|---|---|\n{table}\n"
        with VerticalScroll(classes="dialog help"):
            from textual.widgets import Markdown  # markdown-it and pygments: only for help

            yield Markdown(body)
            yield Button("Close", id="close")

    @on(Button.Pressed, "#close")
    def _close(self) -> None:
        self.dismiss()
