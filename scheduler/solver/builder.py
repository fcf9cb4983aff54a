"""Builds the CP-SAT model of one part of a scenario, one constraint family at a time."""

from __future__ import annotations

import itertools

from ortools.sat.python import cp_model

from scheduler.model.scenario import Weights
from scheduler.solver import constraints as c
from scheduler.solver.context import ModelContext, PhaseHint, Pin
from scheduler.solver.data import SolverData
from scheduler.solver.hinting import complete_hint, is_whole_plan
from scheduler.solver.objectives import build_objective, perturbation_term, relaxation_penalty

HARD_RULES = (
    c.add_module_order,
    c.add_phase_lengths,
    c.add_blocked_weeks,
    c.add_class_theory,
    c.add_year_end,
    c.add_company_capacity,
    c.add_mentor_rules,
    c.add_centre_capacity,
    c.add_teacher_visits,
    c.add_contract,
    c.add_young_worker_limits,
)
"""Every hard rule family, in the order they are added (see docs/rules.md)."""


def build_model(
    data: SolverData,
    weights: Weights,
    *,
    relax: bool = False,
    pins: list[Pin] | None = None,
    hints: list[PhaseHint] | None = None,
    symmetry: bool = True,
    skip: frozenset[str] = frozenset(),
    baseline: list[PhaseHint] | None = None,
    reserved: dict[str, list[int]] | None = None,
    relax_capacity: bool = False,
) -> ModelContext:
    """The model of ``data``: variables, every hard rule (except those named in ``skip``, used
    by the explanation to find which rule makes a pupil impossible), the objective (or,
    relaxed, the penalty of the slacks), pins and hints."""
    ctx = ModelContext(
        cp_model.CpModel(), data, weights, relax=relax, skip=skip, reserved=dict(reserved or {}),
        relax_capacity=relax_capacity,
    )  # fmt: skip
    c.create_phases(ctx)
    for rule in HARD_RULES:
        # add_contract also defines each pupil's workplace hours, which the objective needs
        if rule.__name__ not in skip or rule is c.add_contract:
            rule(ctx)
    if pins:
        c.add_pins(ctx, pins)
    objective = build_objective(ctx)
    if baseline is not None:
        ctx.terms["changes"] = perturbation_term(ctx, baseline)
    if relax or relax_capacity:
        ctx.model.Minimize(relaxation_penalty(ctx))
    else:
        ctx.model.Minimize(objective)
    ctx.objective = objective
    if symmetry and not relax and not pins and baseline is None:
        add_symmetry_breaking(ctx)
    if hints:
        add_hints(ctx, hints)
    return ctx


def add_symmetry_breaking(ctx: ModelContext) -> None:
    """Pupils of one class who are identical for the model (same home company, mentor, dates,
    absences, contract and modules) are interchangeable: order them by their first simulated
    (or company) phase so the solver does not explore every permutation."""
    groups: dict[tuple, list[str]] = {}
    for pupil in ctx.data.pupils:
        key = (
            pupil.class_id,
            pupil.home,
            pupil.mentor,
            pupil.contract,
            tuple(pupil.days),
            tuple(pupil.ordinary_wp100),
            tuple(sorted(pupil.absent)),
            tuple(s.key for s in pupil.phases),
        )
        groups.setdefault(key, []).append(pupil.id)
    for members in groups.values():
        for a, b in itertools.pairwise(members):
            pa = next((p for p in ctx.phases[a] if p.spec.kind != "theory"), None)
            pb = next((p for p in ctx.phases[b] if p.spec.kind != "theory"), None)
            if pa is not None and pb is not None:
                ctx.model.Add(pa.start <= pb.start)


def add_hints(ctx: ModelContext, hints: list[PhaseHint]) -> None:
    """Give CP-SAT a starting point: phase starts, sizes and places; for a whole plan (every
    phase of every pupil) the objective's helper variables too
    (:func:`scheduler.solver.hinting.complete_hint`)."""
    model = ctx.model
    hinted_theory: set[int] = set()
    for hint in hints:
        phases = ctx.phases.get(hint.pupil)
        if not phases:
            continue
        phase = next((p for p in phases if p.spec.key == hint.phase_key), None)
        if phase is None:
            continue
        if phase.start.Index() in hinted_theory:
            continue
        if phase.spec.kind == "theory":
            hinted_theory.add(phase.start.Index())
        model.AddHint(phase.start, hint.start)
        model.AddHint(phase.end, hint.start + hint.size)
        if not isinstance(phase.size, int):
            model.AddHint(phase.size, hint.size)
        if hint.place is not None and len(phase.options) > 1:
            for ov in phase.options:
                same = ov.option.place == hint.place and (
                    hint.mentor is None or ov.option.mentor == hint.mentor
                )
                if not isinstance(ov.literal, int):
                    model.AddHint(ov.literal, same)
    if is_whole_plan(ctx.data, hints):
        complete_hint(model)
