"""Model variants (`…:200k`, `…:48k`) resolve to the catalog's base model wherever a model ID
comes in. IDs are the real ones of the Bedrock customization and Provisioned Throughput pages."""

from __future__ import annotations

from pathlib import Path

import pytest

from planner_tui.cli import main
from planner_tui.domain.model_variants import base_model_id, resolve_model, split_variant, variant_detail
from planner_tui.domain.models import Application, Dependency
from planner_tui.errors import UserInputError
from planner_tui.services.commands import portfolio

from .conftest import TODAY

HAIKU_3 = "anthropic.claude-3-haiku-20240307-v1:0"
KNOWN = {HAIKU_3, "amazon.titan-text-express-v1", "anthropic.claude-v2:1", "anthropic.claude-v2",
         "amazon.nova-lite-v1:0", "meta.llama3-1-8b-instruct-v1:0"}


@pytest.mark.parametrize(("written", "base", "variant"), [
    # the customization page's base model IDs
    ("arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0:200k",
     HAIKU_3, "200k context"),
    ("amazon.nova-lite-v1:0:300k", "amazon.nova-lite-v1:0", "300k context"),
    ("meta.llama3-1-8b-instruct-v1:0:128k", "meta.llama3-1-8b-instruct-v1:0", "128k context"),
    # the base carries a version the on-demand ID does not
    ("amazon.titan-text-express-v1:0:8k", "amazon.titan-text-express-v1", "8k context"),
    # Provisioned Throughput IDs
    ("anthropic.claude-3-haiku-20240307-v1:0:48k", HAIKU_3, "48k context"),
    ("anthropic.claude-v2:1:18k", "anthropic.claude-v2:1", "18k context"),  # not claude-v2
    ("amazon.nova-lite-v1:0:mm", "amazon.nova-lite-v1:0", "multimodal"),
    (f"us.{HAIKU_3}", HAIKU_3, ""),
    (HAIKU_3, HAIKU_3, ""),
])
def test_variants_resolve_to_the_base_model(written: str, base: str, variant: str) -> None:
    resolved = resolve_model(written, KNOWN)
    assert (resolved.model_id, resolved.variant, resolved.known) == (base, variant, True)


def test_an_unknown_model_is_kept_as_written_with_did_you_mean() -> None:
    resolved = resolve_model("anthropic.claude-3-haiku-20240307-v9:0:200k", KNOWN)
    assert not resolved.known
    assert resolved.model_id == resolved.raw_id == "anthropic.claude-3-haiku-20240307-v9:0:200k"
    assert resolved.suggestion == HAIKU_3
    assert resolved.label == ("unknown model anthropic.claude-3-haiku-20240307-v9:0:200k; "
                              f"did you mean {HAIKU_3}?")
    assert resolve_model("", KNOWN).label == "unknown model (AWS named none)"


def test_split_and_detail() -> None:
    assert split_variant("anthropic.claude-v2:1:200k") == ("anthropic.claude-v2:1", "200k")
    assert split_variant("anthropic.claude-v2:1") == ("anthropic.claude-v2:1", "")
    assert variant_detail(":4k") == "4k context"
    assert base_model_id(f" {HAIKU_3}:200k ", KNOWN) == (HAIKU_3, "200k context")
    assert base_model_id("nothing.like-it:200k", KNOWN) == ("nothing.like-it:200k", "")


def test_a_dependency_typed_on_a_variant_is_on_its_base_model(store) -> None:
    app = store.add_application(Application(name="Claims"), today=TODAY)
    portfolio.add_dependency(store, Dependency(app_id=app.id, model_id=f"{HAIKU_3}:200k", region="us-east-1",
                                               notes="fine-tuned base"), TODAY)
    (dependency,) = store.dependencies(app.id)
    assert dependency.model_id == HAIKU_3
    assert dependency.notes == "200k context; fine-tuned base"
    assert [p.model_id for p in store.plans()] == [HAIKU_3]  # past EOL in us-east-1: a plan opens
    with pytest.raises(UserInputError, match="did you mean"):
        store.resolve_dependency(Dependency(app_id=app.id, model_id=f"{HAIKU_3}x:200k", region="us-east-1"))


def test_csv_import_takes_variants(tmp_path: Path, db_path: Path, capsys) -> None:
    csv = tmp_path / "apps.csv"
    csv.write_text("name,owner,model_id,region\n"
                   f"Claims,ana,{HAIKU_3}:48k,us-west-2\n"
                   "Search,bo,amazon.titan-text-express-v1:0:8k,us-east-1\n", encoding="utf-8")
    assert main(["apps", "import", str(csv), "--today", "2026-11-22", "--db", str(db_path)]) == 0
    capsys.readouterr()
    assert main(["apps", "list", "--json", "--db", str(db_path)]) == 0
    out = capsys.readouterr().out
    assert f'"model_id": "{HAIKU_3}"' in out and '"notes": "48k context"' in out
    assert '"model_id": "amazon.titan-text-express-v1"' in out and '"notes": "8k context"' in out
