"""The domain and persistence layers must not pull in the UI or AWS libraries."""

import subprocess
import sys

import pytest


@pytest.mark.parametrize(
    "module",
    [
        "planner_tui.domain.models",
        "planner_tui.domain.lifecycle",
        "planner_tui.domain.schedule",
        "planner_tui.domain.checklists",
        "planner_tui.domain.validation",
        "planner_tui.catalog.bundled",
        "planner_tui.persistence.store",
        "planner_tui.services.overview",
    ],
)
def test_layer_imports_neither_textual_nor_boto3(module: str) -> None:
    code = (
        f"import sys, {module}\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in {'textual', 'boto3', 'botocore'})\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""
