"""Whole-project JSON export and import, checked before anything is written."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from pydantic import ValidationError

from ..domain.models import Dependency
from ..domain.project_document import FORMAT, SCHEMA_VERSION, ProjectDocument
from ..errors import ImportRejected, PlannerError, UserInputError
from ..persistence.store import ProjectStore
from .files import atomic_write_bytes, read_user_text

MAX_PROBLEMS = 50


def render_document(store: ProjectStore) -> bytes:
    return (store.export_document().model_dump_json(indent=2) + "\n").encode("utf-8")


def export_project(store: ProjectStore, path: Path) -> int:
    data = render_document(store)
    atomic_write_bytes(path, data)
    return len(store.applications())


def _where(location: tuple) -> str:
    return ".".join(str(part) for part in location) or "document"


def read_document(path: Path) -> ProjectDocument:
    text = read_user_text(path)
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as error:
        raise UserInputError(f"{path} is not valid JSON (line {error.lineno}, column {error.colno}: "
                             f"{error.msg}).") from None
    if not isinstance(raw, dict) or raw.get("format") != FORMAT:
        raise UserInputError(f"{path} is not a planner-tui project export (format must be {FORMAT!r}).")
    if raw.get("schema_version") != SCHEMA_VERSION:
        raise UserInputError(f"{path} has schema version {raw.get('schema_version')!r}; this release "
                             f"reads version {SCHEMA_VERSION}.")
    try:
        return ProjectDocument.model_validate(raw)
    except ValidationError as error:
        problems = [f"{_where(e['loc'])}: {e['msg']}" for e in error.errors()[:MAX_PROBLEMS]]
        raise ImportRejected(f"{path} does not match the project format; nothing was imported.",
                             problems) from None


def check_document(store: ProjectStore, document: ProjectDocument) -> list[str]:
    """Everything that would make the import fail, as one line per problem."""
    problems: list[str] = []
    known = store.model_ids()
    existing = {a.name.lower() for a in store.applications()}
    seen: set[str] = set()
    for index, app in enumerate(document.applications):
        where = f"applications.{index} ({app.name})"
        key = app.name.strip().lower()
        if key in seen:
            problems.append(f"{where}: duplicate application name in the file")
        elif key in existing:
            problems.append(f"{where}: an application with this name already exists in the project")
        seen.add(key)
        for d_index, dependency in enumerate(app.dependencies):
            try:
                store.resolve_dependency(Dependency(app_id=0, **dependency.model_dump()))
            except PlannerError as error:
                problems.append(f"{where}.dependencies.{d_index}: {error}")
        for p_index, plan in enumerate(app.plans):
            for field in ("model_id", "target_model_id"):
                value = getattr(plan, field)
                if value and value not in known:
                    problems.append(f"{where}.plans.{p_index}.{field}: unknown model ID {value!r}")
    for index, manual in enumerate(document.manual_dates):
        if manual.model_id not in known:
            problems.append(f"manual_dates.{index}: unknown model ID {manual.model_id!r}")
    return problems[:MAX_PROBLEMS]


def import_project(store: ProjectStore, path: Path, today: dt.date) -> int:
    document = read_document(path)
    problems = check_document(store, document)
    if problems:
        raise ImportRejected(f"{path}: {len(problems)} problem(s); nothing was imported.", problems)
    return store.import_document(document, today)
