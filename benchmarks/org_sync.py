"""Benchmark (#17): `sync --org` over N accounts × 17 Regions against the local stand-in
(Organizations, STS and Bedrock in a process of its own), 100 ms added to every call.

It reports the time beside the ideal for the worker pool (total calls × 100 ms ÷ pool size),
the sessions made (one per account), and the peak memory of the sync's process.

Usage: uv run python benchmarks/org_sync.py [ACCOUNTS ...]   (default: 10 50 200)
A case of benchmarks/run.py too (`--only org_sync`): `org_sync_case(record)`.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from peak_memory import own_peak_mb

ROOT = Path(__file__).resolve().parents[1]
REGIONS = [f"bench-{i:02d}-1" for i in range(17)]
DELAY = 0.1
CALLS_PER_REGION = 10  # ListFoundationModels, 7 discovery lists (profiles twice), logging configuration, LookupEvents
TODAY = dt.date(2026, 11, 22)


def child(accounts: int) -> None:
    sys.path.insert(0, str(ROOT / "tests"))
    from fake_bedrock import FakeAccount, FakeBedrock

    listing = [{"modelArn": f"arn:aws:bedrock:x::foundation-model/bench.m{i}", "modelId": f"bench.m{i}",
                "modelName": f"m{i}", "providerName": "Bench", "inputModalities": ["TEXT"],
                "outputModalities": ["TEXT"], "responseStreamingSupported": True,
                "modelLifecycle": {"status": "ACTIVE"}} for i in range(100)]
    fake = {f"{100000000000 + n}": FakeAccount(name=f"acct-{n:03d}") for n in range(accounts)}
    with FakeBedrock({}, dict.fromkeys(REGIONS, listing), delay=DELAY, accounts=fake) as server:
        print(server.url, flush=True)
        sys.stdin.read()


def measure(accounts: int) -> dict[str, float]:
    import boto3

    from planner_tui.integrations.aws import accounts as aws_accounts
    from planner_tui.integrations.aws.clients import client_config
    from planner_tui.integrations.aws.sync import MAX_THREADS, run_sync
    from planner_tui.services.project import open_project

    server = subprocess.Popen([sys.executable, __file__, "--child", str(accounts)], cwd=ROOT,
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        url = server.stdout.readline().strip() if server.stdout else ""
        os.environ.update({"AWS_ENDPOINT_URL": url, "AWS_ACCESS_KEY_ID": "AKIABENCH",
                           "AWS_SECRET_ACCESS_KEY": "bench", "AWS_EC2_METADATA_DISABLED": "true",
                           "AWS_MAX_ATTEMPTS": "1", "AWS_DEFAULT_REGION": "us-east-1"})
        made = [0]
        role_session = aws_accounts._role_session

        def counted(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
            made[0] += 1
            return role_session(*args, **kwargs)

        aws_accounts._role_session = counted  # type: ignore[assignment]
        store = open_project(Path(tempfile.mkdtemp(prefix="planner-bench-org-")) / "project.db")
        session = boto3.Session(region_name="us-east-1")
        cpu_before = _cpu(resource.RUSAGE_SELF)
        start = time.perf_counter()
        listed = aws_accounts.from_organization(session, client_config(session))
        report = run_sync(store, session, REGIONS, TODAY, skip=frozenset({"usage", "health"}), accounts=listed)
        elapsed = time.perf_counter() - start
        cpu = _cpu(resource.RUSAGE_SELF) - cpu_before
        store.close()
        aws_accounts._role_session = role_session  # type: ignore[assignment]
    finally:
        if server.stdin:
            server.stdin.close()
        server.wait(timeout=30)
    server_cpu = _cpu(resource.RUSAGE_CHILDREN)
    calls = accounts * (len(REGIONS) * CALLS_PER_REGION + 2) + -(-(accounts + 1) // 10)
    ideal = calls * DELAY / MAX_THREADS
    assert report.outcome == "complete", report.as_dict()
    return {"accounts": accounts, "seconds": elapsed, "ideal": ideal, "ratio": elapsed / ideal,
            "sessions": made[0], "peak_mb": own_peak_mb(),
            "cpu_ms": cpu * 1000 / calls, "server_cpu_ms": server_cpu * 1000 / calls, "calls": calls}


def _cpu(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


POOL = 32  # the sync's MAX_THREADS, which the ideal divides by (checked below)
RATIO, MEMORY_MB = 1.4, 300  # the targets, at the largest size


def one_size(size: int) -> dict[str, float]:
    """measure(size) in a process of its own: peak memory is that sync's, not the largest so far."""
    done = subprocess.run([sys.executable, __file__, "--json", str(size)], cwd=ROOT, capture_output=True,
                          text=True, check=False)
    if done.returncode:
        raise SystemExit(f"org_sync {size} failed:\n{done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def org_sync_case(record: Callable[[str, str, str, bool], None], sizes: tuple[int, ...] = (10, 50, 200)) -> None:
    """run.py's figure: the time at each size beside its ideal, how it grows, and the largest
    size against the targets (ratio, one session per account, memory)."""
    from planner_tui.integrations.aws.sync import MAX_THREADS

    assert MAX_THREADS == POOL
    figures = [one_size(size) for size in sizes]
    for f in figures:
        print(f"  org sync {f['accounts']:.0f} accounts × 17 Regions: {f['calls']:,.0f} calls, {f['seconds']:.1f} s "
              f"(ideal {f['ideal']:.1f} s, {f['ratio']:.2f}×), {f['sessions']:.0f} sessions, {f['peak_mb']:.0f} MB, "
              f"CPU a call {f['cpu_ms']:.1f} ms (stand-in {f['server_cpu_ms']:.1f} ms)", flush=True)
    first = figures[0]
    for f in figures[1:]:
        print(f"  growth {first['accounts']:.0f} -> {f['accounts']:.0f} accounts "
              f"({f['accounts'] / first['accounts']:.0f}× the calls): time {f['seconds'] / first['seconds']:.1f}×",
              flush=True)
    last = figures[-1]
    record(f"sync --org, {last['accounts']:.0f} accounts × 17 Regions, 100 ms a call, pool of {POOL}",
           f"{last['seconds']:.1f} s vs ideal {last['ideal']:.1f} s = {last['ratio']:.2f}×", f"≤ {RATIO}×",
           last["ratio"] <= RATIO)
    record("sync --org: sessions", f"{last['sessions']:.0f} for {last['accounts']:.0f} accounts", "one per account",
           last["sessions"] == last["accounts"])
    record("sync --org: peak memory", f"{last['peak_mb']:.0f} MB", f"≤ {MEMORY_MB} MB", last["peak_mb"] <= MEMORY_MB)


def main() -> None:
    if sys.argv[1:2] == ["--child"]:
        child(int(sys.argv[2]))
        return
    sizes = [int(a) for a in sys.argv[1:]] or [10, 50, 200]
    print("| accounts × 17 Regions | calls | time | ideal (calls × 100 ms ÷ 32) | ratio | sessions | peak memory "
          "| CPU a call: sync, stand-in |")
    print("|---|---|---|---|---|---|---|---|")
    for size in sizes:
        # One process per size: peak memory is the sync's own, not the largest run's so far.
        out = subprocess.run([sys.executable, __file__, "--one", str(size)], cwd=ROOT, capture_output=True,
                             text=True, check=True).stdout.strip().splitlines()[-1]
        print(out, flush=True)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--json"]:
        print(json.dumps(measure(int(sys.argv[2]))))
    elif sys.argv[1:2] == ["--one"]:
        figures = measure(int(sys.argv[2]))
        print(f"| {figures['accounts']:.0f} | {figures['calls']:,.0f} | {figures['seconds']:.1f} s | "
              f"{figures['ideal']:.1f} s | {figures['ratio']:.2f}× | {figures['sessions']:.0f} | "
              f"{figures['peak_mb']:.0f} MB | {figures['cpu_ms']:.1f} ms, {figures['server_cpu_ms']:.1f} ms |")
    else:
        main()
