"""A scenario: everything needed to plan one school year, with its cross-references checked.

A scenario holds the programme(s), the schools with their classes, the pupils, the companies
with their mentors and the training centres of one school year, plus settings (objective
weights, defaults). Validation checks every reference (a pupil's class, company and mentor
exist; the mentor works at the pupil's company; ...) and every date (inside the school year),
and reports each problem at its path: ``pupils[3].company: 'ACME' is geen bedrijf in dit
scenario``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Literal

from pydantic import Field, ValidationError, field_validator, model_validator
from pydantic_core import InitErrorDetails, PydanticCustomError

from scheduler.i18n import tr
from scheduler.model.base import DomainModel, WeekRange, WeekSpec
from scheduler.model.calendar import FreeDay, SchoolCalendar, flemish_calendar, parse_school_year
from scheduler.model.parties import Centre, Company, Mentor, Pupil, School, SchoolClass
from scheduler.model.programme import Contract, Hours, Module, Programme, ProgrammeYear

ExpectedStatus = Literal["optimal", "feasible", "infeasible", "unknown"]


class Meta(DomainModel):
    """What a scenario is: its name, a description in Dutch and the status a solve should reach."""

    name: str = Field(min_length=1, max_length=120)
    description: str = ""
    expected: ExpectedStatus | None = Field(
        default=None, description="Status the solver should reach (optimal, feasible, infeasible)."
    )


class Weights(DomainModel):
    """Weights of the objective terms (all minimised; a weight of 0 switches a term off)."""

    waiting: int = Field(
        default=10, ge=0, description="Per week a pupil waits between a module's phases."
    )
    away_from_home: int = Field(
        default=6, ge=0, description="Per week in a company phase at another company than home."
    )
    other_mentor: int = Field(
        default=2, ge=0, description="Per week at the home company with another than own mentor."
    )
    load_peak: int = Field(
        default=3, ge=0, description="Per pupil of the busiest week, per company and centre."
    )
    class_spread: int = Field(
        default=2, ge=0, description="Per week between the first and last centre start of a class."
    )
    oao_margin: int = Field(
        default=1, ge=0, description="Per hour an OAO pupil stays below 20 h + the target margin."
    )


PupilNaming = Literal["first_name_initial", "full_name", "code"]


class Settings(DomainModel):
    """Scenario-wide settings and defaults."""

    teacher_visits_per_week: int = Field(
        default=5, ge=0, description="Default number of practice-test visits a school makes a week."
    )
    pupil_names: PupilNaming = Field(
        default="first_name_initial",
        description="How pupils are named in company and centre calendars.",
    )
    oao_margin_hours: float = Field(
        default=1.0, ge=0, le=20, description="Hours per week above 20 an OAO plan should aim for."
    )
    weights: Weights = Field(default_factory=Weights)


class CalendarSettings(DomainModel):
    """Additions to the Flemish calendar that hold for every school in the scenario."""

    free_days: list[FreeDay] = Field(default_factory=list)


@dataclass(frozen=True)
class ModuleRef:
    """Where a module lives: its programme and programme year."""

    programme: Programme
    year: ProgrammeYear
    module: Module


def _err(loc: tuple[str | int, ...], kind: str, message: str, value: Any) -> InitErrorDetails:
    return InitErrorDetails(
        type=PydanticCustomError(kind, message.replace("{", "{{").replace("}", "}}")),
        loc=loc,
        input=value,
    )


class Scenario(DomainModel):
    """One school year of dual learning to plan."""

    meta: Meta
    school_year: str = Field(description="The school year, written 2026-2027.")
    calendar: CalendarSettings = Field(default_factory=CalendarSettings)
    settings: Settings = Field(default_factory=Settings)
    programmes: list[Programme] = Field(min_length=1)
    schools: list[School] = Field(min_length=1)
    companies: list[Company] = Field(default_factory=list)
    centres: list[Centre] = Field(default_factory=list)
    pupils: list[Pupil] = Field(default_factory=list)

    @field_validator("school_year", mode="before")
    @classmethod
    def _school_year(cls, value: Any) -> str:
        start = parse_school_year(value if isinstance(value, int | str) else str(value))
        return f"{start}-{start + 1}"

    @model_validator(mode="after")
    def _references(self) -> Scenario:
        errors = list(_check_references(self))
        if errors:
            raise ValidationError.from_exception_data("Scenario", errors)
        return self

    # --- derived facts (cached; the model is immutable) ---------------------------------

    @cached_property
    def school_calendar(self) -> SchoolCalendar:
        """The Flemish calendar of the scenario's school year."""
        return flemish_calendar(self.school_year)

    @cached_property
    def fingerprint(self) -> str:
        """A short hash of the scenario's content (plans record it)."""
        data = json.dumps(self.model_dump(mode="json", by_alias=True), sort_keys=True)
        return hashlib.sha256(data.encode()).hexdigest()[:16]

    @cached_property
    def programme_by_id(self) -> dict[str, Programme]:
        """Programmes by id."""
        return {p.id: p for p in self.programmes}

    @cached_property
    def module_by_id(self) -> dict[str, ModuleRef]:
        """Modules by id, with their programme and year."""
        return {
            m.id: ModuleRef(p, y, m) for p in self.programmes for y in p.years for m in y.modules
        }

    @cached_property
    def school_by_id(self) -> dict[str, School]:
        """Schools by id."""
        return {s.id: s for s in self.schools}

    @cached_property
    def class_by_id(self) -> dict[str, SchoolClass]:
        """Classes by id."""
        return {c.id: c for s in self.schools for c in s.classes}

    @cached_property
    def school_of_class(self) -> dict[str, School]:
        """The school of each class, by class id."""
        return {c.id: s for s in self.schools for c in s.classes}

    @cached_property
    def company_by_id(self) -> dict[str, Company]:
        """Companies by id."""
        return {c.id: c for c in self.companies}

    @cached_property
    def mentor_by_id(self) -> dict[str, tuple[Company, Mentor]]:
        """Mentors by id, with their company."""
        return {m.id: (c, m) for c in self.companies for m in c.mentors}

    @cached_property
    def centre_by_id(self) -> dict[str, Centre]:
        """Training centres by id."""
        return {c.id: c for c in self.centres}

    @cached_property
    def pupil_by_id(self) -> dict[str, Pupil]:
        """Pupils by id."""
        return {p.id: p for p in self.pupils}

    @cached_property
    def _school_days(self) -> dict[str, dict[dt.date, tuple[dt.date, ...]]]:
        cal = self.school_calendar
        common = {f.date for f in self.calendar.free_days}
        out: dict[str, dict[dt.date, tuple[dt.date, ...]]] = {}
        for school in self.schools:
            extra = common | {f.date for f in school.free_days}
            out[school.id] = {
                w.monday: tuple(cal.school_days_of_week(w.monday, extra)) for w in cal.weeks
            }
        return out

    def school_days(self, school_id: str) -> dict[dt.date, tuple[dt.date, ...]]:
        """The school days of every week (by Monday) for one school, its own free days removed."""
        return self._school_days[school_id]

    def school_of(self, pupil: Pupil) -> School:
        """The pupil's school."""
        return self.school_of_class[pupil.class_id]

    def programme_year_of(self, pupil: Pupil) -> tuple[Programme, ProgrammeYear]:
        """The pupil's programme and programme year (from the class)."""
        klass = self.class_by_id[pupil.class_id]
        programme = self.programme_by_id[klass.programme]
        year = programme.year(klass.year)
        assert year is not None  # guaranteed by validation
        return programme, year

    def contract_of(self, pupil: Pupil) -> Contract:
        """The pupil's contract: their own, or the programme year's."""
        return pupil.contract or self.programme_year_of(pupil)[1].contract

    def ordinary_hours_of(self, pupil: Pupil) -> Hours:
        """Hours of the pupil's ordinary week (outside module phases)."""
        programme, year = self.programme_year_of(pupil)
        return programme.ordinary_hours(year.year)

    def modules_of(self, pupil: Pupil) -> list[Module]:
        """The modules the pupil follows this year, in order (mastered ones left out)."""
        _, year = self.programme_year_of(pupil)
        return [m for m in year.modules if m.id not in pupil.mastered]

    def pupil_days(self, pupil: Pupil) -> dict[dt.date, int]:
        """School days per week (by Monday) on which the pupil is enrolled.

        Weeks without such a day (holidays, before the start, after leaving) are left out:
        the plan has exactly one assignment for every week listed here.
        """
        school_days = self.school_days(self.school_of(pupil).id)
        start = pupil.start or self.school_calendar.first_day
        leave = pupil.leave or self.school_calendar.last_day
        out: dict[dt.date, int] = {}
        for monday, days in school_days.items():
            n = sum(1 for d in days if start <= d <= leave)
            if n:
                out[monday] = n
        return out

    def teacher_visits_of(self, school: School) -> int:
        """Practice-test visits per week for a school (its own number or the default)."""
        if school.teacher_visits_per_week is not None:
            return school.teacher_visits_per_week
        return self.settings.teacher_visits_per_week

    def pupils_of_class(self, class_id: str) -> list[Pupil]:
        """The pupils of one class, in scenario order."""
        return [p for p in self.pupils if p.class_id == class_id]


def _duplicates(items: Iterable[tuple[tuple[str | int, ...], str]], what_nl: str, what_en: str):
    seen: dict[str, tuple[str | int, ...]] = {}
    for loc, ident in items:
        if ident in seen:
            yield _err(
                loc,
                "duplicate_id",
                tr(
                    nl=f"'{ident}' komt twee keer voor als {what_nl}-id",
                    en=f"'{ident}' is used twice as a {what_en} id",
                ),
                ident,
            )
        else:
            seen[ident] = loc


def _check_references(s: Scenario) -> Iterable[InitErrorDetails]:
    """Every cross-reference and date of the scenario, as pydantic error details."""
    yield from _duplicates(
        [(("programmes", i, "id"), p.id) for i, p in enumerate(s.programmes)],
        "programma",
        "programme",
    )
    yield from _duplicates(
        [
            (("programmes", i, "years", j, "modules", k, "id"), m.id)
            for i, p in enumerate(s.programmes)
            for j, y in enumerate(p.years)
            for k, m in enumerate(y.modules)
        ],
        "module",
        "module",
    )
    yield from _duplicates(
        [(("schools", i, "id"), x.id) for i, x in enumerate(s.schools)], "school", "school"
    )
    yield from _duplicates(
        [
            (("schools", i, "classes", j, "id"), c.id)
            for i, x in enumerate(s.schools)
            for j, c in enumerate(x.classes)
        ],
        "klas",
        "class",
    )
    yield from _duplicates(
        [(("companies", i, "id"), x.id) for i, x in enumerate(s.companies)], "bedrijf", "company"
    )
    yield from _duplicates(
        [
            (("companies", i, "mentors", j, "id"), m.id)
            for i, c in enumerate(s.companies)
            for j, m in enumerate(c.mentors)
        ],
        "mentor",
        "mentor",
    )
    yield from _duplicates(
        [(("centres", i, "id"), x.id) for i, x in enumerate(s.centres)], "centrum", "centre"
    )
    yield from _duplicates(
        [(("pupils", i, "id"), x.id) for i, x in enumerate(s.pupils)], "leerling", "pupil"
    )

    cal = s.school_calendar
    programmes = {p.id: p for p in s.programmes}
    modules = {m.id for p in s.programmes for y in p.years for m in y.modules}
    classes = {c.id: c for x in s.schools for c in x.classes}
    companies = {c.id: c for c in s.companies}
    schools = {x.id for x in s.schools}

    def outside(loc: tuple[str | int, ...], day: dt.date) -> InitErrorDetails | None:
        if cal.contains(day):
            return None
        return _err(
            loc,
            "date_outside_year",
            tr(
                nl=f"{day} ligt buiten schooljaar {s.school_year} "
                f"({cal.first_day} tot {cal.last_day})",
                en=f"{day} is outside school year {s.school_year} "
                f"({cal.first_day} to {cal.last_day})",
            ),
            day.isoformat(),
        )

    def check_weeks(
        loc: tuple[str | int, ...], specs: list[WeekSpec]
    ) -> Iterable[InitErrorDetails]:
        first_monday = cal.weeks[0].monday
        for i, spec in enumerate(specs):
            if isinstance(spec, WeekRange):
                named = [((*loc, i, "from"), spec.start), ((*loc, i, "to"), spec.end)]
            else:
                named = [((*loc, i), spec)]
            for sub, day in named:
                if not first_monday <= day <= cal.last_day and (e := outside(sub, day)):
                    yield e

    for i, f in enumerate(s.calendar.free_days):
        if (e := outside(("calendar", "free_days", i, "date"), f.date)) is not None:
            yield e

    for i, school in enumerate(s.schools):
        for j, f in enumerate(school.free_days):
            if (e := outside(("schools", i, "free_days", j, "date"), f.date)) is not None:
                yield e
        for j, c in enumerate(school.classes):
            programme = programmes.get(c.programme)
            if programme is None:
                yield _err(
                    ("schools", i, "classes", j, "programme"),
                    "dangling_reference",
                    tr(
                        nl=f"'{c.programme}' is geen programma in dit scenario",
                        en=f"'{c.programme}' is not a programme in this scenario",
                    ),
                    c.programme,
                )
            elif programme.year(c.year) is None:
                yield _err(
                    ("schools", i, "classes", j, "year"),
                    "dangling_reference",
                    tr(
                        nl=f"programma '{c.programme}' heeft geen jaar {c.year}",
                        en=f"programme '{c.programme}' has no year {c.year}",
                    ),
                    c.year,
                )

    for i, company in enumerate(s.companies):
        loc = ("companies", i)
        for j, m in enumerate(company.modules or []):
            if m not in modules:
                yield _err(
                    (*loc, "modules", j),
                    "dangling_reference",
                    tr(
                        nl=f"'{m}' is geen module in dit scenario",
                        en=f"'{m}' is not a module in this scenario",
                    ),
                    m,
                )
        for j, partner in enumerate(company.partners):
            if partner not in companies or partner == company.id:
                yield _err(
                    (*loc, "partners", j),
                    "dangling_reference",
                    tr(
                        nl=f"'{partner}' is geen ander bedrijf in dit scenario",
                        en=f"'{partner}' is not another company in this scenario",
                    ),
                    partner,
                )
        yield from check_weeks((*loc, "closures"), company.closures)
        for j, o in enumerate(company.capacity_overrides):
            yield from check_weeks((*loc, "capacity_overrides", j, "weeks"), o.weeks)
        if company.active_until is not None and (
            e := outside((*loc, "active_until"), company.active_until)
        ):
            yield e
        for j, mentor in enumerate(company.mentors):
            yield from check_weeks((*loc, "mentors", j, "unavailable"), mentor.unavailable)

    for i, centre in enumerate(s.centres):
        loc = ("centres", i)
        for j, m in enumerate(centre.modules):
            if m not in modules:
                yield _err(
                    (*loc, "modules", j),
                    "dangling_reference",
                    tr(
                        nl=f"'{m}' is geen module in dit scenario",
                        en=f"'{m}' is not a module in this scenario",
                    ),
                    m,
                )
        for j, school_id in enumerate(centre.schools or []):
            if school_id not in schools:
                yield _err(
                    (*loc, "schools", j),
                    "dangling_reference",
                    tr(
                        nl=f"'{school_id}' is geen school in dit scenario",
                        en=f"'{school_id}' is not a school in this scenario",
                    ),
                    school_id,
                )
        yield from check_weeks((*loc, "closures"), centre.closures)
        yield from check_weeks((*loc, "open_weeks"), centre.open_weeks or [])
        for j, o in enumerate(centre.seat_overrides):
            yield from check_weeks((*loc, "seat_overrides", j, "weeks"), o.weeks)

    for i, pupil in enumerate(s.pupils):
        loc = ("pupils", i)
        klass = classes.get(pupil.class_id)
        if klass is None:
            yield _err(
                (*loc, "class"),
                "dangling_reference",
                tr(
                    nl=f"'{pupil.class_id}' is geen klas in dit scenario",
                    en=f"'{pupil.class_id}' is not a class in this scenario",
                ),
                pupil.class_id,
            )
        elif pupil.year is not None and pupil.year != klass.year:
            yield _err(
                (*loc, "year"),
                "inconsistent",
                tr(
                    nl=f"jaar {pupil.year} past niet bij klas '{klass.id}' (jaar {klass.year})",
                    en=f"year {pupil.year} does not match class '{klass.id}' (year {klass.year})",
                ),
                pupil.year,
            )
        company = companies.get(pupil.company)
        if company is None:
            yield _err(
                (*loc, "company"),
                "dangling_reference",
                tr(
                    nl=f"'{pupil.company}' is geen bedrijf in dit scenario",
                    en=f"'{pupil.company}' is not a company in this scenario",
                ),
                pupil.company,
            )
        elif company.mentor(pupil.mentor) is None:
            owner = next((c.id for c in s.companies if c.mentor(pupil.mentor)), None)
            yield _err(
                (*loc, "mentor"),
                "dangling_reference",
                tr(
                    nl=f"'{pupil.mentor}' is geen mentor van bedrijf '{company.id}'"
                    + (f" (wel van '{owner}')" if owner else ""),
                    en=f"'{pupil.mentor}' is not a mentor of company '{company.id}'"
                    + (f" (but of '{owner}')" if owner else ""),
                ),
                pupil.mentor,
            )
        if klass is not None and klass.programme in programmes:
            year = programmes[klass.programme].year(klass.year)
            own = {m.id for m in year.modules} if year else set()
            for j, m in enumerate(pupil.mastered):
                if m not in own:
                    yield _err(
                        (*loc, "mastered", j),
                        "dangling_reference",
                        tr(
                            nl=f"'{m}' is geen module van het jaar van klas '{klass.id}'",
                            en=f"'{m}' is not a module of class '{klass.id}''s year",
                        ),
                        m,
                    )
        for field in ("start", "leave"):
            day = getattr(pupil, field)
            if day is not None and (e := outside((*loc, field), day)) is not None:
                yield e
        yield from check_weeks((*loc, "unavailable"), pupil.unavailable)
