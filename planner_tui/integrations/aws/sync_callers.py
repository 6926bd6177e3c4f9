"""Who calls each model, in a sync: one CloudTrail `LookupEvents` scan per account and Region,
as a job of its own on the sync's pool (Bedrock and CloudWatch do not wait on its paging).

Where the scan starts (`store.caller_scan_end`) is read on the calling thread, the only one
that touches the store; the client is made when the job starts, under its account's lock, as
the Region's Bedrock clients are (made up front, 200 accounts × 17 Regions held 3,400 idle
clients, 500 MB); what the scan found is recorded on the calling thread, in the same
transaction as the Region's listing and discovered resources
(services.commands.callers.record_caller_scan).
A scan throttled after every backoff, denied or unreachable is one line among the Region's
warnings (the Region is partial, the sync exits 1); a cancelled one is dropped.
"""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from botocore.exceptions import BotoCoreError, ClientError

from ...services.commands.callers import record_caller_scan
from . import cloudtrail
from .clients import shared_caches

if TYPE_CHECKING:
    from ...persistence.store import ProjectStore
    from .accounts import Account

STEP = "callers"  # --skip callers


@dataclass
class CallersResult:
    """What one account's and Region's scan brought back to the calling thread."""

    index: int  # of the report's row (account × Region)
    scan: cloudtrail.CallerScan | None = None
    warnings: list[str] = field(default_factory=list)
    cancelled: bool = False


def trail_client(account: Account, region: str, config: Any) -> Any:
    """The account's CloudTrail client in the Region (AWS_ENDPOINT_URL_CLOUDTRAIL, the retry
    settings), made under the account's lock: a session is not thread-safe."""
    with account.lock:
        return shared_caches(account.session.client("cloudtrail", region_name=region, config=config))


def read_callers(index: int, region: str, account: Account, config: Any, since: dt.datetime | None,
                 now: dt.datetime, cancel: threading.Event) -> CallersResult:
    """The scan, in a worker: never touches the store. Failures become one line."""
    from .sync import _region_error  # one wording for every failure of a Region

    result = CallersResult(index)
    try:
        trail = trail_client(account, region, config)
        result.scan = cloudtrail.lookup_callers(trail, region, since, now, account_id=account.account_id,
                                                account_name=account.account_name, sleep=cancel.wait,
                                                cancel=cancel)
    except cloudtrail.CallersCancelled:
        result.cancelled = True
    except cloudtrail.CallersThrottled as error:
        result.warnings.append(f"account {account.label}, {error}" if account.verify else str(error))
    except (ClientError, BotoCoreError) as error:
        result.warnings.append(_region_error(error, "cloudtrail", region, account)[1])
    if result.scan is not None:
        result.warnings += [f"account {account.label}, {w}" if account.verify else w for w in result.scan.warnings]
    return result


def record(store: ProjectStore, found: CallersResult | None, scanned_at: dt.datetime) -> tuple[int, int]:
    """(new, updated) callers of the scan, recorded (inside the caller's transaction)."""
    if found is None or found.scan is None or found.cancelled:
        return 0, 0
    recorded = record_caller_scan(store, found.scan, scanned_at)
    return recorded.new, recorded.updated
