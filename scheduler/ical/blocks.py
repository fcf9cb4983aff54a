"""A plan cut into calendar-sized pieces: phase blocks, and runs of consecutive school days.

A *block* is a maximal run of a pupil's weeks with the same phase, module, place, mentor and
absence (the pupil's weeks are consecutive in the plan; school holidays have no weeks, so a
block may span a holiday). A *run* is a maximal sequence of consecutive calendar days on which
the pupil has school inside one week of a block: weekends, holidays, free days and days before
the pupil starts or after the pupil leaves cut runs, so a calendar event made from a run never
covers a day without school.

Every block and run has a *key* that stays the same when the plan changes elsewhere: a module
phase is keyed by phase and module (each is one block per pupil), the experience period by
itself, an absence by its first week (absences come from the scenario), and ordinary weeks by
the block they follow. A run is keyed by its week's position in the block and its position in
that week. Keys never depend on list positions of other pupils, so re-exporting a changed plan
updates events instead of creating new ones.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from scheduler.model import Pupil, Scenario
from scheduler.plan import Assignment, Place, Plan

_DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class Run:
    """Consecutive school days within one week of a block."""

    key: str
    """``{week offset}.{part}``: stable while the block keeps its shape."""
    days: tuple[dt.date, ...]
    week_offset: int
    """Position of the run's week in the block (0 = the block's first week)."""
    assignment: Assignment | None
    """The pupil's assignment of that week (``None`` for a class's theory)."""


@dataclass(frozen=True)
class Block:
    """A maximal run of a pupil's (or a class's) weeks doing the same thing at the same place."""

    key: str
    phase: str
    module: str | None
    place: Place
    mentor: str | None
    absent: bool
    weeks: tuple[dt.date, ...]
    runs: tuple[Run, ...]
    assignments: tuple[Assignment, ...] = ()

    @property
    def days(self) -> list[dt.date]:
        """All school days of the block, in order."""
        return [d for r in self.runs for d in r.days]


def consecutive_runs(days: Iterable[dt.date]) -> list[tuple[dt.date, ...]]:
    """Split sorted days into maximal runs of consecutive calendar days."""
    out: list[list[dt.date]] = []
    for day in sorted(days):
        if out and out[-1][-1] + _DAY == day:
            out[-1].append(day)
        else:
            out.append([day])
    return [tuple(r) for r in out]


def week_runs(
    weeks: Sequence[dt.date],
    days_of: Mapping[dt.date, Sequence[dt.date]],
    assignments: Sequence[Assignment | None] | None = None,
) -> tuple[Run, ...]:
    """The runs of a block's weeks, keyed ``{week offset}.{part}`` (part > 0 when a free day
    splits a week)."""
    runs: list[Run] = []
    for offset, monday in enumerate(weeks):
        assignment = assignments[offset] if assignments is not None else None
        for part, days in enumerate(consecutive_runs(days_of.get(monday, ()))):
            runs.append(Run(f"{offset}.{part}", days, offset, assignment))
    return tuple(runs)


def pupil_dates(scenario: Scenario, pupil: Pupil) -> dict[dt.date, tuple[dt.date, ...]]:
    """The pupil's school days per week (by Monday): the school's days between start and leave."""
    start = pupil.start or scenario.school_calendar.first_day
    leave = pupil.leave or scenario.school_calendar.last_day
    out: dict[dt.date, tuple[dt.date, ...]] = {}
    for monday, days in scenario.school_days(scenario.school_of(pupil).id).items():
        mine = tuple(d for d in days if start <= d <= leave)
        if mine:
            out[monday] = mine
    return out


def _signature(a: Assignment) -> tuple[object, ...]:
    return (a.phase, a.module, a.place, a.mentor, a.absent)


def _base_key(a: Assignment, previous: str | None) -> str:
    """The stable name of a block starting with ``a`` (``previous``: the key before it)."""
    if a.absent:
        return f"absent:{a.week.isoformat()}"
    if a.phase == "experience":
        return "experience"
    if a.module is not None:
        return f"{a.phase}:{a.module}"
    # ordinary weeks are the gaps between phases: name them after what comes before
    return f"{a.phase}:after:{previous or 'start'}"


def _unique(key: str, seen: dict[str, int]) -> str:
    """``key``, or ``key#n`` for its n-th repetition (only in plans that break the rules)."""
    seen[key] = seen.get(key, 0) + 1
    return key if seen[key] == 1 else f"{key}#{seen[key]}"


def pupil_blocks(
    scenario: Scenario, pupil: Pupil, assignments: Sequence[Assignment]
) -> list[Block]:
    """The pupil's blocks in time order, with runs from the pupil's own school days."""
    dates = pupil_dates(scenario, pupil)
    groups: list[list[Assignment]] = []
    for a in sorted(assignments, key=lambda a: a.week):
        if groups and _signature(groups[-1][-1]) == _signature(a):
            groups[-1].append(a)
        else:
            groups.append([a])
    blocks: list[Block] = []
    seen: dict[str, int] = {}
    previous: str | None = None
    for group in groups:
        first = group[0]
        key = _unique(_base_key(first, previous), seen)
        weeks = tuple(a.week for a in group)
        blocks.append(
            Block(
                key=key,
                phase=first.phase,
                module=first.module,
                place=first.place,
                mentor=first.mentor,
                absent=first.absent,
                weeks=weeks,
                runs=week_runs(weeks, dates, group),
                assignments=tuple(group),
            )
        )
        previous = key
    return blocks


def plan_blocks(scenario: Scenario, plan: Plan) -> dict[str, list[Block]]:
    """Every pupil's blocks, by pupil id (pupils of the scenario only, in scenario order)."""
    by_pupil = plan.by_pupil()
    return {
        p.id: pupil_blocks(scenario, p, by_pupil.get(p.id, ()))
        for p in scenario.pupils
        if p.id in by_pupil
    }


def class_theory_blocks(scenario: Scenario, plan: Plan, class_id: str) -> list[Block]:
    """The class's theory at school: one block per module and run of the class's weeks.

    Theory is taught to the whole class, so the weeks are those in which any pupil of the class
    has the module's theory; runs use the school's days (not a pupil's start or leave).
    """
    school = scenario.school_of_class[class_id]
    days_of = scenario.school_days(school.id)
    teaching = [m for m, days in days_of.items() if days]
    index = {m: i for i, m in enumerate(teaching)}
    pupils = {p.id for p in scenario.pupils_of_class(class_id)}
    weeks_of: dict[str, set[dt.date]] = defaultdict(set)
    for a in plan.assignments:
        if a.pupil in pupils and a.phase == "theory" and a.module and a.week in index:
            weeks_of[a.module].add(a.week)
    blocks: list[Block] = []
    seen: dict[str, int] = {}
    klass = scenario.class_by_id[class_id]
    year = scenario.programme_by_id[klass.programme].year(klass.year)
    order = {m.id: i for i, m in enumerate(year.modules if year else [])}
    for module in sorted(weeks_of, key=lambda m: (order.get(m, len(order)), m)):
        groups: list[list[dt.date]] = []
        for monday in sorted(weeks_of[module]):
            if groups and index[groups[-1][-1]] + 1 == index[monday]:
                groups[-1].append(monday)
            else:
                groups.append([monday])
        for group in groups:
            weeks = tuple(group)
            blocks.append(
                Block(
                    key=_unique(f"theory:{module}", seen),
                    phase="theory",
                    module=module,
                    place=Place(kind="school", id=school.id),
                    mentor=None,
                    absent=False,
                    weeks=weeks,
                    runs=week_runs(weeks, days_of),
                )
            )
    return blocks
