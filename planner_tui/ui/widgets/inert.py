"""A Static for text from people and from AWS: whatever it is given is shown as data, never
as markup and never with a control character (ui/formatting.inert_text)."""

from __future__ import annotations

from typing import Any

from textual.widgets import Static

from ..formatting import inert_text


class InertStatic(Static):
    def __init__(self, content: Any = "", **kwargs: Any) -> None:
        super().__init__(inert_text(content), markup=False, **kwargs)

    def update(self, content: Any = "", *, layout: bool = True) -> None:
        super().update(inert_text(content), layout=layout)
