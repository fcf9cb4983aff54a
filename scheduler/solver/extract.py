"""Turning a CP-SAT solution into plan assignments (one per pupil per enrolled week)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from ortools.sat.python import cp_model

from scheduler.model.programme import Hours
from scheduler.plan import Assignment, Place, WeekHours
from scheduler.solver.context import ModelContext, PhaseHint
from scheduler.solver.data import Option, PhaseSpec, PupilData, SolverData


def _scaled(value: float, days: int) -> float:
    exact = Decimal(str(value)) * days / Decimal(5)
    return float(exact.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def week_hours(hours: Hours, days: int) -> WeekHours:
    """A full-week hours profile scaled to the week's school days."""
    return WeekHours(
        school=_scaled(hours.school, days),
        centre=_scaled(hours.centre, days),
        workplace=_scaled(hours.workplace, days),
    )


def ordinary_week(data: SolverData, pupil: PupilData, t: int) -> Assignment:
    """An ordinary (school) week, or an absence."""
    monday = data.weeks.mondays[t]
    days = pupil.days[t]
    place = Place(kind="school", id=pupil.school_id)
    if t in pupil.absent:
        return Assignment(
            pupil=pupil.id, week=monday, phase="school", module=None, place=place,
            hours=WeekHours(), absent=True,
        )  # fmt: skip
    hours = pupil.ordinary
    if pupil.ordinary_wp100[t] == 0 and hours.workplace > 0:
        # home company closed or gone: the workplace days are spent at school
        hours = Hours(school=hours.school + hours.workplace, centre=hours.centre, workplace=0)
    return Assignment(
        pupil=pupil.id, week=monday, phase="school", module=None, place=place,
        hours=week_hours(hours, days),
    )  # fmt: skip


def pupil_assignments(
    data: SolverData, pupil: PupilData, phases: list[tuple[PhaseSpec, int, int, Option]]
) -> list[Assignment]:
    """One assignment per enrolled week of a pupil, given the pupil's phases (spec, start,
    end, place); weeks past the year (a relaxed model only) are left out."""
    n = data.weeks.n
    covered: dict[int, Assignment] = {}
    for spec, start, end, chosen in phases:
        for t in range(start, min(end, n)):
            if pupil.days[t] == 0:
                continue
            covered[t] = Assignment(
                pupil=pupil.id,
                week=data.weeks.mondays[t],
                phase=spec.kind,
                module=spec.module,
                place=Place(kind=chosen.kind, id=chosen.place),
                mentor=chosen.mentor,
                hours=week_hours(spec.hours, pupil.days[t]),
                visit=spec.kind == "company" and t == end - 1,
            )
    return [
        covered.get(t) or ordinary_week(data, pupil, t) for t, days in enumerate(pupil.days) if days
    ]


def phases_of(ctx: ModelContext, solver: cp_model.CpSolver) -> list[PhaseHint]:
    """Every phase of a solution, as hints (start, length, place, mentor)."""
    return [
        PhaseHint(
            pupil.id,
            phase.spec.key,
            solver.Value(phase.start),
            solver.Value(phase.end) - solver.Value(phase.start),
            phase.chosen(solver).option.place,
            phase.chosen(solver).option.mentor,
        )
        for pupil in ctx.data.pupils
        for phase in ctx.phases[pupil.id]
    ]


def extract(
    ctx: ModelContext, solver: cp_model.CpSolver
) -> tuple[list[Assignment], list[PhaseHint]]:
    """Assignments of every pupil of the part, and the phases as hints for a later solve."""
    assignments: list[Assignment] = []
    hints: list[PhaseHint] = []
    for pupil in ctx.data.pupils:
        phases = []
        for phase in ctx.phases[pupil.id]:
            start, end = solver.Value(phase.start), solver.Value(phase.end)
            chosen = phase.chosen(solver).option
            hints.append(
                PhaseHint(pupil.id, phase.spec.key, start, end - start, chosen.place, chosen.mentor)
            )
            phases.append((phase.spec, start, end, chosen))
        assignments += pupil_assignments(ctx.data, pupil, phases)
    return assignments, hints


def assignments_from_hints(data: SolverData, hints: list[PhaseHint]) -> list[Assignment]:
    """Assignments of every pupil, from phases given as hints (a plan built without one CP-SAT
    model of the whole part)."""
    by_key = {(h.pupil, h.phase_key): h for h in hints}
    out: list[Assignment] = []
    for pupil in data.pupils:
        phases = []
        for spec in pupil.phases:
            hint = by_key[(pupil.id, spec.key)]
            option = next(
                (o for o in spec.options if o.place == hint.place and o.mentor == hint.mentor),
                spec.options[0],
            )
            phases.append((spec, hint.start, hint.start + hint.size, option))
        out += pupil_assignments(data, pupil, phases)
    return out
