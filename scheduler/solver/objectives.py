"""What the solver optimises: one function per objective term (see docs/rules.md).

Every term is an integer expression in its natural unit (weeks, pupils, or workplace units of
1/500 hour); the objective is ``UNITS_PER_HOUR * sum(weight * term)`` for the week and pupil
terms plus ``weight * units`` for the OAO margin, so all weights mean "per week", "per pupil" or
"per hour" and the reported objective is that sum divided by ``UNITS_PER_HOUR``.
"""

from __future__ import annotations

import itertools
from collections import defaultdict

from ortools.sat.python import cp_model

from scheduler.model.programme import OAO_THRESHOLD_HOURS
from scheduler.solver.context import ModelContext, PhaseHint
from scheduler.solver.data import HUNDRED, UNITS_PER_HOUR, h100
from scheduler.solver.variables import OptionVar, PhaseVar

TERMS = ("waiting", "away_from_home", "other_mentor", "load_peak", "class_spread", "oao_margin")


def weeks_if(ctx: ModelContext, phase: PhaseVar, ov: OptionVar) -> cp_model.LinearExprT:
    """The phase's length when this option is chosen, else 0."""
    lit = ov.literal
    if isinstance(phase.size, int):
        return phase.size * lit
    if isinstance(lit, int):
        return phase.size
    weeks = ctx.model.NewIntVar(0, phase.spec.max_len, f"{phase.name}.w[{ov.option.place}]")
    ctx.model.Add(weeks == phase.size).OnlyEnforceIf(lit)
    ctx.model.Add(weeks == 0).OnlyEnforceIf(lit.Not())
    return weeks


def waiting_term(ctx: ModelContext) -> cp_model.LinearExprT:
    """Practice soon after its theory: per pupil and module, the weeks between the end of one
    phase and the start of the next (theory -> simulated -> company)."""
    parts: list[cp_model.LinearExprT] = []
    for phases in ctx.phases.values():
        for a, b in itertools.pairwise(phases):
            if a.spec.module is not None and a.spec.module == b.spec.module:
                parts.append(b.start - a.end)
    return sum(parts)  # type: ignore[return-value]


def away_from_home_term(ctx: ModelContext) -> cp_model.LinearExprT:
    """Pupils at their home company: weeks of company and experience phases elsewhere."""
    parts = [
        weeks_if(ctx, phase, ov)
        for phases in ctx.phases.values()
        for phase in phases
        if phase.spec.kind in ("company", "experience")
        for ov in phase.options
        if not ov.option.home
    ]
    return sum(parts)  # type: ignore[return-value]


def other_mentor_term(ctx: ModelContext) -> cp_model.LinearExprT:
    """Pupils with their own mentor: weeks at the home company with another mentor."""
    parts = [
        weeks_if(ctx, phase, ov)
        for phases in ctx.phases.values()
        for phase in phases
        if phase.spec.kind in ("company", "experience")
        for ov in phase.options
        if ov.option.home and not ov.option.own_mentor
    ]
    return sum(parts)  # type: ignore[return-value]


def load_peak_term(ctx: ModelContext) -> cp_model.LinearExprT:
    """Load spread evenly over the year: the busiest week's load per company and per centre
    (the peaks are made by the capacity constraints)."""
    return sum(ctx.peaks.values())  # type: ignore[return-value]


def class_spread_term(ctx: ModelContext) -> cp_model.LinearExprT:
    """Classes kept together at the centre: per class and module, the weeks between the first
    and the last pupil starting the simulated phase."""
    model = ctx.model
    starts: dict[tuple[str, str], list[cp_model.IntVar]] = defaultdict(list)
    for pupil in ctx.data.pupils:
        for phase in ctx.phases[pupil.id]:
            if phase.spec.kind == "simulated":
                starts[(pupil.class_id, phase.spec.module or "")].append(phase.start)
    parts: list[cp_model.LinearExprT] = []
    for (class_id, module), vars_ in starts.items():
        if len(vars_) < 2:
            continue
        lo = model.NewIntVar(0, ctx.horizon, f"spread[{class_id},{module}].lo")
        hi = model.NewIntVar(0, ctx.horizon, f"spread[{class_id},{module}].hi")
        model.AddMinEquality(lo, vars_)
        model.AddMaxEquality(hi, vars_)
        parts.append(hi - lo)
    return sum(parts)  # type: ignore[return-value]


def oao_margin_term(ctx: ModelContext) -> cp_model.LinearExprT:
    """A margin above 20 h for OAO pupils: the workplace units (1/500 h) by which the year falls
    short of ``20 + oao_margin_hours`` hours a week."""
    model = ctx.model
    margin = h100(ctx.data.scenario.settings.oao_margin_hours)
    parts: list[cp_model.LinearExprT] = []
    for pupil in ctx.data.pupils:
        if pupil.contract != "oao" or pupil.id not in ctx.workplace_units or margin == 0:
            continue
        target = (OAO_THRESHOLD_HOURS * HUNDRED + margin) * pupil.total_days
        short = model.NewIntVar(0, target, f"short[{pupil.id}]")
        model.Add(short >= target - ctx.workplace_units[pupil.id])
        parts.append(short)
    return sum(parts)  # type: ignore[return-value]


def build_objective(ctx: ModelContext) -> cp_model.LinearExprT:
    """The weighted objective (in units of 1/500), with each term kept in ``ctx.terms``."""
    w = ctx.weights
    makers = {
        "waiting": (w.waiting, waiting_term),
        "away_from_home": (w.away_from_home, away_from_home_term),
        "other_mentor": (w.other_mentor, other_mentor_term),
        "load_peak": (w.load_peak, load_peak_term),
        "class_spread": (w.class_spread, class_spread_term),
        "oao_margin": (w.oao_margin, oao_margin_term),
    }
    total: list[cp_model.LinearExprT] = []
    for name, (weight, make) in makers.items():
        term = make(ctx)
        ctx.terms[name] = term
        if weight:
            scale = weight if name == "oao_margin" else weight * UNITS_PER_HOUR
            total.append(scale * term)
    return sum(total)  # type: ignore[return-value]


def relaxation_penalty(ctx: ModelContext) -> cp_model.LinearExprT:
    """The total penalty of the slacks a relaxed model uses."""
    return sum(s.weight * s.var for s in ctx.slacks)  # type: ignore[return-value]


def term_values(ctx: ModelContext, solver: cp_model.CpSolver) -> dict[str, float]:
    """Each objective term's value in its unit (weeks, pupils, hours)."""
    out = {}
    for name in TERMS:
        expr = ctx.terms.get(name, 0)
        value = solver.Value(expr) if not isinstance(expr, int) else expr
        out[name] = round(value / UNITS_PER_HOUR, 2) if name == "oao_margin" else float(value)
    return out


def perturbation_term(ctx: ModelContext, baseline: list[PhaseHint]) -> cp_model.LinearExprT:
    """How far the plan moves from the baseline, in pupil-weeks (an upper estimate of the
    changed pupil-weeks): per phase, the weeks its start and its end move, plus its length when
    it changes place or mentor. A class's theory counts once per pupil who follows it."""
    model = ctx.model
    by_key = {(h.pupil, h.phase_key): h for h in baseline}
    parts: list[cp_model.LinearExprT] = []
    theory_users: dict[int, int] = defaultdict(int)
    theory_hint: dict[int, PhaseHint] = {}
    for pupil in ctx.data.pupils:
        for phase in ctx.phases[pupil.id]:
            hint = by_key.get((pupil.id, phase.spec.key))
            if hint is None:
                continue
            if phase.spec.kind == "theory" and not ctx.relax:
                theory_users[phase.start.Index()] += 1
                theory_hint.setdefault(phase.start.Index(), hint)
                continue
            parts.append(_moves(model, phase, hint, 1))
            parts.extend(_place_change(ctx, phase, hint))
    for phase in ctx.theory.values():
        n = theory_users.get(phase.start.Index(), 0)
        if n:
            parts.append(_moves(model, phase, theory_hint[phase.start.Index()], n))
    return sum(parts)  # type: ignore[return-value]


def _moves(
    model: cp_model.CpModel, phase: PhaseVar, hint: PhaseHint, weight: int
) -> cp_model.LinearExprT:
    ds = model.NewIntVar(0, 100, f"{phase.name}.ds")
    de = model.NewIntVar(0, 100, f"{phase.name}.de")
    model.AddAbsEquality(ds, phase.start - hint.start)
    model.AddAbsEquality(de, phase.end - (hint.start + hint.size))
    return weight * (ds + de)


def _place_change(
    ctx: ModelContext, phase: PhaseVar, hint: PhaseHint
) -> list[cp_model.LinearExprT]:
    return [
        weeks_if(ctx, phase, ov)
        for ov in phase.options
        if not isinstance(ov.literal, int)
        and (ov.option.place != hint.place or (hint.mentor and ov.option.mentor != hint.mentor))
    ]
