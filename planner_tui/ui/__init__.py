"""Textual user interface: a thin App, screens, widgets and the stylesheet."""
