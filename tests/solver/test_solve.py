"""The solver: examples reach their expected status, plans pass the independent validator,
impossible scenarios are explained, never answered with a wrong plan."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scheduler.files import scenario_from_data
from scheduler.solver.data import parts, solver_data
from scheduler.solver.solve import solve
from scheduler.validate import validate_plan
from tests.conftest import EMT, SCENARIO_FILES, solve_example
from tests.strategies import PLANTED_CAUSES, small_scenarios

SLOW = settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True
)


@pytest.mark.parametrize("path", SCENARIO_FILES, ids=lambda p: p.name)
def test_example_reaches_expected_status(path: Path) -> None:
    scenario, result = solve_example(path)
    expected = scenario.meta.expected
    if expected == "feasible":
        assert result.status in ("feasible", "optimal")
    else:
        assert result.status == expected, result.plan.explanation
    if result.plan.has_solution:
        report = validate_plan(scenario, result.plan)
        assert report.valid, report.summary()
    else:
        assert result.plan.explanation, "an impossible scenario is always explained"
        assert not validate_plan(scenario, result.plan).valid


def test_emt_is_optimal_and_complete(emt_solved) -> None:
    scenario, result = emt_solved
    assert result.status == "optimal"
    plan = result.plan
    assert plan.objective == plan.bound
    weeks = {p.id: scenario.pupil_days(p) for p in scenario.pupils}
    assert len(plan.assignments) == sum(len(w) for w in weeks.values())
    assert {s.pupil for s in plan.pupils} == set(weeks)
    assert set(plan.objective_terms) == {
        "waiting", "away_from_home", "other_mentor", "load_peak", "class_spread", "oao_margin"
    }  # fmt: skip


def test_capacity_example_names_company_weeks_and_numbers() -> None:
    _, result = solve_example(EMT.parent / "onmogelijk-capaciteit.yaml")
    assert result.status == "infeasible"
    text = " ".join(e.message for e in result.plan.explanation)
    assert "Smederij Van Acker" in text
    assert "1 leerling tegelijk" in text and "6 leerlingen" in text and "66 weken" in text
    assert any(e.weeks for e in result.plan.explanation), "the weeks are named"
    assert any("partnerbedrijf" in (e.fix or "") for e in result.plan.explanation)
    # the proposal is marked as such and breaks only rules the explanation lists
    assert result.plan.proposal
    assert_proposal_within_explanation(result.plan)


# the validator's rule codes that an explanation's rule stands for
COVERS = {
    "year_end": {"module_order", "phase_length", "experience"},
    "company_capacity": {"company_closed"},
    "mentor_capacity": {"mentor_absent"},
    "centre_capacity": {"centre_closed"},
}


def assert_proposal_within_explanation(plan) -> None:
    named = {e.rule for e in plan.explanation}
    allowed = named | {r for rule in named for r in COVERS.get(rule, ())}
    broken = {v.rule for v in plan.violations}
    assert broken <= allowed, (broken - allowed, [e.message for e in plan.explanation])


def test_oao_example_names_the_contract() -> None:
    _, result = solve_example(EMT.parent / "onmogelijk-oao.yaml")
    assert result.status == "infeasible"
    rules = {e.rule for e in result.plan.explanation}
    assert rules == {"contract"}
    assert "20 uur" in result.plan.explanation[0].message


def test_parts_split_independent_groups() -> None:
    from tests.handmade import tiny_scenario

    scenario = tiny_scenario()
    groups = parts(scenario)
    assert sorted(p for g in groups for p in g) == sorted(p.id for p in scenario.pupils)
    data = solver_data(scenario)
    assert data.weeks.n == 38


@SLOW
@given(small_scenarios())
def test_every_plan_passes_the_validator(data: dict) -> None:
    scenario = scenario_from_data(data)
    result = solve(scenario, time_limit=20)
    assert result.status in ("optimal", "feasible"), [e.message for e in result.plan.explanation]
    report = validate_plan(scenario, result.plan)
    assert report.valid, report.summary()


@SLOW
@given(st.sampled_from(PLANTED_CAUSES).flatmap(lambda c: st.tuples(st.just(c), small_scenarios(c))))
def test_planted_impossibility_is_explained(case: tuple[str, dict]) -> None:
    cause, data = case
    scenario = scenario_from_data(data)
    result = solve(scenario, time_limit=20)
    assert result.status == "infeasible"
    assert not result.plan.has_solution
    rules = {e.rule for e in result.plan.explanation}
    assert cause in rules, (cause, [e.message for e in result.plan.explanation])
    if result.plan.proposal:
        assert_proposal_within_explanation(result.plan)
