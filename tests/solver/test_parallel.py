"""Independent parts side by side: the same kind of plan, valid, whichever executor ran them."""

from __future__ import annotations

import copy
import os

import pytest

from scheduler.errors import UsageError
from scheduler.files import scenario_from_data
from scheduler.solver.data import parts
from scheduler.solver.solve import solve
from scheduler.validate import validate_plan
from tests.handmade import TINY


def _two_regions() -> dict:
    """Two copies of a small scenario that share nothing: two independent parts."""
    data = copy.deepcopy(TINY)
    own_schools = [school["id"] for school in data["schools"]]
    for centre in data["centres"]:
        centre.setdefault("schools", own_schools)
    other = copy.deepcopy(TINY)
    rename = {}
    for school in other["schools"]:
        rename[school["id"]] = school["id"] + "-2"
        school["id"] += "-2"
        for klass in school.get("classes", []):
            klass["id"] += "-2"
    for company in other["companies"]:
        company["id"] += "-2"
        company["partners"] = [p + "-2" for p in company.get("partners", [])]
        for mentor in company["mentors"]:
            mentor["id"] += "-2"
    for centre in other["centres"]:
        centre["id"] += "-2"
        centre["schools"] = [rename[s] for s in centre.get("schools", own_schools)]
    for pupil in other["pupils"]:
        for key in ("id", "class", "company", "mentor"):
            pupil[key] += "-2"
    for key in ("schools", "companies", "centres", "pupils"):
        data[key] = data[key] + other[key]
    return data


def test_parts_side_by_side_in_a_process_pool() -> None:
    scenario = scenario_from_data(_two_regions())
    assert len(parts(scenario)) >= 2
    result = solve(scenario, time_limit=30, processes=2)
    assert result.status in ("optimal", "feasible")
    assert validate_plan(scenario, result.plan).valid
    assert len(result.parts) == len(parts(scenario))


def test_unknown_executor_is_a_usage_error() -> None:
    scenario = scenario_from_data(_two_regions())
    with pytest.raises(UsageError, match="onbekende uitvoerder 'spark'"):
        solve(scenario, time_limit=5, executor="spark")


@pytest.mark.skipif(
    not os.environ.get("SCHEDULER_TEST_RAY"), reason="set SCHEDULER_TEST_RAY=1 to start Ray"
)
def test_parts_on_ray() -> None:
    pytest.importorskip("ray")
    scenario = scenario_from_data(_two_regions())
    result = solve(scenario, time_limit=30, executor="ray")
    assert result.status in ("optimal", "feasible")
    assert validate_plan(scenario, result.plan).valid
