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


# -- files for the import benchmarks ---------------------------------------------------------


def _catalog_pairs(folder: Path) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(model ID, Region) pairs of the bundled catalog where the model is offered in the
    Region: those with published retirement dates (each opens a plan) and the others."""
    store = open_project(folder / "catalog.db")
    dated = sorted(store.conn.execute(
        """SELECT r.model_id, r.region FROM model_regions r JOIN lifecycle l USING (model_id, region)
           WHERE r.access = 'in-region'"""))
    other = sorted(store.conn.execute(
        """SELECT r.model_id, r.region FROM model_regions r LEFT JOIN lifecycle l USING (model_id, region)
           WHERE r.access = 'in-region' AND l.model_id IS NULL"""))
    store.close()
    return dated, other


def _app_dependencies(rng: random.Random, dated: list, other: list, count: int) -> list[tuple[str, str]]:
    """`count` distinct (model, Region) pairs, about half of them on retiring models."""
    chosen: dict[tuple[str, str], None] = {}
    while len(chosen) < count:
        chosen[rng.choice(dated if rng.random() < 0.5 else other)] = None
    return list(chosen)


def import_csv(path: Path, rows: int = 100_000, seed: int = 7, deps_per_app: int = 4) -> dict[str, int]:
    """A CSV for `apps import`: `rows` rows, `deps_per_app` rows per application."""
    import csv
    import tempfile

    rng = random.Random(seed)
    with tempfile.TemporaryDirectory() as scratch:
        dated, other = _catalog_pairs(Path(scratch))
    n_apps = rows // deps_per_app
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["name", "owner", "team", "criticality", "model_id", "region", "environment",
                         "monthly_volume", "dependency_notes"])
        for app in range(n_apps):
            owner, team = f"owner{app % 97}", f"team-{app % 40}"
            criticality = rng.choice(["low", "medium", "high", "critical"])
            for model_id, region in _app_dependencies(rng, dated, other, deps_per_app):
                writer.writerow([f"imported-{app:06d}", owner, team, criticality, model_id, region, "prod",
                                 rng.randint(0, 500_000), ""])
    return {"applications": n_apps, "rows": n_apps * deps_per_app}


def import_json(path: Path, apps: int = 20_000, seed: int = 7) -> dict[str, int]:
    """A project document for `import json`, as `export json` writes one: `apps`
    applications, each with two dependencies and a plan under way for a retiring model
    (its checklist, fields, a test result, log)."""
    import tempfile

    from planner_tui.domain.checklists import default_items

    rng = random.Random(seed)
    with tempfile.TemporaryDirectory() as scratch:
        dated, other = _catalog_pairs(Path(scratch))
    items = default_items()
    applications = []
    n_items = 0
    for app in range(apps):
        deps = _app_dependencies(rng, dated, other, 2)
        if not any(d in dated for d in deps):
            deps[0] = rng.choice(dated)
        model_id = next(m for m, r in deps if (m, r) in dated)
        phase = rng.choice(PHASES)
        started = TODAY - dt.timedelta(days=rng.randint(0, 120))
        plan_items = [{"phase": i.phase.value, "title": i.title, "done": i.phase.index < phase.index,
                       "owner": "", "due_date": None, "notes": "",
                       "done_at": "2026-11-01T09:00:00Z" if i.phase.index < phase.index else None}
                      for i in items]
        n_items += len(plan_items)
        applications.append({
            "name": f"imported-{app:06d}", "owner": f"owner{app % 97}", "team": f"team-{app % 40}",
            "criticality": rng.choice(["low", "medium", "high", "critical"]), "environments": ["prod"],
            "notes": "",
            "dependencies": [{"model_id": m, "region": r, "access_path": "on-demand", "resource_id": "",
                              "environment": "prod", "monthly_volume": rng.randint(0, 500_000), "notes": ""}
                             for m, r in deps],
            "plans": [{
                "model_id": model_id, "target_model_id": None, "decision_reason": "",
                "current_phase": phase.value, "started_on": started.isoformat(), "deadline_override": None,
                "completed_on": None, "closed_on": None, "closed_kind": None, "closed_reason": "",
                "items": plan_items,
                "fields": {"baseline.latency_p95_ms": str(rng.randint(200, 4000))},
                "test_results": [{"metric": "accuracy", "baseline": 0.9, "candidate": 0.91, "threshold": 0.88,
                                  "higher_is_better": True, "notes": ""}],
                "rollout_stages": [], "decisions": [],
                "log": [{"at": started.isoformat() + "T09:00:00+00:00", "event": "created",
                         "detail": f"plan for {model_id}"}],
            }],
        })
    document = {"format": "planner-tui-project", "schema_version": 1, "project_id": "",
                "applications": applications, "manual_dates": []}
    path.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    return {"applications": apps, "dependencies": 2 * apps, "plans": apps, "checklist_items": n_items}


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
