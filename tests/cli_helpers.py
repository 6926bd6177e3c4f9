"""Running the CLI in a test: its exit code (argparse's SystemExit included) and what it printed."""

from __future__ import annotations

import pytest

from planner_tui import cli


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        code = cli.main(list(argv))
    except SystemExit as stop:
        code = int(stop.code or 0)
    out, err = capsys.readouterr()
    return code, out, err
