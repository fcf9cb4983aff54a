"""Every error as JSON ``{"detail": ...}`` with the right status, in the caller's language.

- bad request data (a scenario, a solve's options, a query parameter) -> 422 with
  ``{"detail": [{"path": "pupils[3].company", "message": "...", "line": 12}]}``;
- a plan that cannot be used for what was asked (publish an infeasible plan) -> 409;
- other user mistakes (:class:`~scheduler.errors.UsageError`) -> 400;
- a full solve queue -> 429 with ``Retry-After``;
- anything unexpected -> 500 ``{"detail": "..."}``, logged without its message (which could
  quote pupil data), never a traceback in the answer.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.jobs import QueueFull, log_bug
from api.middleware import request_language
from scheduler.errors import PlanError, Problem, ScenarioError, SchedulerError
from scheduler.files import problems_from_validation_error
from scheduler.i18n import language, tr

log = logging.getLogger("scheduler.api")


def problem_items(problems: list[Problem]) -> list[dict[str, Any]]:
    """Problems as the API shows them: path, message and (for uploads) line."""
    return [
        {"path": p.path, "message": p.message, **({"line": p.line} if p.line else {})}
        for p in problems
    ]


def unprocessable(problems: list[Problem]) -> JSONResponse:
    """A 422 answer listing ``problems``."""
    return JSONResponse({"detail": problem_items(problems)}, status_code=422)


def _stock_phrase(status: int, detail: Any) -> Any:
    """Starlette's own English phrases (unknown route, wrong method) in the caller's language."""
    stock = {
        400: (
            "There was an error parsing the body",
            "de inhoud van het verzoek is onleesbaar (geen geldige JSON in UTF-8)",
            "the request body cannot be read (not valid JSON in UTF-8)",
        ),
        404: ("Not Found", "niet gevonden", "not found"),
        405: ("Method Not Allowed", "deze methode is hier niet toegelaten", "method not allowed"),
    }
    if status in stock and detail == stock[status][0]:
        return tr(nl=stock[status][1], en=stock[status][2])
    return detail


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    return JSONResponse(
        {"detail": _stock_phrase(exc.status_code, exc.detail)},
        status_code=exc.status_code,
        headers=getattr(exc, "headers", None),
    )


async def _request_invalid(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    broken = [e for e in exc.errors() if e.get("type") == "json_invalid"]
    if broken:
        reason = (broken[0].get("ctx") or {}).get("error", "")
        return unprocessable(
            [Problem(tr(nl=f"geen geldige JSON: {reason}", en=f"not valid JSON: {reason}"), "body")]
        )
    return unprocessable(problems_from_validation_error(exc))  # type: ignore[arg-type]


async def _scenario_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ScenarioError)
    return unprocessable(exc.problems)


async def _scheduler_error(request: Request, exc: Exception) -> JSONResponse:
    # a plan that cannot serve what was asked is a conflict with the stored state; any other
    # deliberate error (UsageError and the rest) is a bad request
    status = 409 if isinstance(exc, PlanError) else 400
    return JSONResponse({"detail": str(exc)}, status_code=status)


async def _queue_full(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, QueueFull)
    return JSONResponse(
        {
            "detail": tr(
                nl=f"er wachten al te veel berekeningen; probeer opnieuw over {exc.retry_after} s",
                en=f"too many solves are waiting; try again in {exc.retry_after} s",
            )
        },
        status_code=429,
        headers={"Retry-After": str(exc.retry_after)},
    )


async def _bug(request: Request, exc: Exception) -> JSONResponse:
    # the route template, not the path: feed paths hold secret tokens
    route = getattr(request.scope.get("route"), "path", "(no route)")
    log_bug(log, f"{request.method} {route}: unexpected error", exc)
    with language(request_language(request.headers)):
        detail = tr(
            nl="interne fout; meld dit aan de beheerder",
            en="internal error; please tell the administrator",
        )
    return JSONResponse({"detail": detail}, status_code=500)


def install_error_handlers(app: FastAPI) -> None:
    """Register the handlers above on ``app``."""
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _request_invalid)
    app.add_exception_handler(ScenarioError, _scenario_error)
    app.add_exception_handler(SchedulerError, _scheduler_error)
    app.add_exception_handler(QueueFull, _queue_full)
    app.add_exception_handler(Exception, _bug)


def not_found(what_nl: str, what_en: str, ident: str) -> HTTPException:
    """A 404 naming what was looked for: ``geen plan met id 'x'``."""
    return HTTPException(
        404, tr(nl=f"geen {what_nl} met id '{ident}'", en=f"no {what_en} with id '{ident}'")
    )


def responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The documented error answers of a route (422 lists problems, the others a message)."""
    from api.schemas import ErrorResponse, ProblemsResponse

    return {s: {"model": ProblemsResponse if s == 422 else ErrorResponse} for s in statuses}
