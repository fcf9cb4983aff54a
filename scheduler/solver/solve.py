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
from dataclasses import dataclass
from typing import Any

from scheduler.i18n import tr
from scheduler.kpis import plan_kpis, pupil_summaries
from scheduler.model.scenario import Scenario, Weights
from scheduler.plan import Plan, PlanStatus
from scheduler.solver.context import PhaseHint, Pin
from scheduler.solver.data import parts
from scheduler.solver.part import PartResult, solve_part


@dataclass(frozen=True)
class Progress:
    """A progress report: a new best plan was found, or the bound moved."""

    part: int
    parts: int
    elapsed: float
    objective: float | None
    bound: float | None
    message: str = ""
    complete: bool = False
    """Whether every part has a plan (``objective`` is then the whole plan's)."""


ProgressCallback = Callable[[Progress], None]


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


def _cancelled(cancel: threading.Event | None) -> bool:
    return cancel is not None and cancel.is_set()


def _settled(result: PartResult) -> bool:
    """A re-planned part whose baseline was kept, or re-planned around the rest with the
    fewest changes: nothing for an improvement round to do."""
    return any(step == "baseline kept" or step.startswith("replan:") for step in result.steps)


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
            old = best.get(i, (None, None))
            best[i] = (objective if objective is not None else old[0],
                       bound if bound is not None else old[1])  # fmt: skip
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
                        complete=len(objs) == len(groups),
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
            if first.status == "infeasible" or left <= 1 or _settled(first):
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
                             sum(objectives) if objectives else None, None,
                             complete=len(objectives) == len(groups))
                )  # fmt: skip

    # round 1: a first plan for every part, each stopping at its first plan, so a generous
    # limit costs nothing when it is quick (first plans of equal regions took 0.4-9.6 s: a
    # share by size left the slow ones without a plan); round 2: improve them with the rest
    run([task(i, g, max(share(g, 0.5), 0.25 * time_limit), first_only=True)
         for i, g in enumerate(groups)])  # fmt: skip
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
