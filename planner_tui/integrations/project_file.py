"""Whole-project JSON export and import, checked before anything is kept.

An import reads a regular file of at most input_files.JSON_LIMIT bytes, one application at
a time (integrations/json_stream.py): each is checked by the document's models (the domain's
rules for every text, date and number) and against the project and the catalog, then handed
to the store, which writes it inside the import's one transaction. Any problem, in any
application, rolls the whole import back; every problem is listed, up to MAX_PROBLEMS.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from ..domain.inert import BIDI
from ..domain.models import Dependency
from ..domain.project_document import FORMAT, READABLE_VERSIONS, SCHEMA_VERSION, ApplicationDoc, ProjectDocument
from ..domain.settings import ScheduleSettings
from ..errors import ImportRejected, PlannerError, UserInputError
from .files import atomic_write_bytes
from .input_files import JSON_LIMIT, read_text_chunks
from .json_stream import DocumentReader, DuplicateKey, JsonProblem, NotAnObject

if TYPE_CHECKING:
    from ..domain.project_document import CampaignDoc, ManualDateDoc
    from ..persistence.store import ProjectStore

MAX_PROBLEMS = 50
WHAT = "a project import"


# JSON escapes C0 controls itself; these others (DEL, C1, bidi and line separators) are
# legal raw in a JSON string but drive a terminal or reorder text when the file is viewed.
_SHOWN_ESCAPED = re.compile(f"[\x7f-\x9f{BIDI}\u2028\u2029]")


def render_document(store: ProjectStore) -> bytes:
    """The document as JSON: the same data whatever it holds, nothing in it a viewer acts on
    (the characters above as \\u escapes; letters of any script stay as they are)."""
    text = store.export_document().model_dump_json(indent=2)
    return (_SHOWN_ESCAPED.sub(lambda found: f"\\u{ord(found.group()):04x}", text) + "\n").encode("utf-8")


def export_project(store: ProjectStore, path: Path) -> int:
    data = render_document(store)
    atomic_write_bytes(path, data)
    return len(store.applications())


def _where(location: tuple) -> str:
    return ".".join(str(part) for part in location) or "document"


def _format_problems(error: ValidationError, prefix: str = "") -> list[str]:
    return [f"{prefix}{_where(e['loc'])}: {e['msg']}" for e in error.errors()[:MAX_PROBLEMS]]


class _Checker:
    """What would make an application of the document fail against the project: names
    already there or repeated, dependencies the catalog refuses or listed twice, plans for
    unknown models or two for one model."""

    def __init__(self, store: ProjectStore) -> None:
        self.known = store.model_ids()
        self.existing = {a.name.lower() for a in store.applications()}
        self.resolve = store.dependency_resolver()
        self.seen: set[str] = set()

    def application(self, index: int, app: ApplicationDoc) -> list[str]:
        problems: list[str] = []
        where = f"applications.{index} ({app.name})"
        key = app.name.strip().lower()
        if key in self.seen:
            problems.append(f"{where}: duplicate application name in the file")
        elif key in self.existing:
            problems.append(f"{where}: an application with this name already exists in the project")
        self.seen.add(key)
        targets: set[tuple] = set()
        for d_index, dependency in enumerate(app.dependencies):
            try:
                resolved = self.resolve(Dependency(app_id=0, **dependency.model_dump()))
            except PlannerError as error:
                problems.append(f"{where}.dependencies.{d_index}: {error}")
                continue
            target = (resolved.model_id, resolved.region, resolved.access_path, resolved.resource_id,
                      resolved.environment)
            if target in targets:
                problems.append(f"{where}.dependencies.{d_index}: listed twice ({resolved.model_id} in "
                                f"{resolved.region}, {resolved.environment})")
            targets.add(target)
        planned: set[str] = set()
        for p_index, plan in enumerate(app.plans):
            for field in ("model_id", "target_model_id"):
                value = getattr(plan, field)
                if value and value not in self.known:
                    problems.append(f"{where}.plans.{p_index}.{field}: unknown model ID {value!r}")
            if plan.model_id in planned:
                problems.append(f"{where}.plans.{p_index}: a second plan for {plan.model_id}")
            planned.add(plan.model_id)
        return problems

    def manual_dates(self, dates: list[ManualDateDoc]) -> list[str]:
        return [f"manual_dates.{index}: unknown model ID {manual.model_id!r}"
                for index, manual in enumerate(dates) if manual.model_id not in self.known]

    def campaigns(self, campaigns: list[CampaignDoc]) -> list[str]:
        problems, seen = [], set()
        for index, campaign in enumerate(campaigns):
            for field in ("model_id", "target_model_id"):
                value = getattr(campaign, field)
                if value and value not in self.known:
                    problems.append(f"campaigns.{index}.{field}: unknown model ID {value!r}")
            if campaign.target_model_id and campaign.target_model_id == campaign.model_id:
                problems.append(f"campaigns.{index}: {campaign.model_id} cannot replace itself")
            problems += [f"campaigns.{index}.evaluations.{number}.candidate_model_id: unknown model ID "
                         f"{e.candidate_model_id!r}" for number, e in enumerate(campaign.evaluations)
                         if e.candidate_model_id not in self.known]
            if campaign.model_id in seen:
                problems.append(f"campaigns.{index}: a second campaign for {campaign.model_id}")
            seen.add(campaign.model_id)
        return problems


class StreamedDocument:
    """A project document read from its file as the store imports it: `applications`
    yields each application once it passed every check (none after the first problem, but
    every later one is still checked), then raises ImportRejected when any had a problem.
    Its other members (schema_version, project_id, settings, campaigns, manual_dates) are
    there once it is done."""

    def __init__(self, store: ProjectStore, path: Path) -> None:
        self.store = store
        self.path = path
        self.schema_version = SCHEMA_VERSION
        self.project_id = ""
        self.settings = ScheduleSettings()
        self.campaigns: list[CampaignDoc] = []
        self.manual_dates: list[ManualDateDoc] = []

    @property
    def applications(self) -> Iterator[ApplicationDoc]:
        path = self.path
        checker = _Checker(self.store)
        invalid: list[str] = []  # the document's shape and the domain's rules
        problems: list[str] = []  # against the project and the catalog
        rest: dict[str, Any] = {}
        try:
            for key, index, value in DocumentReader(read_text_chunks(path, JSON_LIMIT, WHAT)).members(
                    frozenset({"applications"})):
                if key != "applications" or index is None:
                    _check_header(path, key, value)
                    rest[key] = value
                    continue
                try:
                    app = ApplicationDoc.model_validate(value)
                except ValidationError as error:
                    invalid += _format_problems(error, f"applications.{index}.")
                    continue
                problems += checker.application(index, app)
                if not invalid and not problems:
                    yield app
        except JsonProblem as error:
            raise UserInputError(f"{path} is not valid JSON ({error}).") from None
        except NotAnObject:
            raise _not_an_export(path) from None
        except DuplicateKey as error:
            raise UserInputError(f"{path}: the member {error.args[0]!r} appears twice; nothing was "
                                 "imported.") from None
        for key in ("format", "schema_version"):
            _check_header(path, key, rest.get(key))
        try:
            document = ProjectDocument.model_validate(rest)
        except ValidationError as error:
            invalid += _format_problems(error)
            document = None
        if invalid:
            raise ImportRejected(f"{path} does not match the project format; nothing was imported.",
                                 invalid[:MAX_PROBLEMS])
        problems += checker.manual_dates(document.manual_dates) + checker.campaigns(document.campaigns)
        if problems:
            raise ImportRejected(f"{path}: {len(problems)} problem(s); nothing was imported.",
                                 problems[:MAX_PROBLEMS])
        self.schema_version, self.project_id, self.settings, self.campaigns, self.manual_dates = (
            document.schema_version, document.project_id, document.settings, document.campaigns,
            document.manual_dates)


def _not_an_export(path: Path) -> UserInputError:
    return UserInputError(f"{path} is not a planner-tui project export (format must be {FORMAT!r}).")


def _check_header(path: Path, key: str, value: Any) -> None:
    """Refuse a document of another kind or version as soon as it says so."""
    if key == "format" and value != FORMAT:
        raise _not_an_export(path)
    if key == "schema_version" and (type(value) is not int or value not in READABLE_VERSIONS):
        raise UserInputError(f"{path} has schema version {value!r}; this release reads versions "
                             f"{' and '.join(map(str, READABLE_VERSIONS))}.")


def read_document(path: Path) -> ProjectDocument:
    """The whole document, checked against its models (not against a project)."""
    raw: dict[str, Any] = {}
    try:
        for key, _, value in DocumentReader(read_text_chunks(path, JSON_LIMIT, WHAT)).members():
            _check_header(path, key, value)
            raw[key] = value
    except JsonProblem as error:
        raise UserInputError(f"{path} is not valid JSON ({error}).") from None
    except NotAnObject:
        raise _not_an_export(path) from None
    except DuplicateKey as error:
        raise UserInputError(f"{path}: the member {error.args[0]!r} appears twice.") from None
    for key in ("format", "schema_version"):
        _check_header(path, key, raw.get(key))
    try:
        return ProjectDocument.model_validate(raw)
    except ValidationError as error:
        raise ImportRejected(f"{path} does not match the project format; nothing was imported.",
                             _format_problems(error)) from None


def check_document(store: ProjectStore, document: ProjectDocument) -> list[str]:
    """Everything that would make the import fail, as one line per problem."""
    checker = _Checker(store)
    problems = [p for index, app in enumerate(document.applications) for p in checker.application(index, app)]
    problems += checker.manual_dates(document.manual_dates) + checker.campaigns(document.campaigns)
    return problems[:MAX_PROBLEMS]


def import_project(store: ProjectStore, path: Path, today: dt.date) -> int:
    """Add every application of the document at `path`, all or none; returns how many."""
    return store.import_document(StreamedDocument(store, path), today)
