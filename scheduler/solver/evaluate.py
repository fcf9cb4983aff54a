"""The objective of a given set of phases (a greedy plan, a hand-made plan), by the model's own
definitions: every phase is fixed to its given start, length and place, and CP-SAT only checks
and counts. An impossible assignment comes back as infeasible."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from ortools.sat.python import cp_model

from scheduler.model.scenario import Weights
from scheduler.solver.builder import build_model
from scheduler.solver.context import ModelContext, PhaseHint
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
    from scheduler.solver.objectives import term_values
    from scheduler.solver.params import make_solver

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


def objective_terms(
    data: SolverData, weights: Weights, hints: list[PhaseHint]
) -> tuple[float, dict[str, float]]:
    """The objective and its terms for complete phases, computed directly (no CP-SAT): the same
    definitions as :mod:`scheduler.solver.objectives` (a test checks that both agree). Used
    for large parts, where one model of the whole part is too slow to build just to count."""
    from collections import defaultdict

    from scheduler.model.programme import OAO_THRESHOLD_HOURS
    from scheduler.solver.data import HUNDRED, h100

    by_key = {(h.pupil, h.phase_key): h for h in hints}
    n = data.weeks.n
    waiting = away = other = 0
    load: dict[str, list[int]] = defaultdict(lambda: [0] * n)
    sim_starts: dict[tuple[str, str], list[int]] = defaultdict(list)
    short_units = 0
    margin = h100(data.scenario.settings.oao_margin_hours)
    reachable: set[str] = set()
    for pupil in data.pupils:
        placed = [(spec, by_key[(pupil.id, spec.key)]) for spec in pupil.phases]
        for (a, ha), (b, hb) in itertools.pairwise(placed):
            if a.module is not None and a.module == b.module:
                waiting += hb.start - (ha.start + ha.size)
        covered: dict[int, int] = {}
        for spec, hint in placed:
            reachable.update(f"{o.kind}:{o.place}" for o in spec.options if o.kind != "school")
            for t in range(hint.start, hint.start + hint.size):
                covered[t] = spec.wp100
            if spec.kind in ("company", "experience"):
                if hint.place != pupil.home:
                    away += hint.size
                elif hint.mentor != pupil.mentor:
                    other += hint.size
                party = f"company:{hint.place}"
            elif spec.kind == "simulated":
                party = f"centre:{hint.place}"
                sim_starts[(pupil.class_id, spec.module or "")].append(hint.start)
            else:
                continue
            for t in range(hint.start, min(n, hint.start + hint.size)):
                load[party][t] += 1
        if pupil.contract == "oao" and pupil.total_days and margin:
            units = sum(
                (covered[t] if t in covered else pupil.ordinary_wp100[t]) * d
                for t, d in enumerate(pupil.days)
            )
            target = (OAO_THRESHOLD_HOURS * HUNDRED + margin) * pupil.total_days
            short_units += max(0, target - units)
    peaks = 0
    scenario = data.scenario
    for party in reachable:
        kind, _, ident = party.partition(":")
        if kind == "company":
            full = max(scenario.company_by_id[ident].capacity_in(m) for m in data.weeks.mondays)
        else:
            full = max(scenario.centre_by_id[ident].seats_in(m) for m in data.weeks.mondays)
        if full >= 2:
            peaks += max(load[party]) if party in load else 0
    spread = sum(max(v) - min(v) for v in sim_starts.values() if len(v) >= 2)
    terms = {
        "waiting": float(waiting),
        "away_from_home": float(away),
        "other_mentor": float(other),
        "load_peak": float(peaks) if weights.load_peak else 0.0,
        "class_spread": float(spread),
        "oao_margin": round(short_units / UNITS_PER_HOUR, 2),
    }
    objective = (
        weights.waiting * waiting
        + weights.away_from_home * away
        + weights.other_mentor * other
        + weights.load_peak * peaks
        + weights.class_spread * spread
        + weights.oao_margin * short_units / UNITS_PER_HOUR
    )
    return round(objective, 3), terms
