"""The solver's view of a scenario: teaching-week index, per-pupil arrays, options and parts.

Everything here is plain Python derived from the scenario; the CP-SAT model is built from it in
:mod:`scheduler.solver.builder`. Weeks are compressed to the *teaching-week index* (calendar
weeks with school days), so phase lengths, "consecutive" and waiting are counted in teaching
weeks and holidays simply disappear from the model.

Hours are kept as integers: hundredths of an hour per full week (``h100``), and a week's
contribution is ``h100 * days`` (``days`` = the pupil's school days that week), so the annual
average ``sum(h * days / 5) / (total_days / 5)`` is ``sum(h100 * days) / (100 * total_days)``
and every contract test is exact integer arithmetic.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

from scheduler.model.programme import DailySchedule, Hours, Module
from scheduler.model.scenario import Scenario

PhaseKey = Literal["theory", "simulated", "company", "experience"]

HUNDRED = 100
UNITS_PER_HOUR = 500
"""``h100 * days`` units per hour of a week (``h * days / 5`` hours = ``h100 * days / 500``)."""


def h100(value: float) -> int:
    """Hours (2 decimals at most) as an exact integer number of hundredths."""
    return round(value * HUNDRED)


@dataclass(frozen=True)
class Option:
    """A place where a phase can happen: a centre, or a company with one of its mentors."""

    kind: Literal["school", "centre", "company"]
    place: str
    mentor: str | None = None
    home: bool = True
    own_mentor: bool = True


@dataclass
class PhaseSpec:
    """One phase a pupil must go through, in the order of the pupil's year."""

    kind: PhaseKey
    module: str | None
    min_len: int
    max_len: int
    hours: Hours
    options: list[Option] = field(default_factory=list)
    schedule: DailySchedule | None = None

    @property
    def key(self) -> str:
        """``module:kind`` or ``experience``."""
        return f"{self.module}:{self.kind}" if self.module else self.kind

    @property
    def wp100(self) -> int:
        """Workplace hundredths of an hour in a full week of this phase."""
        return h100(self.hours.workplace)


@dataclass
class PupilData:
    """What the model needs to know about one pupil."""

    id: str
    index: int
    class_id: str
    school_id: str
    home: str
    mentor: str
    contract: Literal["oao", "internship"]
    days: list[int]
    """School days per teaching-week index (0 outside enrolment and in the school's own full
    closures)."""
    absent: frozenset[int]
    ordinary_wp100: list[int]
    """Workplace hundredths of the ordinary week, per index (0 when the home company is closed
    or gone, or the pupil is absent)."""
    phases: list[PhaseSpec]
    ordinary: Hours

    @property
    def total_days(self) -> int:
        """School days of the pupil's year (denominator of the annual average)."""
        return sum(self.days)

    @property
    def enrolled(self) -> list[int]:
        """Indices of weeks with school days."""
        return [t for t, d in enumerate(self.days) if d > 0]

    def blocked(self) -> list[int]:
        """Indices inside the enrolment span where no phase may be: absences and weeks without
        school days."""
        enrolled = self.enrolled
        if not enrolled:
            return []
        lo, hi = enrolled[0], enrolled[-1]
        return [t for t in range(lo, hi + 1) if self.days[t] == 0 or t in self.absent]

    def ordinary_units(self) -> int:
        """Workplace units (``h100 * days``) if every week were an ordinary week."""
        return sum(w * d for w, d in zip(self.ordinary_wp100, self.days, strict=True))


@dataclass
class Weekline:
    """The teaching-week index of a school year."""

    mondays: list[dt.date]

    @property
    def n(self) -> int:
        """Number of teaching weeks."""
        return len(self.mondays)

    def index_of(self, monday: dt.date) -> int | None:
        """Index of a week, or None for a holiday week / a week outside the year."""
        try:
            return self._lookup[monday]
        except AttributeError:
            self._lookup = {m: i for i, m in enumerate(self.mondays)}
            return self._lookup.get(monday)


@dataclass
class ClassData:
    """A class whose pupils share their theory weeks."""

    id: str
    school_id: str
    modules: list[Module]
    pupils: list[str]


@dataclass
class SolverData:
    """The whole scenario (or one independent part of it) ready to be modelled."""

    scenario: Scenario
    weeks: Weekline
    pupils: list[PupilData]
    classes: dict[str, ClassData]

    def pupil(self, pupil_id: str) -> PupilData:
        """A pupil by id."""
        index = self.__dict__.get("_by_id")
        if index is None or len(index) != len(self.pupils):
            index = self.__dict__["_by_id"] = {p.id: p for p in self.pupils}
        return index[pupil_id]


def weekline(scenario: Scenario) -> Weekline:
    """The teaching weeks of the scenario's school year (calendar weeks with school days)."""
    return Weekline([w.monday for w in scenario.school_calendar.weeks if w.school_days > 0])


def company_options(
    scenario: Scenario, home_id: str, mentor_id: str, module: str | None
) -> list[Option]:
    """Candidate (company, mentor) options for a company phase (or the experience period when
    ``module`` is None): the home company when its infrastructure allows the module, its
    partners that allow it, and, when there are none, every company that allows it."""
    home = scenario.company_by_id[home_id]
    companies = []
    if module is None:
        companies = [home] + [scenario.company_by_id[c] for c in home.partners]
    else:
        if home.allows(module):
            companies.append(home)
        companies += [
            scenario.company_by_id[c]
            for c in home.partners
            if scenario.company_by_id[c].allows(module)
        ]
        if not companies:
            companies = [c for c in scenario.companies if c.allows(module)]
    options: list[Option] = []
    for company in companies:
        is_home = company.id == home_id
        mentors = sorted(company.mentors, key=lambda m: m.id != mentor_id)
        for mentor in mentors:
            options.append(
                Option(
                    "company",
                    company.id,
                    mentor.id,
                    home=is_home,
                    own_mentor=is_home and mentor.id == mentor_id,
                )
            )
    return options


def centre_options(scenario: Scenario, school_id: str, module: str) -> list[Option]:
    """Candidate centres for a simulated phase: they offer the module and serve the school."""
    return [
        Option("centre", c.id)
        for c in scenario.centres
        if module in c.modules and c.serves(school_id)
    ]


def pupil_data(scenario: Scenario, weeks: Weekline, index: int) -> PupilData:
    """The solver's data of the ``index``-th pupil of the scenario."""
    pupil = scenario.pupils[index]
    school = scenario.school_of(pupil)
    programme, year = scenario.programme_year_of(pupil)
    per_monday = scenario.pupil_days(pupil)
    days = [per_monday.get(m, 0) for m in weeks.mondays]
    absent = frozenset(
        t for t, m in enumerate(weeks.mondays) if m in pupil.unavailable_weeks and days[t] > 0
    )
    ordinary = programme.ordinary_hours(year.year)
    home = scenario.company_by_id[pupil.company]
    ordinary_wp = [
        0 if (t in absent or not home.is_open(m) or days[t] == 0) else h100(ordinary.workplace)
        for t, m in enumerate(weeks.mondays)
    ]
    phases: list[PhaseSpec] = []
    for module in scenario.modules_of(pupil):
        for phase in module.phases:
            spec = PhaseSpec(
                phase.kind,
                module.id,
                phase.weeks.min,
                phase.weeks.max,
                phase.hours,
                schedule=phase.schedule,
            )
            if phase.kind == "simulated":
                spec.options = centre_options(scenario, school.id, module.id)
            elif phase.kind == "company":
                spec.options = company_options(scenario, pupil.company, pupil.mentor, module.id)
            else:
                spec.options = [Option("school", school.id)]
            phases.append(spec)
    experience = PhaseSpec(
        "experience",
        None,
        year.experience.weeks,
        year.experience.weeks,
        year.experience.hours,
        schedule=year.experience.schedule,
    )
    experience.options = company_options(scenario, pupil.company, pupil.mentor, None)
    phases.append(experience)
    return PupilData(
        id=pupil.id,
        index=index,
        class_id=pupil.class_id,
        school_id=school.id,
        home=pupil.company,
        mentor=pupil.mentor,
        contract=scenario.contract_of(pupil),
        days=days,
        absent=absent,
        ordinary_wp100=ordinary_wp,
        phases=phases,
        ordinary=ordinary,
    )


def solver_data(scenario: Scenario, pupil_ids: Iterable[str] | None = None) -> SolverData:
    """Solver data for the whole scenario, or only for the given pupils (one part)."""
    weeks = weekline(scenario)
    wanted = None if pupil_ids is None else set(pupil_ids)
    pupils = [
        pupil_data(scenario, weeks, i)
        for i, p in enumerate(scenario.pupils)
        if wanted is None or p.id in wanted
    ]
    classes: dict[str, ClassData] = {}
    for p in pupils:
        if p.class_id not in classes:
            klass = scenario.class_by_id[p.class_id]
            programme = scenario.programme_by_id[klass.programme]
            year = programme.year(klass.year)
            assert year is not None
            classes[p.class_id] = ClassData(p.class_id, p.school_id, list(year.modules), [])
        classes[p.class_id].pupils.append(p.id)
    return SolverData(scenario, weeks, pupils, classes)


def parts(scenario: Scenario) -> list[list[str]]:
    """Independent parts of a scenario: groups of pupils that share no class, school, company,
    mentor or centre (directly or through others). Each part is one CP-SAT model."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(a: str, b: str) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[ra] = rb

    weeks = weekline(scenario)
    for i, pupil in enumerate(scenario.pupils):
        node = f"pupil:{pupil.id}"
        find(node)
        data = pupil_data(scenario, weeks, i)
        union(node, f"class:{data.class_id}")
        union(node, f"school:{data.school_id}")
        for spec in data.phases:
            for option in spec.options:
                if option.kind != "school":
                    union(node, f"{option.kind}:{option.place}")
    groups: dict[str, list[str]] = {}
    for pupil in scenario.pupils:
        groups.setdefault(find(f"pupil:{pupil.id}"), []).append(pupil.id)
    return sorted(groups.values(), key=lambda g: (-len(g), g[0]))
