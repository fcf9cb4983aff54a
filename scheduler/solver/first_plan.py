"""A part's first plan: the greedy, and CP-SAT for what the greedy could not place.

1. The greedy (:mod:`scheduler.solver.greedy`) places the classes in milliseconds.
2. A class it cannot place is planned by CP-SAT at that moment, exactly, around the places the
   classes before it hold (the *rescue*: a small model, one class); when even that has no
   plan, together with the class placed before that holds most of the places it needs.
3. When that still leaves a class out, or the part is small, the whole part is planned by
   CP-SAT, hinted with the greedy's classes (they may have to give way).

Measured on a 50-pupil region whose OAO pupils have no hour to spare: the greedy leaves one
class out; one class around the others has no plan (proven in 0.1 s), one class with one other
took up to 17 s, the whole region 2-3 s with presolve. The rescues use the interval model with
presolve (a class: 0.15 s against 0.5 s for the weekly model). The whole part uses the interval
model too when the part is small (up to :data:`WHOLE_FIRST_UP_TO` pupils; medians of 2 runs,
2 cores: the EMT example 0.33 s against 0.93 s for the weekly model with presolve, generated
50-pupil regions 3.0 s against 8.8 s and 1.6 s against 3.1 s), the weekly model with presolve
for larger parts, which get there only after the rescues (on 95-100 pupil regions the weekly
model was the faster one, 5.6-6.1 s against 11-23 s; 14 s without presolve).

Each step's plan obeys every rule: the models check the greedy's phases as hints, and the
independent validator checks the finished plan.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from scheduler.model.scenario import Weights
from scheduler.solver.builder import build_model
from scheduler.solver.context import PhaseHint
from scheduler.solver.data import SolverData, solver_data
from scheduler.solver.extract import phases_of
from scheduler.solver.greedy import GreedyResult, greedy
from scheduler.solver.params import make_solver, make_weekly_solver
from scheduler.solver.run import run
from scheduler.solver.usage import Usage, combined, loads_only, usage
from scheduler.solver.weekly.domains import capacity_rows
from scheduler.solver.weekly.model import build_weekly

RESCUE_SECONDS = 3.0
"""At most this long for one rescue (a first plan only; the improvement comes later)."""

MIN_SECONDS = 0.1
"""A CP-SAT step is not started with less time than this left."""

ESCALATE = 2
"""How many classes placed before a class that does not fit may be planned again with it."""

WHOLE_FIRST_UP_TO = 60
"""A part this small goes to the whole-part model as soon as the greedy leaves a class out
(every class of it shares the same centre: rescuing them one by one cost more)."""


@dataclass
class FirstPlan:
    """A part's first plan (``hints``: every phase of every pupil), or None with the status
    that says why there is none."""

    hints: list[PhaseHint] | None
    status: str
    greedy: GreedyResult
    seconds: float = 0.0
    steps: list[str] = field(default_factory=list)


def _status(code: int) -> str:
    if code in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return "feasible"
    return "infeasible" if code == cp_model.INFEASIBLE else "unknown"


def rescue_class(
    data: SolverData,
    weights: Weights,
    *,
    reserved: Usage | None,
    hints: list[PhaseHint] | None,
    seconds: float,
    seed: int,
    workers: int,
    cancel: threading.Event | None = None,
) -> tuple[str, list[PhaseHint] | None]:
    """A first plan of a few classes around the places others hold: the interval model with
    presolve, its objective left out (status and phases)."""
    ctx = build_model(data, weights, reserved=reserved, hints=hints)
    ctx.model.ClearObjective()
    solver = make_solver(seconds, seed, workers)
    solver.parameters.stop_after_first_solution = True
    code = run(solver, ctx.model, cancel=cancel)
    status = _status(code)
    return status, phases_of(ctx, solver) if status == "feasible" else None


def whole_part(
    data: SolverData,
    weights: Weights,
    *,
    reserved: Usage | None,
    hints: list[PhaseHint] | None,
    seconds: float,
    seed: int,
    workers: int,
    cancel: threading.Event | None = None,
    interval: bool = False,
) -> tuple[str, list[PhaseHint] | None]:
    """A first plan of the whole part without objective: the weekly model with presolve, or
    with ``interval`` the interval model (faster on small parts, see the module text)."""
    if interval:
        return rescue_class(
            data, weights, reserved=reserved, hints=hints, seconds=seconds, seed=seed,
            workers=workers, cancel=cancel,
        )  # fmt: skip
    wm = build_weekly(
        data, weights, reserved=reserved, base=loads_only(reserved or {}), hints=hints
    )
    if not wm.feasible_by_domains:
        return "infeasible", None
    wm.model.ClearObjective()
    solver = make_weekly_solver(seconds, seed, workers)
    solver.parameters.cp_model_presolve = True
    solver.parameters.stop_after_first_solution = True
    code = run(solver, wm.model, cancel=cancel)
    status = _status(code)
    return status, wm.phases(solver) if status == "feasible" else None


def first_plan(
    data: SolverData,
    weights: Weights,
    *,
    deadline: float,
    seed: int = 0,
    workers: int = 2,
    taken: Usage | None = None,
    cancel: threading.Event | None = None,
) -> FirstPlan:
    """The first plan of a part (see the module text). ``taken``: places held by pupils
    outside the part (none for an independent part)."""
    started = time.perf_counter()
    scenario = data.scenario
    n = data.weeks.n
    plan = FirstPlan(None, "unknown", GreedyResult(), steps=["greedy"])
    small = len(data.pupils) <= WHOLE_FIRST_UP_TO

    def attempt(who: list[str], reserved: Usage | None, hints: list[PhaseHint] | None):
        left = deadline - time.perf_counter()
        if left <= MIN_SECONDS:
            return "unknown", None
        status, found = rescue_class(
            solver_data(scenario, who), weights, reserved=reserved, hints=hints,
            seconds=max(MIN_SECONDS, min(RESCUE_SECONDS, 0.25 * left)), seed=seed,
            workers=workers, cancel=cancel,
        )  # fmt: skip
        plan.steps.append(f"rescue:{len(who)}:{status}")
        return status, found

    def rescue(
        pupils: list[str], used: Usage, movable: dict[str, list[PhaseHint]]
    ) -> list[PhaseHint] | None:
        status, hints = attempt(pupils, used, None)
        if hints is not None or status != "infeasible" or not movable:
            return hints
        # the places it needs are taken: plan it together with the class that holds most of
        # them (seen: a class that fits as soon as any one of four others moves)
        status, alone = attempt(pupils, taken, None)
        if alone is None:
            return None
        full = capacity_rows(data, None)
        mine = usage(scenario, alone, n)
        over = {
            (party, t)
            for party, row in mine.items()
            for t, v in enumerate(row)
            if v and used.get(party, [0] * n)[t] + v > full.get(party, [0] * n)[t]
        }
        scores = []
        for other, phases in movable.items():
            theirs = usage(scenario, phases, n)
            score = sum(theirs.get(party, [0] * n)[t] for party, t in over)
            if score:
                scores.append((-score, other))
        for _, other in sorted(scores)[:ESCALATE]:
            phases = movable[other]
            freed = {k: [-v for v in row] for k, row in usage(scenario, phases, n).items()}
            who = pupils + sorted({h.pupil for h in phases})
            status, hints = attempt(who, combined(used, freed), alone + phases)
            if hints is not None:
                return hints
        return None

    result = greedy(
        data, scenario.settings.oao_margin_hours, taken=taken, rescue=None if small else rescue
    )
    plan.greedy = result
    if not result.unplaced:
        plan.hints, plan.status = result.hints, "feasible"
        plan.seconds = time.perf_counter() - started
        return plan
    # the whole part, the greedy's classes as hints (they may have to give way)
    left = deadline - time.perf_counter()
    if left <= MIN_SECONDS:
        plan.seconds = time.perf_counter() - started
        return plan  # no time left: no plan (status unknown)
    status, hints = whole_part(
        data, weights, reserved=taken, hints=result.hints, seconds=left, seed=seed,
        workers=workers, cancel=cancel, interval=small,
    )  # fmt: skip
    plan.steps.append(f"whole:{len(data.pupils)}:{'interval' if small else 'weekly'}:{status}")
    plan.hints, plan.status = hints, status
    plan.seconds = time.perf_counter() - started
    return plan
