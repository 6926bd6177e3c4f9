"""AWS Health in a sync: the organizational view once for every account (from the management
account or a delegated administrator), or each account's own Health."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from botocore.exceptions import BotoCoreError, ClientError

from . import health
from .errors import explain

if TYPE_CHECKING:
    from ...persistence.store import ProjectStore
    from .accounts import Account
    from .sync import SyncReport
    from .sync import _Calls as Calls


def account_health(store: ProjectStore, accounts: list[Account], calls: Calls, report: SyncReport,
                 regions: list[str], config: Any, now: Callable[[], dt.datetime]) -> None:
    """Each account's AWS Health (us-east-1) whose Regions synced; its events carry it."""

    def fetch(account: Account, client: Any) -> tuple[Account, list | BaseException]:
        try:
            return account, health.fetch_health(client)
        except (health.SubscriptionRequired, ClientError, BotoCoreError) as error:
            return account, error

    for number, account in enumerate(accounts):
        rows = report.regions[number * len(regions):(number + 1) * len(regions)]
        if any(r.state in ("ok", "partial") for r in rows):
            calls.submit(fetch, account, account.session.client(
                "health", region_name=health.HEALTH_REGION, config=config))
    failed: list[str] = []
    unsubscribed = 0
    for account, outcome in calls.results():
        who = f"account {account.label}: " if account.verify else ""
        if isinstance(outcome, health.SubscriptionRequired):
            unsubscribed += 1
        elif isinstance(outcome, (ClientError, BotoCoreError)):
            failed.append("AWS Health failed: " + who + explain(outcome, "health", health.HEALTH_REGION)[1])
        else:
            tag = {"account_id": account.account_id, "account_name": account.account_name}
            store.record_health([e.model_copy(update=tag) for e in outcome], now())
            report.health_events += len(outcome)
    if unsubscribed:  # one line, however many accounts lack the support plan
        failed.append(health.SUBSCRIPTION_NOTE if len(accounts) == 1
                      else f"{health.SUBSCRIPTION_NOTE[:-1]} for {unsubscribed} account(s).")
    report.health_note = " ".join(failed)


def organization_health(store: ProjectStore, session: Any, accounts: list[Account], calls: Calls,
                         report: SyncReport, config: Any, now: Callable[[], dt.datetime]) -> bool:
    """The organizational view of AWS Health, read once from the management account (or a
    delegated administrator) for every account; False when it cannot be read here, so that
    each account's own Health is read instead."""
    names = {a.account_id: a.account_name for a in accounts}

    def fetch(client: Any) -> list | BaseException:
        try:
            return health.fetch_organization_health(client)
        except (health.OrganizationViewOff, health.SubscriptionRequired, ClientError, BotoCoreError) as error:
            return error

    outcome = calls.one(fetch, session.client("health", region_name=health.HEALTH_REGION, config=config))
    if not isinstance(outcome, list):
        return False
    store.record_health([e.model_copy(update={"account_name": names.get(e.account_id, "")}) for e in outcome],
                        now())
    report.health_events = len(outcome)
    report.health_source = "organizational view"
    return True
