"""Contracts for every use of another library's private API (planner_tui/compat.py): each
fails when an upgrade moves what the planner relies on."""

from __future__ import annotations

import ast
from pathlib import Path

import boto3
from textual.app import App, ComposeResult
from textual.widgets import DataTable

from planner_tui.compat import (
    boto_data_loader,
    boto_scoped_config,
    boto_shared_alias_cache,
    datatable_measure_now,
    pydantic_trusted,
)
from planner_tui.domain.models import ChecklistItem, Dependency
from planner_tui.domain.vocabulary import AccessPath, Phase
from planner_tui.ui.widgets.table import Table

ROOT = Path(__file__).resolve().parents[1] / "planner_tui"


def test_pydantic_trusted_builds_what_validation_builds() -> None:
    values = dict(id=3, app_id=1, model_id="m", region="us-east-1", access_path=AccessPath.BATCH,
                  resource_id="", environment="prod", monthly_volume=5, notes="n",
                  account_id="111122223333", account_name="payments")
    built, checked = pydantic_trusted(Dependency, dict(values)), Dependency(**values)
    assert built == checked
    assert built.model_dump() == checked.model_dump()
    assert built.model_fields_set == set(Dependency.model_fields)
    assert built.model_copy(update={"notes": "x"}).notes == "x"
    item = pydantic_trusted(ChecklistItem, ChecklistItem(phase=Phase.TEST, title="t").model_dump())
    assert item.title == "t" and hash(item) == hash(ChecklistItem(phase=Phase.TEST, title="t"))


async def test_datatable_sizes_its_rows_when_asked_and_refits_its_columns() -> None:
    assert hasattr(DataTable, "_update_dimensions")
    fitted = []

    class Probe(Table):
        def fit_columns(self) -> None:
            fitted.append(self.row_count)
            super().fit_columns()

    class One(App[None]):
        def compose(self) -> ComposeResult:
            yield Probe()

    app = One()
    async with app.run_test(size=(40, 10)):
        table = app.query_one(Probe)
        table.add_columns("a", "b")
        table.add_rows([("x" * 30, "y")] * 3)
        assert table._require_update_dimensions and table._new_rows
        datatable_measure_now(table)
        assert not table._require_update_dimensions and not table._new_rows
        assert table.virtual_size.height >= 3  # sized now, not when next idle
        assert fitted and fitted[-1] == 3  # and the columns were fitted after


def test_boto_session_exposes_the_profiles_config(tmp_path, monkeypatch) -> None:
    config = tmp_path / "config"
    config.write_text("[profile p]\nretry_mode = adaptive\nregion = eu-west-1\n")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    assert boto_scoped_config(boto3.Session(profile_name="p"))["retry_mode"] == "adaptive"


def test_boto_data_loader_is_the_sessions_shared_loader() -> None:
    from botocore.loaders import Loader

    session = boto3.Session(region_name="us-east-1")
    loader = boto_data_loader(session)
    assert isinstance(loader, Loader)
    assert loader is boto_data_loader(session)  # one per session: what accounts.py shares
    assert loader.load_service_model("bedrock", "service-2")["metadata"]["serviceId"] == "Bedrock"


def test_boto_clients_share_one_alias_cache_that_botocore_fills() -> None:
    """botocore keeps, per client emitter, `_alias_name_cache` (a dict) beside
    `_event_aliases` (utils.EVENT_ALIASES); a call fills the cache, now shared."""
    from botocore.stub import Stubber
    from botocore.utils import EVENT_ALIASES

    session = boto3.Session(aws_access_key_id="testing", aws_secret_access_key="testing")
    first = session.client("bedrock", region_name="us-east-1")
    assert isinstance(first.meta.events._alias_name_cache, dict)
    assert first.meta.events._event_aliases == EVENT_ALIASES
    first = boto_shared_alias_cache(first)
    second = boto_shared_alias_cache(session.client("bedrock", region_name="eu-west-1"))
    assert first.meta.events._alias_name_cache is second.meta.events._alias_name_cache
    with Stubber(second) as stub:
        stub.add_response("list_foundation_models", {"modelSummaries": []})
        assert second.list_foundation_models()["modelSummaries"] == []
    assert any(name.startswith("before-call.bedrock") for name in first.meta.events._alias_name_cache)


def test_no_private_api_outside_compat() -> None:
    """The names compat.py fences appear nowhere else in the package."""
    fenced = {"_update_dimensions", "_require_update_dimensions", "_new_rows", "_session",
              "_alias_name_cache", "_event_aliases",
              "__pydantic_fields_set__", "__pydantic_extra__", "__pydantic_private__"}
    found = []
    for path in ROOT.rglob("*.py"):
        if path.name == "compat.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            name = node.attr if isinstance(node, ast.Attribute) else (
                node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None)
            if name in fenced:
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {name}")
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and any(
                    part.startswith("_") for part in node.module.split(".")[1:]):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}: from {node.module}")
    assert found == []
