"""The neighbourhood search never breaks a plan and never makes it worse."""

from __future__ import annotations

import time

from scheduler.generate import generate
from scheduler.solver.data import parts, solver_data
from scheduler.solver.evaluate import objective_terms
from scheduler.solver.greedy import greedy
from scheduler.solver.lns import improve
from scheduler.validate import validate_plan
from tests.solver.helpers import plan_of


def test_neighbourhoods_improve_a_greedy_plan_and_keep_it_valid() -> None:
    scenario = generate(50, 1)
    (ids,) = parts(scenario)
    data = solver_data(scenario, ids)
    weights = scenario.settings.weights
    start = greedy(data, scenario.settings.oao_margin_hours)
    assert not start.unplaced
    before = objective_terms(data, weights, start.hints)[0]
    search = improve(data, weights, start.hints, deadline=time.perf_counter() + 1e6, rounds=1)
    assert search.tried == len(data.classes)
    assert search.improved >= 1 and search.objective < before
    assert [h for _, h in search.history] == sorted((h for _, h in search.history), reverse=True)
    report = validate_plan(scenario, plan_of(scenario, search.all_hints()))
    assert report.valid, report.summary()
