"""``GET /health``: is the service up and does its database answer."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException
from sqlalchemy import text

from api.deps import RunnerDep, StoreDep
from api.errors import responses
from api.schemas import Health
from scheduler import __version__
from scheduler.i18n import tr

router = APIRouter(prefix="/health", tags=["health"])


@router.get("", response_model=Health, responses=responses(503))
def health(store: StoreDep, runner: RunnerDep) -> Health:
    """Up and running: the database answers; how many solve jobs are active."""
    try:
        with store.session() as session:
            session.execute(text("SELECT 1"))
    except Exception:
        raise HTTPException(
            503, tr(nl="de databank antwoordt niet", en="the database does not answer")
        ) from None
    return Health(status="ok", version=__version__, jobs_active=runner.active_count())
