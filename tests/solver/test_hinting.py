"""A whole plan given as a hint is CP-SAT's first solution, with its true objective: the
objective's helper variables (peaks, spreads, shortfalls) are hinted too."""

from __future__ import annotations

from ortools.sat.python import cp_model

from scheduler.generate import generate
from scheduler.solver.builder import build_model
from scheduler.solver.data import UNITS_PER_HOUR, solver_data
from scheduler.solver.evaluate import objective_terms
from scheduler.solver.greedy import greedy
from scheduler.solver.hinting import complete_hint
from scheduler.solver.params import make_solver, make_weekly_solver
from scheduler.solver.weekly.model import build_weekly


def test_a_helper_variable_gets_its_best_value_given_the_hint() -> None:
    model = cp_model.CpModel()
    x = model.NewIntVar(0, 5, "x")
    peak = model.NewIntVar(0, 9, "peak")
    model.Add(peak >= x + 2)
    model.Minimize(peak)
    model.AddHint(x, 3)
    assert complete_hint(model)
    hint = dict(zip(model.proto.solution_hint.vars, model.proto.solution_hint.values, strict=True))
    assert hint == {x.Index(): 3, peak.Index(): 5}


def test_a_hint_without_solution_is_left_as_it_is() -> None:
    model = cp_model.CpModel()
    x = model.NewIntVar(0, 5, "x")
    y = model.NewIntVar(0, 5, "y")
    model.Add(y >= x + 2)
    model.AddHint(x, 4)
    assert not complete_hint(model)
    assert list(model.proto.solution_hint.vars) == [x.Index()]


def test_the_weekly_model_starts_from_the_plan_it_is_hinted_with() -> None:
    scenario = generate(50, 1)
    data = solver_data(scenario, [p.id for p in scenario.pupils])
    plan = greedy(data, scenario.settings.oao_margin_hours)
    assert not plan.unplaced
    expected, _ = objective_terms(data, scenario.settings.weights, plan.hints)
    wm = build_weekly(data, scenario.settings.weights, hints=plan.hints)
    solver = make_weekly_solver(30, 0, 1)
    solver.parameters.stop_after_first_solution = True
    assert solver.Solve(wm.model) in (cp_model.FEASIBLE, cp_model.OPTIMAL)
    # without the helpers' hints the first solution was far worse than the plan
    assert abs(solver.ObjectiveValue() / UNITS_PER_HOUR - expected) < 1e-6


def test_the_interval_model_starts_from_the_plan_it_is_hinted_with() -> None:
    scenario = generate(50, 2)
    weights = scenario.settings.weights
    data = solver_data(scenario, [p.id for p in scenario.pupils])
    plan = greedy(data, scenario.settings.oao_margin_hours)
    assert not plan.unplaced
    expected, _ = objective_terms(data, weights, plan.hints)
    ctx = build_model(data, weights, hints=plan.hints)
    solver = make_solver(30, 0, 1)
    solver.parameters.stop_after_first_solution = True
    assert solver.Solve(ctx.model) in (cp_model.FEASIBLE, cp_model.OPTIMAL)
    assert abs(solver.ObjectiveValue() / UNITS_PER_HOUR - expected) < 1e-6
