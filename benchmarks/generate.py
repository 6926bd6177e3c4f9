"""Deterministic synthetic projects for benchmarks (5,000 applications and up).

    uv run python benchmarks/generate.py OUT.db [--seed 7] [--scale 1.0]

Sizes at scale 1: 300 models × 30 Regions of lifecycle rows, 5,000 applications,
20,000 dependencies, 20,000 plans, 300,000 checklist items. The project is created through
the normal code path (migrations, bundled catalog), then filled with bulk inserts.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from planner_tui.domain.models import PHASES  # noqa: E402
from planner_tui.services.project import open_project  # noqa: E402

TODAY = dt.date(2026, 11, 22)
REGIONS = [
    "us-east-1", "us-east-2", "us-west-1", "us-west-2", "ca-central-1", "ca-west-1", "sa-east-1",
    "eu-west-1", "eu-west-2", "eu-west-3", "eu-central-1", "eu-central-2", "eu-north-1",
    "eu-south-1", "eu-south-2", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3",
    "ap-south-1", "ap-south-2", "ap-southeast-1", "ap-southeast-2", "ap-southeast-3",
    "ap-southeast-4", "ap-east-2", "me-central-1", "me-south-1", "il-central-1", "af-south-1",
    "mx-central-1",
]
ITEMS_PER_PLAN = 15


def generate(path: Path, seed: int = 7, scale: float = 1.0) -> dict[str, int]:
    rng = random.Random(seed)
    n_models, n_apps = int(300 * scale), int(5000 * scale)
    deps_per_app = 4
    store = open_project(path)
    db = store.db
    now = "2026-11-22T00:00:00+00:00"
    with db.atomic():
        models, lifecycle, regions_rows = [], [], []
        for index in range(n_models):
            model_id = f"synth.model-{index:03d}-v1:0"
            models.append((model_id, f"Synthetic {index:03d}", f"Provider {index % 12}",
                           json.dumps(["Text"]), json.dumps(["Text"]), 1, "2025-01-01",
                           "https://example.invalid/synthetic", "2026-11-22"))
            base = TODAY + dt.timedelta(days=rng.randint(-200, 300))
            for region in REGIONS:
                regions_rows.append((model_id, region, "in-region"))
                legacy = base + dt.timedelta(days=rng.choice((0, 0, 0, 30)))
                pea = legacy + dt.timedelta(days=92)
                eol = legacy + dt.timedelta(days=184)
                lifecycle.append((model_id, region, "Legacy", legacy.isoformat(), pea.isoformat(),
                                  eol.isoformat(), "launched-before-2026-09-07",
                                  "https://example.invalid/synthetic", "2026-11-22"))
        db.conn.executemany("INSERT INTO models (model_id, name, provider, input_modalities, "
                            "output_modalities, streaming, launch_date, source_url, as_of) "
                            "VALUES (?,?,?,?,?,?,?,?,?)", models)
        db.conn.executemany("INSERT INTO model_regions VALUES (?,?,?)", regions_rows)
        db.conn.executemany("INSERT INTO lifecycle (model_id, region, declared_status, legacy_date, "
                            "pea_date, eol_date, policy, source, as_of) VALUES (?,?,?,?,?,?,?,?,?)",
                            lifecycle)
        apps, deps, plans, items = [], [], [], []
        plan_id = 0
        item_id = 0
        titles = [f"Step {n + 1} of the phase" for n in range(ITEMS_PER_PLAN)]
        for app_id in range(1, n_apps + 1):
            apps.append((app_id, f"app-{app_id:05d}", f"owner{app_id % 97}", f"team-{app_id % 40}",
                         rng.choice(["low", "medium", "high", "critical"]), '["prod"]', "", now))
            for model_index in rng.sample(range(n_models), deps_per_app):
                model_id = f"synth.model-{model_index:03d}-v1:0"
                region = rng.choice(REGIONS)
                deps.append((app_id, model_id, region, "on-demand", "", "prod",
                             rng.randint(0, 500_000), ""))
                plan_id += 1
                phase = rng.choice(PHASES)
                started = TODAY - dt.timedelta(days=rng.randint(0, 120))
                completed = TODAY.isoformat() if rng.random() < 0.05 else None
                plans.append((plan_id, app_id, model_id, phase.value, started.isoformat(), completed))
                for position in range(ITEMS_PER_PLAN):
                    item_id += 1
                    item_phase = PHASES[position * len(PHASES) // ITEMS_PER_PLAN]
                    done = item_phase.index < phase.index or (item_phase is phase and rng.random() < 0.4)
                    items.append((item_id, plan_id, item_phase.value, position, titles[position],
                                  int(done), "", None, "", now if done else None))
        # Bulk data is not a user's edit: keep it out of the audit log.
        for trigger in [r[0] for r in db.execute(
                "SELECT name FROM sqlite_master WHERE type='trigger' AND name LIKE 'audit_%'")]:
            db.execute(f"DROP TRIGGER {trigger}")
        db.conn.executemany("INSERT INTO applications (id, name, owner, team, criticality, "
                            "environments, notes, created_at) VALUES (?,?,?,?,?,?,?,?)", apps)
        db.conn.executemany("INSERT INTO dependencies (app_id, model_id, region, access_path, "
                            "resource_id, environment, monthly_volume, notes) VALUES (?,?,?,?,?,?,?,?)",
                            deps)
        db.conn.executemany("INSERT INTO plans (id, app_id, model_id, current_phase, started_on, "
                            "completed_on) VALUES (?,?,?,?,?,?)", plans)
        db.conn.executemany("INSERT INTO checklist_items (id, plan_id, phase, position, title, done, "
                            "owner, due_date, notes, done_at) VALUES (?,?,?,?,?,?,?,?,?,?)", items)
    # Put the audit triggers back exactly as the migration made them.
    from planner_tui.persistence.schema import audit_log

    with db.atomic():
        db.execute("DROP TABLE audit_log")
        audit_log(db)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.execute("ANALYZE")
    store.close()
    return {"models": n_models, "lifecycle_rows": len(lifecycle), "applications": len(apps),
            "dependencies": len(deps), "plans": len(plans), "checklist_items": len(items)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("output", type=Path)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--scale", type=float, default=1.0)
    args = parser.parse_args()
    if args.output.exists():
        parser.error(f"{args.output} exists; choose a new file")
    print(generate(args.output, args.seed, args.scale))


if __name__ == "__main__":
    main()
