"""``/plans``: read plans (exactly as the solver wrote them), validate and publish them."""

from __future__ import annotations

from fastapi import APIRouter, Depends, HTTPException, Response

from api.deps import StoreDep, require_planner
from api.errors import not_found, responses
from api.schemas import PlanSummary
from api.store import PlanRow, Store
from scheduler.i18n import tr
from scheduler.plan import Plan, plan_from_json
from scheduler.validate import ValidationReport, validate_plan

router = APIRouter(
    prefix="/plans",
    tags=["plans"],
    dependencies=[Depends(require_planner)],
    responses=responses(401),
)


def plan_row(store: Store, plan_id: str, *, full: bool = False) -> PlanRow:
    """A stored plan, or 404."""
    row = store.get_plan(plan_id, full=full)
    if row is None:
        raise not_found("plan", "plan", plan_id)
    return row


@router.get("", response_model=list[PlanSummary], responses=responses(404))
def list_plans(store: StoreDep, scenario: str | None = None) -> list[PlanRow]:
    """The plans (of one scenario with ``?scenario=ID``), newest first."""
    if scenario is not None and store.get_scenario(scenario) is None:
        raise not_found("scenario", "scenario", scenario)
    return store.list_plans(scenario)


@router.get(
    "/{plan_id}",
    response_model=Plan,
    responses={
        **responses(404),
        200: {"description": "The plan (`Plan.model_dump(mode='json')`)."},
    },
)
def get_plan(plan_id: str, store: StoreDep) -> Response:
    """The whole plan: every assignment, the per-pupil summaries, KPIs, explanation."""
    row = plan_row(store, plan_id, full=True)
    return Response(row.data, media_type="application/json")


@router.get("/{plan_id}/validation", response_model=ValidationReport, responses=responses(404, 409))
def validate(plan_id: str, store: StoreDep) -> ValidationReport:
    """The independent validator's report: ``{"valid": bool, "violations": [...]}``."""
    row = plan_row(store, plan_id, full=True)
    scenario = store.scenario_model(row.scenario_id)
    if scenario is None:
        raise not_found("scenario", "scenario", row.scenario_id)
    plan = plan_from_json(row.data, f"plan {plan_id}")
    return validate_plan(scenario, plan, source=f"plan {plan_id}")


@router.post("/{plan_id}/publish", response_model=PlanSummary, responses=responses(404, 409))
def publish(plan_id: str, store: StoreDep) -> PlanRow:
    """Make this plan the scenario's published plan (the one the calendar feeds show); the
    scenario's other plans become drafts. A plan without a valid solution (infeasible, a
    proposal, no plan found in time) cannot be published: 409."""
    row = plan_row(store, plan_id)
    if not row.publishable:
        raise HTTPException(
            409,
            tr(
                nl=f"plan '{plan_id}' kan niet gepubliceerd worden: het is geen geldig plan "
                f"(status {row.status}{', voorstel' if row.proposal else ''})",
                en=f"plan '{plan_id}' cannot be published: it is not a valid plan "
                f"(status {row.status}{', proposal' if row.proposal else ''})",
            ),
        )
    published = store.publish_plan(plan_id)
    if published is None:
        raise not_found("plan", "plan", plan_id)
    return published
