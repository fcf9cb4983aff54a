"""``/jobs``: follow a solve job (state, live progress) and cancel it."""

from __future__ import annotations

from fastapi import APIRouter, Depends, HTTPException

from api.deps import RunnerDep, StoreDep, require_planner
from api.errors import not_found, responses
from api.schemas import JobView
from api.store import JobRow
from scheduler.i18n import tr

ENDED = ("done", "failed", "interrupted")
"""States a cancel request comes too late for (``cancelled`` is what it asks for)."""

router = APIRouter(
    prefix="/jobs",
    tags=["jobs"],
    dependencies=[Depends(require_planner)],
    responses=responses(401),
)


@router.get("/{job_id}", response_model=JobView, responses=responses(404))
def get_job(job_id: str, store: StoreDep) -> JobRow:
    """A job's state (queued, running, done, failed, cancelled, interrupted) and progress
    (seconds, best objective and bound so far); ``plan_id`` once it is done."""
    job = store.get_job(job_id)
    if job is None:
        raise not_found("job", "job", job_id)
    return job


@router.delete("/{job_id}", status_code=202, response_model=JobView, responses=responses(404, 409))
def cancel_job(job_id: str, store: StoreDep, runner: RunnerDep) -> JobRow:
    """Cancel a queued or running job (202): it ends ``cancelled`` and stores no plan."""
    job = store.get_job(job_id)
    if job is None:
        raise not_found("job", "job", job_id)
    asked = runner.cancel(job_id)
    job = store.get_job(job_id) or job
    if not asked or job.state in ENDED:
        raise HTTPException(
            409,
            tr(
                nl=f"job '{job_id}' is al afgelopen ({job.state})",
                en=f"job '{job_id}' has already ended ({job.state})",
            ),
        )
    return job
