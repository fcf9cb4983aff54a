"""The FastAPI application: ``create_app(settings)`` wires storage, jobs, routes and errors.

Run it with ``scheduler serve`` (uvicorn). OpenAPI documentation at ``/docs``.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from fastapi.staticfiles import StaticFiles

from api.docs import install_offline_docs, offline_docs_app_kwargs
from api.errors import install_error_handlers
from api.jobs import JobRunner, SolveFunction
from api.middleware import AccessLogMiddleware, BodyLimitMiddleware, LanguageMiddleware
from api.routes import PAGE_ROUTERS, ROUTERS
from api.settings import Settings
from api.store import Store
from api.web.pages import install_page_handlers
from api.web.planview import PlanCache
from scheduler import __version__
from scheduler.model.scenario import Scenario

log = logging.getLogger("scheduler.api")

STATIC = Path(__file__).resolve().parent / "static"
"""The web pages' own files (CSS, the vendored htmx): nothing comes from a CDN."""

DESCRIPTION = """\
The planning engine for dual learning (duaal leren) in Flanders, as a web service.

Upload a scenario (`POST /scenarios`, JSON or YAML), start a solve (`POST
/scenarios/{id}/solve`), follow the job (`GET /jobs/{id}`), check and publish its plan
(`GET /plans/{id}/validation`, `POST /plans/{id}/publish`) and give companies, mentors and
pupils a calendar subscription (`POST /plans/{id}/feeds`).

Planner endpoints need `Authorization: Bearer <token>`; a feed URL needs only its own token.
Messages are in Dutch; send `Accept-Language: en` for English. Every error is
`{"detail": ...}`.
"""


def create_app(settings: Settings | None = None, *, solve: SolveFunction | None = None) -> FastAPI:
    """The service for ``settings`` (read from ``SCHEDULER_*`` variables when not given).

    Creates the database schema and marks jobs a previous run left unfinished ``interrupted``.
    Raises :class:`~scheduler.errors.UsageError` when no planner token is configured outside
    dev mode. ``solve`` replaces the solver (tests).
    """
    settings = settings or Settings.from_env()
    settings.check_startable()
    store = Store(settings.database_url)
    store.create_schema()
    interrupted = store.interrupt_unfinished()
    if interrupted:
        log.warning("%d jobs of a previous run were unfinished: marked interrupted", interrupted)
    runner = JobRunner(store, settings, solve)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        if settings.dev and not settings.api_tokens:
            log.warning("dev mode: planner endpoints accept 'Authorization: Bearer dev'")
        yield
        runner.shutdown()
        store.close()

    app = FastAPI(
        title="Duaal leren planner",
        version=__version__,
        description=DESCRIPTION,
        lifespan=lifespan,
        **offline_docs_app_kwargs(),  # type: ignore[arg-type]
    )
    app.state.settings = settings
    app.state.store = store
    app.state.runner = runner
    app.state.plan_cache = PlanCache()
    runner.on_plan = app.state.plan_cache.put
    for router in ROUTERS:
        app.include_router(router)
    for router in PAGE_ROUTERS:
        app.include_router(router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    install_offline_docs(app)
    install_error_handlers(app)
    install_page_handlers(app)
    # the last added is the outermost: log everything, then set the language, then count bytes
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_body_bytes)
    app.add_middleware(LanguageMiddleware)
    app.add_middleware(AccessLogMiddleware)
    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]
    return app


def _openapi(app: FastAPI) -> dict[str, Any]:
    """FastAPI's schema plus the scenario's: ``POST /scenarios`` reads its body by hand."""
    if app.openapi_schema:
        return app.openapi_schema
    schema = get_openapi(
        title=app.title, version=app.version, description=app.description, routes=app.routes
    )
    scenario = Scenario.model_json_schema(ref_template="#/components/schemas/{model}")
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    for name, definition in scenario.pop("$defs", {}).items():
        components.setdefault(name, definition)
    components.setdefault("Scenario", scenario)
    # every 422 of this API lists problems (path, message, line), not FastAPI's default shape
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            answers = operation.get("responses", {})
            if "422" in answers:
                answers["422"] = {
                    "description": "The request data has problems.",
                    "content": {
                        "application/json": {
                            "schema": {"$ref": "#/components/schemas/ProblemsResponse"}
                        }
                    },
                }
    for name in ("HTTPValidationError", "ValidationError"):
        components.pop(name, None)
    app.openapi_schema = schema
    return schema
