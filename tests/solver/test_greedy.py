"""The greedy baseline and the first plan: what the greedy places is a plan by the full model's
own rules, and the first plan (greedy, then CP-SAT for the classes it cannot place) places
every pupil of generated instances."""

from __future__ import annotations

import pytest

from scheduler.generate import generate
from scheduler.solver.data import parts, solver_data
from scheduler.solver.evaluate import evaluate, objective_terms
from scheduler.solver.first_plan import first_plan
from scheduler.solver.greedy import greedy
from scheduler.validate import validate_plan
from tests.solver.helpers import plan_of


@pytest.mark.parametrize(("pupils", "seed"), [(30, 0), (50, 1), (120, 2)])
def test_greedy_plan_holds_in_the_full_model(pupils: int, seed: int) -> None:
    scenario = generate(pupils, seed)
    unplaced = 0
    for ids in parts(scenario):
        result = greedy(solver_data(scenario, ids), scenario.settings.oao_margin_hours)
        unplaced += len(result.unplaced)
        placed = [p for p in ids if p not in set(result.unplaced)]
        if not placed:
            continue
        data = solver_data(scenario, placed)
        checked = evaluate(data, scenario.settings.weights, result.hints)
        # every placed pupil's phases, fixed in the interval CP-SAT model, satisfy every rule
        assert checked.feasible
        assert checked.objective == pytest.approx(
            objective_terms(data, scenario.settings.weights, result.hints)[0], abs=0.05
        )
    # it leaves out whole classes where their OAO pupils have no hour to spare (the first plan
    # then has CP-SAT plan them), but never everyone
    assert unplaced < pupils


def test_greedy_places_everyone_where_there_is_room() -> None:
    scenario = generate(50, 1)
    (ids,) = parts(scenario)
    assert not greedy(solver_data(scenario, ids), scenario.settings.oao_margin_hours).unplaced


@pytest.mark.parametrize(("pupils", "seed"), [(50, 0), (50, 2), (160, 1)])
def test_first_plan_places_everyone_and_is_valid(pupils: int, seed: int) -> None:
    # seeds where the greedy alone cannot place every class: CP-SAT plans the rest
    scenario = generate(pupils, seed)
    hints = []
    for ids in parts(scenario):
        plan = first_plan(solver_data(scenario, ids), scenario.settings.weights, deadline=1e12)
        assert plan.hints is not None, plan.steps
        hints += plan.hints
    report = validate_plan(scenario, plan_of(scenario, hints))
    assert report.valid, report.summary()
