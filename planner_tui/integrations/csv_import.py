"""Bulk onboarding of applications and dependencies from CSV: all rows or none.

One row per dependency; application columns repeat on each of its rows. The file must be a
regular file of at most input_files.CSV_LIMIT bytes. Each row is checked by the domain's
models (`Application`, `Dependency`: their length and character rules) and against the
catalog; every problem is listed, up to MAX_PROBLEMS.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from ..domain.models import AccessPath, Application, Criticality, Dependency
from ..errors import ImportRejected, PlannerError, UserInputError
from .input_files import CSV_LIMIT, read_text

if TYPE_CHECKING:
    from ..persistence.store import ProjectStore

REQUIRED = ("name", "owner", "model_id", "region")
OPTIONAL = ("team", "criticality", "environments", "notes", "access_path", "resource_id",
            "environment", "monthly_volume", "dependency_notes")
APP_FIELDS = ("owner", "team", "criticality", "environments", "notes")
DEPENDENCY_FIELDS = ("model_id", "region", "access_path", "resource_id", "environment", "monthly_volume")
DEPENDENCY_DEFAULTS = {"access_path": AccessPath.ON_DEMAND, "resource_id": "", "environment": "prod",
                       "monthly_volume": 0}
APP_DEFAULTS = {"owner": "", "team": "", "criticality": Criticality.MEDIUM, "environments": ("prod",), "notes": ""}
MAX_PROBLEMS = 100
WHAT = "a CSV import"
# A line with its ending (\r\n, \n or \r, as csv reads a file opened with newline=""), or
# the last line without one.
_LINE = re.compile(r"[^\r\n]*(?:\r\n|[\r\n])|[^\r\n]+")


class CsvRow(BaseModel):
    """A row as written: empty cells take their defaults, volumes may carry separators."""

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


def _header_problems(header: list[str]) -> list[str]:
    problems = []
    for column in dict.fromkeys(header):
        places = [str(n) for n, name in enumerate(header, start=1) if name == column]
        if len(places) > 1:
            problems.append(f"duplicate column {column!r} (columns {', '.join(places)}): "
                            "each column may appear once")
    problems += [f"missing column {c!r}" for c in REQUIRED if c not in header]
    problems += [f"unknown column {c!r}" for c in dict.fromkeys(header) if c not in REQUIRED + OPTIONAL]
    return problems


def _records(path: Path) -> Iterator[tuple[int, dict[str, str] | None]]:
    """(row number, cells by column) per row after the header; None for a row with the wrong
    number of cells. Refuses a header with a missing, unknown or repeated column."""
    text = read_text(path, CSV_LIMIT, WHAT)
    # Line by line from the text read (io.StringIO would keep a copy at four bytes a character).
    reader = csv.reader((match.group() for match in _LINE.finditer(text)), strict=True)
    try:
        first = next(reader, None)
        if first is None:
            raise UserInputError(f"{path} is empty: the first row must name the columns "
                                 f"({', '.join(REQUIRED)}, …).")
        header = [h.strip() for h in first]
        problems = _header_problems(header)
        if problems:
            raise ImportRejected(f"{path}: the header does not match; nothing was imported. "
                                 f"Columns: {', '.join(REQUIRED + OPTIONAL)}.", problems)
        number = 1
        for cells in reader:
            if not cells:  # a blank line
                continue
            number += 1
            yield number, dict(zip(header, cells, strict=True)) if len(cells) == len(header) else None
    except csv.Error as error:
        raise UserInputError(f"{path} is not valid CSV: {error}.") from None


def _problems(number: int, error: ValidationError, rename: dict[str, str] | None = None) -> list[str]:
    lines = []
    for e in error.errors():
        field = ".".join(str(p) for p in e["loc"]) or "row"
        field = (rename or {}).get(field, field)
        lines.append(f"row {number}: {field}: {str(e['msg']).removeprefix('Value error, ')}")
    return lines


class _Batch:
    """The applications of the file so far, each with its dependencies."""

    def __init__(self, existing: set[str]) -> None:
        self.existing = existing
        # lower-cased name -> (application, dependencies, their keys, app cells, first row)
        self.apps: dict[str, tuple[Application, list[Dependency], set[tuple], dict[str, Any], int]] = {}
        self.texts: dict[str, str] = {}

    def _once(self, text: Any) -> Any:
        return self.texts.setdefault(text, text) if isinstance(text, str) else text

    def add(self, number: int, row: CsvRow, raw: dict[str, str], resolve: Any) -> list[str]:
        key = row.name.lower()
        if key in self.existing:
            return [f"row {number}: an application named {row.name!r} already exists"]
        # Only the values that differ from the defaults (a model keeps the names of the fields
        # it was given: a set that is four times larger with more than four names); texts that
        # repeat from row to row are kept once.
        values = {f: self._once(getattr(row, f)) for f in DEPENDENCY_FIELDS
                  if getattr(row, f) != DEPENDENCY_DEFAULTS.get(f)}
        if row.dependency_notes:
            values["notes"] = row.dependency_notes
        try:
            dependency = Dependency.model_validate({"app_id": 0, **values})
        except ValidationError as error:
            return _problems(number, error, {"notes": "dependency_notes"})
        try:
            dependency = resolve(dependency)
        except PlannerError as error:
            return [f"row {number}: {error}"]
        dep_key = (dependency.model_id, dependency.region, dependency.access_path, dependency.resource_id,
                   dependency.environment)
        app_values = {f: getattr(row, f) for f in APP_FIELDS}
        if key in self.apps:
            app, deps, keys, first_values, first_row = self.apps[key]
            differing = [f for f in APP_FIELDS if raw.get(f, "") and app_values[f] != first_values[f]]
            if differing:
                return [f"row {number}: {', '.join(differing)} of {row.name!r} differ(s) from row {first_row}"]
            if dep_key in keys:
                return [f"row {number}: duplicate dependency {row.model_id}@{row.region}"]
            deps.append(dependency)
            keys.add(dep_key)
            return []
        environments = tuple(e.strip() for e in row.environments.replace(";", ",").split(",") if e.strip())
        values = {"name": row.name, "owner": self._once(row.owner), "team": self._once(row.team),
                  "criticality": row.criticality, "environments": environments or ("prod",), "notes": row.notes}
        try:
            app = Application.model_validate({k: v for k, v in values.items() if v != APP_DEFAULTS.get(k)})
        except ValidationError as error:
            return _problems(number, error)
        self.apps[key] = (app, [dependency], {dep_key}, app_values, number)
        return []


def parse_csv(store: ProjectStore, path: Path) -> list[tuple[Application, list[Dependency]]]:
    """Validate every row; raise ImportRejected listing each bad row, or return the batch."""
    problems: list[str] = []
    count = 0
    batch = _Batch({a.name.lower() for a in store.applications()})
    resolve = store.dependency_resolver()
    for number, raw in _records(path):
        count += 1
        if raw is None:
            problems.append(f"row {number}: wrong number of cells")
            continue
        try:
            row = CsvRow.model_validate(raw)
        except ValidationError as error:
            problems += _problems(number, error)
            continue
        problems += batch.add(number, row, raw, resolve)
    if not count:
        raise UserInputError(f"{path} has a header but no rows.")
    if problems:
        raise ImportRejected(f"{path}: {len(problems)} problem(s); nothing was imported.",
                             problems[:MAX_PROBLEMS])
    return [(app, deps) for app, deps, _, _, _ in batch.apps.values()]


def import_applications(store: ProjectStore, path: Path, today: dt.date) -> tuple[int, int]:
    batch = parse_csv(store, path)
    store.add_applications(batch, today)
    return len(batch), sum(len(deps) for _, deps in batch)
