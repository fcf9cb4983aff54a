"""A first plan for a large part, built class by class.

CP-SAT finds a first plan for one class in about a second, but for a region where several
classes share a training centre, companies and teacher visits the whole model can take minutes
to reach any plan at all (measured: 96 pupils sharing one centre, no plan in 60 s). Planning one
class at a time, with the places the earlier classes took held back, finds a plan quickly; the
whole model then improves it, hinted with it.
"""

from __future__ import annotations

import time
from collections import defaultdict

from ortools.sat.python import cp_model

from scheduler.model.scenario import Scenario, Weights
from scheduler.solver.builder import PhaseHint, build_model
from scheduler.solver.context import Pin
from scheduler.solver.data import solver_data

MAX_GROUP = 48
"""Classes are planned together when they share small companies or mentors, up to this many
pupils (pupils of two classes that share a company with one place must be planned together:
whichever class goes first would take weeks the other one needs)."""


def _groups(scenario: Scenario, pupil_ids: list[str]) -> list[list[str]]:
    """Groups of classes to plan together, largest first: classes that share a company or a
    mentor with room for at most two pupils at once are merged while the group stays small."""
    data = solver_data(scenario, pupil_ids)
    by_class: dict[str, list[str]] = defaultdict(list)
    places: dict[str, set[str]] = defaultdict(set)
    for pupil in data.pupils:
        by_class[pupil.class_id].append(pupil.id)
        for spec in pupil.phases:
            for option in spec.options:
                if option.kind != "company":
                    continue
                company = scenario.company_by_id[option.place]
                if company.capacity <= 2:
                    places[f"company:{option.place}"].add(pupil.class_id)
                if option.mentor:
                    _, mentor = scenario.mentor_by_id[option.mentor]
                    if mentor.max_pupils <= 2:
                        places[f"mentor:{option.mentor}"].add(pupil.class_id)
    group_of = {c: {c} for c in by_class}
    for classes in sorted(places.values(), key=len):
        merged = set().union(*(group_of[c] for c in classes))
        if sum(len(by_class[c]) for c in merged) > MAX_GROUP:
            continue
        for c in merged:
            group_of[c] = merged
    seen: set[int] = set()
    groups = []
    for group in group_of.values():
        if id(group) in seen:
            continue
        seen.add(id(group))
        groups.append([p for c in sorted(group) for p in by_class[c]])
    return sorted(groups, key=lambda g: (-len(g), g[0]))


def add_usage(
    taken: dict[str, list[int]], scenario: Scenario, hints: list[PhaseHint], n_weeks: int
) -> None:
    """Add the places that phases take per week (company, mentor, centre, teacher visits)."""
    for hint in hints:
        kind = hint.phase_key.rpartition(":")[2]
        end = hint.start + hint.size
        weeks = range(max(0, hint.start), min(end, n_weeks))
        if kind in ("company", "experience") and hint.place:
            row = taken.setdefault(f"company:{hint.place}", [0] * n_weeks)
            for t in weeks:
                row[t] += 1
        elif kind == "simulated" and hint.place:
            row = taken.setdefault(f"centre:{hint.place}", [0] * n_weeks)
            for t in weeks:
                row[t] += 1
        if hint.mentor:
            row = taken.setdefault(f"mentor:{hint.mentor}", [0] * n_weeks)
            for t in weeks:
                row[t] += 1
        if kind == "company" and 0 < end <= n_weeks:
            school = scenario.school_of(scenario.pupil_by_id[hint.pupil]).id
            row = taken.setdefault(f"school:{school}", [0] * n_weeks)
            row[end - 1] += 1


def _centre_users(scenario: Scenario, groups: list[list[str]]) -> dict[str, list[int]]:
    """Per centre, how many pupils of each group may go there."""
    users: dict[str, list[int]] = defaultdict(lambda: [0] * len(groups))
    for g, group in enumerate(groups):
        for pupil in solver_data(scenario, group).pupils:
            centres = {o.place for s in pupil.phases for o in s.options if o.kind == "centre"}
            for centre in centres:
                users[centre][g] += 1
    return users


def _held_back(
    scenario: Scenario,
    users: dict[str, list[int]],
    index: int,
    taken: dict[str, list[int]],
    n_weeks: int,
) -> dict[str, list[int]]:
    """Places taken by earlier groups, plus, at every centre, the seats the later groups are
    owed in proportion to their pupils: a group planned early must not fill a centre that the
    groups after it need in the same weeks."""
    held = {party: list(weeks) for party, weeks in taken.items()}
    for centre_id, per_group in users.items():
        later = sum(per_group[index + 1 :])
        total = sum(per_group)
        if not later or not per_group[index]:
            continue
        seats = scenario.centre_by_id[centre_id].seats
        owed = (seats * later) // total
        row = held.setdefault(f"centre:{centre_id}", [0] * n_weeks)
        for t in range(n_weeks):
            row[t] += owed
    return held


def _solve_step(ctx_factory, seconds: float, seed: int, workers: int):
    """Plan one group: a first plan, then a moment to pack it early (a left-justified group
    leaves the most room to the groups after it)."""
    ctx = ctx_factory()
    first = cp_model.CpSolver()
    first.parameters.max_time_in_seconds = max(0.2, 0.7 * seconds)
    first.parameters.num_workers = workers
    first.parameters.random_seed = seed
    first.parameters.cp_model_presolve = False
    first.parameters.stop_after_first_solution = True
    status = first.Solve(ctx.model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return ctx, first, status
    ends = [p.end for phases in ctx.phases.values() for p in phases]
    ctx.model.Minimize(sum(ends) + sum(s.weight * s.var for s in ctx.slacks))
    for i in range(len(ctx.model.Proto().variables)):
        var = ctx.model.GetIntVarFromProtoIndex(i)
        ctx.model.AddHint(var, first.Value(var))
    packed = cp_model.CpSolver()
    packed.parameters.max_time_in_seconds = min(PACK_SECONDS, max(0.2, 0.3 * seconds))
    packed.parameters.num_workers = workers
    packed.parameters.random_seed = seed
    again = packed.Solve(ctx.model)
    if again in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return ctx, packed, again
    return ctx, first, status


PACK_SECONDS = 2.0
STRICT_SECONDS = 8.0


def construct(
    scenario: Scenario,
    pupil_ids: list[str],
    weights: Weights,
    *,
    deadline: float,
    seed: int = 0,
    workers: int = 2,
    pins: list[Pin] | None = None,
    hints: list[PhaseHint] | None = None,
    taken: dict[str, list[int]] | None = None,
) -> tuple[list[PhaseHint], bool]:
    """Hints for the pupils of the part, planned group by group, and whether they are a plan.

    A group that does not fit next to the earlier ones is planned relaxed (over capacity where
    it must): the hints are then not a plan, and :func:`repair` has to make them one."""
    n_weeks = solver_data(scenario, pupil_ids[:1]).weeks.n
    held_by_others = taken or {}
    taken = defaultdict(lambda: [0] * n_weeks)
    for party, row in held_by_others.items():
        taken[party] = list(row)
    result: list[PhaseHint] = []
    complete = True
    groups = _groups(scenario, pupil_ids)
    users = _centre_users(scenario, groups)
    for i, group in enumerate(groups):
        left = deadline - time.perf_counter()
        if left <= 0.2:
            break
        members = set(group)
        data = solver_data(scenario, group)
        held = _held_back(scenario, users, i, taken, n_weeks)

        def make(relax: bool, data=data, members=members, held=held):
            ctx = build_model(
                data,
                weights,
                relax=relax,
                pins=[p for p in pins or [] if p.pupil in members],
                hints=[h for h in hints or [] if h.pupil in members],
                reserved=held,
                symmetry=False,
            )
            ctx.model.ClearObjective()
            return ctx

        # a group that does not fit next to the others is rarely proven so: try briefly, then
        # plan it relaxed and let the repair make room
        seconds = min(STRICT_SECONDS, left / (len(groups) - i))
        ctx, solver, status = _solve_step(lambda: make(False), seconds, seed, workers)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            complete = False
            ctx, solver, status = _solve_step(lambda: make(True), seconds, seed, workers)
            if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
                continue
        for pupil in data.pupils:
            for phase in ctx.phases[pupil.id]:
                start, end = solver.Value(phase.start), solver.Value(phase.end)
                option = phase.chosen(solver).option
                result.append(
                    PhaseHint(
                        pupil.id, phase.spec.key, start, end - start, option.place, option.mentor
                    )
                )
                for t in range(start, min(end, n_weeks)):
                    if option.kind in ("company", "centre"):
                        taken[f"{option.kind}:{option.place}"][t] += 1
                    if option.mentor:
                        taken[f"mentor:{option.mentor}"][t] += 1
                if phase.spec.kind == "company" and 0 < end <= n_weeks:
                    taken[f"school:{pupil.school_id}"][end - 1] += 1
    planned = {h.pupil for h in result}
    return result, complete and planned == set(pupil_ids)


def repair(
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
    """Turn hints that break some capacities into a plan: the relaxed model of the whole part,
    started from the hints, minimises the slack it needs until none is left."""
    from scheduler.solver.extract import extract

    data = solver_data(scenario, pupil_ids)
    ctx = build_model(data, weights, relax=True, pins=pins, hints=hints, symmetry=False)
    penalty = sum(s.weight * s.var for s in ctx.slacks)

    class _StopAtZero(cp_model.CpSolverSolutionCallback):
        def on_solution_callback(self) -> None:
            if self.ObjectiveValue() <= 0:
                self.StopSearch()

    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.5, deadline - time.perf_counter())
    solver.parameters.num_workers = workers
    solver.parameters.random_seed = seed
    status = solver.Solve(ctx.model, _StopAtZero())
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE) or solver.Value(penalty) > 0:
        return None
    return extract(ctx, solver)[1]
