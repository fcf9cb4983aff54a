"""Lower bounds on the objective, to report honest gaps and to prove plans optimal.

CP-SAT's own bound is weak for this problem (the costs come from how pupils share centres,
companies and class theory, which its linear relaxation hardly sees). A cheap and valid bound
comes from taking the problem apart:

- every pupil-separable term (waiting, away from home, other mentor, OAO margin) is at least
  what the pupil would cost *alone*: any plan for all pupils restricted to one pupil is a plan
  for that pupil alone, so the sum of the pupils' own optima is a lower bound;
- the busiest week of a centre or company that some pupil can only go to is at least 1;
- the spread of a class at the centre is at least 0.

Pupils that are identical for the model share one small solve.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from scheduler.model.scenario import Scenario, Weights
from scheduler.solver.builder import build_model
from scheduler.solver.data import UNITS_PER_HOUR, PupilData, SolverData, solver_data


@dataclass
class LowerBound:
    """A lower bound on the objective, by source."""

    value: float
    pupils: float = 0.0
    resources: float = 0.0
    complete: bool = True
    per_pupil: dict[str, float] = field(default_factory=dict)


def _signature(pupil: PupilData) -> tuple:
    return (
        pupil.school_id,
        pupil.home,
        pupil.mentor,
        pupil.contract,
        tuple(pupil.days),
        tuple(pupil.ordinary_wp100),
        tuple(sorted(pupil.absent)),
        tuple((s.key, s.min_len, s.max_len, tuple(s.options)) for s in pupil.phases),
    )


def pupil_alone_cost(
    scenario: Scenario, pupil_id: str, weights: Weights, time_limit: float = 2.0
) -> float | None:
    """The best objective (pupil-separable terms only) of one pupil planned alone, or None when
    not proven within the time limit."""
    alone = weights.model_copy(update={"load_peak": 0, "class_spread": 0})
    data = solver_data(scenario, [pupil_id])
    ctx = build_model(data, alone, symmetry=False)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit
    solver.parameters.num_workers = 1
    status = solver.Solve(ctx.model)
    if status == cp_model.OPTIMAL:
        return solver.ObjectiveValue() / UNITS_PER_HOUR
    if status == cp_model.INFEASIBLE:
        return None
    return solver.BestObjectiveBound() / UNITS_PER_HOUR


def forced_resources(data: SolverData) -> set[str]:
    """Centres and companies some pupil cannot avoid (a phase with only places there)."""
    forced: set[str] = set()
    for pupil in data.pupils:
        for spec in pupil.phases:
            places = {(o.kind, o.place) for o in spec.options}
            if len(places) == 1:
                kind, place = next(iter(places))
                if kind in ("centre", "company"):
                    forced.add(f"{kind}:{place}")
    return forced


def lower_bound(
    data: SolverData,
    weights: Weights,
    peak_parties: set[str],
    *,
    budget: float = 10.0,
) -> LowerBound:
    """A valid lower bound on the objective of a part: its pupils' own optima plus one pupil for
    every place with a peak term (``peak_parties``) that some pupil cannot avoid."""
    scenario = data.scenario
    cache: dict[tuple, float | None] = {}
    per_pupil: dict[str, float] = {}
    complete = True
    per_solve = max(0.2, min(2.0, budget / max(1, len(data.pupils))))
    for pupil in data.pupils:
        key = _signature(pupil)
        if key not in cache:
            cache[key] = pupil_alone_cost(scenario, pupil.id, weights, per_solve)
        value = cache[key]
        if value is None:
            complete = False
            value = 0.0
        per_pupil[pupil.id] = value
    resources = float(weights.load_peak * len(forced_resources(data) & peak_parties))
    pupils = sum(per_pupil.values())
    return LowerBound(pupils + resources, pupils, resources, complete, per_pupil)
