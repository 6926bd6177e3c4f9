"""Bulk onboarding of applications and dependencies from CSV: all rows or none.

One row per dependency; application columns repeat on each of its rows.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from ..domain.models import AccessPath, Application, Criticality, Dependency
from ..errors import ImportRejected, PlannerError, UserInputError
from ..persistence.store import ProjectStore
from .files import read_user_text

REQUIRED = ("name", "owner", "model_id", "region")
OPTIONAL = ("team", "criticality", "environments", "notes", "access_path", "resource_id",
            "environment", "monthly_volume", "dependency_notes")
APP_FIELDS = ("owner", "team", "criticality", "environments", "notes")
MAX_PROBLEMS = 100


class CsvRow(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: str = Field(min_length=1)
    owner: str = ""
    team: str = ""
    criticality: Criticality = Criticality.MEDIUM
    environments: str = "prod"
    notes: str = ""
    model_id: str = Field(min_length=1)
    region: str = Field(min_length=1)
    access_path: AccessPath = AccessPath.ON_DEMAND
    resource_id: str = ""
    environment: str = "prod"
    monthly_volume: int = Field(default=0, ge=0)
    dependency_notes: str = ""

    @field_validator("criticality", "access_path", "environments", "environment", mode="before")
    @classmethod
    def _empty_means_default(cls, value: object, info) -> object:  # noqa: ANN001
        if value == "":
            return {"criticality": "medium", "access_path": "on-demand",
                    "environments": "prod", "environment": "prod"}[info.field_name]
        return value

    @field_validator("monthly_volume", mode="before")
    @classmethod
    def _volume(cls, value: object) -> object:
        if isinstance(value, str):
            value = value.replace(",", "").replace("_", "").strip() or "0"
        return value


def _rows(path: Path) -> list[dict[str, str]]:
    text = read_user_text(path, encoding="utf-8-sig")  # tolerate a spreadsheet's BOM
    try:
        reader = csv.DictReader(io.StringIO(text, newline=""), strict=True)
        header = [h.strip() for h in reader.fieldnames or []]
        rows = list(reader)
    except csv.Error as error:
        raise UserInputError(f"{path} is not valid CSV: {error}.") from None
    missing = [c for c in REQUIRED if c not in header]
    unknown = [c for c in header if c not in REQUIRED + OPTIONAL]
    if missing or unknown:
        problems = [f"missing column {c!r}" for c in missing] + [f"unknown column {c!r}" for c in unknown]
        raise ImportRejected(f"{path}: the header does not match; nothing was imported. "
                             f"Columns: {', '.join(REQUIRED + OPTIONAL)}.", problems)
    # DictReader puts surplus cells under None and fills missing ones with None.
    return [{(k.strip() if k is not None else None): v for k, v in row.items()} for row in rows]


def parse_csv(store: ProjectStore, path: Path) -> list[tuple[Application, list[Dependency]]]:
    """Validate every row; raise ImportRejected listing each bad row, or return the batch."""
    problems: list[str] = []
    apps: dict[str, tuple[Application, list[Dependency], dict[str, str], int]] = {}
    existing = {a.name.lower() for a in store.applications()}
    raw_rows = _rows(path)
    if not raw_rows:
        raise UserInputError(f"{path} has a header but no rows.")
    for number, raw in enumerate(raw_rows, start=2):  # row 1 is the header
        if None in raw or None in raw.values():
            problems.append(f"row {number}: wrong number of cells")
            continue
        try:
            row = CsvRow.model_validate(raw)
        except ValidationError as error:
            for e in error.errors():
                field = ".".join(str(p) for p in e["loc"]) or "row"
                problems.append(f"row {number}: {field}: {str(e['msg']).removeprefix('Value error, ')}")
            continue
        key = row.name.lower()
        if key in existing:
            problems.append(f"row {number}: an application named {row.name!r} already exists")
            continue
        app_values = {f: str(getattr(row, f)) for f in APP_FIELDS}
        dependency = Dependency(app_id=0, model_id=row.model_id, region=row.region,
                                access_path=row.access_path, resource_id=row.resource_id,
                                environment=row.environment, monthly_volume=row.monthly_volume,
                                notes=row.dependency_notes)
        try:
            dependency = store.resolve_dependency(dependency)
        except PlannerError as error:
            problems.append(f"row {number}: {error}")
            continue
        if key in apps:
            app, deps, first_values, first_row = apps[key]
            differing = [f for f in APP_FIELDS if raw.get(f, "") and app_values[f] != first_values[f]]
            if differing:
                problems.append(f"row {number}: {', '.join(differing)} of {row.name!r} differ(s) from "
                                f"row {first_row}")
                continue
            if any(d.model_id == dependency.model_id and d.region == dependency.region
                   and d.access_path == dependency.access_path and d.resource_id == dependency.resource_id
                   and d.environment == dependency.environment for d in deps):
                problems.append(f"row {number}: duplicate dependency {row.model_id}@{row.region}")
                continue
            deps.append(dependency)
        else:
            environments = tuple(e.strip() for e in row.environments.replace(";", ",").split(",") if e.strip())
            app = Application(name=row.name, owner=row.owner, team=row.team,
                              criticality=row.criticality, environments=environments or ("prod",),
                              notes=row.notes)
            apps[key] = (app, [dependency], app_values, number)
    if problems:
        raise ImportRejected(f"{path}: {len(problems)} problem(s); nothing was imported.",
                             problems[:MAX_PROBLEMS])
    return [(app, deps) for app, deps, _, _ in apps.values()]


def import_applications(store: ProjectStore, path: Path, today: dt.date) -> tuple[int, int]:
    batch = parse_csv(store, path)
    store.add_applications(batch, today)
    return len(batch), sum(len(deps) for _, deps in batch)
