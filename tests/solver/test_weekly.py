"""The weekly (time-indexed) model agrees with the interval model, its relaxation and the
aggregate bounds are lower bounds, its plans pass the independent validator, and it counts a
re-plan's changed pupil-weeks exactly."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings

from scheduler.files import scenario_from_data
from scheduler.solver.bounds import aggregate_bound
from scheduler.solver.builder import build_model
from scheduler.solver.data import solver_data
from scheduler.solver.evaluate import objective_terms
from scheduler.solver.params import make_solver, make_weekly_solver
from scheduler.solver.weekly.model import build_weekly
from scheduler.solver.weekly.relaxation import relaxation_bound
from scheduler.validate import validate_plan
from scheduler.whatif.diff import week_changes
from tests.handmade import tiny_scenario
from tests.solver.helpers import plan_of
from tests.strategies import small_scenarios

FEW = settings(
    max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True
)


def _optimum_weekly(scenario):
    data = solver_data(scenario)
    wm = build_weekly(data, scenario.settings.weights)
    solver = make_weekly_solver(60, 0, 2)
    status = solver.Solve(wm.model)
    return data, wm, solver, status


@FEW
@given(small_scenarios())
def test_weekly_and_interval_models_have_the_same_optimum(data: dict) -> None:
    scenario = scenario_from_data(data)
    weights = scenario.settings.weights
    part, wm, weekly, status = _optimum_weekly(scenario)
    ctx = build_model(part, weights)
    interval = make_solver(60, 0, 2)
    assert interval.Solve(ctx.model) == status == 4  # both prove the same optimum
    assert weekly.ObjectiveValue() == interval.ObjectiveValue()
    # the weekly plan, counted directly and by the independent validator
    phases = wm.phases(weekly)
    assert objective_terms(part, weights, phases)[0] == pytest.approx(
        weekly.ObjectiveValue() / 500, abs=1e-6
    )
    report = validate_plan(scenario, plan_of(scenario, phases))
    assert report.valid, report.summary()
    bound = relaxation_bound(part, weights, seconds=30)
    assert bound is not None and bound <= weekly.ObjectiveValue() / 500 + 1e-6
    aggregate = aggregate_bound(part, weights)
    assert aggregate.value <= weekly.ObjectiveValue() / 500 + 1e-6


def test_changes_are_counted_exactly() -> None:
    scenario = tiny_scenario()
    part, wm, solver, _status = _optimum_weekly(scenario)
    baseline = wm.phases(solver)
    old = plan_of(scenario, baseline)
    # the same scenario re-planned from its own plan with another objective: the model's count
    # of changed pupil-weeks is what the diff of the two plans finds
    weights = scenario.settings.weights.model_copy(update={"away_from_home": 0, "waiting": 50})
    again = build_weekly(part, weights, baseline=baseline)
    again.model.Minimize(again.objective - 500 * 7 * again.terms["changes"])  # move a lot
    other = make_weekly_solver(30, 0, 2)
    assert other.Solve(again.model) in (2, 4)
    new = plan_of(scenario, again.phases(other))
    counted = other.Value(again.terms["changes"])
    assert counted > 0
    assert counted == len([c for c in week_changes(old, new) if set(c.fields) - {"hours", "visit"}])
