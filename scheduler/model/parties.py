"""The parties of dual learning: schools and classes, pupils, companies and mentors, centres."""

from __future__ import annotations

import datetime as dt
from functools import cached_property

from pydantic import Field, model_validator

from scheduler.i18n import tr
from scheduler.model.base import DomainModel, Id, WeekSpec, expand_weeks
from scheduler.model.calendar import FreeDay
from scheduler.model.programme import Contract


class SchoolClass(DomainModel):
    """A class: pupils of one programme year who are taught theory together."""

    id: Id
    name: str | None = None
    programme: Id
    year: int = Field(ge=1, le=9, description="Programme year of the class.")


class School(DomainModel):
    """A secondary school with dual-learning classes."""

    id: Id
    name: str = Field(min_length=1)
    address: str | None = None
    free_days: list[FreeDay] = Field(
        default_factory=list, description="The school's own free days (pedagogische studiedagen)."
    )
    teacher_visits_per_week: int | None = Field(
        default=None,
        ge=0,
        description="Practice-test visits the school's teachers can make per week; the "
        "scenario default when absent.",
    )
    classes: list[SchoolClass] = Field(default_factory=list)


class Pupil(DomainModel):
    """A pupil in dual learning, with a home company and a mentor there."""

    id: Id = Field(description="Pupil code, also used when names are hidden.")
    first_name: str = Field(min_length=1)
    last_name: str = ""
    class_id: Id = Field(alias="class")
    year: int | None = Field(
        default=None, ge=1, le=9, description="Programme year; must match the class when given."
    )
    contract: Contract | None = Field(
        default=None, description="Contract type; the programme year's when absent."
    )
    company: Id = Field(description="Home company: where the pupil has the contract.")
    mentor: Id = Field(description="The pupil's mentor at the home company.")
    start: dt.date | None = Field(default=None, description="First day in the programme.")
    leave: dt.date | None = Field(default=None, description="Last day in the programme.")
    mastered: list[Id] = Field(
        default_factory=list, description="Modules the pupil already masters (skipped)."
    )
    unavailable: list[WeekSpec] = Field(
        default_factory=list, description="Weeks the pupil is absent (e.g. long illness)."
    )

    @model_validator(mode="after")
    def _dates(self) -> Pupil:
        if self.start and self.leave and self.leave < self.start:
            raise ValueError(
                tr(
                    nl=f"leave ({self.leave}) ligt vóór start ({self.start})",
                    en=f"leave ({self.leave}) is before start ({self.start})",
                )
            )
        return self

    @property
    def display_name(self) -> str:
        """Full name."""
        return f"{self.first_name} {self.last_name}".strip()

    @cached_property
    def unavailable_weeks(self) -> frozenset[dt.date]:
        """Mondays of the weeks the pupil is absent."""
        return expand_weeks(self.unavailable)


class Mentor(DomainModel):
    """A mentor at a company: plans, supervises and evaluates pupils' workplace learning."""

    id: Id
    name: str = Field(min_length=1)
    email: str | None = None
    max_pupils: int = Field(
        default=2, ge=1, description="Pupils the mentor can guide at once (company setting)."
    )
    unavailable: list[WeekSpec] = Field(default_factory=list)

    @cached_property
    def unavailable_weeks(self) -> frozenset[dt.date]:
        """Mondays of the weeks the mentor is absent."""
        return expand_weeks(self.unavailable)


class CapacityOverride(DomainModel):
    """A different capacity in some weeks (e.g. fewer places in summer production peaks)."""

    weeks: list[WeekSpec] = Field(min_length=1)
    capacity: int = Field(ge=0)


class Company(DomainModel):
    """A company that hosts pupils on its shop floor."""

    id: Id
    name: str = Field(min_length=1)
    address: str | None = None
    capacity: int = Field(ge=0, description="Pupils on site at once in a company phase.")
    capacity_overrides: list[CapacityOverride] = Field(default_factory=list)
    closures: list[WeekSpec] = Field(
        default_factory=list, description="Closure weeks (collective holidays, shutdowns)."
    )
    modules: list[Id] | None = Field(
        default=None,
        description="Modules whose company phase the infrastructure allows; all when absent.",
    )
    partners: list[Id] = Field(
        default_factory=list,
        description="Companies that take this company's pupils for modules it cannot host.",
    )
    active_until: dt.date | None = Field(
        default=None, description="Last day the company takes part (drops out after it)."
    )
    mentors: list[Mentor] = Field(min_length=1)

    @cached_property
    def closure_weeks(self) -> frozenset[dt.date]:
        """Mondays of the weeks the company is closed."""
        return expand_weeks(self.closures)

    @cached_property
    def _overrides(self) -> list[tuple[frozenset[dt.date], int]]:
        return [(expand_weeks(o.weeks), o.capacity) for o in self.capacity_overrides]

    def allows(self, module_id: str) -> bool:
        """Whether the company's infrastructure allows the company phase of this module."""
        return self.modules is None or module_id in self.modules

    def is_open(self, monday: dt.date) -> bool:
        """Whether the company takes part and is not closed in the week of ``monday``."""
        if monday in self.closure_weeks:
            return False
        return self.active_until is None or monday <= self.active_until

    def capacity_in(self, monday: dt.date) -> int:
        """Pupils the company can host in the week of ``monday`` (0 when closed or gone)."""
        if not self.is_open(monday):
            return 0
        for weeks, capacity in reversed(self._overrides):
            if monday in weeks:
                return capacity
        return self.capacity

    def mentor(self, mentor_id: str) -> Mentor | None:
        """The company's mentor with this id, if any."""
        return next((m for m in self.mentors if m.id == mentor_id), None)


class Centre(DomainModel):
    """A training centre (opleidingscentrum) offering the simulated workplace."""

    id: Id
    name: str = Field(min_length=1)
    address: str | None = None
    seats: int = Field(ge=0, description="Pupils the centre can take per week.")
    seat_overrides: list[CapacityOverride] = Field(default_factory=list)
    open_weeks: list[WeekSpec] | None = Field(
        default=None, description="Weeks the centre is open; every teaching week when absent."
    )
    closures: list[WeekSpec] = Field(
        default_factory=list, description="Weeks the centre is closed."
    )
    modules: list[Id] = Field(min_length=1, description="Modules whose simulated phase it offers.")
    schools: list[Id] | None = Field(
        default=None, description="Schools the centre serves; every school when absent."
    )

    @cached_property
    def closure_weeks(self) -> frozenset[dt.date]:
        """Mondays of the weeks the centre is closed."""
        return expand_weeks(self.closures)

    @cached_property
    def _open(self) -> frozenset[dt.date] | None:
        return None if self.open_weeks is None else expand_weeks(self.open_weeks)

    @cached_property
    def _overrides(self) -> list[tuple[frozenset[dt.date], int]]:
        return [(expand_weeks(o.weeks), o.capacity) for o in self.seat_overrides]

    def is_open(self, monday: dt.date) -> bool:
        """Whether the centre takes pupils in the week of ``monday``."""
        if monday in self.closure_weeks:
            return False
        return self._open is None or monday in self._open

    def seats_in(self, monday: dt.date) -> int:
        """Seats in the week of ``monday`` (0 when closed)."""
        if not self.is_open(monday):
            return 0
        for weeks, capacity in reversed(self._overrides):
            if monday in weeks:
                return capacity
        return self.seats

    def serves(self, school_id: str) -> bool:
        """Whether pupils of this school may come to the centre."""
        return self.schools is None or school_id in self.schools
