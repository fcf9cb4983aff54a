"""Helpers of the web page tests: a signed-in client, a stored plan, an edited plan."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from scheduler.plan import Assignment, Place, Plan
from tests.web.conftest import TOKEN, upload


def sign_in(client: TestClient, token: str = TOKEN) -> TestClient:
    """Sign the client in through the login form (the session cookie stays in the client)."""
    response = client.post("/login", data={"token": token, "next": "/"}, follow_redirects=False)
    assert response.status_code == 303, response.text
    return client


def stored_plan(client: TestClient, plan: Plan | dict[str, Any]) -> tuple[str, str]:
    """Upload the small scenario and store ``plan`` for it directly: (scenario id, plan id)."""
    scenario_id = upload(client)
    model = plan if isinstance(plan, Plan) else Plan.model_validate(plan)
    row = client.app.state.store.add_plan(scenario_id, model)  # type: ignore[attr-defined]
    assert row is not None
    return scenario_id, row.id


def moved(plan: Plan, pupil: str, week: Any, **changes: Any) -> Plan:
    """``plan`` with one pupil-week changed (``phase``, ``module``, ``place``=(kind, id), ...)."""
    out = []
    for a in plan.assignments:
        if a.pupil == pupil and a.week == week:
            if "place" in changes:
                kind, ident = changes.pop("place")
                changes["place"] = Place(kind=kind, id=ident)
            a = Assignment.model_validate({**a.model_dump(), **changes})
        out.append(a)
    return plan.model_copy(update={"assignments": out})
