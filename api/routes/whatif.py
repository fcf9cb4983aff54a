"""What-if through the API: ``POST /scenarios/{id}/what-if`` re-plans a changed copy of a
scenario from its published plan; ``GET /plans/{id}/diff?against=ID`` says what differs."""

from __future__ import annotations

import datetime as dt
import json
from typing import Annotated

from fastapi import APIRouter, Body, Depends, HTTPException, Response
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, ConfigDict, Field

from api.deps import RunnerDep, SettingsDep, StoreDep, require_planner
from api.errors import not_found, responses
from api.routes.plans import plan_row
from api.schemas import JobView, WeightName
from scheduler.i18n import current_language, tr
from scheduler.plan import plan_from_json
from scheduler.whatif.changes import Change, PinSpec, apply_changes
from scheduler.whatif.diff import plan_diff
from scheduler.whatif.replan import replan_inputs

router = APIRouter(
    tags=["what-if"], dependencies=[Depends(require_planner)], responses=responses(401)
)

WHATIF_EXAMPLES = {
    "mentor_ill": {
        "summary": "A mentor is ill for three weeks",
        "value": {
            "changes": [
                {"type": "mentor_absent", "mentor": "jansens-an", "from": "2027-01-11",
                 "to": "2027-01-29"}
            ],
            "time_limit": 30,
        },
    },
}  # fmt: skip


class WhatIfRequest(BaseModel):
    """Changes to a stored scenario and how to re-plan them (see ``docs/whatif.md``)."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    changes: list[Change] = Field(min_length=1, description="Typed changes (`type` field).")
    start: dt.date | None = Field(
        default=None,
        alias="from",
        description="Weeks before this date stay as in the published plan (default: the "
        "earliest change).",
    )
    pins: list[PinSpec] = Field(default_factory=list, description="Weeks that must not move.")
    time_limit: float | None = Field(default=None, ge=1, le=3600)
    seed: int = Field(default=0, ge=0, le=2**31 - 1)
    weights: dict[WeightName, Annotated[int, Field(ge=0, le=1_000_000)]] = Field(
        default_factory=dict
    )


class WhatIfJob(JobView):
    """The re-plan job, with the changed scenario it plans and the plan it starts from."""

    variant_scenario_id: str
    baseline_plan_id: str | None


def _earliest(request: WhatIfRequest) -> dt.date | None:
    dates = []
    for change in request.changes:
        for name in ("start", "date"):
            value = getattr(change, name, None)
            if isinstance(value, dt.date):
                dates.append(value)
    return min(dates) if dates else None


@router.post(
    "/scenarios/{scenario_id}/what-if",
    status_code=202,
    response_model=WhatIfJob,
    responses=responses(400, 404, 409, 413, 422, 429),
)
def what_if(
    scenario_id: str,
    response: Response,
    store: StoreDep,
    runner: RunnerDep,
    settings: SettingsDep,
    request: Annotated[WhatIfRequest, Body(openapi_examples=WHATIF_EXAMPLES)],
) -> WhatIfJob:
    """Apply the changes to a copy of the scenario (stored as a new scenario), and re-plan it
    from the scenario's published plan: the past stays, the fewest pupil-weeks change. Without
    a published plan the copy is solved from scratch. The plan comes out as a draft of the
    copy; compare it with ``GET /plans/{id}/diff?against=PUBLISHED``."""
    base = store.scenario_model(scenario_id)
    if base is None:
        raise not_found("scenario", "scenario", scenario_id)
    changed = apply_changes(base, request.changes, source="what-if")
    published = store.published_plan(scenario_id)
    solve_args = {}
    baseline_id = None
    if published is not None:
        baseline = plan_from_json(published.data, f"plan {published.id}")
        inputs = replan_inputs(changed, baseline, request.start or _earliest(request), request.pins)
        solve_args = {"pins": inputs.pins, "hints": inputs.hints, "baseline": inputs.hints}
        baseline_id = published.id
    source = json.dumps(
        {"base": scenario_id, **request.model_dump(mode="json", by_alias=True)},
        ensure_ascii=False,
    )
    variant = store.add_scenario(changed, source, "json")
    job = runner.submit(
        variant.id,
        changed,
        {
            "time_limit": request.time_limit or settings.default_time_limit,
            "seed": request.seed,
            "weights": dict(request.weights),
            "what_if": {"base": scenario_id, "baseline_plan": baseline_id},
        },
        current_language(),
        solve_args=solve_args,
    )
    response.headers["Location"] = f"/jobs/{job.id}"
    view = JobView.model_validate(store.get_job(job.id) or job)
    return WhatIfJob(
        **view.model_dump(), variant_scenario_id=variant.id, baseline_plan_id=baseline_id
    )


@router.get("/plans/{plan_id}/diff", responses=responses(404, 409, 422))
async def diff(plan_id: str, against: str, store: StoreDep) -> Response:
    """What differs between this plan and ``against`` (e.g. the published plan): every changed
    pupil-week (from -> to), who must be told, key figures before and after, and the
    validator's verdict on this plan."""

    def compute() -> str:
        new_row = plan_row(store, plan_id, full=True)
        old_row = plan_row(store, against, full=True)
        new_scenario = store.scenario_model(new_row.scenario_id)
        old_scenario = store.scenario_model(old_row.scenario_id)
        if new_scenario is None or old_scenario is None:
            raise not_found("scenario", "scenario", new_row.scenario_id)
        if new_scenario.meta.name != old_scenario.meta.name:
            raise HTTPException(
                409,
                tr(
                    nl=f"plan '{against}' hoort bij een ander schooljaarplan dan '{plan_id}'",
                    en=f"plan '{against}' belongs to another year plan than '{plan_id}'",
                ),
            )
        report = plan_diff(
            old_scenario,
            plan_from_json(old_row.data, f"plan {against}"),
            new_scenario,
            plan_from_json(new_row.data, f"plan {plan_id}"),
        )
        return report.to_json()

    return Response(await run_in_threadpool(compute), media_type="application/json")
