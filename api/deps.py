"""FastAPI dependencies: the settings, the store, the job runner and the planners' bearer token."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from api.jobs import JobRunner
from api.settings import Settings
from api.store import Store
from api.tokens import matches_any
from scheduler.i18n import tr

bearer = HTTPBearer(
    auto_error=False,
    scheme_name="planner-token",
    description="A planner token from SCHEDULER_API_TOKENS (`dev` in dev mode without tokens).",
)


def get_settings(request: Request) -> Settings:
    """The service's settings."""
    return request.app.state.settings  # type: ignore[no-any-return]


def get_store(request: Request) -> Store:
    """The service's storage."""
    return request.app.state.store  # type: ignore[no-any-return]


def get_runner(request: Request) -> JobRunner:
    """The solve job runner."""
    return request.app.state.runner  # type: ignore[no-any-return]


def require_planner(
    settings: Annotated[Settings, Depends(get_settings)],
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> None:
    """Let only requests with a valid planner bearer token through (401 otherwise)."""
    if credentials is None:
        detail = tr(
            nl="aanmelden vereist: stuur 'Authorization: Bearer <token>'",
            en="authentication required: send 'Authorization: Bearer <token>'",
        )
    elif not matches_any(credentials.credentials, settings.accepted_tokens):
        detail = tr(nl="ongeldig token", en="invalid token")
    else:
        return
    raise HTTPException(401, detail, headers={"WWW-Authenticate": "Bearer"})


SettingsDep = Annotated[Settings, Depends(get_settings)]
StoreDep = Annotated[Store, Depends(get_store)]
RunnerDep = Annotated[JobRunner, Depends(get_runner)]
