"""Turning a CP-SAT solution into plan assignments (one per pupil per enrolled week)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from ortools.sat.python import cp_model

from scheduler.model.programme import Hours
from scheduler.plan import Assignment, Place, WeekHours
from scheduler.solver.builder import PhaseHint
from scheduler.solver.context import ModelContext
from scheduler.solver.data import PupilData


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


def ordinary_week(ctx: ModelContext, pupil: PupilData, t: int) -> Assignment:
    """An ordinary (school) week, or an absence."""
    monday = ctx.data.weeks.mondays[t]
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


def extract(
    ctx: ModelContext, solver: cp_model.CpSolver
) -> tuple[list[Assignment], list[PhaseHint]]:
    """Assignments of every pupil of the part, and the phases as hints for a later solve.

    Weeks past a pupil's year (possible only in a relaxed model) are left out."""
    assignments: list[Assignment] = []
    hints: list[PhaseHint] = []
    n = ctx.data.weeks.n
    for pupil in ctx.data.pupils:
        covered: dict[int, Assignment] = {}
        for phase in ctx.phases[pupil.id]:
            start, end = solver.Value(phase.start), solver.Value(phase.end)
            chosen = phase.chosen(solver).option
            hints.append(
                PhaseHint(pupil.id, phase.spec.key, start, end - start, chosen.place, chosen.mentor)
            )
            plan_phase = phase.spec.kind
            for t in range(start, min(end, n)):
                if pupil.days[t] == 0:
                    continue
                covered[t] = Assignment(
                    pupil=pupil.id,
                    week=ctx.data.weeks.mondays[t],
                    phase=plan_phase,
                    module=phase.spec.module,
                    place=Place(kind=chosen.kind, id=chosen.place),
                    mentor=chosen.mentor,
                    hours=week_hours(phase.spec.hours, pupil.days[t]),
                    visit=plan_phase == "company" and t == end - 1,
                )
        for t, days in enumerate(pupil.days):
            if days == 0:
                continue
            assignments.append(covered.get(t) or ordinary_week(ctx, pupil, t))
    return assignments, hints
