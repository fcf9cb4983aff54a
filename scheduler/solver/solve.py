"""Solving a scenario: split it into independent parts, solve each with CP-SAT, assemble the plan.

A part is a group of pupils that shares no class, school, company, mentor or centre with the
rest (see :func:`scheduler.solver.data.parts`); each part is one CP-SAT model. The result never
raises on an impossible scenario: it carries the status, the objective and bound, the plan, and
for an impossible part the explanation (and a proposal that breaks only the listed rules).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ortools.sat.python import cp_model

from scheduler.i18n import tr
from scheduler.kpis import plan_kpis, pupil_summaries
from scheduler.model.scenario import Scenario, Weights
from scheduler.plan import Assignment, ExplanationItem, Plan, PlanStatus
from scheduler.solver.bounds import lower_bound
from scheduler.solver.builder import build_model
from scheduler.solver.context import ModelContext, PhaseHint, Pin
from scheduler.solver.data import UNITS_PER_HOUR, parts, solver_data
from scheduler.solver.extract import extract
from scheduler.solver.objectives import term_values
from scheduler.solver.params import make_solver


@dataclass(frozen=True)
class Progress:
    """A progress report: a new best plan was found, or the bound moved."""

    part: int
    parts: int
    elapsed: float
    objective: float | None
    bound: float | None
    message: str = ""


ProgressCallback = Callable[[Progress], None]


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


@dataclass
class SolveResult:
    """The outcome of a solve: status, objective, bound, runtime, the plan and its parts."""

    status: PlanStatus
    objective: float | None
    bound: float | None
    runtime: float
    plan: Plan
    parts: list[PartResult]

    @property
    def gap(self) -> float | None:
        """Relative gap between objective and bound (0 when proven optimal)."""
        if self.objective is None or self.bound is None:
            return None
        if self.objective == 0:
            return 0.0
        return max(0.0, (self.objective - self.bound) / abs(self.objective))

    def summary(self) -> str:
        """One line about the outcome, in the planner's language."""
        words = {
            "optimal": tr(nl="optimaal plan", en="optimal plan"),
            "feasible": tr(
                nl="geldig plan (niet bewezen optimaal)", en="valid plan (not proven optimal)"
            ),
            "infeasible": tr(nl="geen plan mogelijk", en="no plan exists"),
            "unknown": tr(
                nl="geen plan gevonden binnen de tijdslimiet",
                en="no plan found within the time limit",
            ),
        }
        text = f"{words[self.status]} ({self.runtime:.1f} s"
        if self.objective is not None:
            text += tr(nl=f", doelfunctie {self.objective:g}", en=f", objective {self.objective:g}")
        if self.bound is not None and self.status != "optimal":
            text += tr(nl=f", ondergrens {self.bound:g}", en=f", bound {self.bound:g}")
        return text + ")"


class _Reporter(cp_model.CpSolverSolutionCallback):
    """Reports every improving solution (and stops after the first one when asked)."""

    def __init__(
        self, report: Callable[[float, float | None, float | None], None], stop_first: bool
    ):
        super().__init__()
        self._report = report
        self._stop_first = stop_first

    def on_solution_callback(self) -> None:
        self._report(
            self.WallTime(),
            self.ObjectiveValue() / UNITS_PER_HOUR,
            self.BestObjectiveBound() / UNITS_PER_HOUR,
        )
        if self._stop_first:
            self.StopSearch()


STATUS = {
    cp_model.OPTIMAL: "optimal",
    cp_model.FEASIBLE: "feasible",
    cp_model.INFEASIBLE: "infeasible",
    cp_model.UNKNOWN: "unknown",
}


CONSTRUCT_ABOVE = 30
"""Parts with more pupils than this (and several classes) get a first plan group by group
(:mod:`scheduler.solver.large`)."""

WHOLE_MODEL_UP_TO = 120
"""Parts up to this many pupils are improved by the whole CP-SAT model; larger ones group by
group with the rest of the part held in place."""


def _solution_hints(model: cp_model.CpModel, solver: cp_model.CpSolver) -> None:
    """Use a solution as the complete hint of the next solve."""
    model.ClearHints()
    for i in range(len(model.Proto().variables)):
        var = model.GetIntVarFromProtoIndex(i)
        model.AddHint(var, solver.Value(var))


def _run(
    solver: cp_model.CpSolver,
    model: cp_model.CpModel,
    callback: cp_model.CpSolverSolutionCallback | None,
    cancel: threading.Event | None,
) -> int:
    """``solver.Solve`` that a ``cancel`` event set from another thread interrupts."""
    if cancel is None:
        return solver.Solve(model, callback) if callback else solver.Solve(model)
    if cancel.is_set():
        return cp_model.UNKNOWN
    done = threading.Event()

    def watch() -> None:
        while not done.wait(0.05):
            if cancel.is_set():
                solver.stop_search()
                return

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    try:
        return solver.Solve(model, callback) if callback else solver.Solve(model)
    finally:
        done.set()
        watcher.join()


class _StopAtBound(cp_model.CpSolverSolutionCallback):
    """Reports improving solutions and stops as soon as one reaches a known lower bound."""

    def __init__(self, report: Callable[[float, float | None, float | None], None], bound: float):
        super().__init__()
        self._report = report
        self.bound = bound

    def on_solution_callback(self) -> None:
        objective = self.ObjectiveValue() / UNITS_PER_HOUR
        self._report(
            self.WallTime(), objective, max(self.BestObjectiveBound() / UNITS_PER_HOUR, self.bound)
        )
        if objective <= self.bound + 1e-9:
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
    progress: Callable[[float, float | None, float | None], None] | None = None,
    cancel: threading.Event | None = None,
    baseline: list[PhaseHint] | None = None,
    first_only: bool = False,
) -> PartResult:
    """Solve one independent part in two steps: any plan first (the model without its
    objective, no presolve: the quickest way to a first plan), then better plans from it, until
    the time limit, proven optimality, or a plan that meets the lower bound of
    :mod:`scheduler.solver.bounds`. ``first_only`` stops at the first plan; complete ``hints``
    (a plan found before) make the first step immediate."""
    started = time.perf_counter()
    deadline = started + time_limit
    data = solver_data(scenario, pupil_ids)
    complete = _complete(data, hints)
    constructed: PartResult | None = None
    whole_model = len(pupil_ids) <= WHOLE_MODEL_UP_TO or baseline is not None
    # A large part is improved group by group even from a complete plan: the whole model of a
    # 200-pupil region found no solution in 5 s, not even from that plan as a hint.
    if (
        len(data.classes) > 1
        and len(pupil_ids) > CONSTRUCT_ABOVE
        and (not complete or not whole_model)
    ):
        from scheduler.solver.large import solve_large

        if len(pupil_ids) > WHOLE_MODEL_UP_TO and baseline is None:
            large = _solve_large_part(
                scenario, pupil_ids, weights, data, started, deadline, seed, workers, pins,
                hints, progress, cancel, first_only,
            )  # fmt: skip
            if large is not None:
                return large
        else:
            # a first plan group by group, then the whole model improves it
            outcome = solve_large(
                scenario, pupil_ids, weights, deadline=started + 0.6 * time_limit, seed=seed,
                workers=workers, pins=pins, hints=hints, first_plan_only=True,
            )  # fmt: skip
            if outcome.hints is not None:
                hints = outcome.hints
                if baseline is None:
                    constructed = _result_from_hints(
                        data, weights, pupil_ids, outcome.hints, started, outcome.first_plan_seconds
                    )
                    if progress is not None:
                        progress(time.perf_counter() - started, constructed.objective, None)
                    if first_only:
                        return constructed
    ctx = build_model(data, weights, pins=pins, hints=hints, baseline=baseline)

    def report(wall: float, objective: float | None, bound: float | None) -> None:
        if progress is not None:
            progress(time.perf_counter() - started, objective, bound)

    if constructed is not None:
        # The group-by-group plan is the first plan. The whole model's own first solve from
        # it as a hint took 15 s on a 50-pupil region (the hint covers the phases, not every
        # auxiliary variable), so improvement starts from the hint directly and the
        # constructed plan stands when no better one comes in time.
        improved = _improve(ctx, data, weights, pupil_ids, started, deadline, seed, workers,
                            time_limit, report, cancel, None, True)  # fmt: skip
        if improved is None:
            return constructed
        improved.first_plan_seconds = constructed.first_plan_seconds
        return improved

    # step 1: a first plan
    ctx.model.ClearObjective()
    first = make_solver(
        max(0.5, min(deadline - time.perf_counter(), 0.5 * time_limit)), seed, workers
    )
    first.parameters.cp_model_presolve = False
    first.parameters.stop_after_first_solution = True
    status = _run(first, ctx.model, None, cancel)
    ctx.model.Minimize(ctx.objective)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        name: PlanStatus = "infeasible" if status == cp_model.INFEASIBLE else "unknown"
        if name == "unknown" and time.perf_counter() < deadline - 0.5 and not _cancelled(cancel):
            # no plan yet: try once more with the full solver for the time left
            again = make_solver(deadline - time.perf_counter(), seed, workers)
            again.parameters.stop_after_first_solution = True
            status = _run(again, ctx.model, None, cancel)
            if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
                first = again
            else:
                name = "infeasible" if status == cp_model.INFEASIBLE else "unknown"
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return PartResult(pupil_ids, name, None, None, time.perf_counter() - started)
    report(0, first.Value(ctx.objective) / UNITS_PER_HOUR, None)
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
        # a re-plan: first the fewest changes from the baseline, then the best plan with those
        first, changes_proven = _least_changes(ctx, first, deadline, seed, workers, cancel)
    _solution_hints(ctx.model, first)
    improved = _improve(ctx, data, weights, pupil_ids, started, deadline, seed, workers,
                        time_limit, report, cancel, first, changes_proven)  # fmt: skip
    assert improved is not None  # with a first plan there is always a result
    return improved


def _improve(
    ctx: Any,
    data: Any,
    weights: Weights,
    pupil_ids: list[str],
    started: float,
    deadline: float,
    seed: int,
    workers: int,
    time_limit: float,
    report: Callable[[float, float | None, float | None], None],
    cancel: threading.Event | None,
    first: cp_model.CpSolver | None,
    changes_proven: bool,
) -> PartResult | None:
    """Step 2: better plans from the model's hint (a first plan), until the deadline, proven
    optimality or the lower bound of :mod:`scheduler.solver.bounds` (CP-SAT's is weak here).
    Without a ``first`` solve to fall back on, None when no plan came in time."""
    bound = lower_bound(data, weights, set(ctx.peaks), budget=min(5.0, 0.2 * time_limit))
    solver = make_solver(max(0.1, deadline - time.perf_counter()), seed, workers)
    callback = _StopAtBound(report, bound.value)
    status = _run(solver, ctx.model, callback, cancel)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        if first is None:
            return None
        solver = first  # no time left to improve: keep the first plan
        objective = first.Value(ctx.objective) / UNITS_PER_HOUR
        cp_bound = None
    else:
        objective = solver.ObjectiveValue() / UNITS_PER_HOUR
        cp_bound = solver.BestObjectiveBound() / UNITS_PER_HOUR
    best_bound = max(
        b for b in (cp_bound, bound.value if bound.complete else None, 0.0) if b is not None
    )
    proven = changes_proven and (status == cp_model.OPTIMAL or objective <= best_bound + 1e-9)
    result = PartResult(
        pupil_ids,
        "optimal" if proven else "feasible",
        objective,
        objective if proven else best_bound,
        time.perf_counter() - started,
    )
    result.assignments, result.hints = extract(ctx, solver)
    result.terms = term_values(ctx, solver)
    result.lower_bound = bound.value
    return result


def _result_from_hints(
    data: Any,
    weights: Weights,
    pupil_ids: list[str],
    hints: list[PhaseHint],
    started: float,
    first_plan_seconds: float | None,
) -> PartResult:
    """A part's result from complete phases planned group by group (no whole-model solve):
    the objective counted directly (:func:`scheduler.solver.evaluate.objective_terms`)."""
    from scheduler.solver.evaluate import objective_terms
    from scheduler.solver.extract import assignments_from_hints

    objective, terms = objective_terms(data, weights, hints)
    result = PartResult(pupil_ids, "feasible", objective, None, time.perf_counter() - started)
    result.assignments = assignments_from_hints(data, hints)
    result.hints = hints
    result.terms = terms
    result.first_plan_seconds = first_plan_seconds
    return result


def _solve_large_part(
    scenario: Scenario,
    pupil_ids: list[str],
    weights: Weights,
    data: Any,
    started: float,
    deadline: float,
    seed: int,
    workers: int,
    pins: list[Pin] | None,
    hints: list[PhaseHint] | None,
    progress: Callable[[float, float | None, float | None], None] | None,
    cancel: threading.Event | None,
    first_only: bool = False,
) -> PartResult | None:
    """A large part: a first plan class group by class group, the groups
    improved one by one (:mod:`scheduler.solver.large`); the objective is then counted directly
    from the phases. None when no plan came out (the caller tries the whole model)."""
    from scheduler.solver.large import solve_large

    outcome = solve_large(
        scenario, pupil_ids, weights, deadline=deadline - 0.5, seed=seed, workers=workers,
        pins=pins, hints=hints, first_plan_only=first_only,
        progress=(lambda objective: progress(time.perf_counter() - started, objective, None))
        if progress is not None else None,
    )  # fmt: skip
    if outcome.hints is None or _cancelled(cancel):
        return None
    result = _result_from_hints(
        data, weights, pupil_ids, outcome.hints, started, outcome.first_plan_seconds
    )
    if progress is not None:
        progress(time.perf_counter() - started, result.objective, None)
    return result


def _complete(data: Any, hints: list[PhaseHint] | None) -> bool:
    """Whether the hints give every phase of every pupil of the part."""
    if not hints:
        return False
    keys = {(h.pupil, h.phase_key) for h in hints}
    return all((p.id, s.key) in keys for p in data.pupils for s in p.phases)


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
    _solution_hints(ctx.model, first)
    budget = max(0.5, 0.5 * (deadline - time.perf_counter()))
    stage = make_solver(budget, seed, workers)
    status = _run(stage, ctx.model, None, cancel)
    ctx.model.Minimize(ctx.objective)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return first, False
    ctx.model.Add(changes <= int(stage.Value(changes)))
    return stage, status == cp_model.OPTIMAL


def _cancelled(cancel: threading.Event | None) -> bool:
    return cancel is not None and cancel.is_set()


def _merge_weights(scenario: Scenario, overrides: dict[str, int] | None) -> Weights:
    if not overrides:
        return scenario.settings.weights
    return scenario.settings.weights.model_copy(update=dict(overrides))


def solve(
    scenario: Scenario,
    *,
    time_limit: float = 60.0,
    seed: int = 0,
    workers: int = 2,
    weights: dict[str, int] | None = None,
    pins: list[Pin] | None = None,
    hints: list[PhaseHint] | None = None,
    progress: ProgressCallback | None = None,
    explain: bool = True,
    cancel: threading.Event | None = None,
    baseline: list[PhaseHint] | None = None,
    processes: int = 1,
    executor: str = "local",
    address: str | None = None,
    first_plan: bool = False,
) -> SolveResult:
    """Plan a scenario. Never raises on an impossible scenario: the result says so and explains.

    ``first_plan`` stops at the first valid plan of every part (no improvement).

    Independent parts run one after the other, or side by side with ``processes > 1`` (a local
    process pool, each part with ``workers`` solver threads) or on Ray
    (``executor="ray"``, a cluster at ``address``); see :mod:`scheduler.solver.executor`.

    ``time_limit`` is shared by the parts in proportion to their number of pupils. Setting
    ``cancel`` (from another thread) stops the solve; the result then has status ``unknown``
    (or the plan found so far is dropped) and ``plan.solver["cancelled"]`` is true.

    With a ``baseline`` (the phases of the plan in use, see
    :func:`scheduler.solver.warmstart.hints_from_plan`) the solve is a re-plan: it first
    minimises the changes from the baseline, then the objective; give ``pins`` (frozen past
    weeks) and the baseline as ``hints`` too.
    """
    from scheduler.solver.executor import check_executor

    check_executor(executor)
    started = time.perf_counter()
    w = _merge_weights(scenario, weights)
    groups = parts(scenario)
    total = sum(len(g) for g in groups) or 1
    if len(groups) > 1 and (processes > 1 or executor != "local") and not first_plan:
        return _solve_side_by_side(
            scenario, groups, w, time_limit=time_limit, seed=seed, workers=workers,
            pins=pins, hints=hints, baseline=baseline, progress=progress, explain=explain,
            processes=processes, executor=executor, address=address, started=started,
        )  # fmt: skip
    best: dict[int, tuple[float | None, float | None]] = {}

    def reporter(i: int) -> Callable[[float, float | None, float | None], None]:
        def report(elapsed: float, objective: float | None, bound: float | None) -> None:
            best[i] = (objective, bound)
            if progress is not None:
                objs = [b[0] for b in best.values() if b[0] is not None]
                bounds = [b[1] for b in best.values() if b[1] is not None]
                progress(
                    Progress(
                        i + 1,
                        len(groups),
                        time.perf_counter() - started,
                        sum(objs) if objs else None,
                        sum(bounds) if bounds else None,
                    )
                )

        return report

    def args(group: list[str]) -> dict[str, Any]:
        members = set(group)
        return {
            "seed": seed,
            "workers": workers,
            "pins": [p for p in pins or [] if p.pupil in members],
            "hints": [h for h in hints or [] if h.pupil in members],
            "baseline": [b for b in baseline if b.pupil in members] if baseline else None,
            "cancel": cancel,
        }

    def budget_for(i: int, fraction: float) -> float:
        # what is left of this round, minus the share the parts after this one are owed
        remaining = fraction * time_limit - (time.perf_counter() - round_started)
        later = sum(len(g) for g in groups[i + 1 :])
        return max(0.5, remaining - fraction * time_limit * later / total)

    results: list[PartResult] = []
    several = len(groups) > 1
    # round 1 (several parts): a first plan for every part, so a whole plan exists early. Each
    # part stops at its first plan, so a generous share costs nothing when it is quick; what a
    # part does not use passes to the next ones. Half the time was too little for regions of
    # 200 pupils among ten (6 s each, while their first plan takes 2-4 s of group solves and,
    # now and then, a repair of several seconds).
    round_started = time.perf_counter()
    for i, group in enumerate(groups):
        share = 1.0 if first_plan or not several else 0.8
        result = solve_part(
            scenario, group, w, time_limit=budget_for(i, share),
            progress=reporter(i), first_only=several or first_plan, **args(group),
        )  # fmt: skip
        results.append(result)
        if _cancelled(cancel):
            break
    if several and not first_plan and not _cancelled(cancel):
        # round 2: the time left improves each part from its first plan
        round_started = time.perf_counter()
        left = time_limit - (round_started - started)
        for i, group in enumerate(groups):
            first = results[i]
            if first.status == "infeasible" or left <= 1:
                continue
            extra = args(group)
            if first.status == "unknown":
                # no plan in its first share of time: this part gets its share of what is left
                retry = solve_part(
                    scenario, group, w, time_limit=budget_for(i, left / time_limit),
                    progress=reporter(i), **extra,
                )  # fmt: skip
                retry.seconds += first.seconds
                results[i] = retry
                continue
            extra["hints"] = first.hints
            better = solve_part(
                scenario, group, w, time_limit=budget_for(i, left / time_limit),
                progress=reporter(i), **extra,
            )  # fmt: skip
            if better.status in ("optimal", "feasible") and (better.objective or 0) <= (
                first.objective or 0
            ):
                better.first_plan_seconds = first.first_plan_seconds or first.seconds
                better.seconds += first.seconds
                results[i] = better
            if _cancelled(cancel):
                break
    for i, result in enumerate(results):
        if _cancelled(cancel):
            result.status = "unknown"
            continue
        if result.status == "infeasible" and explain:
            from scheduler.solver.explain import explain_part

            result.explanation, result.assignments = explain_part(
                scenario, groups[i], w, time_limit=max(5.0, time_limit * len(groups[i]) / total),
                seed=seed, workers=workers, pins=args(groups[i])["pins"],
            )  # fmt: skip
            result.proposal = bool(result.assignments)
    outcome = assemble(scenario, results, time.perf_counter() - started, w)
    if _cancelled(cancel):
        outcome.plan = outcome.plan.model_copy(
            update={"status": "unknown", "assignments": [], "pupils": [], "kpis": {},
                    "solver": {**outcome.plan.solver, "cancelled": True}}
        )  # fmt: skip
        outcome.status = "unknown"
    return outcome


def _solve_side_by_side(
    scenario: Scenario,
    groups: list[list[str]],
    weights: Weights,
    *,
    time_limit: float,
    seed: int,
    workers: int,
    pins: list[Pin] | None,
    hints: list[PhaseHint] | None,
    baseline: list[PhaseHint] | None,
    progress: ProgressCallback | None,
    explain: bool,
    processes: int,
    executor: str,
    address: str | None,
    started: float,
) -> SolveResult:
    """Parts in parallel: largest first, each with its share of ``processes x time_limit``
    (capped at the time limit); progress is reported as parts finish; impossible parts are
    explained here afterwards."""
    from scheduler.solver.executor import PartTask, run_parts

    total = sum(len(g) for g in groups)

    def share(group: list[str], fraction: float) -> float:
        full = time_limit if executor == "ray" else time_limit * processes * len(group) / total
        return max(0.5, min(fraction * time_limit, fraction * full))

    def task(i: int, group: list[str], seconds: float, **extra: Any) -> PartTask:
        members = set(group)
        kwargs: dict[str, Any] = {
            "seed": seed,
            # CP-SAT needs two workers for its neighbourhood search (the repair of large
            # parts relies on it): keep them, even if the processes oversubscribe the cores
            "workers": workers,
            "pins": [p for p in pins or [] if p.pupil in members],
            "hints": [h for h in hints or [] if h.pupil in members],
            "baseline": [b for b in baseline if b.pupil in members] if baseline else None,
        }
        kwargs.update(extra)
        return PartTask(i, group, seconds, kwargs)

    results: dict[int, PartResult] = {}

    def run(tasks: list[PartTask]) -> None:
        for index, result in run_parts(
            solve_part, scenario, weights, tasks, processes=processes, executor=executor,
            address=address,
        ):  # fmt: skip
            previous = results.get(index)
            if previous is not None and previous.status in ("optimal", "feasible"):
                if result.status not in ("optimal", "feasible") or (result.objective or 0) > (
                    previous.objective or 0
                ):
                    continue  # the improvement round found nothing better
                result.first_plan_seconds = previous.first_plan_seconds or previous.seconds
            results[index] = result
            if progress is not None:
                done = list(results.values())
                objectives = [r.objective for r in done if r.objective is not None]
                progress(
                    Progress(len(done), len(groups), time.perf_counter() - started,
                             sum(objectives) if objectives else None, None)
                )  # fmt: skip

    # round 1: a first plan for every part; round 2: improve them (or try again) with the rest
    run([task(i, g, share(g, 0.5), first_only=True) for i, g in enumerate(groups)])
    left = time_limit - (time.perf_counter() - started)
    if left > 1:
        again = []
        for i, group in enumerate(groups):
            first = results[i]
            if first.status == "infeasible":
                continue
            extra = {"hints": first.hints} if first.status in ("optimal", "feasible") else {}
            again.append(task(i, group, min(left, share(group, left / time_limit)), **extra))
        run(again)
    ordered = [results[i] for i in range(len(groups))]
    for result in ordered:
        if result.status == "infeasible" and explain:
            from scheduler.solver.explain import explain_part

            result.explanation, result.assignments = explain_part(
                scenario, result.pupils, weights, time_limit=10.0, seed=seed, workers=workers
            )
            result.proposal = bool(result.assignments)
    return assemble(scenario, ordered, time.perf_counter() - started, weights)


def _combined_status(results: list[PartResult]) -> PlanStatus:
    statuses = {r.status for r in results}
    if not results:
        return "optimal"
    if "infeasible" in statuses:
        return "infeasible"
    if "unknown" in statuses:
        return "unknown"
    if statuses == {"optimal"}:
        return "optimal"
    return "feasible"


def assemble(
    scenario: Scenario, results: list[PartResult], runtime: float, weights: Weights
) -> SolveResult:
    """Put the parts' results together into one plan."""
    status = _combined_status(results)
    solved = status in ("optimal", "feasible")
    objective = sum(r.objective or 0 for r in results) if solved else None
    bound = sum(r.bound or 0 for r in results) if solved else None
    assignments = [a for r in results for a in r.assignments]
    if not solved and not any(r.proposal for r in results):
        assignments = []
    terms: dict[str, float] = {}
    for r in results:
        for k, v in r.terms.items():
            terms[k] = round(terms.get(k, 0) + v, 2)
    gap = None
    if objective is not None and bound is not None:
        gap = 0.0 if objective == 0 else round(max(0.0, (objective - bound) / abs(objective)), 4)
    explanation = [e for r in results for e in r.explanation]
    violations = []
    if not solved and assignments:
        # a proposal: the independent validator lists exactly which rules it breaks
        from scheduler.validate import validate_plan

        draft = Plan(status="infeasible", scenario=scenario.meta.name,
                     school_year=scenario.school_year, assignments=assignments,
                     pupils=pupil_summaries(scenario, assignments))  # fmt: skip
        violations = [
            v for v in validate_plan(scenario, draft).violations if v.rule != "no_solution"
        ]
    plan = Plan(
        status=status,
        scenario=scenario.meta.name,
        scenario_fingerprint=scenario.fingerprint,
        school_year=scenario.school_year,
        objective=round(objective, 3) if objective is not None else None,
        bound=round(bound, 3) if bound is not None else None,
        gap=gap,
        solve_seconds=round(runtime, 3),
        objective_terms=terms,
        assignments=sorted(assignments, key=lambda a: (a.pupil, a.week)),
        pupils=pupil_summaries(scenario, assignments) if assignments else [],
        kpis=plan_kpis(scenario, assignments) if assignments else {},
        explanation=explanation,
        violations=violations,
        proposal=not solved and bool(assignments),
        solver={
            "parts": [
                {"pupils": len(r.pupils), "status": r.status, "seconds": round(r.seconds, 3),
                 "objective": r.objective, "bound": r.bound}
                for r in results
            ],
            "weights": weights.model_dump(),
        },
    )  # fmt: skip
    return SolveResult(status, plan.objective, plan.bound, runtime, plan, results)
