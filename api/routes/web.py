"""The planner's web pages (server-rendered, Dutch by default): signing in, the start page with
scenarios and their plans, uploading a scenario, starting a solve and following it.

The plan pages (grid, loads, adjust, compare, feeds, export) are in :mod:`api.routes.web_plans`.
Pages live outside the JSON API's prefixes (``/scenario/..``, ``/job/..``, ``/plan/..``
beside the API's ``/scenarios``, ``/jobs``, ``/plans``) and use the session cookie of
:mod:`api.web.auth` instead of the bearer token. Every change is a POST form.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from api.jobs import QueueFull
from api.store import JobRow
from api.tokens import matches_any
from api.uploads import read_upload, upload_text
from api.web.auth import (
    SESSION_COOKIE,
    SESSION_DAYS,
    check_same_origin,
    require_planner_page,
    safe_next,
    session_value,
)
from api.web.pages import PageError, missing, redirect, scenario_of, store_of
from api.web.render import render
from scheduler.errors import Problem, ScenarioError
from scheduler.files import load_scenario
from scheduler.i18n import current_language, tr

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
"""The bundled example scenarios (``examples/*.yaml``), loaded on the server so that their
programme files resolve."""

public = APIRouter(include_in_schema=False)
router = APIRouter(include_in_schema=False, dependencies=[Depends(require_planner_page)])


# --- signing in ------------------------------------------------------------------------------


@public.get("/login")
def login_page(request: Request, next: str = "/") -> Response:
    """The sign-in form: the planner token, once."""
    return render(request, "login.html", {"next": safe_next(next)})


@public.post("/login")
def login(
    request: Request, token: Annotated[str, Form()] = "", next: Annotated[str, Form()] = "/"
) -> Response:
    """Check the token; on success set the session cookie and go on."""
    check_same_origin(request)
    settings = request.app.state.settings
    if not token.strip() or not matches_any(token.strip(), settings.accepted_tokens):
        message = tr(
            nl="dit token is niet geldig; vraag het token aan de beheerder van de planner",
            en="this token is not valid; ask the planner's administrator for the token",
        )
        return render(request, "login.html", {"next": safe_next(next), "error": message}, 401)
    response = RedirectResponse(safe_next(next), status_code=303)
    secure = request.url.scheme == "https" or (settings.public_url or "").startswith("https")
    response.set_cookie(
        SESSION_COOKIE,
        session_value(token.strip()),
        max_age=SESSION_DAYS * 86400,
        httponly=True,
        samesite="strict",
        secure=secure,
    )
    return response


@public.post("/logout")
def logout(request: Request) -> Response:
    """Forget the session cookie."""
    check_same_origin(request)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response


# --- start page ------------------------------------------------------------------------------


def example_files() -> list[str]:
    """The bundled example scenarios' file names."""
    if not EXAMPLES.is_dir():
        return []
    return sorted(p.name for p in EXAMPLES.glob("*.yaml"))


def start_page(
    request: Request, status: int = 200, problems: list[Problem] | None = None, **extra: Any
) -> Response:
    """The start page: scenarios with their plans, upload and example forms."""
    store = store_of(request)
    scenarios = store.list_scenarios()
    plans: dict[str, list] = {}
    for plan in store.list_plans():  # one query for all scenarios' plans
        plans.setdefault(plan.scenario_id, []).append(plan)
    settings = request.app.state.settings
    context = {
        "scenarios": scenarios,
        "plans": plans,
        "examples": example_files(),
        "problems": problems or [],
        "default_time_limit": int(settings.default_time_limit),
        **extra,
    }
    return render(request, "index.html", context, status)


@router.get("/")
def index(request: Request) -> Response:
    """The start page."""
    return start_page(request)


def _store_scenario(request: Request, text: str, fmt: str) -> str:
    scenario = read_upload(text, fmt)
    return str(store_of(request).add_scenario(scenario, text, fmt).id)


@router.post("/scenario/upload")
async def upload(
    request: Request, scenario_file: Annotated[UploadFile | None, File()] = None
) -> Response:
    """Store an uploaded scenario file (YAML or JSON, programmes written out inline)."""
    name = (scenario_file.filename or "") if scenario_file is not None else ""
    body = await scenario_file.read() if scenario_file is not None else b""
    if not body.strip():
        message = tr(nl="kies eerst een scenariobestand (YAML of JSON)",
                     en="choose a scenario file first (YAML or JSON)")  # fmt: skip
        return start_page(request, 422, [Problem(message, path="scenario_file")])
    try:
        text = upload_text(body)
        fmt = "json" if name.lower().endswith(".json") or text.lstrip().startswith("{") else "yaml"
        scenario_id = await run_in_threadpool(_store_scenario, request, text, fmt)
    except ScenarioError as exc:
        return start_page(request, 422, exc.problems, failed_file=name)
    return redirect(request, f"/scenario/{scenario_id}/added")


@router.post("/scenario/example")
def add_example(request: Request, example: Annotated[str, Form()] = "") -> Response:
    """Store one of the bundled examples (read on the server, programme files included)."""
    if example not in example_files():
        message = tr(nl=f"'{example}' is geen meegeleverd voorbeeld",
                     en=f"'{example}' is not a bundled example")  # fmt: skip
        return start_page(request, 422, [Problem(message, path="example")])
    path = EXAMPLES / example
    try:
        scenario = load_scenario(path)
    except ScenarioError as exc:
        return start_page(request, 422, exc.problems, failed_file=example)
    row = store_of(request).add_scenario(scenario, path.read_text(encoding="utf-8"), "yaml")
    return redirect(request, f"/scenario/{row.id}/added")


@router.get("/scenario/{scenario_id}/added")
def added(request: Request, scenario_id: str) -> Response:
    """Back to the start page, saying which scenario was added."""
    row, _ = scenario_of(request, scenario_id)
    return start_page(request, added=row)


@router.post("/scenario/{scenario_id}/delete")
def delete(request: Request, scenario_id: str) -> Response:
    """Delete a scenario with its jobs, plans and subscriptions."""
    scenario_of(request, scenario_id)
    request.app.state.runner.cancel_scenario(scenario_id)
    store_of(request).delete_scenario(scenario_id)
    return redirect(request, "/")


# --- solving ---------------------------------------------------------------------------------


def parse_time_limit(text: str) -> float:
    """Seconds from a form field (1-3600), or a ``ScenarioError`` naming the field."""
    try:
        value = float(text.replace(",", "."))
    except ValueError:
        value = -1
    if not 1 <= value <= 3600:
        raise ScenarioError([Problem(
            tr(nl=f"rekentijd moet tussen 1 en 3600 seconden liggen, niet '{text}'",
               en=f"time limit must be between 1 and 3600 seconds, not '{text}'"),
            path="time_limit",
        )])  # fmt: skip
    return value


def submit_job(
    request: Request,
    scenario_id: str,
    options: dict[str, Any],
    solve_args: dict[str, Any] | None = None,
) -> JobRow:
    """Queue a solve through the service's job runner (a ``PageError`` 429 when full)."""
    _, scenario = scenario_of(request, scenario_id)
    try:
        return request.app.state.runner.submit(  # type: ignore[no-any-return]
            scenario_id, scenario, options, current_language(), solve_args=solve_args
        )
    except QueueFull as exc:
        raise PageError(
            429,
            tr(nl=f"er wachten al te veel berekeningen; probeer opnieuw over {exc.retry_after} s",
               en=f"too many solves are waiting; try again in {exc.retry_after} s"),
        ) from None  # fmt: skip


@router.post("/scenario/{scenario_id}/solve")
def solve(request: Request, scenario_id: str, time_limit: Annotated[str, Form()] = "") -> Response:
    """Start a solve and follow it on the job page."""
    scenario_of(request, scenario_id)
    try:
        seconds = parse_time_limit(time_limit)
    except ScenarioError as exc:
        return start_page(request, 422, exc.problems)
    job = submit_job(request, scenario_id, {"time_limit": seconds, "seed": 0, "weights": {}})
    return redirect(request, f"/job/{job.id}")


def _job(request: Request, job_id: str) -> JobRow:
    job = store_of(request).get_job(job_id)
    if job is None:
        raise missing(
            nl=f"er is geen berekening met id '{job_id}'",
            en=f"there is no solve with id '{job_id}'",
        )
    return job


def job_done_url(job: JobRow) -> str:
    """Where a finished job leads: its plan, or the review of a re-plan."""
    if job.options.get("baseline"):
        return f"/plan/{job.plan_id}/review"
    return f"/plan/{job.plan_id}"


def _job_context(request: Request, job: JobRow) -> dict[str, Any]:
    scenario_row = store_of(request).get_scenario(job.scenario_id)
    progress = job.progress or {}
    limit = float(job.options.get("time_limit") or 1)
    elapsed = float(progress.get("elapsed") or 0)
    return {
        "job": job,
        "scenario": scenario_row,
        "progress": progress,
        "limit": limit,
        "elapsed": min(elapsed, limit),
        "running": job.state in ("queued", "running"),
    }


@router.get("/job/{job_id}")
def job_page(request: Request, job_id: str) -> Response:
    """A solve in progress: a progress bar refreshed every second, a cancel button."""
    job = _job(request, job_id)
    if job.state == "done" and job.plan_id:
        return RedirectResponse(job_done_url(job), status_code=303)
    return render(request, "job.html", _job_context(request, job))


@router.get("/job/{job_id}/progress")
def job_progress(request: Request, job_id: str) -> Response:
    """The progress block (htmx polls it); once the job is done, on to its plan."""
    job = _job(request, job_id)
    if job.state == "done" and job.plan_id:
        return redirect(request, job_done_url(job))
    return render(request, "job_progress.html", _job_context(request, job))


@router.post("/job/{job_id}/cancel")
def job_cancel(request: Request, job_id: str) -> Response:
    """Stop a queued or running solve."""
    job = _job(request, job_id)
    request.app.state.runner.cancel(job.id)
    return redirect(request, f"/job/{job.id}")
