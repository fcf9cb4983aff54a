"""A class's shared theory lies in every sharing pupil's window: a pupil who joins after the
class's theory of a module (and does not master it) is never given a plan without that theory.

Regression: the class's theory interval had the union of its pupils' windows as its domain,
and nothing kept a late joiner's *first* theory after the joiner's start, so a re-plan with
the class's theory frozen before the start returned a plan without the joiner's theory."""

from __future__ import annotations

import copy
import datetime as dt

from scheduler.files import scenario_from_data
from scheduler.solver.solve import solve
from scheduler.solver.warmstart import hints_from_plan, pins_from_plan
from scheduler.validate import validate_plan

MODULE = {"id": "m0", "name": "Module 0", "phases": [
    {"kind": "theory", "weeks": 3, "hours": {"school": 32}},
    {"kind": "simulated", "weeks": 2, "hours": {"centre": 32}},
    {"kind": "company", "weeks": "1..7", "hours": {"workplace": 38}},
]}  # fmt: skip
DATA = {
    "meta": {"name": "laatkomer"},
    "school_year": "2026-2027",
    "settings": {"teacher_visits_per_week": 10},
    "programmes": [{"id": "mini", "name": "Mini", "ordinary_week": {"school": 19, "workplace": 19},
                    "years": [{"year": 1, "contract": "oao", "modules": [MODULE]}]}],
    "schools": [{"id": "vti", "name": "VTI",
                 "classes": [{"id": "5t", "programme": "mini", "year": 1}]}],
    "centres": [{"id": "oc", "name": "Centrum", "seats": 8, "modules": ["m0"]}],
    "companies": [{"id": "b0", "name": "Bedrijf", "capacity": 8,
                   "mentors": [{"id": "m", "name": "Mentor", "max_pupils": 8}]}],
    "pupils": [{"id": f"P{i}", "first_name": "P", "class": "5t", "company": "b0", "mentor": "m"}
               for i in range(2)],
}  # fmt: skip


def test_a_late_joiner_never_gets_a_plan_without_the_class_theory() -> None:
    base = scenario_from_data(DATA, "laatkomer")
    baseline = solve(base, time_limit=30, explain=False).plan
    assert baseline.has_solution
    # the joiner starts the week after the class's theory, which lies in the frozen past
    theory = [a.week for a in baseline.assignments if a.phase == "theory"]
    start = max(theory) + dt.timedelta(days=7)
    joined = copy.deepcopy(DATA)
    joined["pupils"].append(
        {"id": "NEW", "first_name": "N", "class": "5t", "company": "b0", "mentor": "m",
         "start": start.isoformat()}
    )  # fmt: skip
    scenario = scenario_from_data(joined, "laatkomer")
    pins = pins_from_plan(scenario, baseline, before=start)
    hints = hints_from_plan(scenario, baseline)
    result = solve(scenario, time_limit=30, pins=pins, hints=hints, baseline=hints)
    # never a plan without the joiner's theory; on a loaded machine the proof may not finish
    # in time ("unknown"), which is not a wrong plan either
    assert not result.plan.has_solution, validate_plan(scenario, result.plan).summary()
    if result.status == "infeasible":
        assert "class_theory" in {e.rule for e in result.plan.explanation}
    # without frozen weeks the class simply has its theory after the joiner's start
    free = solve(scenario, time_limit=30, explain=False)
    assert free.plan.has_solution
    assert validate_plan(scenario, free.plan).valid
    first = min(a.week for a in free.plan.assignments if a.phase == "theory")
    assert first >= start
