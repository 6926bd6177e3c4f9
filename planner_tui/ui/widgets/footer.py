"""The keys in force along the bottom line, drawn by one widget."""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual import events
from textual.widget import Widget

if TYPE_CHECKING:
    from textual.screen import Screen


class ShownKey(NamedTuple):
    key: str
    display: str  # as the app spells it: "^z", "f1"
    description: str
    enabled: bool
    tooltip: str


class Footer(Widget, can_focus=False):
    """Looks and behaves like Textual's Footer: the screen's keys (a click presses one, the
    pointer over it shows its tooltip; a key not usable now is dimmed) and the command
    palette's key on the right; on a narrow terminal the keys close up. Textual's makes a widget
    for each key, twelve on the
    dashboard, and composing, styling, laying out and painting them was a fifth of the work
    from the imports to the first frame; here one widget draws the line, in the theme's
    footer colours, and redraws it only when the keys in force change."""

    ALLOW_SELECT = False
    COMPONENT_CLASSES = {"footer--item", "footer--key", "footer--description", "footer--hover", "footer--edge"}
    DEFAULT_CSS = """
    Footer {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
    }
    Footer > .footer--item { background: $footer-item-background; }
    Footer > .footer--key {
        color: $footer-key-foreground; background: $footer-key-background; text-style: bold;
    }
    Footer > .footer--description {
        color: $footer-description-foreground; background: $footer-description-background;
    }
    Footer > .footer--hover { color: $footer-key-foreground; background: $block-hover-background; }
    Footer > .footer--edge { color: $foreground 20%; background: $footer-item-background; }
    """

    def __init__(self) -> None:
        super().__init__()
        self._keys: tuple[ShownKey, ...] | None = None
        self._palette: ShownKey | None = None
        self._spans: list[tuple[int, int, ShownKey]] = []  # columns each key was drawn at
        self._hover: ShownKey | None = None

    @property
    def shown_keys(self) -> tuple[ShownKey, ...]:
        """The screen's keys as shown, left to right (the palette's key apart)."""
        if self._keys is None:
            self._keys, self._palette = self._keys_in_force()
        return self._keys

    def _keys_in_force(self) -> tuple[tuple[ShownKey, ...], ShownKey | None]:
        bindings = self.screen.active_bindings
        shown: dict[str, ShownKey] = {}
        for _, binding, enabled, tooltip in bindings.values():
            if binding.show and binding.action not in shown:  # one key per action, as Textual's
                shown[binding.action] = ShownKey(binding.key, self.app.get_key_display(binding),
                                                 binding.description, enabled, tooltip)
        active = bindings.get(self.app.COMMAND_PALETTE_BINDING) if self.app.ENABLE_COMMAND_PALETTE else None
        palette = None
        if active is not None:
            _, binding, enabled, _ = active
            palette = ShownKey(binding.key, self.app.get_key_display(binding), binding.description,
                               enabled, binding.tooltip or binding.description)
        return tuple(shown.values()), palette

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen) -> None:
        # Signalled on every focus move and screen change; most change nothing shown.
        if not self.is_attached or screen is not self.screen:
            return
        keys, palette = self._keys_in_force()
        if (keys, palette) != (self._keys, self._palette):
            self._keys, self._palette = keys, palette
            self._hover = None
            self.refresh()

    def _styles(self, shown: ShownKey) -> tuple[Style, Style, Style]:
        """The key's own, its key part's and its description's."""
        base = self.get_component_rich_style("footer--hover" if shown == self._hover else "footer--item")
        if not shown.enabled:
            base += Style(dim=True)
        # Partial: the parts' own colours over the key's background, which the pointer changes.
        return (base, base + self.get_component_rich_style("footer--key", partial=True),
                base + self.get_component_rich_style("footer--description", partial=True))

    def render(self) -> Text:
        keys, width = self.shown_keys, self.size.width
        line, self._spans = Text(no_wrap=True, overflow="crop"), []
        palette, palette_key = None, self._palette
        if palette_key is not None:  # on the right, compact, after a thin rule
            base, key_style, description_style = self._styles(palette_key)
            palette = Text.assemble(("▏", self.get_component_rich_style("footer--edge")),
                                    (palette_key.display, key_style),
                                    (f" {palette_key.description}", description_style), (" ", base))
        room = width - (palette.cell_len if palette is not None else 0)
        # " f1 Help  r Refresh " as Textual spaces them, or its compact "f1 Help r Refresh" when
        # that shows more keys; keys that still do not fit are left out (f1 lists them all).
        wide = self._fitting(keys, room, wide=True) >= self._fitting(keys, room, wide=False)
        for shown in keys:
            _, key_style, description_style = self._styles(shown)
            start = line.cell_len
            key_part, description_part = self._parts(shown, wide=wide)
            line.append(key_part, key_style)
            line.append(description_part, description_style)
            if line.cell_len > room:
                line.truncate(start)  # no room for the whole key: leave it out
                break
            self._spans.append((start, line.cell_len, shown))
            if not wide:
                line.append(" ")
        if palette is not None and palette_key is not None:
            line.append(" " * (room - line.cell_len))
            self._spans.append((room + 1, width, palette_key))
            line.append_text(palette)
        return line

    @staticmethod
    def _parts(shown: ShownKey, *, wide: bool) -> tuple[str, str]:
        """A key as drawn: (" f1 ", "Help ") wide, ("f1", " Help") compact."""
        if wide:
            return f" {shown.display} ", f"{shown.description} " if shown.description else ""
        return shown.display, f" {shown.description}" if shown.description else ""

    @classmethod
    def _fitting(cls, keys: tuple[ShownKey, ...], room: int, *, wide: bool) -> int:
        """How many of the keys fit in `room` columns (compact keys are a space apart)."""
        used = 0
        for count, shown in enumerate(keys):
            used += sum(map(cell_len, cls._parts(shown, wide=wide))) + (0 if wide or not count else 1)
            if used > room:
                return count
        return len(keys)

    def _key_at(self, x: int) -> ShownKey | None:
        return next((shown for start, end, shown in self._spans if start <= x < end), None)

    def on_mouse_move(self, event: events.MouseMove) -> None:
        self._point_at(self._key_at(event.x))

    def on_leave(self, event: events.Leave) -> None:
        self._point_at(None)

    def _point_at(self, shown: ShownKey | None) -> None:
        if shown != self._hover:
            self._hover = shown
            self.tooltip = (shown.tooltip or None) if shown is not None else None
            self.refresh()

    def on_mouse_down(self, event: events.MouseDown) -> None:
        shown = self._key_at(event.x)
        if shown is None:
            return
        if shown.enabled:
            self.app.simulate_key(shown.key)
        else:
            self.app.bell()
