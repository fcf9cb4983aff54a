"""A short overview of a scenario for ``scheduler check``: what is in it and how much room it has.

The overview is a planner's first sanity check before solving: per class the teaching weeks and
school days, the weeks the modules need at their shortest and longest, and the range of
real-workplace hours per week those lengths give (so a planner sees at once whether an OAO is
within reach).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from scheduler.model.programme import OAO_THRESHOLD_HOURS
from scheduler.model.scenario import Scenario


@dataclass(frozen=True)
class ClassOverview:
    """The room a class has in the year."""

    class_id: str
    school: str
    programme: str
    year: int
    pupils: int
    oao_pupils: int
    teaching_weeks: int
    school_days: int
    weeks_needed_min: int
    weeks_needed_max: int
    workplace_avg_min: float
    workplace_avg_max: float


@dataclass(frozen=True)
class ScenarioOverview:
    """Counts and room of a scenario."""

    name: str
    school_year: str
    description: str
    schools: int
    classes: list[ClassOverview] = field(default_factory=list)
    pupils: int = 0
    companies: int = 0
    company_capacity: int = 0
    mentors: int = 0
    centres: int = 0
    centre_seats: int = 0
    teaching_weeks: int = 0
    school_days: int = 0


def _class_room(scenario: Scenario, class_id: str) -> ClassOverview:
    klass = scenario.class_by_id[class_id]
    school = scenario.school_of_class[class_id]
    programme = scenario.programme_by_id[klass.programme]
    year = programme.year(klass.year)
    assert year is not None
    pupils = scenario.pupils_of_class(class_id)
    days = {m: len(d) for m, d in scenario.school_days(school.id).items() if d}
    total_days = sum(days.values())
    n_weeks = len(days)
    lo = hi = year.experience.weeks
    for module in year.modules:
        for phase in module.phases:
            lo += phase.weeks.min
            hi += phase.weeks.max
    ordinary = programme.ordinary_hours(year.year).workplace
    company_phases = [p for m in year.modules for p in m.phases if p.kind == "company"]
    base = sum(p.weeks.min * p.hours.workplace for m in year.modules for p in m.phases)
    base += year.experience.weeks * year.experience.hours.workplace
    weeks_eq = total_days / 5 if total_days else 1
    # Shortest phases with the remaining weeks ordinary, and company phases stretched as far
    # as the year allows; every week counted as a full one, so this is an estimate.
    avg_lo = (base + max(0, n_weeks - lo) * ordinary) / weeks_eq
    stretch = min(sum(p.weeks.max - p.weeks.min for p in company_phases), max(0, n_weeks - lo))
    gain = max((p.hours.workplace for p in company_phases), default=ordinary) - ordinary
    avg_hi = avg_lo + stretch * gain / weeks_eq
    oao = sum(1 for p in pupils if scenario.contract_of(p) == "oao")
    return ClassOverview(
        class_id=class_id,
        school=school.name,
        programme=programme.name,
        year=year.year,
        pupils=len(pupils),
        oao_pupils=oao,
        teaching_weeks=n_weeks,
        school_days=total_days,
        weeks_needed_min=lo,
        weeks_needed_max=hi,
        workplace_avg_min=round(min(avg_lo, avg_hi), 1),
        workplace_avg_max=round(max(avg_lo, avg_hi), 1),
    )


def overview(scenario: Scenario) -> ScenarioOverview:
    """Counts and per-class room of a scenario."""
    classes = [_class_room(scenario, c.id) for s in scenario.schools for c in s.classes]
    cal = scenario.school_calendar
    return ScenarioOverview(
        name=scenario.meta.name,
        school_year=scenario.school_year,
        description=scenario.meta.description,
        schools=len(scenario.schools),
        classes=classes,
        pupils=len(scenario.pupils),
        companies=len(scenario.companies),
        company_capacity=sum(c.capacity for c in scenario.companies),
        mentors=sum(len(c.mentors) for c in scenario.companies),
        centres=len(scenario.centres),
        centre_seats=sum(c.seats for c in scenario.centres),
        teaching_weeks=sum(1 for w in cal.weeks if w.school_days),
        school_days=sum(w.school_days for w in cal.weeks),
    )


__all__ = ["OAO_THRESHOLD_HOURS", "ClassOverview", "ScenarioOverview", "overview"]
