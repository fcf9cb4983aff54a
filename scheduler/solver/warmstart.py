"""Starting from an existing plan: hints, frozen weeks and the least-disruption objective.

A re-plan (what-if) starts from the plan everyone already has in their calendar:

- :func:`hints_from_plan` turns the plan's phase blocks into CP-SAT hints;
- :func:`pins_from_plan` freezes every pupil-week before a date exactly as it was (the past
  does not change) and adds a planner's own pins;
- the re-plan then minimises how far the new plan moves from the old one before anything else
  (:func:`scheduler.solver.objectives.perturbation_term`).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from ortools.sat.python import cp_model

from scheduler.model.programme import OAO_THRESHOLD_HOURS
from scheduler.model.scenario import Scenario
from scheduler.plan import Assignment, Plan
from scheduler.solver.builder import build_model
from scheduler.solver.constraints import young_worker_problems
from scheduler.solver.context import PhaseHint, Pin
from scheduler.solver.data import HUNDRED, SolverData, weekline
from scheduler.solver.usage import usage
from scheduler.solver.weekly.domains import Domains, build_domains, capacity_rows


def _key(a: Assignment) -> str | None:
    if a.phase == "school":
        return None
    if a.phase == "experience":
        return "experience"
    return f"{a.module}:{a.phase}"


def hints_from_plan(scenario: Scenario, plan: Plan) -> list[PhaseHint]:
    """One hint per phase block of every pupil in the plan (pupils unknown to the scenario and
    weeks outside the school year are ignored)."""
    weeks = weekline(scenario)
    per: dict[tuple[str, str], list[tuple[int, Assignment]]] = defaultdict(list)
    for a in plan.assignments:
        key = _key(a)
        t = weeks.index_of(a.week)
        if key is None or t is None or a.pupil not in scenario.pupil_by_id:
            continue
        per[(a.pupil, key)].append((t, a))
    hints = []
    for (pupil, key), items in per.items():
        items.sort(key=lambda x: x[0])
        first, last = items[0][0], items[-1][0]
        a = items[0][1]
        hints.append(PhaseHint(pupil, key, first, last - first + 1, a.place.id, a.mentor))
    return hints


def pins_from_plan(
    scenario: Scenario, plan: Plan, before: dt.date | None, extra: list[Pin] | None = None
) -> list[Pin]:
    """Pins that keep every pupil-week before ``before`` as in ``plan`` (nothing when ``before``
    is None), plus the ``extra`` pins of a planner."""
    weeks = weekline(scenario)
    pins: list[Pin] = []
    if before is not None:
        for a in plan.assignments:
            if a.week >= before or a.pupil not in scenario.pupil_by_id or a.absent:
                continue
            t = weeks.index_of(a.week)
            if t is None:
                continue
            key = _key(a)
            pins.append(
                Pin(
                    a.pupil,
                    t,
                    key,
                    place=a.place.id if key else None,
                    mentor=a.mentor if key else None,
                )
            )
    return pins + list(extra or [])


def pupils_stuck(
    scenario: Scenario,
    pins: list[Pin],
    *,
    pupils: list[str] | None = None,
    time_limit: float = 1.0,
) -> list[str]:
    """Pupils who have no plan even on their own with their pins (e.g. the frozen weeks of a
    re-plan): each one alone proves a scenario impossible. A pupil whose check runs out of time
    is not listed. ``pupils`` limits the check (all pupils when None)."""
    from scheduler.solver.data import solver_data
    from scheduler.solver.params import make_solver

    wanted = set(pupils) if pupils is not None else None
    out = []
    for pupil in scenario.pupils:
        if wanted is not None and pupil.id not in wanted:
            continue
        data = solver_data(scenario, [pupil.id])
        own = [p for p in pins if p.pupil == pupil.id]
        ctx = build_model(data, scenario.settings.weights, pins=own)
        ctx.model.ClearObjective()
        solver = make_solver(time_limit, 0, 1)
        solver.parameters.stop_after_first_solution = True
        if solver.Solve(ctx.model) == cp_model.INFEASIBLE:
            out.append(pupil.id)
    return out


def baseline_breaks(
    data: SolverData,
    hints: list[PhaseHint],
    pins: list[Pin] | None,
    domains: Domains | None = None,
) -> set[str]:
    """The pupils whose baseline phases are no longer a plan of the part: a phase without a
    hint, or not one of the placements the weekly model allows (closures, absences, pins,
    places, lengths), out of order, a class's theory not shared, a contract's hours missed,
    or a place and week over capacity (every pupil there then counts). A re-plan keeps every
    other pupil exactly as they are."""
    by_key = {(h.pupil, h.phase_key): h for h in hints}
    domains = domains if domains is not None else build_domains(data, None, pins)
    broken: set[str] = set()
    theory_of: dict[str, tuple[int, int]] = {}
    for pupil in data.pupils:
        if young_worker_problems(pupil):
            broken.add(pupil.id)
            continue
        end = -1
        covered: dict[int, int] = {}
        for domain in domains.by_pupil[pupil.id]:
            hint = by_key.get((pupil.id, domain.key))
            if hint is None or hint.start < end:
                broken.add(pupil.id)
                break
            allowed = {
                (p.start, p.size, p.option.place if p.option else None,
                 p.option.mentor if p.option else None)
                for p in domain.placements
            }  # fmt: skip
            place = None if domain.class_id is not None else hint.place
            mentor = None if domain.class_id is not None else hint.mentor
            if (hint.start, hint.size, place, mentor) not in allowed:
                broken.add(pupil.id)
            if domain.class_id is not None:
                shared = theory_of.setdefault(domain.name, (hint.start, hint.size))
                if shared != (hint.start, hint.size):
                    broken.update(p.id for p in domain.pupils)
            end = hint.start + hint.size
            for t in range(hint.start, end):
                covered[t] = domain.spec.wp100
        units = sum(
            (covered[t] if t in covered else pupil.ordinary_wp100[t]) * d
            for t, d in enumerate(pupil.days)
        )
        need = OAO_THRESHOLD_HOURS * HUNDRED * pupil.total_days
        if pupil.total_days and (units < need if pupil.contract == "oao" else units >= need):
            broken.add(pupil.id)
    rows = capacity_rows(data, None)
    over = {
        (party, t)
        for party, row in usage(data.scenario, hints, data.weeks.n).items()
        if (limit := rows.get(party)) is not None
        for t, (v, c) in enumerate(zip(row, limit, strict=True))
        if v > c
    }
    if over:
        for h in hints:
            kind = h.phase_key.rpartition(":")[2]
            parties = []
            if kind in ("company", "experience"):
                parties = [f"company:{h.place}", f"mentor:{h.mentor}"]
            elif kind == "simulated":
                parties = [f"centre:{h.place}"]
            weeks = range(h.start, h.start + h.size)
            if any((q, t) in over for q in parties for t in weeks):
                broken.add(h.pupil)
            school = data.pupil(h.pupil).school_id if kind == "company" else None
            if school and (f"school:{school}", h.start + h.size - 1) in over:
                broken.add(h.pupil)
    return broken


def baseline_holds(
    data: SolverData,
    hints: list[PhaseHint],
    pins: list[Pin] | None,
    domains: Domains | None = None,
) -> bool:
    """Whether the baseline's phases are still a plan of the part, unchanged (``domains``:
    the part's placements with the pins, when already built)."""
    return not baseline_breaks(data, hints, pins, domains)
