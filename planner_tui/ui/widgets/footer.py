"""Textual's key footer, drawn with the screen and rebuilt only when the keys it shows change."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.widgets import Footer as TextualFooter
from textual.widgets._footer import FooterKey


class Footer(TextualFooter):
    """The stock footer starts empty, fills in after the first frame (a second full paint)
    and then rebuilds and restyles every key whenever bindings *might* have changed: three
    times while a screen opens (stack, focus, app focus) and on each focus move. This one
    shows the screen's keys in the first frame and rebuilds only when they differ."""

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
        await super().recompose()

    def compose(self) -> ComposeResult:
        # The screen's and app's keys are known once the footer is mounted; a focused
        # widget's shown keys, if any, arrive with the next bindings refresh.
        self.set_reactive(TextualFooter._bindings_ready, True)
        self._shown = self._keys_to_show()
        for widget in super().compose():
            # Each key is bound to the footer's `compact` but starts at the opposite value, so
            # it was restyled twice on mount; starting at the bound value restyles it never.
            if isinstance(widget, FooterKey) and not widget.has_class("-command-palette"):
                widget.set_reactive(FooterKey.compact, self.compact)
            yield widget
