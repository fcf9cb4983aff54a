"""Large parts: a first plan by class-group CP-SAT steps (groups one after the other around
each other's places, a capacity repair as the last resort), then improvement one
class group at a time (large neighbourhood search with the rest of the region held fixed).

One CP-SAT model of a whole region (a training centre with its schools, a few hundred pupils)
takes seconds just to presolve and can take minutes to reach any plan. Class groups are
small (a class, or classes that share small companies) and only loosely coupled through the
centre and the larger companies, so re-planning one group while the others keep their places
improves the plan quickly and never breaks it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from scheduler.model.scenario import Scenario, Weights
from scheduler.solver.builder import build_model
from scheduler.solver.context import PhaseHint, Pin
from scheduler.solver.data import solver_data
from scheduler.solver.evaluate import objective_terms
from scheduler.solver.extract import phases_of
from scheduler.solver.groups import add_usage, class_groups

RESERVED_SECONDS = 2.5
"""At most this long for a group's first plan around the places earlier groups took."""

RESTARTS = 5
"""How often the class groups' sequence starts again with a blocked group first before the
groups are planned apart and their overbooking repaired."""


@dataclass
class LargeOutcome:
    """Phases for every pupil of the part (or None when no plan was found), with timings."""

    hints: list[PhaseHint] | None
    first_plan_seconds: float | None = None
    greedy_unplaced: int = 0
    rounds: int = 0
    infeasible_group: bool = False
    history: list[tuple[float, float]] = field(default_factory=list)


def _usage_without(
    scenario: Scenario, hints: list[PhaseHint], group: set[str], n_weeks: int
) -> dict[str, list[int]]:
    taken: dict[str, list[int]] = {}
    add_usage(taken, scenario, [h for h in hints if h.pupil not in group], n_weeks)
    return taken


def _improve_group(
    scenario: Scenario,
    group: list[str],
    weights: Weights,
    hints: list[PhaseHint],
    n_weeks: int,
    seconds: float,
    seed: int,
    workers: int,
    pins: list[Pin] | None,
) -> list[PhaseHint] | None:
    """Re-plan one group with everyone else held in place; None when nothing better was found."""
    members = set(group)
    own = [h for h in hints if h.pupil in members]
    data = solver_data(scenario, group)
    ctx = build_model(
        data,
        weights,
        pins=[p for p in pins or [] if p.pupil in members],
        hints=own,
        reserved=_usage_without(scenario, hints, members, n_weeks),
    )
    first: dict[str, float] = {}

    class _Track(cp_model.CpSolverSolutionCallback):
        def on_solution_callback(self) -> None:
            first.setdefault("objective", self.ObjectiveValue())

    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.2, seconds)
    solver.parameters.num_workers = workers
    solver.parameters.random_seed = seed
    status = solver.Solve(ctx.model, _Track())
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    if solver.ObjectiveValue() >= first.get("objective", float("inf")):
        return None
    return phases_of(ctx, solver)


def _solve_apart(
    scenario: Scenario,
    group: list[str],
    weights: Weights,
    seconds: float,
    seed: int,
    workers: int,
    pins: list[Pin] | None,
    hints: list[PhaseHint] | None,
    reserved: dict[str, list[int]] | None = None,
) -> tuple[int, list[PhaseHint]]:
    """A first plan for one group, with ``reserved`` places taken by the groups planned before
    it (none: the group on its own, nothing else holds any place)."""
    members = set(group)
    data = solver_data(scenario, group)
    ctx = build_model(
        data,
        weights,
        pins=[p for p in pins or [] if p.pupil in members],
        hints=[h for h in hints or [] if h.pupil in members],
        reserved=reserved,
    )
    ctx.model.ClearObjective()
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.2, seconds)
    solver.parameters.num_workers = workers
    solver.parameters.random_seed = seed
    solver.parameters.cp_model_presolve = False
    solver.parameters.stop_after_first_solution = True
    status = solver.Solve(ctx.model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return status, []
    return status, phases_of(ctx, solver)


def repair_capacities(
    scenario: Scenario,
    pupil_ids: list[str],
    weights: Weights,
    hints: list[PhaseHint],
    *,
    deadline: float,
    seed: int = 0,
    workers: int = 2,
    pins: list[Pin] | None = None,
) -> list[PhaseHint] | None:
    """Make one plan out of groups planned apart: the whole part's model with a penalised slack
    on every capacity (centres, companies, mentors, teacher visits), started from the groups'
    plans, removes the overbooking (CP-SAT's neighbourhood search moves classes apart) until no
    slack is left. None when some remains at the deadline."""
    data = solver_data(scenario, pupil_ids)
    ctx = build_model(data, weights, relax_capacity=True, pins=pins, hints=hints, symmetry=False)

    class _StopAtZero(cp_model.CpSolverSolutionCallback):
        def on_solution_callback(self) -> None:
            if self.ObjectiveValue() <= 0:
                self.StopSearch()

    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.5, deadline - time.perf_counter())
    solver.parameters.num_workers = workers
    solver.parameters.random_seed = seed
    status = solver.Solve(ctx.model, _StopAtZero())
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE) or solver.ObjectiveValue() > 0:
        return None
    return phases_of(ctx, solver)


def solve_large(
    scenario: Scenario,
    pupil_ids: list[str],
    weights: Weights,
    *,
    deadline: float,
    seed: int = 0,
    workers: int = 2,
    pins: list[Pin] | None = None,
    hints: list[PhaseHint] | None = None,
    first_plan_only: bool = False,
    improve_groups: bool = True,
    progress: Callable[[float], None] | None = None,
) -> LargeOutcome:
    """Phases for every pupil of a large part: the class groups planned one after the other
    around the places the earlier ones took (a blocked group moved to the front and the
    sequence restarted; at last planned on its own and the overbooking repaired), then
    (``improve_groups``) the groups improved one by one with the others held in place, until
    ``deadline``."""
    started = time.perf_counter()
    data = solver_data(scenario, pupil_ids)
    n_weeks = data.weeks.n
    groups = class_groups(scenario, pupil_ids)
    outcome = LargeOutcome(None)
    plan: list[PhaseHint] = []
    keys = {(h.pupil, h.phase_key) for h in hints or []}
    if not pins and all((p.id, s.key) in keys for p in data.pupils for s in p.phases):
        plan = list(hints or [])  # a plan found before: improve it
        groups_to_plan: list[list[str]] = []
    else:
        groups_to_plan = groups
    # Groups are planned one after the other, each around the places the earlier ones took:
    # when that works the union is a plan and no repair is needed. The repair of a whole
    # region's model costs seconds before its first solution (measured: 8 of the 11 s of a
    # 229-pupil region's first plan), so it is the last resort. A group that finds its weeks
    # taken is moved to the front and the sequence starts again (it fails in a fraction of a
    # second); after RESTARTS it is planned on its own and the overbooking repaired.
    order = list(groups_to_plan)
    overbooked = False
    moved: set[str] = set()  # groups (by first pupil) already moved to the front
    for attempt in range(RESTARTS + 1 if order else 0):
        plan, taken, overbooked, blocked = [], {}, False, None
        for group in order:
            # A group stops at its first plan, so it may take what it needs: a share of the
            # group budget (40 % of the part's time) was too little for a 44-pupil group.
            left = deadline - time.perf_counter()
            seconds = min(left, max(1.0, 0.5 * left))
            common = (scenario, group, weights)
            rest = (seed, workers, pins, hints)
            # Around others' places a group either fits within seconds or is blocked; a long
            # search there (measured: over a minute on a 50-pupil region) is better spent on
            # a restart.
            status, phases = _solve_apart(
                *common, min(seconds, RESERVED_SECONDS), *rest,
                reserved=None if overbooked else taken,
            )  # fmt: skip
            if not phases and taken and not overbooked:
                if attempt < RESTARTS and group[0] not in moved and time.perf_counter() < deadline:
                    blocked = group
                    break
                overbooked = True
                status, phases = _solve_apart(*common, seconds, *rest)
            if not phases:
                outcome.infeasible_group = status == cp_model.INFEASIBLE
                return outcome
            plan += phases
            if not overbooked:
                add_usage(taken, scenario, phases, n_weeks)
        if blocked is None:
            break
        moved.add(blocked[0])
        order.remove(blocked)
        order.insert(0, blocked)
    if overbooked:
        repaired = repair_capacities(
            scenario, pupil_ids, weights, plan, deadline=deadline, seed=seed, workers=workers,
            pins=pins,
        )  # fmt: skip
        if repaired is None:
            return outcome
        plan = repaired
    outcome.hints = plan
    outcome.first_plan_seconds = time.perf_counter() - started

    def report() -> None:
        if progress is not None and outcome.hints is not None:
            progress(objective_terms(data, weights, outcome.hints)[0])

    report()
    if first_plan_only or not improve_groups:
        return outcome
    while time.perf_counter() < deadline - 0.5:
        improved = False
        for group in groups:
            left = deadline - time.perf_counter()
            if left < 0.5:
                break
            better = _improve_group(
                scenario, group, weights, outcome.hints, n_weeks,
                min(left, max(1.0, 3.0 * len(group) / 24)), seed, workers, pins,
            )  # fmt: skip
            if better is not None:
                members = set(group)
                outcome.hints = [h for h in outcome.hints if h.pupil not in members] + better
                improved = True
                report()
        outcome.rounds += 1
        if not improved:
            break
    return outcome


__all__ = ["LargeOutcome", "repair_capacities", "solve_large"]
