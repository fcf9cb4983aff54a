"""The objective of a given set of phases (a greedy plan, a hand-made plan), by the model's own
definitions: every phase is fixed to its given start, length and place, and CP-SAT only checks
and counts. An impossible assignment comes back as infeasible."""

from __future__ import annotations

from dataclasses import dataclass

from ortools.sat.python import cp_model

from scheduler.model.scenario import Weights
from scheduler.solver.builder import PhaseHint, build_model
from scheduler.solver.context import ModelContext
from scheduler.solver.data import UNITS_PER_HOUR, SolverData


@dataclass
class Evaluation:
    """Whether the phases form a plan, and what it costs."""

    feasible: bool
    objective: float | None
    terms: dict[str, float]
    ctx: ModelContext | None = None
    solver: cp_model.CpSolver | None = None


def fix(ctx: ModelContext, hints: list[PhaseHint]) -> bool:
    """Fix every phase of the model to its hint; False when some phase has no hint."""
    model = ctx.model
    by_key = {(h.pupil, h.phase_key): h for h in hints}
    complete = True
    for pupil in ctx.data.pupils:
        for phase in ctx.phases[pupil.id]:
            hint = by_key.get((pupil.id, phase.spec.key))
            if hint is None:
                complete = False
                continue
            model.Add(phase.start == hint.start)
            model.Add(phase.end == hint.start + hint.size)
            for ov in phase.options:
                if isinstance(ov.literal, int):
                    continue
                same = ov.option.place == hint.place and ov.option.mentor == hint.mentor
                model.Add(ov.literal == int(same))
    return complete


def evaluate(
    data: SolverData, weights: Weights, hints: list[PhaseHint], time_limit: float = 30.0
) -> Evaluation:
    """Check and cost the given phases with the full model."""
    from scheduler.solver.solve import make_solver, term_values

    ctx = build_model(data, weights, symmetry=False)
    if not fix(ctx, hints):
        return Evaluation(False, None, {})
    solver = make_solver(time_limit, 0, 1)
    status = solver.Solve(ctx.model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return Evaluation(False, None, {})
    return Evaluation(
        True,
        solver.ObjectiveValue() / UNITS_PER_HOUR,
        term_values(ctx, solver),
        ctx,
        solver,
    )
