"""The Discovered screen's reads, shared with `discovered`, `sync` and `status`: what the AWS
sync found, each resource with its model as the catalog knows it (or 'unknown model', with
what it may have meant), and whether its model is already past EOL in its Region (an
outage: calls to it fail); and beside them (source: code) the places a scan recorded for no
application (`scan PATH --record`), each with its file and line, the text matched, the model
it resolves to and its status as the scan judged it; and (source: cloudtrail) the principals
CloudTrail saw calling a model that no application has taken as its dependency yet."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ...domain.arns import account_label
from ...domain.callers import LEGACY_STATES
from ...domain.lifecycle import status_in_region
from ...domain.model_variants import ResolvedModel, did_you_mean, resolve_model
from ...domain.vocabulary import Status
from ...persistence.repos.callers import CallerRow
from ...persistence.repos.code_findings import CodeFindingRow
from ...persistence.store import ProjectStore
from .callers import CALLER_KEY, UNKNOWN, CallerLine, lines_of

if TYPE_CHECKING:
    from ...domain.aws_records import DiscoveredResource
    from ...domain.models import Application

OUTAGE = "OUTAGE: past EOL"
AWS, CODE, CLOUDTRAIL = "aws", "code", "cloudtrail"  # a row's source: the sync's resources, code, callers
CODE_KEY = "c"  # a code finding's ID as typed and shown (`c12`): resources have numbers alone


@dataclass(frozen=True)
class DiscoveredRow:
    resource: DiscoveredResource
    model: ResolvedModel
    past_eol: bool = False  # its model is past EOL in its Region: calls to it fail already
    status: Status | None = None  # its model's in its Region today (None: not in the catalog)

    @property
    def model_label(self) -> str:
        """`base (200k context)`, or `unknown model raw; did you mean …?`."""
        if self.model.known:
            variant = self.resource.variant or self.model.variant
            return f"{self.model.model_id} ({variant})" if variant else self.model.model_id
        return self.model.label

    @property
    def flag(self) -> str:
        """OUTAGE, unknown model, or Legacy/PEA (as a caller's): what makes it urgent."""
        if self.past_eol:
            return OUTAGE
        if not self.model.known:
            return UNKNOWN
        return self.status.value if self.status in LEGACY_STATES else ""

    @property
    def outage_line(self) -> str:
        r = self.resource
        what = f"{r.kind.value} {r.name or r.resource_id}"
        account = account_label(r.account_id, r.account_name)
        where = f"{r.region} (account {account})" if account else r.region
        return (f"OUTAGE: {what} in {where} is on {self.model_label}, past its EOL in {r.region}: "
                "calls to it fail already.")

    @property
    def account(self) -> str:
        return account_label(self.resource.account_id, self.resource.account_name)

    def as_json(self) -> dict[str, Any]:
        return {"source": AWS, **self.resource.model_dump(mode="json"), "model_known": self.model.known,
                "did_you_mean": self.model.suggestion or None, "past_eol": self.past_eol,
                "status": self.status.value if self.status else None}


@dataclass(frozen=True)
class CodeRow:
    """A place in code a scan recorded: unassigned (for triage), or an application's."""

    finding: CodeFindingRow
    app_name: str = ""  # the application it is recorded for ('' when unassigned)
    several_roots: bool = False  # the list holds places from several scanned folders
    suggestion: str = ""  # the closest catalog model of an unknown one
    regions: tuple[str, ...] = ()  # where its model is offered: a Region to accept it in

    @property
    def key(self) -> str:
        return f"{CODE_KEY}{self.finding.id}"

    @property
    def place(self) -> str:
        """`file:line`, the folder's name first when the list spans several folders."""
        from pathlib import PurePath

        ref = self.finding.reference
        name = f"{PurePath(self.finding.root).name}/{ref.file}" if self.several_roots else ref.file
        return f"{name}:{ref.line}"

    @property
    def region(self) -> str:
        return self.finding.reference.arn_region or ""

    @property
    def kind(self) -> str:
        return self.finding.reference.language or CODE

    @property
    def model_label(self) -> str:
        ref = self.finding.reference
        if not ref.known:
            hint = f"; did you mean {self.suggestion}?" if self.suggestion else ""
            return f"{UNKNOWN} {ref.model_id}{hint}"
        return ref.profile_id or ref.model_id

    @property
    def flag(self) -> str:
        """The model's status when it matters (Legacy, PEA, EOL, not offered), or unknown."""
        ref = self.finding.reference
        if not ref.known:
            return UNKNOWN
        if self.finding.resolved_on:
            return f"resolved {self.finding.resolved_on}"
        return "" if ref.status == Status.ACTIVE.value else ref.status

    @property
    def assigned(self) -> str:
        return self.app_name or ("dismissed" if self.finding.dismissed else "")

    def as_json(self) -> dict[str, Any]:
        ref, f = self.finding.reference, self.finding
        return {"source": CODE, "id": f.id, "key": self.key, "root": f.root, "file": ref.file, "line": ref.line,
                "column": ref.column, "matched": ref.matched, "model_id": ref.model_id, "profile_id": ref.profile_id,
                "model_known": ref.known, "did_you_mean": self.suggestion or None, "status": ref.status,
                "severity": ref.severity, "language": ref.language, "region": self.region or None,
                "app_id": f.app_id, "application": self.app_name or None, "dismissed": f.dismissed,
                "first_seen": f.first_seen.isoformat(), "last_seen": f.last_seen.isoformat(),
                "resolved_on": f.resolved_on.isoformat() if f.resolved_on else None}


def code_rows(store: ProjectStore, include_handled: bool = False,
              known: Collection[str] | None = None) -> list[CodeRow]:
    """The code findings `discovered` lists: unassigned ones still in the code and not
    dismissed; with `include_handled` the applications' and the dismissed too."""
    findings = store.triage_code_findings(include_handled)
    if not findings:
        return []
    known = store.model_ids() if known is None else known
    apps = {a.id: a.name for a in store.applications()} if include_handled else {}
    several = len({f.root for f in findings}) > 1
    offered: dict[str, tuple[str, ...]] = {}
    rows = []
    for finding in findings:
        ref = finding.reference
        if ref.known and ref.model_id not in offered:
            offered[ref.model_id] = tuple(sorted(store.offered_regions(ref.model_id)))
        rows.append(CodeRow(finding, apps.get(finding.app_id, "") if finding.app_id is not None else "", several,
                            "" if ref.known else did_you_mean(ref.model_id, known),
                            offered.get(ref.model_id, ())))
    return rows


def parse_key(text: str) -> tuple[str, int]:
    """`12` → (aws, 12); `c12` → (code, 12); `t12` → (cloudtrail, 12): the ID `discovered
    accept`/`dismiss` take."""
    from ...domain.validation import ID_VALUE_MAX
    from ...errors import UserInputError

    value = text.strip().lower()
    source = CODE if value.startswith(CODE_KEY) else CLOUDTRAIL if value.startswith(CALLER_KEY) else AWS
    digits = value if source == AWS else value[1:]
    if not digits.isascii() or not digits.isdigit() or int(digits) <= 0:
        raise UserInputError(f"not an ID: {text!r} (a resource's number, c and a code finding's number, or t and "
                             "a caller's number).")
    if int(digits) > ID_VALUE_MAX:
        raise UserInputError(f"invalid id {text!r}: ids go up to {ID_VALUE_MAX:,}.")
    return source, int(digits)


def accounts_of(resources: Iterable[DiscoveredResource | CallerRow]) -> list[tuple[str, str]]:
    """(account ID, label) of every account the resources (or callers) are in, by label."""
    found = {r.account_id: account_label(r.account_id, r.account_name) for r in resources if r.account_id}
    return sorted(found.items(), key=lambda item: item[1])


def check_account(store: ProjectStore, wanted: str) -> None:
    """Refuse an account (ID or name) no sync has seen, naming those it has: 'nothing in
    account X' would hide a typo."""
    from ...errors import UserInputError

    seen = {r.account_id: r.account_name for r in store.discovered(include_handled=True) if r.account_id}
    seen.update({s.account_id: s.account_name for s in store.caller_scans() if s.account_id})
    if any(wanted in (account_id, name) for account_id, name in seen.items()):
        return
    known = (", ".join(sorted(account_label(a, n) for a, n in seen.items()))
             or "none yet ('planner-tui sync' reads them)")
    raise UserInputError(f"no account {wanted!r} in what the syncs found; accounts: {known}.")


def discovered_rows(store: ProjectStore, resources: Iterable[DiscoveredResource], today: dt.date,
                    known: Collection[str] | None = None) -> list[DiscoveredRow]:
    """Each resource with its model resolved against the catalog and its standing today."""
    known = store.model_ids() if known is None else known
    rows = []
    standing: dict[tuple[str, str], Status | None] = {}  # (model, Region): thousands of resources, few models
    for resource in resources:
        model = resolve_model(resource.raw_model_id or resource.model_id, known)
        if resource.model_id in known and resource.model_id != model.model_id:  # stored resolved
            model = ResolvedModel(resource.model_id, model.raw_id, resource.variant)
        key = (model.model_id, resource.region)
        if model.known and key not in standing:
            standing[key] = status_in_region(store.lifecycles(model.model_id), model.model_id, resource.region, today)
        status = standing[key] if model.known else None
        rows.append(DiscoveredRow(resource, model, status is Status.EOL, status))
    return rows


def outages(store: ProjectStore, today: dt.date) -> list[DiscoveredRow]:
    """Resources not dismissed (assigned or not) on a model past EOL in their Region."""
    return [row for row in discovered_rows(store, store.discovered(include_handled=True), today)
            if row.past_eol and not row.resource.dismissed]


@dataclass(frozen=True)
class DiscoveredView:
    resources: list[DiscoveredResource]  # unassigned, not dismissed
    last_sync: dict[str, Any] | None  # the last sync run from this project, if any
    applications: list[Application]  # what a resource can be assigned to
    rows: list[DiscoveredRow]  # the resources, each with its model and standing
    code: list[CodeRow] = field(default_factory=list)  # places in code waiting to be assigned
    callers: list[CallerLine] = field(default_factory=list)  # CloudTrail's callers no application has taken


def load_discovered(store: ProjectStore, today: dt.date) -> DiscoveredView:
    resources = store.discovered()
    known = store.model_ids()
    return DiscoveredView(resources, store.last_sync(), store.applications(),
                          discovered_rows(store, resources, today, known), code_rows(store, known=known),
                          lines_of(store, today, store.triage_callers()))
