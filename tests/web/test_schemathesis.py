"""Generated requests against the OpenAPI schema (schemathesis): never a server error, and
every answer as documented.

The app runs in dev mode on a temporary database with a stand-in solver that ends at once, so
generated solve requests cost nothing; a scenario, a published plan and a feed exist so that
some generated requests reach real objects too.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from api.app import create_app
from api.settings import DEV_TOKEN, Settings
from tests.web.conftest import FixedSolve, small_yaml

_folder = tempfile.TemporaryDirectory(prefix="scheduler-api-")
app = create_app(
    Settings(database_url=f"sqlite:///{Path(_folder.name) / 'api.db'}", dev=True),
    solve=FixedSolve("infeasible"),
)
with TestClient(app) as _client:
    _client.post(
        "/scenarios",
        content=small_yaml(),
        headers={"Authorization": f"Bearer {DEV_TOKEN}", "Content-Type": "application/yaml"},
    )

schema = schemathesis.openapi.from_asgi("/openapi.json", app).exclude(
    method="POST", path="/scenarios"
)
# The scenario upload's body (the whole Scenario schema, tens of kilobytes) is slow to generate
# and makes the coverage phase's boundary cases very many: that operation gets its documented
# examples and 10 generated bodies only.
uploads = schemathesis.openapi.from_asgi(
    "/openapi.json",
    app,
    config=SchemathesisConfig.from_dict({"phases": {"coverage": {"enabled": False}}}),
).include(method="POST", path="/scenarios")

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]
SETTINGS = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


def _check(case) -> None:
    # no 5xx, and every answer is the one documented (status, content type, body, headers)
    response = case.call_and_validate(
        headers={"Authorization": f"Bearer {DEV_TOKEN}"}, checks=CHECKS
    )
    assert response.status_code < 500, (case.method, case.path, response.text)
    if response.status_code >= 400:
        assert "detail" in response.json()


@schema.parametrize()
@SETTINGS
def test_no_server_errors(case) -> None:
    _check(case)


@uploads.parametrize()
@settings(SETTINGS, max_examples=10)
def test_no_server_errors_on_uploads(case) -> None:
    _check(case)
