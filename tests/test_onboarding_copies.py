"""Bulk onboarding checks every model it is given, keeping the given one when the rules change
nothing: a 100,000-row import held two copies of everything (327 MB at its peak, target 300)."""

from __future__ import annotations

import pytest

from planner_tui.domain.models import Application, Dependency
from planner_tui.errors import UserInputError
from planner_tui.services.commands import onboarding

from .conftest import TODAY


def test_a_valid_model_is_kept_as_given() -> None:
    app = Application(name="Checkout", owner="dana")
    dependency = Dependency(app_id=0, model_id="anthropic.claude-3-haiku-20240307-v1:0", region="us-east-1")
    assert onboarding._checked(app) is app
    assert onboarding._checked(dependency) is dependency


def test_a_model_the_rules_change_is_replaced_by_the_checked_copy() -> None:
    app = Application(name="Checkout", owner="dana").model_copy(update={"notes": "one\r\ntwo"})
    again = onboarding._checked(app)
    assert again is not app and again.notes == "one\ntwo"


def test_a_model_breaking_a_rule_is_refused(store) -> None:
    bad = Application(name="Checkout").model_copy(update={"name": "x" * 10_000})
    with pytest.raises(UserInputError):
        onboarding.add_applications(store, [(bad, [])], TODAY)
    assert store.applications() == []
