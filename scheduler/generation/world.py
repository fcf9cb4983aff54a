"""The generator's working copy of a scenario: plain mutable records, indexed by teaching week.

The generator first builds this world (regions, schools, classes, pupils, companies, centres),
then plans a reference year in it (:mod:`scheduler.generation.reference`), then adds the
events of a real year around that plan (:mod:`scheduler.generation.events`), and only at the
end turns it into scenario data (:meth:`World.scenario_data`). Weeks are teaching-week indices
(0 = the first week with school days) until then; runs of weeks are ``(start, length)``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from scheduler.model.calendar import SchoolCalendar
from scheduler.model.programme import Module, Programme, ProgrammeYear

Run = tuple[int, int]
"""A run of teaching weeks: ``(first index, number of weeks)``."""


@dataclass
class GMentor:
    """A mentor and the runs of weeks the mentor is away."""

    id: str
    name: str
    max_pupils: int
    away: list[Run] = field(default_factory=list)


@dataclass
class GCompany:
    """A company of one region and one programme (its sector)."""

    id: str
    name: str
    address: str
    region: int
    programme: str
    capacity: int
    mentors: list[GMentor] = field(default_factory=list)
    gaps: list[str] = field(default_factory=list)
    """Modules of its programme whose company phase the infrastructure does not allow."""
    all_modules: list[str] = field(default_factory=list)
    """Every module of its programme (written as ``modules`` minus ``gaps`` when it has gaps)."""
    partners: list[str] = field(default_factory=list)
    closures: list[Run] = field(default_factory=list)
    home: int = 0
    """Number of pupils with this home company."""

    def allows(self, module_id: str) -> bool:
        """Whether the infrastructure allows the company phase of this module."""
        return module_id not in self.gaps

    def mentor(self, mentor_id: str) -> GMentor:
        """The company's mentor with this id."""
        return next(m for m in self.mentors if m.id == mentor_id)


@dataclass
class GPupil:
    """A pupil, with the facts the reference plan and the events decide."""

    id: str
    first_name: str
    last_name: str
    class_id: str
    company: str = ""
    mentor: str = ""
    mastered: list[str] = field(default_factory=list)
    start: int | None = None
    """First teaching week (index) when the pupil joins late."""
    leave: int | None = None
    """Last teaching week (index) when the pupil leaves early."""
    away: list[Run] = field(default_factory=list)
    contract: str | None = None


@dataclass
class GClass:
    """A class of one programme year at one school."""

    id: str
    name: str
    school: str
    programme: Programme
    year: ProgrammeYear
    pupils: list[GPupil] = field(default_factory=list)

    def followed(self, pupil: GPupil) -> list[Module]:
        """The modules ``pupil`` follows, in order (mastered ones left out)."""
        return [m for m in self.year.modules if m.id not in pupil.mastered]


@dataclass
class GSchool:
    """A school of a region, with its own free days and teacher visits per week."""

    id: str
    name: str
    address: str
    region: int
    classes: list[GClass] = field(default_factory=list)
    free_days: list[dt.date] = field(default_factory=list)
    visits: int = 1

    @property
    def pupils(self) -> int:
        """Number of pupils in the school's classes."""
        return sum(len(c.pupils) for c in self.classes)


@dataclass
class GCentre:
    """The training centre of a region."""

    id: str
    name: str
    address: str
    region: int
    modules: list[str]
    schools: list[str]
    seats: int = 1
    reduced: list[tuple[Run, int]] = field(default_factory=list)
    """Runs of weeks with fewer seats, and the seats then."""
    closures: list[Run] = field(default_factory=list)


@dataclass
class GRegion:
    """A region: one training centre, the schools it serves and the companies around them."""

    index: int
    name: str
    places: tuple[tuple[str, str], ...]
    schools: list[GSchool] = field(default_factory=list)
    companies: list[GCompany] = field(default_factory=list)
    centre: GCentre | None = None
    programmes: list[str] = field(default_factory=list)

    @property
    def classes(self) -> list[GClass]:
        """All classes of the region's schools."""
        return [c for s in self.schools for c in s.classes]


@dataclass
class World:
    """Everything generated so far, with the calendar it lives in."""

    calendar: SchoolCalendar
    programmes: dict[str, Programme]
    regions: list[GRegion] = field(default_factory=list)
    mondays: list[dt.date] = field(default_factory=list)
    """Monday of each teaching week, by index."""
    default_visits: int = 5

    def __post_init__(self) -> None:
        if not self.mondays:
            self.mondays = [w.monday for w in self.calendar.weeks if w.school_days > 0]

    @property
    def n_weeks(self) -> int:
        """Number of teaching weeks."""
        return len(self.mondays)

    @property
    def schools(self) -> list[GSchool]:
        """All schools, region by region."""
        return [s for r in self.regions for s in r.schools]

    @property
    def companies(self) -> list[GCompany]:
        """All companies, region by region."""
        return [c for r in self.regions for c in r.companies]

    @property
    def classes(self) -> list[GClass]:
        """All classes, school by school."""
        return [c for s in self.schools for c in s.classes]

    @property
    def pupils(self) -> list[GPupil]:
        """All pupils, class by class."""
        return [p for c in self.classes for p in c.pupils]

    def school_days(self, school: GSchool) -> list[tuple[dt.date, ...]]:
        """The school days of each teaching week for one school (its own free days removed)."""
        extra = set(school.free_days)
        return [tuple(self.calendar.school_days_of_week(m, extra)) for m in self.mondays]

    # --- scenario data ------------------------------------------------------------------

    def _weeks(self, runs: list[Run]) -> list[Any]:
        """Runs of teaching weeks as scenario week specifications (a Monday or a range)."""
        out: list[Any] = []
        for start, length in runs:
            first = self.mondays[start]
            if length == 1:
                out.append(first)
            else:
                friday = self.mondays[start + length - 1] + dt.timedelta(days=4)
                last = min(friday, self.calendar.last_day)
                out.append({"from": first, "to": last})
        return out

    def scenario_data(self, meta: dict[str, Any], school_year: str) -> dict[str, Any]:
        """The world as scenario data (what a scenario file holds), ready for validation."""
        used = list(dict.fromkeys(c.programme.id for c in self.classes))
        schools_days = {s.id: self.school_days(s) for s in self.schools}
        data: dict[str, Any] = {
            "meta": meta,
            "school_year": school_year,
            "settings": {"teacher_visits_per_week": self.default_visits},
            "programmes": [
                self.programmes[p].model_dump(mode="python", by_alias=True, exclude_unset=True)
                for p in used
            ],
            "schools": [],
            "centres": [],
            "companies": [],
            "pupils": [],
        }
        for s in self.schools:
            school: dict[str, Any] = {"id": s.id, "name": s.name, "address": s.address}
            if s.free_days:
                school["free_days"] = [
                    {"date": d, "name": "Pedagogische studiedag"} for d in sorted(s.free_days)
                ]
            school["teacher_visits_per_week"] = s.visits
            school["classes"] = [
                {"id": c.id, "name": c.name, "programme": c.programme.id, "year": c.year.year}
                for c in s.classes
            ]
            data["schools"].append(school)
        for r in self.regions:
            c = r.centre
            assert c is not None
            centre: dict[str, Any] = {"id": c.id, "name": c.name, "address": c.address}
            centre["seats"] = c.seats
            if c.reduced:
                centre["seat_overrides"] = [
                    {"weeks": self._weeks([run]), "capacity": seats} for run, seats in c.reduced
                ]
            if c.closures:
                centre["closures"] = self._weeks(c.closures)
            centre["modules"] = list(c.modules)
            centre["schools"] = list(c.schools)
            data["centres"].append(centre)
        for co in self.companies:
            company: dict[str, Any] = {"id": co.id, "name": co.name, "address": co.address}
            company["capacity"] = co.capacity
            if co.closures:
                company["closures"] = self._weeks(co.closures)
            if co.gaps:
                company["modules"] = [m for m in co.all_modules if m not in co.gaps]
            if co.partners:
                company["partners"] = list(co.partners)
            company["mentors"] = []
            for m in co.mentors:
                mentor: dict[str, Any] = {"id": m.id, "name": m.name, "max_pupils": m.max_pupils}
                if m.away:
                    mentor["unavailable"] = self._weeks(m.away)
                company["mentors"].append(mentor)
            data["companies"].append(company)
        for klass in self.classes:
            days = schools_days[klass.school]
            for p in klass.pupils:
                pupil: dict[str, Any] = {
                    "id": p.id,
                    "first_name": p.first_name,
                    "last_name": p.last_name,
                    "class": p.class_id,
                    "company": p.company,
                    "mentor": p.mentor,
                }
                if p.contract is not None:
                    pupil["contract"] = p.contract
                if p.start is not None:
                    pupil["start"] = days[p.start][0]
                if p.leave is not None:
                    pupil["leave"] = days[p.leave][-1]
                if p.mastered:
                    pupil["mastered"] = list(p.mastered)
                if p.away:
                    pupil["unavailable"] = self._weeks(p.away)
                data["pupils"].append(pupil)
        return data
