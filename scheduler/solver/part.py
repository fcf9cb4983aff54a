"""Solving one independent part (in practice: the region of a training centre).

1. **A first plan** (:mod:`scheduler.solver.first_plan`): the greedy, CP-SAT for the classes it
   cannot place. Complete ``hints`` (a plan found before) skip this step.
2. **Better plans**, by the part's size:
   - small parts (up to :data:`WEEKLY_WHOLE_UP_TO` pupils): the whole weekly model, hinted
     with the first plan, until it is proven optimal (its linear relaxation is strong);
   - middle-sized parts (up to :data:`WHOLE_MODEL_UP_TO`): a round of neighbourhoods (each
     class planned again around the others), then the whole interval model, hinted with the
     best plan so far (measured on 50-pupil regions: CP-SAT's own neighbourhood search on the
     interval model improves a plan faster than on the weekly model, 796 against 1042 from
     the same start in 60 s);
   - large parts: neighbourhood search (:mod:`scheduler.solver.lns`) until the time is up.
3. **A lower bound**: CP-SAT's bound where the whole part was modelled, the aggregate bound of
   :mod:`scheduler.solver.bounds`, whichever is higher; the plan is *optimal* when it meets it.

Re-plans (a ``baseline``) minimise the changed pupil-weeks first, then the objective: a
baseline that still obeys every rule is kept; otherwise the classes it breaks are planned again
with the weekly model around the others; when that has no plan (and for planner pins without a
baseline), the whole part's interval model re-plans.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from scheduler.model.scenario import Scenario, Weights
from scheduler.plan import Assignment, ExplanationItem, PlanStatus
from scheduler.solver.bounds import aggregate_bound
from scheduler.solver.builder import build_model
from scheduler.solver.context import ModelContext, PhaseHint, Pin
from scheduler.solver.data import UNITS_PER_HOUR, SolverData, solver_data
from scheduler.solver.evaluate import objective_terms
from scheduler.solver.extract import assignments_from_hints, extract
from scheduler.solver.first_plan import first_plan
from scheduler.solver.hinting import hint_solution, is_whole_plan
from scheduler.solver.lns import improve
from scheduler.solver.objectives import term_values
from scheduler.solver.params import make_solver, make_weekly_solver
from scheduler.solver.run import run
from scheduler.solver.usage import loads_only, usage
from scheduler.solver.warmstart import baseline_breaks, baseline_holds
from scheduler.solver.weekly.domains import Domains, build_domains
from scheduler.solver.weekly.model import build_weekly
from scheduler.solver.weekly.relaxation import relaxation_bound

WEEKLY_WHOLE_UP_TO = 30
"""Parts up to this many pupils are improved (and proven optimal) by the whole weekly model."""

RELAXATION_UP_TO = 80
"""Parts up to this many pupils get the linear relaxation of the weekly model as a bound."""

RELAXATION_SECONDS = 15.0
"""At most this long for that relaxation."""

CHANGE_PRICE = 10**6 * UNITS_PER_HOUR
"""What a changed pupil-week costs in a re-plan: more than any plan's objective, so the fewest
changes come first."""

WHOLE_MODEL_UP_TO = 120
"""Parts up to this many pupils are improved by the whole interval model after a round of
neighbourhoods; larger ones only by neighbourhoods."""

Report = Callable[[float, float | None, float | None], None]
"""Hears (elapsed seconds, objective, bound) of every better plan."""


@dataclass
class PartResult:
    """The outcome of one part."""

    pupils: list[str]
    status: PlanStatus
    objective: float | None
    bound: float | None
    seconds: float
    assignments: list[Assignment] = field(default_factory=list)
    hints: list[PhaseHint] = field(default_factory=list)
    terms: dict[str, float] = field(default_factory=dict)
    explanation: list[ExplanationItem] = field(default_factory=list)
    proposal: bool = False
    lower_bound: float | None = None
    first_plan_seconds: float | None = None
    steps: list[str] = field(default_factory=list)


def result_from_hints(
    data: SolverData,
    weights: Weights,
    hints: list[PhaseHint],
    started: float,
    status: PlanStatus = "feasible",
    bound: float | None = None,
) -> PartResult:
    """A part's result from complete phases: the objective counted directly
    (:func:`scheduler.solver.evaluate.objective_terms`, the model's own definitions)."""
    objective, terms = objective_terms(data, weights, hints)
    result = PartResult(
        [p.id for p in data.pupils], status, objective, bound, time.perf_counter() - started
    )
    result.assignments = assignments_from_hints(data, hints)
    result.hints = hints
    result.terms = terms
    return result


class _Reporter(cp_model.CpSolverSolutionCallback):
    """Reports every improving solution of a CP-SAT run; stops at a known lower bound."""

    def __init__(self, report: Report, started: float, bound: float | None = None):
        super().__init__()
        self._report = report
        self._started = started
        self.bound = bound

    def on_solution_callback(self) -> None:
        objective = self.ObjectiveValue() / UNITS_PER_HOUR
        bound = self.BestObjectiveBound() / UNITS_PER_HOUR
        if self.bound is not None:
            bound = max(bound, self.bound)
        self._report(time.perf_counter() - self._started, objective, bound)
        if self.bound is not None and objective <= self.bound + 1e-9:
            self.StopSearch()


def solve_part(
    scenario: Scenario,
    pupil_ids: list[str],
    weights: Weights,
    *,
    time_limit: float,
    seed: int = 0,
    workers: int = 2,
    pins: list[Pin] | None = None,
    hints: list[PhaseHint] | None = None,
    progress: Report | None = None,
    cancel: threading.Event | None = None,
    baseline: list[PhaseHint] | None = None,
    first_only: bool = False,
) -> PartResult:
    """Solve one independent part (see the module text). ``first_only`` stops at the first
    plan. Never raises on an impossible part: the result says ``infeasible`` (the caller
    explains it) or ``unknown`` (no plan in time)."""
    started = time.perf_counter()
    deadline = started + time_limit
    data = solver_data(scenario, pupil_ids)

    reported: list[float] = []

    def report(elapsed: float, objective: float | None, bound: float | None) -> None:
        # a model's own first solution can be worse than the plan it was hinted with: the
        # planner hears only of better plans
        if objective is not None and reported and objective > reported[-1]:
            return
        if objective is not None:
            reported.append(objective)
        if progress is not None:
            progress(elapsed, objective, bound)

    # a re-plan keeps what still holds and re-plans only what breaks, also in the first
    # round of a multi-part solve: planning every region anew would take the whole time
    # built once: the check, the bound and the re-plan of a large region all need them
    domains = build_domains(data, None, pins) if baseline is not None or pins else None
    if baseline is not None and baseline_holds(data, baseline, pins, domains):
        # nothing that concerns this part changed: its plan stays exactly as it is
        result = result_from_hints(data, weights, baseline, started)
        result.steps = ["baseline kept"]
        return _with_bound(result, _bound_only(data, weights, domains), [])
    if domains is not None and not all(d.placements for d in domains.all()):
        # some phase has no week and place left at all, whatever the others do (the frozen
        # weeks of a re-plan, a pin): no plan exists, the explanation says why
        result = PartResult(pupil_ids, "infeasible", None, None, time.perf_counter() - started)
        result.steps = ["no placement"]
        return result
    if baseline is not None:
        around = _replan_around(
            data, weights, baseline, pins, started, deadline, seed, workers, report, cancel,
            domains,
        )  # fmt: skip
        if around is not None:
            return around
    if baseline is not None or pins:
        return _solve_interval(
            data, weights, started, deadline, seed, workers, pins, hints, report, cancel,
            baseline, first_only,
        )  # fmt: skip
    first_seconds: float | None = None
    steps: list[str] = []
    if not is_whole_plan(data, hints):
        plan = first_plan(
            data, weights, deadline=deadline, seed=seed, workers=workers, cancel=cancel
        )
        steps = plan.steps
        if plan.hints is None:
            status: PlanStatus = "infeasible" if plan.status == "infeasible" else "unknown"
            result = PartResult(pupil_ids, status, None, None, time.perf_counter() - started)
            result.steps = steps
            return result
        hints = plan.hints
        first_seconds = time.perf_counter() - started
        first = result_from_hints(data, weights, hints, started)
        first.first_plan_seconds = first_seconds
        first.steps = steps
        report(first_seconds, first.objective, None)
        if first_only or _cancelled(cancel):
            return first
    assert hints is not None
    if first_only:
        # a complete plan given (hints): that is the first plan
        result = result_from_hints(data, weights, hints, started)
        result.first_plan_seconds = result.seconds
        result.steps = ["given"]
        return result
    result = _better(data, weights, hints, started, deadline, seed, workers, report, cancel)
    result.first_plan_seconds = first_seconds
    result.steps = steps + result.steps
    return result


def _better(
    data: SolverData,
    weights: Weights,
    hints: list[PhaseHint],
    started: float,
    deadline: float,
    seed: int,
    workers: int,
    report: Report,
    cancel: threading.Event | None,
) -> PartResult:
    """Better plans from a complete one, by the part's size (see the module text), and the
    best lower bound known."""
    n = len(data.pupils)
    aggregate = aggregate_bound(data, weights)
    known = aggregate.value if aggregate.complete else 0.0
    steps = []
    if n <= RELAXATION_UP_TO:
        left = deadline - time.perf_counter()
        relaxed = relaxation_bound(data, weights, min(RELAXATION_SECONDS, 0.2 * left))
        steps.append(f"lp:{relaxed}")
        if relaxed is not None:
            known = max(known, relaxed)
    if n <= WEEKLY_WHOLE_UP_TO or len(data.classes) == 1:
        result = _whole_weekly(
            data, weights, hints, started, deadline, seed, workers, report, cancel, known
        )  # fmt: skip
        if result is None:
            result = result_from_hints(data, weights, hints, started)
        return _with_bound(result, known, steps)

    def better(objective: float) -> None:
        report(time.perf_counter() - started, objective, known)

    if n <= WHOLE_MODEL_UP_TO:
        # a round of neighbourhoods first (cheap, big steps), then CP-SAT on the whole part
        left = deadline - time.perf_counter()
        search = improve(
            data, weights, hints, deadline=time.perf_counter() + 0.35 * left, seed=seed,
            workers=workers, on_better=better, cancel=cancel, started=started, rounds=1,
        )  # fmt: skip
        hints = search.all_hints()
        steps.append(f"lns:{search.tried}:{search.improved}")
        whole = _improve_interval(
            data, weights, hints, started, deadline, seed, workers, report, cancel, known,
        )  # fmt: skip
        if (
            whole is not None
            and whole.objective is not None
            and (whole.objective <= search.objective + 1e-9)
        ):
            return _with_bound(whole, known, [*steps, "interval"])
        result = result_from_hints(data, weights, hints, started)
        if whole is not None and whole.bound is not None:
            known = max(known, whole.bound)
        return _with_bound(result, known, steps)
    search = improve(
        data, weights, hints, deadline=deadline, seed=seed, workers=workers,
        on_better=better, cancel=cancel, started=started,
    )  # fmt: skip
    result = result_from_hints(data, weights, search.all_hints(), started)
    return _with_bound(result, known, [*steps, f"lns:{search.tried}:{search.improved}"])


def _bound_only(data: SolverData, weights: Weights, domains: Domains | None = None) -> float:
    aggregate = aggregate_bound(data, weights, domains)
    return aggregate.value if aggregate.complete else 0.0


def _with_bound(result: PartResult, known: float, steps: list[str]) -> PartResult:
    """The result with the best bound known; optimal when its plan meets that bound."""
    bound = max(known, result.bound or 0.0)
    if result.objective is not None and result.objective <= bound + 1e-6:
        result.status, bound = "optimal", result.objective
    result.bound = bound
    result.lower_bound = known
    result.steps = steps + result.steps
    return result


def _whole_weekly(
    data: SolverData,
    weights: Weights,
    hints: list[PhaseHint],
    started: float,
    deadline: float,
    seed: int,
    workers: int,
    report: Report,
    cancel: threading.Event | None,
    known: float | None = None,
) -> PartResult | None:
    """The whole weekly model from a plan, until proven optimal, a plan that meets the
    ``known`` lower bound, or the deadline."""
    wm = build_weekly(data, weights, hints=hints)
    solver = make_weekly_solver(max(0.1, deadline - time.perf_counter()), seed, workers)
    status = run(solver, wm.model, _Reporter(report, started, known), cancel)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    found = wm.phases(solver)
    bound = solver.BestObjectiveBound() / UNITS_PER_HOUR
    result = result_from_hints(
        data, weights, found, started, "optimal" if status == cp_model.OPTIMAL else "feasible",
    )  # fmt: skip
    result.bound = result.objective if status == cp_model.OPTIMAL else bound
    result.steps = ["weekly"]
    return result


def _improve_interval(
    data: SolverData,
    weights: Weights,
    hints: list[PhaseHint],
    started: float,
    deadline: float,
    seed: int,
    workers: int,
    report: Report,
    cancel: threading.Event | None,
    known: float | None = None,
) -> PartResult | None:
    """The whole interval model from a complete plan, until the deadline, proven optimality
    or a plan that meets the ``known`` lower bound; None when no plan came in time."""
    ctx = build_model(data, weights, hints=hints)
    solver = make_solver(max(0.1, deadline - time.perf_counter()), seed, workers)
    status = run(solver, ctx.model, _Reporter(report, started, known), cancel)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    return _from_interval(ctx, solver, status, data, started, known)


def _from_interval(
    ctx: ModelContext,
    solver: cp_model.CpSolver,
    status: int,
    data: SolverData,
    started: float,
    aggregate: float | None,
    changes_proven: bool = True,
) -> PartResult:
    objective = solver.ObjectiveValue() / UNITS_PER_HOUR
    cp_bound = solver.BestObjectiveBound() / UNITS_PER_HOUR
    best_bound = max(b for b in (cp_bound, aggregate, 0.0) if b is not None)
    proven = changes_proven and (status == cp_model.OPTIMAL or objective <= best_bound + 1e-9)
    result = PartResult(
        [p.id for p in data.pupils], "optimal" if proven else "feasible", objective,
        objective if proven else best_bound, time.perf_counter() - started,
    )  # fmt: skip
    result.assignments, result.hints = extract(ctx, solver)
    result.terms = term_values(ctx, solver)
    result.lower_bound = aggregate
    return result


def _replan_around(
    data: SolverData,
    weights: Weights,
    baseline: list[PhaseHint],
    pins: list[Pin] | None,
    started: float,
    deadline: float,
    seed: int,
    workers: int,
    report: Report,
    cancel: threading.Event | None,
    domains: Domains | None = None,
) -> PartResult | None:
    """A re-plan of only the classes whose baseline the change breaks, everyone else exactly
    as before (their places are reservations): the weekly model with the changed pupil-weeks
    counted exactly, fewest changes first, then the objective. None when that has no plan in
    time (the whole part is then re-planned)."""
    scenario = data.scenario
    broken = baseline_breaks(data, baseline, pins, domains)
    classes = sorted({data.pupil(p).class_id for p in broken})
    pupils = [p for c in classes for p in data.classes[c].pupils]
    if not pupils or len(pupils) == len(data.pupils):
        return None
    members = set(pupils)
    others = [h for h in baseline if h.pupil not in members]
    mine = [h for h in baseline if h.pupil in members]
    reserved = usage(scenario, others, data.weeks.n)
    wm = build_weekly(
        solver_data(scenario, pupils), weights, reserved=reserved, base=loads_only(reserved),
        pins=[p for p in pins or [] if p.pupil in members], baseline=mine, hints=mine,
    )  # fmt: skip
    if not wm.feasible_by_domains:
        return None
    wm.model.Minimize(CHANGE_PRICE * wm.terms["changes"] + wm.objective)
    solver = make_weekly_solver(max(0.1, 0.5 * (deadline - time.perf_counter())), seed, workers)
    status = run(solver, wm.model, None, cancel)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    hints = others + wm.phases(solver)
    result = result_from_hints(data, weights, hints, started)
    report(time.perf_counter() - started, result.objective, None)
    return _with_bound(result, _bound_only(data, weights, domains), [f"replan:{len(pupils)}"])


def _solve_interval(
    data: SolverData,
    weights: Weights,
    started: float,
    deadline: float,
    seed: int,
    workers: int,
    pins: list[Pin] | None,
    hints: list[PhaseHint] | None,
    report: Report,
    cancel: threading.Event | None,
    baseline: list[PhaseHint] | None,
    first_only: bool,
) -> PartResult:
    """A re-plan or a plan with pins: the whole interval model, a first plan (without the
    objective), then the fewest changes from the baseline, then the best plan with those."""
    pupil_ids = [p.id for p in data.pupils]
    time_limit = deadline - started
    ctx = build_model(data, weights, pins=pins, hints=hints, baseline=baseline)
    ctx.model.ClearObjective()
    budget = max(0.5, min(deadline - time.perf_counter(), 0.5 * time_limit))
    first = make_solver(budget, seed, workers)
    first.parameters.cp_model_presolve = False
    first.parameters.stop_after_first_solution = True
    status = run(first, ctx.model, None, cancel)
    ctx.model.Minimize(ctx.objective)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        name: PlanStatus = "infeasible" if status == cp_model.INFEASIBLE else "unknown"
        if name == "unknown" and time.perf_counter() < deadline - 0.5 and not _cancelled(cancel):
            # no plan yet: try once more with the full solver for the time left
            again = make_solver(deadline - time.perf_counter(), seed, workers)
            again.parameters.stop_after_first_solution = True
            status = run(again, ctx.model, None, cancel)
            if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
                first = again
            else:
                name = "infeasible" if status == cp_model.INFEASIBLE else "unknown"
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return PartResult(pupil_ids, name, None, None, time.perf_counter() - started)
    report(time.perf_counter() - started, first.Value(ctx.objective) / UNITS_PER_HOUR, None)
    if first_only:
        result = PartResult(
            pupil_ids, "feasible", first.Value(ctx.objective) / UNITS_PER_HOUR, None,
            time.perf_counter() - started,
        )  # fmt: skip
        result.assignments, result.hints = extract(ctx, first)
        result.terms = term_values(ctx, first)
        result.first_plan_seconds = result.seconds
        return result
    changes_proven = True
    if baseline is not None:
        first, changes_proven = _least_changes(ctx, first, deadline, seed, workers, cancel)
    hint_solution(ctx.model, first)
    bound = aggregate_bound(data, weights)
    aggregate = bound.value if bound.complete else None
    solver = make_solver(max(0.1, deadline - time.perf_counter()), seed, workers)
    status = run(solver, ctx.model, _Reporter(report, started, aggregate), cancel)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        solver, status = first, cp_model.FEASIBLE  # no time left to improve: keep the first plan
    return _from_interval(ctx, solver, status, data, started, aggregate, changes_proven)


def _least_changes(
    ctx: ModelContext,
    first: cp_model.CpSolver,
    deadline: float,
    seed: int,
    workers: int,
    cancel: threading.Event | None,
) -> tuple[cp_model.CpSolver, bool]:
    """Minimise the changes from the baseline (half the time left), then keep them at that
    number for the rest of the solve. Returns the solver holding the best plan so far and
    whether the number of changes is proven minimal."""
    changes = ctx.terms["changes"]
    ctx.model.Minimize(changes)
    hint_solution(ctx.model, first)
    budget = max(0.5, 0.5 * (deadline - time.perf_counter()))
    stage = make_solver(budget, seed, workers)
    status = run(stage, ctx.model, None, cancel)
    ctx.model.Minimize(ctx.objective)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return first, False
    ctx.model.Add(changes <= int(stage.Value(changes)))
    return stage, status == cp_model.OPTIMAL


def _cancelled(cancel: threading.Event | None) -> bool:
    return cancel is not None and cancel.is_set()
