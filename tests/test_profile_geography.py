"""Issue 14, defect 11: a cross-Region inference profile is called from its geography only."""

from __future__ import annotations

from pathlib import Path

import pytest

from planner_tui.catalog.bundled import profile_source_regions
from planner_tui.cli import main
from planner_tui.domain.models import Application, Dependency
from planner_tui.domain.validation import GEOGRAPHY_REGIONS, check_profile_region, split_profile
from planner_tui.domain.vocabulary import AccessPath
from planner_tui.errors import UserInputError

from .conftest import TODAY

SONNET_45 = "anthropic.claude-sonnet-4-5-20250929-v1:0"
EU_SONNET_45 = f"eu.{SONNET_45}"
EU_REGIONS = ("eu-central-1, eu-central-2, eu-north-1, eu-south-1, eu-south-2, eu-west-1, eu-west-2, "
              "eu-west-3")


def test_cli_refuses_a_profile_outside_its_geography(capsys, db_path: Path) -> None:
    code = main(["apps", "add", "X", "--owner", "o", "--uses", f"{EU_SONNET_45}@us-east-1",
                 "--today", "2026-11-22", "--db", str(db_path)])
    out, err = capsys.readouterr()
    assert code == 2 and out == "" and err.count("\n") == 1
    assert EU_SONNET_45 in err and "us-east-1" in err and EU_REGIONS in err
    # It names the profiles that do serve us-east-1.
    assert f"us.{SONNET_45}" in err and f"global.{SONNET_45}" in err
    # Nothing half-written: not even the project the refused command would have created.
    assert not db_path.exists()


def test_cli_accepts_a_profile_inside_its_geography(capsys, db_path: Path) -> None:
    code = main(["apps", "add", "X", "--owner", "o", "--uses", f"{EU_SONNET_45}@eu-west-3",
                 "--uses", f"us.{SONNET_45}@ca-central-1", "--today", "2026-11-22", "--db", str(db_path)])
    assert code == 0, capsys.readouterr().err


def test_the_store_refuses_it_so_the_dependency_editor_does_too(store) -> None:
    app = store.add_application(Application(name="X"), today=TODAY)
    with pytest.raises(UserInputError, match="not from us-east-1"):
        store.add_dependency(Dependency(app_id=app.id, model_id=EU_SONNET_45, region="us-east-1"), TODAY)
    # Already resolved (as stored, exported or imported): the profile is still checked.
    with pytest.raises(UserInputError, match="not from us-east-1"):
        store.resolve_dependency(Dependency(app_id=app.id, model_id=SONNET_45, region="us-east-1",
                                            access_path=AccessPath.INFERENCE_PROFILE, resource_id=EU_SONNET_45))
    assert store.dependencies(app.id) == []
    resolved = store.resolve_dependency(Dependency(app_id=app.id, model_id=EU_SONNET_45, region="eu-central-1"))
    assert (resolved.model_id, resolved.resource_id) == (SONNET_45, EU_SONNET_45)


def test_every_catalog_profile_is_accepted_from_each_of_its_regions() -> None:
    profiles = profile_source_regions()
    assert len(profiles) > 90
    for profile_id, regions in profiles.items():
        for region in regions:
            check_profile_region(profile_id, region, profiles)


def test_the_fallback_prefix_rule_agrees_with_the_catalog() -> None:
    """Each catalog profile's Regions are inside its prefix's geography, so the rule used for
    profiles the catalog lacks never refuses what AWS lists."""
    for profile_id, regions in profile_source_regions().items():
        for region in regions:
            check_profile_region(profile_id, region, {})
    prefixes = {pid[: len(pid) - len(split_profile(pid)[0])] for pid in profile_source_regions()}
    assert prefixes == set(GEOGRAPHY_REGIONS)


@pytest.mark.parametrize(("profile_id", "region", "accepted"), [
    ("eu.acme.new-model-v1:0", "eu-west-1", True),
    ("eu.acme.new-model-v1:0", "il-central-1", True),
    ("eu.acme.new-model-v1:0", "us-east-1", False),
    ("us.acme.new-model-v1:0", "us-west-2", True),
    ("us.acme.new-model-v1:0", "us-gov-west-1", False),
    ("us-gov.acme.new-model-v1:0", "us-gov-east-1", True),
    ("apac.acme.new-model-v1:0", "ap-south-1", True),
    ("apac.acme.new-model-v1:0", "eu-west-1", False),
    ("jp.acme.new-model-v1:0", "ap-northeast-3", True),
    ("jp.acme.new-model-v1:0", "ap-northeast-2", False),
    ("au.acme.new-model-v1:0", "ap-southeast-4", True),
    ("au.acme.new-model-v1:0", "ap-southeast-1", False),
    ("ca.acme.new-model-v1:0", "ca-west-1", True),
    ("ca.acme.new-model-v1:0", "us-east-1", False),
    ("global.acme.new-model-v1:0", "sa-east-1", True),
    ("global.acme.new-model-v1:0", "us-gov-west-1", False),
])
def test_a_profile_the_catalog_lacks_is_judged_by_its_prefix(profile_id: str, region: str, accepted: bool) -> None:
    if accepted:
        check_profile_region(profile_id, region, {})
    else:
        with pytest.raises(UserInputError, match=f"not in the bundled catalog.*not from {region}"):
            check_profile_region(profile_id, region, {})
