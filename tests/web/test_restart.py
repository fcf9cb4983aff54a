"""What survives a restart: scenarios, plans (published or not), feeds; unfinished jobs become
``interrupted`` and never store a plan."""

from __future__ import annotations

from fastapi.testclient import TestClient

from api.app import create_app
from api.store import Store
from tests.web.conftest import (
    AUTH,
    BlockingSolve,
    ReplaySolve,
    SequenceSolve,
    make_settings,
    published_feed,
    start_solve,
    upload,
)


def test_a_new_app_on_the_same_database_finds_everything(db, solved_plan) -> None:
    blocking = BlockingSolve()
    solves = SequenceSolve(ReplaySolve(solved_plan), blocking)
    with TestClient(create_app(make_settings(db), solve=solves)) as first:
        scenario_id = upload(first)
        plan_id, path = published_feed(first, scenario_id, "company:jansens")
        served = first.get(path)
        assert served.status_code == 200

        # a second solve is still running when the server stops
        unfinished = start_solve(first, scenario_id, seed=7)
        assert blocking.started.acquire(timeout=60)
        assert first.get(f"/jobs/{unfinished['id']}", headers=AUTH).json()["state"] == "running"

    with TestClient(create_app(make_settings(db))) as second:
        scenarios = second.get("/scenarios", headers=AUTH).json()
        assert [s["id"] for s in scenarios] == [scenario_id]
        detail = second.get(f"/scenarios/{scenario_id}", headers=AUTH).json()
        assert detail["source"].startswith("# A small cut of the EMT duaal example")
        assert detail["scenario"]["meta"]["name"] == "emt-klein-2026-2027"

        plans = second.get("/plans", params={"scenario": scenario_id}, headers=AUTH).json()
        assert [(p["id"], p["published"]) for p in plans] == [(plan_id, True)]
        assert second.get(f"/plans/{plan_id}/validation", headers=AUTH).json()["valid"] is True

        again = second.get(path)
        assert again.status_code == 200 and again.content == served.content
        unchanged = second.get(path, headers={"If-None-Match": served.headers["etag"]})
        assert unchanged.status_code == 304

        job = second.get(f"/jobs/{unfinished['id']}", headers=AUTH).json()
        assert job["state"] == "interrupted" and job["plan_id"] is None
        assert job["finished_at"] is not None
        finished = second.get("/plans", params={"scenario": scenario_id}, headers=AUTH).json()
        job_id = finished[0]["job_id"]
        assert second.get(f"/jobs/{job_id}", headers=AUTH).json()["state"] == "done"


def test_jobs_left_running_by_a_crash_are_interrupted_on_start(db) -> None:
    with TestClient(create_app(make_settings(db))) as first:
        scenario_id = upload(first)
    # a crashed server leaves its rows behind as they were
    store = Store(make_settings(db).database_url)
    queued = store.add_job(scenario_id, {"time_limit": 5}, "nl")
    running = store.add_job(scenario_id, {"time_limit": 5}, "nl")
    store.update_job(running.id, state="running")
    store.close()

    with TestClient(create_app(make_settings(db))) as second:
        for job in (queued, running):
            answer = second.get(f"/jobs/{job.id}", headers=AUTH).json()
            assert answer["state"] == "interrupted"
            assert answer["plan_id"] is None
        # an interrupted job cannot be cancelled any more
        assert second.delete(f"/jobs/{running.id}", headers=AUTH).status_code == 409
