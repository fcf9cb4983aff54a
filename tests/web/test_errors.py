"""Bad input gets JSON ``{"detail": ...}`` with the right status, in the caller's language."""

from __future__ import annotations

import json
import logging

import pytest
import yaml
from fastapi.testclient import TestClient

from api.app import create_app
from api.examples import SCENARIO_JSON, SCENARIO_YAML
from scheduler.plan import ExplanationItem
from tests.web.conftest import (
    AUTH,
    TOKEN,
    YAML,
    BlockingSolve,
    FixedSolve,
    ReplaySolve,
    make_settings,
    published_feed,
    small_yaml,
    start_solve,
    upload,
    wait_job,
)

JSON = {**AUTH, "Content-Type": "application/json"}


def _problems(answer) -> dict[str, dict]:
    assert answer.status_code == 422, answer.text
    return {p["path"]: p for p in answer.json()["detail"]}


# --- scenario uploads ------------------------------------------------------------------------


def test_scenario_problems_name_path_line_and_value(client) -> None:
    text = small_yaml().replace("company: desmet,", "company: acme,")
    problems = _problems(client.post("/scenarios", content=text, headers=YAML))
    problem = problems["pupils[2].company"]
    assert "'acme'" in problem["message"] and "bedrijf" in problem["message"]
    assert text.splitlines()[problem["line"] - 1].lstrip().startswith("- {id: L04")

    english = client.post("/scenarios", content=text, headers={**YAML, "Accept-Language": "en"})
    assert "company" in _problems(english)["pupils[2].company"]["message"]


def test_a_programme_file_reference_is_refused_clearly(client) -> None:
    data = yaml.safe_load(small_yaml())
    data["programmes"] = ["programmes/emt-duaal.yaml"]
    body = json.dumps(data, default=str)  # YAML dates as ISO text
    problems = _problems(client.post("/scenarios", content=body, headers=JSON))
    assert "programma" in problems["programmes[0]"]["message"]


@pytest.mark.parametrize(
    ("body", "content_type", "status"),
    [
        (b"meta: [unclosed\n", "application/yaml", 422),
        (b"{", "application/json", 422),
        (b"", "application/yaml", 422),
        (b"   \n", "application/json", 422),
        (b"\xff\xfe\x00bad", "application/yaml", 422),
        (b"- just\n- a list\n", "application/yaml", 422),
        (b"meta: {name: x}", "text/plain", 415),
        (b"meta: {name: x}", "", 415),
    ],
)
def test_unusable_uploads(client, body: bytes, content_type: str, status: int) -> None:
    headers = {**AUTH, **({"Content-Type": content_type} if content_type else {})}
    answer = client.post("/scenarios", content=body, headers=headers)
    assert answer.status_code == status, answer.text
    detail = answer.json()["detail"]
    assert detail and (isinstance(detail, str) or all(p["message"] for p in detail))


def _laughs(levels: int = 9) -> bytes:
    lines = ['l0: &l0 ["ha", "ha", "ha", "ha", "ha", "ha", "ha", "ha", "ha", "ha"]']
    for i in range(1, levels):
        lines.append(f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 10) + "]")
    return ("\n".join(lines) + "\n").encode()


@pytest.mark.parametrize(
    ("body", "content_type", "words"),
    [
        (b"[" * 50_000, "application/json", "diep"),
        (b"a: &a [*a]\n", "application/yaml", "diep"),
        (b"- " * 20_000 + b"x\n", "application/yaml", "diep"),
        (_laughs(), "application/yaml", "aliassen"),
    ],
)
def test_hostile_uploads_are_refused_not_crashed(client, body, content_type, words) -> None:
    answer = client.post("/scenarios", content=body, headers={**AUTH, "Content-Type": content_type})
    problems = answer.json()["detail"]
    assert answer.status_code == 422 and words in problems[0]["message"], answer.text


def test_yaml_aliases_of_normal_size_are_fine(client) -> None:
    text = small_yaml().replace("hours: {school: 32}", "hours: *theory")
    text = text.replace("hours: *theory", "hours: &theory {school: 32}", 1)
    assert text.count("*theory") >= 3
    answer = client.post("/scenarios", content=text, headers=YAML)
    assert answer.status_code == 201, answer.text


def test_the_documented_examples_are_accepted(client) -> None:
    assert client.post("/scenarios", content=SCENARIO_YAML, headers=YAML).status_code == 201
    assert client.post("/scenarios", json=SCENARIO_JSON, headers=AUTH).status_code == 201
    schema = client.get("/openapi.json").json()
    body = schema["paths"]["/scenarios"]["post"]["requestBody"]["content"]
    assert set(body) == {"application/json", "application/yaml"}
    for path, method in (
        ("/scenarios/{scenario_id}/solve", "post"),
        ("/plans/{plan_id}/feeds", "post"),
    ):
        assert schema["paths"][path][method]["requestBody"]["content"]["application/json"][
            "examples"
        ]


def test_bodies_over_the_limit_get_413_also_when_chunked(client_for) -> None:
    client = client_for(max_body_bytes=4096)
    big = b"# padding\n" * 1000 + small_yaml().encode()
    declared = client.post("/scenarios", content=big, headers=YAML)
    assert declared.status_code == 413 and "MB" in declared.json()["detail"]

    def chunks():
        for i in range(0, len(big), 1000):
            yield big[i : i + 1000]

    chunked = client.post("/scenarios", content=chunks(), headers=YAML)
    assert chunked.status_code == 413, chunked.text
    # a JSON body read by FastAPI itself
    solve = client.post(
        "/scenarios/x/solve",
        content=(b" " * 5000 + b"{}"),
        headers={**AUTH, "Content-Type": "application/json"},
    )
    assert solve.status_code == 413
    assert client.post("/scenarios", content=small_yaml(), headers=YAML).status_code == 201


# --- solve options, unknown ids ----------------------------------------------------------


@pytest.mark.parametrize(
    ("options", "path"),
    [
        ({"time_limit": 0}, "body.time_limit"),
        ({"time_limit": 3601}, "body.time_limit"),
        ({"time_limit": "soon"}, "body.time_limit"),
        ({"seed": -1}, "body.seed"),
        ({"weights": {"speed": 1}}, "body.weights.speed"),
        ({"weights": {"waiting": -2}}, "body.weights.waiting"),
        ({"workers": 8}, "body.workers"),
    ],
)
def test_bad_solve_options_are_422_naming_the_field(client, options, path) -> None:
    scenario_id = upload(client)
    answer = client.post(f"/scenarios/{scenario_id}/solve", json=options, headers=AUTH)
    assert path in _problems(answer)


def test_unknown_ids_are_404(client) -> None:
    for method, path in [
        ("GET", "/scenarios/nope"),
        ("DELETE", "/scenarios/nope"),
        ("POST", "/scenarios/nope/solve"),
        ("GET", "/jobs/nope"),
        ("DELETE", "/jobs/nope"),
        ("GET", "/plans/nope"),
        ("GET", "/plans?scenario=nope"),
        ("GET", "/plans/nope/validation"),
        ("POST", "/plans/nope/publish"),
        ("GET", "/feeds/nope.ics"),
        ("DELETE", "/feeds/nope"),
        ("GET", "/no/such/route"),
    ]:
        answer = client.request(method, path, headers=AUTH)
        assert answer.status_code == 404, (method, path, answer.text)
        assert isinstance(answer.json()["detail"], str)
    assert client.get("/jobs/nope", headers={**AUTH, "Accept-Language": "en"}).json() == {
        "detail": "no job with id 'nope'"
    }
    assert client.get("/jobs/nope", headers=AUTH).json() == {"detail": "geen job met id 'nope'"}


# --- plans that cannot be published, feeds that cannot be made --------------------------


EXPLANATION = [ExplanationItem(rule="company_capacity", message="Jansens heeft te weinig plaats")]


@pytest.mark.parametrize(
    "solve",
    [
        FixedSolve("infeasible", explanation=EXPLANATION),
        FixedSolve("unknown"),
    ],
)
def test_a_plan_without_solution_is_stored_but_never_published(client_for, solve) -> None:
    client = client_for(solve=solve)
    scenario_id = upload(client)
    job = wait_job(client, start_solve(client, scenario_id)["id"])
    assert job["state"] == "done" and job["result"] == solve.status
    plan = client.get(f"/plans/{job['plan_id']}", headers=AUTH).json()
    assert plan["explanation"] == [
        e.model_dump(mode="json") for e in solve.plan.get("explanation", [])
    ]
    assert client.get(f"/plans/{job['plan_id']}/validation", headers=AUTH).json()["valid"] is False
    refused = client.post(f"/plans/{job['plan_id']}/publish", headers=AUTH)
    assert refused.status_code == 409 and solve.status in refused.json()["detail"]
    feed = client.post(
        f"/plans/{job['plan_id']}/feeds", json={"subscriber": "company:jansens"}, headers=AUTH
    )
    assert feed.status_code == 409


def test_a_proposal_cannot_be_published(client_for, solved_plan) -> None:
    # a proposal: the assignments of a real plan, marked infeasible (it breaks a listed rule)
    client = client_for(
        solve=FixedSolve("infeasible", assignments=solved_plan["assignments"], proposal=True)
    )
    job = wait_job(client, start_solve(client, upload(client))["id"])
    plans = client.get("/plans", params={"scenario": job["scenario_id"]}, headers=AUTH).json()
    assert plans[0]["proposal"] is True and plans[0]["publishable"] is False
    assert client.post(f"/plans/{job['plan_id']}/publish", headers=AUTH).status_code == 409


def test_feeds_need_a_published_plan_and_a_known_subscriber(client_for, solved_plan) -> None:
    client = client_for(solve=ReplaySolve(solved_plan), public_url="https://planning.vti.be/")
    plan_id = wait_job(client, start_solve(client, upload(client))["id"])["plan_id"]
    draft = client.post(f"/plans/{plan_id}/feeds", json={"subscriber": "pupil:L01"}, headers=AUTH)
    assert draft.status_code == 409 and "publiceer" in draft.json()["detail"]
    client.post(f"/plans/{plan_id}/publish", headers=AUTH)
    for subscriber in ("company:acme", "baker:jansens", "jansens", "pupil:"):
        answer = client.post(
            f"/plans/{plan_id}/feeds", json={"subscriber": subscriber}, headers=AUTH
        )
        assert "body.subscriber" in _problems(answer), subscriber
    extra = client.post(
        f"/plans/{plan_id}/feeds", json={"subscriber": "pupil:L01", "colour": "red"}, headers=AUTH
    )
    assert "body.colour" in _problems(extra)
    # the configured public URL names the feed, not the address the request came in on
    made = client.post(f"/plans/{plan_id}/feeds", json={"subscriber": "pupil:L01"}, headers=AUTH)
    assert made.json()["url"].startswith("https://planning.vti.be/feeds/")
    assert made.json()["webcal_url"].startswith("webcal://planning.vti.be/feeds/")


# --- the queue, cancelling, failing solves -----------------------------------------------


def test_a_full_queue_answers_429_and_cancelling_frees_it(client_for) -> None:
    blocking = BlockingSolve()
    client = client_for(solve=blocking, solve_jobs=1, queue_limit=1)
    scenario_id = upload(client)
    running = start_solve(client, scenario_id)
    assert blocking.started.acquire(timeout=60)
    queued = start_solve(client, scenario_id)
    assert queued["state"] == "queued"
    full = client.post(f"/scenarios/{scenario_id}/solve", json={}, headers=AUTH)
    assert full.status_code == 429
    assert int(full.headers["retry-after"]) >= 1 and full.json()["detail"]

    # a queued job is cancelled at once, a running one when its solve stops; neither has a plan
    assert client.delete(f"/jobs/{queued['id']}", headers=AUTH).json()["state"] == "cancelled"
    asked = client.delete(f"/jobs/{running['id']}", headers=AUTH)
    assert asked.status_code == 202
    ended = wait_job(client, running["id"])
    assert ended["state"] == "cancelled" and ended["plan_id"] is None
    assert client.delete(f"/jobs/{running['id']}", headers=AUTH).status_code == 409
    assert client.get("/plans", params={"scenario": scenario_id}, headers=AUTH).json() == []
    assert start_solve(client, scenario_id)["state"] in ("queued", "running")


def test_a_solve_that_breaks_fails_the_job_without_a_plan(client_for) -> None:
    def broken(scenario, **kwargs):
        raise ZeroDivisionError(f"{scenario.pupils[0].first_name} divided by zero")

    client = client_for(solve=broken)
    job = wait_job(client, start_solve(client, upload(client))["id"])
    assert job["state"] == "failed" and job["plan_id"] is None
    assert "Lotte" not in job["error"] and job["error"]


def test_deleting_a_scenario_removes_its_plans_and_feeds(client_for, solved_plan) -> None:
    client = client_for(solve=ReplaySolve(solved_plan))
    scenario_id = upload(client)
    plan_id, path = published_feed(client, scenario_id, "mentor:jansens-an")
    assert client.delete(f"/scenarios/{scenario_id}", headers=AUTH).status_code == 204
    assert client.get(f"/plans/{plan_id}", headers=AUTH).status_code == 404
    assert client.get(path).status_code == 404
    assert client.get("/scenarios", headers=AUTH).json() == []


# --- bugs and logs -----------------------------------------------------------------------


def test_a_bug_is_a_json_500_without_traceback(db) -> None:
    app = create_app(make_settings(db))

    @app.get("/boom")
    def boom() -> None:
        raise KeyError("Lotte Vermeulen")

    with TestClient(app, raise_server_exceptions=False) as client:
        answer = client.get("/boom", headers={"Accept-Language": "en"})
    assert answer.status_code == 500
    assert answer.json() == {"detail": "internal error; please tell the administrator"}


def test_logs_hold_no_pupil_data_and_no_tokens(client_for, caplog, solved_plan) -> None:
    caplog.set_level(logging.DEBUG)
    client = client_for(solve=ReplaySolve(solved_plan))
    bad = small_yaml().replace("company: desmet,", "company: acme,")
    client.post("/scenarios", content=bad, headers=YAML)
    _, path = published_feed(client, upload(client), "pupil:L01")
    assert client.get(path).status_code == 200
    token = path.removeprefix("/feeds/").removesuffix(".ics")

    # everything the server logged (httpx's lines are the test client's own)
    logged = "\n".join(
        r.getMessage() for r in caplog.records if not r.name.startswith(("httpx", "httpcore"))
    )
    assert "GET /feeds/{token}.ics 200" in logged  # the access log is there
    data = yaml.safe_load(small_yaml())
    for pupil in data["pupils"]:
        assert pupil["first_name"] not in logged and pupil["last_name"] not in logged
    assert token not in logged and TOKEN not in logged
