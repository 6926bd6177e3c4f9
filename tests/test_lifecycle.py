"""Lifecycle rules checked against real rows of the bundled reference data."""

from __future__ import annotations

import datetime as dt

import pytest

from planner_tui.catalog.bundled import load_catalog
from planner_tui.domain.lifecycle import (
    MilestoneKind,
    check_lifecycle,
    index_by_region,
    milestones_of,
    status_in_region,
    status_on,
    upcoming_milestones,
)
from planner_tui.domain.models import PolicyRegime, RegionalLifecycle, Status

SONNET_35 = "anthropic.claude-3-5-sonnet-20240620-v1:0"
OPUS_41 = "anthropic.claude-opus-4-1-20250805-v1:0"
SONNET_45 = "anthropic.claude-sonnet-4-5-20250929-v1:0"
D = dt.date


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


def row(catalog, model_id: str, region: str) -> RegionalLifecycle:
    return index_by_region(catalog.lifecycles)[(model_id, region)]


def test_dates_differ_by_region(catalog) -> None:
    zurich = row(catalog, SONNET_35, "eu-central-2")
    tokyo = row(catalog, SONNET_35, "ap-northeast-1")
    assert (zurich.legacy_date, zurich.pea_date, zurich.eol_date) == (
        D(2025, 8, 25), D(2025, 12, 1), D(2026, 6, 1))
    assert (tokyo.legacy_date, tokyo.pea_date, tokyo.eol_date) == (
        D(2026, 1, 30), D(2026, 4, 30), D(2026, 7, 30))
    assert status_on(zurich, D(2026, 3, 1)) is Status.PEA
    assert status_on(tokyo, D(2026, 3, 1)) is Status.LEGACY
    assert status_on(zurich, D(2026, 6, 15)) is Status.EOL
    assert status_on(tokyo, D(2026, 6, 15)) is Status.PEA


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (D(2026, 7, 7), Status.ACTIVE),
        (D(2026, 7, 8), Status.LEGACY),
        (D(2026, 10, 7), Status.LEGACY),
        (D(2026, 10, 8), Status.PEA),
        (D(2027, 1, 7), Status.PEA),
        (D(2027, 1, 8), Status.EOL),
    ],
)
def test_state_changes_on_the_published_day(catalog, day, expected) -> None:
    assert status_on(row(catalog, OPUS_41, "us-east-1"), day) is expected


def test_region_without_a_lifecycle_row_stays_active(catalog) -> None:
    haiku = "anthropic.claude-3-haiku-20240307-v1:0"
    model = catalog.model(haiku)
    assert "ap-south-1" in model.regions
    status = status_in_region(catalog.lifecycles, haiku, "ap-south-1", D(2026, 11, 22), model.regions)
    assert status is Status.ACTIVE
    assert status_in_region(catalog.lifecycles, haiku, "us-east-1", D(2026, 11, 22)) is Status.EOL
    assert status_in_region(catalog.lifecycles, haiku, "xx-nowhere-1", D(2026, 11, 22)) is None


def test_missing_pea_stays_missing(catalog) -> None:
    sonnet3_eu = row(catalog, "anthropic.claude-3-sonnet-20240229-v1:0", "eu-west-1")
    assert sonnet3_eu.pea_date is None
    kinds = [m.kind for m in milestones_of(sonnet3_eu)]
    assert kinds == [MilestoneKind.LEGACY, MilestoneKind.EOL]
    # …while the Asia-Pacific row of the same model does publish one.
    assert row(catalog, "anthropic.claude-3-sonnet-20240229-v1:0", "ap-northeast-1").pea_date == D(2026, 4, 30)


def test_milestones_carry_their_consequences(catalog) -> None:
    upcoming = upcoming_milestones(catalog.lifecycles, D(2026, 11, 22))
    found = {(m.model_id, m.kind): m for m in upcoming}
    assert found[(OPUS_41, MilestoneKind.EOL)].date == D(2027, 1, 8)
    assert found[(SONNET_45, MilestoneKind.PEA)].date == D(2027, 1, 8)
    assert found[(SONNET_45, MilestoneKind.EOL)].date == D(2027, 4, 8)
    assert (OPUS_41, MilestoneKind.PEA) not in found  # 2026-10-08 is already past
    assert any("fails" in c for c in found[(OPUS_41, MilestoneKind.EOL)].consequences)
    assert any("price" in c for c in found[(SONNET_45, MilestoneKind.PEA)].consequences)
    legacy = milestones_of(row(catalog, OPUS_41, "us-east-1"))[0]
    assert legacy.kind is MilestoneKind.LEGACY
    assert any("Provisioned Throughput" in c for c in legacy.consequences)
    assert any("15 days" in c for c in legacy.consequences)
    assert [m.date for m in upcoming] == sorted(m.date for m in upcoming)


def test_within_limits_the_horizon(catalog) -> None:
    soon = upcoming_milestones(catalog.lifecycles, D(2026, 11, 22), within_days=10)
    assert {m.model_id for m in soon} == {
        "ai21.jamba-1-5-large-v1:0", "ai21.jamba-1-5-mini-v1:0", "twelvelabs.marengo-embed-2-7-v1:0"}


def rules(lifecycle: RegionalLifecycle) -> set[str]:
    return {f.rule for f in check_lifecycle(lifecycle)}


def test_published_rows_that_break_the_policy_are_reported(catalog) -> None:
    # Claude Opus 4: PEA 2026-03-01 is one day later than 3 months before EOL 2026-05-31.
    assert "pea-too-short" in rules(row(catalog, "anthropic.claude-opus-4-20250514-v1:0", "us-east-1"))
    # Nova models with EOL after 2026-02-01 publish no PEA: noted, never invented.
    canvas = row(catalog, "amazon.nova-canvas-v1:0", "us-east-1")
    assert "pea-missing" in rules(canvas) and canvas.pea_date is None
    # Claude Opus 4.1 follows every rule.
    assert rules(row(catalog, OPUS_41, "us-east-1")) == set()


def synthetic(**fields) -> RegionalLifecycle:
    return RegionalLifecycle(model_id="test.model-v1:0", regions=("us-east-1",), **fields)


def test_old_regime_rules() -> None:
    assert "legacy-period" in rules(synthetic(legacy_date=D(2026, 1, 1), eol_date=D(2026, 6, 30)))
    assert "legacy-period" not in rules(synthetic(legacy_date=D(2026, 1, 1), eol_date=D(2026, 7, 1)))
    assert "pea-too-early" in rules(synthetic(
        legacy_date=D(2026, 1, 1), pea_date=D(2026, 3, 31), eol_date=D(2026, 9, 1)))
    assert "lifetime" in rules(synthetic(
        launch_date=D(2025, 6, 1), legacy_date=D(2025, 11, 1), eol_date=D(2026, 5, 31)))


def test_new_regime_rules() -> None:
    new = {"policy": PolicyRegime.FROM_2026_09_07}
    assert "legacy-period" in rules(synthetic(
        legacy_date=D(2027, 1, 1), eol_date=D(2027, 2, 1), legacy_period_days=45, **new))
    assert "legacy-period" not in rules(synthetic(
        legacy_date=D(2027, 1, 1), eol_date=D(2027, 2, 15), legacy_period_days=45, **new))
    assert "legacy-period" in rules(synthetic(
        legacy_date=D(2027, 1, 1), eol_date=D(2027, 5, 1), legacy_period_days=183, **new))
    assert "eol-no-sooner-than" in rules(synthetic(
        legacy_date=D(2027, 1, 1), eol_date=D(2027, 7, 1), eol_no_sooner_than=D(2027, 9, 1), **new))
    assert "pea-new-policy" in rules(synthetic(
        legacy_date=D(2027, 1, 1), pea_date=D(2027, 4, 1), eol_date=D(2027, 7, 1), **new))
    # The 12-month and PEA clauses do not apply to the newer regime.
    assert rules(synthetic(launch_date=D(2026, 10, 1), legacy_date=D(2027, 1, 1),
                           eol_date=D(2027, 7, 1), **new)) == set()
