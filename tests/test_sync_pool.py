"""The sync's pool of calls: a bounded number of threads, kept for the next work and ended
by close(); clients that share botocore's event-name cache."""

from __future__ import annotations

import threading
import time

import boto3
from botocore.stub import Stubber

from planner_tui.integrations.aws.clients import shared_caches
from planner_tui.integrations.aws.sync import _Calls


def test_the_pool_runs_at_most_its_limit_at_once_on_threads_it_keeps_then_ends_them() -> None:
    calls = _Calls(4, threading.Event())
    running, most, lock = [0], [0], threading.Lock()
    names: set[int] = set()

    def work(n: int) -> int:
        with lock:
            running[0] += 1
            most[0] = max(most[0], running[0])
            names.add(threading.get_ident())
        time.sleep(0.01)
        with lock:
            running[0] -= 1
        return n

    before = threading.active_count()
    for n in range(40):
        calls.submit(work, n)
    assert sorted(calls.results()) == list(range(40))
    assert most[0] == 4 and len(names) == 4  # 40 jobs on 4 threads, not a thread each
    calls.close()
    for _ in range(100):
        if threading.active_count() <= before:
            break
        time.sleep(0.01)
    assert threading.active_count() <= before


def test_a_cancelled_pool_passes_over_what_is_waiting() -> None:
    cancel = threading.Event()
    calls = _Calls(1, cancel)
    done: list[int] = []
    cancel.set()
    for n in range(5):
        calls.submit(done.append, n)
    calls.close()
    time.sleep(0.05)
    assert done == []


def test_clients_share_the_event_name_cache_and_still_call_as_before() -> None:
    session = boto3.Session(aws_access_key_id="testing", aws_secret_access_key="testing")
    first = shared_caches(session.client("bedrock", region_name="us-east-1"))
    second = shared_caches(session.client("bedrock", region_name="eu-west-1"))
    assert first.meta.events._alias_name_cache is second.meta.events._alias_name_cache  # noqa: SLF001 (compat's)
    with Stubber(second) as stub:
        stub.add_response("list_foundation_models", {"modelSummaries": []})
        assert second.list_foundation_models()["modelSummaries"] == []
    assert first.meta.region_name == "us-east-1" and second.meta.region_name == "eu-west-1"
