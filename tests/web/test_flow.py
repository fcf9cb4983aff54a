"""The planner's whole way through the API: scenario -> solve -> validate -> publish -> feed."""

from __future__ import annotations

import datetime as dt

import icalendar

from api import feeds_adapter
from scheduler.files import scenario_from_text
from scheduler.plan import Plan
from scheduler.validate import validate_plan
from tests.web.conftest import (
    AUTH,
    GatedSolve,
    ReplaySolve,
    SequenceSolve,
    small_yaml,
    start_solve,
    upload,
    wait_job,
)


def _feed_pupils(body: bytes, scenario) -> set[str]:
    """The pupils a feed mentions (by first name or id, whatever the feed's naming)."""
    text = b"".join(
        bytes(str(event.get(key, "")), "utf-8")
        for event in icalendar.Calendar.from_ical(body).walk("VEVENT")
        for key in ("SUMMARY", "DESCRIPTION")
    ).decode("utf-8")
    return {p.id for p in scenario.pupils if p.first_name in text or p.id in text}


def test_scenario_to_published_plan_to_company_feed(client_for) -> None:
    gate = GatedSolve()
    client = client_for(solve=gate)
    scenario = scenario_from_text(small_yaml())

    scenario_id = upload(client)
    listed = client.get("/scenarios", headers=AUTH).json()
    assert [s["id"] for s in listed] == [scenario_id]
    assert listed[0]["name"] == "emt-klein-2026-2027" and listed[0]["pupils"] == 4

    job = start_solve(client, scenario_id, time_limit=20)
    assert job["state"] in ("queued", "running") and job["plan_id"] is None

    # progress is visible while the solve runs (the gate holds it at its first report)
    running = wait_job(client, job["id"], lambda j: j["state"] == "running" and bool(j["progress"]))
    assert running["progress"]["objective"] is not None
    assert running["progress"]["elapsed"] >= 0
    gate.release.set()
    done = wait_job(client, job["id"])
    assert done["state"] == "done", done
    assert done["result"] in ("optimal", "feasible")
    plan_id = done["plan_id"]

    # the plan is served exactly as the solver's Plan dumps it, and it is valid
    plan_json = client.get(f"/plans/{plan_id}", headers=AUTH).json()
    plan = Plan.model_validate(plan_json)
    assert plan.model_dump(mode="json") == plan_json
    assert validate_plan(scenario, plan).valid
    report = client.get(f"/plans/{plan_id}/validation", headers=AUTH).json()
    assert report == {"valid": True, "violations": []}

    plans = client.get("/plans", params={"scenario": scenario_id}, headers=AUTH).json()
    assert [(p["id"], p["published"]) for p in plans] == [(plan_id, False)]
    published = client.post(f"/plans/{plan_id}/publish", headers=AUTH)
    assert published.status_code == 200 and published.json()["published"] is True

    # a company subscribes; its feed holds its own pupils only
    created = client.post(
        f"/plans/{plan_id}/feeds", json={"subscriber": "company:jansens"}, headers=AUTH
    )
    assert created.status_code == 201, created.text
    feed = created.json()
    assert feed["url"].startswith("http://testserver/feeds/") and feed["url"].endswith(".ics")
    assert feed["webcal_url"] == "webcal://" + feed["url"].removeprefix("http://")
    path = feed["url"].removeprefix("http://testserver")
    token = path.removeprefix("/feeds/").removesuffix(".ics")
    assert len(token) >= 43  # 32 random bytes, URL-safe

    answer = client.get(path)  # no bearer token: the feed's own token is the key
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "text/calendar; charset=utf-8"
    calendar = icalendar.Calendar.from_ical(answer.content)
    assert calendar.walk("VEVENT"), "the company's feed has events"
    at_jansens = {
        a.pupil for a in plan.assignments if a.place.kind == "company" and a.place.id == "jansens"
    }
    assert at_jansens == {"L01", "L02"}  # nobody else's pupils go to Jansens in this scenario
    assert _feed_pupils(answer.content, scenario) == at_jansens

    # the same feed again: 304 with its ETag, the body unchanged without it
    etag = answer.headers["etag"]
    assert client.get(path, headers={"If-None-Match": etag}).status_code == 304
    assert client.get(path, headers={"If-None-Match": '"other"'}).content == answer.content

    # revoked: gone
    assert client.delete(f"/feeds/{token}").status_code == 204
    gone = client.get(path)
    assert gone.status_code == 404 and "detail" in gone.json()
    assert client.delete(f"/feeds/{token}").status_code == 404


def test_a_newly_published_plan_updates_every_subscription(client_for, solved_plan) -> None:
    # a plan solved before, then a real solve with other weights
    client = client_for(solve=SequenceSolve(ReplaySolve(solved_plan), GatedSolve(open_gate=True)))
    scenario_id = upload(client)
    first = wait_job(client, start_solve(client, scenario_id)["id"])
    client.post(f"/plans/{first['plan_id']}/publish", headers=AUTH)
    feed = client.post(
        f"/plans/{first['plan_id']}/feeds", json={"subscriber": "pupil:L04"}, headers=AUTH
    ).json()
    path = feed["url"].removeprefix("http://testserver")
    before = client.get(path)

    # another solve (other weights), published: the same URL now serves the new plan
    second = wait_job(
        client, start_solve(client, scenario_id, seed=3, weights={"away_from_home": 0})["id"]
    )
    assert second["plan_id"] != first["plan_id"]
    published = client.post(f"/plans/{second['plan_id']}/publish", headers=AUTH).json()
    plans = client.get("/plans", params={"scenario": scenario_id}, headers=AUTH).json()
    assert {p["id"]: p["published"] for p in plans} == {
        first["plan_id"]: False,
        second["plan_id"]: True,
    }
    after = client.get(path)
    new_plan = Plan.model_validate(client.get(f"/plans/{second['plan_id']}", headers=AUTH).json())
    expected = feeds_adapter.build_feed(
        scenario_from_text(small_yaml()),
        new_plan,
        "pupil:L04",
        previous=before.content,
        generated=dt.datetime.fromisoformat(published["published_at"]),
    )
    assert after.content == expected
    revalidated = client.get(path, headers={"If-None-Match": before.headers["etag"]})
    if after.content != before.content:
        assert revalidated.status_code == 200
        assert after.headers["etag"] != before.headers["etag"]
    else:  # the new plan happens to give this pupil the same calendar
        assert revalidated.status_code == 304


def test_a_wrong_or_missing_bearer_token_gets_401(client) -> None:
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": "Basic eDp5"}):
        for method, path in (("GET", "/scenarios"), ("GET", "/jobs/x"), ("GET", "/plans/x")):
            answer = client.request(method, path, headers=headers)
            assert answer.status_code == 401, (method, path, headers)
            assert answer.headers["www-authenticate"] == "Bearer"
            assert isinstance(answer.json()["detail"], str)
    assert client.get("/health").status_code == 200  # health needs no token
