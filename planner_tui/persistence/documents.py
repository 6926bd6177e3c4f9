"""Whole-project documents: export to and import from JSON, built on the repositories'
own reads and insert helpers (one INSERT per table)."""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from typing import TYPE_CHECKING, Protocol

from ..domain.ids import saved_id
from ..domain.vocabulary import PHASES, Phase
from .db import _date, _iso, utc_now
from .repos.checklist import item_row
from .repos.portfolio import PortfolioRepo

if TYPE_CHECKING:
    from collections.abc import Iterable

    from sqlite_utils import Database

    from ..domain import project_document as doc
    from ..domain.models import Dependency
    from ..domain.settings import ScheduleSettings
    from .repos.bulk import BulkRows


class ImportSource(Protocol):
    """What `import_document` reads of a document: its applications (iterated once), then
    the rest."""

    @property
    def applications(self) -> Iterable[doc.ApplicationDoc]: ...
    @property
    def project_id(self) -> str: ...
    @property
    def settings(self) -> ScheduleSettings: ...
    @property
    def manual_dates(self) -> Iterable[doc.ManualDateDoc]: ...
    @property
    def schema_version(self) -> int: ...
    @property
    def campaigns(self) -> Iterable[doc.CampaignDoc]: ...


class DocumentRepo(PortfolioRepo):
    """Relies on every repository of a project's contents: PortfolioRepo and, through it,
    PlansRepo, WorkspaceRepo, ChecklistRepo, CatalogRepo (dates typed by hand) and MetaRepo
    (identity and settings)."""

    def export_document(self) -> doc.ProjectDocument:
        from ..domain import project_document as doc

        deps: dict[int, list] = defaultdict(list)
        for d in self.dependencies():
            deps[d.app_id].append(doc.DependencyDoc(
                model_id=d.model_id, region=d.region, access_path=d.access_path,
                resource_id=d.resource_id, environment=d.environment,
                monthly_volume=d.monthly_volume, notes=d.notes, account_id=d.account_id,
                account_name=d.account_name))
        plans: dict[int, list] = defaultdict(list)
        overridden = self.overridden_plans()
        for plan in self.plans():
            plan_id = saved_id(plan)
            items = [
                doc.ItemDoc(phase=i.phase, title=i.title, done=i.done, owner=i.owner,
                            due_date=i.due_date, notes=i.notes, done_at=i.done_at)
                for phase in PHASES for i in plan.items_in(phase)
            ]
            plans[plan.app_id].append(doc.PlanDoc(
                model_id=plan.model_id, target_model_id=plan.target_model_id,
                decision_reason=plan.decision_reason, target_overridden=plan_id in overridden,
                current_phase=plan.current_phase,
                started_on=plan.started_on, deadline_override=plan.deadline_override,
                completed_on=plan.completed_on, closed_on=plan.closed_on,
                closed_kind=plan.closed_kind,
                closed_reason=plan.closed_reason, items=items,
                fields=dict(sorted(self.plan_fields(plan_id).items())),
                test_results=[doc.TestResultDoc(**r.model_dump(exclude={"id", "plan_id"}))
                              for r in self.test_results(plan_id)],
                rollout_stages=[doc.StageDoc(**st.model_dump(exclude={"id", "plan_id"}))
                                for st in self.rollout_stages(plan_id)],
                decisions=[doc.DecisionDoc(**dc.model_dump(exclude={"id", "plan_id"}))
                           for dc in self.rollout_decisions(plan_id)],
                log=[doc.LogDoc(at=e["at"], event=e["event"], detail=e["detail"])
                     for e in self.plan_log(plan_id)],
            ))
        manual = []
        for row in self._rows("SELECT * FROM lifecycle WHERE manual_fields != '[]' ORDER BY model_id, region"):
            for field in json.loads(row["manual_fields"]):
                manual.append(doc.ManualDateDoc(model_id=row["model_id"], region=row["region"],
                                                field=field, value=_date(row[field])))
        return doc.ProjectDocument(
            schema_version=doc.SCHEMA_VERSION, project_id=self.project_id(),
            settings=self.schedule_settings(),
            campaigns=[doc.CampaignDoc(model_id=c.model_id, target_model_id=c.target_model_id,
                                       decision_reason=c.decision_reason, decided_on=c.decided_on,
                                       evaluations=[doc.EvaluationDoc(
                                           candidate_model_id=e.candidate_model_id, metric=e.metric, value=e.value,
                                           higher_is_better=e.higher_is_better, notes=e.notes,
                                           recorded_on=e.recorded_on) for e in self.evaluations(c.model_id)])
                       for c in self.campaigns()],
            applications=[
                doc.ApplicationDoc(
                    name=a.name, owner=a.owner, team=a.team, criticality=a.criticality,
                    environments=list(a.environments), notes=a.notes,
                    dependencies=deps[saved_id(a)], plans=plans[saved_id(a)])
                for a in self.applications()
            ],
            manual_dates=manual,
        )

    def import_document(self, document: doc.ProjectDocument | ImportSource, today: dt.date) -> int:
        """Add every application of the document, all or nothing. Returns how many.

        `document.applications` is iterated once, inside the transaction: a document read
        as it is imported (integrations/project_file.py) checks each application before it
        hands it over and raises at the end if any had a problem, which rolls back all that
        was written. Its project_id, settings, campaigns and manual_dates are read after that.
        Rows go in with one statement per table (repos/bulk.py), however many applications.

        Each plan joins its model's campaign as it is written (`_import_campaigns` then
        settles the decisions)."""
        from ..domain.models import Application, Dependency
        from .repos.bulk import BulkRows

        with self._edit() as db:
            adopt_identity = self.conn.execute("SELECT 1 FROM applications LIMIT 1").fetchone() is None
            rows = BulkRows(self.conn)
            resolve = self.dependency_resolver()
            created = utc_now()
            count = 0
            campaign_ids: dict[str, int] = {}
            for app_doc in document.applications:
                app = Application(name=app_doc.name, owner=app_doc.owner, team=app_doc.team,
                                  criticality=app_doc.criticality, environments=tuple(app_doc.environments),
                                  notes=app_doc.notes)
                app_id = self._bulk_application(rows, app, created)
                for d in app_doc.dependencies:
                    dependency = resolve(Dependency(app_id=app_id, **d.model_dump()))
                    rows.add("dependencies", _dependency_row(dependency))
                for plan in app_doc.plans:
                    if plan.model_id not in campaign_ids:
                        campaign_ids.update(self._campaign_ids(db, [plan.model_id], today))
                    self._bulk_plan(rows, app_id, plan, campaign_ids[plan.model_id])
                count += 1
            rows.flush()
            if adopt_identity and document.project_id:
                self._set_meta(db, "project_id", document.project_id)
                self._set_meta(db, "schedule_settings", document.settings.model_dump_json())
            self._import_campaigns(db, document, campaign_ids, today)
            for manual in document.manual_dates:
                self.set_lifecycle_date(manual.model_id, manual.region, manual.field, manual.value, today=today)
            self._ensure_plans(db, today)
        return count

    def _import_campaigns(self, db: Database, document: doc.ProjectDocument | ImportSource,
                          campaign_ids: dict[str, int], today: dt.date) -> None:
        """The campaigns of an import: each campaign without a decision takes the document's
        (version 2) or the one its plans' own choices make (version 1, as migration 0012
        does); then each imported plan follows it, or keeps a different target of its own as
        an override. A campaign of the document no plan joins is kept with its decision."""
        from ..domain.campaigns import Decision

        wanted: dict[str, Decision | None] = {}
        if document.schema_version >= 2:
            for c in document.campaigns:
                wanted[c.model_id] = Decision(c.target_model_id, c.decision_reason, c.decided_on) \
                    if c.target_model_id else None
            campaign_ids.update(self._campaign_ids(db, [m for m in wanted if m not in campaign_ids], today))
        for model_id, campaign_id in sorted(campaign_ids.items()):
            self._settle(db, campaign_id, wanted.get(model_id))
        if document.schema_version >= 2:
            self._import_evaluations(db, document.campaigns, campaign_ids)

    def _import_evaluations(self, db: Database, campaigns: Iterable[doc.CampaignDoc],
                            campaign_ids: dict[str, int]) -> None:
        """The campaigns' evaluations of candidates, added to those the project has."""
        from ..domain.evaluations import Evaluation

        for c in campaigns:
            for e in c.evaluations:
                self._insert_evaluation(db, Evaluation(None, campaign_ids[c.model_id], e.candidate_model_id, e.metric,
                                                       e.value, e.higher_is_better, e.notes, e.recorded_on))

    @staticmethod
    def _bulk_plan(rows: BulkRows, app_id: int, p: doc.PlanDoc, campaign_id: int) -> None:
        """Queue a plan of the document with everything in it (the rows of _insert_plan,
        _insert_items, _put_plan_field, _insert_test_result, _insert_stage, _insert_decision
        and _log)."""
        from ..domain.workspace import RolloutDecision, RolloutStage, TestResult

        plan_id = rows.new_id("plans")
        rows.add("plans", (plan_id, app_id, p.model_id, p.target_model_id, p.decision_reason, p.current_phase.value,
                           p.started_on.isoformat(), _iso(p.deadline_override), _iso(p.completed_on),
                           _iso(p.closed_on), p.closed_kind and p.closed_kind.value, p.closed_reason,
                           campaign_id, int(p.target_overridden)))
        positions: dict[Phase, int] = defaultdict(int)
        items = []
        for item in p.items:
            items.append(item_row(plan_id, item.phase, positions[item.phase], item.title, done=item.done,
                                  owner=item.owner, due_date=item.due_date, notes=item.notes, done_at=item.done_at))
            positions[item.phase] += 1
        rows.extend("checklist_items", items)
        for key, value in p.fields.items():
            rows.add("plan_fields", (plan_id, key, value))
        for r in p.test_results:
            result = TestResult(plan_id=plan_id, **r.model_dump())
            rows.add("test_results", (plan_id, result.metric, result.baseline, result.candidate, result.threshold,
                                      int(result.higher_is_better), result.notes))
        for st in p.rollout_stages:
            stage = RolloutStage(plan_id=plan_id, **st.model_dump())
            rows.add("rollout_stages", (plan_id, stage.traffic_percent, _iso(stage.start_date),
                                        _iso(stage.end_date), stage.notes))
        for dc in p.decisions:
            decision = RolloutDecision(plan_id=plan_id, **dc.model_dump())
            rows.add("rollout_decisions", (plan_id, decision.decided_on.isoformat(), decision.decision.value,
                                           decision.traffic_percent, decision.note))
        for entry in p.log:
            rows.add("plan_log", (plan_id, entry.at, entry.event, entry.detail))


def _dependency_row(dependency: Dependency) -> tuple:
    """A `dependencies` row as repos/bulk.py writes it (the columns of
    PortfolioRepo._insert_dependency_row, without the id)."""
    return (dependency.app_id, dependency.model_id, dependency.region, dependency.access_path.value,
            dependency.resource_id, dependency.environment, dependency.monthly_volume, dependency.notes,
            dependency.account_id, dependency.account_name)
