"""The same storage on PostgreSQL: run with ``SCHEDULER_TEST_POSTGRES_URL`` set to an empty
database, e.g. ``postgresql+psycopg://postgres@127.0.0.1:5432/planner`` (skipped otherwise)."""

from __future__ import annotations

import os

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from api.store import Base, Store
from tests.web.conftest import (
    AUTH,
    TOKEN,
    BlockingSolve,
    ReplaySolve,
    SequenceSolve,
    published_feed,
    start_solve,
    upload,
    wait_job,
)

URL = os.environ.get("SCHEDULER_TEST_POSTGRES_URL", "")

pytestmark = pytest.mark.skipif(not URL, reason="SCHEDULER_TEST_POSTGRES_URL is not set")


@pytest.fixture
def settings() -> Settings:
    """Settings on the test database, emptied first."""
    store = Store(URL)
    Base.metadata.drop_all(store.engine)
    store.close()
    return Settings(database_url=URL, api_tokens=(TOKEN,))


def test_everything_survives_a_restart_on_postgresql(settings, solved_plan) -> None:
    blocking = BlockingSolve()
    solves = SequenceSolve(ReplaySolve(solved_plan), ReplaySolve(solved_plan), blocking)
    with TestClient(create_app(settings, solve=solves)) as first:
        scenario_id = upload(first)
        other_id, path = published_feed(first, scenario_id, "company:jansens")
        # a second plan published, then the first again: one published plan at a time
        plan_id = wait_job(first, start_solve(first, scenario_id)["id"])["plan_id"]
        for plan in (plan_id, other_id, plan_id):
            assert first.post(f"/plans/{plan}/publish", headers=AUTH).status_code == 200
        served = first.get(path)
        assert served.status_code == 200
        unfinished = start_solve(first, scenario_id)
        assert blocking.started.acquire(timeout=60)

    with TestClient(create_app(settings)) as second:
        plans = second.get("/plans", params={"scenario": scenario_id}, headers=AUTH).json()
        assert {p["id"]: p["published"] for p in plans} == {plan_id: True, other_id: False}
        assert second.get(path).content == served.content
        job = second.get(f"/jobs/{unfinished['id']}", headers=AUTH).json()
        assert job["state"] == "interrupted"
        assert second.delete(f"/scenarios/{scenario_id}", headers=AUTH).status_code == 204
        assert second.get(path).status_code == 404
