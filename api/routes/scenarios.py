"""``/scenarios``: upload (JSON or YAML), list, read and delete scenarios; start a solve."""

from __future__ import annotations

import json
from typing import Annotated

from fastapi import APIRouter, Body, Depends, Request, Response
from starlette.concurrency import run_in_threadpool

from api.deps import RunnerDep, SettingsDep, StoreDep, require_planner
from api.errors import not_found, responses
from api.examples import SCENARIO_BODY, SOLVE_EXAMPLES
from api.schemas import JobView, ScenarioDetail, ScenarioSummary, SolveRequest
from api.store import ScenarioRow, Store
from api.uploads import read_upload, upload_format, upload_text
from scheduler.i18n import current_language

router = APIRouter(
    prefix="/scenarios",
    tags=["scenarios"],
    dependencies=[Depends(require_planner)],
    responses=responses(401),
)


def _store_upload(store: Store, text: str, fmt: str) -> ScenarioRow:
    return store.add_scenario(read_upload(text, fmt), text, fmt)


@router.post(
    "",
    status_code=201,
    response_model=ScenarioSummary,
    openapi_extra=SCENARIO_BODY,
    responses=responses(413, 415, 422),
)
async def upload_scenario(request: Request, response: Response, store: StoreDep) -> ScenarioRow:
    """Store a scenario, after checking it completely (422 lists every problem with its path
    and line). Programmes must be written out inline."""
    fmt = upload_format(request.headers.get("content-type", ""))
    text = upload_text(await request.body())
    row = await run_in_threadpool(_store_upload, store, text, fmt)
    response.headers["Location"] = f"/scenarios/{row.id}"
    return row


@router.get("", response_model=list[ScenarioSummary])
def list_scenarios(store: StoreDep) -> list[ScenarioRow]:
    """Every stored scenario, newest first."""
    return store.list_scenarios()


@router.get("/{scenario_id}", response_model=ScenarioDetail, responses=responses(404))
def get_scenario(scenario_id: str, store: StoreDep) -> ScenarioDetail:
    """A scenario with its validated JSON and its uploaded text."""
    row = store.get_scenario(scenario_id, full=True)
    if row is None:
        raise not_found("scenario", "scenario", scenario_id)
    summary = ScenarioSummary.model_validate(row)
    return ScenarioDetail(**summary.model_dump(), scenario=json.loads(row.data), source=row.source)


@router.delete("/{scenario_id}", status_code=204, responses=responses(404))
def delete_scenario(scenario_id: str, store: StoreDep, runner: RunnerDep) -> Response:
    """Delete a scenario with its jobs (running ones are stopped), plans and subscriptions."""
    if store.get_scenario(scenario_id) is None:
        raise not_found("scenario", "scenario", scenario_id)
    runner.cancel_scenario(scenario_id)
    if not store.delete_scenario(scenario_id):
        raise not_found("scenario", "scenario", scenario_id)
    return Response(status_code=204)


@router.post(
    "/{scenario_id}/solve",
    status_code=202,
    response_model=JobView,
    responses=responses(400, 404, 413, 422, 429),
)
def solve_scenario(
    scenario_id: str,
    response: Response,
    store: StoreDep,
    runner: RunnerDep,
    settings: SettingsDep,
    options: Annotated[SolveRequest | None, Body(openapi_examples=SOLVE_EXAMPLES)] = None,
) -> JobView:
    """Start a solve job (202); follow it at ``GET /jobs/{id}``. 429 with ``Retry-After`` when
    too many solves wait already."""
    scenario = store.scenario_model(scenario_id)
    if scenario is None:
        raise not_found("scenario", "scenario", scenario_id)
    options = options or SolveRequest()
    job = runner.submit(
        scenario_id,
        scenario,
        {
            "time_limit": options.time_limit or settings.default_time_limit,
            "seed": options.seed,
            "weights": dict(options.weights),
        },
        current_language(),
    )
    response.headers["Location"] = f"/jobs/{job.id}"
    # the worker may already have moved on: answer the job as it is now
    return JobView.model_validate(store.get_job(job.id) or job)
