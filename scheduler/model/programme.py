"""The programme of study: years, ordered modules, phases and their weekly hours.

Every module follows the fixed pattern (stramien) theory at school -> simulated workplace at a
training centre -> practice test and observation at a company; after the modules of a year
comes the integrated experience period at a company. Each phase has a length in teaching weeks
(fixed or ``min..max``) and a weekly hours profile for a full five-day week; weeks with fewer
school days get proportionally fewer hours.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, field_validator, model_validator

from scheduler.i18n import tr
from scheduler.model.base import DomainModel, Id

PhaseKind = Literal["theory", "simulated", "company"]
"""The three phases of a module, in their fixed order."""

PHASE_ORDER: tuple[PhaseKind, ...] = ("theory", "simulated", "company")

Contract = Literal["oao", "internship"]
"""``oao``: Overeenkomst Alternerende Opleiding (>= 20 h/week on a real workplace, on average
over the school year); ``internship``: stage-overeenkomst (below 20 h/week)."""

OAO_THRESHOLD_HOURS = 20
"""The annual average of real-workplace hours per week that separates OAO from internship."""


def _two_decimals(value: float) -> float:
    return float(Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


HoursValue = Annotated[float, Field(ge=0, le=168)]


class Hours(DomainModel):
    """Hours in a full five-day week, by place: school, training centre, real workplace."""

    school: HoursValue = 0
    centre: HoursValue = 0
    workplace: HoursValue = 0

    @field_validator("school", "centre", "workplace")
    @classmethod
    def _round(cls, value: float) -> float:
        return _two_decimals(value)

    @property
    def total(self) -> float:
        """All hours of the week."""
        return _two_decimals(self.school + self.centre + self.workplace)


def _length_from_int(value: Any) -> Any:
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return {"min": value, "max": value}
    if isinstance(value, str) and ".." in value:
        lo, _, hi = value.partition("..")
        return {"min": lo.strip(), "max": hi.strip()}
    return value


class _Length(DomainModel):
    """A phase length in teaching weeks: ``min..max`` (equal for a fixed length)."""

    min: int = Field(ge=1, le=40)
    max: int = Field(ge=1, le=40)

    @model_validator(mode="after")
    def _ordered(self) -> _Length:
        if self.max < self.min:
            raise ValueError(
                tr(
                    nl=f"max ({self.max}) is kleiner dan min ({self.min})",
                    en=f"max ({self.max}) is smaller than min ({self.min})",
                )
            )
        return self

    @property
    def fixed(self) -> bool:
        """Whether the length is one fixed number of weeks."""
        return self.min == self.max


Length = Annotated[_Length, BeforeValidator(_length_from_int)]
"""A length in weeks, written ``3``, ``{min: 2, max: 4}`` or ``"2..4"``."""


class DailySchedule(DomainModel):
    """Start and end time of a day in this phase (used for timed calendar events)."""

    start: dt.time
    end: dt.time

    @model_validator(mode="after")
    def _ordered(self) -> DailySchedule:
        if self.end <= self.start:
            raise ValueError(
                tr(
                    nl=f"het einde ({self.end}) ligt niet na het begin ({self.start})",
                    en=f"the end ({self.end}) is not after the start ({self.start})",
                )
            )
        return self

    @property
    def hours(self) -> float:
        """Length of the day in hours."""
        start = dt.datetime.combine(dt.date(2000, 1, 1), self.start)
        end = dt.datetime.combine(dt.date(2000, 1, 1), self.end)
        return (end - start).total_seconds() / 3600


class Phase(DomainModel):
    """One phase of a module: where the pupil learns, how long, and how many hours a week."""

    kind: PhaseKind
    weeks: Length
    hours: Hours
    schedule: DailySchedule | None = Field(
        default=None, description="Daily times for calendar events; all-day events when absent."
    )


class Module(DomainModel):
    """A module of a programme year: its phases in the fixed order theory -> simulated -> company.

    A module may leave out a phase (e.g. no simulated workplace when the region has no training
    centre for it), but never changes the order.
    """

    id: Id
    name: str = Field(min_length=1)
    short: str | None = Field(
        default=None, max_length=12, description="Short name for grids and calendar titles."
    )
    phases: list[Phase] = Field(min_length=1)

    @field_validator("phases")
    @classmethod
    def _pattern(cls, phases: list[Phase]) -> list[Phase]:
        kinds = [p.kind for p in phases]
        positions = [PHASE_ORDER.index(k) for k in kinds]
        if len(set(kinds)) != len(kinds) or positions != sorted(positions):
            raise ValueError(
                tr(
                    nl="de fasen volgen het vaste stramien niet: verwacht "
                    f"theory -> simulated -> company, gekregen {' -> '.join(kinds)}",
                    en="the phases break the fixed pattern: expected "
                    f"theory -> simulated -> company, got {' -> '.join(kinds)}",
                )
            )
        return phases

    def phase(self, kind: PhaseKind) -> Phase | None:
        """The phase of this kind, if the module has one."""
        return next((p for p in self.phases if p.kind == kind), None)

    @property
    def label(self) -> str:
        """The short name, or the name."""
        return self.short or self.name


class ExperiencePeriod(DomainModel):
    """The integrated experience period after the modules of a year: consecutive teaching weeks
    at a company."""

    weeks: int = Field(default=4, ge=1, le=20)
    hours: Hours = Field(default_factory=lambda: Hours(workplace=38))
    schedule: DailySchedule | None = None


class ProgrammeYear(DomainModel):
    """One year of a programme: its modules in order, the experience period and the contract."""

    year: int = Field(ge=1, le=9)
    theme: str | None = None
    contract: Contract = Field(description="Contract type of pupils in this programme year.")
    modules: list[Module] = Field(min_length=1)
    experience: ExperiencePeriod = Field(default_factory=ExperiencePeriod)
    ordinary_week: Hours | None = Field(
        default=None,
        description="Hours of a week outside the module phases; the programme's when absent.",
    )

    @field_validator("modules")
    @classmethod
    def _unique_modules(cls, modules: list[Module]) -> list[Module]:
        seen: set[str] = set()
        for m in modules:
            if m.id in seen:
                raise ValueError(
                    tr(
                        nl=f"module '{m.id}' komt twee keer voor",
                        en=f"module '{m.id}' appears twice",
                    )
                )
            seen.add(m.id)
        return modules


class Programme(DomainModel):
    """A programme of study (studierichting), e.g. Elektromechanische technieken duaal."""

    id: Id
    name: str = Field(min_length=1)
    ordinary_week: Hours = Field(
        description="Hours of a week outside the module phases (e.g. 2 days school, 3 days work)."
    )
    years: list[ProgrammeYear] = Field(min_length=1)

    @field_validator("years")
    @classmethod
    def _unique_years(cls, years: list[ProgrammeYear]) -> list[ProgrammeYear]:
        numbers = [y.year for y in years]
        if len(set(numbers)) != len(numbers):
            raise ValueError(
                tr(nl=f"jaar komt dubbel voor: {numbers}", en=f"a year appears twice: {numbers}")
            )
        return years

    def year(self, number: int) -> ProgrammeYear | None:
        """The programme year with this number, if any."""
        return next((y for y in self.years if y.year == number), None)

    def ordinary_hours(self, number: int) -> Hours:
        """Hours of an ordinary week in programme year ``number``."""
        year = self.year(number)
        if year is not None and year.ordinary_week is not None:
            return year.ordinary_week
        return self.ordinary_week
