"""Whole-project documents: export to and import from JSON, built on the repositories'
own reads and insert helpers (one INSERT per table)."""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from typing import TYPE_CHECKING

from ..domain.vocabulary import PHASES, Phase
from .db import DatabaseCore, _date
from .repos.checklist import item_row

if TYPE_CHECKING:
    from sqlite_utils import Database

    from ..domain import project_document as doc


class DocumentRepo(DatabaseCore):
    def export_document(self) -> doc.ProjectDocument:
        from ..domain import project_document as doc

        deps: dict[int, list] = defaultdict(list)
        for d in self.dependencies():
            deps[d.app_id].append(doc.DependencyDoc(
                model_id=d.model_id, region=d.region, access_path=d.access_path,
                resource_id=d.resource_id, environment=d.environment,
                monthly_volume=d.monthly_volume, notes=d.notes))
        plans: dict[int, list] = defaultdict(list)
        for plan in self.plans():
            items = [
                doc.ItemDoc(phase=i.phase, title=i.title, done=i.done, owner=i.owner,
                            due_date=i.due_date, notes=i.notes, done_at=i.done_at)
                for phase in PHASES for i in plan.items_in(phase)
            ]
            plans[plan.app_id].append(doc.PlanDoc(
                model_id=plan.model_id, target_model_id=plan.target_model_id,
                decision_reason=plan.decision_reason, current_phase=plan.current_phase,
                started_on=plan.started_on, deadline_override=plan.deadline_override,
                completed_on=plan.completed_on, closed_on=plan.closed_on,
                closed_kind=plan.closed_kind,
                closed_reason=plan.closed_reason, items=items,
                fields=dict(sorted(self.plan_fields(plan.id).items())),
                test_results=[doc.TestResultDoc(**r.model_dump(exclude={"id", "plan_id"}))
                              for r in self.test_results(plan.id)],
                rollout_stages=[doc.StageDoc(**st.model_dump(exclude={"id", "plan_id"}))
                                for st in self.rollout_stages(plan.id)],
                decisions=[doc.DecisionDoc(**dc.model_dump(exclude={"id", "plan_id"}))
                           for dc in self.rollout_decisions(plan.id)],
                log=[doc.LogDoc(at=e["at"], event=e["event"], detail=e["detail"])
                     for e in self.plan_log(plan.id)],
            ))
        manual = []
        for row in self._rows("SELECT * FROM lifecycle WHERE manual_fields != '[]' ORDER BY model_id, region"):
            for field in json.loads(row["manual_fields"]):
                manual.append(doc.ManualDateDoc(model_id=row["model_id"], region=row["region"],
                                                field=field, value=_date(row[field])))
        return doc.ProjectDocument(
            schema_version=doc.SCHEMA_VERSION, project_id=self.project_id(),
            settings=self.schedule_settings(),
            applications=[
                doc.ApplicationDoc(
                    name=a.name, owner=a.owner, team=a.team, criticality=a.criticality,
                    environments=list(a.environments), notes=a.notes,
                    dependencies=deps[a.id], plans=plans[a.id])
                for a in self.applications()
            ],
            manual_dates=manual,
        )

    def import_document(self, document: doc.ProjectDocument, today: dt.date) -> int:
        """Add every application of the document, all or nothing. Returns how many."""
        from ..domain.models import Application, Dependency

        adopt_identity = not self.applications()
        with self._edit() as db:
            if adopt_identity and document.project_id:
                self._set_meta(db, "project_id", document.project_id)
                self._set_meta(db, "schedule_settings", document.settings.model_dump_json())
            for app_doc in document.applications:
                app_id = self._insert_application(
                    db,
                    Application(name=app_doc.name, owner=app_doc.owner, team=app_doc.team,
                                criticality=app_doc.criticality,
                                environments=tuple(app_doc.environments), notes=app_doc.notes),
                    [Dependency(app_id=0, **d.model_dump()) for d in app_doc.dependencies],
                )
                for p in app_doc.plans:
                    self._import_plan(db, app_id, p)
            for manual in document.manual_dates:
                self.set_lifecycle_date(manual.model_id, manual.region, manual.field, manual.value, today=today)
            self._ensure_plans(db, today)
        return len(document.applications)

    def _import_plan(self, db: Database, app_id: int, p: doc.PlanDoc) -> None:
        from ..domain.workspace import RolloutDecision, RolloutStage, TestResult

        plan_id = self._insert_plan(
            db, app_id, p.model_id, p.started_on, target_model_id=p.target_model_id,
            decision_reason=p.decision_reason, current_phase=p.current_phase,
            deadline_override=p.deadline_override, completed_on=p.completed_on, closed_on=p.closed_on,
            closed_kind=p.closed_kind, closed_reason=p.closed_reason)
        positions: dict[Phase, int] = defaultdict(int)
        rows = []
        for item in p.items:
            rows.append(item_row(plan_id, item.phase, positions[item.phase], item.title, done=item.done,
                                 owner=item.owner, due_date=item.due_date, notes=item.notes,
                                 done_at=item.done_at))
            positions[item.phase] += 1
        self._insert_items(db, rows)
        for key, value in p.fields.items():
            self._put_plan_field(db, plan_id, key, value)
        for r in p.test_results:
            self._insert_test_result(db, TestResult(plan_id=plan_id, **r.model_dump()))
        for st in p.rollout_stages:
            self._insert_stage(db, RolloutStage(plan_id=plan_id, **st.model_dump()))
        for dc in p.decisions:
            self._insert_decision(db, RolloutDecision(plan_id=plan_id, **dc.model_dump()))
        for entry in p.log:
            self._log(db, plan_id, entry.event, entry.detail, at=entry.at)
