"""Use cases shared by the CLI and the TUI: the store's data combined with the domain rules."""
