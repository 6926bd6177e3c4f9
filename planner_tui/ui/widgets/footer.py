"""Textual's key footer, rebuilt only when the keys it shows change."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.widgets import Footer as TextualFooter
from textual.widgets._footer import FooterKey


class Footer(TextualFooter):
    """The stock footer rebuilds (and restyles) every key whenever bindings *might* have
    changed: three times while a screen opens (stack, focus, app focus) and on each focus move.
    Focus usually moves between widgets whose own keys are hidden, so most rebuilds would
    draw the same keys again; this one skips those."""

    _shown: tuple[Any, ...] | None = None

    def _keys_to_show(self) -> tuple[Any, ...]:
        bindings = self.screen.active_bindings
        shown = tuple(
            (binding.key, self.app.get_key_display(binding), binding.description, binding.action,
             binding.group, enabled, tooltip)
            for _, binding, enabled, tooltip in bindings.values()
            if binding.show
        )
        palette = bindings.get(self.app.COMMAND_PALETTE_BINDING)
        palette_state = None if palette is None else (palette[1].key, palette[2], palette[3])
        return (*shown, palette_state, self.show_command_palette, self.compact)

    async def recompose(self) -> None:
        if not self.is_attached:
            return
        shown = self._keys_to_show()
        if shown == self._shown:
            return
        self._shown = shown
        await super().recompose()

    def compose(self) -> ComposeResult:
        for widget in super().compose():
            # Each key is bound to the footer's `compact` but starts at the opposite value, so
            # it was restyled twice on mount; starting at the bound value restyles it never.
            if isinstance(widget, FooterKey) and not widget.has_class("-command-palette"):
                widget.set_reactive(FooterKey.compact, self.compact)
            yield widget
