"""What every page shares: looking up what a URL names, page errors, and their handlers.

A page never answers JSON or a traceback: an unknown id, a plan that cannot do what was asked
or a missing sign-in become a Dutch (or English) page, or a redirect to the login page.
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse, Response

from api.store import PlanRow, ScenarioRow, Store
from api.web.auth import ForeignOrigin, LoginRequired
from api.web.planview import PlanCache, PlanView
from api.web.render import render
from scheduler.i18n import tr
from scheduler.model.scenario import Scenario


class PageError(Exception):
    """A page cannot be shown: ``status`` and a message for the planner."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


def missing(nl: str, en: str) -> PageError:
    """A 404 page saying (in the request's language) what was not found."""
    return PageError(404, tr(nl=nl, en=en))


def store_of(request: Request) -> Store:
    """The service's store."""
    return request.app.state.store  # type: ignore[no-any-return]


def plans_of(request: Request) -> PlanCache:
    """The cache of parsed plans."""
    return request.app.state.plan_cache  # type: ignore[no-any-return]


def scenario_of(request: Request, scenario_id: str) -> tuple[ScenarioRow, Scenario]:
    """A stored scenario and its model, or a 404 page."""
    store = store_of(request)
    row = store.get_scenario(scenario_id)
    scenario = store.scenario_model(scenario_id) if row is not None else None
    if row is None or scenario is None:
        raise missing(
            nl=f"er is geen scenario met id '{scenario_id}'",
            en=f"there is no scenario with id '{scenario_id}'",
        )
    return row, scenario


def plan_of(request: Request, plan_id: str) -> tuple[PlanRow, PlanView, ScenarioRow, Scenario]:
    """A stored plan (parsed, cached) with its scenario, or a 404 page."""
    store = store_of(request)
    row = store.get_plan(plan_id)
    if row is None:
        raise missing(
            nl=f"er is geen plan met id '{plan_id}'", en=f"there is no plan with id '{plan_id}'"
        )
    scenario_row, scenario = scenario_of(request, row.scenario_id)
    return row, plans_of(request).view(store, row), scenario_row, scenario


def is_htmx(request: Request) -> bool:
    """Whether htmx sent the request (it then follows ``HX-Redirect`` instead of 3xx)."""
    return request.headers.get("hx-request") == "true"


def redirect(request: Request, url: str) -> Response:
    """Go to ``url`` after a form (303), or tell htmx to go there."""
    if is_htmx(request):
        return Response(status_code=200, headers={"HX-Redirect": url})
    return RedirectResponse(url, status_code=303)


async def _login_required(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, LoginRequired)
    from urllib.parse import quote

    return redirect(request, f"/login?next={quote(exc.next_url, safe='/')}")


async def _foreign_origin(request: Request, exc: Exception) -> Response:
    return error_page(
        request,
        403,
        tr(nl="dit formulier kwam van een andere website en is geweigerd",
           en="this form came from another website and was refused"),
    )  # fmt: skip


async def _page_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, PageError)
    return error_page(request, exc.status, exc.message)


def error_page(request: Request, status: int, message: str) -> Response:
    """A page with just the message and a way back."""
    return render(request, "error.html", {"status": status, "message": message}, status)


def install_page_handlers(app: FastAPI) -> None:
    """Register the page errors' handlers on ``app``."""
    app.add_exception_handler(LoginRequired, _login_required)
    app.add_exception_handler(ForeignOrigin, _foreign_origin)
    app.add_exception_handler(PageError, _page_error)
