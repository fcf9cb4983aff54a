"""What-if through the API: a changed copy is re-planned from the published plan, the past
stays, and the diff against the published plan says what changed."""

from __future__ import annotations

from tests.web.conftest import AUTH, start_solve, upload, wait_job


def _published(client) -> tuple[str, str]:
    scenario_id = upload(client)
    done = wait_job(client, start_solve(client, scenario_id, time_limit=30)["id"])
    assert done["state"] == "done", done
    plan_id = done["plan_id"]
    assert client.post(f"/plans/{plan_id}/publish", headers=AUTH).status_code == 200
    return scenario_id, plan_id


def test_what_if_replans_from_the_published_plan(client) -> None:
    scenario_id, published = _published(client)
    body = {
        "changes": [{"type": "mentor_absent", "mentor": "jansens-an", "from": "2027-01-11",
                     "to": "2027-01-29"}],
        "time_limit": 30,
    }  # fmt: skip
    answer = client.post(f"/scenarios/{scenario_id}/what-if", json=body, headers=AUTH)
    assert answer.status_code == 202, answer.text
    job = answer.json()
    assert job["baseline_plan_id"] == published and job["variant_scenario_id"] != scenario_id
    done = wait_job(client, job["id"])
    assert done["state"] == "done", done
    if done["result"] == "infeasible":
        # The published plan comes from a timed solve, so it differs between runs (seen once in
        # CI): when one of her company phases spans 11 January, the frozen past keeps her as
        # its mentor and no plan exists. The re-plan must then say so and explain it, never
        # return a wrong plan.
        plan = client.get(f"/plans/{done['plan_id']}", headers=AUTH).json()
        assert plan["status"] == "infeasible" and plan["explanation"], plan
        assert all(item["message"] for item in plan["explanation"]), plan["explanation"]
        return
    assert done["result"] in ("optimal", "feasible"), done
    new_plan = done["plan_id"]
    assert client.get(f"/plans/{new_plan}/validation", headers=AUTH).json()["valid"]

    diff = client.get(f"/plans/{new_plan}/diff", params={"against": published}, headers=AUTH)
    assert diff.status_code == 200, diff.text
    report = diff.json()
    assert report["validation"]["valid"] is True
    # the past (before 11 January) keeps its phases, places and mentors (only a practice test
    # can come to lie in the last frozen week of a phase that must now end there)
    past = [c for c in report["changes"] if c["week"] < "2027-01-11"]
    assert all(set(c["fields"]) <= {"visit", "hours"} for c in past), past
    # nobody is with the absent mentor in the weeks of the absence
    plan = client.get(f"/plans/{new_plan}", headers=AUTH).json()
    assert not [
        a for a in plan["assignments"]
        if a["mentor"] == "jansens-an" and "2027-01-11" <= a["week"] <= "2027-01-25"
    ]  # fmt: skip


def test_what_if_bad_input(client) -> None:
    scenario_id = upload(client)
    unknown = {"changes": [{"type": "mentor_absent", "mentor": "nobody", "from": "2027-01-11",
                            "to": "2027-01-29"}]}  # fmt: skip
    answer = client.post(f"/scenarios/{scenario_id}/what-if", json=unknown, headers=AUTH)
    assert answer.status_code == 422
    assert "nobody" in answer.text
    assert client.post("/scenarios/nope/what-if", json=unknown, headers=AUTH).status_code == 404
    empty = client.post(f"/scenarios/{scenario_id}/what-if", json={"changes": []}, headers=AUTH)
    assert empty.status_code == 422
    missing = client.get("/plans/nope/diff", params={"against": "x"}, headers=AUTH)
    assert missing.status_code == 404
