"""Request and response models of the API.

Plans and validation reports are the core models themselves (:class:`scheduler.plan.Plan`,
:class:`scheduler.validate.ValidationReport`); the weights a solve may override are the fields
of :class:`scheduler.model.scenario.Weights`.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from api.examples import FEED_EXAMPLES, SOLVE_EXAMPLES
from scheduler.model.scenario import Weights

Timestamp = dt.datetime
"""A moment in UTC (ISO 8601 with ``Z``)."""

WeightName = Literal[tuple(Weights.model_fields)]  # type: ignore[valid-type]
"""The objective terms a solve may weigh differently (the fields of ``Weights``)."""

JobState = Literal["queued", "running", "done", "failed", "cancelled", "interrupted"]


class _Response(BaseModel):
    model_config = ConfigDict(from_attributes=True)


# --- errors ----------------------------------------------------------------------------------


class ProblemItem(BaseModel):
    """One problem with the request data: where it is and what is wrong."""

    path: str = Field(description="Where: e.g. `pupils[3].company` or `body.time_limit`.")
    message: str
    line: int | None = Field(default=None, description="Line in an uploaded YAML/JSON text.")


class ProblemsResponse(BaseModel):
    """422: the request data has problems."""

    detail: list[ProblemItem]


class ErrorResponse(BaseModel):
    """Any other error."""

    detail: str


# --- scenarios ---------------------------------------------------------------------------


class ScenarioSummary(_Response):
    """A stored scenario (``id`` is the API's, ``name`` the scenario's ``meta.name``)."""

    id: str
    name: str
    school_year: str
    description: str
    fingerprint: str
    pupils: int
    companies: int
    source_format: Literal["json", "yaml"]
    created_at: Timestamp


class ScenarioDetail(ScenarioSummary):
    """A stored scenario with its validated JSON and the text it was uploaded as."""

    scenario: dict[str, Any] = Field(description="The validated scenario (JSON).")
    source: str = Field(description="The uploaded text.")


# --- solve jobs --------------------------------------------------------------------------


class SolveRequest(BaseModel):
    """Options of a solve; every one may be left out."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [e["value"] for e in SOLVE_EXAMPLES.values()]},
    )

    time_limit: float | None = Field(
        default=None, ge=1, le=3600, description="Seconds (1-3600); the server's default if absent."
    )
    seed: int = Field(default=0, ge=0, le=2**31 - 1, description="Random seed of CP-SAT.")
    weights: dict[WeightName, Annotated[int, Field(ge=0, le=1_000_000)]] = Field(
        default_factory=dict,
        description="Objective weights to override (keys: "
        + ", ".join(Weights.model_fields)
        + ").",
    )


class JobProgress(BaseModel):
    """The solver's last report: seconds since the start, best objective and bound so far."""

    elapsed: float | None = None
    objective: float | None = None
    bound: float | None = None
    part: int | None = Field(default=None, description="The independent part being solved.")
    parts: int | None = None


class JobView(_Response):
    """A solve job. ``plan_id`` and ``result`` (the plan's status) are set once it is done."""

    id: str
    scenario_id: str
    state: JobState
    plan_id: str | None = None
    result: Literal["optimal", "feasible", "infeasible", "unknown"] | None = None
    options: dict[str, Any]
    progress: JobProgress | None = None
    error: str | None = None
    cancel_requested: bool = False
    created_at: Timestamp
    started_at: Timestamp | None = None
    finished_at: Timestamp | None = None


# --- plans -------------------------------------------------------------------------------


class PlanSummary(_Response):
    """A stored plan, without its assignments (``GET /plans/{id}`` has the whole plan)."""

    id: str
    scenario_id: str
    job_id: str | None
    status: Literal["optimal", "feasible", "infeasible", "unknown"]
    proposal: bool
    publishable: bool = Field(description="Only valid plans (optimal, feasible) can be published.")
    published: bool
    objective: float | None
    created_at: Timestamp
    published_at: Timestamp | None = None


# --- feeds -------------------------------------------------------------------------------


class FeedRequest(BaseModel):
    """Whose calendar: ``company:ID``, ``mentor:ID``, ``pupil:ID``, ``centre:ID``, ``school:ID``."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [e["value"] for e in FEED_EXAMPLES.values()]},
    )

    subscriber: str = Field(min_length=3, max_length=200, examples=["company:jansens"])
    lang: Literal["nl", "en"] | None = Field(
        default=None,
        description="Language of the calendar's text; the request's Accept-Language if absent.",
    )


class FeedCreated(BaseModel):
    """A new subscription. The token in the URLs is shown only now: keep the URL."""

    id: str
    subscriber: str
    scenario_id: str
    url: str = Field(description="https://.../feeds/{token}.ics")
    webcal_url: str = Field(description="The same as webcal:// (opens the calendar app).")
    created_at: Timestamp


# --- health ------------------------------------------------------------------------------


class Health(BaseModel):
    """The service is up and its database answers."""

    status: Literal["ok"]
    version: str
    jobs_active: int
