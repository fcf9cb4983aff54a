"""Fixtures of the API tests: apps on a temporary SQLite file, tokens, the small scenario."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings

HERE = Path(__file__).resolve().parent
SMALL = HERE / "emt-klein.yaml"
"""Four pupils of 5EMT (the EMT example cut down), programme inline: solves in about a second."""

TOKEN = "test-planner-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
YAML = {**AUTH, "Content-Type": "application/yaml"}
POLL_LIMIT = 60.0
"""Seconds a test waits at most for a job (a safety net, never an assertion on speed)."""


def small_yaml() -> str:
    """The small scenario's YAML text."""
    return SMALL.read_text(encoding="utf-8")


def make_settings(db: Path, **overrides: Any) -> Settings:
    """Settings on a SQLite file with the test token."""
    values: dict[str, Any] = {"database_url": f"sqlite:///{db}", "api_tokens": (TOKEN,)}
    return Settings(**{**values, **overrides})


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """A fresh database file."""
    return tmp_path / "api.db"


@pytest.fixture
def client_for(db: Path) -> Iterator[Callable[..., TestClient]]:
    """Make started clients on ``db`` (``client_for(solve=..., **settings)``); all are stopped
    at the end of the test."""
    clients: list[TestClient] = []

    def make(solve: Callable[..., Any] | None = None, **overrides: Any) -> TestClient:
        client = TestClient(create_app(make_settings(db, **overrides), solve=solve))
        client.__enter__()
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.__exit__(None, None, None)


@pytest.fixture
def client(client_for: Callable[..., TestClient]) -> TestClient:
    """A client of an app with the real solver."""
    return client_for()


def upload(client: TestClient, text: str | None = None) -> str:
    """Upload a scenario (the small one by default); its id."""
    response = client.post("/scenarios", content=text or small_yaml(), headers=YAML)
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


def start_solve(client: TestClient, scenario_id: str, **options: Any) -> dict[str, Any]:
    """Start a solve job; the job as answered (202)."""
    response = client.post(
        f"/scenarios/{scenario_id}/solve", json={"time_limit": 20, **options}, headers=AUTH
    )
    assert response.status_code == 202, response.text
    return dict(response.json())


def published_feed(client: TestClient, scenario_id: str, subscriber: str) -> tuple[str, str]:
    """Solve the scenario, publish the plan, subscribe ``subscriber``: (plan id, feed path)."""
    plan_id = str(wait_job(client, start_solve(client, scenario_id)["id"])["plan_id"])
    assert client.post(f"/plans/{plan_id}/publish", headers=AUTH).status_code == 200
    created = client.post(f"/plans/{plan_id}/feeds", json={"subscriber": subscriber}, headers=AUTH)
    assert created.status_code == 201, created.text
    return plan_id, str(created.json()["url"]).removeprefix("http://testserver")


def wait_job(
    client: TestClient, job_id: str, until: Callable[[dict[str, Any]], bool] | None = None
) -> dict[str, Any]:
    """Poll a job until ``until(job)`` (default: it has ended)."""
    until = until or (lambda job: job["state"] not in ("queued", "running"))
    deadline = time.monotonic() + POLL_LIMIT
    while True:
        response = client.get(f"/jobs/{job_id}", headers=AUTH)
        assert response.status_code == 200, response.text
        job = dict(response.json())
        if until(job):
            return job
        assert time.monotonic() < deadline, f"job never reached the expected state: {job}"
        time.sleep(0.05)


class GatedSolve:
    """The real solver, held at its first progress report until the test lets it go.

    So a test sees a running job with progress however fast the solver is. A cancel (or a
    server stop) also releases it.
    """

    def __init__(self, *, open_gate: bool = False):
        self.reported = threading.Event()
        self.release = threading.Event()
        if open_gate:
            self.release.set()

    def __call__(self, scenario: Any, **kwargs: Any) -> Any:
        from scheduler.solver.solve import solve

        progress, cancel = kwargs["progress"], kwargs["cancel"]

        def gated(report: Any) -> None:
            progress(report)
            self.reported.set()
            while not self.release.wait(0.02) and not cancel.is_set():
                pass

        return solve(scenario, **{**kwargs, "progress": gated})


class BlockingSolve:
    """A stand-in solver that runs until cancelled (queue and cancel tests)."""

    def __init__(self) -> None:
        self.started = threading.Semaphore(0)

    def __call__(self, scenario: Any, **kwargs: Any) -> Any:
        self.started.release()
        kwargs["cancel"].wait(POLL_LIMIT)
        # what the real solver answers when cancelled: no plan
        return fake_result(scenario, "unknown", solver={"cancelled": True})


def fake_result(scenario: Any, status: str, **plan: Any) -> Any:
    """A solve result as ``scheduler.solver.solve.solve`` returns it, around a plan made here."""
    from scheduler.plan import Plan

    name, year = scenario.meta.name, scenario.school_year
    made = Plan(status=status, scenario=name, school_year=year, **plan)
    return SimpleNamespace(
        status=status, objective=made.objective, bound=made.bound, runtime=0.0, plan=made
    )


class ReplaySolve:
    """A stand-in solver answering a plan the real solver made before (fast tests)."""

    def __init__(self, plan: dict[str, Any]):
        self.plan = plan

    def __call__(self, scenario: Any, **kwargs: Any) -> Any:
        from scheduler.plan import Plan

        plan = Plan.model_validate(self.plan)
        return SimpleNamespace(
            status=plan.status, objective=plan.objective, bound=plan.bound, runtime=0.0, plan=plan
        )


class SequenceSolve:
    """A stand-in solver that hands each solve to the next of ``solves``."""

    def __init__(self, *solves: Callable[..., Any]):
        self.solves = list(solves)

    def __call__(self, scenario: Any, **kwargs: Any) -> Any:
        return self.solves.pop(0)(scenario, **kwargs)


@pytest.fixture(scope="session")
def solved_plan() -> dict[str, Any]:
    """The small scenario's plan, solved once per session by the real solver (JSON)."""
    from scheduler.files import scenario_from_text
    from scheduler.solver.solve import solve

    result = solve(scenario_from_text(small_yaml()), time_limit=20, explain=False)
    assert result.plan.has_solution
    return result.plan.model_dump(mode="json")


class FixedSolve:
    """A stand-in solver answering a plan of the given status (infeasible, proposal, ...)."""

    def __init__(self, status: str, **plan: Any):
        self.status, self.plan = status, plan

    def __call__(self, scenario: Any, **kwargs: Any) -> Any:
        return fake_result(scenario, self.status, **self.plan)
